-- One row per member: the interval of its membership, its category, country and registered SGs.
select
    m.member_id,
    m.name,
    m.category,
    m.country_iso3,
    c.itu_region,
    c.development_status,
    m.joined_on,
    m.left_on,
    m.sgs
from staging.members m
left join staging.countries c on c.iso3 = m.country_iso3
order by m.member_id
