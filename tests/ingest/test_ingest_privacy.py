"""Personal data stops at ingest by construction: columns outside the contract are dropped from tables about
people as they are read, the quarantine of a personal table keeps no raw text, its reasons quote no value, and
nothing shaped like an e-mail or a phone number is published in a reason or an example."""

from __future__ import annotations

from ingest_helpers import ingest_into_memory, personal_hits, rows
from small_raw import SMALL_RAW, write_small_raw

# A registration export with contact columns the contract does not have.
EXTRA_ATTENDANCE = (
    SMALL_RAW["attendance"].splitlines()[0]
    + ",contact_email,mobile\n"
    + "".join(
        line + ",zed.extra@example.org,+41 79 555 01 23\n"
        for line in SMALL_RAW["attendance"].splitlines()[1:]
    )
)
EXTRA_MEMBERS = (
    SMALL_RAW["members"].splitlines()[0]
    + ",contact_person\n"
    + "".join(line + ",Yolanda Contact\n" for line in SMALL_RAW["members"].splitlines()[1:])
)
# A row shifted by one column: an e-mail lands in `organisation`, a name in `role`, a phone number in `mode`.
SHIFTED = "SG17-2023-1,Zara Vole,,zara.vole@gamma.example,KEN,Yan Holt,+41 22 730 51 11,F\n"
EXTRA_STRINGS = ("zed.extra", "555 01 23", "Yolanda", "zara.vole", "Zara", "Yan Holt", "730 51 11")


def test_columns_outside_the_contract_never_reach_the_warehouse(tmp_path):
    raw = write_small_raw(tmp_path / "raw", {"attendance": EXTRA_ATTENDANCE, "members": EXTRA_MEMBERS})
    conn, report = ingest_into_memory(raw)
    assert personal_hits(conn, EXTRA_STRINGS) == []
    columns = {
        c
        for (c,) in rows(
            conn, "select column_name from duckdb_columns() where table_name in ('attendance', 'members')"
        )
    }
    assert not columns & {"contact_email", "mobile", "contact_person"}
    assert report.table("attendance").columns_dropped == ["contact_email", "mobile"]
    assert report.table("members").columns_dropped == ["contact_person"]
    assert rows(
        conn,
        "select table_name, columns_dropped from meta.ingest_report where len(columns_dropped) > 0 order by 1",
    ) == [("attendance", ["contact_email", "mobile"]), ("members", ["contact_person"])]
    # Other tables keep their extra columns, as the raw-data contract says.
    meetings = "".join(
        line + (",room\n" if i == 0 else ",Popov\n")
        for i, line in enumerate(SMALL_RAW["meetings"].splitlines())
    )
    raw2 = write_small_raw(tmp_path / "raw2", {"meetings": meetings})
    conn2, _ = ingest_into_memory(raw2)
    assert "room" in {
        c
        for (c,) in rows(
            conn2,
            "select column_name from duckdb_columns() where table_name = 'meetings' and schema_name = 'staging'",
        )
    }


def test_a_shifted_attendance_row_leaves_no_personal_data_in_quarantine_or_its_summary(tmp_path):
    from pipelines.sql_models import build_all

    raw = write_small_raw(tmp_path / "raw", {"attendance": SMALL_RAW["attendance"] + SHIFTED})
    conn, _ = ingest_into_memory(raw)
    ((reason, role, mode, organisation, meeting),) = rows(
        conn, "select reason, role, mode, organisation, meeting_id from quarantine.attendance"
    )
    # The column and the rule, never the value; the values kept are those that passed their rule.
    assert (
        reason
        == "role is not one of: delegate, chair, vice-chair, rapporteur, associate rapporteur, editor, liaison, TSB"
    )
    assert (role, mode, organisation, meeting) == (None, None, None, "SG17-2023-1")
    build_all(conn)
    assert personal_hits(conn, EXTRA_STRINGS) == []
    (example,) = rows(
        conn, "select example_reason from marts.quarantine_summary where table_name = 'attendance'"
    )[0]
    assert example == reason


def test_reasons_of_personal_tables_quote_no_value(tmp_path):
    attendance = SMALL_RAW["attendance"] + (
        "SG99-2023-1,Zara Vole,zara.vole@gamma.example,Gamma Labs,KEN,delegate,remote,F\n"  # unknown meeting
        "SG17-2023-1,Zara Vole,zara.vole@gamma.example,Gamma Labs,XXX,delegate,remote,F\n"  # unknown country
        "SG17-2023-1,Zara Vole,zara.vole@gamma.example,Gamma Labs,KEN,delegate,remote,Q\n"  # gender
        "SG17-2023-1,Ada Quill,ada.quill@alpha.example,Alpha,USA,chair,on-site,F\n"  # duplicate
    )
    raw = write_small_raw(tmp_path / "raw", {"attendance": attendance})
    conn, _ = ingest_into_memory(raw)
    reasons = [r for (r,) in rows(conn, "select reason from quarantine.attendance order by source_row")]
    assert reasons == [
        "meeting_id not in meetings",
        "country_iso3 not in countries",
        "gender is not one of: F, M, X",
        "duplicate key (meeting_id, participant_key): first copy kept at attendance/attendance.csv row 1",
    ]


def test_emails_and_phone_numbers_are_masked_in_every_reason(tmp_path):
    meetings = (
        SMALL_RAW["meetings"] + "SG17-2024-9,SG17,zed@example.org,2024-01-01,2024-01-02,,,+41 22 730 51 11\n"
    )
    raw = write_small_raw(tmp_path / "raw", {"meetings": meetings})
    conn, _ = ingest_into_memory(raw)
    (reason,) = rows(conn, "select reason from quarantine.meetings")[0]
    assert reason.startswith("kind '<e-mail>' is not one of: ") and "zed@" not in reason
    from pipelines.privacy import mask_personal

    assert mask_personal("call +41 22 730 51 11 or (022) 730-5111, write a.b@c.example") == (
        "call <phone> or <phone>, write <e-mail>"
    )
    # Dates, periods, document numbers, keys and counts are not phone numbers.
    for text in (
        "2023-03-01 is before 2023-03-10",
        "2017-2020",
        "SG17-C-0123",
        "p_1234567890abcdef0123",
        "row 123456",
    ):
        assert mask_personal(text) == text
