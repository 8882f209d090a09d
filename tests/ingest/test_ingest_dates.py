"""Plausible dates: a date outside the documented window (pipelines/config/ingest.yaml) is quarantined at
ingest with a reason naming the column and the window, so one stray row neither becomes a year of its own
nor stops the refresh in a mart check."""

from __future__ import annotations

import datetime as dt

from ingest_helpers import ingest_into_memory, rows
from small_raw import SMALL_RAW, write_small_raw
from testkit import build_warehouse

NEXT_YEAR_END = f"{dt.date.today().year + 1}-12-31"
STRAY_MEETING = "SG17-2999-1,SG17,SG,2999-12-30,2999-12-31,Geneva,CHE,physical\n"
STRAY_ATTENDANCE = "".join(
    f"SG17-2999-1,Stray Person {i},stray{i}@x.example,Alpha Networks Ltd,USA,delegate,remote,{g}\n"
    for i, g in enumerate("FFM")
)
OLD_RECOMMENDATION = "X.1900,1900-01-01,SG17,,Ancient,new,AAP,in force,,\n"


def _stray_raw(tmp_path):
    return write_small_raw(
        tmp_path / "raw",
        {
            "meetings": SMALL_RAW["meetings"] + STRAY_MEETING,
            "attendance": SMALL_RAW["attendance"] + STRAY_ATTENDANCE,
            "recommendations": SMALL_RAW["recommendations"] + OLD_RECOMMENDATION,
        },
    )


def test_dates_outside_the_window_are_quarantined_with_a_reason(tmp_path):
    conn, report = ingest_into_memory(_stray_raw(tmp_path))
    assert rows(conn, "select source_file, source_row, reason from quarantine.meetings") == [
        (
            "meetings/meetings.csv",
            5,
            f"start_date 2999-12-30 is outside the plausible dates 1990-01-01 to {NEXT_YEAR_END}",
        )
    ]
    assert rows(conn, "select reason from quarantine.recommendations") == [
        (f"approved_on 1900-01-01 is outside the plausible dates 1956-12-01 to {NEXT_YEAR_END}",)
    ]
    # Its attendance has no meeting to belong to.
    assert rows(conn, "select count(*), any_value(reason) from quarantine.attendance") == [
        (3, "meeting_id not in meetings")
    ]
    # Member States joined from 1866 on: inside their own window.
    assert rows(conn, "select count(*) from quarantine.members") == [(0,)]


def test_a_stray_date_neither_becomes_the_brief_year_nor_stops_the_marts(tmp_path):
    from pipelines.briefs.data import brief_scopes, default_year

    conn = build_warehouse(_stray_raw(tmp_path))
    assert default_year(conn) == 2025
    assert brief_scopes(conn, 2025) == ["SG21", "sector"]
    assert rows(conn, "select max(year) from marts.sg_year_kpis") == [(2025,)]
    assert rows(conn, "select min(year) from marts.sg_year_kpis") == [(2023,)]


def test_the_window_is_configured_and_checked(tmp_path):
    import pytest

    from pipelines.ingest.policy import IngestPolicy, ingest_policy

    policy = ingest_policy()
    today = dt.date(2026, 12, 6)
    assert policy.date_window("meetings", "start_date", today) == (dt.date(1990, 1, 1), dt.date(2027, 12, 31))
    assert policy.date_window("members", "joined_on", today)[0] == dt.date(1865, 5, 17)
    assert policy.date_window("work_items", "target_on", today)[1] == dt.date(2036, 12, 31)
    with pytest.raises(ValueError, match="plausible_dates.columns: meetings.city is not a date column"):
        IngestPolicy.model_validate(
            {
                "people_tables": {},
                "plausible_dates": {
                    "earliest": "1990-01-01",
                    "years_ahead": 1,
                    "columns": {"meetings.city": {}},
                },
            }
        )
