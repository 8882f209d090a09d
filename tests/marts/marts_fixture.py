# ruff: noqa: E501 - the CSV rows below are data, one row per line
"""A hand-built raw directory for the KPI marts, and the in-memory warehouse built from it.

Every expected value in tests/marts/ is computed by hand from the tables below (see the comments
in the tests). Do not edit a row here without redoing the arithmetic of every test that uses it.

This is a plain helper module (not a conftest.py): tests/conftest.py is imported elsewhere as
`from conftest import ...`, and a second conftest.py without a package would shadow it.

People (participant keys), by the identity the pipeline derives:
  A  ada@alpha.example (written three ways: case and surrounding spaces differ) - SM-1, USA
  B  bo@beta.example   - SM-2 (Beta Telecom GmbH / Beta Tel / Beta Telecom), CHE
  C  no e-mail, "Cy Marl" / "CY  MARL" + KEN (same person: name normalised, same delegation)
  D  di@delta.example (also " DI@Delta.Example ") - AC-1, BGD
  E  ed@orbis.example - unresolved "Orbis Consulting", EGY
  F  fay@gamma.example - AS-1, KEN
  G  gil@orbis.example - unresolved "Orbis Consulting Ltd" (same normalised name), EGY
  H  no e-mail, "Hal Brisk" + CHE - unresolved "OFCOM (Switzerland)"
  I  ivy@epsilon.example - SM-3 ("EPSILON SYSTEMS, INC."), EGY
  J1 no e-mail, "Jo Pike" + BGD - MS-BGD by country name
  J2 no e-mail, "Jo Pike" + KEN - MS-KEN by country name (same name, other delegation: another person)
"""

from __future__ import annotations

import functools
import math
import tempfile
from pathlib import Path

import duckdb
import pytest

