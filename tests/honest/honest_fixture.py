# ruff: noqa: E501 - the CSV rows below are data, one row per line
"""A small raw directory with history: SG9 before WTSA-24, SG21 after it, a partial year, an importer's window.

Every expected number of tests/honest is worked out here:
- meetings run 2022-01-10 .. 2025-12-12 (meetings and attendance cover 2022-2025 in full);
- contributions run 2022-11-21 .. 2025-12-01: 2022 is a partial year for contributions (10 months missing);
- recommendations and their approval process are declared (DATASET.yaml `coverage:`, as the importers write
  it) from 2023-01-01 to 2024-12-31: 2022 and 2025 are not covered, so recs_approved is NULL there, never 0;
- SG9 (until 2024-10-24) had 3 participants in 2023 and 6 in 2024; SG21 (from 2024-10-25, SG9's successor) has
  8 in 2025, 3 of them SG9 people; SG21 has one document in 2024 (after it existed), so it has a 2024 row of
  its own with 0 participants: its lineage series has SG9's 6 participants in 2024 (at least 5 a year, so the
  small-cell rule of the briefs does not hide them);
- SG17 2023: one new Recommendation with a known work item (median cycle time on n = 1) and two texts with a
  known approval process (AAP share on n = 2): too few for a status;
- SG17 2024: ten texts, six AAP and four with no approval process known: AAP share 100 % of the six known,
  coverage 60 %, so at most 100 %;
- one Recommendation of SG21 approved 2015-03-01 and one SG9 meeting on 2024-11-11: quarantined, SG21 did not
  exist yet and SG9 no longer existed.
"""

from __future__ import annotations

from pathlib import Path

