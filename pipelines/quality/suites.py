"""The reviewed expectation suites of the GX project (expectations/gx/), read as JSON without importing GX."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
GX_DIR = EXPECTATIONS_DIR / "gx"
SUITES_DIR = GX_DIR / "expectations"


def suite_path(name: str, suites_dir: Path = SUITES_DIR) -> Path:
    """'staging.attendance' -> <suites>/staging/attendance.json (the GX store's layout)."""
    schema, _, table = name.partition(".")
    return suites_dir / schema / f"{table}.json"


def read_suites(suites_dir: Path = SUITES_DIR) -> dict[str, dict]:
    """Every suite by name ('schema.table', which is also the asset it guards)."""
    suites = {}
    for path in sorted(suites_dir.glob("*/*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        suites[suite["name"]] = suite
    return suites


@cache
def suites() -> dict[str, dict]:
    """The project's suites (read once per process)."""
    return read_suites()
