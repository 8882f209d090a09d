"""The expectation suites, derived from the contracts as data (ingest tables, KPI catalogue, framework).

Each suite is a plain dict in Great Expectations' JSON shape (`name`, `expectations` with `type`, `kwargs`,
`severity`, `meta`), so the runtime validates without importing GX; `build_suites` passes every suite through
GX's own classes before writing the reviewed JSON under expectations/.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from pipelines.ingest.tables import (
    DOMAIN_TABLES,
    ITU_REGIONS,
    MEMBER_CATEGORIES,
    PEER_BODIES,
    STUDY_PERIODS,
    TABLE_NAMES,
    TABLES,
    Column,
    TableSpec,
)

CRITICAL, WARNING = "critical", "warning"  # GX's FailureSeverity values: critical blocks the run
# ITU was founded on 17 May 1865: no membership, meeting or document of the sector can be older.
EARLIEST_PLAUSIBLE_DATE = "1865-05-17"
EARLIEST_PLAUSIBLE_YEAR = 1865
# Resolved at validation time (pipelines/config/quality.yaml): this year plus a margin, and the volume bounds.
LATEST_DATE = {"$PARAMETER": "latest_plausible_date"}
LATEST_YEAR = {"$PARAMETER": "latest_plausible_year"}
VOLUME_MIN, VOLUME_MAX = {"$PARAMETER": "volume_min"}, {"$PARAMETER": "volume_max"}
LINEAGE = ["source_file", "source_row"]
_ID_NAMESPACE = uuid.UUID("5b0c3a52-8d4e-4f1e-9a57-6f3d1c2b7e10")

INTEGER_TYPES = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"]
FLOAT_TYPES = ["FLOAT", "DOUBLE"]
TYPE_FAMILIES = {
    "integer": INTEGER_TYPES,
    "float": FLOAT_TYPES,
    "text": ["VARCHAR"],
    "date": ["DATE"],
    "boolean": ["BOOLEAN"],
    "list": ["VARCHAR[]"],
}
STAGING_TYPES = {
    "text": "VARCHAR",
    "date": "DATE",
    "list": "VARCHAR[]",
    "integer": "BIGINT",
    "masked": "VARCHAR",
}


@dataclass
class SuiteBuilder:
    """Collects one suite's expectations; `check` (in meta) names each expectation uniquely in its suite."""

    name: str
    ref_columns: list[str]
    description: str
    expectations: list[dict] = field(default_factory=list)

    def add(
        self,
        expectation_type: str,
        check: str,
        severity: str = CRITICAL,
        description: str | None = None,
        **kwargs,
    ) -> None:
        meta = {"check": check}
        entry = {
            "type": expectation_type,
            "kwargs": kwargs,
            "meta": meta,
            "severity": severity,
            "id": str(uuid.uuid5(_ID_NAMESPACE, f"{self.name}/{check}")),
        }
        if description:
            entry["description"] = description
        self.expectations.append(entry)

    # The building blocks, one per kind of rule.
    def columns(self, names: list[str]) -> None:
        self.add("expect_table_columns_to_match_set", "columns", column_set=names, exact_match=False)

    def type_of(self, column: str, type_: str) -> None:
        self.add("expect_column_values_to_be_of_type", f"type:{column}", column=column, type_=type_)

    def type_in(self, column: str, family: str) -> None:
        self.add(
            "expect_column_values_to_be_in_type_list",
            f"type:{column}",
            column=column,
            type_list=TYPE_FAMILIES[family],
        )

    def not_null(self, column: str) -> None:
        self.add("expect_column_values_to_not_be_null", f"not_null:{column}", column=column)

    def in_set(self, column: str, values, severity: str = CRITICAL) -> None:
        self.add(
            "expect_column_values_to_be_in_set",
            f"in_set:{column}",
            severity,
            column=column,
            value_set=list(values),
        )

    def unique(self, columns: list[str]) -> None:
        if len(columns) == 1:
            self.add("expect_column_values_to_be_unique", f"unique:{columns[0]}", column=columns[0])
        else:
            self.add(
                "expect_compound_columns_to_be_unique",
                f"unique:{','.join(columns)}",
                column_list=list(columns),
            )

    def between(
        self, column: str, min_value=None, max_value=None, severity: str = CRITICAL, check: str | None = None
    ) -> None:
        kwargs = {k: v for k, v in (("min_value", min_value), ("max_value", max_value)) if v is not None}
        self.add(
            "expect_column_values_to_be_between",
            check or f"range:{column}",
            severity,
            column=column,
            **kwargs,
        )

    def pair_at_least(self, column_a: str, column_b: str, or_equal: bool = True) -> None:
        """column_a >= column_b (or >) wherever both are present."""
        sign = ">=" if or_equal else ">"
        self.add(
            "expect_column_pair_values_a_to_be_greater_than_b",
            f"pair:{column_a}{sign}{column_b}",
            column_A=column_a,
            column_B=column_b,
            or_equal=or_equal,
            ignore_row_if="either_value_is_missing",
        )

    def no_rows(self, check: str, description: str, query: str, severity: str = CRITICAL) -> None:
        """A rule as SQL: the query selects the offending rows of {batch} (GX's UnexpectedRowsExpectation)."""
        self.add(
            "unexpected_rows_expectation",
            check,
            severity,
            description=description,
            unexpected_rows_query=query,
        )

    def references(self, columns: list[str], table: str, ref_columns: list[str]) -> None:
        present = " and ".join(f"t.{c} is not null" for c in columns)
        join = " and ".join(f"p.{r} = t.{c}" for c, r in zip(columns, ref_columns, strict=True))
        self.no_rows(
            f"fk:{','.join(columns)}->{table}",
            f"every {', '.join(columns)} exists in {table}",
            # An anti join, not `not exists`: DuckDB decorrelates that into a copy of every column of the
            # table (1.3 GB spilled, 5 s for contributions at 100x; the anti join takes 0.1 s).
            f"select t.* from {{batch}} t anti join {table} p on {join} where {present}",
        )

    def plausible_dates(self, column: str) -> None:
        self.between(column, EARLIEST_PLAUSIBLE_DATE, LATEST_DATE, WARNING, check=f"plausible:{column}")

    def plausible_years(self, column: str) -> None:
        self.between(column, EARLIEST_PLAUSIBLE_YEAR, LATEST_YEAR, WARNING, check=f"plausible:{column}")

    def volume(self) -> None:
        self.add(
            "expect_table_row_count_to_be_between",
            "volume",
            WARNING,
            min_value=VOLUME_MIN,
            max_value=VOLUME_MAX,
        )

    def not_empty(self) -> None:
        self.add("expect_table_row_count_to_be_between", "not_empty", WARNING, min_value=1)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "id": str(uuid.uuid5(_ID_NAMESPACE, self.name)),
            "expectations": self.expectations,
            "meta": {"description": self.description, "ref_columns": self.ref_columns},
            "notes": None,
        }


