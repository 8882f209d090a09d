"""The membership consultation's questionnaire (pipelines/config/questionnaire.yaml, validated when loaded): the
questions of the optional raw table consultation_responses, what counts as agreeing, and the small-n rule."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipelines.validated_yaml import load_model

CONFIG = Path(__file__).resolve().parent / "config" / "questionnaire.yaml"


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Z]+[0-9]+$")
    topic: Literal["relevance", "membership value", "barriers", "working methods"]
    about: Literal["sg", "sector"]  # one study group (the row's sg), or ITU-T as a whole (sg empty)
    kind: Literal["likert", "text"]
    text: str
    label: str  # how a brief names it: "members say <label>"
    compare: str | None = None  # the KPI the answers are read beside (marts.sg_year_kpis_lineage)
    expect: Literal["not falling"] | None = None  # how that KPI moves if the members are right

    @model_validator(mode="after")
    def _comparable(self) -> Question:
        if self.compare and (self.kind != "likert" or self.about != "sg"):
            raise ValueError(f"question {self.id}: only a Likert question about a study group compares a KPI")
        if self.expect and not self.compare:
            raise ValueError(f"question {self.id}: expect needs compare")
        return self


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    agree_from: int = Field(ge=2, le=5)  # a Likert answer of this or more agrees
    min_responses: int = Field(ge=1)  # fewer answers in a cell: no mean, no share
    moved_points: float = Field(gt=0, lt=1)  # a share agreeing that moved this much since the last round
    questions: list[Question]

    @model_validator(mode="after")
    def _unique(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("questions: each id once")
        return self

    def get(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def ids(self, kind: str | None = None, about: str | None = None) -> tuple[str, ...]:
        return tuple(
            q.id
            for q in self.questions
            if (kind is None or q.kind == kind) and (about is None or q.about == about)
        )


@functools.cache
def questionnaire(path: Path = CONFIG) -> Questionnaire:
    """The questionnaire; a ValueError naming the file and the key when it is wrong."""
    return load_model(path, Questionnaire)
