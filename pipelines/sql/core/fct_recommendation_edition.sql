-- One row per approved Recommendation text (new, revised, amendment, corrigendum, supplement), with cycle time.
select
    r.rec_id,
    r.approved_on,
    year(r.approved_on) as year,
    r.kind,
    r.kind in ('new', 'revised') as is_new_or_revised,
    r.kind in ('amendment', 'corrigendum') as is_amendment,
    r.sg,
    r.question,
    r.title,
    r.approval_process,
    r.status,
    r.work_item,
    w.started_on as work_item_started_on,
    case when w.work_item is not null then datediff('day', w.started_on, r.approved_on) end as cycle_days,
    r.abstract,
    r.source_file,
    r.source_row
from staging.recommendations r
left join staging.work_items w on w.work_item = r.work_item
order by r.approved_on, r.rec_id, r.kind
