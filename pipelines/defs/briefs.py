"""Evidence briefs for TSAG, built from the finished build (read-only) into the run's staging folder."""

import time
from pathlib import Path

import dagster as dg

from pipelines.defs.dictionary import DATA_DICTIONARY
from pipelines.defs.publish import BUILD_KEYS, publish_stage_now, publishes_later
from pipelines.defs.resources import ReportWorkers, SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners

BRIEFS = dg.AssetKey(["briefs", "evidence_briefs"])
PREVIEW_CHARS = 20_000  # the Markdown preview in the UI: the sector brief, cut if longer


# The briefs read the finished build, the warehouse this run is about to publish, and are written to the
# run's staging folder: the `warehouse` asset publishes both together, or neither when anything failed.
@dg.asset(
    key=BRIEFS,
    deps=[*BUILD_KEYS, DATA_DICTIONARY],  # the index links the data dictionary (staged with it)
    group_name="briefs",
    kinds={"python", "duckdb"},
    owners=owners("briefs"),
    code_version=code_version(
        "pipelines.briefs.build",
        "pipelines.outputs",
        "config/results_framework.yaml",
        "config/kpi_catalogue.yaml",
    ),
)
def evidence_briefs(
    context: dg.AssetExecutionContext, paths: SgpulsePaths, report_workers: ReportWorkers
) -> dg.MaterializeResult:
    """One brief per active study group and one for the sector (HTML, Word, Markdown, with their charts)."""
    from pipelines.briefs.build import RENDER_CACHE, build_all_briefs
    from pipelines.outputs import stage_briefs
    from pipelines.warehouse import ensure_build, release_build

    started = time.monotonic()
    warehouse, published = Path(paths.warehouse), Path(paths.out_dir)
    later = publishes_later(context)
    if later:
        # The workers open the build read-only: this process must not hold it open for writing meanwhile.
        release_build(warehouse)
        source = ensure_build(warehouse)
    else:
        source = warehouse
    outputs = build_all_briefs(
        source,
        stage_briefs(published, context.run_id),
        run_id=context.run_id,
        pool=report_workers.briefs,
        cache_dir=published / RENDER_CACHE,
        warehouse_name=warehouse.name,
    )
    written = sum(f.stat().st_size for o in outputs for f in o.files)  # in the stage, before it is swapped in
    if not later:
        publish_stage_now(published, context.run_id)
    seconds = time.monotonic() - started
    sector = next((o for o in outputs if o.scope == "sector"), outputs[-1] if outputs else None)
    listing = "\n".join(f"| {o.scope} | {o.year} | {len(o.files)} | {o.folder.name}/ |" for o in outputs)
    preview = sector.markdown if sector else ""
    if len(preview) > PREVIEW_CHARS:
        preview = preview[:PREVIEW_CHARS] + "\n\n*(preview cut; the full brief is in the output folder)*\n"
    text = "| brief | year | files | folder |\n|---|---|---|---|\n" + listing + "\n\n---\n\n" + preview
    return dg.MaterializeResult(
        metadata={
            "preview": dg.MetadataValue.md(text),
            "briefs": len(outputs),
            "files": sum(len(o.files) for o in outputs),
            "bytes": written,
            "index": dg.MetadataValue.path(str(published / "index.html")),
            "seconds": round(seconds, 1),
            "charts rendered": sum(o.charts_rendered for o in outputs),
            "charts reused": sum(o.charts_reused for o in outputs),
        }
    )
