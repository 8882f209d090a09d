"""`sgpulse review`: the strategic review between two years (or a previous review's warehouse and this one),
written as HTML, Word and Markdown into <out>/review-<before>-<after>/, swapped in whole under the warehouse lock."""

from __future__ import annotations

import uuid
from pathlib import Path

import duckdb

from pipelines.analytics.review import Side, review
from pipelines.analytics.targets import load_framework
from pipelines.catalogue import catalogue
from pipelines.coverage import DatasetLabel, dataset_label, load_coverage


def review_sides(
    conn: duckdb.DuckDBPyConnection,
    baseline: duckdb.DuckDBPyConnection | None,
    since: int | None,
    year: int | None,
    warehouse: Path,
    baseline_path: Path | None = None,
) -> tuple[Side, Side]:
    """The two sides: this warehouse at `year` (default: its latest full year), and either `since` of the same
    warehouse or the baseline warehouse at its own latest full year. A year the data do not cover is refused."""
    coverage = load_coverage(conn)
    after = coverage.check_year(year) if year is not None else coverage.default_year()
    if baseline is None:
        before = coverage.check_year(since)
        if before >= after:
            raise ValueError(f"--since {before} must be before the year reviewed ({after})")
        return Side(conn, before, warehouse.name), Side(conn, after, warehouse.name)
    before = load_coverage(baseline).default_year()
    label = baseline_path.name if baseline_path is not None else "baseline"
    if label == warehouse.name:
        label = str(baseline_path)
    return Side(baseline, before, label), Side(conn, after, warehouse.name)


def write_review(
    conn: duckdb.DuckDBPyConnection,
    baseline: duckdb.DuckDBPyConnection | None,
    since: int | None,
    year: int | None,
    settings,
    baseline_path: Path | None = None,
) -> tuple[list[Path], dict[str, int], DatasetLabel]:
    """Compute the review and publish its report; returns the published files, the changes per kind, the label."""
    from pipelines.briefs.build import write_brief
    from pipelines.lock import CLI_WAIT_SECONDS, WarehouseBusy, WarehouseLock, wait_seconds
    from pipelines.outputs import discard_stage, ensure_stage, swap_in

    before, after = review_sides(conn, baseline, since, year, Path(settings.warehouse), baseline_path)
    report, result = review_report(before, after)
    run_id = f"review-{uuid.uuid4()}"
    out_dir = Path(settings.out_dir)
    # The lock keeps a refresh from publishing into the output folder while the review is swapped in.
    lock = WarehouseLock(Path(settings.warehouse), wait_seconds(CLI_WAIT_SECONDS), "review")
    try:
        lock.acquire()
    except WarehouseBusy as exc:
        raise ValueError(str(exc)) from None
    try:
        stage = ensure_stage(out_dir, run_id)
        written = write_brief(report, stage, interactive=False)
        swap_in(out_dir, stage).finish()
    finally:
        discard_stage(out_dir, run_id)
        lock.release()
    folder = out_dir / report.scope
    files = [folder / p.name for p in _documents(written, report.slug)]
    counts = result.items.groupby("item").size().to_dict()
    return files, counts, dataset_label(after.conn)


def review_report(before: Side, after: Side):
    """The review between the two sides and its report (pipelines.briefs.review.ReviewReport)."""
    from pipelines.briefs.data import _title, generation_time
    from pipelines.briefs.review import build_review_report

    framework = load_framework()
    result = review(before, after, framework, catalogue())
    meta = after.conn.execute("select synthetic, notice from meta.dataset").fetchall()[0]
    report = build_review_report(
        result,
        generation_time(),
        framework.version,
        dataset_label(after.conn).banner,
        bool(meta[0]),
        str(meta[1] or ""),
        study_period=_title(after.conn, "sector", after.year)[1],
    )
    return report, result


def write_latest_review(
    warehouse: Path, stage: Path, name: str | None = None
) -> tuple[list[Path], int] | None:
    """The review of the warehouse's latest full year against the year before, written into a run's stage
    (the refresh publishes it with the warehouse); None when the data have no year before it. `name`: the
    warehouse the report names (a refresh reads its build file, published under the warehouse's own name)."""
    from pipelines.briefs.build import write_brief

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        after = _latest_year_with_one_before(conn)
        if after is None:
            return None
        name = name or warehouse.name
        report, result = review_report(Side(conn, after - 1, name), Side(conn, after, name))
        written = write_brief(report, stage, interactive=False)
    return _documents(written, report.slug), len(result.items)


def _documents(written: list[Path], slug: str) -> list[Path]:
    """The report's documents among the files written (not its charts or tables' CSV)."""
    return [p for p in written if p.stem == slug and p.suffix in (".html", ".docx", ".md")]


def latest_review_folder(warehouse: Path, out_dir: Path) -> Path | None:
    """Where the review of the warehouse's latest full year against the year before goes in `out_dir`
    (`review-<before>-<after>`), or None when the data have no year before it."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        after = _latest_year_with_one_before(conn)
    return None if after is None else Path(out_dir) / f"review-{after - 1}-{after}"


def _latest_year_with_one_before(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The latest full year the latest review compares with the year before, or None if there is no year before."""
    coverage = load_coverage(conn)
    after = coverage.default_year()
    return after if after - 1 in coverage.available_years() else None
