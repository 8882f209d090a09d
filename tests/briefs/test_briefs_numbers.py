"""Every number of a brief equals the warehouse value it came from, parsed back from the Markdown and DOCX."""

from __future__ import annotations

import pandas as pd
import pytest
from briefs_fixture import YEAR, assert_matches, markdown_tables, small_briefs, table_by_prefix

from pipelines.briefs.data import HEADLINE_KPIS
from pipelines.catalogue import catalogue
from pipelines.formatting.suppression import SMALL_CELL


@pytest.fixture(scope="module")
def briefs(small_warehouse, tmp_path_factory):
    return small_briefs(small_warehouse, tmp_path_factory)


def _kpis(conn, scope: str):
    if scope == "sector":
        return conn.execute("select * from marts.sector_year_kpis").df().set_index("year")
    return conn.execute("select * from marts.sg_year_kpis where sg = ?", [scope]).df().set_index("year")


def _targets(conn, scope: str):
    if scope == "sector":
        frame = conn.execute("select * from marts.sector_kpi_vs_target where year = ?", [YEAR]).df()
    else:
        frame = conn.execute(
            "select * from marts.kpi_vs_target where sg = ? and year = ?", [scope, YEAR]
        ).df()
    return frame.set_index("kpi")


@pytest.mark.parametrize("scope", ["SG17", "sector"])
def test_headline_kpis_equal_the_marts(briefs, small_warehouse, scope):
    rows = table_by_prefix(markdown_tables(briefs[scope].markdown), "Headline KPIs")
    kpis, targets = _kpis(small_warehouse, scope), _targets(small_warehouse, scope)
    by_name = {catalogue().get(k).name: k for k in HEADLINE_KPIS}
    assert [by_name[r["KPI"]] for r in rows] == list(HEADLINE_KPIS)
    hidden = f"<{SMALL_CELL}"  # figures about the people of a year with too few participants
    for row in rows:
        kpi = by_name[row["KPI"]]
        now, before = kpis.loc[YEAR, kpi], kpis.loc[YEAR - 1, kpi] if YEAR - 1 in kpis.index else None
        if row[str(YEAR)] != hidden:
            assert_matches(row[str(YEAR)], now, f"{scope} {kpi} {YEAR}")
        if row[str(YEAR - 1)] != hidden:
            assert_matches(row[str(YEAR - 1)], before, f"{scope} {kpi} {YEAR - 1}")
        if hidden in (row[str(YEAR)], row[str(YEAR - 1)]):
            assert kpi in PEOPLE_HEADLINES and row["Change"] == hidden
            continue
        if row["Change"] != "n/a":
            assert_matches(row["Change"], float(now) - float(before), f"{scope} {kpi} change")
        if kpi in targets.index:
            assert_matches(row["Target"], targets.loc[kpi, "target"], f"{scope} {kpi} target")
            status = targets.loc[kpi, "status"]
            assert row["Status"] == ("n/a" if pd.isna(status) else status)
        else:
            assert row["Target"] == row["Status"] == "n/a"


def test_a_null_kpi_is_na_never_zero(briefs, small_warehouse):
    """SG17 2023 has no newcomer share (first year with attendance): the brief says n/a, not 0."""
    rows = table_by_prefix(markdown_tables(briefs["SG17"].markdown), "Headline KPIs")
    newcomers = next(r for r in rows if r["KPI"] == catalogue().get("newcomer_share").name)
    # (2024 is hidden: SG17 had 3 participants; see the suppression test below.)
    assert newcomers["2023"] == "n/a" and newcomers["Change"] in ("n/a", f"<{SMALL_CELL}")


@pytest.mark.parametrize("scope", ["SG17", "sector"])
def test_targets_table_equals_kpi_vs_target(briefs, small_warehouse, scope):
    rows = table_by_prefix(markdown_tables(briefs[scope].markdown), "KPIs against the targets")
    targets = _targets(small_warehouse, scope)
    by_name = {k.name: k.id for k in catalogue().kpis}
    assert sorted(by_name[r["KPI"]] for r in rows) == sorted(targets.index)
    for row in rows:
        expected = targets.loc[by_name[row["KPI"]]]
        assert_matches(row["Value"], expected["value"], f"{scope} {row['KPI']} value")
        assert_matches(row["Target"], expected["target"], f"{scope} {row['KPI']} target")
        assert row["Direction"] == expected["direction"]


