-- Entities: resolved organisations (members) and one entity per unresolved normalised name seen in attendance or sources.
with members as (
    select
        m.member_id as entity_id,
        m.name,
        m.category,
        m.country_iso3,
        c.itu_region,
        c.development_status,
        true as is_resolved
    from staging.members m
    left join staging.countries c on c.iso3 = m.country_iso3
),

used_names as (
    select organisation as name from staging.attendance
    union
    select unnest(sources) from staging.contributions
),

unresolved as (
    select distinct
        o.entity_id,
        o.name_normalised as name,
        null::varchar as category,
        null::varchar as country_iso3,
        null::varchar as itu_region,
        null::varchar as development_status,
        false as is_resolved
    from intermediate.int_organisation_names o
    join used_names u on u.name = o.name
    where not o.is_resolved
)

select * from members
union all
select * from unresolved
order by entity_id
