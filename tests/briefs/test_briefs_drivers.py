"""Who drives it (issue 21 item 3), on the bundled sample: the countries' and organisations' shares equal the core
facts and the marts (top-5 share, HHI), the newcomers add up to the newcomer-share KPI, people are suppressed
and organisations are not, and the region table has the category table's denominator."""

from __future__ import annotations

import pytest
from briefs_fixture import SAMPLE_YEAR, assert_matches, brief_table, bundled_sample, sample_brief

from pipelines.formatting.suppression import SUPPRESSED

YEAR = SAMPLE_YEAR


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


@pytest.fixture(scope="module")
def briefs(sample):
    return {scope: sample_brief(scope) for scope in ("SG13", "SG21", "sector")}


def _column(table, name: str) -> list[str]:
    index = table.columns.index(name)
    return [row[index] for row in table.rows]


def test_top_countries_of_sg13_equal_the_facts(sample, briefs):
    _, brief = briefs["SG13"]
    table = brief_table(brief, "tab:top-countries")
    facts = sample.execute(
        """select c.name, sum(s.weight) as docs, sum(s.weight) / sum(sum(s.weight)) over () as share
        from core.fct_contribution_source s join core.dim_country c on c.iso3 = s.country_iso3
        where s.doc_type = 'C' and s.sg = 'SG13' and s.year = ? group by 1 order by docs desc, 1 limit 10""",
        [YEAR],
    ).fetchall()
    assert _column(table, "Country") == [name for name, _, _ in facts]
    for row, (name, docs, share) in zip(table.rows, facts, strict=True):
        assert_matches(row[2], docs, f"{name} contributions")
        assert_matches(row[3], share, f"{name} share")
    # The sample's SG13: the United States first, with 28.7% of 493 contributions.
    assert table.rows[0][:4] == ["1", "United States", "141.7", "28.7%"]
    assert "493.0 contributions of 2025 from 25 countries" in table.note


@pytest.mark.parametrize("scope", ["SG13", "sector"])
def test_organisation_shares_agree_with_the_top_share_and_the_hhi(sample, briefs, scope):
    """The five largest organisations' cumulative share is the concentration figure's top-5 share, and the
    shares of every organisation give the mart's HHI."""
    data, brief = briefs[scope]
    table = brief_table(brief, "tab:top-organisations")
    top5 = data.top_shares.set_index("year").loc[YEAR, "top_share"]
    assert_matches(_column(table, "Cumulative share (%)")[4], top5, f"{scope} top-5 share")
    shares = data.drivers.shares(data.drivers.entities, "organisation", YEAR)["share"]
    hhi = data.kpi("hhi")
    assert abs(float((shares**2).sum() * 10000) - float(hhi)) < 0.5, (scope, hhi)
    assert SUPPRESSED not in {cell for row in table.rows for cell in row}  # organisations are not people


@pytest.mark.parametrize("scope", ["SG13", "SG21", "sector"])
def test_newcomers_add_up_to_the_newcomer_share(briefs, scope):
    """Newcomers ÷ participants is the KPI of marts.sg_year_kpis_lineage (SG21: with SG9 and SG16 before it)."""
    data, brief = briefs[scope]
    drivers = data.drivers
    assert drivers.participants == data.kpi("participants")
    assert abs(drivers.newcomers_total / drivers.participants - data.kpi("newcomer_share")) < 1e-9
    table = brief_table(brief, "tab:newcomers")
    for breakdown in ("ITU region", "Member category"):
        rows = [r for r in table.rows if r[0] == breakdown]
        counts = drivers.newcomers[drivers.newcomers["breakdown"] == breakdown].set_index("group")[
            "newcomers"
        ]
        hidden = [r for r in rows if r[2] == SUPPRESSED]
        for group, count, share, _ in (r[1:] for r in rows):
            if count == SUPPRESSED:
                assert share == SUPPRESSED
                continue
            assert_matches(count, counts[group], f"{scope} newcomers {group}")
            assert_matches(share, counts[group] / drivers.newcomers_total, f"{scope} share {group}")
        # Every small cell is hidden, and never just one (its value would follow from the total).
        assert all(r[2] == SUPPRESSED for r in rows if counts[r[1]] < 5)
        assert len(hidden) != 1


def test_the_region_table_has_the_category_tables_denominator(sample, briefs):
    """Both tables add up to the year's contributions (sector: 2,234, with 6.5 from organisations of no known
    region); R6 quotes the region table's share."""
    data, brief = briefs["sector"]
    total = sample.execute(
        "select contributions from marts.sector_year_kpis where year = ?", [YEAR]
    ).fetchall()
    for label in ("tab:regions", "tab:categories"):
        table = brief_table(brief, label)
        docs = sum(float(c.replace(",", "")) for c in _column(table, "Contributions (fractional)"))
        shares = sum(float(c.rstrip("%")) for c in _column(table, "Share of contributions"))
        assert abs(docs - total[0][0]) < 0.05 * len(table.rows) and abs(shares - 100) < 0.05 * len(table.rows)
    regions = brief_table(brief, "tab:regions")
    unknown = next(r for r in regions.rows if r[0] == "Unknown region")
    assert unknown[1] == "0" and unknown[2] == "6.5"
    africa = next(r for r in regions.rows if r[0] == "Africa")
    assert africa[1] == "79"  # no suppressed cell beside it
    r6 = next(s for s in brief.statements() if s.rule_id == "R6")
    top = next(r for r in regions.rows if r[0] == "Asia-Pacific")
    assert f"Asia-Pacific provided the largest share of the contributions in {YEAR}: {top[3]}" in r6.text
