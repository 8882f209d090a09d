"""File-level errors via `sgpulse refresh`: one clear line naming the file, the warehouse untouched."""

from __future__ import annotations

import csv
import io
import shutil

import duckdb
import pytest
from ingest_helpers import RESOLUTION_ATTENDANCE, refresh_env, rows, sha256, start_refresh
from small_raw import PERSONAL_STRINGS

NEW_MEETING = "SG17-2024-2,SG17,WP,2024-10-01,2024-10-02,,,virtual\n"


def _drop_column(text: str, column: str) -> str:
    data = list(csv.reader(io.StringIO(text)))
    index = data[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:index] + r[index + 1 :] for r in data])
    return out.getvalue()


def _missing_column(raw):
    (raw / "attendance" / "attendance.csv").write_text(
        _drop_column(RESOLUTION_ATTENDANCE, "mode"), encoding="utf-8"
    )


def _not_utf8(raw):
    with (raw / "countries" / "countries.csv").open("ab") as fh:
        fh.write("CIV,Côte d'Ivoire,Africa,developing\n".encode("latin-1"))


def _corrupt_xlsx(raw):
    (raw / "meetings" / "meetings_2.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")


def _corrupt_parquet(raw):
    (raw / "contributions" / "contributions_2.parquet").write_bytes(b"PAR1 this is not parquet PAR1")


def _missing_folder(raw):
    shutil.rmtree(raw / "work_items")


def _new_meeting(raw):
    with (raw / "meetings" / "meetings.csv").open("a", encoding="utf-8") as fh:
        fh.write(NEW_MEETING)
    # The same rows with Windows line endings: a changed file, read again (and pseudonymised again).
    attendance = raw / "attendance" / "attendance.csv"
    attendance.write_bytes(attendance.read_bytes().replace(b"\n", b"\r\n"))


# case: (how to break the raw copy, the exact stderr line, or None when the refresh must succeed)
CASES = {
    "missing_column": (_missing_column, "attendance/attendance.csv: required column 'mode' missing"),
    "not_utf8": (_not_utf8, "countries/countries.csv: not valid UTF-8"),
    "corrupt_xlsx": (_corrupt_xlsx, "meetings/meetings_2.xlsx: not a readable XLSX file (BadZipFile)"),
    "corrupt_parquet": (
        _corrupt_parquet,
        "contributions/contributions_2.parquet: not a readable Parquet file (ArrowInvalid)",
    ),
    "missing_folder": (_missing_folder, "work_items/: no CSV, XLSX or Parquet file for this table"),
    "success": (_new_meeting, None),
    # The same raw change, every file read again: the warehouse must be the incremental one's.
    "success_full": (_new_meeting, None),
}
FLAGS = {"success_full": ("--full",)}
FAILURES = [name for name, (_, line) in CASES.items() if line is not None]


@pytest.fixture(scope="module")
def runs(published, tmp_path_factory):
    """Each case starts from copies of the published raw directory and warehouse; the runs go in parallel."""
    started = {}
    for name, (breaks, _) in CASES.items():
        home = tmp_path_factory.mktemp(name)
        raw = home / "raw"
        shutil.copytree(published.run.raw, raw)
        breaks(raw)
        warehouse = home / "marts" / "warehouse.duckdb"
        warehouse.parent.mkdir()
        shutil.copyfile(published.warehouse, warehouse)
        before = sha256(warehouse)
        # The same key file as the published refresh: participant keys must come out the same.
        env = refresh_env(home, key_file=published.key_file)
        started[name] = (start_refresh(raw, warehouse, home / "briefs", env, FLAGS.get(name, ())), before)
    return {name: (run.wait(), before) for name, (run, before) in started.items()}


@pytest.mark.parametrize("case", FAILURES)
def test_file_level_error_fails_with_one_line_naming_the_file(runs, case):
    run, _ = runs[case]
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"sgpulse refresh failed: {CASES[case][1]}"]


@pytest.mark.parametrize("case", FAILURES)
def test_file_level_error_leaves_the_published_warehouse_unchanged(runs, case):
    run, before = runs[case]
    assert run.returncode == 2
    assert sha256(run.warehouse) == before
    assert sorted(p.name for p in run.warehouse.parent.iterdir()) == ["warehouse.duckdb"]


