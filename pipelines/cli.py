"""`sgpulse`: refresh the warehouse, regenerate the sample, and more (see `sgpulse --help`)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipelines.settings import DEFAULT_OUT, DEFAULT_RAW, DEFAULT_WAREHOUSE, OUT_ENV, RAW_ENV, WAREHOUSE_ENV

# Plain (click) help: Rich markup mode read "[env ...; default ...]" as markup and dropped it, and labelled
# every flag `<bool>`. Outputs are still formatted with Rich.
HELP_MODE = None


class _Sgpulse(typer.Typer):
    """The `sgpulse` application: a problem with a file or folder ends a command with one line and exit 2."""

    def __call__(self, *args, **kwargs):
        from pipelines.filesystem import PathProblem, describe_os_error

        try:
            return super().__call__(*args, **kwargs)
        except (OSError, PathProblem) as exc:
            command = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
            text = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            print(f"sgpulse {command}: {text}".replace("sgpulse : ", "sgpulse: "), file=sys.stderr)
            sys.exit(2)


app = _Sgpulse(
    help="sgpulse: evidence pipeline for ITU-T strategic planning.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=HELP_MODE,
)


def _usable(command: str, check) -> None:
    """Run a path check before a command starts; its problem is the command's one-line answer (exit 2)."""
    from pipelines.filesystem import PathProblem

    try:
        check()
    except PathProblem as exc:
        print(f"sgpulse {command}: {exc}", file=sys.stderr)
        raise typer.Exit(code=2) from None


# The defaults are resolved by Settings (flag > environment variable > default), so the flags default to None.
RawOpt = Annotated[
    Path | None,
    typer.Option("--raw", metavar="DIR", help=f"Raw directory [env {RAW_ENV}; default {DEFAULT_RAW}]"),
]
WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        metavar="FILE",
        help=f"Warehouse file [env {WAREHOUSE_ENV}; default {DEFAULT_WAREHOUSE}]",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        metavar="DIR",
        help=f"Output folder for briefs and charts [env {OUT_ENV}; default {DEFAULT_OUT}]",
    ),
]


FullOpt = Annotated[
    bool,
    typer.Option(
        "--full",
        help="Read every raw file again; by default the rows of files unchanged since the last refresh are "
        "taken from the warehouse",
    ),
]
WaitOpt = Annotated[
    float | None,
    typer.Option(
        "--wait",
        min=0,
        metavar="SECONDS",
        help="Seconds to wait for another refresh that holds the warehouse [env SGPULSE_LOCK_WAIT_SECONDS; "
        "default 0: fail at once, saying which process holds it]",
    ),
]
# For the benchmark (bench/run.py): the wall time of every step, from the run's event log, as JSON.
TimingsOpt = Annotated[Path | None, typer.Option("--timings", hidden=True, help="Write step timings (JSON)")]


