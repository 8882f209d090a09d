"""marts.sector_year_kpis by hand: distinct counts over the whole sector, not sums of the SG rows.

Same fixture and numbering as test_marts_sg_year_kpis.py. In 2023 person A attends SG17 and SG5, entities
SM-1, orbis, AC-1 and MS-KEN contribute to both, and B returns (in SG5) after attending SG17 in 2022.
"""

from __future__ import annotations

import pytest
from marts_fixture import KPI_COLUMNS, kpi_warehouse, mismatches, records

EXPECTED: dict[int, dict] = {
    # 2022: only SG17 is active, so the sector row equals SG17's.
    2022: dict(
        meetings=2,
        participants=4,
        attendance_records=5,
        remote_share=0.8,
        countries=4,
        organisations=4,
        developing_share=0.4,
        female_share=0.5,
        newcomer_share=None,  # the sector's first year with attendance
        retention=None,
        contributions=2,
        contributing_entities=3,
        hhi=5000.0,
        elephant_factor=1,
        industry_share=5 / 6,
        academia_share=0.0,
        developing_source_share=1 / 6,
        ls_in=1,
        ls_out=0,
        recs_approved=0,
        amendments=0,
        aap_share=None,
        median_cycle_days=None,
        backlog=2,  # X.iotsec, X.spam
    ),
    2023: dict(
        meetings=3,  # SG17-2023-1, SG17-2023-2, SG5-2023-1
        participants=7,  # {A,C,D,F,H} | {A,B,G}: A in both SGs (SG rows sum to 5+3 = 8)
        attendance_records=9,  # 6 + 3
        remote_share=4 / 9,  # rows 8, 9, 11, 12
        countries=5,  # {USA,KEN,BGD,CHE} | {USA,CHE,EGY} (SG rows sum to 4+3 = 7)
        organisations=7,  # {SM-1,MS-KEN,AC-1,AS-1,ofcom} | {SM-1,SM-2,orbis} (SG rows sum to 5+3 = 8)
        developing_share=5 / 9,  # KEN rows 7, 9; BGD rows 8, 10; EGY row 14
        female_share=4 / 7,  # F rows 6, 8, 10, 12 / non-empty rows 6, 8, 9, 10, 11, 12, 13
        newcomer_share=4 / 7,  # D, F, H, G first attend ITU-T in 2023; A, B, C attended in 2022
        retention=3 / 4,  # 2022: A, B, C, E; 2023 has A, C (SG17) and B (SG5) -> 3/4 (SG17 alone: 2/4)
        contributions=6,  # 4 (SG17) + 2 (SG5)
        contributing_entities=6,  # SM-1, orbis, MS-KEN, AC-1, SM-2, AS-1 (SG rows sum to 6+4 = 10)
        # totals: SM-1 1+5/6 = 11/6, orbis 1+1/3 = 4/3, MS-KEN 1/2+1/2 = 1, AC-1 1/2+1/3 = 5/6,
        # SM-2 1/2, AS-1 1/2
        # of 6 -> shares (11, 8, 6, 5, 3, 3)/36 -> (121+64+36+25+9+9) * 10000/1296 = 2640000/1296
        hhi=2037.037037037037,
        elephant_factor=2,  # 11/6 < 3; 11/6 + 4/3 = 19/6 >= 3
        industry_share=17 / 36,  # (SM-1 11/6 + SM-2 1/2 + AS-1 1/2) / 6
        academia_share=5 / 36,  # AC-1 5/6 / 6
        developing_source_share=7 / 18,  # (AC-1 5/6 + MS-KEN 1 + AS-1 1/2) / 6 = (14/6)/6
        ls_in=1,
        ls_out=1,
        recs_approved=3,
        amendments=0,
        aap_share=0.5,
        median_cycle_days=497.0,
        backlog=3,  # X.auth, X.ongo (SG17), L.green (SG5)
    ),
    2024: dict(
        meetings=2,
        participants=4,
        attendance_records=4,
        remote_share=0.25,
        countries=3,
        organisations=4,
        developing_share=0.75,
        female_share=0.5,
        newcomer_share=0.25,  # I only
        retention=2 / 7,  # 2023's 7 sector participants; A and F attend in 2024 (SG17 alone: 2/5)
        contributions=2,
        contributing_entities=5,
        hhi=2500.0,
        elephant_factor=2,
        industry_share=0.375,
        academia_share=0.125,
        developing_source_share=0.75,
        ls_in=0,
        ls_out=0,
        recs_approved=2,  # X.1004 (SG17), L.2001 (SG5)
        amendments=2,
        aap_share=2 / 3,  # X.1004 AAP, Amd AAP, Cor TAP; L.2001 has no known process
        median_cycle_days=502.5,  # median(550, 455)
        backlog=2,  # X.ongo, L.tbd
    ),
    2025: dict(
        meetings=1,
        participants=3,
        attendance_records=3,
        remote_share=2 / 3,
        countries=3,
        organisations=3,
        developing_share=2 / 3,
        female_share=0.0,
        newcomer_share=2 / 3,  # J1, J2 new; B attended in 2022-2023
        retention=0.0,  # 2024: A, F, E, I; none attends in 2025 -> 0/4 (SG5's own 2025 retention is NULL)
        contributions=1,
        contributing_entities=1,
        hhi=10000.0,
        elephant_factor=1,
        industry_share=1.0,
        academia_share=0.0,
        developing_source_share=1.0,
        ls_in=1,
        ls_out=0,
        recs_approved=0,
        amendments=0,
        aap_share=None,
        median_cycle_days=None,
        backlog=3,  # X.ongo, X.future, L.tbd
    ),
}


@pytest.fixture(scope="module")
def wh():
    return kpi_warehouse()


def test_one_row_per_year_without_sg(wh):
    columns = [
        c
        for (c,) in wh.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'sector_year_kpis'"
        ).fetchall()
    ]
    assert "sg" not in columns
    assert set(("year",) + KPI_COLUMNS) <= set(columns)
    assert [y for (y,) in wh.execute("select year from marts.sector_year_kpis order by year").fetchall()] == [
        2022,
        2023,
        2024,
        2025,
    ]


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_sector_year_row(wh, year):
    assert set(EXPECTED[year]) == set(KPI_COLUMNS)
    rows = records(wh, f"select * from marts.sector_year_kpis where year = {year}")
    assert len(rows) == 1
    assert mismatches(rows[0], EXPECTED[year]) == []


def test_distinct_counts_are_not_sums_of_sg_rows(wh):
    """2023: every distinct count of the sector is below the sum over SGs; the additive counts equal it."""
    sector = records(wh, "select * from marts.sector_year_kpis where year = 2023")[0]
    summed = records(
        wh,
        """
        select sum(participants) as participants, sum(countries) as countries,
               sum(organisations) as organisations, sum(contributing_entities) as contributing_entities,
               sum(attendance_records) as attendance_records, sum(contributions) as contributions
        from marts.sg_year_kpis where year = 2023""",
    )[0]
    assert (sector["participants"], summed["participants"]) == (7, 8)
    assert (sector["countries"], summed["countries"]) == (5, 7)
    assert (sector["organisations"], summed["organisations"]) == (7, 8)
    assert (sector["contributing_entities"], summed["contributing_entities"]) == (6, 10)
    assert sector["attendance_records"] == summed["attendance_records"] == 9
    assert sector["contributions"] == summed["contributions"] == 6
