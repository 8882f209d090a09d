-- One row per document and distinct source entity; each of a document's k distinct sources carries weight 1/k.
-- Unordered: sorting millions of rows at 100x scale costs seconds, and every reader aggregates.
with weighted as (
    select document, entity_id, 1.0 / count(*) over (partition by document) as weight
    from intermediate.int_contribution_entities
)

select
    c.document,
    c.sg,
    c.study_period,
    c.doc_type,
    c.year,
    w.entity_id,
    w.weight,
    e.category,
    e.country_iso3,
    e.itu_region,
    e.development_status,
    e.development_status in ('developing', 'LDC') as is_developing
from weighted w
join core.fct_contribution c on c.document = w.document
join core.dim_entity e on e.entity_id = w.entity_id
