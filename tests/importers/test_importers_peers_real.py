"""`sgpulse import peers` on the real bundle: its per-body, per-year counts against an independent count.

The independent count is written in SQL from the rules as docs/importers.md states them, not from the
importer's code; it reads the JSON lines with DuckDB. Skipped where ../shared/real-data is absent.
"""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest
from testkit import REAL_DATA

from pipelines.importers.peers import import_peers

BUNDLE = REAL_DATA / "peer-sdo-publications.jsonl.gz"
pytestmark = pytest.mark.skipif(not BUNDLE.exists(), reason=f"real data not found at {BUNDLE}")

# The bundle's README: records per body.
README_COUNTS = {"3GPP": 92_289, "ISO": 71_253, "ETSI": 28_616, "W3C": 16_811, "IEEE": 11_787}

INDEPENDENT_COUNT = r"""
with raw as (
    -- An empty committee is no committee.
    select * replace (nullif(trim(committee), '') as committee)
    from read_json(?, format = 'newline_delimited', union_by_name = true, sample_size = -1,
        columns = {sdo: 'VARCHAR', id: 'VARCHAR', title: 'VARCHAR', published: 'VARCHAR', committee: 'VARCHAR',
                   doctype: 'VARCHAR'})
),
-- ISO lists some standards twice; a standard counts once, if any copy names its committee.
iso as (
    select id, bool_or(committee is not null) as has_committee,
        arg_max(published, (committee is not null)::int * 2 + (published is not null)::int) as published
    from raw where sdo = 'ISO' group by id
),
events as (
    -- 3GPP: a version under change control (major version 3 or more).
    select 'gpp' as rule, sdo, try_cast(left(published, 4) as integer) as year from raw
    where sdo = '3GPP' and committee is not null and published is not null and title is not null
        and regexp_full_match(id, '3GPP (TS|TR) [^:]+:[^/]*/\S+')
        and coalesce(try_cast(split_part(split_part(id, '/', -1), '.', 1) as integer), 99) >= 3
    union all
    -- ETSI: a deliverable version, not a TS/TR 121-159 (3GPP transpositions).
    select 'etsi', sdo, try_cast(left(published, 4) as integer) from raw
    where sdo = 'ETSI' and committee is not null and published is not null and title is not null
        and not regexp_matches(id, '^ETSI (TS|TR) 1[2-5][0-9] [0-9]{3}')
    union all
    -- W3C: a dated TR publication of a known group.
    select 'w3c', sdo, try_cast(left(published, 4) as integer) from raw
    where sdo = 'W3C' and committee is not null and committee <> 'UNKNOWN WORKING GROUP'
        and published is not null and title is not null
        and regexp_full_match(id, 'W3C [A-Za-z]+-.+-([0-9]{8}|[0-9]{6})')
    union all
    -- ISO: a dated edition, amendment or corrigendum (no stage code); the year of its designation.
    select 'iso', 'ISO', cast(regexp_extract(id, ':([0-9]{4})(\([A-Za-z]+\))?$', 1) as integer) from iso
    where has_committee and published is not null
        and regexp_matches(id, ':[0-9]{4}(\([A-Za-z]+\))?$')
        and not regexp_matches(id, '(^|[/ ])(DIS|FDIS|CD|CDV|AWI|WD|NP|PWI|PRF|DTS|DTR|DPAS|DAM|FDAM|PDAM|DAmd|FDAmd|PDAmd|DCOR|FDCOR|DCor|FDCor|DSuppl|DIWA|DGuide|DG)([ /]|$)')
    union all
    -- IEEE: an approved standard (no project/draft designation, no redline); the designation's year when
    -- it is one (1884 to a year after the record's date), else the record's date.
    select 'ieee', sdo,
        case when try_cast(regexp_extract(id, '-([0-9]{4})$', 1) as integer)
                between 1884 and try_cast(left(published, 4) as integer) + 1
            then cast(regexp_extract(id, '-([0-9]{4})$', 1) as integer)
            else try_cast(left(published, 4) as integer) end
    from raw
    where sdo = 'IEEE' and committee is not null and published is not null and title is not null
        and coalesce(doctype, '') <> 'redline' and not ends_with(id, 'Redline')
        and not regexp_matches(id, '(^|[ /])P[A-Z]?[0-9]|/D[-0-9]|Unapproved|\bDraft\b')
)
select sdo, year, count(*) from events group by all
"""


@pytest.fixture(scope="module")
def imported():
    return import_peers(BUNDLE)


def test_every_record_is_written_or_reported(imported):
    report = imported.report
    assert report["read"] == sum(README_COUNTS.values()) == 220_756
    assert report["written"] + report["reported"] == report["read"]
    lines = Counter([int(x) for x in imported.rows["source_line"]] + [r["line"] for r in imported.reported])
    assert len(lines) == report["read"] and set(lines.values()) == {1}
    assert {sdo: body["read"] for sdo, body in report["bodies"].items()} == README_COUNTS


def test_per_body_per_year_counts_match_an_independent_count(imported):
    with duckdb.connect() as conn:
        expected = {
            (sdo, year): n for sdo, year, n in conn.execute(INDEPENDENT_COUNT, [str(BUNDLE)]).fetchall()
        }
    got = Counter(zip(imported.rows["sdo"], imported.rows["published_on"].str[:4].astype(int), strict=True))
    assert dict(got) == expected


def test_transpositions_are_not_counted_twice(imported):
    report = imported.report
    etsi = imported.rows[imported.rows["sdo"] == "ETSI"]
    assert not etsi["publication_id"].str.match(r"ETSI (TS|TR) 1[2-5]\d \d{3}").any()
    # Nearly all of them repeat a 3GPP version that is in the bundle.
    assert report["etsi_transpositions"]["same version at 3GPP"] > 17_000
    assert report["bodies"]["ETSI"]["reported"]["transposition"] == sum(
        report["etsi_transpositions"].values()
    )
    assert report["unmapped_3gpp_codes"] == []
