"""Validate tables and keep what happened: meta.check_results and meta.row_counts in the warehouse, and
this run's validation results as JSON under <out>/quality/runs/<run_id>/ for Data Docs and alerts."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.quality.engine import Outcome, failed, outcome_line, validate_suite
from pipelines.quality.settings import QualitySettings, suite_parameters

SEVERITY = {"critical": "error", "warning": "warning"}
MAX_NAMED_FAILURES = 20


def dagster_check_name(check: str) -> str:
    """The Dagster asset check an expectation belongs to: its kind of rule ('not_null:meeting_id' -> 'not_null').

    One check per kind of rule and table (a section of the suite), not per expectation: each check result is
    three events in Dagster's event log (~15 ms of CPU in memory, ~50 ms on SQLite, measured), and a table
    has up to 60 expectations. The failed expectations are named in the result's metadata.
    """
    return re.sub(r"[^a-z0-9]+", "_", check.partition(":")[0].lower()).strip("_")


CHECK_RESULTS_DDL = """
create table if not exists meta.check_results (
    run_id varchar, asset varchar, check_name varchar, severity varchar, passed boolean, failed_rows bigint,
    sample_refs varchar[], checked_at timestamp, dagster_check varchar, expectation_type varchar,
    description varchar, error varchar
)"""
ROW_COUNTS_DDL = """
create table if not exists meta.row_counts (table_name varchar, row_count bigint, run_id varchar,
    counted_at timestamp)"""


@dataclass
class SuiteResult:
    """One suite validated in one run: what the checks, Data Docs and alerts are made from."""

    suite: str
    run_id: str
    checked_at: str
    parameters: dict
    outcomes: list[Outcome] = field(default_factory=list)

    def failures(self, severity: str | None = None) -> list[Outcome]:
        return failed(self.outcomes, severity)

    def to_json(self) -> dict:
        return {
            "suite": self.suite,
            "run_id": self.run_id,
            "checked_at": self.checked_at,
            "parameters": self.parameters,
            "outcomes": [o.to_json() for o in self.outcomes],
        }

    @classmethod
    def from_json(cls, data: dict) -> SuiteResult:
        return cls(
            data["suite"],
            data["run_id"],
            data["checked_at"],
            data["parameters"],
            [Outcome.from_json(o) for o in data["outcomes"]],
        )


def previous_row_counts(published: Path) -> dict[str, int]:
    """Row counts of the last good run: meta.row_counts of the published warehouse ({} if there is none)."""
    if not Path(published).exists():
        return {}
    try:
        with duckdb.connect(str(published), read_only=True) as conn:
            known = conn.execute(
                "select count(*) from information_schema.tables where table_schema = 'meta' "
                "and table_name = 'row_counts'"
            ).fetchall()[0][0]
            if not known:
                return {}
            return dict(conn.execute("select table_name, row_count from meta.row_counts").fetchall())
    except duckdb.Error:  # held open by a writer elsewhere: no baseline this time, never a failed run
        return {}


def validate_tables(
    conn: duckdb.DuckDBPyConnection,
    suites: list[dict],
    run_id: str,
    previous: dict[str, int],
    settings: QualitySettings,
    today: dt.date | None = None,
) -> list[SuiteResult]:
    """Validate each suite's table in DuckDB; record outcomes and row counts in its meta schema."""
    checked_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    results = []
    for suite in suites:
        parameters = suite_parameters(previous.get(suite["name"]), settings, today)
        outcomes = validate_suite(conn, suite, parameters, settings.sample_refs)
        results.append(SuiteResult(suite["name"], run_id, checked_at.isoformat(), parameters, outcomes))
    record(conn, results, checked_at)
    return results


