"""The results framework (vision, mission, goals -> outcomes -> outputs, enablers; KPI targets) and the
KPI-vs-target assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipelines.catalogue import Catalogue, catalogue

FRAMEWORK_FILE = Path(__file__).parent.parent / "config" / "results_framework.yaml"


class _Target(BaseModel):
    """A KPI's target, its tolerance and the targets of those with their own (`overrides`)."""

    model_config = ConfigDict(extra="forbid")

    kpi: str
    target: float
    tolerance: float | None = Field(default=None, ge=0, le=1)
    overrides: dict[str, float] = {}


class KpiTarget(_Target):
    # "sector": assessed for the sector as a whole only (an output whose yearly level depends on an SG's mandate).
    scope: Literal["all", "sector"] = "all"
    target_year: int | None = Field(default=None, ge=1990, le=2100)  # default: the framework's target_year

    @field_validator("overrides")
    @classmethod
    def _sg_names(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k in value if not (k == "TSAG" or (k.startswith("SG") and k[2:].isdigit()))]
        if bad:
            raise ValueError(f"override keys must be study groups like SG17 or TSAG, got {bad}")
        return value


class TrackedKpi(KpiTarget):
    """An enabler's KPI: with a target like any other, or tracked without one (a KPI with no good direction)."""

    target: float | None = None


class RegionTarget(_Target):
    """A regional-presence KPI's target for every ITU region, with regions' own (`overrides`)."""

    @field_validator("overrides")
    @classmethod
    def _regions(cls, value: dict[str, float]) -> dict[str, float]:
        from pipelines.ingest.tables import ITU_REGIONS

        bad = [k for k in value if k not in ITU_REGIONS]
        if bad:
            raise ValueError(f"override keys must be ITU regions ({', '.join(ITU_REGIONS)}), got {bad}")
        return value


class RegionalPresence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kpis: list[RegionTarget] = Field(min_length=1)
    note: str = ""  # what the data do not have (said in the briefs)


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kpis: list[KpiTarget] = Field(min_length=1)


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kpis: list[KpiTarget] = Field(min_length=1)
    outputs: list[Output] = []


class Goal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    aligns_with: str | None = None  # the id of the ITU Strategic Plan goal it serves (required in the file)
    outcomes: list[Outcome] = Field(min_length=1)


class ItuGoal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str


class Enabler(BaseModel):
    """A key enabler: measured by KPIs of the data there is, or with a note saying where else (or that no data)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kpis: list[TrackedKpi] = []
    note: str = ""

    @model_validator(mode="after")
    def _measured_or_said(self) -> Enabler:
        if not self.kpis and not self.note:
            raise ValueError(f"enabler {self.id}: list its kpis, or say in `note` why it has none")
        return self


class DraftStatement(BaseModel):
    """The vision or the mission: a draft (placeholder) until TSAG adopts its own."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    draft: bool = True


class RiskAppetite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicator: str
    direction: Literal["higher is worse", "lower is worse"]
    medium: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> RiskAppetite:
        worse_high = (
            self.high >= self.medium if self.direction == "higher is worse" else self.high <= self.medium
        )
        if not worse_high:
            raise ValueError(
                f"'high' ({self.high}) must be worse than 'medium' ({self.medium}) ({self.direction})"
            )
        return self


Normalisation = Literal["minmax", "rank", "zscore", "percentile", "robust_z"]


class RelevanceIndicator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kpi: str
    stat: Literal["level", "trend"] = "level"
    direction: Literal["higher is better", "lower is better"]
    weight: float = Field(gt=0)
    # From optional data (the landscape): skipped, its weight shared by the others, when the data is absent.
    optional: bool = False
    # Divided by the SG's participants (levels over the same years): output per participant, not size.
    per: Literal["participants"] | None = None


class RelevanceComponent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weight: float = Field(gt=0)
    indicators: list[RelevanceIndicator] = Field(min_length=1)


class Relevance(BaseModel):
    """The relevance index: components of weighted indicators, normalisation and the sensitivity analysis."""

    model_config = ConfigDict(extra="forbid")

    components: dict[str, RelevanceComponent] = Field(min_length=1)
    normalisation: Normalisation = "minmax"
    alternative_normalisations: list[Normalisation] = ["rank", "zscore"]
    level_years: int = Field(default=3, ge=1, le=10)
    trend_years: int = Field(default=5, ge=3, le=15)
    sensitivity_draws: int = Field(default=500, ge=10, le=100_000)
    sensitivity_concentration: float = Field(default=20, gt=0)
    sensitivity_interval: float = Field(default=0.90, gt=0, le=1)
    seed: int = 20250301
    exclude: list[str] = ["TSAG"]
    # The two things the composite index mixes, scored apart (marts.sg_relevance scale_* and vitality_* columns):
    # scale = how big the SG's work is; vitality = how alive it is for its size. Scored by `dimension_normalisation`
    # (percentile: no working SG reads as zero), rank intervals under the alternatives and the same weight draws.
    scale: dict[str, RelevanceComponent] = Field(default_factory=dict)
    vitality: dict[str, RelevanceComponent] = Field(default_factory=dict)
    dimension_normalisation: Normalisation = "percentile"
    dimension_alternatives: list[Normalisation] = ["robust_z"]

    @field_validator("components", "scale", "vitality")
    @classmethod
    def _component_names(cls, value: dict[str, RelevanceComponent]) -> dict[str, RelevanceComponent]:
        bad = [k for k in value if not k.isidentifier() or k != k.lower()]
        if bad:
            raise ValueError(f"component names must be lower_snake_case (<name>_score columns), got {bad}")
        return value


