"""First-page leftovers of issue 21, on the bundled sample 2025: the planted story 6 (virtual years) is a key
message of SG13, where it was planted, with the numbers of the marts; G5 says 'is' of one KPI and 'are' of more."""

from __future__ import annotations

import pytest
from briefs_fixture import SAMPLE_YEAR, bundled_sample, sample_brief

from pipelines.briefs.glance import key_messages
from pipelines.formatting.numbers import format_percent

YEAR = SAMPLE_YEAR


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


def test_the_virtual_years_are_a_key_message_of_sg13(sample):
    """Story 6: meetings were all remote in 2020-2021 and stayed mostly remote (SG13 plenaries 56-72 %)."""
    data, _ = sample_brief("SG13")
    remote = dict(
        sample.execute(
            "select year, remote_share from marts.sg_year_kpis_lineage where sg = 'SG13' and year <= ?",
            [YEAR],
        ).fetchall()
    )
    assert remote[2020] == remote[2021] == 1.0
    before = sum(remote[y] for y in range(2016, 2020)) / 4
    g6 = [m.text for m in key_messages(data) if m.rule_id == "G6"]
    assert g6 == [
        f"Remote share of SG13: {format_percent(remote[YEAR])} in {YEAR}, after the virtual years 2020-2021 (all "
        f"attendance remote) and {format_percent(before)} a year in 2016-2019 before them "
        f"({(remote[YEAR] - before) * 100:+.1f} pp)."
    ]


def test_off_track_says_is_of_one_kpi_and_are_of_more():
    sg17 = next(m.text for m in key_messages(sample_brief("SG17")[0]) if m.rule_id == "G5")
    assert sg17.startswith("1 of 12 KPIs with a target and enough records is off track in 2025")
    sg3 = next(m.text for m in key_messages(sample_brief("SG3")[0]) if m.rule_id == "G5")
    assert sg3.startswith("3 of 10 KPIs with a target and enough records are off track in 2025")
