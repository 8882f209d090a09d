"""The KPI catalogue: load and validate config/kpi_catalogue.yaml, and render docs/kpis.md from it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CATALOGUE_FILE = Path(__file__).parent / "config" / "kpi_catalogue.yaml"
Direction = Literal["higher is better", "lower is better", "neutral"]
# The raw data domains whose coverage marts.coverage and marts.year_coverage describe (pipelines/coverage.py).
Domain = Literal[
    "membership",
    "meetings",
    "attendance",
    "contributions",
    "recommendations",
    "approval_process",
    "work_items",
    "events",
]


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
    # The raw domain it is computed from: NULL in a year the domain does not cover (marts.year_coverage).
    domain: Domain | None = None
    # The column of the same mart holding the number of records the value rests on, and the fewest a status
    # (target, risk level) may rest on; below it the status is `insufficient data`.
    n: str | None = None
    min_n: int | None = Field(default=None, ge=1)
    # The column holding the share of the year's records the value could be computed from (AAP share: texts
    # with a known approval process), and the least share a status may rest on; below it the value is at most
    # what it says (an upper bound) and has no status.
    basis_share: str | None = None
    min_basis_share: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _somewhere(self) -> Kpi:
        if not self.marts and not self.indicator_of:
            raise ValueError(f"KPI '{self.id}': list the mart(s) it lives in under marts or indicator_of")
        if "sg_year_kpis" in self.marts and self.domain is None:
            raise ValueError(f"KPI '{self.id}': a KPI of sg_year_kpis needs the domain it is computed from")
        if self.min_n is not None and self.n is None:
            raise ValueError(f"KPI '{self.id}': min_n needs n, the column holding the number of records")
        if (self.basis_share is None) != (self.min_basis_share is None):
            raise ValueError(f"KPI '{self.id}': basis_share and min_basis_share go together")
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
        columns = {k.column_name: k for k in self.kpis}
        for k in self.kpis:
            for field_name in ("n", "basis_share"):
                column = getattr(k, field_name)
                if column is not None and column not in columns:
                    raise ValueError(
                        f"KPI '{k.id}': {field_name} '{column}' is not a column of the catalogue"
                    )
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

    def find(self, kpi_id: str) -> Kpi | None:
        return next((k for k in self.kpis if k.id == kpi_id), None)


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: ~10x faster
    return Catalogue.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


@cache
def catalogue() -> Catalogue:
    """The project's catalogue (loaded once per process)."""
    return load_catalogue()


RULES = """## How much a number can say

- **Coverage.** Every KPI is computed from one data domain (column *domain*); `marts.coverage` gives the dates each
  domain's data cover and `marts.year_coverage` each year's covered days. A KPI whose domain does not cover a
  year at all is NULL (shown as n/a), never 0.
- **Partial year.** A year whose domain misses more than 31 days (the sample's 2015 contributions, real
  Recommendation records that stop in August 2026) keeps its values, shown as "(partial year)", but is never a
  trend point, a target status, a risk indicator or a "rose / fell" comparison; charts leave it out and say so.
- **Lineage series.** A study group that took over others' work (SG21 from SG9 and SG16 at WTSA-24,
  `config/study_groups.yaml`) is read through `marts.sg_year_kpis_lineage`: its years before it existed are its
  predecessors' facts counted as one group (people, entities and countries once), and outputs say so ("SG21,
  with SG9 and SG16 before 2025").
- **Mixed dataset.** Each domain is labelled real or synthetic (`meta.dataset`); when both meet, every output
  carries one banner naming them ("MIXED DATA — real: Recommendations (...); synthetic: membership, ..."), and
  KPI tables say which KPIs come from real data.
- **Insufficient data.** A status (target, risk level) needs at least *min n* records in the column *n*; below it
  the value is shown with its n and the status is `insufficient data`, and no risk is raised from it. A share
  with a *basis share* (the AAP share: texts with a known approval process) below its minimum is an upper bound
  ("at most") with no status.
- **One verdict.** A target and its watch band (target ± tolerance) lie on the good side of the same KPI's
  high-risk line in the risk appetite; loading the results framework fails otherwise.
"""


def render_markdown(cat: Catalogue) -> str:
    """docs/kpis.md: the reference page, generated so it can never drift from the catalogue."""
    lines = [
        "# KPI reference",
        "",
        f"Generated from `pipelines/config/kpi_catalogue.yaml` (version {cat.version}) by "
        "`sgpulse catalogue --write docs/kpis.md`; do not edit by hand.",
        "",
        RULES,
        "## KPIs",
        "",
        "| KPI | name | definition | unit | direction | RBM level | domain | n (min) | where |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for k in cat.kpis:
        where = ", ".join(
            [f"`marts.{m}.{k.column_name}`" for m in k.marts]
            + [f"`marts.{m}` (indicator `{k.column_name}`)" for m in k.indicator_of]
        )
        basis = ""
        if k.n:
            basis = f"`{k.n}`" + (f" (≥ {k.min_n})" if k.min_n else "")
        if k.basis_share:
            basis += f"; `{k.basis_share}` ≥ {k.min_basis_share:.0%}"
        lines.append(
            f"| `{k.id}` | {k.name} | {k.definition} | {k.unit} | {k.direction} | {k.rbm_level} | "
            f"{k.domain or ''} | {basis} | {where} |"
        )
    return "\n".join(lines) + "\n"
