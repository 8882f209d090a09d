"""Situational analysis of a study group: strengths, weaknesses, opportunities and threats, each a line chosen
by a documented rule from the numbers, with its number and where it comes from. No prose is written that a rule
did not compute.

Internal (strengths and weaknesses): the SG's KPIs against the targets of the results framework
(marts.kpi_vs_target: on track, off track, with the records n a status rests on) and against the other study
groups (a robust z-score of this year's value among the SGs, as the first page computes it, in the direction
the KPI catalogue calls better). External (opportunities and threats): how the SG's activity moved over
three years against how the other SGs' moved, the risk register of the year against the risk appetite and
against the year before (marts.sg_risks_history), the landscape of peer committees when the warehouse has it
(pipelines.briefs.landscape.landscape_findings), and the membership consultation when there is one
(pipelines.briefs.consultation, issue 24: what members say against what the data show).

The honest-evidence rules hold: a partial year is never compared, a figure about fewer than five people is never
used, a status or a risk level rests on enough records (else it is not a line), and a successor is compared
through its predecessors. Each quadrant shows at most MAX_LINES lines, most material first; one line per topic
(a KPI said twice in a quadrant is said once, its clauses joined).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipelines.briefs import glance
from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Section, Table
from pipelines.briefs.rules import STABLE_CHANGE, documented, registrar
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_count, format_percent, is_missing
from pipelines.formatting.suppression import people_kpi_hidden

SECTION_TITLE = "Situational analysis"
QUADRANTS = {
    "strength": "Strength (internal)",
    "weakness": "Weakness (internal)",
    "opportunity": "Opportunity (external)",
    "threat": "Threat (external)",
}
MAX_LINES = 4  # lines per quadrant
PEER_Z = 1.0  # robust z from which a KPI's level stands out among the study groups (a strength or a weakness)
SHARE_STEP = 0.02  # a share moved if it changed by 2 percentage points or more over the years compared
RISK_SCORE = {"high": glance.FLAG_SCORE, "medium": 1.5}  # materiality of a risk line by its level
EASED_SCORE = 1.0  # materiality of a risk whose level fell since the year before
LANDSCAPE_SCORE = 1.5  # materiality of a landscape finding
# The KPIs compared with the other SGs (internal) and followed over the years (external): those the catalogue
# gives a direction and that speak of an SG's strength, not its bookkeeping.
SWOT_KPIS = (
    "participants",
    "contributions",
    "recs_approved",
    "countries",
    "contributing_entities",
    "developing_share",
    "female_share",
    "newcomer_share",
    "retention",
    "industry_share",
    "hhi",
    "median_cycle_days",
)
# The KPI a risk indicator is about, so a risk and the trend of the same KPI make one line.
RISK_TOPICS = {
    **glance.RISK_TOPICS,
    "developing_share": "developing_share",
    "industry_share": "industry_share",
}


@dataclass
class Line:
    """One line of the table: its quadrant, materiality, topic (one line per topic), text, rule and source."""

    quadrant: str
    score: float
    topic: str
    text: str
    rule: str
    source: str
    clause: str = (
        ""  # the text without its subject ('against a target of 40 ...'), for joining a line of its topic
    )


SituationRule = Callable[[BriefData], list[Line]]
SITUATION_RULES: dict[str, SituationRule] = {}
situation_rule = registrar(SITUATION_RULES)


def _better(kpi_id: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for a neutral KPI."""
    direction = catalogue().get(kpi_id).direction
    return {"higher is better": 1, "lower is better": -1}.get(direction, 0)


def _hidden(data: BriefData, kpi_id: str) -> bool:
    return people_kpi_hidden(kpi_id, lambda y: data.kpi("participants", y), data.year)


def _value(kpi_id: str, value) -> str:
    return glance.with_unit(value, catalogue().get(kpi_id).unit)


