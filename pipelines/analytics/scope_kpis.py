"""KPIs recomputed from the core facts after re-assigning study groups (a lineage, a merger, a split).

The KPI definitions are not copied: the SQL of `intermediate.int_kpis_by_scope` is run as it is, on
temporary views of the core facts whose `sg` column has been rewritten. Distinct counts (participants,
entities, countries) and concentration (HHI, elephant factor) are therefore recomputed over the
re-assigned facts, never summed. Also: which SGs exist in a year, and the predecessor -> successor map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb
import pandas as pd

from pipelines.sql_models import SQL_DIR

# The core relations that carry an `sg` column and that the KPI SQL reads.
SCOPED_RELATIONS = (
    "dim_meeting",
    "fct_attendance",
    "fct_contribution",
    "fct_contribution_source",
    "fct_recommendation_edition",
    "fct_work_item",
)
KPI_SQL_FILE = SQL_DIR / "intermediate" / "int_kpis_by_scope.sql"
_CORE_REFERENCE = re.compile(r"\bcore\.([a-z_][a-z0-9_]*)\b")

# KPIs the analytics need beyond sg_year_kpis, over the same (re-assigned) facts.
EXTRA_KPIS_SQL = """
with activity as (
    select sg, year from _scope_dim_meeting
    union select sg, year from _scope_fct_contribution
    union select sg, year from _scope_fct_recommendation_edition
),
regions as (
    -- Distinct ITU regions of the delegations in attendance.
    select sg, year, count(distinct itu_region) as regions
    from _scope_fct_attendance
    group by sg, year
),
counterparts as (
    -- Distinct external bodies liaison statements were received from or sent to.
    select sg, year, count(distinct counterpart) as counterparts
    from _scope_fct_contribution
    where doc_type in ('LS-in', 'LS-out') and counterpart is not null and trim(counterpart) <> ''
    group by sg, year
),
overdue as (
    -- Open work items (same rule as the backlog KPI) whose target date has passed on 31 December.
    select a.sg, a.year, count(w.work_item) as overdue_items
    from activity a
    left join _scope_fct_work_item w
        on w.sg = a.sg
        and w.started_on <= make_date(a.year, 12, 31)
        and w.target_on < make_date(a.year, 12, 31)
        and (
            w.status = 'ongoing'
            or (w.status = 'approved' and w.approved_as_first_approved_on > make_date(a.year, 12, 31))
        )
    group by a.sg, a.year
),
covered as (
    -- As in int_kpis_by_scope: a domain that covers none of the year gives NULL, not 0.
    select
        year,
        bool_or(domain = 'attendance' and covered_days > 0) as attendance,
        bool_or(domain = 'contributions' and covered_days > 0) as contributions,
        bool_or(domain = 'work_items' and covered_days > 0) as work_items
    from intermediate.int_year_coverage
    group by year
)
select a.sg, a.year,
    case when cv.attendance then coalesce(r.regions, 0) end as regions,
    case when cv.contributions then coalesce(c.counterparts, 0) end as counterparts,
    case when cv.work_items then o.overdue_items end as overdue_items
