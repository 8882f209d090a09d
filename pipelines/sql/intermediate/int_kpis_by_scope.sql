-- KPIs per scope (a study group, or '(sector)' for all of ITU-T) and year: the single definition behind sg_year_kpis and sector_year_kpis.
-- A KPI whose data domain does not cover the year at all (intermediate.int_year_coverage) is NULL, never 0: a
-- year without Recommendation data has no count of approvals. The domain of each KPI is the one the KPI
-- catalogue gives it (tests/honest checks every KPI against it).
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
        sum(case when gender = 'F' then 1 else 0 end) / nullif(count(gender), 0) as female_share,
        count(gender) as gender_basis
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
        count(*) filter (where next_year = year + 1) / count(*) as retention,
        count(*) as retention_basis
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
        count(*) filter (where (is_new_or_revised or is_amendment) and approval_process is not null) as aap_basis,
        count(*) filter (where is_new_or_revised or is_amendment) as approved_texts,
        median(cycle_days) filter (where is_new_or_revised) as median_cycle_days,
        count(cycle_days) filter (where is_new_or_revised) as cycle_basis
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

-- Which domains cover some of each year: a KPI of a domain that covers none of it is NULL.
covered as (
    select
        year,
        bool_or(domain = 'meetings' and covered_days > 0) as meetings,
        bool_or(domain = 'attendance' and covered_days > 0) as attendance,
        -- Retention compares with the year before: only when attendance covers all of it.
        bool_or(domain = 'attendance' and coverage = 'full') as attendance_full,
        bool_or(domain = 'contributions' and covered_days > 0) as contributions,
        bool_or(domain = 'recommendations' and covered_days > 0) as recommendations,
        bool_or(domain = 'approval_process' and covered_days > 0) as approval_process,
        bool_or(domain = 'work_items' and covered_days > 0) as work_items
    from intermediate.int_year_coverage
    group by year
),

final as (
    select
        a.scope,
        a.year,
        case when cv.meetings then coalesce(m.meetings, 0) end as meetings,
        case when cv.attendance then coalesce(p.participants, 0) end as participants,
        case when cv.attendance then coalesce(p.attendance_records, 0) end as attendance_records,
        case when cv.attendance then p.remote_share end as remote_share,
        case when cv.attendance then coalesce(p.countries, 0) end as countries,
        case when cv.attendance then coalesce(p.organisations, 0) end as organisations,
        case when cv.attendance then p.developing_share end as developing_share,
        case when cv.attendance then p.female_share end as female_share,
        case when cv.attendance then n.newcomer_share end as newcomer_share,
        case when cv.attendance and before.attendance_full then r.retention end as retention,
        case when cv.contributions then coalesce(d.contributions, 0) end as contributions,
        case when cv.contributions then coalesce(c.contributing_entities, 0) end as contributing_entities,
        case when cv.contributions then c.hhi end as hhi,
        case when cv.contributions then c.elephant_factor end as elephant_factor,
        -- Shares of a year with contributions but no entity of that kind are 0; without contributions, NULL.
        case when cv.contributions and c.contributing_entities > 0 then coalesce(c.industry_share, 0) end
            as industry_share,
        case when cv.contributions and c.contributing_entities > 0 then coalesce(c.academia_share, 0) end
            as academia_share,
        case when cv.contributions and c.contributing_entities > 0 then coalesce(c.developing_source_share, 0) end
            as developing_source_share,
        case when cv.contributions then coalesce(d.ls_in, 0) end as ls_in,
        case when cv.contributions then coalesce(d.ls_out, 0) end as ls_out,
        case when cv.recommendations then coalesce(o.recs_approved, 0) end as recs_approved,
        case when cv.recommendations then coalesce(o.amendments, 0) end as amendments,
        case when cv.approval_process then o.aap_share end as aap_share,
        case when cv.recommendations then o.median_cycle_days end as median_cycle_days,
        case when cv.work_items then b.backlog end as backlog,
        case when cv.approval_process then coalesce(o.aap_basis, 0) end as aap_basis,
        -- Texts with a known approval process / all approved texts (the AAP share of a low coverage is an upper bound).
        case when cv.approval_process and cv.recommendations then o.aap_basis / nullif(o.approved_texts, 0) end
            as aap_coverage,
        case when cv.recommendations then coalesce(o.cycle_basis, 0) end as cycle_basis,
        case when cv.attendance then coalesce(p.gender_basis, 0) end as gender_basis,
        case when cv.attendance and before.attendance_full then r.retention_basis end as retention_basis
    from activity a
    left join covered cv using (year)
    left join covered before on before.year = a.year - 1
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
