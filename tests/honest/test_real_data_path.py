"""The real-data path: the sample without its Recommendations, the real relaton records and Operational Bulletin
approvals imported beside it, then `sgpulse refresh` (skips where ../shared/real-data is absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "real-data"
RELATON = REAL_DATA / "relaton-itu-t.jsonl.gz"
OB = REAL_DATA / "itu-ob-approvals.csv"
pytestmark = pytest.mark.skipif(
    not (RELATON.exists() and OB.exists()), reason=f"real data not found at {REAL_DATA}"
)


def _sample_without_recommendations(target: Path) -> Path:
    shutil.copytree(REPO / "data" / "raw", target)
    (target / "recommendations" / "recommendations.csv").unlink()
    return target


def _import(raw: Path, since: int) -> None:
    runner = CliRunner()
    relaton = runner.invoke(
        app, ["import", "relaton", str(RELATON), "--raw", str(raw), "--since", str(since)]
    )
    assert relaton.exit_code == 0, relaton.output
    bulletin = runner.invoke(app, ["import", "ob-approvals", str(OB), "--raw", str(raw)])
    assert bulletin.exit_code == 0, bulletin.output


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> tuple[Path, Path, str]:
    """(warehouse, briefs folder, refresh output) of the real-data path with --since 2015."""
    root = tmp_path_factory.mktemp("real_path")
    raw = _sample_without_recommendations(root / "raw")
    _import(raw, 2015)
    warehouse, out = root / "warehouse.duckdb", root / "briefs"
    result = CliRunner().invoke(
        app, ["refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return warehouse, out, result.output


def test_the_historical_approvals_of_sg9_sg16_and_sg21(refreshed):
    warehouse, _, _ = refreshed
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        approved = {
            (sg, year): n
            for sg, year, n in conn.execute(
                "select sg, year, recs_approved from marts.sg_year_kpis where sg in ('SG9', 'SG16', 'SG21')"
            ).fetchall()
        }
        sg21_first = conn.execute(
            "select min(approved_on) from staging.recommendations where sg = 'SG21'"
        ).fetchall()[0][0]
    assert (approved[("SG9", 2015)], approved[("SG9", 2016)]) == (5, 18)
    assert (approved[("SG16", 2015)], approved[("SG16", 2016)]) == (80, 67)
    assert not [year for (sg, year), n in approved.items() if sg == "SG21" and year < 2024 and n]
    assert sg21_first.isoformat() >= "2024-10-25"


def test_2026_is_a_partial_year_and_every_output_says_mixed(refreshed):
    warehouse, out, output = refreshed
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        coverage = dict(
            conn.execute("select domain, coverage from marts.year_coverage where year = 2026").fetchall()
        )
        labels = dict(conn.execute("select domain, source_label from marts.coverage").fetchall())
    assert coverage["recommendations"] == "partial" and coverage["meetings"] == "none"
    assert labels["recommendations"] == labels["approval_process"] == "real"
    assert {labels[d] for d in ("membership", "meetings", "attendance", "contributions")} == {"synthetic"}
    banner = "MIXED DATA — real: Recommendations"
    assert banner in " ".join(output.split())
    briefs = sorted(out.glob("*/brief-*.md"))
    assert len(briefs) >= 12
    for path in briefs:
        assert path.read_text(encoding="utf-8").startswith(f"**{banner}"), path.name
        assert banner in path.with_suffix(".html").read_text(encoding="utf-8"), path.name
    assert banner in (out / "index.html").read_text(encoding="utf-8")


def test_with_the_default_window_2015_and_2016_have_no_count_of_approvals(tmp_path):
    from testkit import build_warehouse

    raw = _sample_without_recommendations(tmp_path / "raw")
    _import(raw, 2017)
    conn = build_warehouse(raw)
    rows = conn.execute(
        "select year, recs_approved from marts.sector_year_kpis where year in (2015, 2016, 2017) order by year"
    ).fetchall()
    assert rows[0] == (2015, None) and rows[1] == (2016, None) and rows[2][1] > 0
    zeros = conn.execute(
        "select count(*) from marts.sg_year_kpis where year in (2015, 2016) and recs_approved = 0"
    ).fetchall()[0][0]
    assert zeros == 0
