"""Fixtures of the ingest tests: one published warehouse per session, built by a real `sgpulse refresh`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

sys.path[:0] = [p for p in (str(Path(__file__).parent), str(Path(__file__).parents[1])) if p not in sys.path]

from ingest_helpers import PUBLISHED_OVERRIDES, Run, refresh_env, start_refresh  # noqa: E402
from small_raw import write_small_raw  # noqa: E402


@dataclass
class Published:
    """The shared published warehouse: a good refresh of the small raw directory plus resolution cases."""

    run: Run
    key_file: Path
    key_file_existed_before: bool
    home: Path

    @property
    def warehouse(self) -> Path:
        return self.run.warehouse

    def connect(self):
        return duckdb.connect(str(self.warehouse), read_only=True)


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    home = tmp_path_factory.mktemp("published")
    raw = write_small_raw(home / "raw", PUBLISHED_OVERRIDES)
    key_file = home / "keys" / "pseudonym.key"
    existed = key_file.exists()
    run = start_refresh(
        raw, home / "marts" / "warehouse.duckdb", home / "briefs", refresh_env(home, key_file)
    ).wait()
    assert run.returncode == 0, f"the good refresh failed: {run.stderr[-2000:]}"
    return Published(run, key_file, existed, home)
