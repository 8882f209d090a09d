"""The warehouse's lock: one holder at a time, a clear refusal naming it, waiting, and dead holders' locks
recovered; Dagster runs and the sensor respect it."""

import os
import signal
import subprocess
import sys
import threading
import time

import dagster as dg
import pytest

from pipelines.defs.resources import SgpulsePaths
from pipelines.lock import WarehouseBusy, WarehouseLock, busy, held_here, lock_path


def test_a_second_holder_is_refused_with_who_holds_it(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with WarehouseLock(warehouse, run_id="run-1"):
        with pytest.raises(WarehouseBusy) as refused:
            WarehouseLock(warehouse, 0).acquire()
    message = str(refused.value)
    assert message.startswith(f"another refresh (pid {os.getpid()}, started at ")
    assert f"holds the warehouse {warehouse}; " in message and "--wait SECONDS" in message
    assert not lock_path(warehouse).exists()  # released and removed


def test_a_waiting_refresh_takes_the_lock_when_the_holder_releases_it(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    first = WarehouseLock(warehouse).acquire()
    threading.Timer(0.5, first.release).start()
    started = time.monotonic()
    with WarehouseLock(warehouse, wait=10):
        assert 0.4 < time.monotonic() - started < 5
    with pytest.raises(WarehouseBusy, match="after waiting 0.3 s"):
        with WarehouseLock(warehouse):
            WarehouseLock(warehouse, wait=0.3).acquire()


HOLD = """
import sys, time
from pipelines.lock import WarehouseLock
lock = WarehouseLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(600)
"""


def test_the_lock_of_a_killed_holder_is_recovered(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(WarehouseBusy, match=f"pid {holder.pid},"):
        WarehouseLock(warehouse).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path(warehouse).exists()  # what kill -9 leaves behind
    with WarehouseLock(warehouse) as lock:
        assert lock.recovered is not None and lock.recovered.pid == holder.pid
    assert not lock_path(warehouse).exists()


def test_the_sensor_starts_nothing_while_a_refresh_holds_the_warehouse(tmp_path):
    from small_raw import write_small_raw

    from pipelines.defs.sensors import raw_files_sensor

    raw = write_small_raw(tmp_path / "raw")
    warehouse = tmp_path / "wh.duckdb"
    paths = SgpulsePaths(raw_dir=str(raw), warehouse=str(warehouse), out_dir=str(tmp_path / "out"))

    def tick() -> dg.SensorResult:
        with dg.build_sensor_context(cursor="{}", resources={"paths": paths}) as context:
            return raw_files_sensor(context)

    with WarehouseLock(warehouse):
        assert busy(warehouse) is not None
        result = tick()
        assert not result.run_requests and result.cursor == "{}"
        assert "not now: another refresh (pid" in result.skip_reason.skip_message
    assert busy(warehouse) is None
    assert tick().run_requests


def _paths(tmp_path, wait: float | None = 0):
    return SgpulsePaths(
        raw_dir=str(tmp_path / "raw"),
        warehouse=str(tmp_path / "wh.duckdb"),
        out_dir=str(tmp_path / "out"),
        lock_wait_seconds=wait,
    )


def test_a_dagster_run_holds_the_lock_from_start_to_end_and_waits_for_another_holder(tmp_path):
    seen = []

    @dg.asset
    def looks_at_the_lock(paths: SgpulsePaths) -> None:
        seen.append(held_here(tmp_path / "wh.duckdb"))

    assert dg.materialize([looks_at_the_lock], resources={"paths": _paths(tmp_path)}).success
    assert seen[0] is not None and seen[0].run_id  # the run's own lock, noting its run id
    assert not lock_path(tmp_path / "wh.duckdb").exists()

    with WarehouseLock(tmp_path / "wh.duckdb", run_id="cli"):  # the CLI's lock: a run inside it reuses it
        assert dg.materialize([looks_at_the_lock], resources={"paths": _paths(tmp_path)}).success
        assert seen[1].run_id == "cli"

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "wh.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = dg.materialize(
            [looks_at_the_lock], resources={"paths": _paths(tmp_path)}, raise_on_error=False
        )
        assert not result.success and len(seen) == 2
        failure = next(e for e in result.all_events if e.is_failure)
        assert f"another refresh (pid {holder.pid}, started at" in str(failure.event_specific_data)
    finally:
        holder.kill()
        holder.wait()
