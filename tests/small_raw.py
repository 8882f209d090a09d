"""A small, hand-checkable raw directory: every table, a few meetings, people, co-signed documents."""

from __future__ import annotations

from pathlib import Path

SMALL_RAW: dict[str, str] = {
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
""",
    "questions": """question,sg,study_period,title
Q4/17,SG17,2022-2024,Cybersecurity and countering spam
Q6/17,SG17,2022-2024,Security for telecommunication services and Internet of Things
Q1/21,SG21,2025-2028,Multimedia coordination
""",
    "members": """member_id,name,category,country_iso3,joined_on,left_on,sgs
MS-CHE,Switzerland,Member State,CHE,1947-01-01,,
MS-KEN,Kenya,Member State,KEN,1947-01-01,,
SM-1,Alpha Networks Ltd,Sector Member,USA,2020-01-01,,SG17;SG21
SM-2,Beta Telecom GmbH,Sector Member,CHE,2022-06-01,2024-03-31,SG17
AS-1,Gamma Labs,Associate,KEN,2023-02-01,,SG17
AC-1,University of Delta,Academia,BGD,2023-05-01,,SG17; SG21
""",
    "org_aliases": """alias,member_id
ANW,SM-1
Beta Tel,SM-2
""",
    "meetings": """meeting_id,sg,kind,start_date,end_date,city,country_iso3,format
SG17-2023-1,SG17,SG,2023-03-01,2023-03-10,Geneva,CHE,hybrid
SG17-2023-2,SG17,RG,2023-09-04,2023-09-05,,,virtual
SG17-2024-1,SG17,SG,2024-04-08,2024-04-12,Geneva,CHE,hybrid
SG21-2025-1,SG21,SG,2025-01-20,2025-01-24,Geneva,CHE,hybrid
""",
    "attendance": """meeting_id,participant_name,participant_email,organisation,country_iso3,role,mode,gender
SG17-2023-1,Ada Quill,ada.quill@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F
SG17-2023-1,Bo Rennet,bo.rennet@beta.example,Beta Telecom GmbH,CHE,delegate,remote,M
SG17-2023-1,Cy Marl,,Kenya,KEN,delegate,remote,
SG17-2023-1,Di Sorrel,di.sorrel@delta.example,University of Delta,BGD,delegate,on-site,F
SG17-2023-2,Ada Quill, Ada.Quill@Alpha.example ,ALPHA NETWORKS,USA,rapporteur,remote,F
SG17-2023-2,Ed Vane,ed.vane@orbis.example,Orbis Consulting,EGY,delegate,remote,M
SG17-2024-1,Ada Quill,ada.quill@alpha.example,ANW,USA,chair,on-site,F
SG17-2024-1,Cy Marl,,KEN,KEN,delegate,on-site,
SG17-2024-1,Fay Tern,fay.tern@gamma.example,Gamma Labs,KEN,delegate,remote,F
SG21-2025-1,Bo Rennet,bo.rennet@beta.example,Beta Tel,CHE,delegate,remote,M
""",
    "contributions": """document,sg,study_period,doc_type,meeting_id,submitted_on,questions,sources,title,counterpart,outcome
T22-SG17-C-0001,SG17,2022-2024,C,SG17-2023-1,2023-02-20,Q4/17,Alpha Networks Ltd,Proposal on spam,,agreed
T22-SG17-C-0002,SG17,2022-2024,C,SG17-2023-1,2023-02-21,Q4/17; Q6/17,Alpha Networks Ltd; Kenya,IoT security proposal,,agreed
T22-SG17-C-0003,SG17,2022-2024,C,SG17-2023-1,2023-02-22,Q6/17,Beta Tel; Beta Telecom GmbH; University of Delta,Joint proposal,,noted
T22-SG17-C-0004,SG17,2022-2024,C,SG17-2023-1,2023-02-23,Q6/17,Orbis Consulting,Consultant view,,noted
T22-SG17-TD-0001,SG17,2022-2024,TD,SG17-2023-1,2023-03-01,Q6/17,Alpha Networks Ltd,Report of Q6/17,,
T22-SG17-LS-0001,SG17,2022-2024,LS-in,,2023-01-15,Q4/17,Kenya,LS from 3GPP on spam,3GPP,
T22-SG17-LS-0002,SG17,2022-2024,LS-out,SG17-2023-1,2023-03-10,Q6/17,Switzerland,LS to IETF on IoT,IETF,
T22-SG17-C-0005,SG17,2022-2024,C,SG17-2024-1,2024-03-25,Q6/17,Gamma Labs; KEN,IoT onboarding,,agreed
""",
    "recommendations": """rec_id,approved_on,sg,question,title,kind,approval_process,status,work_item,abstract
X.1001,2023-09-01,SG17,Q6/17,IoT security framework,new,AAP,in force,X.iotsec,Framework for IoT security
X.1002,2023-10-01,SG17,Q4/17,Spam countering,revised,TAP,in force,,
X.1001,2024-05-01,SG17,Q6/17,IoT security framework Amd 1,amendment,AAP,in force,,
""",
    "work_items": """work_item,sg,question,title,started_on,target_on,status,approved_as
X.iotsec,SG17,Q6/17,IoT security framework,2022-09-01,2023-12-31,approved,X.1001
X.spam2,SG17,Q4/17,Spam countering v2,2023-01-01,2024-06-30,ongoing,
X.old,SG17,Q4/17,Abandoned item,2022-01-10,,deleted,
""",
}

# Names and e-mails of the fixture's people: no warehouse table may contain any of them.
PERSONAL_STRINGS = (
    "Ada Quill",
    "Bo Rennet",
    "Cy Marl",
    "Di Sorrel",
    "Ed Vane",
    "Fay Tern",
    "ada.quill",
    "bo.rennet",
    "di.sorrel",
    "ed.vane",
    "fay.tern",
    "Quill",
    "Rennet",
)


def write_small_raw(raw_dir: Path, overrides: dict[str, str] | None = None) -> Path:
    """Write the small raw directory (one CSV per table, DATASET.yaml), with optional per-table replacements."""
    from testkit import complete_dataset

    tables = {**SMALL_RAW, **(overrides or {})}
    for table, text in tables.items():
        folder = raw_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    # The fixture stands for complete data of 2022-2025 (see testkit.complete_dataset).
    (raw_dir / "DATASET.yaml").write_text(
        complete_dataset("2022-01-01", "2025-12-31", "small fixture"), encoding="utf-8"
    )
    return raw_dir
