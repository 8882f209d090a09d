"""Benchmark `sgpulse refresh` at scale factors 1, 10 and 100 against a pure-SQL and a pandas baseline.

    python bench/run.py                      # scales 1 10 100, incremental case at 10 (`make bench`)
    python bench/run.py --scales 1 10        # a quicker run
    python bench/run.py --raw DIR --label x  # an existing raw directory instead of generated samples

Raw data is generated once per (scale, seed) into bench/.data/ (git-ignored) and reused. Each refresh runs
in its own process, so its peak RSS is the child's own (wait4); its per-step times come from the run's
Dagster event log (`sgpulse refresh --timings`). The baselines must produce the same sg_year_kpis as the
pipeline before any time is reported. Results go to bench/results.json and bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from compare import apply_coverage, assert_same_kpis  # noqa: E402

from pipelines.sample.generate import DEFAULT_SEED  # noqa: E402
from pipelines.sql_models import load_models  # noqa: E402

SGPULSE = Path(sys.executable).with_name("sgpulse")
# A fixed pseudonymisation key: the benchmark never creates or reads the developer's own key file.
BENCH_ENV = {"SGPULSE_PSEUDONYM_KEY": "sgpulse-benchmark-key-not-secret-0001"}
STAGES = ("ingest", "intermediate", "core", "marts", "analytics", "checks", "publish", "briefs", "quality")


@dataclass
class Measured:
    """One process run: wall seconds, peak RSS of that process, and the machine's load around it."""

    seconds: float
    peak_rss_mb: float
    load: tuple[float, float]
    probe_s: float = 0.0  # cpu_probe() just before: how fast the machine was at the time


def cpu_probe() -> float:
    """Seconds for a fixed pure-Python workload (~0.5 s on an idle core of this machine).

    On the shared 2-core machine the same refresh varied by a third between runs an hour apart, with
    similar load averages; this tells a slow machine from a slow change.
    """
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i * i
    return round(time.perf_counter() - started, 3)


def log(message: str) -> None:
    """Progress on stderr, with the time and the 1-minute load average (timings here are noisy)."""
    print(
        f"[{dt.datetime.now():%H:%M:%S} load {os.getloadavg()[0]:.2f}] {message}", file=sys.stderr, flush=True
    )


def run_measured(command: list[str], env: dict | None = None) -> Measured:
    """Run a command to completion; raise on failure; its wall time and its own peak RSS (wait4)."""
    probe = cpu_probe()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **BENCH_ENV, **(env or {})}, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {process.returncode}")
    # ru_maxrss is in KiB on Linux.
    return Measured(seconds, usage.ru_maxrss / 1024, (load_before, os.getloadavg()[0]), probe)


def generator_fingerprint() -> str:
    """SHA-256 of the sample generator's code and reference files: generated data is reused only while it holds."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in (ROOT / "pipelines" / "sample").rglob("*") if p.is_file()):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def sample_dir(data_dir: Path, scale: int, seed: int) -> Path:
    """The generated raw directory for (scale, seed), generated now unless a complete, current one is there."""
    target = data_dir / f"scale-{scale}-seed-{seed}"
    fingerprint = generator_fingerprint()
    marker = target / ".complete"
    if marker.exists() and marker.read_text(encoding="utf-8").strip() == fingerprint:
        return target
    partial = data_dir / f".partial-scale-{scale}-seed-{seed}"
    shutil.rmtree(partial, ignore_errors=True)
    log(f"generating scale {scale} (seed {seed}) into {target}")
    run_measured([str(SGPULSE), "sample", "--out", str(partial), "--scale", str(scale), "--seed", str(seed)])
    # A directory is reused only if its generation finished (an interrupted one is regenerated) with the
    # generator of today (a changed generator writes different files).
    (partial / ".complete").write_text(fingerprint + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def raw_rows(warehouse: Path) -> int:
    """Raw rows the refresh read, all tables (its own reconciliation in meta.ingest_report)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return int(conn.execute("select sum(rows_read) from meta.ingest_report").fetchone()[0])


