"""Run the refresh job in this process, watching its events for progress, and summarise the outcome."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.settings import Settings

# The CLI draws its own progress and prints the one-line reason of a failure; Dagster's console log stays quiet.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class Progress:
    total: int
    done: int = 0
    current: str = ""
    started: float = field(default_factory=time.monotonic)
    # Where the previous look at the run's event log stopped, and what it had seen materialised.
    cursor: str | None = None
    materialised: set[str] = field(default_factory=set)


@dataclass
class RefreshOutcome:
    success: bool
    run_id: str
    error: str | None
    settings: Settings
    seconds: float
    # Per step of the run: {"step", "group", "assets", "started", "seconds", "status"} (see step_timings).
    steps: list[dict] = field(default_factory=list)


def _user_error(event) -> str:
    """The innermost error message of a failed step: what the user needs, without the traceback."""
    error = event.step_failure_data.error if event.step_failure_data else None
    while error is not None and error.cause is not None:
        error = error.cause
    if error is None:
        return event.message or "a step failed"
    message = error.message.strip()
    # Drop the 'package.module.ErrorClass: ' prefix of the serialised exception.
    head, sep, rest = message.partition(": ")
    if sep and "." in head and " " not in head:
        message = rest
    return message.splitlines()[0]


def _report_failure(settings: Settings, run_id: str, error: str) -> str:
    """Alert maintainers and render the run's Data Docs; say which blocking check stopped it."""
    from pipelines.alerts.notify import after_failed_run
    from pipelines.quality.results import blocking_failure_line

    report = after_failed_run(settings.out_dir, run_id, error)
    return blocking_failure_line(report.results) or error


def run_refresh(
    settings: Settings, on_progress: Callable[[Progress], None] | None = None, full: bool = False
) -> RefreshOutcome:
    """Materialise every asset on the given paths; on failure discard the build and keep the warehouse.

    Unless `full`, the ingest takes the rows of raw files unchanged since the published warehouse from it.
    """
    import dagster as dg
    from dagster import DagsterEventType

    from pipelines.definitions import defs
    from pipelines.defs.resources import make_resources
    from pipelines.warehouse import discard_build

    job = defs.resolve_job_def("refresh")
    total = len([k for k in defs.resolve_all_asset_keys() if k.path[0] != "raw"])
    run_id = str(uuid.uuid4())
    progress = Progress(total=total)
    started = time.monotonic()
    # A throwaway instance: the CLI keeps no run history (the Dagster UI has its own DAGSTER_HOME). In memory
    # (its event log is locked for the progress reader's thread): a temporary on-disk instance took ~4 s more
    # per refresh, writing every event to SQLite files (1.5 s outside the steps, the rest inside them).
    with dg.DagsterInstance.ephemeral() as instance:
        outcome: dict = {}

        def execute() -> None:
            try:
                outcome["result"] = job.execute_in_process(
                    instance=instance,
                    run_id=run_id,
                    raise_on_error=False,
                    run_config=QUIET,
                    # This run's paths, not the ones the definitions were loaded with (the process may run many).
                    resources=make_resources(settings, reuse_ingest=not full),
                )
            except BaseException as exc:  # surfaced to the caller below
                outcome["exception"] = exc

        worker = threading.Thread(target=execute, name="sgpulse-refresh")
        worker.start()
        while worker.is_alive():
            worker.join(0.25)
            if on_progress:
                _update(progress, instance, run_id, DagsterEventType)
                on_progress(progress)
        if "exception" in outcome:
            discard_build(settings.warehouse)
            exc = outcome["exception"]
            _report_failure(settings, run_id, f"{type(exc).__name__}: {exc}")
            raise exc
        result = outcome["result"]
        steps = step_timings(instance, run_id, defs)
        if on_progress:
            _update(progress, instance, run_id, DagsterEventType)
            on_progress(progress)
        error = None
        if not result.success:
            discard_build(settings.warehouse)
            failures = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE]
            error = _user_error(failures[0]) if failures else "the refresh run failed"
            error = _report_failure(settings, run_id, error)
        return RefreshOutcome(result.success, run_id, error, settings, time.monotonic() - started, steps)


