"""At a glance: the first page's numbers equal the marts, the sample's planted stories are its key messages, and
the rules that choose them (robust z, years in a row, study periods, one message per topic) hold."""

from __future__ import annotations

import pandas as pd
import pytest
from briefs_fixture import (
    SAMPLE_GENERATED_AT,
    SAMPLE_YEAR,
    assert_matches,
    bundled_sample,
    markdown_tables,
    small_briefs,
)

from pipelines.briefs import glance
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import displayed_mean

YEAR = SAMPLE_YEAR
GENERATED_AT = SAMPLE_GENERATED_AT


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


def _brief(conn, scope: str, year: int = YEAR):
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.render_markdown import render_markdown

    data = load_brief_data(conn, scope, year)
    brief = build_brief(data, GENERATED_AT)
    return data, brief, render_markdown(brief)


def _messages(conn, scope: str, year: int = YEAR) -> list[str]:
    from pipelines.briefs.data import load_brief_data

    return [s.text for s in glance.key_messages(load_brief_data(conn, scope, year))]


def _expected(conn, scope: str, kpi: str, year: int) -> dict:
    """The strip's numbers recomputed from the marts: the SGs' own rows of the year (TSAG left out), the scope's
    lineage series, and its yearly averages over the two study periods."""
    own = conn.execute(
        "select sg, year, participants, "
        + kpi
        + " as v from marts.sg_year_kpis where year = ? and sg <> 'TSAG'",
        [year],
    ).df()
    own = own[own["v"].notna() & ~((kpi in glance_people()) & (own["participants"] < 5))]
    if scope == "sector":
        series = conn.execute(f"select year, {kpi} as v from marts.sector_year_kpis").df()
    else:
        series = conn.execute(
            f"select year, {kpi} as v from marts.sg_year_kpis_lineage where sg = ?", [scope]
        ).df()
    series = series.set_index("year")["v"]
    spans = glance.periods(year)
    now = series.reindex(spans.now_years).dropna().mean()
    before = series.reindex(spans.before_years).dropna().mean()
    values = own["v"].astype(float)
    rank = None
    if scope in set(own["sg"]):
        rank = int((values > float(series[year])).sum()) + 1
    return {
        "value": series.get(year),
        "median": values.median(),
        "low": values.min(),
        "high": values.max(),
        "rank": rank,
        "count": len(values),
        "now": now,
        "before": before,
    }


def glance_people():
    from pipelines.formatting.suppression import PEOPLE_KPIS

    return PEOPLE_KPIS


@pytest.mark.parametrize("scope", ["SG13", "SG17", "SG21", "sector"])
def test_at_a_glance_values_equal_the_marts(sample, scope):
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.first_page import glance_section
    from pipelines.briefs.parts import unit_label

    section = glance_section(load_brief_data(sample, scope, YEAR))  # the section alone: the rest is slow
    table = next(b for b in section.blocks if getattr(b, "label", "") == "tab:glance")
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    by_label = {unit_label(k): k for k in glance.GLANCE_KPIS}
    assert [by_label[r["KPI"]] for r in rows] == list(glance.GLANCE_KPIS)
    spans = glance.periods(YEAR)
    assert (spans.now, spans.now_years, spans.before, spans.before_years) == (
        "2025-2028",
        [2025],
        "2022-2024",
        [2022, 2023, 2024],
    )
    name = "ITU-T" if scope == "sector" else scope
    for row in rows:
        kpi = by_label[row["KPI"]]
        expected = _expected(sample, scope, kpi, YEAR)
        unit = catalogue().get(kpi).unit
        assert_matches(row[f"{name} {YEAR}"], expected["value"], f"{scope} {kpi} value")
        median = next(v for k, v in row.items() if k.startswith("Median of"))
        assert_matches(median, expected["median"], f"{scope} {kpi} median")
        low, high = row["Range of SGs"].split("–")
        assert_matches(low, expected["low"], f"{scope} {kpi} low")
        assert_matches(high, expected["high"], f"{scope} {kpi} high")
        if scope != "sector":
            assert row["Rank"] == glance.rank_text(expected["rank"], expected["count"])
        assert_matches(row["2022-2024 average"], expected["before"], f"{scope} {kpi} 2022-2024")
        assert_matches(row["2025-2028 average"], expected["now"], f"{scope} {kpi} 2025-2028")
        # The change is that of the averages as printed (issue 21 item 9: changes from the displayed values).
        now, before = (displayed_mean(expected[k], unit) for k in ("now", "before"))
        delta = now - before
        if unit == "share":
            assert_matches(row["Change"], delta, f"{scope} {kpi} change")
        else:
            assert_matches(row["Change"], delta / before, f"{scope} {kpi} change")
    # The chart draws the same numbers: every SG a dot, the scope's own value and the median.
    figure = next(b for b in section.blocks if getattr(b, "label", "") == "fig:glance")
    dots = pd.DataFrame(next(iter(figure.spec["datasets"].values())))
    participants = dots[dots["kpi"] == unit_label("participants")]
    assert len(participants[participants["role"] == "study group"]) == expected_count(sample, scope)
    assert float(participants.loc[participants["role"] == "median", "value"].iloc[0]) == pytest.approx(
        _expected(sample, scope, "participants", YEAR)["median"]
    )


