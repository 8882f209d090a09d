"""Fixtures of the refresh tests: one published warehouse and briefs per session, made by a real `sgpulse refresh`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [p for p in (str(TESTS), str(TESTS / "ingest")) if p not in sys.path]

from ingest_helpers import refresh_env  # noqa: E402
from refresh_helpers import Home  # noqa: E402
from small_raw import write_small_raw  # noqa: E402


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
