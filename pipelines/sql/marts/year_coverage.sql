-- One row per year and raw data domain: covered days and whether the year is partial; a partial year is never a trend point, a status or a "rose / fell" sentence.
select year, domain, covered_days, days_in_year, coverage, partial
from intermediate.int_year_coverage
order by year, domain
