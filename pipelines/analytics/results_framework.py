"""The results framework as a tree: marts.results_framework (one row per node, with each KPI's baseline computed
from the data at the framework's baseline year) and docs/results-framework.md (generated from the same file)."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.analytics.targets import Enabler, Goal, KpiTarget, Outcome, Output, ResultsFramework
from pipelines.catalogue import Catalogue

COLUMNS = [
    "position",
    "level",
    "id",
    "parent",
    "name",
    "kpi",
    "direction",
    "baseline_year",
    "baseline",
    "target",
    "target_year",
    "scope",
    "draft",
    "note",
]
DRAFT = "DRAFT for TSAG to replace"
# A regional KPI has a value per region: its baseline and statuses are in marts.region_kpi_vs_target.
REGION_NOTE = (
    "target for every ITU region; values, baselines and statuses per region in marts.region_kpi_vs_target"
)


def framework_nodes(framework: ResultsFramework, cat: Catalogue) -> list[dict]:
    """The tree in reading order: vision, mission, ITU goals, goals, outcomes, outputs, enablers, and a KPI node
    under whatever it measures. Baselines are left to `build_results_framework` (they need the data)."""
    rows: list[dict] = []

    def add(level: str, node_id: str, parent: str | None, name: str, **extra) -> None:
        rows.append({"level": level, "id": node_id, "parent": parent, "name": name, **extra})

    def add_kpis(node: Outcome | Output | Enabler) -> None:
        for t in node.kpis:
            add_kpi(node.id, t)

    def add_kpi(parent: str, t: KpiTarget) -> None:
        kpi = cat.get(t.kpi)
        tracked = t.target is None
        add(
            "kpi",
            f"{parent}:{t.kpi}",
            parent,
            kpi.name,
            kpi=t.kpi,
            direction=kpi.direction,
            target=t.target,
            target_year=None if tracked else framework.target_year_of(t),
            scope=None if tracked else t.scope,
            note="tracked, no target (no better direction)" if tracked else _overrides(t, kpi.unit),
        )

    if framework.vision is not None:
        add("vision", "vision", None, framework.vision.text, draft=framework.vision.draft)
    if framework.mission is not None:
        add("mission", "mission", "vision", framework.mission.text, draft=framework.mission.draft)
    goals_of: dict[str, list[Goal]] = {}
    for goal in framework.goals:
        goals_of.setdefault(goal.aligns_with, []).append(goal)
    for itu in framework.itu_goals:
        add("itu_goal", itu.id, "mission", itu.name, note="ITU Strategic Plan 2024-2027")
        for goal in goals_of.get(itu.id, []):
            add("goal", goal.id, itu.id, goal.name)
            for outcome in goal.outcomes:
                add("outcome", outcome.id, goal.id, outcome.name)
                add_kpis(outcome)
                for output in outcome.outputs:
                    add("output", output.id, outcome.id, output.name)
                    add_kpis(output)
    for enabler in framework.enablers:
        add("enabler", enabler.id, "mission", enabler.name, note=enabler.note or None)
        add_kpis(enabler)
    presence = framework.regional_presence
    if presence is not None:
        add("regional", presence.id, "mission", presence.name, note=presence.note or None)
        for t in presence.kpis:
            kpi = cat.get(t.kpi)
            own = ", ".join(f"{r} {_unit(v, kpi.unit)}" for r, v in sorted(t.overrides.items()))
            add(
                "kpi",
                f"{presence.id}:{t.kpi}",
                presence.id,
                kpi.name,
                kpi=t.kpi,
                direction=kpi.direction,
                target=t.target,
                target_year=framework.target_year,
                scope="region",
                note=REGION_NOTE + (f"; regions' own targets: {own}" if own else ""),
            )
    return [{c: row.get(c) for c in COLUMNS} | {"position": i} for i, row in enumerate(rows, start=1)]


def _overrides(t: KpiTarget, unit: str) -> str | None:
    if not t.overrides:
        return None
    from pipelines.formatting.ordering import sg_sort_key

    own = sorted(t.overrides.items(), key=lambda item: sg_sort_key(item[0]))
    return "study groups' own targets: " + ", ".join(f"{sg} {_unit(v, unit)}" for sg, v in own)


def build_results_framework(
    conn: duckdb.DuckDBPyConnection, framework: ResultsFramework, cat: Catalogue
) -> int:
    """marts.results_framework: the tree, each KPI with the sector's value at the baseline year as its baseline.

    A baseline is the value of marts.sector_year_kpis in `baseline_year` when the KPI's domain covers that year in
    full; otherwise NULL with a note saying why (a partial or uncovered year, or no value), never another year's.
    """
    nodes = framework_nodes(framework, cat)
    year = framework.baseline_year
    sector = conn.execute("select * from marts.sector_year_kpis where year = ?", [year]).df()
    coverage = dict(
        conn.execute(
            "select domain, coverage from intermediate.int_year_coverage where year = ?", [year]
        ).fetchall()
    )
    for node in nodes:
        if node["level"] != "kpi":
            continue
        node["baseline_year"] = year
        if node["scope"] == "region":
            continue
        kpi = cat.get(node["kpi"])
        value = None if sector.empty else sector.iloc[0].get(kpi.column_name)
        state = coverage.get(kpi.domain, "none")
        why = None
        if state != "full":
            kind = "a partial year" if state == "partial" else "not covered"
            why, value = f"no baseline: {year} is {kind} for {kpi.domain}", None
        elif value is None or pd.isna(value):
            why, value = f"no baseline: no value in {year}", None
        node["baseline"] = None if value is None else float(value)
        node["note"] = "; ".join(x for x in (node["note"], why) if x) or None
    frame = pd.DataFrame(nodes, columns=COLUMNS)
    frame = frame.astype(
        {
            "baseline": "float64",
            "baseline_year": "Int64",
            "target": "float64",
            "target_year": "Int64",
            "draft": "boolean",
            "position": "int64",
        }
    )
    conn.register("_framework", frame)
    try:
        conn.execute("create schema if not exists marts")
        conn.execute(
            f"create or replace table marts.results_framework as select {', '.join(COLUMNS)}, "
            "? as framework_version from _framework order by position",
            [framework.version],
        )
    finally:
        conn.unregister("_framework")
    return len(frame)


SCOPES = {"all": "every SG and the sector", "sector": "sector", "region": "every ITU region"}


def _unit(value: float | None, unit: str) -> str:
    from pipelines.formatting.numbers import format_value

    return format_value(value, unit)


def render_markdown(framework: ResultsFramework, cat: Catalogue) -> str:
    """docs/results-framework.md: the tree and the KPI table, generated so it never drifts from the YAML."""
    rows = framework_nodes(framework, cat)
    lines = [
        "# The ITU-T results framework",
        "",
        f"Generated from `pipelines/config/results_framework.yaml` (version {framework.version}) by "
        "`sgpulse framework --write docs/results-framework.md`; do not edit by hand.",
        "",
        "Results-based management as the draft WTSA-24 resolution on strategic planning asks: a vision and a "
        "mission, the sector's goals aligned with the two goals of the ITU Strategic Plan 2024-2027, outcomes, "
        "outputs and the key enablers, each measured by KPIs of the KPI catalogue (docs/kpis.md, the one "
        "definition of each) with a baseline, a target and a target year.",
        "",
        f"- **Baselines** are computed from the data: the sector's value of each KPI in {framework.baseline_year} "
        "(`baseline_year`), in `marts.results_framework`. A KPI whose data domain covers that year only in part "
        "has no baseline (NULL, with the reason), never one taken from another year.",
        f"- **Targets** are to be met by {framework.target_year} unless a KPI names its own year. A target "
        "applies to every study group and to the sector, except where a study group has its own (listed) or the "
        "KPI is assessed for the sector only (*sector*). Statuses per year are in `marts.kpi_vs_target` and "
        "`marts.sector_kpi_vs_target` (on track, watch within the tolerance, off track, insufficient data).",
        "- **One verdict**: a target and its watch band lie on the good side of the risk appetite's high-risk line "
        "of the same indicator (checked when the framework is loaded).",
        "- **Enablers** without data say so; nothing is estimated for them.",
        "",
        "## The tree",
        "",
    ]
    depth = {
        "vision": 0,
        "mission": 1,
        "itu_goal": 2,
        "goal": 3,
        "outcome": 4,
        "output": 5,
        "enabler": 0,
        "regional": 0,
    }
    labels = {
        "vision": "Vision",
        "mission": "Mission",
        "itu_goal": "ITU Strategic Plan goal",
        "goal": "Goal",
        "outcome": "Outcome",
        "output": "Output",
        "enabler": "Enabler",
        "regional": "Regional presence",
    }
    parents = {r["id"]: r for r in rows}
    enablers_started = False
    for row in rows:
        if row["level"] == "enabler" and not enablers_started:
            lines += ["", "Key enablers (under the mission):", ""]
            enablers_started = True
        if row["level"] == "regional":
            lines += ["", "Regional presence (under the mission; targets per ITU region):", ""]
        if row["level"] == "kpi":
            level = depth[parents[row["parent"]]["level"]] + 1
            kpi = cat.get(row["kpi"])
            if row["target"] is None:
                what = "tracked, no target"
            else:
                scope = {"sector": ", sector only", "region": ", every ITU region"}.get(row["scope"], "")
                what = f"target {_unit(row['target'], kpi.unit)} by {row['target_year']}{scope}"
            extra = f"; {row['note']}" if row["note"] and row["target"] is not None else ""
            text = f"KPI `{row['kpi']}` {kpi.name} ({kpi.direction}): {what}{extra}"
        else:
            level = depth[row["level"]]
            text = f"**{labels[row['level']]} {row['id']}**: {row['name']}"
            if row["level"] in ("vision", "mission"):
                text = f"**{labels[row['level']]}**: {row['name']}" + (
                    f" *({DRAFT})*" if row["draft"] else ""
                )
            if row["level"] in ("enabler", "regional") and row["note"]:
                text += f" — {row['note']}"
        lines.append(f"{'  ' * level}- {text}")
    lines += [
        "",
        "## KPIs, baselines and targets",
        "",
        "| Node | KPI | Direction | Baseline year | Target | Target year | Scope |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["level"] != "kpi" or row["target"] is None:
            continue
        kpi = cat.get(row["kpi"])
        lines.append(
            f"| {row['parent']} | {kpi.name} (`{row['kpi']}`) | {kpi.direction} | "
            f"{framework.baseline_year} | {_unit(row['target'], kpi.unit)} | "
            f"{row['target_year']} | {SCOPES[row['scope']]} |"
        )
    lines += [
        "",
        "Progress from baseline to target (in the sector brief) is the share of the distance from the baseline to "
        "the target covered by the brief's year: 0 % at the baseline, 100 % at the target; a KPI already on the "
        "target's side at the baseline is shown as such, not as a percentage.",
        "",
    ]
    return "\n".join(lines)