def _enough(data: BriefData, kpi_id: str, year: int) -> bool:
    """Whether the SG's value rests on at least the catalogue's min_n records (a KPI without one: always)."""
    kpi = catalogue().get(kpi_id)
    if not kpi.n or not kpi.min_n:
        return True
    n = data.kpi(kpi.n, year)
    return n is not None and float(n) >= kpi.min_n


def _n(row) -> str:
    n = row.get("n")
    return "" if is_missing(n) else f", n = {format_count(n)}"


@situation_rule("S1")
def targets_met(data: BriefData) -> list[Line]:
    """Strength: each KPI on track against its target this year (enough records, people figures not hidden),
    with its value, target and n; materiality its relative distance from the target (at most 1)."""
    return _target_lines(data, "on track", "strength", "S1")


@situation_rule("W1")
def targets_missed(data: BriefData) -> list[Line]:
    """Weakness: each KPI off track against its target this year, with its value, target and n; materiality its
    relative distance from the target (at most 1)."""
    return _target_lines(data, "off track", "weakness", "W1")


def _target_lines(data: BriefData, status: str, quadrant: str, rule: str) -> list[Line]:
    if data.targets.empty or "status" not in data.targets:
        return []
    rows = data.targets[(data.targets["year"] == data.year) & (data.targets["status"] == status)]
    lines = []
    for row in rows.to_dict("records"):
        if _hidden(data, row["kpi"]) or is_missing(row["value"]) or is_missing(row["target"]):
            continue
        kpi = catalogue().get(row["kpi"])
        gap = abs(float(row["value"]) - float(row["target"])) / abs(float(row["target"]) or 1.0)
        clause = f"against a target of {_value(row['kpi'], row['target'])} ({status}{_n(row)})"
        text = f"{kpi.name} {_value(row['kpi'], row['value'])} {clause}"
        lines.append(Line(quadrant, min(gap, 1.0), row["kpi"], text, rule, "marts.kpi_vs_target", clause))
    return lines


@situation_rule("S2")
def peer_strengths(data: BriefData) -> list[Line]:
    """Strength: a KPI whose value this year (resting on at least the catalogue's min_n records) lies PEER_Z
    robust z-scores or more from the study groups' median on the better side (the catalogue's direction), with
    its rank, the median and the range; materiality |z|."""
    return _peer_lines(data, 1)


@situation_rule("W2")
def peer_weaknesses(data: BriefData) -> list[Line]:
    """Weakness: a KPI whose value this year lies PEER_Z robust z-scores or more from the study groups' median
    on the worse side, with its rank, the median and the range; materiality |z|."""
    return _peer_lines(data, -1)


def _peer_lines(data: BriefData, side: int) -> list[Line]:
    if data.is_sector or data.scope not in glance.compared_sgs(data):
        return []
    lines = []
    for kpi_id in SWOT_KPIS:
        better = _better(kpi_id)
        value = glance.own_value(data, kpi_id) if _enough(data, kpi_id, data.year) else None
        values = glance.peer_values(data, kpi_id)
        z = None if value is None or not better else glance.robust_z(value, values)
        if z is None or z * better * side < PEER_Z:
            continue
        kpi = catalogue().get(kpi_id)
        rank = int((values > value).sum()) + 1
        clause = f"{_rank(rank, len(values))} study groups ({glance._spread(kpi_id, values)})"
        quadrant, rule = ("strength", "S2") if side > 0 else ("weakness", "W2")
        text = f"{kpi.name} {_value(kpi_id, value)}, {clause}"
        lines.append(Line(quadrant, abs(z), kpi_id, text, rule, "marts.sg_year_kpis_lineage", clause))
    return lines


def _rank(rank: int, total: int) -> str:
    """'highest of 10', 'lowest of 10', '3rd highest of 10'."""
    if rank in (1, total):
        return glance.rank_text(rank, total)
    return f"{glance.ordinal(rank)} highest of {total}"


