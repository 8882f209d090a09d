"""What the ingest accepts beyond the raw-data contract: the columns tables about people may keep, and the
window of plausible dates (pipelines/config/ingest.yaml, validated when loaded)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipelines.validated_yaml import load_model

from .tables import TABLES_BY_NAME, TableSpec

CONFIG = Path(__file__).resolve().parents[1] / "config" / "ingest.yaml"


class ColumnWindow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    earliest: dt.date | None = None
    years_ahead: int | None = Field(None, ge=0, le=100)


class PlausibleDates(BaseModel):
    model_config = ConfigDict(extra="forbid")

    earliest: dt.date
    years_ahead: int = Field(ge=0, le=100)
    columns: dict[str, ColumnWindow] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _date_columns(self) -> PlausibleDates:
        for name in self.columns:
            table, _, column = name.partition(".")
            spec = TABLES_BY_NAME.get(table)
            if spec is None or column not in {c.name for c in spec.columns if c.kind == "date"}:
                raise ValueError(f"plausible_dates.columns: {name} is not a date column of a raw table")
        return self


class IngestPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people_tables: dict[str, list[str]]
    plausible_dates: PlausibleDates

    @model_validator(mode="after")
    def _tables(self) -> IngestPolicy:
        for table in self.people_tables:
            if table not in TABLES_BY_NAME:
                raise ValueError(f"people_tables: {table} is not a raw table")
        return self

    def allowed_columns(self, spec: TableSpec) -> set[str] | None:
        """The columns a table about people keeps (the contract's and the allow-list), or None: any."""
        if spec.name not in self.people_tables:
            return None
        return {c.name for c in spec.columns} | set(self.people_tables[spec.name])

    def date_window(self, table: str, column: str, today: dt.date) -> tuple[dt.date, dt.date]:
        """(earliest, latest) plausible date of a date column, for a run on `today`."""
        rule = self.plausible_dates.columns.get(f"{table}.{column}", ColumnWindow())
        earliest = rule.earliest or self.plausible_dates.earliest
        ahead = self.plausible_dates.years_ahead if rule.years_ahead is None else rule.years_ahead
        return earliest, dt.date(today.year + ahead, 12, 31)

    def date_windows(self, spec: TableSpec, today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
        return {c.name: self.date_window(spec.name, c.name, today) for c in spec.columns if c.kind == "date"}


@functools.cache
def ingest_policy(path: Path = CONFIG) -> IngestPolicy:
    """The ingest policy; a ValueError naming the file and the key when it is wrong."""
    return load_model(path, IngestPolicy)


def personal(spec: TableSpec) -> bool:
    """A table with personal columns: its quarantine keeps no raw text and its reasons quote no value."""
    return any(c.personal for c in spec.columns)
