"""marts.sg_year_kpis against hand-computed values (contract: shared/contracts/kpis.md).

Fixture: tests/marts/marts_fixture.py. Attendance rows are numbered 1..21 in file order; people are
A..J2 as listed in the fixture's docstring. Documents are named by their number (C-0003 = T22-SG17-C-0003).
Recommendations: X.1001 new 2023-09-01 AAP (work item X.iotsec started 2022-09-01: 365 days),
X.1002 revised 2023-10-01 TAP (X.spam started 2022-01-10: 629 days), X.1003 new 2023-11-15 no process
(work item X.ghost unknown), X.1001 amendment 2024-05-01 AAP, X.1002 corrigendum 2024-07-01 TAP,
X.1004 revised 2024-09-01 AAP (X.auth started 2023-03-01: 550 days), X.1005 supplement 2024-10-01 AAP,
L.2001 new 2024-04-15 (SG5) no process (L.green started 2023-01-16: 455 days).
"""

from __future__ import annotations

import pytest
from marts_fixture import KPI_COLUMNS, kpi_warehouse, mismatches, records

# Counts: 0 over no rows, never NULL. elephant_factor is not one: without contributions it is NULL.
COUNT_COLUMNS = (
    "meetings",
    "participants",
    "attendance_records",
    "countries",
    "organisations",
    "contributions",
    "contributing_entities",
    "ls_in",
    "ls_out",
    "recs_approved",
    "amendments",
    "backlog",
)

# A year with no attendance: every attendance count is 0 and every attendance share NULL.
NO_ATTENDANCE = dict(
    meetings=0,
    participants=0,
    attendance_records=0,
    remote_share=None,
    countries=0,
    organisations=0,
    developing_share=None,
    female_share=None,
    newcomer_share=None,
)
# A year with no contribution (doc_type C): counts 0, concentration and shares NULL.
NO_CONTRIBUTIONS = dict(
    contributions=0,
    contributing_entities=0,
    hhi=None,
    elephant_factor=None,
    industry_share=None,
    academia_share=None,
    developing_source_share=None,
)
NO_RECOMMENDATIONS = dict(recs_approved=0, amendments=0, aap_share=None, median_cycle_days=None)

