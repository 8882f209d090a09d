"""The strategic review: on the bundled sample, 2024 -> 2025 names every status change marts.kpi_vs_target shows
between those years and nothing else; the report, the mart and the `sgpulse review` command."""

from __future__ import annotations

import duckdb
from analytics_fixture import sample_warehouse
from typer.testing import CliRunner

from pipelines.analytics.review import ITEMS, NOT_ASSESSED, Side, build_strategic_review, review
from pipelines.analytics.targets import load_framework
from pipelines.catalogue import catalogue
from pipelines.cli import app


def _status_changes(conn, mart: str, keys: str, before: int, after: int) -> set[tuple]:
    """What the mart itself shows: keys whose status is distinct between the two years (NULL = not assessed)."""
    rows = conn.execute(
        f"""
        select {keys}, coalesce(b.status, '{NOT_ASSESSED}'), coalesce(a.status, '{NOT_ASSESSED}')
        from marts.{mart} b join marts.{mart} a using ({keys})
        where b.year = ? and a.year = ? and a.status is distinct from b.status
        """,
        [before, after],
    ).fetchall()
    return {tuple(r) for r in rows}


def test_the_2024_2025_review_of_the_sample_names_every_status_change_and_nothing_else():
    conn = sample_warehouse()
    result = review(Side(conn, 2024), Side(conn, 2025), load_framework(), catalogue())
    kpis = result.of("KPI status")
    named = {(r.sg, r.kpi_or_risk, r.before, r.after) for r in kpis.itertuples()}
    expected = _status_changes(conn, "kpi_vs_target", "sg, kpi", 2024, 2025)
    assert expected, "the sample has status changes between 2024 and 2025"
    assert named == expected and len(kpis) == len(expected)  # every one, once, and nothing else
    sector = {(r.kpi_or_risk, r.before, r.after) for r in result.of("sector KPI status").itertuples()}
    assert sector == _status_changes(conn, "sector_kpi_vs_target", "kpi", 2024, 2025)
    # The merger of SG9 and SG16 into SG21 is a change of structure, not of status.
    groups = result.of("study group").set_index("sg")
    assert groups.loc["SG9", "change"] == "ended" and "SG21" in groups.loc["SG9", "detail"]
    assert set(result.items["item"]) <= set(ITEMS)


def test_consultation_results_that_moved_are_those_of_the_mart_beyond_noise():
    """Story 8b of the sample: SG11's relevance (REL1) fell between the 2024 and 2025 rounds; nothing else moved
    by 10 points beyond sampling noise (recomputed here from marts.consultation_sg_year)."""
    conn = sample_warehouse()
    result = review(Side(conn, 2024), Side(conn, 2025), load_framework(), catalogue())
    rows = conn.execute(
        """
        select sg, question, b.share_agreeing, b.responses, a.share_agreeing, a.responses
        from marts.consultation_sg_year b join marts.consultation_sg_year a using (sg, question, category, itu_region)
        where b.year = 2024 and a.year = 2025 and category = 'all' and itu_region = 'all'
          and not b.suppressed and not a.suppressed
        """
    ).fetchall()
    expected = set()
    for sg, question, before, n_b, after, n_a in rows:
        pooled = (before * n_b + after * n_a) / (n_b + n_a)
        z = (after - before) / (pooled * (1 - pooled) * (1 / n_b + 1 / n_a)) ** 0.5
        if abs(after - before) >= 0.10 and abs(z) >= 3.29:
            expected.add((sg, question))
    named = {(r.sg, r.kpi_or_risk) for r in result.of("consultation").itertuples()}
    assert named == expected == {("SG11", "REL1")}
    [row] = result.of("consultation").itertuples()
    assert (
        row.change == "agreement fell" and row.before.startswith("78% agree") and row.after.startswith("40%")
    )
    assert f"{len(rows)} results of the 2024 and 2025 rounds compared" in result.notes[0]