def _staged_columns(spec: TableSpec) -> list[Column]:
    return [c for c in spec.columns if not c.personal]


def _identity_columns(spec: TableSpec) -> list[str]:
    """Columns ingest adds in place of personal data (attendance: participant_key)."""
    return ["participant_key"] if any(c.personal for c in spec.columns) else []


def staging_suite(spec: TableSpec) -> dict:
    """staging.<table>: the typed rows ingest kept, checked against the contract they were validated with."""
    s = SuiteBuilder(f"staging.{spec.name}", LINEAGE, f"Typed, valid rows of raw {spec.name}.")
    staged = _staged_columns(spec)
    identity = _identity_columns(spec)
    s.columns([c.name for c in staged] + identity + LINEAGE)
    for c in staged:
        s.type_of(c.name, STAGING_TYPES[c.kind])
    for name in identity:
        s.type_of(name, "VARCHAR")
    s.type_of("source_file", "VARCHAR")
    s.type_of("source_row", "BIGINT")
    for c in staged:
        if c.required:
            s.not_null(c.name)
    for name in identity + LINEAGE:
        s.not_null(name)
    for c in staged:
        if c.values:
            s.in_set(c.name, c.values)
    s.unique(list(spec.key))
    for fk in spec.foreign_keys:
        s.references(list(fk.columns), f"staging.{fk.table}", list(fk.ref_columns))
    for check in spec.row_checks:
        # The ingest rule's `$known_sgs` list, as a CTE column (DuckDB lambdas cannot hold subqueries).
        known = ""
        bad = check.bad
        if "$known_sgs" in bad:
            known = ", (select list(distinct sg) as known_sgs from staging.study_groups) known"
            bad = bad.replace("$known_sgs", "known.known_sgs")
        s.no_rows(
            f"rule:{check.name}",
            f"no row where {check.bad}",
            f"select t.* from {{batch}} t{known} where coalesce({bad}, false)",
        )
    if spec.sg_existed and not spec.sg_existed.successor_carries:
        day = spec.sg_existed.date
        s.no_rows(
            f"rule:sg existed on {day}",
            f"the study group existed on the row's {day} (config/study_groups.yaml)",
            f"select t.* from {{batch}} t join meta.sg_existence e on e.sg = t.sg "
            f"where t.{day} < e.exists_from or t.{day} > e.exists_until",
        )
    for c in staged:
        if c.kind == "date":
            s.plausible_dates(c.name)
        if c.kind == "integer":
            s.between(c.name, 0, None)
    if not spec.optional:  # an optional table without files is empty by design
        s.not_empty()
    s.volume()
    return s.to_json()


