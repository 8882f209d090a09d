"""The eight ways outputs said more than their data support (issue 19), each pinned by a test.

1 missing counted as zero · 2 partial years shown as full · 3 lineage ignored · 4 briefs for a year mixing in
other years · 5 provenance · 6 statuses from tiny samples · 7 one value, two verdicts · 8 AAP share unlabelled.
The warehouse is built once from tests/honest/honest_fixture.py (the numbers are worked out there).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pytest
import yaml
from honest_fixture import write_history_raw
from typer.testing import CliRunner

from pipelines.cli import app

GENERATED_AT = dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, Path]:
    """(raw dir, published warehouse file) of the history fixture, built without Dagster."""
    from testkit import build_warehouse

    root = tmp_path_factory.mktemp("history")
    raw = write_history_raw(root / "raw")
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        build_warehouse(raw, conn)
    return raw, path


@pytest.fixture(scope="module")
def conn(history):
    with duckdb.connect(str(history[1]), read_only=True) as c:
        yield c


def _kpi(conn, sg: str, year: int, column: str, mart: str = "sg_year_kpis"):
    rows = conn.execute(f"select {column} from marts.{mart} where sg = ? and year = ?", [sg, year]).fetchall()
    return rows[0][0] if rows else "no row"


def _brief(conn, scope: str, year: int):
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data

    data = load_brief_data(conn, scope, year, run_id="test-run", warehouse="history.duckdb")
    return data, build_brief(data, GENERATED_AT)


def _statements(brief, rule_id: str) -> list[str]:
    return [s.text for s in brief.statements() if s.rule_id == rule_id]


# --- 1. Missing counted as zero -------------------------------------------------------------------------------


def test_1_a_year_the_recommendations_do_not_cover_has_null_output_not_zero(conn):
    # Declared window 2023-2024: nothing is known about 2022 and 2025, so no count of approvals either.
    assert _kpi(conn, "SG17", 2022, "recs_approved") is None
    assert _kpi(conn, "SG17", 2025, "recs_approved") is None
    assert _kpi(conn, "SG17", 2022, "amendments") is None
    sector = conn.execute("select recs_approved from marts.sector_year_kpis where year = 2022").fetchall()
    assert sector == [(None,)]
    # Inside the window a year without approvals is a real zero.
    assert _kpi(conn, "SG9", 2023, "recs_approved") == 0
    covered = dict(
        conn.execute(
            "select year, covered_days from marts.year_coverage where domain = 'recommendations'"
        ).fetchall()
    )
    assert covered[2022] == 0 and covered[2023] == 365 and covered[2025] == 0


# --- 2. Partial years shown as full -----------------------------------------------------------------------------


def test_2_a_partial_year_is_flagged_and_never_a_trend_point(conn):
    partial = dict(
        conn.execute(
            "select year, partial from marts.year_coverage where domain = 'contributions'"
        ).fetchall()
    )
    assert partial[2022] is True and partial[2023] is False
    coverage = dict(conn.execute("select domain, first_date from marts.coverage").fetchall())
    assert coverage["contributions"] == dt.date(2022, 11, 21)
    # The partial year keeps its value...
    assert _kpi(conn, "SG17", 2022, "contributions") == 1
    # ...but no "rose / fell" sentence compares with it, and no target status is given for it.
    data, brief = _brief(conn, "SG17", 2023)
    assert _statements(brief, "R2") == []
    status = conn.execute(
        "select status from marts.kpi_vs_target where sg = 'SG17' and year = 2022 and kpi = 'industry_share'"
    ).fetchall()
    assert status in ([], [(None,)])
    # The contributions chart leaves the partial year out and says so.
    figure = next(f for f in brief.figures() if f.label == "fig:contributions")
    rows = [row for rows in figure.spec["datasets"].values() for row in rows]
    plotted = {
        row["year"] for row in rows if row.get("kpi") == "contributions" and row.get("value") is not None
    }
    assert 2022 not in plotted and 2023 in plotted
    assert "2022" in figure.caption and "partial" in figure.caption


# --- 3. Lineage ignored -----------------------------------------------------------------------------------------


def test_3_rows_of_a_study_group_that_did_not_exist_on_their_date_are_quarantined(conn):
    reasons = [r for (r,) in conn.execute("select reason from quarantine.recommendations").fetchall()]
    assert any("SG21" in r and "2015-03-01" in r and "2024-10-25" in r for r in reasons), reasons
    meetings = [r for (r,) in conn.execute("select reason from quarantine.meetings").fetchall()]
    assert any("SG9" in r and "2024-11-11" in r and "2024-10-24" in r for r in meetings), meetings
    # A work item its successor carries (started under SG9) is not quarantined.
    assert conn.execute("select count(*) from staging.work_items where work_item = 'J.cable'").fetchall() == [
        (1,)
    ]


def test_3_a_successor_s_history_is_its_predecessors_as_one_group(conn):
    lineage = conn.execute("select sg, predecessor, effective_date from marts.sg_lineage").fetchall()
    assert ("SG21", "SG9", dt.date(2024, 10, 25)) in lineage
    rows = {
        year: (participants, via)
        for year, participants, via in conn.execute(
            "select year, participants, via from marts.sg_year_kpis_lineage where sg = 'SG21' order by year"
        ).fetchall()
    }
    assert rows[2023] == (3, "SG9") and rows[2024] == (6, "SG9") and rows[2025] == (8, None)
    # SG21's own 2024 row (a document filed after it existed) has no participants of its own.
    assert _kpi(conn, "SG21", 2024, "participants") == 0


def test_3_the_successor_s_brief_compares_with_its_lineage_and_says_so(conn):
    _, brief = _brief(conn, "SG21", 2025)
    (sentence,) = set(_statements(brief, "R1"))
    assert "with SG9 before 2025" in sentence and "6 in 2024" in sentence and "8 in 2025" in sentence
    assert "0 in 2024" not in brief_text(brief)


def brief_text(brief) -> str:
    from pipelines.briefs.render_markdown import render_markdown

    return render_markdown(brief, "charts")


# --- 4. Briefs for a year mix in other years --------------------------------------------------------------------


def test_4_everything_in_a_brief_for_a_year_is_as_of_that_year(conn):
    data, brief = _brief(conn, "SG17", 2023)
    assert data.relevance_year == 2023
    assert set(data.risks["as_of_year"]) == {2023}
    assert set(data.overlap["window_last_year"]) == {2023}
    risks = next(t for t in brief.tables() if t.label == "tab:risks")
    assert risks.caption.endswith("2023")


@pytest.mark.parametrize("year", [2030, 1850])
def test_4_a_year_the_data_do_not_cover_is_refused_in_every_command(history, tmp_path, year):
    _, warehouse = history
    runner = CliRunner()
    out = tmp_path / "out"
    for args in (
        ["brief", "--sg", "SG17", "--year", str(year), "--out", str(out)],
        ["scenario", "merge", "SG17", "SG9", "--year", str(year)],
    ):
        result = runner.invoke(app, [*args, "--warehouse", str(warehouse)])
        assert result.exit_code == 2, result.output
        message = result.stderr.strip()
        assert "\n" not in message and str(year) in message and "2022-2025" in message, message
    assert not out.exists() or not list(out.rglob(f"*{year}*"))
    from pipelines import explore

    with explore.connect(warehouse) as c, pytest.raises(ValueError, match="2022-2025"):
        explore.kpis("SG17", years=[year], conn=c)


# --- 5. Provenance ---------------------------------------------------------------------------------------------


MIXED = "MIXED DATA — real: Recommendations"


def test_5_a_mixed_run_says_so_per_domain_everywhere(history, conn, tmp_path):
    labels = dict(conn.execute("select domain, source_label from meta.dataset").fetchall())
    assert labels["recommendations"] == "real" and labels["attendance"] == "synthetic"
    sources = dict(conn.execute("select domain, source_label from marts.coverage").fetchall())
    assert sources == {k: v for k, v in labels.items() if k in sources}
    _, brief = _brief(conn, "SG17", 2024)
    markdown = brief_text(brief)
    assert markdown.startswith(f"**{MIXED}")
    assert "synthetic: membership, meetings, attendance, contributions" in markdown
    assert "SAMPLE DATA — synthetic" not in markdown and "| Synthetic | yes |" not in markdown
    # The headline KPI table marks which rows come from real data.
    table = next(t for t in brief.tables() if t.label == "tab:kpis")
    assert "Data" in table.columns
    rows = {r[0]: r[table.columns.index("Data")] for r in table.rows}
    assert rows["Recommendations approved"] == "real" and rows["Participants"] == "synthetic"
    # The CLI says it too.
    result = CliRunner().invoke(
        app, ["scenario", "merge", "SG17", "SG9", "--year", "2024", "--warehouse", str(history[1])]
    )
    assert result.exit_code == 0, result.output
    assert MIXED in result.output


def test_5_importers_keep_dataset_yaml_row_counts_true(tmp_path):
    raw = write_history_raw(tmp_path / "raw")
    dataset = yaml.safe_load((raw / "DATASET.yaml").read_text(encoding="utf-8"))
    dataset["rows"] = {"recommendations": 13, "attendance": 21}
    (raw / "DATASET.yaml").write_text(yaml.safe_dump(dataset), encoding="utf-8")
    (raw / "recommendations" / "recommendations.csv").unlink()
    fixtures = Path(__file__).parents[1] / "importers" / "fixtures"
    result = CliRunner().invoke(app, ["import", "relaton", str(fixtures / "relaton"), "--raw", str(raw)])
    assert result.exit_code == 0, result.output
    written = sum(1 for _ in (raw / "recommendations" / "relaton.csv").open(encoding="utf-8")) - 1
    after = yaml.safe_load((raw / "DATASET.yaml").read_text(encoding="utf-8"))
    assert after["rows"]["recommendations"] == written
    assert after["rows"]["attendance"] == 21
    assert after["coverage"]["recommendations"]["from"] in ("2017-01-01", dt.date(2017, 1, 1))


# --- 6. Statuses from tiny samples ------------------------------------------------------------------------------


def test_6_a_status_needs_enough_records(conn):
    rows = {
        kpi: (status, n)
        for kpi, status, n in conn.execute(
            "select kpi, status, n from marts.kpi_vs_target where sg = 'SG17' and year = 2023"
        ).fetchall()
    }
    assert rows["median_cycle_days"] == ("insufficient data", 1)
    assert rows["aap_share"] == ("insufficient data", 2)
    _, brief = _brief(conn, "SG17", 2023)
    targets = next(t for t in brief.tables() if t.label == "tab:targets")
    assert "n" in targets.columns
    row = next(r for r in targets.rows if r[0] == "Median cycle time")
    assert (
        row[targets.columns.index("n")] == "1" and row[targets.columns.index("Status")] == "insufficient data"
    )
    assert all(r[targets.columns.index("Status")].strip() for r in targets.rows)


# --- 7. One value, two verdicts ---------------------------------------------------------------------------------


def test_7_a_target_on_the_wrong_side_of_its_high_risk_line_is_refused(tmp_path):
    from pipelines.analytics.targets import FRAMEWORK_FILE, FrameworkError, load_framework

    text = FRAMEWORK_FILE.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for goal in data["goals"]:
        for outcome in goal["outcomes"]:
            for target in outcome["kpis"]:
                if target["kpi"] == "hhi":
                    target["target"], target["tolerance"] = 1500, 0.33
    data["risk_appetite"]["concentration"].update(medium=1000, high=1400)
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"hhi.*1,?500.*1,?400|hhi.*1,?400.*1,?500"):
        load_framework(path)


def test_7_the_shipped_framework_never_gives_one_value_two_verdicts():
    from pipelines.analytics.risks import risk_level
    from pipelines.analytics.targets import load_framework

    framework = load_framework()
    by_indicator = {a.indicator: a for a in framework.risk_appetite.values()}
    for _, target in framework.targets():
        appetite = by_indicator.get(target.kpi)
        if appetite is None:
            continue
        tolerance = framework.default_tolerance if target.tolerance is None else target.tolerance
        for value in [*target.overrides.values(), target.target]:
            worse = (
                value * (1 + tolerance)
                if appetite.direction == "higher is worse"
                else value * (1 - tolerance)
            )
            # The worst value still on watch is not a high risk.
            assert risk_level(worse, appetite) != "high", (target.kpi, value)


# --- 8. AAP share from the Operational Bulletin ---------------------------------------------------------------


def test_8_aap_share_says_what_it_rests_on(conn):
    basis, coverage, share = conn.execute(
        "select aap_basis, aap_coverage, aap_share from marts.sg_year_kpis where sg = 'SG17' and year = 2024"
    ).fetchall()[0]
    assert basis == 6 and math.isclose(coverage, 0.6) and share == 1.0
    status = conn.execute(
        "select status from marts.kpi_vs_target where sg = 'SG17' and year = 2024 and kpi = 'aap_share'"
    ).fetchall()
    assert status != [("on track",)]
    _, brief = _brief(conn, "SG17", 2024)
    text = brief_text(brief)
    assert "at most 100" in text
