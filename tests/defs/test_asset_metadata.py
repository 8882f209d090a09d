"""What the Dagster UI shows of each asset: a description, owners, and the column schema of its table."""

from __future__ import annotations

import dagster as dg

from pipelines.dictionary import column_definition, table_description

WAREHOUSE_SCHEMAS = {"staging", "quarantine", "intermediate", "core", "marts", "meta"}


def test_every_asset_has_owners_and_its_tables_description():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.owners, f"{key.to_user_string()} has no owners"
        if key.path[0] in WAREHOUSE_SCHEMAS:
            assert node.description == table_description(".".join(key.path)), key.to_user_string()


def test_materialisations_carry_the_column_schema(small_warehouse_file, tmp_path):
    from pipelines.defs.analytics import sg_relevance, sg_risks
    from pipelines.defs.marts import kpi_vs_target
    from pipelines.defs.models import sql_assets
    from pipelines.defs.resources import ReportWorkers, make_resources
    from pipelines.settings import Settings
    from pipelines.warehouse import discard_build

    kpis = next(a for a in sql_assets if a.key == dg.AssetKey(["marts", "sg_year_kpis"]))
    published = small_warehouse_file
    settings = Settings.resolve(tmp_path / "raw", published, tmp_path / "out")
    resources = {**make_resources(settings), "report_workers": ReportWorkers(workers=1)}
    try:
        result = dg.materialize([kpis, kpi_vs_target, sg_relevance, sg_risks], resources=resources)
    finally:
        discard_build(published)
    assert result.success
    seen = set()
    for event in result.get_asset_materialization_events():
        key = event.asset_key
        metadata = event.materialization.metadata
        table = ".".join(key.path)
        columns = metadata["dagster/column_schema"].schema.columns
        assert metadata["dagster/row_count"].value > 0, table
        assert columns and all(c.type for c in columns), table
        for column in columns:  # every column described as in the data dictionary (KPIs with their unit)
            definition, unit, _ = column_definition(table, column.name)
            assert column.description == (f"{definition} ({unit})" if unit else definition), (table, column)
        seen.add(table)
    assert {"marts.sg_year_kpis", "marts.kpi_vs_target", "marts.sector_kpi_vs_target"} <= seen
    assert {"marts.sg_relevance", "marts.sg_risks", "marts.risk_heatmap"} <= seen