@app.command()
def refresh(
    raw: RawOpt = None,
    warehouse: WarehouseOpt = None,
    out: OutOpt = None,
    full: FullOpt = False,
    wait: WaitOpt = None,
    timings: TimingsOpt = None,
) -> None:
    """Run the whole pipeline in-process and publish a new warehouse (the old one stays if anything fails)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipelines.lock import WarehouseBusy
    from pipelines.refresh import InstanceError, dataset_notice, ingest_summary, run_refresh
    from pipelines.settings import Settings
    from pipelines.warehouse import NotAWarehouse

    settings = Settings.resolve(raw, warehouse, out)
    _usable("refresh failed", lambda: _refresh_paths(settings))
    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]refresh[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def show(progress) -> None:
            bar.update(task, total=progress.total, completed=progress.done, description=progress.current)

        try:
            with _stopped_by_signals():
                outcome = run_refresh(settings, on_progress=show, full=full, wait=wait)
        except (WarehouseBusy, NotAWarehouse, InstanceError) as exc:  # refused before anything was changed
            bar.stop()
            print(f"sgpulse refresh failed: {exc}", file=sys.stderr)
            raise typer.Exit(code=2) from None
        except _Stopped as stopped:
            bar.stop()
            print(
                f"sgpulse refresh stopped by {stopped.name}: the warehouse and its outputs are as they were",
                file=sys.stderr,
            )
            sys.stderr.flush()
            sys.stdout.flush()
            # The run's thread may be in the middle of a statement: end the process without waiting for it
            # (its workers were stopped, its build removed and the lock released on the way here).
            os._exit(128 + stopped.signum)
    if timings:
        import json

        record = {"run_id": outcome.run_id, "success": outcome.success, "seconds": outcome.seconds}
        timings.write_text(json.dumps({**record, "steps": outcome.steps}, indent=1), encoding="utf-8")
    if not outcome.success:
        print(f"sgpulse refresh failed: {outcome.error}", file=sys.stderr)
        raise typer.Exit(code=2)
    _print_summary(outcome, ingest_summary(settings.warehouse), dataset_notice(settings.warehouse))


class _Stopped(BaseException):
    """SIGTERM (a supervisor, `kill`) or SIGINT (Ctrl-C) arrived during a refresh."""

    def __init__(self, signum: int):
        import signal

        self.signum, self.name = signum, signal.Signals(signum).name
        super().__init__(self.name)


@contextmanager
def _stopped_by_signals():
    """Turn SIGTERM and SIGINT into _Stopped in the main thread, so that the refresh cleans up on its way out
    (by default SIGTERM ends Python at once, leaving the report workers running without a parent)."""
    import signal

    def stop(signum, frame):
        raise _Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _refresh_paths(settings) -> None:
    from pipelines.filesystem import PathProblem, output_file, output_folder
    from pipelines.warehouse import NotAWarehouse, check_warehouse

    if settings.raw_dir.exists() and not settings.raw_dir.is_dir():
        raise PathProblem(f"raw directory {settings.raw_dir} is a file, not a folder")
    try:
        check_warehouse(settings.warehouse)
    except NotAWarehouse as exc:
        raise PathProblem(str(exc)) from None
    output_file(settings.warehouse, "warehouse")
    output_folder(settings.out_dir, "output folder")


def _print_summary(outcome, rows: list[tuple], notice: tuple[bool, str]) -> None:
    import duckdb
    from rich.console import Console
    from rich.table import Table

    from pipelines.coverage import SAMPLE_BANNER, dataset_label, load_coverage

    console = Console()
    _, text = notice
    with duckdb.connect(str(outcome.settings.warehouse), read_only=True) as conn:
        label, coverage = dataset_label(conn), load_coverage(conn)
    # The one banner every output carries; the notice says what the synthetic part is, once.
    detail = text.removeprefix(SAMPLE_BANNER).lstrip(": ")
    if label.banner:
        _print_banner(console, label)
        if detail:
            about = "about the synthetic domains: " if label.kind == "mixed" else ""
            console.print(f"  {about}{escape(detail)}")
    line = coverage.coverage_line(label)
    if line:
        console.print(f"Data cover: {escape(line)}", soft_wrap=True)
    table = Table(title=f"Ingest of {outcome.settings.raw_dir}", title_justify="left")
    for column in ("table", "files", "rows read", "staged", "quarantined", "ingest"):
        table.add_column(column, justify="left" if column in ("table", "ingest") else "right")
    # keep: rows taken from the previous warehouse (no file changed); append: only new files read;
    # absent: an optional table without files (empty tables).
    shown = {"keep": "kept", "append": "new files added", "full": "read", "absent": "absent (optional)"}
    for name, files, read, staged, quarantined, how in rows:
        table.add_row(
            name,
            str(files),
            f"{read:,}",
            f"{staged:,}",
            f"[yellow]{quarantined:,}[/]" if quarantined else "0",
            shown.get(how, ""),
        )
    console.print(table)
    from pipelines.refresh import ingest_warnings, landscape_summary

    for line in ingest_warnings(outcome.settings.warehouse):  # nothing unread in silence
        console.print(f"[yellow]warning:[/] {escape(line)}", soft_wrap=True, highlight=False)
    console.print(landscape_summary(outcome.settings.warehouse), soft_wrap=True)
    console.print(f"Refresh finished in {outcome.seconds:.1f} s (run {outcome.run_id}).")
    if outcome.recorded:
        console.print(
            f"Run recorded in the Dagster instance of DAGSTER_HOME={outcome.recorded} (`make dev`)."
        )
    else:
        console.print("Run not recorded in a Dagster instance (set DAGSTER_HOME to keep it; see the README).")
    console.print(f"Warehouse: {outcome.settings.warehouse}")
    console.print(f"Outputs:   {outcome.settings.out_dir}")
    briefs = sorted(
        {p.parent.name for p in outcome.settings.out_dir.glob("*/brief-*.html")}, key=lambda s: (len(s), s)
    )
    if briefs:
        console.print(f"Briefs:    {outcome.settings.out_dir / 'index.html'} ({', '.join(briefs)})")
    dictionary = outcome.settings.out_dir / "data-dictionary.html"
    if dictionary.exists():
        console.print(f"Columns:   {dictionary} (the data dictionary; `sgpulse export` for the tables)")
    console.print("Quarantined rows and their reasons are in the quarantine.<table> tables of the warehouse.")
    from pipelines.quality.results import quality_summary_line

    console.print(quality_summary_line(outcome.settings.out_dir, outcome.run_id), soft_wrap=True)


@app.command()
def sample(
    out: Annotated[Path, typer.Option(metavar="DIR", help="Raw directory to write")] = Path("data/raw"),
    scale: Annotated[
        int, typer.Option(min=1, metavar="N", help="Volume multiplier (1 = the bundled sample)")
    ] = 1,
    seed: Annotated[
        int | None, typer.Option(metavar="SEED", help="Random seed [default: the bundled sample's]")
    ] = None,
) -> None:
    """Write the synthetic sample (deterministic for a seed and scale)."""
    from pipelines.filesystem import output_folder
    from pipelines.sample.generate import generate_sample

    _usable("sample", lambda: output_folder(out, "raw directory"))
    kwargs = {} if seed is None else {"seed": seed}
    rows = generate_sample(out, scale=scale, **kwargs)
    for table, n in rows.items():
        typer.echo(f"{table:16} {n:>10,}")
    typer.echo(f"written to {out}")


@app.command("catalogue")
def catalogue_command(
    write: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the Markdown reference to this file")
    ] = None,
) -> None:
    """Print (or write) the KPI reference generated from the KPI catalogue."""
    from pipelines.catalogue import catalogue, render_markdown

    _print_or_write("catalogue", render_markdown(catalogue()), write)


def _print_or_write(command: str, text: str, write: Path | None) -> None:
    """A generated page: printed, or written to --write (its folder created)."""
    if write:
        from pipelines.filesystem import output_file

        _usable(command, lambda: output_file(write, "--write"))
        write.parent.mkdir(parents=True, exist_ok=True)
        write.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {write}")
    else:
        typer.echo(text, nl=False)


@app.command("framework")
def framework_command(
    write: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the Markdown page to this file")
    ] = None,
) -> None:
    """Print (or write) the results framework's tree generated from config/results_framework.yaml."""
    from pipelines.analytics.results_framework import render_markdown
    from pipelines.analytics.targets import FrameworkError, load_framework
    from pipelines.catalogue import catalogue

    try:
        text = render_markdown(load_framework(), catalogue())
    except FrameworkError as exc:
        typer.echo(f"framework: {exc}", err=True)
        raise typer.Exit(2) from None
    _print_or_write("framework", text, write)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


