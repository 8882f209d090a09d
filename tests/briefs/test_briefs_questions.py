"""Questions (issue 21 item 4): the per-Question table equals marts.question_activity and adds up to the SG's
backlog and Recommendations KPIs; the sector brief's Questions per SG and membership joined and left equal their
marts; the inactivity flag is said, and not assessed in a partial year."""

from __future__ import annotations

import pandas as pd
import pytest
from briefs_fixture import SAMPLE_YEAR, assert_matches, brief_table, bundled_sample, sample_brief

from pipelines.briefs.questions import QuestionData, question_table

YEAR = SAMPLE_YEAR


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


@pytest.mark.parametrize("year", [YEAR, YEAR - 1])
def test_sg13_questions_equal_question_activity(sample, year):
    """One row per Question of the year's study period (13 for SG13), each year's contributions as in the
    mart; open work items add up to the backlog KPI and Recommendations to recs_approved over the period."""
    _, brief = sample_brief("SG13", year)
    table = brief_table(brief, "tab:questions")
    mart = sample.execute(
        "select * from marts.question_activity where sg = 'SG13' and study_period = "
        "(select distinct study_period from marts.question_activity where sg = 'SG13' and year = ?) "
        "and year <= ?",
        [year, year],
    ).df()
    assert sorted(r[0] for r in table.rows) == sorted(mart["question"].unique())
    assert len(table.rows) == 13
    years = sorted(mart["year"].unique())
    for row in table.rows:
        for y in years:
            cell = row[table.columns.index(f"Contributions {y}")]
            expected = mart[(mart["question"] == row[0]) & (mart["year"] == y)]["contributions"].iloc[0]
            assert_matches(cell, expected, f"{row[0]} {y}")
        flag = mart[(mart["question"] == row[0]) & (mart["year"] == year)]["inactive_two_years"].iloc[0]
        assert row[-1] == ("yes" if flag else "no")
    kpis = (
        sample.execute("select year, backlog, recs_approved from marts.sg_year_kpis where sg = 'SG13'")
        .df()
        .set_index("year")
    )
    work = sum(int(r[table.columns.index(f"Work items open on 31 Dec {year}")]) for r in table.rows)
    assert work == kpis.loc[year, "backlog"]
    recs = sum(int(r[-2]) for r in table.rows)
    assert recs == sum(kpis.loc[y, "recs_approved"] for y in years)


def test_sector_questions_per_sg_and_membership_equal_the_marts(sample):
    _, brief = sample_brief("sector")
    table = brief_table(brief, "tab:questions-by-sg")
    mart = (
        sample.execute(
            "select sg, count(*) as questions, sum(contributions) as contributions, "
            "count(*) filter (where inactive_two_years) as inactive "
            "from marts.question_activity where year = ? group by sg",
            [YEAR],
        )
        .df()
        .set_index("sg")
    )
    assert sorted(r[0] for r in table.rows) == sorted(mart.index)
    for sg, questions, contributions, inactive, *_ in table.rows:
        assert_matches(questions, mart.loc[sg, "questions"], f"{sg} questions")
        assert_matches(contributions, mart.loc[sg, "contributions"], f"{sg} contributions")
        assert_matches(inactive, mart.loc[sg, "inactive"], f"{sg} inactive")
    members = sample.execute("select * from marts.membership_year").df()
    rows = {r[0]: r for r in brief_table(brief, "tab:membership").rows}
    for category, group in members[members["year"] == YEAR].groupby("category"):
        before = members[(members["year"] == YEAR - 1) & (members["category"] == category)]
        _, earlier, joined, left, now, change = rows[category]
        assert_matches(earlier, before["members"].iloc[0], f"{category} members {YEAR - 1}")
        assert_matches(joined, group["joined"].iloc[0], f"{category} joined")
        assert_matches(left, group["left"].iloc[0], f"{category} left")
        assert_matches(now, group["members"].iloc[0], f"{category} members")
        assert int(change) == group["members"].iloc[0] - before["members"].iloc[0]
    total = members[members["year"] == YEAR][["members", "joined", "left"]].sum()
    assert rows["All categories"][2:5] == [
        f"{total['joined']:,}",
        f"{total['left']:,}",
        f"{total['members']:,}",
    ]
    history = brief_table(brief, "tab:membership-years").rows
    assert [r[0] for r in history] == [str(y) for y in range(YEAR - 4, YEAR + 1)]


def _questions(contributions: dict[str, list[int]]) -> QuestionData:
    """Two-year activity of the period 2022-2024 as of 2023, with the mart's inactivity rule."""
    rows = []
    for question, counts in contributions.items():
        for year, count in zip((2022, 2023), counts, strict=True):
            inactive = year == 2023 and count == 0 and counts[0] == 0
            rows.append(("SG9", question, "2022-2024", year, count, inactive))
    activity = pd.DataFrame(
        rows, columns=["sg", "question", "study_period", "year", "contributions", "inactive_two_years"]
    )
    titles = pd.DataFrame({"question": list(contributions), "study_period": "2022-2024", "title": "A topic"})
    work = pd.DataFrame(
        {"sg": ["SG9", "SG9"], "question": ["Q1/9", "No Question given"], "open_items": [2, 1]}
    )
    recs = pd.DataFrame(columns=["sg", "question", "recs"])
    return QuestionData(2023, "2022-2024", activity, titles, work, recs)


def test_an_inactive_question_is_flagged_and_a_partial_year_is_not_assessed():
    questions = _questions({"Q1/9": [3, 4], "Q2/9": [0, 0], "Q10/9": [0, 1]})
    table = question_table(questions, "SG9", partial=False)
    flags = {r[0]: r[-1] for r in table.rows}
    assert flags == {"Q1/9": "no", "Q2/9": "yes", "Q10/9": "no", "No Question given": "n/a"}
    assert [r[0] for r in table.rows] == ["Q1/9", "Q2/9", "Q10/9", "No Question given"]
    assert "3 Questions; 1 inactive" in table.note
    partial = question_table(questions, "SG9", partial=True)
    assert {r[-1] for r in partial.rows[:3]} == {"not assessed (partial year)"}
    assert "Contributions 2023 (partial year)" in partial.columns
