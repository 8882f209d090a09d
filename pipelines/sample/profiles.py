"""Calibration of the synthetic sample: the years, study periods, which study group exists when, and the
per-SG profiles, country activity and registration affinities the generators draw from, with the
parameters of the five planted stories."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_SEED = 20250301

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
    # Optional tables of the raw-data contract's additions (docs/optional-tables.md).
    "events",
    "consultation_responses",
)
# Seed-sequence keys of the optional tables' random streams (independent of the ten tables' streams and scale).
OPTIONAL_STREAMS = {"events": 101, "consultation_responses": 102}

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

# Where companies are registered (Sector Members / Associates); academia is flatter (see make_orgs).
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
