"""Deterministic generator of the bundled SYNTHETIC raw sample (`data/raw/`).

Real: study groups, Questions and countries (the committed reference files next to this module).
Fictional: every organisation, person, meeting list, contribution, work item and Recommendation number.
Magnitudes are calibrated on published ITU-T figures and five stories are planted on purpose; the
`README.md` this module writes next to the data documents them with the numbers measured on the output.

    python -m pipelines.sample.generate --out data/raw --scale 1 --seed 20250301

The output is byte-for-byte identical for the same seed and scale (no clock, no hash or set order).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import re
import sys
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.ingest.tables import TABLES_BY_NAME

DEFAULT_SEED = 20250301
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
YEARS = tuple(range(2016, 2026))
SAMPLE_END = np.datetime64("2025-12-31")
TABLES = (
    "study_groups",
    "questions",
    "countries",
    "members",
    "org_aliases",
    "meetings",
    "attendance",
    "contributions",
    "recommendations",
    "work_items",
)
PERIOD_PREFIX = {"2017-2020": "T17", "2022-2024": "T22", "2025-2028": "T25"}
# Simulation order matters: SG13 before SG20 (SG20 recruits from SG13), SG9/SG16 before SG21 (merger),
# TSAG last (it recruits study-group people).
SG_ORDER = (
    "SG2",
    "SG3",
    "SG5",
    "SG9",
    "SG11",
    "SG12",
    "SG13",
    "SG15",
    "SG16",
    "SG17",
    "SG20",
    "SG21",
    "TSAG",
)
# Registration columns (SG21 = SG9 or SG16 registration, from 2025).
BASE_SGS = ("SG2", "SG3", "SG5", "SG9", "SG11", "SG12", "SG13", "SG15", "SG16", "SG17", "SG20", "TSAG")
NOTICE = (
    "SAMPLE DATA — synthetic: fictional organisations and people; real study groups, Questions and "
    "countries; magnitudes calibrated on published ITU-T figures."
)
ROLE_NAMES = (
    "delegate",
    "chair",
    "vice-chair",
    "rapporteur",
    "associate rapporteur",
    "editor",
    "TSB",
    "liaison",
)
GIANT_SHARES = (0.32, 0.16, 0.12)  # SG15's three dominant contributors (share of C primary sources)


def period_of(year: int) -> str:
    """Study period of a calendar year (2016 is mapped onto 2017-2020; 2021 belongs to 2017-2020)."""
    if year <= 2021:
        return "2017-2020"
    return "2022-2024" if year <= 2024 else "2025-2028"


def sg_years(sg: str) -> tuple[int, ...]:
    if sg in ("SG9", "SG16"):
        return tuple(y for y in YEARS if y <= 2024)
    if sg == "SG21":
        return (2025,)
    return YEARS


@dataclass(frozen=True)
class Profile:
    plenary_size: int  # participants per plenary (scale 1)
    plenaries: tuple[int, int]  # min, max plenaries per year
    contributions: int  # C per plenary
    td_ratio: float  # TDs per C
    ls_in: int  # incoming liaison statements per plenary
    ls_out: int
    rg: int  # rapporteur-group meetings per year (scale 1)
    wp: int  # separate working-party meetings per year (scale 1)
    ms_share: float  # share of delegates from Member State delegations
    ms_con_share: float  # share of C primary sources that are Member States
    work_items: int  # work items started per year
    months: tuple[int, int]  # plenary months (first, second)
    trend: float  # yearly growth factor of participants and contributions
    tap_share: float  # share of Recommendations approved by TAP


PROFILES: dict[str, Profile] = {
    "SG2": Profile(165, (1, 2), 75, 1.5, 100, 35, 2, 1, 0.50, 0.45, 10, (2, 9), 1.00, 0.45),
    "SG3": Profile(150, (1, 1), 62, 1.1, 22, 12, 2, 0, 0.65, 0.70, 6, (4, 4), 0.90, 0.85),
    "SG5": Profile(140, (1, 2), 58, 1.15, 30, 15, 3, 1, 0.50, 0.45, 20, (5, 11), 1.02, 0.08),
    "SG9": Profile(95, (1, 1), 36, 1.15, 20, 10, 2, 0, 0.45, 0.25, 12, (6, 6), 0.97, 0.08),
    "SG11": Profile(175, (2, 2), 62, 1.15, 35, 15, 3, 1, 0.45, 0.40, 22, (3, 10), 1.00, 0.08),
    "SG12": Profile(140, (1, 2), 75, 1.2, 48, 18, 3, 1, 0.50, 0.22, 22, (5, 11), 1.00, 0.08),
    "SG13": Profile(352, (2, 2), 255, 1.25, 60, 40, 4, 1, 0.35, 0.30, 40, (3, 7), 1.00, 0.08),
    "SG15": Profile(352, (2, 2), 320, 1.15, 60, 40, 4, 1, 0.20, 0.12, 55, (4, 11), 1.00, 0.08),
    "SG16": Profile(205, (1, 2), 100, 1.15, 40, 20, 3, 1, 0.30, 0.25, 30, (1, 7), 0.99, 0.08),
    "SG17": Profile(225, (2, 2), 105, 1.2, 45, 20, 3, 1, 0.40, 0.35, 28, (3, 9), 1.00, 0.08),
    "SG20": Profile(150, (1, 2), 75, 1.15, 35, 15, 3, 1, 0.40, 0.35, 22, (4, 12), 1.025, 0.08),
    "SG21": Profile(290, (2, 2), 150, 1.15, 60, 30, 4, 1, 0.30, 0.25, 40, (1, 7), 1.00, 0.08),
    "TSAG": Profile(215, (1, 2), 38, 1.2, 20, 10, 1, 0, 0.60, 0.80, 3, (1, 6), 1.00, 0.30),
}
SG3_DECLINE = 0.90  # planted story 1: SG3 loses 10 % of participants and contributions a year
SG5_DEV_SHARE = {y: round(0.22 + 0.0375 * (y - 2016), 4) for y in YEARS}  # story 4 (0.25 in 2017 -> 0.55)
SG11_STUCK = 0.34  # story 5: share of SG11 work items (started 2015+) that never leave `ongoing`

# Member-State activity (delegates, contributions); every other country gets a small default weight.
MS_ACTIVITY = {
    "CHN": 10,
    "KOR": 7,
    "USA": 6,
    "JPN": 5,
    "RUS": 5,
    "IND": 4,
    "DEU": 3,
    "FRA": 3,
    "GBR": 3,
    "BRA": 2.2,
    "CAN": 2,
    "ITA": 2,
    "EGY": 2,
    "SAU": 2,
    "IRN": 2,
    "ARE": 1.6,
    "ESP": 1.5,
    "SWE": 1.5,
    "FIN": 1.5,
    "CHE": 1.5,
    "NLD": 1,
    "TUR": 1,
    "KEN": 1.2,
    "NGA": 1.2,
    "ZAF": 1.2,
    "TUN": 1,
    "MAR": 0.8,
    "SEN": 0.8,
    "CIV": 0.6,
    "GHA": 0.6,
    "RWA": 0.6,
    "UGA": 0.5,
    "TZA": 0.5,
    "ARG": 0.8,
    "MEX": 0.8,
    "COL": 0.6,
    "CHL": 0.5,
    "IDN": 1,
    "MYS": 0.8,
    "THA": 0.8,
    "VNM": 0.8,
    "PAK": 0.8,
    "BGD": 0.6,
    "KAZ": 0.6,
    "UZB": 0.5,
    "BLR": 0.6,
    "AZE": 0.4,
    "AUS": 1,
    "SGP": 0.8,
    "ISR": 0.5,
    "POL": 0.6,
    "CZE": 0.4,
    "HUN": 0.4,
    "PRT": 0.5,
    "BEL": 0.5,
    "AUT": 0.5,
    "NOR": 0.6,
    "DNK": 0.5,
    "IRL": 0.4,
    "QAT": 0.6,
    "OMN": 0.5,
    "JOR": 0.4,
    "LBN": 0.3,
    "SDN": 0.4,
    "BFA": 0.4,
    "CMR": 0.4,
    "COD": 0.4,
    "ZWE": 0.3,
    "ZMB": 0.3,
    "CUB": 0.3,
    "KGZ": 0.3,
    "ARM": 0.3,
    "UKR": 0.5,
    "ROU": 0.4,
    "BHR": 0.4,
    "KWT": 0.4,
}
# Where companies are registered (Sector Members / Associates); academia is flatter (see _make_orgs).
ORG_COUNTRIES = {
    "CHN": 16,
    "USA": 14,
    "JPN": 9,
    "KOR": 8,
    "DEU": 6,
    "FRA": 5,
    "GBR": 5,
    "IND": 4,
    "CAN": 3,
    "ITA": 3,
    "SWE": 3,
    "FIN": 3,
    "RUS": 2.5,
    "ESP": 2,
    "CHE": 2.5,
    "BRA": 2,
    "NLD": 2,
    "ISR": 1.5,
    "AUS": 1.2,
    "BEL": 1,
    "AUT": 0.8,
    "NOR": 0.8,
    "DNK": 0.6,
    "IRL": 0.8,
    "SGP": 1.2,
    "ARE": 1,
    "SAU": 1,
    "EGY": 0.8,
    "TUR": 0.8,
    "ZAF": 0.8,
    "NGA": 0.6,
    "KEN": 0.6,
    "TUN": 0.5,
    "MAR": 0.5,
    "ARG": 0.5,
    "MEX": 0.6,
    "COL": 0.3,
    "CHL": 0.3,
    "IDN": 0.6,
    "MYS": 0.5,
    "THA": 0.4,
    "VNM": 0.4,
    "PAK": 0.4,
    "KAZ": 0.3,
    "UZB": 0.3,
    "BLR": 0.3,
    "POL": 0.5,
    "CZE": 0.3,
    "PRT": 0.4,
    "QAT": 0.4,
    "IRN": 0.5,
    "SEN": 0.3,
    "GHA": 0.3,
    "RWA": 0.3,
    "CIV": 0.3,
    "UGA": 0.2,
    "URY": 0.2,
    "PER": 0.2,
    "BGD": 0.3,
    "LKA": 0.2,
    "JOR": 0.2,
    "OMN": 0.2,
    "AZE": 0.2,
    "ARM": 0.2,
    "GEO": 0.2,
    "UKR": 0.4,
    "ROU": 0.3,
    "GRC": 0.3,
    "HUN": 0.3,
    "CMR": 0.2,
    "ETH": 0.2,
    "TZA": 0.2,
    "BOL": 0.1,
    "NPL": 0.1,
    "KHM": 0.1,
    "MNG": 0.1,
}
HOST_CITIES = (
    ("Seoul", "KOR"),
    ("Tokyo", "JPN"),
    ("Beijing", "CHN"),
    ("Hangzhou", "CHN"),
    ("Berlin", "DEU"),
    ("Sophia Antipolis", "FRA"),
    ("Madrid", "ESP"),
    ("Rome", "ITA"),
    ("Stockholm", "SWE"),
    ("Helsinki", "FIN"),
    ("Ottawa", "CAN"),
    ("Brasília", "BRA"),
    ("New Delhi", "IND"),
    ("Moscow", "RUS"),
    ("Cairo", "EGY"),
    ("Nairobi", "KEN"),
    ("Kigali", "RWA"),
    ("Tunis", "TUN"),
    ("Dubai", "ARE"),
    ("Riyadh", "SAU"),
    ("Bangkok", "THA"),
    ("Hanoi", "VNM"),
    ("Montevideo", "URY"),
    ("Abuja", "NGA"),
    ("Lisbon", "PRT"),
)
# Registration affinity: P(an organisation whose main SG is row also registers in column).
AFFINITY = {
    "SG13": {"SG20": 0.65, "SG17": 0.15, "SG11": 0.15, "SG15": 0.12, "SG16": 0.06, "SG12": 0.06, "SG2": 0.05},
    "SG20": {"SG13": 0.70, "SG17": 0.10, "SG16": 0.05, "SG5": 0.07, "SG11": 0.07},
    "SG15": {"SG13": 0.10, "SG5": 0.08, "SG9": 0.04, "SG12": 0.03},
    "SG16": {"SG9": 0.22, "SG12": 0.12, "SG13": 0.05, "SG17": 0.05},
    "SG9": {"SG16": 0.35, "SG15": 0.05, "SG12": 0.06},
    "SG17": {"SG13": 0.12, "SG20": 0.06, "SG16": 0.04, "SG11": 0.06},
    "SG12": {"SG16": 0.12, "SG13": 0.05, "SG9": 0.05, "SG11": 0.05},
    "SG11": {"SG13": 0.12, "SG17": 0.08, "SG12": 0.05, "SG2": 0.05},
    "SG5": {"SG15": 0.08, "SG20": 0.04, "SG3": 0.04},
    "SG2": {"SG3": 0.18, "SG11": 0.05, "SG12": 0.05, "SG13": 0.04},
    "SG3": {"SG2": 0.22, "SG5": 0.04},
}
PRIMARY_SG = {
    "SG2": 0.06,
    "SG3": 0.04,
    "SG5": 0.08,
    "SG9": 0.05,
    "SG11": 0.07,
    "SG12": 0.07,
    "SG13": 0.16,
    "SG15": 0.14,
    "SG16": 0.10,
    "SG17": 0.10,
    "SG20": 0.10,
    "TSAG": 0.03,
}
# Liaison counterparts (external bodies; they appear as LS-in sources and in `counterpart`).
COUNTERPARTS = {
    "default": ("3GPP", "IETF", "ISO/IEC JTC 1", "ETSI", "IEEE", "ITU-R WP5D", "ITU-D SG2", "GSMA"),
    "SG2": ("ITU-D SG2", "GSMA", "ITU-R WP5D", "ETSI", "3GPP"),
    "SG3": ("ITU-D SG2", "GSMA", "ETSI"),
    "SG5": ("ITU-D SG2", "ETSI", "ISO/IEC JTC 1", "IEEE"),
    "SG9": ("ETSI", "ISO/IEC JTC 1", "IEEE", "ITU-R WP5D"),
    "SG11": ("3GPP", "ETSI", "IETF", "GSMA", "BBF"),
    "SG12": ("ETSI", "3GPP", "IETF", "ITU-R WP5D"),
    "SG13": ("3GPP", "ETSI", "IETF", "ISO/IEC JTC 1", "BBF", "MEF", "IEEE"),
    "SG15": ("IEEE", "BBF", "IETF", "MEF", "ISO/IEC JTC 1", "ETSI"),
    "SG16": ("ISO/IEC JTC 1", "ETSI", "3GPP", "IEEE"),
    "SG17": ("ISO/IEC JTC 1", "IETF", "3GPP", "ETSI", "GSMA"),
    "SG20": ("oneM2M", "ISO/IEC JTC 1", "IEEE", "ETSI", "3GPP"),
    "SG21": ("ISO/IEC JTC 1", "ETSI", "3GPP", "IEEE"),
    "TSAG": ("ITU-D SG2", "ISO/IEC JTC 1", "IETF", "ETSI"),
}

# ---------------------------------------------------------------------------------------------------------
# Vocabulary (topic-like titles). SG13 and SG20 share most of their vocabulary on purpose (story 3).
SHARED_13_20 = (
    "IoT",
    "digital twin",
    "machine learning",
    "network slicing",
    "edge computing",
    "smart city platform",
    "big data",
    "cloud computing",
    "data interoperability",
    "AI-based analytics",
)
TOPICS: dict[str, tuple[str, ...]] = {
    "SG2": (
        "numbering resources",
        "E.164 number misuse",
        "mobile number portability",
        "routing and interworking plans",
        "telecommunication management interfaces",
        "OAM requirements",
        "disaster relief services",
        "international mobile roaming numbering",
        "service definitions",
        "network management architecture",
        "naming and addressing plans",
        "management security",
    ),
    "SG3": (
        "international roaming charges",
        "mobile financial services",
        "economic impact of OTT services",
        "cost models",
        "IP peering and traffic exchange points",
        "economics of digital identity",
        "significant market power",
        "accounting rates",
        "taxation of digital services",
        "economics of big data",
        "competition policy",
        "calling line identification misuse",
    ),
    "SG5": (
        "EMF exposure assessment",
        "lightning protection",
        "energy efficiency of data centres",
        "e-waste management",
        "circular economy",
        "greenhouse gas emissions of ICT",
        "smart energy",
        "resistibility to overvoltages",
        "EMC of telecommunication equipment",
        "climate change adaptation",
        "sustainable digitalization",
        "net zero ICT sector",
    ),
    "SG9": (
        "cable television IP delivery",
        "HFC access networks",
        "conditional access",
        "set-top box software",
        "cable MAC layer interfaces",
        "UHD distribution over cable",
        "AI-assisted cable networks",
        "sound programme transmission",
        "cable accessibility services",
        "advanced cable service platforms",
    ),
    "SG11": (
        "signalling for IMT-2020",
        "protocol conformance testing",
        "counterfeit ICT devices",
        "stolen mobile devices",
        "SIP-based signalling",
        "VoLTE interworking",
        "SDN control protocols",
        "network benchmark testing",
        "IoT interoperability testing",
        "emergency telecommunications signalling",
        "broadband network gateways",
        "testing of cloud computing",
    ),
    "SG12": (
        "speech quality assessment",
        "QoE of video streaming",
        "opinion models for gaming",
        "QoS of mobile networks",
        "E-model planning",
        "perceptual video quality",
        "conversational quality",
        "crowdsourced QoS measurement",
        "network performance parameters",
        "audiovisual quality of immersive media",
        "telemeeting assessment",
        "speech quality in vehicles",
    ),
    "SG13": SHARED_13_20
    + (
        "IMT-2020 networks",
        "computing power networks",
        "quantum key distribution network",
        "fixed-mobile convergence",
        "deterministic networking",
        "SDN and NFV",
        "Network 2030",
        "trust in ICT infrastructures",
    ),
    "SG15": (
        "optical transport network",
        "passive optical networks",
        "50G-PON",
        "G.fast",
        "synchronization and time distribution",
        "packet transport over Ethernet",
        "submarine cable systems",
        "optical fibre characteristics",
        "outside plant",
        "smart grid communications",
        "home networking",
        "metro transport network",
        "fine-grain OTN",
        "optical components and subsystems",
        "transport network protection",
    ),
    "SG16": (
        "video coding",
        "multimedia accessibility",
        "IPTV services",
        "digital signage",
        "visual surveillance systems",
        "vehicular multimedia",
        "digital health multimedia",
        "DLT-based e-services",
        "immersive live experience",
        "speech and audio coding",
        "digital culture services",
        "multimedia conferencing",
    ),
    "SG17": (
        "PKI",
        "identity management",
        "IoT security",
        "blockchain security",
        "quantum-safe security",
        "IMT-2020 security",
        "cybersecurity information exchange",
        "countering spam",
        "cloud computing security",
        "personally identifiable information protection",
        "ASN.1 and object identifiers",
        "telebiometrics",
        "security of vehicle communications",
    ),
    "SG20": SHARED_13_20
    + (
        "smart sustainable cities KPIs",
        "smart building",
        "smart agriculture",
        "city digital twin",
        "IoT data management",
        "smart public services",
    ),
    "SG21": (
        "video coding",
        "multimedia accessibility",
        "IPTV services",
        "digital signage",
        "cable television IP delivery",
        "HFC access networks",
        "conditional access",
        "immersive live experience",
        "vehicular multimedia",
        "digital health multimedia",
        "AI-enabled multimedia",
        "content delivery platforms",
    ),
    "TSAG": (
        "working methods",
        "AAP process improvements",
        "strategic planning",
        "bridging the standardization gap",
        "IPR policy",
        "standardization strategy",
        "electronic working methods",
        "WTSA preparation",
        "collaboration with other SDOs",
        "study group restructuring",
    ),
}
ASPECTS = (
    ("arch", "Functional architecture"),
    ("reqts", "Requirements"),
    ("fw", "Framework"),
    ("uc", "Use cases"),
    ("mgmt", "Management aspects"),
    ("sec", "Security requirements"),
    ("qos", "QoS requirements"),
    ("test", "Test specification"),
    ("dm", "Data model"),
    ("api", "Interfaces"),
    ("gl", "Guidelines"),
    ("eval", "Evaluation methodology"),
)
C_TEMPLATES = (
    "Proposal for",
    "Proposed modifications to the draft on",
    "Requirements for",
    "Framework of",
    "Use cases of",
    "Functional architecture of",
    "Comments on",
    "Proposed new work item on",
    "Updated text on",
    "Technical analysis of",
    "Clarifications on",
    "Gap analysis of",
    "Terms and definitions for",
    "Test scenarios for",
    "Reference model of",
)

# ---------------------------------------------------------------------------------------------------------
# Fictional names. Stems are assembled from neutral syllables and checked against real brand names.
STEM_FIRST = (
    "Nor",
    "Qar",
    "Tar",
    "Mer",
    "Kes",
    "Val",
    "Hal",
    "Lor",
    "Ost",
    "Bren",
    "Cal",
    "Dar",
    "Fen",
    "Gal",
    "Jor",
    "Kel",
    "Lun",
    "Mor",
    "Nev",
    "Orv",
    "Pel",
    "Quen",
    "Ros",
    "Sel",
    "Tor",
    "Ulv",
    "Ves",
    "Wyn",
    "Yar",
    "Zel",
    "Ard",
    "Bel",
    "Cor",
    "Dro",
    "Eld",
    "Fal",
    "Gor",
    "Hev",
    "Isk",
    "Jal",
    "Kor",
    "Lav",
    "Mav",
    "Nal",
    "Oss",
    "Pra",
    "Rav",
    "Sav",
    "Tev",
    "Vor",
    "Wen",
    "Yor",
    "Zan",
    "Bar",
    "Cen",
    "Dal",
    "Fir",
    "Hol",
)
STEM_MID = ("vi", "lo", "ra", "ne", "ta", "ri", "mo", "da", "ve", "li", "sa", "no", "ka", "be", "te", "du")
STEM_END = (
    "kel",
    "len",
    "vic",
    "ane",
    "ent",
    "dal",
    "mar",
    "tris",
    "nex",
    "ora",
    "ium",
    "vel",
    "dor",
    "ix",
    "eth",
    "ano",
    "ova",
    "ek",
    "is",
    "ara",
    "en",
    "os",
    "quin",
    "wyn",
)
PLACE_END = (
    "holm",
    "vane",
    "stad",
    "mere",
    "wick",
    "ford",
    "dale",
    "ora",
    "ania",
    "ovo",
    "esk",
    "ven",
    "mont",
)
SM_WORDS = (
    "Networks",
    "Systems",
    "Telecom",
    "Communications",
    "Photonics",
    "Technologies",
    "Microsystems",
    "Labs",
    "Broadband",
    "Digital",
    "Optics",
    "Semiconductors",
    "Wireless",
    "Infrastructure",
    "Software",
    "Cable",
    "Mobile",
    "Data",
    "Connect",
    "Electronics",
    "Media",
)
AS_WORDS = (
    "Solutions",
    "Analytics",
    "Devices",
    "Instruments",
    "Engineering",
    "Research",
    "Sensing",
    "Platforms",
)
ACADEMIA_PATTERNS = (
    "University of {p}",
    "{p} Institute of Technology",
    "{p} Technical University",
    "Institute of {p} Applied Telecom",
    "{p} Polytechnic University",
    "{p} University of Science and Technology",
    "{p} Research Centre for Communications",
)
SUBSIDIARY = (
    ("Europe", "DEU"),
    ("Asia Pacific", "SGP"),
    ("Americas", "USA"),
    ("India", "IND"),
    ("Deutschland", "DEU"),
    ("France", "FRA"),
    ("Japan", "JPN"),
    ("Korea", "KOR"),
    ("UK", "GBR"),
    ("Middle East", "ARE"),
    ("Africa", "ZAF"),
    ("Brasil", "BRA"),
    ("Nordic", "SWE"),
)
LEGAL_VARIANTS = {
    "CHN": (" Co., Ltd.", " Corporation", " Corp."),
    "KOR": (" Co., Ltd.", " Corp."),
    "JPN": (" Corporation", " Co., Ltd."),
    "DEU": (" GmbH", " AG"),
    "AUT": (" GmbH",),
    "CHE": (" AG", " SA"),
    "FRA": (" SA", " S.A."),
    "ESP": (" S.A.",),
    "BEL": (" SA",),
    "GBR": (" plc", " Limited", " Ltd"),
    "USA": (", Inc.", " LLC", " Corp.", " Inc"),
    "CAN": (" Inc.", " Ltd."),
}
DEFAULT_LEGAL = (" Ltd.", " Limited", ", Inc.")
# Organisation names that resolve to no member (the unresolved-organisations list). Fixed at every scale.
UNRESOLVED = (
    ("Department of Radio Engineering, {academia}", "NOR", ("SG5", "SG15", "SG12")),
    ("Brightquay Consulting", "GBR", ("SG3", "SG2", "TSAG")),
    ("Halden Moss Advisory", "USA", ("SG13", "SG17")),
    ("Independent expert", "CHE", ("SG20", "SG5", "SG16")),
    ("Velmora Telecom Research Foundation", "ITA", ("SG13", "SG20")),
    ("Norrholm Regional Regulatory Office", "SWE", ("SG3", "SG5")),
    ("Carvel & Stone Patent Attorneys", "DEU", ("SG16", "SG9", "SG21", "SG12")),
)
TSB_NAME = "ITU/TSB"
# Substrings (>= 4 letters) and whole words (shorter) that generated names must never contain.
BRAND_SUBSTRINGS = (
    "huawei",
    "ericsson",
    "nokia",
    "cisco",
    "samsung",
    "orange",
    "telekom",
    "qualcomm",
    "intel",
    "nortel",
    "ciena",
    "infinera",
    "juniper",
    "arista",
    "ribbon",
    "calix",
    "adtran",
    "zyxel",
    "sagem",
    "mavenir",
    "viavi",
    "keysight",
    "anritsu",
    "fujitsu",
    "hitachi",
    "sony",
    "panasonic",
    "sharp",
    "apple",
    "google",
    "microsoft",
    "amazon",
    "oracle",
    "verizon",
    "comcast",
    "vodafone",
    "telefonica",
    "telia",
    "telenor",
    "swisscom",
    "kddi",
    "softbank",
    "rakuten",
    "telstra",
    "singtel",
    "reliance",
    "airtel",
    "bharti",
    "safaricom",
    "etisalat",
    "ooredoo",
    "turkcell",
    "rostelecom",
    "megafon",
    "beeline",
    "datang",
    "fiberhome",
    "hikvision",
    "dahua",
    "xiaomi",
    "oppo",
    "vivo",
    "lenovo",
    "tencent",
    "alibaba",
    "baidu",
    "broadcom",
    "mediatek",
    "marvell",
    "nvidia",
    "corning",
    "prysmian",
    "sumitomo",
    "furukawa",
    "fujikura",
    "yangtze",
    "hengtong",
    "proximus",
    "elisa",
    "telus",
    "rogers",
    "lumen",
    "siemens",
    "philips",
    "bosch",
    "thales",
    "alcatel",
    "lucent",
    "motorola",
    "avaya",
    "polycom",
    "dolby",
    "netflix",
    "tesla",
    "zain",
    "ntt",
    "zte",
    "china mobile",
    "deutsche telekom",
    "vertex",
    "nexans",
    "corvus",
    "altice",
    "iliad",
    "sprint",
    "merkel",
    "ardent",
    "corvel",
    "eldora",
    "lunova",
    "zanova",
    "calix",
    "kelvin",
    "solaris",
    "nova ",
)
BRAND_WORDS = frozenset(
    {
        "kt",
        "sk",
        "lg",
        "bt",
        "mts",
        "stc",
        "tim",
        "amd",
        "arm",
        "kpn",
        "att",
        "sap",
        "hp",
        "dell",
        "ibm",
        "nec",
        "meta",
        "zoom",
        "mtn",
        "cnn",
        "bbc",
        "nbc",
        "abc",
        "cbs",
        "hbo",
        "mrv",
        "bce",
        "tcl",
        "htc",
        "lge",
        "skt",
        "gte",
        "itt",
        "rca",
        "emc",
        "adi",
        "nxp",
        "jvc",
        "aol",
        "dhl",
        "ups",
        "bmw",
        "ge",
        "ti",
        "utc",
        "tdk",
        "ntl",
        "rim",
        "csl",
        "ctc",
        "sfr",
        "ee",
        "mci",
        "aes",
        "bae",
        "cgi",
        "dxc",
        "eds",
        "csc",
        "sas",
        "idt",
        "rsa",
        "nsn",
        "tdc",
        "otc",
        "rtl",
        "cmc",
        "cnc",
        "ptt",
        "tta",
        "tsb",
        "itu",
        "ietf",
        "ieee",
        "etsi",
        "gsma",
        "bbf",
        "mef",
        "nsa",
        "fbi",
        "cia",
        "nasa",
        "kgb",
        "ntv",
        "vnpt",
        "pldt",
        "dtag",
    }
)

FEMALE = (
    "Amina Anja Aiko Beatriz Chiara Daniela Elena Fatima Grace Hana Ines Jia Katarzyna Leila Lucia Mai "
    "Maria Mei Nadia Nkechi Olga Priya Qing Rania Sakura Sara Sofia Svetlana Tamar Ulla Valentina Wanjiru "
    "Xin Yasmin Yuna Zanele Zoë Ayesha Bianca Camila Dilnoza Eun-ji Farida Gabriela Hyun-joo Ingrid "
    "Johanna Karin Lina Marta Nour Paula Rosa Salma Tatiana Ursula Vera Wen Ximena Yelena Zainab Adaeze "
    "Asel Chloé Dana Emma Freya Helga Irina Jasmine Kavya Lerato Mariam Noor Oksana Pooja Rukhsana Seo- "
    "yeon Thandiwe Yuki Ana Hye-jin Shirin Aigerim Mónica Hélène Min Fang Xiaoling Akosua Ebere"
).split()
MALE = (
    "Ahmed Alexei Ali Andrés Bilal Carlos Chen Daniel Dmitri Emeka Erik Farid Felipe Gustavo Hamid "
    "Hiroshi Ibrahim Ivan Jae-won Jamal Javier Jin Jonas Kenji Kofi Kwame Lars Lukas Luis Marco Mateus "
    "Min-ho Mohamed Nikolai Omar Pavel Pedro Rahul Rajesh Samir Sanjay Sergei Stefan Takeshi Tariq Thomas "
    "Tomás Vikram Wei Yaw Youssef Yusuf Zhiwei Zoltan Abdou Arjun Bruno Cheng Diego Elias Fabio Gaurav "
    "Hassan Ilya Jorge Kaito Karim Liang Mamadou Nasser Oleg Paolo Rashid Seung-hoon Tiago Umar Viktor "
    "Xavier Yong Zoran Anders Björn Cédric Dong-hyun Emre Florian Goran Hyun-woo Jun Kamal Leonardo Marek "
    "Nuno Oscar Pieter Rafael Sibusiso Taro"
).split()
LAST = (
    "Abara Adeyemi Aguilar Ahn Akhtar Alvarez Amadi Andersen Antonov Araújo Asante Bakr Banerjee Bauer "
    "Becker Bello Benali Bergström Bianchi Bondarenko Botha Brandt Cardoso Castillo Chang Chatterjee "
    "Chaudhry Chen Cho Costa Dahl Dang Das Diallo Dimitrov Dlamini Dubois Duarte Eriksen Farah Fernández "
    "Fischer Fontaine Fujita Gallo Gao García Ghosh Gómez Greco Gupta Haddad Hakimi Hansen Hashemi "
    "Hayashi Hoang Horvat Huang Hussain Ibrahimov Ikeda Inoue Ivanova Jansen Jensen Jiang Johansson Kamau "
    "Kang Kapoor Karimi Kato Kaya Khalil Khan Kim Kimura Kobayashi Koch Kovac Kowalski Kumar Kuznetsov "
    "Laine Larsen Lebedev Lee Lefebvre Li Lim Lin Lindqvist Liu Lopes López Lund Ma Mahlangu Maier "
    "Mansour Marino Martins Matsumoto Mbeki Mendes Meyer Mishra Moreau Moreno Mori Moyo Müller Murata "
    "Mwangi Nakamura Nasser Nguyen Nielsen Njoroge Nkosi Novak Nowak Nunes Obi Odhiambo Ogunleye Okafor "
    "Okonkwo Oliveira Olsen Omondi Osei Otieno Ozturk Park Patel Pereira Petrov Pham Popescu Qureshi "
    "Rahman Ramos Rao Reddy Reyes Ribeiro Rodrigues Romano Rossi Saito Salazar Santos Sato Schmidt "
    "Schneider Seo Shah Sharma Shin Silva Singh Sokolov Song Suzuki Svensson Takahashi Tanaka Tran Traoré "
    "Tshabalala Usman Vargas Vasquez Virtanen Volkov Wagner Wang Weber Wu Xu Yamada Yamamoto Yang Yilmaz "
    "Yoon Zhang Zhao Zhou Zimmermann Abe Achieng Barros Ceylan Demir Esposito Farouk Grigoryan Halvorsen "
    "Iyer Jovanović Kariuki Lungu Mensah Nordin Ouédraogo Pak Quispe Rasmussen Sandoval Tembo Uddin Vu "
    "Wójcik Yeo Zulu"
).split()


# ---------------------------------------------------------------------------------------------------------
# Small helpers
def normalise_org(name: str) -> str:
    """The contract's organisation normalisation (to check uniqueness and for the README figures)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[.'’`´]", "", text)
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    tokens = text.split()
    suffixes = {"inc", "ltd", "co", "corp", "corporation", "gmbh", "ag", "sa", "plc", "llc", "limited"}
    while len(tokens) > 1 and tokens[-1] in suffixes:
        tokens.pop()
    return " ".join(tokens)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _is_branded(name: str) -> bool:
    low = name.casefold()
    if any(b in low for b in BRAND_SUBSTRINGS):
        return True
    return any(w in BRAND_WORDS for w in re.findall(r"[a-z0-9]+", low))


def _monday(day: np.datetime64) -> np.datetime64:
    return np.busday_offset(day, 0, roll="forward", weekmask="Mon")


def _date(year: int, month: int, day: int) -> np.datetime64:
    return np.datetime64(f"{year:04d}-{month:02d}-{day:02d}")


def _iso(days: np.ndarray) -> np.ndarray:
    """ISO strings for a datetime64[D] array (NaT -> empty string)."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.datetime_as_string(days, unit="D").astype(object)
    out[np.isnat(days)] = ""
    return out


def _cap_shares(p: np.ndarray, cap: float) -> np.ndarray:
    """Normalise weights and cap any single share at `cap` (mass redistributed proportionally)."""
    p = np.asarray(p, dtype=float)
    p = p / p.sum()
    if (p > 0).sum() * cap <= 1:
        return p
    for _ in range(50):
        over = p > cap
        if not over.any():
            break
        excess = (p[over] - cap).sum()
        p[over] = cap
        free = (~over) & (p > 0)
        p[free] += excess * p[free] / p[free].sum()
    return p / p.sum()


def _systematic(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn proportionally to p by systematic sampling (counts within +-1 of n*p), shuffled."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    order = rng.permutation(len(p))
    cum = np.cumsum(p[order])
    cum /= cum[-1]
    pos = (rng.random() + np.arange(n)) / n
    idx = order[np.minimum(np.searchsorted(cum, pos, side="right"), len(p) - 1)]
    return rng.permutation(idx)


def _sample_unique(rng: np.random.Generator, cum: np.ndarray, k: int) -> np.ndarray:
    """Up to k distinct positions drawn (without replacement) proportionally to the increments of `cum`."""
    n = len(cum)
    positive = int(np.count_nonzero(np.diff(np.concatenate(([0.0], cum))) > 0))
    k = min(k, positive)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if 2 * k >= positive:  # dense: Efraimidis-Spirakis keys
        w = np.diff(np.concatenate(([0.0], cum)))
        keys = np.full(n, -np.inf)
        ok = w > 0
        keys[ok] = np.log(rng.random(int(ok.sum()))) / w[ok]
        return np.sort(np.argpartition(-keys, k - 1)[:k])
    chosen: list[int] = []
    seen: set[int] = set()
    while len(chosen) < k:
        draws = np.searchsorted(cum, rng.random(2 * k + 8) * cum[-1], side="right")
        for d in np.minimum(draws, n - 1).tolist():
            if d not in seen:
                seen.add(d)
                chosen.append(d)
                if len(chosen) == k:
                    break
    return np.array(chosen, dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------
# Reference data
@dataclass
class Reference:
    countries: pd.DataFrame
    study_groups: pd.DataFrame
    questions: pd.DataFrame
    iso3: np.ndarray  # sorted
    dev: np.ndarray  # bool per country: developing or LDC
    questions_by: dict[tuple[str, str], list[tuple[str, str]]]  # (sg, period) -> [(code, title)]


def load_reference(folder: Path = REFERENCE_DIR) -> Reference:
    def read(name: str) -> pd.DataFrame:
        df = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        return df

    countries = read("countries").sort_values("iso3", kind="stable").reset_index(drop=True)
    study_groups = read("study_groups")
    questions = read("questions")
    qby: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for q, sg, period, title in questions[["question", "sg", "study_period", "title"]].itertuples(
        index=False
    ):
        qby.setdefault((sg, period), []).append((q, title))
    for key in qby:
        qby[key].sort(key=lambda qt: int(re.match(r"Q(\d+)", qt[0]).group(1)))
    return Reference(
        countries=countries,
        study_groups=study_groups,
        questions=questions,
        iso3=countries["iso3"].to_numpy(dtype=object),
        dev=countries["development_status"].isin(["developing", "LDC"]).to_numpy(),
        questions_by=qby,
    )


# ---------------------------------------------------------------------------------------------------------
# Organisations ("affiliations": Member States, fictional organisations, unresolvable names, TSB)
@dataclass
class Orgs:
    member_id: np.ndarray  # object; "" for unresolvable names and TSB
    name: np.ndarray  # canonical name
    category: np.ndarray  # object: Member State / Sector Member / Associate / Academia / unresolved / TSB
    country: np.ndarray  # int index into reference countries
    joined: np.ndarray  # datetime64[D]
    left: np.ndarray  # datetime64[D] (NaT = still a member)
    reg: np.ndarray  # bool (n, len(BASE_SGS))
    w_att: np.ndarray  # float (n, len(BASE_SGS)): delegate-sending weight
    w_con: np.ndarray  # float (n, len(BASE_SGS)): contribution weight
    domain: np.ndarray  # e-mail domain
    giants: np.ndarray  # indices of SG15's dominant contributors
    var_text: np.ndarray  # printed name variants, grouped per org: canonical, resolvable variants, aliases
    var_country: np.ndarray  # int country index of the delegation printing that variant
    var_start: np.ndarray
    n_plain: np.ndarray  # canonical + resolvable variants per org
    n_alias: np.ndarray
    alias_rows: list[tuple[str, str]]  # org_aliases (alias, member_id)

    @property
    def n(self) -> int:
        return len(self.name)

    def join_year(self) -> np.ndarray:
        return self.joined.astype("datetime64[Y]").astype(int) + 1970

    def left_year(self) -> np.ndarray:
        ly = self.left.astype("datetime64[Y]").astype("float")
        return np.where(np.isnat(self.left), 9999, ly + 1970).astype(int)


def _stem_factory(rng: np.random.Generator, taken: set[str]):
    def new_stem(place: bool = False) -> str:
        for attempt in range(10_000):
            extra = STEM_MID[rng.integers(len(STEM_MID))] if attempt > 200 else ""
            stem = (
                STEM_FIRST[rng.integers(len(STEM_FIRST))]
                + STEM_MID[rng.integers(len(STEM_MID))]
                + extra
                + (PLACE_END if place else STEM_END)[rng.integers(len(PLACE_END if place else STEM_END))]
            )
            if stem.casefold() not in taken and not _is_branded(stem):
                taken.add(stem.casefold())
                return stem
        raise RuntimeError("ran out of fictional name stems")  # pragma: no cover

    return new_stem


def _random_date(rng: np.random.Generator, lo: np.datetime64, hi: np.datetime64, size=None):
    span = int((hi - lo).astype(int))
    return lo + rng.integers(0, span + 1, size=size).astype("timedelta64[D]")


def _make_orgs(rng: np.random.Generator, scale: int, ref: Reference) -> Orgs:
    n_c = len(ref.iso3)
    cidx = {iso: i for i, iso in enumerate(ref.iso3)}
    names_norm: set[str] = set()
    for name, iso in zip(ref.countries["name"], ref.iso3, strict=True):
        names_norm.add(normalise_org(name))
        names_norm.add(iso.casefold())
    taken: set[str] = set()
    new_stem = _stem_factory(rng, taken)
    k_sg = len(BASE_SGS)
    sg_col = {sg: i for i, sg in enumerate(BASE_SGS)}

    rows: list[dict] = []
    # Member States: every reference country.
    ms_w = np.array([MS_ACTIVITY.get(iso, 0.0) for iso in ref.iso3], dtype=float)
    status = ref.countries["development_status"].to_numpy()
    default_w = np.where(status == "developed", 0.07, np.where(status == "developing", 0.045, 0.025))
    ms_w = np.where(ms_w > 0, ms_w**1.35, default_w)
    for i, (iso, name) in enumerate(zip(ref.iso3, ref.countries["name"], strict=True)):
        year = int(
            rng.choice(
                [
                    1866,
                    1869,
                    1875,
                    1908,
                    1920,
                    1932,
                    1947,
                    1947,
                    1947,
                    1952,
                    1960,
                    1961,
                    1964,
                    1965,
                    1971,
                    1976,
                    1981,
                    1992,
                    1993,
                    2006,
                    2011,
                ]
            )
        )
        rows.append(
            dict(
                member_id=f"MS-{iso}",
                name=name,
                category="Member State",
                country=i,
                joined=_date(year, 1 + int(rng.integers(12)), 1 + int(rng.integers(28))),
                left=None,
                reg=np.ones(k_sg, bool),
                size=ms_w[i],
                domain=f"{iso.lower()}-admin.example",
            )
        )

    # Fictional organisations.
    def pick_country(weights: dict[str, float], flat: float) -> int:
        w = np.full(n_c, flat)
        for iso, v in weights.items():
            if iso in cidx:
                w[cidx[iso]] += v**1.4
        return int(rng.choice(n_c, p=w / w.sum()))

    prim_sgs = list(PRIMARY_SG)
    prim_p = np.array([PRIMARY_SG[s] for s in prim_sgs])
    prim_p = prim_p / prim_p.sum()

    def registrations(category: str, forced: Sequence[str] = ()) -> np.ndarray:
        reg = np.zeros(k_sg, bool)
        primary = forced[0] if forced else prim_sgs[int(rng.choice(len(prim_sgs), p=prim_p))]
        if category == "Associate" and primary == "TSAG":
            primary = "SG13"
        reg[sg_col[primary]] = True
        for s in forced[1:]:
            reg[sg_col[s]] = True
        if category != "Associate":
            for other, prob in AFFINITY.get(primary, {}).items():
                if rng.random() < prob:
                    reg[sg_col[other]] = True
            for other in BASE_SGS:
                if rng.random() < 0.012:
                    reg[sg_col[other]] = True
        return reg

    def membership_dates(category: str, founded_before: int) -> tuple[np.datetime64, np.datetime64 | None]:
        if rng.random() < 0.62:
            year = int(rng.integers(founded_before, 2016))
        else:
            year = int(rng.integers(2016, 2026))
        joined = _date(year, 1 + int(rng.integers(12)), 1 + int(rng.integers(28)))
        left = None
        if rng.random() < 0.19:
            lo = max(joined + np.timedelta64(400, "D"), np.datetime64("2016-01-01"))
            if lo < np.datetime64("2025-11-30"):
                left = _random_date(rng, lo, np.datetime64("2025-11-30"))
        return joined, left

    def add_org(category: str, name: str, country: int, forced=(), size_mult=1.0, permanent=False):
        norm = normalise_org(name)
        if norm in names_norm or _is_branded(name):
            return False
        names_norm.add(norm)
        first_year = {"Sector Member": 1990, "Associate": 2006, "Academia": 2011}[category]
        joined, left = membership_dates(category, first_year)
        if permanent:
            joined, left = (
                _date(int(rng.integers(1994, 2010)), 1 + int(rng.integers(12)), 1 + int(rng.integers(28))),
                None,
            )
        stem = re.sub(
            r"[^a-z]",
            "",
            _ascii(name.split()[0 if not name.startswith(("University", "Institute")) else -1]).lower(),
        )
        rows.append(
            dict(
                member_id="",
                name=name,
                category=category,
                country=country,
                joined=joined,
                left=left,
                reg=registrations(category, forced),
                size=float(rng.lognormal(0, 0.9)) * size_mult,
                domain=f"{stem}{len(rows) % 97 if len(rows) % 7 == 0 else ''}.example",
            )
        )
        return True

    n_sm, n_as, n_ac = 250 * scale, 60 * scale, 90 * scale
    # SG15's dominant contributors (story 2): three large, permanent Sector Members.
    giant_words = ("Photonics", "Optical Networks", "Transport Systems")
    giant_countries = ("CHN", "USA", "JPN")
    giant_ids: list[int] = []
    for word, iso in zip(giant_words, giant_countries, strict=True):
        while not add_org(
            "Sector Member",
            f"{new_stem()} {word}",
            cidx[iso],
            forced=("SG15", "SG13", "SG5"),
            size_mult=6.0,
            permanent=True,
        ):
            pass
        giant_ids.append(len(rows) - 1)
    count = 3
    while count < n_sm:
        word = SM_WORDS[int(rng.integers(len(SM_WORDS)))]
        if add_org("Sector Member", f"{new_stem()} {word}", pick_country(ORG_COUNTRIES, 0.0)):
            count += 1
    count = 0
    while count < n_as:
        word = AS_WORDS[int(rng.integers(len(AS_WORDS)))]
        if add_org("Associate", f"{new_stem()} {word}", pick_country(ORG_COUNTRIES, 0.005), size_mult=0.4):
            count += 1
    count = 0
    while count < n_ac:
        pattern = ACADEMIA_PATTERNS[int(rng.integers(len(ACADEMIA_PATTERNS)))]
        if add_org(
            "Academia",
            pattern.format(p=new_stem(place=True)),
            pick_country(ORG_COUNTRIES, 0.02),
            size_mult=0.35,
        ):
            count += 1
    # Member ids per category, in creation order.
    for prefix, category in (("SM", "Sector Member"), ("AS", "Associate"), ("AC", "Academia")):
        k = 0
        for row in rows:
            if row["category"] == category:
                k += 1
                row["member_id"] = f"{prefix}-{k:04d}"
    first_academia = next(r["name"] for r in rows if r["category"] == "Academia")
    for name, iso, sgs in UNRESOLVED:
        reg = np.zeros(k_sg, bool)
        for s in sgs:
            for base in ("SG9", "SG16") if s == "SG21" else (s,):
                reg[sg_col[base]] = True
        name = name.format(academia=first_academia)
        rows.append(
            dict(
                member_id="",
                name=name,
                category="unresolved",
                country=cidx[iso],
                joined=None,
                left=None,
                reg=reg,
                size=0.0,
                domain=re.sub(r"[^a-z]", "", _ascii(name.split()[0]).lower()) + "-mail.example",
            )
        )
        names_norm.add(normalise_org(name))
    rows.append(
        dict(
            member_id="",
            name=TSB_NAME,
            category="TSB",
            country=cidx["CHE"],
            joined=None,
            left=None,
            reg=np.ones(k_sg, bool),
            size=0.0,
            domain="itu-tsb.example",
        )
    )

    n = len(rows)
    reg = np.stack([r["reg"] for r in rows])
    size = np.array([r["size"] for r in rows])
    noise = rng.lognormal(0, 0.5, size=(n, k_sg))
    w_att = reg * size[:, None] * noise
    w_con = w_att * rng.lognormal(0, 0.6, size=(n, k_sg))
    category = np.array([r["category"] for r in rows], dtype=object)
    is_ms = category == "Member State"
    w_att[is_ms] = size[is_ms, None]  # Member States: country activity, every SG
    # A Member State contributes to a few study groups only, the most active ones to all of them.
    ms_in = rng.random((int(is_ms.sum()), k_sg)) < np.clip(0.1 + ms_w[:, None] / 6, 0, 1)
    w_con[is_ms] = size[is_ms, None] * rng.lognormal(0, 0.5, size=(int(is_ms.sum()), k_sg)) * ms_in

    # Printed variants and aliases.
    var_text: list[str] = []
    var_country: list[int] = []
    var_start = np.zeros(n, np.int64)
    n_plain = np.zeros(n, np.int64)
    n_alias = np.zeros(n, np.int64)
    alias_rows: list[tuple[str, str]] = []
    ms_alias_special = {
        "KOR": "Republic of Korea",
        "RUS": "Russia",
        "IRN": "Iran",
        "USA": "United States of America",
        "GBR": "UK",
        "CHN": "People's Republic of China",
        "TZA": "Tanzania",
        "VNM": "Vietnam",
    }
    top_ms = {iso for iso, w in MS_ACTIVITY.items() if w >= 1.0}

    def alias_ok(alias: str) -> bool:
        norm = normalise_org(alias)
        if not norm or norm in names_norm or _is_branded(alias):
            return False
        names_norm.add(norm)
        return True

    for i, r in enumerate(rows):
        var_start[i] = len(var_text)
        name, country, cat = r["name"], r["country"], r["category"]
        plain = [name]
        aliases: list[tuple[str, int]] = []
        if cat == "Member State":
            iso = ref.iso3[country]
            plain += [name.upper(), iso]
            if iso in ms_alias_special:
                aliases.append((ms_alias_special[iso], country))
            if iso in top_ms:
                aliases.append((f"Administration of {name}", country))
        elif cat in ("Sector Member", "Associate"):
            legal = LEGAL_VARIANTS.get(ref.iso3[country], DEFAULT_LEGAL)
            picks = rng.permutation(len(legal))[: 1 + int(rng.integers(len(legal)))]
            plain += [name + legal[j] for j in picks]
            plain += [name.upper(), name.replace(" ", "  ", 1)]
            if rng.random() < (0.4 if cat == "Sector Member" else 0.12):
                stem = name.split()[0]
                cons = [c for c in stem[1:].upper() if c not in "AEIOUY"]
                abbrev = (stem[0] + "".join(cons[:2])).upper()
                if len(abbrev) == 3:
                    aliases.append((f"{abbrev} {' '.join(name.split()[1:])}", country))
            if rng.random() < (0.25 if cat == "Sector Member" else 0.05):
                label, iso = SUBSIDIARY[int(rng.integers(len(SUBSIDIARY)))]
                if iso in cidx and cidx[iso] != country:
                    aliases.append((f"{name} {label}", cidx[iso]))
        elif cat == "Academia":
            plain += [name.upper(), name.replace(" ", "  ", 1)]
            words = name.split()
            if name.startswith("University of ") and rng.random() < 0.6:
                aliases.append((f"Univ. of {words[-1]}", country))
            elif rng.random() < 0.4:
                initials = "".join(w[0] for w in words if w[0].isupper())
                if len(initials) >= 4:
                    aliases.append((initials, country))
                else:
                    aliases.append((f"{words[0]} Tech", country))
        elif cat == "unresolved":
            plain += [name.upper()]
        for text in plain:
            var_text.append(text)
            var_country.append(country)
        n_plain[i] = len(plain)
        for text, c in aliases:
            if alias_ok(text):
                var_text.append(text)
                var_country.append(c)
                n_alias[i] += 1
                alias_rows.append((text, r["member_id"]))

    def dates(key: str) -> np.ndarray:
        return np.array(
            [r[key] if r[key] is not None else np.datetime64("NaT") for r in rows], dtype="datetime64[D]"
        )

    return Orgs(
        member_id=np.array([r["member_id"] for r in rows], dtype=object),
        name=np.array([r["name"] for r in rows], dtype=object),
        category=category,
        country=np.array([r["country"] for r in rows], dtype=np.int64),
        joined=dates("joined"),
        left=dates("left"),
        reg=reg,
        w_att=w_att,
        w_con=w_con,
        domain=np.array([r["domain"] for r in rows], dtype=object),
        giants=np.array(giant_ids, dtype=np.int64),
        var_text=np.array(var_text, dtype=object),
        var_country=np.array(var_country, dtype=np.int64),
        var_start=var_start,
        n_plain=n_plain,
        n_alias=n_alias,
        alias_rows=sorted(alias_rows),
    )


def _sg_column(orgs: Orgs, matrix: np.ndarray, sg: str) -> np.ndarray:
    if sg == "SG21":
        return np.maximum(matrix[:, BASE_SGS.index("SG9")], matrix[:, BASE_SGS.index("SG16")])
    return matrix[:, BASE_SGS.index(sg)]


def _active(orgs: Orgs, year: int) -> np.ndarray:
    cat = orgs.category
    jy, ly = orgs.join_year(), orgs.left_year()
    fixed = (cat == "Member State") | (cat == "unresolved") | (cat == "TSB")
    return fixed | ((jy <= year) & (ly >= year))


def _variant_pick(
    rng: np.random.Generator, orgs: Orgs, aff: np.ndarray, p_alias: float, p_other: float
) -> np.ndarray:
    """Index of a printed variant per org: mostly canonical, sometimes a resolvable variant or an alias."""
    aff = np.asarray(aff, dtype=np.int64)
    u = rng.random(len(aff))
    start = orgs.var_start[aff]
    n_plain = orgs.n_plain[aff]
    n_alias = orgs.n_alias[aff]
    pick = start.copy()
    other = (u < p_other) & (n_plain > 1)
    pick[other] = start[other] + 1 + (rng.integers(0, 1 << 30, other.sum()) % (n_plain[other] - 1))
    alias = (u >= p_other) & (u < p_other + p_alias) & (n_alias > 0)
    pick[alias] = start[alias] + n_plain[alias] + (rng.integers(0, 1 << 30, alias.sum()) % n_alias[alias])
    return pick


# ---------------------------------------------------------------------------------------------------------
# Meetings
def _make_meetings(rng: np.random.Generator, scale: int, ref: Reference) -> pd.DataFrame:
    rows: list[dict] = []
    for year in YEARS:
        for sg in SG_ORDER:
            if year not in sg_years(sg):
                continue
            prof = PROFILES[sg]
            lo, hi = prof.plenaries
            n_plen = lo if lo == hi else int(rng.integers(lo, hi + 1))
            if sg == "TSAG" and year == 2016:
                n_plen = 1
            months = [prof.months[0]] if n_plen == 1 else list(prof.months)
            n_q = max(1, len(ref.questions_by.get((sg, period_of(year)), [])))
            used: set[int] = set()
            for k, month in enumerate(months):
                month = int(np.clip(month + rng.integers(-1, 2), 1, 12))
                if year == 2020 and month < 3:
                    month = 3 + k
                used.add(month)
                start = _monday(_date(year, month, 1 + int(rng.integers(0, 14))))
                length = 4 if sg == "TSAG" else (11 if prof.plenary_size >= 200 else 9)
                rows.append(
                    dict(
                        sg=sg,
                        kind="TSAG" if sg == "TSAG" else "SG",
                        start=start,
                        length=length,
                        tag="" if sg == "TSAG" else "-P",
                        year=year,
                        group=-1,
                    )
                )
            extra = (
                [("WP", 1 + int(rng.integers(0, 3)))] * (prof.wp * scale)
                + [("RG", 2 + int(rng.integers(0, 3)))] * (prof.rg * scale)
                + [("workshop", int(rng.integers(0, 2)))] * int(rng.binomial(scale, 0.3))
            )
            for j, (kind, length) in enumerate(extra):
                month = int(rng.integers(3 if year == 2020 else 1, 13))
                start = _monday(_date(year, month, 1 + int(rng.integers(0, 20))))
                rows.append(
                    dict(
                        sg=sg,
                        kind=kind,
                        start=start,
                        length=length,
                        tag="",
                        year=year,
                        group=j % n_q if kind == "RG" else (j % 3 if kind == "WP" else -1),
                    )
                )
    df = pd.DataFrame(rows)
    df["start"] = df["start"].astype("datetime64[s]")
    df = df.sort_values(["start", "sg", "kind"], kind="stable").reset_index(drop=True)
    # Readable unique ids: SG13-2023-03-P, SG13-2023-06-RG2, SG13-2023-06-WP1, SG13-2023-09-WS1, TSAG-2023-05.
    ids = []
    seq: dict[tuple[str, int, str], int] = {}
    for sg, kind, start, tag, year in df[["sg", "kind", "start", "tag", "year"]].itertuples(index=False):
        mm = f"{start.month:02d}"
        if kind in ("SG", "TSAG"):
            base = f"{sg}-{year}-{mm}{tag}"
            key = (sg, year, base)
            seq[key] = seq.get(key, 0) + 1
            ids.append(base if seq[key] == 1 else f"{base}{seq[key]}")
        else:
            code = {"WP": "WP", "RG": "RG", "workshop": "WS"}[kind]
            key = (sg, year, code)
            seq[key] = seq.get(key, 0) + 1
            ids.append(f"{sg}-{year}-{mm}-{code}{seq[key]}")
    df["meeting_id"] = ids
    start = df["start"].to_numpy().astype("datetime64[D]")
    df["start_date"] = start
    df["end_date"] = start + df["length"].to_numpy().astype("timedelta64[D]")
    virtual = (start >= np.datetime64("2020-03-01")) & (start <= np.datetime64("2021-12-31"))
    modern = start >= np.datetime64("2022-01-01")
    small = df["kind"].isin(["RG", "WP", "workshop"]).to_numpy()
    hosted = rng.random(len(df)) < np.where(small, 0.45, 0.1)
    physical_small = modern & small & hosted & (rng.random(len(df)) < 0.55)
    fmt = np.where(virtual, "virtual", np.where(modern & ~physical_small, "hybrid", "physical"))
    host = rng.integers(0, len(HOST_CITIES), len(df))
    iso_ok = set(ref.iso3)
    city = np.array(
        [
            HOST_CITIES[h][0] if ok and HOST_CITIES[h][1] in iso_ok else "Geneva"
            for h, ok in zip(host, hosted, strict=True)
        ],
        dtype=object,
    )
    country = np.array(
        [
            HOST_CITIES[h][1] if ok and HOST_CITIES[h][1] in iso_ok else "CHE"
            for h, ok in zip(host, hosted, strict=True)
        ],
        dtype=object,
    )
    city[virtual] = ""
    country[virtual] = ""
    df["city"], df["country_iso3"], df["format"] = city, country, fmt
    # Share of remote participants (used for the attendance `mode`).
    plenary = ~small
    remote = np.where(
        fmt == "virtual",
        1.0,
        np.where(
            fmt == "physical",
            np.where(modern, 0.0, rng.uniform(0.02, 0.12, len(df))),
            np.where(plenary, rng.uniform(0.56, 0.77, len(df)), rng.uniform(0.45, 0.85, len(df))),
        ),
    )
    df["remote_share"] = remote
    return df[
        [
            "meeting_id",
            "sg",
            "kind",
            "start_date",
            "end_date",
            "city",
            "country_iso3",
            "format",
            "year",
            "group",
            "remote_share",
        ]
    ]


# ---------------------------------------------------------------------------------------------------------
# People and attendance
class _People:
    def __init__(self, capacity: int):
        self.n = 0
        self.aff = np.zeros(capacity, np.int64)
        self.engage = np.zeros(capacity)
        self.gender = np.zeros(capacity, np.int8)  # 0 M, 1 F, 2 X, 3 unknown
        self.year = np.zeros(capacity, np.int16)
        self.variant = np.zeros(capacity, np.int64)
        self.country = np.zeros(capacity, np.int64)

    def add(self, **cols: np.ndarray) -> np.ndarray:
        k = len(cols["aff"])
        if self.n + k > len(self.aff):
            cap = max(2 * len(self.aff), self.n + k)
            for name in ("aff", "engage", "gender", "year", "variant", "country"):
                arr = getattr(self, name)
                grown = np.zeros(cap, arr.dtype)
                grown[: self.n] = arr[: self.n]
                setattr(self, name, grown)
        ids = np.arange(self.n, self.n + k)
        for name, values in cols.items():
            getattr(self, name)[ids] = values
        self.n += k
        return ids


@dataclass
class Attendance:
    meeting: np.ndarray  # meeting row index
    person: np.ndarray
    role: np.ndarray  # index into ROLE_NAMES
    remote: np.ndarray  # bool
    people: _People
    holders: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]]  # (sg, year) -> (person ids, role codes)


def _attendance_weights(orgs: Orgs, sg: str, year: int, active: np.ndarray) -> np.ndarray:
    prof = PROFILES[sg]
    cat = orgs.category
    w = _sg_column(orgs, orgs.w_att, sg) * active
    ms = np.where(cat == "Member State", w, 0.0)
    org = np.where(np.isin(cat, ["Sector Member", "Associate", "Academia"]), w, 0.0)
    unresolved = np.where(cat == "unresolved", _sg_column(orgs, orgs.reg.astype(float), sg), 0.0)
    p = ms / ms.sum() * prof.ms_share + org / org.sum() * (1 - prof.ms_share - 0.006)
    if unresolved.sum() > 0:
        p = p + unresolved / unresolved.sum() * 0.006
    return p / p.sum()


def _simulate_people(
    rng: np.random.Generator, scale: int, ref: Reference, orgs: Orgs, meetings: pd.DataFrame
) -> Attendance:
    people = _People(4096 * scale)
    dev_country = ref.dev
    cat = orgs.category
    female_p = {y: 0.24 + 0.013 * (y - 2016) for y in YEARS}
    cohorts: dict[tuple[str, int], np.ndarray] = {}
    holders: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
    active_by_year = {y: _active(orgs, y) for y in YEARS}
    aff_active = {y: active_by_year[y] for y in YEARS}
    out_m: list[np.ndarray] = []
    out_p: list[np.ndarray] = []
    out_r: list[np.ndarray] = []
    out_remote: list[np.ndarray] = []
    m_sg = meetings["sg"].to_numpy()
    m_year = meetings["year"].to_numpy()
    m_kind = meetings["kind"].to_numpy()
    m_group = meetings["group"].to_numpy()
    m_remote = meetings["remote_share"].to_numpy()
    tsb_aff = int(np.flatnonzero(cat == "TSB")[0])

    def new_people(sg: str, year: int, n: int, dev_quota: int | None = None) -> np.ndarray:
        if n <= 0:
            return np.zeros(0, np.int64)
        p = _attendance_weights(orgs, sg, year, aff_active[year])
        if dev_quota is None:
            aff = rng.choice(orgs.n, size=n, p=p)
        else:
            aff_dev = dev_country[orgs.country]
            n_dev = int(np.clip(dev_quota, 0, n))
            pd_, pn = p * aff_dev, p * ~aff_dev
            aff = np.concatenate(
                [
                    rng.choice(orgs.n, size=n_dev, p=pd_ / pd_.sum()),
                    rng.choice(orgs.n, size=n - n_dev, p=pn / pn.sum()),
                ]
            )
        variant = _variant_pick(rng, orgs, aff, p_alias=0.12, p_other=0.22)
        u = rng.random(n)
        fp = female_p[year]
        gender = np.where(u < fp, 1, np.where(u < fp + 0.006, 2, np.where(u > 0.955, 3, 0)))
        return people.add(
            aff=aff,
            engage=rng.beta(2.0, 2.5, n),
            gender=gender,
            year=np.full(n, year),
            variant=variant,
            country=orgs.var_country[variant],
        )

    tsb_people: dict[str, np.ndarray] = {}
    role_state: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for sg in SG_ORDER:
        prof = PROFILES[sg]
        ever = np.zeros(0, np.int64)
        tsb = people.add(
            aff=np.full(2 + scale // 10, tsb_aff),
            engage=np.ones(2 + scale // 10),
            gender=rng.integers(0, 2, 2 + scale // 10),
            year=np.full(2 + scale // 10, sg_years(sg)[0]),
            variant=np.full(2 + scale // 10, orgs.var_start[tsb_aff]),
            country=np.full(2 + scale // 10, orgs.country[tsb_aff]),
        )
        tsb_people[sg] = tsb
        for year in sg_years(sg):
            period = period_of(year)
            n_q = max(1, len(ref.questions_by.get((sg, period), [])))
            mrows = np.flatnonzero((m_sg == sg) & (m_year == year))
            plen = mrows[np.isin(m_kind[mrows], ["SG", "TSAG"])]
            other = mrows[~np.isin(m_kind[mrows], ["SG", "TSAG"])]
            trend = prof.trend ** (year - 2016)
            if sg == "SG3":
                size = prof.plenary_size * SG3_DECLINE ** (year - 2016)
            else:
                bump = 1.07 if year in (2020, 2021) and sg not in ("SG13", "SG15", "SG17") else 1.0
                size = prof.plenary_size * trend * bump * rng.uniform(0.97, 1.03)
            size *= scale
            ratio = 1.3
            target = int(round(size * ratio))
            active = aff_active[year]
            # Previous cohort (SG21 inherits SG9 and SG16).
            if sg == "SG21":
                prev = np.union1d(cohorts[("SG9", 2024)], cohorts[("SG16", 2024)])
                ever = np.union1d(
                    ever, np.concatenate([c for (s, _), c in cohorts.items() if s in ("SG9", "SG16")])
                )
                role_state[sg] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
            else:
                prev = cohorts.get((sg, year - 1), np.zeros(0, np.int64))
            holder_ids = role_state.get(sg, (np.zeros(0, np.int64), np.zeros(0, np.int64)))[0]
            if len(prev):
                ret_p = 0.42 + 0.5 * people.engage[prev]
                ret_p[np.isin(prev, holder_ids)] = 0.95
                ret_p[~active[people.aff[prev]]] = 0.0
                if sg in ("SG21", "SG3"):  # merged SG / shrinking SG: fewer people stay
                    ret_p *= 0.9 if sg == "SG21" else 0.86
                retained = prev[rng.random(len(prev)) < ret_p]
                lapsed = np.setdiff1d(ever, prev)
                lapsed = lapsed[active[people.aff[lapsed]]]
                n_ret = min(len(lapsed), int(round(0.05 * target)))
                returners = rng.choice(lapsed, size=n_ret, replace=False) if n_ret else lapsed[:0]
                base = np.union1d(retained, returners)
            else:
                base = np.zeros(0, np.int64)
            max_base = int(0.84 * target)  # at least ~16 % newcomers every year
            if len(base) > max_base:
                keep = np.isin(base, holder_ids)
                rest = base[~keep]
                base = np.union1d(
                    base[keep], rng.choice(rest, size=max(0, max_base - keep.sum()), replace=False)
                )
            n_new = target - len(base)
            newcomers = np.zeros(0, np.int64)
            if n_new > 0 and sg in ("SG20", "TSAG") and year > 2016:
                source = ("SG13",) if sg == "SG20" else tuple(s for s in SG_ORDER if s != "TSAG")
                pool = np.unique(
                    np.concatenate([c for (s, y), c in cohorts.items() if s in source and y <= year])
                )
                pool = np.setdiff1d(pool, np.union1d(base, ever))
                pool = pool[active[people.aff[pool]]]
                k = min(len(pool), int(round(n_new * (0.3 if sg == "SG20" else 0.35))))
                if k:
                    newcomers = rng.choice(pool, size=k, replace=False)
            n_fresh = n_new - len(newcomers)
            if sg == "SG5":  # story 4: quota of developing-country newcomers, weighted by expected attendance
                cur = np.concatenate([base, newcomers])
                e_mean = 2.0 / 4.5  # mean engagement of a newcomer, Beta(2, 2.5)
                total_e = people.engage[cur].sum() + n_fresh * e_mean
                dev_e = (people.engage[cur] * dev_country[people.country[cur]]).sum()
                want = (SG5_DEV_SHARE[year] * total_e - dev_e) / e_mean
                fresh = new_people(sg, year, n_fresh, dev_quota=int(round(want)))
            else:
                fresh = new_people(sg, year, n_fresh)
            cohort = np.sort(np.concatenate([base, newcomers, fresh]))
            cohorts[(sg, year)] = cohort
            ever = np.union1d(ever, cohort)

            # Officials: chair, vice-chairs, rapporteurs, associate rapporteurs, editors (kept if they stay)
            need = {
                1: 1,
                2: 4 if prof.plenary_size < 250 else 6,
                3: n_q if sg != "TSAG" else 4,
                4: max(1, n_q // 2),
                5: int(round(1.2 * n_q * scale)),
            }
            h_ids, h_codes = role_state.get(sg, (np.zeros(0, np.int64), np.zeros(0, np.int64)))
            stay = np.isin(h_ids, cohort)
            if year in (2022, 2025):  # new study period: many officials change
                stay &= rng.random(len(h_ids)) < 0.55
            h_ids, h_codes = h_ids[stay], h_codes[stay]
            weight = people.engage[cohort] ** 2
            if sg == "SG15":
                weight = weight * np.where(np.isin(people.aff[cohort], orgs.giants), 4.0, 1.0)
            weight = weight * np.where(np.isin(cat[people.aff[cohort]], ["unresolved"]), 0.0, 1.0)
            for code, k in need.items():
                have = int((h_codes == code).sum())
                if have >= k:
                    continue
                free = ~np.isin(cohort, h_ids)
                w = weight * free
                if w.sum() == 0:
                    continue
                pick = rng.choice(
                    cohort, size=min(k - have, int((w > 0).sum())), replace=False, p=w / w.sum()
                )
                h_ids = np.concatenate([h_ids, pick])
                h_codes = np.concatenate([h_codes, np.full(len(pick), code)])
            role_state[sg] = (h_ids, h_codes)
            holders[(sg, year)] = (h_ids.copy(), h_codes.copy())
            role = np.zeros(len(cohort), np.int64)
            pos = np.searchsorted(cohort, h_ids)
            role[pos] = h_codes

            # Meetings of the year (SG5: redrawn until the developing-country share of records is on target).
            for _attempt in range(40):
                # Meetings of the year.
                e = people.engage[cohort]
                seen = np.zeros(len(cohort), bool)
                rows_m: list[np.ndarray] = []
                rows_p: list[np.ndarray] = []
                rows_r: list[np.ndarray] = []
                for m in plen:
                    s = size * (1.0 if sg == "SG3" else rng.uniform(0.95, 1.05))
                    lo_k, hi_k = 0.0, 10.0
                    for _ in range(40):
                        k_ = (lo_k + hi_k) / 2
                        if np.minimum(1, k_ * e).sum() < s:
                            lo_k = k_
                        else:
                            hi_k = k_
                    prob = np.minimum(1, hi_k * e)
                    prob[role > 0] = 0.97
                    sel = np.flatnonzero(rng.random(len(cohort)) < prob)
                    seen[sel] = True
                    r = role[sel].copy()
                    delegates = np.flatnonzero(r == 0)
                    if len(delegates):
                        r[
                            rng.choice(
                                delegates, size=min(len(delegates), 1 + int(s > 200 * scale)), replace=False
                            )
                        ] = 7
                    rows_m.append(np.full(len(sel), m))
                    rows_p.append(sel)
                    rows_r.append(r)
                # Working parties, rapporteur groups, workshops: draws within Question groups.
                group = (cohort * 7919 + SG_ORDER.index(sg)) % n_q
                wp_group = group % 3
                for m in other:
                    kind = m_kind[m]
                    if kind == "RG":
                        members = np.flatnonzero(group == m_group[m])
                        w = e[members] ** 2 * np.where(np.isin(role[members], [3, 4, 5]), 4.0, 1.0)
                        k = int(np.clip(size * rng.uniform(0.08, 0.22) / scale, 15, 80) * scale**0.0)
                    elif kind == "WP":
                        members = np.flatnonzero(wp_group == m_group[m])
                        w = e[members] ** 2 * np.where(role[members] > 0, 3.0, 1.0)
                        k = int(np.clip(size * rng.uniform(0.18, 0.35) / scale, 25, 90))
                    else:
                        members = np.arange(len(cohort))
                        w = np.ones(len(members))
                        k = int(rng.integers(40, 121))
                    pick = members[_sample_unique(rng, np.cumsum(w), k)]
                    seen[pick] = True
                    r = role[pick].copy()
                    if kind == "RG":
                        r[np.isin(r, [1, 2])] = 0
                    elif kind == "workshop":
                        r[:] = 0
                    rows_m.append(np.full(len(pick), m))
                    rows_p.append(pick)
                    rows_r.append(r)
                # Everyone in the cohort attends at least one meeting of the year.
                missing = np.flatnonzero(~seen)
                if len(missing):
                    # Fill the small meetings up to ~75 participants, the rest goes to the plenaries.
                    counts = {int(m): 0 for m in other}
                    for mrow, prow in zip(rows_m, rows_p, strict=True):
                        if len(mrow) and int(mrow[0]) in counts:
                            counts[int(mrow[0])] += len(prow)
                    slots = np.repeat(other, [max(0, 75 - counts[int(m)]) for m in other]).astype(np.int64)
                    slots = rng.permutation(slots)[: len(missing)]
                    spill = len(missing) - len(slots)
                    targets = plen if len(plen) else other
                    where = np.concatenate([slots, targets[rng.integers(0, len(targets), spill)]])
                    where = where[rng.permutation(len(where))]
                    rows_m.append(where)
                    rows_p.append(missing)
                    rows_r.append(
                        np.where(
                            np.isin(m_kind[where], ["RG"]) & np.isin(role[missing], [1, 2]),
                            0,
                            np.where(m_kind[where] == "workshop", 0, role[missing]),
                        )
                    )
                mm = np.concatenate(rows_m)
                pp = cohort[np.concatenate(rows_p)]
                rr = np.concatenate(rows_r)
                # TSB staff at plenaries (all) and some other meetings.
                t_m, t_p = [], []
                for m in mrows:
                    go = np.ones(len(tsb), bool) if m in plen else rng.random(len(tsb)) < 0.25
                    t_m.append(np.full(int(go.sum()), m))
                    t_p.append(tsb[go])
                tm, tp = np.concatenate(t_m), np.concatenate(t_p)
                mm = np.concatenate([mm, tm])
                pp = np.concatenate([pp, tp])
                rr = np.concatenate([rr, np.full(len(tp), 6)])
                # Mode: the meeting's remote share, tilted towards remote for developing-country delegations.
                share = m_remote[mm]
                tilt = np.where(dev_country[people.country[pp]], 0.08, -0.05)
                p_remote = np.where((share >= 1.0) | (share <= 0.0), share, np.clip(share + tilt, 0, 1))
                p_remote = np.where(rr == 6, np.minimum(p_remote, np.where(share >= 1.0, 1.0, 0.0)), p_remote)
                remote = rng.random(len(mm)) < p_remote
                if sg != "SG5" or abs(dev_country[people.country[pp]].mean() - SG5_DEV_SHARE[year]) <= 0.008:
                    break
            out_m.append(mm)
            out_p.append(pp)
            out_r.append(rr)
            out_remote.append(remote)
    return Attendance(
        meeting=np.concatenate(out_m),
        person=np.concatenate(out_p),
        role=np.concatenate(out_r),
        remote=np.concatenate(out_remote),
        people=people,
        holders=holders,
    )


def _person_identities(rng: np.random.Generator, orgs: Orgs, people: _People):
    """Names and e-mails per person (fictional); ~10 % without e-mail, ~3 % with messy e-mail spellings."""
    n = people.n
    fem = np.array(FEMALE, dtype=object)
    mal = np.array(MALE, dtype=object)
    last = np.array(LAST, dtype=object)
    g = people.gender[:n]
    is_f = (g == 1) | ((g >= 2) & (rng.random(n) < 0.5))
    first = np.where(is_f, fem[rng.integers(0, len(fem), n)], mal[rng.integers(0, len(mal), n)])
    surname = last[rng.integers(0, len(last), n)]
    names = [f"{f} {s}" for f, s in zip(first, surname, strict=True)]
    domain = orgs.domain[people.aff[:n]]
    has_email = rng.random(n) >= 0.10
    is_tsb = orgs.category[people.aff[:n]] == "TSB"
    has_email |= is_tsb
    emails: list[str] = []
    used: set[str] = set()
    for f, s, d, ok in zip(first, surname, domain, has_email, strict=True):
        if not ok:
            emails.append("")
            continue
        local = re.sub(r"[^a-z0-9.]", "", _ascii(f"{f}.{s}").lower().replace(" ", ""))
        email = f"{local}@{d}"
        k = 2
        while email in used:
            email = f"{local}{k}@{d}"
            k += 1
        used.add(email)
        emails.append(email)
    messy = has_email & (rng.random(n) < 0.03)
    return np.array(names, dtype=object), np.array(emails, dtype=object), messy


def _attendance_frame(
    rng: np.random.Generator, orgs: Orgs, meetings: pd.DataFrame, att: Attendance, ref: Reference
) -> pd.DataFrame:
    names, emails, messy = _person_identities(rng, orgs, att.people)
    p = att.person
    people = att.people
    # Organisation as printed: the person's habit, sometimes another spelling of the same organisation.
    variant = people.variant[p].copy()
    redo = rng.random(len(p)) < 0.10
    variant[redo] = _variant_pick(rng, orgs, people.aff[p][redo], p_alias=0.05, p_other=0.5)
    org_text = orgs.var_text[variant]
    email = emails[p].copy()
    mess = messy[p] & (rng.random(len(p)) < 0.5)
    idx = np.flatnonzero(mess)
    style = rng.integers(0, 3, len(idx))
    for i, s in zip(idx.tolist(), style.tolist(), strict=True):
        e = email[i]
        email[i] = e.title() if s == 0 else (f" {e} " if s == 1 else e.upper())
    # Rows ordered by meeting (start date, id) and randomly within a meeting.
    rank = np.empty(len(meetings), np.int64)
    rank[np.lexsort((meetings["meeting_id"].to_numpy().astype(str), meetings["start_date"].to_numpy()))] = (
        np.arange(len(meetings))
    )
    order = np.lexsort((rng.random(len(p)), rank[att.meeting]))
    p, m = p[order], att.meeting[order]
    return pd.DataFrame(
        {
            "meeting_id": meetings["meeting_id"].to_numpy(dtype=object)[m],
            "participant_name": names[p],
            "participant_email": email[order],
            "organisation": org_text[order],
            "country_iso3": ref.iso3[people.country[p]],
            "role": np.array(ROLE_NAMES, dtype=object)[att.role[order]],
            "mode": np.where(att.remote[order], "remote", "on-site").astype(object),
            "gender": np.array(["M", "F", "X", ""], dtype=object)[people.gender[p]],
            "_year": meetings["year"].to_numpy()[m],
        }
    )


# ---------------------------------------------------------------------------------------------------------
# Contributions
def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (IP, IMT-2020, QoS...)."""
    first = text.split(" ", 1)[0]
    if not text or sum(c.isupper() for c in first) > 1 or any(c.isdigit() for c in first):
        return text
    return text[0].lower() + text[1:]


def _question_fragment(title: str) -> str:
    frag = re.split(r"[(;:]", title)[0].strip().rstrip(",")
    words = frag.split()
    return " ".join(words[:10])


def _contribution_weights(orgs: Orgs, sg: str, year: int, active: np.ndarray) -> np.ndarray:
    prof = PROFILES[sg]
    cat = orgs.category
    w = _sg_column(orgs, orgs.w_con, sg) * active
    ms = np.where(cat == "Member State", w, 0.0) ** 1.3
    org = np.where(np.isin(cat, ["Sector Member", "Associate", "Academia"]), w, 0.0)
    unresolved = np.where(cat == "unresolved", _sg_column(orgs, orgs.reg.astype(float), sg), 0.0)
    if sg == "SG20":  # SG20 and SG13 share their contributors (story 3)
        org = org * np.where(orgs.reg[:, BASE_SGS.index("SG13")], 2.5, 1.0)
    if sg == "SG15":
        giant = np.zeros(orgs.n, bool)
        giant[orgs.giants] = True
        org = np.where(giant, 0.0, org)
        rest = 1 - sum(GIANT_SHARES) - 0.003
        p = ms / ms.sum() * prof.ms_con_share * rest / (1 - sum(GIANT_SHARES)) + org / org.sum() * (
            rest - prof.ms_con_share * rest / (1 - sum(GIANT_SHARES))
        )
        p = _cap_shares(p, 0.1) * rest
        p[orgs.giants] = GIANT_SHARES
    else:
        p = ms / ms.sum() * prof.ms_con_share + org / org.sum() * (0.997 - prof.ms_con_share)
        p = _cap_shares(p, 0.085) * 0.997
    if unresolved.sum() > 0:
        p = p + unresolved / unresolved.sum() * 0.003
    return p / p.sum()


def _contributions_frame(
    rng: np.random.Generator,
    scale: int,
    ref: Reference,
    orgs: Orgs,
    meetings: pd.DataFrame,
    att: Attendance,
    work_item_names: dict[str, list[str]],
) -> pd.DataFrame:
    cat = orgs.category
    ms_row = np.full(len(ref.iso3), -1, np.int64)  # Member State row per country
    ms_idx = np.flatnonzero(cat == "Member State")
    ms_row[orgs.country[ms_idx]] = ms_idx
    columns = (
        "sg",
        "study_period",
        "doc_type",
        "meeting_id",
        "questions",
        "sources",
        "title",
        "counterpart",
        "outcome",
    )
    parts: dict[str, list] = {c: [] for c in columns}
    dates: list[np.ndarray] = []
    outcomes = np.array(["agreed", "partly agreed", "noted", "withdrawn"], dtype=object)

    def add(n: int, day: np.ndarray, **values) -> None:
        dates.append(np.asarray(day, dtype="datetime64[D]"))
        for c in columns:
            v = values[c]
            if c == "title":  # Arrow strings (no Python object per row)
                parts[c].append(v)
            else:
                parts[c].append(
                    np.full(n, v, dtype=object) if isinstance(v, str) else np.asarray(v, dtype=object)
                )

    plen = meetings[meetings["kind"].isin(["SG", "TSAG"])]
    people = att.people
    for sg in SG_ORDER:
        prof = PROFILES[sg]
        counterparts = np.array(COUNTERPARTS.get(sg, COUNTERPARTS["default"]), dtype=object)
        prev_end = None
        for m in plen[plen["sg"] == sg].itertuples():
            year = int(m.year)
            period = period_of(year)
            qs = ref.questions_by.get((sg, period), [])
            p = _contribution_weights(orgs, sg, year, _active(orgs, year))
            if sg == "SG3":
                n_c = int(round(prof.contributions * SG3_DECLINE ** (year - 2016))) * scale
            else:
                factor = 0.9 if year in (2020, 2021) else 1.0
                n_c = int(
                    round(
                        prof.contributions
                        * prof.trend ** (year - 2016)
                        * factor
                        * rng.uniform(0.88, 1.12)
                        * scale
                    )
                )
            start = np.datetime64(m.start_date, "D")
            end = np.datetime64(m.end_date, "D")
            common = dict(sg=sg, study_period=period, meeting_id=m.meeting_id)
            # --- C: primary sources by systematic sampling, ~25 % co-signed (often with a Member State).
            primary = _systematic(rng, p, n_c)
            co_pool = p.copy()
            co_pool[orgs.giants] = 0.0
            co_pool /= co_pool.sum()
            n_extra = np.where(
                rng.random(n_c) < 0.25, rng.choice([1, 2, 3, 4], n_c, p=[0.5, 0.3, 0.15, 0.05]), 0
            )
            n_extra[np.isin(primary, orgs.giants)] = 0
            extra_draw = rng.choice(orgs.n, size=int(n_extra.sum()), p=co_pool)
            ms_first = rng.random(n_c) < 0.4
            printed = orgs.var_text[_variant_pick(rng, orgs, primary, p_alias=0.08, p_other=0.14)].copy()
            signed = np.flatnonzero(n_extra)
            offsets = np.concatenate([[0], np.cumsum(n_extra[signed])])
            extra_variants = orgs.var_text[_variant_pick(rng, orgs, extra_draw, p_alias=0.08, p_other=0.14)]
            for j, i in enumerate(signed.tolist()):
                src = [int(primary[i])]
                names = [printed[i]]
                if ms_first[i] and cat[src[0]] != "Member State":
                    ms = int(ms_row[orgs.country[src[0]]])
                    if ms >= 0 and p[ms] > 0:
                        src.append(ms)
                        names.append(orgs.name[ms])
                for d, text in zip(
                    extra_draw[offsets[j] : offsets[j + 1]].tolist(),
                    extra_variants[offsets[j] : offsets[j + 1]],
                    strict=True,
                ):
                    if d not in src and len(src) <= n_extra[i]:
                        src.append(d)
                        names.append(text)
                printed[i] = "; ".join(names)
            c_q, c_first = _questions_for(rng, qs, n_c, two=0.25)
            add(
                n_c,
                start - rng.integers(1, 46, n_c).astype("timedelta64[D]"),
                doc_type="C",
                questions=c_q,
                sources=printed,
                title=_titles(rng, "C", sg, n_c, qs, c_q, c_first, work_item_names),
                counterpart="",
                outcome=outcomes[rng.choice(4, n_c, p=[0.42, 0.2, 0.33, 0.05])],
                **common,
            )
            # --- TD: sources are the organisations of the SG's officials (rapporteurs, editors, chairs).
            n_td = int(round(n_c * prof.td_ratio))
            h_ids, h_codes = att.holders[(sg, year)]
            hw = np.where(np.isin(h_codes, [3, 5]), 3.0, 1.0)
            authors = h_ids[rng.choice(len(h_ids), size=n_td, p=hw / hw.sum())]
            td_q, td_first = _questions_for(rng, qs, n_td, two=0.0)
            add(
                n_td,
                start - rng.integers(-int((end - start).astype(int)), 11, n_td).astype("timedelta64[D]"),
                doc_type="TD",
                questions=td_q,
                sources=orgs.var_text[people.variant[authors]],
                title=_titles(rng, "TD", sg, n_td, qs, td_q, td_first, work_item_names),
                counterpart="",
                outcome="",
                **common,
            )
            # --- Liaison statements: incoming (source = the other body), outgoing (drafted by an official).
            n_in = int(round(prof.ls_in * rng.uniform(0.85, 1.15) * scale))
            n_out = int(round(prof.ls_out * rng.uniform(0.8, 1.2) * scale))
            since = prev_end if prev_end is not None else start - np.timedelta64(180, "D")
            span = max(5, int((start - since).astype(int)))
            in_cp = counterparts[rng.integers(0, len(counterparts), n_in)]
            in_q, in_first = _questions_for(rng, qs, n_in, two=0.0)
            add(
                n_in,
                since + rng.integers(0, span, n_in).astype("timedelta64[D]"),
                doc_type="LS-in",
                questions=in_q,
                sources=in_cp,
                title=_titles(rng, "LS-in", sg, n_in, qs, in_q, in_first, work_item_names, in_cp),
                counterpart=in_cp,
                outcome="",
                **common,
            )
            out_cp = counterparts[rng.integers(0, len(counterparts), n_out)]
            out_q, out_first = _questions_for(rng, qs, n_out, two=0.0)
            drafters = h_ids[rng.choice(len(h_ids), size=n_out, p=hw / hw.sum())]
            add(
                n_out,
                end + rng.integers(0, 8, n_out).astype("timedelta64[D]"),
                doc_type="LS-out",
                questions=out_q,
                sources=orgs.var_text[people.variant[drafters]],
                title=_titles(rng, "LS-out", sg, n_out, qs, out_q, out_first, work_item_names, out_cp),
                counterpart=out_cp,
                outcome="",
                **common,
            )
            prev_end = end
    title = pa.concat_arrays(parts.pop("title"))
    cols = {c: np.concatenate(parts[c]) for c in columns if c != "title"}
    day = np.concatenate(dates)
    # Document numbers: C and TD series per (sg, study period), in submission order: T22-SG13-C-0123.
    sg_code, sg_names = pd.factorize(cols["sg"])
    period_code, period_names = pd.factorize(cols["study_period"])
    is_td = (cols["doc_type"] != "C").astype(np.int64)
    group, combos = pd.factorize((sg_code * len(period_names) + period_code) * 2 + is_td)
    n_p = len(period_names)
    labels = [
        f"{PERIOD_PREFIX[period_names[(c // 2) % n_p]]}-{sg_names[c // 2 // n_p]}-{'TD' if c % 2 else 'C'}"
        for c in combos
    ]
    order = np.lexsort((rng.random(len(day)), day.astype(np.int64), group))
    number = np.empty(len(day), np.int64)
    g_sorted = group[order]
    first = np.r_[0, np.flatnonzero(np.diff(g_sorted)) + 1]
    counts = np.diff(np.r_[first, len(order)])
    number[order] = np.arange(len(order)) - np.repeat(first, counts) + 1
    # Final order: by date, then by document id (series label, then number).
    label_rank = np.argsort(np.argsort(np.asarray(labels, dtype=str), kind="stable"), kind="stable")
    final = np.lexsort((number, label_rank[group], day.astype(np.int64)))
    doc = pc.binary_join_element_wise(
        pa.array(np.asarray(labels, dtype=object)).take(pa.array(group[final])),
        pc.utf8_lpad(pa.array(number[final]).cast(pa.string()), 4, "0"),
        "-",
    )
    data = {"document": _arrow_str(doc)}
    for c in ("sg", "study_period", "doc_type", "meeting_id"):
        data[c] = cols[c][final]
    data["submitted_on"] = _arrow_str(pa.array(day[final]).cast(pa.string()))
    for c in ("questions", "sources"):
        data[c] = cols[c][final]
    data["title"] = _arrow_str(title.take(pa.array(final)))
    for c in ("counterpart", "outcome"):
        data[c] = cols[c][final]
    return pd.DataFrame(data)


def _arrow_str(arr: pa.Array) -> pd.Series:
    """An Arrow string array as a pandas `str` Series without materialising Python strings."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Series(arr.to_pandas(types_mapper={pa.string(): _STR, pa.large_string(): _STR}.get))


_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def _questions_for(rng: np.random.Generator, qs: list[tuple[str, str]], n: int, two: float):
    """`;` lists of 1-2 Question codes of the SG (early Questions are busier) and the first one's index."""
    if not qs or n == 0:
        return np.full(n, "", dtype=object), np.full(n, -1, np.int64)
    k = len(qs)
    w = np.linspace(1.6, 0.6, k)
    w = w / w.sum()
    a = rng.choice(k, n, p=w)
    b = rng.choice(k, n, p=w)
    both = (rng.random(n) < two) & (a != b)
    codes = np.array([q for q, _ in qs], dtype=object)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out = codes[a].copy()
    out[both] = codes[lo[both]] + "; " + codes[hi[both]]
    first = np.where(both, lo, a)
    return out, first


def _titles(
    rng: np.random.Generator,
    doc_type: str,
    sg: str,
    n: int,
    qs: list[tuple[str, str]],
    q_codes: np.ndarray,
    q_first: np.ndarray,
    work_items: dict[str, list[str]],
    counterparts: np.ndarray | None = None,
) -> pa.Array:
    """Topic-like titles from the SG's vocabulary and Question titles (Arrow, vectorised)."""
    join = pc.binary_join_element_wise
    topics = pa.array(TOPICS[sg])
    t1 = rng.integers(0, len(topics), n)
    t2 = rng.integers(0, len(topics), n)
    with_second = (rng.random(n) < 0.35) & (t1 != t2)
    with_q = (rng.random(n) < 0.3) & (q_first >= 0)
    tmpl = rng.integers(0, len(C_TEMPLATES), n)
    pick = rng.integers(0, 1 << 30, n)
    if n == 0:
        return pa.array([], pa.string())
    topic = topics.take(pa.array(t1))
    topic = pc.if_else(pa.array(with_second), join(topic, topics.take(pa.array(t2)), " for "), topic)
    if doc_type == "C":
        title = join(pa.array(C_TEMPLATES).take(pa.array(tmpl)), topic, " ")
        if with_q.any():
            frag = pa.array([_lower_first(_question_fragment(t)) for _, t in qs]).take(
                pa.array(np.maximum(q_first, 0))
            )
            title = pc.if_else(pa.array(with_q), join(join(title, frag, " ("), ")", ""), title)
        return title
    if doc_type == "LS-in":
        return join("LS from", pa.array(counterparts, pa.string()), "on", topic, " ")
    if doc_type == "LS-out":
        return join(join("LS on", topic, "(to", pa.array(counterparts, pa.string()), " "), ")", "")
    first_q = pa.array(np.array([q for q, _ in qs] + [""], dtype=object)[q_first], pa.string())  # -1 -> ""
    kind = pick % 5
    has_q = pc.not_equal(first_q, "")
    title = join("Output text on", topic, " ")
    report = join("Report of", first_q, "rapporteur group meeting on", topic, " ")
    programme = join(join("Work programme of", first_q, " "), topic, ": ")
    title = pc.if_else(pc.and_(pa.array(kind == 0), has_q), report, title)
    title = pc.if_else(pc.and_(pa.array(kind == 3), has_q), programme, title)
    wis = work_items.get(sg, [])
    if wis:
        wi = pa.array(wis).take(pa.array(pick % len(wis)))
        title = pc.if_else(
            pa.array(kind == 1), join(join("Draft new Recommendation", wi, " "), topic, ": "), title
        )
        title = pc.if_else(pa.array(kind == 2), join("Updated draft", wi, "on", topic, " "), title)
    return title


# ---------------------------------------------------------------------------------------------------------
# Work items and Recommendations
@dataclass(frozen=True)
class Series:
    letter: str
    lo: int
    hi: int
    legacy: int  # numbers lo .. lo+legacy-1 existed before 2016


SERIES: dict[str, tuple[tuple[Series, float], ...]] = {
    "SG2": ((Series("E", 100, 300, 60), 0.6), (Series("M", 3000, 3400, 100), 0.4)),
    "SG3": ((Series("D", 100, 300, 60), 1.0),),
    "SG5": ((Series("K", 1, 200, 130), 0.5), (Series("L", 1000, 1500, 80), 0.5)),
    "SG9": ((Series("J", 100, 500, 200), 1.0),),
    "SG11": ((Series("Q", 3000, 4000, 300), 1.0),),
    "SG12": (
        (Series("P", 800, 1500, 200), 0.6),
        (Series("G", 1000, 1100, 40), 0.25),
        (Series("E", 800, 900, 60), 0.15),
    ),
    "SG13": ((Series("Y", 2000, 3000, 400), 0.35), (Series("Y", 3000, 4000, 150), 0.65)),
    "SG15": (
        (Series("G", 8000, 9000, 300), 0.45),
        (Series("G", 9700, 10000, 150), 0.4),
        (Series("G", 650, 700, 10), 0.15),
    ),
    "SG16": ((Series("H", 200, 900, 400), 0.7), (Series("F", 700, 800, 50), 0.3)),
    "SG17": ((Series("X", 1000, 2000, 300), 0.85), (Series("X", 500, 600, 20), 0.15)),
    "SG20": ((Series("Y", 4000, 5000, 150), 1.0),),
    "TSAG": ((Series("A", 1, 100, 25), 1.0),),
}
SERIES["SG21"] = SERIES["SG16"] + SERIES["SG9"]


class _RecRegistry:
    """Recommendation numbers per series: legacy numbers, newly allocated ones (in approval order), titles."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.next: dict[Series, int] = {}
        self.pool: dict[Series, list[str]] = {}  # numbers in order of first approval (legacy first)
        self.pool_days: dict[Series, list[int]] = {}
        self.titles: dict[str, str] = {}
        self.subs: dict[str, int] = {}
        self.supplements: dict[str, int] = {}

    def _ensure(self, s: Series) -> None:
        if s not in self.next:
            self.next[s] = 0
            self.pool[s] = [f"{s.letter}.{s.lo + k}" for k in range(s.legacy)]
            self.pool_days[s] = [-(10**6)] * s.legacy

    def new_id(self, s: Series, day: int) -> str:
        """A new number approved on `day` (days since 1970): the next free one, or a new part (G.8275.3)."""
        self._ensure(s)
        rec = None
        if self.rng.random() < 0.15:
            base = self.pool[s][int(self.rng.integers(len(self.pool[s])))]
            if base.count(".") == 1:
                self.subs[base] = self.subs.get(base, 0) + 1
                rec = f"{base}.{self.subs[base]}"
        if rec is None or rec in self.titles:
            width = s.hi - s.lo - s.legacy
            k = self.next[s]
            self.next[s] += 1
            number = s.lo + s.legacy + (k % width)
            rec = f"{s.letter}.{number}" if k < width else f"{s.letter}.{number}.{100 + k // width}"
        self.pool[s].append(rec)
        self.pool_days[s].append(day)
        return rec

    def pick_existing(self, s: Series, before: int) -> str:
        """A number approved before `before`; recent numbers are revised or amended more often."""
        self._ensure(s)
        n = bisect.bisect_left(self.pool_days[s], before)
        return self.pool[s][min(n - 1, int(n * self.rng.random() ** 0.5))]

    def supplement_id(self, letter: str) -> str:
        k = self.supplements.get(letter, 30 + int(self.rng.integers(0, 20)))
        self.supplements[letter] = k + 1
        return f"{letter}.Sup{k}"


def _work_items_and_recommendations(
    rng: np.random.Generator, scale: int, ref: Reference, meetings: pd.DataFrame
):
    registry = _RecRegistry(rng)
    consent: dict[str, np.ndarray] = {}
    for sg in SG_ORDER:
        mm = meetings[(meetings["sg"] == sg) & meetings["kind"].isin(["SG", "WP", "TSAG"])]
        consent[sg] = np.sort(mm["end_date"].to_numpy().astype("datetime64[D]"))
    q21 = [q for q, _ in ref.questions_by[("SG21", "2025-2028")]]
    start_sgs = {
        y: [s for s in SG_ORDER if (y in sg_years(s)) or (y < 2016 and 2016 in sg_years(s))]
        for y in range(2014, 2026)
    }
    day0 = np.datetime64("1970-01-01")
    batches: list[pd.DataFrame] = []
    for year in range(2014, 2026):
        for sg in start_sgs[year]:
            prof = PROFILES[sg]
            n = int(
                round(
                    prof.work_items
                    * scale
                    * (prof.trend ** max(0, year - 2016))
                    * (SG3_DECLINE ** max(0, year - 2016) if sg == "SG3" else 1.0)
                    * rng.uniform(0.85, 1.15)
                )
            )
            qs = ref.questions_by.get((sg, period_of(max(year, 2016))), [])
            sw = np.array([w for _, w in SERIES[sg]])
            started = _date(year, 1, 1) + rng.integers(0, 365, n).astype("timedelta64[D]")
            duration = np.clip(rng.lognormal(np.log(640), 0.35, n), 240, 1600).astype(int)
            tap = rng.random(n) < prof.tap_share
            deleted = rng.random(n) < 0.07
            stuck = ~deleted & (sg == "SG11") & (year >= 2015) & (rng.random(n) < SG11_STUCK)  # story 5
            intended = started + duration.astype("timedelta64[D]")
            approving = np.where(
                (sg in ("SG9", "SG16")) & (intended > np.datetime64("2024-12-31")), "SG21", sg
            )
            approved = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
            for who in np.unique(approving):
                sel = approving == who
                ends = consent[who]
                j = np.searchsorted(ends, intended[sel])
                ok = j < len(ends)
                day = np.full(int(sel.sum()), np.datetime64("NaT"), dtype="datetime64[D]")
                day[ok] = ends[j[ok]]
                approved[sel] = day
            approved = approved + np.where(tap, 0, rng.integers(28, 57, n)).astype("timedelta64[D]")
            approved[deleted | stuck | (approved > SAMPLE_END)] = np.datetime64("NaT")
            status = np.where(deleted, "deleted", np.where(np.isnat(approved), "ongoing", "approved"))
            keep = np.where(status == "approved", approved >= np.datetime64("2016-01-01"), year >= 2015)
            batches.append(
                pd.DataFrame(
                    {
                        "sg": sg,
                        "year": year,
                        "started": started,
                        "target": started + rng.integers(548, 914, n).astype("timedelta64[D]"),
                        "approved": approved,
                        "status": status,
                        "tap": tap,
                        "series": rng.choice(len(sw), n, p=sw / sw.sum()),
                        "revision": rng.random(n) < 0.35,
                        "t1": rng.integers(0, len(TOPICS[sg]), n),
                        "t2": np.where(rng.random(n) < 0.3, rng.integers(0, len(TOPICS[sg]), n), -1),
                        "aspect": rng.integers(0, len(ASPECTS), n),
                        "q": rng.integers(0, max(1, len(qs)), n),
                        "q21": rng.integers(0, len(q21), n),
                        "named": rng.random(n) < 0.92,
                    }
                )[keep]
            )
    items = pd.concat(batches, ignore_index=True)
    # Allocate numbers in approval order (open items at their start), so a revision or an amendment always
    # refers to a number that existed when the work started.
    started_day = (items["started"].to_numpy().astype("datetime64[D]") - day0).astype(np.int64)
    approved_day = (items["approved"].to_numpy().astype("datetime64[D]") - day0).astype("timedelta64[D]")
    is_app = (items["status"] == "approved").to_numpy()
    approved_int = np.where(is_app, approved_day.astype(np.int64), started_day)
    order = np.lexsort((np.arange(len(items)), approved_int))
    names: list[str] = [""] * len(items)
    titles: list[str] = [""] * len(items)
    rec_ids: list[str] = [""] * len(items)
    qtitle: list[str] = [""] * len(items)
    wi_names: set[str] = set()
    abbr = {sg: [_abbreviation(t) for t in TOPICS[sg]] for sg in TOPICS}
    cols = items[["sg", "year", "series", "revision", "t1", "t2", "aspect", "q"]].to_numpy(dtype=object)
    for i in order.tolist():
        sg, year, si, revision, t1, t2, ai, qi = cols[i]
        series = SERIES[sg][si][0]
        topic = TOPICS[sg][t1]
        code, aspect = ASPECTS[ai]
        qs = ref.questions_by.get((sg, period_of(max(year, 2016))), [])
        qtitle[i] = qs[qi][1] if qs else ""
        second = t2 >= 0 and t2 != t1
        if revision:
            rec_id = registry.pick_existing(series, int(started_day[i]))
            base_title = registry.titles.setdefault(rec_id, f"{aspect} of {topic}")
            name, title = f"{rec_id}rev", f"Revision of {rec_id}: {base_title}"
        else:
            rec_id = registry.new_id(series, int(approved_int[i])) if is_app[i] else ""
            name = f"{series.letter}.{abbr[sg][t1]}-{code}" + (f"-{abbr[sg][t2]}" if second else "")
            title = f"{aspect} of {topic}" + (f" for {TOPICS[sg][t2]}" if second else "")
            if rec_id:
                registry.titles.setdefault(rec_id, title)
        base_name, k = name, 2
        while name in wi_names:
            name = f"{base_name}{k}" if revision else f"{base_name}-{k}"
            k += 1
        wi_names.add(name)
        names[i], titles[i], rec_ids[i] = name, title, rec_id if is_app[i] else ""
    items["work_item"], items["title"], items["approved_as"], items["qtitle"] = names, titles, rec_ids, qtitle
    qcode = [
        (ref.questions_by.get((sg, period_of(max(y, 2016))), [("", "")]) or [("", "")])[q][0]
        for sg, y, q in items[["sg", "year", "q"]].itertuples(index=False)
    ]
    items["question"] = qcode
    # SG9/SG16 items still open in 2025, or approved in 2025, were transferred to SG21.
    moved = items["sg"].isin(["SG9", "SG16"]) & (
        (items["status"] == "ongoing") | (items["approved"] >= np.datetime64("2025-01-01"))
    )
    items.loc[moved, "sg"] = "SG21"
    items.loc[moved, "question"] = np.array(q21, dtype=object)[items.loc[moved, "q21"].to_numpy()]
    # Recommendations approved from work items (new / revised).
    app = items[is_app]
    base_title = [registry.titles[r] for r in app["approved_as"]]
    rec_title = np.where(app["revision"], base_title, app["title"])
    recs = pd.DataFrame(
        {
            "rec_id": app["approved_as"],
            "approved_on": app["approved"],
            "sg": app["sg"],
            "question": app["question"],
            "title": rec_title,
            "kind": np.where(app["revision"], "revised", "new"),
            "approval_process": np.where(app["tap"], "TAP", "AAP"),
            "work_item": np.where(app["named"], app["work_item"], ""),
            "abstract": [
                _abstract(t, q, TOPICS[sg][t1], r)
                for t, q, sg, t1, r in zip(
                    rec_title,
                    app["qtitle"],
                    app["sg"].where(app["sg"] != "SG21", "SG21"),
                    app["t1"],
                    app["revision"],
                    strict=True,
                )
            ],
        }
    )
    # Amendments, corrigenda and supplements (no work item), approved after consent meetings.
    extra: list[dict] = []
    for year in YEARS:
        for sg in SG_ORDER:
            if year not in sg_years(sg):
                continue
            ends = consent[sg][(consent[sg] >= _date(year, 1, 1)) & (consent[sg] <= _date(year, 12, 31))]
            if not len(ends):
                continue
            share = PROFILES[sg].work_items / 270
            qs = ref.questions_by.get((sg, period_of(year)), [])
            for kind, total in (("amendment", 38), ("corrigendum", 14), ("supplement", 18)):
                n = int(rng.poisson(total * share * scale))
                series_i = rng.integers(0, len(SERIES[sg]), n)
                on = ends[rng.integers(0, len(ends), n)] + rng.integers(28, 57, n).astype("timedelta64[D]")
                topic_i = rng.integers(0, len(TOPICS[sg]), n)
                q_i = rng.integers(0, max(1, len(qs)), n)
                aspect_i = rng.integers(0, len(ASPECTS), n)
                for k in range(n):
                    if on[k] > SAMPLE_END:
                        continue
                    series = SERIES[sg][series_i[k]][0]
                    topic = TOPICS[sg][topic_i[k]]
                    q = qs[q_i[k]] if qs else ("", "")
                    if kind == "supplement":
                        rec_id = registry.supplement_id(series.letter)
                        title = f"{series.letter}-series Recommendations – Supplement on {topic}"
                        process = ""
                    else:
                        rec_id = registry.pick_existing(series, int((on[k] - day0).astype(int)))
                        title = registry.titles.setdefault(rec_id, f"{ASPECTS[aspect_i[k]][1]} of {topic}")
                        process = "AAP"
                    extra.append(
                        dict(
                            rec_id=rec_id,
                            approved_on=on[k],
                            sg=sg,
                            question=q[0],
                            title=title,
                            kind=kind,
                            approval_process=process,
                            work_item="",
                            abstract=_abstract(title, q[1], topic, False, kind),
                        )
                    )
    rec_df = pd.concat([recs, pd.DataFrame(extra)], ignore_index=True)
    rec_df["approved_on"] = rec_df["approved_on"].to_numpy().astype("datetime64[D]")
    rec_df = rec_df.drop_duplicates(["rec_id", "approved_on", "kind"], keep="first")
    rec_df = rec_df.sort_values(["approved_on", "rec_id", "kind"], kind="stable").reset_index(drop=True)
    # Status consistent with later editions: the last new/revised edition is in force (a few withdrawn).
    editions = rec_df[rec_df["kind"].isin(["new", "revised"])]
    last_edition = editions.groupby("rec_id")["approved_on"].max()
    old = last_edition[last_edition < np.datetime64("2022-01-01")]
    withdrawn_ids = set(old.index[rng.random(len(old)) < 0.03])
    last = rec_df["rec_id"].map(last_edition).to_numpy()
    on = rec_df["approved_on"].to_numpy()
    later = ~pd.isna(last) & (pd.Series(last).fillna(on.min()).to_numpy() > on)
    rec_df["status"] = np.where(
        rec_df["kind"] == "supplement",
        "in force",
        np.where(
            later, "superseded", np.where(rec_df["rec_id"].isin(withdrawn_ids), "withdrawn", "in force")
        ),
    )
    rec_df["approved_on"] = _iso(rec_df["approved_on"].to_numpy())
    rec_df = rec_df[[c.name for c in TABLES_BY_NAME["recommendations"].columns]]
    wi_df = pd.DataFrame(
        {
            "work_item": items["work_item"],
            "sg": items["sg"],
            "question": items["question"],
            "title": items["title"],
            "started_on": _iso(items["started"].to_numpy().astype("datetime64[D]")),
            "target_on": _iso(items["target"].to_numpy().astype("datetime64[D]")),
            "status": items["status"],
            "approved_as": items["approved_as"],
        }
    )
    wi_df = wi_df.sort_values(["started_on", "work_item"], kind="stable").reset_index(drop=True)
    fresh = wi_df[~wi_df["work_item"].str.contains(r"rev\d*$", regex=True)]
    names_by_sg = {sg: g.tolist() for sg, g in fresh.groupby("sg")["work_item"]}
    return wi_df, rec_df, names_by_sg


def _abbreviation(topic: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", topic)
    if len(words) == 1:
        return words[0][:8]
    short = [w for w in words if w.lower() not in ("of", "and", "for", "in", "the", "over", "to")]
    return "".join(w if w.isupper() or any(c.isdigit() for c in w) else w[0].upper() for w in short)[:10]


def _abstract(title: str, qtitle: str, topic: str, revision: bool, kind: str = "new") -> str:
    what = {
        "amendment": "This amendment updates",
        "corrigendum": "This corrigendum corrects",
        "supplement": "This Supplement describes",
    }.get(kind, "This Recommendation revises" if revision else "This Recommendation specifies")
    text = f"{what} {_lower_first(title)}."
    if qtitle:
        study = _lower_first(_question_fragment(qtitle))
        text += f" It is developed under the study of {study} and covers {topic}."
    return text


# ---------------------------------------------------------------------------------------------------------
# Deliberately bad rows (the same twelve at every scale; documented in README.md)
def _bad_rows(
    tables: dict[str, pd.DataFrame], orgs_count: dict[str, int]
) -> dict[str, list[tuple[int, dict]]]:
    att = tables["attendance"]
    con = tables["contributions"]
    y23 = att[att["meeting_id"].str.startswith("SG12-2023")].index
    row = att.loc[y23[0]].to_dict()
    sg13 = att[att["meeting_id"].str.startswith("SG13-2023")].index
    dup_src = att.loc[sg13[5]].to_dict()
    bad_att = [
        dict(
            row,
            meeting_id="SG99-2023-1",
            participant_name="Rosa Lindqvist",
            participant_email="rosa.lindqvist@brightquay-mail.example",
            _bad="att-fk",
        ),
        dict(
            row,
            participant_name="Tomás Okafor",
            participant_email="tomas.okafor@ken-admin.example",
            organisation="",
            _bad="att-org",
        ),
        dict(
            row,
            participant_name="Leila Virtanen",
            participant_email="leila.virtanen@fin-admin.example",
            mode="hybrid",
            _bad="att-mode",
        ),
        dict(
            dup_src,
            participant_email=(dup_src["participant_email"] or "kofi.meyer@gha-admin.example").upper(),
            _bad="att-dup",
        ),
    ]
    c22 = con[con["document"].str.startswith("T22-SG13-C-")]
    c17 = con[con["document"].str.startswith("T17-SG16-C-")]
    original = con.loc[c22.index[10]].to_dict()
    bad_con = [
        dict(
            con.loc[c22.index[20]].to_dict(),
            document="T22-SG13-C-9001",
            submitted_on="2023-13-45",
            _bad="con-date",
        ),
        dict(original, title=original["title"] + " (resubmitted)", _bad="con-dup"),
        dict(
            con.loc[c17.index[30]].to_dict(),
            document="T17-SG21-C-0001",
            sg="SG21",
            study_period="2017-2020",
            _bad="con-sg",
        ),
    ]
    return {
        "attendance": [
            (int(y23[0]) + 1, bad_att[0]),
            (int(y23[0]) + 2, bad_att[1]),
            (int(y23[0]) + 3, bad_att[2]),
            (int(sg13[5]) + 1, bad_att[3]),
        ],
        "contributions": [
            (int(c22.index[20]), bad_con[0]),
            (int(c22.index[10]) + 200, bad_con[1]),
            (int(c17.index[30]), bad_con[2]),
        ],
        "meetings": [
            (
                len(tables["meetings"]),
                dict(
                    meeting_id="SG12-2019-10-WS9",
                    sg="SG12",
                    kind="workshop",
                    start_date=np.datetime64("2019-10-17"),
                    end_date=np.datetime64("2019-10-15"),
                    city="Geneva",
                    country_iso3="CHE",
                    format="physical",
                    _bad="meet-dates",
                ),
            )
        ],
        "members": [
            (
                len(tables["members"]),
                dict(
                    member_id=f"AC-{orgs_count['Academia'] + 1:04d}",
                    name="Institute of Ferrovane Signal Studies",
                    category="Academia",
                    country_iso3="XXX",
                    joined_on=dt.date(2019, 5, 14),
                    left_on=None,
                    sgs="SG12",
                    _bad="mem-country",
                ),
            )
        ],
        "org_aliases": [
            (
                len(tables["org_aliases"]) // 2,
                dict(alias="Qorvane Datalink", member_id="SM-9999", _bad="alias-fk"),
            )
        ],
        "recommendations": [
            (
                len(tables["recommendations"]) // 3,
                dict(
                    rec_id="Y.4999",
                    approved_on="2022-06-13",
                    sg="SG99",
                    question="",
                    title="Framework of IoT data exchange",
                    kind="new",
                    approval_process="AAP",
                    status="in force",
                    work_item="",
                    abstract="",
                    _bad="rec-sg",
                ),
            )
        ],
        "work_items": [
            (
                len(tables["work_items"]) // 2,
                dict(
                    work_item="Q.Test-reqts-bad",
                    sg="SG11",
                    question="Q9/11",
                    title="Requirements for benchmark testing",
                    started_on="2021-09-01",
                    target_on="2020-03-31",
                    status="ongoing",
                    approved_as="",
                    _bad="wi-dates",
                ),
            )
        ],
    }


def _insert(df: pd.DataFrame, rows: list[tuple[int, dict]]) -> pd.DataFrame:
    """Insert rows before the given positions (positions refer to the original frame)."""
    if not rows:
        return df
    df = df.copy()
    df["_pos"] = np.arange(len(df), dtype=float)
    extra = pd.DataFrame([dict(r, _pos=pos - 0.5 + 0.001 * k) for k, (pos, r) in enumerate(rows)])
    out = pd.concat([df, extra], ignore_index=True).sort_values("_pos", kind="stable")
    out["_bad"] = out["_bad"].fillna("")
    return out.drop(columns="_pos").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# Writers (deterministic bytes)
def _write_csv(df: pd.DataFrame, path: Path, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\n")
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))


FIXED_STAMP = dt.datetime(2025, 3, 1, 0, 0, 0)


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str, date_columns: Sequence[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(df.columns))
    cols = list(df.columns)
    date_pos = {cols.index(c) for c in date_columns}
    for values in df.itertuples(index=False):
        out = []
        for i, v in enumerate(values):
            if i in date_pos and isinstance(v, dt.date) and v.year < 1900:
                # Excel cannot hold a date before 1900 in a date cell: its exports write such dates as text.
                out.append(v.isoformat()[:10])
            elif i in date_pos and v is not None and not (isinstance(v, float) and np.isnan(v)):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif v is None or (isinstance(v, float) and np.isnan(v)) or v == "":
                out.append(None)
            else:
                out.append(v)
        ws.append(out)
    wb.properties.creator = "pipelines.sample.generate"
    wb.properties.created = FIXED_STAMP
    wb.properties.modified = FIXED_STAMP
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps the save time and zip entry times: rewrite them so the bytes are reproducible.
    stamp = b"2025-03-01T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _write_parquet(df: pd.DataFrame, path: Path, date_columns: Sequence[str]) -> None:
    arrays = {}
    for col in df.columns:
        values = df[col].to_numpy()
        if col in date_columns:
            arrays[col] = pa.array(values.astype("datetime64[D]"), type=pa.date32())
        else:
            arrays[col] = pa.array(np.asarray(values, dtype=object), type=pa.string())
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(arrays), path, compression="zstd")


def _clear(out_dir: Path) -> None:
    """Remove previous export batches of the ten tables (only files this generator writes)."""
    for table in TABLES:
        folder = out_dir / table
        if folder.is_dir():
            for p in folder.iterdir():
                if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".parquet"):
                    p.unlink()


# ---------------------------------------------------------------------------------------------------------
# Summary of the planted stories and calibration figures (written into README.md)
def _resolver(tables: dict[str, pd.DataFrame]):
    lookup: dict[str, str] = {}
    for mid, name in zip(tables["members"]["member_id"], tables["members"]["name"], strict=True):
        lookup[normalise_org(name)] = mid
    for alias, mid in zip(tables["org_aliases"]["alias"], tables["org_aliases"]["member_id"], strict=True):
        lookup.setdefault(normalise_org(alias), mid)
    for iso, name in zip(tables["countries"]["iso3"], tables["countries"]["name"], strict=True):
        lookup.setdefault(normalise_org(name), f"MS-{iso}")
        lookup.setdefault(iso.casefold(), f"MS-{iso}")
    cache: dict[str, str] = {}

    def resolve(name: str) -> str:
        if name not in cache:
            norm = normalise_org(name)
            cache[name] = lookup.get(norm, f"unresolved:{norm}")
        return cache[name]

    return resolve


def participant_keys(att: pd.DataFrame) -> pd.Series:
    """Normalised e-mail, else normalised name plus delegation (the contract's participant identity)."""
    email = att["participant_email"].fillna("").str.replace(r"\s+", "", regex=True).str.casefold()
    name = (
        att["participant_name"].fillna("").str.strip().str.casefold() + "|" + att["country_iso3"].fillna("")
    )
    return email.where(email != "", name)


def summarise(tables: dict[str, pd.DataFrame]) -> dict:
    """The planted-story and calibration figures, computed the simple way (see README.md for definitions)."""
    resolve = _resolver(tables)
    meet = tables["meetings"].set_index("meeting_id")
    att = tables["attendance"]
    a = pd.DataFrame(
        {
            "sg": att["meeting_id"].map(meet["sg"]),
            "kind": att["meeting_id"].map(meet["kind"]),
            "meeting_id": att["meeting_id"],
            "year": att["_year"].astype(int),
            "key": pd.factorize(participant_keys(att))[0],
            "country": att["country_iso3"],
            "remote": att["mode"] == "remote",
            "female": att["gender"] == "F",
        }
    )
    dev = set(
        tables["countries"].loc[tables["countries"]["development_status"].isin(["developing", "LDC"]), "iso3"]
    )
    a["dev"] = a["country"].isin(dev)
    out: dict = {}
    unique = a.groupby(["sg", "year"])["key"].nunique()
    plen = a[a["kind"].isin(["SG", "TSAG"])]
    plen_size = plen.groupby(["sg", "meeting_id"]).size()
    out["plenary"] = {
        sg: (int(s.min()), int(s.median()), int(s.max())) for sg, s in plen_size.groupby(level=0)
    }
    out["countries"] = {
        sg: (int(s.min()), int(s.max()))
        for sg, s in plen.groupby(["sg", "meeting_id"])["country"].nunique().groupby(level=0)
    }
    out["remote_by_year"] = a.groupby("year")["remote"].mean().round(3).to_dict()
    sg13 = plen[(plen["sg"] == "SG13") & (plen["year"] >= 2022)].groupby("meeting_id")["remote"].mean()
    out["sg13_remote"] = (round(float(sg13.min()), 2), round(float(sg13.max()), 2)) if len(sg13) else (0, 0)
    ky = a[["sg", "year", "key"]].drop_duplicates()
    ky = ky.join(ky.groupby(["sg", "key"])["year"].min().rename("first"), on=["sg", "key"])
    newcomer = (ky["first"] == ky["year"]).groupby([ky["sg"], ky["year"]]).mean()
    out["newcomers"] = (
        newcomer[newcomer.index.get_level_values(1) > ky["year"].min()]
        .groupby(level=0)
        .median()
        .round(2)
        .to_dict()
    )
    size = ky.groupby(["sg", "year"]).size()
    stayed = ky.merge(ky[["sg", "year", "key"]].assign(year=ky["year"] + 1), on=["sg", "year", "key"])
    stayed = stayed.groupby(["sg", "year"]).size()
    prev = size.rename(index=lambda y: y + 1, level=1)
    rate = (stayed / prev.reindex(stayed.index)).dropna()
    out["retention"] = rate.groupby(level=0).median().round(2).to_dict()
    people_year = a.drop_duplicates(["year", "key"])
    out["female_by_year"] = people_year.groupby("year")["female"].mean().round(3).to_dict()
    # Story 1: SG3 decline.
    c = tables["contributions"]
    cc = c[c["doc_type"] == "C"].copy()
    cc["year"] = cc["meeting_id"].map(pd.to_datetime(meet["start_date"]).dt.year).astype(int)
    out["sg3_participants"] = {int(y): int(v) for y, v in unique.loc["SG3"].items()}
    out["sg3_contributions"] = {
        int(y): int(v) for y, v in cc[cc["sg"] == "SG3"].groupby("year").size().items()
    }
    out["contributions_per_plenary"] = {
        sg: (int(s.min()), int(s.max())) for sg, s in cc.groupby(["sg", "meeting_id"]).size().groupby(level=0)
    }
    # Story 2: concentration of fractional C weight.
    src = cc[["sg", "year", "sources"]].assign(entity=cc["sources"].str.split(";")).explode("entity")
    codes, uniques = pd.factorize(src["entity"].str.strip())
    src["entity"] = np.array([resolve(u) for u in uniques], dtype=object)[codes]
    src["w"] = 1.0 / src.groupby(level=0)["entity"].transform("size")
    weight = src.groupby(["sg", "year", "entity"])["w"].sum()
    share = weight / weight.groupby(level=[0, 1]).transform("sum")
    hhi = (share**2).groupby(level=[0, 1]).sum()
    out["hhi"] = {(sg, int(y)): round(float(v), 3) for (sg, y), v in hhi.items()}
    top3, elephant = {}, {}
    for y, s in share.loc["SG15"].groupby(level=0):
        s = s.sort_values(ascending=False)
        top3[int(y)] = round(float(s.iloc[:3].sum()), 3)
        elephant[int(y)] = int((s.cumsum().to_numpy() < 0.5).sum() + 1)
    out["sg15_top3"], out["sg15_elephant"] = top3, elephant
    active = share[share >= 0.02].groupby(level=[0, 1]).size()
    out["min_entities_2pct"] = {sg: int(v.min()) for sg, v in active.groupby(level=0)}
    out["max_share_other"] = float(share.drop("SG15", level=0).max())
    # Story 3: overlap of contributing entities and title vocabulary between SG pairs.
    ents = src.groupby("sg")["entity"].agg(set)
    words = (
        cc[["sg", "title"]]
        .drop_duplicates()
        .groupby("sg")["title"]
        .agg(lambda t: set(re.findall(r"[a-z][a-z0-9-]{3,}", " ".join(t).lower())))
    )
    pairs = {}
    successor = {("SG16", "SG21"), ("SG21", "SG9"), ("SG16", "SG9")}
    names = sorted(ents.index)
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            if (x, y) in successor:
                continue
            pairs[(x, y)] = (
                len(ents[x] & ents[y]) / len(ents[x] | ents[y]),
                len(words[x] & words[y]) / len(words[x] | words[y]),
            )
    out["overlap"] = pairs
    # Story 4: SG5 developing/LDC share of attendance records.
    s5 = a[a["sg"] == "SG5"]
    out["sg5_dev_share"] = s5.groupby("year")["dev"].mean().round(3).to_dict()
    # Story 5: SG11 work items ongoing and past their target at each year end.
    wi = tables["work_items"]
    backlog = {}
    for sg, g in wi[wi["status"] == "ongoing"].groupby("sg"):
        backlog[sg] = {
            y: int(((g["started_on"] <= f"{y}-12-31") & (g["target_on"] < f"{y}-12-31")).sum()) for y in YEARS
        }
    out["backlog"] = backlog
    rec = tables["recommendations"]
    nr = rec[rec["kind"].isin(["new", "revised"])]
    out["recs_per_year"] = nr.groupby(nr["approved_on"].str[:4]).size().astype(int).to_dict()
    out["aap_share"] = round(
        float((rec.loc[rec["kind"] != "supplement", "approval_process"] == "AAP").mean()), 3
    )
    # Names that resolve to no member.
    names_att = set(att["organisation"].unique().tolist())
    lists = pd.Series(c.loc[c["doc_type"] != "LS-in", "sources"].unique())
    names_src = set(lists.str.split(";").explode().str.strip().unique().tolist())
    unresolved: dict[str, str] = {}
    for n in sorted(names_att | names_src, key=lambda t: (t.isupper(), t)):
        if n and resolve(n).startswith("unresolved:"):
            unresolved.setdefault(resolve(n), n)
    out["unresolved"] = sorted(unresolved.values())
    out["counterparts"] = sorted(c.loc[c["doc_type"] == "LS-in", "sources"].unique())
    out["members"] = tables["members"]["category"].value_counts().to_dict()
    return out


def _fmt_years(d: dict, digits: int | None = None) -> str:
    def f(v):
        if digits is None:
            return f"{v}"
        return f"{100 * v:.{digits}f}%"

    return " · ".join(f"{y}: {f(d[y])}" for y in sorted(d))


README_TEMPLATE = """\
# Bundled raw sample (SYNTHETIC)

> {notice}

Written by `pipelines.sample.generate` (`sgpulse sample`, or
`python -m pipelines.sample.generate --out data/raw --scale 1 --seed {default_seed}`). This folder is the
output at **scale {scale}, seed {seed}**; regenerating with the same seed and scale gives identical bytes.
Only scale 1 is committed (scale 100 is a load test: ~100x rows).

Real: `study_groups`, `questions`, `countries` (copied from `pipelines/sample/reference/`). Fictional: every
organisation and person name, e-mail, meeting list, document, work item and Recommendation number (numbers
follow the real series, e.g. `Y.3xxx` for SG13, texts are generated). Organisation names are built from
neutral syllables and checked against a list of real brands.

## Files

| table | file(s) | rows |
|---|---|---|
| study_groups | `study_groups/study_groups.csv` | {rows[study_groups]:,} |
| questions | `questions/questions.csv` | {rows[questions]:,} |
| countries | `countries/countries.csv` | {rows[countries]:,} |
| members | `members/members.xlsx` (XLSX, date cells; a date before 1900 as ISO text, as Excel writes it) | {rows[members]:,} |
| org_aliases | `org_aliases/org_aliases.csv` | {rows[org_aliases]:,} |
| meetings | `meetings/meetings.parquet` (Parquet, `date32` dates) | {rows[meetings]:,} |
| attendance | `attendance/attendance-<year>.csv`, one per year (**2019 has a UTF-8 BOM**) \
| {rows[attendance]:,} |
| contributions | `contributions/contributions-T17.parquet`, `-T22.parquet` (closed periods), `-T25.csv` \
| {rows[contributions]:,} |
| recommendations | `recommendations/recommendations.csv` | {rows[recommendations]:,} |
| work_items | `work_items/work-programme-2014-2021.csv`, `work-programme-2022-2025.csv` (by start) \
| {rows[work_items]:,} |

Row counts include the deliberately bad rows listed below.

## Modelling choices

- **Years 2016-2025.** The 2013-2016 study period is not in the reference data, so 2016 activity is mapped
  onto the 2017-2020 study groups and Questions (`study_period` `2017-2020`, documents numbered `T17-...`).
  2021 belongs to 2017-2020 (extended to WTSA-20, March 2022), 2022-2024 to `2022-2024`, 2025 to `2025-2028`,
  where SG9 and SG16 no longer exist and SG21 does (its people, members and open work items come from
  SG9/SG16). Work items may start in 2014-2015 when they are approved in 2016 or later.
- **Members**: all 193 Member States (`MS-<ISO3>`, named as in `countries`) plus fictional Sector Members
  (`SM-`), Associates (`AS-`, exactly one SG each) and Academia (`AC-`): {members}. Joining and leaving dates
  make membership grow and churn; `sgs` is the registration at the end of 2025 (SG9/SG16 registrations of
  current members read SG21). Member States have an empty `sgs` (they take part everywhere).
- **Meetings**: per SG and year 1-2 plenaries (kind `SG`; SG11/SG13/SG15/SG17 two), separate `WP` and `RG`
  meetings, some `workshop`s; TSAG 1-2 a year (kind `TSAG`). Ids: `SG13-2023-03-P`, `SG13-2023-06-RG2`,
  `SG13-2023-06-WP1`, `SG5-2019-10-WS1`, `TSAG-2023-05`. Format `physical` before March 2020 (2-12 % remote
  participants), `virtual` March 2020 - December 2021 (city and country empty, everyone remote), `hybrid` from
  2022 except some small meetings hosted outside Geneva (`physical`, nobody remote).
- **Attendance**: one row per participant and meeting. Each SG keeps a persistent pool of people; every year
  some stay, a few come back, the rest are newcomers (SG20 recruits many SG13 people, TSAG recruits from all
  SGs, SG21 starts from the 2024 SG9 and SG16 people). ~10 % of people have no e-mail; ~3 % have their e-mail
  written with other case or stray spaces on some rows (same person: key on the normalised e-mail).
- **Organisation names as printed** vary: canonical name, case, doubled spaces and legal suffixes (`Ltd.`,
  `, Inc.`, `Co., Ltd.`, `GmbH`, `S.A.`...) that the normalisation rule resolves, and aliases that only
  `org_aliases` resolves (abbreviations like `NVK Networks`, national subsidiaries like `<name> India`,
  `Univ. of <place>`, `Administration of <country>`, `Republic of Korea`). Member States appear by country
  name (mostly) or ISO3 code. Delegates of a subsidiary carry the subsidiary's country.
- **Contributions**: `C` (sources: members, ~25 % co-signed by 2-5 entities, often the company and its Member
  State), `TD` (source: the organisation of the official who wrote it - rapporteur, editor, chair), `LS-in`
  (source and `counterpart`: the external body, e.g. `3GPP`), `LS-out` (source: the drafting official's
  organisation; `counterpart`: the addressee). Ids `T22-SG13-C-0123` (C series) and `T22-SG13-TD-0456` (TD and
  LS series), numbered per SG and period in submission order. `questions` uses the real Question codes.
- **Recommendations and work items**: new/revised Recommendations come from approved work items (approval at
  a plenary or WP meeting: TAP on its last day, AAP 4-8 weeks later), plus amendments, corrigenda and
  supplements (`Y.Sup42`). `status`: the last new/revised edition of a `rec_id` is `in force` (a few
  `withdrawn`), earlier editions and their amendments `superseded`. SG9/SG16 items open in 2025 moved to SG21.

## Planted stories (what the KPIs must show)

Numbers computed by `summarise()` on the good rows: participant = normalised e-mail, else name + delegation;
year of a contribution = year of its meeting; fractional weight = each `C` split equally among its resolved
sources (member id, Member State by name or ISO3 code, or `unresolved:<name>`).

1. **Steady decline of SG3.** Distinct participants: {p3}. Contributions (C): {c3}. Year-on-year change
   {p3_lo:.0f}% to {p3_hi:.0f}% (participants), {c3_lo:.0f}% to {c3_hi:.0f}% (C), never a bounce.
2. **Dominance in SG15.** Three Sector Members (`SM-0001`..`SM-0003`) hold about 32 %, 16 % and 12 % of
   SG15's fractional C weight every year (top-3 share: {top3}), so the elephant factor (fewest entities
   reaching 50 %) is {elephant}. SG15 has the highest HHI of all SGs every year: SG15 {hhi15}; highest other
   SG: {hhi_other}. Outside SG15 no entity holds more than {max_share:.0f} % of an SG-year and every SG-year
   has at least {min_entities} entities with >= 2 % of the weight.
3. **Overlap SG13 / SG20.** Jaccard similarity of contributing entities (C sources, all years): SG13-SG20
   {ent13:.2f}, next pair {ent_next} {ent_next_v:.2f}. Jaccard of title words (4+ letters): SG13-SG20
   {word13:.2f}, next {word_next} {word_next_v:.2f}. Both SGs draw titles from a shared vocabulary (IoT,
   digital twin, machine learning, network slicing, edge computing, smart city platform, big data, cloud
   computing...). Successor pairs (SG9/SG16 vs SG21) are left out: they share by construction.
4. **Rising developing-country participation in SG5.** Share of SG5 attendance records whose delegation
   (`country_iso3`) is `developing` or `LDC`: {sg5}.
5. **Growing overdue backlog in SG11.** About a third of the work items SG11 starts (from 2015) never leave
   `ongoing`. Work items with status `ongoing`, `started_on` <= 31 Dec and `target_on` < 31 Dec of the year:
   SG11 {sg11}; highest other SG {sg11_other} (elsewhere only recent items run late).
6. **Virtual years.** Share of remote attendance records: {remote}. SG13 plenaries from 2022:
   {sg13_lo:.0f}-{sg13_hi:.0f} % remote.

## Calibration (published ITU-T figures -> this sample)

| SG | plenary participants min/median/max | countries per plenary | C per plenary | newcomers | retention |
|---|---|---|---|---|---|
{calibration}

Newcomers and retention are medians over the years (share of a year's participants never seen in that SG
before; share of last year's participants seen again). Targets: SG13 plenaries 338-366 participants, 224-299
C, 56-77 % remote from 2022; SG15 330-380 and 290-360 C; SG2 120-200 and 60-90 C (~100 incoming LS); SG12
115-160 and ~75 C; SG11 ~180; SG17 200-250; SG16 180-230; smaller SGs 80-180; RG/WP meetings 15-90. SG21
exists in 2025 only, so all its people are new to *SG21* (not to ITU-T: they come from SG9/SG16). New or
revised Recommendations per year: {recs} (AAP share of approvals {aap:.0f} %). Share of women among
participants: {female}.

## Names that resolve to no member

Attendance lists and C/TD/LS-out sources contain these names on purpose (the unresolved-organisations list
must not be empty): {unresolved}. `ITU/TSB` is the organisation of TSB staff (role `TSB`). Incoming liaison
statements (`LS-in`) carry the external body as source (same as `counterpart`): {counterparts}. They are not
ITU-T members: keep them out of member/entity KPIs (or list them apart) rather than aliasing them.

## Deliberately bad rows (the same at every scale)

| table | file | data row | what | reason the pipeline should give |
|---|---|---|---|---|
{bad_rows}

Everything else is valid: every raw row should land in staging except these {n_bad} (quarantine).
"""


def _write_readme(
    out_dir: Path,
    seed: int,
    scale: int,
    rows: dict[str, int],
    summary: dict,
    bad_located: list[tuple[str, str, int, str]],
) -> None:
    s = summary
    years = list(YEARS)
    hhi = s["hhi"]
    sgs = sorted({sg for sg, _ in hhi}, key=lambda g: (g == "TSAG", int(g[2:]) if g != "TSAG" else 0))
    max_other = {y: max((v, sg) for (sg, yy), v in hhi.items() if yy == y and sg != "SG15") for y in years}
    p3, c3 = s["sg3_participants"], s["sg3_contributions"]
    change_p = [100 * (p3[y] / p3[y - 1] - 1) for y in years[1:]]
    change_c = [100 * (c3[y] / c3[y - 1] - 1) for y in years[1:]]
    o13 = s["overlap"][("SG13", "SG20")]
    next_ent = max((kv for kv in s["overlap"].items() if kv[0] != ("SG13", "SG20")), key=lambda kv: kv[1][0])
    next_word = max((kv for kv in s["overlap"].items() if kv[0] != ("SG13", "SG20")), key=lambda kv: kv[1][1])
    backlog = s["backlog"]
    calibration = []
    for sg in sgs:
        pl = s["plenary"].get(sg, (0, 0, 0))
        co = s["countries"].get(sg, (0, 0))
        cp = s["contributions_per_plenary"].get(sg, (0, 0))
        retention = f"{s['retention'][sg]:.2f}" if sg in s["retention"] else "n/a (2025 only)"
        calibration.append(
            f"| {sg} | {pl[0]} / {pl[1]} / {pl[2]} | {co[0]}-{co[1]} | {cp[0]}-{cp[1]} | "
            f"{s['newcomers'].get(sg, 1.0):.2f} | {retention} |"
        )
    text = README_TEMPLATE.format(
        notice=NOTICE,
        default_seed=DEFAULT_SEED,
        scale=scale,
        seed=seed,
        rows=rows,
        members=", ".join(f"{v} {k}" for k, v in sorted(s["members"].items(), key=lambda kv: -kv[1])),
        p3=_fmt_years(p3),
        c3=_fmt_years(c3),
        p3_lo=min(change_p),
        p3_hi=max(change_p),
        c3_lo=min(change_c),
        c3_hi=max(change_c),
        top3=_fmt_years(s["sg15_top3"], 0),
        elephant=" or ".join(sorted({str(v) for v in s["sg15_elephant"].values()})),
        hhi15=_fmt_years({y: hhi[("SG15", y)] for y in years}),
        hhi_other=" · ".join(f"{y}: {max_other[y][0]} ({max_other[y][1]})" for y in years),
        max_share=100 * s["max_share_other"],
        min_entities=min(v for sg, v in s["min_entities_2pct"].items() if sg != "SG15"),
        ent13=o13[0],
        ent_next="-".join(next_ent[0]),
        ent_next_v=next_ent[1][0],
        word13=o13[1],
        word_next="-".join(next_word[0]),
        word_next_v=next_word[1][1],
        sg5=_fmt_years(s["sg5_dev_share"], 0),
        sg11=_fmt_years(backlog.get("SG11", {})),
        sg11_other=_fmt_years({y: max(v[y] for sg, v in backlog.items() if sg != "SG11") for y in years}),
        remote=_fmt_years(s["remote_by_year"], 0),
        sg13_lo=100 * s["sg13_remote"][0],
        sg13_hi=100 * s["sg13_remote"][1],
        calibration="\n".join(calibration),
        recs=_fmt_years(s["recs_per_year"]),
        aap=100 * s["aap_share"],
        female=_fmt_years(s["female_by_year"], 0),
        unresolved=", ".join(f"`{n}`" for n in s["unresolved"]),
        counterparts=", ".join(f"`{n}`" for n in s["counterparts"]),
        bad_rows="\n".join(
            f"| {t} | `{f}` | {row} | {BAD_ROWS_DOC[code][0]} | {BAD_ROWS_DOC[code][1]} |"
            for t, f, row, code in bad_located
        ),
        n_bad=len(bad_located),
    )
    (out_dir / "README.md").write_text(text, encoding="utf-8")


BAD_ROWS_DOC = {  # code -> (what, the reason the pipeline should give)
    "att-fk": ("`meeting_id` `SG99-2023-1`", "meeting_id 'SG99-2023-1' not in meetings"),
    "att-org": ("empty `organisation`", "required value organisation is missing"),
    "att-mode": ("`mode` `hybrid`", "mode 'hybrid' is not one of: on-site, remote"),
    "att-dup": (
        "the person of the row before again, e-mail in upper case",
        "duplicate key (meeting_id, participant): the later copy",
    ),
    "con-date": ("`T22-SG13-C-9001`, `submitted_on` `2023-13-45`", "submitted_on '2023-13-45' is not a date"),
    "con-dup": (
        "second copy of `T22-SG13-C-0011` (title + resubmitted)",
        "duplicate key document: the later copy",
    ),
    "con-sg": (
        "`T17-SG21-C-0001`: SG21 in study period 2017-2020",
        "sg 'SG21' not in study_groups for 2017-2020",
    ),
    "meet-dates": (
        "`SG12-2019-10-WS9` ends before it starts",
        "end_date is before start_date (nothing refers to it)",
    ),
    "mem-country": ("Academia member with `country_iso3` `XXX`", "country_iso3 'XXX' not in countries"),
    "alias-fk": ("`Qorvane Datalink` -> `SM-9999`", "member_id 'SM-9999' not in members"),
    "rec-sg": ("`Y.4999` with `sg` `SG99`", "sg 'SG99' not in study_groups"),
    "wi-dates": ("`Q.Test-reqts-bad`: `target_on` before `started_on`", "target_on is before started_on"),
}


# ---------------------------------------------------------------------------------------------------------
def build_tables(scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All ten raw tables as DataFrames (before the deliberately bad rows are inserted)."""
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    ref = load_reference()
    streams = np.random.SeedSequence([seed, scale]).spawn(6)
    rng_org, rng_meet, rng_people, rng_wi, rng_con, rng_out = (np.random.default_rng(s) for s in streams)
    orgs = _make_orgs(rng_org, scale, ref)
    meetings = _make_meetings(rng_meet, scale, ref)
    att = _simulate_people(rng_people, scale, ref, orgs, meetings)
    work_items, recs, wi_names = _work_items_and_recommendations(rng_wi, scale, ref, meetings)
    contributions = _contributions_frame(rng_con, scale, ref, orgs, meetings, att, wi_names)
    attendance = _attendance_frame(rng_out, orgs, meetings, att, ref)

    # members (snapshot at the end of 2025: SG9/SG16 registrations of current members read SG21)
    real = np.flatnonzero(orgs.member_id != "")
    sgs = []
    for i in real:
        regs = [s for s, on in zip(BASE_SGS, orgs.reg[i], strict=True) if on]
        if orgs.category[i] == "Member State":
            sgs.append("")
            continue
        current = np.isnat(orgs.left[i]) or orgs.left[i] >= np.datetime64("2025-01-01")
        if current and any(s in ("SG9", "SG16") for s in regs):
            regs = [s for s in regs if s not in ("SG9", "SG16")] + ["SG21"]
        regs = sorted(set(regs), key=lambda s: (s == "TSAG", int(s[2:]) if s != "TSAG" else 0))
        sgs.append("; ".join(regs))
    members = pd.DataFrame(
        {
            "member_id": orgs.member_id[real],
            "name": orgs.name[real],
            "category": orgs.category[real],
            "country_iso3": ref.iso3[orgs.country[real]],
            "joined_on": [d.astype(object) for d in orgs.joined[real]],
            "left_on": [None if np.isnat(d) else d.astype(object) for d in orgs.left[real]],
            "sgs": sgs,
        }
    )
    order = {"Member State": 0, "Sector Member": 1, "Associate": 2, "Academia": 3}
    members["_o"] = members["category"].map(order)
    members = (
        members.sort_values(["_o", "member_id"], kind="stable").drop(columns="_o").reset_index(drop=True)
    )
    aliases = pd.DataFrame(orgs.alias_rows, columns=["alias", "member_id"])
    mt = meetings[
        ["meeting_id", "sg", "kind", "start_date", "end_date", "city", "country_iso3", "format"]
    ].copy()
    mt = mt.sort_values(["start_date", "meeting_id"], kind="stable").reset_index(drop=True)
    return {
        "study_groups": ref.study_groups.copy(),
        "questions": ref.questions.copy(),
        "countries": ref.countries.copy(),
        "members": members,
        "org_aliases": aliases,
        "meetings": mt,
        "attendance": attendance,
        "contributions": contributions,
        "recommendations": recs,
        "work_items": work_items,
    }


def generate_sample(out_dir: Path, scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the raw directory (`<out_dir>/<table>/...`, README.md, DATASET.yaml); return rows per table."""
    out_dir = Path(out_dir)
    tables = build_tables(scale=scale, seed=seed)
    summary = summarise(tables)
    counts = {"Academia": int((tables["members"]["category"] == "Academia").sum())}
    bad = _bad_rows(tables, counts)
    for name, rows in bad.items():
        tables[name] = _insert(tables[name], rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    located: list[tuple[str, str, int, str]] = []  # (table, file, 1-based data row, bad-row code)

    def emit(table: str, df: pd.DataFrame, name: str, write, *args, **kwargs) -> None:
        if "_bad" in df.columns:
            marks = df["_bad"].to_numpy(dtype=object)
            located.extend(
                (table, f"{table}/{name}", int(i) + 1, marks[i]) for i in np.flatnonzero(marks != "")
            )
            df = df.drop(columns="_bad")
        write(df, out_dir / table / name, *args, **kwargs)

    for name in ("study_groups", "questions", "countries", "org_aliases", "recommendations"):
        emit(name, tables[name], f"{name}.csv", _write_csv)
    emit("members", tables["members"], "members.xlsx", _write_xlsx, "members", ("joined_on", "left_on"))
    emit("meetings", tables["meetings"], "meetings.parquet", _write_parquet, ("start_date", "end_date"))
    att = tables["attendance"]
    years = att["_year"].fillna(2023).astype(int)
    for year in sorted(years.unique()):
        part = att[years == year].drop(columns=["_year"])
        emit("attendance", part, f"attendance-{year}.csv", _write_csv, bom=(year == 2019))
    con = tables["contributions"]
    # Closed study periods are archive exports in Parquet (also keeps the sample small); 2025-2028 is CSV.
    for prefix in ("T17", "T22"):
        part = con[con["document"].str.startswith(prefix)]
        emit("contributions", part, f"contributions-{prefix}.parquet", _write_parquet, ())
    emit(
        "contributions",
        con[~con["document"].str.startswith(("T17", "T22"))],
        "contributions-T25.csv",
        _write_csv,
    )
    wi = tables["work_items"]
    early = wi["started_on"] < "2022-01-01"
    emit("work_items", wi[early], "work-programme-2014-2021.csv", _write_csv)
    emit("work_items", wi[~early], "work-programme-2022-2025.csv", _write_csv)
    located.sort(key=lambda r: (TABLES.index(r[0]), r[1], r[2]))
    rows = {name: int(len(df)) for name, df in tables.items()}
    _write_dataset_yaml(out_dir, seed, scale, rows)
    _write_readme(out_dir, seed=seed, scale=scale, rows=rows, summary=summary, bad_located=located)
    return rows


def _write_dataset_yaml(out_dir: Path, seed: int, scale: int, rows: dict[str, int]) -> None:
    lines = [
        "name: sgpulse bundled sample",
        "synthetic: true",
        "generator: pipelines.sample.generate",
        f"seed: {seed}",
        f"scale: {scale}",
        "years: [2016, 2025]",
        f'notice: "{NOTICE}"',
        "domains:  # per table: real reference data, synthetic, or mixed",
        "  study_groups: real",
        "  questions: real",
        "  countries: real",
        "  members: mixed  # real Member States, fictional organisations",
        "  org_aliases: mixed",
        *[f"  {name}: synthetic" for name in TABLES[5:]],
        "rows:",
        *[f"  {name}: {rows[name]}" for name in TABLES],
    ]
    (out_dir / "DATASET.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.sample.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out", type=Path, default=Path("data/raw"), help="raw directory to write (default data/raw)"
    )
    parser.add_argument(
        "--scale", type=int, default=1, help="volume multiplier (default 1; do not commit > 1)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be >= 1")
    t0 = time.perf_counter()
    rows = generate_sample(args.out, scale=args.scale, seed=args.seed)
    for name in TABLES:
        print(f"{name:16s} {rows[name]:>10,d}")
    print(f"wrote {args.out} (scale {args.scale}, seed {args.seed}) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
