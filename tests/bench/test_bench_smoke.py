"""The benchmark end to end on a tiny raw directory: baselines agree with the pipeline, results have the schema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from compare import KpiMismatch, assert_same_kpis, differences  # noqa: E402

# The CSV dialect spelled out: DuckDB's sniffer may guess "no quoting" from the first rows.
CSV = "all_varchar = true, quote = '\"', escape = '\"'"
SCHEMA = {
    "scale": (str, int),
    "raw_rows": int,
    "refresh_s": float,
    "stages": dict,
    "peak_rss_mb": float,
    "warehouse_mb": float,
    "pipeline_kpi_s": float,
    "sql_baseline_s": float,
    "pandas_baseline_s": float,
}


def tiny_raw(target: Path) -> Path:
    """SG17 from 2024 on, cut from the bundled sample and written in the sample's own formats."""
    source = ROOT / "data" / "raw"
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("attendance*", "contributions*", "meetings*")
    )
    for folder in ("attendance", "contributions", "meetings"):
        (target / folder).mkdir()
    conn = duckdb.connect()
    conn.execute(
        f"create table meetings as select * from read_parquet('{source}/meetings/*.parquet') "
        "where sg = 'SG17' and start_date >= '2024-01-01'"
    )
    conn.execute(f"copy meetings to '{target}/meetings/meetings.parquet' (format parquet)")
    conn.execute(
        f"copy (select * from read_csv('{source}/attendance/*.csv', {CSV}) "
        f"where meeting_id in (select meeting_id from meetings)) to '{target}/attendance/attendance.csv' (header)"
    )
    kept = (
        "sg = 'SG17' and submitted_on >= '2024' "
        "and (meeting_id is null or meeting_id in (select meeting_id from meetings))"
    )
    conn.execute(
        f"copy (select * from read_parquet('{source}/contributions/*.parquet') where {kept}) "
        f"to '{target}/contributions/contributions-T22.parquet' (format parquet)"
    )
    conn.execute(
        f"copy (select * from read_csv('{source}/contributions/*.csv', {CSV}) where {kept}) "
        f"to '{target}/contributions/contributions-T25.csv' (header)"
    )
    for table in ("recommendations", "work_items"):
        for path in (target / table).glob("*.csv"):
            conn.execute(
                f"copy (select * from read_csv('{path}', {CSV}) where sg = 'SG17') to '{path}' (header)"
            )
    return target


def test_differences_name_the_columns_and_rows():
    """A baseline that disagrees fails with the column, the row and both values."""
    expected = pd.DataFrame({"sg": ["SG17", "SG17"], "year": [2024, 2025], "hhi": [100.0, 200.0]})
    assert differences(expected, expected.copy()) == []
    actual = expected.assign(hhi=[100.0, 201.0])
    with pytest.raises(KpiMismatch, match=r"column hhi: 1 rows differ \(\('SG17', 2025\): 200.0 vs 201.0\)"):
        assert_same_kpis(expected, actual, "the test baseline")
    assert differences(expected, expected.iloc[:1])[0].startswith("1 rows missing")


def test_bench_end_to_end(tmp_path):
    """bench/run.py on a tiny raw directory: every figure of the results schema, both baselines checked."""
    raw = tiny_raw(tmp_path / "raw")
    command = [sys.executable, str(BENCH / "run.py"), "--raw", str(raw), "--label", "tiny"]
    command += ["--data-dir", str(tmp_path / "data"), "--out", str(tmp_path / "results")]
    # The incremental case is two more refreshes: measured by `make bench`, too slow for a smoke test.
    command += ["--incremental-scale", "0"]
    subprocess.run(command, check=True, cwd=ROOT, timeout=300)
    (result,) = json.loads((tmp_path / "results" / "results.json").read_text())
    for key, kind in SCHEMA.items():
        assert isinstance(result[key], kind), (key, result[key])
    assert {"ingest", "core", "marts", "checks", "briefs"} <= set(result["stages"])
    assert result["pipeline_kpi_s"] > 0 and result["raw_rows"] > 0
    assert "| tiny |" in (tmp_path / "results" / "results.md").read_text()


def test_results_say_which_targets_are_met_and_which_missed():
    from run import targets

    figures = {"raw_rows": 1, "pipeline_kpi_with_ingest_s": 30.0, "pandas_baseline_s": 20.0}
    results = [
        {**figures, "scale": 10, "pipeline_kpi_s": 6.0, "sql_baseline_s": 10.0, "incremental_s": 40.0,
         "incremental_full_s": 60.0},
        {**figures, "scale": 100, "pipeline_kpi_s": 16.0, "sql_baseline_s": 10.0, "refresh_s": 119.0,
         "peak_rss_mb": 4200.0},
        # A --raw run is labelled, not scaled: only the every-scale target applies.
        {**figures, "scale": "tiny", "pipeline_kpi_s": 1.0, "sql_baseline_s": 1.0},
        # Without baselines (--baselines naming neither): nothing to compare with.
        {**figures, "scale": 1000, "pipeline_kpi_s": 1.0, "sql_baseline_s": None, "pandas_baseline_s": None,
         "refresh_s": 500.0, "peak_rss_mb": 100.0},
    ]  # fmt: skip
    verdicts = {name: ok for name, _, ok in targets(results)}
    assert verdicts == {
        "scale 10: KPI path within 1.5x of pure SQL": "met",
        "scale 10: KPI path faster than pandas": "met",
        "scale 10: KPI path + ingest faster than pandas": "**missed**",
        "scale 10: incremental under a quarter of the full refresh": "**missed**",
        "scale 100: KPI path within 1.5x of pure SQL": "**missed**",
        "scale 100: KPI path faster than pandas": "met",
        "scale 100: KPI path + ingest faster than pandas": "**missed**",
        "scale 100: full refresh under 120 s": "met",
        "scale 100: peak RSS under 4 GiB": "**missed**",
        "scale tiny: KPI path within 1.5x of pure SQL": "met",
        "scale 1000: KPI path within 1.5x of pure SQL": "not measured",
        "scale 1000: KPI path faster than pandas": "not measured",
        "scale 1000: KPI path + ingest faster than pandas": "not measured",
    }


def test_generated_samples_are_reused_only_with_the_same_generator(tmp_path, monkeypatch):
    import run

    calls = []

    def generate(command, env=None):
        calls.append(command)
        out = Path(command[command.index("--out") + 1])
        out.mkdir(parents=True)

    monkeypatch.setattr(run, "run_measured", generate)
    first = run.sample_dir(tmp_path, 3, 7)
    assert run.sample_dir(tmp_path, 3, 7) == first and len(calls) == 1
    monkeypatch.setattr(run, "generator_fingerprint", lambda: "a changed generator")
    run.sample_dir(tmp_path, 3, 7)
    assert len(calls) == 2
