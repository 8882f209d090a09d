"""Streamed ingest: one batch at a time into DuckDB, with the same result as reading a table whole."""

from __future__ import annotations

import gc
import weakref

import pytest
from ingest_helpers import ingest_into_memory, rows
from small_raw import SMALL_RAW, write_small_raw

from pipelines.defs.resources import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV, make_resources
from pipelines.ingest import load
from pipelines.settings import Settings

HEADER, *ATTENDANCE = SMALL_RAW["attendance"].strip().splitlines()


@pytest.fixture
def split_raw(tmp_path):
    """The small raw directory with attendance cut into three batches, and countries into two."""
    raw = write_small_raw(tmp_path / "raw")
    (raw / "attendance" / "attendance.csv").unlink()
    for i, chunk in enumerate((ATTENDANCE[:4], ATTENDANCE[4:7], ATTENDANCE[7:])):
        (raw / "attendance" / f"attendance-{i}.csv").write_text("\n".join([HEADER, *chunk]) + "\n")
    head, *countries = SMALL_RAW["countries"].strip().splitlines()
    (raw / "countries" / "countries.csv").write_text("\n".join([head, *countries[:2]]) + "\n")
    # Only the second batch has a `notes` column: the union has it, NULL for the first batch's rows.
    (raw / "countries" / "countries-more.csv").write_text(
        "\n".join([head + ",notes", *(c + ",later batch" for c in countries[2:])]) + "\n"
    )
    return raw


def test_batches_give_the_same_staging_as_one_file(split_raw, tmp_path):
    whole, _ = ingest_into_memory(write_small_raw(tmp_path / "whole"))
    split, report = ingest_into_memory(split_raw)
    query = "select * exclude (source_file, source_row) from staging.attendance order by all"
    assert rows(split, query) == rows(whole, query)
    assert report.table("attendance").files == 3
    assert report.table("attendance").rows_read == len(ATTENDANCE)


def test_a_participant_keeps_one_key_across_batches(split_raw):
    # Ada Quill is in all three batches (the second spells her e-mail differently): one person, one key.
    conn, _ = ingest_into_memory(split_raw)
    keys = rows(
        conn,
        "select meeting_id, participant_key from staging.attendance where organisation ilike '%alpha%' "
        "or organisation = 'ANW' order by meeting_id",
    )
    assert [m for m, _ in keys] == ["SG17-2023-1", "SG17-2023-2", "SG17-2024-1"]
    assert len({k for _, k in keys}) == 1


def test_a_column_in_only_some_batches_is_null_elsewhere(split_raw):
    conn, _ = ingest_into_memory(split_raw)
    notes = rows(conn, "select source_file, notes from staging.countries order by source_file, source_row")
    assert {f for f, n in notes if n is None} == {"countries/countries.csv"}
    assert {f for f, n in notes if n == "later batch"} == {"countries/countries-more.csv"}


def test_at_most_two_batches_are_in_python_memory_at_a_time(split_raw, monkeypatch):
    # Each batch is released once DuckDB holds it; the next file is read meanwhile, in a second thread.
    alive, tracked = [], []
    real_read = load.read_checked_batch

    def read(path, raw_dir, spec, dropped=None):
        gc.collect()
        alive.append(sum(1 for b in tracked if b() is not None))
        batch = real_read(path, raw_dir, spec, dropped)
        tracked.append(weakref.ref(batch))
        return batch

    monkeypatch.setattr(load, "read_checked_batch", read)
    conn, report = ingest_into_memory(split_raw)
    assert (report.table("attendance").rows_read, report.table("attendance").files) == (len(ATTENDANCE), 3)
    # When a file is read, at most the batch being staged is still held (the next is read meanwhile).
    assert len(alive) == sum(t.files for t in report.tables) and max(alive) <= 1
    # Names and e-mails never reach DuckDB.
    for table in ("staging.attendance", "quarantine.attendance"):
        columns = [c for (c, *_) in rows(conn, f"describe {table}")]
        assert "participant_key" in columns
        assert {"participant_name", "participant_email"}.isdisjoint(columns)


def test_duplicates_across_batches_keep_the_first_file_s_copy(split_raw):
    # The same person at the same meeting in the first and the third batch, and twice within the third.
    first = ATTENDANCE[0]
    (split_raw / "attendance" / "attendance-2.csv").write_text(
        "\n".join([HEADER, *ATTENDANCE[7:], first, first]) + "\n"
    )
    conn, report = ingest_into_memory(split_raw)
    duplicates = rows(
        conn,
        "select source_file, source_row, reason from quarantine.attendance "
        "where reason like 'duplicate key%' order by source_file, source_row",
    )
    extra = len(ATTENDANCE[7:])
    assert [(f, r) for f, r, _ in duplicates] == [
        ("attendance/attendance-2.csv", extra + 1),
        ("attendance/attendance-2.csv", extra + 2),
    ]
    assert all(
        reason.endswith("first copy kept at attendance/attendance-0.csv row 1") for *_, reason in duplicates
    )
    staged = rows(
        conn, "select count(*) from staging.attendance where source_file = 'attendance/attendance-0.csv'"
    )
    assert staged[0][0] >= 1 and report.table("attendance").rows_read == len(ATTENDANCE) + 2


def test_the_refresh_caps_duckdb_memory(tmp_path, monkeypatch):
    settings = Settings.resolve(tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "out")
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    resource = make_resources(settings)["duckdb"]
    assert resource.connection_config["memory_limit"] == DEFAULT_MEMORY_LIMIT
    with resource.get_connection() as conn:
        limit = conn.execute("select current_setting('memory_limit')").fetchall()[0][0]
    assert limit.split(" ")[0] in ("1.8", "1.9", "2.0") and limit.endswith("GiB"), limit
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "512MB")
    assert make_resources(settings)["duckdb"].connection_config["memory_limit"] == "512MB"