from activity a
left join covered cv using (year)
left join regions r using (sg, year)
left join counterparts c using (sg, year)
left join overdue o using (sg, year)
"""
# The data domain of each extra KPI (the catalogue's `domain` for the published ones).
EXTRA_KPI_DOMAINS = {"regions": "attendance", "counterparts": "contributions", "overdue_items": "work_items"}


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def assignment_expression(assign: dict[str, str], column: str = "sg") -> str:
    """SQL that rewrites `column` by the mapping (SGs not in it keep their name)."""
    if not assign:
        return column
    cases = " ".join(f"when {_quote(k)} then {_quote(v)}" for k, v in sorted(assign.items()))
    return f"(case {column} {cases} else {column} end)"


def scope_views_by_assignment(assign: dict[str, str], only: Iterable[str] | None = None) -> dict[str, str]:
    """The SELECT of each scoped relation with its `sg` rewritten by the mapping (rows of `only` SGs, if given).

    Every KPI of a scope is computed from that scope's rows alone, so leaving other SGs' rows out changes
    no SG's figures, only the '(sector)' scope's (which scope_kpis drops).
    """
    expr = assignment_expression(assign)
    where = f" where sg in ({', '.join(_quote(sg) for sg in sorted(only))})" if only is not None else ""
    return {rel: f"select * replace ({expr} as sg) from core.{rel}{where}" for rel in SCOPED_RELATIONS}


def kpis_over_views(conn: duckdb.DuckDBPyConnection, views: dict[str, str]) -> pd.DataFrame:
    """int_kpis_by_scope and the extra KPIs over the given SELECTs of the scoped relations, per (sg, year)."""
    missing = set(SCOPED_RELATIONS) - set(views)
    if missing:
        raise ValueError(f"no view given for {sorted(missing)}")
    kpi_sql = KPI_SQL_FILE.read_text(encoding="utf-8")
    unknown = {m.group(1) for m in _CORE_REFERENCE.finditer(kpi_sql)} - set(SCOPED_RELATIONS)
    if unknown:
        # The KPI SQL reads a core relation we do not re-assign: recomputing would silently mix scopes.
        raise ValueError(
            f"{KPI_SQL_FILE.name} reads core relations not in SCOPED_RELATIONS: {sorted(unknown)}"
        )
    kpi_sql = _CORE_REFERENCE.sub(lambda m: f"_scope_{m.group(1)}", kpi_sql)
    try:
        for rel, select in views.items():
            conn.execute(f"create or replace temp view _scope_{rel} as {select}")
        kpis = conn.execute(
            f"select scope as sg, * exclude (scope) from (\n{kpi_sql}\n) where scope <> '(sector)'"
        ).df()
        extra = conn.execute(EXTRA_KPIS_SQL).df()
    finally:
        for rel in views:
            conn.execute(f"drop view if exists _scope_{rel}")
    out = kpis.merge(extra, on=["sg", "year"], how="left")
    return _as_floats(out.sort_values(["sg", "year"], ignore_index=True))


def _as_floats(df: pd.DataFrame) -> pd.DataFrame:
    """KPI columns as float64 with NaN for NULL (DuckDB hands over nullable integers with pd.NA)."""
    for column in df.columns:
        if column not in ("sg", "year", "via"):
            df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    df["year"] = df["year"].astype("int64")
    return df


def scope_kpis(
    conn: duckdb.DuckDBPyConnection, assign: dict[str, str] | None = None, only: Iterable[str] | None = None
) -> pd.DataFrame:
    """KPIs per (sg, year) after renaming SGs by `assign` (e.g. {'SG9': 'SG21', 'SG16': 'SG21'}).

    `only`: compute from these SGs' rows (named before renaming) and return their scopes only.
    """
    return kpis_over_views(conn, scope_views_by_assignment(assign or {}, only))


def successor_map(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each SG that was merged or renamed -> the SG carrying its work today (followed transitively).

    From the study-group configuration the warehouse was built with (meta.sg_lineage, config/study_groups.yaml);
    a warehouse without it: from the raw study_groups' successor_sg.
    """
    known = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'meta' and table_name = 'sg_lineage'"
    ).fetchall()[0][0]
    if known:
        # Direct successors: a predecessor listed for a successor that itself has predecessors is transitive.
        rows = conn.execute(
            "select l.predecessor, l.sg from meta.sg_lineage l "
            "where not exists (select 1 from meta.sg_lineage m where m.predecessor = l.predecessor "
            "and m.effective_date < l.effective_date)"
        ).fetchall()
    else:
        rows = conn.execute(
            "select distinct sg, successor_sg from core.dim_study_group where successor_sg is not null"
        ).fetchall()
    direct = dict(rows)
    final = {}
    for sg in direct:
        seen, current = {sg}, direct[sg]
        while current in direct and current not in seen:
            seen.add(current)
            current = direct[current]
        final[sg] = current
    return final


