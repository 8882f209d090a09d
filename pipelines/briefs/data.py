"""What a brief reads from the published warehouse (read-only): marts, meta tables and a few breakdowns.

Every number of a brief comes from one of the DataFrames of `BriefData`. KPI values come from the marts
as they are; the per-SG breakdowns by ITU region and member category (which no mart holds per SG) and the
top-entity shares are summed here from the core facts, with the same conventions as the marts (fractional
contributions, 1/k per distinct source; unresolved organisations in no region and no category).
Tables that a warehouse may not have yet (relevance, overlap, risks, data-quality checks) are None.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.formatting.ordering import sg_sort_key

SECTOR = "sector"
# The KPIs of the headline table, in reading order (names, units and directions come from the catalogue).
HEADLINE_KPIS = (
    "meetings",
    "participants",
    "remote_share",
    "countries",
    "developing_share",
    "female_share",
    "newcomer_share",
    "retention",
    "contributions",
    "contributing_entities",
    "hhi",
    "elephant_factor",
    "industry_share",
    "academia_share",
    "recs_approved",
    "median_cycle_days",
    "backlog",
)
CATEGORIES = ("Member State", "Sector Member", "Associate", "Academia")
UNRESOLVED = "Unresolved organisation"
NO_REGION = "Unknown region"
TOP_N = 5  # the top-entity share of the concentration figure: share of contributions of the TOP_N largest


@dataclass
class Quality:
    """Data-quality status of the build: checks, quarantined rows, unresolved organisation names."""

    ingest: pd.DataFrame  # meta.ingest_report
    checks: pd.DataFrame | None = None  # meta.check_results of the latest run (None: table absent)
    checks_run_id: str | None = None
    quarantine_summary: pd.DataFrame | None = None
    unresolved_names: int | None = None
    unresolved_occurrences: int | None = None

    def check_counts(self) -> dict[str, int] | None:
        """passed / warned / failed: a failed check of severity WARN counts as warned."""
        if self.checks is None:
            return None
        passed = self.checks["passed"].astype(bool)
        warn = self.checks["severity"].astype(str).str.upper().str.startswith("WARN")
        return {
            "passed": int(passed.sum()),
            "warned": int((~passed & warn).sum()),
            "failed": int((~passed & ~warn).sum()),
        }


@dataclass
class Provenance:
    dataset_name: str
    synthetic: bool
    notice: str
    raw_sha256: str
    raw_files: int
    domains: dict[str, str]
    run_id: str | None
    catalogue_version: str
    framework_version: str
    warehouse: str

    @property
    def synthetic_domains(self) -> list[str]:
        return sorted(t for t, kind in self.domains.items() if kind != "real")


@dataclass
class BriefData:
    scope: str
    year: int
    title: str
    study_period: str
    kpis: pd.DataFrame  # one row per year <= year (sg_year_kpis of the SG, or sector_year_kpis)
    targets: pd.DataFrame  # kpi_vs_target of the SG (or sector_kpi_vs_target), years <= year
    regions: pd.DataFrame  # itu_region, participants, contributions in `year`
    categories: pd.DataFrame  # category, participants, contributions in `year`
    top_shares: pd.DataFrame  # year, top_share
    quality: Quality
    provenance: Provenance
    relevance: pd.DataFrame | None = None  # every ranked SG at relevance_year
    relevance_year: int | None = None
    overlap: pd.DataFrame | None = None
    overlap_map: pd.DataFrame | None = None
    risks: pd.DataFrame | None = None  # sg_risks of the SG (every SG for the sector)
    risk_heatmap: pd.DataFrame | None = None  # long: sg, risk_id, level
    risk_appetite: dict = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)
    landscape: object = None  # pipelines.briefs.landscape.LandscapeData (self-contained section)

    @property
    def is_sector(self) -> bool:
        return self.scope == SECTOR

    def kpi(self, kpi_id: str, year: int | None = None):
        """A KPI's value in `year` (default: the brief's year); None when the scope has no row or a NULL."""
        rows = self.kpis[self.kpis["year"] == (year or self.year)]
        if rows.empty or kpi_id not in rows.columns:
            return None
        value = rows.iloc[0][kpi_id]
        return None if pd.isna(value) else value


def has_table(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def default_year(conn: duckdb.DuckDBPyConnection) -> int:
    """The latest year with a meeting (what `sgpulse scenario` uses too)."""
    year = conn.execute("select max(year) from core.dim_meeting").fetchall()[0][0]
    if year is None:
        raise ValueError("the warehouse has no meeting, so there is no year to brief")
    return int(year)


def brief_scopes(conn: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """The SGs with activity in `year` (marts.sg_year_kpis), in SG order, then the sector."""
    sgs = [
        r[0]
        for r in conn.execute("select distinct sg from marts.sg_year_kpis where year = ?", [year]).fetchall()
    ]
    return [*sorted(sgs, key=sg_sort_key), SECTOR]


def _df(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return conn.execute(sql, params or []).df()


def _title(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> tuple[str, str]:
    """The study group's title and the study period governing `year` (2021 still belongs to 2017-2020)."""
    periods = _df(
        conn,
        "select distinct study_period, period_first_year, period_last_year from core.dim_study_group "
        "order by period_first_year",
    )
    period = ""
    for row in periods.itertuples():
        last = row.period_last_year + (1 if row.study_period == "2017-2020" else 0)
        if row.period_first_year <= year <= last:
            period = row.study_period
    if scope == SECTOR:
        return "ITU-T (all study groups and TSAG)", period
    rows = conn.execute(
        "select title from core.dim_study_group where sg = ? and period_first_year <= ? "
        "order by period_first_year desc limit 1",
        [scope, year],
    ).fetchall()
    return (rows[0][0] if rows else scope), period


