"""What the members say about a study group (marts.consultation_sg_year) beside what the data show, chosen by
rules, with a flag where the two disagree. Pure functions: `consultation_lines` takes the SG's consultation rows
and a lookup of its KPIs; `swot_lines` turns them into lines of the situational analysis (pipelines/briefs/
situation.py), `consultation_table` into the table under it. Free text is never read here: briefs publish
shares and means of Likert answers only, and a cell of fewer answers than the questionnaire's minimum is
suppressed in the mart already.

Rules (thresholds below; the questionnaire in config/questionnaire.yaml):
- C1 members say: every Likert question about the SG, from the latest round up to the brief's year: share
  agreeing (answers 4-5) of n answers, and the mean; it reads positive at AGREE or more, negative at DISAGREE or
  less, each only when it differs from an even split beyond sampling noise (Z_LEVEL).
- C2 the data show: the KPI the questionnaire compares the question with, CHANGE_YEARS years back against the
  round's year (full years only); they disagree when members agree (share >= AGREE) while the KPI fell by FALL or
  more, or do not (share <= DISAGREE) while it rose by FALL or more.
- C3 members split: member categories' shares agreeing differ by SPLIT or more (cells not suppressed), beyond
  sampling noise (Z_CHANGE).
- C4 moved: the share agreeing moved by the questionnaire's moved_points or more since the round before, beyond
  sampling noise (Z_CHANGE).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipelines.analytics.consultation import Z_CHANGE, moved, z_two_shares
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import format_value
from pipelines.questionnaire import Questionnaire, questionnaire

AGREE = 0.60  # members agree: this share or more answer 4 or 5
DISAGREE = 0.40  # members do not agree: this share or less
FALL = 0.10  # a KPI moved: a relative change of 10 % or more
CHANGE_YEARS = 3  # the data's change is read over this many years up to the round's year
SPLIT = 0.40  # member categories split: 40 points or more between the highest and lowest share agreeing
# Sampling noise: a few dozen answers per SG move a share by several points by chance, and every round tests
# some fifty SG-questions and their categories. A level counts when it differs from an even split (50 %) at
# p < 0.01 (|z| >= Z_LEVEL); a change between rounds or a split between categories at p < 0.001 (Z_CHANGE).
Z_LEVEL = 2.58
SOURCE = "marts.consultation_sg_year"


@dataclass(frozen=True)
class ConsultationLine:
    """One question's finding: what members say, what the data show, and whether they disagree."""

    question: str
    year: int
    members_say: str
    data_show: str
    disagree: bool
    rule: str
    tone: str  # positive | negative | neutral: how the members' answer reads for the SG


@dataclass(frozen=True)
class SwotItem:
    """A line of the situational analysis (the interface pipelines/briefs/situation.py reads)."""

    quadrant: str
    text: str
    rule: str
    source: str


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def z_against_even(share: float, n: int) -> float:
    """z of a share of n answers against an even split (50 %)."""
    return (share - 0.5) / (0.25 / n) ** 0.5


def consultation_lines(
    answers: pd.DataFrame | None,
    year: int,
    value: Callable[[str, int], float | None],
    q: Questionnaire | None = None,
) -> list[ConsultationLine]:
    """The rule-chosen lines of one SG from its marts.consultation_sg_year rows (years up to `year`).

    `value(kpi, year)` is the SG's KPI in a year when that year may be compared (None otherwise).
    """
    if answers is None or answers.empty:
        return []
    q = q or questionnaire()
    rounds = sorted(int(y) for y in answers["year"].unique() if int(y) <= year)
    if not rounds:
        return []
    latest = rounds[-1]
    total = answers[(answers["category"] == "all") & (answers["itu_region"] == "all")]
    lines = []
    for question in q.questions:
        if question.kind != "likert" or question.about != "sg":
            continue
        row = total[(total["year"] == latest) & (total["question"] == question.id)]
        if row.empty:
            continue
        row = row.iloc[0]
        n = int(row["responses"])
        if bool(row["suppressed"]):
            say = f"{question.label}: {n} answers, too few to publish (fewer than {q.min_responses})"
            lines.append(ConsultationLine(question.id, latest, say, "", False, "C1", "neutral"))
            continue
        share = float(row["share_agreeing"])
        z = z_against_even(share, n)
        tone = (
            "positive"
            if share >= AGREE and z >= Z_LEVEL
            else "negative"
            if share <= DISAGREE and z <= -Z_LEVEL
            else "neutral"
        )
        say = f"{question.label}: {_pct(share)} of {n} agree (mean {float(row['mean']):.1f} of 5, {latest})"
        shown, disagree, rule = _data_show(question, latest, value, tone)
        lines.append(ConsultationLine(question.id, latest, say, shown, disagree, rule, tone))
        split = _split(answers, question.id, latest)
        if split:
            lines.append(
                ConsultationLine(
                    question.id, latest, f"{question.label}: {split}", "", False, "C3", "negative"
                )
            )
        change = _moved_line(total, question.id, latest, rounds, q.moved_points)
        if change:
            text, direction = change
            lines.append(
                ConsultationLine(question.id, latest, f"{question.label}: {text}", "", False, "C4", direction)
            )
    return lines


