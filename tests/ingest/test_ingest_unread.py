"""Nothing unread in silence: every file of a table folder is read or reported with its reason, and data on a
second worksheet of an XLSX batch stops the run naming the file."""

from __future__ import annotations

import gzip

import duckdb
import pytest
from ingest_helpers import TEST_KEY, ingest_into_memory, rows
from small_raw import SMALL_RAW, write_small_raw

from pipelines.ingest.errors import RawDataError
from pipelines.ingest.load import ingest


def _clutter(raw):
    """What an export drop accumulates beside its batches."""
    (raw / "attendance" / "attendance-2019.xls").write_bytes(b"\xd0\xcf\x11\xe0 old Excel")
    (raw / "attendance" / "attendance-2020.tsv").write_text("meeting_id\tparticipant_name\n")
    (raw / "attendance" / "attendance-2021.csv.gz").write_bytes(
        gzip.compress(SMALL_RAW["attendance"].encode())
    )
    (raw / "attendance" / "2022").mkdir()
    (raw / "attendance" / "2022" / "attendance.csv").write_text(SMALL_RAW["attendance"])
    (raw / "attendance" / ".attendance-2026.csv.partial").write_text("being copied")
    (raw / "recommendations" / "relaton-import-report.json").write_text("{}")
    (raw / "atendance").mkdir()  # a misspelt table folder
    (raw / "atendance" / "attendance-2023.csv").write_text(SMALL_RAW["attendance"])


def test_every_file_that_is_not_a_batch_is_reported_with_its_reason(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    _clutter(raw)
    warehouse = tmp_path / "wh.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        report = ingest(raw, conn, TEST_KEY)
        assert rows(conn, "select table_name, path, reason from meta.raw_not_read order by path") == [
            (None, "atendance/", "a folder that is not a raw table"),
            (
                "attendance",
                "attendance/.attendance-2026.csv.partial",
                "a hidden or temporary file (its name starts with '.' or '~$'): not a batch",
            ),
            ("attendance", "attendance/2022/", "a folder: only the files directly in attendance/ are read"),
            (
                "attendance",
                "attendance/attendance-2019.xls",
                "file type .xls is not read (CSV, XLSX or Parquet only)",
            ),
            (
                "attendance",
                "attendance/attendance-2020.tsv",
                "file type .tsv is not read (CSV, XLSX or Parquet only)",
            ),
            (
                "attendance",
                "attendance/attendance-2021.csv.gz",
                "file type .csv.gz is not read (CSV, XLSX or Parquet only)",
            ),
            (
                "recommendations",
                "recommendations/relaton-import-report.json",
                "an import report, not a batch",
            ),
        ]
        assert rows(
            conn, "select files, files_not_read from meta.ingest_report where table_name = 'attendance'"
        ) == [(1, 5)]
    assert len(report.not_read()) == 7
    from pipelines.refresh import ingest_warnings

    warnings = ingest_warnings(warehouse)
    assert (
        "not read: attendance/attendance-2019.xls (file type .xls is not read (CSV, XLSX or Parquet only))"
        in warnings
    )
    assert "not read: atendance/ (a folder that is not a raw table)" in warnings


def _workbook(path, sheets: dict[str, list[list]]):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, cells in sheets.items():
        sheet = book.create_sheet(name)
        for row in cells:
            sheet.append(row)
    book.create_chartsheet("chart")
    book.save(path)


def _meetings_rows():
    return [line.split(",") for line in SMALL_RAW["meetings"].strip().splitlines()]


def test_data_on_a_second_worksheet_stops_the_run_naming_the_file(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    (raw / "meetings" / "meetings.csv").unlink()
    meetings = _meetings_rows()
    _workbook(
        raw / "meetings" / "meetings.xlsx", {"2023": meetings[:3], "2024": [meetings[0], *meetings[3:]]}
    )
    with pytest.raises(RawDataError) as stopped:
        ingest_into_memory(raw)
    assert str(stopped.value) == (
        "meetings/meetings.xlsx: has data on worksheets after the first ('2023'): '2024'; an export batch is "
        "one worksheet: save each of the others as a file of its own"
    )


def test_empty_extra_worksheets_and_chart_sheets_are_fine(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    (raw / "meetings" / "meetings.csv").unlink()
    _workbook(
        raw / "meetings" / "meetings.xlsx",
        {"meetings": _meetings_rows(), "Sheet2": [], "Sheet3": [[None, "  "]]},
    )
    conn, report = ingest_into_memory(raw)
    assert report.table("meetings").rows_read == len(_meetings_rows()) - 1
    assert rows(conn, "select count(*) from meta.raw_not_read") == [(0,)]
