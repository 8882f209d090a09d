"""Suppression, number formats and the evidence rules: small, hand-checkable cases."""

from __future__ import annotations

import pytest
from briefs_fixture import small_briefs

from pipelines.briefs import rules
from pipelines.briefs.model import Statement
from pipelines.formatting.numbers import format_change, format_value
from pipelines.formatting.suppression import people_labels, suppress_people


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([10, 20, 7], [10, 20, 7]),  # nothing small
        ([12, 3, 8, 30], [12, None, None, 30]),  # one small cell: the next smallest goes too
        ([0, 1, 2], [None, None, None]),  # zero counts are small cells too
        ([4, 2, 50], [None, None, 50]),  # two small cells hide each other
        ([None, 3, 9], [None, None, None]),  # a missing count stays missing; 9 protects the 3
        ([3], [None]),  # nothing else to hide
    ],
)
def test_suppress_people(counts, shown):
    assert suppress_people(counts) == shown


def test_people_labels():
    assert people_labels([1234, 3, 8, None]) == ["1,234", "<5", "<5", "n/a"]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.4567, "share", "45.7%"),
        (2500.4, "index 0-10000", "2,500"),
        (12.25, "documents (fractional)", "12.2"),
        (730.0, "days", "730"),
        (None, "share", "n/a"),
        (float("nan"), "people", "n/a"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_format_change():
    assert format_change(0.5, 0.45, "share") == "+5.0 pp"
    assert format_change(3, 5, "people") == "-2"
    assert format_change(3, None, "people") == "n/a"


def test_a_statement_needs_numbers_and_a_source():
    with pytest.raises(ValueError, match="numbers"):
        Statement("R0", "Participation is healthy.", ["tab:kpis"])
    with pytest.raises(ValueError, match="cite"):
        Statement("R0", "Participants: 5.", [])


def test_every_rule_is_documented_and_registered_once():
    assert list(rules.RULES) == [f"R{i}" for i in range(1, len(rules.RULES) + 1)]
    for rule_id, doc in rules.rules_reference():
        assert len(doc) > 40, rule_id
        assert "MERGE_CANDIDATE" not in doc and "STABLE_CHANGE" not in doc  # thresholds written as values


def test_every_statement_cites_a_table_or_figure_of_its_brief(small_warehouse, tmp_path_factory):
    for built in small_briefs(small_warehouse, tmp_path_factory).values():
        brief = built.brief
        labels = {t.label for t in brief.tables()} | {f.label for f in brief.figures()}
        statements = brief.statements()
        assert statements
        for statement in statements:
            assert set(statement.cites) <= labels
            assert brief.cite(statement).endswith(").")


def test_change_rule_wording():
    """R1: 'fell' beyond the stable band, with absolute and relative change."""
    import pandas as pd

    from pipelines.briefs.data import BriefData

    kpis = pd.DataFrame({"year": [2023, 2024], "participants": [100, 104], "contributions": [50, 40]})
    data = BriefData.__new__(BriefData)
    data.scope, data.year, data.kpis = "SG9", 2024, kpis
    data.via, data.coverage = {}, None  # no lineage; every year full
    (r1,) = rules.participation_change(data)
    (r2,) = rules.contributions_change(data)
    assert r1.text == "Participants of SG9 were stable: 100 in 2023, 104 in 2024 (+4, +4.0%)."
    assert r2.text == "Contributions of SG9 fell: 50 in 2023, 40 in 2024 (-10, -20.0%)."
