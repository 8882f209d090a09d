"""marts.sg_risks and marts.risk_heatmap: the risk register per study group against the risk appetite."""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.analytics.scope_kpis import assessed_years, existing_sgs, kpi_series
from pipelines.analytics.targets import ResultsFramework, RiskAppetite
from pipelines.analytics.trends import MIN_TREND_POINTS, relative_trend
from pipelines.catalogue import catalogue

METHOD = (
    "Each study group existing in a year the meetings cover in full (TSAG included: a risk register is not a "
    "ranking) gets "
    "one row per risk: an indicator computed from the facts, compared with the risk appetite of the "
    "results framework (medium and high thresholds; for 'higher is worse' a value at or above a threshold "
    "reaches that level, for 'lower is worse' at or below). Concentration: HHI of fractional contribution "
    "shares (0-10000). Decline: Theil-Sen slope over the last five years divided by the level, the worse "
    "of participants and contributions (-0.06 = losing about 6% of the usual level per year). Capacity: "
    "share of the open work programme past its target date on 31 December. Diversity: developing-country "
    "share of attendance. Engagement: Sector Member and Associate share of contributions. Inactivity: "
    "share of the SG's Questions flagged inactive_two_years in marts.question_activity (never in the "
    "first year of a study period, which has no previous year to compare). Landscape (when the warehouse has "
    "the peer committees' records): SG output trend - field trend when the field grows and the SG shrinks "
    "(each by the evidence rules' stable change, 5 % a year, or more), else 0; the field trend is the median "
    "output trend of the SG's three closest peer committees over the same years (-0.11 = the SG loses 2 % a "
    "year while its field gains 9 %); it is assessed for the landscape's latest year only. A merged SG's "
    "trends use its predecessors' facts (SG21 before 2025 = SG9 + SG16). Partial years are never levels or "
    "trend points. An indicator that cannot be computed is NULL, and so is its level; an indicator resting on "
    "fewer records than the KPI catalogue's minimum (e.g. an HHI of fewer than 20 contributions, a trend of "
    "fewer than three full years) is 'insufficient data' and raises no risk. Likelihood, impact, score and owner: "
    "see pipelines/analytics/risk_register.py (config/risk_register.yaml)."
)

RISK_NAMES = {
    "concentration": "Work rests on a few entities",
    "decline": "Participation or contributions falling",
    "capacity": "Work programme running late",
    "diversity": "Few developing-country participants",
    "engagement": "Low industry engagement",
    "inactivity": "Questions without contributions",
    "landscape": "Landscape growing while the SG shrinks",
}
# Indicators from optional data (the landscape): a risk on one of them is left out of the register when the
# warehouse has no such data (rather than listed as not computable for every SG).
OPTIONAL_INDICATORS = {"landscape_divergence"}
TREND_YEARS = 5


def risk_level(value: float | None, appetite: RiskAppetite) -> str | None:
    """'high', 'medium' or 'low' for a value against the appetite; None for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    worse = (lambda v, t: v >= t) if appetite.direction == "higher is worse" else (lambda v, t: v <= t)
    if worse(value, appetite.high):
        return "high"
    if worse(value, appetite.medium):
        return "medium"
    return "low"


def _nan(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


@dataclass(frozen=True)
class Indicator:
    """A risk indicator's value for one SG and year, what it measured, and the records it rests on."""

    value: float | None
    measured: str
    n: float | None = None
    insufficient: bool = False  # n below the KPI catalogue's min_n: no level is given


def _basis(kpi: str) -> tuple[str | None, int | None]:
    """(n column, min_n) of a KPI in the catalogue; (None, None) for indicators without one."""
    found = catalogue().find(kpi)
    return (found.n, found.min_n) if found else (None, None)


