"""Marts computed in Python from configuration: KPIs against the results framework's targets."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.analytics.targets import FRAMEWORK_FILE, build_kpi_vs_target, load_framework
from pipelines.catalogue import catalogue
from pipelines.defs.metadata import described, table_metadata
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.warehouse import ensure_build

KPI_VS_TARGET = dg.AssetKey(["marts", "kpi_vs_target"])
SECTOR_KPI_VS_TARGET = dg.AssetKey(["marts", "sector_kpi_vs_target"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            KPI_VS_TARGET,
            group_name="marts",
            kinds={"duckdb"},
            **described(KPI_VS_TARGET, "marts"),
            deps=[["intermediate", "int_kpis_by_scope"], ["marts", "sg_year_kpis"]],
        ),
        dg.AssetSpec(
            SECTOR_KPI_VS_TARGET,
            group_name="marts",
            kinds={"duckdb"},
            **described(SECTOR_KPI_VS_TARGET, "marts"),
            deps=[["intermediate", "int_kpis_by_scope"]],
        ),
    ],
    name="kpi_vs_target",
    code_version=code_version(
        "pipelines.analytics.targets", "config/results_framework.yaml", "config/kpi_catalogue.yaml"
    ),
)
def kpi_vs_target(duckdb: DuckDBResource, paths: SgpulsePaths):
    """Assess every SG's and the sector's KPIs against the results framework's targets."""
    framework = load_framework(FRAMEWORK_FILE)
    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        rows = build_kpi_vs_target(conn, framework, catalogue())
        tables = {KPI_VS_TARGET: table_metadata(conn, KPI_VS_TARGET, rows)}
        tables[SECTOR_KPI_VS_TARGET] = table_metadata(conn, SECTOR_KPI_VS_TARGET)
    versions = {"framework_version": framework.version, "catalogue_version": catalogue().version}
    for key, metadata in tables.items():
        yield dg.MaterializeResult(asset_key=key, metadata={**metadata, **versions})


# Everything the `warehouse` asset must wait for besides the SQL models.
python_mart_keys = [KPI_VS_TARGET, SECTOR_KPI_VS_TARGET]
