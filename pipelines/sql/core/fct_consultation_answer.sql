-- The membership consultation's Likert answers (1-5), one row per respondent, study group (ITU-T for a question about the sector) and question, with the consultation year; free text is not carried (optional raw table consultation_responses).
select
    respondent_id,
    year(responded_on) as year,
    coalesce(sg, 'ITU-T') as sg,
    question_id,
    category,
    itu_region,
    likert
from staging.consultation_responses
where likert is not null
order by year, sg, question_id, respondent_id