def indicator_values(
    series: pd.DataFrame, inactive: pd.DataFrame, sg: str, year: int, trend_years: int = TREND_YEARS
) -> dict[str, Indicator]:
    """Every indicator the risk appetite may name -> Indicator for one SG and year.

    `series` comes with the values of partial or uncovered years already NaN (DataCoverage.mask_partial), so
    no partial year is a level or a trend point. A value resting on fewer records than the catalogue's min_n
    is kept but marked insufficient (no risk level is raised from it); a trend needs three full years.
    """
    rows = series[series["sg"] == sg]
    now = rows[rows["year"] == year]
    recent = rows[rows["year"].between(year - trend_years + 1, year)]

    def level(kpi: str) -> Indicator:
        value = _nan(now[kpi].iloc[0]) if len(now) and kpi in now else None
        column, minimum = _basis(kpi)
        n = _nan(now[column].iloc[0]) if column and len(now) and column in now else None
        short = minimum is not None and value is not None and (n is None or n < minimum)
        return Indicator(value, kpi, n, short)

    def trend(kpi: str) -> Indicator:
        values = pd.to_numeric(recent[kpi]).astype(float) if kpi in recent else pd.Series(dtype=float)
        points = int(values.notna().sum())
        value = relative_trend(recent["year"].tolist(), values.tolist()) if points else None
        return Indicator(value, f"{kpi}_trend", points, 0 < points < MIN_TREND_POINTS)

    values: dict[str, Indicator] = {}
    for kpi in [c for c in series.columns if c not in ("sg", "year", "via")]:
        values[kpi] = level(kpi)
    for kpi in ("participants", "contributions"):
        values[f"{kpi}_trend"] = trend(kpi)
    # Decline: whichever of participants and contributions falls faster.
    candidates = [
        i for i in (values["participants_trend"], values["contributions_trend"]) if i.value is not None
    ]
    values["decline_trend"] = (
        min(candidates, key=lambda i: i.value)
        if candidates
        else Indicator(None, "decline_trend", 0, values["participants_trend"].insufficient)
    )
    open_items, overdue = values["backlog"].value, values["overdue_items"].value
    column, minimum = _basis("overdue_share")
    short = open_items is not None and minimum is not None and open_items < minimum
    values["overdue_share"] = Indicator(
        overdue / open_items if open_items and overdue is not None else None,
        "overdue_share",
        open_items,
        short,
    )
    share = inactive.loc[(inactive["sg"] == sg) & (inactive["year"] == year)]
    values["inactive_question_share"] = Indicator(
        _nan(share["inactive_share"].iloc[0]) if len(share) else None,
        "inactive_question_share",
        _nan(share["questions"].iloc[0]) if len(share) else None,
    )
    return values


def inactive_question_shares(
    conn: duckdb.DuckDBPyConnection, assign: dict[str, str] | None = None
) -> pd.DataFrame:
    """Share of each SG's Questions flagged inactive_two_years, per year (SGs re-assigned by `assign`)."""
    df = conn.execute(
        "select sg, year, avg(case when inactive_two_years then 1.0 else 0.0 end) as inactive_share, "
        "count(*) as questions from marts.question_activity group by sg, year"
    ).df()
    if assign:
        df["sg"] = df["sg"].map(lambda s: assign.get(s, s))
        df["flagged"] = df["inactive_share"] * df["questions"]
        df = df.groupby(["sg", "year"], as_index=False)[["flagged", "questions"]].sum()
        df["inactive_share"] = df["flagged"] / df["questions"]
    return df


COLUMNS = [
    "sg",
    "risk_id",
    "risk",
    "indicator",
    "value",
    "threshold",
    "level",
    "as_of_year",
    "threshold_high",
    "direction",
    "n",
    "insufficient_data",
    "likelihood",
    "impact",
    "risk_score",
    "owner",
]


