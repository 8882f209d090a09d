"""The atomic warehouse: builds go to `<warehouse>.next`, discarded on failure, renamed over on success."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
from ingest_helpers import rows, sha256

import pipelines.warehouse as warehouse_module
from pipelines.warehouse import build_path, discard_build, ensure_build, open_build, publish, start_build


def make_db(path: Path, value: str) -> None:
    """A small sgpulse warehouse (meta.publication marks it as one: a refresh replaces nothing else)."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create or replace table t as select ? as v", [value])
        conn.execute("create schema if not exists meta")
        conn.execute("create or replace table meta.publication as select 'test' as run_id")


def read_value(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:
        return rows(conn, "select v from t")[0][0]


def test_build_path_is_beside_the_warehouse(tmp_path):
    assert build_path(tmp_path / "marts" / "warehouse.duckdb") == tmp_path / "marts" / "warehouse.duckdb.next"


def test_start_build_discards_a_stale_build_and_creates_the_folder(tmp_path):
    warehouse = tmp_path / "new" / "warehouse.duckdb"
    assert start_build(warehouse) == build_path(warehouse)
    assert warehouse.parent.is_dir()
    make_db(build_path(warehouse), "stale")
    Path(str(build_path(warehouse)) + ".wal").write_bytes(b"stale wal")
    path = start_build(warehouse)
    assert not path.exists()
    assert not Path(str(path) + ".wal").exists()


def test_discard_build_leaves_the_published_file(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "published")
    before = sha256(warehouse)
    make_db(build_path(warehouse), "half built")
    discard_build(warehouse)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]
    assert sha256(warehouse) == before
    discard_build(warehouse)  # nothing to discard is fine


def test_publish_replaces_the_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "old")
    old_inode = warehouse.stat().st_ino
    make_db(start_build(warehouse), "new")
    assert read_value(warehouse) == "old"  # readers see the old file until publish
    assert publish(warehouse) == warehouse
    assert read_value(warehouse) == "new"
    assert warehouse.stat().st_ino != old_inode  # renamed over, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_publish_without_previous_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(start_build(warehouse), "first")
    publish(warehouse)
    assert read_value(warehouse) == "first"
    assert not build_path(warehouse).exists()


def test_reader_of_the_old_file_keeps_working_during_publish(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "old")
    make_db(start_build(warehouse), "new")
    with open(warehouse, "rb") as held:  # an open handle on the published file
        before = held.read()
        publish(warehouse)
        held.seek(0)
        assert held.read() == before
    assert read_value(warehouse) == "new"


def test_ensure_build_continues_from_the_published_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "published")
    path = ensure_build(warehouse)
    assert path == build_path(warehouse)
    assert read_value(path) == "published"
    make_db(path, "in progress")
    assert read_value(ensure_build(warehouse)) == "in progress"  # an existing build is not overwritten
    assert read_value(warehouse) == "published"


def test_ensure_build_without_published_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    assert ensure_build(warehouse) == build_path(warehouse)
    assert not build_path(warehouse).exists()
    assert not os.path.exists(warehouse)


def test_the_build_stays_open_between_steps_and_is_closed_before_publish(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "old")
    path = str(start_build(warehouse))
    config = {"memory_limit": "1GB"}
    # Two steps: the second sees the first one's table, through the same open database.
    with open_build(path, config) as step:
        step.execute("create table t as select 'new' as v")
    with open_build(path, config) as step:
        assert rows(step, "select v from t") == [("new",)]
    assert path in warehouse_module._open_builds
    publish(warehouse)
    assert path not in warehouse_module._open_builds
    # Closed: another process, or a reader here, may open the published file read-only.
    assert read_value(warehouse) == "new"


def test_discarding_a_build_closes_it_first(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    path = str(start_build(warehouse))
    with open_build(path, {}) as step:
        step.execute("create table t as select 1 as v")
    discard_build(warehouse)
    assert path not in warehouse_module._open_builds
    assert not Path(path).exists()


def test_a_build_abandoned_before_publish_is_not_published(tmp_path, monkeypatch):
    """A refresh stopped by SIGTERM goes on in its run thread until the process exits; its publish step must
    not connect to the removed build (which creates an empty database) and rename that over the warehouse."""
    import pytest

    monkeypatch.setattr(warehouse_module, "_abandoned", set())
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "published")
    before = sha256(warehouse)
    make_db(start_build(warehouse), "half built")
    warehouse_module.abandon_build(warehouse)
    with pytest.raises(warehouse_module.BuildAbandoned):
        publish(warehouse, "stopped-run")
    assert sha256(warehouse) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_publish_without_a_build_creates_and_publishes_nothing(tmp_path):
    import pytest

    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "published")
    before = sha256(warehouse)
    with pytest.raises(FileNotFoundError, match="no build to publish"):
        publish(warehouse, "run")
    assert sha256(warehouse) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_a_build_abandoned_while_it_is_published_is_either_published_whole_or_not_at_all(
    tmp_path, monkeypatch
):
    """The signal's thread removes the build while the run's thread records the publication: the rename is
    refused (not a half-written or recreated file), and the published warehouse is the previous one."""
    import pytest

    monkeypatch.setattr(warehouse_module, "_abandoned", set())
    warehouse = tmp_path / "warehouse.duckdb"
    make_db(warehouse, "published")
    before = sha256(warehouse)
    make_db(start_build(warehouse), "whole build")
    real = warehouse_module.record_publication

    def stopped_meanwhile(conn, run_id):
        real(conn, run_id)
        warehouse_module.abandon_build(warehouse)  # as the SIGTERM handler does, from another thread

    monkeypatch.setattr(warehouse_module, "record_publication", stopped_meanwhile)
    with pytest.raises(warehouse_module.BuildAbandoned):
        publish(warehouse, "stopped-run")
    assert sha256(warehouse) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]
