"""The GX project: suites derived from the contract, committed up to date, loadable by GX's file context;
and the run-time pieces around them (volume anomalies, row references, recorded outcomes)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.ingest.tables import TABLES
from pipelines.quality.results import (
    SuiteResult,
    blocking_failure_line,
    previous_row_counts,
    validate_tables,
)
from pipelines.quality.settings import QualitySettings, suite_parameters, volume_bounds
from pipelines.quality.suites import EXPECTATIONS_DIR, suites


def _checks(name: str) -> dict[str, dict]:
    return {e["meta"]["check"]: e for e in suites()[name]["expectations"]}


def test_the_committed_suites_are_what_the_contract_generates():
    from pipelines.quality.build_suites import build_suites

    assert build_suites(check=True) == [], (
        "run `python -m pipelines.quality.build_suites` and review the diff"
    )


def test_gx_file_context_loads_every_suite():
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=str(EXPECTATIONS_DIR))
    for name, suite in suites().items():
        loaded = context.suites.get(name)
        assert len(loaded.expectations) == len(suite["expectations"])
        assert {e.severity.value for e in loaded.expectations} <= {"critical", "warning"}


@pytest.mark.parametrize("spec", TABLES, ids=[t.name for t in TABLES])
def test_staging_suites_say_what_the_ingest_contract_says(spec):
    checks = _checks(f"staging.{spec.name}")
    for column in spec.columns:
        if column.personal:
            assert not any(column.name in c for c in checks), f"{column.name} is personal: never staged"
            continue
        assert f"type:{column.name}" in checks
        assert (f"not_null:{column.name}" in checks) == column.required
        if column.values:
            assert checks[f"in_set:{column.name}"]["kwargs"]["value_set"] == list(column.values)
        if column.kind == "date":
            assert checks[f"plausible:{column.name}"]["severity"] == "warning"
    assert f"unique:{','.join(spec.key)}" in checks
    for fk in spec.foreign_keys:
        assert f"fk:{','.join(fk.columns)}->staging.{fk.table}" in checks
    dated = spec.sg_existed is not None and not spec.sg_existed.successor_carries
    assert len([c for c in checks if c.startswith("rule:")]) == len(spec.row_checks) + dated
    if dated:
        assert f"rule:sg existed on {spec.sg_existed.date}" in checks
    assert checks["volume"]["severity"] == "warning"


def test_mart_kpi_ranges_come_from_the_catalogue_units():
    checks = _checks("marts.sg_year_kpis")
    assert checks["range:remote_share"]["kwargs"] == {
        "column": "remote_share",
        "min_value": 0,
        "max_value": 1,
    }
    assert checks["range:hhi"]["kwargs"] == {"column": "hhi", "min_value": 0, "max_value": 10000}
    assert checks["range:meetings"]["kwargs"] == {"column": "meetings", "min_value": 0}
    assert checks["unique:sg,year"]["severity"] == "critical"


@pytest.mark.parametrize(
    ("previous", "low", "high"), [(None, None, None), (300, 100, 900), (5, 0, 19), (20, 7, 60)]
)
def test_volume_bounds(previous, low, high):
    assert volume_bounds(previous, QualitySettings(volume_change_factor=3, volume_min_rows=20)) == (low, high)


def _meetings_db(rows: int) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema staging; create schema meta")
    conn.execute(
        f"create table staging.study_groups as select 'SG' || i as sg, 'f.csv' as source_file, "
        f"i::bigint as source_row from range({rows}) t(i)"
    )
    return conn


def test_a_volume_change_beyond_the_factor_is_a_warning_with_the_last_good_count(tmp_path):
    suite = {
        "name": "staging.study_groups",
        "meta": {"ref_columns": ["source_file", "source_row"]},
        "expectations": [
            e
            for e in suites()["staging.study_groups"]["expectations"]
            if e["meta"]["check"] in ("volume", "unique:sg,study_period")
        ],
    }
    settings = QualitySettings(volume_change_factor=3, volume_min_rows=20)
    conn = _meetings_db(100)
    first = validate_tables(conn, [suite], "run-1", {}, settings)[0]
    assert all(o.success for o in first.outcomes if o.check == "volume")  # nothing to compare with yet
    assert conn.execute("select table_name, row_count, run_id from meta.row_counts").fetchall() == [
        ("staging.study_groups", 100, "run-1")
    ]
    published = tmp_path / "wh.duckdb"
    conn.execute(f"attach '{published}' as wh")
    conn.execute("create schema wh.meta; create table wh.meta.row_counts as select * from meta.row_counts")
    conn.execute("detach wh")
    assert previous_row_counts(published) == {"staging.study_groups": 100}
    assert previous_row_counts(tmp_path / "missing.duckdb") == {}

    shrunk = validate_tables(_meetings_db(30), [suite], "run-2", previous_row_counts(published), settings)[0]
    (volume,) = [o for o in shrunk.outcomes if o.check == "volume"]
    assert not volume.success and volume.severity == "warning"
    assert volume.observed == 30 and volume.kwargs == {"min_value": 34, "max_value": 300}
    grown = validate_tables(_meetings_db(250), [suite], "run-3", {"staging.study_groups": 100}, settings)[0]
    assert all(o.success for o in grown.outcomes if o.check == "volume")


def test_outcomes_name_rows_by_source_file_and_row_and_are_recorded():
    conn = _meetings_db(3)
    conn.execute("insert into staging.study_groups values ('SG1', 'b.csv', 7), ('SG1', 'a.csv', 9)")
    suite = {
        "name": "staging.study_groups",
        "meta": {"ref_columns": ["source_file", "source_row"]},
        "expectations": [
            {
                "type": "expect_column_values_to_be_unique",
                "kwargs": {"column": "sg"},
                "meta": {"check": "unique:sg"},
                "severity": "critical",
            }
        ],
    }
    (result,) = validate_tables(conn, [suite], "run-7", {}, QualitySettings(), dt.date(2026, 1, 1))
    (outcome,) = result.outcomes
    assert outcome.failed_rows == 3 and outcome.sample_refs == ["a.csv:9", "b.csv:7", "f.csv:1"]
    assert conn.execute(
        "select run_id, asset, check_name, severity, passed, failed_rows, sample_refs, dagster_check "
        "from meta.check_results"
    ).fetchall() == [
        (
            "run-7",
            "staging.study_groups",
            "unique:sg",
            "error",
            False,
            3,
            ["a.csv:9", "b.csv:7", "f.csv:1"],
            "unique",
        )
    ]
    assert blocking_failure_line([result]) == (
        "blocking check staging.study_groups:unique failed: unique:sg (sg is unique): "
        "3 rows (a.csv:9, b.csv:7, f.csv:1)"
    )
    assert blocking_failure_line([SuiteResult("x.y", "r", "t", {}, [])]) is None


def test_dates_are_plausible_until_a_few_years_ahead():
    parameters = suite_parameters(None, QualitySettings(plausible_years_ahead=5), dt.date(2026, 11, 28))
    assert parameters["latest_plausible_date"] == "2031-12-31" and parameters["latest_plausible_year"] == 2031
