-- One row per peer body of the landscape bundle: the dates its publication records cover, their source and commit.
select
    sdo,
    min(published_on) as first_date,
    max(published_on) as last_date,
    string_agg(distinct source, '; ' order by source) as source,
    string_agg(distinct source_commit, '; ' order by source_commit) as source_commit,
    count(*) as publications,
    count(distinct document) as documents,
    count(distinct committee) as committees
from staging.peer_publications
group by sdo
order by sdo
