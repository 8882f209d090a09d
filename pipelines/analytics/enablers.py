"""Key enablers measured from the data there is: marts.enabler_year (year, enabler, indicator, value, n, partial).

Each indicator is a KPI of the catalogue (indicator_of: enabler_year) and belongs to an enabler of the results
framework; enablers the data cannot measure (secretariat support, business continuity, and CxO meetings without the
optional raw table `events`) have no row and say so where they are shown. A year the indicator's domain does not cover has no value; a partial year keeps
its value, flagged `partial`, and is never compared.
"""

from __future__ import annotations

import duckdb

from pipelines.catalogue import Catalogue

# indicator -> (enabler id of config/results_framework.yaml, SQL giving year, value, n per year)
INDICATORS: dict[str, tuple[str, str]] = {
    "remote_share": (
        "E1",
        "select year, remote_share, attendance_records from marts.sector_year_kpis",
    ),
    "remote_only_countries": (
        "E1",
        """select year, count(*) filter (where remote = records), count(*)
        from (select year, country_iso3, count(*) as records, count(*) filter (where mode = 'remote') as remote
              from core.fct_attendance where country_iso3 is not null group by year, country_iso3)
        group by year""",
    ),
    "virtual_meetings": (
        "E1",
        "select year, count(*) filter (where format = 'virtual'), count(*) from core.dim_meeting group by year",
    ),
    "newcomer_share": ("E2", "select year, newcomer_share, participants from marts.sector_year_kpis"),
    "joined": ("E2", "select year, sum(joined), sum(members) from marts.membership_year group by year"),
    "left": ("E2", 'select year, sum("left"), sum(members) from marts.membership_year group by year'),
    "first_time_contributors": (
        "E2",
        """with firsts as (
            select entity_id, min(year) as first_year from core.fct_contribution_source
            where doc_type = 'C' and entity_id is not null group by entity_id
        ),
        years as (select distinct year from core.fct_contribution_source where doc_type = 'C')
        select y.year,
            case when y.year > (select min(year) from years)
                then (select count(*) from firsts f where f.first_year = y.year) end,
            (select count(distinct entity_id) from core.fct_contribution_source c
             where c.doc_type = 'C' and c.year = y.year)
        from years y""",
    ),
    "inactive_questions": (
        "E4",
        "select year, count(*) filter (where inactive_two_years), count(*) from marts.question_activity group by year",
    ),
    "backlog": ("E4", "select year, backlog, null from marts.sector_year_kpis"),
    # E6 from the optional raw table events (marts.event_year): no rows without it. n = the year's CxO meetings
    # (participants, share) or events reporting a follow-up count.
    "cxo_participants": (
        "E6",
        "select year, participants, events from marts.event_year where kind = 'CxO meeting'",
    ),
    "cxo_industry_share": (
        "E6",
        "select year, industry_participants / nullif(participants, 0), events from marts.event_year "
        "where kind = 'CxO meeting'",
    ),
    "event_follow_up_contributions": (
        "E6",
        "select year, sum(follow_up_contributions), sum(events_with_follow_up) from marts.event_year group by year",
    ),
    "industry_share": ("E5", "select year, industry_share, contributions from marts.sector_year_kpis"),
    "attendance_to_contribution": (
        "E5",
        """with attended as (select distinct year, entity_id from core.fct_attendance where entity_id is not null),
        contributed as (
            select distinct year, entity_id from core.fct_contribution_source
            where doc_type = 'C' and entity_id is not null
        ),
        first_year as (select min(year) as y from attended)
        select c.year,
            case when c.year > (select y from first_year) then count(*) filter (
                where exists (select 1 from attended a where a.entity_id = c.entity_id and a.year = c.year - 1)
                and not exists (
                    select 1 from contributed p where p.entity_id = c.entity_id and p.year = c.year - 1
                )
            ) end,
            count(*)
        from contributed c group by c.year""",
    ),
}


def build_enabler_year(conn: duckdb.DuckDBPyConnection, cat: Catalogue) -> int:
    """marts.enabler_year: every enabler indicator per year the data hold, with the records it rests on."""
    parts = []
    for indicator, (enabler, sql) in INDICATORS.items():
        domain = cat.get(indicator).domain
        parts.append(
            f"""
            select v.year::bigint as year, '{enabler}' as enabler, '{indicator}' as indicator,
                case when c.coverage = 'none' then null else v.value::double end as value,
                case when c.coverage = 'none' then null else v.n::double end as n,
                coalesce(c.coverage <> 'full', false) as partial
            from ({sql}) as v(year, value, n)
            left join intermediate.int_year_coverage c on c.year = v.year and c.domain = '{domain}'
            """
        )
    conn.execute("create schema if not exists marts")
    conn.execute(
        "create or replace table marts.enabler_year as "
        + " union all ".join(parts)
        + " order by year, enabler, indicator"
    )
    return conn.execute("select count(*) from marts.enabler_year").fetchall()[0][0]
