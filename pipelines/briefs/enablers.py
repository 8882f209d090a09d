"""The sector brief's "Enablers" section: the key enablers of the results framework measured from the data there
is (marts.enabler_year), this year against last, and the enablers the data cannot measure, said so."""

from __future__ import annotations

from pipelines.briefs.model import Note, Section, Table
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import (
    MISSING,
    SHARE_UNITS,
    format_change,
    format_count,
    format_value,
    is_missing,
)

TITLE = "Enablers"


def enablers_section(data) -> Section:
    frame = data.enablers
    if frame is None:
        return Section(TITLE, [Note("Not available in this warehouse (marts.enabler_year missing).")])
    from pipelines.analytics.targets import load_framework

    framework = load_framework()
    names = {e.id: e.name for e in framework.enablers}
    cat = catalogue()
    rows, runs = [], []
    for (enabler, indicator), group in frame.groupby(["enabler", "indicator"], sort=False):
        kpi = cat.get(indicator)
        by_year = {int(r.year): r for r in group.itertuples()}
        now, before = by_year.get(data.year), by_year.get(data.year - 1)
        if now is None and before is None:
            continue  # measured in earlier years only

        comparable = now is not None and before is not None and not now.partial and not before.partial
        rows.append(
            [
                f"{enabler} {names.get(enabler, '')}".strip(),
                kpi.name,
                _shown(before, kpi.unit),
                _shown(now, kpi.unit),
                format_change(now.value, before.value, kpi.unit) if comparable else MISSING,
                MISSING if now is None or is_missing(now.n) else format_count(now.n),
            ]
        )
        run = change_run(by_year, data.year, kpi)
        if run:
            runs.append(run)
    blocks: list = [
        Table(
            label="tab:enablers",
            caption=f"Key enablers of ITU-T measured from the data, {data.year} and the change since {data.year - 1}",
            columns=["Enabler", "Indicator", str(data.year - 1), str(data.year), "Change", "n"],
            rows=rows,
            source="marts.enabler_year",
            align=["l", "l", "r", "r", "r", "r"],
            note="Indicators defined in the KPI catalogue; n = the records the value rests on; a partial year is "
            "never compared; n/a = no value (never counted as 0).",
        )
    ]
    if runs:
        blocks.append(Note("Runs of change: " + "; ".join(runs) + "."))
    measured = set(frame.loc[frame["year"] >= data.year - 1, "enabler"])
    elsewhere = [e for e in framework.enablers if e.id not in measured and not e.note.startswith("no data")]
    missing = [e for e in framework.enablers if e.id not in measured and e.note.startswith("no data")]
    if elsewhere:
        said = [f"{e.id} {e.name}: {e.note or _kpis_of(e, cat)}" for e in elsewhere]
        blocks.append(Note("Measured elsewhere: " + "; ".join(said) + "."))
    if missing:
        blocks.append(
            Note(
                "No data in this warehouse (not measured, nothing estimated): "
                + "; ".join(f"{e.id} {e.name}" for e in missing)
                + "."
            )
        )
    return Section(TITLE, blocks)


# A run of change is said when the indicator moved the same way over at least this many consecutive years.
MIN_RUN = 3


def change_run(by_year: dict, year: int, kpi) -> str | None:
    """'CxO meeting participants fell every year since 2022: 72 in 2022, 30 in 2025 (-42, -58.3%)', or None.

    Only full years with a value count (a partial year breaks the run); only indicators with a direction (a
    neutral one, such as the remote share, is tracked, not judged).
    """
    if kpi.direction == "neutral":
        return None
    values: list[tuple[int, float]] = []
    y = year
    while y in by_year and not bool(by_year[y].partial) and not is_missing(by_year[y].value):
        values.append((y, float(by_year[y].value)))
        y -= 1
    values.reverse()
    steps = [b - a for (_, a), (_, b) in zip(values, values[1:], strict=False)]
    sign, length = 0, 0
    for step in reversed(steps):
        s = (step > 0) - (step < 0)
        if s == 0 or (sign and s != sign):
            break
        sign, length = s, length + 1
    if length < MIN_RUN:
        return None
    (first_year, first), (_, last) = values[-length - 1], values[-1]
    verb = "rose" if sign > 0 else "fell"
    relative = f", {last / first - 1:+.1%}" if first and kpi.unit not in SHARE_UNITS else ""
    change = f" ({format_change(last, first, kpi.unit)}{relative})"
    return (
        f"{kpi.name} {verb} every year since {first_year}: {format_value(first, kpi.unit)} in {first_year}, "
        f"{format_value(last, kpi.unit)} in {year}{change}"
    )


def _shown(row, unit: str) -> str:
    """A value as the table shows it: n/a, or the value with "(partial year)" after a partial year's."""
    if row is None:
        return MISSING
    text = format_value(None if is_missing(row.value) else row.value, unit)
    return f"{text} (partial year)" if bool(row.partial) and not is_missing(row.value) else text


def _kpis_of(enabler, cat) -> str:
    names = ", ".join(cat.get(t.kpi).name for t in enabler.kpis)
    return f"by {names} in the section on the results framework" if names else "not measured"
