"""The bundled sample's planted stories are found by the relevance, overlap, risk and scenario analytics."""

import pytest
from analytics_fixture import sample_warehouse

from pipelines.analytics.scenarios import simulate_merge


def _latest(conn) -> int:
    return conn.execute("select max(as_of_year) from marts.sg_relevance").fetchall()[0][0]


def test_declining_sg3_ranks_last_or_next_to_last_with_high_decline_risk():
    conn = sample_warehouse()
    year = _latest(conn)
    rank, ranked = conn.execute(
        "select rank, sgs_ranked from marts.sg_relevance where sg = 'SG3' and as_of_year = ?", [year]
    ).fetchall()[0]
    assert rank >= ranked - 1, f"SG3 ranks {rank} of {ranked} in {year}"
    assert (
        conn.execute(
            "select trend from marts.sg_relevance where sg = 'SG3' and as_of_year = ?", [year]
        ).fetchall()[0][0]
        < 0
    )
    level = conn.execute(
        "select level from marts.sg_risks where sg = 'SG3' and risk_id = 'decline'"
    ).fetchall()
    assert level == [("high",)]
    # No other SG is declining at the high level.
    assert conn.execute(
        "select sg from marts.sg_risks where risk_id = 'decline' and level = 'high'"
    ).fetchall() == [("SG3",)]
    assert "TSAG" not in {r[0] for r in conn.execute("select sg from marts.sg_relevance").fetchall()}


def test_dominated_sg15_has_the_only_high_concentration_risk():
    conn = sample_warehouse()
    high = conn.execute(
        "select sg from marts.sg_risks where risk_id = 'concentration' and level = 'high'"
    ).fetchall()
    assert high == [("SG15",)]
    assert conn.execute("select concentration from marts.risk_heatmap where sg = 'SG15'").fetchall() == [
        ("high",)
    ]


def test_sg11_backlog_is_the_high_capacity_risk():
    conn = sample_warehouse()
    high = conn.execute(
        "select sg from marts.sg_risks where risk_id = 'capacity' and level = 'high'"
    ).fetchall()
    assert high == [("SG11",)]


def test_sg13_sg20_is_the_most_similar_pair_on_every_measure():
    conn = sample_warehouse()
    for measure in ("combined", "text_similarity", "entity_overlap"):
        top = conn.execute(
            f"select sg_a, sg_b from marts.sg_overlap order by {measure} desc limit 1"
        ).fetchall()
        assert top == [("SG13", "SG20")], measure
    clusters = dict(conn.execute("select sg, cluster from marts.sg_overlap_map").fetchall())
    assert clusters["SG13"] == clusters["SG20"]
    # Predecessors are read as their successor: no SG9 or SG16 in the latest study period's pairs.
    names = {
        r[0]
        for r in conn.execute(
            "select sg_a from marts.sg_overlap union select sg_b from marts.sg_overlap"
        ).fetchall()
    }
    assert "SG21" in names and not names & {"SG9", "SG16", "TSAG"}


def test_merging_sg13_and_sg20_recounts_people_entities_and_countries():
    conn = sample_warehouse()
    t = simulate_merge(conn, ["SG13", "SG20"], 2024).table.set_index("scope")
    # Counted by hand, straight from the facts: the union of both SGs' 2024 values.
    by_hand = conn.execute("""
        select
            (select count(distinct participant_key) from core.fct_attendance
                where sg in ('SG13', 'SG20') and year = 2024),
            (select count(distinct entity_id) from core.fct_attendance
                where sg in ('SG13', 'SG20') and year = 2024),
            (select count(distinct country_iso3) from core.fct_attendance
                where sg in ('SG13', 'SG20') and year = 2024),
            (select count(distinct entity_id) from core.fct_contribution_source
                where sg in ('SG13', 'SG20') and year = 2024 and doc_type = 'C'),
            (select count(*) from core.fct_contribution
                where sg in ('SG13', 'SG20') and year = 2024 and doc_type = 'C')
    """).fetchall()[0]
    merged = t.loc["SG13+SG20"]
    assert (
        merged["participants"],
        merged["organisations"],
        merged["countries"],
        merged["contributing_entities"],
        merged["contributions"],
    ) == by_hand
    # The planted overlap shows: fewer distinct than summed.
    assert merged["participants"] < t.loc["sum of parts", "participants"]
    assert merged["contributing_entities"] < t.loc["sum of parts", "contributing_entities"]
    assert merged["rank"] == pytest.approx(1)
