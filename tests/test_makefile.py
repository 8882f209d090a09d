"""What the Makefile's interactive targets run (dry runs: `make -n` prints the commands without running them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def dry_run(target: str, tmp_path: Path, uid: int | None = None, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SGPULSE_")} | env
    if uid is not None:  # a stand-in for `id` that reports this user id
        fake = tmp_path / "bin"
        fake.mkdir(exist_ok=True)
        (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n")
        (fake / "id").chmod(0o755)
        environ["PATH"] = f"{fake}{os.pathsep}{environ['PATH']}"
    result = subprocess.run(
        ["make", "-n", target], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_make_dev_runs_dg_dev_with_the_file_sensor_on(tmp_path):
    out = dry_run("dev", tmp_path)
    assert "SGPULSE_SENSOR_STATUS=running" in out and "/dg dev" in out and "dagster dev" not in out
    assert "SGPULSE_SENSOR_STATUS=stopped" in dry_run("dev", tmp_path, SGPULSE_SENSOR_STATUS="stopped")


@pytest.mark.parametrize(("status", "default"), [("running", "RUNNING"), ("stopped", "STOPPED")])
def test_the_sensor_starts_in_the_state_make_dev_asks_for(status, default):
    probe = "from pipelines.defs.sensors import raw_files_sensor as s; print(s.default_status.name)"
    env = {**os.environ, "SGPULSE_SENSOR_STATUS": status}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == default


def test_make_lab_allows_root_only_as_root(tmp_path):
    assert "--allow-root" in dry_run("lab", tmp_path, uid=0)
    assert "--allow-root" not in dry_run("lab", tmp_path, uid=1000)