def expected_count(conn, scope: str) -> int:
    sgs = {r[0] for r in conn.execute("select sg from marts.sg_year_kpis where year = ?", [YEAR]).fetchall()}
    return len(sgs - {"TSAG", scope})


def test_the_first_section_is_at_a_glance_with_the_coverage_line(sample):
    from pipelines.coverage import dataset_label, load_coverage

    _, brief, markdown = _brief(sample, "SG13")
    assert brief.sections[0].title == "At a glance"
    line = load_coverage(sample).coverage_line(dataset_label(sample))
    assert f"Data coverage: {line}." in markdown
    assert "2016-01-01 to 2025-12-31" in line
    # The key messages are the summary: none of them is repeated before the body.
    summary = markdown.split("## 1 At a glance")[0]
    assert "[G" not in summary and "[R" not in summary


# --- The planted stories of data/raw/README.md ---------------------------------------------------------------


def test_sg3_decline_is_a_key_message(sample):
    messages = _messages(sample, "SG3")
    assert any(
        m.startswith("Participants of SG3 fell every year for 9 years: 106 in 2022, 78 in 2025")
        for m in messages
    ), messages
    assert any(m.startswith("Contributions of SG3 fell every year for 9 years") for m in messages), messages
    assert "high risk: participation or contributions falling" in " ".join(messages)


def test_sg15_dominance_is_a_key_message(sample):
    messages = _messages(sample, "SG15")
    top = messages[0]
    assert top.startswith("Concentration (HHI) of SG15: 1,473 in 2025, the highest of the 10 study groups"), (
        messages
    )
    assert "high risk: work rests on a few entities" in top


def test_sg13_sg20_overlap_is_a_key_message(sample):
    for scope in ("SG13", "SG20"):
        messages = _messages(sample, scope)
        assert any("merge-candidate level" in m and "SG13 – SG20: combined 0.34" in m for m in messages), (
            messages
        )


def test_sg5_rising_developing_participation_is_a_key_message(sample):
    messages = _messages(sample, "SG5")
    assert any(
        m.startswith(
            "Developing-country participation of SG5 rose every year for 9 years: 44.0% in 2022, 55.6%"
        )
        for m in messages
    ), messages


def test_sg11_overdue_backlog_is_a_key_message(sample):
    messages = _messages(sample, "SG11")
    assert any(
        "work programme running late" in m and "overdue share of the backlog 59.2%" in m for m in messages
    )


def test_sector_key_messages_name_the_stories(sample):
    text = " ".join(_messages(sample, "sector"))
    assert "the largest fall SG3 (-26.4%)" in text  # story 1
    assert "Concentration (HHI) of SG15: 1,473" in text  # story 2
    assert "SG13 – SG20" in text  # story 3
    assert "SG11 (work programme running late)" in text  # story 5


def test_a_successor_is_compared_through_its_predecessors(sample):
    for message in _messages(sample, "SG21"):
        if "in 2022" in message:
            assert "SG21 (with SG9 and SG16 before 2025)" in message


@pytest.mark.parametrize("scope", ["SG2", "SG12", "SG17", "SG20", "TSAG", "sector"])
def test_three_to_five_messages_one_per_topic_with_numbers(sample, scope):
    from pipelines.briefs.data import load_brief_data

    data = load_brief_data(sample, scope, YEAR)
    messages = glance.key_messages(data)
    assert glance.MIN_MESSAGES <= len(messages) <= glance.MAX_MESSAGES
    assert len({m.text for m in messages}) == len(messages)
    for kpi in glance.GLANCE_KPIS:  # one message per KPI (G1 and G2 on the same KPI are one topic)
        assert sum(m.text.startswith(catalogue().get(kpi).name + " of") for m in messages) <= 1


# --- The rules, on small inputs --------------------------------------------------------------------------------


def test_robust_z():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])
    assert glance.robust_z(3.0, values) == 0
    assert glance.robust_z(5.0, values) == pytest.approx(2 / 1.4826)
    assert glance.robust_z(5.0, values.head(4)) is None  # fewer than MIN_PEERS study groups
    assert glance.robust_z(9.0, pd.Series([1.0] * 6)) is None  # no spread


def test_study_periods_of_a_year():
    spans = glance.periods(2024)
    assert spans.now == "2022-2024" and spans.now_years == [2022, 2023, 2024]
    assert spans.before == "2017-2020" and spans.before_years == [2017, 2018, 2019, 2020, 2021]


def test_people_figures_of_a_small_year_are_not_on_the_first_page(small_warehouse, tmp_path_factory):
    """SG17 had 3 participants in 2024 (small data): the strip writes <5, and no key message states them."""
    built = small_briefs(small_warehouse, tmp_path_factory)["SG17"]
    rows = next(r for c, r in markdown_tables(built.markdown).items() if "against the study groups" in c)
    cells = {r["KPI"]: r["SG17 2024"] for r in rows}
    from pipelines.briefs.parts import unit_label

    for kpi in ("participants", "countries", "remote_share", "developing_share"):
        assert cells[unit_label(kpi)] == "<5"
    for message in glance.key_messages(built.data):
        assert not any(message.text.startswith(catalogue().get(k).name) for k in glance_people())
