"""Risk register: levels against the appetite in both directions, each indicator by hand, the heat map."""

import pandas as pd
import pytest
from analytics_fixture import merge_warehouse, series

from pipelines.analytics.risks import (
    METHOD,
    OPTIONAL_INDICATORS,
    heatmap,
    indicator_values,
    risk_level,
    risk_table,
)
from pipelines.analytics.targets import RiskAppetite, load_framework

HIGHER = RiskAppetite(indicator="hhi", direction="higher is worse", medium=1000, high=1400)
LOWER = RiskAppetite(indicator="decline_trend", direction="lower is worse", medium=-0.03, high=-0.06)
NO_QUESTIONS = pd.DataFrame(columns=["sg", "year", "inactive_share", "questions"])


def test_method_is_one_paragraph():
    assert 400 < len(METHOD) < 3000 and "\n" not in METHOD


@pytest.mark.parametrize(
    ("appetite", "value", "level"),
    [
        (HIGHER, 999.9, "low"),
        (HIGHER, 1000, "medium"),
        (HIGHER, 1399, "medium"),
        (HIGHER, 1400, "high"),
        (LOWER, 0.02, "low"),
        (LOWER, -0.03, "medium"),
        (LOWER, -0.0599, "medium"),
        (LOWER, -0.06, "high"),
        (HIGHER, None, None),
        (LOWER, float("nan"), None),
    ],
)
def test_risk_level_boundaries(appetite, value, level):
    assert risk_level(value, appetite) == level


def _sg(participants, contributions, **now):
    years = {}
    for i, year in enumerate(range(2020, 2025)):
        years[year] = {
            "participants": participants[i],
            "contributions": contributions[i],
            "hhi": 500,
            "backlog": 10,
            "overdue_items": 2,
            "developing_share": 0.4,
            "industry_share": 0.6,
        }
    years[2024].update(now)
    return years


def test_decline_takes_the_faster_of_participants_and_contributions():
    data = series({"SG1": _sg([100, 100, 100, 100, 100], [50, 45, 40, 35, 30])})
    found = indicator_values(data, NO_QUESTIONS, "SG1", 2024)["decline_trend"]
    assert found.measured == "contributions_trend"
    assert found.value == pytest.approx(-5 / 40)
    assert found.n == 5 and not found.insufficient


def test_indicators_by_hand():
    inactive = pd.DataFrame({"sg": ["SG1"], "year": [2024], "inactive_share": [0.25], "questions": [4]})
    data = series({"SG1": _sg([100] * 5, [50] * 5, hhi=1500, backlog=20, overdue_items=11)})
    values = indicator_values(data, inactive, "SG1", 2024)
    assert (values["hhi"].value, values["hhi"].n, values["hhi"].insufficient) == (1500, 50, False)
    assert values["overdue_share"].value == pytest.approx(11 / 20)
    assert values["decline_trend"].value == 0
    assert values["inactive_question_share"].value == 0.25
    # No open work: the overdue share cannot be computed (NULL, not 0).
    empty = series({"SG2": _sg([1] * 5, [1] * 5, backlog=0, overdue_items=0)})
    assert indicator_values(empty, NO_QUESTIONS, "SG2", 2024)["overdue_share"].value is None


def test_a_value_on_too_few_records_raises_no_risk():
    framework = load_framework()
    # HHI 5000 from 3 contributions (the catalogue asks for 20): shown, marked insufficient, no level.
    data = series({"SG1": _sg([100] * 5, [3] * 5, hhi=5000, backlog=3, overdue_items=3)})
    table = risk_table(data, NO_QUESTIONS, ["SG1"], 2024, framework.risk_appetite).set_index("risk_id")
    assert table.loc["concentration", "value"] == 5000 and table.loc["concentration", "n"] == 3
    assert bool(table.loc["concentration", "insufficient_data"]) and pd.isna(
        table.loc["concentration", "level"]
    )
    # 3 open work items (at least 5 needed): no capacity risk either.
    assert bool(table.loc["capacity", "insufficient_data"]) and pd.isna(table.loc["capacity", "level"])


def test_a_year_with_no_data_gives_null_levels():
    framework = load_framework()
    data = series({"SG1": _sg([100] * 5, [50] * 5)})
    table = risk_table(data, NO_QUESTIONS, ["SG1"], 2030, framework.risk_appetite)
    # The landscape risk needs the optional landscape: without it, it is not in the register at all.
    assert len(table) == len(framework.risk_appetite) - 1 and "landscape" not in set(table["risk_id"])
    assert table["level"].isna().all() and table["value"].isna().all()
    with_landscape = risk_table(
        data, NO_QUESTIONS, ["SG1"], 2030, framework.risk_appetite, {"landscape_divergence": {}}
    )
    row = with_landscape[with_landscape["risk_id"] == "landscape"].iloc[0]
    assert pd.isna(row["value"]) and pd.isna(row["level"])  # present but no value for SG1: NULL


def test_unknown_indicator_is_a_clear_error():
    bad = {"odd": RiskAppetite(indicator="happiness", direction="higher is worse", medium=1, high=2)}
    with pytest.raises(ValueError, match="risk_appetite.odd: unknown indicator 'happiness'"):
        risk_table(series({"SG1": _sg([1] * 5, [1] * 5)}), NO_QUESTIONS, ["SG1"], 2024, bad)


def test_heatmap_is_one_row_per_sg_and_one_column_per_risk():
    framework = load_framework()
    data = series({"SG1": _sg([100] * 5, [50] * 5, hhi=2000), "SG2": _sg([100, 90, 80, 70, 60], [50] * 5)})
    table = risk_table(data, NO_QUESTIONS, ["SG1", "SG2"], 2024, framework.risk_appetite)
    wide = heatmap(table).set_index("sg")
    # Every risk but the one on the optional landscape, absent here.
    assessed = [r for r, a in framework.risk_appetite.items() if a.indicator not in OPTIONAL_INDICATORS]
    assert list(wide.columns) == ["as_of_year", *assessed] and "landscape" not in assessed
    assert wide.loc["SG1", "concentration"] == "high" and wide.loc["SG2", "concentration"] == "low"
    assert wide.loc["SG2", "decline"] == "high" and wide.loc["SG1", "decline"] == "low"


def test_mart_on_the_merge_fixture():
    conn = merge_warehouse()
    rows = {
        (sg, r): (v, lvl)
        for sg, r, v, lvl in conn.execute("select sg, risk_id, value, level from marts.sg_risks").fetchall()
    }
    assert len(rows) == 3 * (len(load_framework().risk_appetite) - len(OPTIONAL_INDICATORS))  # no landscape
    # Two entities with half the weight each: HHI 5000, but from 3 contributions: too few for a level (20).
    assert rows[("SG13", "concentration")] == (5000, None)
    assert rows[("SG13", "decline")] == (None, None)
    # SG13's only open work item (W13c, target January 2024) is overdue on 31 December 2024: 1 of 1, but one
    # item is too few for a level (5); SG17's one delegate from the USA is too few for the diversity risk (30).
    assert rows[("SG13", "capacity")] == (1.0, None)
    assert rows[("SG17", "diversity")] == (0.0, None)
    assert conn.execute("select count(*) from marts.risk_heatmap").fetchall() == [(3,)]
