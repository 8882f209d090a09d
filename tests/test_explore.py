"""pipelines.explore: read-only, reads the marts as published, and keeps working while a refresh publishes."""

from __future__ import annotations

import shutil
import threading

import duckdb
import pytest
from small_raw import SMALL_RAW, write_small_raw

from pipelines import explore
from pipelines.refresh import run_refresh
from pipelines.settings import Settings

EXTRA_MEETING = "SG17-2024-2,SG17,WP,2024-10-01,2024-10-02,,,virtual\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A warehouse published by a real refresh of the small raw directory."""
    root = tmp_path_factory.mktemp("explore")
    settings = Settings.resolve(write_small_raw(root / "raw"), root / "wh.duckdb", root / "out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SGPULSE_PSEUDONYM_KEY", "test-key-for-sgpulse-tests-0001")
        assert run_refresh(settings).success
    return settings


@pytest.fixture
def warehouse_env(published, monkeypatch):
    monkeypatch.setenv("SGPULSE_WAREHOUSE", str(published.warehouse))
    return published.warehouse


def test_kpis_are_the_mart_rows(warehouse_env):
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        mart = conn.sql(
            "select * from marts.sg_year_kpis where sg = 'SG17' and year in (2023, 2024) order by year"
        ).df()
        sector = conn.sql("select * from marts.sector_year_kpis order by year").df()
    got = explore.kpis("SG17", years=[2023, 2024])
    assert got.equals(mart)
    assert explore.kpis("sector").equals(sector)
    assert set(explore.kpis(["SG17", "SG21"])["sg"]) == {"SG17", "SG21"}
    assert explore.kpis(years=2023)["year"].unique().tolist() == [2023]


def test_compare_is_year_by_sg_from_the_marts(warehouse_env):
    wide = explore.compare(["SG21", "SG17", "sector"], "participants")
    assert list(wide.columns) == ["SG21", "SG17", "sector"]
    assert wide.loc[2023, "SG17"] == explore.kpis("SG17", 2023)["participants"].item()
    assert wide.loc[2023, "sector"] == explore.kpis("sector", 2023)["participants"].item()
    with pytest.raises(KeyError, match="no_such_kpi"):
        explore.compare(["SG17"], "no_such_kpi")


def test_study_groups_in_any_case_and_unknown_ones_named(warehouse_env):
    assert explore.kpis("sg17").equals(explore.kpis("SG17")) and len(explore.kpis("SG17")) > 0
    assert explore.kpis(["Sg17", "sg21"]).equals(explore.kpis(["SG17", "SG21"]))
    assert explore.kpis("Sector").equals(explore.kpis("sector"))
    assert list(explore.compare(["sg17", "SECTOR"], "participants").columns) == ["SG17", "sector"]
    assert "SG17" in explore.study_groups() and explore.study_groups()[-1] == "TSAG"
    for call in (lambda: explore.kpis("SG99"), lambda: explore.compare(["SG17", "sg99"], "participants")):
        with pytest.raises(ValueError, match=r"unknown study group 'SG99'.*SG17"):
            call()


def test_scenarios_take_the_connection_last_and_the_old_order_still_works(warehouse_env):
    new = explore.simulate_split("sg17", ["q4/17"], 2024)
    assert list(new.table["kind"]) == ["actual", "after split", "after split"]
    with explore.connect() as conn:
        assert explore.simulate_split("SG17", ["Q4/17"], 2024, conn=conn).table.equals(new.table)
        with pytest.warns(FutureWarning, match="old argument order"):
            assert explore.simulate_split(conn, "SG17", ["Q4/17"], 2024).table.equals(new.table)
        # The small warehouse has one SG a year: the old order reaches the scenario's own check.
        with pytest.warns(FutureWarning), pytest.raises(ValueError, match="SG9 did not exist in 2024"):
            explore.simulate_merge(conn, ["sg17", "sg9"], 2024)
    with pytest.raises(ValueError, match="unknown study group 'SG99'"):
        explore.simulate_merge(["SG17", "SG99"], 2024)


def test_catalogue_lists_every_kpi_once():
    frame = explore.catalogue()
    assert frame["id"].is_unique and {"participants", "hhi", "remote_share"} <= set(frame["id"])
    assert {"definition", "unit", "direction", "column"} <= set(frame.columns)


def test_connection_cannot_change_the_warehouse(warehouse_env):
    before = warehouse_env.read_bytes()
    with explore.connect() as conn:
        for statement in (
            "drop table marts.sg_year_kpis",
            "create table marts.x as select 1",
            "delete from marts.sg_year_kpis",
        ):
            with pytest.raises(duckdb.Error, match="read-only"):
                conn.execute(statement)
        conn.execute("create temp table scratch as select 1 as x")  # scratch space stays possible
    assert warehouse_env.read_bytes() == before


def test_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="sgpulse refresh"):
        explore.connect(tmp_path / "none.duckdb")


def test_an_open_connection_keeps_reading_while_a_refresh_publishes(published, tmp_path, monkeypatch):
    raw = write_small_raw(tmp_path / "raw")
    settings = Settings.resolve(raw, tmp_path / "wh.duckdb", tmp_path / "out")
    shutil.copyfile(published.warehouse, settings.warehouse)  # what a refresh of this raw dir publishes
    monkeypatch.setenv("SGPULSE_WAREHOUSE", str(settings.warehouse))
    query = "select meetings from marts.sg_year_kpis where sg = 'SG17' and year = 2024"
    old = explore.connect()
    assert old.sql(query).fetchall() == [(1,)]

    # The next export adds a meeting; refresh in the background while the old connection keeps reading.
    write_small_raw(raw, {"meetings": SMALL_RAW["meetings"] + EXTRA_MEETING})
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(result=run_refresh(settings)))
    worker.start()
    reads = 0
    while worker.is_alive():
        assert old.sql(query).fetchall() == [(1,)]
        reads += 1
        worker.join(0.05)
    assert outcome["result"].success and reads > 0

    assert old.sql(query).fetchall() == [(1,)]  # still the file it opened
    with explore.connect() as new:  # a new connection sees the published file, even in this same process
        assert new.sql(query).fetchall() == [(2,)]
    old.close()
