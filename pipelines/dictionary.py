"""The data dictionary: what every warehouse table and column is, each from one source.

- A table built by a SQL model is described by the first comment line of its .sql file; the tables built in
  Python (Python marts, staging, quarantine, meta) by config/data_dictionary.yaml or, for the ten raw
  tables' staging and quarantine copies, by the raw-data contract's table names.
- A KPI column is defined by the KPI catalogue (config/kpi_catalogue.yaml) in the marts that list it; every
  other column of `core` and `marts` by config/data_dictionary.yaml (`schema.table.column`, else the name).
- Column types come from the warehouse itself.

Read by the Dagster definitions (descriptions, owners, column schemas), notebook 01 and `sgpulse export`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict

DICTIONARY_FILE = Path(__file__).parent / "config" / "data_dictionary.yaml"
# The schemas whose every column must be defined (what `sgpulse export` publishes).
DEFINED_SCHEMAS = ("marts", "core")
COLUMNS = ["schema", "table", "column", "type", "definition", "unit", "source", "defined_in"]


class TableEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str
    built_by: str


class DictionaryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    owners: dict[str, list[str]]
    tables: dict[str, TableEntry]
    columns: dict[str, str]


@cache
def dictionary_config(path: Path = DICTIONARY_FILE) -> DictionaryConfig:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return DictionaryConfig.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


@cache
def tables() -> dict[str, tuple[str, str]]:
    """Every table the pipeline writes, by "schema.table": (description, what builds it and from what)."""
    from pipelines.ingest.tables import TABLES
    from pipelines.sql_models import SQL_DIR, load_models

    found: dict[str, tuple[str, str]] = {}

    def add(name: str, description: str, source: str) -> None:
        if name in found:
            raise ValueError(f"{name} is described twice (a SQL model and {DICTIONARY_FILE.name}): keep one")
        found[name] = (description, source)

    for spec in TABLES:
        raw = f"raw {spec.name} (data/raw/{spec.name}/*.csv|xlsx|parquet), by pipelines/ingest"
        add(
            f"staging.{spec.name}",
            f"Typed, valid rows of raw {spec.name}, with source_file and source_row.",
            raw,
        )
        add(
            f"quarantine.{spec.name}",
            f"Rejected rows of raw {spec.name}, as text, each with a specific reason.",
            raw,
        )
    for model in load_models():
        reads = ", ".join(".".join(ref) for ref in model.references)
        path = Path(SQL_DIR.name) / model.schema / f"{model.name}.sql"
        add(".".join(model.key), model.description, f"pipelines/{path.as_posix()} from {reads}")
    for name, entry in dictionary_config().tables.items():
        add(name, entry.description, entry.built_by)
    return found


def table_description(name: str) -> str | None:
    """What the table "schema.table" is, or None for a table the pipeline does not write."""
    entry = tables().get(name)
    return entry[0] if entry else None


def owners(group: str | None) -> list[str]:
    """The owners of a Dagster asset group (team:<name> or e-mail), from config/data_dictionary.yaml."""
    return list(dictionary_config().owners.get(group or "", []))


@cache
def _kpi_columns() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(mart, column) -> (definition, unit, KPI id) for every KPI column the catalogue places in a mart."""
    from pipelines.catalogue import catalogue

    found = {}
    for kpi in catalogue().kpis:
        for mart in kpi.marts:
            found.setdefault((mart, kpi.column_name), (kpi.definition, kpi.unit, kpi.id))
    return found


def column_definition(table: str, column: str) -> tuple[str | None, str | None, str | None]:
    """(definition, unit, where it is defined) of `column` of the table "schema.table"; Nones if undefined."""
    schema, _, name = table.partition(".")
    if schema == "marts" and (name, column) in _kpi_columns():
        definition, unit, kpi = _kpi_columns()[(name, column)]
        return definition, unit, f"KPI catalogue ({kpi})"
    entries = dictionary_config().columns
    for key in (f"{table}.{column}", column):
        if key in entries:
            return entries[key], None, f"{DICTIONARY_FILE.name} ({key})"
    return None, None, None


def data_dictionary(
    conn: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = ("marts",), only: list[str] | None = None
) -> pd.DataFrame:
    """One row per column of the warehouse tables in `schemas` (or the "schema.table" names `only`)."""
    rows = conn.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and list_contains(?, table_schema) "
        "order by table_schema, table_name, ordinal_position",
        [list(schemas)],
    ).fetchall()
    out = []
    for schema, table, column, data_type in rows:
        name = f"{schema}.{table}"
        if only is not None and name not in only:
            continue
        definition, unit, defined_in = column_definition(name, column)
        source = tables().get(name, (None, None))[1]
        out.append([schema, table, column, data_type, definition, unit, source, defined_in])
    return pd.DataFrame(out, columns=COLUMNS)
