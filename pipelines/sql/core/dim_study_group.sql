-- Study groups per study period, with successors across periods (SG9 and SG16 -> SG21 from 2025).
with source as (
    select * from staging.study_groups
),

final as (
    select
        sg,
        study_period,
        title,
        successor_sg,
        cast(left(study_period, 4) as integer) as period_first_year,
        cast(right(study_period, 4) as integer) as period_last_year,
        study_period = max(study_period) over () as is_current_period,
        -- The SG that carries this SG's work today (itself unless merged or renamed).
        coalesce(successor_sg, sg) as current_sg
    from source
)

select * from final
order by study_period, sg
