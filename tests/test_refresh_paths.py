"""Refresh from the CLI: each run uses its own paths; the summary says what kind of data it was built from."""

import json
from pathlib import Path

from small_raw import write_small_raw
from typer.testing import CliRunner

from pipelines.cli import app

SAMPLE = Path(__file__).parent.parent / "data" / "raw"


def test_two_refreshes_in_one_process_use_their_own_paths(tmp_path, monkeypatch):
    import pipelines.refresh

    seen: list[tuple[int, int, str]] = []
    update = pipelines.refresh._update

    def watch(progress, *args):
        update(progress, *args)
        seen.append((progress.done, progress.total, progress.current))

    monkeypatch.setattr(pipelines.refresh, "_update", watch)
    runner = CliRunner()
    for name in ("first", "second"):
        seen.clear()
        raw = write_small_raw(tmp_path / name / "raw")
        if name == "first":  # described as the bundled sample describes itself
            (raw / "DATASET.yaml").write_bytes((SAMPLE / "DATASET.yaml").read_bytes())
        result = runner.invoke(
            app,
            [
                "refresh",
                "--raw",
                str(raw),
                "--warehouse",
                str(tmp_path / name / "wh.duckdb"),
                "--out",
                str(tmp_path / name / "out"),
                "--timings",
                str(tmp_path / name / "timings.json"),
            ],
        )
        assert result.exit_code == 0, result.output
        # Progress read from the new events only still counts every asset, once, in order.
        done = [d for d, _, _ in seen]
        assert done == sorted(done) and done[-1] == seen[-1][1], seen[-3:]
        assert any(current == "ingest_raw" for _, _, current in seen)
        steps = json.loads((tmp_path / name / "timings.json").read_text())["steps"]
        assert {s["status"] for s in steps} == {"success"} and len(steps) > 40
        assert all(s["seconds"] >= 0 and s["group"] for s in steps), steps
        assert (tmp_path / name / "wh.duckdb").exists()
        assert not (tmp_path / name / "wh.duckdb.next").exists()
        banner = " ".join(result.output.split())  # rich wraps lines at the terminal width
        if name == "first":
            assert banner.count("SAMPLE DATA — synthetic") == 1 and "MIXED DATA" not in banner, banner[:300]
        else:
            assert "SAMPLE DATA" not in banner and "MIXED DATA" not in banner


def test_the_bundled_sample_is_synthetic_not_mixed(tmp_path):
    from pipelines.coverage import label_kind
    from pipelines.ingest.load import dataset_rows, read_dataset_description

    def labels(dataset: dict) -> dict[str, str]:
        return {domain: label for domain, label, *_ in dataset_rows(dataset)}

    dataset = read_dataset_description(SAMPLE)
    # Its study groups, Questions and countries are real reference lists; its activity records are not.
    assert label_kind(labels(dataset)) == "synthetic"
    real_recs = {**dataset, "domains": {**dataset["domains"], "recommendations": "real"}}
    assert labels(real_recs)["recommendations"] == "real" and labels(real_recs)["meetings"] == "synthetic"
    assert label_kind(labels(real_recs)) == "mixed"
    everything = {**dataset, "domains": {t: "real" for t in dataset["domains"]}}
    assert label_kind(labels(everything)) == "real"
    # A table mixing real and synthetic rows (the sample's members: real Member States, fictional companies)
    # makes its domain synthetic.
    assert labels(dataset)["membership"] == "synthetic"
