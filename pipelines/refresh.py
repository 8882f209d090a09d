"""Run the refresh job in this process, watching its events for progress, and summarise the outcome."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.privacy import mask_personal
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
    # The DAGSTER_HOME whose instance holds the run (the UI shows it there), or None (not recorded).
    recorded: Path | None = None


def _user_error(event) -> str:
    """The innermost error message of a failed step: what the user needs, without the traceback.

    Never empty: an exception without a message (OSError(), a bare assert) is named by its class, and the
    step by its key.
    """
    error = event.step_failure_data.error if event.step_failure_data else None
    chain = []
    while error is not None:
        chain.append(error)
        error = error.cause
    for error in reversed(chain):  # innermost first
        message = _message_of(error)
        if message:
            return message
    if chain:
        return f"{chain[-1].cls_name or 'an error'} in step {event.step_key or '?'} (no message)"
    return (event.message or "").strip().splitlines()[0] if (event.message or "").strip() else "a step failed"


def _message_of(error) -> str:
    message = (error.message or "").strip()
    # Drop the 'package.module.ErrorClass: ' prefix of the serialised exception.
    head, sep, rest = message.partition(": ")
    if sep and "." in head and " " not in head:
        message = rest.strip()
    elif message == head and " " not in head and ("." in head or head == error.cls_name):
        message = ""  # only the class name: no message
    if not message:
        return ""
    return message.splitlines()[0].strip()


def _report_failure(settings: Settings, run_id: str, error: str) -> str:
    """Alert maintainers and render the run's Data Docs; say which blocking check stopped it."""
    from pipelines.alerts.notify import after_failed_run
    from pipelines.quality.results import blocking_failure_line

    report = after_failed_run(settings.out_dir, run_id, error)
    return blocking_failure_line(report.results) or error


class InstanceError(RuntimeError):
    """The Dagster instance to record the run in cannot be used; nothing was run."""


def recorded_in() -> Path | None:
    """The Dagster instance a refresh is recorded in: $DAGSTER_HOME when set, else none (a throwaway one)."""
    home = os.environ.get("DAGSTER_HOME", "").strip()
    return Path(home).absolute() if home else None


def refresh_instance():
    """The instance that runs a refresh: $DAGSTER_HOME's, so the Dagster UI (`make dev`) shows the run, its
    materialisations, checks and row counts; else a throwaway one in memory, the fast path.

    A persistent instance writes every event to its storage as it happens: on SQLite (`make dev`'s) a refresh
    of the bundled sample used 31.6 s of CPU in its process instead of 19.9 s in memory (briefs and Data
    Docs left out, a loaded machine), so without DAGSTER_HOME nothing is written.
    """
    import dagster as dg

    home = recorded_in()
    if home is None:
        return dg.DagsterInstance.ephemeral()
    if not home.is_dir():
        raise InstanceError(f"DAGSTER_HOME={home} is not a folder: create it (`make dev` does) or unset it")
    return dg.DagsterInstance.get()


def run_refresh(
    settings: Settings,
    on_progress: Callable[[Progress], None] | None = None,
    full: bool = False,
    wait: float | None = None,
) -> RefreshOutcome:
    """Materialise every asset on the given paths; on failure discard the build and keep the warehouse.

    Unless `full`, the ingest takes the rows of raw files unchanged since the published warehouse from it.
    The warehouse's lock is held throughout; another refresh holding it makes this one wait up to `wait`
    seconds (default SGPULSE_LOCK_WAIT_SECONDS, else 0) and then raise WarehouseBusy. A warehouse path
    holding anything but an sgpulse warehouse raises NotAWarehouse. Nothing is changed in either case.
    """
    from pipelines.lock import CLI_WAIT_SECONDS, WarehouseLock, wait_seconds
    from pipelines.warehouse import check_warehouse

    check_warehouse(settings.warehouse)
    run_id = str(uuid.uuid4())
    wait = wait if wait is not None else wait_seconds(CLI_WAIT_SECONDS)
    with WarehouseLock(settings.warehouse, wait, run_id=run_id):
        return _run_locked(settings, run_id, on_progress, full)


