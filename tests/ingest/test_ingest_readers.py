"""Readers: CSV, XLSX and Parquet batches become all-text staging input with lineage (raw-data contract)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_helpers import ingest_into_memory, rows
from small_raw import SMALL_RAW, write_small_raw

from pipelines.ingest.errors import RawDataError
from pipelines.ingest.readers import _calamine_rows, _read_xlsx_openpyxl, discover_files, read_batch


def write_xlsx(path, header, data):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in data:
        sheet.append(row)
    workbook.save(path)


# --- read_batch on single files ---------------------------------------------------------------------------


def test_csv_with_bom_and_messy_header(tmp_path):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.csv"
    path.write_bytes("\ufeff ISO3 ,Name  ,ITU_Region\nCHE,Switzerland,\n".encode())
    table = read_batch(path, tmp_path)
    assert table.column_names == ["iso3", "name", "itu_region", "source_row", "source_file"]
    assert table.to_pylist() == [
        {"iso3": "CHE", "name": "Switzerland", "itu_region": "", "source_row": 1, "source_file": "t/a.csv"}
    ]


def test_csv_without_bom_reads_the_same(tmp_path):
    (tmp_path / "t").mkdir()
    with_bom, without = tmp_path / "t" / "bom.csv", tmp_path / "t" / "plain.csv"
    text = "iso3,name\nCHE,Switzerland\nKEN,Kenya\n"
    with_bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    without.write_bytes(text.encode())
    drop = ["source_file"]
    assert read_batch(with_bom, tmp_path).drop_columns(drop).to_pylist() == (
        read_batch(without, tmp_path).drop_columns(drop).to_pylist()
    )
    assert read_batch(with_bom, tmp_path)["iso3"].to_pylist() == ["CHE", "KEN"]


def test_csv_quoted_newline_is_one_row(tmp_path):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,4\n', encoding="utf-8")
    table = read_batch(path, tmp_path)
    assert table["b"].to_pylist() == ["two\nlines", "4"]
    assert table["source_row"].to_pylist() == [1, 2]


def test_csv_multibyte_character_across_the_header_sniffing_chunk_is_valid(tmp_path):
    # Bug fixed: the reader decoded a 64 KiB chunk and rejected a valid file when it ended inside 'é'.
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.csv"
    path.write_bytes(("a\n" + "x" * 65533 + "é\n").encode())
    table = read_batch(path, tmp_path)
    assert table.num_rows == 1
    assert table["a"].to_pylist()[0].endswith("xé")


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "file is empty (a CSV export needs at least a header row)"),
        (b"a,b,a\n1,2,3\n", "column 'a' appears twice in the header"),
        (b"a,,b\n1,2,3\n", "column 2 has an empty header"),
        (b"a,source_row\n1,2\n", "column 'source_row' is reserved for lineage"),
        (b"a,Reason\n1,2\n", "column 'reason' is reserved (the ingest adds it)"),
        (b"a,b\n1,\xff\n", "not valid UTF-8"),
        (b"a,\xe9b\n1,2\n", "not valid UTF-8 (byte 2 of the header)"),
    ],
)
def test_csv_file_level_problems(tmp_path, content, problem):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.csv"
    path.write_bytes(content)
    with pytest.raises(RawDataError) as error:
        read_batch(path, tmp_path)
    assert str(error.value) == f"t/a.csv: {problem}"


def test_csv_ragged_row_message_does_not_quote_the_row(tmp_path):
    # Bug fixed: pyarrow's message quoted the whole row, personal data included, into the one-line error.
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.csv"
    path.write_text("name,email\nAda Quill,ada.quill@alpha.example,extra\n", encoding="utf-8")
    with pytest.raises(RawDataError) as error:
        read_batch(path, tmp_path)
    assert str(error.value) == "t/a.csv: not a readable CSV file (CSV parse error: Expected 2 columns, got 3)"


def test_xlsx_dates_and_numbers_become_text(tmp_path):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.xlsx"
    write_xlsx(
        path,
        [" Meeting_ID ", "START_DATE", "seats", "ratio", None],
        [
            ["X", dt.date(2023, 3, 1), 120, 2.0],
            [None, None, None, None],
            ["Y", dt.datetime(2023, 3, 2, 0, 0), 7, 2.5],
            ["Z", dt.datetime(2023, 3, 2, 9, 30), None, None],
        ],
    )
    table = read_batch(path, tmp_path)
    assert table.column_names == ["meeting_id", "start_date", "seats", "ratio", "source_row", "source_file"]
    assert [tuple(r.values()) for r in table.to_pylist()] == [
        ("X", "2023-03-01", "120", "2", 1, "t/a.xlsx"),
        # The empty sheet row is skipped; source_row keeps pointing at the sheet's data row.
        ("Y", "2023-03-02", "7", "2.5", 3, "t/a.xlsx"),
        ("Z", "2023-03-02 09:30:00", None, None, 4, "t/a.xlsx"),
    ]


def test_xlsx_corrupt_file(tmp_path):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(RawDataError) as error:
        read_batch(path, tmp_path)
    assert str(error.value) == "t/a.xlsx: not a readable XLSX file (BadZipFile)"


def test_xlsx_damaged_sheet_is_a_file_level_error(tmp_path):
    # Bug fixed: read-only openpyxl parses the sheet lazily, so a damaged sheet escaped as a bare ParseError.
    (tmp_path / "t").mkdir()
    good, bad = tmp_path / "t" / "good.xlsx", tmp_path / "t" / "bad.xlsx"
    write_xlsx(good, ["a", "b"], [["1", "2"]] * 20)
    source = zipfile.ZipFile(io.BytesIO(good.read_bytes()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    bad.write_bytes(damaged.getvalue())
    with pytest.raises(RawDataError) as error:
        read_batch(bad, tmp_path)
    assert str(error.value).startswith("t/bad.xlsx: not a readable XLSX file (")


def test_xlsx_date_before_1900_read_by_openpyxl(tmp_path):
    # python-calamine 0.9 reads a date cell before 1900 (negative serial) as time(0, 0): openpyxl reads it.
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["member_id", "joined_on"])
    sheet.append(["MS-CHE", dt.date(1866, 10, 22)])
    sheet["B2"].number_format = "yyyy-mm-dd"
    sheet.append(["MS-KEN", dt.date(1964, 1, 1)])
    workbook.save(path)
    assert _calamine_rows(path) is None
    assert [(r["joined_on"], r["source_row"]) for r in read_batch(path, tmp_path).to_pylist()] == [
        ("1866-10-22", 1),
        ("1964-01-01", 2),
    ]


def test_xlsx_error_cells_keep_their_text(tmp_path):
    # calamine reads an error cell as empty; openpyxl gives '#N/A' as before.
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.xlsx"
    write_xlsx(path, ["a", "b"], [["x", "#N/A"]])
    assert _calamine_rows(path) is None
    assert read_batch(path, tmp_path).to_pylist() == [
        {"a": "x", "b": "#N/A", "source_row": 1, "source_file": "t/a.xlsx"}
    ]


@pytest.mark.parametrize(
    ("header", "data"),
    [
        # Numbers, dates, datetimes, booleans, empty rows inside and at the end, whitespace-only cells.
        (
            ["id", 2023, "On", "at", "n", "flag", None, None],
            [
                ["a", 1, dt.date(1900, 1, 1), dt.datetime(2024, 2, 29, 23, 59, 59), 0.1, True],
                [None, None, None, None, None, None],
                ["  ", None, None, None, None, None],
                ["b", -2.5, dt.datetime(2023, 3, 1), dt.datetime(2023, 3, 1, 12), 1e20, False],
                [None],
                [None],
            ],
        ),
        # Header on sheet row 2: rows and columns count from A1 in both readers.
        ([None, None], [[None, "a", "b"], [None, "1", "2"]]),
        # An empty first column: 'column 1 has an empty header' in both.
        ([None, "a"], [[None, "1"]]),
    ],
)
def test_xlsx_fast_reader_matches_openpyxl(tmp_path, header, data):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.xlsx"
    write_xlsx(path, header, data)
    assert _calamine_rows(path) is not None

    def read(reader):
        try:
            return reader(path, "t/a.xlsx").to_pylist()
        except RawDataError as error:
            return str(error)

    fast = read(lambda p, _: read_batch(p, tmp_path).drop_columns(["source_file"]))
    assert fast == read(_read_xlsx_openpyxl)


def test_parquet_types_become_text(tmp_path):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.parquet"
    pq.write_table(
        pa.table(
            {
                "Work_Item ": pa.array(["X.a", "X.b"], pa.string()),
                "started_on": pa.array([dt.date(2023, 1, 2), None], pa.date32()),
                "target_on": pa.array(
                    [dt.datetime(2024, 6, 30), dt.datetime(2024, 7, 1)], pa.timestamp("us")
                ),
                "reviewed_at": pa.array([dt.datetime(2024, 6, 30, 10, 0), None], pa.timestamp("us")),
                "priority": pa.array([3, 4], pa.int64()),
                "weight": pa.array([5.0, 0.5], pa.float64()),
            }
        ),
        path,
    )
    table = read_batch(path, tmp_path)
    assert table.to_pylist() == [
        {
            "work_item": "X.a",
            "started_on": "2023-01-02",
            "target_on": "2024-06-30",
            "reviewed_at": "2024-06-30 10:00:00.000000",
            "priority": "3",
            "weight": "5",
            "source_row": 1,
            "source_file": "t/a.parquet",
        },
        {
            "work_item": "X.b",
            "started_on": None,
            "target_on": "2024-07-01",
            "reviewed_at": None,
            "priority": "4",
            "weight": "0.5",
            "source_row": 2,
            "source_file": "t/a.parquet",
        },
    ]


def test_parquet_corrupt_file(tmp_path):
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.parquet"
    path.write_bytes(b"PAR1 definitely not parquet PAR1")
    with pytest.raises(RawDataError) as error:
        read_batch(path, tmp_path)
    assert str(error.value) == "t/a.parquet: not a readable Parquet file (ArrowInvalid)"


def test_parquet_column_that_cannot_be_text_is_a_file_level_error(tmp_path):
    # Bug fixed: a list column escaped as a bare ArrowNotImplementedError that named no file.
    (tmp_path / "t").mkdir()
    path = tmp_path / "t" / "a.parquet"
    pq.write_table(pa.table({"sources": pa.array([["A", "B"]], pa.list_(pa.string()))}), path)
    with pytest.raises(RawDataError) as error:
        read_batch(path, tmp_path)
    assert (
        str(error.value)
        == "t/a.parquet: column 'sources' of type list<element: string> cannot be read as text"
    )


def test_discover_files_order_and_filter(tmp_path):
    folder = tmp_path / "meetings"
    folder.mkdir()
    for name in ("b.csv", "a.XLSX", "c.parquet", "~$a.xlsx", ".hidden.csv", "notes.txt", "a.csv"):
        (folder / name).write_bytes(b"x")
    (folder / "sub.csv").mkdir()
    assert [p.name for p in discover_files(tmp_path, "meetings")] == ["a.XLSX", "a.csv", "b.csv", "c.parquet"]
    assert discover_files(tmp_path, "absent") == []


# --- the same through ingest: staging values and lineage --------------------------------------------------

COUNTRIES_BOM = (
    "\ufeff ISO3 , Name ,ITU_Region,Development_Status, Notes \n"
    "CHE,Switzerland,Europe,developed,\n"
    "KEN,Kenya,Africa,developing,  founding member  \n"
    "BGD,Bangladesh,Asia-Pacific,LDC,\n"
    "USA,United States,Americas,developed,\n"
    "EGY,Egypt,Arab States,developing,\n"
)
MEMBERS_LISTS = SMALL_RAW["members"].replace(
    "AC-1,University of Delta,Academia,BGD,2023-05-01,,SG17; SG21",
    "AC-1,University of Delta,Academia,BGD,2023-05-01,, SG17 ;;SG21 ;",
)


@pytest.fixture(scope="module")
def formats(tmp_path_factory):
    """The small raw directory with batches in every format and several files per folder."""
    raw = tmp_path_factory.mktemp("formats") / "raw"
    meetings = SMALL_RAW["meetings"].splitlines(keepends=True)
    recommendations = SMALL_RAW["recommendations"].splitlines(keepends=True)
    write_small_raw(
        raw,
        {
            "meetings": "".join(meetings[:3]),
            "recommendations": "".join(recommendations[:3]),
            "members": MEMBERS_LISTS,
        },
    )
    (raw / "countries" / "countries.csv").write_bytes(COUNTRIES_BOM.encode("utf-8"))
    # Columns in another order and case, date cells and number cells.
    write_xlsx(
        raw / "meetings" / "meetings_2.xlsx",
        ["Format", "MEETING_ID", "sg", "kind", "start_date", "end_date", "city", "country_iso3", "capacity"],
        [
            [
                "hybrid",
                "SG17-2024-1",
                "SG17",
                "SG",
                dt.date(2024, 4, 8),
                dt.datetime(2024, 4, 12),
                "Geneva",
                "CHE",
                120,
            ],
            [
                "hybrid",
                "SG21-2025-1",
                "SG21",
                "SG",
                dt.date(2025, 1, 20),
                dt.date(2025, 1, 24),
                "Geneva",
                "CHE",
                80.0,
            ],
        ],
    )
    (raw / "recommendations" / "recommendations_b.csv").write_text(
        "rec_id,approved_on,sg,title,kind,status\n"
        "X.1001,2024-05-01,SG17,IoT security framework Amd 1,amendment,in force\n",
        encoding="utf-8",
    )
    (raw / "work_items" / "work_items.csv").unlink()
    pq.write_table(
        pa.table(
            {
                "work_item": ["X.iotsec", "X.spam2", "X.old"],
                "sg": ["SG17", "SG17", "SG17"],
                "question": ["Q6/17", "Q4/17", None],
                "title": ["IoT security framework", "Spam countering v2", "Abandoned item"],
                "started_on": pa.array(
                    [dt.date(2022, 9, 1), dt.date(2023, 1, 1), dt.date(2022, 1, 10)], pa.date32()
                ),
                "target_on": pa.array([dt.date(2023, 12, 31), dt.date(2024, 6, 30), None], pa.date32()),
                "status": ["approved", "ongoing", "deleted"],
                "approved_as": ["X.1001", "", None],
            }
        ),
        raw / "work_items" / "work_items.parquet",
    )
    conn, report = ingest_into_memory(raw)
    yield conn, report
    conn.close()


def test_extra_column_kept_in_staging_with_empty_as_null(formats):
    conn, _ = formats
    assert rows(conn, "select iso3, name, itu_region, development_status, notes from staging.countries") == [
        ("CHE", "Switzerland", "Europe", "developed", None),
        ("KEN", "Kenya", "Africa", "developing", "founding member"),
        ("BGD", "Bangladesh", "Asia-Pacific", "LDC", None),
        ("USA", "United States", "Americas", "developed", None),
        ("EGY", "Egypt", "Arab States", "developing", None),
    ]


def test_list_cells_split_and_trimmed(formats):
    conn, _ = formats
    assert rows(conn, "select member_id, sgs from staging.members order by source_row") == [
        ("MS-CHE", None),
        ("MS-KEN", None),
        ("SM-1", ["SG17", "SG21"]),
        ("SM-2", ["SG17"]),
        ("AS-1", ["SG17"]),
        ("AC-1", ["SG17", "SG21"]),
    ]
    assert rows(
        conn, "select questions, sources from staging.contributions where document = 'T22-SG17-C-0003'"
    ) == [(["Q6/17"], ["Beta Tel", "Beta Telecom GmbH", "University of Delta"])]


def test_csv_and_xlsx_batches_unioned_with_lineage(formats):
    conn, _ = formats
    assert rows(
        conn,
        "select meeting_id, start_date, end_date, format, city, country_iso3, capacity, "
        "source_file, source_row "
        "from staging.meetings order by source_file, source_row",
    ) == [
        (
            "SG17-2023-1",
            dt.date(2023, 3, 1),
            dt.date(2023, 3, 10),
            "hybrid",
            "Geneva",
            "CHE",
            None,
            "meetings/meetings.csv",
            1,
        ),
        (
            "SG17-2023-2",
            dt.date(2023, 9, 4),
            dt.date(2023, 9, 5),
            "virtual",
            None,
            None,
            None,
            "meetings/meetings.csv",
            2,
        ),
        (
            "SG17-2024-1",
            dt.date(2024, 4, 8),
            dt.date(2024, 4, 12),
            "hybrid",
            "Geneva",
            "CHE",
            "120",
            "meetings/meetings_2.xlsx",
            1,
        ),
        (
            "SG21-2025-1",
            dt.date(2025, 1, 20),
            dt.date(2025, 1, 24),
            "hybrid",
            "Geneva",
            "CHE",
            "80",
            "meetings/meetings_2.xlsx",
            2,
        ),
    ]
    assert rows(conn, "select count(*) from quarantine.meetings") == [(0,)]


def test_two_csv_batches_unioned_with_lineage(formats):
    conn, _ = formats
    assert rows(
        conn,
        "select rec_id, approved_on, kind, approval_process, source_file, source_row "
        "from staging.recommendations",
    ) == [
        ("X.1001", dt.date(2023, 9, 1), "new", "AAP", "recommendations/recommendations.csv", 1),
        ("X.1002", dt.date(2023, 10, 1), "revised", "TAP", "recommendations/recommendations.csv", 2),
        ("X.1001", dt.date(2024, 5, 1), "amendment", None, "recommendations/recommendations_b.csv", 1),
    ]


def test_parquet_batch_with_date32(formats):
    conn, _ = formats
    assert rows(
        conn,
        "select work_item, question, started_on, target_on, status, approved_as, source_file, source_row "
        "from staging.work_items",
    ) == [
        (
            "X.iotsec",
            "Q6/17",
            dt.date(2022, 9, 1),
            dt.date(2023, 12, 31),
            "approved",
            "X.1001",
            "work_items/work_items.parquet",
            1,
        ),
        (
            "X.spam2",
            "Q4/17",
            dt.date(2023, 1, 1),
            dt.date(2024, 6, 30),
            "ongoing",
            None,
            "work_items/work_items.parquet",
            2,
        ),
        ("X.old", None, dt.date(2022, 1, 10), None, "deleted", None, "work_items/work_items.parquet", 3),
    ]


def test_staging_column_types(formats):
    conn, _ = formats
    types = dict(
        rows(
            conn,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'members'",
        )
    )
    assert types == {
        "member_id": "VARCHAR",
        "name": "VARCHAR",
        "category": "VARCHAR",
        "country_iso3": "VARCHAR",
        "joined_on": "DATE",
        "left_on": "DATE",
        "sgs": "VARCHAR[]",
        "source_file": "VARCHAR",
        "source_row": "BIGINT",
    }


def test_report_counts_files_and_rows(formats):
    conn, report = formats
    assert rows(
        conn, "select table_name, files, rows_read, rows_staged, rows_quarantined from meta.ingest_report"
    ) == [
        ("countries", 1, 5, 5, 0),
        ("study_groups", 1, 5, 5, 0),
        ("questions", 1, 3, 3, 0),
        ("members", 1, 6, 6, 0),
        ("org_aliases", 1, 2, 2, 0),
        ("meetings", 2, 4, 4, 0),
        ("attendance", 1, 10, 10, 0),
        ("contributions", 1, 8, 8, 0),
        ("recommendations", 2, 3, 3, 0),
        ("work_items", 1, 3, 3, 0),
        ("peer_publications", 0, 0, 0, 0),  # optional, absent here
        ("events", 0, 0, 0, 0),  # optional, absent here
        ("consultation_responses", 0, 0, 0, 0),  # optional, absent here
    ]
    assert report.table("meetings").files == 2
    assert sorted(r[0] for r in rows(conn, "select source_file from meta.raw_files")) == [
        "attendance/attendance.csv",
        "contributions/contributions.csv",
        "countries/countries.csv",
        "meetings/meetings.csv",
        "meetings/meetings_2.xlsx",
        "members/members.csv",
        "org_aliases/org_aliases.csv",
        "questions/questions.csv",
        "recommendations/recommendations.csv",
        "recommendations/recommendations_b.csv",
        "study_groups/study_groups.csv",
        "work_items/work_items.parquet",
    ]
