-- CxO meetings and industry events: one row per event and participant group (member category and ITU region), with its participants and follow-up contributions (empty without the optional raw table events).
select
    event_id,
    title,
    kind,
    event_date,
    year(event_date) as year,
    sg,
    country_iso3,
    category,
    itu_region,
    participants,
    follow_up_contributions
from staging.events
order by event_date, event_id, category, itu_region
