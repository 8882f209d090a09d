-- Organisation names that resolve to no member, for maintainers to add aliases: how often and where they occur.
with occurrences as (
    select o.name_normalised as name, m.start_date as seen_on, 'attendance' as source_table
    from staging.attendance a
    join core.dim_meeting m on m.meeting_id = a.meeting_id
    join intermediate.int_organisation_names o on o.name = a.organisation
    where not o.is_resolved
    union all
    select o.name_normalised, s.submitted_on, 'contributions'
    -- unnest in the select list: as a lateral join DuckDB plans a far slower delim join.
    from (select submitted_on, unnest(sources) as source_name from staging.contributions) s
    join intermediate.int_organisation_names o on o.name = s.source_name
    where not o.is_resolved
)

select
    name,
    count(*) as occurrences,
    min(seen_on) as first_seen,
    max(seen_on) as last_seen,
    string_agg(distinct source_table, ', ' order by source_table) as tables
from occurrences
group by name
order by occurrences desc, name