@app.command("export")
def export_command(
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Folder to write into (created if missing)")
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", metavar="csv|xlsx|parquet", help="One file per table, or one workbook"),
    ] = ExportFormat.csv,
    tables: Annotated[
        list[str] | None,
        typer.Option(
            "--tables",
            metavar="TABLE[,TABLE...]",
            help="Tables to export, e.g. sg_year_kpis,core.dim_entity [default: every mart]",
        ),
    ] = None,
    core: Annotated[bool, typer.Option("--core", help="Export the core tables too")] = False,
    warehouse: WarehouseOpt = None,
) -> None:
    """Export the published marts (and core tables) with a data dictionary (data-dictionary.html, .csv)."""
    import datetime as dt

    import duckdb
    from rich.console import Console
    from rich.table import Table

    from pipelines.export import dataset_label, export, resolve_tables
    from pipelines.filesystem import input_file, output_folder
    from pipelines.settings import Settings

    path = Settings.resolve(None, warehouse, None).warehouse
    missing = f"no warehouse at {path} (run `sgpulse refresh` first)"
    _usable("export", lambda: input_file(path, "warehouse", missing))
    _usable("export", lambda: output_folder(out, "--out"))
    names = [n.strip() for item in tables or [] for n in item.split(",") if n.strip()]
    try:
        with duckdb.connect(str(path), read_only=True) as conn:
            chosen = resolve_tables(conn, names, core=core)
            if names and core:
                chosen += [t for t in resolve_tables(conn, None, core=True) if t.startswith("core.")]
            result = export(
                conn,
                out,
                fmt.value,
                list(dict.fromkeys(chosen)),
                dataset_label(path),
                dt.datetime.now(dt.UTC),
            )
    except ValueError as exc:
        print(f"sgpulse export: {exc}", file=sys.stderr)
        raise typer.Exit(code=2) from None
    console = Console()
    summary = Table(title=f"Export of {path}", title_justify="left")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for table, rows in result.rows.items():
        summary.add_row(table, f"{rows:,}")
    console.print(summary)
    for file in [*result.files, *result.dictionary]:
        console.print(f"{file}  ({file.stat().st_size:,} bytes)", highlight=False, soft_wrap=True)


