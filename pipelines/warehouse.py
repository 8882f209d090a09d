"""The atomic warehouse: every refresh builds a new file beside the published one and swaps it in on success.

Only the holder of the warehouse's lock (pipelines/lock.py) starts, discards or publishes its build.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
from pathlib import Path

import duckdb

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
# Tables only an sgpulse warehouse has (meta.publication since it is written; meta.ingest_report before).
MARKER_TABLES = (("meta", "publication"), ("meta", "ingest_report"))


class NotAWarehouse(ValueError):
    """The warehouse path holds something a refresh must not overwrite."""


def check_warehouse(path: Path) -> None:
    """Raise NotAWarehouse unless `path` is free, or an sgpulse warehouse a refresh may replace."""
    path = Path(path)
    if path.is_dir():
        raise NotAWarehouse(
            f"{path} is a folder; give --warehouse a file path, e.g. {path / 'warehouse.duckdb'}"
        )
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise NotAWarehouse(f"{path.parent} is a file, not a folder: the warehouse cannot go there")
        return
    refusal = (
        f"{path} exists and is not an sgpulse warehouse; give --warehouse a new file or an existing "
        "sgpulse warehouse (nothing was changed)"
    )
    with path.open("rb") as fh:
        if fh.read(12)[8:12] != DUCKDB_MAGIC:
            raise NotAWarehouse(refusal)
    try:
        with duckdb.connect(str(path), read_only=True) as conn:
            tables = set(
                conn.execute(
                    "select schema_name, table_name from duckdb_tables() where schema_name = 'meta'"
                ).fetchall()
            )
    except duckdb.IOException as exc:  # e.g. open for writing by another program
        raise NotAWarehouse(
            f"{path} cannot be read ({str(exc).splitlines()[0]}); nothing was changed"
        ) from None
    except duckdb.Error:
        raise NotAWarehouse(refusal) from None
    if not tables & set(MARKER_TABLES):
        raise NotAWarehouse(refusal)


# The build file's database, kept open in this process between the steps of a run (see open_build).
_open_builds: dict[str, duckdb.DuckDBPyConnection] = {}
# Builds of runs being stopped by a signal: their thread may still be running, and must not create the file
# again after it was removed (a SIGTERM during start_build left a .next behind).
_abandoned: set[str] = set()
# Held while a build is abandoned and while publish renames it: a run stopped by a signal either published
# before the signal or publishes nothing (its thread goes on after the signal, see pipelines/refresh.abandon).
_publishing = threading.RLock()  # re-entrant: a signal handler may run in the thread that publishes


class BuildAbandoned(RuntimeError):
    """The run that owns this build is being stopped."""


def abandon_build(warehouse: Path) -> None:
    """From now on no step of this process opens or creates the build file; then remove it."""
    path = build_path(warehouse)
    with _publishing:
        _abandoned.add(str(path))
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _refuse_abandoned(path: Path | str) -> None:
    if str(path) in _abandoned:
        raise BuildAbandoned(f"{path}: the refresh was stopped")


def open_build(path: str, config: dict) -> duckdb.DuckDBPyConnection:
    """A new connection (cursor) to the build file's database, opened once per run in this process.

    Opening the file for every step and closing it after (which checkpoints it) took ~20 ms a time, ~1.3 s
    over a refresh's sixty steps. The database is closed again before the build is published or discarded.
    """
    if path not in _open_builds:
        _refuse_abandoned(path)
        _open_builds[path] = duckdb.connect(path, config=config)
    return _open_builds[path].cursor()


def release_build(warehouse: Path) -> None:
    """Close the build file's database if this process holds it open (it checkpoints as it closes)."""
    held = _open_builds.pop(str(build_path(warehouse)), None)
    if held is not None:
        held.close()


def build_path(warehouse: Path) -> Path:
    """The file a refresh writes to; readers of the published warehouse never see it half-built."""
    return warehouse.with_name(warehouse.name + ".next")


def start_build(warehouse: Path, from_published: bool = False) -> Path:
    """Begin a rebuild (a stale build from a failed run is discarded): from an empty file, or from a copy of
    the published warehouse, whose ingest tables an incremental ingest keeps (pipelines/ingest/reuse.py)."""
    check_warehouse(warehouse)
    path = build_path(warehouse)
    _refuse_abandoned(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    discard_build(warehouse)
    if from_published and warehouse.exists():
        # A copy of the file, not of its tables: ~2.5 s for a 1 GB warehouse against ~10 s table by table.
        shutil.copyfile(warehouse, path)
        try:
            duckdb.connect(str(path)).close()
        except duckdb.Error:  # not a warehouse DuckDB can open: the refresh starts from nothing instead
            discard_build(warehouse)
    if str(path) in _abandoned:  # stopped while copying: the copy is not left behind
        abandon_build(warehouse)
        _refuse_abandoned(path)
    return path


def ensure_build(warehouse: Path) -> Path:
    """For a partial run (one asset from the UI): continue from the published warehouse."""
    path = build_path(warehouse)
    _refuse_abandoned(path)
    if not path.exists() and warehouse.exists():
        check_warehouse(warehouse)
        shutil.copyfile(warehouse, path)
    return path


def discard_build(warehouse: Path) -> None:
    release_build(warehouse)
    path = build_path(warehouse)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def published_by(warehouse: Path) -> str | None:
    """The run that published the warehouse (meta.publication), or None."""
    if not Path(warehouse).is_file():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            return conn.execute("select run_id from meta.publication").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None


def record_publication(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """meta.publication: which run published this warehouse, when, and from which process."""
    conn.execute("create schema if not exists meta")
    conn.execute(
        "create or replace table meta.publication as select ? as run_id, ?::timestamp as published_at, "
        "? as pid, ? as host",
        [
            run_id,
            dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
            os.getpid(),
            socket.gethostname(),
        ],
    )


def publish(
    warehouse: Path, run_id: str = "", outputs: Path | None = None, out_dir: Path | None = None
) -> Path:
    """Publish the build: the run's staged outputs (`outputs`, swapped into `out_dir`), then the warehouse.

    The warehouse's rename is the last step and the point of no return: if anything before it fails, the
    outputs already swapped are put back and the published warehouse was never touched.
    """
    from pipelines.outputs import swap_in

    release_build(warehouse)
    path = build_path(warehouse)
    _refuse_abandoned(path)
    if not path.is_file():  # connecting would create an empty database, and publish it
        raise FileNotFoundError(f"{path}: no build to publish; the published warehouse is unchanged")
    with duckdb.connect(str(path)) as conn:
        record_publication(conn, run_id)
        conn.execute("checkpoint")
    swap = swap_in(out_dir, outputs) if outputs is not None and outputs.is_dir() else None
    try:
        with _publishing:
            # Abandoned since the checks above: what `path` holds now is not the whole build.
            if str(path) in _abandoned:
                abandon_build(warehouse)
                _refuse_abandoned(path)
            os.replace(path, warehouse)
    except BaseException:
        if swap:
            swap.rollback()
        raise
    Path(str(path) + ".wal").unlink(missing_ok=True)
    if swap:
        swap.finish()
    return warehouse
