"""Merge and split scenarios: what a restructured study group would have looked like, from the facts."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.analytics.overlap import overlap_inputs, window_pairs
from pipelines.analytics.relevance import relevance_for_year
from pipelines.analytics.scope_kpis import (
    SCOPED_RELATIONS,
    existing_sgs,
    kpi_series,
    kpis_over_views,
    lineage_assignment,
    scope_kpis,
    scope_views_by_assignment,
    successor_map,
)
from pipelines.analytics.targets import ResultsFramework, load_framework

METHOD = (
    "A merger is simulated by re-labelling the merging study groups as one in every core fact (meetings, "
    "attendance, documents and their sources, Recommendations, work items) and recomputing every KPI with "
    "the same SQL as marts.sg_year_kpis. Distinct counts are therefore recounted, not added: a delegate "
    "who attended both SGs, an entity that contributed to both or a country present in both counts once; "
    "HHI and the elephant factor come from the merged SG's fractional contribution weights, each document "
    "still split 1/k among its k distinct sources, so an entity's shares in the two SGs add up before "
    "squaring. The merged SG's history (for trends) is the merged facts of earlier years. It is then "
    "scored with the relevance index of the results framework and ranked among the remaining SGs of the "
    "year; the overlap it removes is the sg_overlap row(s) between the merging SGs. A split moves a list "
    "of Questions to a new SG: documents whose Questions are all moved, and the moved Questions' work "
    "items and Recommendations, go to the new SG; documents that also address a kept Question stay. "
    "Attendance cannot be split (delegates register for meetings, not Questions), so the attendance KPIs "
    "of both parts are NULL and their relevance is computed without them."
)

KPI_COLUMNS = [
    "participants",
    "organisations",
    "countries",
    "regions",
    "developing_share",
    "contributions",
    "contributing_entities",
    "hhi",
    "elephant_factor",
    "industry_share",
    "ls_in",
    "ls_out",
    "counterparts",
    "recs_approved",
    "median_cycle_days",
    "backlog",
    "overdue_items",
]
# Counts that a naive "sum of parts" would add up (distinct counts among them are over-counted by the sum).
ADDITIVE = [
    "participants",
    "organisations",
    "countries",
    "regions",
    "contributions",
    "contributing_entities",
    "ls_in",
    "ls_out",
    "counterparts",
    "recs_approved",
    "backlog",
    "overdue_items",
]
ATTENDANCE_KPIS = [
    "meetings",
    "participants",
    "attendance_records",
    "remote_share",
    "countries",
    "organisations",
    "developing_share",
    "female_share",
    "newcomer_share",
    "retention",
    "regions",
]
RANK_COLUMNS = ["relevance_index", "rank", "rank_low", "rank_high", "sgs_ranked"]
# The `kind` of a scope as it really was in the scenario's year (not "today": the year may be any year).
ACTUAL = "actual"


@dataclass
class ScenarioResult:
    """A scenario's table (one row per scope), its plain-text summary and the details behind them."""

    table: pd.DataFrame
    summary: str
    ranking: pd.DataFrame = field(default_factory=pd.DataFrame)
    overlap: pd.DataFrame = field(default_factory=pd.DataFrame)


def _row(kpis: pd.DataFrame, sg: str, year: int) -> dict:
    found = kpis[(kpis["sg"] == sg) & (kpis["year"] == year)]
    if found.empty:
        return {c: None for c in KPI_COLUMNS}
    return {c: found.iloc[0].get(c) for c in KPI_COLUMNS}


def _ranked(ranking: pd.DataFrame, sg: str) -> dict:
    found = ranking[ranking["sg"] == sg]
    return {c: (found.iloc[0][c] if len(found) else None) for c in RANK_COLUMNS}


def _check_sgs(conn: duckdb.DuckDBPyConnection, sgs: list[str], year: int) -> list[str]:
    from pipelines.coverage import load_coverage

    load_coverage(conn).check_year(year)  # a year the data do not cover: one line naming the years there are
    alive = existing_sgs(conn, year)
    missing = [sg for sg in sgs if sg not in alive]
    if missing:
        raise ValueError(
            f"{', '.join(missing)} did not exist in {year} (study groups then: {', '.join(alive)})"
        )
    return alive


