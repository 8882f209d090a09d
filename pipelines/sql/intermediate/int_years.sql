-- The calendar years the data covers: from the first to the last year with any meeting, document or Recommendation.
with activity_years as (
    select year from core.dim_meeting
    union
    select year from core.fct_contribution
    union
    select year from core.fct_recommendation_edition
)

select unnest(generate_series(min(year), max(year))) as year
from activity_years
having count(*) > 0
order by year
