-- Work items with the date their resulting Recommendation was first approved (if any).
with first_approval as (
    select rec_id, min(approved_on) as approved_on
    from staging.recommendations
    group by rec_id
)

select
    w.work_item,
    w.sg,
    w.question,
    w.title,
    w.started_on,
    w.target_on,
    w.status,
    w.approved_as,
    a.approved_on as approved_as_first_approved_on,
    w.source_file,
    w.source_row
from staging.work_items w
left join first_approval a on a.rec_id = w.approved_as
order by w.sg, w.started_on, w.work_item
