"""Study periods and study-group lineage (config/study_groups.yaml): which SG existed when, and who succeeded whom.

One place for these facts: the ingest checks a row's SG against its date with them, the warehouse publishes them
(meta.study_periods, meta.sg_existence -> marts.sg_lineage), and the relaton importer dates its editions' study
periods with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

LINEAGE_FILE = Path(__file__).parent / "config" / "study_groups.yaml"
SG_PATTERN = r"^(SG[0-9]{1,2}|TSAG)$"


class LineageError(ValueError):
    """An invalid study-group configuration: the message names the file, the key and the problem."""


class StudyPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[0-9]{4}-[0-9]{4}$")
    starts: dt.date
    ends: dt.date | None = None


class StudyGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exists_from: dt.date | None = None
    exists_until: dt.date | None = None
    predecessors: list[str] = []

    @model_validator(mode="after")
    def _ordered(self) -> StudyGroup:
        if self.exists_from and self.exists_until and self.exists_until < self.exists_from:
            raise ValueError(f"exists_until {self.exists_until} is before exists_from {self.exists_from}")
        if self.predecessors and self.exists_from is None:
            raise ValueError("a study group with predecessors needs exists_from (the day it took over)")
        return self


class Lineage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    study_periods: list[StudyPeriod] = Field(min_length=1)
    study_groups: dict[str, StudyGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Lineage:
        ids = [p.id for p in self.study_periods]
        if len(set(ids)) != len(ids):
            raise ValueError(f"study_periods: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}")
        for before, after in zip(self.study_periods, self.study_periods[1:], strict=False):
            if before.ends is None or after.starts != before.ends + dt.timedelta(days=1):
                raise ValueError(
                    f"study_periods: {after.id} must start the day after {before.id} ends ({before.ends})"
                )
        for sg, group in self.study_groups.items():
            if not re.fullmatch(SG_PATTERN, sg):
                raise ValueError(f"study_groups: '{sg}' is not SG<n> or TSAG")
            for predecessor in group.predecessors:
                before = self.study_groups.get(predecessor)
                if before is None:
                    raise ValueError(f"study_groups.{sg}: predecessor {predecessor} is not listed")
                if (
                    before.exists_until is None
                    or before.exists_until + dt.timedelta(days=1) != group.exists_from
                ):
                    raise ValueError(
                        f"study_groups.{sg}: predecessor {predecessor} must exist until the day before "
                        f"{sg} exists from ({group.exists_from})"
                    )
        successors = self.successors()
        for sg in successors:  # no cycles: every chain ends
            seen, current = {sg}, successors[sg]
            while current in successors:
                if current in seen:
                    raise ValueError(f"study_groups: predecessors form a cycle through {sg}")
                seen.add(current)
                current = successors[current]
        return self

    # --- questions every reader asks ------------------------------------------------------------------

    def successors(self) -> dict[str, str]:
        """Predecessor -> the SG that took over its work (direct successor)."""
        return {p: sg for sg, group in self.study_groups.items() for p in group.predecessors}

    def final_successor(self, sg: str) -> str:
        """The SG carrying an SG's work today (itself unless merged or renamed), followed transitively."""
        successors = self.successors()
        while sg in successors:
            sg = successors[sg]
        return sg

    def predecessors(self, sg: str) -> list[str]:
        """Every SG whose work `sg` took over, directly or through an intermediate successor."""
        found: list[str] = []
        for predecessor in self.study_groups.get(sg, StudyGroup()).predecessors:
            found += [predecessor, *self.predecessors(predecessor)]
        return found

    def existence(self, sg: str) -> tuple[dt.date | None, dt.date | None]:
        group = self.study_groups.get(sg)
        return (group.exists_from, group.exists_until) if group else (None, None)

    def exists_on(self, sg: str, day: dt.date) -> bool:
        """Whether the SG existed on that day (an SG not in the configuration is taken to exist throughout)."""
        first, last = self.existence(sg)
        return (first is None or first <= day) and (last is None or day <= last)

    def period_of(self, day: dt.date) -> str | None:
        """The study period a day falls in (None before the first one)."""
        for period in self.study_periods:
            if period.starts <= day and (period.ends is None or day <= period.ends):
                return period.id
        return None

    def existence_rows(self) -> list[tuple[str, dt.date | None, dt.date | None, str | None]]:
        """(sg, exists_from, exists_until, successor) per configured SG."""
        successors = self.successors()
        return [
            (sg, g.exists_from, g.exists_until, successors.get(sg)) for sg, g in self.study_groups.items()
        ]

    def lineage_rows(self) -> list[tuple[str, str, dt.date]]:
        """(sg, predecessor, effective_date) for every successor and each of its predecessors, transitively."""
        rows = []
        for sg, group in self.study_groups.items():
            if group.predecessors:
                rows += [(sg, p, group.exists_from) for p in self.predecessors(sg)]
        return rows

    def period_rows(self) -> list[tuple[str, dt.date, dt.date | None]]:
        return [(p.id, p.starts, p.ends) for p in self.study_periods]


def load_lineage_file(path: Path = LINEAGE_FILE) -> Lineage:
    """Load and validate a study-group configuration (a clear error naming the file and key)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LineageError(f"{path}: not valid YAML ({exc})") from None
    try:
        return Lineage.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise LineageError(f"{path}: {key}: {first['msg']}") from None


@cache
def lineage() -> Lineage:
    """The project's study-group configuration (loaded once per process)."""
    return load_lineage_file()


def lineage_digest(path: Path = LINEAGE_FILE) -> str:
    """SHA-256 of the configuration file: what the ingest's quarantine decisions depend on."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
