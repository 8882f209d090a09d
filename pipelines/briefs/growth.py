"""Growing or shrinking: every study group's participants, contributions and Recommendations, with their change
over one and three years, this study period against the last, and their five-year trend.

The numbers come from the same lineage series and rules as the first page (`pipelines.briefs.glance`): a
successor's earlier years are its predecessors' as one group, a partial year is never compared, and a figure
about the people of a year with fewer than five participants is never shown. The trend is the risk register's
(`pipelines.analytics.trends.relative_trend`: Theil-Sen slope over the last five full years divided by their
median), called rising or falling from the results framework's stable-change threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.briefs import glance
from pipelines.briefs.data import BriefData
from pipelines.formatting.ordering import sg_sort_key

GROWTH_KPIS = ("participants", "contributions", "recs_approved")
TREND_YEARS = 5


@dataclass
class GrowthRow:
    sg: str
    kpi: str
    value: float | None
    change_1y: float | None  # relative (shares would be percentage points; these KPIs are counts)
    change_3y: float | None
    period_before: float | None  # yearly averages over the full years of each study period
    period_now: float | None
    period_change: float | None
    trend: float | None  # relative Theil-Sen slope per year over the last TREND_YEARS full years
    trend_word: str  # "rising", "falling", "stable" or "n/a" (fewer than three years)
    hidden: bool = False  # the year's figure is about fewer than five people: shown as <5, no change stated


def growth_sgs(data: BriefData) -> list[str]:
    """Every study group active in the brief's year (TSAG included), in SG order."""
    if data.peers is None:
        return []
    rows = data.peers[(data.peers["year"] == data.year) & data.peers["via"].isna()]
    return sorted(set(rows["sg"]), key=sg_sort_key)


def _mean(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def growth_rows(data: BriefData, kpi_id: str) -> list[GrowthRow]:
    """One row per study group active in the year, for one of GROWTH_KPIS."""
    from pipelines.analytics.targets import load_framework
    from pipelines.analytics.trends import MIN_TREND_POINTS, relative_trend

    stable = load_framework().evidence.stable_change
    spans = glance.periods(data.year)
    rows = []
    for sg in growth_sgs(data):

        def value(year: int, sg=sg):
            return glance.peer_value(data, sg, kpi_id, year)

        now = value(data.year)
        before, now_mean = (
            _mean([value(y) for y in spans.before_years]),
            _mean([value(y) for y in spans.now_years]),
        )
        years = list(range(data.year - TREND_YEARS + 1, data.year + 1))
        points = [value(y) for y in years]
        trend = (
            relative_trend(years, [float("nan") if p is None else p for p in points])
            if sum(p is not None for p in points) >= MIN_TREND_POINTS
            else None
        )
        word = (
            "n/a"
            if trend is None
            else "rising"
            if trend >= stable
            else "falling"
            if trend <= -stable
            else "stable"
        )
        rows.append(
            GrowthRow(
                sg=sg,
                kpi=kpi_id,
                value=now,
                change_1y=glance.change(kpi_id, now, value(data.year - 1)),
                change_3y=glance.change(kpi_id, now, value(data.year - 3)),
                period_before=before,
                period_now=now_mean,
                period_change=glance.change(kpi_id, now_mean, before, mean=True),
                trend=trend,
                trend_word=word,
                hidden=glance.peer_hidden(data, sg, kpi_id, data.year),
            )
        )
    return rows
