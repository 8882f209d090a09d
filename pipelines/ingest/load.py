"""Ingest a raw directory into the staging and quarantine schemas of a DuckDB warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from .errors import RawDataError
from .normalise import normalise_org_name
from .policy import ingest_policy
from .pseudonymise import Pseudonymiser
from .readers import discover_files, not_read, read_batch, unknown_root_entries
from .reuse import KNOWN, Plan, PreviousIngest, ingest_fingerprint, known_values
from .tables import DOMAIN_TABLES, TABLE_NAMES, TABLES, TableSpec
from .validate import TableStager, _q, reference_salt


@dataclass
class TableReport:
    table: str
    files: int
    rows_read: int
    rows_staged: int
    rows_quarantined: int
    # Columns of a table about people that are not in the contract or its allow-list: dropped as read.
    columns_dropped: list[str] = field(default_factory=list)
    # (path, why) of what the table's folder holds besides its batches: named, never read.
    not_read: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class IngestReport:
    tables: list[TableReport] = field(default_factory=list)
    raw_sha256: str = ""
    dataset: dict = field(default_factory=dict)
    # Per table, whether its previous rows were kept, extended or rebuilt, and why (incremental ingest).
    plans: dict[str, Plan] = field(default_factory=dict)
    reuse_note: str = ""  # why nothing could be reused, when nothing could
    absent: list[str] = field(default_factory=list)  # optional tables without any file
    # (path, why) of entries of the raw directory's top level that are no table folder.
    root_not_read: list[tuple[str, str]] = field(default_factory=list)

    def not_read(self) -> list[tuple[str, str, str]]:
        """(table or '', path, why) of everything in the raw directory that was not read."""
        return [("", path, why) for path, why in self.root_not_read] + [
            (t.table, path, why) for t in self.tables for path, why in t.not_read
        ]

    @property
    def synthetic(self) -> bool:
        return bool(self.dataset.get("synthetic"))

    def table(self, name: str) -> TableReport:
        return next(t for t in self.tables if t.table == name)


def table_files(raw_dir: Path, spec: TableSpec) -> list[Path]:
    """The batches of one table; a table without any file stops the run, unless it is optional."""
    files = discover_files(raw_dir, spec.name)
    if not files and not spec.optional:
        raise RawDataError(f"{spec.name}/", "no CSV, XLSX or Parquet file for this table")
    return files


ABSENT_WHY = "no file: an optional table"


def absent_table(conn: duckdb.DuckDBPyConnection, spec: TableSpec) -> TableReport:
    """Empty staging and quarantine tables for an optional table without files (same columns and types)."""
    for schema in ("staging", "quarantine"):
        conn.execute(f"drop table if exists {schema}.{_q(spec.name)}")
    names = [c.name for c in spec.columns]
    empty = pa.table(
        {
            **{name: pa.array([], pa.string()) for name in names},
            "source_file": pa.array([], pa.string()),
            "source_row": pa.array([], pa.int64()),
        }
    )
    stager = TableStager(conn, spec, {})
    conn.register("_batch", empty)
    try:
        stager.add("_batch", empty.column_names)
    finally:
        conn.unregister("_batch")
    stager.finish()
    return TableReport(spec.name, 0, 0, 0, 0)


def read_checked_batch(
    path: Path, raw_dir: Path, spec: TableSpec, dropped: set[str] | None = None
) -> pa.Table:
    """One batch as text; a missing required column stops the run, naming the file.

    A table about people keeps only the contract's columns and its allow-list (pipelines/config/ingest.yaml):
    the others are dropped here, before anything is stored, and added to `dropped`.
    """
    batch = read_batch(path, raw_dir)
    allowed = ingest_policy().allowed_columns(spec)
    if allowed is not None:
        extra = [c for c in batch.column_names if c not in allowed and c not in ("source_file", "source_row")]
        if extra:
            batch = batch.drop_columns(extra)
            if dropped is not None:
                dropped.update(extra)
    missing = [c for c in spec.required if c not in batch.column_names]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        noun = "column" if len(missing) == 1 else "columns"
        raise RawDataError(path.relative_to(raw_dir).as_posix(), f"required {noun} {names} missing")
    return batch


def read_table(raw_dir: Path, spec: TableSpec) -> tuple[pa.Table, int]:
    """Union of one table's batches as text, in memory (for small tables and tests)."""
    files = table_files(raw_dir, spec)
    batches = [read_checked_batch(path, raw_dir, spec) for path in files]
    return pa.concat_tables(batches, promote_options="default"), len(files)


