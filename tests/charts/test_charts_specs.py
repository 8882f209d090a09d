"""Every chart function returns a valid Vega-Lite spec (to_dict validates against the schema) with its fields.

Charts are pure functions of small hand-made DataFrames here; only one chart is exported to PNG (it is slow).
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.catalogue import catalogue
from pipelines.charts import kpi, restructuring
from pipelines.charts.palette import OKABE_ITO

YEARS = [2022, 2023, 2024]
KPIS = pd.DataFrame(
    {
        "year": YEARS,
        "participants": [120, 130, 110],
        "remote_share": [0.6, 0.55, None],
        "contributions": [80, 95, 70],
        "contributing_entities": [20, 22, 19],
        "hhi": [900.0, 1100.0, 1300.0],
        "recs_approved": [10, 12, 8],
        "amendments": [2, 0, 3],
        "median_cycle_days": [700.0, None, 810.0],
    }
)


def _fields(node) -> set[str]:
    """Every `field` named anywhere in a spec (encodings of all layers and panels)."""
    found = set()
    if isinstance(node, dict):
        if isinstance(node.get("field"), str):
            found.add(node["field"])
        for value in node.values():
            found |= _fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= _fields(value)
    return found


def _titles(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "text") and isinstance(value, str):
                found.add(value)
            found |= _titles(value)
    elif isinstance(node, list):
        for value in node:
            found |= _titles(value)
    return found


def _rows(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


CASES = {
    "participation": (
        lambda: kpi.participation_chart(KPIS),
        {"year", "participants", "remote_share"},
        ["participants", "remote_share"],
    ),
    "contributions": (
        lambda: kpi.contributions_chart(KPIS),
        {"year", "value", "measure"},
        ["contributions", "contributing_entities"],
    ),
    "concentration": (
        lambda: kpi.concentration_chart(KPIS.assign(top_share=[0.5, 0.45, 0.6]), 5, {"target 1,500": 1500.0}),
        {"year", "hhi", "top_share"},
        ["hhi"],
    ),
    "regions": (
        lambda: kpi.regional_chart(
            pd.DataFrame(
                {
                    "itu_region": ["Africa", "Europe", "Asia-Pacific"],
                    "participants": [3, 40, 12],
                    "contributions": [1.5, 30.0, 12.5],
                }
            ),
            2024,
        ),
        {"itu_region", "participants", "contributions", "label"},
        ["region_participants"],
    ),
    "categories": (
        lambda: kpi.category_chart(
            pd.DataFrame(
                {
                    "category": ["Member State", "Sector Member"],
                    "participants": [50, 70],
                    "contributions": [20.0, 40.0],
                }
            ),
            2024,
        ),
        {"category", "participants", "contributions"},
        ["participants"],
    ),
    "output": (
        lambda: kpi.output_chart(KPIS),
        {"year", "value", "measure", "median_cycle_days"},
        ["recs_approved", "amendments", "median_cycle_days"],
    ),
    "targets": (
        lambda: kpi.kpi_target_chart(
            pd.DataFrame(
                {
                    "kpi": ["countries", "countries", "hhi", "hhi"],
                    "year": [2023, 2024, 2023, 2024],
                    "value": [30.0, 22.0, 1200.0, None],
                    "target": [25.0, 25.0, 1500.0, 1500.0],
                    "status": ["on track", "off track", "on track", None],
                }
            )
        ),
        {"year", "row", "status", "label"},
        ["countries", "hhi"],
    ),
    "dot_strip": (
        lambda: kpi.dot_strip_chart(
            pd.DataFrame(
                {
                    "kpi": ["Participants (people)"] * 4 + ["Remote share (%)"] * 3,
                    "sg": ["SG2", "SG3", "median", "SG17", "SG2", "median", "SG17"],
                    "value": [200.0, 80.0, 140.0, 300.0, 60.0, 55.0, None],
                    "role": ["study group", "study group", "median", "SG17", "study group", "median", "SG17"],
                }
            ),
            "SG17",
        ),
        {"kpi", "value", "role", "sg"},
        ["participants", "remote_share"],
    ),
    "relevance": (
        lambda: restructuring.relevance_chart(
            pd.DataFrame(
                {
                    "sg": ["SG13", "SG17", "SG3"],
                    "relevance_index": [70.0, 55.0, 20.0],
                    "rank": [1, 2, 3],
                    "rank_low": [1, 1, 3],
                    "rank_high": [2, 3, 3],
                }
            ),
            highlight="SG17",
        ),
        {"sg", "rank", "rank_low", "rank_high", "focus"},
        [],
    ),
    "overlap_map": (
        lambda: restructuring.overlap_map_chart(
            pd.DataFrame(
                {
                    "sg": ["SG13", "SG20", "SG3"],
                    "x": [0.1, 0.15, -0.4],
                    "y": [0.0, 0.05, 0.3],
                    "cluster": [1, 1, 2],
                }
            ),
            highlight="SG20",
        ),
        {"x", "y", "cluster", "sg"},
        [],
    ),
    "overlap_pairs": (
        lambda: restructuring.overlap_pairs_chart(
            pd.DataFrame(
                {
                    "sg_a": ["SG13", "SG2"],
                    "sg_b": ["SG20", "SG3"],
                    "text_similarity": [0.31, 0.06],
                    "entity_overlap": [0.36, 0.2],
                    "combined": [0.34, 0.13],
                }
            )
        ),
        {"pair", "measure", "value"},
        [],
    ),
    "risk_heatmap": (
        lambda: restructuring.risk_heatmap_chart(
            pd.DataFrame(
                {
                    "sg": ["SG13", "SG13", "SG3", "SG3"],
                    "risk_id": ["concentration", "decline"] * 2,
                    "level": ["low", "medium", "high", None],
                }
            ),
            {"decline": "Participation or contributions falling"},
        ),
        {"sg", "risk", "level"},
        [],
    ),
    "scale_vitality": (
        lambda: restructuring.scale_vitality_chart(
            pd.DataFrame({"sg": ["SG13", "SG3"], "scale_index": [88.3, 5.0], "vitality_index": [52.1, 17.2]}),
            "SG3",
        ),
        {"sg", "scale_index", "vitality_index"},
        [],
    ),
    "risk_matrix": (
        lambda: restructuring.risk_matrix_chart(
            pd.DataFrame(
                {
                    "sg": ["SG13", "SG13", "SG3", "SG3"],
                    "risk": ["Concentration", "Decline", "Concentration", "Decline"],
                    "likelihood": [1, 2, 5, None],
                    "impact": [4, 5, 3, 2],
                    "level": ["low", "low", "high", None],
                }
            ),
            {1: "rare", 5: "almost certain"},
            {1: "minor", 5: "severe"},
        ),
        {"likelihood", "impact", "risks", "level"},
        [],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_chart_is_a_valid_vega_lite_spec_with_its_fields(name):
    make, fields, kpi_ids = CASES[name]
    spec = make().to_dict()  # validates against the Vega-Lite schema
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")
    assert fields <= _fields(spec), f"{name}: missing {fields - _fields(spec)}"
    assert spec["config"]["range"]["category"] == list(OKABE_ITO)
    # Titles, axis labels, legend entries and row labels name the KPIs as the catalogue does.
    labels = " ".join(_titles(spec)) + " " + " ".join(str(v) for row in _rows(spec) for v in row.values())
    for kpi_id in kpi_ids:
        assert catalogue().get(kpi_id).name in labels, f"{name}: no label with {catalogue().get(kpi_id).name}"


def test_charts_are_pure_functions_of_their_input():
    before = KPIS.copy()
    first, second = kpi.participation_chart(KPIS).to_dict(), kpi.participation_chart(KPIS).to_dict()
    assert first == second
    pd.testing.assert_frame_equal(KPIS, before)


def test_a_missing_value_stays_missing_in_the_chart():
    rows = _rows(kpi.participation_chart(KPIS).to_dict())
    assert next(r for r in rows if r["year"] == 2024)["remote_share"] is None


def test_breakdown_charts_suppress_small_counts_of_people():
    spec = CASES["regions"][0]().to_dict()
    people = {r["itu_region"]: r for r in _rows(spec) if "participants" in r}
    assert people["Africa"]["participants"] is None and people["Africa"]["label"] == "<5"
    # complementary suppression: with one small cell, the next smallest (12) is hidden too
    assert people["Asia-Pacific"]["participants"] is None and people["Europe"]["participants"] == 40
    docs = {r["itu_region"]: r["contributions"] for r in _rows(spec) if "contributions" in r}
    assert docs == {"Africa": 1.5, "Europe": 30.0, "Asia-Pacific": 12.5}  # documents are never suppressed


def test_status_and_risk_colours_are_fixed_whatever_the_data():
    spec = CASES["targets"][0]().to_dict()
    scale = next(
        layer["encoding"]["color"]["scale"] for layer in spec["layer"] if "color" in layer["encoding"]
    )
    assert scale["domain"] == [
        "on track",
        "watch",
        "off track",
        "insufficient data",
        "partial year",
        "no value",
    ]
    spec = CASES["risk_heatmap"][0]().to_dict()
    scale = next(
        layer["encoding"]["color"]["scale"] for layer in spec["layer"] if "color" in layer["encoding"]
    )
    assert scale["domain"] == ["low", "medium", "high", "n/a"]


def test_export_svg_png_and_html():
    from pipelines.charts.export import to_html, to_png, to_svg

    chart = CASES["relevance"][0]()
    svg = to_svg(chart)
    assert svg.lstrip().startswith("<svg") and "SG17" in svg
    assert to_png(chart, scale=1)[:8] == b"\x89PNG\r\n\x1a\n"
    page = to_html(chart.to_dict())
    assert "<html" in page and "vega" in page
