"""Relevance index: normalisation, component scores, ties, a single SG, missing data, sensitivity, trend."""

import math

import numpy as np
import pandas as pd
import pytest
from analytics_fixture import merge_warehouse, relevance_config, series

from pipelines.analytics.relevance import (
    METHOD,
    competition_ranks,
    normalise,
    relevance_for_year,
    relevance_inputs,
    relevance_table,
)
from pipelines.analytics.targets import FrameworkError, load_framework


def test_method_is_one_paragraph():
    assert 400 < len(METHOD) < 3000 and "\n" not in METHOD


@pytest.mark.parametrize(
    ("method", "values", "expected"),
    [
        ("minmax", [10, 20, 30], [0, 50, 100]),
        ("minmax", [5, 5, 5], [50, 50, 50]),  # no spread: everyone in the middle
        ("rank", [10, 20, 20, 40], [0, 50, 50, 100]),  # ties share the average rank
        ("rank", [7], [50]),  # a single SG
        (
            "zscore",
            [1, 2, 3],
            [50 * (1 + math.erf(-1.2247 / math.sqrt(2))), 50, 50 * (1 + math.erf(1.2247 / math.sqrt(2)))],
        ),
    ],
)
def test_normalise(method, values, expected):
    assert normalise(pd.Series(values, dtype=float), method).tolist() == pytest.approx(expected, abs=1e-3)


def test_normalise_lower_is_better_and_missing():
    got = normalise(pd.Series([100.0, np.nan, 300.0]), "minmax", higher_is_better=False)
    assert got.iloc[0] == 100 and math.isnan(got.iloc[1]) and got.iloc[2] == 0


def test_competition_ranks_share_the_best_rank_on_ties():
    assert competition_ranks(np.array([5.0, 9.0, 5.0, 1.0])).tolist() == [2, 1, 2, 4]
    assert competition_ranks(np.array([[1.0, 2.0], [2.0, 1.0]])).tolist() == [[2, 1], [1, 2]]


def test_component_scores_and_index_by_hand():
    cfg = relevance_config()
    data = series(
        {
            "SG1": {2024: {"participants": 100, "recs_approved": 10, "median_cycle_days": 400}},
            "SG2": {2024: {"participants": 300, "recs_approved": 0, "median_cycle_days": 800}},
            "SG3": {2024: {"participants": 200, "recs_approved": 5, "median_cycle_days": 600}},
        }
    )
    out = relevance_for_year(data, ["SG1", "SG2", "SG3"], 2024, cfg).set_index("sg")
    # participation: SG1 0, SG2 100, SG3 50; output: mean(recs, fast cycle): SG1 (100+100)/2, SG2 0, SG3 50.
    assert out["participation_score"].to_dict() == {"SG1": 0, "SG2": 100, "SG3": 50}
    assert out["output_score"].to_dict() == {"SG1": 100, "SG2": 0, "SG3": 50}
    # Equal component weights: SG1 50, SG2 50 (a tie: both rank 1), SG3 50 too -> all rank 1.
    assert out["relevance_index"].tolist() == [50, 50, 50]
    assert out["rank"].tolist() == [1, 1, 1]


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    cfg = relevance_config()
    same = {"participants": 200, "recs_approved": 5, "median_cycle_days": 600}
    data = series(
        {
            "SG1": {2024: same},
            "SG2": {2024: same},
            "SG3": {2024: {"participants": 50, "recs_approved": 1, "median_cycle_days": 900}},
        }
    )
    out = relevance_for_year(data, ["SG1", "SG2", "SG3"], 2024, cfg).set_index("sg")
    assert out.loc["SG1", "relevance_index"] == out.loc["SG2", "relevance_index"] == 100
    assert out["rank"].to_dict() == {"SG1": 1, "SG2": 1, "SG3": 3}


def test_a_single_sg_is_ranked_first_with_middle_scores():
    cfg = relevance_config()
    data = series({"SG1": {2024: {"participants": 10, "recs_approved": 1, "median_cycle_days": 300}}})
    out = relevance_for_year(data, ["SG1"], 2024, cfg)
    assert out[["relevance_index", "rank", "rank_low", "rank_high"]].iloc[0].tolist() == [50, 1, 1, 1]


def test_a_year_with_no_data_ranks_nobody_and_an_sg_without_data_that_year_is_left_out():
    cfg = relevance_config()
    data = series(
        {
            "SG1": {2023: {"participants": 10, "recs_approved": 1, "median_cycle_days": 300}},
            "SG2": {2024: {"participants": 20, "recs_approved": 2, "median_cycle_days": 300}},
        }
    )
    assert relevance_for_year(data, ["SG1", "SG2"], 2030, cfg).empty
    assert relevance_for_year(data, ["SG1", "SG2"], 2024, cfg)["sg"].tolist() == ["SG2"]
    table = relevance_table(data, {2023: ["SG1", "SG2"], 2024: ["SG1", "SG2"], 2030: ["SG1"]}, cfg)
    assert sorted(zip(table["as_of_year"], table["sg"], strict=True)) == [(2023, "SG1"), (2024, "SG2")]


