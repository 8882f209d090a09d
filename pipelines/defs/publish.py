"""Publishing the build and its outputs, and the refresh job that runs everything in one process."""

from pathlib import Path

import dagster as dg

from pipelines.defs.analytics import analytics_keys
from pipelines.defs.landscape import landscape_keys
from pipelines.defs.marts import python_mart_keys
from pipelines.defs.models import sql_models
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.review import review_keys
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners
from pipelines.outputs import stage_dir
from pipelines.warehouse import publish

# Every asset that writes to the build: the reports read the build once all of them are done.
BUILD_KEYS = [
    *(list(m.key) for m in sql_models),
    *python_mart_keys,
    *analytics_keys,
    *landscape_keys,
    *review_keys,
]
# The reports a run stages beside the published ones (pipelines/outputs.py), published with the warehouse.
REPORT_KEYS = [
    ["briefs", "evidence_briefs"],
    ["briefs", "data_dictionary"],
    ["briefs", "strategic_review"],
    ["quality", "data_docs"],
]
WAREHOUSE = dg.AssetKey("warehouse")


def publishes_later(context: dg.AssetExecutionContext) -> bool:
    """Whether this run's `warehouse` step will publish what a report step stages (a refresh, or any run that
    selects it). Otherwise (the UI materialising the briefs alone) the report reads the published warehouse
    and publishes its own staged output at the end of its step."""
    return WAREHOUSE in context.job_def.asset_layer.selected_asset_keys


def report_source(context: dg.AssetExecutionContext, warehouse: Path) -> tuple[Path, bool]:
    """What a report step reads, and whether this run's `warehouse` step publishes its stage: the finished build
    (released, so that the report can open it read-only), or the published warehouse when it is run alone."""
    from pipelines.warehouse import ensure_build, release_build

    if not publishes_later(context):
        return warehouse, False
    release_build(warehouse)
    return ensure_build(warehouse), True


def publish_stage_now(out_dir: Path, run_id: str) -> None:
    """Swap a report step's staged output in at once (no warehouse is published in this run)."""
    from pipelines.outputs import stage_dir, swap_in

    stage = stage_dir(out_dir, run_id)
    if stage.is_dir():
        swap_in(out_dir, stage).finish()


@dg.asset(
    key="warehouse",
    deps=[*BUILD_KEYS, *REPORT_KEYS],
    group_name="publish",
    kinds={"duckdb"},
    owners=owners("publish"),
    code_version=code_version("pipelines.warehouse", "pipelines.outputs"),
)
def warehouse(context: dg.AssetExecutionContext, paths: SgpulsePaths) -> dg.MaterializeResult:
    """The published warehouse and its briefs and Data Docs: the finished build and the staged reports swapped in
    together, so readers never see a half-built file and a failed run changes nothing."""
    out_dir = Path(paths.out_dir)
    path = publish(
        Path(paths.warehouse), context.run_id, outputs=stage_dir(out_dir, context.run_id), out_dir=out_dir
    )
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(path)), "bytes": path.stat().st_size}
    )


# DuckDB allows one writer per file, so every step of a refresh runs in this one process, in order.
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Rebuild the warehouse from the raw directory and publish it.",
    # The run queue lets one run with this tag at a time (config/dagster.yaml, docs/deployment.md).
    tags={"sgpulse/warehouse": "writer"},
)