EXPECTED: dict[tuple[str, int], dict] = {
    # SG17 2022: meetings SG17-2022-1 (SG) and SG17-2022-2 (WP); attendance rows 1-5.
    ("SG17", 2022): dict(
        meetings=2,
        participants=4,  # A (rows 1, 4: e-mail differs in case and surrounding spaces), B, C, E
        attendance_records=5,
        remote_share=0.8,  # rows 2,3,4,5 remote -> 4/5
        countries=4,  # USA, CHE, KEN, EGY
        # SM-1 (Alpha Networks Ltd / ALPHA NETWORKS), SM-2, MS-KEN, unresolved orbis consulting
        organisations=4,
        developing_share=0.4,  # KEN row 3 + EGY row 5 -> 2/5
        female_share=0.5,  # F rows 1,4 / non-empty gender rows 1,2,4,5 -> 2/4 (row 3 empty)
        newcomer_share=None,  # SG17's first year with attendance
        retention=None,  # no SG17 attendance in 2021
        contributions=2,  # C-0001, C-0002 (TD-0001 and LS-0001 are not contributions)
        contributing_entities=3,  # SM-1, SM-2 (alias Beta Tel), MS-KEN (Kenya)
        hhi=5000.0,  # SM-1 1+1/3, SM-2 1/3, MS-KEN 1/3 of 2 -> shares 2/3,1/6,1/6 -> 4444.44+277.78+277.78
        elephant_factor=1,  # SM-1 4/3 >= 2/2
        industry_share=5 / 6,  # (SM-1 4/3 + SM-2 1/3) / 2
        academia_share=0.0,  # contributions but no Academia source: 0, not NULL
        developing_source_share=1 / 6,  # MS-KEN 1/3 / 2
        ls_in=1,  # LS-0001
        ls_out=0,
        **NO_RECOMMENDATIONS,
        # X.iotsec (started 2022-09-01, X.1001 first approved 2023-09-01), X.spam (2022-01-10, 2023-10-01);
        # X.old is deleted, the others start later
        backlog=2,
    ),
    # SG17 2023: SG17-2023-1 (SG) and SG17-2023-2 (RG, from 2023-12-30 into 2024: a 2023 meeting); rows 6-11.
    ("SG17", 2023): dict(
        meetings=2,
        participants=5,  # A, C ("CY  MARL"+KEN = "Cy Marl"+KEN, no e-mail), D (rows 8, 10), F, H
        attendance_records=6,
        remote_share=0.5,  # rows 8, 9, 11 -> 3/6
        countries=4,  # USA, KEN, BGD, CHE
        organisations=5,  # SM-1 (alias ANW), MS-KEN (ISO3 KEN), AC-1, AS-1, unresolved ofcom switzerland
        developing_share=4 / 6,  # KEN rows 7, 9 + BGD (LDC) rows 8, 10
        female_share=0.6,  # F rows 6, 8, 10 / non-empty rows 6, 8, 9 (X counts), 10, 11 -> 3/5
        newcomer_share=0.6,  # D, F, H first attend SG17 in 2023; A and C in 2022 -> 3/5
        retention=0.5,  # 2022: A, B, C, E; of those A, C attend in 2023 -> 2/4
        contributions=4,  # C-0003..C-0006 (TD-0002, LS-0002 out, LS-0003 in are not)
        contributing_entities=6,  # SM-2, AC-1, orbis, AS-1, MS-KEN, SM-1
        # C-0003: Beta Tel + Beta Telecom GmbH are SM-2 once -> SM-2 1/2, AC-1 1/2; C-0004 orbis 1;
        # C-0005 AS-1 1/2, MS-KEN (KEN) 1/2; C-0006 SM-1 (ANW) 1. Shares of 4: .125,.125,.25,.125,.125,.25
        hhi=1875.0,  # 4*12.5^2 + 2*25^2 = 625 + 1250
        elephant_factor=2,  # orbis 1 + SM-1 1 = 2 = exactly 50% of 4
        industry_share=0.5,  # (SM-2 .5 + AS-1 .5 + SM-1 1) / 4
        academia_share=0.125,  # AC-1 .5 / 4
        developing_source_share=0.375,  # (AC-1 BGD/LDC .5 + AS-1 KEN .5 + MS-KEN .5) / 4
        ls_in=1,  # LS-0003
        ls_out=1,  # LS-0002
        recs_approved=3,  # X.1001 new, X.1002 revised, X.1003 new
        amendments=0,
        aap_share=0.5,  # known processes: X.1001 AAP, X.1002 TAP (X.1003 none) -> 1/2
        median_cycle_days=497.0,  # median(365, 629); X.1003 names unknown work item X.ghost: excluded
        backlog=2,  # X.auth (started 2023-03-01, approved 2024-09-01), X.ongo (ongoing);
        # X.iotsec and X.spam were first approved in 2023 (X.1001's 2024 amendment does not move it)
    ),
    # SG17 2024: SG17-2024-1 (workshop, rows 15-18) and SG17-2024-2 (CxO, no attendance).
    ("SG17", 2024): dict(
        meetings=2,
        participants=4,  # A, F, E, I
        attendance_records=4,
        remote_share=0.25,  # row 17 -> 1/4
        countries=3,  # USA, KEN, EGY
        organisations=4,  # SM-1, AS-1, orbis, SM-3 ("EPSILON SYSTEMS, INC.")
        developing_share=0.75,  # KEN row 16 + EGY rows 17, 18 -> 3/4
        female_share=0.5,  # F rows 15, 18 / 4 non-empty (16 X, 17 M)
        newcomer_share=0.25,  # I is new; A (2022), F (2023), E (2022, absent in 2023: still not new) -> 1/4
        retention=0.4,  # 2023: A, C, D, F, H; of those A, F attend in 2024 -> 2/5
        contributions=2,  # C-0007, C-0008
        contributing_entities=5,  # SM-3, MS-EGY, SM-1, AC-1, orbis
        # C-0007: SM-3 1/2, MS-EGY (ISO3 EGY) 1/2;
        # C-0008: MS-EGY (country name Egypt), SM-1, AC-1, orbis 1/4 each
        # -> MS-EGY .75, SM-3 .5, SM-1 .25, AC-1 .25, orbis .25 of 2 -> shares .375,.25,.125,.125,.125
        hhi=2500.0,  # 1406.25 + 625 + 3*156.25
        elephant_factor=2,  # .75 < 1; .75 + .5 >= 1
        industry_share=0.375,  # (SM-3 .5 + SM-1 .25) / 2
        academia_share=0.125,  # AC-1 .25 / 2
        developing_source_share=0.75,  # (SM-3 EGY .5 + MS-EGY .75 + AC-1 BGD .25) / 2
        ls_in=0,
        ls_out=0,
        recs_approved=1,  # X.1004 revised
        amendments=2,  # X.1001 amendment, X.1002 corrigendum
        aap_share=2 / 3,  # X.1004 AAP, X.1001 Amd AAP, X.1002 Cor TAP; the X.1005 supplement does not count
        median_cycle_days=550.0,  # X.1004 only; the amendment (608 d) and supplement (488 d) are excluded
        backlog=1,  # X.ongo; X.auth approved 2024-09-01; X.future starts in 2025
    ),
    # SG17 2025: documents only (C and LS-in), no meeting.
    ("SG17", 2025): dict(
        **NO_ATTENDANCE,
        # 2024 had 4 participants (A, F, E, I), none attend in 2025 -> 0/4 (not NULL: 2024 has attendance)
        retention=0.0,
        contributions=1,  # T25-SG17-C-0001
        contributing_entities=1,  # AS-1
        hhi=10000.0,  # one entity, share 1
        elephant_factor=1,
        industry_share=1.0,  # Associate
        academia_share=0.0,
        developing_source_share=1.0,  # AS-1 is in KEN
        ls_in=1,  # T25-SG17-LS-0001
        ls_out=0,
        **NO_RECOMMENDATIONS,
        backlog=2,  # X.ongo, X.future (started 2025-03-01)
    ),
    # SG5 2023: SG5-2023-1, rows 12-14.
    ("SG5", 2023): dict(
        meetings=1,
        participants=3,  # A, B, G
        attendance_records=3,
        remote_share=1 / 3,  # row 12
        countries=3,  # USA, CHE, EGY
        organisations=3,  # SM-1 (Alpha Networks), SM-2 (Beta Tel), orbis ("Orbis Consulting Ltd")
        developing_share=1 / 3,  # EGY row 14
        female_share=0.5,  # row 12 F, row 13 M, row 14 empty -> 1/2
        newcomer_share=None,  # SG5's first year with attendance (A and B attended SG17 before: irrelevant)
        retention=None,  # no SG5 attendance in 2022
        contributions=2,  # T22-SG5-C-0001, T22-SG5-C-0002
        contributing_entities=4,  # SM-1, orbis, AC-1, MS-KEN
        # SG5-C-0001: SM-1, orbis, AC-1 1/3 each; SG5-C-0002: MS-KEN 1/2, SM-1 1/2
        # -> SM-1 5/6, MS-KEN 1/2, orbis 1/3, AC-1 1/3 of 2 -> shares 5/12, 1/4, 1/6, 1/6
        hhi=2916.6666666666665,  # 1736.11 + 625 + 2*277.78 = 420000/144
        elephant_factor=2,  # 5/6 < 1; 5/6 + 1/2 >= 1
        industry_share=5 / 12,  # SM-1 5/6 / 2
        academia_share=1 / 6,  # AC-1 1/3 / 2
        developing_source_share=5 / 12,  # (AC-1 1/3 + MS-KEN 1/2) / 2
        ls_in=0,
        ls_out=0,
        **NO_RECOMMENDATIONS,
        backlog=1,  # L.green (started 2023-01-16, L.2001 approved 2024-04-15)
    ),
    # SG5 2024: a Recommendation only.
    ("SG5", 2024): dict(
        **NO_ATTENDANCE,
        retention=0.0,  # 2023 had A, B, G; nobody attends SG5 in 2024 -> 0/3
        **NO_CONTRIBUTIONS,
        ls_in=0,
        ls_out=0,
        recs_approved=1,  # L.2001 new
        amendments=0,
        aap_share=None,  # no known approval process: NULL, not 0
        median_cycle_days=455.0,  # 2023-01-16 -> 2024-04-15
        backlog=1,  # L.tbd (ongoing, started 2024-02-01); L.green approved 2024-04-15
    ),
    # SG5 2025: SG5-2025-1, rows 19-21, and a TD (not a contribution).
    ("SG5", 2025): dict(
        meetings=1,
        participants=3,  # B, J1 ("Jo Pike"+BGD), J2 ("Jo Pike"+KEN): same name, other delegation
        attendance_records=3,
        remote_share=2 / 3,  # rows 19, 20
        countries=3,  # CHE, BGD, KEN
        organisations=3,  # SM-2 (Beta Telecom), MS-BGD (Bangladesh), MS-KEN (Kenya)
        developing_share=2 / 3,  # BGD row 20, KEN row 21
        female_share=0.0,  # non-empty genders rows 19, 21 are M -> 0/2 (0, not NULL)
        newcomer_share=2 / 3,  # J1, J2 new; B attended SG5 in 2023
        retention=None,  # no SG5 attendance in 2024 (not the first year, but no baseline)
        **NO_CONTRIBUTIONS,  # only T25-SG5-TD-0001, a TD
        ls_in=0,
        ls_out=0,
        **NO_RECOMMENDATIONS,
        backlog=1,  # L.tbd
    ),
}