def _regions(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> pd.DataFrame:
    regions = [
        r[0]
        for r in conn.execute(
            "select distinct itu_region from core.dim_country where itu_region is not null order by 1"
        ).fetchall()
    ]
    if scope == SECTOR:
        frame = _df(
            conn,
            "select itu_region, participants, contributions from marts.region_year where year = ?",
            [year],
        )
    else:
        people = _df(
            conn,
            "select coalesce(itu_region, ?) as itu_region, count(distinct participant_key) as "
            "participants from core.fct_attendance where sg = ? and year = ? group by 1",
            [NO_REGION, scope, year],
        )
        docs = _df(
            conn,
            "select itu_region, sum(weight) as contributions from core.fct_contribution_source "
            "where doc_type = 'C' and sg = ? and year = ? and itu_region is not null group by 1",
            [scope, year],
        )
        frame = people.merge(docs, on="itu_region", how="outer")
    order = [*regions, *sorted(set(frame["itu_region"]) - set(regions))]
    frame = frame.set_index("itu_region").reindex(order).reset_index()
    # Counts over no rows are 0 (contract); a region without participants in the year has 0.
    frame["participants"] = frame["participants"].fillna(0).astype("int64")
    frame["contributions"] = frame["contributions"].fillna(0.0).astype("float64")
    if (
        NO_REGION in set(frame["itu_region"])
        and frame.loc[frame["itu_region"] == NO_REGION, "participants"].sum() == 0
    ):
        frame = frame[frame["itu_region"] != NO_REGION]
    return frame.reset_index(drop=True)


def _categories(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> pd.DataFrame:
    where = "" if scope == SECTOR else "and a.sg = ?"
    params = [year] if scope == SECTOR else [year, scope]
    people = _df(
        conn,
        f"""
        select coalesce(e.category, '{UNRESOLVED}') as category,
            count(distinct a.participant_key) as participants
        from core.fct_attendance a left join core.dim_entity e on e.entity_id = a.entity_id
        where a.year = ? {where} group by 1""",
        params,
    )
    where = "" if scope == SECTOR else "and sg = ?"
    docs = _df(
        conn,
        f"""
        select coalesce(category, '{UNRESOLVED}') as category, sum(weight) as contributions
        from core.fct_contribution_source where doc_type = 'C' and year = ? {where} group by 1""",
        params,
    )
    frame = people.merge(docs, on="category", how="outer")
    order = [*CATEGORIES, UNRESOLVED, *sorted(set(frame["category"]) - {*CATEGORIES, UNRESOLVED})]
    frame = frame.set_index("category").reindex(order).reset_index()
    frame["participants"] = frame["participants"].fillna(0).astype("int64")
    frame["contributions"] = frame["contributions"].fillna(0.0).astype("float64")
    return frame


def _top_shares(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> pd.DataFrame:
    """Per year: the share of the year's (fractional) contributions held by the TOP_N largest entities."""
    where = "" if scope == SECTOR else "and sg = ?"
    params = [year] if scope == SECTOR else [year, scope]
    return _df(
        conn,
        f"""
        with totals as (
            select year, entity_id, sum(weight) as total
            from core.fct_contribution_source where doc_type = 'C' and year <= ? {where}
            group by year, entity_id
        ),
        ranked as (
            select year, total,
                row_number() over (partition by year order by total desc, entity_id) as position
            from totals
        )
        select year, sum(total) filter (where position <= {TOP_N}) / sum(total) as top_share
        from ranked group by year order by year""",
        params,
    )


def _quality(conn: duckdb.DuckDBPyConnection, missing: list[str]) -> Quality:
    quality = Quality(
        ingest=_df(
            conn, "select table_name, rows_read, rows_staged, rows_quarantined from meta.ingest_report"
        )
    )
    if has_table(conn, "meta", "check_results"):
        latest = conn.execute(
            "select run_id from meta.check_results order by checked_at desc nulls last limit 1"
        ).fetchall()
        if latest:
            quality.checks_run_id = latest[0][0]
            quality.checks = _df(
                conn,
                "select asset, check_name, severity, passed, failed_rows "
                "from meta.check_results where run_id is not distinct from ? "
                "order by asset, check_name",
                [latest[0][0]],
            )
        else:
            quality.checks = pd.DataFrame(
                columns=["asset", "check_name", "severity", "passed", "failed_rows"]
            )
    else:
        missing.append("meta.check_results")
    if has_table(conn, "marts", "quarantine_summary"):
        quality.quarantine_summary = _df(conn, "select * from marts.quarantine_summary")
    else:
        missing.append("marts.quarantine_summary")
    if has_table(conn, "marts", "unresolved_organisations"):
        names, occurrences = conn.execute(
            "select count(*), coalesce(sum(occurrences), 0) from marts.unresolved_organisations"
        ).fetchall()[0]
        quality.unresolved_names, quality.unresolved_occurrences = int(names), int(occurrences)
    else:
        missing.append("marts.unresolved_organisations")
    return quality


def _provenance(
    conn: duckdb.DuckDBPyConnection, run_id: str | None, quality: Quality, warehouse: str
) -> Provenance:
    from pipelines.analytics.targets import load_framework
    from pipelines.catalogue import catalogue

    columns = [c[0] for c in conn.execute("select * from meta.dataset limit 0").description]
    row = conn.execute("select * from meta.dataset").df().iloc[0]
    domains = json.loads(row["domains"]) if "domains" in columns and row["domains"] else {}
    files = conn.execute("select count(*) from meta.raw_files").fetchall()[0][0]
    return Provenance(
        dataset_name=str(row["name"]),
        synthetic=bool(row["synthetic"]),
        notice=str(row["notice"] or ""),
        raw_sha256=str(row["raw_sha256"]),
        raw_files=int(files),
        domains=domains,
        run_id=run_id or quality.checks_run_id,
        catalogue_version=catalogue().version,
        framework_version=load_framework().version,
        warehouse=warehouse,
    )


def load_brief_data(
    conn: duckdb.DuckDBPyConnection, scope: str, year: int, run_id: str | None = None, warehouse: str = ""
) -> BriefData:
    """Everything one brief shows, for an SG (e.g. "SG17") or the sector ("sector"), as of `year`."""
    from pipelines.analytics.targets import load_framework

    missing: list[str] = []
    if scope == SECTOR:
        kpis = _df(conn, "select * from marts.sector_year_kpis where year <= ? order by year", [year])
        targets = _df(
            conn, "select * from marts.sector_kpi_vs_target where year <= ? order by year, kpi", [year]
        )
    else:
        known = {r[0] for r in conn.execute("select distinct sg from marts.sg_year_kpis").fetchall()}
        if scope not in known:
            raise ValueError(
                f"no study group {scope!r} in marts.sg_year_kpis (known: "
                f"{', '.join(sorted(known, key=sg_sort_key))})"
            )
        kpis = _df(
            conn, "select * from marts.sg_year_kpis where sg = ? and year <= ? order by year", [scope, year]
        )
        targets = _df(
            conn,
            "select * from marts.kpi_vs_target where sg = ? and year <= ? order by year, kpi",
            [scope, year],
        )
    title, period = _title(conn, scope, year)
    quality = _quality(conn, missing)
    data = BriefData(
        scope=scope,
        year=year,
        title=title,
        study_period=period,
        kpis=kpis,
        targets=targets,
        regions=_regions(conn, scope, year),
        categories=_categories(conn, scope, year),
        top_shares=_top_shares(conn, scope, year),
        quality=quality,
        provenance=_provenance(conn, run_id, quality, warehouse),
        missing_tables=missing,
        risk_appetite={k: v.model_dump() for k, v in load_framework().risk_appetite.items()},
    )
    if has_table(conn, "marts", "sg_relevance"):
        as_of = conn.execute(
            "select max(as_of_year) from marts.sg_relevance where as_of_year <= ?", [year]
        ).fetchall()[0][0]
        data.relevance_year = as_of
        data.relevance = _df(
            conn, "select * from marts.sg_relevance where as_of_year = ? order by rank, sg", [as_of]
        )
    else:
        missing.append("marts.sg_relevance")
    if has_table(conn, "marts", "sg_overlap"):
        data.overlap = _df(
            conn, "select * from marts.sg_overlap order by combined desc nulls last, sg_a, sg_b"
        )
    else:
        missing.append("marts.sg_overlap")
    if has_table(conn, "marts", "sg_overlap_map"):
        data.overlap_map = _df(conn, "select sg, x, y, cluster from marts.sg_overlap_map order by sg")
    else:
        missing.append("marts.sg_overlap_map")
    if has_table(conn, "marts", "sg_risks"):
        where = "" if scope == SECTOR else "where sg = ?"
        data.risks = _df(conn, f"select * from marts.sg_risks {where}", [] if scope == SECTOR else [scope])
    else:
        missing.append("marts.sg_risks")
    if has_table(conn, "marts", "risk_heatmap"):
        wide = _df(conn, "select * from marts.risk_heatmap")
        risk_columns = [c for c in wide.columns if c not in ("sg", "as_of_year")]
        data.risk_heatmap = wide.melt(
            id_vars=["sg"], value_vars=risk_columns, var_name="risk_id", value_name="level"
        )
    else:
        missing.append("marts.risk_heatmap")
    from pipelines.briefs.landscape import load_landscape_data

    data.landscape = load_landscape_data(
        conn, scope, scope == SECTOR, load_framework().evidence.stable_change
    )
    return data


def generation_time() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
