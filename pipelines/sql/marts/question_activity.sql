-- One row per Question and year of its study period: contributions addressing it, and whether it is an inactivity candidate (no contribution for two years).
with question_years as (
    select q.question, q.sg, q.study_period, y.year
    from core.dim_question q
    join core.dim_study_group s on s.sg = q.sg and s.study_period = q.study_period
    join intermediate.int_years y
        -- 2021 belongs to 2017-2020: that period ran until WTSA-20 met in March 2022.
        on y.year between s.period_first_year and s.period_last_year + case when s.study_period = '2017-2020' then 1 else 0 end
),

counts as (
    select question, study_period, year, count(*) as contributions
    from core.fct_contribution_question
    where doc_type = 'C'
    group by question, study_period, year
),

final as (
    select
        qy.question,
        qy.sg,
        qy.study_period,
        qy.year,
        coalesce(c.contributions, 0) as contributions,
        -- Candidate when neither this year nor the year before had a contribution (both years in the period).
        coalesce(c.contributions, 0) = 0
            and coalesce(lag(coalesce(c.contributions, 0)) over w, -1) = 0 as inactive_two_years
    from question_years qy
    left join counts c using (question, study_period, year)
    window w as (partition by qy.question, qy.study_period order by qy.year)
)

select * from final
order by study_period, sg, question, year
