"""Marts computed in Python: KPIs against the results framework's targets, and a successor SG's lineage series."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.analytics.scope_kpis import SCOPED_RELATIONS
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
            deps=[
                ["intermediate", "int_kpis_by_scope"],
                ["intermediate", "int_year_coverage"],
                ["marts", "sg_year_kpis"],
                ["marts", "sg_year_kpis_lineage"],
            ],
        ),
        dg.AssetSpec(
            SECTOR_KPI_VS_TARGET,
            group_name="marts",
            kinds={"duckdb"},
            **described(SECTOR_KPI_VS_TARGET, "marts"),
            deps=[["intermediate", "int_kpis_by_scope"], ["intermediate", "int_year_coverage"]],
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


SG_YEAR_KPIS_LINEAGE = dg.AssetKey(["marts", "sg_year_kpis_lineage"])
# A successor's series is recomputed from its predecessors' core facts with the KPI SQL of int_kpis_by_scope.
_LINEAGE_FACTS = [["core", relation] for relation in SCOPED_RELATIONS]


@dg.asset(
    key=SG_YEAR_KPIS_LINEAGE,
    group_name="marts",
    kinds={"duckdb", "python"},
    **described(SG_YEAR_KPIS_LINEAGE, "marts"),
    deps=[
        ["marts", "sg_year_kpis"],
        ["marts", "sg_lineage"],
        ["intermediate", "int_year_coverage"],
        *_LINEAGE_FACTS,
    ],
    code_version=code_version("pipelines.analytics.scope_kpis"),
)
def sg_year_kpis_lineage(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """sg_year_kpis with a successor's years before it existed computed from its predecessors' facts as one group."""
    from pipelines.analytics.scope_kpis import build_sg_year_kpis_lineage

    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        rows = build_sg_year_kpis_lineage(conn)
        metadata = table_metadata(conn, SG_YEAR_KPIS_LINEAGE, rows)
    return dg.MaterializeResult(metadata=metadata)


RESULTS_FRAMEWORK = dg.AssetKey(["marts", "results_framework"])


@dg.asset(
    key=RESULTS_FRAMEWORK,
    group_name="marts",
    kinds={"duckdb", "python"},
    **described(RESULTS_FRAMEWORK, "marts"),
    deps=[["marts", "sector_year_kpis"], ["intermediate", "int_year_coverage"]],
    code_version=code_version(
        "pipelines.analytics.results_framework", "config/results_framework.yaml", "config/kpi_catalogue.yaml"
    ),
)
def results_framework(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """The results framework's tree, one row per node, each KPI with its baseline computed at the baseline year."""
    from pipelines.analytics.results_framework import build_results_framework

    return _framework_mart(duckdb, paths, RESULTS_FRAMEWORK, build_results_framework)


def _framework_mart(
    duckdb: DuckDBResource, paths: SgpulsePaths, key: dg.AssetKey, build
) -> dg.MaterializeResult:
    """Build a mart from the results framework, `build(conn, framework, catalogue)`, into the run's build."""
    framework = load_framework(FRAMEWORK_FILE)
    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        rows = build(conn, framework, catalogue())
        metadata = table_metadata(conn, key, rows)
    return dg.MaterializeResult(metadata={**metadata, "framework_version": framework.version})


REGION_KPI_VS_TARGET = dg.AssetKey(["marts", "region_kpi_vs_target"])


@dg.asset(
    key=REGION_KPI_VS_TARGET,
    group_name="marts",
    kinds={"duckdb", "python"},
    **described(REGION_KPI_VS_TARGET, "marts"),
    deps=[
        ["marts", "region_year"],
        ["core", "dim_meeting"],
        ["core", "dim_country"],
        ["intermediate", "int_year_coverage"],
    ],
    code_version=code_version(
        "pipelines.analytics.regions", "config/results_framework.yaml", "config/kpi_catalogue.yaml"
    ),
)
def region_kpi_vs_target(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """Each ITU region's KPIs per year against the results framework's regional targets, with status and n."""
    from pipelines.analytics.regions import build_region_kpi_vs_target

    return _framework_mart(duckdb, paths, REGION_KPI_VS_TARGET, build_region_kpi_vs_target)


ENABLER_YEAR = dg.AssetKey(["marts", "enabler_year"])


@dg.asset(
    key=ENABLER_YEAR,
    group_name="marts",
    kinds={"duckdb", "python"},
    **described(ENABLER_YEAR, "marts"),
    deps=[
        ["marts", "sector_year_kpis"],
        ["marts", "membership_year"],
        ["marts", "question_activity"],
        ["marts", "event_year"],
        ["core", "fct_attendance"],
        ["core", "fct_contribution_source"],
        ["core", "dim_meeting"],
        ["intermediate", "int_year_coverage"],
    ],
    code_version=code_version("pipelines.analytics.enablers", "config/kpi_catalogue.yaml"),
)
def enabler_year(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """The key enablers measured from the data there is, per year (e-meetings, promotion, structure, industry)."""
    from pipelines.analytics.enablers import build_enabler_year

    return _python_mart(duckdb, paths, ENABLER_YEAR, lambda conn: build_enabler_year(conn, catalogue()))


def _python_mart(
    duckdb: DuckDBResource, paths: SgpulsePaths, key: dg.AssetKey, build
) -> dg.MaterializeResult:
    """Build a mart with `build(conn)` (returning its row count) into the run's build file."""
    ensure_build(Path(paths.warehouse))
    with duckdb.get_connection() as conn:
        rows = build(conn)
        metadata = table_metadata(conn, key, rows)
    return dg.MaterializeResult(metadata=metadata)


CONSULTATION_SG_YEAR = dg.AssetKey(["marts", "consultation_sg_year"])


@dg.asset(
    key=CONSULTATION_SG_YEAR,
    group_name="marts",
    kinds={"duckdb", "python"},
    **described(CONSULTATION_SG_YEAR, "marts"),
    deps=[["core", "fct_consultation_answer"]],
    code_version=code_version("pipelines.analytics.consultation", "config/questionnaire.yaml"),
)
def consultation_sg_year(duckdb: DuckDBResource, paths: SgpulsePaths) -> dg.MaterializeResult:
    """The membership consultation per SG, year and question (all, per category, per region), small n suppressed."""
    from pipelines.analytics.consultation import build_consultation_sg_year
    from pipelines.questionnaire import questionnaire

    return _python_mart(
        duckdb, paths, CONSULTATION_SG_YEAR, lambda conn: build_consultation_sg_year(conn, questionnaire())
    )


# Everything the `warehouse` asset must wait for besides the SQL models.
python_mart_keys = [
    CONSULTATION_SG_YEAR,
    ENABLER_YEAR,
    KPI_VS_TARGET,
    SECTOR_KPI_VS_TARGET,
    SG_YEAR_KPIS_LINEAGE,
    RESULTS_FRAMEWORK,
    REGION_KPI_VS_TARGET,
]
