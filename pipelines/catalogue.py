"""The KPI catalogue: load and validate config/kpi_catalogue.yaml, and render docs/kpis.md from it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CATALOGUE_FILE = Path(__file__).parent / "config" / "kpi_catalogue.yaml"
Direction = Literal["higher is better", "lower is better", "neutral"]


class Kpi(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    column: str | None = None  # the mart column, when it differs from the id
    name: str
    definition: str
    unit: str
    direction: Direction
    rbm_level: Literal["outcome", "output", "enabler"]
    marts: list[str] = Field(default_factory=list)  # marts holding it as a column
    # Long-format marts holding it as a value of their `indicator` column (the risk register).
    indicator_of: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _somewhere(self) -> Kpi:
        if not self.marts and not self.indicator_of:
            raise ValueError(f"KPI '{self.id}': list the mart(s) it lives in under marts or indicator_of")
        return self

    @property
    def column_name(self) -> str:
        return self.column or self.id


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    kpis: list[Kpi]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        ids = [k.id for k in self.kpis]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate KPI ids: {duplicates}")
        return self

    def get(self, kpi_id: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(f"KPI '{kpi_id}' is not in the catalogue")

    def columns_of(self, mart: str) -> set[str]:
        return {k.column_name for k in self.kpis if mart in k.marts}

    def indicators_of(self, mart: str) -> set[str]:
        return {k.column_name for k in self.kpis if mart in k.indicator_of}


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: ~10x faster
    return Catalogue.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


@cache
def catalogue() -> Catalogue:
    """The project's catalogue (loaded once per process)."""
    return load_catalogue()


def render_markdown(cat: Catalogue) -> str:
    """docs/kpis.md: the reference page, generated so it can never drift from the catalogue."""
    lines = [
        "# KPI reference",
        "",
        f"Generated from `pipelines/config/kpi_catalogue.yaml` (version {cat.version}) by "
        "`sgpulse catalogue --write docs/kpis.md`; do not edit by hand.",
        "",
        "| KPI | name | definition | unit | direction | RBM level | where |",
        "|---|---|---|---|---|---|---|",
    ]
    for k in cat.kpis:
        where = ", ".join(
            [f"`marts.{m}.{k.column_name}`" for m in k.marts]
            + [f"`marts.{m}` (indicator `{k.column_name}`)" for m in k.indicator_of]
        )
        lines.append(
            f"| `{k.id}` | {k.name} | {k.definition} | {k.unit} | {k.direction} | {k.rbm_level} | {where} |"
        )
    return "\n".join(lines) + "\n"
