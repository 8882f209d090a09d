"""Restructuring evidence (issue 21 item 5), on the bundled sample: the pairs examined are the merge candidates and
the closest neighbour, their merge scenario is simulate_merge's, why they overlap is marts.sg_overlap's shared
terms and the organisations contributing to both; split candidates are the inactive Questions; the options carry
evidence and no recommendation."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from briefs_fixture import SAMPLE_YEAR, assert_matches, brief_table, bundled_sample, sample_brief

from pipelines.analytics.overlap import topics
from pipelines.briefs.restructuring import SCENARIO_ROWS, split_block

YEAR = SAMPLE_YEAR


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


def test_shared_terms_make_up_the_topic_similarity():
    """The products of two SGs' term weights add up to their cosine similarity; the named terms are those
    products, largest first, one per topic word."""
    texts = {
        "SG1": ["Network slicing for mobile networks", "Network slicing orchestration"],
        "SG2": ["Network slicing in smart cities", "Smart city platforms"],
        "SG3": ["Optical fibre cables", "Outside plant"],
    }
    weighted = topics(texts, ["SG1", "SG2", "SG3"])
    similarity = weighted.similarity(["SG1", "SG2", "SG3"]).loc["SG1", "SG2"]
    terms = weighted.shared_terms("SG1", "SG2", top=50)
    assert terms[0][0] == "network slicing"
    assert {"network", "slicing"}.isdisjoint(t for t, _ in terms[1:])  # a word once
    assert 0 < sum(share for _, share in terms) <= 1 + 1e-9 and similarity > 0
    assert weighted.shared_terms("SG1", "SG3") == []  # nothing in common


def test_sg13_examines_sg20_and_its_scenario_is_simulate_merge(sample):
    from pipelines.analytics.scenarios import simulate_merge

    data, brief = sample_brief("SG13")
    pairs = brief_table(brief, "tab:restructuring-pairs")
    assert [r[0] for r in pairs.rows] == ["SG13 – SG20"]
    assert "merge candidate" in pairs.rows[0][1] and "closest neighbour of SG13" in pairs.rows[0][1]
    mart = sample.execute("select * from marts.sg_overlap where sg_a = 'SG13' and sg_b = 'SG20'").df().iloc[0]
    assert_matches(pairs.rows[0][2], mart["combined"], "combined")
    assert pairs.rows[0][5] == mart["shared_terms"].replace("; ", ", ")
    assert "digital twin" in pairs.rows[0][5]
    assert pairs.rows[0][6].startswith(f"{mart['shared_entities']}: ")
    expected = simulate_merge(sample, ["SG13", "SG20"], YEAR).table.set_index("scope")
    scenario = brief_table(brief, "tab:merge-sg13-sg20")
    assert scenario.columns[1:] == ["SG13", "SG20", "Sum of the parts (naive)", "Merged SG13+SG20"]
    for row, (column, _, _) in zip(scenario.rows, SCENARIO_ROWS, strict=True):
        for cell, scope in zip(row[1:], ["SG13", "SG20", "sum of parts", "SG13+SG20"], strict=True):
            assert_matches(cell, expected.loc[scope, column], f"{scope} {column}")
    # Distinct people and entities are recounted, not added: 666 participants merged, 686 summed.
    assert scenario.rows[0][1:] == ["448", "238", "686", "666"]


def test_an_sg_without_a_candidate_examines_its_closest_neighbour_and_the_sector_every_candidate(sample):
    from pipelines.briefs.rules import MERGE_CANDIDATE

    _, sg21 = sample_brief("SG21")
    rows = brief_table(sg21, "tab:restructuring-pairs").rows
    assert [(r[0], r[1]) for r in rows] == [("SG12 – SG21", "closest neighbour of SG21")]
    _, sector = sample_brief("sector")
    candidates = sample.execute(
        "select sg_a || ' – ' || sg_b from marts.sg_overlap where combined >= ? order by combined desc",
        [MERGE_CANDIDATE],
    ).fetchall()
    assert [r[0] for r in brief_table(sector, "tab:restructuring-pairs").rows] == [c[0] for c in candidates]


@pytest.mark.parametrize("scope", ["SG13", "SG21", "sector"])
def test_options_carry_evidence_and_recommend_nothing(scope):
    _, brief = sample_brief(scope)
    options = brief_table(brief, "tab:options")
    kinds = [row[0].split(" ")[0] for row in options.rows]
    assert {"Merge", "Joint", "Transfer", "Status"} <= set(kinds) and kinds[-1] == "Status"
    for option, evidence in options.rows:
        assert any(c.isdigit() for c in evidence), option
        lowered = evidence.lower()
        assert "should" not in lowered and "recommend" not in lowered.replace("recommendations", ""), evidence
    assert "recommends none" in options.note


def test_split_candidates_are_the_inactive_questions():
    from test_briefs_questions import _questions

    questions = _questions({"Q1/9": [3, 4], "Q2/9": [0, 0], "Q10/9": [0, 1]})
    data = SimpleNamespace(questions=questions, year=2023, coverage=None)
    table = split_block(data, "SG9")
    assert table.rows == [["SG9", "Q2/9"]] and table.note.startswith("1 of 3 Questions")
    quiet = SimpleNamespace(questions=_questions({"Q1/9": [3, 4]}), year=2023, coverage=None)
    assert "none of the 1 Questions" in split_block(quiet, "SG9").text
