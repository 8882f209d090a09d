"""Deterministic generator of the bundled SYNTHETIC raw sample (`data/raw/`).

Real: study groups, Questions and countries (the committed reference files next to this module).
Fictional: every organisation, person, meeting list, contribution, work item and Recommendation number.
Magnitudes are calibrated on published ITU-T figures and five stories are planted on purpose; the
`README.md` this module writes next to the data documents them with the numbers measured on the output.

    python -m pipelines.sample.generate --out data/raw --scale 1 --seed 20250301

The output is byte-for-byte identical for the same seed and scale (no clock, no hash or set order).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.sample.attendance import attendance_frame, simulate_people
from pipelines.sample.bad_rows import bad_rows, insert_rows
from pipelines.sample.consultation import consultation_frame, consultation_summary
from pipelines.sample.contributions import contributions_frame
from pipelines.sample.events import DECLINE_FROM, cxo_participants, events_frame
from pipelines.sample.meetings import make_meetings, meetings_table
from pipelines.sample.organisations import aliases_table, make_orgs, members_table
from pipelines.sample.output import work_items_and_recommendations
from pipelines.sample.profiles import DEFAULT_SEED, OPTIONAL_STREAMS, TABLES
from pipelines.sample.readme import write_readme
from pipelines.sample.reference import load_reference
from pipelines.sample.summary import summarise
from pipelines.sample.writers import clear_tables, write_csv, write_dataset_yaml, write_parquet, write_xlsx

__all__ = ["DEFAULT_SEED", "TABLES", "build_tables", "generate_sample", "main"]


def build_tables(scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The ten raw tables and the optional ones as DataFrames (before the deliberately bad rows are inserted)."""
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    ref = load_reference()
    streams = np.random.SeedSequence([seed, scale]).spawn(6)
    rng_org, rng_meet, rng_people, rng_wi, rng_con, rng_out = (np.random.default_rng(s) for s in streams)
    orgs = make_orgs(rng_org, scale, ref)
    meetings = make_meetings(rng_meet, scale, ref)
    att = simulate_people(rng_people, scale, ref, orgs, meetings)
    work_items, recs, wi_names = work_items_and_recommendations(rng_wi, scale, ref, meetings)
    contributions = contributions_frame(rng_con, scale, ref, orgs, meetings, att, wi_names)
    attendance = attendance_frame(rng_out, orgs, meetings, att, ref)
    # The optional tables draw from streams of their own: adding them left every other table's bytes as they were.
    events = events_frame(np.random.default_rng(np.random.SeedSequence([seed, OPTIONAL_STREAMS["events"]])))
    answers = consultation_frame(
        np.random.default_rng(np.random.SeedSequence([seed, OPTIONAL_STREAMS["consultation_responses"]]))
    )
    return {
        "study_groups": ref.study_groups.copy(),
        "questions": ref.questions.copy(),
        "countries": ref.countries.copy(),
        "members": members_table(orgs, ref),
        "org_aliases": aliases_table(orgs),
        "meetings": meetings_table(meetings),
        "attendance": attendance,
        "contributions": contributions,
        "recommendations": recs,
        "work_items": work_items,
        "events": events,
        "consultation_responses": answers,
    }


def generate_sample(out_dir: Path, scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the raw directory (`<out_dir>/<table>/...`, README.md, DATASET.yaml); return rows per table."""
    out_dir = Path(out_dir)
    tables = build_tables(scale=scale, seed=seed)
    summary = summarise(tables)
    summary["cxo_participants"] = cxo_participants(tables["events"])
    summary["cxo_decline_from"] = DECLINE_FROM
    summary["consultation"] = consultation_summary(tables["consultation_responses"])
    counts = {"Academia": int((tables["members"]["category"] == "Academia").sum())}
    bad = bad_rows(tables, counts)
    for name, rows in bad.items():
        tables[name] = insert_rows(tables[name], rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_tables(out_dir)
    located: list[tuple[str, str, int, str]] = []  # (table, file, 1-based data row, bad-row code)

    def emit(table: str, df: pd.DataFrame, name: str, write, *args, **kwargs) -> None:
        if "_bad" in df.columns:
            marks = df["_bad"].to_numpy(dtype=object)
            located.extend(
                (table, f"{table}/{name}", int(i) + 1, marks[i]) for i in np.flatnonzero(marks != "")
            )
            df = df.drop(columns="_bad")
        write(df, out_dir / table / name, *args, **kwargs)

    for name in ("study_groups", "questions", "countries", "org_aliases", "recommendations"):
        emit(name, tables[name], f"{name}.csv", write_csv)
    emit("members", tables["members"], "members.xlsx", write_xlsx, "members", ("joined_on", "left_on"))
    emit("meetings", tables["meetings"], "meetings.parquet", write_parquet, ("start_date", "end_date"))
    att = tables["attendance"]
    years = att["_year"].fillna(2023).astype(int)
    for year in sorted(years.unique()):
        part = att[years == year].drop(columns=["_year"])
        emit("attendance", part, f"attendance-{year}.csv", write_csv, bom=(year == 2019))
    con = tables["contributions"]
    # Closed study periods are archive exports in Parquet (also keeps the sample small); 2025-2028 is CSV.
    for prefix in ("T17", "T22"):
        part = con[con["document"].str.startswith(prefix)]
        emit("contributions", part, f"contributions-{prefix}.parquet", write_parquet, ())
    emit(
        "contributions",
        con[~con["document"].str.startswith(("T17", "T22"))],
        "contributions-T25.csv",
        write_csv,
    )
    wi = tables["work_items"]
    early = wi["started_on"] < "2022-01-01"
    emit("work_items", wi[early], "work-programme-2014-2021.csv", write_csv)
    emit("work_items", wi[~early], "work-programme-2022-2025.csv", write_csv)
    emit("events", tables["events"], "events.csv", write_csv)
    answers = tables["consultation_responses"]
    for year in sorted(answers["responded_on"].str[:4].unique()):
        emit(
            "consultation_responses",
            answers[answers["responded_on"].str[:4] == year],
            f"consultation-{year}.csv",
            write_csv,
        )
    located.sort(key=lambda r: (TABLES.index(r[0]), r[1], r[2]))
    rows = {name: int(len(df)) for name, df in tables.items()}
    write_dataset_yaml(out_dir, seed, scale, rows)
    write_readme(out_dir, seed=seed, scale=scale, rows=rows, summary=summary, bad_located=located)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.sample.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out", type=Path, default=Path("data/raw"), help="raw directory to write (default data/raw)"
    )
    parser.add_argument(
        "--scale", type=int, default=1, help="volume multiplier (default 1; do not commit > 1)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be >= 1")
    t0 = time.perf_counter()
    rows = generate_sample(args.out, scale=args.scale, seed=args.seed)
    for name in TABLES:
        print(f"{name:16s} {rows[name]:>10,d}")
    print(f"wrote {args.out} (scale {args.scale}, seed {args.seed}) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
