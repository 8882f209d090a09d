"""The optional raw table events (docs/optional-tables.md): staged typed, bad rows quarantined with a reason,
a file-level error stops the run, and without it the events marts are empty and E6 says "no data"."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import ingest_into_memory, rows
from small_raw import write_small_raw

from pipelines.ingest.errors import RawDataError

HEADER = "event_id,title,kind,event_date,category,itu_region,participants,follow_up_contributions,sg,country_iso3\n"
GOOD = (
    "CXO-2024-1,CxO meeting 2024,CxO meeting,2024-03-12,Sector Member,Europe,31,4,,CHE\n"
    "CXO-2024-1,CxO meeting 2024,CxO meeting,2024-03-12,Non-member,Africa,3,,,CHE\n"
    "WS-2024-1,SG17 workshop,Workshop,2024-06-02,Academia,Asia-Pacific,12,1,SG17,\n"
)
BAD = (
    "CXO-2024-2,CxO meeting,CxO meeting,2024-10-01,Sector Member,Europe,about 40,,,\n"  # not a number
    "CXO-2024-3,CxO meeting,gala dinner,2024-10-02,Sector Member,Europe,5,,,\n"  # kind outside its set
    "CXO-2024-4,CxO meeting,CxO meeting,2024-13-01,Sector Member,Europe,5,,,\n"  # not a date
    "CXO-2024-5,CxO meeting,CxO meeting,2024-10-03,Sector Member,Europe,-5,,,\n"  # negative
    "WS-2024-2,Workshop,workshop,2024-10-04,Academia,Europe,5,,SG99,\n"  # unknown SG
    "CXO-2024-1,CxO meeting 2024,CxO meeting,2024-03-12,Sector Member,Europe,9,,,CHE\n"  # duplicate key
    "CXO-2024-6,CxO meeting,CxO meeting,2024-10-05,Sector Member,,5,,,\n"  # required value missing
)


def test_events_are_staged_typed_and_bad_rows_quarantined_with_reasons(tmp_path):
    raw = write_small_raw(tmp_path / "raw", {"events": HEADER + GOOD + BAD})
    conn, report = ingest_into_memory(raw)
    assert "events" not in report.absent
    staged = rows(
        conn,
        "select event_id, kind, event_date::varchar, category, participants, follow_up_contributions, sg "
        "from staging.events order by source_row",
    )
    assert staged == [
        ("CXO-2024-1", "CxO meeting", "2024-03-12", "Sector Member", 31, 4, None),
        ("CXO-2024-1", "CxO meeting", "2024-03-12", "Non-member", 3, None, None),
        ("WS-2024-1", "workshop", "2024-06-02", "Academia", 12, 1, "SG17"),
    ]
    reasons = [r for (r,) in rows(conn, "select reason from quarantine.events order by source_row")]
    assert reasons == [
        "participants 'about 40' is not a whole number (0 or more)",
        "kind 'gala dinner' is not one of: CxO meeting, workshop, forum, webinar",
        "event_date '2024-13-01' is not a date (YYYY-MM-DD)",
        "participants '-5' is not a whole number (0 or more)",
        "sg 'SG99' not in study_groups",
        reasons[5],
        "required value itu_region is missing",
    ]
    assert (
        reasons[5].startswith("duplicate key (")
        and "first copy kept at events/events.csv row 1" in reasons[5]
    )
    assert rows(
        conn,
        "select rows_read, rows_staged, rows_quarantined from meta.ingest_report where table_name = 'events'",
    ) == [(10, 3, 7)]
    domains = json.loads(rows(conn, "select domains from meta.dataset")[0][0])
    assert "events" in domains


def test_an_events_file_without_a_required_column_stops_the_run(tmp_path):
    raw = write_small_raw(
        tmp_path / "raw", {"events": "event_id,title,kind,event_date\nE1,x,workshop,2024-01-01\n"}
    )
    with pytest.raises(RawDataError, match="events"):
        ingest_into_memory(raw)
