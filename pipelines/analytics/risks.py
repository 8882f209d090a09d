"""marts.sg_risks and marts.risk_heatmap: the risk register per study group against the risk appetite."""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from pipelines.analytics.scope_kpis import existing_sgs, kpi_series
from pipelines.analytics.targets import ResultsFramework, RiskAppetite
from pipelines.analytics.trends import relative_trend

METHOD = (
    "Each study group existing in the latest year (TSAG included: a risk register is not a ranking) gets "
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
    "year while its field gains 9 %). A merged SG's "
    "trends use its "
    "predecessors' facts (SG21 before 2025 = SG9 + SG16). An indicator that cannot be computed is NULL, "
    "and so is its level."
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


def indicator_values(
    series: pd.DataFrame, inactive: pd.DataFrame, sg: str, year: int, trend_years: int = TREND_YEARS
) -> dict[str, tuple[float | None, str]]:
    """Every indicator the risk appetite may name -> (value, what it measured) for one SG and year."""
    rows = series[series["sg"] == sg]
    now = rows[rows["year"] == year]
    recent = rows[rows["year"].between(year - trend_years + 1, year)]

    def level(kpi: str) -> float | None:
        return _nan(now[kpi].iloc[0]) if len(now) and kpi in now else None

    def trend(kpi: str) -> float | None:
        return relative_trend(recent["year"].tolist(), pd.to_numeric(recent[kpi]).astype(float).tolist())

    values: dict[str, tuple[float | None, str]] = {}
    for kpi in [c for c in series.columns if c not in ("sg", "year")]:
        values[kpi] = (level(kpi), kpi)
        if pd.api.types.is_numeric_dtype(series[kpi]):
            values[f"{kpi}_trend"] = (trend(kpi), f"{kpi}_trend")
    # Decline: whichever of participants and contributions falls faster.
    candidates = [
        (v, n) for v, n in (values["participants_trend"], values["contributions_trend"]) if v is not None
    ]
    values["decline_trend"] = min(candidates) if candidates else (None, "decline_trend")
    open_items, overdue = level("backlog"), level("overdue_items")
    values["overdue_share"] = (
        overdue / open_items if open_items and overdue is not None else None,
        "overdue_share",
    )
    share = inactive.loc[(inactive["sg"] == sg) & (inactive["year"] == year), "inactive_share"]
    values["inactive_question_share"] = (
        _nan(share.iloc[0]) if len(share) else None,
        "inactive_question_share",
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


def risk_table(
    series: pd.DataFrame,
    inactive: pd.DataFrame,
    sgs: list[str],
    year: int,
    appetite: dict[str, RiskAppetite],
    extra: dict[str, dict[str, float | None]] | None = None,
) -> pd.DataFrame:
    """One row per (sg, risk_id) for the given SGs and year.

    `extra`: indicators from optional data, {indicator: {sg: value}}; a risk whose indicator is optional and
    not in `extra` is left out.
    """
    extra = extra or {}
    rows = []
    for sg in sorted(sgs):
        values = indicator_values(series, inactive, sg, year)
        values.update({name: (by_sg.get(sg), name) for name, by_sg in extra.items()})
        for risk_id, a in appetite.items():
            if a.indicator in OPTIONAL_INDICATORS and a.indicator not in extra:
                continue
            if a.indicator not in values:
                known = ", ".join(sorted(values))
                raise ValueError(
                    f"risk_appetite.{risk_id}: unknown indicator {a.indicator!r} (known: {known})"
                )
            value, measured = values[a.indicator]
            rows.append(
                {
                    "sg": sg,
                    "risk_id": risk_id,
                    "risk": RISK_NAMES.get(risk_id, risk_id),
                    "indicator": measured,
                    "value": value,
                    "threshold": a.medium,
                    "level": risk_level(value, a),
                    "as_of_year": year,
                    "threshold_high": a.high,
                    "direction": a.direction,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
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
        ],
    )


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
    """Write marts.sg_risks and marts.risk_heatmap for the latest (or given) year; returns the row count."""
    if year is None:
        year = conn.execute(
            "select max(year) from marts.sg_year_kpis where year in (select year from core.dim_meeting)"
        ).fetchall()[0][0]
    sgs = existing_sgs(conn, year) if year is not None else []
    risks = risk_table(
        kpi_series(conn), inactive_question_shares(conn), sgs, year, framework.risk_appetite, landscape_risks(conn)
    )
    wide = (
        heatmap(risks) if len(risks) else pd.DataFrame(columns=["sg", "as_of_year", *framework.risk_appetite])
    )
    conn.execute("create schema if not exists marts")
    for table, frame in (("sg_risks", risks), ("risk_heatmap", wide)):
        conn.register("_frame", frame)
        try:
            conn.execute(f"create or replace table marts.{table} as select * from _frame order by sg")
        finally:
            conn.unregister("_frame")
    return len(risks)
