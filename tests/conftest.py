"""Shared test fixtures: a pseudonymisation key that never touches the real key file, and small warehouses."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))

from small_raw import write_small_raw  # noqa: E402
from testkit import build_warehouse  # noqa: E402


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch, tmp_path_factory):
    """Tests never create or read the developer's own key file."""
    monkeypatch.setenv("SGPULSE_PSEUDONYM_KEY", "test-key-for-sgpulse-tests-0001")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    raw = write_small_raw(tmp_path_factory.mktemp("small") / "raw")
    return build_warehouse(raw)


@pytest.fixture(scope="session")
def small_warehouse_file(small_warehouse, tmp_path_factory) -> Path:
    """The small warehouse as a file, as `sgpulse refresh` would have published it (tests may not change it)."""
    path = tmp_path_factory.mktemp("published") / "warehouse.duckdb"
    small_warehouse.execute(f"attach '{path}' as published")
    try:
        small_warehouse.execute("copy from database memory to published")
    finally:
        small_warehouse.execute("detach published")
    return path
