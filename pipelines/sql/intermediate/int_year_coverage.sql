-- One row per year and raw data domain: the days of the year the domain covers, and whether the year is full, partial (more than 31 days missing) or not covered.
with years as (
    select year, make_date(year, 1, 1) as first_day, make_date(year, 12, 31) as last_day
    from intermediate.int_years
),

overlap as (
    select
        y.year,
        c.domain,
        datediff('day', y.first_day, y.last_day) + 1 as days_in_year,
        coalesce(
            greatest(0, datediff('day', greatest(c.first_date, y.first_day), least(c.last_date, y.last_day)) + 1),
            0
        ) as covered_days
    from years y
    cross join intermediate.int_coverage c
)

select
    year,
    domain,
    covered_days,
    days_in_year,
    case
        when covered_days = 0 then 'none'
        when days_in_year - covered_days > 31 then 'partial'
        else 'full'
    end as coverage,
    -- The contract's flag: the domain's coverage misses more than 31 days of the year (true when none either).
    days_in_year - covered_days > 31 as partial
from overlap
order by year, domain
