-- Countries with their ITU region and development status (developing includes LDCs).
select
    iso3,
    name,
    itu_region,
    development_status,
    development_status in ('developing', 'LDC') as is_developing,
    development_status = 'LDC' as is_ldc
from staging.countries
order by iso3