def _data_show(question, year: int, value, tone: str) -> tuple[str, bool, str]:
    """(what the data show, whether members and data disagree, rule) for a question that compares a KPI."""
    if not question.compare:
        return "", False, "C1"
    kpi = catalogue().get(question.compare)
    now, then = value(kpi.id, year), value(kpi.id, year - CHANGE_YEARS)
    if now is None or then is None:
        return f"{kpi.name}: no comparable value for {year - CHANGE_YEARS} and {year}", False, "C2"
    text = f"{kpi.name} {format_value(then, kpi.unit)} in {year - CHANGE_YEARS}, {format_value(now, kpi.unit)} in {year}"
    change = (now / then - 1) if then else None
    if change is not None and kpi.unit != "share":
        text += f" ({change:+.1%})"
    disagree = False
    if question.expect == "not falling" and change is not None:
        disagree = (tone == "positive" and change <= -FALL) or (tone == "negative" and change >= FALL)
    return text, disagree, "C2"


def _split(answers: pd.DataFrame, question: str, year: int) -> str:
    """'Sector Member 94% of 16, Academia 7% of 14 agree' when categories differ by SPLIT or more, else ''."""
    cats = answers[
        (answers["year"] == year)
        & (answers["question"] == question)
        & (answers["category"] != "all")
        & ~answers["suppressed"].astype(bool)
    ]
    if len(cats) < 2:
        return ""
    high, low = cats.loc[cats["share_agreeing"].idxmax()], cats.loc[cats["share_agreeing"].idxmin()]
    a, n_a = float(high["share_agreeing"]), int(high["responses"])
    b, n_b = float(low["share_agreeing"]), int(low["responses"])
    if a - b < SPLIT or z_two_shares(a, n_a, b, n_b) < Z_CHANGE:
        return ""
    return (
        f"members split by category: {high['category']} {_pct(high['share_agreeing'])} of "
        f"{int(high['responses'])} agree, {low['category']} {_pct(low['share_agreeing'])} of {int(low['responses'])}"
    )


def _moved_line(total: pd.DataFrame, question: str, year: int, rounds: list[int], points: float):
    """('agreement fell from 78% (2024) to 40% (2025)', tone) when it moved by `points` or more, else None."""
    if len(rounds) < 2:
        return None
    before_year = rounds[-2]
    rows = {
        int(r.year): r
        for r in total[(total["question"] == question) & total["year"].isin([before_year, year])].itertuples()
    }
    if len(rows) < 2 or any(bool(r.suppressed) for r in rows.values()):
        return None
    before, now = float(rows[before_year].share_agreeing), float(rows[year].share_agreeing)
    if not moved(before, int(rows[before_year].responses), now, int(rows[year].responses), points):
        return None
    verb = "rose" if now > before else "fell"
    text = f"agreement {verb} from {_pct(before)} ({before_year}) to {_pct(now)} ({year})"
    return text, "positive" if now > before else "negative"


QUADRANT = {"positive": "opportunity", "negative": "threat"}


def swot_lines(data) -> list[SwotItem]:
    """Lines of the situational analysis: members' views that read positive (opportunity) or negative (threat)
    for the SG, each with what the data show and whether they disagree; [] without consultation data."""
    items = []
    for line in consultation_lines(getattr(data, "consultation", None), data.year, data.comparable):
        if line.tone not in QUADRANT:
            continue
        text = f"Members say {line.members_say}"
        if line.data_show:
            text += f"; the data show {line.data_show[0].lower()}{line.data_show[1:]}"
        if line.disagree:
            text += ": members and data disagree"
        items.append(SwotItem(QUADRANT[line.tone], text, line.rule, SOURCE))
    return items


def consultation_table_rows(data) -> list[list[str]]:
    """Rows of the table "What members say and what the data show": question, members say, data show, flag."""
    return [
        [line.question, line.members_say, line.data_show or "-", "disagree" if line.disagree else ""]
        for line in consultation_lines(getattr(data, "consultation", None), data.year, data.comparable)
    ]


def rules_note() -> str:
    """The table's note: what the rules read, with their thresholds."""
    q = questionnaire()
    return (
        f"Membership consultation (docs/consultation.md): share agreeing = answers 4 or 5 of 5; cells of fewer than "
        f"{q.min_responses} answers are not published; free text is never shown. Disagree: members agree "
        f"({_pct(AGREE)} or more) while the KPI fell {_pct(FALL)} or more over {CHANGE_YEARS} years, or do not "
        f"({_pct(DISAGREE)} or less) while it rose as much. Split: categories {100 * SPLIT:.0f} points apart; "
        f"moved: {100 * q.moved_points:.0f} points since the round before. A level, a split or a move is said only beyond "
        f"sampling noise (two-sided p < 0.01 for a level against an even split, p < 0.001 for a split or a move)."
    )
