-- Meetings of study groups and TSAG, with the calendar year of their start date.
select
    meeting_id,
    sg,
    kind,
    start_date,
    end_date,
    year(start_date) as year,
    datediff('day', start_date, end_date) + 1 as days,
    city,
    country_iso3,
    format
from staging.meetings
order by start_date, meeting_id