def test_region_breakdown_of_an_sg_equals_the_facts_with_suppression(briefs, small_warehouse):
    rows = table_by_prefix(
        markdown_tables(briefs["SG17"].markdown), "Participants and contributions by ITU region"
    )
    people = dict(
        small_warehouse.execute(
            "select itu_region, count(distinct participant_key) from core.fct_attendance "
            "where sg = 'SG17' and year = ? "
            "group by 1",
            [YEAR],
        ).fetchall()
    )
    docs = dict(
        small_warehouse.execute(
            "select itu_region, sum(weight) from core.fct_contribution_source "
            "where sg = 'SG17' and doc_type = 'C' "
            "and year = ? and itu_region is not null group by 1",
            [YEAR],
        ).fetchall()
    )
    regions = [
        r[0] for r in small_warehouse.execute("select distinct itu_region from core.dim_country").fetchall()
    ]
    assert sorted(r["ITU region"] for r in rows) == sorted(regions)
    for row in rows:
        region = row["ITU region"]
        assert_matches(row["Contributions (fractional)"], docs.get(region, 0.0), f"contributions {region}")
        # Every SG17 region has fewer than 5 people in the small data: all suppressed.
        assert people.get(region, 0) < SMALL_CELL and row["Participants"] == f"<{SMALL_CELL}"


def test_sector_region_table_equals_region_year(briefs, small_warehouse):
    rows = table_by_prefix(
        markdown_tables(briefs["sector"].markdown), "Participants and contributions by ITU region"
    )
    mart = (
        small_warehouse.execute(
            "select itu_region, participants, contributions from marts.region_year where year = ?", [YEAR]
        )
        .df()
        .set_index("itu_region")
    )
    for row in rows:
        assert_matches(
            row["Contributions (fractional)"], mart.loc[row["ITU region"], "contributions"], row["ITU region"]
        )
        assert row["Participants"] == f"<{SMALL_CELL}"


def test_category_contributions_match_the_industry_share(briefs, small_warehouse):
    """Sector Member + Associate shares in the category table add up to the mart's industry_share."""
    rows = table_by_prefix(
        markdown_tables(briefs["SG17"].markdown), "Participants and contributions by member"
    )
    share = {r["Member category"]: float(r["Share of contributions"].rstrip("%")) / 100 for r in rows}
    industry = _kpis(small_warehouse, "SG17").loc[YEAR, "industry_share"]
    assert abs(share["Sector Member"] + share["Associate"] - industry) <= 0.001 + 1e-9


def test_relevance_overlap_and_risk_tables_equal_their_marts(briefs, small_warehouse):
    tables = markdown_tables(briefs["SG17"].markdown)
    relevance = small_warehouse.execute("select * from marts.sg_relevance where as_of_year = ?", [YEAR]).df()
    rows = table_by_prefix(tables, "Relevance index and rank")
    assert [r["SG"] for r in rows] == list(relevance.sort_values(["rank", "sg"])["sg"])
    for row, expected in zip(rows, relevance.sort_values(["rank", "sg"]).itertuples(), strict=True):
        assert_matches(row["Relevance index"], expected.relevance_index, "relevance index")
        assert_matches(row["Rank"], expected.rank, "rank")
        assert row["Rank interval"] == f"{expected.rank_low}-{expected.rank_high}"
    sector = markdown_tables(briefs["sector"].markdown)
    risks = small_warehouse.execute("select * from marts.sg_risks where level in ('high', 'medium')").df()
    rows = table_by_prefix(sector, "High and medium risks")
    assert sorted((r["SG"], r["Risk"], r["Level"]) for r in rows) == sorted(
        zip(risks["sg"], risks["risk"], risks["level"], strict=True)
    )
    for row in rows:
        expected = risks[(risks["sg"] == row["SG"]) & (risks["risk"] == row["Risk"])].iloc[0]
        assert_matches(row["Value"].removesuffix(" a year"), expected["value"], f"risk {row['Risk']}")
        score = f"{expected['likelihood']} × {expected['impact']} = {expected['risk_score']}"
        assert row["Likelihood × impact"] == score


