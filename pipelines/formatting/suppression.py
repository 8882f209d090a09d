"""Small-cell suppression: the one rule every brief, table and chart uses for counts of people.

A breakdown cell that counts fewer than SMALL_CELL people (participants by region, by member category...)
is written `<5`, zero included, so that no cell can point at one or a few individuals. When exactly one cell
of a breakdown is suppressed, the next smallest cell is suppressed too (complementary suppression), so the
hidden value cannot be recovered by subtracting the others from a total shown elsewhere. Counts of
documents, organisations or members are not counts of people and are never suppressed.

The same threshold hides every figure about the people of a year with fewer than SMALL_CELL participants
(PEOPLE_KPIS: the count, and the shares and counts computed over them), headline KPIs included: "3
participants, 66.7 % female" describes three people.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.formatting.numbers import format_count, is_missing

SMALL_CELL = 5
SUPPRESSED = f"<{SMALL_CELL}"
# KPIs computed over a year's participants or their attendance records (retention also over the year before).
PEOPLE_KPIS = frozenset(
    {
        "participants",
        "remote_share",
        "countries",
        "developing_share",
        "female_share",
        "newcomer_share",
        "retention",
    }
)


def people_kpi_hidden(kpi_id: str, participants_in, year: int) -> bool:
    """Whether a KPI's value for `year` is hidden: it is about people, and that year (or, for retention, the
    year before) had fewer than SMALL_CELL participants. `participants_in(year)` gives the count or None."""
    if kpi_id not in PEOPLE_KPIS:
        return False
    years = (year, year - 1) if kpi_id == "retention" else (year,)
    counts = [participants_in(y) for y in years]
    return any(c is not None and not is_missing(c) and int(c) < SMALL_CELL for c in counts)


def suppress_people(counts: Sequence[float | int | None]) -> list[int | None]:
    """The counts a breakdown may show: None where the cell is suppressed (missing counts stay None)."""
    values = [None if is_missing(c) else int(c) for c in counts]
    shown = [v if v is not None and v >= SMALL_CELL else None for v in values]
    hidden = [i for i, (v, s) in enumerate(zip(values, shown, strict=True)) if v is not None and s is None]
    if len(hidden) == 1:
        candidates = [i for i, s in enumerate(shown) if s is not None]
        if candidates:
            smallest = min(candidates, key=lambda i: (shown[i], i))
            shown[smallest] = None
    return shown


def people_labels(counts: Sequence[float | int | None]) -> list[str]:
    """The text of each cell of a breakdown of people: the count, `<5`, or `n/a` for a missing count."""
    out = []
    for raw, shown in zip(counts, suppress_people(counts), strict=True):
        out.append("n/a" if is_missing(raw) else (SUPPRESSED if shown is None else format_count(shown)))
    return out
