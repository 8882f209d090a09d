-- Quarantined rows per raw table and kind of reason, with the first example, for maintainers to fix the exports.
with quarantined as (
    select 'countries' as table_name, reason, source_file, source_row from quarantine.countries
    union all
    select 'study_groups', reason, source_file, source_row from quarantine.study_groups
    union all
    select 'questions', reason, source_file, source_row from quarantine.questions
    union all
    select 'members', reason, source_file, source_row from quarantine.members
    union all
    select 'org_aliases', reason, source_file, source_row from quarantine.org_aliases
    union all
    select 'meetings', reason, source_file, source_row from quarantine.meetings
    union all
    select 'attendance', reason, source_file, source_row from quarantine.attendance
    union all
    select 'contributions', reason, source_file, source_row from quarantine.contributions
    union all
    select 'recommendations', reason, source_file, source_row from quarantine.recommendations
    union all
    select 'work_items', reason, source_file, source_row from quarantine.work_items
    union all
    select 'peer_publications', reason, source_file, source_row from quarantine.peer_publications
    union all
    select 'events', reason, source_file, source_row from quarantine.events
    union all
    select 'consultation_responses', reason, source_file, source_row from quarantine.consultation_responses
),

classified as (
    select
        table_name,
        case
            when reason like 'required value % is missing' then 'missing required value'
            when reason like 'duplicate key %' then 'duplicate key'
            when reason like '% is not a date%' then 'not a date'
            when reason like '% is outside the plausible dates %' then 'implausible date'
            when reason like '% is not one of:%' then 'value outside its set'
            when reason like '% not in %' then 'unknown reference'
            when reason like '% is before %' then 'ends before it starts'
            when regexp_matches(reason, '^[a-z_0-9]+ ''.*'' is not ') then 'bad format'
            else 'other rule'
        end as reason_kind,
        case
            when reason like 'required value % is missing'
                then regexp_extract(reason, '^required value ([a-z_0-9]+) is missing', 1)
            when reason like 'duplicate key %' then null
            else nullif(regexp_extract(reason, '^([a-z_0-9]+) ', 1), '')
        end as column_name,
        reason,
        source_file,
        source_row
    from quarantined
),

grouped as (
    select
        table_name,
        reason_kind,
        -- Only where the kind names a column ('other rule' reasons are free sentences).
        case when reason_kind <> 'other rule' then column_name end as column_name,
        count(*) as row_count,
        arg_min(reason, (source_file, source_row)) as example_reason,
        arg_min(source_file || ':' || source_row, (source_file, source_row)) as example_ref
    from classified
    group by all
),

final as (
    select
        g.table_name,
        g.reason_kind,
        g.column_name,
        g.row_count,
        -- How much of the raw table this kind of problem takes away.
        g.row_count / r.rows_read as share_of_rows_read,
        g.example_reason,
        g.example_ref
    from grouped g
    join meta.ingest_report r using (table_name)
)

select * from final
order by table_name, row_count desc, reason_kind, column_name
