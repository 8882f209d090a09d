-- One row per document (contribution, TD, liaison statement) with its year and number of distinct source entities.
-- Unordered: sorting millions of rows at 100x scale costs seconds, and every reader aggregates.
with source_entities as (
    -- Counted from the source fact rather than resolved again: resolving every source name of every
    -- document took 3-4 s at 100x scale.
    select document, count(*) as source_entities
    from core.fct_contribution_source
    group by document
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
