"""Where the pipeline reads and writes: raw directory, warehouse file and output folder (flags > env > defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

RAW_ENV, WAREHOUSE_ENV, OUT_ENV = "SGPULSE_RAW_DIR", "SGPULSE_WAREHOUSE", "SGPULSE_OUT_DIR"
DEFAULT_RAW, DEFAULT_WAREHOUSE, DEFAULT_OUT = "data/raw", "data/marts/warehouse.duckdb", "data/marts/briefs"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    out_dir: Path

    @classmethod
    def resolve(cls, raw_dir=None, warehouse=None, out_dir=None) -> Settings:
        """A flag wins over the environment variable, which wins over the default."""
        return cls(
            raw_dir=Path(raw_dir or os.environ.get(RAW_ENV) or DEFAULT_RAW).absolute(),
            warehouse=Path(warehouse or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).absolute(),
            out_dir=Path(out_dir or os.environ.get(OUT_ENV) or DEFAULT_OUT).absolute(),
        )