def stage_table(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    spec: TableSpec,
    key: bytes,
    known: dict[str, list[str]],
    new_files: list[Path] | None = None,
    windows: dict | None = None,
    dropped_before: list[str] | None = None,
    salt: str = "",
) -> TableReport:
    """Read, check and stage one table's batches, one file at a time.

    With `new_files`, only those are read and appended to the table's staging and quarantine rows already in
    the build (an incremental ingest); otherwise every file of the table is.
    The next file is read (and attendance pseudonymised, before it reaches the warehouse) in a second
    thread while DuckDB checks the current one: at most two batches are in Python memory at a time.
    """
    from concurrent.futures import ThreadPoolExecutor

    all_files = table_files(raw_dir, spec)
    files = all_files if new_files is None else new_files
    stager = TableStager(conn, spec, known, resume=new_files is not None, windows=windows, salt=salt)
    rows = sum(stager.counts())
    pseudonymise = Pseudonymiser(key) if spec.name == "attendance" else None
    dropped = set(dropped_before or [])

    def prepare(path: Path) -> pa.Table:
        batch = read_checked_batch(path, raw_dir, spec, dropped)
        return pseudonymise(batch) if pseudonymise else batch

    try:
        with ThreadPoolExecutor(1, thread_name_prefix="sgpulse-read") as reader:
            upcoming = reader.submit(prepare, files[0])
            for i in range(len(files)):
                batch = upcoming.result()
                if i + 1 < len(files):
                    upcoming = reader.submit(prepare, files[i + 1])
                conn.register("_batch", batch)
                try:
                    stager.add("_batch", batch.column_names)
                finally:
                    conn.unregister("_batch")
                rows += batch.num_rows
                del batch
    finally:
        if pseudonymise:
            pseudonymise.close()
    staged, quarantined = stager.finish()
    if staged + quarantined != rows:  # the contract: nothing vanishes
        raise AssertionError(f"{spec.name}: read {rows}, staged {staged} + quarantined {quarantined}")
    return TableReport(
        spec.name, len(all_files), rows, staged, quarantined, sorted(dropped), not_read(raw_dir, spec.name)
    )


def kept_table(
    conn: duckdb.DuckDBPyConnection, raw_dir: Path, spec: TableSpec, dropped_before: list[str] | None = None
) -> TableReport:
    """A table whose files are all unchanged since the previous warehouse: its rows are in the build already."""
    staged, quarantined = TableStager(conn, spec, {}, resume=True).counts()
    return TableReport(
        spec.name,
        len(table_files(raw_dir, spec)),
        staged + quarantined,
        staged,
        quarantined,
        sorted(dropped_before or []),
        not_read(raw_dir, spec.name),
    )


def hash_raw_files(raw_dir: Path) -> tuple[str, list[tuple[str, str, int]]]:
    """SHA-256 of every raw batch and of the whole set: the provenance of a refresh."""
    files = []
    overall = hashlib.sha256()
    for spec in TABLES:
        for path in discover_files(raw_dir, spec.name):
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            rel = path.relative_to(raw_dir).as_posix()
            files.append((rel, digest.hexdigest(), path.stat().st_size))
            overall.update(f"{rel}\0{digest.hexdigest()}\n".encode())
    return overall.hexdigest(), files