KPI_RAW: dict[str, str] = {
    "countries": """iso3,name,itu_region,development_status
CHE,Switzerland,Europe,developed
KEN,Kenya,Africa,developing
BGD,Bangladesh,Asia-Pacific,LDC
USA,United States,Americas,developed
EGY,Egypt,Arab States,developing
""",
    "study_groups": """sg,study_period,title,successor_sg
SG17,2022-2024,Security,
SG17,2025-2028,Security,
SG5,2022-2024,"Environment, EMF and circular economy",
SG5,2025-2028,"Environment, EMF and circular economy",
""",
    "questions": """question,sg,study_period,title
Q4/17,SG17,2022-2024,Countering spam
Q6/17,SG17,2022-2024,Security for IoT
Q7/5,SG5,2022-2024,Circular economy
""",
    # MS-EGY's member name is not the country name: "Egypt" resolves by country name, "EGY" by ISO3.
    "members": """member_id,name,category,country_iso3,joined_on,left_on,sgs
MS-CHE,Switzerland,Member State,CHE,1947-01-01,,
MS-KEN,Kenya,Member State,KEN,1964-01-01,,
MS-BGD,Bangladesh,Member State,BGD,1973-01-01,,
MS-EGY,Arab Republic of Egypt,Member State,EGY,1947-01-01,,
SM-1,Alpha Networks Ltd,Sector Member,USA,2020-01-01,,SG17;SG5
SM-2,Beta Telecom GmbH,Sector Member,CHE,2022-06-01,2024-03-31,SG17
SM-3,Epsilon Systems Inc,Sector Member,EGY,2024-12-31,,SG17
AS-1,Gamma Labs,Associate,KEN,2023-02-01,,SG17
AS-2,Zeta Startup,Associate,USA,2022-03-01,2023-08-31,SG5
AC-1,University of Delta,Academia,BGD,2023-05-01,2025-12-31,SG17; SG5
""",
    "org_aliases": """alias,member_id
ANW,SM-1
Beta Tel,SM-2
""",
    # SG17-2023-2 starts on 30 Dec 2023 and ends in 2024: it is a 2023 meeting. SG17-2024-2 has no attendance.
    "meetings": """meeting_id,sg,kind,start_date,end_date,city,country_iso3,format
SG17-2022-1,SG17,SG,2022-05-02,2022-05-06,Geneva,CHE,hybrid
SG17-2022-2,SG17,WP,2022-11-14,2022-11-15,,,virtual
SG17-2023-1,SG17,SG,2023-03-06,2023-03-10,Geneva,CHE,hybrid
SG17-2023-2,SG17,RG,2023-12-30,2024-01-02,,,virtual
SG5-2023-1,SG5,SG,2023-05-15,2023-05-19,Geneva,CHE,hybrid
SG17-2024-1,SG17,workshop,2024-06-10,2024-06-11,Nairobi,KEN,physical
SG17-2024-2,SG17,CxO,2024-10-01,2024-10-01,Geneva,CHE,physical
SG5-2025-1,SG5,SG,2025-02-03,2025-02-07,Geneva,CHE,hybrid
""",
    # Rows 1..21 (numbered in the tests' comments in this order).
    "attendance": """meeting_id,participant_name,participant_email,organisation,country_iso3,role,mode,gender
SG17-2022-1,Ada Quill,ada@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F
SG17-2022-1,Bo Rennet,bo@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG17-2022-1,Cy Marl,,Kenya,KEN,delegate,remote,
SG17-2022-2,Ada Quill, Ada@Alpha.EXAMPLE ,ALPHA NETWORKS,USA,rapporteur,remote,F
SG17-2022-2,Ed Vane,ed@orbis.example,Orbis Consulting,EGY,delegate,remote,M
SG17-2023-1,Ada Quill,ada@alpha.example,ANW,USA,chair,on-site,F
SG17-2023-1,CY  MARL,,KEN,KEN,delegate,on-site,
SG17-2023-1,Di Sorrel,di@delta.example,University of Delta,BGD,delegate,remote,F
SG17-2023-1,Fay Tern,fay@gamma.example,Gamma Labs,KEN,delegate,remote,X
SG17-2023-2,Di Sorrel, DI@Delta.Example ,University of Delta,BGD,editor,on-site,F
SG17-2023-2,Hal Brisk,,OFCOM (Switzerland),CHE,delegate,remote,M
SG5-2023-1,Ada Quill,ada@alpha.example,Alpha Networks,USA,delegate,remote,F
SG5-2023-1,Bo Rennet,bo@beta.example,Beta Tel,CHE,delegate,on-site,M
SG5-2023-1,Gil Ostrander,gil@orbis.example,Orbis Consulting Ltd,EGY,delegate,on-site,
SG17-2024-1,Ada Quill,ada@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F
SG17-2024-1,Fay Tern,fay@gamma.example,Gamma Labs,KEN,delegate,on-site,X
SG17-2024-1,Ed Vane,ed@orbis.example,Orbis Consulting,EGY,delegate,remote,M
SG17-2024-1,Ivy Laurel,ivy@epsilon.example,"EPSILON SYSTEMS, INC.",EGY,delegate,on-site,F
SG5-2025-1,Bo Rennet,bo@beta.example,Beta Telecom,CHE,delegate,remote,M
SG5-2025-1,Jo Pike,,Bangladesh,BGD,delegate,remote,
SG5-2025-1,Jo Pike,,Kenya,KEN,delegate,on-site,M
""",
    "contributions": """document,sg,study_period,doc_type,meeting_id,submitted_on,questions,sources,title,counterpart,outcome
T22-SG17-LS-0001,SG17,2022-2024,LS-in,,2022-03-01,Q4/17,Switzerland,LS from a regional body,ETSI,
T22-SG17-C-0001,SG17,2022-2024,C,SG17-2022-1,2022-04-20,Q4/17,Alpha Networks Ltd,Spam proposal,,agreed
T22-SG17-C-0002,SG17,2022-2024,C,SG17-2022-1,2022-04-21,Q4/17; Q6/17; Q4/17,Alpha Networks Ltd; Beta Tel; Kenya,Joint IoT proposal,,agreed
T22-SG17-TD-0001,SG17,2022-2024,TD,SG17-2022-1,2022-05-02,Q6/17,Alpha Networks Ltd,Report of Q6/17,,
T22-SG17-C-0003,SG17,2022-2024,C,SG17-2023-1,2023-02-20,Q6/17,Beta Tel; Beta Telecom GmbH; University of Delta,Joint proposal,,noted
T22-SG17-C-0004,SG17,2022-2024,C,SG17-2023-1,2023-02-21,Q6/17,Orbis Consulting,Consultant view,,noted
T22-SG17-C-0005,SG17,2022-2024,C,SG17-2023-1,2023-02-22,Q6/17,Gamma Labs; KEN,Onboarding,,agreed
T22-SG17-TD-0002,SG17,2022-2024,TD,SG17-2023-1,2023-03-06,Q6/17,University of Delta,Editor's draft,,
T22-SG17-LS-0002,SG17,2022-2024,LS-out,SG17-2023-1,2023-03-10,Q6/17,Switzerland,LS to IETF on IoT,IETF,
T22-SG17-LS-0003,SG17,2022-2024,LS-in,,2023-06-01,Q4/17,3GPP,LS from 3GPP on spam,3GPP,
T22-SG17-C-0006,SG17,2022-2024,C,SG17-2023-2,2023-11-30,Q4/17,ANW,Spam metrics,,partly agreed
T22-SG5-C-0001,SG5,2022-2024,C,SG5-2023-1,2023-05-10,Q7/5,Alpha Networks Ltd; Orbis Consulting Ltd; University of Delta,E-waste metrics,,agreed
T22-SG5-C-0002,SG5,2022-2024,C,SG5-2023-1,2023-05-11,Q7/5,Kenya; Alpha Networks,Circularity,,noted
T22-SG17-C-0007,SG17,2022-2024,C,SG17-2024-1,2024-03-25,Q6/17,Epsilon Systems Inc; EGY,Device identity,,agreed
T22-SG17-C-0008,SG17,2022-2024,C,SG17-2024-1,2024-04-02,Q6/17,Egypt; Alpha Networks Ltd; University of Delta; Orbis Consulting,Four-way proposal,,agreed
T25-SG17-C-0001,SG17,2025-2028,C,,2025-01-15,,Gamma Labs,Early proposal,,
T25-SG17-LS-0001,SG17,2025-2028,LS-in,,2025-02-01,,3GPP,LS from 3GPP on identity,3GPP,
T25-SG5-TD-0001,SG5,2025-2028,TD,SG5-2025-1,2025-02-03,,Beta Telecom,Meeting report,,
""",
    # R1..R8 in this order. X.ghost is no known work item.
    "recommendations": """rec_id,approved_on,sg,question,title,kind,approval_process,status,work_item,abstract
X.1001,2023-09-01,SG17,Q6/17,IoT security framework,new,AAP,in force,X.iotsec,
X.1002,2023-10-01,SG17,Q4/17,Spam countering,revised,TAP,in force,X.spam,
X.1003,2023-11-15,SG17,Q4/17,Spam metrics,new,,in force,X.ghost,
X.1001,2024-05-01,SG17,Q6/17,IoT security framework Amd 1,amendment,AAP,in force,X.iotsec,
X.1002,2024-07-01,SG17,Q4/17,Spam countering Cor 1,corrigendum,TAP,in force,,
X.1004,2024-09-01,SG17,Q6/17,Device authentication,revised,AAP,in force,X.auth,
X.1005,2024-10-01,SG17,Q6/17,Security guidelines supplement,supplement,AAP,in force,X.ongo,
L.2001,2024-04-15,SG5,Q7/5,Green metrics,new,,in force,L.green,
""",
    "work_items": """work_item,sg,question,title,started_on,target_on,status,approved_as
X.iotsec,SG17,Q6/17,IoT security framework,2022-09-01,2023-12-31,approved,X.1001
X.spam,SG17,Q4/17,Spam countering,2022-01-10,,approved,X.1002
X.auth,SG17,Q6/17,Device authentication,2023-03-01,,approved,X.1004
X.ongo,SG17,Q6/17,Security guidelines,2023-06-01,,ongoing,
X.old,SG17,Q4/17,Abandoned item,2022-02-01,,deleted,
X.future,SG17,Q6/17,Next item,2025-03-01,,ongoing,
L.green,SG5,Q7/5,Green metrics,2023-01-16,,approved,L.2001
L.tbd,SG5,Q7/5,Circularity index,2024-02-01,,ongoing,
""",
}

