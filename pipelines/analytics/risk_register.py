"""The risk register aligned with enterprise risk management: likelihood, impact, owner, controls and mitigation.

The catalogue (config/risk_register.yaml, versioned, validated here) gives each kind of risk of the results
framework's risk appetite its ERM category, owner, base impact, controls in place and mitigation measures, and
the scoring: likelihood 1-5 from where the indicator stands against the appetite's thresholds (in bands of
|high - medium| from the medium threshold), impact 1-5 from the kind's base impact and the SG's share of the year's
contributions, score = likelihood x impact. marts.sg_risks_history (pipelines/analytics/risks.py) carries the
numbers; briefs add the words.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines.analytics.targets import RiskAppetite

REGISTER_FILE = Path(__file__).resolve().parents[1] / "config" / "risk_register.yaml"


class RegisterError(ValueError):
    """The risk register's catalogue is not valid (the message names the file and the key)."""


class Scoring(BaseModel):
    model_config = ConfigDict(extra="forbid")

    likelihood_labels: dict[int, str]
    impact_labels: dict[int, str]
    large_share: float = Field(gt=0, lt=1)
    small_share: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _scales(self) -> Scoring:
        for name in ("likelihood_labels", "impact_labels"):
            if sorted(getattr(self, name)) != [1, 2, 3, 4, 5]:
                raise ValueError(f"{name} must label 1 to 5")
        if self.small_share >= self.large_share:
            raise ValueError("small_share must be below large_share")
        return self


class RiskKind(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Literal["strategic", "operational"]
    owner: Literal["SG management team", "TSB", "SG management team with TSB"]
    impact: int = Field(ge=1, le=5)
    impact_reason: str = Field(min_length=1)
    controls: list[str] = Field(min_length=1)
    mitigation: list[str] = Field(min_length=1)


class RiskRegister(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    scoring: Scoring
    risks: dict[str, RiskKind]

    def kind(self, risk_id: str) -> RiskKind:
        if risk_id not in self.risks:
            raise RegisterError(
                f"{REGISTER_FILE.name}: no entry for risk {risk_id!r} (known: {sorted(self.risks)})"
            )
        return self.risks[risk_id]

    def check_covers(self, appetite: dict[str, RiskAppetite]) -> None:
        """Every risk of the appetite has an entry (a register without owner or controls is no register)."""
        missing = sorted(set(appetite) - set(self.risks))
        if missing:
            raise RegisterError(
                f"{REGISTER_FILE.name}: risks: no entry for {missing} (risk_appetite names them)"
            )


def load_register(path: Path = REGISTER_FILE) -> RiskRegister:
    """Load and validate the catalogue; a mistake stops with one line naming the file and the key."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return RiskRegister.model_validate(data)
    except yaml.YAMLError as exc:
        raise RegisterError(f"{path}: not valid YAML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise RegisterError(f"{Path(path).name}: {key}: {first['msg']}") from None


@functools.cache
def register() -> RiskRegister:
    return load_register()


def likelihood(value: float | None, appetite: RiskAppetite) -> int | None:
    """1-5 from the indicator's distance past the medium threshold, in bands of |high - medium| (worse side +):
    <= -1 band: 1, below medium: 2, medium level: 3, high level (up to a band past high): 4, beyond: 5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    sign = 1.0 if appetite.direction == "higher is worse" else -1.0
    band = abs(appetite.high - appetite.medium) or 1.0
    past = (float(value) - appetite.medium) * sign / band
    past = round(past, 9)  # a value exactly on a threshold is on it, not a rounding error beside it
    if past <= -1:
        return 1
    if past < 0:
        return 2
    if past < 1:
        return 3
    return 4 if past < 2 else 5


def impact(kind: RiskKind, contribution_share: float | None, scoring: Scoring) -> int:
    """The kind's base impact, +1 for an SG with at least `large_share` of the year's contributions of all SGs,
    -1 below `small_share` (no adjustment without a share), within 1-5."""
    step = 0
    if contribution_share is not None and not math.isnan(contribution_share):
        step = (
            1
            if contribution_share >= scoring.large_share
            else -1
            if contribution_share < scoring.small_share
            else 0
        )
    return min(5, max(1, kind.impact + step))


def method(reg: RiskRegister | None = None) -> str:
    """The scoring in one paragraph, thresholds as the catalogue sets them."""
    scoring = (reg or register()).scoring
    return (
        "Risk register (config/risk_register.yaml): likelihood 1-5 counts where the indicator stands against the "
        "risk appetite in bands of |high - medium| from the medium threshold towards the worse side (more than a "
        "band inside the appetite 1 rare, within a band of medium 2 unlikely, medium level 3 possible, high level 4 "
        "likely, a band or more beyond high 5 almost certain), so a likelihood of 3 or more is exactly a medium or "
        "high level; impact 1-5 is the risk kind's base impact, one more for an SG that provided at least "
        f"{scoring.large_share:.0%} of the year's contributions of all groups assessed, one less below "
        f"{scoring.small_share:.0%}; score = likelihood x impact (1-25). No likelihood or score where the level "
        "has none (indicator not computable, or resting on insufficient data)."
    )