def read_dataset_description(raw_dir: Path) -> dict:
    """DATASET.yaml at the raw root says what the data is (e.g. the synthetic sample); optional.

    `domains:` says per raw table whether it is real, synthetic or mixed (default: the top-level `synthetic`);
    `coverage:` gives per data domain the window an importer declared ({from, to, source}), which stands for
    the domain's coverage instead of its rows' dates (docs/importers.md).
    """
    path = raw_dir / "DATASET.yaml"
    if not path.exists():
        data = {}
    else:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise RawDataError("DATASET.yaml", f"not readable YAML ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise RawDataError("DATASET.yaml", "must be a mapping")
    synthetic = bool(data.get("synthetic", False))
    name = str(data.get("name", raw_dir.name))
    seed = data.get("seed")
    return {
        "name": name,
        "synthetic": synthetic,
        "notice": str(data.get("notice", "")),
        "domains": _domains(data.get("domains"), synthetic),
        "coverage": _coverage(data.get("coverage")),
        # Where the data come from, unless a domain's coverage names its own source.
        "source": f"{name} seed {seed}" if seed is not None else name,
    }


DOMAIN_KINDS = ("real", "synthetic", "mixed")


def _domains(declared, synthetic: bool) -> dict[str, str]:
    """Per table: real, synthetic or mixed; `domains:` in DATASET.yaml overrides the top-level `synthetic`."""
    if declared is None:
        declared = {}
    if not isinstance(declared, dict):
        raise RawDataError("DATASET.yaml", "domains must be a mapping of table -> real/synthetic")
    for table, kind in declared.items():
        if table not in TABLE_NAMES:
            raise RawDataError("DATASET.yaml", f"domains: '{table}' is not a raw table")
        if kind not in DOMAIN_KINDS:
            raise RawDataError(
                "DATASET.yaml", f"domains: {table} is '{kind}', not one of: {', '.join(DOMAIN_KINDS)}"
            )
    default = "synthetic" if synthetic else "real"
    return {table: declared.get(table, default) for table in TABLE_NAMES}


def _coverage(declared) -> dict[str, dict]:
    """`coverage:` -> {domain: {"from": date | None, "to": date | None, "source": str}}, validated."""
    if declared is None:
        return {}
    if not isinstance(declared, dict):
        raise RawDataError("DATASET.yaml", "coverage must be a mapping of domain -> {from, to, source}")
    out = {}
    for domain, window in declared.items():
        if domain not in DOMAIN_TABLES:
            raise RawDataError(
                "DATASET.yaml", f"coverage: '{domain}' is not a data domain ({', '.join(DOMAIN_TABLES)})"
            )
        if not isinstance(window, dict) or set(window) - {"from", "to", "source"}:
            raise RawDataError("DATASET.yaml", f"coverage: {domain} must be a mapping of from, to, source")
        days = {}
        for end in ("from", "to"):
            value = window.get(end)
            try:
                days[end] = None if value in (None, "") else dt.date.fromisoformat(str(value))
            except ValueError:
                raise RawDataError(
                    "DATASET.yaml", f"coverage: {domain}.{end} '{value}' is not a date (YYYY-MM-DD)"
                ) from None
        if days["from"] and days["to"] and days["to"] < days["from"]:
            raise RawDataError("DATASET.yaml", f"coverage: {domain} ends before it starts")
        out[domain] = {**days, "source": str(window.get("source") or "")}
    return out


def dataset_rows(dataset: dict) -> list[tuple]:
    """meta.dataset: one row per data domain with its label (real only when every table of it is real), its
    source and the window an importer declared."""
    rows = []
    for domain, tables in DOMAIN_TABLES.items():
        if not all(t in dataset["domains"] for t in tables):
            continue  # an optional table without files: no data, so no domain to label
        kinds = {dataset["domains"][t] for t in tables}
        label = "real" if kinds == {"real"} else "synthetic"
        declared = dataset["coverage"].get(domain, {})
        source = declared.get("source") or dataset["source"]
        if "mixed" in kinds or (label == "synthetic" and "real" in kinds):
            source += " (real and synthetic rows)"
        rows.append((domain, label, source, declared.get("from"), declared.get("to"), ", ".join(tables)))
    return rows


def _organisation_names(conn: duckdb.DuckDBPyConnection, reuse: bool = False) -> None:
    """staging.organisation_names: every organisation-like string seen, with its normalised form.

    `reuse`: the previous ingest's table is still in the build; its names keep their normalised form (the
    same ingest code made it) and only names new since are normalised.
    """
    reused = "left join staging.organisation_names p using (name)" if reuse else ""
    names = conn.execute(
        f"""
        select n.name, {"p.name_normalised" if reuse else "null"} from (
            select distinct name from (
                select organisation as name from staging.attendance
                union all select unnest(sources) from staging.contributions
                union all select name from staging.members
                union all select alias from staging.org_aliases
                union all select name from staging.countries
                union all select iso3 from staging.countries
            ) where name is not null
        ) n {reused}
        """
    ).fetchall()
    table = pa.table(
        {
            "name": pa.array([n for n, _ in names], pa.string()),
            "name_normalised": pa.array(
                [known if known is not None else normalise_org_name(n) for n, known in names], pa.string()
            ),
        }
    )
    conn.register("_organisation_names", table)
    conn.execute(
        "create or replace table staging.organisation_names as "
        "select * from _organisation_names order by name"
    )
    conn.unregister("_organisation_names")


def ingest(raw_dir: Path, conn: duckdb.DuckDBPyConnection, key: bytes, reuse: bool = False) -> IngestReport:
    """Read, validate and stage all ten raw tables, one table at a time; file-level problems raise RawDataError.

    The connection is a build file: a RawDataError part-way leaves it half-built, and the caller discards
    it, so the published warehouse is never touched. With `reuse`, the build starts as a copy of the
    published warehouse, and the rows of raw files unchanged since are kept rather than read again
    (see reuse.py); without it, the build starts empty.
    """
    raw_dir = Path(raw_dir)
    if raw_dir.exists() and not raw_dir.is_dir():
        raise RawDataError(str(raw_dir), "the raw directory is a file, not a folder")
    if not raw_dir.is_dir():
        raise RawDataError(str(raw_dir), "raw directory not found")
    policy = ingest_policy()
    today = dt.date.today()
    dataset = read_dataset_description(raw_dir)
    # Every table needs at least one file: say so before the long tables are read.
    for spec in TABLES:
        table_files(raw_dir, spec)
    raw_sha256, files = hash_raw_files(raw_dir)
    fingerprint = ingest_fingerprint(key)
    salt = reference_salt(key)

    report = IngestReport(raw_sha256=raw_sha256, dataset=dataset)
    report.root_not_read = unknown_root_entries(raw_dir, TABLE_NAMES)
    previous, report.reuse_note = (
        PreviousIngest.open(conn, fingerprint, salt)
        if reuse
        else (None, "reuse of the previous warehouse not asked for")
    )
    for schema in ("staging", "quarantine", "meta"):
        conn.execute(f"create schema if not exists {schema}")
    current = {rel: sha for rel, sha, _ in files}
    known: dict[str, list[str]] = {}
    try:
        for spec in TABLES:
            if spec.optional and not discover_files(raw_dir, spec.name):
                report.tables.append(absent_table(conn, spec))
                report.tables[-1].not_read = not_read(raw_dir, spec.name)
                report.plans[spec.name] = Plan("absent", ABSENT_WHY)
                report.absent.append(spec.name)
                continue
            plan = previous.plan(spec, current) if previous else Plan("full", report.reuse_note)
            # Columns the previous ingest dropped from the files it keeps (not read again now).
            dropped_before = (
                previous.columns_dropped.get(spec.name, []) if previous and plan.mode != "full" else []
            )
            if plan.mode == "keep":
                report.tables.append(kept_table(conn, raw_dir, spec, dropped_before))
            else:
                new_files = [raw_dir / rel for rel in plan.new_files] if plan.mode == "append" else None
                windows = policy.date_windows(spec, today)
                report.tables.append(
                    stage_table(conn, raw_dir, spec, key, known, new_files, windows, dropped_before, salt)
                )
            report.plans[spec.name] = plan
            known.update(
                {name: known_values(conn, name) for name, (table, _) in KNOWN.items() if table == spec.name}
            )
    finally:
        if previous:
            previous.close()
    # An absent table is neither real nor synthetic: it is not part of the dataset's description.
    report.dataset["domains"] = {t: k for t, k in report.dataset["domains"].items() if t not in report.absent}
    _organisation_names(conn, reuse=previous is not None)
    _write_meta(conn, report, files, fingerprint)
    return report


def _write_meta(
    conn: duckdb.DuckDBPyConnection, report: IngestReport, files: list[tuple[str, str, int]], fingerprint: str
) -> None:
    # How each table was staged this time, and the fingerprint the next refresh compares (reuse.py).
    conn.execute(
        "create or replace table meta.ingest_state (table_name varchar, ingest varchar, reason varchar, "
        "fingerprint varchar)"
    )
    conn.executemany(
        "insert into meta.ingest_state values (?, ?, ?, ?)",
        [
            (t.table, report.plans[t.table].mode, report.plans[t.table].why, fingerprint)
            for t in report.tables
        ],
    )
    conn.execute(
        "create or replace table meta.ingest_report (table_name varchar, files integer, rows_read bigint, "
        "rows_staged bigint, rows_quarantined bigint, columns_dropped varchar[], files_not_read integer)"
    )
    conn.executemany(
        "insert into meta.ingest_report values (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                t.table,
                t.files,
                t.rows_read,
                t.rows_staged,
                t.rows_quarantined,
                t.columns_dropped,
                len(t.not_read),
            )
            for t in report.tables
        ],
    )
    # Everything in the raw directory that was not read, and why: nothing is skipped in silence.
    conn.execute(
        "create or replace table meta.raw_not_read (table_name varchar, path varchar, reason varchar)"
    )
    if report.not_read():
        conn.executemany(
            "insert into meta.raw_not_read values (nullif(?, ''), ?, ?)", [list(r) for r in report.not_read()]
        )
    conn.execute("create or replace table meta.raw_files (source_file varchar, sha256 varchar, bytes bigint)")
    if files:
        conn.executemany("insert into meta.raw_files values (?, ?, ?)", files)
    # One row per data domain (the KPI contract), with what describes the whole dataset repeated on each.
    conn.execute(
        "create or replace table meta.dataset (domain varchar, source_label varchar, source varchar, "
        "declared_from date, declared_to date, tables varchar, name varchar, synthetic boolean, notice varchar, "
        "raw_sha256 varchar, domains varchar)"
    )
    dataset = report.dataset
    conn.executemany(
        "insert into meta.dataset values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                *row,
                dataset["name"],
                report.synthetic,
                dataset["notice"],
                report.raw_sha256,
                json.dumps(dataset["domains"]),
            )
            for row in dataset_rows(dataset)
        ],
    )
    _write_lineage(conn)


