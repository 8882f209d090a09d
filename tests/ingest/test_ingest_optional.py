"""Optional raw tables (peer_publications, events): without a file the run goes on, with empty tables and a note."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import ingest_into_memory, rows
from small_raw import SMALL_RAW, write_small_raw

from pipelines.ingest.errors import RawDataError
from pipelines.ingest.tables import TABLES_BY_NAME

PEERS = (
    "sdo,publication_id,document,title,published_on,date_precision,committee,kind,source,source_commit,ics\n"
    "ISO,ISO/IEC 27001:2022,ISO/IEC 27001,Information security,2022-10-01,month,ISO/IEC JTC 1/SC 27,edition,"
    "relaton-data-iso,87c31d3,35.030; 03.100.70\n"
)


def test_absent_optional_table_gives_empty_typed_tables_and_a_note(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    assert TABLES_BY_NAME["peer_publications"].optional
    conn, report = ingest_into_memory(raw)
    assert report.absent == [t.name for t in TABLES_BY_NAME.values() if t.optional]
    assert "peer_publications" in report.absent and "events" in report.absent
    assert report.plans["peer_publications"].mode == "absent"
    assert report.table("peer_publications").rows_read == 0
    for schema in ("staging", "quarantine"):
        assert rows(conn, f"select count(*) from {schema}.peer_publications") == [(0,)]
    types = dict(
        rows(
            conn,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'peer_publications'",
        )
    )
    assert types["published_on"] == "DATE" and types["source_row"] == "BIGINT"
    assert rows(
        conn,
        "select table_name, files, rows_read, rows_staged, rows_quarantined from meta.ingest_report "
        "where table_name = 'peer_publications'",
    ) == [("peer_publications", 0, 0, 0, 0)]
    # Neither real nor synthetic: an absent table is not part of the dataset's description.
    domains = json.loads(rows(conn, "select domains from meta.dataset")[0][0])
    assert "peer_publications" not in domains and "attendance" in domains


def test_empty_optional_folder_is_absent_too(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    (raw / "peer_publications").mkdir()
    _, report = ingest_into_memory(raw)
    assert "peer_publications" in report.absent


def test_present_optional_table_is_staged_with_its_extra_columns(tmp_path):
    raw = write_small_raw(tmp_path / "raw", {"peer_publications": PEERS})
    conn, report = ingest_into_memory(raw)
    assert "peer_publications" not in report.absent
    assert rows(conn, "select sdo, committee, published_on::varchar, ics from staging.peer_publications") == [
        ("ISO", "ISO/IEC JTC 1/SC 27", "2022-10-01", ["35.030", "03.100.70"])
    ]


def test_a_required_table_without_files_still_stops_the_run(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    (raw / "meetings" / "meetings.csv").unlink()
    with pytest.raises(RawDataError, match="meetings/"):
        ingest_into_memory(raw)
    assert "meetings" in SMALL_RAW