def record(conn: duckdb.DuckDBPyConnection, results: list[SuiteResult], checked_at: dt.datetime) -> None:
    conn.execute("create schema if not exists meta")
    conn.execute(CHECK_RESULTS_DDL)
    conn.execute(ROW_COUNTS_DDL)
    naive = checked_at.replace(tzinfo=None)  # stored as UTC
    for result in results:
        # A re-executed check replaces its own rows of this run.
        conn.execute(
            "delete from meta.check_results where run_id = ? and asset = ?", [result.run_id, result.suite]
        )
        # One insert from an Arrow table: executemany ran one statement per row, ~1.8 ms each (~1.1 s a refresh).
        outcomes = result.outcomes
        conn.register(
            "_outcomes",
            pa.table(
                {
                    "run_id": pa.array([result.run_id] * len(outcomes), pa.string()),
                    "asset": pa.array([result.suite] * len(outcomes), pa.string()),
                    "check_name": pa.array([o.check for o in outcomes], pa.string()),
                    "severity": pa.array([SEVERITY[o.severity] for o in outcomes], pa.string()),
                    "passed": pa.array([o.success for o in outcomes], pa.bool_()),
                    "failed_rows": pa.array([o.failed_rows for o in outcomes], pa.int64()),
                    "sample_refs": pa.array([o.sample_refs for o in outcomes], pa.list_(pa.string())),
                    "checked_at": pa.array([naive] * len(outcomes), pa.timestamp("us")),
                    "dagster_check": pa.array([dagster_check_name(o.check) for o in outcomes], pa.string()),
                    "expectation_type": pa.array([o.type for o in outcomes], pa.string()),
                    "description": pa.array([o.description for o in outcomes], pa.string()),
                    "error": pa.array([o.error for o in outcomes], pa.string()),
                }
            ),
        )
        try:
            conn.execute("insert into meta.check_results by name select * from _outcomes")
        finally:
            conn.unregister("_outcomes")
        schema, _, table = result.suite.partition(".")
        exists = conn.execute(
            "select count(*) from information_schema.tables where table_catalog = "
            "current_database() and table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
        if exists:
            rows = conn.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
            conn.execute("delete from meta.row_counts where table_name = ?", [result.suite])
            conn.execute(
                "insert into meta.row_counts values (?, ?, ?, ?)", [result.suite, rows, result.run_id, naive]
            )


# --- this run's results on disk (read by Data Docs and by the failure alerts, in or out of the run) ---------


def runs_dir(out_dir: Path) -> Path:
    return Path(out_dir) / "quality" / "runs"


def save_results(out_dir: Path, results: list[SuiteResult]) -> None:
    for result in results:
        folder = runs_dir(out_dir) / result.run_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{result.suite}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result.to_json(), default=str, indent=1), encoding="utf-8")
        tmp.replace(path)


def load_results(out_dir: Path, run_id: str) -> list[SuiteResult]:
    folder = runs_dir(out_dir) / run_id
    if not folder.is_dir():
        return []
    return [
        SuiteResult.from_json(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.glob("*.json"))
    ]


def prune_runs(out_dir: Path, keep: int, current: str) -> None:
    """Keep the results of the `keep` most recent runs (and always the current one)."""
    folders = sorted((p for p in runs_dir(out_dir).glob("*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in [p for p in folders if p.name != current][: max(0, len(folders) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


# --- what a check, an alert or the CLI says -----------------------------------------------------------------


def check_metadata(outcomes: list[Outcome]) -> dict:
    """A check result's metadata: each failed expectation by name with its rows (references, never data)."""
    bad = [o for o in outcomes if not o.success]
    refs = [r for o in bad for r in o.sample_refs][:10]
    metadata: dict = {
        "expectations": len(outcomes),
        "failed_expectations": len(bad),
        "failed_rows": sum(o.failed_rows or 0 for o in bad),
        "failed": "\n".join(outcome_line(o) for o in bad) or "none",
        "sample_refs": ", ".join(refs) or "none",
    }
    # One entry per failed expectation, under its name, so the UI lists them (bounded for a broken table).
    for o in bad[:MAX_NAMED_FAILURES]:
        metadata[o.check] = outcome_line(o).removeprefix(o.check).removeprefix(": ") or "failed"
    return metadata


def blocking_failure_line(results: list[SuiteResult]) -> str | None:
    """The one-line reason a blocking check stopped the run, naming the check (None if none failed)."""
    failures = [(r.suite, o) for r in results for o in r.failures("critical")]
    if not failures:
        return None
    suite, first = failures[0]
    detail = outcome_line(first).removeprefix(first.check).removeprefix(": ")
    line = f"blocking check {suite}:{dagster_check_name(first.check)} failed: {first.check} ({first.description})"
    if detail:
        line += f": {detail}"
    others = len(failures) - 1
    if others:
        line += f" (and {others} more failed expectation{'s' if others > 1 else ''})"
    return line


def quality_summary_line(out_dir: Path, run_id: str) -> str:
    """What `sgpulse refresh` says about data quality after a successful run."""
    results = load_results(out_dir, run_id)
    if not results:
        return "Data quality: nothing was validated in this run."
    evaluated = sum(len(r.outcomes) for r in results)
    warnings = sum(len(r.failures("warning")) for r in results)
    index = Path(out_dir) / "data_docs" / "index.html"
    return (
        f"Data quality: {evaluated} expectations on {len(results)} tables, {warnings} warning"
        f"{'s' if warnings != 1 else ''}; report: {index}"
    )