@situation_rule("O1")
def rising(data: BriefData) -> list[Line]:
    """Opportunity: a KPI (both years resting on at least the catalogue's min_n records) that moved the better
    way over CHANGE_YEARS years (by STABLE_CHANGE or more, shares by
    SHARE_STEP or more) and, among the study groups' changes, PEER_Z robust z-scores or more above their median,
    with both years' values and the median change; materiality that z (1 without enough SGs)."""
    return _trend_lines(data, 1)


@situation_rule("T1")
def falling(data: BriefData) -> list[Line]:
    """Threat: a KPI that moved the worse way over CHANGE_YEARS years (by STABLE_CHANGE or more, shares by
    SHARE_STEP or more) and, among the study groups' changes, PEER_Z robust z-scores or more on the worse side
    of their median, with both years' values and the median change; materiality that z (1 without enough
    SGs)."""
    return _trend_lines(data, -1)


def _trend_lines(data: BriefData, side: int) -> list[Line]:
    first = data.year - glance.CHANGE_YEARS
    lines = []
    for kpi_id in SWOT_KPIS:
        better = _better(kpi_id)
        before, now = glance.own_value(data, kpi_id, first), glance.own_value(data, kpi_id)
        if not (_enough(data, kpi_id, first) and _enough(data, kpi_id, data.year)):
            continue  # a value resting on too few records (a median cycle time of one text) is no trend
        delta = glance.change(kpi_id, now, before)
        step = SHARE_STEP if glance.is_share(kpi_id) else STABLE_CHANGE
        if delta is None or not better or delta * better * side < step:
            continue
        changes = glance.peer_changes(data, kpi_id) if not data.is_sector else pd.Series(dtype="float64")
        text = (
            f"{catalogue().get(kpi_id).name} {'rose' if delta > 0 else 'fell'} from "
            f"{_value(kpi_id, before)} in {first} to {_value(kpi_id, now)} in {data.year} "
            f"({glance.format_relative(kpi_id, delta)}"
        )
        score = 1.0
        if len(changes) >= glance.MIN_PEERS:
            z = glance.robust_z(delta, changes)
            if z is not None and z * better * side < PEER_Z:
                continue  # what most study groups did too: not this SG's own movement
            median = glance.format_relative(kpi_id, float(changes.median()))
            text += f"; median change of {len(changes)} study groups {median}"
            score = abs(z) if z is not None else 1.0
        quadrant = "opportunity" if side > 0 else "threat"
        lines.append(
            Line(
                quadrant, score, kpi_id, text + ")", "O1" if side > 0 else "T1", "marts.sg_year_kpis_lineage"
            )
        )
    return lines


@situation_rule("T2")
def risks(data: BriefData) -> list[Line]:
    """Threat: each high or medium risk of the year's register (none resting on insufficient data) with its
    indicator's value, the risk appetite's level it reached and its level the year before; materiality 2.5 for
    high, 1.5 for medium."""
    lines = []
    for row in _risk_rows(data):
        if row["level"] not in RISK_SCORE:
            continue
        appetite = "threshold_high" if row["level"] == "high" else "threshold"
        text = (
            f"{row['level'].capitalize()} risk: {row['risk'].lower()} — {glance._indicator_name(row['indicator'])} "
            f"{glance._indicator_text(row['indicator'], row['value'])} ({row['level']} at "
            f"{glance._indicator_text(row['indicator'], row[appetite])}; {_before_text(row, data.year)})"
        )
        topic = RISK_TOPICS.get(row["indicator"], f"risk:{row['risk_id']}")
        lines.append(Line("threat", RISK_SCORE[row["level"]], topic, text, "T2", "marts.sg_risks_history"))
    return lines


@situation_rule("O2")
def risks_eased(data: BriefData) -> list[Line]:
    """Opportunity: a risk whose level fell since the year before (high to medium or low, medium to low), with
    its indicator's value this year and the year before; materiality EASED_SCORE."""
    order = {"low": 0, "medium": 1, "high": 2}
    lines = []
    for row in _risk_rows(data):
        was = row.get("level_before")
        if row["level"] not in order or was not in order or order[row["level"]] >= order[was]:
            continue
        text = (
            f"Risk eased: {row['risk'].lower()} — {glance._indicator_name(row['indicator'])} "
            f"{glance._indicator_text(row['indicator'], row['value'])}, {row['level']} in {data.year} "
            f"({_before_text(row, data.year)})"
        )
        topic = RISK_TOPICS.get(row["indicator"], f"risk:{row['risk_id']}")
        lines.append(Line("opportunity", EASED_SCORE, topic, text, "O2", "marts.sg_risks_history"))
    return lines


