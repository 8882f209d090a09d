"""`sgpulse`: refresh the warehouse, regenerate the sample, and more (see `sgpulse --help`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="sgpulse: evidence pipeline for ITU-T strategic planning.", no_args_is_help=True,
                  add_completion=False)

RawOpt = Annotated[Path | None, typer.Option("--raw", help="Raw directory [env SGPULSE_RAW_DIR; default data/raw]")]
WarehouseOpt = Annotated[Path | None, typer.Option(
    "--warehouse", help="Warehouse file [env SGPULSE_WAREHOUSE; default data/marts/warehouse.duckdb]")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Output folder for briefs and charts [env SGPULSE_OUT_DIR; default data/marts/briefs]")]


@app.command()
def refresh(raw: RawOpt = None, warehouse: WarehouseOpt = None, out: OutOpt = None) -> None:
    """Run the whole pipeline in-process and publish a new warehouse (the old one stays if anything fails)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipelines.refresh import dataset_notice, ingest_summary, run_refresh
    from pipelines.settings import Settings

    settings = Settings.resolve(raw, warehouse, out)
    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]refresh[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def show(progress) -> None:
            bar.update(task, total=progress.total, completed=progress.done, description=progress.current)

        outcome = run_refresh(settings, on_progress=show)
    if not outcome.success:
        print(f"sgpulse refresh failed: {outcome.error}", file=sys.stderr)
        raise typer.Exit(code=2)
    _print_summary(outcome, ingest_summary(settings.warehouse), dataset_notice(settings.warehouse))


def _print_summary(outcome, rows: list[tuple], notice: tuple[bool, str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    synthetic, text = notice
    if synthetic:
        console.print(f"[bold reverse] SAMPLE DATA — synthetic [/] {text}")
    table = Table(title=f"Ingest of {outcome.settings.raw_dir}", title_justify="left")
    for column in ("table", "files", "rows read", "staged", "quarantined"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, files, read, staged, quarantined in rows:
        table.add_row(name, str(files), f"{read:,}", f"{staged:,}",
                      f"[yellow]{quarantined:,}[/]" if quarantined else "0")
    console.print(table)
    console.print(f"Refresh finished in {outcome.seconds:.1f} s (run {outcome.run_id}).")
    console.print(f"Warehouse: {outcome.settings.warehouse}")
    console.print(f"Outputs:   {outcome.settings.out_dir}")
    console.print("Quarantined rows and their reasons are in the quarantine.<table> tables of the warehouse.")


@app.command()
def sample(
    out: Annotated[Path, typer.Option(help="Raw directory to write")] = Path("data/raw"),
    scale: Annotated[int, typer.Option(min=1, help="Volume multiplier (1 = the bundled sample)")] = 1,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the bundled sample's)")] = None,
) -> None:
    """Write the synthetic sample (deterministic for a seed and scale)."""
    from pipelines.sample.generate import generate_sample

    kwargs = {} if seed is None else {"seed": seed}
    rows = generate_sample(out, scale=scale, **kwargs)
    for table, n in rows.items():
        typer.echo(f"{table:16} {n:>10,}")
    typer.echo(f"written to {out}")


@app.command("catalogue")
def catalogue_command(
    write: Annotated[Path | None, typer.Option(help="Write the Markdown reference to this file")] = None,
) -> None:
    """Print (or write) the KPI reference generated from the KPI catalogue."""
    from pipelines.catalogue import catalogue, render_markdown

    text = render_markdown(catalogue())
    if write:
        write.parent.mkdir(parents=True, exist_ok=True)
        write.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {write}")
    else:
        typer.echo(text, nl=False)


if __name__ == "__main__":
    app()
