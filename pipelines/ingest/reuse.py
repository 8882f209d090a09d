"""Incremental ingest: reuse the previous warehouse's staging and quarantine rows of raw files unchanged since.

The build starts as a copy of the published warehouse (pipelines.warehouse.start_build); the ingest keeps
its staging and quarantine tables and drops the rest, which the later steps build again. A table is kept as
it was when none of its files changed, extended with its new files when those only add batches that sort
after every earlier one (file order decides which duplicate is the first copy), and read in full otherwise.
The result must equal a full ingest of the same raw files; the rules below are what makes that hold
(tests/ingest/test_ingest_reuse.py checks it table by table):

- the previous warehouse must come from the same ingest code, library versions and pseudonymisation key;
- a table that refers to another (a foreign key, or the list of known SGs) is read in full when rows it
  could refer to disappeared, or when new ones could match one of its quarantined rows: a foreign key that
  failed before may hold now, and only a full check puts that row (and any duplicate of it) where it belongs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb

from .policy import CONFIG as POLICY_FILE
from .policy import personal as about_people
from .tables import TABLE_NAMES, TABLES, TableSpec
from .validate import _foreign_key_case, _q, reference_digest_sql

PRIVACY_MODULE = Path(__file__).resolve().parents[1] / "privacy.py"
# What a staged row depends on besides its own file: the readers (pyarrow, calamine, openpyxl) and DuckDB's casts.
LIBRARIES = ("duckdb", "pyarrow", "python-calamine", "openpyxl")
# Values row checks compare with ($known_sgs): the table and column they come from.
KNOWN = {"known_sgs": ("study_groups", "sg")}


# Tables other tables' rows are checked against.
REFERENCED = frozenset(
    {fk.table for spec in TABLES for fk in spec.foreign_keys} | {t for t, _ in KNOWN.values()}
)


def known_values(conn: duckdb.DuckDBPyConnection, name: str, relation: str = "") -> list[str]:
    """The values of `$name`, from the staging table they come from (or `relation`, a copy of it)."""
    table, column = KNOWN[name]
    query = f"select distinct {_q(column)} from {relation or 'staging.' + _q(table)} order by 1"
    return [r[0] for r in conn.execute(query).fetchall()]


def ingest_fingerprint(key: bytes) -> str:
    """Changes whenever the same raw file could give different staging rows: ingest code, libraries, key,
    the study-group configuration."""
    digest = hashlib.sha256()
    # The ingest's code, the masking of reasons, and the policy (allow-lists, plausible dates).
    for path in [*sorted(Path(__file__).parent.glob("*.py")), PRIVACY_MODULE, POLICY_FILE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    # Which SG existed when decides what is quarantined (validate.sg_existence_relation).
    from pipelines.lineage import lineage_digest

    digest.update(f"study_groups.yaml={lineage_digest()}\n".encode())
    # The plausible dates end on 31 December of a year after the run's: the same all year long.
    digest.update(f"run year {dt.date.today().year}\n".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    # An HMAC of a constant: equal keys give equal fingerprints, and the key cannot be recovered from it.
    digest.update(hmac.new(key, b"sgpulse ingest fingerprint", hashlib.sha256).digest())
    return digest.hexdigest()


@dataclass
class Plan:
    """What to do with one table: keep its previous rows, append new files to them, or rebuild it."""

    mode: str  # keep | append | full (or absent: an optional table without files, see load.py)
    why: str = ""
    new_files: list[str] = field(default_factory=list)  # relative paths, for `append`


def plan_files(table: str, current: dict[str, str], previous: dict[str, str]) -> Plan:
    """Compare one table's files (relative path -> sha256) now and in the previous warehouse."""
    old = {rel: sha for rel, sha in previous.items() if rel.split("/", 1)[0] == table}
    now = {rel: sha for rel, sha in current.items() if rel.split("/", 1)[0] == table}
    removed = sorted(old.keys() - now.keys())
    if removed:
        return Plan("full", f"{removed[0]} is gone")
    changed = sorted(rel for rel in old if now[rel] != old[rel])
    if changed:
        return Plan("full", f"{changed[0]} changed")
    added = sorted(now.keys() - old.keys())
    if not added:
        return Plan("keep", f"{len(old)} unchanged file{'s' if len(old) != 1 else ''}")
    if not old:  # an optional table that had no file before
        return Plan("full", "no file before")
    # Compared as DuckDB compares source_file (UTF-8 bytes), which is the order duplicates are ranked in.
    last = max(old, key=lambda rel: rel.encode())
    if added[0].encode() <= last.encode():
        return Plan("full", f"new file {added[0]} sorts before {last}")
    return Plan("append", f"{len(added)} new file{'s' if len(added) != 1 else ''}", added)


