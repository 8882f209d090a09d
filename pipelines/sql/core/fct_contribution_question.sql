-- One row per document and Question it addresses, for per-Question activity.
select distinct
    c.document,
    c.sg,
    c.study_period,
    c.doc_type,
    c.year,
    q.question
from core.fct_contribution c, unnest(c.questions) as q(question)
order by c.document, q.question
