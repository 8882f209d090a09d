-- One row per document and Question it addresses, for per-Question activity.
-- Unordered: sorting millions of rows at 100x scale costs seconds, and every reader aggregates.
-- unnest in the select list: as a lateral join (`from t, unnest(t.x)`) DuckDB plans a far slower delim join.
select distinct document, sg, study_period, doc_type, year, question
from (select document, sg, study_period, doc_type, year, unnest(questions) as question from core.fct_contribution)