def _fmt(value, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def simulate_merge(
    conn: duckdb.DuckDBPyConnection,
    sgs: list[str],
    year: int,
    name: str | None = None,
    framework: ResultsFramework | None = None,
    overlap: pd.DataFrame | None = None,
) -> ScenarioResult:
    """The SGs merged into one as they would have looked in `year`: KPIs, relevance, rank, overlap removed.

    `overlap`: the sg_overlap rows of the year when the caller has them (a brief does), so they are not
    computed again (the topic weighting is most of a scenario's time)."""
    framework = framework or load_framework()
    cfg = framework.relevance
    sgs = list(dict.fromkeys(sgs))
    if len(sgs) < 2:
        raise ValueError("a merger needs at least two study groups")
    name = name or "+".join(sgs)
    alive = _check_sgs(conn, sgs, year)
    if name in alive and name not in sgs:
        raise ValueError(f"{name} is an existing study group; choose another name")

    # Predecessors that no longer exist are read as their successor, and a merging SG as the merged one.
    assign = {p: (name if s in sgs else s) for p, s in lineage_assignment(conn, year).items()}
    assign.update({sg: name for sg in sgs})
    # Merging all the predecessors of a successor that does not exist yet (SG9 + SG16 before 2025): the
    # successor's early facts (work items already filed under SG21) are theirs too.
    for successor in set(successor_map(conn).values()) - set(alive):
        predecessors = {p for p, s in successor_map(conn).items() if s == successor}
        if predecessors <= set(sgs):
            assign[successor] = name
    merged = scope_kpis(conn, assign)
    baseline = kpi_series(conn)

    remaining = [sg for sg in alive if sg not in sgs]
    before = relevance_for_year(baseline, alive, year, cfg)
    after = relevance_for_year(merged, [*remaining, name], year, cfg)

    rows = [{"scope": sg, "kind": ACTUAL, **_row(baseline, sg, year), **_ranked(before, sg)} for sg in sgs]
    parts = pd.DataFrame(rows)
    sum_row = {
        "scope": "sum of parts",
        "kind": "naive sum",
        **{c: (parts[c].sum() if c in ADDITIVE else None) for c in KPI_COLUMNS},
        **{c: None for c in RANK_COLUMNS},
    }
    rows += [sum_row, {"scope": name, "kind": "merged", **_row(merged, name, year), **_ranked(after, name)}]
    table = pd.DataFrame(rows, columns=["scope", "kind", *KPI_COLUMNS, *RANK_COLUMNS])

    if overlap is None:
        overlap = window_pairs(overlap_inputs(conn, year, exclude=cfg.exclude))
    overlap = overlap[overlap["sg_a"].isin(sgs) & overlap["sg_b"].isin(sgs)].reset_index(drop=True)
    absorbed = sorted(k for k, v in assign.items() if v == name and k not in sgs)
    summary = _merge_summary(table, sgs, name, year, overlap, shared_counts(conn, sgs, year), absorbed)
    return ScenarioResult(table, summary, after, overlap)


SHARED_SQL = """
with found as (
    select 'participants' as kpi, participant_key as value, sg from core.fct_attendance where year = $year
    union all select 'organisations', entity_id, sg from core.fct_attendance where year = $year
    union all select 'countries', country_iso3, sg from core.fct_attendance where year = $year
    union all select 'contributing_entities', entity_id, sg
        from core.fct_contribution_source where doc_type = 'C' and year = $year
)
select kpi, count(*) from (
    select kpi, value from found where value is not null and list_contains($sgs, sg)
    group by kpi, value having count(distinct sg) > 1
) group by kpi
"""


def shared_counts(conn: duckdb.DuckDBPyConnection, sgs: list[str], year: int) -> dict[str, int]:
    """Participants, organisations, countries and contributing entities found in more than one of the SGs."""
    rows = dict(conn.execute(SHARED_SQL, {"year": year, "sgs": list(sgs)}).fetchall())
    return {
        k: int(rows.get(k, 0))
        for k in ("participants", "organisations", "countries", "contributing_entities")
    }


def _merge_summary(
    table: pd.DataFrame,
    sgs: list[str],
    name: str,
    year: int,
    overlap: pd.DataFrame,
    shared: dict[str, int],
    absorbed: list[str],
) -> str:
    by = table.set_index("scope")
    m, s = by.loc[name], by.loc["sum of parts"]
    lines = [
        f"Merger of {' and '.join(sgs)} into {name}, as it would have looked in {year} "
        "(recomputed from the facts)."
    ]
    if absorbed:
        lines.append(
            f"- includes the facts of {', '.join(absorbed)} (predecessor or not-yet-existing successor)."
        )
    for column, label in (
        ("participants", "participants"),
        ("organisations", "organisations in attendance"),
        ("countries", "countries"),
        ("contributing_entities", "contributing entities"),
    ):
        if pd.notna(m[column]) and pd.notna(s[column]):
            lines.append(
                f"- {label}: {_fmt(m[column])} distinct ({_fmt(s[column])} summed over the parts; "
                f"{shared[column]:,} in more than one)."
            )
    lines.append(
        f"- contributions: {_fmt(m['contributions'])}; HHI {_fmt(m['hhi'])} (parts: "
        + ", ".join(f"{sg} {_fmt(by.loc[sg, 'hhi'])}" for sg in sgs)
        + f"); elephant factor {_fmt(m['elephant_factor'])}."
    )
    ranks = ", ".join(f"{sg} #{_fmt(by.loc[sg, 'rank'])}" for sg in sgs)
    lines.append(
        f"- relevance index {_fmt(m['relevance_index'], 1)}, rank {_fmt(m['rank'])} of "
        f"{_fmt(m['sgs_ranked'])} (interval {_fmt(m['rank_low'])}-{_fmt(m['rank_high'])}); actual {year}: {ranks}."
    )
    for pair in overlap.itertuples():
        lines.append(
            f"- overlap removed {pair.sg_a}-{pair.sg_b}: combined {pair.combined:.2f} (topics "
            f"{pair.text_similarity:.2f}, contributors {pair.entity_overlap:.2f}, "
            f"shared entities {pair.shared_entities}, {pair.window_first_year}-{pair.window_last_year})."
        )
    return "\n".join(lines)


def split_views(
    sg: str, questions: list[str], name: str, lineage: dict[str, str] | None = None
) -> dict[str, str]:
    """Core facts with the moved Questions' documents, work items and Recommendations in `name`."""
    base = scope_views_by_assignment(lineage or {})
    moved = "[" + ", ".join("'" + q.replace("'", "''") + "'" for q in questions) + "]"
    old = "'" + sg.replace("'", "''") + "'"
    new = "'" + name.replace("'", "''") + "'"
    doc_moves = (
        f"sg = {old} and len(questions) > 0 "
        f"and len(list_filter(questions, lambda x: not list_contains({moved}, x))) = 0"
    )
    views = {rel: base[rel] for rel in SCOPED_RELATIONS}
    views["fct_contribution"] = (
        f"select * replace (case when {doc_moves} then {new} else sg end as sg) "
        f"from ({base['fct_contribution']})"
    )
    views["fct_contribution_source"] = (
        f"select s.* replace (c.sg as sg) from ({base['fct_contribution_source']}) s "
        f"join ({views['fct_contribution']}) c using (document)"
    )
    for rel in ("fct_recommendation_edition", "fct_work_item"):
        views[rel] = (
            f"select * replace (case when sg = {old} and list_contains({moved}, question) then {new} "
            f"else sg end as sg) from ({base[rel]})"
        )
    return views


def simulate_split(
    conn: duckdb.DuckDBPyConnection,
    sg: str,
    questions: list[str],
    year: int,
    name: str | None = None,
    framework: ResultsFramework | None = None,
) -> ScenarioResult:
    """Move `questions` of `sg` to a new SG: documentary KPIs recomputed for both parts, attendance NULL."""
    framework = framework or load_framework()
    cfg = framework.relevance
    name = name or f"{sg}-new"
    alive = _check_sgs(conn, [sg], year)
    known = {
        r[0] for r in conn.execute("select question from core.dim_question where sg = ?", [sg]).fetchall()
    }
    unknown = sorted(set(questions) - known)
    if unknown or not questions:
        raise ValueError(f"not Questions of {sg}: {unknown or '(none given)'}")
    split = kpis_over_views(conn, split_views(sg, questions, name, lineage_assignment(conn, year)))
    for column in ATTENDANCE_KPIS:  # attendance stayed with `sg` entirely: not attributable to either part
        if column in split:
            split[column] = split[column].astype(float)
            split.loc[split["sg"].isin([sg, name]), column] = None
    baseline = kpi_series(conn)
    shared_docs = conn.execute(
        "select count(*) from core.fct_contribution where sg = ? and year = ? and len(questions) > 0 "
        "and len(list_intersect(questions, ?)) > 0 and len(list_intersect(questions, ?)) < len(questions)",
        [sg, year, questions, questions],
    ).fetchall()[0][0]
    others = [s for s in alive if s != sg]
    after = relevance_for_year(split, [*others, sg, name], year, cfg)
    before = relevance_for_year(baseline, alive, year, cfg)
    rows = [
        {"scope": sg, "kind": ACTUAL, **_row(baseline, sg, year), **_ranked(before, sg)},
        {"scope": sg, "kind": "after split", **_row(split, sg, year), **_ranked(after, sg)},
        {"scope": name, "kind": "after split", **_row(split, name, year), **_ranked(after, name)},
    ]
    table = pd.DataFrame(rows, columns=["scope", "kind", *KPI_COLUMNS, *RANK_COLUMNS])
    t = table.set_index(["scope", "kind"])
    kept, new = t.loc[(sg, "after split")], t.loc[(name, "after split")]
    summary = "\n".join(
        [
            f"Split of {sg}: {', '.join(sorted(questions))} moved to {name}, "
            f"as it would have looked in {year}.",
            f"- contributions: {_fmt(kept['contributions'])} stay, {_fmt(new['contributions'])} move; "
            f"{shared_docs} address moved and kept Questions and stay in {sg}.",
            f"- contributing entities: {_fmt(kept['contributing_entities'])} / "
            f"{_fmt(new['contributing_entities'])}; "
            f"HHI {_fmt(kept['hhi'])} / {_fmt(new['hhi'])}; Recommendations approved "
            f"{_fmt(kept['recs_approved'])} / {_fmt(new['recs_approved'])}; open work items "
            f"{_fmt(kept['backlog'])} / {_fmt(new['backlog'])}.",
            f"- relevance (without attendance indicators): {sg} rank {_fmt(kept['rank'])}, {name} rank "
            f"{_fmt(new['rank'])} of {_fmt(new['sgs_ranked'])}.",
            "- attendance (participants, countries, diversity) cannot be split by Question: NULL in both.",
        ]
    )
    return ScenarioResult(table, summary, after, pd.DataFrame())
