"""The brief's "Questions" section: which Questions are alive, and (sector brief) who joined and left ITU-T.

`load_questions` reads marts.question_activity (contributions per Question and year of its study period, the
inactivity flag), the Questions' titles, their open work items (the backlog KPI's rule) and Recommendations,
and for the sector marts.membership_year; `questions_section` makes the tables. A Question's work items and
Recommendations without a Question are a row of their own, so the columns add up to the SG's KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.briefs.model import Note, Section, Table
from pipelines.formatting.numbers import MISSING, format_count, format_value, is_missing

TITLE = "Questions"
SECTOR = "sector"
NO_QUESTION = "No Question given"
MEMBERSHIP_YEARS = 5


@dataclass
class QuestionData:
    """A scope's Questions as of a year: activity per year of the study period, open work, output."""

    year: int
    period: str | None  # the study period the year belongs to (None: no Question has a row in the year)
    activity: pd.DataFrame  # question_activity rows of the scope up to the year (every study period)
    titles: pd.DataFrame  # question, study_period, title
    work: pd.DataFrame  # sg, question, open_items (open on 31 December of the year)
    recs: pd.DataFrame  # sg, question, recs (new or revised, approved in the period up to the year)
    membership: pd.DataFrame | None = None  # marts.membership_year up to the year (the sector brief)

    def current(self) -> pd.DataFrame:
        """The rows of the year's study period, up to the year."""
        return self.activity[self.activity["study_period"] == self.period]

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.current()["year"].unique())