HISTORY_RAW: dict[str, str] = {
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
SG9,2022-2024,Broadband cable and TV,SG21
SG21,2025-2028,"Technologies for multimedia, content delivery and cable television",
TSAG,2022-2024,Telecommunication Standardization Advisory Group,
TSAG,2025-2028,Telecommunication Standardization Advisory Group,
""",
    "questions": """question,sg,study_period,title
Q4/17,SG17,2022-2024,Cybersecurity and countering spam
Q6/17,SG17,2022-2024,Security for telecommunication services and Internet of Things
Q1/9,SG9,2022-2024,Television and sound transmission over cable networks
Q1/21,SG21,2025-2028,Multimedia coordination and cable television
""",
    "members": """member_id,name,category,country_iso3,joined_on,left_on,sgs
MS-CHE,Switzerland,Member State,CHE,1947-01-01,,
MS-KEN,Kenya,Member State,KEN,1947-01-01,,
SM-1,Alpha Networks Ltd,Sector Member,USA,2020-01-01,,SG17;SG21
SM-2,Beta Telecom GmbH,Sector Member,CHE,2020-06-01,,SG17;SG21
AS-1,Gamma Labs,Associate,KEN,2021-02-01,,SG17
AC-1,University of Delta,Academia,BGD,2021-05-01,,SG17; SG21
""",
    "org_aliases": """alias,member_id
ANW,SM-1
""",
    "meetings": """meeting_id,sg,kind,start_date,end_date,city,country_iso3,format
SG17-2022-1,SG17,SG,2022-01-10,2022-01-14,Geneva,CHE,hybrid
SG17-2023-1,SG17,SG,2023-03-01,2023-03-10,Geneva,CHE,hybrid
SG9-2023-1,SG9,SG,2023-05-02,2023-05-05,Geneva,CHE,hybrid
SG17-2024-1,SG17,SG,2024-04-08,2024-04-12,Geneva,CHE,hybrid
SG9-2024-1,SG9,SG,2024-05-06,2024-05-10,Geneva,CHE,hybrid
SG9-2024-2,SG9,SG,2024-11-11,2024-11-15,Geneva,CHE,hybrid
SG21-2025-1,SG21,SG,2025-01-20,2025-01-24,Geneva,CHE,hybrid
SG17-2025-1,SG17,SG,2025-12-08,2025-12-12,Geneva,CHE,hybrid
""",
    "attendance": """meeting_id,participant_name,participant_email,organisation,country_iso3,role,mode,gender
SG17-2022-1,Ada Quill,ada@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F
SG17-2022-1,Bo Rennet,bo@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG17-2023-1,Ada Quill,ada@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F
SG17-2023-1,Bo Rennet,bo@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG17-2023-1,Di Sorrel,di@delta.example,University of Delta,BGD,delegate,on-site,F
SG9-2023-1,Gus Heron,gus@alpha.example,Alpha Networks Ltd,USA,chair,on-site,M
SG9-2023-1,Hal Ibis,hal@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG9-2023-1,Ivy Jay,ivy@kenya.example,Kenya,KEN,delegate,remote,F
SG17-2024-1,Ada Quill,ada@alpha.example,ANW,USA,chair,on-site,F
SG17-2024-1,Fay Tern,fay@gamma.example,Gamma Labs,KEN,delegate,remote,F
SG9-2024-1,Gus Heron,gus@alpha.example,Alpha Networks Ltd,USA,chair,on-site,M
SG9-2024-1,Hal Ibis,hal@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG9-2024-1,Ivy Jay,ivy@kenya.example,Kenya,KEN,delegate,remote,F
SG9-2024-1,Kit Lark,kit@delta.example,University of Delta,BGD,delegate,on-site,F
SG9-2024-1,Oto Pike,oto@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG9-2024-1,Pam Quail,pam@kenya.example,Kenya,KEN,delegate,on-site,F
SG9-2024-2,Gus Heron,gus@alpha.example,Alpha Networks Ltd,USA,chair,on-site,M
SG21-2025-1,Gus Heron,gus@alpha.example,Alpha Networks Ltd,USA,chair,on-site,M
SG21-2025-1,Hal Ibis,hal@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG21-2025-1,Kit Lark,kit@delta.example,University of Delta,BGD,delegate,on-site,F
SG21-2025-1,Max Newt,max@alpha.example,Alpha Networks Ltd,USA,delegate,remote,M
SG21-2025-1,Nia Oriole,nia@kenya.example,Kenya,KEN,delegate,remote,F
SG21-2025-1,Rex Swift,rex@delta.example,University of Delta,BGD,delegate,remote,M
SG21-2025-1,Sue Teal,sue@beta.example,Beta Telecom GmbH,CHE,delegate,on-site,F
SG21-2025-1,Uma Vole,uma@alpha.example,Alpha Networks Ltd,USA,delegate,remote,F
SG17-2025-1,Ada Quill,ada@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F
""",
    "contributions": """document,sg,study_period,doc_type,meeting_id,submitted_on,questions,sources,title,counterpart,outcome
T22-SG17-C-0001,SG17,2022-2024,C,SG17-2023-1,2022-11-21,Q4/17,Alpha Networks Ltd,Proposal on spam,,agreed
T22-SG17-C-0002,SG17,2022-2024,C,SG17-2023-1,2023-02-21,Q4/17; Q6/17,Alpha Networks Ltd; Kenya,IoT security proposal,,agreed
T22-SG17-C-0003,SG17,2022-2024,C,SG17-2023-1,2023-02-22,Q6/17,Beta Telecom GmbH; University of Delta,Joint proposal,,noted
T22-SG9-C-0001,SG9,2022-2024,C,SG9-2023-1,2023-04-20,Q1/9,Alpha Networks Ltd,Cable television proposal,,agreed
T22-SG9-C-0002,SG9,2022-2024,C,SG9-2024-1,2024-04-22,Q1/9,Beta Telecom GmbH,Cable access proposal,,agreed
T22-SG17-C-0004,SG17,2022-2024,C,SG17-2024-1,2024-03-25,Q6/17,Gamma Labs; KEN,IoT onboarding,,agreed
T25-SG21-C-0001,SG21,2025-2028,C,SG21-2025-1,2024-11-15,Q1/21,Alpha Networks Ltd,Multimedia work plan,,agreed
T25-SG21-C-0002,SG21,2025-2028,C,SG21-2025-1,2025-01-10,Q1/21,Beta Telecom GmbH,Cable television update,,agreed
T25-SG17-C-0001,SG17,2025-2028,C,SG17-2025-1,2025-12-01,Q4/17,Alpha Networks Ltd,Spam update,,agreed
""",
    "recommendations": """rec_id,approved_on,sg,question,title,kind,approval_process,status,work_item,abstract
X.1001,2023-09-01,SG17,Q6/17,IoT security framework,new,AAP,in force,X.iotsec,Framework for IoT security
X.1002,2023-10-01,SG17,Q4/17,Spam countering,revised,TAP,in force,,
X.1011,2024-02-01,SG17,Q6/17,Text 11,new,AAP,in force,,
X.1012,2024-02-02,SG17,Q6/17,Text 12,new,AAP,in force,,
X.1013,2024-02-03,SG17,Q6/17,Text 13,new,AAP,in force,,
X.1014,2024-02-04,SG17,Q6/17,Text 14,new,AAP,in force,,
X.1015,2024-02-05,SG17,Q6/17,Text 15,new,AAP,in force,,
X.1016,2024-02-06,SG17,Q6/17,Text 16,new,AAP,in force,,
X.1017,2024-02-07,SG17,Q6/17,Text 17,new,,in force,,
X.1018,2024-02-08,SG17,Q6/17,Text 18,new,,in force,,
X.1019,2024-02-09,SG17,Q6/17,Text 19,new,,in force,,
X.1020,2024-02-10,SG17,Q6/17,Text 20,new,,in force,,
J.1,2015-03-01,SG21,,Cable text of 2015,new,AAP,in force,,
""",
    "work_items": """work_item,sg,question,title,started_on,target_on,status,approved_as
X.iotsec,SG17,Q6/17,IoT security framework,2022-09-01,2023-12-31,approved,X.1001
X.spam2,SG17,Q4/17,Spam countering v2,2023-01-01,2024-06-30,ongoing,
J.cable,SG21,Q1/21,Cable work moved from SG9,2023-06-01,2026-06-30,ongoing,
""",
}

# DATASET.yaml of the fixture: synthetic, except the Recommendations, real and imported with a window.
DATASET_YAML = """name: honest-evidence fixture
synthetic: true
notice: "SAMPLE DATA — synthetic: a test fixture."
domains:
  recommendations: real
coverage:
  recommendations: {from: 2023-01-01, to: 2024-12-31, source: "test importer window"}
  approval_process: {from: 2023-01-01, to: 2024-12-31, source: "test bulletin window"}
"""


def write_history_raw(
    raw_dir: Path, overrides: dict[str, str] | None = None, dataset: str = DATASET_YAML
) -> Path:
    """Write the history raw directory (one CSV per table) and its DATASET.yaml."""
    for table, text in {**HISTORY_RAW, **(overrides or {})}.items():
        folder = raw_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    (raw_dir / "DATASET.yaml").write_text(dataset, encoding="utf-8")
    return raw_dir
