"""`sgpulse export`: every exported file opens and holds exactly its table; the data dictionary beside them."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import dagster as dg
import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.dictionary import data_dictionary
from pipelines.export import DICTIONARY_CSV, DICTIONARY_HTML, WORKBOOK, _select_list


def _export(warehouse, out, *args) -> str:
    result = CliRunner().invoke(app, ["export", "--warehouse", str(warehouse), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def tables(small_warehouse_file) -> dict[str, list[tuple[str, str]]]:
    """Every mart and core table of the small warehouse -> its (column, type) list."""
    with duckdb.connect(str(small_warehouse_file), read_only=True) as conn:
        rows = conn.execute(
            "select table_schema || '.' || table_name, column_name, data_type from information_schema.columns "
            "where table_schema in ('marts', 'core') order by table_schema, table_name, ordinal_position"
        ).fetchall()
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, []).append((column, data_type))
    return found


def _expected(conn, table: str, columns: list[tuple[str, str]], lists: str) -> str:
    names, types = [c for c, _ in columns], [t for _, t in columns]
    return f"select {_select_list(names, types, lists=lists)} from {table}"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_file_holds_exactly_its_table(fmt, small_warehouse_file, tables, tmp_path):
    _export(small_warehouse_file, tmp_path, "--format", fmt, "--core")
    files = sorted(p.name for p in tmp_path.glob(f"*.{fmt}") if p.name != DICTIONARY_CSV)
    assert files == sorted(f"{t}.{fmt}" for t in tables) and len(files) >= 25
    with duckdb.connect(str(small_warehouse_file), read_only=True) as conn:
        for table, columns in tables.items():
            path = tmp_path / f"{table}.{fmt}"
            if fmt == "csv":  # read back with the table's own types (lists were written "a; b")
                types = {
                    c: ("VARCHAR" if t.endswith("[]") else "DOUBLE" if t.startswith("DECIMAL") else t)
                    for c, t in columns
                }
                spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
                got = f"select * from read_csv('{path}', header = true, columns = {spec})"
                expected = _expected(conn, table, columns, lists="text")
            else:
                got = f"select * from read_parquet('{path}')"
                expected = _expected(conn, table, columns, lists="native")
            assert [c[0] for c in conn.execute(f"{got} limit 0").description] == [c for c, _ in columns]
            rows = conn.execute(f"select count(*) from ({got})").fetchall()[0][0]
            assert rows == conn.execute(f"select count(*) from {table}").fetchall()[0][0], table
            for a, b in ((got, expected), (expected, got)):  # the same rows, duplicates included
                assert conn.execute(f"select count(*) from ({a} except all {b})").fetchall()[0][0] == 0, table


def test_the_workbook_has_a_sheet_per_table_with_frozen_headers_and_number_formats(
    small_warehouse_file, tables, tmp_path
):
    from openpyxl import load_workbook

    _export(small_warehouse_file, tmp_path, "--format", "xlsx", "--core")
    book = load_workbook(tmp_path / WORKBOOK)
    assert (
        book.sheetnames[0] == "data dictionary"
    )  # no About sheet: the small raw data declare nothing synthetic
    with duckdb.connect(str(small_warehouse_file), read_only=True) as conn:
        for table, columns in tables.items():
            sheet = book[table.removeprefix("marts.")]
            assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold, table
            cells = list(sheet.iter_rows(values_only=True))
            assert list(cells[0]) == [c for c, _ in columns]
            expected = conn.execute(_expected(conn, table, columns, lists="text")).fetchall()
            assert len(cells) - 1 == len(expected), table
            for got_row, want_row in zip(cells[1:], expected, strict=True):
                for got, want in zip(got_row, want_row, strict=True):
                    assert _same(got, want), (table, got, want)
    # Number formats follow the KPI catalogue's units and the column types.
    kpis = book["sg_year_kpis"]
    header = [c.value for c in kpis[1]]
    row = {name: cell for name, cell in zip(header, kpis[3], strict=True)}
    assert row["remote_share"].number_format == "0.0%" and row["participants"].number_format == "#,##0"
    assert row["hhi"].number_format == "#,##0"
    meetings = book["core.dim_meeting"]
    assert (
        meetings.cell(2, [c.value for c in meetings[1]].index("start_date") + 1).number_format == "yyyy-mm-dd"
    )


def _same(got, want) -> bool:
    if want is None:
        return got is None
    if isinstance(want, bool):
        return got is want
    if isinstance(want, (int, float, decimal.Decimal)):
        return got is not None and math.isclose(float(got), float(want), rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(want, dt.date):
        return isinstance(got, dt.datetime) and got.date() == want
    return got == want


def test_the_data_dictionary_describes_every_exported_column(small_warehouse_file, tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.export.dataset_label", lambda warehouse: "SAMPLE DATA — synthetic: a test")
    output = _export(
        small_warehouse_file, tmp_path, "--tables", "sg_year_kpis,core.dim_entity", "--tables", "sg_risks"
    )
    assert sorted(p.name for p in tmp_path.glob("*.csv") if p.name != DICTIONARY_CSV) == [
        "core.dim_entity.csv",
        "marts.sg_risks.csv",
        "marts.sg_year_kpis.csv",
    ]
    assert "data-dictionary.html" in output
    written = pd.read_csv(tmp_path / DICTIONARY_CSV, keep_default_na=False)
    with duckdb.connect(str(small_warehouse_file), read_only=True) as conn:
        wanted = data_dictionary(
            conn, ("marts", "core"), only=["core.dim_entity", "marts.sg_risks", "marts.sg_year_kpis"]
        )
    assert list(written.columns) == ["table", "column", "type", "definition", "unit", "source", "defined_in"]
    assert (
        written[["table", "column"]].values.tolist()
        == (wanted["schema"] + "." + wanted["table"]).to_frame().assign(c=wanted["column"]).values.tolist()
    )
    assert (written["definition"] != "").all() and (written["type"] != "").all()
    page = (tmp_path / DICTIONARY_HTML).read_text(encoding="utf-8")
    assert '<p class="banner">SAMPLE DATA — synthetic: a test</p>' in page  # labelled as the data are
    assert (
        "<script" not in page and "http" not in page and "<link" not in page
    )  # nothing to fetch: works offline
    assert (tmp_path / "README.txt").read_text(encoding="utf-8").startswith("SAMPLE DATA — synthetic: a test")
    for table, column in written[["table", "column"]].itertuples(index=False):
        assert f'id="{table.replace(".", "-")}"' in page and f"<code>{column}</code>" in page


def test_the_workbook_says_what_the_data_are(small_warehouse_file, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr("pipelines.export.dataset_label", lambda warehouse: "SAMPLE DATA — synthetic: a test")
    _export(small_warehouse_file, tmp_path, "--format", "xlsx", "--tables", "sg_year_kpis")
    book = load_workbook(tmp_path / WORKBOOK)
    assert book.sheetnames == ["About", "data dictionary", "sg_year_kpis"]
    assert book["About"]["A2"].value == "SAMPLE DATA — synthetic: a test"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tables", "no_such_table"], "no table marts.no_such_table in the warehouse; exportable:"),
        (["--format", "docx"], "Invalid value for '--format'"),
    ],
)
def test_errors_are_one_clear_line(small_warehouse_file, tmp_path, args, message):
    result = CliRunner().invoke(
        app, ["export", "--warehouse", str(small_warehouse_file), "--out", str(tmp_path), *args]
    )
    assert result.exit_code == 2 and message in " ".join(result.output.split())


def test_a_table_too_long_for_excel_is_refused_before_writing(small_warehouse_file, tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.export.EXCEL_MAX_ROWS", 20)
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--warehouse",
            str(small_warehouse_file),
            "--out",
            str(tmp_path),
            "--format",
            "xlsx",
            "--core",
        ],
    )
    assert result.exit_code == 2 and "more rows than an Excel sheet holds" in result.output
    assert not (tmp_path / WORKBOOK).exists()


def test_the_refresh_publishes_the_dictionary_beside_the_briefs_index(small_warehouse_file, tmp_path):
    from pipelines.briefs.build import write_index
    from pipelines.defs.dictionary import data_dictionary as asset
    from pipelines.defs.resources import SgpulsePaths

    paths = SgpulsePaths(
        raw_dir=str(tmp_path), warehouse=str(small_warehouse_file), out_dir=str(tmp_path / "out")
    )
    result = dg.materialize([asset], resources={"paths": paths})
    assert result.success
    [event] = result.get_asset_materialization_events()
    assert event.materialization.metadata["undefined columns"].value == 0
    assert (tmp_path / "out" / DICTIONARY_HTML).exists() and (tmp_path / "out" / DICTIONARY_CSV).exists()
    write_index(tmp_path / "out", dt.datetime(2026, 1, 1))
    assert 'href="data-dictionary.html"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "(data-dictionary.html)" in (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