def test_quality_table_equals_the_meta_tables(briefs, small_warehouse):
    rows = {
        r["Measure"]: r["Value"]
        for r in table_by_prefix(markdown_tables(briefs["sector"].markdown), "Data-quality status")
    }
    read, quarantined = small_warehouse.execute(
        "select sum(rows_read), sum(rows_quarantined) from meta.ingest_report"
    ).fetchall()[0]
    names = small_warehouse.execute("select count(*) from marts.unresolved_organisations").fetchall()[0][0]
    assert_matches(rows["Raw rows read"], read, "rows read")
    assert_matches(rows["Rows quarantined at ingest"], quarantined, "quarantined")
    assert_matches(rows["Unresolved organisation names"], names, "unresolved names")


def test_docx_tables_carry_the_same_cells_as_the_model(briefs):
    """The Word tables are the content model's tables, cell for cell (the Markdown checks cover them)."""
    from docx import Document

    built = briefs["SG17"]
    document = Document(str(built.file(".docx")))
    word_tables = document.tables[2:]  # after the two tables of the title block
    model = built.brief.tables()
    assert len(word_tables) == len(model)
    for grid, table in zip(word_tables, model, strict=True):
        cells = [[c.text for c in row.cells] for row in grid.rows]
        assert cells == [table.columns, *table.rows], table.caption


def test_statements_quote_the_numbers_of_the_tables(briefs, small_warehouse):
    """R2 on SG17: contributions 4 in 2023, 1 in 2024, as in marts.sg_year_kpis. (R1, participants 5 and 3,
    is silent: figures about 3 people are not stated.)"""
    kpis = _kpis(small_warehouse, "SG17")
    r2 = next(s for s in briefs["SG17"].brief.statements() if s.rule_id == "R2")
    before, now = int(kpis.loc[YEAR - 1, "contributions"]), int(kpis.loc[YEAR, "contributions"])
    assert f"{before} in {YEAR - 1}, {now} in {YEAR}" in r2.text
    assert "fell" in r2.text and f"{(now - before) / before:+.1%}" in r2.text
    assert not any(s.rule_id == "R1" for s in briefs["SG17"].brief.statements())


# KPIs that describe people: hidden (`<5`) in a year with fewer than SMALL_CELL participants, headline included.
PEOPLE_HEADLINES = (
    "participants",
    "remote_share",
    "countries",
    "developing_share",
    "female_share",
    "newcomer_share",
    "retention",
)


def test_people_headlines_of_a_year_with_few_participants_are_suppressed(briefs, small_warehouse):
    """SG17 2024 has 3 participants: no figure about them is shown, in the table, the statements or charts."""
    assert _kpis(small_warehouse, "SG17").loc[YEAR, "participants"] < SMALL_CELL
    rows = table_by_prefix(markdown_tables(briefs["SG17"].markdown), "Headline KPIs")
    by_name = {catalogue().get(k).name: r for k, r in zip(HEADLINE_KPIS, rows, strict=True)}
    for kpi in PEOPLE_HEADLINES:
        row = by_name[catalogue().get(kpi).name]
        assert row[str(YEAR)] == f"<{SMALL_CELL}" and row["Change"] == f"<{SMALL_CELL}", row
        assert row["Status"] in ("n/a", f"<{SMALL_CELL}"), row
    # 2023 had 5 participants: shown.
    assert by_name[catalogue().get("participants").name]["2023"] == "5"
    # Documents are not people: shown.
    assert by_name[catalogue().get("contributions").name][str(YEAR)] != f"<{SMALL_CELL}"
    statements = " ".join(s.text for s in briefs["SG17"].brief.statements())
    assert "Participants of SG17" not in statements and "were remote" not in statements
    assert catalogue().get("countries").name + " " not in statements  # R4 names no hidden KPI
    figure = next(f for f in briefs["SG17"].brief.figures() if f.name == "participation")
    values = [
        row for data in figure.spec.get("datasets", {}).values() for row in data if row.get("year") == YEAR
    ]
    assert values and all(
        row.get("participants") is None and row.get("remote_share") is None for row in values
    )
