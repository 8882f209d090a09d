"""The landscape's cost: `sgpulse refresh` on the bundled sample without and with the peer bodies' bundle.

    python bench/landscape.py ../shared/real-data/peer-sdo-publications.jsonl.gz            # 2 rounds
    python bench/landscape.py BUNDLE --rounds 3 --out bench/landscape-results.json

The sample is hard-linked into bench/.data/landscape/raw and the bundle imported into it (its DATASET.yaml is
rewritten by renaming, so data/raw is never touched). Refreshes alternate, without then with (A, B, A, B),
each in its own process on a fresh warehouse, with the CPU probe and load of bench/run.py; the import itself
is timed once (it runs when the bundle changes, not in a refresh). Besides wall time, each refresh's CPU
seconds (user + system, its worker processes included: wait4 counts the descendants it waited for): on the
shared 2-core host wall time moves with the other users' load, CPU time much less. Target (issue 22): the
refresh with the bundle within 15 % of the refresh without it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from run import BENCH_ENV, SGPULSE, cpu_probe, log, machine, summarise_steps  # noqa: E402

SAMPLE = ROOT / "data" / "raw"
LANDSCAPE_STEPS = ("sg_landscape", "marts__peer_coverage", "marts__peer_committee_year")


def with_bundle(bundle: Path, work: Path) -> tuple[Path, float]:
    """The sample with the bundle imported (hard links; DATASET.yaml replaced, not written through)."""
    from pipelines.importers.dataset import mark_domain
    from pipelines.importers.peers import OUTPUT_FILE, TABLE, import_peers, write_peers

    raw = work / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(SAMPLE, raw, copy_function=os.link)
    started = time.perf_counter()
    write_peers(import_peers(bundle), raw)
    mark_domain(raw, TABLE, OUTPUT_FILE)
    return raw, round(time.perf_counter() - started, 2)


def refresh_cpu(raw: Path, work: Path) -> tuple[dict, dict]:
    """`sgpulse refresh` on a fresh warehouse: wall and CPU seconds (with its workers), probe, load; timings."""
    import subprocess

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    timings = work / "timings.json"
    command = [str(SGPULSE), "refresh", "--raw", str(raw), "--warehouse", str(work / "warehouse.duckdb")]
    command += ["--out", str(work / "out"), "--timings", str(timings)]
    probe, load = cpu_probe(), os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, **BENCH_ENV}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    measured = {
        "refresh_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "probe_s": probe,
        "load": (load, os.getloadavg()[0]),
    }
    return measured, json.loads(timings.read_text(encoding="utf-8"))


def one(label: str, raw: Path, work: Path) -> dict:
    measured, timings = refresh_cpu(raw, work / label)
    stages, steps, _, ingest_s = summarise_steps(timings)
    log(f"{label}: {measured['refresh_s']:.1f} s wall, {measured['cpu_s']:.1f} s CPU (probe {measured['probe_s']} s)")
    return {
        "label": label,
        **measured,
        "ingest_s": ingest_s,
        "stages": stages,
        "landscape_steps": {k: v for k, v in steps.items() if k in LANDSCAPE_STEPS or "landscape" in k},
        "validate_peer_publications": steps.get("validate_ingest"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=BENCH / ".data" / "landscape")
    parser.add_argument("--out", type=Path, default=BENCH / "landscape-results.json")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    raw, import_s = with_bundle(args.bundle.resolve(), args.work)
    log(f"bundle imported in {import_s} s")
    runs = []
    for _ in range(args.rounds):
        runs.append(one("without", SAMPLE, args.work / "runs"))
        runs.append(one("with", raw, args.work / "runs"))
    result = {"machine": machine(), "import_s": import_s, "runs": runs, "target": "with / without <= 1.15"}
    for measure in ("refresh_s", "cpu_s"):
        without = [r[measure] for r in runs if r["label"] == "without"]
        with_ = [r[measure] for r in runs if r["label"] == "with"]
        ratio = statistics.median(with_) / statistics.median(without)
        result[measure] = {"without": without, "with": with_, "ratio": round(ratio, 3), "met": ratio <= 1.15}
        log(f"{measure}: without {without}, with {with_}: ratio {ratio:.3f}")
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
