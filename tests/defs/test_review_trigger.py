"""The strategic review is a document for TSAG: a refresh writes it when the year changes (the latest full year
has no review yet) and keeps a written one; it is written again on demand (the asset alone, or rewrite: true)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.publish import warehouse as warehouse_asset
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.review import REVIEW_REPORT, strategic_review_report

LATEST = "review-2024-2025"  # the small warehouse's latest full year and the year before


@pytest.fixture
def paths(small_warehouse_file, tmp_path) -> SgpulsePaths:
    warehouse = tmp_path / "marts" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(small_warehouse_file, warehouse)
    return SgpulsePaths(
        raw_dir=str(tmp_path / "raw"), warehouse=str(warehouse), out_dir=str(tmp_path / "out")
    )


def _refresh(paths: SgpulsePaths, rewrite: bool | None = None) -> dict:
    """A run that publishes (as a refresh does: the `warehouse` step is selected), the review step's metadata."""
    config = (
        {"ops": {"briefs__strategic_review": {"config": {"rewrite": rewrite}}}}
        if rewrite is not None
        else None
    )
    result = dg.materialize(
        [strategic_review_report, warehouse_asset], resources={"paths": paths}, run_config=config
    )
    assert result.success
    return result.asset_materializations_for_node("briefs__strategic_review")[0].metadata


def _alone(paths: SgpulsePaths) -> dict:
    """The asset materialised on its own from the UI: on demand."""
    result = dg.materialize([strategic_review_report], resources={"paths": paths})
    assert result.success
    return result.asset_materializations_for_node("briefs__strategic_review")[0].metadata


def test_a_refresh_writes_the_review_once_and_keeps_it_until_the_year_changes(paths):
    out = Path(paths.out_dir)
    assert "changes" in _refresh(paths)
    folder = out / LATEST
    assert {p.suffix for p in folder.glob(f"{LATEST}.*")} == {".html", ".docx", ".md"}
    (folder / "sent-to-TSAG.txt").write_text(
        "the review as submitted"
    )  # anything that proves the folder stayed
    kept = _refresh(paths)
    assert kept["review"].value.startswith(f"kept: {LATEST} was written before")
    assert (folder / "sent-to-TSAG.txt").exists()
    # The year changes: last year's review stays, the new year's is written beside it.
    folder.rename(out / "review-2023-2024")
    assert "changes" in _refresh(paths)
    assert (out / LATEST / f"{LATEST}.md").exists()
    assert (out / "review-2023-2024" / "sent-to-TSAG.txt").exists()


def test_on_demand_the_review_is_written_again(paths):
    out = Path(paths.out_dir)
    _refresh(paths)
    (out / LATEST / "sent-to-TSAG.txt").write_text("the review as submitted")
    assert "changes" in _refresh(paths, rewrite=True)
    assert not (out / LATEST / "sent-to-TSAG.txt").exists()
    (out / LATEST / "sent-to-TSAG.txt").write_text("the review as submitted")
    assert "changes" in _alone(paths)
    assert not (out / LATEST / "sent-to-TSAG.txt").exists()


def test_the_weekly_schedule_runs_the_job_that_holds_the_review():
    from pipelines.definitions import defs

    schedule = defs.resolve_schedule_def("weekly_refresh")
    assert REVIEW_REPORT in defs.resolve_job_def(schedule.job_name).asset_layer.selected_asset_keys
