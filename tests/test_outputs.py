"""Staged outputs: swapped in entry by entry, undone on failure, and put right after a run killed mid-swap."""

from __future__ import annotations

import pytest

from pipelines.outputs import ASIDE_PREFIX, remove_stale, stage_briefs, stage_dir, swap_in


def _published(out):
    (out / "SG17").mkdir(parents=True)
    (out / "SG17" / "brief-SG17-2024.html").write_text("old 2024")
    (out / "index.html").write_text("old index")
    (out / "quality").mkdir()
    (out / "quality" / "alerts.jsonl").write_text("log")


def _tree(out):
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_stage_copies_every_brief_folder_and_swaps_in_whole(tmp_path):
    out = tmp_path / "out"
    _published(out)
    stage = stage_briefs(out, "run-1")
    assert _tree(stage) == {"SG17/brief-SG17-2024.html": "old 2024"}  # not the run records
    (stage / "SG17" / "brief-SG17-2025.html").write_text("new 2025")
    (stage / "index.html").write_text("new index")
    swap_in(out, stage).finish()
    assert _tree(out) == {
        "SG17/brief-SG17-2024.html": "old 2024",
        "SG17/brief-SG17-2025.html": "new 2025",
        "index.html": "new index",
        "quality/alerts.jsonl": "log",
    }
    assert sorted(p.name for p in out.iterdir()) == ["SG17", "index.html", "quality"]


def test_a_swap_that_cannot_finish_is_undone(tmp_path):
    out = tmp_path / "out"
    _published(out)
    (out / "data_docs").write_text("someone's file where the Data Docs folder goes")
    before = _tree(out)
    stage = stage_briefs(out, "run-2")
    (stage / "index.html").write_text("new index")
    (stage / "data_docs").mkdir()
    (stage / "data_docs" / "index.html").write_text("docs")
    with pytest.raises(IsADirectoryError, match="data_docs is a file where sgpulse publishes a folder"):
        swap_in(out, stage)
    assert _tree(out) == before | {f".stage-run-2/{k}": v for k, v in _tree(stage).items()}
    assert not (out / f"{ASIDE_PREFIX}run-2").exists()


@pytest.mark.parametrize("warehouse_swapped", [False, True])
def test_a_run_killed_while_swapping_is_put_right_by_the_next(tmp_path, warehouse_swapped):
    out = tmp_path / "out"
    _published(out)
    stage = stage_briefs(out, "run-3")
    (stage / "SG17" / "brief-SG17-2024.html").write_text("new 2024")
    (stage / "index.html").write_text("new index")
    swap_in(out, stage)  # ... and the process is killed before `finish`
    assert (out / f"{ASIDE_PREFIX}run-3").is_dir()
    cleared = remove_stale(out, keep_run="run-4", published_by="run-3" if warehouse_swapped else "run-0")
    new = {"SG17/brief-SG17-2024.html": "new 2024", "index.html": "new index"}
    old = {"SG17/brief-SG17-2024.html": "old 2024", "index.html": "old index"}
    assert _tree(out) == (new if warehouse_swapped else old) | {"quality/alerts.jsonl": "log"}
    aside = ".old-run-3" if warehouse_swapped else ".old-run-3 (outputs restored)"
    assert cleared == [aside, ".stage-run-3"]
    assert not stage_dir(out, "run-3").exists()