def refresh(raw: Path, work: Path, fresh: bool = True) -> tuple[Measured, dict]:
    """`sgpulse refresh` in a subprocess; its measurement and the step timings from its event log."""
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    timings = work / "timings.json"
    command = [str(SGPULSE), "refresh", "--raw", str(raw), "--warehouse", str(work / "warehouse.duckdb")]
    measured = run_measured([*command, "--out", str(work / "out"), "--timings", str(timings)])
    return measured, json.loads(timings.read_text(encoding="utf-8"))


def kpi_path_models() -> set[str]:
    """The SQL models marts.sg_year_kpis is computed from after ingest (read from the SQL's references)."""
    models = {f"{m.schema}.{m.name}": m for m in load_models()}
    path, pending = set(), ["marts.sg_year_kpis"]
    while pending:
        name = pending.pop()
        if name in models and name not in path:
            path.add(name)
            pending.extend(f"{schema}.{table}" for schema, table in models[name].references)
    return path


def stage_of(step: dict, sql_models: set[str]) -> str:
    """The benchmark's stage of one Dagster step (its asset group; Python marts are 'analytics')."""
    group = step["group"]
    if "staging" in group.split("+"):
        return "ingest"
    if group == "marts" and not all(a.replace("/", ".") in sql_models for a in step["assets"]):
        return "analytics"
    return group


def summarise_steps(timings: dict) -> tuple[dict, dict, float, float]:
    """Seconds per stage and per step, the sg_year_kpis path time, and the ingest time."""
    sql_models = {f"{m.schema}.{m.name}" for m in load_models()}
    path = kpi_path_models()
    stages: dict[str, float] = {}
    steps: dict[str, float] = {}
    kpi_s = ingest_s = 0.0
    for step in timings["steps"]:
        seconds = step["seconds"] or 0.0
        stage = stage_of(step, sql_models)
        stages[stage] = stages.get(stage, 0.0) + seconds
        steps[step["step"]] = round(seconds, 3)
        if stage == "ingest":
            ingest_s += seconds
        elif step["assets"] and all(a.replace("/", ".") in path for a in step["assets"]):
            kpi_s += seconds
    # Dagster's own work between steps (event log, planning), inside the run.
    stages["orchestration"] = max(timings["seconds"] - sum(s["seconds"] or 0 for s in timings["steps"]), 0.0)
    return {k: round(v, 3) for k, v in stages.items()}, steps, round(kpi_s, 3), round(ingest_s, 3)


def run_baseline(kind: str, raw: Path, work: Path) -> tuple[pd.DataFrame, float, Measured]:
    """One baseline in its own process: its sg_year_kpis, the seconds of its computation, and the process."""
    result, seconds_file = work / f"baseline_{kind}.parquet", work / f"baseline_{kind}.seconds"
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); import importlib; "
        f"m = importlib.import_module('baseline_{kind}'); t = time.perf_counter(); "
        "df = m.sg_year_kpis(sys.argv[2]); s = time.perf_counter() - t; "
        "df.to_parquet(sys.argv[3]); open(sys.argv[4], 'w').write(repr(s))"
    )
    measured = run_measured(
        [sys.executable, "-c", code, str(BENCH), str(raw), str(result), str(seconds_file)]
    )
    return pd.read_parquet(result), float(seconds_file.read_text()), measured


def pipeline_kpis(warehouse: Path) -> pd.DataFrame:
    """marts.sg_year_kpis of a published warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("select * from marts.sg_year_kpis").df()


def covered(actual: pd.DataFrame, warehouse: Path) -> pd.DataFrame:
    """A baseline's KPIs with the years its raw directory's domains do not cover made NULL."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return apply_coverage(actual, conn.execute("select * from marts.year_coverage").df())


