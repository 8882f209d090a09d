"""The strategic review: what changed between the latest full year and the year before, as a mart."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.analytics.targets import FRAMEWORK_FILE, load_framework
from pipelines.catalogue import catalogue
from pipelines.defs.analytics import RISK_HEATMAP, SG_OVERLAP, SG_RELEVANCE, SG_RISKS_HISTORY
from pipelines.defs.marts import KPI_VS_TARGET, SECTOR_KPI_VS_TARGET
from pipelines.defs.metadata import described, table_metadata
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners
from pipelines.warehouse import ensure_build

STRATEGIC_REVIEW = dg.AssetKey(["marts", "strategic_review"])


@dg.asset(
    key=STRATEGIC_REVIEW,
    group_name="marts",
    kinds={"duckdb", "python"},
    **described(STRATEGIC_REVIEW, "marts"),
    deps=[
        KPI_VS_TARGET,
        SECTOR_KPI_VS_TARGET,
        SG_RISKS_HISTORY,
        RISK_HEATMAP,
        SG_RELEVANCE,
        SG_OVERLAP,
        ["marts", "sg_year_kpis"],
        ["marts", "year_coverage"],
        ["marts", "consultation_sg_year"],
        ["core", "dim_study_group"],
    ],
    code_version=code_version(
        "pipelines.analytics.review",
        "config/results_framework.yaml",
        "config/kpi_catalogue.yaml",
        "config/questionnaire.yaml",
    ),
)
def strategic_review(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """What changed between the latest full year and the year before: statuses, risks, ranks, overlap, targets."""
    from pipelines.analytics.review import build_strategic_review

    framework = load_framework(FRAMEWORK_FILE)
    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        rows = build_strategic_review(conn, framework, catalogue())
        metadata = table_metadata(conn, STRATEGIC_REVIEW, rows)
        years = conn.execute(
            "select min(before_year), min(after_year) from marts.strategic_review"
        ).fetchall()[0]
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "framework_version": framework.version,
            "before_year": years[0],
            "after_year": years[1],
        }
    )


# Everything the `warehouse` asset must wait for from this module (wired in by defs/publish.py).
review_keys = [STRATEGIC_REVIEW]


REVIEW_REPORT = dg.AssetKey(["briefs", "strategic_review"])


class ReviewConfig(dg.Config):
    """On demand: write the review of the latest year even if one was written for it already."""

    rewrite: bool = False


# Like the briefs, it reads the finished build and writes into the run's stage: the `warehouse` asset publishes
# it with the build. A review is a document submitted to TSAG, so a refresh (the weekly schedule, the file
# sensor, `sgpulse refresh`) writes it when the year changes, i.e. when the latest full year has no review yet,
# and leaves a written one as it was; materialising this asset alone, or with `rewrite: true` in the run's
# config, or `sgpulse review`, writes it on demand.
@dg.asset(
    key=REVIEW_REPORT,
    deps=[STRATEGIC_REVIEW, ["marts", "year_coverage"]],
    group_name="briefs",
    kinds={"html", "docx"},
    owners=owners("briefs"),
    code_version=code_version(
        "pipelines.review_report", "pipelines.briefs.review", "config/results_framework.yaml"
    ),
)
def strategic_review_report(
    context: dg.AssetExecutionContext, paths: SgpulsePaths, config: ReviewConfig
) -> dg.MaterializeResult:
    """The strategic review for TSAG (HTML, Word, Markdown): written when the year changes, or on demand."""
    from pipelines.defs.publish import publish_stage_now, report_source
    from pipelines.outputs import ensure_stage
    from pipelines.review_report import latest_review_folder, write_latest_review

    out_dir = Path(paths.out_dir)
    source, later = report_source(context, Path(paths.warehouse))
    folder = latest_review_folder(source, out_dir)
    if folder is None:
        return dg.MaterializeResult(
            metadata={"review": "no year before the latest full year: nothing to compare"}
        )
    if later and not config.rewrite and folder.is_dir():
        context.log.info(f"{folder.name} was written before and is kept (rewrite: true writes it again)")
        return dg.MaterializeResult(
            metadata={
                "review": f"kept: {folder.name} was written before (the year has not changed)",
                "report": dg.MetadataValue.path(str(folder / f"{folder.name}.html")),
            }
        )
    written = write_latest_review(source, ensure_stage(out_dir, context.run_id), Path(paths.warehouse).name)
    if not later:
        publish_stage_now(out_dir, context.run_id)
    if written is None:
        return dg.MaterializeResult(
            metadata={"review": "no year before the latest full year: nothing to compare"}
        )
    files, changes = written
    folder = out_dir / files[0].parent.name
    # Read from where the stage goes: run alone, it has been swapped in already and the stage is gone.
    markdown = folder if not later else files[0].parent
    return dg.MaterializeResult(
        metadata={
            "changes": changes,
            "report": dg.MetadataValue.path(str(folder / next(f.name for f in files if f.suffix == ".html"))),
            "preview": dg.MetadataValue.md(
                (markdown / next(f.name for f in files if f.suffix == ".md")).read_text(encoding="utf-8")
            ),
        }
    )
