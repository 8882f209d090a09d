-- One row per document (contribution, TD, liaison statement) with its year and number of distinct source entities.
-- Unordered: sorting millions of rows at 100x scale costs seconds, and every reader aggregates.
with source_names as (
    -- unnest in the select list: as a lateral join (`from t, unnest(t.x)`) DuckDB plans a far slower delim join.
    select document, unnest(sources) as source_name from staging.contributions
),

source_entities as (
    select s.document, count(distinct o.entity_id) as source_entities
    from source_names s
    join intermediate.int_organisation_names o on o.name = s.source_name
    group by s.document
)

select
    c.document,
    c.sg,
    c.study_period,
    c.doc_type,
    c.meeting_id,
    c.submitted_on,
    year(c.submitted_on) as year,
    c.questions,
    coalesce(s.source_entities, 0) as source_entities,
    c.title,
    c.counterpart,
    c.outcome,
    c.source_file,
    c.source_row
from staging.contributions c
left join source_entities s on s.document = c.document