def test_missing_indicator_is_skipped_not_counted_as_zero():
    cfg = relevance_config()
    data = series(
        {
            "SG1": {2024: {"participants": 100, "recs_approved": 10, "median_cycle_days": np.nan}},
            "SG2": {2024: {"participants": 100, "recs_approved": 0, "median_cycle_days": 500}},
        }
    )
    out = relevance_for_year(data, ["SG1", "SG2"], 2024, cfg).set_index("sg")
    # SG1's output is its recs score alone (100), not (100 + 0) / 2.
    assert out.loc["SG1", "output_score"] == 100
    assert out.loc["SG2", "output_score"] == pytest.approx(25)  # (0 + 50 for the only cycle time) / 2


def test_tsag_is_excluded_from_the_ranking():
    cfg = relevance_config()
    data = series(
        {
            sg: {2024: {"participants": p, "recs_approved": 1, "median_cycle_days": 1}}
            for sg, p in (("SG1", 10), ("TSAG", 99), ("SG2", 20))
        }
    )
    assert relevance_for_year(data, ["SG1", "SG2", "TSAG"], 2024, cfg)["sg"].tolist() == ["SG2", "SG1"]


def test_level_is_the_mean_of_the_last_years_and_trend_is_relative():
    cfg = relevance_config(
        level_years=3,
        components={
            "participation": {
                "weight": 1,
                "indicators": [
                    {"kpi": "participants", "stat": "trend", "direction": "higher is better", "weight": 1},
                    {"kpi": "participants", "stat": "level", "direction": "higher is better", "weight": 1},
                ],
            }
        },
    )
    years = {y: {"participants": 100 - 10 * i} for i, y in enumerate(range(2020, 2025))}
    inputs = relevance_inputs(series({"SG1": years}), ["SG1"], 2024, cfg)
    assert inputs.loc["SG1", "participants"] == pytest.approx((80 + 70 + 60) / 3)
    assert inputs.loc["SG1", "participants_trend"] == pytest.approx(-10 / 80)


def test_unknown_kpi_is_a_clear_error():
    cfg = relevance_config(
        components={
            "x": {
                "weight": 1,
                "indicators": [{"kpi": "happiness", "direction": "higher is better", "weight": 1}],
            }
        }
    )
    with pytest.raises(ValueError, match="unknown KPI.*happiness"):
        relevance_for_year(series({"SG1": {2024: {"participants": 1}}}), ["SG1"], 2024, cfg)


def test_sensitivity_interval_contains_the_rank_is_seeded_and_widens_for_close_sgs():
    cfg = relevance_config(sensitivity_concentration=2)
    data = series(
        {
            # SG1 wins on participation, SG2 on output: their order depends on the weights.
            "SG1": {2024: {"participants": 300, "recs_approved": 4, "median_cycle_days": 700}},
            "SG2": {2024: {"participants": 100, "recs_approved": 10, "median_cycle_days": 400}},
            "SG3": {2024: {"participants": 50, "recs_approved": 1, "median_cycle_days": 900}},
        }
    )
    a = relevance_for_year(data, ["SG1", "SG2", "SG3"], 2024, cfg).set_index("sg")
    b = relevance_for_year(data, ["SG1", "SG2", "SG3"], 2024, cfg).set_index("sg")
    pd.testing.assert_frame_equal(a, b)
    assert ((a["rank_low"] <= a["rank"]) & (a["rank"] <= a["rank_high"])).all()
    assert (a.loc["SG1", "rank_low"], a.loc["SG1", "rank_high"]) == (1, 2)
    assert (a.loc["SG3", "rank_low"], a.loc["SG3", "rank_high"]) == (3, 3)


def test_index_trend_sign():
    cfg = relevance_config()
    rows = {"SG1": {}, "SG2": {}}
    for i, year in enumerate(range(2020, 2025)):
        rows["SG1"][year] = {"participants": 100 + 20 * i, "recs_approved": 5, "median_cycle_days": 500}
        rows["SG2"][year] = {"participants": 150, "recs_approved": 5, "median_cycle_days": 500}
    data = series(rows)
    table = relevance_table(data, {y: ["SG1", "SG2"] for y in range(2020, 2025)}, cfg)
    last = table[table["as_of_year"] == 2024].set_index("sg")
    assert last.loc["SG1", "trend"] > 0 > last.loc["SG2", "trend"]
    assert math.isnan(table[table["as_of_year"] == 2021].set_index("sg").loc["SG1", "trend"])  # 2 years only


def test_mart_has_the_contract_columns_on_the_merge_fixture():
    conn = merge_warehouse()
    columns = [r[0] for r in conn.execute("describe marts.sg_relevance").fetchall()]
    components = list(load_framework().relevance.components)
    assert columns[:7] == ["sg", "as_of_year", "relevance_index", "rank", "rank_low", "rank_high", "trend"]
    assert {f"{c}_score" for c in components} <= set(columns)
    rows = conn.execute("select sg, rank from marts.sg_relevance order by rank").fetchall()
    # SG13 and SG20 both have 3 participants and 3 contributions; SG13 approves more and sends LS: first.
    assert rows == [("SG13", 1), ("SG20", 2), ("SG17", 3)]


def test_relevance_section_is_validated(tmp_path):
    import yaml

    from pipelines.analytics.targets import FRAMEWORK_FILE

    data = yaml.safe_load(FRAMEWORK_FILE.read_text())
    data["relevance"]["components"]["Bad Name"] = data["relevance"]["components"].pop("output")
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(FrameworkError, match="relevance.components"):
        load_framework(path)
    data["relevance"]["components"].pop("Bad Name")
    data["relevance"]["normalisation"] = "log"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(FrameworkError, match="relevance.normalisation"):
        load_framework(path)
