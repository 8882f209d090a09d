"""What the refresh tests compare: a folder's published files, and what a run left behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

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