def step_timings(instance, run_id: str, defs) -> list[dict]:
    """Wall time of every step of a run, from its STEP_START and STEP_SUCCESS/FAILURE/SKIPPED events."""
    from dagster import DagsterEventType

    ends = {
        DagsterEventType.STEP_SUCCESS: "success",
        DagsterEventType.STEP_FAILURE: "failure",
        DagsterEventType.STEP_SKIPPED: "skipped",
    }
    # Step keys are op names; say which asset group (or check) each one builds, for per-stage totals.
    groups, assets = {}, {}
    for assets_def in defs.resolve_asset_graph().assets_defs:
        name = assets_def.node_def.name if assets_def.is_executable else None
        if name:
            groups[name] = "+".join(sorted(set(assets_def.group_names_by_key.values()))) or "checks"
            assets[name] = sorted(k.to_user_string() for k in assets_def.keys)
    steps: dict[str, dict] = {}
    records = instance.get_records_for_run(run_id, of_type={DagsterEventType.STEP_START, *ends}).records
    for record in (r.event_log_entry for r in records):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            steps[event.step_key] = {
                "step": event.step_key,
                "group": groups.get(event.step_key, ""),
                "assets": assets.get(event.step_key, []),
                "started": record.timestamp,
                "seconds": None,
                "status": "started",
            }
        elif event.event_type in ends and event.step_key in steps:
            step = steps[event.step_key]
            step["seconds"] = round(record.timestamp - step["started"], 3)
            step["status"] = ends[event.event_type]
    return sorted(steps.values(), key=lambda s: s["started"])


def _update(progress: Progress, instance, run_id: str, event_types) -> None:
    # Only the events since the last call, and only the two kinds shown: reading the whole log four times a
    # second cost ~50 s of CPU (and the GIL) in a 100x refresh.
    wanted = {event_types.ASSET_MATERIALIZATION, event_types.STEP_START}
    while True:
        try:
            page = instance.get_records_for_run(run_id, cursor=progress.cursor, of_type=wanted, limit=1000)
        except Exception:  # the run may not be registered yet
            return
        for record in page.records:
            event = record.event_log_entry.dagster_event
            if event.event_type == event_types.ASSET_MATERIALIZATION:
                progress.materialised.add(event.asset_key.to_user_string())
            else:
                progress.current = event.step_key
        progress.cursor = page.cursor
        progress.done = len(progress.materialised)
        if not page.has_more:
            return


def ingest_summary(warehouse: Path) -> list[tuple]:
    """Rows read, staged and quarantined per raw table, and how it was staged, from the published warehouse."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        state = conn.execute(
            "select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'ingest_state'"
        ).fetchall()[0][0]
        # How each table was staged (kept from the previous warehouse, appended to, or read in full).
        how = "s.ingest" if state else "null"
        join = "left join meta.ingest_state s using (table_name)" if state else ""
        return conn.execute(
            f"select table_name, files, rows_read, rows_staged, rows_quarantined, {how} "
            f"from meta.ingest_report r {join} order by r.rowid"
        ).fetchall()


def dataset_notice(warehouse: Path) -> tuple[bool, str]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        synthetic, notice = conn.execute("select synthetic, notice from meta.dataset").fetchall()[0]
    return bool(synthetic), notice


# Public reference lists: real even in the synthetic sample, so they never make a run "mixed" on their own.
REFERENCE_TABLES = frozenset({"countries", "study_groups", "questions"})


def data_kind(domains: dict[str, str], synthetic: bool) -> str:
    """`mixed` when real and synthetic activity records meet (e.g. real Recommendations beside sample
    attendance), `synthetic` when any activity record is synthetic, else `real`."""
    activity = {kind for table, kind in domains.items() if table not in REFERENCE_TABLES}
    if "real" in activity and len(activity) > 1:
        return "mixed"
    if synthetic or activity - {"real"}:
        return "synthetic"
    return "real"


def dataset_domains(warehouse: Path) -> dict[str, str]:
    """Per raw table: real, synthetic or mixed (meta.dataset.domains); empty for a warehouse built before it."""
    import json

    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        columns = [c[0] for c in conn.execute("select * from meta.dataset limit 0").description]
        if "domains" not in columns:
            return {}
        (domains,) = conn.execute("select domains from meta.dataset").fetchall()[0]
    return json.loads(domains) if domains else {}


def landscape_summary(warehouse: Path) -> str:
    """One line on the landscape of peer committees: its sources and size, or that it is absent."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' "
                "and table_name in ('peer_coverage', 'sg_landscape')"
            ).fetchall()
        }
        if tables != {"peer_coverage", "sg_landscape"}:
            return "Landscape: not built by this version of the pipeline."
        sources = conn.execute("select sdo, source_commit from marts.peer_coverage order by sdo").fetchall()
        sgs = conn.execute("select count(distinct sg), count(*) from marts.sg_landscape").fetchall()[0]
    if not sources:
        return "Landscape: absent (no peer_publications in the raw directory; sgpulse import peers BUNDLE --raw DIR)."
    bodies = ", ".join(f"{sdo} {commit[:8]}" for sdo, commit in sources)
    return f"Landscape: {sgs[0]} study groups beside {sgs[1]} related peer committees (records: {bodies})."
