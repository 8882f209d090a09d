"""Incremental ingest: reusing the previous warehouse's rows must give exactly what a full ingest gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from ingest_helpers import TEST_KEY, rows
from small_raw import SMALL_RAW, write_small_raw

from pipelines.defs.ingest import ingest_raw
from pipelines.defs.resources import make_resources
from pipelines.ingest.load import IngestReport, ingest
from pipelines.ingest.reuse import plan_files
from pipelines.ingest.tables import TABLE_NAMES, TABLES
from pipelines.settings import Settings
from pipelines.warehouse import NotAWarehouse, publish, start_build

HEADER, *ATTENDANCE = SMALL_RAW["attendance"].strip().splitlines()
MEETINGS_HEADER = SMALL_RAW["meetings"].strip().splitlines()[0]
# A later meeting, and its attendance: a new person, a person seen before, a row repeated from an earlier
# batch (a later copy: quarantined, naming the first), and a row naming a meeting nobody knows.
NEW_MEETING = "SG17-2025-1,SG17,SG,2025-03-03,2025-03-07,Geneva,CHE,hybrid"
NEW_ATTENDANCE = [
    "SG17-2025-1,Gil Rowan,gil.rowan@alpha.example,Alpha Networks Ltd,USA,delegate,on-site,M",
    "SG17-2025-1,Ada Quill,ada.quill@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F",
    ATTENDANCE[0],
    "SG17-2031-9,Fay Tern,fay.tern@gamma.example,Gamma Labs,KEN,delegate,remote,F",
]


def write_base(raw: Path) -> Path:
    """The small raw directory, attendance in two batches."""
    write_small_raw(raw)
    (raw / "attendance" / "attendance.csv").unlink()
    for i, chunk in enumerate((ATTENDANCE[:5], ATTENDANCE[5:])):
        write_lines(raw / "attendance" / f"attendance-{i}.csv", HEADER, chunk)
    return raw


def write_lines(path: Path, header: str, lines: list[str]) -> None:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


def add_new_meeting(raw: Path) -> None:
    write_lines(raw / "meetings" / "meetings_2025.csv", MEETINGS_HEADER, [NEW_MEETING])
    write_lines(raw / "attendance" / "attendance-2.csv", HEADER, NEW_ATTENDANCE)


def build(raw: Path, path: Path, previous: Path | None = None, key: bytes = TEST_KEY) -> IngestReport:
    """Ingest into a new warehouse file at `path`: from a copy of `previous` when given, as a refresh does."""
    path.unlink(missing_ok=True)
    if previous and previous.exists():
        shutil.copyfile(previous, path)  # in the place of the published warehouse
    build_file = start_build(path, from_published=previous is not None)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(build_file)) as conn:
        report = ingest(raw, conn, key, reuse=previous is not None)
    publish(path)
    return report


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every ingest table's rows, in a canonical order (staging keeps no particular order)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = [f"{schema}.{name}" for name in TABLE_NAMES for schema in ("staging", "quarantine")]
        tables += ["staging.organisation_names", "meta.ingest_report", "meta.raw_files", "meta.dataset"]
        result = {}
        for table in tables:
            columns = [c[0] for c in conn.execute(f"select * from {table} limit 0").description]
            result[table] = (columns, rows(conn, f"select * from {table} order by all"))
        return result


def modes(report: IngestReport) -> dict[str, str]:
    """How each table was staged; the optional tables have no file here, so they are always absent."""
    optional = {t.name for t in TABLES if t.optional}
    assert {report.plans[name].mode for name in optional} == {"absent"}
    return {name: plan.mode for name, plan in report.plans.items() if name not in optional}


def test_an_optional_table_arriving_kept_and_removed(tmp_path):
    """Absent, then a file (read in full: none before), then unchanged (kept), then gone (absent, empty)."""
    raw = write_base(tmp_path / "raw")
    w = [tmp_path / f"w{i}.duckdb" for i in range(4)]
    assert build(raw, w[0]).plans["peer_publications"].mode == "absent"
    folder = raw / "peer_publications"
    folder.mkdir()
    (folder / "peers.csv").write_text(
        "sdo,publication_id,document,title,published_on,date_precision,committee,kind,source,source_commit\n"
        "ISO,ISO 1:2020,ISO 1,T,2020-01-01,day,ISO/TC 1,edition,relaton,abc\n",
        encoding="utf-8",
    )
    plan = build(raw, w[1], w[0]).plans["peer_publications"]
    assert (plan.mode, plan.why) == ("full", "no file before")
    assert build(raw, w[2], w[1]).plans["peer_publications"].mode == "keep"
    (folder / "peers.csv").unlink()
    assert build(raw, w[3], w[2]).plans["peer_publications"].mode == "absent"
    with duckdb.connect(str(w[3]), read_only=True) as conn:
        assert rows(conn, "select count(*) from staging.peer_publications") == [(0,)]


@pytest.fixture
def base(tmp_path) -> tuple[Path, Path]:
    """(raw directory, warehouse ingested from it in full)."""
    raw = write_base(tmp_path / "raw")
    warehouse = tmp_path / "previous.duckdb"
    report = build(raw, warehouse)
    assert set(modes(report).values()) == {"full"}
    assert report.reuse_note == "reuse of the previous warehouse not asked for"
    assert (
        build(raw, tmp_path / "first.duckdb", tmp_path / "missing.duckdb").reuse_note
        == "no previous warehouse"
    )
    return raw, warehouse


def assert_same_as_full(raw: Path, incremental: Path, tmp_path: Path, key: bytes = TEST_KEY) -> None:
    full = tmp_path / "full.duckdb"
    build(raw, full, key=key)
    expected, got = contents(full), contents(incremental)
    for table in expected:
        assert got[table] == expected[table], table


def test_unchanged_files_keep_every_table(base, tmp_path):
    raw, previous = base
    report = build(raw, tmp_path / "next.duckdb", previous)
    assert set(modes(report).values()) == {"keep"}
    assert report.plans["attendance"].why == "2 unchanged files"
    assert_same_as_full(raw, tmp_path / "next.duckdb", tmp_path)


def test_a_new_meeting_appends_only_its_files(base, tmp_path):
    raw, previous = base
    add_new_meeting(raw)
    report = build(raw, tmp_path / "next.duckdb", previous)
    assert modes(report)["attendance"] == "append"
    assert report.plans["attendance"].new_files == ["attendance/attendance-2.csv"]
    # meetings_2025.csv sorts after meetings.csv.
    assert modes(report)["meetings"] == "append"
    # Contributions refer to meetings, but no quarantined contribution names the new one.
    assert modes(report)["contributions"] == "keep"
    assert_same_as_full(raw, tmp_path / "next.duckdb", tmp_path)
    with duckdb.connect(str(tmp_path / "next.duckdb"), read_only=True) as conn:
        reasons = [r for (r,) in rows(conn, "select reason from quarantine.attendance order by all")]
        staged = rows(conn, "select count(*) from staging.attendance where meeting_id = 'SG17-2025-1'")
        state = rows(conn, "select table_name, ingest from meta.ingest_state where table_name = 'attendance'")
    assert staged == [(2,)]
    assert any("first copy kept at attendance/attendance-0.csv row 1" in r for r in reasons)
    assert "meeting_id not in meetings" in reasons
    assert state == [("attendance", "append")]


def test_a_new_meeting_that_a_quarantined_row_named_rebuilds_that_table(base, tmp_path):
    # The row naming SG17-2031-9 was quarantined; once that meeting exists it must be staged.
    raw, _ = base
    add_new_meeting(raw)
    previous = tmp_path / "with-new-meeting.duckdb"
    build(raw, previous)
    write_lines(
        raw / "meetings" / "meetings_2031.csv",
        MEETINGS_HEADER,
        # (Dated 2026: a meeting in 2031 would be quarantined as implausible, pipelines/config/ingest.yaml.)
        ["SG17-2031-9,SG17,SG,2026-01-06,2026-01-10,Geneva,CHE,physical"],
    )
    report = build(raw, tmp_path / "next.duckdb", previous)
    assert modes(report)["attendance"] == "full"
    assert report.plans["attendance"].why == "new meetings rows match rows it had quarantined"
    assert_same_as_full(raw, tmp_path / "next.duckdb", tmp_path)
    with duckdb.connect(str(tmp_path / "next.duckdb"), read_only=True) as conn:
        assert rows(conn, "select count(*) from staging.attendance where meeting_id = 'SG17-2031-9'") == [
            (1,)
        ]


@pytest.mark.parametrize(
    ("change", "table", "why"),
    [
        ("edit", "attendance", "attendance/attendance-0.csv changed"),
        ("remove", "attendance", "attendance/attendance-1.csv is gone"),
        (
            "earlier",
            "attendance",
            "new file attendance/attendance-.csv sorts before attendance/attendance-1.csv",
        ),
        ("lose-meeting", "attendance", "meetings lost rows it may refer to"),
        ("new-sg", "members", "known_sgs changed"),
    ],
)
def test_a_change_reads_the_table_again(base, tmp_path, change, table, why):
    raw, previous = base
    folder = raw / "attendance"
    if change == "edit":
        write_lines(folder / "attendance-0.csv", HEADER, ATTENDANCE[:4])
    elif change == "remove":
        (folder / "attendance-1.csv").unlink()
    elif change == "earlier":
        # Its row repeats one of attendance-1.csv: now it is the first copy, and the other the later one.
        write_lines(folder / "attendance-.csv", HEADER, [ATTENDANCE[6]])
    elif change == "lose-meeting":
        lines = SMALL_RAW["meetings"].strip().splitlines()
        write_lines(raw / "meetings" / "meetings.csv", lines[0], [m for m in lines[1:] if "2023-2" not in m])
    elif change == "new-sg":
        # AC-1 lists SG21, which is known; an SG added later makes members' $known_sgs check differ.
        (raw / "study_groups" / "study_groups.csv").write_text(
            SMALL_RAW["study_groups"] + "SG20,2025-2028,Internet of things,\n", encoding="utf-8"
        )
    report = build(raw, tmp_path / "next.duckdb", previous)
    assert modes(report)[table] == "full"
    assert report.plans[table].why == why
    assert_same_as_full(raw, tmp_path / "next.duckdb", tmp_path)


def test_a_new_file_sorting_first_makes_the_earlier_copy_the_kept_one(base, tmp_path):
    raw, previous = base
    write_lines(raw / "attendance" / "attendance-.csv", HEADER, [ATTENDANCE[6]])
    build(raw, tmp_path / "next.duckdb", previous)
    with duckdb.connect(str(tmp_path / "next.duckdb"), read_only=True) as conn:
        (reason,) = rows(conn, "select reason from quarantine.attendance where source_file like '%-1.csv'")[0]
    assert reason.endswith("first copy kept at attendance/attendance-.csv row 1")


def test_another_key_or_an_unreadable_warehouse_reuses_nothing(base, tmp_path):
    raw, previous = base
    other = build(raw, tmp_path / "other-key.duckdb", previous, key=b"another-key-0123456789abcdef0123")
    assert set(modes(other).values()) == {"full"}
    assert (
        other.reuse_note
        == "ingest code, libraries or pseudonymisation key changed since the previous warehouse"
    )
    assert_same_as_full(raw, tmp_path / "other-key.duckdb", tmp_path, key=b"another-key-0123456789abcdef0123")
    # A file that is not an sgpulse warehouse is never replaced (it may be someone's): the refresh stops.
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(NotAWarehouse, match="is not an sgpulse warehouse"):
        start_build(broken, from_published=True)
    assert broken.read_bytes() == b"not a database" * 100
    report = build(raw, tmp_path / "fresh.duckdb", tmp_path / "none.duckdb")
    assert report.reuse_note == "no previous warehouse"
    assert set(modes(report).values()) == {"full"}


def test_every_table_the_ingest_does_not_make_is_dropped(base, tmp_path):
    # The later steps build everything else again; a table the current code no longer makes must go.
    raw, previous = base
    with duckdb.connect(str(previous)) as conn:
        conn.execute("create schema core; create table core.retired as select 1 as x")
        conn.execute("create table staging.retired as select 1 as x; create view main.v as select 1 as x")
    build(raw, tmp_path / "next.duckdb", previous)
    with duckdb.connect(str(tmp_path / "next.duckdb"), read_only=True) as conn:
        left = rows(conn, "select table_name from duckdb_tables() where table_name = 'retired'")
        schemas = {s for (s,) in rows(conn, "select schema_name from duckdb_schemas() where not internal")}
        views = rows(conn, "select view_name from duckdb_views() where not internal")
    assert left == [] and views == []
    assert "core" not in schemas


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (
            "update meta.ingest_state set fingerprint = 'from an older version'",
            "ingest code, libraries or pseudonymisation key changed since the previous warehouse",
        ),
        ("drop table meta.ingest_state", "previous warehouse predates incremental ingest"),
        ("drop table quarantine.meetings", "previous warehouse lacks staging or quarantine tables"),
    ],
)
def test_a_warehouse_from_other_code_or_incomplete_reuses_nothing(base, tmp_path, damage, why):
    raw, previous = base
    with duckdb.connect(str(previous)) as conn:
        conn.execute(damage)
    report = build(raw, tmp_path / "next.duckdb", previous)
    assert set(modes(report).values()) == {"full"}
    assert report.reuse_note == why
    assert_same_as_full(raw, tmp_path / "next.duckdb", tmp_path)


def test_plan_files_compares_paths_as_duckdb_orders_them():
    old = {"meetings/meetings.parquet": "a"}
    # '-' sorts before '.': a file named meetings-new.csv comes first, so it cannot simply be appended.
    assert plan_files("meetings", {**old, "meetings/meetings-new.csv": "b"}, old).mode == "full"
    assert plan_files("meetings", {**old, "meetings/more.csv": "b"}, old).mode == "append"
    assert plan_files("meetings", old, old).mode == "keep"


def test_the_ingest_asset_reuses_the_published_warehouse_unless_asked_not_to(base, tmp_path, monkeypatch):
    raw, previous = base
    monkeypatch.setenv("SGPULSE_PSEUDONYM_KEY", TEST_KEY.decode())
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(previous, warehouse)
    settings = Settings.resolve(raw, warehouse, tmp_path / "out")
    for reuse, expected in ((True, "keep"), (False, "full")):
        result = dg.materialize([ingest_raw], resources=make_resources(settings, reuse_ingest=reuse))
        assert result.success
        metadata = result.asset_materializations_for_node("ingest_raw")
        shown = {m.asset_key.to_user_string(): m.metadata.get("ingest") for m in metadata}
        assert shown["staging/attendance"].value.startswith(expected)
