"""The data-quality annex of an SG brief: one page listing only what touches this study group.

The sector brief keeps the build's whole data-quality section (content.quality_section). An SG brief shows instead
the raw rows quarantined that name the SG (their own `sg`, or the SG of their meeting for attendance), the
organisation names of its year's attendance and contributions that could not be resolved, what the data cover in
its year, the KPIs and risks of the SG that rest on too few records, and the build-wide checks as one line.
Counts only: quarantine reasons can quote raw values (participant keys), so no reason text is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Note, Section, Table
from pipelines.catalogue import catalogue
from pipelines.coverage import has_table
from pipelines.formatting.numbers import MISSING, format_count

# Quarantine tables with an `sg` column, and how attendance reaches its SG (through its meeting).
SG_TABLES = ("meetings", "contributions", "recommendations", "work_items", "questions")


@dataclass
class ScopeQuality:
    """What touches one SG: quarantined rows per raw table, unresolved names of its year."""

    quarantined: pd.DataFrame  # table_name, rows (naming the SG), table_rows (quarantined in the whole table)
    unresolved_names: int
    unresolved_records: int


def load_scope_quality(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> ScopeQuality:
    """Quarantined rows naming the SG (any year: a row that failed has no trustworthy year) and the unresolved
    organisation names in its attendance and contributions of `year`."""
    parts = [
        f"select '{t}' as table_name, count(*) filter (where sg = $sg) as rows, count(*) as table_rows "
        f"from quarantine.{t}"
        for t in SG_TABLES
        if has_table(conn, "quarantine", t)
    ]
    if has_table(conn, "quarantine", "attendance"):
        parts.append(
            "select 'attendance', count(*) filter (where m.sg = $sg), count(*) from quarantine.attendance a "
            "left join core.dim_meeting m on m.meeting_id = a.meeting_id"
        )
    quarantined = (
        conn.execute(" union all ".join(parts), {"sg": scope}).df()
        if parts
        else pd.DataFrame(columns=["table_name", "rows", "table_rows"])
    )
    names, records = conn.execute(
        """
        with used as (
            select entity_id from core.fct_attendance where sg = $sg and year = $year
            union all
            select entity_id from core.fct_contribution_source where sg = $sg and year = $year
        )
        select count(distinct u.entity_id), count(*)
        from used u join core.dim_entity e on e.entity_id = u.entity_id
        where not e.is_resolved""",
        {"sg": scope, "year": year},
    ).fetchall()[0]
    return ScopeQuality(quarantined, int(names), int(records))


def annex_section(data: BriefData) -> Section:
    """Annex: data quality of the SG, one page."""
    title = f"Annex: data quality of {data.scope}"
    scope = data.scope_quality
    if scope is None:
        return Section(title, [Note("Not available for this brief (the quarantine tables are missing).")])
    rows = [
        [str(r.table_name), format_count(r.rows), format_count(r.table_rows)]
        for r in scope.quarantined.sort_values("table_name").itertuples()
    ]
    blocks: list = [
        Table(
            label="tab:quality-sg",
            caption=f"Raw rows quarantined at ingest that name {data.scope}",
            columns=["Raw table", f"Rows naming {data.scope}", "Rows quarantined in the table"],
            rows=rows,
            source="the quarantine tables (attendance through core.dim_meeting)",
            note="A quarantined row is left out of every figure of this brief; the reasons are listed for the "
            "maintainers in marts.quarantine_summary (counts only here: reasons can quote raw values).",
        )
    ]
    facts = [
        [
            "Unresolved organisation names in the year's attendance and contributions",
            format_count(scope.unresolved_names),
        ],
        ["Records carrying them", format_count(scope.unresolved_records)],
        *_short_records(data),
        *_checks(data),
    ]
    if data.coverage is not None:
        facts.append(["What the data cover", data.coverage.coverage_line()])
    blocks.append(
        Table(
            label="tab:quality-facts",
            caption=f"What else touches the quality of {data.scope}'s figures, {data.year}",
            columns=["Item", "Value"],
            rows=facts,
            source="core.dim_entity, marts.kpi_vs_target, marts.sg_risks_history, meta.check_results, "
            "marts.coverage",
            align=["l", "l"],
        )
    )
    return Section(title, blocks)


def _short_records(data: BriefData) -> list[list[str]]:
    """The SG's KPIs and risks of the year that rest on fewer records than the catalogue's minimum."""
    targets = data.targets[data.targets["year"] == data.year]
    short = targets[targets.get("status", pd.Series(dtype=object)) == "insufficient data"]
    kpis = ", ".join(
        f"{catalogue().get(r.kpi).name} (n = {format_count(getattr(r, 'n', None))})"
        for r in short.itertuples()
    )
    risks = ""
    if data.risks is not None and "insufficient_data" in data.risks:
        thin = data.risks[data.risks["insufficient_data"].fillna(False).astype(bool)]
        risks = ", ".join(f"{r.risk} (n = {format_count(r.n)})" for r in thin.itertuples())
    return [
        ["KPIs with too few records for a status", kpis or "none"],
        ["Risks with too few records for a level", risks or "none"],
    ]


def _checks(data: BriefData) -> list[list[str]]:
    """The build's checks in one line (they are build-wide; the sector brief lists the failing ones)."""
    counts = data.quality.check_counts()
    if counts is None:
        return [["Data-quality checks of the build", MISSING]]
    return [
        [
            "Data-quality checks of the build (all study groups)",
            f"{counts['passed']:,} passed, {counts['warned']:,} warned, {counts['failed']:,} failed",
        ]
    ]