# Names and e-mails of the fixture's people: no mart may contain any of them.
PERSONAL_STRINGS = (
    "Ada Quill",
    "Bo Rennet",
    "Cy Marl",
    "Di Sorrel",
    "Ed Vane",
    "Fay Tern",
    "Gil Ostrander",
    "Hal Brisk",
    "Ivy Laurel",
    "Jo Pike",
    "alpha.example",
    "beta.example",
    "orbis.example",
    "Quill",
    "Rennet",
    "Sorrel",
    "Brisk",
    "Pike",
)

KEY = b"marts-test-key-0123456789abcdef0"


def write_kpi_raw(raw_dir: Path) -> Path:
    from testkit import complete_dataset

    for table, text in KPI_RAW.items():
        folder = raw_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    # The fixture stands for complete data of 2022-2025 (see testkit.complete_dataset).
    (raw_dir / "DATASET.yaml").write_text(
        complete_dataset("2022-01-01", "2025-12-31", "KPI fixture"), encoding="utf-8"
    )
    return raw_dir


@functools.lru_cache(maxsize=1)
def kpi_warehouse() -> duckdb.DuckDBPyConnection:
    """The fixture's warehouse (in memory), built once per test session: ingest, then every SQL model."""
    from pipelines.ingest.load import ingest
    from pipelines.sql_models import build_all

    conn = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="sgpulse-marts-") as tmp:
        ingest(write_kpi_raw(Path(tmp) / "raw"), conn, KEY)
    build_all(conn)
    return conn


def records(conn: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    """Rows of a query as dicts (NULL -> None), fetched fully."""
    cursor = conn.cursor()
    result = cursor.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


# The KPI columns of marts.sg_year_kpis (and sector_year_kpis), as the contract lists them.
KPI_COLUMNS = (
    "meetings",
    "participants",
    "attendance_records",
    "remote_share",
    "countries",
    "organisations",
    "developing_share",
    "female_share",
    "newcomer_share",
    "retention",
    "contributions",
    "contributing_entities",
    "hhi",
    "elephant_factor",
    "industry_share",
    "academia_share",
    "developing_source_share",
    "ls_in",
    "ls_out",
    "recs_approved",
    "amendments",
    "aap_share",
    "median_cycle_days",
    "backlog",
)


def mismatches(actual: dict, expected: dict) -> list[str]:
    """Every column whose value differs (NULL must be NULL; floats compared with a tolerance)."""
    problems = []
    for column, want in expected.items():
        got = actual[column]
        if want is None:
            if not (got is None or (isinstance(got, float) and math.isnan(got))):
                problems.append(f"{column}: expected NULL, got {got!r}")
        elif got is None:
            problems.append(f"{column}: expected {want!r}, got NULL")
        elif got != pytest.approx(want, rel=1e-9, abs=1e-9):
            problems.append(f"{column}: expected {want!r}, got {got!r}")
    return problems
