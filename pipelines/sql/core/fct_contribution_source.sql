-- One row per document and distinct source entity; each of a document's k distinct sources carries weight 1/k.
-- Unordered: sorting millions of rows at 100x scale costs seconds, and every reader aggregates.
with source_names as (
    -- unnest in the select list: as a lateral join (`from t, unnest(t.x)`) DuckDB plans a far slower delim join.
    -- The document's own columns ride along: joining the 6 million documents back cost ~0.8 s at 100x.
    select
        document, sg, study_period, doc_type, year(submitted_on) as year, len(sources) as listed,
        unnest(sources) as source_name
    from staging.contributions
),

resolved as (
    select s.document, s.sg, s.study_period, s.doc_type, s.year, s.listed, o.entity_id
    from source_names s
    join intermediate.int_organisation_names o on o.name = s.source_name
),

-- Fixed-point weights, so that sums of weights are exact: summed as doubles, their last bits depended on the order
-- DuckDB's threads added them in, and a total such as 186.05 showed as 186.1 in one build and 186.0 in the next
-- (and entities with equal totals could swap ranks). pandas reads DECIMAL as float64.
weighted as (
    -- A document that lists one source (nine in ten) has one entity, of weight 1: only the others need the
    -- de-duplication and the count per document (at 100x: 4.2-5.1 s when every document went through them,
    -- 2.7-3.3 s now).
    select document, sg, study_period, doc_type, year, entity_id, 1::decimal(18, 15) as weight
    from resolved
    where listed = 1
    union all
    select *, (1.0 / count(*) over (partition by document))::decimal(18, 15) as weight
    from (
        select distinct document, sg, study_period, doc_type, year, entity_id
        from resolved
        where listed > 1
    )
)

select
    w.document,
    w.sg,
    w.study_period,
    w.doc_type,
    w.year,
    w.entity_id,
    w.weight,
    e.category,
    e.country_iso3,
    e.itu_region,
    e.development_status,
    e.development_status in ('developing', 'LDC') as is_developing
from weighted w
-- Drops no row: dim_entity holds every member and every unresolved name used as a source.
join core.dim_entity e on e.entity_id = w.entity_id
