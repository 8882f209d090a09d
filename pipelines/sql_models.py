"""SQL models on disk: one file per table under sql/<schema>/, dependencies read from the SQL itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
# Built in this order; a model may read any schema before it and earlier models of its own schema.
SCHEMAS = ("intermediate", "core", "marts")
_REFERENCE = re.compile(r"\b(staging|quarantine|meta|intermediate|core|marts)\.([a-z_][a-z0-9_]*)\b")


@dataclass(frozen=True)
class SqlModel:
    schema: str
    name: str
    sql: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def description(self) -> str:
        """The first comment line of the file: what the table is."""
        first = self.sql.lstrip().splitlines()[0]
        return first.removeprefix("--").strip() if first.startswith("--") else f"{self.schema}.{self.name}"

    @property
    def references(self) -> list[tuple[str, str]]:
        refs = {m.groups() for m in _REFERENCE.finditer(self.sql)} - {self.key}
        return sorted(refs)


def load_models(sql_dir: Path = SQL_DIR) -> list[SqlModel]:
    models = []
    for schema in SCHEMAS:
        for path in sorted((sql_dir / schema).glob("*.sql")):
            models.append(SqlModel(schema, path.stem, path.read_text(encoding="utf-8")))
    return models


def build_model(conn: duckdb.DuckDBPyConnection, model: SqlModel) -> int:
    """(Re)create the model's table from its SQL; return its row count."""
    conn.execute(f"create schema if not exists {model.schema}")
    conn.execute(f"create or replace table {model.schema}.{model.name} as\n{model.sql}")
    return conn.execute(f"select count(*) from {model.schema}.{model.name}").fetchall()[0][0]


def build_all(conn: duckdb.DuckDBPyConnection, models: list[SqlModel] | None = None) -> dict[str, int]:
    """Build every model in dependency order (for tests and tools that run without Dagster)."""
    pending = {m.key: m for m in (models or load_models())}
    built: dict[str, int] = {}
    while pending:
        ready = [m for m in pending.values() if not any(r in pending for r in m.references)]
        if not ready:
            raise ValueError(f"circular references among SQL models: {sorted(pending)}")
        for model in ready:
            built[f"{model.schema}.{model.name}"] = build_model(conn, model)
            del pending[model.key]
    return built
