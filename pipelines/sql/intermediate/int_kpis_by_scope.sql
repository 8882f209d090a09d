-- KPIs per scope (a study group, or '(sector)' for all of ITU-T) and year: the single definition behind sg_year_kpis and sector_year_kpis.
with meetings as (
    select sg as scope, year from core.dim_meeting
    union all
    select '(sector)', year from core.dim_meeting
),

documents as (
    select sg as scope, year, doc_type from core.fct_contribution
    union all
    select '(sector)', year, doc_type from core.fct_contribution
),

sources as (
    select sg as scope, * exclude (sg) from core.fct_contribution_source where doc_type = 'C'
    union all
    select '(sector)', * exclude (sg) from core.fct_contribution_source where doc_type = 'C'
),

recommendations as (
    select sg as scope, * exclude (sg) from core.fct_recommendation_edition
    union all
    select '(sector)', * exclude (sg) from core.fct_recommendation_edition
),

work_items as (
    select sg as scope, * exclude (sg) from core.fct_work_item
    union all
    select '(sector)', * exclude (sg) from core.fct_work_item
),

activity as (
    select scope, year from meetings
    union
    select scope, year from documents
    union
    select scope, year from recommendations
),

meeting_counts as (
    select scope, year, count(*) as meetings
    from meetings
    group by scope, year
),

-- Attendance KPIs group by grouping sets, (sg, year) and (year) for the sector, in one pass over the
-- attendance fact: a union of the fact with itself doubled the rows to sort at 100x scale.
participation as (
    select
        case when grouping(sg) = 1 then '(sector)' else sg end as scope,
        year,
        count(distinct participant_key) as participants,
        count(*) as attendance_records,
        avg(case when mode = 'remote' then 1.0 else 0.0 end) as remote_share,
        count(distinct country_iso3) as countries,
        count(distinct entity_id) as organisations,
        avg(case when coalesce(is_developing, false) then 1.0 else 0.0 end) as developing_share,
        sum(case when gender = 'F' then 1 else 0 end) / nullif(count(gender), 0) as female_share
    from core.fct_attendance
    group by grouping sets ((sg, year), (year))
),

participant_years as (
    select case when grouping(sg) = 1 then '(sector)' else sg end as scope, year, participant_key
    from core.fct_attendance
    group by grouping sets ((sg, year, participant_key), (year, participant_key))
),

-- Each participant's first year in the scope and next year there, from one window pass (no self-joins).
participant_history as (
    select
        scope,
        year,
        participant_key,
        case when participant_key is not null
            then min(year) over (partition by scope, participant_key) end as first_year,
        case when participant_key is not null
            then lead(year) over (partition by scope, participant_key order by year) end as next_year
    from participant_years
),

newcomers as (
    select
        scope,
        year,
        -- The scope's first year with attendance has no history to be new against.
        case when year > min(year) over (partition by scope)
            then avg(case when first_year = year then 1.0 else 0.0 end) end as newcomer_share
    from participant_history
    where participant_key is not null
    group by scope, year
),

retention as (
    -- The share of a year's participants who attend the scope again the next year.
    select
        scope,
        year + 1 as year,
        count(*) filter (where next_year = year + 1) / count(*) as retention
    from participant_history
    group by scope, year
),

document_counts as (
    select
        scope,
        year,
        count(*) filter (where doc_type = 'C') as contributions,
        count(*) filter (where doc_type = 'LS-in') as ls_in,
        count(*) filter (where doc_type = 'LS-out') as ls_out
    from documents
    group by scope, year
),

entity_totals as (
    select
        scope,
        year,
        entity_id,
        sum(weight) as total,
        any_value(category) as category,
        any_value(is_developing) as is_developing
    from sources
    group by scope, year, entity_id
),

entity_ranks as (
    select
        *,
        row_number() over by_size as size_rank,
        sum(total) over (by_size rows between unbounded preceding and current row) as running_total,
        sum(total) over (partition by scope, year) as all_total
    from entity_totals
    window by_size as (partition by scope, year order by total desc, entity_id)
),

concentration as (
    select
        scope,
        year,
        count(*) as contributing_entities,
        -- Each square rounded to 1e-12 and summed exactly: a sum of doubles depends on the order DuckDB's threads
        -- add them in (the weights are fixed-point for the same reason, see fct_contribution_source).
        sum(power(100.0 * total / all_total, 2)::decimal(38, 12))::double as hhi,
        -- A small epsilon so that exact halves (e.g. 0.5 + 0.5) are not lost to floating-point sums.
        min(size_rank) filter (where running_total >= 0.5 * all_total - 1e-9) as elephant_factor,
        sum(total) filter (where category in ('Sector Member', 'Associate')) / sum(total) as industry_share,
        sum(total) filter (where category = 'Academia') / sum(total) as academia_share,
        sum(total) filter (where is_developing) / sum(total) as developing_source_share
    from entity_ranks
    group by scope, year
),

output as (
    select
        scope,
        year,
        count(*) filter (where is_new_or_revised) as recs_approved,
        count(*) filter (where is_amendment) as amendments,
        count(*) filter (where (is_new_or_revised or is_amendment) and approval_process = 'AAP')
            / nullif(count(*) filter (where (is_new_or_revised or is_amendment) and approval_process is not null), 0)
            as aap_share,
        median(cycle_days) filter (where is_new_or_revised) as median_cycle_days
    from recommendations
    group by scope, year
),

backlog as (
    select
        a.scope,
        a.year,
        count(w.work_item) as backlog
    from activity a
    left join work_items w
        on w.scope = a.scope
        and w.started_on <= make_date(a.year, 12, 31)
        and (
            w.status = 'ongoing'
            or (w.status = 'approved' and w.approved_as_first_approved_on > make_date(a.year, 12, 31))
        )
    group by a.scope, a.year
),

final as (
    select
        a.scope,
        a.year,
        coalesce(m.meetings, 0) as meetings,
        coalesce(p.participants, 0) as participants,
        coalesce(p.attendance_records, 0) as attendance_records,
        p.remote_share,
        coalesce(p.countries, 0) as countries,
        coalesce(p.organisations, 0) as organisations,
        p.developing_share,
        p.female_share,
        n.newcomer_share,
        r.retention,
        coalesce(d.contributions, 0) as contributions,
        coalesce(c.contributing_entities, 0) as contributing_entities,
        c.hhi,
        c.elephant_factor,
        -- Shares of a year with contributions but no entity of that kind are 0; without contributions, NULL.
        case when c.contributing_entities > 0 then coalesce(c.industry_share, 0) end as industry_share,
        case when c.contributing_entities > 0 then coalesce(c.academia_share, 0) end as academia_share,
        case when c.contributing_entities > 0 then coalesce(c.developing_source_share, 0) end
            as developing_source_share,
        coalesce(d.ls_in, 0) as ls_in,
        coalesce(d.ls_out, 0) as ls_out,
        coalesce(o.recs_approved, 0) as recs_approved,
        coalesce(o.amendments, 0) as amendments,
        o.aap_share,
        o.median_cycle_days,
        b.backlog
    from activity a
    left join meeting_counts m using (scope, year)
    left join participation p using (scope, year)
    left join newcomers n using (scope, year)
    left join retention r using (scope, year)
    left join document_counts d using (scope, year)
    left join concentration c using (scope, year)
    left join output o using (scope, year)
    left join backlog b using (scope, year)
)

select * from final
order by scope, year
