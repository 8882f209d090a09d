-- One row per raw data domain: the dates its data cover, whether they are real or synthetic, and their source.
select domain, first_date, last_date, source_label, source, basis
from intermediate.int_coverage
order by domain
