"""The report workers: started early at a lower priority, warmed up, never failing on their own account."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from testkit import alive_processes as _alive
from testkit import descendants as _descendants

from pipelines.workers import NICENESS, Workers, warm_up_analysis, warm_up_briefs


def _nothing() -> None:
    pass


def _fails() -> None:
    raise RuntimeError("no engine")


def _slow() -> None:
    time.sleep(60)


def _niceness() -> int:
    return os.nice(0)


def launched(before: set, expected: int) -> bool:
    """Whether `expected` new child processes appear within 10 s (they are launched by a thread)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if len(set(multiprocessing.active_children()) - before) == expected:
            return True
        time.sleep(0.05)
    return False


def test_workers_start_now_and_run_tasks_in_other_processes():
    before = set(multiprocessing.active_children())
    workers = Workers(2, _nothing)
    try:
        assert launched(before, 2)  # now, not at the first task
        pids = {workers.pool.submit(os.getpid).result() for _ in range(4)}
        assert os.getpid() not in pids and 1 <= len(pids) <= 2
    finally:
        workers.stop()
    assert set(multiprocessing.active_children()) == before


def test_a_failing_warm_up_leaves_the_workers_usable():
    workers = Workers(1, _fails)
    try:
        # A failed initializer would break the pool; the report then meets the failure itself, with its message.
        assert workers.pool.submit(sum, [1, 2]).result() == 3
    finally:
        workers.stop()


def test_workers_yield_to_the_run():
    workers = Workers(1, _nothing)
    try:
        assert workers.pool.submit(_niceness).result() == min(os.nice(0) + NICENESS, 19)
    finally:
        workers.stop()


def test_warm_tells_a_worker_still_warming_up_from_a_warm_one():
    # The overlap step uses the analysis worker only when it is warm; otherwise it would wait for the warm-up.
    slow = Workers(1, _slow)
    try:
        time.sleep(0.5)
        assert not slow.warm()
    finally:
        slow.stop()
    quick = Workers(1, _nothing)
    try:
        deadline = time.monotonic() + 30
        while not quick.warm():
            assert time.monotonic() < deadline, "a worker with nothing to warm up never became warm"
            time.sleep(0.05)
    finally:
        quick.stop()


def _slower() -> None:
    time.sleep(WARM_UP_SECONDS)


WARM_UP_SECONDS = 600


def test_workers_still_warming_up_are_stopped_not_waited_for():
    # Not a timing bound on a loaded host: waiting for the warm-up would take its full ten minutes.
    before = set(multiprocessing.active_children())
    workers = Workers(2, _slower)
    started = time.monotonic()
    workers.stop()
    assert time.monotonic() - started < WARM_UP_SECONDS / 2
    assert set(multiprocessing.active_children()) == before


def test_stopping_idle_workers_skips_their_clean_up():
    # A graceful exit with Great Expectations loaded took ~0.6 s: the workers are terminated instead (their
    # exit code says so), whatever the host's load makes of the time.
    before = set(multiprocessing.active_children())
    workers = Workers(1, warm_up_analysis)
    workers.pool.submit(int).result()  # warmed up, idle
    processes = list(workers.pool._processes.values())
    workers.stop()
    assert [process.exitcode for process in processes] == [-signal.SIGTERM]
    assert set(multiprocessing.active_children()) == before


def test_warm_ups_run():
    warm_up_briefs()
    warm_up_analysis()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc (Linux)")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_the_report_workers_do_not_outlive_a_killed_refresh(tmp_path, signal_name):
    import signal
    import subprocess
    import sys

    from small_raw import write_small_raw

    raw = write_small_raw(tmp_path / "raw")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SGPULSE_")}
    env.update({"SGPULSE_PSEUDONYM_KEY": "workers-test-key-0123456789", "SGPULSE_BRIEF_WORKERS": "2"})
    script = os.path.join(os.path.dirname(sys.executable), "sgpulse")
    refresh = subprocess.Popen(
        [script, "refresh", "--raw", raw, "--warehouse", tmp_path / "wh.duckdb", "--out", tmp_path / "out"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 3:  # two brief workers and the analysis worker (plus the resource tracker)
            assert refresh.poll() is None, refresh.stderr.read()[-2000:]
            assert time.monotonic() < deadline, "the report workers never started"
            time.sleep(0.1)
            workers = _descendants(refresh.pid)
        refresh.send_signal(getattr(signal, signal_name))
        refresh.wait(timeout=60)
        killed = time.monotonic()
        while _alive(workers) and time.monotonic() < killed + 10:
            time.sleep(0.1)
        assert _alive(workers) == set(), f"{len(_alive(workers))} workers alive 10 s after {signal_name}"
        if signal_name == "SIGTERM":  # an orderly end: an exit code saying why, no build or lock left
            assert refresh.returncode == 128 + signal.SIGTERM
            assert not (tmp_path / "wh.duckdb.next").exists() and not (tmp_path / "wh.duckdb.lock").exists()
    finally:
        if refresh.poll() is None:
            refresh.kill()
        refresh.wait()
        for pid in _alive(workers):  # nothing is left for the next test, whatever happened
            os.kill(pid, 9)