def quarantine_suite(spec: TableSpec) -> dict:
    """quarantine.<table>: rejected rows as text with a reason; any row is a warning for maintainers."""
    s = SuiteBuilder(f"quarantine.{spec.name}", LINEAGE, f"Rejected rows of raw {spec.name}, with reasons.")
    s.columns([c.name for c in _staged_columns(spec)] + _identity_columns(spec) + LINEAGE + ["reason"])
    for name in LINEAGE + ["reason"]:
        s.not_null(name)
    s.add("expect_table_row_count_to_equal", "no_rows_quarantined", WARNING, value=0)
    return s.to_json()


def organisation_names_suite() -> dict:
    s = SuiteBuilder("staging.organisation_names", ["name"], "Every organisation name seen, normalised.")
    s.columns(["name", "name_normalised"])
    s.type_of("name", "VARCHAR")
    s.type_of("name_normalised", "VARCHAR")
    s.not_null("name")
    s.not_null("name_normalised")
    s.unique(["name"])
    s.volume()
    return s.to_json()


def ingest_report_suite() -> dict:
    """meta.ingest_report: the reconciliation of every raw table (rows read = staged + quarantined)."""
    s = SuiteBuilder("meta.ingest_report", ["table_name"], "Rows read, staged and quarantined per raw table.")
    s.columns(
        [
            "table_name",
            "files",
            "rows_read",
            "rows_staged",
            "rows_quarantined",
            "columns_dropped",
            "files_not_read",
        ]
    )
    s.not_null("table_name")
    s.in_set("table_name", TABLE_NAMES)
    # Not errors (the run reads what it can), but data a maintainer must know was not taken in.
    s.no_rows(
        "every_file_read",
        "every file of every table folder was read (meta.raw_not_read lists the others, and why)",
        "select t.* from {batch} t where t.files_not_read > 0",
        WARNING,
    )
    s.no_rows(
        "no_column_dropped",
        "no column of a table about people was dropped for being outside the contract and its allow-list",
        "select t.* from {batch} t where len(t.columns_dropped) > 0",
        WARNING,
    )
    s.unique(["table_name"])
    s.add("expect_table_row_count_to_equal", "every_table_reported", value=len(TABLE_NAMES))
    s.no_rows(
        "reconciled:read=staged+quarantined",
        "rows read = rows staged + rows quarantined",
        "select t.* from {batch} t where t.rows_read is distinct from t.rows_staged + t.rows_quarantined",
    )
    for name in TABLE_NAMES:
        s.no_rows(
            f"reconciled:{name}",
            f"the report's staged and quarantined counts of {name} are the rows in its tables",
            f"select t.* from {{batch}} t where t.table_name = '{name}' and ("
            f"t.rows_staged <> (select count(*) from staging.{name}) or "
            f"t.rows_quarantined <> (select count(*) from quarantine.{name}))",
        )
    return s.to_json()


# --- marts -------------------------------------------------------------------------------------------------