from pipelines.importers.cli import import_app  # noqa: E402  (typer only; the importers load on use)

app.add_typer(import_app, name="import")


# What-if restructuring scenarios, recomputed from the facts of the published warehouse (opened read-only).
scenario_app = typer.Typer(
    help="What-if scenarios: merge or split study groups.", no_args_is_help=True, rich_markup_mode=HELP_MODE
)
app.add_typer(scenario_app, name="scenario")
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        help="Year to simulate [default: the latest year the meetings cover in full]",
    ),
]
NameOpt = Annotated[str | None, typer.Option("--name", metavar="NAME", help="Name of the new study group")]


def _run_scenario(warehouse: Path | None, year: int | None, simulate) -> None:
    import duckdb
    from rich.console import Console

    from pipelines.filesystem import input_file
    from pipelines.settings import Settings

    path = Settings.resolve(None, warehouse, None).warehouse
    missing = f"no warehouse at {path} (run `sgpulse refresh` first)"
    _usable("scenario", lambda: input_file(path, "warehouse", missing))
    from pipelines.coverage import dataset_label, load_coverage

    with duckdb.connect(str(path), read_only=True) as conn:
        try:
            coverage = load_coverage(conn)
            year = coverage.check_year(year) if year is not None else coverage.default_year()
            result = simulate(conn, year)
        except ValueError as exc:
            print(f"sgpulse scenario: {exc}", file=sys.stderr)
            raise typer.Exit(code=2) from None
        label = dataset_label(conn)
    console = Console()
    _print_banner(console, label)
    console.print(scenario_table(result.table, year))
    console.print("")
    console.print(result.summary, markup=False, highlight=False)


def _print_banner(console, label) -> None:
    """The run's one label (SAMPLE DATA — synthetic, MIXED DATA — real: ...; synthetic: ...), on top."""
    if label.banner:
        console.print(f"[bold reverse] {escape(label.banner)} [/]", soft_wrap=True)


