-- One row per study group and year with any activity: participation, contributions, concentration, output and backlog KPIs.
select scope as sg, * exclude (scope)
from intermediate.int_kpis_by_scope
where scope <> '(sector)'
order by sg, year