@dataclass
class MartSpec:
    """What the KPI contract says of a published mart besides its KPI columns (from the catalogue)."""

    name: str
    key: list[str]
    columns: dict[str, str]  # column -> type family, besides the catalogue's KPI columns
    description: str
    value_sets: dict[str, tuple] = field(default_factory=dict)
    ranges: dict[str, tuple] = field(default_factory=dict)  # column -> (min, max); None = unbounded
    not_null: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str, bool]] = field(default_factory=list)  # a >= b (or >)
    references: list[tuple[list[str], str, list[str]]] = field(default_factory=list)
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # (check, description, query)
    years: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    catalogue_mart: str | None = None  # whose KPI columns the mart carries
    expect_rows: bool = True  # an empty table is a warning (not for lists that are empty when all is well)


def _unit_rule(unit: str) -> tuple[str, tuple | None]:
    """The type family and range a KPI's unit implies (share in [0, 1], `index a-b` in [a, b], count >= 0)."""
    match = re.fullmatch(r"index (\d+)-(\d+)", unit)
    if match:
        return "float", (int(match.group(1)), int(match.group(2)))
    if unit == "share":
        return "float", (0, 1)
    if unit == "flag":
        return "boolean", None
    if unit == "days" or "fractional" in unit:
        return "float", (0, None)
    return "integer", (0, None)


SG = {"text"}
_SG_REF = (["sg"], "staging.study_groups", ["sg"])
KPI_STATUSES = ("on track", "watch", "off track", "insufficient data")
COVERAGE_DOMAINS = tuple(DOMAIN_TABLES)
COVERAGE_STATES = ("full", "partial", "none")
KPI_DIRECTIONS = ("higher is better", "lower is better")
RISK_LEVELS = ("low", "medium", "high")
QUARANTINE_REASON_KINDS = (
    "missing required value",
    "duplicate key",
    "not a date",
    "implausible date",
    "value outside its set",
    "unknown reference",
    "ends before it starts",
    "bad format",
    "other rule",
)


# Pairs of sg_year_kpis columns (and of the marts with the same columns): a >= b wherever both are known.
KPI_PAIRS = [("attendance_records", "participants", True), ("contributing_entities", "elephant_factor", True)]