class EvidenceThresholds(BaseModel):
    """When the briefs' rules call a change stable, a pair a merge candidate, a rank uncertain, quarantine high."""

    model_config = ConfigDict(extra="forbid")

    stable_change: float = Field(0.05, ge=0, le=1)
    merge_candidate: float = Field(0.30, ge=0, le=1)
    wide_rank_interval: int = Field(3, ge=1)
    quarantine_caution: float = Field(0.01, ge=0, le=1)


class ResultsFramework(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    # Required in the framework file (load_framework checks it); optional for a framework built in code.
    vision: DraftStatement | None = None
    mission: DraftStatement | None = None
    itu_goals: list[ItuGoal] = []
    default_tolerance: float = Field(ge=0, le=1)
    assess_from: int = Field(ge=1990, le=2100)
    baseline_year: int | None = Field(default=None, ge=1990, le=2100)
    target_year: int = Field(ge=1990, le=2100)
    goals: list[Goal] = Field(min_length=1)
    enablers: list[Enabler] = []
    regional_presence: RegionalPresence | None = None
    risk_appetite: dict[str, RiskAppetite] = {}
    relevance: Relevance | None = None
    evidence: EvidenceThresholds = EvidenceThresholds()

    @model_validator(mode="after")
    def _years(self) -> ResultsFramework:
        if self.target_year < self.assess_from:
            raise ValueError(f"target_year {self.target_year} is before assess_from {self.assess_from}")
        if self.baseline_year is not None and not self.assess_from <= self.baseline_year < self.target_year:
            raise ValueError(
                f"baseline_year {self.baseline_year} must lie from assess_from {self.assess_from} to before "
                f"target_year {self.target_year}"
            )
        ids = [n.id for n in self.nodes()]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"node ids must be unique, found twice: {twice}")
        itu = {g.id for g in self.itu_goals}
        for goal in self.goals:
            if goal.aligns_with is not None and goal.aligns_with not in itu:
                raise ValueError(
                    f"goal {goal.id}: aligns_with '{goal.aligns_with}' is not one of {sorted(itu)}"
                )
        return self

    def nodes(self) -> list:
        """Every node with an id: ITU goals, goals, outcomes, outputs, enablers."""
        found: list = [*self.itu_goals]
        for goal in self.goals:
            found.append(goal)
            for outcome in goal.outcomes:
                found += [outcome, *outcome.outputs]
        regional = [self.regional_presence] if self.regional_presence else []
        return [*found, *self.enablers, *regional]

    def measured(self) -> list[tuple[Outcome | Output | Enabler, KpiTarget]]:
        """Every (node, KPI) of the framework, with a target or tracked, in the tree's order."""
        pairs: list = []
        for goal in self.goals:
            for outcome in goal.outcomes:
                pairs += [(outcome, t) for t in outcome.kpis]
                pairs += [(output, t) for output in outcome.outputs for t in output.kpis]
        return [*pairs, *((e, t) for e in self.enablers for t in e.kpis)]

    def targets(self) -> list[tuple[Outcome | Output | Enabler, KpiTarget]]:
        """The (node, KPI) pairs with a target: what kpi_vs_target assesses."""
        return [(node, t) for node, t in self.measured() if t.target is not None]

    def target_year_of(self, target: KpiTarget) -> int:
        return target.target_year or self.target_year


class FrameworkError(ValueError):
    """An invalid results-framework file: the message names the file, the key and the problem."""


