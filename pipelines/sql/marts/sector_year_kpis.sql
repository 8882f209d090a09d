-- One row per year for the whole sector: the same KPIs as sg_year_kpis, computed over all facts (not summed from SGs).
select * exclude (scope)
from intermediate.int_kpis_by_scope
where scope = '(sector)'
order by year
