"""One writer per warehouse: two real `sgpulse refresh` processes on one warehouse; one publishes, the other
is told which process holds the warehouse and leaves everything as it was."""

from __future__ import annotations

import re
import time

import duckdb
from refresh_helpers import copy_home, leftovers


def _run_id(stdout: str) -> str:
    match = re.search(r"\(run ([0-9a-f-]{36})\)", " ".join(stdout.split()))
    assert match, stdout[-1000:]
    return match.group(1)


def test_a_second_refresh_is_told_who_holds_the_warehouse_and_the_first_publishes(baseline, tmp_path):
    home = copy_home(baseline, tmp_path)
    first = home.refresh()
    # The first refresh is under way once its lock (or, without one, its build file) exists.
    lock = home.warehouse.with_name("warehouse.duckdb.lock")
    build = home.warehouse.with_name("warehouse.duckdb.next")
    deadline = time.monotonic() + 120
    while not (lock.exists() or build.exists()):
        assert first.process.poll() is None, first.wait().stderr[-2000:]
        assert time.monotonic() < deadline, "the first refresh never started its build"
        time.sleep(0.05)
    second = home.refresh().wait()
    first.wait()
    assert second.returncode == 2
    (line,) = second.stderr.strip().splitlines()
    assert re.fullmatch(
        rf"sgpulse refresh failed: another refresh \(pid {first.process.pid}, started at "
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\) holds the warehouse .*warehouse\.duckdb; .*--wait.*",
        line,
    ), line
    assert first.returncode == 0, first.stderr[-2000:]
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        (published_by,) = conn.execute("select run_id from meta.publication").fetchall()[0]
    assert published_by == _run_id(first.stdout)
    assert leftovers(home.warehouse.parent) == [] and leftovers(home.out) == []