def bench_scale(label, raw: Path, work: Path, baselines: tuple[str, ...]) -> dict:
    """Full refresh and baselines on one raw directory; fails loudly if a baseline disagrees."""
    log(f"{label}: full refresh of {raw}")
    measured, timings = refresh(raw, work)
    stages, steps, kpi_s, ingest_s = summarise_steps(timings)
    stages["startup"] = round(measured.seconds - timings["seconds"], 3)
    expected = pipeline_kpis(work / "warehouse.duckdb")
    results: dict[str, tuple[float, Measured]] = {}
    for kind in baselines:
        log(f"{label}: {kind} baseline")
        actual, seconds, process = run_baseline(kind, raw, work)
        assert_same_kpis(expected, covered(actual, work / "warehouse.duckdb"), f"the {kind} baseline")
        results[kind] = (seconds, process)
    return {
        "scale": label,
        "raw_rows": raw_rows(work / "warehouse.duckdb"),
        "refresh_s": round(measured.seconds, 2),
        "stages": stages,
        "steps": steps,
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        "warehouse_mb": round((work / "warehouse.duckdb").stat().st_size / 2**20, 1),
        "pipeline_kpi_s": kpi_s,
        "pipeline_kpi_with_ingest_s": round(kpi_s + ingest_s, 3),
        "sql_baseline_s": round(results["sql"][0], 3) if "sql" in results else None,
        "pandas_baseline_s": round(results["pandas"][0], 3) if "pandas" in results else None,
        "baseline_peak_rss_mb": {k: round(p.peak_rss_mb, 1) for k, (_, p) in results.items()},
        "sg_year_kpis_rows": len(expected),
        "load": {"refresh": measured.load, **{k: p.load for k, (_, p) in results.items()}},
        "cpu_probe_s": {"refresh": measured.probe_s, **{k: p.probe_s for k, (_, p) in results.items()}},
    }


def add_meeting(raw: Path) -> None:
    """One new SG17 meeting in new batch files: the meeting, its attendance and its contributions."""
    conn = duckdb.connect()
    meeting = "SG17-2025-12-BENCH"
    conn.execute(
        f"copy (select '{meeting}' as meeting_id, 'SG17' as sg, 'RG' as kind, '2025-12-08' as start_date, "
        "'2025-12-09' as end_date, 'Geneva' as city, 'CHE' as country_iso3, 'hybrid' as format) "
        f"to '{raw}/meetings/meetings-bench-new.parquet' (format parquet)"
    )
    # The people and sources of the latest SG17 meeting come again (the columns as the contract names them).
    conn.execute(
        f"""copy (
            select '{meeting}' as meeting_id, * exclude (meeting_id)
            from read_csv('{raw}/attendance/*.csv', all_varchar = true, quote = '"', escape = '"')
            where meeting_id = (select max(meeting_id) from read_csv('{raw}/attendance/*.csv', all_varchar = true, quote = '"', escape = '"')
                                where meeting_id like 'SG17-2025-%')
        ) to '{raw}/attendance/attendance-bench-new.csv' (header)"""
    )
    conn.execute(
        f"""copy (
            select 'T25-SG17-C-B' || lpad(row_number() over ()::varchar, 4, '0') as document,
                * exclude (document, meeting_id, submitted_on), '{meeting}' as meeting_id,
                '2025-12-01' as submitted_on
            from read_csv('{raw}/contributions/*.csv', all_varchar = true, quote = '"', escape = '"')
            where sg = 'SG17' and doc_type = 'C' limit 120
        ) to '{raw}/contributions/contributions-bench-new.csv' (header)"""
    )


def bench_incremental(raw: Path, work: Path, full: dict) -> dict:
    """A second refresh after one new meeting's batch files land beside the raw data of a full refresh."""
    copy = work / "raw"
    shutil.rmtree(work, ignore_errors=True)
    # Hard links: the same bytes as the generated files, without copying gigabytes.
    shutil.copytree(raw, copy, copy_function=os.link)
    log("incremental: full refresh before the new meeting")
    before, _ = refresh(copy, work / "run", fresh=True)
    add_meeting(copy)
    log("incremental: refresh after the new meeting")
    measured, timings = refresh(copy, work / "run", fresh=False)
    stages, steps, _, _ = summarise_steps(timings)
    expected = pipeline_kpis(work / "run" / "warehouse.duckdb")
    actual, _, _ = run_baseline("sql", copy, work)
    actual = covered(actual, work / "run" / "warehouse.duckdb")
    assert_same_kpis(expected, actual, "the sql baseline after the new meeting")
    return {
        "incremental_s": round(measured.seconds, 2),
        "incremental_full_s": round(before.seconds, 2),
        "incremental_stages": stages,
        "incremental_load": {"full": before.load, "incremental": measured.load},
        "incremental_cpu_probe_s": {"full": before.probe_s, "incremental": measured.probe_s},
    }


