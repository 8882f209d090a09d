-- One row per year and member category: members active on 31 December, members who joined and who left in the year.
with categories as (
    select unnest(['Member State', 'Sector Member', 'Associate', 'Academia']) as category
),

final as (
    select
        y.year,
        c.category,
        count(m.member_id) filter (
            where m.joined_on <= make_date(y.year, 12, 31)
            and (m.left_on is null or m.left_on > make_date(y.year, 12, 31))
        ) as members,
        count(m.member_id) filter (where year(m.joined_on) = y.year) as joined,
        count(m.member_id) filter (where year(m.left_on) = y.year) as left
    from intermediate.int_years y
    cross join categories c
    left join core.fct_membership_interval m on m.category = c.category
    group by y.year, c.category
)

select * from final
order by year, category
