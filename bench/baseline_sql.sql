-- Pure-DuckDB baseline of marts.sg_year_kpis, straight from the raw files (the floor the pipeline should approach).
-- Written from the contracts (../shared/contracts/raw-data.md, kpis.md), not from the pipeline's SQL.
-- `{raw}` is the raw directory; `members_xlsx` is members/*.xlsx as text (DuckDB has no built-in XLSX
-- reader without the excel extension, so bench/baseline_sql.py loads that one small file). CSV dialect
-- spelled out: the sniffer guesses "no quoting" when the first 20,480 rows hold no quoted cell.

-- Contract normalisation of organisation names: NFC (DuckDB has no NFKC), lower case, abbreviation marks
-- deleted, other punctuation as spaces, trailing legal suffixes removed while more than one word remains.
create or replace macro org_norm(s) as coalesce(nullif(regexp_replace(
    trim(regexp_replace(regexp_replace(regexp_replace(lower(nfc_normalize(s)), '[.''’`´]', '', 'g'),
        '[\p{P}\p{S}]', ' ', 'g'), '\s+', ' ', 'g')),
    '^(.+?)( (inc|incorporated|ltd|limited|co|corp|corporation|company|gmbh|ag|sa|plc|llc|llp|bv|nv|srl|spa|sas|sarl|oy|ab|kk|pty|pte|kg))+$',
    '\1'), ''), lower(trim(s)));
create or replace macro txt(s) as nullif(trim(s::varchar), '');
create or replace macro iso_date(s) as
    case when regexp_full_match(trim(s::varchar), '\d{4}-\d{2}-\d{2}') then try_strptime(trim(s::varchar), '%Y-%m-%d')::date end;

-- Reference tables ------------------------------------------------------------------------------------------
create or replace temp table countries as
select txt(iso3) as iso3, txt(name) as name, txt(development_status) in ('developing', 'LDC') as is_developing
from read_csv('{raw}/countries/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')
where txt(iso3) is not null and txt(name) is not null;

create or replace temp table study_groups as
select distinct txt(sg) as sg, txt(study_period) as study_period
from read_csv('{raw}/study_groups/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')
where txt(sg) is not null and txt(study_period) is not null;

create or replace temp table members as
select txt(member_id) as member_id, txt(name) as name, txt(category) as category, txt(country_iso3) as country_iso3
from members_xlsx
where txt(member_id) is not null and txt(name) is not null and iso_date(joined_on) is not null
    and txt(category) in ('Member State', 'Sector Member', 'Associate', 'Academia')
    and txt(country_iso3) in (select iso3 from countries)
qualify row_number() over (partition by txt(member_id) order by ordinality) = 1;

create or replace temp table aliases as
select txt(alias) as alias, txt(member_id) as member_id
from read_csv('{raw}/org_aliases/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"') with ordinality
where txt(member_id) in (select member_id from members)
qualify row_number() over (partition by txt(alias) order by ordinality) = 1;

-- Organisation resolution: member name, then alias, then a Member State by country name or ISO3.
create or replace temp table resolver as
with candidates as (
    select org_norm(name) as norm, member_id, 1 as priority from members
    union all
    select org_norm(alias), member_id, 2 from aliases
    union all
    select org_norm(c.name), m.member_id, 3 from countries c join members m on m.country_iso3 = c.iso3 and m.category = 'Member State'
    union all
    select org_norm(c.iso3), m.member_id, 4 from countries c join members m on m.country_iso3 = c.iso3 and m.category = 'Member State'
)
select norm, arg_min(member_id, (priority, member_id)) as member_id from candidates group by norm;

create or replace temp table entities as
select m.member_id as entity_id, m.category, coalesce(c.is_developing, false) as is_developing
from members m left join countries c on c.iso3 = m.country_iso3;

-- Activity tables, with the contract's row-level quarantine rules applied ---------------------------------------
create or replace temp table meetings as
select txt(meeting_id) as meeting_id, txt(sg) as sg, year(iso_date(start_date)) as year
from read_parquet('{raw}/meetings/*.parquet') with ordinality
where txt(meeting_id) is not null and txt(sg) in (select sg from study_groups)
    and txt(kind) in ('SG', 'WP', 'RG', 'TSAG', 'workshop', 'CxO') and txt(format) in ('physical', 'hybrid', 'virtual')
    and iso_date(end_date) >= iso_date(start_date)
    and (txt(country_iso3) is null or txt(country_iso3) in (select iso3 from countries))
qualify row_number() over (partition by txt(meeting_id) order by ordinality) = 1;

create or replace temp table attendance as
with rows as (
    select
        txt(meeting_id) as meeting_id,
        txt(organisation) as organisation,
        txt(mode) as mode,
        txt(gender) as gender,
        txt(country_iso3) as country_iso3,
        txt(role) as role,
        txt(participant_name) is not null as has_name,
        -- The participant: normalised e-mail, else normalised name plus delegation.
        coalesce(
            'email:' || nullif(regexp_replace(lower(nfc_normalize(participant_email)), '\s', '', 'g'), ''),
            'name:' || regexp_replace(lower(txt(participant_name)), '\s+', ' ', 'g') || '|' || upper(txt(country_iso3))
        ) as participant,
        ordinality
    from read_csv('{raw}/attendance/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"') with ordinality
)
select r.*, m.sg, m.year
from rows r join meetings m using (meeting_id)
where r.participant is not null and r.has_name and r.organisation is not null
    and r.role in ('delegate', 'chair', 'vice-chair', 'rapporteur', 'associate rapporteur', 'editor', 'liaison', 'TSB')
    and r.mode in ('on-site', 'remote') and (r.gender is null or r.gender in ('F', 'M', 'X'))
    and r.country_iso3 in (select iso3 from countries)
qualify row_number() over (partition by r.meeting_id, r.participant order by r.ordinality) = 1;

create or replace temp table documents as
with numbered as (
    -- The first copy of a duplicate is the one with the smallest (file, row), whatever the file's format.
    select document, sg, study_period, doc_type, meeting_id, submitted_on, sources, title, outcome,
        filename, file_row_number as n
    from read_parquet('{raw}/contributions/*.parquet', filename = true, file_row_number = true)
    union all by name
    select document, sg, study_period, doc_type, meeting_id, submitted_on, sources, title, outcome,
        filename, ordinality as n
    from read_csv('{raw}/contributions/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"', filename = true) with ordinality
)
select
    txt(document) as document,
    txt(sg) as sg,
    txt(doc_type) as doc_type,
    year(iso_date(submitted_on)) as year,
    list_filter(list_transform(string_split(sources, ';'), lambda x: trim(x)), lambda x: x <> '') as sources
from numbered
where txt(document) is not null and txt(title) is not null and iso_date(submitted_on) is not null
    and (txt(sg), txt(study_period)) in (select (sg, study_period) from study_groups)
    and txt(doc_type) in ('C', 'TD', 'LS-in', 'LS-out')
    and (txt(meeting_id) is null or txt(meeting_id) in (select meeting_id from meetings))
    and (txt(outcome) is null or txt(outcome) in ('agreed', 'partly agreed', 'noted', 'withdrawn'))
    and len(list_filter(list_transform(string_split(sources, ';'), lambda x: trim(x)), lambda x: x <> '')) > 0
qualify row_number() over (partition by txt(document) order by filename, n) = 1;

create or replace temp table recommendations as
select
    txt(rec_id) as rec_id, txt(sg) as sg, iso_date(approved_on) as approved_on, txt(kind) as kind,
    txt(approval_process) as approval_process, txt(work_item) as work_item
from read_csv('{raw}/recommendations/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"') with ordinality
where txt(rec_id) is not null and txt(title) is not null and iso_date(approved_on) is not null
    and txt(sg) in (select sg from study_groups)
    and txt(kind) in ('new', 'revised', 'amendment', 'corrigendum', 'supplement')
    and (txt(approval_process) is null or txt(approval_process) in ('AAP', 'TAP'))
    and txt(status) in ('in force', 'superseded', 'withdrawn')
qualify row_number() over (partition by txt(rec_id), iso_date(approved_on), txt(kind) order by ordinality) = 1;

create or replace temp table work_items as
select
    txt(work_item) as work_item, txt(sg) as sg, iso_date(started_on) as started_on, txt(status) as status,
    txt(approved_as) as approved_as
from read_csv('{raw}/work_items/*.csv', all_varchar = true, header = true, delim = ',', quote = '"', escape = '"') with ordinality
where txt(work_item) is not null and txt(title) is not null and iso_date(started_on) is not null
    and txt(sg) in (select sg from study_groups)
    and txt(status) in ('ongoing', 'approved', 'deleted')
    and (txt(target_on) is null or iso_date(target_on) >= iso_date(started_on))
qualify row_number() over (partition by txt(work_item) order by ordinality) = 1;

-- KPIs per (sg, year) ---------------------------------------------------------------------------------------
create or replace temp table sg_year_kpis as
with attendance_entities as (
    select a.*, coalesce(r.member_id, 'unresolved:' || org_norm(a.organisation)) as entity_id,
        coalesce(c.is_developing, false) as is_developing
    from attendance a
    left join resolver r on r.norm = org_norm(a.organisation)
    left join countries c on c.iso3 = a.country_iso3
),
participation as (
    select sg, year,
        count(distinct participant) as participants,
        count(*) as attendance_records,
        avg((mode = 'remote')::int) as remote_share,
        count(distinct country_iso3) as countries,
        count(distinct entity_id) as organisations,
        avg(is_developing::int) as developing_share,
        count(*) filter (gender = 'F') / nullif(count(gender), 0) as female_share
    from attendance_entities group by sg, year
),
person_years as (select distinct sg, year, participant from attendance),
newcomers as (
    select sg, year,
        case when year > min(year) over (partition by sg) then avg((first_year = year)::int) end as newcomer_share
    from (select *, min(year) over (partition by sg, participant) as first_year from person_years)
    group by sg, year
),
retention as (
    select p.sg, p.year + 1 as year, count(n.participant) / count(*) as retention
    from person_years p
    left join person_years n on n.sg = p.sg and n.participant = p.participant and n.year = p.year + 1
    group by p.sg, p.year
),
document_counts as (
    select sg, year,
        count(*) filter (doc_type = 'C') as contributions,
        count(*) filter (doc_type = 'LS-in') as ls_in,
        count(*) filter (doc_type = 'LS-out') as ls_out
    from documents group by sg, year
),
-- Fractional counting: each contribution gives 1/k to each of its k distinct source entities.
contribution_entities as (
    select distinct d.document, d.sg, d.year, coalesce(r.member_id, 'unresolved:' || org_norm(s.name)) as entity_id
    from documents d, unnest(d.sources) as s(name)
    left join resolver r on r.norm = org_norm(s.name)
    where d.doc_type = 'C'
),
entity_totals as (
    select ce.sg, ce.year, ce.entity_id, sum(ce.weight) as total, any_value(e.category) as category,
        coalesce(any_value(e.is_developing), false) as is_developing
    from (select *, 1.0 / count(*) over (partition by document) as weight from contribution_entities) ce
    left join entities e using (entity_id)
    group by ce.sg, ce.year, ce.entity_id
),
concentration as (
    select sg, year,
        count(*) as contributing_entities,
        sum((100.0 * total / grand_total) ^ 2) as hhi,
        min(rank) filter (cumulative >= 0.5 * grand_total - 1e-9) as elephant_factor,
        sum(total) filter (category in ('Sector Member', 'Associate')) / sum(total) as industry_share,
        sum(total) filter (category = 'Academia') / sum(total) as academia_share,
        sum(total) filter (is_developing) / sum(total) as developing_source_share
    from (
        select *,
            row_number() over w as rank,
            sum(total) over (w rows unbounded preceding) as cumulative,
            sum(total) over (partition by sg, year) as grand_total
        from entity_totals
        window w as (partition by sg, year order by total desc, entity_id)
    )
    group by sg, year
),
editions as (
    select r.*, year(r.approved_on) as year, r.kind in ('new', 'revised') as is_rec,
        r.kind in ('amendment', 'corrigendum') as is_amendment,
        case when w.work_item is not null then r.approved_on - w.started_on end as cycle_days
    from recommendations r left join work_items w using (work_item)
),
output as (
    select sg, year,
        count(*) filter (is_rec) as recs_approved,
        count(*) filter (is_amendment) as amendments,
        count(*) filter ((is_rec or is_amendment) and approval_process = 'AAP')
            / nullif(count(*) filter ((is_rec or is_amendment) and approval_process is not null), 0) as aap_share,
        median(cycle_days) filter (is_rec) as median_cycle_days
    from editions group by sg, year
),
activity as (
    select sg, year from meetings union select sg, year from documents union select sg, year from editions
),
first_approvals as (select rec_id, min(approved_on) as approved_on from recommendations group by rec_id),
backlog as (
    select a.sg, a.year, count(w.work_item) as backlog
    from activity a
    left join (
        select w.*, f.approved_on as first_approved_on
        from work_items w left join first_approvals f on f.rec_id = w.approved_as
    ) w on w.sg = a.sg and w.started_on <= make_date(a.year, 12, 31)
        and (w.status = 'ongoing' or (w.status = 'approved' and w.first_approved_on > make_date(a.year, 12, 31)))
    group by a.sg, a.year
),
meeting_counts as (select sg, year, count(*) as meetings from meetings group by sg, year)
select
    sg, year,
    coalesce(meetings, 0) as meetings,
    coalesce(participants, 0) as participants,
    coalesce(attendance_records, 0) as attendance_records,
    remote_share,
    coalesce(countries, 0) as countries,
    coalesce(organisations, 0) as organisations,
    developing_share, female_share, newcomer_share, retention,
    coalesce(contributions, 0) as contributions,
    coalesce(contributing_entities, 0) as contributing_entities,
    hhi, elephant_factor,
    case when contributing_entities > 0 then coalesce(industry_share, 0) end as industry_share,
    case when contributing_entities > 0 then coalesce(academia_share, 0) end as academia_share,
    case when contributing_entities > 0 then coalesce(developing_source_share, 0) end as developing_source_share,
    coalesce(ls_in, 0) as ls_in,
    coalesce(ls_out, 0) as ls_out,
    coalesce(recs_approved, 0) as recs_approved,
    coalesce(amendments, 0) as amendments,
    aap_share, median_cycle_days, backlog
from activity
left join meeting_counts using (sg, year)
left join participation using (sg, year)
left join newcomers using (sg, year)
left join retention using (sg, year)
left join document_counts using (sg, year)
left join concentration using (sg, year)
left join output using (sg, year)
left join backlog using (sg, year)
order by sg, year;
