-- CxO meetings and industry events per year and kind: events, participants (all, industry, per region), follow-up contributions; NULL where the events domain does not cover the year, partial years flagged.
with per_event as (
    select
        year,
        kind,
        event_id,
        sum(participants)::bigint as participants,
        (sum(participants) filter (where category in ('Sector Member', 'Associate')))::bigint
            as industry_participants,
        count(distinct itu_region) filter (where participants > 0) as regions,
        -- A follow-up count missing on every row of an event is unknown, not 0.
        sum(follow_up_contributions)::bigint as follow_up_contributions
    from core.fct_event_participation
    group by year, kind, event_id
),

per_year as (
    select
        year,
        kind,
        count(*) as events,
        sum(participants)::bigint as participants,
        coalesce(sum(industry_participants), 0)::bigint as industry_participants,
        max(regions) as most_regions,
        sum(follow_up_contributions)::bigint as follow_up_contributions,
        count(follow_up_contributions) as events_with_follow_up
    from per_event
    group by year, kind
),

final as (
    select
        p.year::bigint as year,
        p.kind,
        p.events,
        case when c.coverage = 'none' then null else p.participants end as participants,
        case when c.coverage = 'none' then null else p.industry_participants end as industry_participants,
        case when c.coverage = 'none' then null else p.most_regions end as most_regions,
        case when c.coverage = 'none' then null else p.follow_up_contributions end as follow_up_contributions,
        p.events_with_follow_up,
        coalesce(c.coverage <> 'full', true) as partial
    from per_year p
    left join intermediate.int_year_coverage c on c.year = p.year and c.domain = 'events'
)

select * from final
order by year, kind
