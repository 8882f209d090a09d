"""The real reference data bundled next to this package: countries, study groups and Questions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


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
