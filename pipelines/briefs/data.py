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

from pipelines.coverage import DataCoverage, DatasetLabel, dataset_label, has_table, load_coverage
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
    risks_before: pd.DataFrame | None = None  # the same register a year earlier (change since last year)
    risk_heatmap: pd.DataFrame | None = None  # long: sg, risk_id, level
    risk_appetite: dict = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)
    landscape: object = None  # pipelines.briefs.landscape.LandscapeData (self-contained section)
    coverage: DataCoverage | None = None  # marts.coverage / year_coverage: partial years, what the data cover
    label: DatasetLabel | None = None  # real / synthetic per domain, and the banner
    # A successor's series (marts.sg_year_kpis_lineage): year -> predecessors whose facts the year holds.
    via: dict[int, str] = field(default_factory=dict)
    overlap_computed: bool = (
        False  # the overlap was computed for this brief's year (the marts hold the latest)
    )
    # marts.results_framework (the sector brief): the tree with baselines.
    framework: pd.DataFrame | None = None
    region_members: pd.DataFrame | None = None  # itu_region, members (marts.region_year) in `year`
    region_targets: pd.DataFrame | None = None  # marts.region_kpi_vs_target in `year` (the sector brief)
    regional_note: str = ""  # what the regional presence has no data for (results framework)
    enablers: pd.DataFrame | None = (
        None  # marts.enabler_year up to `year` (the sector brief: this year against last, and runs of change)
    )
    # Every SG's yearly KPIs up to the year (marts.sg_year_kpis_lineage, `via` kept): the other SGs a brief
    # compares with (pipelines/briefs/glance.py); `excluded` are left out of comparisons (results framework).
    peers: pd.DataFrame | None = None
    # marts.consultation_sg_year of the SG up to the year (the membership consultation); None without the mart.
    consultation: pd.DataFrame | None = None
    excluded: tuple[str, ...] = ()
    scope_quality: object = None  # pipelines.briefs.quality.ScopeQuality: what touches this SG (SG briefs)
    drivers: object = None  # pipelines.briefs.drivers.Drivers (countries, organisations, newcomers)
    questions: object = None  # pipelines.briefs.questions.QuestionData (None: no marts.question_activity)
    restructuring: object = None  # pipelines.briefs.restructuring.Restructuring (None: no overlap)

    @property
    def is_sector(self) -> bool:
        return self.scope == SECTOR

    @property
    def lineage_note(self) -> str:
        """'with SG9 and SG16 before 2025' for a successor whose series includes its predecessors, else ''."""
        years = sorted(y for y, via in self.via.items() if via)
        if not years:
            return ""
        names = sorted({p.strip() for y in years for p in self.via[y].split(",")}, key=sg_sort_key)
        joined = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        return f"with {joined} before {years[-1] + 1}"

    def full_year(self, kpi_id: str, year: int | None = None) -> bool:
        """Whether the KPI's domain covers the whole year: a value that may be compared, trended or assessed."""
        return self.coverage is None or self.coverage.is_full(year or self.year, kpi_id)

    def comparable(self, kpi_id: str, year: int | None = None):
        """A KPI's value in a year if that year is full for it (the one rule for comparisons), else None."""
        return self.kpi(kpi_id, year) if self.full_year(kpi_id, year) else None

    def series(self) -> pd.DataFrame:
        """The yearly KPIs up to the brief's year with partial and uncovered years blanked: what charts draw.
        Years before the first and after the last that any domain covers in full (the sample's 2015) are left out
        altogether, so they are no axis tick; a gap inside, or a year whose people figures are suppressed, stays."""
        frame = self.kpis[self.kpis["year"] <= self.year]
        if self.coverage is None:
            return frame
        domains = {self.coverage.domain_of(c) for c in frame.columns} - {None}
        full = set().union(*(self.coverage.full_years(d) for d in domains)) if domains else set()
        if full:
            frame = frame[frame["year"].between(min(full), max(full))]
        return self.coverage.mask_partial(frame)

    def left_out(self, *kpi_ids: str) -> list[int]:
        """Years up to the brief's year that hold a value of these KPIs but are partial for one of them."""
        if self.coverage is None:
            return []
        years = []
        for year in self.kpis.loc[self.kpis["year"] <= self.year, "year"]:
            if any(
                self.kpi(k, int(year)) is not None and self.coverage.is_partial(int(year), k) for k in kpi_ids
            ):
                years.append(int(year))
        return sorted(set(years))

    def kpi(self, kpi_id: str, year: int | None = None):
        """A KPI's value in `year` (default: the brief's year); None when the scope has no row or a NULL."""
        rows = self.kpis[self.kpis["year"] == (year or self.year)]
        if rows.empty or kpi_id not in rows.columns:
            return None
        value = rows.iloc[0][kpi_id]
        return None if pd.isna(value) else value


def default_year(conn: duckdb.DuckDBPyConnection) -> int:
    """The latest year the meetings cover in full (what `sgpulse scenario` and `explore` use too): a stray row
    does not stretch the coverage, so it never makes the default year."""
    return load_coverage(conn).default_year()


