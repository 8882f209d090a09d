# ruff: noqa: E501 - the CSV rows below are data, one row per line
"""Fixtures for tests/analytics: a hand-built two-SG raw directory, tiny KPI series, and the bundled sample.

The merge fixture (every expected number in the tests is worked out here):
  2024, study period 2022-2024, three SGs: SG13, SG20, SG17.
  Attendance  SG13: Ann (Alpha, USA), Ben (Beta, CHE), Cat (Kenya, KEN)
              SG20: Ann (Alpha, USA), Dan (Gamma, IND), Eve (Univ, KEN)
              SG17: Fox (Alpha, USA)
    merged SG13+SG20: participants 5 (6 summed, Ann in both); organisations 5 (Alpha in both);
    countries 4 (USA, CHE, KEN, IND; USA and KEN in both); regions 4.
  Contributions (C) SG13: C1 Alpha | C2 Alpha + Beta | C3 Beta          -> Alpha 1.5, Beta 1.5: HHI 5000
                    SG20: C4 Alpha + Gamma | C5 Gamma | C6 Alpha        -> Alpha 1.5, Gamma 1.5: HHI 5000
    merged: 6 documents; Alpha 3, Beta 1.5, Gamma 1.5 of 6 -> shares .5 .25 .25 -> HHI 2500+625+625 = 3750,
    elephant factor 1, contributing entities 3 (4 summed, Alpha in both).
  Split of SG13 moving Q2/13: C3 (Q2/13 only) moves; C2 (Q1/13 and Q2/13) stays; work item W13b and
    Recommendation Y.2 (Q2/13) move.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
# The bundled sample (written by pipelines.sample.generate); SGPULSE_TEST_SAMPLE_RAW points elsewhere.
SAMPLE_RAW = Path(os.environ.get("SGPULSE_TEST_SAMPLE_RAW") or REPO / "data" / "raw")
REAL_DATA = REPO.parent / "shared" / "real-data"

MERGE_RAW: dict[str, str] = {
    "countries": """iso3,name,itu_region,development_status
CHE,Switzerland,Europe,developed
KEN,Kenya,Africa,developing
USA,United States,Americas,developed
IND,India,Asia-Pacific,developing
""",
    "study_groups": """sg,study_period,title,successor_sg
SG13,2022-2024,Future networks,
SG20,2022-2024,IoT and smart cities,
SG17,2022-2024,Security,
""",
    "questions": """question,sg,study_period,title
Q1/13,SG13,2022-2024,Future networks and cloud computing
Q2/13,SG13,2022-2024,Network slicing and edge computing for IoT
Q1/20,SG20,2022-2024,Internet of things and smart cities platform
Q1/17,SG17,2022-2024,Countering spam and malware
""",
    "members": """member_id,name,category,country_iso3,joined_on,left_on,sgs
MS-KEN,Kenya,Member State,KEN,1947-01-01,,
SM-1,Alpha Networks,Sector Member,USA,2020-01-01,,SG13;SG20;SG17
SM-2,Beta Telecom,Sector Member,CHE,2020-01-01,,SG13;SG17
SM-3,Gamma Systems,Sector Member,IND,2020-01-01,,SG20
AC-1,University of Delta,Academia,KEN,2020-01-01,,SG20
""",
    "org_aliases": """alias,member_id
ANW,SM-1
""",
    "meetings": """meeting_id,sg,kind,start_date,end_date,city,country_iso3,format
SG13-2024-1,SG13,SG,2024-03-04,2024-03-08,Geneva,CHE,hybrid
SG20-2024-1,SG20,SG,2024-04-08,2024-04-12,Geneva,CHE,hybrid
SG17-2024-1,SG17,SG,2024-05-06,2024-05-10,Geneva,CHE,hybrid
""",
    "attendance": """meeting_id,participant_name,participant_email,organisation,country_iso3,role,mode,gender
SG13-2024-1,Ann Aster,ann@alpha.example,Alpha Networks,USA,delegate,on-site,F
SG13-2024-1,Ben Birch,ben@beta.example,Beta Telecom,CHE,delegate,remote,M
SG13-2024-1,Cat Cedar,cat@ken.example,Kenya,KEN,delegate,on-site,F
SG20-2024-1,Ann Aster,ann@alpha.example,ANW,USA,chair,on-site,F
SG20-2024-1,Dan Dogwood,dan@gamma.example,Gamma Systems,IND,delegate,remote,M
SG20-2024-1,Eve Elm,eve@delta.example,University of Delta,KEN,delegate,on-site,F
SG17-2024-1,Fox Fir,fox@alpha.example,Alpha Networks,USA,delegate,on-site,M
""",
    "contributions": """document,sg,study_period,doc_type,meeting_id,submitted_on,questions,sources,title,counterpart,outcome
