"""Refresh when export batches land in the raw directory, so the marts follow the data within minutes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg

from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.schedules import starts_running
from pipelines.ingest.load import hash_raw_files
from pipelines.lock import busy

SENSOR_STATUS_ENV = "SGPULSE_SENSOR_STATUS"


def raw_changes(seen: dict[str, str], current: dict[str, str]) -> dict[str, list[str]]:
    """Files added, changed (different content) and removed between two {relative path: sha256} maps."""
    return {
        "added": sorted(current.keys() - seen.keys()),
        "changed": sorted(p for p in current.keys() & seen.keys() if current[p] != seen[p]),
        "removed": sorted(seen.keys() - current.keys()),
    }


def read_cursor(cursor: str | None) -> dict[str, str]:
    """The content hashes seen at the last evaluation ({} before the first one or if unreadable)."""
    try:
        seen = json.loads(cursor) if cursor else {}
    except json.JSONDecodeError:
        return {}
    return seen if isinstance(seen, dict) else {}


# Stopped by default: switching it on is an operator's decision for a deployment whose raw directory is the
# real export drop. Its first evaluation sees every file as new and starts one refresh; after that only
# content changes count (a touched but identical file does not). SGPULSE_SENSOR_STATUS=running starts it on
# (`make dev` sets it: on a laptop the raw directory is the developer's own).
@dg.sensor(
    name="raw_files_sensor",
    job_name="refresh",
    minimum_interval_seconds=60,
    default_status=(
        dg.DefaultSensorStatus.RUNNING
        if starts_running(os.environ, SENSOR_STATUS_ENV, "stopped")
        else dg.DefaultSensorStatus.STOPPED
    ),
    description="Start a refresh when export batches in the raw directory are added, changed or removed.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext, paths: SgpulsePaths) -> dg.SensorResult:
    # While a refresh holds the warehouse (the CLI's, say), start nothing and keep the cursor: the changes
    # are seen again at the next evaluation after it has finished.
    held = busy(Path(paths.warehouse))
    if held is not None:
        return dg.SensorResult(skip_reason=f"not now: {held}", cursor=context.cursor)
    # The files and hashes a refresh records in meta.raw_files (DATASET.yaml and dot-files are not batches).
    _, files = hash_raw_files(Path(paths.raw_dir))
    current = {rel: sha256 for rel, sha256, _ in files}
    changes = raw_changes(read_cursor(context.cursor), current)
    cursor = json.dumps(current, sort_keys=True)
    if not current:
        return dg.SensorResult(skip_reason=f"no export batches in {paths.raw_dir}", cursor=cursor)
    if not any(changes.values()):
        return dg.SensorResult(skip_reason="raw files unchanged", cursor=cursor)
    summary = ", ".join(f"{len(v)} {k}" for k, v in changes.items() if v)
    context.log.info(f"raw directory changed: {summary}: {sum(changes.values(), [])[:10]}")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(tags={"sgpulse/trigger": "raw files changed", "sgpulse/raw_changes": summary})
        ],
        cursor=cursor,
    )
