"""Real runs of the refresh job: a warning is recorded, alerted and published; a blocking failure stops the
downstream assets, leaves the published warehouse byte for byte as it was, and `sgpulse refresh` names
the check."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from quality_helpers import WARNING_OVERRIDES, SmtpServer, WebhookServer
from small_raw import PERSONAL_STRINGS, write_small_raw
from typer.testing import CliRunner

from pipelines.quality.results import load_results
from pipelines.quality.suites import suites
from pipelines.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Runs:
    home: Path
    warehouse: Path
    out: Path
    before_warning: str
    after_warning: str
    warning: dg.ExecuteInProcessResult
    blocking_exit: int
    blocking_stderr: str
    after_blocking: str
    blocking_run_id: str
    emails: list
    posts: list
    dagster_home: Path


def _refresh(settings: Settings) -> dg.ExecuteInProcessResult:
    """The refresh job as `sgpulse refresh` runs it, keeping its events to look at the checks."""
    from pipelines.definitions import defs
    from pipelines.defs.resources import make_resources
    from pipelines.refresh import QUIET

    return defs.resolve_job_def("refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        resources=make_resources(settings),
        raise_on_error=False,
        run_config=QUIET,
    )


def _suites_with_a_broken_contract():
    """The project's suites with one critical expectation the data breaks (what a bug in a model would do)."""
    from pipelines.quality.suites import suites

    broken = copy.deepcopy(suites())
    (in_set,) = [
        e for e in broken["staging.meetings"]["expectations"] if e["meta"]["check"] == "in_set:format"
    ]
    in_set["kwargs"]["value_set"] = ["physical"]
    return broken


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    from pipelines.cli import app
    from pipelines.defs import checks

    home = tmp_path_factory.mktemp("quality_runs")
    warehouse, out = home / "marts" / "warehouse.duckdb", home / "out"
    warehouse.parent.mkdir(parents=True)
    with duckdb.connect(
        str(warehouse)
    ) as conn:  # the previous good warehouse (an sgpulse one: meta.publication)
        conn.execute("create table previous as select 42 as answer")
        conn.execute("create schema meta; create table meta.publication as select 'run-0' as run_id")
    before = sha256(warehouse)
    raw = write_small_raw(home / "raw", WARNING_OVERRIDES)
    with SmtpServer() as smtp, WebhookServer() as hook, pytest.MonkeyPatch.context() as mp:
        for name, value in {
            "SGPULSE_PSEUDONYM_KEY": "quality-tests-key-0123456789abcdef",
            "XDG_CONFIG_HOME": str(home / "config"),
            "SGPULSE_ALERT_SMTP_HOST": "127.0.0.1",
            "SGPULSE_ALERT_SMTP_PORT": str(smtp.port),
            "SGPULSE_ALERT_EMAIL_FROM": "s@example.org",
            "SGPULSE_ALERT_EMAIL_TO": "m@example.org",
            "SGPULSE_ALERT_WEBHOOK_URL": hook.url,
        }.items():
            mp.setenv(name, value)
        # The briefs (after publishing, reading the published file) take most of a run and check nothing here.
        mp.setattr("pipelines.briefs.build.build_all_briefs", lambda *args, **kwargs: [])
        warning = _refresh(Settings.resolve(raw, warehouse, out))
        after_warning = sha256(warehouse)

        mp.setattr(checks, "suites", _suites_with_a_broken_contract)
        # This one is recorded in a Dagster instance, as `sgpulse refresh` does where DAGSTER_HOME is set.
        dagster_home = home / "dagster_home"
        dagster_home.mkdir()
        shutil.copy(ROOT / "config" / "dagster.yaml", dagster_home / "dagster.yaml")
        mp.setenv("DAGSTER_HOME", str(dagster_home))
        result = CliRunner().invoke(
            app, ["refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--out", str(out)]
        )
        alerts = [json.loads(x) for x in (out / "quality" / "alerts.jsonl").read_text().splitlines()]
        return Runs(
            home,
            warehouse,
            out,
            before,
            after_warning,
            warning,
            result.exit_code,
            result.stderr,
            sha256(warehouse),
            alerts[-1]["run_id"],
            list(smtp.messages),
            list(hook.received),
            dagster_home,
        )


