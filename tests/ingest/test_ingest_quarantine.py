"""Row-level quarantine: every bad row kept with its exact reason, every good row staged, nothing dropped."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from ingest_helpers import TEST_KEY, ingest_into_memory, personal_hits, rows
from small_raw import PERSONAL_STRINGS, SMALL_RAW, write_small_raw

from pipelines.ingest.pseudonymise import participant_key
from pipelines.ingest.tables import TABLE_NAMES

ADA = participant_key(TEST_KEY, "email:ada.quill@alpha.example")
OTHER_PEOPLE = ("Gus Pike", "gus.pike", "Hal Drum", "Ivy Lark", "ivy.lark")

# (table, appended CSV rows). Each appended row's comment is its reason (None: the row is valid and staged).
APPENDED = {
    "countries": [
        ("XYZ,,Europe,developed", "required value name is missing"),
        (
            "FRA,France,Europa,developed",
            "itu_region 'Europa' is not one of: Africa, Americas, Arab States, Asia-Pacific, CIS, Europe",
        ),
        ("fra,France,Europe,developed", "iso3 'fra' is not three upper-case letters"),
        (
            "CHE,Suisse,Europe,developed",
            "duplicate key (iso3 'CHE'): first copy kept at countries/countries.csv row 1",
        ),
        ("GBR,United Kingdom, europe ,DEVELOPED", None),
        (
            "IND,India,Asia-Pacific,emerging",
            "development_status 'emerging' is not one of: developed, developing, LDC",
        ),
    ],
    "study_groups": [
        (
            "SG5,2021-2024,Bad period,",
            "study_period '2021-2024' is not one of: 2017-2020, 2022-2024, 2025-2028",
        ),
        ("SG100,2022-2024,Too many digits,", "sg 'SG100' is not SG<n> or TSAG"),
        # Blank after trimming, so missing (and not a duplicate of row 1, which it would otherwise be).
        ("SG17,2022-2024,   ,", "required value title is missing"),
    ],
    "questions": [
        ("Q9/99,SG99,2022-2024,Unknown SG", "sg 'SG99' not in study_groups for 2022-2024"),
        ("Q1/21,SG21,2022-2024,Wrong period", "sg 'SG21' not in study_groups for 2022-2024"),
    ],
    "members": [
        ("SM-3,Epsilon Corp,Sector Member,XXX,2021-01-01,,SG17", "country_iso3 'XXX' not in countries"),
        (
            "SM-4,Zeta Inc,Sector Member,USA,2021-01-01,2020-01-01,SG17",
            "left_on 2020-01-01 is before joined_on 2021-01-01",
        ),
        (
            "AS-2,Eta Labs,Associate,KEN,2023-02-01,,SG17;SG21",
            "an Associate is registered in exactly one SG, found 2",
        ),
        (
            "AS-3,Theta Labs,Associate,KEN,2023-02-01,,",
            "an Associate is registered in exactly one SG, found 0",
        ),
        ("SM-5,Iota Ltd,Sector Member,USA,2021-01-01,,SG17; SG99", "sgs entry 'SG99' not in study_groups"),
        ("SM-6,Kappa,Sector Member,USA,2021-13-01,,", "joined_on '2021-13-01' is not a date (YYYY-MM-DD)"),
        (
            "SM-7,Lambda,Partner,USA,2021-01-01,,",
            "category 'Partner' is not one of: Member State, Sector Member, Associate, Academia",
        ),
        ("AS-4,Mu Labs,associate,KEN,2023-02-01,, SG21 ", None),
        # FRA was itself quarantined: a foreign key matches staged rows only.
        ("SM-8,Nu,Sector Member,FRA,2021-01-01,,", "country_iso3 'FRA' not in countries"),
    ],
    "org_aliases": [
        ("Ghost,SM-404", "member_id 'SM-404' not in members"),
        ("Lambda Alias,SM-7", "member_id 'SM-7' not in members"),
        ("ANW,SM-2", "duplicate key (alias 'ANW'): first copy kept at org_aliases/org_aliases.csv row 1"),
    ],
    "meetings": [
        (
            "SG17-2023-9,SG17,SG,2023-03-10,2023-03-01,Geneva,CHE,physical",
            "end_date 2023-03-01 is before start_date 2023-03-10",
        ),
        ("SG99-2023-1,SG99,SG,2023-03-01,2023-03-02,,,virtual", "sg 'SG99' not in study_groups"),
        (
            "SG17-2023-8,SG17,SG,2023-03-01,2023-03-02,Paris,FRA,physical",
            "country_iso3 'FRA' not in countries",
        ),
        (
            "SG17-2023-7,SG17,plenary,2023-03-01,2023-03-02,,,virtual",
            "kind 'plenary' is not one of: SG, WP, RG, TSAG, workshop, CxO",
        ),
        (
            "SG17-2023-6,SG17,SG,12/03/2023,2023-03-14,,,virtual",
            "start_date '12/03/2023' is not a date (YYYY-MM-DD)",
        ),
        ("SG17-2023-5,SG17,SG,2023-03-01,2023-03-01,,,Hybrid", None),
    ],
    # Attendance is about people: its reasons name the column and the rule, never the value.
    "attendance": [
        (
            "SG99-2023-1,Ed Vane,ed.vane@orbis.example,Orbis Consulting,EGY,delegate,remote,M",
            "meeting_id not in meetings",
        ),
        (
            "SG17-2023-1,Fay Tern,fay.tern@gamma.example,Gamma Labs,KEN,delegate,hybrid,F",
            "mode is not one of: on-site, remote",
        ),
        # The same person as row 1 (e-mail differs only in case) at the same meeting.
        (
            "SG17-2023-1,Ada Quill,ADA.QUILL@alpha.example,Alpha Networks Ltd,USA,delegate,remote,F",
            "duplicate key (meeting_id, participant_key): first copy kept at attendance/attendance.csv row 1",
        ),
        (
            "SG17-2023-2,,,Alpha Networks Ltd,USA,delegate,remote,F",
            "required value participant_name is missing",
        ),
        (
            "SG17-2023-2,Gus Pike,gus.pike@x.example,Acme,XYZ,delegate,remote,",
            "country_iso3 not in countries",
        ),
        ("SG17-2023-2,Hal Drum,,Acme, USA ,Delegate,Remote,x", None),
        (
            "SG17-2024-1,Ivy Lark,ivy.lark@x.example,Acme,USA,speaker,remote,F",
            "role is not one of: delegate, chair, vice-chair, rapporteur, associate rapporteur, "
            "editor, "
            "liaison, TSB",
        ),
    ],
    "contributions": [
        (
            "T22-SG17-C-0009,SG17,2022-2024,C,SG17-2023-1,2023-13-45,Q6/17,Alpha Networks Ltd,Bad date,,",
            "submitted_on '2023-13-45' is not a date (YYYY-MM-DD)",
        ),
        (
            "T22-SG17-C-0010,SG17,2022-2024,C,SG17-2023-1,12/03/2023,Q6/17,Alpha Networks Ltd,US date,,",
            "submitted_on '12/03/2023' is not a date (YYYY-MM-DD)",
        ),
        (
            "T22-SG17-C-0011,SG17,2022-2024,C,SG17-2099-1,2023-02-01,Q6/17,Alpha Networks Ltd,No meeting,,",
            "meeting_id 'SG17-2099-1' not in meetings",
        ),
        (
            "T22-SG17-C-0012,SG17,2022-2024,C,,2023-02-01,Q6/17,,No sources,,",
            "required value sources is missing",
        ),
        # Bug fixed: a required list holding only separators was staged with sources NULL.
        (
            "T22-SG17-C-0013,SG17,2022-2024,C,,2023-02-01,Q6/17, ; ,Only separators,,",
            "required value sources is missing",
        ),
        (
            "T22-SG17-C-0001,SG17,2022-2024,C,SG17-2023-1,2023-02-20,Q4/17,Alpha Networks Ltd,Again,,",
            "duplicate key (document 'T22-SG17-C-0001'): "
            "first copy kept at contributions/contributions.csv row 1",
        ),
        (
            "T22-SG17-C-0014,SG99,2022-2024,C,,2023-02-01,Q6/17,Kenya,Unknown SG,,",
            "sg 'SG99' not in study_groups for 2022-2024",
        ),
        (
            "T22-SG17-C-0015,SG17,2022-2024,Contribution,,2023-02-01,Q6/17,Kenya,Bad type,,",
            "doc_type 'Contribution' is not one of: C, TD, LS-in, LS-out",
        ),
        # A duplicate whose first copy is invalid: the later valid copy is the one kept.
        (
            "T22-SG17-C-0016,SG17,2022-2024,C,,not-a-date,Q6/17,Kenya,First copy invalid,,",
            "submitted_on 'not-a-date' is not a date (YYYY-MM-DD)",
        ),
        ("T22-SG17-C-0016,SG17,2022-2024,C,,2023-02-02,Q6/17,Kenya,Second copy valid,,", None),
        (
            "T22-SG17-C-0017,SG17,2022-2024,C,,2023-02-02,Q6/17,Kenya,Bad outcome,,accepted",
            "outcome 'accepted' is not one of: agreed, partly agreed, noted, withdrawn",
        ),
    ],
    "recommendations": [
        (
            "X.1001,2023-09-01,SG17,Q6/17,Dup,new,AAP,in force,,",
            "duplicate key (rec_id 'X.1001', approved_on '2023-09-01', kind 'new'): "
            "first copy kept at recommendations/recommendations.csv row 1",
        ),
        (
            "X.1003,2023-09-01,SG17,,T,new,AAP,active,,",
            "status 'active' is not one of: in force, superseded, withdrawn",
        ),
        ("X.1004,2023-09-01,SG17,,T,new,fast,in force,,", "approval_process 'fast' is not one of: AAP, TAP"),
    ],
    "work_items": [
        (
            "X.late,SG17,,Late,2023-01-01,2022-12-31,ongoing,",
            "target_on 2022-12-31 is before started_on 2023-01-01",
        ),
        ("X.unk,SG42,,Unknown SG,2023-01-01,,ongoing,", "sg 'SG42' not in study_groups"),
        ("X.blank,SG17,,   ,2023-01-01,,ongoing,", "required value title is missing"),
        ("X.nostart,SG17,,No start,,,ongoing,", "required value started_on is missing"),
    ],
    # An optional table: the small raw directory has none, so this test writes a header and these rows.
    "peer_publications": [
        (
            "ISO,ISO/IEC 27001:2022,ISO/IEC 27001,Information security,2022-10-01,month,ISO/IEC JTC 1/SC 27,edition,87c31d3,relaton",
            None,
        ),
        (
            "ISO,ISO/IEC 27001:2022,ISO/IEC 27001,Copy,2022-10-01,month,ISO/IEC JTC 1/SC 27,edition,87c31d3,relaton",
            "duplicate key (sdo 'ISO', publication_id 'ISO/IEC 27001:2022'): "
            "first copy kept at peer_publications/peer_publications.csv row 1",
        ),
        (
            "IETF,RFC 9000,RFC 9000,QUIC,2021-05-01,month,QUIC,edition,abc,relaton",
            "sdo 'IETF' is not one of: 3GPP, ETSI, W3C, ISO, IEEE",
        ),
        (
            "W3C,WD-x-20210101,W3C x,X,2021-13-01,day,W3C Media Working Group,publication,723e8a3,relaton",
            "published_on '2021-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            "ETSI,ETSI TS 103 645 V1.1.1 (2019-02),ETSI TS 103 645,IoT,2019-02-01,month,,version,1a18b1b,relaton",
            "required value committee is missing",
        ),
        (
            "3GPP,3GPP TS 26.114:REL-18/18.5.0,3GPP TS 26.114,IMS,2024-01-05,week,3GPP TSG SA WG4,version,c6e533e,relaton",
            "date_precision 'week' is not one of: day, month, year",
        ),
    ],
    # Another optional table (docs/optional-tables.md).
    "events": [
        ("CXO-2024-1,CxO meeting,CxO meeting,2024-03-12,Sector Member,Europe,31,4,,CHE", None),
        (
            "CXO-2024-2,CxO meeting,CxO meeting,2024-10-01,Academia,Europe,about 40,,,",
            "participants 'about 40' is not a whole number (0 or more)",
        ),
        (
            "CXO-2024-3,CxO meeting,gala,2024-10-02,Academia,Europe,5,,,",
            "kind 'gala' is not one of: CxO meeting, workshop, forum, webinar",
        ),
        (
            "WS-2024-1,Workshop,workshop,2024-10-04,Academia,Europe,5,x1,SG17,",
            "follow_up_contributions 'x1' is not a whole number (0 or more)",
        ),
        ("WS-2024-2,Workshop,workshop,2024-10-04,Academia,Europe,5,,SG99,", "sg 'SG99' not in study_groups"),
    ],
    # The membership consultation (docs/consultation.md): answers that do not fit their question.
    "consultation_responses": [
        ("R1,2024-09-01,Academia,Europe,SG17,REL1,4,", None),
        ("R1,2024-09-01,Academia,Europe,SG17,REL2,7,", "likert 7 is not 1 to 5"),
        (
            "R1,2024-09-01,Academia,Europe,SG17,BAR1,,too far",
            "question BAR1 takes a likert answer 1-5 and no free_text",
        ),
        ("R1,2024-09-01,Academia,Europe,SG17,BAR2,3,", "question BAR2 takes free_text and no likert"),
        (
            "R1,2024-09-01,Academia,Europe,SG17,VAL1,4,",
            "question VAL1 is about ITU-T as a whole: sg must be empty",
        ),
        ("R1,2024-09-01,Academia,Europe,,WM1,4,", "question WM1 is about one study group: sg is required"),
        (
            "R1,2024-09-01,Academia,Europe,SG17,Q99,4,",
            "question_id 'Q99' is not one of: REL1, REL2, VAL1, BAR1, BAR2, WM1, WM2",
        ),
        (
            "ada@example.org,2024-09-01,Academia,Europe,SG17,REL1,4,",
            "respondent_id is shaped like an e-mail address or a phone number: use an opaque id",
        ),
    ],
}
CONSULTATION_HEADER = "respondent_id,responded_on,category,itu_region,sg,question_id,likert,free_text\n"
EVENTS_HEADER = "event_id,title,kind,event_date,category,itu_region,participants,follow_up_contributions,sg,country_iso3\n"
PEER_HEADER = (
    "sdo,publication_id,document,title,published_on,date_precision,committee,kind,source_commit,source\n"
)
BASE = {
    **SMALL_RAW,
    "peer_publications": PEER_HEADER,
    "events": EVENTS_HEADER,
    "consultation_responses": CONSULTATION_HEADER,
}

# A second batch of contributions, columns in another order and case, some optional columns absent.
CONTRIBUTIONS_2 = """TITLE,document,Sources,SG,study_period,doc_type,submitted_on
Copy of C-0002,T22-SG17-C-0002,Kenya,SG17,2022-2024,C,2023-02-21
Copy of C-0016,T22-SG17-C-0016,Kenya,SG17,2022-2024,C,2023-02-03
Second batch,T22-SG17-C-0018,Kenya,SG17,2022-2024,LS-in,2023-02-04
"""
CONTRIBUTIONS_2_EXPECTED = [
    (
        1,
        "duplicate key (document 'T22-SG17-C-0002'): first copy kept at contributions/contributions.csv "
        "row 2",
    ),
    (
        2,
        "duplicate key (document 'T22-SG17-C-0016'): first copy kept at contributions/contributions.csv "
        "row 18",
    ),
    (3, None),
]


def _base_rows(table: str) -> int:
    return len(BASE[table].strip().splitlines()) - 1


def expected_outcomes() -> list[tuple[str, str, int, str | None]]:
    """(table, source_file, source_row, reason or None) for every appended row."""
    out = []
    for table, appended in APPENDED.items():
        for i, (_, reason) in enumerate(appended, start=_base_rows(table) + 1):
            out.append((table, f"{table}/{table}.csv", i, reason))
    out += [("contributions", "contributions/contributions_2.csv", n, r) for n, r in CONTRIBUTIONS_2_EXPECTED]
    return out


OUTCOMES = expected_outcomes()
QUARANTINED = [o for o in OUTCOMES if o[3] is not None]


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    raw = tmp_path_factory.mktemp("quarantine") / "raw"
    write_small_raw(raw, {t: BASE[t] + "".join(line + "\n" for line, _ in a) for t, a in APPENDED.items()})
    (raw / "contributions" / "contributions_2.csv").write_text(CONTRIBUTIONS_2, encoding="utf-8")
    conn, report = ingest_into_memory(raw)
    yield conn, report, raw
    conn.close()


@pytest.mark.parametrize(
    "table, source_file, source_row, reason",
    QUARANTINED,
    ids=[f"{o[0]}-{o[1].split('/')[1]}-{o[2]}" for o in QUARANTINED],
)
def test_row_quarantined_with_reason(bad, table, source_file, source_row, reason):
    conn = bad[0]
    assert rows(
        conn,
        f"select reason from quarantine.{table} where source_file = ? and source_row = ?",
        [source_file, source_row],
    ) == [(reason,)]
    assert rows(
        conn,
        f"select count(*) from staging.{table} where source_file = ? and source_row = ?",
        [source_file, source_row],
    ) == [(0,)]


def test_quarantine_holds_exactly_the_bad_rows(bad):
    conn = bad[0]
    found = []
    for table in TABLE_NAMES:
        found += [
            (table, f, r, why)
            for f, r, why in rows(conn, f"select source_file, source_row, reason from quarantine.{table}")
        ]
    assert sorted(found) == sorted(QUARANTINED)


def test_valid_appended_rows_are_staged_with_canonical_values(bad):
    conn = bad[0]
    assert rows(
        conn, "select iso3, name, itu_region, development_status from staging.countries where iso3 = 'GBR'"
    ) == [("GBR", "United Kingdom", "Europe", "developed")]
    assert rows(conn, "select category, sgs from staging.members where member_id = 'AS-4'") == [
        ("Associate", ["SG21"])
    ]
    assert rows(
        conn, "select format, start_date, end_date from staging.meetings where meeting_id = 'SG17-2023-5'"
    ) == [("hybrid", dt.date(2023, 3, 1), dt.date(2023, 3, 1))]
    assert rows(
        conn, "select country_iso3, role, mode, gender from staging.attendance where source_row = 16"
    ) == [("USA", "delegate", "remote", "X")]


def test_duplicate_keeps_the_first_valid_copy(bad):
    conn = bad[0]
    assert rows(
        conn,
        "select document, title, submitted_on, source_file, source_row from staging.contributions "
        "where document in ('T22-SG17-C-0001', 'T22-SG17-C-0002', 'T22-SG17-C-0016') order by document",
    ) == [
        ("T22-SG17-C-0001", "Proposal on spam", dt.date(2023, 2, 20), "contributions/contributions.csv", 1),
        (
            "T22-SG17-C-0002",
            "IoT security proposal",
            dt.date(2023, 2, 21),
            "contributions/contributions.csv",
            2,
        ),
        ("T22-SG17-C-0016", "Second copy valid", dt.date(2023, 2, 2), "contributions/contributions.csv", 18),
    ]
    assert rows(conn, "select count(*) from staging.countries where iso3 = 'CHE'") == [(1,)]
    assert rows(conn, "select name from staging.countries where iso3 = 'CHE'") == [("Switzerland",)]


def test_second_batch_with_other_columns_is_unioned(bad):
    conn = bad[0]
    assert rows(
        conn,
        "select document, doc_type, sources, meeting_id, outcome from staging.contributions "
        "where source_file = 'contributions/contributions_2.csv'",
    ) == [("T22-SG17-C-0018", "LS-in", ["Kenya"], None, None)]


def test_quarantine_keeps_raw_text_and_lineage(bad):
    conn = bad[0]
    assert rows(
        conn,
        "select document, submitted_on, sources, source_file, source_row from quarantine.contributions "
        "where reason like 'submitted_on ''2023-13-45''%'",
    ) == [("T22-SG17-C-0009", "2023-13-45", "Alpha Networks Ltd", "contributions/contributions.csv", 9)]
    types = {
        t
        for (t,) in rows(
            conn,
            "select distinct data_type from information_schema.columns "
            "where table_schema = 'quarantine' and column_name not in ('source_row')",
        )
    }
    assert types == {"VARCHAR"}


def test_quarantined_attendance_has_no_personal_columns(bad):
    conn = bad[0]
    columns = [
        c
        for (c,) in rows(
            conn,
            "select column_name from information_schema.columns "
            "where table_schema = 'quarantine' and table_name = 'attendance' order by ordinal_position",
        )
    ]
    assert columns == [
        "meeting_id",
        "organisation",
        "country_iso3",
        "role",
        "mode",
        "gender",
        "participant_key",
        "reference_digest",  # a keyed digest of an unmatched meeting or country, never its text
        "source_file",
        "source_row",
        "reason",
    ]
    assert rows(conn, "select participant_key from quarantine.attendance where source_row = 13") == [(ADA,)]
    assert personal_hits(conn, PERSONAL_STRINGS + OTHER_PEOPLE) == []


def test_reconciliation_per_table(bad):
    conn, report, _ = bad
    expected_read = {t: _base_rows(t) + len(APPENDED[t]) for t in TABLE_NAMES}
    expected_read["contributions"] += 3
    expected_quarantined = {t: sum(1 for o in QUARANTINED if o[0] == t) for t in TABLE_NAMES}
    ingest_report = {
        r[0]: r[1:]
        for r in rows(
            conn, "select table_name, rows_read, rows_staged, rows_quarantined from meta.ingest_report"
        )
    }
    for table in TABLE_NAMES:
        staged = rows(conn, f"select count(*) from staging.{table}")[0][0]
        quarantined = rows(conn, f"select count(*) from quarantine.{table}")[0][0]
        assert ingest_report[table] == (expected_read[table], staged, quarantined), table
        assert quarantined == expected_quarantined[table], table
        assert staged + quarantined == expected_read[table], table
        assert report.table(table).rows_read == expected_read[table]


def test_reconciliation_per_file(bad):
    conn, _, raw = bad
    for table in TABLE_NAMES:
        on_disk = {}
        for path in sorted((raw / table).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as fh:
                on_disk[path.relative_to(raw).as_posix()] = sum(1 for _ in csv.reader(fh)) - 1
        landed = dict(
            rows(
                conn,
                f"select source_file, count(*) from (select source_file from staging.{table} "
                f"union all select source_file from quarantine.{table}) group by source_file",
            )
        )
        assert landed == on_disk, table
        # Every data row number of every file appears exactly once.
        numbers = rows(
            conn,
            f"select source_file, list(source_row order by source_row) from (select source_file, source_row "
            f"from staging.{table} union all select source_file, source_row from quarantine.{table}) "
            "group by 1",
        )
        assert {f: n for f, n in numbers} == {f: list(range(1, c + 1)) for f, c in on_disk.items()}, table


def test_quarantine_tables_exist_empty_when_nothing_is_rejected(tmp_path):
    conn, report = ingest_into_memory(write_small_raw(tmp_path / "raw"))
    quarantine = [
        t
        for (s, t) in rows(
            conn,
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = 'quarantine'",
        )
    ]
    assert sorted(quarantine) == sorted(TABLE_NAMES)
    for table in TABLE_NAMES:
        assert rows(conn, f"select count(*) from quarantine.{table}") == [(0,)]
        columns = [
            c
            for (c,) in rows(
                conn,
                "select column_name from information_schema.columns where table_schema = 'quarantine' "
                "and table_name = ? order by ordinal_position",
                [table],
            )
        ]
        assert columns[-3:] == ["source_file", "source_row", "reason"], table
    assert sum(t.rows_quarantined for t in report.tables) == 0
    assert [t.rows_staged for t in report.tables] == [_base_rows(t) for t in TABLE_NAMES]
