"""What the ingest accepts beyond the raw-data contract: the columns tables about people may keep, and the
window of plausible dates (pipelines/config/ingest.yaml, validated when loaded)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return IngestPolicy.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read ({type(exc).__name__})") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"{path}: {problems}") from None


def personal(spec: TableSpec) -> bool:
    """A table with personal columns: its quarantine keeps no raw text and its reasons quote no value."""
    return any(c.personal for c in spec.columns)