def mart_specs(catalogue, framework) -> list[MartSpec]:
    """The published marts of the KPI contract (docs: /shared/contracts/kpis.md)."""
    kpi_ids = [k.id for k in catalogue.kpis]
    components = list(framework.relevance.components) if framework.relevance else []
    share = (0, 1)
    specs = [
        MartSpec(
            "sg_year_kpis",
            ["sg", "year"],
            {"sg": "text", "year": "integer"},
            "One row per SG and year with any activity.",
            not_null=["sg", "year"],
            pairs=KPI_PAIRS,
            references=[_SG_REF],
            years=["year"],
            catalogue_mart="sg_year_kpis",
        ),
        MartSpec(
            "sector_year_kpis",
            ["year"],
            {"year": "integer"},
            "One row per year for the whole sector.",
            not_null=["year"],
            pairs=KPI_PAIRS,
            years=["year"],
            catalogue_mart="sector_year_kpis",
        ),
        MartSpec(
            "membership_year",
            ["year", "category"],
            {"year": "integer", "category": "text"},
            "Members per year and category.",
            value_sets={"category": MEMBER_CATEGORIES},
            not_null=["year", "category"],
            years=["year"],
            catalogue_mart="membership_year",
        ),
        MartSpec(
            "region_year",
            ["itu_region", "year"],
            {"itu_region": "text", "year": "integer"},
            "Participation, contributions and members per ITU region and year.",
            value_sets={"itu_region": ITU_REGIONS},
            not_null=["itu_region", "year"],
            years=["year"],
            catalogue_mart="region_year",
        ),
        MartSpec(
            "kpi_vs_target",
            ["sg", "year", "kpi"],
            {
                "sg": "text",
                "year": "integer",
                "kpi": "text",
                "value": "float",
                "target": "float",
                "direction": "text",
                "status": "text",
                "n": "float",
                "partial": "boolean",
                "basis_share": "float",
            },
            "Each SG's KPIs against the results framework's targets.",
            value_sets={"kpi": kpi_ids, "direction": KPI_DIRECTIONS, "status": KPI_STATUSES},
            not_null=["sg", "year", "kpi", "target", "direction"],
            references=[(["sg", "year"], "marts.sg_year_kpis", ["sg", "year"])],
            rules=[_NO_STATUS_IN_A_PARTIAL_YEAR],
            years=["year"],
        ),
        MartSpec(
            "sector_kpi_vs_target",
            ["year", "kpi"],
            {
                "year": "integer",
                "kpi": "text",
                "value": "float",
                "target": "float",
                "direction": "text",
                "status": "text",
                "n": "float",
                "partial": "boolean",
                "basis_share": "float",
            },
            "The sector's KPIs against the results framework's targets.",
            value_sets={"kpi": kpi_ids, "direction": KPI_DIRECTIONS, "status": KPI_STATUSES},
            not_null=["year", "kpi", "target", "direction"],
            rules=[_NO_STATUS_IN_A_PARTIAL_YEAR],
            years=["year"],
        ),
        MartSpec(
            "results_framework",
            ["id"],
            {
                "position": "integer",
                "level": "text",
                "id": "text",
                "parent": "text",
                "name": "text",
                "kpi": "text",
                "direction": "text",
                "baseline_year": "integer",
                "baseline": "float",
                "target": "float",
                "target_year": "integer",
                "scope": "text",
                "draft": "boolean",
                "note": "text",
                "framework_version": "text",
            },
            "The results framework's tree with each KPI's baseline, target and target year.",
            value_sets={
                "level": FRAMEWORK_LEVELS,
                "kpi": kpi_ids,
                "direction": (*KPI_DIRECTIONS, "neutral"),
                "scope": ("all", "sector", "region"),
            },
            ranges={"position": (1, None)},
            not_null=["position", "level", "id", "name", "framework_version"],
            pairs=[("target_year", "baseline_year", False)],
            rules=[_KPI_NODES_NAME_A_KPI],
            years=["baseline_year", "target_year"],
        ),
        MartSpec(
            "region_kpi_vs_target",
            ["itu_region", "year", "kpi"],
            {
                "itu_region": "text",
                "year": "integer",
                "kpi": "text",
                "value": "float",
                "target": "float",
                "direction": "text",
                "status": "text",
                "n": "float",
                "partial": "boolean",
            },
            "Each ITU region's KPIs against the results framework's regional targets.",
            value_sets={
                "itu_region": ITU_REGIONS,
                "kpi": kpi_ids,
                "direction": KPI_DIRECTIONS,
                "status": KPI_STATUSES,
            },
            not_null=["itu_region", "year", "kpi", "target", "direction"],
            references=[(["itu_region", "year"], "marts.region_year", ["itu_region", "year"])],
            rules=[_NO_STATUS_IN_A_PARTIAL_YEAR],
            years=["year"],
        ),
        MartSpec(
            "enabler_year",
            ["year", "enabler", "indicator"],
            {
                "year": "integer",
                "enabler": "text",
                "indicator": "text",
                "value": "float",
                "n": "float",
                "partial": "boolean",
            },
            "The key enablers measured from the data, per year.",
            value_sets={"indicator": kpi_ids},
            not_null=["year", "enabler", "indicator", "partial"],
            ranges={"value": (0, None), "n": (0, None)},
            years=["year"],
        ),
        MartSpec(
            "strategic_review",
            ["item", "sg", "kpi_or_risk"],
            {
                "item": "text",
                "sg": "text",
                "kpi_or_risk": "text",
                "before": "text",
                "after": "text",
                "change": "text",
                "detail": "text",
                "before_year": "integer",
                "after_year": "integer",
            },
            "What changed between the latest full year and the year before.",
            value_sets={"item": _review_items()},
            not_null=["item", "sg", "change", "before_year", "after_year"],
            pairs=[("after_year", "before_year", False)],
            years=["before_year", "after_year"],
            expect_rows=False,
        ),
        MartSpec(
            "unresolved_organisations",
            ["name"],
            {
                "name": "text",
                "occurrences": "integer",
                "first_seen": "date",
                "last_seen": "date",
                "tables": "text",
            },
            "Organisation names that resolve to no member.",
            value_sets={"tables": ("attendance", "contributions", "attendance, contributions")},
            ranges={"occurrences": (1, None)},
            not_null=["name", "occurrences"],
            pairs=[("last_seen", "first_seen", True)],
            dates=["first_seen", "last_seen"],
            expect_rows=False,
        ),
        MartSpec(
            "question_activity",
            ["question", "study_period", "year"],
            {"question": "text", "sg": "text", "study_period": "text", "year": "integer"},
            "Contributions per Question and year, and inactivity candidates.",
            value_sets={"study_period": STUDY_PERIODS},
            not_null=["question", "sg", "study_period", "year"],
            references=[(["question", "study_period"], "staging.questions", ["question", "study_period"])],
            years=["year"],
            catalogue_mart="question_activity",
        ),
        MartSpec(
            "quarantine_summary",
            ["table_name", "reason_kind", "column_name"],
            {
                "table_name": "text",
                "reason_kind": "text",
                "column_name": "text",
                "row_count": "integer",
                "share_of_rows_read": "float",
                "example_reason": "text",
                "example_ref": "text",
            },
            "Quarantined rows per raw table and kind of reason, with an example.",
            value_sets={"table_name": TABLE_NAMES, "reason_kind": QUARANTINE_REASON_KINDS},
            ranges={"row_count": (1, None), "share_of_rows_read": share},
            not_null=["table_name", "reason_kind", "row_count", "example_reason", "example_ref"],
            rules=[
                (
                    "reconciled:quarantine",
                    "the rows per table add up to the table's quarantined rows",
                    "select t.* from {batch} t join (select table_name, sum(row_count) as total from {batch} "
                    "group by table_name) s using (table_name) where s.total <> "
                    "(select r.rows_quarantined from meta.ingest_report r where r.table_name = t.table_name)",
                )
            ],
            expect_rows=False,
        ),
        MartSpec(
            "sg_relevance",
            ["sg", "as_of_year"],
            {
                "sg": "text",
                "as_of_year": "integer",
                "relevance_index": "float",
                "rank": "integer",
                "rank_low": "integer",
                "rank_high": "integer",
                "trend": "float",
                **{f"{c}_score": "float" for c in components},
            },
            "Relevance index per SG and year, with its rank interval.",
            ranges={
                "relevance_index": (0, 100),
                "rank": (1, None),
                "rank_low": (1, None),
                "rank_high": (1, None),
                **{f"{c}_score": (0, 100) for c in components},
            },
            not_null=["sg", "as_of_year", "relevance_index", "rank"],
            pairs=[("rank", "rank_low", True), ("rank_high", "rank", True)],
            references=[_SG_REF],
            years=["as_of_year"],
        ),
        MartSpec(
            "sg_overlap",
            ["sg_a", "sg_b"],
            {
                "sg_a": "text",
                "sg_b": "text",
                "text_similarity": "float",
                "entity_overlap": "float",
                "combined": "float",
            },
            "Topic and contributor overlap per pair of SGs.",
            ranges={"text_similarity": share, "entity_overlap": share, "combined": share},
            not_null=["sg_a", "sg_b"],
            pairs=[("sg_b", "sg_a", False)],
            references=[
                (["sg_a"], "staging.study_groups", ["sg"]),
                (["sg_b"], "staging.study_groups", ["sg"]),
            ],
        ),
        MartSpec(
            "sg_risks",
            ["sg", "risk_id"],
            {
                "sg": "text",
                "risk_id": "text",
                "risk": "text",
                "indicator": "text",
                "value": "float",
                "threshold": "float",
                "level": "text",
                "n": "float",
                "insufficient_data": "boolean",
            },
            "Risk register: one row per SG and risk.",
            value_sets={"level": RISK_LEVELS, "risk_id": tuple(framework.risk_appetite)},
            not_null=["sg", "risk_id"],
            references=[_SG_REF],
            rules=[
                (
                    "rule:level known when value known",
                    "a risk whose indicator has a value has a level",
                    "select t.* from {batch} t where t.level is null and t.value is not null "
                    "and not coalesce(t.insufficient_data, false)",
                ),
                _NO_LEVEL_FROM_INSUFFICIENT_DATA,
            ],
        ),
        MartSpec(
            "sg_risks_history",
            ["sg", "risk_id", "as_of_year"],
            {
                "sg": "text",
                "risk_id": "text",
                "level": "text",
                "as_of_year": "integer",
                "n": "float",
                "insufficient_data": "boolean",
            },
            "The risk register of every assessed year.",
            value_sets={"level": RISK_LEVELS, "risk_id": tuple(framework.risk_appetite)},
            not_null=["sg", "risk_id", "as_of_year"],
            references=[_SG_REF],
            rules=[_NO_LEVEL_FROM_INSUFFICIENT_DATA],
            years=["as_of_year"],
        ),
        MartSpec(
            "coverage",
            ["domain"],
            {
                "domain": "text",
                "first_date": "date",
                "last_date": "date",
                "source_label": "text",
                "source": "text",
                "basis": "text",
            },
            "The dates each data domain covers, real or synthetic, and its source.",
            value_sets={
                "domain": COVERAGE_DOMAINS,
                "source_label": ("real", "synthetic"),
                "basis": ("declared", "rows"),
            },
            not_null=["domain", "source_label", "basis"],
            pairs=[("last_date", "first_date", True)],
            dates=["first_date", "last_date"],
        ),
        MartSpec(
            "year_coverage",
            ["year", "domain"],
            {
                "year": "integer",
                "domain": "text",
                "covered_days": "integer",
                "days_in_year": "integer",
                "coverage": "text",
                "partial": "boolean",
            },
            "Covered days per year and data domain, and whether the year is partial.",
            value_sets={"domain": COVERAGE_DOMAINS, "coverage": COVERAGE_STATES},
            ranges={"covered_days": (0, 366), "days_in_year": (365, 366)},
            not_null=["year", "domain", "covered_days", "coverage", "partial"],
            pairs=[("days_in_year", "covered_days", True)],
            rules=[
                (
                    "rule:partial means more than 31 days missing",
                    "partial is true exactly when the year misses more than 31 days",
                    "select t.* from {batch} t where t.partial <> (t.days_in_year - t.covered_days > 31)",
                )
            ],
            years=["year"],
        ),
        MartSpec(
            "sg_lineage",
            ["sg", "predecessor"],
            {"sg": "text", "predecessor": "text", "effective_date": "date", "predecessor_until": "date"},
            "Each study group and the predecessors whose work it took over.",
            not_null=["sg", "predecessor", "effective_date"],
            pairs=[("effective_date", "predecessor_until", False)],
            dates=["effective_date"],
            expect_rows=False,
        ),
        MartSpec(
            "sg_year_kpis_lineage",
            ["sg", "year"],
            {"sg": "text", "year": "integer", "via": "text"},
            "sg_year_kpis with a successor's earlier years from its predecessors' facts.",
            not_null=["sg", "year"],
            pairs=KPI_PAIRS,
            references=[_SG_REF],
            years=["year"],
            catalogue_mart="sg_year_kpis",
        ),
        # The landscape (optional: empty when the raw directory has no peer_publications).
        MartSpec(
            "peer_coverage",
            ["sdo"],
            {
                "sdo": "text",
                "first_date": "date",
                "last_date": "date",
                "source": "text",
                "source_commit": "text",
                "publications": "integer",
                "documents": "integer",
                "committees": "integer",
            },
            "Per peer body: the dates its records cover, their source and commit.",
            value_sets={"sdo": PEER_BODIES},
            ranges={"publications": (1, None), "documents": (1, None), "committees": (1, None)},
            not_null=["sdo", "first_date", "last_date", "source", "source_commit"],
            pairs=[("last_date", "first_date", True), ("publications", "documents", True)],
            dates=["first_date", "last_date"],
            expect_rows=False,
        ),
        MartSpec(
            "peer_committee_year",
            ["sdo", "committee", "year"],
            {
                "sdo": "text",
                "committee": "text",
                "year": "integer",
                "publications": "integer",
                "documents": "integer",
                "partial": "boolean",
            },
            "Publications and documents per peer committee and year.",
            value_sets={"sdo": PEER_BODIES},
            ranges={"publications": (1, None), "documents": (1, None)},
            not_null=["sdo", "committee", "year", "publications", "documents", "partial"],
            pairs=[("publications", "documents", True)],
            references=[(["sdo"], "marts.peer_coverage", ["sdo"])],
            years=["year"],
            expect_rows=False,
        ),
        MartSpec(
            "sg_landscape",
            ["sg", "sdo", "committee"],
            {
                "sg": "text",
                "as_of_year": "integer",
                "sdo": "text",
                "committee": "text",
                "similarity": "float",
                "rank": "integer",
                "committee_trend": "float",
                "sg_trend": "float",
                "specificity": "float",
                "stability": "float",
                "documents": "integer",
                "publications": "integer",
                "sg_texts": "integer",
            },
            "Per SG, the peer committees working in its field and their output trends.",
            value_sets={"sdo": PEER_BODIES},
            ranges={
                "similarity": share,
                "rank": (1, None),
                "stability": share,
                "documents": (1, None),
                "publications": (0, None),
                "sg_texts": (0, None),
            },
            not_null=["sg", "as_of_year", "sdo", "committee", "similarity", "rank", "specificity"],
            references=[_SG_REF, (["sdo", "committee"], "marts.peer_committee_year", ["sdo", "committee"])],
            rules=[
                (
                    "unique:sg,rank",
                    "one committee per rank of an SG",
                    "select t.* from {batch} t join (select sg, rank from {batch} group by all "
                    "having count(*) > 1) d using (sg, rank)",
                )
            ],
            years=["as_of_year"],
            expect_rows=False,
        ),
    ]
    from pipelines.quality.optional_marts import optional_mart_specs

    return specs + optional_mart_specs()