def _evaluations(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


# --- a warning does not block -----------------------------------------------------------------------------


def test_a_warning_is_recorded_and_the_run_publishes(runs):
    assert runs.warning.success
    assert runs.after_warning != runs.before_warning
    assert not runs.warehouse.with_name("warehouse.duckdb.next").exists()
    evaluations = _evaluations(runs.warning)
    failed = {k: e for k, e in evaluations.items() if not e.passed}
    assert set(failed) == {("quarantine/attendance", "no_rows_quarantined")}
    warning = failed[("quarantine/attendance", "no_rows_quarantined")]
    assert warning.severity == dg.AssetCheckSeverity.WARN and not warning.blocking
    assert warning.metadata["failed_rows"].value == 1
    assert warning.metadata["sample_refs"].value == "attendance/attendance.csv:12"
    # The failed expectation by name, as the UI lists the result's metadata.
    assert warning.metadata["no_rows_quarantined"].value == "1 row (attendance/attendance.csv:12)"
    blocking = [k for k, e in evaluations.items() if e.blocking]
    assert len(blocking) > 150 and all(evaluations[k].passed for k in blocking)
    sections = {(n, e["meta"]["check"].split(":")[0]) for n, s in suites().items() for e in s["expectations"]}
    guarded = {(asset.replace("/", "."), check) for asset, check in evaluations}
    assert sections <= guarded  # every kind of rule of every suite was evaluated (other checks exist too)
    assert evaluations[("warehouse", "freshness_check")].passed


def test_every_check_outcome_is_in_meta_check_results_of_the_published_warehouse(runs):
    with duckdb.connect(str(runs.warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select asset, check_name, severity, passed, failed_rows, sample_refs "
            "from meta.check_results where run_id = ?",
            [runs.warning.run_id],
        ).fetchall()
        summary = conn.execute(
            "select table_name, reason_kind, column_name, row_count, example_reason, example_ref "
            "from marts.quarantine_summary"
        ).fetchall()
        counts = dict(conn.execute("select table_name, row_count from meta.row_counts").fetchall())
    assert len(rows) > 500
    assert [r for r in rows if not r[3]] == [
        (
            "quarantine.attendance",
            "no_rows_quarantined",
            "warning",
            False,
            1,
            ["attendance/attendance.csv:12"],
        )
    ]
    assert summary == [
        (
            "attendance",
            "value outside its set",
            "mode",
            1,
            "mode is not one of: on-site, remote",
            "attendance/attendance.csv:12",
        )
    ]
    assert counts["staging.attendance"] == 11 and counts["marts.sg_year_kpis"] > 0


def test_warnings_are_alerted_with_the_offending_rows(runs):
    first = json.loads((runs.out / "quality" / "alerts.jsonl").read_text().splitlines()[0])
    assert first["kind"] == "warnings" and first["run_id"] == runs.warning.run_id
    assert first["failures"] == [
        {
            "asset": "quarantine.attendance",
            "check": "no_rows_quarantined",
            "expectation": "no_rows_quarantined: 1 row (attendance/attendance.csv:12)",
            "severity": "warning",
            "failed_rows": 1,
            "sample_refs": ["attendance/attendance.csv:12"],
            "key": "quarantine.attendance/no_rows_quarantined",
        }
    ]
    assert "1 new data-quality warning on 1 table (1 row); run succeeded" in runs.posts[0]["json"]["text"]
    assert b"WARNING: 1 new data-quality warning" in runs.emails[0].content


# --- a blocking failure stops the run ---------------------------------------------------------------------


def test_a_blocking_failure_names_the_check_and_leaves_the_warehouse_unchanged(runs):
    assert runs.blocking_exit == 2
    assert runs.blocking_stderr.strip().splitlines() == [
        "sgpulse refresh failed: blocking check staging.meetings:in_set failed: in_set:format (format is one "
        "of: physical): 5 rows (meetings/meetings.csv:1, meetings/meetings.csv:2, "
        "meetings/meetings.csv:3, "
        "meetings/meetings.csv:4, meetings/meetings.csv:5)"
    ]
    assert runs.after_blocking == runs.after_warning
    assert sorted(p.name for p in runs.warehouse.parent.iterdir()) == ["warehouse.duckdb"]


def test_the_cli_run_is_recorded_in_the_dagster_instance_of_dagster_home(runs):
    """What the UI of `make dev` shows of a `sgpulse refresh`: the run, its materialisations with row counts,
    and its checks, the failed blocking one naming the expectation."""
    with dg.DagsterInstance.from_config(str(runs.dagster_home)) as instance:
        run = instance.get_run_by_id(runs.blocking_run_id)
        assert run.status == dg.DagsterRunStatus.FAILURE and run.job_name == "refresh"
        assert run.tags["sgpulse/trigger"] == "sgpulse refresh"
        meetings = instance.get_latest_materialization_event(dg.AssetKey(["staging", "meetings"]))
        assert meetings.run_id == runs.blocking_run_id
        (before,) = [
            e.materialization
            for e in runs.warning.get_asset_materialization_events()
            if e.asset_key == dg.AssetKey(["staging", "meetings"])
        ]
        rows = meetings.asset_materialization.metadata["dagster/row_count"].value
        assert rows == before.metadata["dagster/row_count"].value == 5
        key = dg.AssetCheckKey(dg.AssetKey(["staging", "meetings"]), "in_set")
        (record,) = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)
        evaluation = record.event.dagster_event.event_specific_data
        assert record.run_id == runs.blocking_run_id and not evaluation.passed
        assert evaluation.metadata["in_set:format"].value == (
            "5 rows (meetings/meetings.csv:1, meetings/meetings.csv:2, meetings/meetings.csv:3, "
            "meetings/meetings.csv:4, meetings/meetings.csv:5)"
        )


def test_a_blocking_failure_stops_every_downstream_asset(runs):
    validated = {r.suite for r in load_results(runs.out, runs.blocking_run_id)}
    # Only the ingest step and its checks ran: no model was built, so no mart was validated.
    assert "staging.meetings" in validated and "meta.ingest_report" in validated
    # marts.sg_lineage is read from the study-group configuration alone (meta.sg_lineage), nothing the failing
    # check guards: it is not downstream of it.
    assert not [s for s in validated if s.startswith("marts.") and s != "marts.sg_lineage"]


def test_a_blocking_failure_is_alerted_on_every_channel(runs):
    alert = json.loads((runs.out / "quality" / "alerts.jsonl").read_text().splitlines()[-1])
    assert alert["kind"] == "blocking_check_failed" and alert["severity"] == "error"
    assert alert["failures"][0]["asset"] == "staging.meetings" and alert["failures"][0]["failed_rows"] == 5
    assert len(runs.emails) == 2 and len(runs.posts) == 2
    # The warning of the first run fails again: counted as still open, not listed a second time.
    assert alert["summary"] == (
        "blocking data-quality check failed on staging.meetings (1 expectation, 5 rows, 1 new, 1 still open); "
        "run stopped, warehouse unchanged"
    )
    assert [f["key"] for f in alert["failures"]] == ["staging.meetings/in_set:format"]
    assert "blocking data-quality check failed on staging.meetings" in runs.posts[1]["json"]["text"]
    assert b"ERROR: blocking data-quality check failed" in runs.emails[1].content


def test_data_docs_are_written_on_every_run(runs):
    # The published Data Docs stay the last good run's: a failed run changes no published output.
    index = runs.out / "data_docs" / "index.html"
    assert index.exists()
    published = list((runs.out / "data_docs" / "validations").rglob("*.html"))
    assert published and all(runs.warning.run_id in str(p) for p in published)
    # The blocked run rendered what it validated before it stopped, with its own records.
    failed = runs.out / "quality" / "runs" / runs.blocking_run_id / "data_docs"
    pages = list((failed / "validations").rglob("*.html"))
    assert (failed / "index.html").exists() and pages and all(runs.blocking_run_id in str(p) for p in pages)
    meetings = next(p for p in pages if "meetings" in p.parts and "staging" in p.parts)
    assert "Failed" in meetings.read_text(encoding="utf-8")


def test_nothing_personal_in_alerts_results_or_docs(runs):
    texts = [(runs.out / "quality" / "alerts.jsonl").read_text()]
    texts += [p.read_text() for p in (runs.out / "quality" / "runs").rglob("*.json")]
    texts += [p.read_text() for p in (runs.out / "data_docs").rglob("*.html")]
    texts += [p.read_text() for p in (runs.out / "quality" / "runs").rglob("*.html")]
    texts += [json.dumps(p["json"]) for p in runs.posts] + [m.content.decode() for m in runs.emails]
    blob = "\n".join(texts).lower()
    assert [s for s in PERSONAL_STRINGS if s.lower() in blob] == []


def test_data_docs_built_by_a_report_worker_match_the_ones_built_in_process(runs, tmp_path):
    import shutil

    from pipelines.alerts.notify import after_successful_run
    from pipelines.workers import Workers, warm_up_analysis

    def pages(out: Path) -> dict[str, int]:
        return {
            p.relative_to(out).as_posix(): len(p.read_bytes()) > 0
            for p in (out / "data_docs").rglob("*.html")
        }

    here, there = tmp_path / "here", tmp_path / "there"
    for out in (here, there):
        shutil.copytree(runs.out / "quality", out / "quality")
    run_id = runs.blocking_run_id
    in_process = after_successful_run(here, run_id)
    workers = Workers(1, warm_up_analysis)
    pool = workers.pool
    try:
        in_worker = after_successful_run(there, run_id, pool=pool)
    finally:
        workers.stop()
    assert in_process.problems == in_worker.problems == []
    assert in_worker.data_docs == there / "data_docs" / "index.html"
    assert pages(here) == pages(there) and len(pages(here)) > 5
