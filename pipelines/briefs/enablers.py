"""The sector brief's "Enablers" section: the key enablers of the results framework measured from the data there
is (marts.enabler_year), this year against last, and the enablers the data cannot measure, said so."""

from __future__ import annotations

from pipelines.briefs.model import Note, Section, Table
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_change, format_count, format_value, is_missing

TITLE = "Enablers"


def enablers_section(data) -> Section:
    frame = data.enablers
    if frame is None:
        return Section(TITLE, [Note("Not available in this warehouse (marts.enabler_year missing).")])
    from pipelines.analytics.targets import load_framework

    framework = load_framework()
    names = {e.id: e.name for e in framework.enablers}
    cat = catalogue()
    rows = []
    for (enabler, indicator), group in frame.groupby(["enabler", "indicator"], sort=False):
        kpi = cat.get(indicator)
        by_year = {int(r.year): r for r in group.itertuples()}
        now, before = by_year.get(data.year), by_year.get(data.year - 1)

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
    measured = set(frame["enabler"])
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


def _shown(row, unit: str) -> str:
    """A value as the table shows it: n/a, or the value with "(partial year)" after a partial year's."""
    if row is None:
        return MISSING
    text = format_value(None if is_missing(row.value) else row.value, unit)
    return f"{text} (partial year)" if bool(row.partial) and not is_missing(row.value) else text


def _kpis_of(enabler, cat) -> str:
    names = ", ".join(cat.get(t.kpi).name for t in enabler.kpis)
    return f"by {names} in the section on the results framework" if names else "not measured"
