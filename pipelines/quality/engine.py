"""Validate an expectation suite inside DuckDB: each expectation is an aggregate query, nothing is copied out.

Great Expectations 1.x has no DuckDB dialect: through SQLAlchemy and duckdb_engine its metric queries
come back empty (GX closes the connection before fetching, and DuckDB drops the result with it) and table
reflection fails on SQLAlchemy 2.1. So the runtime runs GX's expectation semantics as SQL here, and GX keeps
the suites (expectations/gx/) and renders the Data Docs from these outcomes (pipelines/quality/docs.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb


@dataclass
class Outcome:
    """The result of one expectation on one table."""

    suite: str
    check: str
    type: str
    severity: str  # critical | warning
    success: bool
    kwargs: dict
    description: str
    failed_rows: int | None = None  # rows that break it (None for table-level expectations)
    element_count: int | None = None
    sample_refs: list[str] = field(default_factory=list)
    observed: Any = None
    error: str | None = None  # the expectation could not be evaluated (counts as failed)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Outcome:
        return cls(**data)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def relation(suite_name: str) -> tuple[str, str, str]:
    """'marts.sg_year_kpis' -> (schema, table, quoted relation)."""
    schema, _, table = suite_name.partition(".")
    return schema, table, f"{_q(schema)}.{_q(table)}"


def resolve(kwargs: dict, parameters: dict) -> dict:
    """Replace GX suite parameters ({"$PARAMETER": name}) by their values for this run."""
    return {
        k: parameters.get(v["$PARAMETER"]) if isinstance(v, dict) and "$PARAMETER" in v else v
        for k, v in kwargs.items()
    }


def describe(type_: str, kw: dict, description: str | None = None) -> str:
    """One line a maintainer understands, without any data value."""
    if description:
        return description
    column = kw.get("column")
    if type_ == "expect_table_columns_to_match_set":
        return f"has the columns {', '.join(kw['column_set'])}"
    if type_ == "expect_column_values_to_be_of_type":
        return f"{column} is {kw['type_']}"
    if type_ == "expect_column_values_to_be_in_type_list":
        return f"{column} is one of the types {', '.join(kw['type_list'])}"
    if type_ == "expect_column_values_to_not_be_null":
        return f"{column} is never missing"
    if type_ == "expect_column_values_to_be_in_set":
        values = [str(v) for v in kw["value_set"]]
        shown = ", ".join(values[:8]) + (", ..." if len(values) > 8 else "")
        return f"{column} is one of: {shown}"
    if type_ == "expect_column_values_to_be_unique":
        return f"{column} is unique"
    if type_ == "expect_compound_columns_to_be_unique":
        return f"({', '.join(kw['column_list'])}) is unique"
    if type_ == "expect_column_values_to_be_between":
        return f"{column} is between {kw.get('min_value', '-inf')} and {kw.get('max_value', '+inf')}"
    if type_ == "expect_column_pair_values_a_to_be_greater_than_b":
        sign = ">=" if kw.get("or_equal") else ">"
        return f"{kw['column_A']} {sign} {kw['column_B']}"
    if type_ == "expect_table_row_count_to_equal":
        return f"has exactly {kw['value']} rows"
    if type_ == "expect_table_row_count_to_be_between":
        if kw.get("min_value") is None and kw.get("max_value") is None:
            return "row count (no previous good run to compare with)"
        return f"has between {kw.get('min_value', 0)} and {kw.get('max_value', 'any number of')} rows"
    return type_


class SuiteRunner:
    """Runs the expectations of one suite on one table of an open DuckDB connection."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, suite: dict, parameters: dict, sample_size: int = 5):
        self.conn = conn
        self.suite = suite
        self.parameters = parameters
        self.sample_size = sample_size
        self.schema, self.table, self.rel = relation(suite["name"])
        self.ref_columns: list[str] = suite.get("meta", {}).get("ref_columns", [])
        self._columns: dict[str, str] | None = None
        self._rows: int | None = None

    # -- facts about the table, read once
    def columns(self) -> dict[str, str]:
        if self._columns is None:
            rows = self.conn.execute(
                "select column_name, data_type from information_schema.columns where table_catalog = "
                "current_database() and table_schema = ? and table_name = ? order by ordinal_position",
                [self.schema, self.table],
            ).fetchall()
            self._columns = {name: data_type.upper() for name, data_type in rows}
        return self._columns

    def row_count(self) -> int:
        if self._rows is None:
            self._rows = self.conn.execute(f"select count(*) from {self.rel}").fetchall()[0][0]
        return self._rows

    def _ref_expression(self, available: set[str]) -> str | None:
        if not self.ref_columns or not set(self.ref_columns) <= available:
            return None
        if self.ref_columns == ["source_file", "source_row"]:
            return "t.source_file || ':' || t.source_row"
        parts = [f"'{c}=' || coalesce(cast(t.{_q(c)} as varchar), 'NULL')" for c in self.ref_columns]
        return f"concat_ws(', ', {', '.join(parts)})"

    def _count_and_refs(self, source: str, available: set[str] | None = None) -> tuple[int, list[str]]:
        """Rows of `source` (a query over the table, aliased t) and a few references to them."""
        failed = self.conn.execute(f"select count(*) from ({source}) t").fetchall()[0][0]
        refs: list[str] = []
        ref = self._ref_expression(available if available is not None else set(self.columns()))
        if failed and ref:
            order = ", ".join(f"t.{_q(c)}" for c in self.ref_columns)
            refs = [
                r
                for (r,) in self.conn.execute(
                    f"select {ref} from ({source}) t order by {order} limit {self.sample_size}"
                ).fetchall()
            ]
        return failed, refs

    def _bad_rows(self, condition: str) -> str:
        return f"select * from {self.rel} t where {condition}"

    # -- the expectations
    def run(self) -> list[Outcome]:
        return [self.run_one(e) for e in self.suite["expectations"]]

    def run_one(self, expectation: dict) -> Outcome:
        kw = resolve(expectation["kwargs"], self.parameters)
        outcome = Outcome(
            suite=self.suite["name"],
            check=expectation["meta"]["check"],
            type=expectation["type"],
            severity=expectation.get("severity", "critical"),
            success=False,
            kwargs=kw,
            description=describe(expectation["type"], kw, expectation.get("description")),
        )
        try:
            if not self.columns():
                raise LookupError(f"table {self.suite['name']} does not exist")
            handler = getattr(self, "_" + expectation["type"], None)
            if handler is None:
                raise NotImplementedError(f"no DuckDB implementation of {expectation['type']}")
            handler(kw, outcome)
        except (duckdb.Error, LookupError, NotImplementedError) as exc:
            outcome.success = False
            outcome.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return outcome

    def _row_level(self, outcome: Outcome, condition: str, columns: list[str]) -> None:
        missing = [c for c in columns if c not in self.columns()]
        if missing:
            raise LookupError(f"column {', '.join(missing)} missing")
        failed, refs = self._count_and_refs(self._bad_rows(condition))
        outcome.failed_rows, outcome.sample_refs = failed, refs
        outcome.element_count = self.row_count()
        outcome.success = failed == 0

    def _expect_table_columns_to_match_set(self, kw: dict, out: Outcome) -> None:
        actual, expected = set(self.columns()), set(kw["column_set"])
        missing, extra = sorted(expected - actual), sorted(actual - expected)
        out.observed = sorted(actual)
        out.success = not missing and not (kw.get("exact_match", True) and extra)
        if not out.success:
            out.sample_refs = [f"missing column {c}" for c in missing]

    def _type_check(self, kw: dict, out: Outcome, allowed: list[str]) -> None:
        column = kw["column"]
        if column not in self.columns():
            raise LookupError(f"column {column} missing")
        out.observed = self.columns()[column]
        out.success = out.observed in allowed

    def _expect_column_values_to_be_of_type(self, kw: dict, out: Outcome) -> None:
        self._type_check(kw, out, [kw["type_"].upper()])

    def _expect_column_values_to_be_in_type_list(self, kw: dict, out: Outcome) -> None:
        self._type_check(kw, out, [t.upper() for t in kw["type_list"]])

    def _expect_column_values_to_not_be_null(self, kw: dict, out: Outcome) -> None:
        self._row_level(out, f"t.{_q(kw['column'])} is null", [kw["column"]])

    def _expect_column_values_to_be_in_set(self, kw: dict, out: Outcome) -> None:
        c = f"t.{_q(kw['column'])}"
        values = ", ".join(_lit(v) for v in kw["value_set"])
        self._row_level(out, f"{c} is not null and {c} not in ({values})", [kw["column"]])

    def _duplicates(self, out: Outcome, columns: list[str]) -> None:
        missing = [c for c in columns if c not in self.columns()]
        if missing:
            raise LookupError(f"column {', '.join(missing)} missing")
        cols = ", ".join(_q(c) for c in columns)
        present = " or ".join(f"{_q(c)} is not null" for c in columns)  # GX skips rows missing every value
        join = " and ".join(f"t.{_q(c)} is not distinct from d.{_q(c)}" for c in columns)
        source = (
            f"select t.* from {self.rel} t join (select {cols} from {self.rel} where {present} "
            f"group by {cols} having count(*) > 1) d on {join}"
        )
        failed, refs = self._count_and_refs(source)
        out.failed_rows, out.sample_refs, out.element_count = failed, refs, self.row_count()
        out.success = failed == 0

    def _expect_column_values_to_be_unique(self, kw: dict, out: Outcome) -> None:
        self._duplicates(out, [kw["column"]])

    def _expect_compound_columns_to_be_unique(self, kw: dict, out: Outcome) -> None:
        self._duplicates(out, list(kw["column_list"]))

    def _expect_column_values_to_be_between(self, kw: dict, out: Outcome) -> None:
        c = f"t.{_q(kw['column'])}"
        outside = []
        if kw.get("min_value") is not None:
            outside.append(f"{c} {'<=' if kw.get('strict_min') else '<'} {_lit(kw['min_value'])}")
        if kw.get("max_value") is not None:
            outside.append(f"{c} {'>=' if kw.get('strict_max') else '>'} {_lit(kw['max_value'])}")
        condition = f"{c} is not null and ({' or '.join(outside)})" if outside else "false"
        self._row_level(out, condition, [kw["column"]])

    def _expect_column_pair_values_a_to_be_greater_than_b(self, kw: dict, out: Outcome) -> None:
        a, b = f"t.{_q(kw['column_A'])}", f"t.{_q(kw['column_B'])}"
        sign = ">=" if kw.get("or_equal") else ">"
        self._row_level(
            out,
            f"{a} is not null and {b} is not null and not ({a} {sign} {b})",
            [kw["column_A"], kw["column_B"]],
        )

    def _unexpected_rows_expectation(self, kw: dict, out: Outcome) -> None:
        query = kw["unexpected_rows_query"].replace("{batch}", self.rel)
        available = {d[0] for d in self.conn.execute(f"select * from ({query}) limit 0").description}
        failed, refs = self._count_and_refs(query, available)
        out.failed_rows, out.sample_refs, out.observed = failed, refs, failed
        out.success = failed == 0

    def _expect_table_row_count_to_equal(self, kw: dict, out: Outcome) -> None:
        out.observed = self.row_count()
        out.success = out.observed == kw["value"]
        if kw["value"] == 0:  # every row is an offending row: name them
            out.failed_rows, out.sample_refs = self._count_and_refs(f"select * from {self.rel}")

    def _expect_table_row_count_to_be_between(self, kw: dict, out: Outcome) -> None:
        out.observed = self.row_count()
        low, high = kw.get("min_value"), kw.get("max_value")
        out.success = (low is None or out.observed >= low) and (high is None or out.observed <= high)


def validate_suite(
    conn: duckdb.DuckDBPyConnection, suite: dict, parameters: dict | None = None, sample_size: int = 5
) -> list[Outcome]:
    """Every expectation of the suite on its table; failures are outcomes, never exceptions."""
    return SuiteRunner(conn, suite, parameters or {}, sample_size).run()


def failed(outcomes: list[Outcome], severity: str | None = None) -> list[Outcome]:
    return [o for o in outcomes if not o.success and (severity is None or o.severity == severity)]


def outcome_line(o: Outcome) -> str:
    """'not_null:meeting_id (meeting_id is never missing): 3 rows (a.csv:4, a.csv:9)' - no data values."""
    text = f"{o.check}"
    if o.error:
        return f"{text}: could not be evaluated ({o.error})"
    if o.failed_rows is not None:
        text += f": {o.failed_rows} row{'s' if o.failed_rows != 1 else ''}"
    elif o.observed is not None and not isinstance(o.observed, dict | list):
        text += f": observed {str(o.observed).strip(chr(34))}"
    if o.sample_refs:
        text += f" ({', '.join(o.sample_refs)})"
    return text
