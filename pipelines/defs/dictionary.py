"""The data dictionary published beside the briefs index, so readers of the outputs know what each column means."""

from pathlib import Path

import dagster as dg

from pipelines.defs.publish import BUILD_KEYS, publish_stage_now, report_source
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners

DATA_DICTIONARY = dg.AssetKey(["briefs", "data_dictionary"])


# Like the briefs, it reads the finished build and writes into the run's stage: the `warehouse` asset
# publishes it with the build (pipelines/outputs.py). It writes nothing to the warehouse.
@dg.asset(
    key=DATA_DICTIONARY,
    deps=BUILD_KEYS,
    group_name="briefs",
    kinds={"html", "csv"},
    owners=owners("briefs"),
    code_version=code_version(
        "pipelines.export", "pipelines.outputs", "config/data_dictionary.yaml", "config/kpi_catalogue.yaml"
    ),
)
def data_dictionary(context: dg.AssetExecutionContext, paths: SgpulsePaths) -> dg.MaterializeResult:
    """Every column of the published marts and core tables: type, definition, unit, source (HTML and CSV)."""
    import datetime as dt

    import duckdb

    from pipelines.dictionary import data_dictionary as columns_of
    from pipelines.export import dataset_label, write_dictionary
    from pipelines.outputs import ensure_stage

    out_dir = Path(paths.out_dir)
    source, later = report_source(context, Path(paths.warehouse))
    with duckdb.connect(str(source), read_only=True) as conn:
        columns = columns_of(conn, ("marts", "core"))
    now = dt.datetime.now(dt.UTC)
    page, csv = write_dictionary(columns, ensure_stage(out_dir, context.run_id), dataset_label(source), now)
    if not later:
        publish_stage_now(out_dir, context.run_id)
    return dg.MaterializeResult(
        metadata={
            "page": dg.MetadataValue.path(str(out_dir / page.name)),
            "csv": dg.MetadataValue.path(str(out_dir / csv.name)),
            "tables": int(columns[["schema", "table"]].drop_duplicates().shape[0]),
            "columns": len(columns),
            "undefined columns": int(columns["definition"].isna().sum()),
        }
    )
