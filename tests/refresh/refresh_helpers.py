"""What the refresh tests compare: a folder's published files, and what a run left behind."""

from __future__ import annotations

import hashlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [p for p in (str(TESTS), str(TESTS / "ingest")) if p not in sys.path]

from ingest_helpers import start_refresh  # noqa: E402

# Written by every run, failed or not: validation results and the alert log (records, not published outputs),
# and the chart render cache.
RUN_RECORDS = ("quality", ".cache")


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every published file under `folder` (briefs, charts, index, Data Docs), by relative path."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and rel.parts[0] not in RUN_RECORDS:
            digests[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def leftovers(folder: Path) -> list[str]:
    """Files and folders a finished run must not leave: builds, stages, locks, set-aside copies."""
    names = (".next", ".lock", ".stage-", ".old-", ".prev", ".wal", ".tmp")
    return sorted(p.name for p in folder.iterdir() if any(n in p.name for n in names))


@dataclass
class Home:
    """A raw directory, a warehouse and an output folder, and the environment to refresh them with."""

    root: Path
    raw: Path
    warehouse: Path
    out: Path
    env: dict[str, str]

    def refresh(self, *flags: str, warehouse: Path | None = None, out: Path | None = None):
        return start_refresh(self.raw, warehouse or self.warehouse, out or self.out, self.env, flags)


def copy_home(baseline: Home, root: Path) -> Home:
    """A copy of the baseline's raw directory, warehouse and outputs, refreshed with the same key."""
    raw = shutil.copytree(baseline.raw, root / "raw")
    warehouse = root / "marts" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(baseline.warehouse, warehouse)
    out = root / "briefs"
    shutil.copytree(baseline.out, out)
    return Home(root, Path(raw), warehouse, out, baseline.env)