def _risk_rows(data: BriefData) -> list[dict]:
    """The year's risks with a level (not resting on insufficient data), each with its level the year before."""
    frame = data.risks
    if frame is None or frame.empty:
        return []
    before = {}
    if data.risks_before is not None and not data.risks_before.empty:
        for row in data.risks_before.to_dict("records"):
            before[(row["sg"], row["risk_id"])] = row
    rows = []
    for row in frame.to_dict("records"):
        if bool(row.get("insufficient_data")) or is_missing(row.get("level")):
            continue
        prior = before.get((row["sg"], row["risk_id"]))
        short = prior is None or bool(prior.get("insufficient_data")) or is_missing(prior.get("level"))
        row["level_before"] = None if short else prior["level"]
        row["value_before"] = None if prior is None else prior.get("value")
        row["indicator_before"] = None if prior is None else prior.get("indicator")
        rows.append(row)
    return rows


def _before_text(row: dict, year: int) -> str:
    """'medium in 2024 at 31.0%', 'not assessed in 2024' (the SG did not exist) or 'no level in 2024'."""
    if row["value_before"] is None and row["indicator_before"] is None:
        return f"not assessed in {year - 1}"
    if row["level_before"] is None:
        return f"no level in {year - 1}"
    value = glance._indicator_text(row["indicator_before"], row["value_before"])
    return f"{row['level_before']} in {year - 1} at {value}"


@situation_rule("O3")
def landscape_opportunity(data: BriefData) -> list[Line]:
    """Opportunity: the landscape finding of the SG's field when it grows and the SG keeps pace (its closest peer
    committees' output trend against the SG's own, pipelines.briefs.landscape); materiality LANDSCAPE_SCORE."""
    return _landscape_lines(data, "opportunity", "O3")


@situation_rule("T3")
def landscape_threat(data: BriefData) -> list[Line]:
    """Threat: the landscape finding of the SG's field when the SG falls behind a growing field or the field
    shrinks; materiality LANDSCAPE_SCORE."""
    return _landscape_lines(data, "threat", "T3")


def _landscape_lines(data: BriefData, kind: str, rule: str) -> list[Line]:
    from pipelines.briefs.landscape import landscape_findings

    if data.is_sector or data.landscape is None:
        return []
    return [
        Line(kind, LANDSCAPE_SCORE, "landscape", f.text.rstrip("."), rule, "marts.sg_landscape")
        for f in landscape_findings(data.landscape, data.scope)
        if f.kind == kind
    ]


@situation_rule("C")
def consultation(data: BriefData) -> list[Line]:
    """Any quadrant: the membership consultation's lines (pipelines.briefs.consultation.swot_lines, issue 24:
    what members say against what the data show, and whether they disagree), when the warehouse has
    consultation responses; materiality EASED_SCORE."""
    try:
        from pipelines.briefs.consultation import swot_lines
    except ImportError:  # the consultation of issue 24 has not landed: the table says so in its note
        return []
    return [
        Line(item.quadrant, EASED_SCORE, f"consultation:{i}", item.text.rstrip("."), item.rule, item.source)
        for i, item in enumerate(swot_lines(data))
        if item.quadrant in QUADRANTS
    ]


