"""Relevance said honestly: scale and vitality scored apart by percentile (no working SG reads 0), with rank
intervals; the brief's tables and R9 equal marts.sg_relevance (bundled sample, 2025); vitality is not size."""

from __future__ import annotations

import pandas as pd
import pytest
from briefs_fixture import SAMPLE_YEAR, assert_matches, bundled_sample, markdown_tables, sample_briefs

from pipelines.analytics.relevance import normalise

YEAR = SAMPLE_YEAR


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


@pytest.fixture(scope="module")
def year(sample):
    return sample.execute("select * from marts.sg_relevance where as_of_year = ?", [YEAR]).df()


def test_percentile_scores_never_reach_zero_and_robust_z_is_centred():
    values = pd.Series([78.0, 150.0, 150.0, 232.0, 455.0, None])
    score = normalise(values, "percentile")
    assert score.tolist()[:5] == [10.0, 40.0, 40.0, 70.0, 90.0]  # (rank - 0.5) / 5 x 100, ties averaged
    assert pd.isna(score.iloc[5])
    assert normalise(values, "percentile", higher_is_better=False).iloc[0] == 90.0
    z = normalise(values, "robust_z")
    assert z.iloc[1] == pytest.approx(50.0) and 0 < z.iloc[0] < 50 < z.iloc[4] < 100
    assert (normalise(pd.Series([3.0, 3.0, 3.0]), "robust_z") == 50).all()


def test_no_working_sg_reads_zero_and_intervals_hold_the_ranks(year):
    assert len(year) == 10
    dimension_columns = [c for c in year.columns if c.startswith(("scale_", "vitality_")) and "rank" not in c]
    assert len(dimension_columns) == 10  # two indices, three scale and five vitality components
    values = year[dimension_columns].to_numpy(dtype=float)
    assert (values[~pd.isna(values)] >= 100 * 0.5 / len(year)).all()
    sg3 = year[year["sg"] == "SG3"].iloc[0]
    assert sg3["relevance_index"] < 10 and sg3["scale_index"] == pytest.approx(5.0)
    assert sg3["vitality_index"] > sg3["scale_index"]
    for d in ("scale", "vitality"):
        assert sorted(year[f"{d}_rank"]) == list(range(1, 11))
        assert (year[f"{d}_rank_low"] <= year[f"{d}_rank"]).all()
        assert (year[f"{d}_rank"] <= year[f"{d}_rank_high"]).all()


def test_scale_is_the_percentile_of_the_size_levels_in_the_lineage_series(sample, year):
    """Recomputed from the KPIs: mean of the last three years, mid-rank percentile, equal weights."""
    kpis = (
        sample.execute(
            "select sg, avg(participants) p, avg(contributions) c, avg(recs_approved) r from marts.sg_year_kpis_lineage "
            "where year between ? and ? and sg in (select sg from marts.sg_relevance where as_of_year = ?) group by sg",
            [YEAR - 2, YEAR, YEAR],
        )
        .df()
        .set_index("sg")
    )
    expected = sum((kpis[c].rank(method="average") - 0.5) / len(kpis) * 100 for c in "pcr") / 3
    got = year.set_index("sg")["scale_index"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_vitality_is_not_size_but_the_composite_is(year):
    """The composite index follows scale (rank correlation > 0.9); vitality much less."""
    spearman = year[["relevance_index", "scale_index", "vitality_index"]].rank().corr()
    assert spearman.loc["relevance_index", "scale_index"] > 0.9
    assert (
        spearman.loc["vitality_index", "scale_index"] < spearman.loc["relevance_index", "scale_index"] - 0.2
    )


def test_the_brief_says_scale_and_vitality_as_the_mart_has_them(sample, year):
    from pipelines.catalogue import catalogue

    brief, markdown = sample_briefs("SG3")["SG3"]
    tables = markdown_tables(markdown)
    rows = tables[f"Scale and vitality of the study groups, {YEAR}"]
    mart = year.set_index("sg")
    assert [r["SG"] for r in rows] == list(year.sort_values(["scale_rank", "sg"])["sg"])
    for row in rows:
        expected = mart.loc[row["SG"]]
        assert_matches(row["Scale (0-100)"], expected["scale_index"], "scale")
        assert_matches(row["Vitality (0-100)"], expected["vitality_index"], "vitality")
        assert int(row["Scale rank"]) == expected["scale_rank"]
        assert int(row["Vitality rank"]) == expected["vitality_rank"]
    components = tables[f"Scale and vitality components of SG3, {YEAR}"]
    names = {catalogue().get(c).name: c for c in mart.columns if c.startswith(("scale_", "vitality_"))}
    assert len(components) == 8
    for row in components:
        assert_matches(row["Percentile (0-100)"], mart.loc["SG3", names[row["Component"]]], row["Component"])
        assert row["Percentile (0-100)"] != "0.0"
    r9 = next(s.text for s in brief.statements() if s.rule_id == "R9")
    assert r9.startswith("SG3 ranks 10 of 10 on scale (index 5.0") and "mostly measures size" in r9
