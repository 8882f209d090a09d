-- The dates each raw data domain covers: the window an importer declared (DATASET.yaml `coverage:`), else the longest stretch of its rows' dates without a gap of more than six months (and four usual gaps).
-- A stray row far from the rest (a meeting dated years after the others) does not stretch the coverage: its
-- year stays uncovered, so its KPIs are NULL and no brief is written for it. One row per domain of meta.dataset.
with days as (
    select 'membership' as domain, joined_on as day from staging.members
    union all select 'membership', left_on from staging.members
    union all select 'meetings', start_date from staging.meetings
    union all select 'meetings', end_date from staging.meetings
    union all select 'attendance', m.start_date from staging.meetings m semi join staging.attendance a using (meeting_id)
    union all select 'attendance', m.end_date from staging.meetings m semi join staging.attendance a using (meeting_id)
    union all select 'contributions', submitted_on from staging.contributions
    union all select 'recommendations', approved_on from staging.recommendations
    union all select 'approval_process', approved_on from staging.recommendations where approval_process is not null
    union all select 'work_items', started_on from staging.work_items
    union all select 'peer_publications', published_on from staging.peer_publications
    union all select 'events', event_date from staging.events
    union all select 'consultation', responded_on from staging.consultation_responses
),

months as (
    select domain, date_trunc('month', day) as month, min(day) as first_day, max(day) as last_day
    from days
    where day is not null
    group by domain, date_trunc('month', day)
),

steps as (
    select
        domain,
        month,
        first_day,
        last_day,
        datediff('month', lag(month) over (partition by domain order by month), month) as gap
    from months
),

-- A gap ends a stretch when it is longer than six months and than four of the domain's usual gaps between
-- months with rows: a sparse export (one meeting a year in a test fixture) is not cut into pieces, a dense one
-- (meetings every month) is cut before a stray row a year after the rest.
thresholds as (
    select domain, greatest(6, 4 * coalesce(median(gap), 0)) as longest_gap
    from steps
    group by domain
),

stretches as (
    select
        s.domain,
        s.first_day,
        s.last_day,
        sum(case when s.gap > t.longest_gap then 1 else 0 end) over (partition by s.domain order by s.month)
            as stretch
    from steps s
    join thresholds t using (domain)
),

spans as (
    -- The stretch with the most months with rows (the latest of equal ones).
    select
        domain,
        arg_max(first_date, (months, first_date)) as first_date,
        arg_max(last_date, (months, first_date)) as last_date
    from (
        select domain, stretch, min(first_day) as first_date, max(last_day) as last_date, count(*) as months
        from stretches
        group by domain, stretch
    )
    group by domain
),

final as (
    select
        d.domain,
        coalesce(d.declared_from, s.first_date) as first_date,
        coalesce(d.declared_to, s.last_date) as last_date,
        d.source_label,
        d.source,
        case when d.declared_from is not null or d.declared_to is not null then 'declared' else 'rows' end as basis
    from meta.dataset d
    left join spans s using (domain)
)

select * from final
order by domain
