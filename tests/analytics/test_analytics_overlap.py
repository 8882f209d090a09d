"""Overlap between SGs: TF-IDF text similarity, entity Jaccard, pairs, the map, and predecessor handling."""

import math

import numpy as np
import pytest
from analytics_fixture import MERGE_RAW, merge_warehouse, write_raw

from pipelines.analytics.overlap import (
    METHOD,
    entity_jaccard,
    overlap_map,
    overlap_pairs,
    sg_entities,
    sg_texts,
    text_similarity,
)


def test_method_is_one_paragraph():
    assert 400 < len(METHOD) < 3000 and "\n" not in METHOD


def test_text_similarity_identical_disjoint_and_no_text():
    texts = {
        "SG1": ["optical transport networks"],
        "SG2": ["optical transport networks"],
        "SG3": ["tariff accounting economics"],
        "SG4": [],
    }
    sims = text_similarity(texts, ["SG1", "SG2", "SG3", "SG4"])
    assert sims.loc["SG1", "SG2"] == pytest.approx(1.0)
    assert sims.loc["SG1", "SG3"] == pytest.approx(0.0)
    # An SG with no text cannot be compared: NULL, not 0.
    assert math.isnan(sims.loc["SG1", "SG4"]) and math.isnan(sims.loc["SG4", "SG4"])


def test_text_similarity_shared_topic_ranks_above_unrelated():
    texts = {
        "SG13": ["network slicing for IoT", "edge computing in future networks"],
        "SG20": ["IoT platform for smart cities", "edge computing for IoT devices"],
        "SG3": ["tariff principles", "international accounting rates"],
    }
    sims = text_similarity(texts, ["SG13", "SG20", "SG3"])
    assert sims.loc["SG13", "SG20"] > 0.1 > sims.loc["SG13", "SG3"]


def test_only_stop_words_gives_null_similarity():
    sims = text_similarity({"SG1": ["the and of"], "SG2": ["of the"]}, ["SG1", "SG2"])
    assert math.isnan(sims.loc["SG1", "SG2"])


def test_entity_jaccard_by_hand():
    sets = {"SG1": {"a", "b", "c"}, "SG2": {"b", "c", "d", "e"}, "SG3": set()}
    got = entity_jaccard(sets, ["SG1", "SG2", "SG3"])
    assert got.loc["SG1", "SG2"] == pytest.approx(2 / 5)
    assert got.loc["SG1", "SG3"] == 0
    assert math.isnan(entity_jaccard({}, ["SG3", "SG4"]).loc["SG3", "SG4"])


def test_pairs_are_unordered_and_combined_falls_back_to_the_available_measure():
    texts = {"SG2": ["optical access"], "SG1": ["optical access"], "SG3": []}
    entities = {"SG1": {"a", "b"}, "SG2": {"a"}, "SG3": {"a", "b"}}
    pairs = overlap_pairs(texts, entities, ["SG3", "SG2", "SG1"]).set_index(["sg_a", "sg_b"])
    assert list(pairs.index) == [("SG1", "SG2"), ("SG1", "SG3"), ("SG2", "SG3")]
    assert pairs.loc[("SG1", "SG2"), "combined"] == pytest.approx((1.0 + 0.5) / 2)
    # SG3 has no text: combined is the entity overlap alone.
    assert pairs.loc[("SG1", "SG3"), "combined"] == pytest.approx(1.0)
    assert pairs.loc[("SG1", "SG3"), "shared_entities"] == 2


def test_a_single_sg_has_no_pairs_and_a_map_point():
    assert overlap_pairs({"SG1": ["x y"]}, {"SG1": {"a"}}, ["SG1"]).empty
    assert overlap_map(overlap_pairs({}, {}, ["SG1"]), ["SG1"]).to_dict("records") == [
        {"sg": "SG1", "x": 0.0, "y": 0.0, "cluster": 1}
    ]


def test_map_clusters_two_blocks_and_places_close_sgs_close():
    # Two blocks of near-identical SGs: {A1, A2, A3} and {B1, B2}.
    texts = {
        "A1": ["optical fibre cable"],
        "A2": ["optical fibre cable splice"],
        "A3": ["optical fibre"],
        "B1": ["tariff accounting"],
        "B2": ["tariff accounting rates"],
    }
    sgs = sorted(texts)
    pairs = overlap_pairs(texts, {}, sgs, text_weight=1.0)
    mapped = overlap_map(pairs, sgs).set_index("sg")
    assert mapped.loc["A1", "cluster"] == mapped.loc["A2", "cluster"] == mapped.loc["A3", "cluster"]
    assert mapped.loc["B1", "cluster"] == mapped.loc["B2", "cluster"] != mapped.loc["A1", "cluster"]
    xy = mapped[["x", "y"]].to_numpy()
    near = np.linalg.norm(xy[sgs.index("A1")] - xy[sgs.index("A2")])
    far = np.linalg.norm(xy[sgs.index("A1")] - xy[sgs.index("B1")])
    assert near < far
    # Seeded: the same input gives the same map.
    assert overlap_map(pairs, sgs).equals(overlap_map(pairs, sgs))