def study_period_years(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each study period with the years it governs: until the next one starts (2017-2020 ran to 2021)."""
    periods = conn.execute(
        "select distinct study_period, period_first_year, period_last_year from core.dim_study_group "
        "order by period_first_year"
    ).df()
    last = periods["period_first_year"].shift(-1) - 1
    periods["governs_to"] = last.fillna(periods["period_last_year"]).astype(int)
    periods["governs_from"] = periods["period_first_year"].astype(int)
    if len(periods):
        # Years before the first known period are read with the first period's study groups.
        periods.loc[periods.index[0], "governs_from"] = -10_000
    return periods


def existing_sgs(conn: duckdb.DuckDBPyConnection, year: int, kpis: pd.DataFrame | None = None) -> list[str]:
    """The SGs that exist in a year: active that year and a study group of the period governing it."""
    if kpis is None:
        active = {
            r[0]
            for r in conn.execute(
                "select distinct sg from marts.sg_year_kpis where year = ?", [year]
            ).fetchall()
        }
    else:
        active = set(kpis.loc[kpis["year"] == year, "sg"])
    periods = study_period_years(conn)
    governing = periods[(periods["governs_from"] <= year) & (periods["governs_to"] >= year)]
    if governing.empty:
        return sorted(active)
    members = {
        r[0]
        for r in conn.execute(
            "select sg from core.dim_study_group where study_period = ?", [governing["study_period"].iloc[0]]
        ).fetchall()
    }
    return sorted(active & members)


def assessed_years(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """The years the register (and the relevance index and the overlap) are computed for: the years the meetings
    cover in full (marts.year_coverage), so neither a partial year nor a stray row makes one."""
    from pipelines.coverage import load_coverage

    cov = load_coverage(conn)
    active = {r[0] for r in conn.execute("select distinct year from marts.sg_year_kpis").fetchall()}
    return [y for y in cov.full_years("meetings") if y in active]


def lineage_assignment(conn: duckdb.DuckDBPyConnection, year: int | None = None) -> dict[str, str]:
    """Predecessor -> successor for the predecessors that no longer exist in `year` (all of them if None)."""
    successors = successor_map(conn)
    if year is None:
        return successors
    alive = set(existing_sgs(conn, year))
    return {p: s for p, s in successors.items() if p not in alive}


def kpi_series(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Yearly KPIs per SG for trends: marts.sg_year_kpis (+ extra KPIs); a successor SG's rows come from its
    lineage (its predecessors' facts re-assigned to it): SG21's history before 2025 is SG9 + SG16 recomputed.
    A `via` column names the predecessors whose facts a row includes (empty for an SG's own rows).
    """
    own = conn.execute("select * from marts.sg_year_kpis").df()
    extra_views = scope_views_by_assignment({})
    extra = _extra_only(conn, extra_views)
    own = own.merge(extra, on=["sg", "year"], how="left")
    own["via"] = None
    successors = successor_map(conn)
    if not successors:
        return _as_floats(own.sort_values(["sg", "year"], ignore_index=True))
    # Only the lineages' rows: recomputing every SG's KPIs for the sake of SG21 took 5 s at 100x scale.
    lineage = scope_kpis(conn, successors, only={*successors, *successors.values()})
    targets = set(successors.values())
    lineage = lineage[lineage["sg"].isin(targets)].copy()
    # Which predecessors were active in each of the successor's years.
    active = own[own["sg"].isin(successors)][["sg", "year"]]
    via = {}
    for predecessor, year in active.itertuples(index=False):
        via.setdefault((successors[predecessor], year), []).append(predecessor)
    order = {sg: i for i, sg in enumerate(sorted(successors, key=_sg_number))}
    # NULL where the row holds no predecessor's facts (an SG's own years), as the export reads an empty cell.
    lineage["via"] = [
        ", ".join(sorted(via[(sg, year)], key=order.get)) if (sg, year) in via else None
        for sg, year in zip(lineage["sg"], lineage["year"], strict=True)
    ]
    series = pd.concat([own[~own["sg"].isin(targets)], lineage], ignore_index=True)
    return _as_floats(series.sort_values(["sg", "year"], ignore_index=True))


def _sg_number(sg: str) -> tuple[int, str]:
    digits = sg.removeprefix("SG")
    return (int(digits), sg) if digits.isdigit() else (10_000, sg)


def build_sg_year_kpis_lineage(conn: duckdb.DuckDBPyConnection) -> int:
    """marts.sg_year_kpis_lineage: sg_year_kpis with a successor's earlier years computed from its predecessors'
    facts as one group (distinct people, entities and countries counted once), and `via`; returns its rows."""
    columns = [c[0] for c in conn.execute("select * from marts.sg_year_kpis limit 0").description]
    series = kpi_series(conn)
    table = series[[*columns, "via"]].copy()
    # Back to the types of sg_year_kpis (kpi_series works in floats): counts stay whole numbers.
    types = dict(
        conn.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'sg_year_kpis'"
        ).fetchall()
    )
    conn.register("_lineage", table)
    try:
        select = ", ".join(f'"{c}"::{types[c]} as "{c}"' for c in columns)
        conn.execute(
            f"create or replace table marts.sg_year_kpis_lineage as select {select}, via::varchar as via from _lineage "
            "order by sg, year"
        )
    finally:
        conn.unregister("_lineage")
    return len(table)


def _extra_only(conn: duckdb.DuckDBPyConnection, views: dict[str, str]) -> pd.DataFrame:
    try:
        for rel, select in views.items():
            conn.execute(f"create or replace temp view _scope_{rel} as {select}")
        return conn.execute(EXTRA_KPIS_SQL).df()
    finally:
        for rel in views:
            conn.execute(f"drop view if exists _scope_{rel}")