def test_targets_at_risk_of_the_sector_and_of_each_study_group_follow_their_trend():
    from pipelines.analytics.trends import theil_sen_slope

    conn = sample_warehouse()
    framework = load_framework()
    result = review(Side(conn, 2024), Side(conn, 2025), framework, catalogue())
    listed = {(r.sg, r.kpi_or_risk) for r in result.of("target at risk").itertuples()}
    per_sg = conn.execute(
        "select sg, kpi, year, value, target, direction from marts.kpi_vs_target where year between 2021 and 2025 "
        "and not partial and status is not null and status <> 'insufficient data' order by sg, kpi, year"
    ).df()
    years = {t.kpi: framework.target_year_of(t) for _, t in framework.targets() if t.scope != "sector"}
    expected = set()
    for (sg, kpi), s in per_sg[per_sg["kpi"].isin(years)].groupby(["sg", "kpi"]):
        slope = theil_sen_slope(list(s["year"]), list(s["value"]))
        if slope is None or s["year"].max() != 2025:
            continue
        last = s.iloc[-1]
        projected = last["value"] + slope * (years[kpi] - 2025)
        higher = last["direction"] == "higher is better"
        if (projected < last["target"]) if higher else (projected > last["target"]):
            expected.add((sg, kpi))
    assert expected and {x for x in listed if x[0] != "ITU-T"} == expected
    # The sector's, as before: academia share, backlog and median cycle time on the sample.
    assert {k for sg, k in listed if sg == "ITU-T"} == {"academia_share", "backlog", "median_cycle_days"}


def test_risk_changes_follow_the_risk_history():
    conn = sample_warehouse()
    result = review(Side(conn, 2024), Side(conn, 2025), load_framework(), catalogue())
    history = conn.execute(
        "select sg, risk_id, as_of_year, level from marts.sg_risks_history where as_of_year in (2024, 2025)"
    ).df()
    levels = {(r.sg, r.risk_id, r.as_of_year): r.level for r in history.itertuples()}
    for r in result.of("risk").itertuples():
        before = levels.get((r.sg, r.kpi_or_risk, 2024))
        after = levels.get((r.sg, r.kpi_or_risk, 2025))
        assert r.before == (before if isinstance(before, str) else NOT_ASSESSED)
        assert r.after == (after if isinstance(after, str) else NOT_ASSESSED)
        assert r.change in {"new", "raised", "lowered", "closed", "no longer assessed"}


def test_the_mart_is_the_review_of_the_latest_year(small_warehouse):
    mart = small_warehouse.execute("select * from marts.strategic_review").df()
    assert set(mart["after_year"]) <= {2025} and set(mart["before_year"]) <= {2024}
    result = review(Side(small_warehouse, 2024), Side(small_warehouse, 2025), load_framework(), catalogue())
    assert len(mart) == len(result.items)
    assert build_strategic_review(small_warehouse, load_framework(), catalogue()) == len(mart)


def test_sgpulse_review_writes_the_report(small_warehouse_file, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        app, ["review", "--since", "2024", "--warehouse", str(small_warehouse_file), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    folder = out / "review-2024-2025"
    assert {p.suffix for p in folder.glob("review-2024-2025.*")} == {".html", ".docx", ".md"}
    text = (folder / "review-2024-2025.md").read_text(encoding="utf-8")
    assert "Strategic review for TSAG: what changed between 2024 and 2025" in text
    assert "Membership consultation" in text and "no consultation data" in text
    with duckdb.connect(str(small_warehouse_file), read_only=True) as conn:
        changes = _status_changes(conn, "kpi_vs_target", "sg, kpi", 2024, 2025)
    for sg, kpi, before, after in changes:
        assert f"| {sg} | {kpi} | {before} | {after} |" in text

    # Against a previous review's warehouse (here the same one: nothing changed).
    same = runner.invoke(
        app,
        [
            "review",
            "--baseline",
            str(small_warehouse_file),
            "--warehouse",
            str(small_warehouse_file),
            "--out",
            str(out),
        ],
    )
    assert same.exit_code == 0, same.output
    assert (out / "review-2025-2025" / "review-2025-2025.md").exists()


def test_review_refuses_what_it_cannot_compare(small_warehouse_file, tmp_path):
    runner = CliRunner()
    base = ["review", "--warehouse", str(small_warehouse_file), "--out", str(tmp_path / "out")]
    neither = runner.invoke(app, base)
    assert neither.exit_code == 2 and "--since YEAR or --baseline WAREHOUSE" in neither.output
    uncovered = runner.invoke(app, [*base, "--since", "2030"])
    assert uncovered.exit_code == 2 and "no data for 2030" in uncovered.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("review-*"))


def test_each_refresh_stages_the_latest_years_review(small_warehouse_file, tmp_path):
    from pipelines.review_report import write_latest_review

    files, changes = write_latest_review(small_warehouse_file, tmp_path / "stage", "published.duckdb")
    assert {f.name for f in files} == {f"review-2024-2025{s}" for s in (".html", ".docx", ".md")}
    markdown = next(f for f in files if f.suffix == ".md").read_text(encoding="utf-8")
    assert "of the warehouse published.duckdb" in markdown  # the published name, not the build file's
    with duckdb.connect(str(small_warehouse_file), read_only=True) as conn:
        assert changes == conn.execute("select count(*) from marts.strategic_review").fetchall()[0][0]