def brief_scopes(conn: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """The SGs with activity in `year` (marts.sg_year_kpis), in SG order, then the sector."""
    load_coverage(conn).check_year(year)
    sgs = [
        r[0]
        for r in conn.execute("select distinct sg from marts.sg_year_kpis where year = ?", [year]).fetchall()
    ]
    return [*sorted(sgs, key=sg_sort_key), SECTOR]


def _df(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return conn.execute(sql, params or []).df()


def _title(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> tuple[str, str]:
    """The study group's title (of the latest study period that began by `year`, else its first) and the
    study period governing most of `year` (config/study_groups.yaml: 2021 still belongs to 2017-2020)."""
    from pipelines.lineage import lineage

    period = lineage().period_of(dt.date(year, 7, 1)) or ""
    if scope == SECTOR:
        return "ITU-T (all study groups and TSAG)", period
    rows = conn.execute(
        "select title from core.dim_study_group where sg = ? "
        "order by period_first_year <= ? desc, case when period_first_year <= ? then -period_first_year "
        "else period_first_year end limit 1",
        [scope, year, year],
    ).fetchall()
    return (rows[0][0] if rows else scope), period


def _regions(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> pd.DataFrame:
    """Participants and (fractional) contributions by ITU region in `year`, with a row for what has no region
    (unresolved organisations), so the region table adds up to the same totals as the category table."""
    regions = [
        r[0]
        for r in conn.execute(
            "select distinct itu_region from core.dim_country where itu_region is not null order by 1"
        ).fetchall()
    ]
    where = "" if scope == SECTOR else "and sg = ?"
    params = [year] if scope == SECTOR else [year, scope]
    unknown = _df(
        conn,
        f"select ? as itu_region, sum(weight) as contributions from core.fct_contribution_source "
        f"where doc_type = 'C' and year = ? {where} and itu_region is null",
        [NO_REGION, *params],
    )
    if scope == SECTOR:
        frame = _df(
            conn,
            "select itu_region, participants, contributions from marts.region_year where year = ?",
            [year],
        )
        people = _df(
            conn,
            "select ? as itu_region, count(distinct participant_key) as participants from core.fct_attendance "
            "where year = ? and itu_region is null",
            [NO_REGION, year],
        )
        frame = pd.concat([frame, people.merge(unknown, on="itu_region")], ignore_index=True)
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
        docs = pd.concat([docs, unknown], ignore_index=True)
        frame = people.merge(docs, on="itu_region", how="outer")
    order = [*regions, *sorted(set(frame["itu_region"]) - set(regions))]
    frame = frame.groupby("itu_region", dropna=False).sum(min_count=1).reindex(order).reset_index()
    # Counts over no rows are 0 (contract); a region without participants in the year has 0.
    frame["participants"] = frame["participants"].fillna(0).astype("int64")
    frame["contributions"] = frame["contributions"].fillna(0.0).astype("float64")
    nothing = (frame["participants"] == 0) & (frame["contributions"] == 0)
    return frame[~((frame["itu_region"] == NO_REGION) & nothing)].reset_index(drop=True)


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
    """Everything one brief shows, for an SG (e.g. "SG17") or the sector ("sector"), as of `year`.

    A year the data do not cover is refused (ValueError, one line naming the years available). Everything is
    as of `year`: KPIs and targets up to it, the relevance of that year, the risk register of that year
    (marts.sg_risks_history) and the overlap of the window ending in it. An SG's KPIs come from
    marts.sg_year_kpis_lineage, so a successor's earlier years are its predecessors' as one group.
    """
    from pipelines.analytics.targets import load_framework

    coverage = load_coverage(conn)
    coverage.check_year(year)
    missing: list[str] = []
    via: dict[int, str] = {}
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
        series = (
            "sg_year_kpis_lineage" if has_table(conn, "marts", "sg_year_kpis_lineage") else "sg_year_kpis"
        )
        kpis = _df(
            conn, f"select * from marts.{series} where sg = ? and year <= ? order by year", [scope, year]
        )
        if "via" in kpis:
            via = {
                int(y): "" if pd.isna(v) else str(v) for y, v in zip(kpis["year"], kpis["via"], strict=True)
            }
            kpis = kpis.drop(columns=["via"])
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
        coverage=coverage,
        label=dataset_label(conn),
        via=via,
    )
    data.peers = _peers(conn, year)
    framework = load_framework()
    data.excluded = tuple(framework.relevance.exclude) if framework.relevance else ("TSAG",)
    if has_table(conn, "marts", "sg_relevance"):
        data.relevance_year = year
        data.relevance = _df(
            conn, "select * from marts.sg_relevance where as_of_year = ? order by rank, sg", [year]
        )
    else:
        missing.append("marts.sg_relevance")
    if not data.is_sector:
        from pipelines.briefs.quality import load_scope_quality

        data.scope_quality = load_scope_quality(conn, scope, year)
    _overlap(conn, data, missing)
    _risks(conn, data, missing)
    _regional(conn, data, missing)
    if scope != SECTOR and has_table(conn, "marts", "consultation_sg_year"):
        data.consultation = _df(
            conn, "select * from marts.consultation_sg_year where sg = ? and year <= ?", [scope, year]
        )
    if scope == SECTOR:
        if has_table(conn, "marts", "enabler_year"):
            data.enablers = _df(
                conn,
                "select * from marts.enabler_year where year <= ? order by enabler, indicator, year",
                [year],
            )
        else:
            missing.append("marts.enabler_year")
        if has_table(conn, "marts", "results_framework"):
            data.framework = _df(conn, "select * from marts.results_framework order by position")
        else:
            missing.append("marts.results_framework")
    from pipelines.briefs.landscape import load_landscape_data

    data.landscape = load_landscape_data(
        conn, scope, scope == SECTOR, load_framework().evidence.stable_change
    )
    from pipelines.briefs.drivers import load_drivers

    data.drivers = load_drivers(conn, scope, year)
    if has_table(conn, "marts", "question_activity"):
        from pipelines.briefs.questions import load_questions

        data.questions = load_questions(conn, scope, year)
    else:
        missing.append("marts.question_activity")
    from pipelines.briefs.restructuring import load_restructuring

    data.restructuring = load_restructuring(conn, data)
    return data


def _regional(conn: duckdb.DuckDBPyConnection, data: BriefData, missing: list[str]) -> None:
    """Each region's ITU-T members in the brief's year, and (sector) the regions against their targets."""
    from pipelines.analytics.targets import load_framework

    data.region_members = _df(
        conn,
        "select itu_region, members from marts.region_year where year = ? order by itu_region",
        [data.year],
    )
    presence = load_framework().regional_presence
    data.regional_note = presence.note if presence else ""
    if not data.is_sector:
        return
    if has_table(conn, "marts", "region_kpi_vs_target"):
        data.region_targets = _df(
            conn,
            "select * from marts.region_kpi_vs_target where year = ? order by itu_region, kpi",
            [data.year],
        )
    else:
        missing.append("marts.region_kpi_vs_target")


def _peers(conn: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Every SG's yearly KPIs up to `year`, a successor's earlier years from its predecessors (`via` says
    which; NULL on an SG's own rows)."""
    if has_table(conn, "marts", "sg_year_kpis_lineage"):
        return _df(conn, "select * from marts.sg_year_kpis_lineage where year <= ? order by sg, year", [year])
    frame = _df(conn, "select * from marts.sg_year_kpis where year <= ? order by sg, year", [year])
    return frame.assign(via=pd.Series([None] * len(frame), dtype="object"))


def _overlap(conn: duckdb.DuckDBPyConnection, data: BriefData, missing: list[str]) -> None:
    """The overlap of the window ending in the brief's year: the marts' when they are of that year, else
    computed by the same function (pipelines.analytics.overlap.overlap_as_of)."""
    if not has_table(conn, "marts", "sg_overlap") or not has_table(conn, "marts", "sg_overlap_map"):
        missing += [
            t for t in ("marts.sg_overlap", "marts.sg_overlap_map") if not has_table(conn, *t.split("."))
        ]
        return
    latest = conn.execute("select max(window_last_year) from marts.sg_overlap").fetchall()[0][0]
    if latest == data.year:
        data.overlap = _df(
            conn, "select * from marts.sg_overlap order by combined desc nulls last, sg_a, sg_b"
        )
        data.overlap_map = _df(conn, "select sg, x, y, cluster from marts.sg_overlap_map order by sg")
        return
    from pipelines.analytics.overlap import overlap_as_of
    from pipelines.analytics.targets import load_framework

    framework = load_framework()
    exclude = tuple(framework.relevance.exclude) if framework.relevance else ("TSAG",)
    pairs, mapped = overlap_as_of(conn, data.year, exclude=exclude)
    data.overlap = pairs.sort_values(
        ["combined", "sg_a", "sg_b"], ascending=[False, True, True], na_position="last", ignore_index=True
    )
    data.overlap_map = mapped[["sg", "x", "y", "cluster"]].sort_values("sg", ignore_index=True)
    data.overlap_computed = True


def _risks(conn: duckdb.DuckDBPyConnection, data: BriefData, missing: list[str]) -> None:
    """The risk register of the brief's year (marts.sg_risks_history), and its heat map."""
    table = "sg_risks_history" if has_table(conn, "marts", "sg_risks_history") else None
    if table is None:
        missing.append("marts.sg_risks_history")
        return
    where = "" if data.is_sector else "and sg = ?"
    params = [data.year] if data.is_sector else [data.year, data.scope]
    data.risks = _df(conn, f"select * from marts.{table} where as_of_year = ? {where} order by sg", params)
    params[0] = data.year - 1
    data.risks_before = _df(
        conn, f"select * from marts.{table} where as_of_year = ? {where} order by sg", params
    )
    every = _df(conn, f"select sg, risk_id, level from marts.{table} where as_of_year = ?", [data.year])
    order = list(dict.fromkeys(every["risk_id"]))
    data.risk_heatmap = (
        every.assign(risk_id=pd.Categorical(every["risk_id"], categories=order, ordered=True))
        .sort_values(["sg", "risk_id"], ignore_index=True)
        .assign(risk_id=lambda f: f["risk_id"].astype(str))
    )


def generation_time() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
