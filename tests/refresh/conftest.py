"""Fixtures of the refresh tests: one published warehouse and briefs per session, made by a real `sgpulse refresh`."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [p for p in (str(TESTS), str(TESTS / "ingest")) if p not in sys.path]

from ingest_helpers import refresh_env, start_refresh  # noqa: E402
from small_raw import write_small_raw  # noqa: E402


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


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Home:
    """A good refresh of the small raw directory: the 'previous' warehouse and briefs the tests start from."""
    root = tmp_path_factory.mktemp("baseline")
    home = Home(
        root,
        write_small_raw(root / "raw"),
        root / "marts" / "warehouse.duckdb",
        root / "briefs",
        refresh_env(root, key_file=root / "keys" / "pseudonym.key"),
    )
    run = home.refresh().wait()
    assert run.returncode == 0, f"the baseline refresh failed: {run.stderr[-2000:]}"
    return home


def copy_home(baseline: Home, root: Path) -> Home:
    """A copy of the baseline's raw directory, warehouse and outputs, refreshed with the same key."""
    raw = shutil.copytree(baseline.raw, root / "raw")
    warehouse = root / "marts" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(baseline.warehouse, warehouse)
    out = root / "briefs"
    shutil.copytree(baseline.out, out)
    return Home(root, Path(raw), warehouse, out, baseline.env)