def machine() -> dict:
    """Cores, RAM, CPU model and the versions that matter, for results.md."""
    from importlib.metadata import version

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 2**20, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "dagster": version("dagster"),
        "pandas": version("pandas"),
        "os": platform.platform(),
    }


def _ratio(a, b) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


# The targets on 2 cores and 24 GiB: (scale or None for every scale, what, measured -> (value, met)).
REFRESH_TARGET_S, RSS_TARGET_MB, SQL_RATIO_TARGET, INCREMENTAL_TARGET = 120, 4096, 1.5, 0.25


def targets(results: list[dict]) -> list[tuple[str, str, str]]:
    """Each target of the benchmark issue with the measured figure and whether it is met."""

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "met" if ok else "**missed**"

    def faster(a: float, b: float | None) -> tuple[str, str]:
        return (f"{a} s vs {'n/a' if b is None else f'{b} s'}", verdict(None if b is None else a < b))

    rows = []
    for r in results:
        scale = r["scale"]
        # A --raw run is labelled, not scaled: only the every-scale target applies to it.
        factor = scale if isinstance(scale, int) else 0
        sql = r.get("sql_baseline_s")  # None when run with --baselines naming neither
        ratio = r["pipeline_kpi_s"] / sql if sql else None
        rows.append(
            (f"scale {scale}: KPI path within {SQL_RATIO_TARGET}x of pure SQL",
             "n/a" if ratio is None else f"{ratio:.2f}x", verdict(None if ratio is None else ratio <= SQL_RATIO_TARGET))
        )  # fmt: skip
        if factor >= 10:
            pandas = r.get("pandas_baseline_s")
            rows.append((f"scale {scale}: KPI path faster than pandas", *faster(r["pipeline_kpi_s"], pandas)))
            # The baselines read the raw files themselves: with the ingest added, the comparison is like for like.
            rows.append(
                (f"scale {scale}: KPI path + ingest faster than pandas", *faster(r["pipeline_kpi_with_ingest_s"], pandas))
            )  # fmt: skip
        if factor == 100:
            rows.append(
                (f"scale 100: full refresh under {REFRESH_TARGET_S} s", f"{r['refresh_s']} s",
                 verdict(r["refresh_s"] < REFRESH_TARGET_S))
            )  # fmt: skip
            rows.append(
                ("scale 100: peak RSS under 4 GiB", f"{r['peak_rss_mb']:,.0f} MB",
                 verdict(r["peak_rss_mb"] < RSS_TARGET_MB))
            )  # fmt: skip
        if "incremental_s" in r:
            share = r["incremental_s"] / r["incremental_full_s"]
            rows.append(
                (f"scale {scale}: incremental under a quarter of the full refresh",
                 f"{r['incremental_s']} s of {r['incremental_full_s']} s ({share:.2f})",
                 verdict(share < INCREMENTAL_TARGET))
            )  # fmt: skip
    return rows


