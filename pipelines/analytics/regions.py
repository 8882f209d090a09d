"""Regional presence: each ITU region's KPIs per year against the results framework's regional targets."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.analytics.targets import STATUS_SQL, ResultsFramework
from pipelines.catalogue import Catalogue

# Each regional KPI per region and year, with the records it rests on (n). A share is of the records attributed
# to a region (unresolved organisations count in no region); parity divides it by the region's share of members.
VALUES_SQL = """
with totals as (
    select year, sum(participants) as participants, sum(contributions) as contributions, sum(members) as members
    from marts.region_year group by year
),
hosted as (
    select m.year, c.itu_region, count(*) as meetings
    from core.dim_meeting m join core.dim_country c on c.iso3 = m.country_iso3
    where m.format in ('physical', 'hybrid')
    group by m.year, c.itu_region
),
shares as (
    select r.itu_region, r.year, r.participants, r.contributions, r.members,
        r.participants / nullif(t.participants, 0) as participant_share,
        r.contributions / nullif(t.contributions, 0) as contribution_share,
        r.members / nullif(t.members, 0) as member_share,
        coalesce(h.meetings, 0) as meetings_hosted
    from marts.region_year r
    join totals t using (year)
    left join hosted h using (itu_region, year)
)
select itu_region, year, 'region_participation_parity' as kpi,
    participant_share / nullif(member_share, 0) as value, participants::double as n from shares
union all
select itu_region, year, 'region_contribution_parity',
    contribution_share / nullif(member_share, 0), contributions::double from shares
union all
select itu_region, year, 'members', members::double, members::double from shares
union all
select itu_region, year, 'region_meetings_hosted', meetings_hosted::double, meetings_hosted::double from shares
"""


def region_targets(framework: ResultsFramework, cat: Catalogue, regions: list[str]) -> pd.DataFrame:
    """One row per (region, KPI) of the framework's regional presence: the target that applies, direction,
    tolerance, and the catalogue's domain and min_n (what a status needs)."""
    presence = framework.regional_presence
    rows = []
    for t in presence.kpis if presence else []:
        kpi = cat.get(t.kpi)
        for region in regions:
            rows.append(
                {
                    "itu_region": region,
                    "kpi": t.kpi,
                    "target": t.overrides.get(region, t.target),
                    "direction": kpi.direction,
                    "tolerance": framework.default_tolerance if t.tolerance is None else t.tolerance,
                    "domain": kpi.domain,
                    "min_n": kpi.min_n,
                    "min_basis_share": None,
                }
            )
    columns = ["itu_region", "kpi", "target", "direction", "tolerance", "domain", "min_n", "min_basis_share"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"target": "float64", "tolerance": "float64", "min_n": "float64", "min_basis_share": "float64"}
    )


def build_region_kpi_vs_target(
    conn: duckdb.DuckDBPyConnection, framework: ResultsFramework, cat: Catalogue
) -> int:
    """marts.region_kpi_vs_target(itu_region, year, kpi, value, target, direction, status, n, partial).

    The same status rule as kpi_vs_target (STATUS_SQL): no status in a year the KPI's domain covers only in
    part, `insufficient data` below the catalogue's min_n, else on track / watch / off track.
    """
    regions = [
        r[0] for r in conn.execute("select distinct itu_region from marts.region_year order by 1").fetchall()
    ]
    targets = region_targets(framework, cat, regions)
    conn.register("_region_targets", targets)
    try:
        conn.execute(
            f"""
            create or replace table marts.region_kpi_vs_target as
            with valued as (
                -- A year the KPI's domain does not cover has no value (region_year counts it as 0).
                select v.* replace (case when c.coverage = 'none' then null else v.value end as value,
                        case when c.coverage = 'none' then null else v.n end as n),
                    t.domain, coalesce(c.coverage <> 'full', false) as partial
                from ({VALUES_SQL}) v
                join _region_targets t using (itu_region, kpi)
                left join intermediate.int_year_coverage c on c.year = v.year and c.domain = t.domain
                where v.year between {framework.assess_from} and {framework.target_year}
            )
            select k.itu_region, k.year, k.kpi, k.value, t.target, t.direction, {STATUS_SQL} as status,
                k.n, k.partial
            from (select *, null::double as basis_share from valued) k
            join _region_targets t using (itu_region, kpi)
            order by k.itu_region, k.year, k.kpi
            """
        )
    finally:
        conn.unregister("_region_targets")
    return conn.execute("select count(*) from marts.region_kpi_vs_target").fetchall()[0][0]
