"""The optional raw table `consultation_responses` of the sample: three yearly rounds of the membership
consultation (config/questionnaire.yaml), one row per answer, no names, with the planted stories of story 8:
SG3 rated highly relevant while its participation falls, SG11's relevance dropping in 2025, and SG15's
barriers split between Sector Members and Academia. A few free-text answers carry e-mail and phone shapes on
purpose, for the masking to show."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.questionnaire import questionnaire
from pipelines.sample.events import CATEGORIES, REGION_WEIGHTS, REGIONS
from pipelines.sample.profiles import sg_years

ROUNDS = (2023, 2024, 2025)
RESPONDENTS = 300  # organisations answering per round
COLUMNS = [
    "respondent_id",
    "responded_on",
    "category",
    "itu_region",
    "sg",
    "question_id",
    "likert",
    "free_text",
]
CATEGORY_WEIGHTS = (0.25, 0.45, 0.08, 0.12, 0.10)
SGS = ("SG2", "SG3", "SG5", "SG9", "SG11", "SG12", "SG13", "SG15", "SG16", "SG17", "SG20", "SG21")
# Share of respondents agreeing (4 or 5) per question, before the planted stories.
BASE_AGREE = {"REL1": 0.60, "REL2": 0.50, "VAL1": 0.58, "BAR1": 0.55, "WM1": 0.62}
TEXT_SHARE = 0.3  # respondents writing an answer to a free-text question
BARRIERS = (
    "Travel costs to meetings in Geneva",
    "Plenaries clash with other standards bodies' meetings",
    "E-meetings at night in our time zone",
    "Too few experts in our organisation to follow the Questions",
    "Documents and discussions only in English",
    "Membership fees for a small company",
    "Please contact our delegate at standards.desk@example.org for details",
    "Call our office on +1 555 010 0199 to discuss",
)
METHODS = (
    "More e-meetings between plenaries",
    "Correspondence groups with clear deadlines",
    "Hackathons and interoperability events",
    "Open-source reference implementations",
    "Shorter plenaries with more rapporteur meetings",
    "Joint workshops with industry fora",
)


def planted_agree(year: int, sg: str, question: str, category: str, base: float) -> float:
    """The share agreeing a respondent's answer is drawn from, with the stories of story 8."""
    if sg == "SG3" and question == "REL1":
        return 0.85  # 8a: highly relevant, while SG3's participation falls every year (story 1)
    if sg == "SG11" and question == "REL1":
        return 0.40 if year == 2025 else 0.75  # 8b: relevance drops in the 2025 round
    if sg == "SG15" and question == "BAR1":
        return {"Sector Member": 0.85, "Academia": 0.15}.get(category, base)  # 8c: barriers for academia
    return base


def _likert(rng: np.random.Generator, agree: float) -> int:
    p = np.array([0.2 * (1 - agree), 0.4 * (1 - agree), 0.4 * (1 - agree), 0.55 * agree, 0.45 * agree])
    return int(rng.choice(5, p=p / p.sum())) + 1


def consultation_frame(rng: np.random.Generator) -> pd.DataFrame:
    """The consultation_responses table, in round and respondent order; deterministic for a generator."""
    q = questionnaire()
    about_sg = [x for x in q.questions if x.about == "sg"]
    # A study group's own level of agreement, fixed over the rounds (+-5 points around the base).
    sg_shift = {sg: float(rng.uniform(-0.05, 0.05)) for sg in SGS}
    rows = []
    for year in ROUNDS:
        open_sgs = [sg for sg in SGS if year in sg_years(sg)]
        for i in range(1, RESPONDENTS + 1):
            rid = f"R{year}-{i:04d}"
            day = f"{year}-09-{int(rng.integers(1, 31)):02d}"
            category = CATEGORIES[int(rng.choice(len(CATEGORIES), p=CATEGORY_WEIGHTS))]
            region = REGIONS[int(rng.choice(len(REGIONS), p=np.array(REGION_WEIGHTS) / sum(REGION_WEIGHTS)))]
            rows.append([rid, day, category, region, "", "VAL1", _likert(rng, BASE_AGREE["VAL1"]), ""])
            # Academia answer about SG15 twice as often (story 8c needs enough of them to be published).
            weights = np.array([2.0 if (sg == "SG15" and category == "Academia") else 1.0 for sg in open_sgs])
            count = 1 + int(rng.integers(0, 3))
            chosen = rng.choice(len(open_sgs), size=count, replace=False, p=weights / weights.sum())
            for sg in sorted((open_sgs[j] for j in chosen), key=SGS.index):
                for question in about_sg:
                    if question.kind == "likert":
                        base = BASE_AGREE[question.id] + sg_shift[sg]
                        agree = planted_agree(year, sg, question.id, category, base)
                        rows.append([rid, day, category, region, sg, question.id, _likert(rng, agree), ""])
                    elif rng.random() < TEXT_SHARE:
                        pool = BARRIERS if question.topic == "barriers" else METHODS
                        text = pool[int(rng.integers(len(pool)))]
                        rows.append([rid, day, category, region, sg, question.id, "", text])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["likert"] = frame["likert"].astype(str)
    return frame


def consultation_summary(frame: pd.DataFrame) -> dict:
    """The figures of story 8 as the README states them (shares agreeing, answers of 4 or 5)."""
    likert = frame[frame["likert"] != ""].assign(agree=lambda f: f["likert"].astype(int) >= 4)
    year = likert["responded_on"].str[:4].astype(int)

    def share(mask) -> dict[int, float]:
        return {int(y): float(v) for y, v in likert[mask].groupby(year[mask])["agree"].mean().items()}

    rel = likert["question_id"] == "REL1"
    bar15 = (likert["question_id"] == "BAR1") & (likert["sg"] == "SG15") & (year == 2025)
    by_cat = likert[bar15].groupby("category")["agree"].agg(["mean", "size"])
    return {
        "sg3_rel1": share(rel & (likert["sg"] == "SG3")),
        "sg11_rel1": share(rel & (likert["sg"] == "SG11")),
        "sg15_bar1_2025": {c: (float(r["mean"]), int(r["size"])) for c, r in by_cat.iterrows()},
        "respondents": RESPONDENTS,
    }
