"""Scenario engine: merged distinct counts and concentration recomputed from the facts, split, CLI."""

import duckdb
import pandas as pd
import pytest
from analytics_fixture import MERGE_RAW, merge_warehouse, write_raw

from pipelines.analytics.scenarios import METHOD, shared_counts, simulate_merge, simulate_split
from pipelines.analytics.scope_kpis import scope_kpis


def test_method_is_one_paragraph():
    assert 400 < len(METHOD) < 3000 and "\n" not in METHOD


def test_identity_reassignment_reproduces_sg_year_kpis():
    """The recomputation runs the KPI SQL itself: with no re-assignment it must equal the mart."""
    conn = merge_warehouse()
    mart = conn.execute("select * from marts.sg_year_kpis order by sg, year").df()
    again = scope_kpis(conn, {})[mart.columns]
    pd.testing.assert_frame_equal(again.reset_index(drop=True), mart, check_dtype=False)


def test_kpis_of_some_sgs_need_only_their_rows():
    """`only` leaves the other SGs' rows out: the merged scope's KPIs are those computed over everything."""
    conn = merge_warehouse()
    assign = {"SG13": "SG13+SG20", "SG20": "SG13+SG20"}
    everything = scope_kpis(conn, assign)
    some = scope_kpis(conn, assign, only={"SG13", "SG20"})
    assert set(some["sg"]) == {"SG13+SG20"} and set(everything["sg"]) > {"SG13+SG20"}
    pd.testing.assert_frame_equal(
        some.reset_index(drop=True), everything[everything["sg"] == "SG13+SG20"].reset_index(drop=True)
    )


def test_merge_recounts_distinct_values_instead_of_summing():
    result = simulate_merge(merge_warehouse(), ["SG13", "SG20"], 2024)
    t = result.table.set_index("scope")
    merged, summed = t.loc["SG13+SG20"], t.loc["sum of parts"]
    # Ann attends both (by e-mail; "ANW" is Alpha's alias): 5 people, 5 organisations, not 6.
    assert (merged["participants"], summed["participants"]) == (5, 6)
    assert (merged["organisations"], summed["organisations"]) == (5, 6)
    # USA and KEN delegations in both: USA, CHE, KEN, IND.
    assert (merged["countries"], summed["countries"]) == (4, 6)
    assert merged["regions"] == 4
    # Alpha signs in both SGs: 3 contributing entities; each of the 6 documents counted once.
    assert (merged["contributing_entities"], summed["contributing_entities"]) == (3, 4)
    assert merged["contributions"] == 6
    assert shared_counts(merge_warehouse(), ["SG13", "SG20"], 2024) == {
        "participants": 1,
        "organisations": 1,
        "countries": 2,
        "contributing_entities": 1,
    }


def test_merge_recomputes_concentration_from_fractional_weights():
    t = simulate_merge(merge_warehouse(), ["SG13", "SG20"], 2024).table.set_index("scope")
    # Parts: two entities at 1.5 of 3 each -> 5000. Merged: Alpha 3, Beta 1.5, Gamma 1.5 of 6 -> 3750.
    assert t.loc["SG13", "hhi"] == pytest.approx(5000) and t.loc["SG20", "hhi"] == pytest.approx(5000)
    assert t.loc["SG13+SG20", "hhi"] == pytest.approx(3750)
    assert t.loc["SG13+SG20", "elephant_factor"] == 1  # Alpha alone holds exactly half
    # Developing share recomputed over the 6 attendance records: Cat, Dan, Eve -> 0.5 (not a mean of shares).
    assert t.loc["SG13+SG20", "developing_share"] == pytest.approx(0.5)


def test_merge_is_ranked_among_the_remaining_sgs_and_reports_the_overlap_removed():
    result = simulate_merge(merge_warehouse(), ["SG13", "SG20"], 2024, name="SG-X")
    assert result.ranking["sg"].tolist() == ["SG-X", "SG17"]
    merged = result.table.set_index("scope").loc["SG-X"]
    assert merged["rank"] == 1 and merged["sgs_ranked"] == 2
    assert result.overlap[["sg_a", "sg_b"]].values.tolist() == [["SG13", "SG20"]]
    assert "5 distinct (6 summed over the parts; 1 in more than one)" in result.summary
    assert "overlap removed SG13-SG20" in result.summary


@pytest.mark.parametrize(
    ("sgs", "message"),
    [(["SG13"], "at least two"), (["SG13", "SG99"], "SG99 did not exist in 2024")],
)
def test_merge_rejects_bad_input(sgs, message):
    with pytest.raises(ValueError, match=message):
        simulate_merge(merge_warehouse(), sgs, 2024)


def test_split_moves_documents_wholly_in_the_moved_questions():
    result = simulate_split(merge_warehouse(), "SG13", ["Q2/13"], 2024, name="SG13b")
    t = result.table.set_index(["scope", "kind"])
    kept, new = t.loc[("SG13", "after split")], t.loc[("SG13b", "after split")]
    # C3 (Q2/13 only) moves; C2 (Q1/13 and Q2/13) stays with C1.
    assert (kept["contributions"], new["contributions"]) == (2, 1)
    # Kept: Alpha 1 + 0.5, Beta 0.5 of 2 -> 5625 + 625; moved: Beta alone -> 10000.
    assert kept["hhi"] == pytest.approx(6250) and new["hhi"] == pytest.approx(10000)
    assert (kept["recs_approved"], new["recs_approved"]) == (1, 1)  # Y.2 is Q2/13
    assert (kept["backlog"], new["backlog"]) == (0, 1)  # W13c is Q2/13
    # Attendance cannot be split by Question.
    assert pd.isna(kept["participants"]) and pd.isna(new["participants"])
    assert "1 address moved and kept Questions" in result.summary
    with pytest.raises(ValueError, match="not Questions of SG13"):
        simulate_split(merge_warehouse(), "SG13", ["Q1/20"], 2024)


def test_cli_merge_reads_the_warehouse_read_only(tmp_path, monkeypatch):
    from testkit import build_warehouse
    from typer.testing import CliRunner

    from pipelines.cli import app

    path = tmp_path / "wh.duckdb"
    conn = duckdb.connect(str(path))
    build_warehouse(write_raw(tmp_path / "raw", MERGE_RAW), conn)
    conn.close()
    monkeypatch.delenv("SGPULSE_WAREHOUSE", raising=False)
    runner = CliRunner()
    result = runner.invoke(
        app, ["scenario", "merge", "SG13", "SG20", "--year", "2024", "--warehouse", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "participants: 5 distinct" in result.output
    # A Rich table formatted as the briefs write numbers: whole counts, shares in %, "—" where none.
    table = result.output.split("Merger of")[0]
    assert "today" not in result.output and "actual" in table  # the year need not be the current one
    assert "NaN" not in table and ".00" not in table and "—" in table and "%" in table
    assert any(line.split("│")[1].strip() == "participants" for line in table.splitlines() if "│" in line)
    # Study groups in any case.
    lower = runner.invoke(
        app, ["scenario", "merge", "sg13", "Sg20", "--year", "2024", "--warehouse", str(path)]
    )
    assert lower.exit_code == 0 and lower.output == result.output
    # The same warehouse through the environment variable, and a clear error for an unknown SG.
    monkeypatch.setenv("SGPULSE_WAREHOUSE", str(path))
    result = runner.invoke(app, ["scenario", "merge", "SG13", "SG5", "--year", "2024"])
    assert result.exit_code == 2 and "SG5 did not exist in 2024" in result.output