def _review_items() -> tuple[str, ...]:
    from pipelines.analytics.review import ITEMS

    return ITEMS


FRAMEWORK_LEVELS = (
    "vision",
    "mission",
    "itu_goal",
    "goal",
    "outcome",
    "output",
    "enabler",
    "regional",
    "kpi",
)
_KPI_NODES_NAME_A_KPI = (
    "rule:kpi nodes name a kpi",
    "a kpi node names its KPI and its baseline year, and no other node does",
    "select t.* from {batch} t where (t.level = 'kpi') <> (t.kpi is not null and t.baseline_year is not null)",
)
_NO_STATUS_IN_A_PARTIAL_YEAR = (
    "rule:no status in a partial year",
    "a value of a partial year has no status",
    "select t.* from {batch} t where t.partial and t.status is not null",
)
_NO_LEVEL_FROM_INSUFFICIENT_DATA = (
    "rule:no level from insufficient data",
    "an indicator resting on too few records raises no risk",
    "select t.* from {batch} t where t.insufficient_data and t.level is not null",
)


def mart_suite(spec: MartSpec, catalogue) -> dict:
    s = SuiteBuilder(f"marts.{spec.name}", spec.key, spec.description)
    columns = dict(spec.columns)
    ranges = dict(spec.ranges)
    if spec.catalogue_mart:
        for kpi in catalogue.kpis:
            if spec.catalogue_mart in kpi.marts:
                family, bounds = _unit_rule(kpi.unit)
                columns.setdefault(kpi.column_name, family)
                if bounds:
                    ranges.setdefault(kpi.column_name, bounds)
    s.columns(list(columns))
    for name, family in columns.items():
        s.type_in(name, family)
    for name in spec.not_null:
        s.not_null(name)
    for name, values in spec.value_sets.items():
        s.in_set(name, values)
    s.unique(spec.key)
    for name, (low, high) in ranges.items():
        s.between(name, low, high)
    for a, b, or_equal in spec.pairs:
        s.pair_at_least(a, b, or_equal)
    for columns_, table, ref in spec.references:
        s.references(columns_, table, ref)
    for check, description, query in spec.rules:
        s.no_rows(check, description, query)
    for name in spec.years:
        s.plausible_years(name)
    for name in spec.dates:
        s.plausible_dates(name)
    if spec.expect_rows:
        s.not_empty()
    s.volume()
    return s.to_json()


def all_suites() -> list[dict]:
    """Every suite, in a stable order: staging, quarantine, meta, marts."""
    from pipelines.analytics.targets import load_framework
    from pipelines.catalogue import catalogue

    cat = catalogue()
    framework = load_framework()
    return [
        *(staging_suite(t) for t in TABLES),
        organisation_names_suite(),
        *(quarantine_suite(t) for t in TABLES),
        ingest_report_suite(),
        *(mart_suite(m, cat) for m in mart_specs(cat, framework)),
    ]