def load_framework(path: Path = FRAMEWORK_FILE, cat: Catalogue | None = None) -> ResultsFramework:
    """Load and validate the results framework; every KPI must be in the catalogue with a direction."""
    try:
        # libyaml's parser where installed (the same documents, ~7x faster; read by every brief).
        data = yaml.load(
            Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{path}: not valid YAML ({exc})") from None
    try:
        framework = ResultsFramework.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise FrameworkError(f"{path}: {key}: {first['msg']}") from None
    cat = cat or catalogue()
    known = {k.id: k for k in cat.kpis if "sg_year_kpis" in k.marts}
    for key, target in _kpi_keys(framework):
        if target.kpi not in known:
            raise FrameworkError(
                f"{path}: {key}: '{target.kpi}' is not a KPI of sg_year_kpis in the catalogue"
            )
        if target.target is not None and known[target.kpi].direction == "neutral":
            raise FrameworkError(
                f"{path}: {key}: '{target.kpi}' has no direction, so it cannot have a target"
            )
        if target.target_year is not None and target.target_year <= (framework.baseline_year or 0):
            raise FrameworkError(
                f"{path}: {key}: target_year {target.target_year} is not after baseline_year "
                f"{framework.baseline_year}"
            )
    regional = {k.id: k for k in cat.kpis if "region_kpi_vs_target" in k.indicator_of}
    for i, target in enumerate(framework.regional_presence.kpis if framework.regional_presence else []):
        if target.kpi not in regional:
            raise FrameworkError(
                f"{path}: regional_presence.kpis.{i}.kpi: '{target.kpi}' is not a KPI of region_kpi_vs_target "
                "in the catalogue"
            )
    kpis = [t.kpi for _, t in framework.measured()]
    twice = sorted({k for k in kpis if kpis.count(k) > 1})
    if twice:
        raise FrameworkError(f"{path}: a KPI measures one node of the framework, found twice: {twice}")
    _complete(framework, path)
    _one_verdict(framework, path)
    return framework


def _complete(framework: ResultsFramework, path: Path) -> None:
    """The framework file is the whole tree the resolution asks for (a framework built in code, e.g. by a test,
    may leave out what it does not need)."""
    missing = [
        key
        for key, value in (
            ("vision", framework.vision),
            ("mission", framework.mission),
            ("itu_goals", framework.itu_goals),
            ("baseline_year", framework.baseline_year),
            ("enablers", framework.enablers),
            ("regional_presence", framework.regional_presence),
        )
        if not value
    ]
    missing += [f"goals.{g}.aligns_with" for g, goal in enumerate(framework.goals) if not goal.aligns_with]
    if missing:
        raise FrameworkError(f"{path}: {missing[0]}: Field required (the results framework is incomplete)")


def _kpi_keys(framework: ResultsFramework) -> list[tuple[str, KpiTarget]]:
    """Each KPI of the framework with its key in the file (for messages), e.g. goals.0.outcomes.1.kpis.0.kpi."""
    found = []
    for g, goal in enumerate(framework.goals):
        for o, outcome in enumerate(goal.outcomes):
            at = f"goals.{g}.outcomes.{o}"
            found += [(f"{at}.kpis.{i}.kpi", t) for i, t in enumerate(outcome.kpis)]
            for p, output in enumerate(outcome.outputs):
                found += [(f"{at}.outputs.{p}.kpis.{i}.kpi", t) for i, t in enumerate(output.kpis)]
    for e, enabler in enumerate(framework.enablers):
        found += [(f"enablers.{e}.kpis.{i}.kpi", t) for i, t in enumerate(enabler.kpis)]
    return found


def _one_verdict(framework: ResultsFramework, path: Path) -> None:
    """One value, one verdict: a KPI that is also a risk indicator must have its target, and the worst value
    still on watch (target +/- tolerance), strictly on the good side of the risk appetite's high-risk line;
    otherwise one value would be 'on track' in one table and 'high risk' in another."""
    for risk_id, appetite in framework.risk_appetite.items():
        for _, t in framework.targets():
            if t.kpi != appetite.indicator:
                continue
            tolerance = framework.default_tolerance if t.tolerance is None else t.tolerance
            for scope, target in [("", t.target), *((f" ({sg})", v) for sg, v in t.overrides.items())]:
                if appetite.direction == "higher is worse":
                    watch, wrong = target * (1 + tolerance), target * (1 + tolerance) >= appetite.high
                else:
                    watch, wrong = target * (1 - tolerance), target * (1 - tolerance) <= appetite.high
                if wrong:
                    raise FrameworkError(
                        f"{path}: target of {t.kpi}{scope} {target:,g} (watch up to {watch:,g}) reaches the "
                        f"high-risk line of risk_appetite.{risk_id} ({appetite.high:,g}): a value would be "
                        "on track or on watch and a high risk at once; set the target (or its tolerance) on "
                        "the good side of the high-risk line"
                    )


def target_table(framework: ResultsFramework, cat: Catalogue, sgs: list[str]) -> pd.DataFrame:
    """One row per (sg, kpi): the target that applies (an SG override, else the sector-wide one), with what a
    status needs from the catalogue: the KPI's domain, its n column and min_n, its basis share and minimum."""
    rows = []
    for outcome, t in framework.targets():
        kpi = cat.get(t.kpi)
        tolerance = framework.default_tolerance if t.tolerance is None else t.tolerance
        for sg in [*sgs, "(sector)"] if t.scope == "all" else ["(sector)"]:
            rows.append(
                {
                    "sg": sg,
                    "kpi": t.kpi,
                    "outcome_id": outcome.id,
                    "target": t.overrides.get(sg, t.target),
                    "direction": kpi.direction,
                    "tolerance": tolerance,
                    "domain": kpi.domain,
                    "min_n": kpi.min_n,
                    "min_basis_share": kpi.min_basis_share,
                }
            )
    return pd.DataFrame(rows).astype({"min_n": "float64", "min_basis_share": "float64"})


# A status only for a value of a year its domain covers in full, resting on enough records (the catalogue's
# min_n) and, where the catalogue names one, on enough of the year's records (min_basis_share).
STATUS_SQL = """
case
    when k.value is null or k.partial then null
    when k.n < t.min_n or k.n is null and t.min_n is not null then 'insufficient data'
    when k.basis_share < t.min_basis_share then 'insufficient data'
    when t.direction = 'higher is better' and k.value >= t.target then 'on track'
    when t.direction = 'lower is better' and k.value <= t.target then 'on track'
    when t.direction = 'higher is better' and k.value >= t.target * (1 - t.tolerance) then 'watch'
    when t.direction = 'lower is better' and k.value <= t.target * (1 + t.tolerance) then 'watch'
    else 'off track'
end
"""


def _kpi_source(conn: duckdb.DuckDBPyConnection) -> str:
    """The values assessed: an SG's from its lineage series (marts.sg_year_kpis_lineage: SG21's newcomers and
    retention count SG9's and SG16's people, as its brief does), for the SG-years of sg_year_kpis; the sector's
    from int_kpis_by_scope. Without the lineage mart (a warehouse built before it): int_kpis_by_scope."""
    has_lineage = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' "
        "and table_name = 'sg_year_kpis_lineage'"
    ).fetchall()[0][0]
    if not has_lineage:
        return "select * from intermediate.int_kpis_by_scope"
    return (
        "select l.sg as scope, l.* exclude (sg, via) from marts.sg_year_kpis_lineage l "
        "semi join marts.sg_year_kpis k using (sg, year) "
        "union all by name select * from intermediate.int_kpis_by_scope where scope = '(sector)'"
    )