def write_markdown(results: list[dict], info: dict, path: Path) -> None:
    """bench/results.md: the machine, the table of figures per scale, and the per-step times."""
    stages = [s for s in (*STAGES, "orchestration", "startup") if any(s in r["stages"] for r in results)]
    head = ["scale", "raw rows", "refresh s (end to end)", *[f"{s} s" for s in stages], "peak RSS MB",
            "warehouse MB", "kpi path s", "kpi path + ingest s", "SQL baseline s", "pandas baseline s",
            "kpi path / SQL", "kpi path / pandas", "incremental s", "load (1-min) at refresh", "CPU probe s"]  # fmt: skip
    rows = []
    for r in results:
        incremental = f"{r['incremental_s']} (full {r['incremental_full_s']})" if "incremental_s" in r else ""
        load = "{:.2f} → {:.2f}".format(*r["load"]["refresh"])
        rows.append(
            [
                r["scale"],
                f"{r['raw_rows']:,}",
                r["refresh_s"],
                *[r["stages"].get(s, "") for s in stages],
                r["peak_rss_mb"],
                r["warehouse_mb"],
                r["pipeline_kpi_s"],
                r["pipeline_kpi_with_ingest_s"],
                r["sql_baseline_s"],
                r["pandas_baseline_s"],
                _ratio(r["pipeline_kpi_s"], r["sql_baseline_s"]),
                _ratio(r["pipeline_kpi_s"], r["pandas_baseline_s"]),
                incremental,
                load,
                r.get("cpu_probe_s", {}).get("refresh", ""),
            ]
        )
    step_names = sorted(
        {s for r in results for s in r["steps"]}, key=lambda s: -max(r["steps"].get(s, 0) for r in results)
    )
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} by `bench/run.py` (`make bench`). Machine: {info['cores']} cores, "
        f"{info['ram_gib']} GiB RAM, {info['cpu']}; Python {info['python']}, DuckDB {info['duckdb']}, "
        f"Dagster {info['dagster']}, pandas {info['pandas']}; {info['os']}.",
        "",
        "Timings on a shared machine are noisy: the 1-minute load average before and after each refresh and the",
        "seconds of a fixed pure-Python loop just before it (`CPU probe`; lower is a faster machine) are in the",
        "last columns. `refresh s` is the whole `sgpulse refresh` process (start-up included); stages are the sums",
        "of their Dagster steps' wall times (STEP_START to STEP_SUCCESS): `ingest` writes the staging and",
        "quarantine tables in one step, `analytics` are the marts computed in Python, `orchestration` is the run's",
        "time outside any step, `startup` the process's time outside the run. `kpi path` is the sum of the steps",
        "that build sg_year_kpis after ingest (the SQL models it reads, transitively); the baselines read the raw",
        "files themselves, so `kpi path + ingest` is the like-for-like figure. Both baselines produced the same",
        "sg_year_kpis as the pipeline (same rows, floats within 1e-9) before any time here was recorded.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(str(c) for c in row) + " |" for row in rows),
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *(f"| {name} | {value} | {ok} |" for name, value, ok in targets(results)),
        "",
        "## Seconds per step",
        "",
        "| step | " + " | ".join(str(r["scale"]) for r in results) + " |",
        "|---|" + "---|" * len(results),
        *(f"| {s} | " + " | ".join(str(r["steps"].get(s, "")) for r in results) + " |" for s in step_names),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write results.json and results.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--data-dir", type=Path, default=BENCH / ".data", help="where generated samples are kept"
    )
    parser.add_argument("--raw", type=Path, help="benchmark this raw directory instead of generated samples")
    parser.add_argument("--label", default="raw", help="the scale column for --raw")
    parser.add_argument("--incremental-scale", type=int, default=10, help="0 to skip the incremental case")
    parser.add_argument("--baselines", nargs="*", default=["sql", "pandas"], choices=["sql", "pandas"])
    parser.add_argument("--out", type=Path, default=BENCH, help="folder of results.json and results.md")
    args = parser.parse_args(argv)
    work = args.data_dir / "runs"
    info = machine()
    results = []
    if args.raw:
        results.append(bench_scale(args.label, args.raw.resolve(), work / "raw", tuple(args.baselines)))
        if args.incremental_scale:
            results[-1].update(bench_incremental(args.raw.resolve(), work / "incremental", results[-1]))
    for scale in [] if args.raw else args.scales:
        raw = sample_dir(args.data_dir.resolve(), scale, args.seed)
        results.append(bench_scale(scale, raw, work / f"scale-{scale}", tuple(args.baselines)))
        if scale == args.incremental_scale:
            results[-1].update(bench_incremental(raw, work / "incremental", results[-1]))
        shutil.rmtree(work / f"scale-{scale}" / "out", ignore_errors=True)  # briefs: not needed after timing
    for r in results:
        r["machine"] = info
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    write_markdown(results, info, args.out / "results.md")
    log(f"wrote {args.out / 'results.json'} and {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
