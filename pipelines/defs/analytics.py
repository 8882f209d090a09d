"""Restructuring evidence for TSAG: relevance index, overlap between SGs and the risk register."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.analytics.targets import FRAMEWORK_FILE, load_framework
from pipelines.defs.metadata import described, table_metadata
from pipelines.defs.resources import ReportWorkers, SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.warehouse import ensure_build

SG_RELEVANCE = dg.AssetKey(["marts", "sg_relevance"])
SG_OVERLAP = dg.AssetKey(["marts", "sg_overlap"])
SG_OVERLAP_MAP = dg.AssetKey(["marts", "sg_overlap_map"])
SG_RISKS = dg.AssetKey(["marts", "sg_risks"])
RISK_HEATMAP = dg.AssetKey(["marts", "risk_heatmap"])
SG_RISKS_HISTORY = dg.AssetKey(["marts", "sg_risks_history"])

# The analytics recompute KPIs from the core facts (merged lineages, scenarios), so they read all of them.
_FACTS = [
    ["core", name]
    for name in (
        "dim_meeting",
        "dim_study_group",
        "dim_question",
        "fct_attendance",
        "fct_contribution",
        "fct_contribution_source",
        "fct_recommendation_edition",
        "fct_work_item",
    )
]
# Partial years are left out of levels and trends (marts.year_coverage); successors use their lineage series.
_KPIS = [
    ["marts", "sg_year_kpis"],
    ["intermediate", "int_kpis_by_scope"],
    ["marts", "year_coverage"],
    ["marts", "sg_year_kpis_lineage"],
]
# The relevance index and the risk register take an input from the landscape when it is present.
_LANDSCAPE = [["marts", "sg_landscape"]]
_KINDS = {"duckdb", "python"}


def _write(paths: SgpulsePaths, duckdb: DuckDBResource, build, keys: list[dg.AssetKey]) -> dict:
    """Build the tables, then read each one's row count and column schema from the build."""
    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        build(conn)
        return {key: table_metadata(conn, key) for key in keys}


@dg.asset(
    key=SG_RELEVANCE,
    group_name="marts",
    kinds=_KINDS,
    **described(SG_RELEVANCE, "marts"),
    deps=[*_FACTS, *_KPIS, *_LANDSCAPE],
    code_version=code_version("pipelines.analytics.relevance", "config/results_framework.yaml"),
)
def sg_relevance(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """Composite relevance index per SG and year, with its rank interval under weight sensitivity."""
    from pipelines.analytics.relevance import build_sg_relevance

    framework = load_framework(FRAMEWORK_FILE)
    tables = _write(paths, duckdb, lambda conn: build_sg_relevance(conn, framework), [SG_RELEVANCE])
    return dg.MaterializeResult(metadata={**tables[SG_RELEVANCE], "framework_version": framework.version})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            SG_OVERLAP,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_OVERLAP, "marts"),
            deps=[*_FACTS, *_KPIS],
        ),
        dg.AssetSpec(
            SG_OVERLAP_MAP,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_OVERLAP_MAP, "marts"),
            deps=[*_FACTS, *_KPIS],
        ),
    ],
    name="sg_overlap",
    code_version=code_version(
        "pipelines.analytics.overlap", "pipelines.workers", "config/results_framework.yaml"
    ),
)
def sg_overlap(duckdb: DuckDBResource, paths: SgpulsePaths, report_workers: ReportWorkers):
    """Overlap between study groups over the latest two study periods, and its map."""
    from pipelines.analytics.overlap import build_sg_overlap

    framework = load_framework(FRAMEWORK_FILE)
    exclude = tuple(framework.relevance.exclude) if framework.relevance else ("TSAG",)
    # On the bundled sample the overlap comes ~4 s into the run, before the worker has imported scikit-learn
    # at its low priority: waiting for it took 0.8-1.3 s longer than importing it here.
    pool = report_workers.warm_analysis
    keys = [SG_OVERLAP, SG_OVERLAP_MAP]
    tables = _write(paths, duckdb, lambda conn: build_sg_overlap(conn, exclude=exclude, pool=pool), keys)
    for key in keys:
        yield dg.MaterializeResult(asset_key=key, metadata=tables[key])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            SG_RISKS,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_RISKS, "marts"),
            deps=[*_FACTS, *_KPIS, ["marts", "question_activity"], *_LANDSCAPE],
        ),
        dg.AssetSpec(
            RISK_HEATMAP,
            group_name="marts",
            kinds=_KINDS,
            **described(RISK_HEATMAP, "marts"),
            deps=[*_FACTS, *_KPIS, ["marts", "question_activity"], *_LANDSCAPE],
        ),
        dg.AssetSpec(
            SG_RISKS_HISTORY,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_RISKS_HISTORY, "marts"),
            deps=[*_FACTS, *_KPIS, ["marts", "question_activity"], *_LANDSCAPE],
        ),
    ],
    name="sg_risks",
    code_version=code_version(
        "pipelines.analytics.risks", "config/results_framework.yaml", "config/risk_register.yaml"
    ),
)
def sg_risks(duckdb: DuckDBResource, paths: SgpulsePaths):
    """Risk levels per SG for the latest year, and the sector heat map."""
    from pipelines.analytics.risks import build_sg_risks

    framework = load_framework(FRAMEWORK_FILE)
    keys = [SG_RISKS, RISK_HEATMAP, SG_RISKS_HISTORY]
    tables = _write(paths, duckdb, lambda conn: build_sg_risks(conn, framework), keys)
    for key in keys:
        yield dg.MaterializeResult(
            asset_key=key, metadata={**tables[key], "framework_version": framework.version}
        )


# Everything the `warehouse` asset must wait for from this module (wired in by defs/publish.py).
analytics_keys = [SG_RELEVANCE, SG_OVERLAP, SG_OVERLAP_MAP, SG_RISKS, RISK_HEATMAP, SG_RISKS_HISTORY]
