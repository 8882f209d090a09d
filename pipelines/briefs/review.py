"""The strategic review report for TSAG: the rows of pipelines.analytics.review as a document (HTML, Word and
Markdown through the briefs' content model and renderers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines.analytics.review import ITEMS, NO_CONSULTATION, ReviewResult
from pipelines.briefs.model import Brief, Note, Paragraph, Section, Table

SCOPE = "review"
# Per kind of item: the section's title, the column names of sg / kpi_or_risk, and what the section means.
SECTIONS = {
    "KPI status": (
        "KPIs whose status moved (study groups)",
        ("SG", "KPI"),
        "Every study group's KPI of marts.kpi_vs_target whose status differs between the two years (on track, "
        "watch, off track, insufficient data, or not assessed: no value or a partial year).",
    ),
    "sector KPI status": (
        "KPIs whose status moved (the sector)",
        ("Scope", "KPI"),
        "The sector's KPIs of marts.sector_kpi_vs_target whose status differs between the two years.",
    ),
    "study group": (
        "Study groups that began or ended",
        ("SG", "-"),
        "Study groups with activity (marts.sg_year_kpis) in one of the two years only.",
    ),
    "risk": (
        "Risks: new, raised, lowered and closed",
        ("SG", "Risk"),
        "Risk levels of marts.sg_risks_history; new = not assessed or absent before and at least medium now, "
        "closed = medium or high before and low now. A risk low (or not assessed) in both years is not listed.",
    ),
    "relevance rank": (
        "Relevance ranks that moved outside their interval",
        ("SG", "Indicator"),
        "A study group whose relevance rank now lies outside the rank interval it had before (marts.sg_relevance); "
        "a move within the interval is within the index's uncertainty and is not listed.",
    ),
    "overlap pair": (
        "New overlap pairs",
        ("Pair", "Measure"),
        "Pairs of study groups at the merge-candidate level of combined overlap now and not before.",
    ),
    "target at risk": (
        "Framework targets at risk of being missed",
        ("Scope", "KPI"),
        "KPIs of the sector and of each study group whose Theil-Sen trend over the last full years (at least "
        "three assessed years), projected to the target year, misses the target of the results framework.",
    ),
    "consultation": (
        "Membership consultation",
        ("SG", "Question"),
        "Membership consultation results (marts.consultation_sg_year, all respondents) whose share agreeing moved "
        "by the questionnaire's moved_points or more beyond sampling noise between the two years' rounds.",
    ),
}


@dataclass
class ReviewReport(Brief):
    """A Brief whose files are named after the two years it compares."""

    before_year: int = 0

    @property
    def slug(self) -> str:
        return f"{SCOPE}-{self.before_year}-{self.year}"


def build_review_report(
    result: ReviewResult,
    generated_at: dt.datetime,
    framework_version: str,
    banner: str | None,
    synthetic: bool,
    notice: str,
    study_period: str = "",
) -> ReviewReport:
    """The report: what it compares and how many changes of each kind, then one section per kind."""
    before, after = result.before, result.after
    counts = result.items.groupby("item").size().to_dict()

    def no_data(item: str) -> bool:
        return item == "consultation" and result.notes[0] == NO_CONSULTATION

    compared = (
        f"{before.year} and {after.year} of the warehouse {after.label}"
        if before.label == after.label
        else f"{before.year} of {before.label} (the previous review) and {after.year} of {after.label}"
    )
    intro = Paragraph(
        f"This strategic review for TSAG lists what changed between {compared}, against the results framework "
        f"(version {framework_version}). It lists only changes, one row each; everything else stayed as it was. "
        "Every row is also in marts.strategic_review (for the latest year against the year before)."
    )
    summary = Table(
        label="tab:review-summary",
        caption=f"Changes between {before.year} and {after.year}, by kind",
        columns=["Kind of change", "Changes"],
        rows=[
            [SECTIONS[item][0], "n/a (no data)" if no_data(item) else str(counts.get(item, 0))]
            for item in ITEMS
        ],
        source="pipelines/analytics/review.py",
    )
    sections = [Section("What changed", [summary])]
    for item in ITEMS:
        title, (who, what), meaning = SECTIONS[item]
        rows = result.of(item)
        blocks: list = [Paragraph(meaning)]
        if item == "consultation" and not no_data(item):  # what was compared
            blocks.append(Note(result.notes[0][0].upper() + result.notes[0][1:] + "."))
        if no_data(item):
            blocks.append(Note(f"Not reviewed: {result.notes[0]}."))
        elif rows.empty:
            blocks.append(Note(f"No change of this kind between {before.year} and {after.year}."))
        else:
            blocks.append(
                Table(
                    label=f"tab:review-{item.replace(' ', '-')}",
                    caption=f"{title}, {before.year} -> {after.year}",
                    columns=[who, what, str(before.year), str(after.year), "Change", "Detail"],
                    rows=[
                        [
                            _cell(r.sg),
                            _cell(r.kpi_or_risk),
                            _cell(r.before),
                            _cell(r.after),
                            _cell(r.change),
                            _cell(r.detail),
                        ]
                        for r in rows.itertuples()
                    ],
                    source="marts.strategic_review",
                    align=["l", "l", "l", "l", "l", "l"],
                )
            )
        sections.append(Section(title, blocks))
    report = ReviewReport(
        scope=f"{SCOPE}-{before.year}-{after.year}",
        year=after.year,
        before_year=before.year,
        title=f"Strategic review for TSAG: what changed between {before.year} and {after.year}",
        study_period=study_period,
        generated_at=generated_at,
        synthetic=synthetic,
        notice=notice,
        banner=banner,
        summary=[intro],
        sections=sections,
        keywords=["TSAG", "strategic review", "RBM", str(before.year), str(after.year)],
    )
    return report.finish()


def _cell(value) -> str:
    from pipelines.formatting.numbers import MISSING, is_missing

    return MISSING if value is None or is_missing(value) else str(value)