def _write_lineage(conn: duckdb.DuckDBPyConnection) -> None:
    """meta.study_periods, meta.sg_existence, meta.sg_lineage: the study-group configuration the ingest checked
    rows against (config/study_groups.yaml), for the marts and readers."""
    from pipelines.lineage import lineage

    config = lineage()
    conn.execute(
        "create or replace table meta.study_periods (study_period varchar, starts date, ends date, "
        "config_version varchar)"
    )
    conn.executemany(
        "insert into meta.study_periods values (?, ?, ?, ?)",
        [(*row, config.version) for row in config.period_rows()],
    )
    conn.execute(
        "create or replace table meta.sg_existence (sg varchar, exists_from date, exists_until date, "
        "successor varchar, config_version varchar)"
    )
    conn.executemany(
        "insert into meta.sg_existence values (?, ?, ?, ?, ?)",
        [(*row, config.version) for row in config.existence_rows()],
    )
    conn.execute(
        "create or replace table meta.sg_lineage (sg varchar, predecessor varchar, effective_date date, "
        "config_version varchar)"
    )
    rows = [(*row, config.version) for row in config.lineage_rows()]
    if rows:
        conn.executemany("insert into meta.sg_lineage values (?, ?, ?, ?)", rows)


__all__ = ["IngestReport", "TableReport", "ingest"]
