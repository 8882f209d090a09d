-- Questions per study period and their study group.
select
    question,
    study_period,
    sg,
    title
from staging.questions
order by study_period, sg, question
