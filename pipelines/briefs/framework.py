"""The sector brief's results-framework section: each KPI's progress from its baseline to its target."""

from __future__ import annotations

import pandas as pd

from pipelines.briefs.model import Note, Paragraph, Section, Table
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_count, format_with_unit, is_missing

TITLE = "Results framework: progress from baseline to target"


def progress_text(baseline, value, target, direction: str) -> str:
    """How far the value has come from the baseline towards the target.

    0 % at the baseline, 100 % at the target; a value on the target's side is "target met"; a value that moved
    away from the target is said so with its (negative) share; a baseline already on the target's side is not a
    distance to cover, so it is said in words.
    """
    if any(is_missing(x) for x in (baseline, value, target)):
        return MISSING
    baseline, value, target = float(baseline), float(value), float(target)

    def met(x: float) -> bool:
        return x >= target if direction == "higher is better" else x <= target

    if met(baseline):
        return "met at baseline, still met" if met(value) else "met at baseline, now missed"
    if met(value):
        return "target met"
    share = (value - baseline) / (target - baseline)
    if share < 0:
        return f"moved away ({share:.0%})"
    return f"{share:.0%} of the way"


def framework_section(data) -> Section:
    """Vision and mission (drafts said so), then per KPI of the framework: node, baseline, the brief's year's
    value, target and target year, progress and the status with its n (marts.sector_kpi_vs_target)."""
    frame: pd.DataFrame | None = data.framework
    if frame is None:
        return Section(TITLE, [Note("Not available in this warehouse (marts.results_framework missing).")])
    cat = catalogue()
    blocks: list = []
    for level in ("vision", "mission"):
        row = frame[frame["level"] == level]
        if not row.empty:
            draft = " (DRAFT for TSAG to replace)" if bool(row.iloc[0]["draft"]) else ""
            blocks.append(Paragraph(f"{level.capitalize()}{draft}: {row.iloc[0]['name']}"))
    # Regional KPIs have a value per region: the section "Regional presence" shows them.
    kpis = frame[(frame["level"] == "kpi") & (frame["scope"].fillna("") != "region")]
    baseline_year = int(kpis["baseline_year"].dropna().iloc[0]) if not kpis.empty else None
    targets = data.targets[data.targets["year"] == data.year].set_index("kpi")
    rows = []
    for r in kpis.itertuples():
        kpi = cat.get(r.kpi)
        value = data.kpi(r.kpi)
        assessed = targets.loc[r.kpi] if r.kpi in targets.index else None
        full = data.full_year(r.kpi)
        if is_missing(r.target):
            progress, status, n = "tracked, no target", MISSING, MISSING
        elif baseline_year is not None and data.year < baseline_year:
            progress, status, n = f"before the baseline ({baseline_year})", MISSING, MISSING
        elif not full:
            progress, status, n = "not assessed (partial year)", MISSING, MISSING
        else:
            progress = progress_text(r.baseline, value, r.target, r.direction)
            status = (
                MISSING if assessed is None or is_missing(assessed["status"]) else str(assessed["status"])
            )
            n = MISSING if assessed is None else format_count(assessed.get("n"))
        value_text = format_with_unit(value, kpi.unit) + ("" if full or value is None else " (partial year)")
        rows.append(
            [
                r.parent,
                kpi.name,
                format_with_unit(r.baseline, kpi.unit),
                value_text,
                MISSING
                if is_missing(r.target)
                else f"{format_with_unit(r.target, kpi.unit)} ({int(r.target_year)})",
                progress,
                status,
                n,
            ]
        )
    no_data = frame[(frame["level"] == "enabler") & frame["note"].fillna("").str.startswith("no data")]
    blocks.append(
        Table(
            label="tab:framework",
            caption=f"The results framework's KPIs for ITU-T: baseline {baseline_year}, {data.year} and target",
            columns=[
                "Node",
                "KPI",
                f"Baseline {baseline_year}",
                str(data.year),
                "Target (year)",
                "Progress",
                "Status",
                "n",
            ],
            rows=rows,
            source="marts.results_framework, marts.sector_year_kpis, marts.sector_kpi_vs_target",
            align=["l", "l", "r", "r", "r", "l", "l", "r"],
            note="Node: the outcome (O), output (OP) or enabler (E) the KPI measures (docs/results-framework.md). "
            "Progress: the share of the distance from the baseline to the target covered (0 % at the baseline, "
            "100 % at the target); n/a where the baseline or the value is missing (never counted as 0).",
        )
    )
    if not no_data.empty:
        names = "; ".join(f"{r.id} {r.name}" for r in no_data.itertuples())
        blocks.append(
            Note(f"Enablers with no data in this warehouse (not measured, nothing estimated): {names}.")
        )
    return Section(TITLE, blocks)
