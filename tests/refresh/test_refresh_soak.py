"""Soak: refreshes of a small sample killed at random points (SIGKILL and SIGTERM), one let through now and
then, with readers on the published warehouse all along. Afterwards the warehouse opens, meta.publication
names the last run that finished, no reader ever failed, and no process, build, stage or lock is left.

Bounded: it stops starting rounds after SOAK_SECONDS (the suite must stay under 15 minutes on 2 cores)."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest
from refresh_helpers import copy_home, leftovers
from testkit import alive_processes as _alive
from testkit import descendants as _descendants

SOAK_SECONDS = 150
SEED = 20
pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="follows the refreshes' workers in /proc")


def _published_by(warehouse) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("select run_id from meta.publication").fetchall()[0][0]


def _run_id(stdout: str) -> str:
    match = re.search(r"\(run ([0-9a-f-]{36})\)", " ".join(stdout.split()))
    assert match, stdout[-1000:]
    return match.group(1)


# A reader in a process of its own, as `sgpulse brief` and programs outside sgpulse read: one connection at a
# time, opened read-only on the path, until the stop file appears; then it prints what it read.
READER_PROCESS = """
import json, os, sys, time, duckdb
warehouse, stop = sys.argv[1], sys.argv[2]
reads, errors = 0, []
while not os.path.exists(stop):
    try:
        with duckdb.connect(warehouse, read_only=True) as conn:
            conn.execute("select sg, year, participants from marts.sg_year_kpis").fetchall()
            conn.execute("select run_id from meta.publication").fetchall()
        reads += 1
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc} (t={time.time():.2f})")
    time.sleep(0.05)
print(json.dumps({"reads": reads, "errors": errors}))
"""


class Readers:
    """Readers of the published warehouse all along: threads of this process reading as notebooks do
    (`pipelines.explore.connect`, a private database per connection) and a process reading as `sgpulse brief`
    and outside programs do (`duckdb.connect(path, read_only=True)`).

    Threads of one process do not use `duckdb.connect(path)` themselves: DuckDB shares one database per path
    among a process's connections, which is not how any sgpulse reader reads (docs/deployment.md, Readers)."""

    def __init__(self, warehouse, threads: int = 2):
        self.warehouse, self.stop = warehouse, threading.Event()
        self.stop_file = warehouse.with_name("readers.stop")
        self.reads, self.errors = 0, []
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(threads)]
        self.process = None

    def _read(self) -> None:
        from pipelines.explore import connect

        while not self.stop.is_set():
            try:
                with connect(self.warehouse) as conn:
                    conn.execute("select sg, year, participants from marts.sg_year_kpis").fetchall()
                    conn.execute("select run_id from meta.publication").fetchall()
                self.reads += 1
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                self.errors.append(f"{type(exc).__name__}: {exc} [{self._diagnose()}]")
            time.sleep(0.05)

    def _diagnose(self) -> str:
        """Whether the published file itself is damaged (a fresh process cannot read it) or only this read was."""
        stat = os.stat(self.warehouse)
        check = subprocess.run(
            [
                sys.executable,
                "-c",
                "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
                "c.execute('select * from marts.sg_year_kpis').fetchall(); print('the file reads')",
                str(self.warehouse),
            ],
            capture_output=True,
            text=True,
        )
        said = check.stdout.strip() or (check.stderr.strip().splitlines() or ["?"])[-1]
        return f"t={time.time():.2f} inode {stat.st_ino}, {stat.st_size} bytes; a fresh process: {said}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-c", READER_PROCESS, str(self.warehouse), str(self.stop_file)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(10)
        self.stop_file.touch()
        out, _ = self.process.communicate(timeout=30)
        self.stop_file.unlink()
        result = json.loads(out)
        self.reads += result["reads"]
        self.errors += [f"reader process: {e}" for e in result["errors"]]


def test_refreshes_killed_at_random_points_leave_a_good_warehouse_and_nothing_behind(baseline, tmp_path):
    home = copy_home(baseline, tmp_path)
    # The baseline predates meta.publication only if its code did; a first full run names its publisher.
    first = home.refresh().wait()
    assert first.returncode == 0, first.stderr[-2000:]
    published = _run_id(first.stdout)
    assert _published_by(home.warehouse) == published
    rng = random.Random(SEED)
    started = time.monotonic()
    workers: set[int] = set()
    rounds = []
    with Readers(home.warehouse) as readers:
        while time.monotonic() - started < SOAK_SECONDS:
            finish = len(rounds) % 4 == 3  # every fourth round runs to the end
            sig = signal.SIGKILL if len(rounds) % 2 == 0 else signal.SIGTERM
            delay = rng.uniform(0.5, 25.0)
            run = home.refresh("--full") if rng.random() < 0.3 else home.refresh()
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline and run.process.poll() is None:
                workers |= _descendants(run.process.pid)
                time.sleep(0.1)
            if not finish and run.process.poll() is None:
                run.process.send_signal(sig)
            run.wait()
            if run.returncode == 0:
                published = _run_id(run.stdout)
            rounds.append((sig.name if not finish else "none", round(delay, 1), run.returncode))
            # Whatever happened, the published warehouse is the last finished run's, and it opens.
            assert _published_by(home.warehouse) == published, rounds
    final = home.refresh().wait()
    assert final.returncode == 0, (rounds, final.stderr[-2000:])
    assert _published_by(home.warehouse) == _run_id(final.stdout)
    deadline = time.monotonic() + 5  # a killed run's workers notice within half a second
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(workers) == set(), rounds
    assert leftovers(home.warehouse.parent) == [] and leftovers(home.out) == [], rounds
    assert readers.errors == [] and readers.reads > 0, (readers.errors[:5], rounds)
    assert len(rounds) >= 3 and any(r[0] == "SIGKILL" and r[2] == -9 for r in rounds), rounds
