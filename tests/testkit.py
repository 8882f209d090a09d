"""Helpers for tests (import them from here, not from conftest: sub-folders have conftest modules of their own)."""

from __future__ import annotations

from pathlib import Path

import duckdb

TESTS = Path(__file__).parent
# ../shared beside the checkout (contracts, real data); tests that need it skip where it is absent.
SHARED = TESTS.parent.parent / "shared"
REAL_DATA = SHARED / "real-data"


def complete_dataset(first: str, last: str, name: str = "test fixture") -> str:
    """DATASET.yaml of a hand-made fixture: every data domain declared covered from `first` to `last`.

    A small fixture has a meeting or two a year; from its rows alone the coverage would make most of its years
    partial (marts.year_coverage). Its data are complete for the years it stands for, so it says so.
    """
    from pipelines.ingest.tables import DOMAIN_TABLES

    lines = [f"name: {name}", "coverage:"]
    lines += [f"  {domain}: {{from: {first}, to: {last}}}" for domain in DOMAIN_TABLES]
    return "\n".join(lines) + "\n"


def build_warehouse(
    raw_dir: Path, conn: duckdb.DuckDBPyConnection | None = None
) -> duckdb.DuckDBPyConnection:
    """Ingest and build every SQL model and Python mart without Dagster (fast, for unit tests)."""
    # Imported here so that importing testkit stays cheap for tests that never build a warehouse.
    from pipelines.analytics.consultation import build_consultation_sg_year
    from pipelines.analytics.enablers import build_enabler_year
    from pipelines.analytics.landscape import build_sg_landscape
    from pipelines.analytics.overlap import build_sg_overlap
    from pipelines.analytics.regions import build_region_kpi_vs_target
    from pipelines.analytics.relevance import build_sg_relevance
    from pipelines.analytics.results_framework import build_results_framework
    from pipelines.analytics.review import build_strategic_review
    from pipelines.analytics.risks import build_sg_risks
    from pipelines.analytics.scope_kpis import build_sg_year_kpis_lineage
    from pipelines.analytics.targets import build_kpi_vs_target, load_framework
    from pipelines.catalogue import catalogue
    from pipelines.ingest.load import ingest
    from pipelines.questionnaire import questionnaire
    from pipelines.sql_models import build_all

    conn = conn or duckdb.connect()
    ingest(raw_dir, conn, b"unit-test-key-0123456789abcdef01")
    build_all(conn)
    framework = load_framework()
    build_sg_year_kpis_lineage(conn)
    build_kpi_vs_target(conn, framework, catalogue())
    build_results_framework(conn, framework, catalogue())
    build_enabler_year(conn, catalogue())
    build_consultation_sg_year(conn, questionnaire())
    build_region_kpi_vs_target(conn, framework, catalogue())
    build_sg_landscape(conn, exclude=tuple(framework.relevance.exclude))  # empty without peer_publications
    build_sg_relevance(conn, framework)
    build_sg_overlap(conn, exclude=tuple(framework.relevance.exclude))
    build_sg_risks(conn, framework)
    build_strategic_review(conn, framework, catalogue())
    return conn


def framework_file(tmp_path: Path, mutate) -> Path:
    """The shipped results framework changed by `mutate(data)`, written to a file in tmp_path."""
    import yaml

    from pipelines.analytics.targets import FRAMEWORK_FILE

    data = yaml.safe_load(FRAMEWORK_FILE.read_text())
    mutate(data)
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (from /proc, Linux), children of children included."""
    import os

    parents = {}
    for stat in os.scandir("/proc"):
        if stat.name.isdigit():
            try:
                with open(f"/proc/{stat.name}/stat") as fh:
                    parents[int(stat.name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive_processes(pids: set[int]) -> set[int]:
    """The processes of `pids` still running (zombies count as gone)."""
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            continue
    return alive