class PreviousIngest:
    """The previous warehouse's ingest tables, in the build file (a copy of the published warehouse)."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        files: dict[str, str],
        columns_dropped: dict[str, list[str]] | None = None,
        salt: str = "",
    ):
        self.conn, self.files, self.salt = conn, files, salt
        # Per table, the columns the previous ingest dropped from files it keeps (they are not read again).
        self.columns_dropped = columns_dropped or {}
        self.outcome: dict[str, str] = {}  # table -> keep | append | full, as decided
        self.snapshots: set[str] = set()  # tables whose previous rows are kept in a temp table for comparison

    @classmethod
    def open(
        cls, conn: duckdb.DuckDBPyConnection, fingerprint: str, salt: str = ""
    ) -> tuple[PreviousIngest | None, str]:
        """The previous ingest found in the build, or None (and an emptied build) with the reason why not.

        Everything but the ingest's own tables is dropped: the steps after the ingest build it again, and a
        table that the current code no longer builds must not linger.
        """
        tables = set(
            conn.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        )
        ingest_tables = {(schema, name) for name in TABLE_NAMES for schema in ("staging", "quarantine")}
        why = ""
        if not tables:
            why = "no previous warehouse"
        elif ("meta", "ingest_state") not in tables or ("meta", "raw_files") not in tables:
            why = "previous warehouse predates incremental ingest"
        elif not ingest_tables <= tables:
            why = "previous warehouse lacks staging or quarantine tables"
        elif conn.execute("select distinct fingerprint from meta.ingest_state").fetchall() != [
            (fingerprint,)
        ]:
            why = "ingest code, libraries or pseudonymisation key changed since the previous warehouse"
        files = {} if why else dict(conn.execute("select source_file, sha256 from meta.raw_files").fetchall())
        dropped = {} if why else _columns_dropped(conn)
        _drop_all_but(conn, set() if why else ingest_tables | {("staging", "organisation_names")})
        return (None, why) if why else (cls(conn, files, dropped, salt), "")

    def plan(self, spec: TableSpec, current: dict[str, str]) -> Plan:
        """The file-level plan, then the dependency rules (see the module docstring)."""
        plan = plan_files(spec.name, current, self.files)
        if plan.mode != "full":
            why = self._dependency_change(spec)
            if why:
                plan = Plan("full", why)
        self.outcome[spec.name] = plan.mode
        if plan.mode != "keep" and spec.name in REFERENCED:
            # Tables that others refer to are small (study groups, countries, meetings, members).
            self.conn.execute(
                f"create temp table {_previous(spec.name)} as select * from staging.{_q(spec.name)}"
            )
            self.snapshots.add(spec.name)
        if plan.mode == "full":
            for schema in ("staging", "quarantine"):
                self.conn.execute(f"drop table {schema}.{_q(spec.name)}")
        return plan

    def _dependency_change(self, spec: TableSpec) -> str:
        conn = self.conn
        for fk in spec.foreign_keys:
            if self.outcome.get(fk.table) == "keep":
                continue
            refs = ", ".join(_q(c) for c in fk.ref_columns)
            before = f"select distinct {refs} from {_previous(fk.table)}"
            now = f"select distinct {refs} from staging.{_q(fk.table)}"
            if conn.execute(f"select exists({before} except {now})").fetchall()[0][0]:
                return f"{fk.table} lost rows it may refer to"
            if about_people(spec):
                # Its quarantine keeps an unmatched reference only as a keyed digest (validate.py).
                reason = _foreign_key_case(fk, 0, quote=False)[1]
                on = (
                    f"q.reference_digest = {reference_digest_sql(f'a.{_q(fk.ref_columns[0])}', self.salt)}"
                    if len(fk.columns) == 1
                    else "true"
                )
                if conn.execute(
                    f"select exists(select 1 from quarantine.{_q(spec.name)} q semi join ({now} except {before}) "
                    f"a on q.reason = {reason} and {on})"
                ).fetchall()[0][0]:
                    return f"new {fk.table} rows match rows it had quarantined"
                continue
            # Quarantine keeps the raw text of converted columns: compared case-blind, so a match errs on
            # the side of rebuilding.
            on = " and ".join(
                f"lower(trim(q.{_q(c)}::varchar)) = lower(a.{_q(r)}::varchar)"
                for c, r in zip(fk.columns, fk.ref_columns, strict=True)
            )
            matched = conn.execute(
                f"select exists(select 1 from quarantine.{_q(spec.name)} q semi join ({now} except {before}) a "
                f"on {on})"
            ).fetchall()[0][0]
            if matched:
                return f"new {fk.table} rows match rows it had quarantined"
        for name, (table, _) in KNOWN.items():
            uses = any(f"${name}" in check.bad or f"${name}" in check.reason for check in spec.row_checks)
            if uses and self.outcome.get(table) != "keep":
                if known_values(conn, name, _previous(table)) != known_values(conn, name):
                    return f"{name} changed"
        return ""

    def close(self) -> None:
        """Drop the snapshots of referenced tables."""
        for table in self.snapshots:
            self.conn.execute(f"drop table if exists {_previous(table)}")


def _columns_dropped(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """meta.ingest_report.columns_dropped of the previous warehouse, by table."""
    if not conn.execute(
        "select count(*) from duckdb_columns() where database_name = current_database() and schema_name = 'meta' "
        "and table_name = 'ingest_report' and column_name = 'columns_dropped'"
    ).fetchall()[0][0]:
        return {}
    return {
        table: list(columns or [])
        for table, columns in conn.execute(
            "select table_name, columns_dropped from meta.ingest_report"
        ).fetchall()
    }


def _previous(table: str) -> str:
    return _q(f"_previous_{table}")


def _drop_all_but(conn: duckdb.DuckDBPyConnection, keep: set[tuple[str, str]]) -> None:
    """Empty the build but for the (schema, table) pairs in `keep`."""
    for schema, name, kind in conn.execute(
        "select schema_name, view_name, 'view' from duckdb_views() where database_name = current_database() "
        "and not internal union all "
        "select schema_name, table_name, 'table' from duckdb_tables() where database_name = current_database()"
    ).fetchall():
        if (schema, name) not in keep:
            conn.execute(f"drop {kind} if exists {_q(schema)}.{_q(name)} cascade")
    schemas = {schema for schema, _ in keep} | {"main"}
    for (schema,) in conn.execute(
        "select schema_name from duckdb_schemas() where database_name = current_database() and not internal"
    ).fetchall():
        if schema not in schemas:
            conn.execute(f"drop schema if exists {_q(schema)} cascade")
