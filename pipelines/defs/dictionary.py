"""The data dictionary published beside the briefs index, so readers of the outputs know what each column means."""

from pathlib import Path

import dagster as dg

from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners

DATA_DICTIONARY = dg.AssetKey(["briefs", "data_dictionary"])


# It reads the published warehouse (as the briefs do) and writes nothing to it.
@dg.asset(
    key=DATA_DICTIONARY,
    deps=["warehouse"],
    group_name="briefs",
    kinds={"html", "csv"},
    owners=owners("briefs"),
    code_version=code_version("pipelines.export", "config/data_dictionary.yaml", "config/kpi_catalogue.yaml"),
)
def data_dictionary(paths: SgpulsePaths) -> dg.MaterializeResult:
    """Every column of the published marts and core tables: type, definition, unit, source (HTML and CSV)."""
    import datetime as dt

    import duckdb

    from pipelines.dictionary import data_dictionary as columns_of
    from pipelines.export import dataset_label, write_dictionary

    warehouse = Path(paths.warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        columns = columns_of(conn, ("marts", "core"))
    now = dt.datetime.now(dt.UTC)
    page, csv = write_dictionary(columns, Path(paths.out_dir), dataset_label(warehouse), now)
    return dg.MaterializeResult(
        metadata={
            "page": dg.MetadataValue.path(str(page)),
            "csv": dg.MetadataValue.path(str(csv)),
            "tables": int(columns[["schema", "table"]].drop_duplicates().shape[0]),
            "columns": len(columns),
            "undefined columns": int(columns["definition"].isna().sum()),
        }
    )
