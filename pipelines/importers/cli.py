"""`sgpulse import relaton|ob-approvals|peers`: real records into a raw directory; a report on stdout and JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

# Plain help, as the main CLI (pipelines.cli.HELP_MODE): no `<bool>` labels, brackets shown as written.
import_app = typer.Typer(
    help="Import real, public records into a raw directory.", no_args_is_help=True, rich_markup_mode=None
)

RawDirOpt = Annotated[Path, typer.Option("--raw", metavar="DIR", help="Raw directory to write into")]


def _writable_raw(command: str, raw: Path) -> None:
    from pipelines.filesystem import PathProblem, output_folder

    try:
        output_folder(raw, "raw directory")
    except PathProblem as exc:
        typer.echo(f"sgpulse import {command} failed: {exc}", err=True)
        raise typer.Exit(code=2) from None


@import_app.command("relaton")
def relaton_command(
    source: Annotated[
        Path, typer.Argument(metavar="SOURCE", help="Folder of relaton *.yaml files, or a .jsonl(.gz) bundle")
    ],
    raw: RawDirOpt,
    since: Annotated[
        int, typer.Option(metavar="YEAR", help="Write editions approved from this year on")
    ] = 2017,
) -> None:
    """Write recommendations/relaton.csv from relaton ITU-T records; every record is written or reported."""
    from pipelines.importers.dataset import mark_domain
    from pipelines.importers.relaton import OUTPUT_FILE, import_relaton, write_relaton

    _writable_raw("relaton", raw)
    try:
        result = import_relaton(source, since=since)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"sgpulse import relaton failed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    csv_path, report_path = write_relaton(result, raw)
    window = result.report["window"]
    source_label = f"relaton ({Path(source).name})"
    domain = mark_domain(
        raw,
        "recommendations",
        OUTPUT_FILE,
        coverage={"recommendations": {**window, "source": source_label}},
    )
    report = result.report
    typer.echo(f"read {report['read']:,} records from {source} in {report['seconds']:.1f} s")
    typer.echo(f"written  {report['written']:>7,}  -> {csv_path}")
    for kind, n in report["written_by_kind"].items():
        typer.echo(f"  {kind:<22}{n:>7,}")
    typer.echo(f"reported {report['reported']:>7,}")
    for code, entry in report["reported_by_reason"].items():
        typer.echo(f"  {code:<22}{entry['records']:>7,}  e.g. {entry['example_reason']}")
    historical = report["historical_attribution"]
    if historical["editions_2017_2024"]:
        typer.echo(
            f"historical SG: {historical['given_a_historical_sg']:,} of {historical['editions_2017_2024']:,} "
            f"editions approved 2017-2024 ({historical['share']:.1%}); flagged without rule: "
            f"{historical['flagged_no_rule']:,}"
        )
    if historical["editions_before_2017"]:
        typer.echo(
            f"before 2017: {historical['editions_before_2017']:,} editions written, "
            f"{historical['before_2017_by_rule']:,} of them attributed by the series rules"
        )
    typer.echo(f"covers {window['from']} to {window['to']} (DATASET.yaml coverage: recommendations)")
    typer.echo(f"report: {report_path}")
    typer.echo(f"DATASET.yaml: recommendations: {domain}")
    if domain == "mixed":
        typer.echo("warning: other files in recommendations/ are read with relaton.csv at ingest", err=True)


@import_app.command("ob-approvals")
def ob_approvals_command(
    csv: Annotated[
        Path, typer.Argument(metavar="CSV", help="Operational Bulletin approvals CSV (itu-ob-approvals.csv)")
    ],
    raw: RawDirOpt,
) -> None:
    """Add approval process (AAP/TAP) and month from Bulletin notices to recommendations/relaton.csv."""
    from pipelines.importers.ob_approvals import enrich_raw_dir

    _writable_raw("ob-approvals", raw)
    try:
        result, csv_path, report_path = enrich_raw_dir(raw, csv)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"sgpulse import ob-approvals failed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    report = result.report
    window = " to ".join(report["window"])
    first, last = report["window"]
    if first and last:
        from pipelines.importers.dataset import mark_domain
        from pipelines.importers.ob_approvals import OUTPUT_FILE, month_window

        mark_domain(
            raw,
            "recommendations",
            OUTPUT_FILE,
            coverage={
                "approval_process": {
                    **month_window(first, last),
                    "source": f"ITU Operational Bulletin ({csv.name})",
                }
            },
        )
    typer.echo(
        f"{report['ob_notices']:,} notices, {report['ob_notices_repeated']:,} repeated, "
        f"{report['ob_notices_unusable']:,} unusable; compared over {window}"
    )
    typer.echo(
        f"rows matched:    {report['rows_in_window_matched']:>6,} of {report['rows_in_window']:>6,}  "
        f"{_pct(report['row_match_rate'])}"
    )
    typer.echo(
        f"notices matched: {report['notices_in_window_matched']:>6,} of {report['notices_in_window']:>6,}  "
        f"{_pct(report['notice_match_rate'])}"
    )
    for kind, entry in report["by_kind"].items():
        typer.echo(f"  {kind:<12}{entry['matched']:>6,} of {entry['rows']:>6,}  {_pct(entry['rate'])}")
    typer.echo(f"approval process of matched rows: {report['approval_process']}")
    typer.echo(f"written to {csv_path}; report: {report_path}")


@import_app.command("peers")
def peers_command(
    bundle: Annotated[Path, typer.Argument(help="Peer bodies' publication records (.jsonl or .jsonl.gz)")],
    raw: RawDirOpt,
) -> None:
    """Write peer_publications/peers.parquet (3GPP, ETSI, W3C, ISO, IEEE); every record is written or reported."""
    from pipelines.importers.dataset import mark_domain
    from pipelines.importers.peers import OUTPUT_FILE, TABLE, import_peers, write_peers

    try:
        result = import_peers(bundle)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"sgpulse import peers failed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    path, report_path = write_peers(result, raw)
    domain = mark_domain(raw, TABLE, OUTPUT_FILE)
    report = result.report
    typer.echo(f"read {report['read']:,} records from {bundle} in {report['seconds']:.1f} s")
    typer.echo(f"written  {report['written']:>7,}  -> {path}")
    for sdo, body in report["bodies"].items():
        reasons = ", ".join(f"{code} {n:,}" for code, n in body["reported"].items()) or "none"
        typer.echo(
            f"  {sdo:<5} read {body['read']:>7,}  written {body['written']:>7,}  "
            f"({body['committees']:,} committees, {body['documents']:,} documents; "
            f"{body['first_date']} to {body['last_date']}); reported: {reasons}"
        )
    typer.echo(f"reported {report['reported']:>7,}")
    for code, entry in report["reported_by_reason"].items():
        typer.echo(f"  {code:<16}{entry['records']:>7,}  e.g. {entry['example_reason']}")
    transpositions = report["etsi_transpositions"]
    if transpositions:
        typer.echo(
            "ETSI transpositions of 3GPP specifications (reported, counted at 3GPP): "
            + ", ".join(f"{k} {n:,}" for k, n in transpositions.items())
        )
    typer.echo(f"report: {report_path}")
    typer.echo(f"DATASET.yaml: {TABLE}: {domain}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"
