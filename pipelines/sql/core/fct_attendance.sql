-- One row per participant per meeting: pseudonymous participant key, resolved entity, delegation country.
-- Unordered: sorting millions of rows at 100x scale costs seconds, and every reader aggregates.
select
    a.meeting_id,
    m.sg,
    m.year,
    m.kind as meeting_kind,
    m.start_date,
    a.participant_key,
    o.entity_id,
    a.country_iso3,
    c.itu_region,
    c.development_status,
    c.is_developing,
    a.role,
    a.mode,
    a.gender,
    a.source_file,
    a.source_row
from staging.attendance a
join core.dim_meeting m on m.meeting_id = a.meeting_id
left join intermediate.int_organisation_names o on o.name = a.organisation
left join core.dim_country c on c.iso3 = a.country_iso3
