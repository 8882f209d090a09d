"""No check that cannot fail: every expectation of every suite holds on a clean warehouse and fails once the
table is broken in the way it guards against (one break per expectation, rolled back after)."""

from __future__ import annotations

import re

import duckdb
import pytest
from quality_helpers import CLEAN_OVERRIDES
from small_raw import write_small_raw
from testkit import build_warehouse

from pipelines.quality.engine import SuiteRunner
from pipelines.quality.settings import quality_settings, suite_parameters
from pipelines.quality.suites import suites

CASES = [(name, e) for name, suite in suites().items() for e in suite["expectations"]]
DUMMY = {
    "VARCHAR": "'x'",
    "BIGINT": "1",
    "INTEGER": "1",
    "DOUBLE": "0.5",
    "FLOAT": "0.5",
    "DATE": "date '2020-01-01'",
    "BOOLEAN": "true",
    "VARCHAR[]": "['x']",
    "TIMESTAMP": "timestamp '2020-01-01'",
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    conn = build_warehouse(write_small_raw(tmp_path_factory.mktemp("clean") / "raw", CLEAN_OVERRIDES))
    yield conn
    conn.close()


class Table:
    """The table under test, and the few ways of breaking it."""

    def __init__(self, conn, suite_name: str):
        self.conn = conn
        schema, _, table = suite_name.partition(".")
        self.rel = f'{schema}."{table}"'
        self.types = dict(
            conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() "
                "and table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchall()
        )

    def sql(self, statement: str) -> None:
        self.conn.execute(statement.replace("{t}", self.rel))

    def first(self) -> str:
        """Make sure there is a row (empty tables get a made-up one); the condition selecting the first."""
        if not self.conn.execute(f"select count(*) from {self.rel}").fetchall()[0][0]:
            values = ", ".join(DUMMY.get(t, "null") for t in self.types.values())
            self.sql(f"insert into {{t}} values ({values})")
        return f"rowid = (select min(rowid) from {self.rel})"

    def set(self, assignments: str) -> None:
        self.sql(f"update {{t}} set {assignments} where {self.first()}")

    def other_value(self, column: str) -> str:
        return "'__no_such_value__'" if self.types[column] == "VARCHAR" else "-1"


def break_table(table: Table, e: dict) -> dict:
    """Break what the expectation guards; return the run's parameters (the volume check needs a baseline)."""
    kw, check = e["kwargs"], e["meta"]["check"]
    parameters = suite_parameters(None, quality_settings())
    kind = e["type"]
    if kind == "expect_table_columns_to_match_set":
        table.sql(f'alter table {{t}} drop column "{kw["column_set"][0]}"')
    elif kind in ("expect_column_values_to_be_of_type", "expect_column_values_to_be_in_type_list"):
        c = kw["column"]
        changed = f'encode("{c}")' if table.types[c] == "VARCHAR" else f'cast("{c}" as varchar)'
        table.sql(f'create or replace table {{t}} as select * replace ({changed} as "{c}") from {{t}}')
    elif kind == "expect_column_values_to_not_be_null":
        table.set(f'"{kw["column"]}" = null')
    elif kind == "expect_column_values_to_be_in_set":
        table.set(f"\"{kw['column']}\" = '__not_in_the_set__'")
    elif kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        table.sql(f"insert into {{t}} select * from {{t}} where {table.first()}")
    elif kind == "expect_column_values_to_be_between":
        c = kw["column"]
        bounds = {k: parameters[v["$PARAMETER"]] if isinstance(v, dict) else v for k, v in kw.items()}
        if bounds.get("min_value") is not None:
            table.set(f"\"{c}\" = cast('{bounds['min_value']}' as {table.types[c]}) - 1")
        else:
            table.set(f"\"{c}\" = cast('{bounds['max_value']}' as {table.types[c]}) + 1")
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = kw["column_A"], kw["column_B"]
        if table.types[a] == "VARCHAR":
            table.set(f'"{b}" = coalesce("{b}", \'x\'), "{a}" = \'\'')
        else:
            table.set(
                f'"{b}" = coalesce("{b}", {DUMMY[table.types[b]]}), "{a}" = coalesce("{b}", '
                f"{DUMMY[table.types[b]]}) - 1"
            )
    elif kind == "expect_table_row_count_to_equal":
        if kw["value"] == 0:
            table.first()
        else:
            table.sql(f"delete from {{t}} where {table.first()}")
    elif kind == "expect_table_row_count_to_be_between" and check == "not_empty":
        table.sql("delete from {t}")
    elif kind == "expect_table_row_count_to_be_between" and check == "volume":
        rows = table.conn.execute(f"select count(*) from {table.rel}").fetchall()[0][0]
        parameters = suite_parameters(rows * 10 + 100, quality_settings())  # the last good run had 10x more
    elif kind == "unexpected_rows_expectation":
        break_rule(table, check)
    else:
        raise AssertionError(f"no way to break {kind} ({check}): add one, or the check is untested")
    return parameters


RULE_BREAKS = {
    "rule:iso3_format": "iso3 = 'ch'",
    "rule:sg_format": "sg = 'Group 17'",
    "rule:associate_in_one_sg": "category = 'Associate', sgs = ['SG17', 'SG21']",
    "rule:sgs_known": "sgs = ['SG99']",
    "rule:level known when value known": "level = null, value = 1, insufficient_data = false",
    "rule:no level from insufficient data": "level = 'high', insufficient_data = true",
    "rule:no status in a partial year": "partial = true, status = 'on track'",
    "rule:partial means more than 31 days missing": "partial = not partial",
    "rule:kpi nodes name a kpi": "level = 'kpi', kpi = null",
    # A row dated before its SG existed: SG21's first day is 2024-10-25 (config/study_groups.yaml).
    "rule:sg existed on start_date": "sg = 'SG21', start_date = date '2020-01-01'",
    "rule:sg existed on submitted_on": "sg = 'SG21', submitted_on = date '2020-01-01'",
    "rule:sg existed on approved_on": "sg = 'SG21', approved_on = date '2020-01-01'",
    # The consultation (optional: empty tables here, so a made-up first row is broken).
    "rule:respondent_id_opaque": "respondent_id = 'R <e-mail>'",
    "rule:likert_1_to_5": "question_id = 'REL1', likert = 7, free_text = null",
    "rule:answer_fits_question": "question_id = 'REL1', likert = null, free_text = 'x'",
    "rule:sg_fits_question": "question_id = 'VAL1', sg = 'SG17'",
    "rule:small n suppressed": "responses = 1, suppressed = false, mean = 3",
    "reconciled:read=staged+quarantined": "rows_read = rows_read + 1",
    "every_file_read": "files_not_read = 1",
    "no_column_dropped": "columns_dropped = ['contact_email']",
}


def break_rule(table: Table, check: str) -> None:
    if check.startswith("fk:"):
        columns = check[3:].split("->")[0].split(",")
        table.set(", ".join(f'"{c}" = {table.other_value(c)}' for c in columns))
    elif match := re.fullmatch(r"rule:(\w+?)_not_before_(\w+)", check):  # an end before its start
        table.set(f"{match.group(1)} = {match.group(2)} - 1")
    elif check in RULE_BREAKS:
        table.set(RULE_BREAKS[check])
    elif check.startswith("reconciled:") and check != "reconciled:quarantine":
        table.sql(
            f"update {{t}} set rows_staged = rows_staged + 1 where table_name = '{check.split(':')[1]}'"
        )
    elif check == "reconciled:quarantine":
        table.sql(
            "insert into {t} values ('attendance', 'duplicate key', null, 1, 0.1, 'duplicate key', 'a.csv:2')"
        )
    elif check == "unique:sg,rank":  # a second committee at the first row's rank of its SG
        where = table.first()
        table.sql(f"insert into {{t}} select * replace ('__another__' as committee) from {{t}} where {where}")
    else:
        raise AssertionError(f"no way to break the rule {check}: add one, or the check is untested")


@pytest.mark.parametrize(
    ("suite_name", "expectation"), CASES, ids=[f"{n}:{e['meta']['check']}" for n, e in CASES]
)
def test_expectation_holds_on_clean_data_and_fails_on_broken_data(clean, suite_name, expectation):
    suite = suites()[suite_name]
    before = SuiteRunner(clean, suite, suite_parameters(None, quality_settings())).run_one(expectation)
    assert before.success and before.error is None, before
    clean.execute("begin")
    try:
        parameters = break_table(Table(clean, suite_name), expectation)
        after = SuiteRunner(clean, suite, parameters).run_one(expectation)
    finally:
        clean.execute("rollback")
    assert not after.success, f"still passes after breaking it: {after}"
    assert after.error is None, f"fails for the wrong reason: {after.error}"


def test_there_are_suites_for_every_staging_table_and_published_mart():
    names = set(suites())
    from pipelines.ingest.tables import TABLE_NAMES

    assert {f"staging.{t}" for t in TABLE_NAMES} | {"staging.organisation_names"} <= names
    assert {f"quarantine.{t}" for t in TABLE_NAMES} | {"meta.ingest_report"} <= names
    marts = {
        "sg_year_kpis",
        "sector_year_kpis",
        "membership_year",
        "region_year",
        "kpi_vs_target",
        "results_framework",
        "region_kpi_vs_target",
        "strategic_review",
        "enabler_year",
        "event_year",
        "consultation_sg_year",
        "unresolved_organisations",
        "question_activity",
        "quarantine_summary",
        "sg_relevance",
        "sg_overlap",
        "sg_risks",
    }
    assert {f"marts.{m}" for m in marts} <= names
    assert len(CASES) > 500
