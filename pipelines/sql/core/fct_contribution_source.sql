-- One row per document and distinct source entity; each of a document's k distinct sources carries weight 1/k.
with sources as (
    select distinct c.document, o.entity_id
    from staging.contributions c, unnest(c.sources) as s(source_name)
    join intermediate.int_organisation_names o on o.name = s.source_name
),

weighted as (
    select document, entity_id, 1.0 / count(*) over (partition by document) as weight
    from sources
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
order by c.document, w.entity_id
