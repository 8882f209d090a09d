"""The report workers: started early at a lower priority, warmed up, never failing on their own account."""

from __future__ import annotations

import multiprocessing
import os
import time

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


def test_workers_still_warming_up_are_stopped_not_waited_for():
    before = set(multiprocessing.active_children())
    workers = Workers(2, _slow)
    started = time.monotonic()
    workers.stop()
    assert time.monotonic() - started < 10
    assert set(multiprocessing.active_children()) == before


def test_stopping_idle_workers_takes_no_clean_up_time():
    before = set(multiprocessing.active_children())
    workers = Workers(1, warm_up_analysis)
    workers.pool.submit(int).result()  # warmed up, idle
    started = time.monotonic()
    workers.stop()
    assert time.monotonic() - started < 0.5  # a graceful exit with Great Expectations loaded took ~0.6 s
    assert set(multiprocessing.active_children()) == before


def test_warm_ups_run():
    warm_up_briefs()
    warm_up_analysis()
