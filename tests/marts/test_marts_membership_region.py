"""marts.membership_year and marts.region_year by hand (fixture: marts_fixture.py).

Members: MS-CHE, MS-KEN, MS-BGD, MS-EGY (joined long ago); SM-1 (USA, 2020); SM-2 (CHE, 2022-06-01 to
2024-03-31); SM-3 (EGY, joined 2024-12-31); AS-1 (KEN, 2023-02-01); AS-2 (USA, 2022-03-01 to 2023-08-31);
AC-1 (BGD, 2023-05-01 to 2025-12-31). The data's years are 2022..2025.
Regions: CHE Europe, KEN Africa, BGD Asia-Pacific, USA Americas, EGY Arab States.
"""

from __future__ import annotations

import pytest
from marts_fixture import kpi_warehouse, records

MEMBERSHIP = {
    # (year, category): (members active on 31 Dec, joined in year, left in year)
    (2022, "Member State"): (4, 0, 0),
    (2022, "Sector Member"): (2, 1, 0),  # SM-1, SM-2 (joined 2022-06-01)
    (2022, "Associate"): (1, 1, 0),  # AS-2 joined 2022-03-01
    (2022, "Academia"): (0, 0, 0),  # a category with no member yet: 0, not NULL
    (2023, "Member State"): (4, 0, 0),
    (2023, "Sector Member"): (2, 0, 0),  # SM-1, SM-2
    (2023, "Associate"): (1, 1, 1),  # AS-1 joined; AS-2 left 2023-08-31
    (2023, "Academia"): (1, 1, 0),  # AC-1 joined 2023-05-01
    (2024, "Member State"): (4, 0, 0),
    (2024, "Sector Member"): (2, 1, 1),  # SM-1 + SM-3 (joined on 31 Dec counts); SM-2 left 2024-03-31
    (2024, "Associate"): (1, 0, 0),
    (2024, "Academia"): (1, 0, 0),
    (2025, "Member State"): (4, 0, 0),
    (2025, "Sector Member"): (2, 0, 0),
    (2025, "Associate"): (1, 0, 0),
    (2025, "Academia"): (0, 0, 1),  # AC-1 left on 2025-12-31: not "after" 31 Dec, so not active
}

REGIONS = ("Africa", "Americas", "Arab States", "Asia-Pacific", "Europe")

REGION_YEAR = {
    # (region, year): (participants, attendance_records, fractional contributions, members on 31 Dec)
    # 2023 attendance rows 6-14; contribution totals SM-1 11/6, orbis 4/3 (unresolved: no region),
    # MS-KEN 1, AC-1 5/6, SM-2 1/2, AS-1 1/2.
    ("Africa", 2023): (2, 2, 1.5, 2),  # C (row 7), F (row 9); MS-KEN 1 + AS-1 1/2; MS-KEN, AS-1
    # Americas: A attends SG17 and SG5 (rows 6, 12): 1 participant, 2 records; SM-1; SM-1 (AS-2 left in 2023)
    ("Americas", 2023): (1, 2, 11 / 6, 1),
    ("Arab States", 2023): (1, 1, 0.0, 1),  # G (row 14); orbis is in no region; MS-EGY (SM-3 not yet)
    ("Asia-Pacific", 2023): (1, 2, 5 / 6, 2),  # D (rows 8, 10); AC-1; MS-BGD, AC-1
    ("Europe", 2023): (2, 2, 0.5, 2),  # H (row 11), B (row 13); SM-2; MS-CHE, SM-2
    # 2024 attendance rows 15-18; contributions MS-EGY .75, SM-3 .5, SM-1 .25, AC-1 .25, orbis .25.
    ("Africa", 2024): (1, 1, 0.0, 2),  # F (row 16); none; MS-KEN, AS-1
    ("Americas", 2024): (1, 1, 0.25, 1),  # A (row 15); SM-1; SM-1
    # Arab States: E, I (rows 17, 18); SM-3 .5 + MS-EGY .75; MS-EGY and SM-3 (joined on 31 Dec)
    ("Arab States", 2024): (2, 2, 1.25, 2),
    ("Asia-Pacific", 2024): (0, 0, 0.25, 2),  # nobody; AC-1; MS-BGD, AC-1
    ("Europe", 2024): (0, 0, 0.0, 1),  # nobody; none; MS-CHE (SM-2 left 2024-03-31)
    # 2025: rows 19-21 (B CHE, J1 BGD, J2 KEN); contribution T25-SG17-C-0001 by AS-1 (KEN).
    ("Africa", 2025): (1, 1, 1.0, 2),
    ("Americas", 2025): (0, 0, 0.0, 1),
    ("Arab States", 2025): (0, 0, 0.0, 2),
    ("Asia-Pacific", 2025): (1, 1, 0.0, 1),  # J1; AC-1 left 2025-12-31 -> only MS-BGD
    ("Europe", 2025): (1, 1, 0.0, 1),  # B
}


@pytest.fixture(scope="module")
def wh():
    return kpi_warehouse()


def test_membership_rows_are_years_by_category(wh):
    rows = wh.execute("select year, category from marts.membership_year").fetchall()
    assert sorted(rows) == sorted(MEMBERSHIP)


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_membership_year(wh, year):
    got = {
        r["category"]: (r["members"], r["joined"], r["left"])
        for r in records(wh, f"select * from marts.membership_year where year = {year}")
    }
    want = {category: value for (y, category), value in MEMBERSHIP.items() if y == year}
    assert got == want


def test_region_rows_are_regions_by_year(wh):
    rows = wh.execute("select itu_region, year from marts.region_year").fetchall()
    assert sorted(rows) == sorted((region, year) for region in REGIONS for year in range(2022, 2026))


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_region_year(wh, year):
    got = {r["itu_region"]: r for r in records(wh, f"select * from marts.region_year where year = {year}")}
    for region in REGIONS:
        participants, attendance, contributions, members = REGION_YEAR[(region, year)]
        row = got[region]
        assert (row["participants"], row["attendance_records"], row["members"]) == (
            participants,
            attendance,
            members,
        ), region
        assert row["contributions"] == pytest.approx(contributions, abs=1e-9), region


def test_region_contributions_leave_out_unresolved_entities(wh):
    """All regions together get the year's contributions less the unresolved entities' share."""
    sql = "select year, sum(contributions) from marts.region_year group by year"
    totals = dict(wh.execute(sql).fetchall())
    assert totals[2022] == pytest.approx(2.0)  # no unresolved source in 2022
    assert totals[2023] == pytest.approx(6 - 4 / 3)  # orbis 1 (SG17 C-0004) + 1/3 (SG5 C-0001)
    assert totals[2024] == pytest.approx(2 - 0.25)  # orbis 1/4 on C-0008
    assert totals[2025] == pytest.approx(1.0)
