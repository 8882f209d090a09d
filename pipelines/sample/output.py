"""Output: work items and the Recommendations approved from them (numbers, revisions, amendments,
supplements, AAP/TAP); the `work_items` and `recommendations` tables."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.ingest.tables import TABLES_BY_NAME
from pipelines.lineage import lineage
from pipelines.sample.draws import date_of, iso_dates, within_existence
from pipelines.sample.profiles import (
    PROFILES,
    SAMPLE_END,
    SG3_DECLINE,
    SG11_STUCK,
    SG_ORDER,
    YEARS,
    period_of,
    sg_years,
)
from pipelines.sample.reference import Reference
from pipelines.sample.vocabulary import ASPECTS, TOPICS, lower_first, question_fragment

# The day SG21 took over SG9's and SG16's work (WTSA-24), from config/study_groups.yaml.
SUCCESSOR_FROM = np.datetime64(lineage().existence("SG21")[0], "D")


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


def work_items_and_recommendations(
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
            started = date_of(year, 1, 1) + rng.integers(0, 365, n).astype("timedelta64[D]")
            # SG20 was created in June 2015: the items drawn before go to its first months.
            started = within_existence(np.full(n, sg), started, spread_days=180)
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
    # SG9/SG16 items still open at WTSA-24, or approved after it, were transferred to SG21.
    moved = items["sg"].isin(["SG9", "SG16"]) & (
        (items["status"] == "ongoing") | (items["approved"] >= SUCCESSOR_FROM)
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
            ends = consent[sg][(consent[sg] >= date_of(year, 1, 1)) & (consent[sg] <= date_of(year, 12, 31))]
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
    # Texts of SG9/SG16 approved after WTSA-24 (amendments of their last consent meetings) are SG21's.
    late = rec_df["sg"].isin(["SG9", "SG16"]) & (rec_df["approved_on"] >= SUCCESSOR_FROM)
    rec_df.loc[late, "sg"] = "SG21"
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
    rec_df["approved_on"] = iso_dates(rec_df["approved_on"].to_numpy())
    rec_df = rec_df[[c.name for c in TABLES_BY_NAME["recommendations"].columns]]
    wi_df = pd.DataFrame(
        {
            "work_item": items["work_item"],
            "sg": items["sg"],
            "question": items["question"],
            "title": items["title"],
            "started_on": iso_dates(items["started"].to_numpy().astype("datetime64[D]")),
            "target_on": iso_dates(items["target"].to_numpy().astype("datetime64[D]")),
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
    text = f"{what} {lower_first(title)}."
    if qtitle:
        study = lower_first(question_fragment(qtitle))
        text += f" It is developed under the study of {study} and covers {topic}."
    return text