def test_fixture_texts_entities_and_mart():
    conn = merge_warehouse()
    entities = sg_entities(conn, 2022, 2024, {})
    assert entities["SG13"] == {"SM-1", "SM-2"} and entities["SG20"] == {"SM-1", "SM-3"}
    texts = sg_texts(conn, 2022, 2024, {})
    assert "Network slicing and edge computing for IoT" in texts["SG13"]
    rows = {
        (a, b): (e, s)
        for a, b, e, s in conn.execute(
            "select sg_a, sg_b, entity_overlap, shared_entities from marts.sg_overlap"
        ).fetchall()
    }
    assert rows[("SG13", "SG20")] == (pytest.approx(1 / 3), 1)  # {SM-1} of {SM-1, SM-2, SM-3}
    assert rows[("SG13", "SG17")] == (pytest.approx(1.0), 2)  # both signed by Alpha and Beta
    assert conn.execute("select count(*) from marts.sg_overlap_map").fetchall() == [(3,)]


def test_predecessors_are_compared_as_their_successor(tmp_path):
    """SG9 (2022-2024) merged into SG21 (2025): in 2025 SG9's texts and entities belong to SG21."""
    from testkit import build_warehouse

    raw = dict(MERGE_RAW)
    raw["study_groups"] = MERGE_RAW["study_groups"] + (
        "SG9,2022-2024,Cable TV,SG21\nSG21,2025-2028,Multimedia and cable,\nSG13,2025-2028,Future networks,\n"
    )
    raw["questions"] = MERGE_RAW["questions"] + "Q1/9,SG9,2022-2024,Cable television delivery\n"
    raw["meetings"] = MERGE_RAW["meetings"] + (
        "SG9-2024-1,SG9,SG,2024-09-02,2024-09-04,Geneva,CHE,hybrid\n"
        "SG21-2025-1,SG21,SG,2025-01-20,2025-01-24,Geneva,CHE,hybrid\n"
        "SG13-2025-1,SG13,SG,2025-03-03,2025-03-07,Geneva,CHE,hybrid\n"
    )
    raw["contributions"] = MERGE_RAW["contributions"] + (
        "T22-SG9-C-0001,SG9,2022-2024,C,SG9-2024-1,2024-08-20,Q1/9,Gamma Systems,Cable proposal,,agreed\n"
        "T25-SG13-C-0001,SG13,2025-2028,C,SG13-2025-1,2025-02-20,,Beta Telecom,Cloud,,agreed\n"
    )
    conn = build_warehouse(write_raw(tmp_path / "raw", raw))
    pairs = conn.execute(
        "select sg_a, sg_b, shared_entities, window_first_year, window_last_year "
        "from marts.sg_overlap order by sg_a, sg_b"
    ).fetchall()
    # 2025 SGs: SG13 and SG21 (SG9 counted as SG21); window 2022-2025.
    assert pairs == [("SG13", "SG21", 0, 2022, 2025)]
    assert sg_entities(conn, 2022, 2025, {"SG9": "SG21"})["SG21"] == {"SM-3"}
    assert "Cable television delivery" in sg_texts(conn, 2022, 2025, {"SG9": "SG21"})["SG21"]


def test_a_worker_process_computes_the_same_overlap_as_this_one():
    """The refresh fits the overlap model in its analysis worker: the same rows, to the bit, as in-process."""
    from analytics_fixture import sample_warehouse

    from pipelines.analytics.overlap import build_sg_overlap, overlap_inputs, overlap_tables
    from pipelines.workers import new_pool

    conn = sample_warehouse()
    year = conn.execute("select max(year) from core.dim_meeting").fetchall()[0][0]
    inputs = overlap_inputs(conn, year)
    assert len(inputs.sgs) > 2  # the map is fitted (MDS, clustering), not placed by hand
    pairs, mapped = overlap_tables(inputs)
    marts = "select * from marts.sg_overlap order by all; select * from marts.sg_overlap_map order by all"
    written = [conn.execute(query).fetchall() for query in marts.split(";")]
    with new_pool(1) as pool:
        worker_pairs, worker_mapped = pool.submit(overlap_tables, inputs).result()
        assert build_sg_overlap(conn, pool=pool) == len(pairs)
    assert pairs.equals(worker_pairs) and mapped.equals(worker_mapped)
    assert [conn.execute(query).fetchall() for query in marts.split(";")] == written