@pytest.fixture(scope="module")
def wh():
    return kpi_warehouse()


def test_fixture_rows_all_staged(wh):
    """The hand computations assume every raw row was staged: nothing in quarantine."""
    tables = [
        t
        for (t,) in wh.execute(
            "select table_name from information_schema.tables where table_schema = 'quarantine'"
        ).fetchall()
    ]
    # The ten raw tables and the optional peer_publications, events and consultation_responses (empty here).
    assert len(tables) == 13
    for table in tables:
        rows = wh.execute(f"select * from quarantine.{table}").fetchall()
        assert rows == [], f"quarantine.{table}: {rows}"
    counts = dict(wh.execute("select table_name, rows_staged from meta.ingest_report").fetchall())
    assert counts["attendance"] == 21 and counts["contributions"] == 18 and counts["recommendations"] == 8


def test_every_contract_column_is_published(wh):
    columns = [
        c
        for (c,) in wh.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'sg_year_kpis'"
        ).fetchall()
    ]
    assert set(("sg", "year") + KPI_COLUMNS) <= set(columns)


def test_rows_are_the_sg_years_with_activity(wh):
    # SG5 2022 has nothing (its work item L.green starts in 2023, and work items are not activity);
    # SG5 2024 has only a Recommendation, SG17 2025 only documents.
    rows = wh.execute("select sg, year from marts.sg_year_kpis order by sg, year").fetchall()
    assert sorted(rows) == sorted(EXPECTED)
    assert len(rows) == len(set(rows))


