"""The external landscape: each SG beside the peer bodies' committees working in its field (optional data)."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.analytics import _FACTS, _KINDS, _KPIS
from pipelines.defs.metadata import described, table_metadata
from pipelines.defs.resources import ReportWorkers, SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.warehouse import ensure_build

SG_LANDSCAPE = dg.AssetKey(["marts", "sg_landscape"])
SG_LANDSCAPE_SENSITIVITY = dg.AssetKey(["marts", "sg_landscape_sensitivity"])
SG_LANDSCAPE_SERIES = dg.AssetKey(["marts", "sg_landscape_series"])
_PEERS = [["marts", "peer_committee_year"], ["marts", "peer_coverage"], ["staging", "peer_publications"]]
ABSENT = "absent: the raw directory has no peer_publications (sgpulse import peers BUNDLE --raw DIR)"


# The landscape is optional: without peer_publications both marts are empty, every other asset is built,
# and the metadata (and `sgpulse refresh`) say the landscape is absent rather than failing the run.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            SG_LANDSCAPE,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_LANDSCAPE, "marts"),
            deps=[*_FACTS, *_KPIS, *_PEERS],
        ),
        dg.AssetSpec(
            SG_LANDSCAPE_SENSITIVITY,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_LANDSCAPE_SENSITIVITY, "marts"),
            deps=[*_FACTS, *_KPIS, *_PEERS],
        ),
        dg.AssetSpec(
            SG_LANDSCAPE_SERIES,
            group_name="marts",
            kinds=_KINDS,
            **described(SG_LANDSCAPE_SERIES, "marts"),
            deps=[*_FACTS, *_KPIS, *_PEERS],
        ),
    ],
    name="sg_landscape",
    code_version=code_version(
        "pipelines.analytics.landscape",
        "pipelines.workers",
        "config/landscape.yaml",
        "config/ics_topics.yaml",
        "config/results_framework.yaml",
    ),
)
def sg_landscape(
    context: dg.AssetExecutionContext,
    duckdb: DuckDBResource,
    paths: SgpulsePaths,
    report_workers: ReportWorkers,
):
    """The landscape of every SG for the latest year, with its sensitivity analysis."""
    from pipelines.analytics.landscape import build_sg_landscape, load_landscape_config
    from pipelines.analytics.targets import FRAMEWORK_FILE, load_framework

    framework = load_framework(FRAMEWORK_FILE)
    exclude = tuple(framework.relevance.exclude) if framework.relevance else ("TSAG",)
    config = load_landscape_config()
    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        rows = build_sg_landscape(conn, exclude=exclude, config=config, pool=report_workers.warm_analysis)
        sources = conn.execute(
            "select sdo, source, source_commit, last_date from marts.peer_coverage order by sdo"
        ).fetchall()
        sgs = conn.execute("select count(distinct sg) from marts.sg_landscape").fetchall()[0][0]
        tables = {key: table_metadata(conn, key) for key in landscape_keys}
    if rows:
        state = f"present: {sgs} SGs, {rows} committee rows"
    else:
        state = ABSENT if not sources else "no SG has a related committee"
    if not sources:
        context.log.info(f"landscape {ABSENT}")
    metadata = {
        **tables[SG_LANDSCAPE],
        "landscape": state,
        "config_version": config.version,
        "sources": "; ".join(f"{sdo} {src} {commit[:8]} (to {last})" for sdo, src, commit, last in sources)
        or "none",
    }
    yield dg.MaterializeResult(asset_key=SG_LANDSCAPE, metadata=metadata)
    for key in (SG_LANDSCAPE_SENSITIVITY, SG_LANDSCAPE_SERIES):
        yield dg.MaterializeResult(asset_key=key, metadata=tables[key])


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "similarities_in_unit_interval",
            asset=SG_LANDSCAPE,
            blocking=True,
            description="Every similarity is a cosine in [0, 1] (a failure stops publishing).",
        ),
        dg.AssetCheckSpec(
            "every_sg_with_texts_has_a_related_committee",
            asset=SG_LANDSCAPE,
            description="Every SG with texts in the window has at least one related committee (warning).",
        ),
    ],
    name="sg_landscape_checks",
)
def sg_landscape_checks(duckdb: DuckDBResource, paths: SgpulsePaths):
    """Check the landscape's similarities and that no SG with texts is left without a related committee."""
    from pipelines.analytics.landscape import landscape_problems

    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        problems = landscape_problems(conn)
    yield dg.AssetCheckResult(
        asset_key=SG_LANDSCAPE,
        check_name="similarities_in_unit_interval",
        passed=not problems.out_of_range,
        metadata={
            "offending rows": "; ".join(problems.out_of_range[:5]) or "none",
            "landscape": problems.state,
        },
    )
    yield dg.AssetCheckResult(
        asset_key=SG_LANDSCAPE,
        check_name="every_sg_with_texts_has_a_related_committee",
        passed=not problems.without_committee,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "SGs without a related committee": ", ".join(problems.without_committee) or "none",
            "SGs with texts": problems.sgs_with_texts,
            "landscape": problems.state,
        },
    )


# Everything the `warehouse` asset must wait for from this module (wired in by defs/publish.py).
landscape_keys = [SG_LANDSCAPE, SG_LANDSCAPE_SENSITIVITY, SG_LANDSCAPE_SERIES]
