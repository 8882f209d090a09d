"""One Dagster asset per SQL model (intermediate, core dimensions and facts, marts)."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.metadata import described, table_metadata
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import text_version
from pipelines.sql_models import SqlModel, build_model, load_models
from pipelines.warehouse import ensure_build


def _sql_asset(model: SqlModel) -> dg.AssetsDefinition:
    @dg.asset(
        key=list(model.key),
        deps=[list(ref) for ref in model.references],
        group_name=model.schema,
        kinds={"duckdb", "sql"},
        **described(list(model.key), model.schema),
        code_version=text_version(model.sql),
    )
    def _asset(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
        ensure_build(Path(paths.warehouse))
        with duckdb.get_connection() as conn:
            rows = build_model(conn, model)
            metadata = table_metadata(conn, model.key, rows)
        return dg.MaterializeResult(metadata=metadata)

    return _asset


sql_models = load_models()
sql_assets = [_sql_asset(model) for model in sql_models]
