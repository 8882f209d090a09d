"""Key enablers measured from the data there is (marts.enabler_year) and the sector brief's "Enablers" section."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipelines.analytics.enablers import INDICATORS, build_enabler_year
from pipelines.analytics.targets import load_framework
from pipelines.catalogue import catalogue


def test_every_indicator_is_a_catalogue_kpi_of_a_framework_enabler():
    enablers = {e.id for e in load_framework().enablers}
    indicators = {k.id for k in catalogue().kpis if "enabler_year" in k.indicator_of}
    assert set(INDICATORS) == indicators
    assert {enabler for enabler, _ in INDICATORS.values()} <= enablers


def test_values_on_the_small_fixture(small_warehouse):
    mart = small_warehouse.execute("select * from marts.enabler_year").df()
    assert not mart.duplicated(["year", "enabler", "indicator"]).any()
    get = mart.set_index(["indicator", "year"])["value"]
    # Countries taking part only remotely, recomputed from the attendance facts.
    facts = small_warehouse.execute(
        "select year, country_iso3, mode from core.fct_attendance where country_iso3 is not null"
    ).df()
    only_remote = facts.groupby(["year", "country_iso3"])["mode"].apply(lambda m: (m == "remote").all())
    for year, count in only_remote.groupby(level=0).sum().items():
        assert get[("remote_only_countries", year)] == count
    # A first-time count has no value in the first year of data (everyone would be new): NULL, not a count.
    first = int(mart.loc[mart["indicator"] == "first_time_contributors", "year"].min())
    assert pd.isna(get[("first_time_contributors", first)])
    joined = small_warehouse.execute(
        "select year, sum(joined) from marts.membership_year group by year"
    ).fetchall()
    assert all(get[("joined", y)] == v for y, v in joined)


def test_uncovered_years_have_no_value_and_partial_years_are_flagged(small_warehouse_file, tmp_path):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(Path(small_warehouse_file).read_bytes())
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "update intermediate.int_year_coverage set coverage = 'none' where year = 2023 and domain = 'meetings'"
        )
        conn.execute(
            "update intermediate.int_year_coverage set coverage = 'partial' where year = 2024 and domain = 'attendance'"
        )
        build_enabler_year(conn, catalogue())
        mart = conn.execute("select * from marts.enabler_year").df().set_index(["indicator", "year"])
    assert pd.isna(mart.loc[("virtual_meetings", 2023), "value"])
    assert mart.loc[("remote_share", 2024), "partial"] and not mart.loc[("remote_share", 2025), "partial"]


def test_the_sector_brief_shows_the_enablers_and_says_which_have_no_data(small_warehouse):
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.enablers import enablers_section

    section = enablers_section(load_brief_data(small_warehouse, "sector", 2024))
    table = section.blocks[0]
    assert table.label == "tab:enablers" and table.columns[2:4] == ["2023", "2024"]
    # The fixture has no events (an optional raw table): E6's indicators have no row, and E6 says "no data".
    from_events = [i for i in INDICATORS if catalogue().get(i).domain == "events"]
    assert len(from_events) == 3 and len(table.rows) == len(INDICATORS) - len(from_events)
    texts = " ".join(getattr(b, "text", "") for b in section.blocks[1:])
    assert "No data in this warehouse" in texts and "E6 Reinvigorated CxO meetings" in texts