def test_expected_covers_every_column():
    for key, expected in EXPECTED.items():
        assert set(expected) == set(KPI_COLUMNS), key


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=[f"{sg}-{year}" for sg, year in sorted(EXPECTED)])
def test_sg_year_row(wh, key):
    sg, year = key
    rows = records(wh, f"select * from marts.sg_year_kpis where sg = '{sg}' and year = {year}")
    assert len(rows) == 1
    assert mismatches(rows[0], EXPECTED[key]) == []


def test_counts_are_integers_never_null(wh):
    for row in records(wh, "select * from marts.sg_year_kpis"):
        for column in COUNT_COLUMNS:
            assert isinstance(row[column], int), (row["sg"], row["year"], column, row[column])


def test_shares_are_fractions(wh):
    shares = [c for c in KPI_COLUMNS if c.endswith("_share") or c == "retention"]
    for row in records(wh, "select * from marts.sg_year_kpis"):
        for column in shares:
            assert row[column] is None or 0.0 <= row[column] <= 1.0, (row["sg"], row["year"], column)
        assert row["hhi"] is None or 0.0 < row["hhi"] <= 10000.0


def test_newcomers_and_retention_across_years(wh):
    """The cross-year KPIs on their own: first year NULL, year after a gap NULL, 0 is not NULL."""
    got = {
        (sg, year): (newcomer, retention)
        for sg, year, newcomer, retention in wh.execute(
            "select sg, year, newcomer_share, retention from marts.sg_year_kpis"
        ).fetchall()
    }
    assert got[("SG17", 2022)] == (None, None)
    assert got[("SG17", 2023)] == (pytest.approx(3 / 5), pytest.approx(2 / 4))
    assert got[("SG17", 2024)] == (pytest.approx(1 / 4), pytest.approx(2 / 5))
    assert got[("SG17", 2025)] == (None, 0.0)
    assert got[("SG5", 2023)] == (None, None)
    assert got[("SG5", 2024)] == (None, 0.0)
    assert got[("SG5", 2025)] == (pytest.approx(2 / 3), None)


def test_no_personal_data_in_marts(wh):
    from marts_fixture import PERSONAL_STRINGS

    tables = [
        t
        for (t,) in wh.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    ]
    for table in tables:
        rows = wh.execute(f"select * from marts.{table}").fetchall()
        text = " ".join(str(v) for row in rows for v in row).lower()
        for secret in PERSONAL_STRINGS:
            assert secret.lower() not in text, (table, secret)