@pytest.mark.parametrize("case", list(CASES))
def test_refresh_output_has_no_personal_data(runs, case):
    run, _ = runs[case]
    output = (run.stdout + run.stderr).lower()
    assert [s for s in PERSONAL_STRINGS if s.lower() in output] == []


def test_published_refresh_succeeds_and_leaves_no_build_file(published):
    run = published.run
    assert run.returncode == 0
    assert sorted(p.name for p in published.warehouse.parent.iterdir()) == ["warehouse.duckdb"]
    assert "attendance" in run.stdout and "quarantined" in run.stdout


def test_successful_refresh_replaces_the_warehouse(published, runs):
    run, before = runs["success"]
    assert run.returncode == 0, run.stderr
    assert sha256(run.warehouse) != before
    assert sorted(p.name for p in run.warehouse.parent.iterdir()) == ["warehouse.duckdb"]
    with duckdb.connect(str(run.warehouse), read_only=True) as conn:
        assert rows(
            conn, "select rows_read, rows_staged from meta.ingest_report where table_name = 'meetings'"
        ) == [(5, 5)]
        assert rows(conn, "select meeting_id from staging.meetings where source_row = 5") == [
            ("SG17-2024-2",)
        ]
        new_keys = rows(
            conn, "select source_row, participant_key from staging.attendance order by source_row"
        )
    with published.connect() as conn:
        assert rows(conn, "select count(*) from staging.meetings") == [(4,)]
        old_keys = rows(
            conn, "select source_row, participant_key from staging.attendance order by source_row"
        )
    # Two refreshes with the same key file give every participant the same key.
    assert new_keys == old_keys
    assert len(old_keys) == 10


def test_a_second_refresh_reads_only_the_tables_whose_files_changed(runs):
    run, _ = runs["success"]
    with duckdb.connect(str(run.warehouse), read_only=True) as conn:
        state = dict(rows(conn, "select table_name, ingest || ': ' || reason from meta.ingest_state"))
    assert state["attendance"] == "full: attendance/attendance.csv changed"
    assert state["meetings"] == "full: meetings/meetings.csv changed"
    # Contributions refer to meetings, and none of its quarantined rows names the new one.
    assert state["contributions"] == "keep: 1 unchanged file"
    assert state["countries"] == "keep: 1 unchanged file"
    summary = {
        line.split("│")[1].strip(): line.split("│")[-2].strip()
        for line in run.stdout.splitlines()
        if line.count("│") == 7
    }
    assert summary["attendance"] == "read" and summary["countries"] == "kept"


def _canonical(conn, table: str) -> list[tuple]:
    # Floats to 12 significant digits: parallel sums may differ in their last bits between two builds.
    values = conn.execute(f"select * from {table}").fetchall()
    rounded = [tuple(float(f"{v:.12g}") if isinstance(v, float) else v for v in row) for row in values]
    return sorted(rounded, key=repr)


def test_an_incremental_refresh_builds_the_warehouse_a_full_one_builds(runs):
    incremental, _ = runs["success"]
    full, _ = runs["success_full"]
    assert full.returncode == 0, full.stderr
    query = (
        "select schema_name || '.' || table_name from duckdb_tables() where schema_name in "
        "('staging', 'quarantine', 'intermediate', 'core', 'marts') or table_name in ('ingest_report', 'raw_files')"
    )
    with (
        duckdb.connect(str(full.warehouse), read_only=True) as a,
        duckdb.connect(str(incremental.warehouse), read_only=True) as b,
    ):
        tables = sorted(t for (t,) in rows(a, query))
        assert tables == sorted(t for (t,) in rows(b, query))
        assert len(tables) > 40
        different = [t for t in tables if _canonical(a, t) != _canonical(b, t)]
        states = dict(rows(a, "select table_name, ingest from meta.ingest_state"))
    assert different == []
    # Every table read in full; the optional tables have no file here (absent, empty tables).
    for optional in ("peer_publications", "events", "consultation_responses"):
        assert states.pop(optional) == "absent", optional
    assert set(states.values()) == {"full"}
