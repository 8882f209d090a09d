"""The overlap method on the real Recommendation titles and abstracts (relaton), attributed to today's SGs."""

import time
from pathlib import Path

import pytest

from pipelines.analytics.overlap import relaton_text_overlap, relaton_texts

REAL = Path(__file__).parents[2].parent / "shared" / "real-data" / "relaton-itu-t.jsonl.gz"
CURRENT_SGS = {"SG2", "SG3", "SG5", "SG11", "SG12", "SG13", "SG15", "SG17", "SG20", "SG21"}

pytestmark = pytest.mark.skipif(
    not REAL.exists(), reason=f"real data absent ({REAL}): ../shared beside the checkout"
)


@pytest.fixture(scope="module")
def ranked():
    started = time.perf_counter()
    pairs = relaton_text_overlap(REAL)
    seconds = time.perf_counter() - started
    top = ", ".join(f"{r.sg_a}-{r.sg_b} {r.text_similarity:.3f}" for r in pairs.head(5).itertuples())
    print(f"\nrelaton overlap: {len(pairs)} pairs in {seconds:.1f} s; top 5: {top}")
    return pairs, seconds


def test_every_current_study_group_is_attributed():
    texts = relaton_texts(REAL)
    assert set(texts) == CURRENT_SGS  # TSAG and records without a study group are left out
    assert min(len(v) for v in texts.values()) > 100


def test_pairs_are_complete_bounded_and_fast(ranked):
    pairs, seconds = ranked
    assert len(pairs) == len(CURRENT_SGS) * (len(CURRENT_SGS) - 1) // 2
    assert pairs["text_similarity"].between(0, 1).all()
    assert seconds < 60


def test_known_neighbours_are_similar_and_economics_stands_apart(ranked):
    pairs, _ = ranked
    top5 = {(a, b) for a, b in pairs.head(5)[["sg_a", "sg_b"]].itertuples(index=False)}
    # Signalling (SG11) and future networks (SG13) share protocols and NGN work; SG13 and SG20 share IoT.
    assert ("SG11", "SG13") in top5 and ("SG13", "SG20") in top5
    # SG3 (economic and policy issues) is in every one of the ten least similar pairs' neighbourhood:
    # none of its pairs reaches the upper half.
    upper = pairs.head(len(pairs) // 2)
    assert not ((upper["sg_a"] == "SG3") | (upper["sg_b"] == "SG3")).any()
