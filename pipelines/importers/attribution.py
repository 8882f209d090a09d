"""Historical attribution: the study group responsible for a Recommendation edition when it was approved."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines.lineage import lineage

ATTRIBUTION_FILE = Path(__file__).parent.parent / "config" / "sg_attribution.yaml"
CURRENT_PERIOD = "2025-2028"
SG_PATTERN = re.compile(r"SG[0-9]{1,2}|TSAG")
# Series letter(s), optional dot and main number: 'G.722.2' -> ('G', 722), 'G Suppl. 55' -> ('G', None).
NUMBER_PATTERN = re.compile(r"([A-Z]+)(?:\.(\d+))?")


class AttributionError(ValueError):
    """The attribution YAML is not valid: the message names the file and the key."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    series: str = Field(pattern=r"^[A-Z]+$")
    numbers: tuple[int, int] | None = None
    fill_missing: bool = False
    sg: dict[str, str]

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if self.numbers and self.numbers[0] > self.numbers[1]:
            raise ValueError(f"numbers {list(self.numbers)} run backwards")
        bad = [v for v in self.sg.values() if not SG_PATTERN.fullmatch(v)]
        if bad:
            raise ValueError(f"sg values must be study groups like SG16 or TSAG, got {bad}")
        if CURRENT_PERIOD not in self.sg:
            raise ValueError(f"needs the {CURRENT_PERIOD} SG (it is compared with relaton's current SG)")
        return self


class Attribution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    rules: list[Rule]

    @model_validator(mode="after")
    def _check(self) -> Attribution:
        periods = {p.id: p for p in lineage().study_periods}
        for rule in self.rules:
            unknown = set(rule.sg) - set(periods)
            if unknown:
                raise ValueError(f"rule {rule.id}: unknown periods {sorted(unknown)}")
            for period, sg in rule.sg.items():
                if not _exists_in(sg, periods[period]):
                    raise ValueError(f"rule {rule.id}: {sg} is not a study group of {period}")
        return self

    @staticmethod
    def period_of(day: dt.date) -> str | None:
        """The study period of an approval date (config/study_groups.yaml)."""
        return lineage().period_of(day)


def _exists_in(sg: str, period) -> bool:
    """Whether the SG is a configured study group that existed on some day of the study period."""
    if sg not in lineage().study_groups:
        return False
    first, last = lineage().existence(sg)
    ends = period.ends or dt.date.max
    return (first is None or first <= ends) and (last is None or last >= period.starts)


def load_attribution(path: Path = ATTRIBUTION_FILE) -> Attribution:
    """Load and validate the attribution rules (a clear error naming the file and key)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AttributionError(f"{path}: not valid YAML ({exc})") from None
    try:
        return Attribution.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise AttributionError(f"{path}: {key}: {first['msg']}") from None


def series_and_number(rec_id: str) -> tuple[str | None, int | None]:
    """('G', 722) for 'G.722.2'; dual numbers use the first ('G.8011/Y.1307' -> G, 8011)."""
    match = NUMBER_PATTERN.match(rec_id)
    if not match:
        return None, None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def _matches(rule: Rule, series: str | None, number: int | None) -> bool:
    if series != rule.series:
        return False
    if rule.numbers is None:
        return True
    return number is not None and rule.numbers[0] <= number <= rule.numbers[1]


def fill_current_sg(config: Attribution, rec_id: str) -> tuple[str, str] | None:
    """Today's SG from a `fill_missing` rule, for records whose relaton entry names none: (sg, rule id)."""
    series, number = series_and_number(rec_id)
    for rule in config.rules:
        if rule.fill_missing and _matches(rule, series, number):
            return rule.sg[CURRENT_PERIOD], rule.id
    return None


@dataclass(frozen=True)
class Attributed:
    sg: str
    basis: str  # current period | unchanged | historical: <rule> | historical (before 2017): <rule> | no rule
    period: str | None
    existed: bool = (
        True  # False: the SG did not exist on the approval date (the edition is reported, not written)
    )


def attribute(config: Attribution, rec_id: str, day: dt.date, current_sg: str) -> Attributed:
    """The SG responsible for an edition approved on `day`, from today's SG and the rules (see the YAML header)."""
    periods = [p.id for p in lineage().study_periods]
    period = config.period_of(day)
    series, number = series_and_number(rec_id)
    if period == CURRENT_PERIOD:
        found = Attributed(current_sg, "current period", period)
    else:
        found = None
        for rule in config.rules:
            if rule.sg[CURRENT_PERIOD] != current_sg or not _matches(rule, series, number):
                continue
            if period in rule.sg:
                sg = rule.sg[period]
                basis = "unchanged" if sg == current_sg else f"historical: {rule.id}"
            else:
                # Before the rule's first period (before 2017): the same series went to the same SG.
                first = min(rule.sg, key=periods.index)
                if period is not None and periods.index(period) > periods.index(first):
                    continue
                sg = rule.sg[first]
                basis = "unchanged" if sg == current_sg else f"historical (before 2017): {rule.id}"
            found = Attributed(sg, basis, period)
            break
        if found is None:
            found = Attributed(
                current_sg, "unchanged" if lineage().exists_on(current_sg, day) else "no rule", period
            )
    return Attributed(found.sg, found.basis, found.period, lineage().exists_on(found.sg, day))