def load_questions(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> QuestionData:
    """The Questions of an SG (every SG for the sector) as of `year`."""
    where = "" if scope == SECTOR else "and sg = ?"
    own = [] if scope == SECTOR else [scope]
    activity = conn.execute(
        f"select * from marts.question_activity where year <= ? {where} order by sg, question, year",
        [year, *own],
    ).df()
    periods = activity.loc[activity["year"] == year, "study_period"].unique()
    period = str(periods[0]) if len(periods) else None
    first = int(period[:4]) if period else year
    titles = conn.execute("select question, study_period, title from core.dim_question").df()
    work = conn.execute(
        f"""select sg, coalesce(question, '{NO_QUESTION}') as question, count(*) as open_items
        from core.fct_work_item
        where started_on <= make_date(?, 12, 31) {where}
            and (status = 'ongoing'
                 or (status = 'approved' and approved_as_first_approved_on > make_date(?, 12, 31)))
        group by all""",
        [year, *own, year],
    ).df()
    recs = conn.execute(
        f"""select sg, coalesce(question, '{NO_QUESTION}') as question, count(*) as recs
        from core.fct_recommendation_edition
        where is_new_or_revised and year between ? and ? {where} group by all""",
        [first, year, *own],
    ).df()
    data = QuestionData(year, period, activity, titles, work, recs)
    if scope == SECTOR:
        data.membership = conn.execute(
            "select * from marts.membership_year where year <= ? order by year, category", [year]
        ).df()
    return data


def questions_section(data) -> Section:
    """An SG's per-Question table; the sector's Questions per SG and the membership joined and left."""
    questions = data.questions
    if questions is None:
        return Section(TITLE, [Note("Not available in this warehouse (marts.question_activity missing).")])
    partial = data.coverage is not None and data.coverage.is_partial(data.year, "contributions")
    if questions.period is None:
        blocks: list = [
            Note(f"No Question of {data.scope} has a row in marts.question_activity for {data.year}.")
        ]
    elif data.is_sector:
        blocks = [_per_sg_table(questions, partial)]
    else:
        blocks = [question_table(questions, data.scope, partial)]
    if data.is_sector:
        blocks += membership_tables(questions.membership, data.year, data.coverage)
    return Section(TITLE if not data.is_sector else "Questions and membership", blocks)


def _inactive(row, partial: bool) -> str:
    if partial:
        return "not assessed (partial year)"
    return "yes" if bool(row) else "no"


def question_table(questions: QuestionData, sg: str, partial: bool) -> Table:
    """Per Question: contributions per year of the study period, the previous period's yearly average under the
    same number, open work items, Recommendations approved in the period, and the inactivity flag."""
    years = questions.years()
    year = questions.year
    current = questions.current()
    grid = current.pivot_table(index="question", columns="year", values="contributions", aggfunc="sum")
    flags = current[current["year"] == year].set_index("question")["inactive_two_years"]
    before = questions.activity[questions.activity["study_period"] != questions.period]
    earlier = before[before["study_period"] == before["study_period"].max()] if not before.empty else before
    average = earlier.groupby("question")["contributions"].mean()
    titles = questions.titles[questions.titles["study_period"] == questions.period].set_index("question")[
        "title"
    ]
    work = questions.work[questions.work["sg"] == sg].set_index("question")["open_items"]
    recs = questions.recs[questions.recs["sg"] == sg].set_index("question")["recs"]
    order = sorted(grid.index, key=_question_key)
    rows = []
    for q in order:
        rows.append(
            [
                q,
                str(titles.get(q, MISSING)),
                *[format_count(grid.loc[q, y]) for y in years],
                format_value(average.get(q), "documents (fractional)"),
                format_count(work.get(q, 0)),
                format_count(recs.get(q, 0)),
                _inactive(flags.get(q), partial),
            ]
        )
    extra = [q for q in {*work.index, *recs.index} - set(order)]
    for q in sorted(extra, key=lambda x: (x == NO_QUESTION, _question_key(x))):
        rows.append(
            [
                q,
                MISSING,
                *[MISSING for _ in years],
                MISSING,
                format_count(work.get(q, 0)),
                format_count(recs.get(q, 0)),
                MISSING,
            ]
        )
    inactive = int(flags.sum()) if not partial else None
    heading = [f"{y}{' (partial year)' if partial and y == year else ''}" for y in years]
    earlier_name = earlier["study_period"].iloc[0] if not earlier.empty else "previous period"
    return Table(
        label="tab:questions",
        caption=f"The Questions of {sg} in the study period {questions.period}: contributions, work and output, "
        f"as of {year}",
        columns=[
            "Question",
            "Title",
            *[f"Contributions {h}" for h in heading],
            f"Contributions per year {earlier_name} (average)",
            f"Work items open on 31 Dec {year}",
            f"Recommendations approved {years[0]}-{year}"
            if years[0] < year
            else f"Recommendations approved {year}",
            "Inactive two years",
        ],
        rows=rows,
        source="marts.question_activity, core.dim_question, core.fct_work_item, core.fct_recommendation_edition",
        align=["l", "l", *(["r"] * (len(years) + 3)), "l"],
        note=f"{len(order)} Questions; "
        f"{'inactivity not assessed in a partial year' if inactive is None else f'{inactive} inactive'}. "
        "Contributions: documents addressing the Question (a document for two Questions counts for each). "
        "Work items open: started and neither approved nor deleted by 31 December (the backlog KPI's rule). "
        "Recommendations: new or revised texts. Inactive two years: no contribution this year nor the year "
        "before within the study period (never in its first year). Rows without a title: work or output "
        "recorded under no current Question, so the columns add up to the study group's KPIs.",
    )


def _question_key(question: str) -> tuple:
    """Q2/13 before Q10/13: by the number before the slash."""
    head = question.removeprefix("Q").split("/")[0]
    return (0, int(head), question) if head.isdigit() else (1, 0, question)


def _per_sg_table(questions: QuestionData, partial: bool) -> Table:
    from pipelines.formatting.ordering import sg_sort_key

    now = questions.activity[questions.activity["year"] == questions.year]
    rows = []
    for sg, group in sorted(now.groupby("sg"), key=lambda item: sg_sort_key(item[0])):
        work = questions.work[questions.work["sg"] == sg]["open_items"].sum()
        recs = questions.recs[questions.recs["sg"] == sg]["recs"].sum()
        rows.append(
            [
                sg,
                format_count(group["question"].nunique()),
                format_count(group["contributions"].sum()),
                MISSING if partial else format_count(group["inactive_two_years"].sum()),
                format_count(work),
                format_count(recs),
            ]
        )
    first = questions.period[:4] if questions.period else str(questions.year)
    return Table(
        label="tab:questions-by-sg",
        caption=f"Questions per study group, {questions.year} (study period {questions.period})",
        columns=[
            "SG",
            "Questions",
            f"Contributions to Questions {questions.year}",
            "Inactive two years",
            f"Work items open on 31 Dec {questions.year}",
            f"Recommendations approved {first}-{questions.year}"
            if int(first) < questions.year
            else f"Recommendations approved {questions.year}",
        ],
        rows=rows,
        source="marts.question_activity, core.fct_work_item, core.fct_recommendation_edition",
        note="Each SG brief lists its Questions one by one. Contributions: documents addressing a Question (a "
        "document for two Questions counts for each); inactive two years: no contribution this year nor the year "
        "before within the study period; work items and Recommendations of the SG, with or without a Question.",
    )


def membership_tables(membership: pd.DataFrame | None, year: int, coverage=None) -> list:
    """ITU-T membership by category (members on 31 December, joined and left in the year) and the last years."""
    if membership is None:
        return [Note("Not available in this warehouse (marts.membership_year missing).")]
    now = membership[membership["year"] == year].set_index("category")
    before = membership[membership["year"] == year - 1].set_index("category")
    if now.empty:
        return [Note(f"marts.membership_year has no row for {year}.")]
    partial = coverage is not None and coverage.status(year, "membership") == "partial"
    mark = " (partial year)" if partial else ""
    rows = []
    for category in [*now.index, "All categories"]:
        if category == "All categories":
            n, b = now.sum(numeric_only=True), before.sum(numeric_only=True) if not before.empty else None
        else:
            n, b = now.loc[category], before.loc[category] if category in before.index else None
        earlier = None if b is None else b["members"]
        rows.append(
            [
                category,
                format_count(earlier),
                format_count(n["joined"]),
                format_count(n["left"]),
                format_count(n["members"]),
                MISSING if is_missing(earlier) else f"{int(n['members']) - int(earlier):+,}",
            ]
        )
    first = max(int(membership["year"].min()), year - MEMBERSHIP_YEARS + 1)
    totals = membership[membership["year"] >= first].groupby("year")[["members", "joined", "left"]].sum()
    history = [
        [str(y), format_count(r.members), format_count(r.joined), format_count(r.left)]
        for y, r in totals.iterrows()
    ]
    return [
        Table(
            label="tab:membership",
            caption=f"ITU-T members joined and left by category, {year}{mark}",
            columns=[
                "Category",
                f"Members on 31 Dec {year - 1}",
                f"Joined in {year}",
                f"Left in {year}",
                f"Members on 31 Dec {year}",
                "Net change",
            ],
            rows=rows,
            source="marts.membership_year",
            note="Members: Member States, Sector Members, Associates and Academia active on 31 December; "
            "organisations and states, not people (no suppression).",
        ),
        Table(
            label="tab:membership-years",
            caption=f"ITU-T members, joined and left, {first}-{year}",
            columns=["Year", "Members on 31 Dec", "Joined", "Left"],
            rows=history,
            source="marts.membership_year",
        ),
    ]
