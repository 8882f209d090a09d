"""`sgpulse brief` and the Dagster asset: both read a published warehouse file and write the briefs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.defs.briefs import BRIEFS


@pytest.fixture(scope="module")
def warehouse_file(small_warehouse_file) -> Path:
    """The small warehouse as a file, as `sgpulse refresh` would have published it."""
    return small_warehouse_file


def test_briefs_asset_is_wired_before_the_warehouse_is_published():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    node = graph.get(BRIEFS)
    assert BRIEFS.path[0] == "briefs" and node.group_name == "briefs"
    # The briefs read the finished build (every mart) and are published with it, by the `warehouse` step.
    assert BRIEFS in graph.get(dg.AssetKey("warehouse")).parent_keys
    assert dg.AssetKey(["marts", "sg_year_kpis"]) in node.parent_keys
    assert BRIEFS in defs.resolve_job_def("refresh").asset_layer.selected_asset_keys


def test_briefs_asset_builds_every_brief_with_a_markdown_preview(warehouse_file, tmp_path):
    from pipelines.defs.briefs import evidence_briefs
    from pipelines.defs.resources import ReportWorkers, SgpulsePaths

    paths = SgpulsePaths(
        raw_dir=str(tmp_path / "raw"), warehouse=str(warehouse_file), out_dir=str(tmp_path / "out")
    )
    result = dg.materialize([evidence_briefs], resources={"paths": paths, "report_workers": ReportWorkers()})
    assert result.success
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == BRIEFS]
    metadata = event.materialization.metadata
    assert metadata["briefs"].value == 2  # SG21 (the only SG active in 2025) and the sector
    preview = metadata["preview"]
    assert (
        isinstance(preview, dg.MarkdownMetadataValue)
        and "# Evidence brief: ITU-T sector overview" in preview.value
    )
    for scope in ("SG21", "sector"):
        for suffix in ("html", "docx", "md"):
            assert (tmp_path / "out" / scope / f"brief-{scope}-2025.{suffix}").stat().st_size > 1000
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "SG21/brief-SG21-2025.html" in index and "sector/brief-sector-2025.docx" in index
    provenance = (tmp_path / "out" / "sector" / "brief-sector-2025.md").read_text(encoding="utf-8")
    assert f"| Run id | {result.run_id} |" in provenance


def test_brief_workers_start_with_the_run_and_are_gone_after_it(warehouse_file, tmp_path):
    import multiprocessing
    import time

    from pipelines.defs.briefs import evidence_briefs
    from pipelines.defs.resources import ReportWorkers, SgpulsePaths

    before = set(multiprocessing.active_children())
    with ReportWorkers(workers=2).yield_for_execution(dg.build_init_resource_context()) as workers:
        assert workers.briefs is not None and workers.analysis is not None
        # Two brief workers and the Data Docs worker, launched at set-up, before any step.
        deadline = time.monotonic() + 10
        while len(set(multiprocessing.active_children()) - before) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(set(multiprocessing.active_children()) - before) == 3
    assert set(multiprocessing.active_children()) == before
    for name, warehouse in (("ok", warehouse_file), ("missing", tmp_path / "none.duckdb")):
        paths = SgpulsePaths(raw_dir=str(tmp_path), warehouse=str(warehouse), out_dir=str(tmp_path / name))
        result = dg.materialize(
            [evidence_briefs],
            resources={"paths": paths, "report_workers": ReportWorkers(workers=2)},
            raise_on_error=False,
        )
        assert result.success == (name == "ok")
        # Shut down at the end of the run, whether it succeeded or failed.
        assert set(multiprocessing.active_children()) == before
    assert (tmp_path / "ok" / "sector" / "brief-sector-2025.md").exists()


def test_cli_regenerates_one_brief(warehouse_file, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "brief",
            "--sg",
            "sg17",
            "--year",
            "2024",
            "--warehouse",
            str(warehouse_file),
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    for suffix in ("html", "docx", "md"):
        assert str(tmp_path / "SG17" / f"brief-SG17-2024.{suffix}") in result.output
    assert "Evidence brief: SG17 – Security, 2024" in (tmp_path / "SG17" / "brief-SG17-2024.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief"], "--sg SG17 or --sector"),
        (["brief", "--sg", "SG99"], "no study group 'SG99'"),
        (["brief", "--sector", "--warehouse", "/nonexistent/wh.duckdb"], "no warehouse at"),
    ],
)
def test_cli_errors_are_one_line(warehouse_file, tmp_path, args, message):
    if "--warehouse" not in args:
        args = [*args, "--warehouse", str(warehouse_file), "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and message in result.output


def test_worker_processes_write_the_same_briefs_as_one_process(warehouse_file, tmp_path, monkeypatch):
    import datetime as dt

    from pipelines.briefs.build import build_all_briefs

    # The generation time is taken once and handed to the workers, so both runs stamp the same one.
    frozen = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("pipelines.briefs.data.generation_time", lambda: frozen)
    scopes = ["SG17", "sector"]
    one = build_all_briefs(warehouse_file, tmp_path / "one", scopes=scopes, workers=1, formats=("md",))
    two = build_all_briefs(warehouse_file, tmp_path / "two", scopes=scopes, workers=2, formats=("md",))
    assert [o.scope for o in two] == scopes
    assert [o.file(".md").read_text() for o in one] == [o.file(".md").read_text() for o in two]
    assert "2026-01-05 09:30" in two[0].file(".md").read_text()


def test_workers_started_early_write_the_same_briefs_and_stay_up(warehouse_file, tmp_path, monkeypatch):
    import datetime as dt
    import os

    from pipelines.briefs.build import build_all_briefs
    from pipelines.workers import Workers, warm_up_briefs

    frozen = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("pipelines.briefs.data.generation_time", lambda: frozen)
    scopes = ["SG17", "sector"]
    one = build_all_briefs(warehouse_file, tmp_path / "one", scopes=scopes, workers=1, formats=("md",))
    workers = Workers(2, warm_up_briefs)
    pool = workers.pool
    try:
        early = build_all_briefs(
            warehouse_file, tmp_path / "early", scopes=scopes, formats=("md",), pool=pool
        )
        assert [o.scope for o in early] == scopes
        assert [o.file(".md").read_text() for o in one] == [o.file(".md").read_text() for o in early]
        # The briefs ran in the pool's workers, not here, and the pool is the caller's to shut down.
        assert pool.submit(os.getpid).result() != os.getpid()
    finally:
        workers.stop()


def test_brief_workers_setting_is_validated(monkeypatch):
    from pipelines.briefs.build import brief_workers

    monkeypatch.setenv("SGPULSE_BRIEF_WORKERS", "3")
    assert brief_workers() == 3
    monkeypatch.setenv("SGPULSE_BRIEF_WORKERS", "zero")
    with pytest.raises(ValueError, match="SGPULSE_BRIEF_WORKERS"):
        brief_workers()


def test_a_second_build_reuses_every_chart_rendering(warehouse_file, tmp_path):
    from pipelines.briefs.build import RENDER_CACHE, build_all_briefs

    first = build_all_briefs(warehouse_file, tmp_path, scopes=["SG17"], workers=1, formats=("html", "md"))
    charts = {p: p.read_bytes() for p in (tmp_path / "SG17" / "charts").glob("*.svg")}
    assert first[0].charts_rendered == len(charts) > 5 and first[0].charts_reused == 0
    (second,) = build_all_briefs(warehouse_file, tmp_path, scopes=["SG17"], workers=1, formats=("html", "md"))
    assert second.charts_rendered == 0 and second.charts_reused == len(charts)
    assert {p: p.read_bytes() for p in charts} == charts
    assert len(list((tmp_path / RENDER_CACHE).rglob("*.svg"))) == len(charts)
