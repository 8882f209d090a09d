"""The landscape's cost: `sgpulse refresh` on the bundled sample without and with the peer bodies' bundle.

    python bench/landscape.py ../shared/real-data/peer-sdo-publications.jsonl.gz            # 2 rounds
    python bench/landscape.py BUNDLE --rounds 3 --out bench/landscape-results.json

The sample is hard-linked into bench/.data/landscape/raw and the bundle imported into it (its DATASET.yaml is
rewritten by renaming, so data/raw is never touched). Refreshes alternate, without then with (A, B, A, B),
each in its own process on a fresh warehouse, with the CPU probe and load of bench/run.py; the import itself
is timed once (it runs when the bundle changes, not in a refresh). Target (issue 22): the refresh with the
bundle within 15 % of the refresh without it.
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

from run import log, machine, refresh, summarise_steps  # noqa: E402

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


def one(label: str, raw: Path, work: Path) -> dict:
    measured, timings = refresh(raw, work / label)
    stages, steps, _, ingest_s = summarise_steps(timings)
    log(f"{label}: {measured.seconds:.1f} s (probe {measured.probe_s} s)")
    return {
        "label": label,
        "refresh_s": round(measured.seconds, 2),
        "probe_s": measured.probe_s,
        "load": measured.load,
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
    without = [r["refresh_s"] for r in runs if r["label"] == "without"]
    with_ = [r["refresh_s"] for r in runs if r["label"] == "with"]
    ratio = statistics.median(with_) / statistics.median(without)
    result = {
        "machine": machine(),
        "import_s": import_s,
        "runs": runs,
        "median_without_s": statistics.median(without),
        "median_with_s": statistics.median(with_),
        "ratio": round(ratio, 3),
        "target": "with / without <= 1.15",
        "met": ratio <= 1.15,
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(f"without {without} s, with {with_} s: ratio {ratio:.3f} ({'met' if ratio <= 1.15 else 'missed'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