def risk_table(
    series: pd.DataFrame,
    inactive: pd.DataFrame,
    sgs: list[str],
    year: int,
    appetite: dict[str, RiskAppetite],
    extra: dict[str, dict[str, float | None]] | None = None,
) -> pd.DataFrame:
    """One row per (sg, risk_id) for the given SGs and year; no level from an insufficient indicator.

    `extra`: indicators from optional data, {indicator: {sg: value}}; a risk whose indicator is optional and
    not in `extra` is left out.
    """
    from pipelines.analytics.risk_register import impact, likelihood, register

    extra = extra or {}
    catalogue_of_risks = register()
    shares = contribution_shares(series, sgs, year)
    rows = []
    for sg in sorted(sgs):
        values = indicator_values(series, inactive, sg, year)
        values.update({name: Indicator(by_sg.get(sg), name) for name, by_sg in extra.items()})
        for risk_id, a in appetite.items():
            if a.indicator in OPTIONAL_INDICATORS and a.indicator not in extra:
                continue
            if a.indicator not in values:
                known = ", ".join(sorted(values))
                raise ValueError(
                    f"risk_appetite.{risk_id}: unknown indicator {a.indicator!r} (known: {known})"
                )
            found = values[a.indicator]
            level = None if found.insufficient else risk_level(found.value, a)
            kind = catalogue_of_risks.kind(risk_id)
            chance = likelihood(found.value, a) if level is not None else None
            weight = impact(kind, shares.get(sg), catalogue_of_risks.scoring)
            rows.append(
                {
                    "sg": sg,
                    "risk_id": risk_id,
                    "risk": RISK_NAMES.get(risk_id, risk_id),
                    "indicator": found.measured,
                    "value": found.value,
                    "threshold": a.medium,
                    "level": level,
                    "as_of_year": year,
                    "threshold_high": a.high,
                    "direction": a.direction,
                    "n": found.n,
                    "insufficient_data": found.insufficient,
                    "likelihood": chance,
                    "impact": weight,
                    "risk_score": None if chance is None else chance * weight,
                    "owner": kind.owner,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {
            "n": "float64",
            "insufficient_data": "bool",
            "likelihood": "Int64",
            "impact": "Int64",
            "risk_score": "Int64",
        }
    )


def contribution_shares(series: pd.DataFrame, sgs: list[str], year: int) -> dict[str, float]:
    """sg -> its share of the year's contributions of the given SGs (none where the year has no contributions)."""
    rows = series[(series["year"] == year) & series["sg"].isin(sgs)]
    if "contributions" not in rows:
        return {}
    values = pd.to_numeric(rows["contributions"], errors="coerce").astype("float64")
    total = float(values.sum())
    if not total > 0:
        return {}
    return {sg: float(v) / total for sg, v in zip(rows["sg"], values, strict=True) if pd.notna(v)}


def heatmap(risks: pd.DataFrame) -> pd.DataFrame:
    """sg x risk -> level, one row per SG (columns in the order of the risk appetite)."""
    order = list(dict.fromkeys(risks["risk_id"]))
    wide = risks.pivot(index="sg", columns="risk_id", values="level").reindex(columns=order)
    wide.columns.name = None
    wide = wide.reset_index()
    wide.insert(1, "as_of_year", risks["as_of_year"].iloc[0] if len(risks) else None)
    return wide


def landscape_risks(conn: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float | None]]:
    """{'landscape_divergence': {sg: value}} from the landscape, or {} when the warehouse has none."""
    from pipelines.analytics.landscape import landscape_indicators, read_landscape

    landscape = read_landscape(conn)
    if landscape is None:
        return {}
    indicators = landscape_indicators(landscape)
    return {"landscape_divergence": {r.sg: _nan(r.divergence) for r in indicators.itertuples()}}


def build_sg_risks(
    conn: duckdb.DuckDBPyConnection, framework: ResultsFramework, year: int | None = None
) -> int:
    """Write marts.sg_risks_history (every assessed year), and marts.sg_risks and marts.risk_heatmap for the
    latest (or given) year; returns sg_risks' row count."""
    from pipelines.coverage import load_coverage

    years = assessed_years(conn)
    if year is None:
        year = years[-1] if years else None
    series = load_coverage(conn).mask_partial(kpi_series(conn))
    inactive = inactive_question_shares(conn)
    # The landscape's indicators are of its latest year: assessed in that year's register only.
    extra = landscape_risks(conn)
    frames = [
        risk_table(
            series, inactive, existing_sgs(conn, y), y, framework.risk_appetite, extra if y == year else None
        )
        for y in sorted({*years, *([year] if year is not None else [])})
    ]
    history = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    risks = history[history["as_of_year"] == year].reset_index(drop=True)
    wide = (
        heatmap(risks) if len(risks) else pd.DataFrame(columns=["sg", "as_of_year", *framework.risk_appetite])
    )
    conn.execute("create schema if not exists marts")
    for table, frame, order in (
        ("sg_risks", risks, "sg"),
        ("risk_heatmap", wide, "sg"),
        ("sg_risks_history", history, "as_of_year, sg"),
    ):
        conn.register("_frame", frame)
        try:
            conn.execute(f"create or replace table marts.{table} as select * from _frame order by {order}")
        finally:
            conn.unregister("_frame")
    return len(risks)
