"""Evidence briefs for TSAG, built from the published warehouse (read-only) into the output folder."""

import time
from pathlib import Path

import dagster as dg

from pipelines.defs.dictionary import DATA_DICTIONARY
from pipelines.defs.resources import ReportWorkers, SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners

BRIEFS = dg.AssetKey(["briefs", "evidence_briefs"])
PREVIEW_CHARS = 20_000  # the Markdown preview in the UI: the sector brief, cut if longer


# The briefs read what readers read: the published file, so a brief never mixes two builds. They write
# nothing to the warehouse, which is why the `warehouse` asset does not wait for them.
@dg.asset(
    key=BRIEFS,
    deps=["warehouse", DATA_DICTIONARY],  # the index links the data dictionary
    group_name="briefs",
    kinds={"python", "duckdb"},
    owners=owners("briefs"),
    code_version=code_version(
        "pipelines.briefs.build", "config/results_framework.yaml", "config/kpi_catalogue.yaml"
    ),
)
def evidence_briefs(
    context: dg.AssetExecutionContext, paths: SgpulsePaths, report_workers: ReportWorkers
) -> dg.MaterializeResult:
    """One brief per active study group and one for the sector (HTML, Word, Markdown, with their charts)."""
    from pipelines.briefs.build import build_all_briefs

    started = time.monotonic()
    out_dir = Path(paths.out_dir)
    outputs = build_all_briefs(
        Path(paths.warehouse), out_dir, run_id=context.run_id, pool=report_workers.briefs
    )
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
            "bytes": sum(f.stat().st_size for o in outputs for f in o.files),
            "index": dg.MetadataValue.path(str(out_dir / "index.html")),
            "seconds": round(seconds, 1),
            "charts rendered": sum(o.charts_rendered for o in outputs),
            "charts reused": sum(o.charts_reused for o in outputs),
        }
    )
