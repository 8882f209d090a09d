"""A small API for analysts (notebooks, scripts): read-only access to the published warehouse and its KPIs.

    from pipelines import explore
    explore.kpis("SG17", years=range(2020, 2025))      # marts.sg_year_kpis ("sg17" works too)
    explore.kpis("sector")                              # marts.sector_year_kpis
    explore.compare(["SG13", "SG17", "sector"], "participants")
    explore.catalogue()                                 # what every KPI means
    explore.data_dictionary()                           # what every column of the marts means
    explore.simulate_merge(["SG13", "SG20"], 2024)      # a merger, recomputed from the facts
    with explore.connect() as conn:                     # anything else, in SQL
        conn.sql("select * from marts.kpi_vs_target").df()

Every function that reads the warehouse takes an optional connection as its last argument, `conn=`
(default: a fresh read-only `connect()`). Study groups are accepted in any case (`sg17`, `Tsag`); a name the
warehouse does not know raises a ValueError listing those it does.

The warehouse is `Settings.resolve().warehouse` (`SGPULSE_WAREHOUSE`, else `data/marts/warehouse.duckdb`; when
that relative default is not found from the current directory, e.g. in a kernel started in `notebooks/`, the
project's own `data/marts/warehouse.duckdb`). Numbers come from the marts as published: nothing here
recomputes a KPI.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from pipelines.analytics import scenarios
from pipelines.analytics.scenarios import ScenarioResult
from pipelines.formatting.names import canonical_sg
from pipelines.formatting.ordering import sg_sort_key
from pipelines.settings import DEFAULT_WAREHOUSE, WAREHOUSE_ENV, Settings

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECTOR = "sector"
# The warehouse's catalog name inside an explore connection (`use`d, so `marts.x` means `warehouse.marts.x`).
ALIAS = "warehouse"

__all__ = [
    "connect",
    "warehouse_path",
    "kpis",
    "catalogue",
    "data_dictionary",
    "compare",
    "simulate_merge",
    "simulate_split",
    "study_groups",
    "dataset_label",
    "coverage",
    "SECTOR",
]


def warehouse_path(warehouse: str | Path | None = None) -> Path:
    """The published warehouse file an explore connection reads (argument > SGPULSE_WAREHOUSE > default)."""
    path = Settings.resolve(warehouse=warehouse).warehouse
    if warehouse is None and not os.environ.get(WAREHOUSE_ENV) and not path.exists():
        path = PROJECT_ROOT / DEFAULT_WAREHOUSE
    return path


def connect(warehouse: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse: nothing done through it can change the file.

    The file is attached to a private in-memory database rather than opened with `duckdb.connect(path)`:
    DuckDB caches open databases per path within a process, so a second `connect(path)` after a refresh
    would silently return the previous file. Here every call sees the file published at that moment, and
    a connection opened earlier keeps reading the file it opened (a refresh renames a new file into place).
    Scratch tables can still be created as `create temp table ...`.
    """
    path = warehouse_path(warehouse)
    if not path.exists():
        raise FileNotFoundError(
            f"no warehouse at {path}: run `sgpulse refresh` first or set {WAREHOUSE_ENV} to a warehouse file"
        )
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{_quote(path)}' as {ALIAS} (read_only)")
        conn.execute(f"use {ALIAS}")
    except Exception:
        conn.close()
        raise
    return conn


