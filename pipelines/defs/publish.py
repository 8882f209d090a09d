"""Publishing the build as the warehouse, and the refresh job that runs everything in one process."""

from pathlib import Path

import dagster as dg

from pipelines.defs.analytics import analytics_keys
from pipelines.defs.landscape import landscape_keys
from pipelines.defs.marts import python_mart_keys
from pipelines.defs.models import sql_models
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners
from pipelines.warehouse import publish


@dg.asset(
    key="warehouse",
    deps=[*(list(m.key) for m in sql_models), *python_mart_keys, *analytics_keys, *landscape_keys],
    group_name="publish",
    kinds={"duckdb"},
    owners=owners("publish"),
    code_version=code_version("pipelines.warehouse"),
)
def warehouse(paths: SgpulsePaths) -> dg.MaterializeResult:
    """The published warehouse: the finished build swapped in atomically, so readers never see a half-built file."""
    path = publish(Path(paths.warehouse))
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
