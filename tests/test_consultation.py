"""The membership consultation: marts.consultation_sg_year (small-n suppression) and the rule-chosen lines
"members say / the data show / disagree" (pipelines/briefs/consultation.py) on hand-made answers."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipelines.analytics.consultation import build_consultation_sg_year
from pipelines.briefs.consultation import consultation_lines
from pipelines.questionnaire import questionnaire


def _answers(conn, rows):
    conn.execute("create schema if not exists core")
    conn.execute(
        "create or replace table core.fct_consultation_answer (respondent_id varchar, year bigint, sg varchar, "
        "question_id varchar, category varchar, itu_region varchar, likert bigint)"
    )
    if rows:
        conn.executemany("insert into core.fct_consultation_answer values (?, ?, ?, ?, ?, ?, ?)", rows)


def _mart(rows) -> pd.DataFrame:
    conn = duckdb.connect()
    _answers(conn, rows)
    build_consultation_sg_year(conn, questionnaire())
    return conn.execute("select * from marts.consultation_sg_year").df()


def test_cells_of_fewer_than_five_answers_keep_their_count_but_no_mean_or_share():
    # SG17 2025 REL1: 6 Sector Members (5 agree), 2 from Academia (both disagree).
    rows = [(f"S{i}", 2025, "SG17", "REL1", "Sector Member", "Europe", 5 if i else 2) for i in range(6)]
    rows += [(f"A{i}", 2025, "SG17", "REL1", "Academia", "Africa", 1) for i in range(2)]
    mart = _mart(rows).set_index(["category", "itu_region"])
    total = mart.loc[("all", "all")]
    assert total["responses"] == 8 and total["share_agreeing"] == pytest.approx(5 / 8)
    assert total["mean"] == pytest.approx((5 * 5 + 2 + 2) / 8) and not total["suppressed"]
    assert mart.loc[("Sector Member", "all"), "share_agreeing"] == pytest.approx(5 / 6)
    academia = mart.loc[("Academia", "all")]
    assert academia["responses"] == 2 and academia["suppressed"]
    assert pd.isna(academia["mean"]) and pd.isna(academia["share_agreeing"])
    assert mart.loc[("all", "Africa"), "suppressed"] and not mart.loc[("all", "Europe"), "suppressed"]


def _round(year, sg, question, agree, n, category="Sector Member"):
    return [
        (f"{category}{year}-{i}", year, sg, question, category, "Europe", 5 if i < agree else 2)
        for i in range(n)
    ]


def test_rated_relevant_while_participation_falls_is_flagged_as_disagreement():
    answers = _mart(_round(2025, "SG3", "REL1", 50, 60))
    participants = {2022: 106, 2025: 78}
    lines = consultation_lines(
        answers, 2025, lambda kpi, y: participants.get(y) if kpi == "participants" else None
    )
    [line] = [x for x in lines if x.question == "REL1"]
    assert line.members_say.startswith("the SG's work is relevant to them: 83% of 60 agree")
    assert line.data_show == "Participants 106 in 2022, 78 in 2025 (-26.4%)"
    assert line.disagree and line.tone == "positive" and line.rule == "C2"
    # The same answers beside stable participation: no disagreement.
    steady = consultation_lines(answers, 2025, lambda kpi, y: 100 if kpi == "participants" else None)
    assert not next(x for x in steady if x.question == "REL1").disagree


def test_a_share_within_sampling_noise_of_an_even_split_reads_neutral():
    # 62 % of 50 agree: at or above the 60 % threshold, but within noise of 50 % (z = 1.7 < 2.58).
    lines = consultation_lines(_mart(_round(2025, "SG5", "REL1", 31, 50)), 2025, lambda kpi, y: None)
    assert next(x for x in lines if x.question == "REL1").tone == "neutral"


def test_a_suppressed_question_says_too_few_and_nothing_else():
    lines = consultation_lines(_mart(_round(2025, "SG5", "REL1", 3, 4)), 2025, lambda kpi, y: None)
    assert [(x.rule, x.members_say) for x in lines] == [
        ("C1", "the SG's work is relevant to them: 4 answers, too few to publish (fewer than 5)")
    ]


def test_moves_and_splits_beyond_sampling_noise_are_said():
    rows = _round(2024, "SG11", "REL1", 39, 50) + _round(2025, "SG11", "REL1", 20, 50)
    rows += _round(2025, "SG11", "BAR1", 15, 16) + _round(2025, "SG11", "BAR1", 1, 14, "Academia")
    lines = consultation_lines(_mart(rows), 2025, lambda kpi, y: None)
    moved = [x.members_say for x in lines if x.rule == "C4"]
    assert moved == ["the SG's work is relevant to them: agreement fell from 78% (2024) to 40% (2025)"]
    split = [x.members_say for x in lines if x.rule == "C3"]
    assert split == [
        "they can take part as much as they want: members split by category: Sector Member 94% of 16 agree, "
        "Academia 7% of 14"
    ]
    # A small move (78 % -> 70 %) is noise: not said.
    small = _round(2024, "SG11", "REL1", 39, 50) + _round(2025, "SG11", "REL1", 35, 50)
    assert not [x for x in consultation_lines(_mart(small), 2025, lambda kpi, y: None) if x.rule == "C4"]


def test_no_consultation_no_lines():
    assert consultation_lines(None, 2025, lambda kpi, y: None) == []
    assert consultation_lines(_mart([]), 2025, lambda kpi, y: None) == []