def kpis(
    sg: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    conn: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """KPIs per (sg, year) from marts.sg_year_kpis; `sg="sector"` gives marts.sector_year_kpis (per year)."""
    year_list = _as_list(years)
    sg_list = None if sg is None else [canonical_sg(s) for s in _as_list(sg)]
    if sg_list == [SECTOR]:
        sql, params = "select * from marts.sector_year_kpis", []
        if year_list is not None:
            sql += " where list_contains(?, year)"
            params.append(year_list)

        def sector(c: duckdb.DuckDBPyConnection) -> pd.DataFrame:
            _check_years(c, year_list)
            return c.execute(sql + " order by year", params).df()

        return _with_connection(conn, sector)
    clauses, params = [], []
    if sg_list is not None:
        clauses.append("list_contains(?, sg)")
        params.append(sg_list)
    if year_list is not None:
        clauses.append("list_contains(?, year)")
        params.append(year_list)
    where = f" where {' and '.join(clauses)}" if clauses else ""
    sql = f"select * from marts.sg_year_kpis{where} order by sg, year"

    def run(c: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        _check_sgs(c, sg_list or [])
        _check_years(c, year_list)
        return c.execute(sql, params).df()

    return _with_connection(conn, run)


def study_groups(conn: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """The study groups the warehouse knows (core.dim_study_group, every study period), in SG order."""
    rows = _with_connection(
        conn, lambda c: c.execute("select distinct sg from core.dim_study_group").fetchall()
    )
    return sorted((r[0] for r in rows), key=sg_sort_key)


def dataset_label(conn: duckdb.DuckDBPyConnection | None = None):
    """How the data must be labelled (pipelines.coverage.DatasetLabel): `.banner` is the line every output
    carries (SAMPLE DATA — synthetic, or MIXED DATA — real: ...; synthetic: ...), `.labels` real or synthetic
    per domain."""
    from pipelines.coverage import dataset_label as label

    return _with_connection(conn, label)


def coverage(conn: duckdb.DuckDBPyConnection | None = None):
    """What the data cover (pipelines.coverage.DataCoverage): `.available_years()`, `.partial_years(domain)`,
    `.mask_partial(frame)` (partial years blanked, for trends) and `.coverage_line()`."""
    from pipelines.coverage import load_coverage

    return _with_connection(conn, load_coverage)


def _check_years(conn: duckdb.DuckDBPyConnection, years: list[int] | None) -> None:
    """A ValueError naming the years the data cover when a year asked for is not one of them."""
    from pipelines.coverage import load_coverage, year_ranges

    if not years:
        return
    available = load_coverage(conn).available_years()
    outside = sorted({int(y) for y in years} - set(available))
    if outside:
        raise ValueError(f"no data for {year_ranges(outside)}: the data cover {year_ranges(available)}")


def _check_sgs(conn: duckdb.DuckDBPyConnection, sgs: Iterable[str]) -> None:
    known = study_groups(conn)
    unknown = [sg for sg in sgs if sg not in known]
    if unknown:
        names = ", ".join(repr(sg) for sg in unknown)
        raise ValueError(
            f"unknown study group {names}: the warehouse knows {', '.join(known)} (and '{SECTOR}' for kpis)"
        )


def data_dictionary(
    schemas: str | Iterable[str] = "marts", conn: duckdb.DuckDBPyConnection | None = None
) -> pd.DataFrame:
    """Every column of the warehouse's tables in `schemas`: type, definition, unit, what builds it."""
    from pipelines.dictionary import data_dictionary as columns

    return _with_connection(conn, lambda c: columns(c, tuple(_as_list(schemas))))


def catalogue() -> pd.DataFrame:
    """The KPI catalogue (pipelines/config/kpi_catalogue.yaml): id, column, name, definition, unit..."""
    from pipelines.catalogue import catalogue as load

    rows = [{**k.model_dump(exclude={"column"}), "column": k.column_name} for k in load().kpis]
    columns = ["id", "column", "name", "definition", "unit", "direction", "rbm_level", "marts"]
    return pd.DataFrame(rows, columns=columns)


def compare(
    sgs: str | Iterable[str],
    kpi: str,
    years: int | Iterable[int] | None = None,
    conn: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """One KPI side by side: index year, one column per SG (and "sector" if asked), values from the marts."""
    from pipelines.catalogue import catalogue as load

    column = load().get(kpi).column_name  # KeyError naming the KPI when it is not in the catalogue
    wanted = [canonical_sg(sg) for sg in _as_list(sgs) or []]
    frames = []
    for sg in wanted:
        frame = kpis(sg, years, conn=conn)
        if column not in frame.columns:
            mart = "sector_year_kpis" if sg == SECTOR else "sg_year_kpis"
            raise KeyError(f"KPI '{kpi}' is not a column of marts.{mart}")
        frames.append(frame.assign(sg=sg)[["year", "sg", column]])
    if not frames:
        return pd.DataFrame()
    wide = pd.concat(frames).pivot(index="year", columns="sg", values=column)
    wide = wide.reindex(columns=[sg for sg in wanted if sg in wide.columns])
    wide.columns.name = kpi
    return wide


def simulate_merge(
    sgs: Iterable[str],
    year: int | None = None,
    name: str | None = None,
    conn: duckdb.DuckDBPyConnection | None = None,
) -> ScenarioResult:
    """The SGs merged into one as they would have looked in `year` (default: the latest year the meetings
    cover in full; a year the data do not cover raises a ValueError naming the years they do)."""
    if isinstance(sgs, duckdb.DuckDBPyConnection):  # the old order (conn, sgs, year, name)
        _old_order("simulate_merge", "simulate_merge(sgs, year, name, conn=conn)")
        conn, sgs, year, name = sgs, year, name, conn
    wanted = [canonical_sg(sg) for sg in _as_list(sgs)]

    def run(c: duckdb.DuckDBPyConnection) -> ScenarioResult:
        _check_sgs(c, wanted)
        return scenarios.simulate_merge(c, wanted, year or _latest_year(c), name)

    return _with_connection(conn, run)


def simulate_split(
    sg: str,
    questions: Iterable[str],
    year: int | None = None,
    name: str | None = None,
    conn: duckdb.DuckDBPyConnection | None = None,
) -> ScenarioResult:
    """Questions of `sg` moved to a new SG, as it would have looked in `year` (default: the latest full year)."""
    if isinstance(sg, duckdb.DuckDBPyConnection):  # the old order (conn, sg, questions, year, name)
        _old_order("simulate_split", "simulate_split(sg, questions, year, name, conn=conn)")
        conn, sg, questions, year, name = sg, questions, year, name, conn
    sg = canonical_sg(sg)
    moved = [q.strip().upper() for q in _as_list(questions)]

    def run(c: duckdb.DuckDBPyConnection) -> ScenarioResult:
        _check_sgs(c, [sg])
        return scenarios.simulate_split(c, sg, moved, year or _latest_year(c), name)

    return _with_connection(conn, run)


def _old_order(function: str, new: str) -> None:
    warnings.warn(
        f"explore.{function}(conn, ...) is the old argument order: use explore.{new}",
        FutureWarning,
        stacklevel=3,
    )


def _latest_year(conn: duckdb.DuckDBPyConnection) -> int:
    """The latest year the meetings cover in full (what briefs and `sgpulse scenario` default to)."""
    from pipelines.coverage import load_coverage

    return load_coverage(conn).default_year()


def _with_connection(
    conn: duckdb.DuckDBPyConnection | None, use: Callable[[duckdb.DuckDBPyConnection], T]
) -> T:
    """`use` on the caller's connection, or on a read-only one opened (and closed) for it."""
    if conn is not None:
        return use(conn)
    with connect() as own:
        return use(own)


def _query(sql: str, params: list, conn: duckdb.DuckDBPyConnection | None) -> pd.DataFrame:
    return _with_connection(conn, lambda c: c.execute(sql, params).df())


def _as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
