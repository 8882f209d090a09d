"""The render cache: charts are redrawn only when their spec changes, and float noise does not change it."""

from __future__ import annotations

import os
import time

import altair as alt
import pandas as pd

from pipelines.charts.export import RenderCache, stable_spec, to_svg


def _chart(values: list[float], title: str = "t") -> dict:
    frame = pd.DataFrame({"sg": [f"SG{i}" for i in range(len(values))], "index": values})
    bars = alt.Chart(frame).mark_bar().encode(x="sg:N", y="index:Q")
    return alt.layer(bars, bars.mark_text(dy=-4).encode(text="index:Q"), title=title).to_dict()


def _dataset_references(node) -> set[str]:
    if isinstance(node, dict):
        found = (
            {node["data"]["name"]} if isinstance(node.get("data"), dict) and "name" in node["data"] else set()
        )
        return found.union(*(_dataset_references(v) for k, v in node.items() if k != "datasets"))
    if isinstance(node, list):
        return set().union(*(_dataset_references(v) for v in node))
    return set()


def test_float_noise_below_twelve_digits_gives_the_same_stable_spec():
    exact = _chart([43.048420026793046, 0.1 + 0.2])
    noisy = _chart([43.04842002679304, 0.3])
    assert exact != noisy  # Altair names datasets after their values
    assert stable_spec(exact) == stable_spec(noisy)
    assert stable_spec(exact) != stable_spec(_chart([43.0484200269, 0.3]))  # a real change stays one
    spec = stable_spec(exact)
    assert _dataset_references(spec) and _dataset_references(spec) <= set(spec["datasets"])
    assert "<svg" in to_svg(spec)


def test_cache_reuses_a_rendering_and_redraws_a_changed_spec(tmp_path):
    spec = stable_spec(_chart([1.0, 2.0]))
    first = RenderCache(tmp_path)
    svg = first.svg(spec)
    png = first.png(spec, svg, 2.0)
    assert (first.misses, first.hits) == (2, 0)
    second = RenderCache(tmp_path)  # as a later build (or another worker) would open it
    assert second.svg(spec) == svg == to_svg(spec)
    assert second.png(spec, svg, 2.0) == png
    assert (second.misses, second.hits) == (0, 2)
    second.png(spec, svg, 1.0)  # another scale is another rendering
    changed = stable_spec(_chart([1.0, 3.0]))
    assert second.svg(changed) != svg
    assert (second.misses, second.hits) == (2, 2)
    assert not list(tmp_path.rglob("*.tmp"))


def test_prune_removes_what_a_build_did_not_use(tmp_path):
    cache = RenderCache(tmp_path)
    old, kept = stable_spec(_chart([1.0])), stable_spec(_chart([2.0]))
    cache.svg(old)
    cache.svg(kept)
    a_day_ago = time.time() - 86_400
    for path in tmp_path.rglob("*.svg"):
        os.utime(path, (a_day_ago, a_day_ago))
    started = time.time()
    RenderCache(tmp_path).svg(kept)  # this build uses one of the two
    assert cache.prune(started) == 1
    assert [p.suffix for p in tmp_path.rglob("*.*")] == [".svg"]
    assert RenderCache(tmp_path).svg(kept) and RenderCache(None).prune(started) == 0