def _run_locked(
    settings: Settings, run_id: str, on_progress: Callable[[Progress], None] | None, full: bool
) -> RefreshOutcome:
    from dagster import DagsterEventType

    from pipelines.definitions import defs
    from pipelines.defs.resources import make_resources
    from pipelines.outputs import discard_stage

    job = defs.resolve_job_def("refresh")
    # The assets the run materialises: external ones (raw folders, the peer bodies' bundle) are not built.
    graph = defs.resolve_asset_graph()
    total = len([k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable])

    def discard() -> None:
        from pipelines.warehouse import discard_build

        discard_build(settings.warehouse)
        discard_stage(settings.out_dir, run_id)

    progress = Progress(total=total)
    started = time.monotonic()
    with refresh_instance() as instance:
        outcome: dict = {}

        def execute() -> None:
            try:
                outcome["result"] = job.execute_in_process(
                    instance=instance,
                    run_id=run_id,
                    raise_on_error=False,
                    run_config=QUIET,
                    tags={"sgpulse/trigger": "sgpulse refresh"},  # told apart from UI and scheduled runs
                    # This run's paths, not the ones the definitions were loaded with (the process may run many).
                    resources=make_resources(settings, reuse_ingest=not full),
                )
            except BaseException as exc:  # surfaced to the caller below
                outcome["exception"] = exc

        worker = threading.Thread(target=execute, name="sgpulse-refresh", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.25)
                if on_progress:
                    _update(progress, instance, run_id, DagsterEventType)
                    on_progress(progress)
        except BaseException:  # SIGTERM or Ctrl-C in this (the main) thread: the run is abandoned
            abandon(settings, run_id)
            raise
        if "exception" in outcome:
            discard()
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
            failures = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE]
            error = _user_error(failures[0]) if failures else "the refresh run failed"
            # Before the build is discarded: a full disk shows in its free space.
            error = full_disk_explained(
                error, [settings.warehouse.parent, settings.out_dir], result.all_events
            )
            discard()
            error = mask_personal(_report_failure(settings, run_id, error))
        return RefreshOutcome(
            result.success, run_id, error, settings, time.monotonic() - started, steps, recorded_in()
        )


# What DuckDB says in every statement after a fatal error (a full disk, say) has invalidated the database.
INVALIDATED = "invalidated because of a previous fatal error"
LOW_SPACE_BYTES = 64 * 2**20


def full_disk_explained(error: str, folders: list[Path], events=()) -> str:
    """The reason a run failed, with the full disk named when that is what it was.

    DuckDB reports the disk full once, where it happens (which may be a statement whose error is recorded
    as a failed expectation, not a failed step); every later statement then fails with "database has been
    invalidated because of a previous fatal error". The run's events are searched for the first message,
    and failing that the folders' free space tells.
    """
    from pipelines.filesystem import disk_full

    if disk_full(error) or INVALIDATED not in error:
        return error
    for event in events:
        text = getattr(event, "message", "") or ""
        if disk_full(text):
            line = next(x for x in text.splitlines() if disk_full(x))
            return f"{line.strip()} (the build could not go on: {error})"
    import shutil

    for folder in folders:
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            continue
        if free < LOW_SPACE_BYTES:
            return f"No space left on device: {folder} has {free / 2**20:.1f} MiB free ({error})"
    return error


def abandon(settings: Settings, run_id: str) -> None:
    """Leave everything as it was before a run that is being stopped half-way: its workers stopped and
    waited for, its build and staged outputs removed. The run's own thread may still be writing, so the
    build's connection is not touched (closing it under a running statement is not safe): the files are
    only unlinked, and the caller exits."""
    from pipelines.outputs import ASIDE_PREFIX, discard_stage
    from pipelines.warehouse import abandon_build
    from pipelines.workers import stop_children

    abandon_build(settings.warehouse)  # no step opens it again from here
    stop_children()
    # Once more: a step that was creating the file (a copy, a first connection) as the signal came has ended.
    abandon_build(settings.warehouse)
    # Once the outputs are being swapped in, the next run puts them right (pipelines/outputs.remove_stale).
    if not (settings.out_dir / f"{ASIDE_PREFIX}{run_id}").exists():
        discard_stage(settings.out_dir, run_id)


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


def ingest_warnings(warehouse: Path) -> list[str]:
    """What the ingest did not take in: files not read and columns dropped (meta.raw_not_read, ingest_report)."""
    import duckdb

    lines = []
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = {
            t
            for (t,) in conn.execute(
                "select table_name from duckdb_tables() where schema_name = 'meta'"
            ).fetchall()
        }
        if "raw_not_read" in tables:
            for path, reason in conn.execute(
                "select path, reason from meta.raw_not_read order by path"
            ).fetchall():
                lines.append(f"not read: {path} ({reason})")
        columns = {
            c
            for (c,) in conn.execute(
                "select column_name from duckdb_columns() where schema_name = 'meta' and table_name = 'ingest_report'"
            ).fetchall()
        }
        if "columns_dropped" in columns:
            for table, dropped in conn.execute(
                "select table_name, columns_dropped from meta.ingest_report where len(columns_dropped) > 0 "
                "order by rowid"
            ).fetchall():
                lines.append(
                    f"{table}: column{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} dropped as read "
                    "(not in the raw-data contract or the allow-list of pipelines/config/ingest.yaml; never stored)"
                )
    return lines


def dataset_notice(warehouse: Path) -> tuple[bool, str]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        synthetic, notice = conn.execute("select synthetic, notice from meta.dataset").fetchall()[0]
    return bool(synthetic), notice


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
