"""Exit 0 means everything was published; any other exit leaves the previous warehouse, briefs and Data Docs
exactly as they were, with a one-line reason on stderr."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from ingest_helpers import sha256
from refresh_helpers import copy_home, leftovers, tree_digest


def _mount_small_disk(folder, megabytes: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)], check=False
    )
    return done.returncode == 0


def _fill(folder, leave_bytes: int) -> None:
    """Fill the file system of `folder` up to `leave_bytes` free."""
    free = shutil.disk_usage(folder).free
    with (folder / "filler.bin").open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave_bytes))


@pytest.fixture
def full_out(baseline, tmp_path):
    """The baseline copied, its output folder on a small disk with room for the run's records, not its briefs."""
    home = copy_home(baseline, tmp_path)
    disk = tmp_path / "disk"
    if not _mount_small_disk(disk, 48):
        pytest.skip("needs root to mount a small tmpfs (a full disk)")
    try:
        out = shutil.copytree(home.out, disk / "briefs")
        _fill(disk, 700_000)
        home.out = out
        yield home
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _assert_unchanged(run, home, warehouse_before, outputs_before):
    assert run.returncode == 2, run.stdout[-2000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sgpulse refresh failed: "), run.stderr[-3000:]
    assert lines[0].removeprefix("sgpulse refresh failed: ").strip()  # never an empty reason
    assert sha256(home.warehouse) == warehouse_before
    assert tree_digest(home.out) == outputs_before
    assert leftovers(home.warehouse.parent) == [] and leftovers(home.out) == []
    return lines[0]


def test_a_full_output_disk_leaves_warehouse_briefs_and_data_docs_as_they_were(full_out):
    home = full_out
    warehouse_before, outputs_before = sha256(home.warehouse), tree_digest(home.out)
    (home.raw / "meetings" / "meetings.csv").open("a").write(
        "SG17-2024-2,SG17,WP,2024-10-01,2024-10-02,,,virtual\n"
    )
    line = _assert_unchanged(home.refresh().wait(), home, warehouse_before, outputs_before)
    assert "No space left on device" in line, line


def test_an_output_that_cannot_be_replaced_leaves_everything_as_it_was(baseline, tmp_path):
    home = copy_home(baseline, tmp_path)
    # Something in the way of a published file: a folder where the index page goes.
    (home.out / "index.html").unlink()
    (home.out / "index.html").mkdir()
    warehouse_before, outputs_before = sha256(home.warehouse), tree_digest(home.out)
    (home.raw / "meetings" / "meetings.csv").open("a").write(
        "SG17-2024-2,SG17,WP,2024-10-01,2024-10-02,,,virtual\n"
    )
    line = _assert_unchanged(home.refresh().wait(), home, warehouse_before, outputs_before)
    assert "index.html" in line, line


@pytest.mark.parametrize(
    "content",
    [b"title,notes\nmeeting,bring coffee\n", b"", b"DUCK"],
    ids=["csv", "empty", "truncated"],
)
def test_a_warehouse_path_holding_another_file_is_refused(baseline, tmp_path, content):
    home = copy_home(baseline, tmp_path)
    notes = tmp_path / "notes.csv"
    notes.write_bytes(content)
    run = home.refresh(warehouse=notes).wait()
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert line == (
        f"sgpulse refresh failed: {notes} exists and is not an sgpulse warehouse; "
        "give --warehouse a new file or an existing sgpulse warehouse (nothing was changed)"
    )
    assert notes.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefs", "marts", "notes.csv", "raw"]


def test_a_duckdb_file_of_another_application_is_refused(baseline, tmp_path):
    home = copy_home(baseline, tmp_path)
    other = tmp_path / "other.duckdb"
    with __import__("duckdb").connect(str(other)) as conn:
        conn.execute("create table invoices as select 1 as amount")
    before = sha256(other)
    run = home.refresh(warehouse=other).wait()
    assert run.returncode == 2 and "is not an sgpulse warehouse" in run.stderr
    assert sha256(other) == before


def test_a_full_warehouse_disk_is_named_and_changes_nothing(baseline, tmp_path):
    home = copy_home(baseline, tmp_path)
    disk = tmp_path / "disk"
    size = home.warehouse.stat().st_size
    # Room for the published warehouse and three quarters of a new build: the build runs out of space.
    if not _mount_small_disk(disk, (size + size * 3 // 4) // 2**20 + 1):
        pytest.skip("needs root to mount a small tmpfs (a full disk)")
    try:
        warehouse = disk / "warehouse.duckdb"
        shutil.copyfile(home.warehouse, warehouse)
        home.warehouse = warehouse
        before, outputs_before = sha256(warehouse), tree_digest(home.out)
        line = _assert_unchanged(home.refresh("--full").wait(), home, before, outputs_before)
        assert "No space left on device" in line, line
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