def _null_double(column: str | None) -> str:
    return f"{column}::double" if column else "null::double"


def build_kpi_vs_target(conn: duckdb.DuckDBPyConnection, framework: ResultsFramework, cat: Catalogue) -> int:
    """marts.kpi_vs_target (per SG) and marts.sector_kpi_vs_target: each KPI with a target against it, with status.

    Besides value, target and status: `n` (the records the value rests on), `partial` (the KPI's domain misses
    more than 31 days of the year: no status) and `basis_share` where the catalogue names one (AAP coverage).
    """
    sgs = [r[0] for r in conn.execute("select distinct sg from marts.sg_year_kpis order by sg").fetchall()]
    targets = target_table(framework, cat, sgs)
    kpis = sorted(targets["kpi"].unique())
    values = " union all ".join(
        f"select scope, year, '{k}' as kpi, '{cat.get(k).domain}' as domain, {k}::double as value, "
        f"{_null_double(cat.get(k).n)} as n, {_null_double(cat.get(k).basis_share)} as basis_share "
        f"from ({_kpi_source(conn)}) where year between {framework.assess_from} and {framework.target_year}"
        for k in kpis
    )
    conn.register("_targets", targets)
    try:
        conn.execute(
            f"""
            create or replace temp table _assessed as
            with valued as (
                select v.*, coalesce(c.coverage <> 'full', false) as partial
                from ({values}) v
                left join intermediate.int_year_coverage c on c.year = v.year and c.domain = v.domain
            )
            select k.scope, k.year, k.kpi, t.outcome_id, k.value, t.target, t.direction, t.tolerance,
                {STATUS_SQL} as status, k.n, k.partial, k.basis_share
            from valued k
            join _targets t on t.sg = k.scope and t.kpi = k.kpi
            """
        )
    finally:
        conn.unregister("_targets")
    conn.execute("create schema if not exists marts")
    columns = "year, kpi, value, target, direction, status, outcome_id, tolerance, n, partial, basis_share"
    conn.execute(
        f"create or replace table marts.kpi_vs_target as select scope as sg, {columns} "
        "from _assessed where scope <> '(sector)' order by sg, year, kpi"
    )
    conn.execute(
        f"create or replace table marts.sector_kpi_vs_target as select {columns} "
        "from _assessed where scope = '(sector)' order by year, kpi"
    )
    conn.execute("drop table _assessed")
    return conn.execute("select count(*) from marts.kpi_vs_target").fetchall()[0][0]
