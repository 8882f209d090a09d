"""The complete results framework: validated, the tree in marts.results_framework with baselines computed from the
data at the baseline year, docs/results-framework.md generated from it, and progress in the sector brief."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from testkit import framework_file

from pipelines.analytics.results_framework import build_results_framework, render_markdown
from pipelines.analytics.targets import FrameworkError, load_framework
from pipelines.briefs.framework import progress_text
from pipelines.catalogue import catalogue

DOCS = Path(__file__).parent.parent / "docs" / "results-framework.md"


def _copy(small_warehouse_file: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(small_warehouse_file.read_bytes())
    return duckdb.connect(str(path))


def test_shipped_framework_is_complete():
    framework = load_framework()
    assert framework.vision.draft and framework.mission.draft  # placeholders until TSAG adopts its own
    assert [(g.id, g.name) for g in framework.itu_goals] == [
        ("SP1", "Universal connectivity"),
        ("SP2", "Sustainable digital transformation"),
    ]
    assert {g.aligns_with for g in framework.goals} == {"SP1", "SP2"}
    assert any(o.outputs for g in framework.goals for o in g.outcomes)
    assert framework.assess_from <= framework.baseline_year < framework.target_year
    # Every enabler is measured, or says why not; those without data say so.
    assert all(e.kpis or e.note for e in framework.enablers)
    assert {e.id for e in framework.enablers if e.note.startswith("no data")} >= {"E6"}
    # One definition per KPI: every KPI of the framework is the catalogue's, and measures one node.
    kpis = [t.kpi for _, t in framework.measured()]
    assert len(kpis) == len(set(kpis)) and all(catalogue().find(k) for k in kpis)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["goals"][0].update(aligns_with="SP9"), "aligns_with 'SP9' is not one of"),
        (lambda d: d.pop("vision"), "vision: Field required"),
        (lambda d: d["goals"][1].pop("aligns_with"), "goals.1.aligns_with: Field required"),
        (lambda d: d.pop("baseline_year"), "baseline_year: Field required"),
        (lambda d: d["vision"].update(text=""), "vision.text"),
        (lambda d: d.update(baseline_year=2030), "baseline_year 2030"),
        (
            lambda d: d["enablers"].append({"id": "E9", "name": "Something"}),
            "enabler E9: list its kpis, or say in `note` why it has none",
        ),
        (
            lambda d: d["enablers"].append(
                {"id": "E9", "name": "Again", "kpis": [{"kpi": "hhi", "target": 1}]}
            ),
            "a KPI measures one node of the framework, found twice: ['hhi']",
        ),
        (lambda d: d["enablers"].append({"id": "G1", "name": "Twice", "note": "x"}), "found twice: ['G1']"),
        (
            lambda d: d["goals"][2]["outcomes"][0]["outputs"][0]["kpis"][0].update(target_year=2023),
            "goals.2.outcomes.0.outputs.0.kpis.0.kpi: target_year 2023 is not after baseline_year 2023",
        ),
        (
            lambda d: d["enablers"][1]["kpis"][0].update(kpi="meetings"),
            "enablers.1.kpis.0.kpi: 'meetings' has no direction",
        ),
    ],
)
def test_invalid_framework_names_the_problem(tmp_path, mutate, expected):
    path = framework_file(tmp_path, mutate)
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert expected in str(info.value) and str(path) in str(info.value)


def test_the_mart_holds_the_tree_with_baselines_from_the_data(small_warehouse_file, tmp_path):
    conn = _copy(small_warehouse_file, tmp_path)
    framework = load_framework()
    rows = build_results_framework(conn, framework, catalogue())
    tree = conn.execute("select * from marts.results_framework order by position").df()
    assert rows == len(tree) and tree["id"].is_unique
    assert list(tree["level"][:2]) == ["vision", "mission"] and tree["draft"][:2].all()
    # Every parent is a node of the tree; KPI nodes hang under outcomes, outputs or enablers.
    ids = set(tree["id"])
    assert set(tree["parent"].dropna()) <= ids
    levels = dict(zip(tree["id"], tree["level"], strict=True))
    kpis = tree[tree["level"] == "kpi"]
    assert {levels[p] for p in kpis["parent"]} == {"outcome", "output", "enabler", "regional"}
    regional = kpis[kpis["scope"] == "region"]
    assert len(regional) == len(framework.regional_presence.kpis)
    # A regional KPI's baselines are per region (marts.region_kpi_vs_target), not one sector value.
    assert regional["baseline"].isna().all() and regional["note"].str.contains("region_kpi_vs_target").all()
    kpis = kpis[kpis["scope"] != "region"]
    assert len(kpis) == len(framework.measured())
    # The baseline is the sector's value in the baseline year (2023: the fixture covers 2022-2025 in full).
    sector = conn.execute("select * from marts.sector_year_kpis where year = 2023").df().iloc[0]
    for row in kpis.itertuples():
        assert row.baseline_year == 2023
        expected = sector[catalogue().get(row.kpi).column_name]
        assert pd.isna(row.baseline) == pd.isna(expected), row.kpi
        if not pd.isna(expected):
            assert row.baseline == pytest.approx(float(expected)), row.kpi
    hhi = kpis.set_index("kpi").loc["hhi"]
    assert (hhi["target"], hhi["target_year"], hhi["scope"]) == (1000.0, 2028, "all")
    assert kpis.set_index("kpi").loc["recs_approved", "scope"] == "sector"
    assert (
        kpis.set_index("kpi").loc["remote_share", "target"]
        != kpis.set_index("kpi").loc["remote_share", "target"]
    )


def test_a_partial_baseline_year_gives_no_baseline_and_says_why(small_warehouse_file, tmp_path):
    conn = _copy(small_warehouse_file, tmp_path)
    conn.execute(
        "update intermediate.int_year_coverage set coverage = 'partial' where year = 2023 and domain = 'attendance'"
    )
    build_results_framework(conn, load_framework(), catalogue())
    rows = conn.execute("select kpi, baseline, note from marts.results_framework where kpi is not null").df()
    by_kpi = rows.set_index("kpi")
    for kpi in ("developing_share", "countries", "remote_share", "newcomer_share"):
        assert pd.isna(by_kpi.loc[kpi, "baseline"]), kpi  # NULL, never another year's
        assert "no baseline: 2023 is a partial year for attendance" in by_kpi.loc[kpi, "note"]
    assert not pd.isna(by_kpi.loc["hhi", "baseline"])  # contributions: still full


def test_docs_page_is_generated_from_the_framework():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(load_framework(), catalogue()), (
        "run: sgpulse framework --write docs/results-framework.md"
    )
    text = DOCS.read_text(encoding="utf-8")
    assert "DRAFT for TSAG to replace" in text and "Universal connectivity" in text and "Enabler E6" in text


@pytest.mark.parametrize(
    ("baseline", "value", "target", "direction", "expected"),
    [
        (0.20, 0.25, 0.30, "higher is better", "50% of the way"),
        (0.20, 0.30, 0.30, "higher is better", "target met"),
        (0.20, 0.15, 0.30, "higher is better", "moved away (-50%)"),
        (800, 765, 730, "lower is better", "50% of the way"),
        (700, 760, 730, "lower is better", "met at baseline, now missed"),
        (700, 720, 730, "lower is better", "met at baseline, still met"),
        (None, 0.25, 0.30, "higher is better", "n/a"),
    ],
)
def test_progress_from_baseline_to_target(baseline, value, target, direction, expected):
    assert progress_text(baseline, value, target, direction) == expected


def test_the_sector_brief_shows_progress_per_kpi(small_warehouse):
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.framework import framework_section

    data = load_brief_data(small_warehouse, "sector", 2024)
    section = framework_section(data)
    table = next(b for b in section.blocks if getattr(b, "label", None) == "tab:framework")
    framework = load_framework()
    assert len(table.rows) == len(framework.measured())
    assert table.columns[2] == "Baseline 2023" and table.columns[3] == "2024"
    row = next(r for r in table.rows if r[1] == catalogue().get("hhi").name)
    status = data.targets[(data.targets["year"] == 2024) & (data.targets["kpi"] == "hhi")].iloc[0]
    assert row[6] == status["status"]  # the status is kpi_vs_target's, one verdict
    assert "DRAFT for TSAG to replace" in section.blocks[0].text
    assert any("E6 Reinvigorated CxO meetings" in getattr(b, "text", "") for b in section.blocks)
