"""Meetings: plenaries, working parties, rapporteur groups and workshops per SG and year; the `meetings`
table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lineage import lineage
from pipelines.sample.draws import date_of, monday_on_or_after
from pipelines.sample.profiles import PROFILES, SG_ORDER, YEARS, period_of, sg_years
from pipelines.sample.reference import Reference

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


def last_meeting_month(sg: str, year: int) -> int:
    """The last month an SG can meet in: the month before the assembly that closed it (SG9 and SG16 met for the
    last time before WTSA-24 in October 2024), else December."""
    until = lineage().existence(sg)[1]
    return max(1, until.month - 1) if until is not None and until.year == year else 12


def make_meetings(rng: np.random.Generator, scale: int, ref: Reference) -> pd.DataFrame:
    rows: list[dict] = []
    for year in YEARS:
        for sg in SG_ORDER:
            if year not in sg_years(sg):
                continue
            last_month = last_meeting_month(sg, year)
            prof = PROFILES[sg]
            lo, hi = prof.plenaries
            n_plen = lo if lo == hi else int(rng.integers(lo, hi + 1))
            if sg == "TSAG" and year == 2016:
                n_plen = 1
            months = [prof.months[0]] if n_plen == 1 else list(prof.months)
            n_q = max(1, len(ref.questions_by.get((sg, period_of(year)), [])))
            used: set[int] = set()
            for k, month in enumerate(months):
                month = int(np.clip(month + rng.integers(-1, 2), 1, last_month))
                if year == 2020 and month < 3:
                    month = 3 + k
                used.add(month)
                start = monday_on_or_after(date_of(year, month, 1 + int(rng.integers(0, 14))))
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
                month = min(int(rng.integers(3 if year == 2020 else 1, 13)), last_month)
                start = monday_on_or_after(date_of(year, month, 1 + int(rng.integers(0, 20))))
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


def meetings_table(meetings: pd.DataFrame) -> pd.DataFrame:
    """The `meetings` table: the contract's columns of `make_meetings`' frame, by start date."""
    mt = meetings[
        ["meeting_id", "sg", "kind", "start_date", "end_date", "city", "country_iso3", "format"]
    ].copy()
    return mt.sort_values(["start_date", "meeting_id"], kind="stable").reset_index(drop=True)