MISSING_CELL = "—"


def scenario_cell(value, unit: str) -> str:
    """A scenario value as the briefs write it (shares in %, counts whole), "—" where there is none."""
    from pipelines.formatting.numbers import format_score, format_value, is_missing

    if is_missing(value):
        return MISSING_CELL
    if unit == "index 0-100":  # the relevance index keeps one decimal, as in the summary
        return format_score(value, 1)
    return format_value(value, unit)


def scenario_table(table, year: int):
    """One row per KPI, one column per scope of the scenario (Rich), formatted by the catalogue's units."""
    from rich.table import Table

    from pipelines.catalogue import catalogue

    units = {}
    for kpi in catalogue().kpis:
        units.setdefault(kpi.column_name, kpi.unit)
    out = Table(title=f"Scenario for {year} (recomputed from the facts)", title_justify="left")
    out.add_column("KPI")
    scopes = list(zip(table["scope"], table["kind"], strict=True))
    for scope, kind in scopes:
        out.add_column(f"{scope}\n{kind}", justify="right")
    for column in table.columns.drop(["scope", "kind"]):
        unit = units.get(column, "count")
        out.add_row(column, *(scenario_cell(v, unit) for v in table[column]))
    return out


@scenario_app.command("merge")
def scenario_merge(
    sgs: Annotated[
        list[str], typer.Argument(metavar="SG", help="Study groups to merge, e.g. SG9 SG16 (any case)")
    ],
    year: YearOpt = None,
    name: NameOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """What the study groups merged into one would have looked like: KPIs, relevance rank, overlap removed."""
    from pipelines.analytics.scenarios import simulate_merge
    from pipelines.formatting.names import canonical_sg

    sgs = [canonical_sg(sg) for sg in sgs]
    _run_scenario(warehouse, year, lambda conn, year: simulate_merge(conn, sgs, year, name))


@scenario_app.command("split")
def scenario_split(
    sg: Annotated[str, typer.Argument(metavar="SG", help="Study group to split, e.g. SG13")],
    questions: Annotated[
        list[str],
        typer.Argument(metavar="QUESTION", help="Questions moved to the new SG, e.g. Q1/13 Q16/13"),
    ],
    year: YearOpt = None,
    name: NameOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Move Questions to a new study group (documentary KPIs only: attendance cannot be split by Question)."""
    from pipelines.analytics.scenarios import simulate_split
    from pipelines.formatting.names import canonical_sg

    sg, questions = canonical_sg(sg), [q.strip().upper() for q in questions]
    _run_scenario(warehouse, year, lambda conn, year: simulate_split(conn, sg, questions, year, name))


@app.command("brief")
def brief_command(
    sg: Annotated[
        str | None, typer.Option("--sg", metavar="SG", help="Study group, e.g. SG17 (or 'sector')")
    ] = None,
    sector: Annotated[bool, typer.Option("--sector", help="The sector brief (same as --sg sector)")] = False,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", metavar="YEAR", help="Year [default: the latest year the meetings cover in full]"
        ),
    ] = None,
    warehouse: WarehouseOpt = None,
    out: OutOpt = None,
    wait: WaitOpt = None,
) -> None:
    """Regenerate one evidence brief (HTML, Word, Markdown and charts) from an existing warehouse."""
    import time
    import uuid

    from pipelines.filesystem import input_file, output_folder
    from pipelines.lock import CLI_WAIT_SECONDS, WarehouseBusy, WarehouseLock, wait_seconds
    from pipelines.settings import Settings

    if sector or (sg or "").lower() == "sector":
        scope = "sector"
    elif sg:
        scope = sg.upper()
    else:
        print("sgpulse brief: say which brief: --sg SG17 or --sector", file=sys.stderr)
        raise typer.Exit(code=2)
    settings = Settings.resolve(None, warehouse, out)
    missing = f"no warehouse at {settings.warehouse} (run `sgpulse refresh` first)"
    _usable("brief", lambda: input_file(settings.warehouse, "warehouse", missing))
    _usable("brief", lambda: output_folder(settings.out_dir, "output folder"))
    from pipelines.briefs.build import RENDER_CACHE, build_all_briefs
    from pipelines.outputs import discard_stage, stage_briefs, swap_in

    started = time.monotonic()
    run_id = f"brief-{uuid.uuid4()}"
    # The lock keeps a refresh from publishing into the output folder while this brief is swapped in.
    lock = WarehouseLock(
        settings.warehouse, wait_seconds(CLI_WAIT_SECONDS) if wait is None else wait, "brief"
    )
    try:
        lock.acquire()
    except WarehouseBusy as exc:
        print(f"sgpulse brief: {exc}", file=sys.stderr)
        raise typer.Exit(code=2) from None
    try:
        stage = stage_briefs(settings.out_dir, run_id)
        (output,) = build_all_briefs(
            settings.warehouse,
            stage,
            year=year,
            scopes=[scope],
            cache_dir=settings.out_dir / RENDER_CACHE,
        )
        swap_in(settings.out_dir, stage).finish()
    except ValueError as exc:
        print(f"sgpulse brief: {exc}", file=sys.stderr)
        raise typer.Exit(code=2) from None
    finally:
        discard_stage(settings.out_dir, run_id)  # only left after a failure: the old brief stays
        lock.release()
    folder = settings.out_dir / output.folder.name
    import duckdb
    from rich.console import Console

    from pipelines.coverage import dataset_label

    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        _print_banner(Console(), dataset_label(conn))
    for path in output.files:
        if path.name.startswith("brief-"):
            published = folder / path.name
            typer.echo(f"{published}  ({published.stat().st_size:,} bytes)")
    typer.echo(f"charts in {folder / 'charts'}; built in {time.monotonic() - started:.1f} s")


@app.command("review")
def review_command(
    since: Annotated[
        int | None,
        typer.Option("--since", metavar="YEAR", help="Compare with this year of the same warehouse"),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="WAREHOUSE",
            help="Compare with the previous review's warehouse file (at its latest full year)",
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            help="Year reviewed [default: the latest year the meetings cover in full]",
        ),
    ] = None,
    warehouse: WarehouseOpt = None,
    out: OutOpt = None,
) -> None:
    """Write the strategic review for TSAG (HTML, Word, Markdown): what changed since a year or a warehouse."""
    import time

    import duckdb

    from pipelines.filesystem import input_file, output_folder
    from pipelines.settings import Settings

    if (since is None) == (baseline is None):
        print(
            "sgpulse review: say what to compare with: --since YEAR or --baseline WAREHOUSE", file=sys.stderr
        )
        raise typer.Exit(code=2)
    settings = Settings.resolve(None, warehouse, out)
    missing = f"no warehouse at {settings.warehouse} (run `sgpulse refresh` first)"
    _usable("review", lambda: input_file(settings.warehouse, "warehouse", missing))
    if baseline is not None:
        _usable("review", lambda: input_file(baseline, "baseline warehouse", f"no warehouse at {baseline}"))
    _usable("review", lambda: output_folder(settings.out_dir, "output folder"))
    from pipelines.review_report import write_review

    started = time.monotonic()
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        other = duckdb.connect(str(baseline), read_only=True) if baseline is not None else None
        try:
            files, counts, label = write_review(conn, other, since, year, settings, baseline)
        except ValueError as exc:
            print(f"sgpulse review: {exc}", file=sys.stderr)
            raise typer.Exit(code=2) from None
        finally:
            if other is not None:
                other.close()
    from rich.console import Console

    _print_banner(Console(), label)
    typer.echo("changes: " + ", ".join(f"{n} {item}" for item, n in counts.items()))
    for path in files:
        typer.echo(f"{path}  ({path.stat().st_size:,} bytes)")
    typer.echo(f"built in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    app()
