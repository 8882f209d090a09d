"""Thresholds of the data-quality checks (pipelines/config/quality.yaml), and run-time suite parameters."""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

QUALITY_FILE = Path(__file__).parent.parent / "config" / "quality.yaml"


class QualitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    volume_change_factor: float = Field(3.0, gt=1)
    volume_min_rows: int = Field(20, ge=0)
    plausible_years_ahead: int = Field(5, ge=0, le=100)
    sample_refs: int = Field(5, ge=1, le=50)
    keep_runs: int = Field(5, ge=1, le=1000)


def load_quality_settings(path: Path = QUALITY_FILE) -> QualitySettings:
    try:
        return QualitySettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"{path}: {problems}") from None


@cache
def quality_settings() -> QualitySettings:
    return load_quality_settings()


def volume_bounds(previous: int | None, settings: QualitySettings) -> tuple[int | None, int | None]:
    """Row counts that are no anomaly after `previous` rows at the last good run (None: no baseline)."""
    if previous is None:
        return None, None
    factor, floor = settings.volume_change_factor, settings.volume_min_rows
    low = math.ceil(previous / factor) if previous >= floor else 0
    high = max(math.floor(previous * factor), floor - 1 if previous < floor else 0)
    return low, high


def suite_parameters(
    previous_rows: int | None, settings: QualitySettings, today: dt.date | None = None
) -> dict:
    """Values of the suites' {"$PARAMETER": ...} placeholders for one table in this run."""
    today = today or dt.date.today()
    latest_year = today.year + settings.plausible_years_ahead
    low, high = volume_bounds(previous_rows, settings)
    return {
        "latest_plausible_date": f"{latest_year}-12-31",
        "latest_plausible_year": latest_year,
        "volume_min": low,
        "volume_max": high,
        "previous_rows": previous_rows,
    }
