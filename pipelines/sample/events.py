"""The optional raw table `events` of the sample: CxO meetings, workshops, forums and webinars, one row per event
and participant group (member category x ITU region), with the planted decline of CxO participation (story 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.sample.profiles import YEARS, sg_years

EVENT_COLUMNS = [
    "event_id",
    "title",
    "kind",
    "event_date",
    "sg",
    "country_iso3",
    "category",
    "itu_region",
    "participants",
    "follow_up_contributions",
]
REGIONS = ("Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe")
CATEGORIES = ("Member State", "Sector Member", "Associate", "Academia", "Non-member")

# Story 7: participants per CxO meeting (two a year) hold steady to 2022, then fall every year to 2025.
CXO_SIZE = {
    2016: 66,
    2017: 70,
    2018: 68,
    2019: 72,
    2020: 64,
    2021: 67,
    2022: 70,
    2023: 57,
    2024: 45,
    2025: 33,
}
DECLINE_FROM = 2022
# Who comes (weights per category, then per region): CxO meetings are the industry's executives.
CATEGORY_WEIGHTS = {
    "CxO meeting": (0.06, 0.70, 0.08, 0.04, 0.12),
    "workshop": (0.30, 0.30, 0.05, 0.15, 0.20),
    "forum": (0.35, 0.25, 0.05, 0.10, 0.25),
    "webinar": (0.25, 0.25, 0.05, 0.20, 0.25),
}
REGION_WEIGHTS = (0.07, 0.20, 0.06, 0.38, 0.03, 0.26)
# Follow-up contributions per participant (members only: non-members cannot contribute).
FOLLOW_UP_RATE = {"CxO meeting": 0.12, "workshop": 0.08, "forum": 0.04}
HOSTS = ("CHE", "CHE", "KOR", "CHN", "USA", "BRA", "EGY", "IND", "DEU", "JPN", "ZAF", "ARE")
WORKSHOP_TOPICS = (
    "AI for network operations",
    "quantum-safe networks",
    "digital twins of networks",
    "metaverse interoperability",
    "green ICT and energy efficiency",
    "digital financial services",
    "smart sustainable cities",
    "trust in digital identity",
    "cable networks beyond 10G",
    "vehicle communications",
)
WORKSHOP_SGS = ("SG2", "SG3", "SG5", "SG9", "SG11", "SG12", "SG13", "SG15", "SG16", "SG17", "SG20", "SG21")


def _virtual(year: int, month: int) -> bool:
    return year == 2021 or (year == 2020 and month >= 3)


def _groups(rng: np.random.Generator, kind: str, size: int) -> list[tuple[str, str, int]]:
    """(category, region, participants) with participants > 0: the event's size split over the groups."""
    p = np.outer(CATEGORY_WEIGHTS[kind], REGION_WEIGHTS).ravel()
    counts = rng.multinomial(size, p / p.sum())
    return [
        (CATEGORIES[i // len(REGIONS)], REGIONS[i % len(REGIONS)], int(c))
        for i, c in enumerate(counts)
        if c > 0
    ]


def events_frame(rng: np.random.Generator) -> pd.DataFrame:
    """The events table, in event order; deterministic for a given generator."""
    rows = []

    def add(event_id, title, kind, year, month, day, sg, size):
        host = "" if _virtual(year, month) or kind == "webinar" else HOSTS[int(rng.integers(len(HOSTS)))]
        for category, region, n in _groups(rng, kind, size):
            rate = FOLLOW_UP_RATE.get(kind)
            follow = (
                "" if rate is None else str(0 if category == "Non-member" else int(rng.binomial(n, rate)))
            )
            rows.append(
                [
                    event_id,
                    title,
                    kind,
                    f"{year:04d}-{month:02d}-{day:02d}",
                    sg,
                    host,
                    category,
                    region,
                    n,
                    follow,
                ]
            )

    for year in YEARS:
        for i, month in enumerate((3, 10), start=1):
            size = CXO_SIZE[year] + int(rng.integers(-2, 3))
            add(
                f"CXO-{year}-{i}", f"ITU-T CxO meeting {year} ({i})", "CxO meeting", year, month, 12, "", size
            )
        open_sgs = [sg for sg in WORKSHOP_SGS if year in sg_years(sg)]
        for i in range(1, 5 + int(rng.integers(0, 2))):
            sg = open_sgs[int(rng.integers(len(open_sgs)))]
            topic = WORKSHOP_TOPICS[int(rng.integers(len(WORKSHOP_TOPICS)))]
            month = int(rng.integers(1, 12))
            size = int(rng.integers(40, 140))
            add(f"WS-{year}-{i}", f"{sg} workshop on {topic}", "workshop", year, month, 5 + 3 * i, sg, size)
        add(
            f"FOR-{year}",
            f"Global standards forum {year}",
            "forum",
            year,
            6,
            20,
            "",
            int(rng.integers(150, 260)),
        )
        if year >= 2020:
            for i in range(1, 3 + int(rng.integers(0, 3))):
                topic = WORKSHOP_TOPICS[int(rng.integers(len(WORKSHOP_TOPICS)))]
                month = 2 * i + 1
                add(
                    f"WEB-{year}-{i}",
                    f"Webinar: {topic}",
                    "webinar",
                    year,
                    month,
                    15,
                    "",
                    int(rng.integers(60, 300)),
                )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["participants"] = frame["participants"].astype(str)
    return frame


def cxo_participants(events: pd.DataFrame) -> dict[int, int]:
    """CxO meeting participants per year (the planted story, as the README states it)."""
    cxo = events[events["kind"] == "CxO meeting"]
    years = cxo["event_date"].str[:4].astype(int)
    return {int(y): int(v) for y, v in cxo["participants"].astype(int).groupby(years).sum().items()}
