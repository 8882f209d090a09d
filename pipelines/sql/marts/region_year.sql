-- One row per ITU region and year: participants and attendance by delegation, fractional contributions and members by country.
with regions as (
    select distinct itu_region from core.dim_country
),

grid as (
    select r.itu_region, y.year from regions r cross join intermediate.int_years y
),

participation as (
    select itu_region, year, count(distinct participant_key) as participants, count(*) as attendance_records
    from core.fct_attendance
    group by itu_region, year
),

contributions as (
    select itu_region, year, sum(weight)::double as contributions
    from core.fct_contribution_source
    where doc_type = 'C' and itu_region is not null
    group by itu_region, year
),

members as (
    select g.itu_region, g.year, count(m.member_id) as members
    from grid g
    join core.fct_membership_interval m
        on m.itu_region = g.itu_region
        and m.joined_on <= make_date(g.year, 12, 31)
        and (m.left_on is null or m.left_on > make_date(g.year, 12, 31))
    group by g.itu_region, g.year
)

select
    g.itu_region,
    g.year,
    coalesce(p.participants, 0) as participants,
    coalesce(p.attendance_records, 0) as attendance_records,
    coalesce(c.contributions, 0) as contributions,
    coalesce(m.members, 0) as members
from grid g
left join participation p using (itu_region, year)
left join contributions c using (itu_region, year)
left join members m using (itu_region, year)
order by g.itu_region, g.year