T22-SG13-C-0001,SG13,2022-2024,C,SG13-2024-1,2024-02-20,Q1/13,Alpha Networks,Cloud proposal,,agreed
T22-SG13-C-0002,SG13,2022-2024,C,SG13-2024-1,2024-02-21,Q1/13; Q2/13,Alpha Networks; Beta Telecom,Joint slicing proposal,,agreed
T22-SG13-C-0003,SG13,2022-2024,C,SG13-2024-1,2024-02-22,Q2/13,Beta Telecom,Edge proposal,,noted
T22-SG13-LS-0001,SG13,2022-2024,LS-in,,2024-01-10,Q1/13,3GPP,LS on slicing,3GPP,
T22-SG20-C-0001,SG20,2022-2024,C,SG20-2024-1,2024-03-20,Q1/20,ANW; Gamma Systems,IoT platform proposal,,agreed
T22-SG20-C-0002,SG20,2022-2024,C,SG20-2024-1,2024-03-21,Q1/20,Gamma Systems,Smart city proposal,,agreed
T22-SG20-C-0003,SG20,2022-2024,C,SG20-2024-1,2024-03-22,Q1/20,Alpha Networks,Digital twin proposal,,noted
T22-SG17-C-0001,SG17,2022-2024,C,SG17-2024-1,2024-04-20,Q1/17,Alpha Networks,Spam proposal,,agreed
T22-SG17-C-0002,SG17,2022-2024,C,SG17-2024-1,2024-04-21,Q1/17,Beta Telecom,Malware proposal,,agreed
""",
    "recommendations": """rec_id,approved_on,sg,question,title,kind,approval_process,status,work_item,abstract
Y.1,2024-03-08,SG13,Q1/13,Cloud computing framework,new,TAP,in force,W13a,Framework for cloud computing in future networks
Y.2,2024-06-01,SG13,Q2/13,Network slicing for IoT,new,AAP,in force,W13b,Network slicing and edge computing for the internet of things
Y.4,2024-06-01,SG20,Q1/20,IoT smart city platform,new,AAP,in force,W20a,Internet of things platform for smart cities and edge computing
X.1,2024-07-01,SG17,Q1/17,Spam countering,new,AAP,in force,W17a,Countering spam and malware
""",
    "work_items": """work_item,sg,question,title,started_on,target_on,status,approved_as
W13a,SG13,Q1/13,Cloud computing framework,2022-03-08,2024-06-30,approved,Y.1
W13b,SG13,Q2/13,Network slicing for IoT,2022-06-01,2024-06-30,approved,Y.2
W13c,SG13,Q2/13,Edge computing for IoT,2023-01-01,2024-01-31,ongoing,
W20a,SG20,Q1/20,IoT smart city platform,2023-06-01,2024-12-31,approved,Y.4
W17a,SG17,Q1/17,Spam countering,2023-07-01,2025-12-31,approved,X.1
""",
}


def write_raw(raw_dir: Path, tables: dict[str, str]) -> Path:
    from testkit import complete_dataset

    for table, text in tables.items():
        folder = raw_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    # A hand-made fixture stands for complete data of its years (see testkit.complete_dataset).
    (raw_dir / "DATASET.yaml").write_text(
        complete_dataset("2016-01-01", "2025-12-31", "analytics fixture"), encoding="utf-8"
    )
    return raw_dir


@functools.lru_cache(maxsize=1)
def merge_warehouse() -> duckdb.DuckDBPyConnection:
    """The merge fixture's warehouse (in memory), with every SQL model and Python mart; built once."""
    from testkit import build_warehouse

    with tempfile.TemporaryDirectory(prefix="sgpulse-analytics-") as tmp:
        return build_warehouse(write_raw(Path(tmp) / "raw", MERGE_RAW))


@functools.lru_cache(maxsize=1)
def _sample_warehouse() -> duckdb.DuckDBPyConnection:
    from testkit import build_warehouse

    return build_warehouse(SAMPLE_RAW)


def sample_warehouse() -> duckdb.DuckDBPyConnection:
    """The bundled sample's warehouse, built once per session; skips where the sample is absent."""
    if not (SAMPLE_RAW / "DATASET.yaml").exists():
        pytest.skip(f"the bundled sample is absent ({SAMPLE_RAW}/DATASET.yaml); run `sgpulse sample`")
    return _sample_warehouse()


def series(rows: dict[str, dict[int, dict[str, float]]]) -> pd.DataFrame:
    """A KPI series from {sg: {year: {kpi: value}}} (missing KPIs are NaN)."""
    records = [{"sg": sg, "year": year, **kpis} for sg, years in rows.items() for year, kpis in years.items()]
    return pd.DataFrame.from_records(records)


def relevance_config(**overrides):
    """A small relevance configuration: two components of one or two indicators each."""
    from pipelines.analytics.targets import Relevance

    data = {
        "components": {
            "participation": {
                "weight": 1,
                "indicators": [{"kpi": "participants", "direction": "higher is better", "weight": 1}],
            },
            "output": {
                "weight": 1,
                "indicators": [
                    {"kpi": "recs_approved", "direction": "higher is better", "weight": 1},
                    {"kpi": "median_cycle_days", "direction": "lower is better", "weight": 1},
                ],
            },
        },
        "level_years": 1,
        "trend_years": 5,
        "sensitivity_draws": 200,
    }
    data.update(overrides)
    return Relevance.model_validate(data)
