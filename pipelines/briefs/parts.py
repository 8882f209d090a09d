"""Small pieces every section of a brief uses: figures from charts, marts named as sources, the scope as
statements and captions name it, KPI labels with their units."""

from __future__ import annotations

import pandas as pd

from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Figure, Note
from pipelines.catalogue import catalogue
from pipelines.charts.export import stable_spec

NOT_AVAILABLE = "Not available in this warehouse ({tables} missing)."


def _unavailable(*tables: str) -> Note:
    return Note(NOT_AVAILABLE.format(tables=", ".join(tables)))


def _figure(label: str, name: str, chart, caption: str, source: str, interactive: bool = False) -> Figure:
    return Figure(
        label=label,
        caption=caption,
        name=name,
        # Not validated again here: tests/charts validates every chart function's spec against the
        # Vega-Lite schema, and validating 100+ specs per refresh cost about a tenth of the briefs' time.
        spec=stable_spec(chart.to_dict(validate=False)),
        source=source,
        interactive=interactive,
        alt_text=caption,
    )


def _kpi_mart(data: BriefData) -> str:
    return "marts.sector_year_kpis" if data.is_sector else "marts.sg_year_kpis"


def _target_mart(data: BriefData) -> str:
    return "marts.sector_kpi_vs_target" if data.is_sector else "marts.kpi_vs_target"


def _scope_name(data: BriefData) -> str:
    return "ITU-T" if data.is_sector else data.scope


def _series(data: BriefData) -> pd.DataFrame:
    """The yearly KPIs charts draw: partial and uncovered years blanked (data.series), so they are left out."""
    return data.series()


def _left_out(data: BriefData, *kpi_ids: str) -> str:
    """' (2015: partial year, left out)' for a caption, or ''."""
    years = data.left_out(*kpi_ids)
    if not years:
        return ""
    word = "year" if len(years) == 1 else "years"
    return f" ({', '.join(str(y) for y in years)}: partial {word}, left out)"


def _who(data: BriefData) -> str:
    """The scope as charts and statements name it: 'SG21 (with SG9 and SG16 before 2025)' for a successor."""
    name = _scope_name(data)
    return f"{name} ({data.lineage_note})" if data.lineage_note else name


def unit_text(unit: str) -> str:
    """A catalogue unit as a table's Unit column writes it: '%' for shares, 'number' for plain counts."""
    return {"share": "%", "count": "number"}.get(unit, unit)


def unit_label(kpi_id: str) -> str:
    """A KPI's plain-language name with its unit: 'Participants (people)', 'Remote share (%)'."""
    kpi = catalogue().get(kpi_id)
    if kpi.unit == "share":
        return f"{kpi.name} (%)"
    if kpi.unit == "count" or kpi.unit.lower() in kpi.name.lower():
        return kpi.name
    return f"{kpi.name} ({kpi.unit})"
