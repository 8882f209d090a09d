-- One row per study group and predecessor whose work it took over (SG21 from SG9 and SG16 after WTSA-24), from config/study_groups.yaml.
select
    l.sg,
    l.predecessor,
    l.effective_date,
    e.exists_until as predecessor_until,
    l.config_version
from meta.sg_lineage l
left join meta.sg_existence e on e.sg = l.predecessor
order by l.sg, l.predecessor
