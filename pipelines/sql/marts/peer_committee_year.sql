-- Publications and distinct documents per peer committee and year; partial when the body's records miss over 31 days of the year.
with counted as (
    select
        sdo,
        committee,
        year(published_on) as year,
        count(*) as publications,
        count(distinct document) as documents
    from staging.peer_publications
    group by sdo, committee, year(published_on)
)
select
    c.sdo,
    c.committee,
    c.year,
    c.publications,
    c.documents,
    -- Days of the year outside the body's coverage (first_date to last_date), as the warehouse's coverage rule.
    (
        datediff('day', make_date(c.year, 1, 1), make_date(c.year, 12, 31)) + 1
        - (datediff('day', greatest(v.first_date, make_date(c.year, 1, 1)),
            least(v.last_date, make_date(c.year, 12, 31))) + 1)
    ) > 31 as partial
from counted c
join marts.peer_coverage v using (sdo)
order by c.sdo, c.committee, c.year
