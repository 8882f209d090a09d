-- Every organisation name as written, resolved to an entity: member name, then alias, then Member State by country name or ISO3.
with names as (
    select name, coalesce(name_normalised, lower(trim(name))) as name_normalised
    from staging.organisation_names
),

candidates as (
    select n.name_normalised, m.member_id, 1 as priority, 'member name' as matched_by
    from staging.members m
    join names n on n.name = m.name
    union all
    select n.name_normalised, a.member_id, 2, 'alias'
    from staging.org_aliases a
    join names n on n.name = a.alias
    union all
    select n.name_normalised, m.member_id, 3, 'country name'
    from staging.countries c
    join names n on n.name = c.name
    join staging.members m on m.category = 'Member State' and m.country_iso3 = c.iso3
    union all
    select n.name_normalised, m.member_id, 4, 'iso3'
    from staging.countries c
    join names n on n.name = c.iso3
    join staging.members m on m.category = 'Member State' and m.country_iso3 = c.iso3
),

ranked as (
    select
        *,
        row_number() over (partition by name_normalised order by priority, member_id) as preference
    from candidates
),

ambiguity as (
    select name_normalised, count(distinct member_id) as candidate_members
    from candidates
    group by name_normalised
),

final as (
    select
        n.name,
        n.name_normalised,
        coalesce(r.member_id, 'unresolved:' || n.name_normalised) as entity_id,
        r.member_id is not null as is_resolved,
        r.matched_by,
        coalesce(a.candidate_members, 0) as candidate_members
    from names n
    left join ranked r on r.name_normalised = n.name_normalised and r.preference = 1
    left join ambiguity a on a.name_normalised = n.name_normalised
)

select * from final
order by name