def situation_lines(data: BriefData) -> dict[str, list[Line]]:
    """quadrant -> its lines, most material first, one per topic (clauses of the same topic joined), at most
    MAX_LINES."""
    found: dict[str, dict[str, Line]] = {q: {} for q in QUADRANTS}
    every = [line for fn in SITUATION_RULES.values() for line in fn(data)]
    every.sort(key=lambda x: (-x.score, x.rule, x.topic))
    for line in every:
        chosen = found[line.quadrant]
        if line.topic in chosen:
            first = chosen[line.topic]
            said = line.clause or line.text[0].lower() + line.text[1:]
            first.text += "; " + said
            first.rule += f", {line.rule}"
            if line.source not in first.source:
                first.source += f", {line.source}"
        elif len(chosen) < MAX_LINES:
            chosen[line.topic] = Line(**vars(line))
    return {q: list(lines.values()) for q, lines in found.items()}


def consultation_present() -> bool:
    """Whether the consultation's lines can be read (pipelines.briefs.consultation has landed)."""
    try:
        from pipelines.briefs.consultation import swot_lines  # noqa: F401
    except ImportError:
        return False
    return True


def situation_section(data: BriefData) -> Section:
    """The SWOT table of an SG brief (one row per line, quadrant by quadrant); the sector brief has none."""
    lines = situation_lines(data)
    rows = []
    for quadrant, label in QUADRANTS.items():
        if not lines[quadrant]:
            rules = ", ".join(r for r in SITUATION_RULES if r[0] == quadrant[0].upper())
            rows.append(
                [label, f"No rule found a {quadrant} in {data.year} (rules {rules})", MISSING, MISSING]
            )
        rows += [[label, line.text, line.rule, line.source] for line in lines[quadrant]]
    note = (
        "Internal: KPIs against their targets and against the other study groups (robust z of at least "
        f"{PEER_Z:g} on the better or worse side); external: {glance.CHANGE_YEARS}-year changes larger than the "
        "study groups' median change, risks against the appetite and the year before, the landscape of peer "
        "committees. Every line is chosen by the rule named beside it (Definitions and method); at most "
        f"{MAX_LINES} lines a quadrant, most material first."
    )
    said = consultation_table(data) if consultation_present() else None
    if not consultation_present():
        note += " The membership consultation (issue 24) is not yet read by this table."
    elif said is None:
        note += (
            " No membership consultation of this study group in the data (the optional raw table "
            "consultation_responses): nothing is said for the members."
        )
    table = Table(
        label="tab:swot",
        caption=f"Situational analysis of {glance._who(data, compared=True)}, {data.year}",
        columns=["Quadrant", "Evidence", "Rule", "Source"],
        rows=rows,
        source="marts.kpi_vs_target, marts.sg_year_kpis_lineage, marts.sg_risks_history, marts.sg_landscape",
        align=["l", "l", "l", "l"],
        note=note,
    )
    return Section(SECTION_TITLE, [table, *([said] if said is not None else [])])


def consultation_table(data: BriefData) -> Table | None:
    """What members say and what the data show (pipelines.briefs.consultation), or None without consultation."""
    from pipelines.briefs.consultation import SOURCE, consultation_table_rows, rules_note

    rows = consultation_table_rows(data)
    if not rows:
        return None
    return Table(
        label="tab:consultation",
        caption=f"What members say about {data.scope} and what the data show",
        columns=["Question", "Members say", "The data show", "Flag"],
        rows=rows,
        source=f"{SOURCE}, marts.sg_year_kpis_lineage",
        align=["l", "l", "l", "l"],
        note=rules_note(),
    )


def rules_reference() -> list[tuple[str, str]]:
    """(rule id, its documentation) of the situational-analysis rules, thresholds written as their values."""
    values = {
        "PEER_Z": f"{PEER_Z:g}",
        "CHANGE_YEARS": str(glance.CHANGE_YEARS),
        "STABLE_CHANGE": format_percent(STABLE_CHANGE),
        "SHARE_STEP": f"{SHARE_STEP * 100:g} percentage points",
        "EASED_SCORE": f"{EASED_SCORE:g}",
        "LANDSCAPE_SCORE": f"{LANDSCAPE_SCORE:g}",
    }
    return documented(SITUATION_RULES, values)
