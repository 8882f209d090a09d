"""Regional presence: targets per ITU region in the results framework, marts.region_kpi_vs_target with the
min-n and partial-year rules, and the "Regional presence" section of the sector and SG briefs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from testkit import framework_file

from pipelines.analytics.regions import build_region_kpi_vs_target
from pipelines.analytics.targets import FrameworkError, load_framework
from pipelines.catalogue import catalogue
from pipelines.ingest.tables import ITU_REGIONS


def _copy(small_warehouse_file: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(small_warehouse_file.read_bytes())
    return duckdb.connect(str(path))


def test_the_framework_has_targets_per_region():
    presence = load_framework().regional_presence
    kpis = {t.kpi for t in presence.kpis}
    assert {
        "region_participation_parity",
        "region_contribution_parity",
        "members",
        "region_meetings_hosted",
    } == kpis
    assert all(set(t.overrides) <= set(ITU_REGIONS) for t in presence.kpis)
    assert "no data" in presence.note  # regional group meetings: not in the data, said so


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["regional_presence"]["kpis"][0].update(overrides={"Oceania": 1}),
            "regional_presence.kpis.0.overrides",
        ),
        (
            lambda d: d["regional_presence"]["kpis"][0].update(kpi="hhi"),
            "regional_presence.kpis.0.kpi: 'hhi' is not a KPI of region_kpi_vs_target",
        ),
        (lambda d: d.pop("regional_presence"), "regional_presence: Field required"),
    ],
)
def test_invalid_regional_targets_name_the_key(tmp_path, mutate, expected):
    with pytest.raises(FrameworkError, match="regional_presence") as info:
        load_framework(framework_file(tmp_path, mutate))
    assert expected in str(info.value)


def test_values_are_shares_relative_to_membership_with_their_n(small_warehouse):
    mart = small_warehouse.execute("select * from marts.region_kpi_vs_target").df()
    region_year = small_warehouse.execute("select * from marts.region_year").df()
    framework = load_framework()
    years = region_year[region_year["year"].between(framework.assess_from, framework.target_year)]
    assert len(mart) == len(years) * len(framework.regional_presence.kpis)
    assert not mart.duplicated(["itu_region", "year", "kpi"]).any()
    totals = years.groupby("year")[["participants", "contributions", "members"]].sum()
    for row in years.itertuples():
        got = mart[(mart["itu_region"] == row.itu_region) & (mart["year"] == row.year)].set_index("kpi")
        total = totals.loc[row.year]
        if row.members and total["participants"]:
            expected = (row.participants / total["participants"]) / (row.members / total["members"])
            assert got.loc["region_participation_parity", "value"] == pytest.approx(expected)
        else:
            assert pd.isna(got.loc["region_participation_parity", "value"])  # no members: no parity, not 0
        assert got.loc["region_participation_parity", "n"] == row.participants
        assert got.loc["members", "value"] == row.members


def test_status_needs_enough_records_and_a_full_year(small_warehouse_file, tmp_path):
    conn = _copy(small_warehouse_file, tmp_path)
    mart = conn.execute("select * from marts.region_kpi_vs_target").df()
    parity = mart[mart["kpi"] == "region_participation_parity"]
    min_n = catalogue().get("region_participation_parity").min_n
    thin = parity[parity["n"] < min_n]
    assert not thin.empty, "the small fixture has regions with few participants"
    assert set(thin["status"].dropna()) == {"insufficient data"}
    # A partial year keeps its values but has no status; a year the domain does not cover has no value.
    conn.execute(
        "update intermediate.int_year_coverage set coverage = 'partial' where year = 2024 and domain = 'attendance'"
    )
    conn.execute(
        "update intermediate.int_year_coverage set coverage = 'none' where year = 2023 and domain = 'meetings'"
    )
    build_region_kpi_vs_target(conn, load_framework(), catalogue())
    after = conn.execute("select * from marts.region_kpi_vs_target").df()
    partial = after[(after["year"] == 2024) & (after["kpi"] == "region_participation_parity")]
    assert partial["partial"].all() and partial["status"].isna().all() and partial["value"].notna().any()
    uncovered = after[(after["year"] == 2023) & (after["kpi"] == "region_meetings_hosted")]
    assert uncovered["value"].isna().all() and uncovered["status"].isna().all()
    other = after[(after["year"] == 2024) & (after["kpi"] == "members")]
    assert other["status"].notna().all()  # the membership covers 2024 in full


def test_briefs_show_regional_presence_against_membership(small_warehouse):
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.regions import regional_section

    sector = regional_section(load_brief_data(small_warehouse, "sector", 2024))
    labels = [getattr(b, "label", None) for b in sector.blocks]
    assert labels[:2] == ["tab:regional-presence", "tab:region-targets"]
    targets = sector.blocks[1]
    mart = small_warehouse.execute("select * from marts.region_kpi_vs_target where year = 2024").df()
    assert len(targets.rows) == len(mart)
    assert any("regional group meetings: no data" in getattr(b, "text", "") for b in sector.blocks)

    data = load_brief_data(small_warehouse, "SG17", 2024)
    sg = regional_section(data)
    assert [getattr(b, "label", None) for b in sg.blocks] == [
        "tab:regional-presence"
    ]  # no regional targets per SG
    table = sg.blocks[0]
    members = dict(
        small_warehouse.execute(
            "select itu_region, members from marts.region_year where year = 2024"
        ).fetchall()
    )
    total = sum(members.values())
    for row in table.rows:
        assert row[4] == f"{members[row[0]] / total:.1%}"
        if row[1] == "<5":
            assert row[2] == "<5" and row[5] == "n/a"  # no share of a suppressed count
