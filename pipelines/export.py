"""`sgpulse export`: the published marts (and core tables) as CSV, Excel or Parquet, with a data dictionary.

Each table is one file `<schema>.<table>.csv|parquet`, or one sheet of `sgpulse-export.xlsx` (header frozen,
filters on, number formats from the KPI catalogue's units: shares as percentages, counts as whole numbers,
dates as dates). Lists (a document's Questions, a member's SGs) are written `;`-separated in CSV and Excel,
as in the raw exports, and as lists in Parquet. NULL stays empty, never 0. `data-dictionary.html` and
`data-dictionary.csv` describe every exported column (pipelines/dictionary.py); `README.txt` says what the data
are (the sample's SAMPLE DATA notice, or which domains are real and which synthetic).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.dictionary import data_dictionary, table_description

FORMATS = ("csv", "xlsx", "parquet")
DEFAULT_SCHEMAS = ("marts",)
WORKBOOK = "sgpulse-export.xlsx"
DICTIONARY_HTML, DICTIONARY_CSV = "data-dictionary.html", "data-dictionary.csv"
EXCEL_MAX_ROWS = 1_048_575  # an Excel sheet holds 1,048,576 rows, one of them the header
# Excel number formats by KPI catalogue unit (float columns); other floats get two decimals.
UNIT_FORMATS = {
    "share": "0.0%",
    "fraction per year": "0.0%",
    "index 0-10000": "#,##0",
    "documents (fractional)": "#,##0.0",
    "index 0-100": "0.0",
    "score 0-100": "0.0",
    "index points per year": "0.0",
}
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER")


@dataclass
class ExportResult:
    """What an export wrote: rows per table ("schema.table"), the data files and the dictionary files."""

    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    dictionary: list[Path] = field(default_factory=list)


def available_tables(conn: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[str]:
    rows = conn.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        "and list_contains(?, schema_name) order by schema_name, table_name",
        [list(schemas)],
    ).fetchall()
    return [f"{s}.{t}" for s, t in rows]


def resolve_tables(
    conn: duckdb.DuckDBPyConnection, names: list[str] | None = None, core: bool = False
) -> list[str]:
    """The "schema.table" names to export: every mart (and core table), or the ones named (a bare name is a mart)."""
    schemas = ("marts", "core") if core else DEFAULT_SCHEMAS
    if not names:
        return available_tables(conn, schemas)
    known = available_tables(conn, ("marts", "core"))
    wanted = [name if "." in name else f"marts.{name}" for name in names]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ValueError(
            f"no table {', '.join(unknown)} in the warehouse; exportable: "
            + ", ".join(t.removeprefix("marts.") for t in known)
        )
    return list(dict.fromkeys(wanted))


def export(
    conn: duckdb.DuckDBPyConnection,
    out_dir: Path,
    fmt: str = "csv",
    tables: list[str] | None = None,
    label: str | None = None,
    generated_at: dt.datetime | None = None,
) -> ExportResult:
    """Write `tables` ("schema.table", default every mart) in `fmt` and the data dictionary into `out_dir`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    tables = tables or available_tables(conn, DEFAULT_SCHEMAS)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = data_dictionary(conn, tuple(dict.fromkeys(t.split(".")[0] for t in tables)), only=tables)
    result = ExportResult()
    for table in tables:
        result.rows[table] = conn.execute(f"select count(*) from {_quoted(table)}").fetchall()[0][0]
    if fmt == "xlsx":
        too_big = {t: n for t, n in result.rows.items() if n > EXCEL_MAX_ROWS}
        if too_big:
            raise ValueError(
                "more rows than an Excel sheet holds (1,048,576): "
                + ", ".join(f"{t} ({n:,})" for t, n in too_big.items())
                + "; export them as csv or parquet"
            )
        result.files.append(write_workbook(conn, out_dir / WORKBOOK, tables, columns, label))
    else:
        for table in tables:
            result.files.append(_copy(conn, table, out_dir / f"{table}.{fmt}", fmt, columns))
    result.dictionary = write_dictionary(columns, out_dir, label, generated_at)
    readme = out_dir / "README.txt"
    readme.write_text(_readme(result, fmt, label, generated_at), encoding="utf-8")
    result.files.append(readme)
    return result


def write_dictionary(
    columns: pd.DataFrame, out_dir: Path, label: str | None = None, generated_at: dt.datetime | None = None
) -> list[Path]:
    """data-dictionary.csv and data-dictionary.html of the columns given (pipelines.dictionary.data_dictionary)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = columns.assign(table=columns["schema"] + "." + columns["table"]).drop(columns="schema")
    csv = out_dir / DICTIONARY_CSV
    frame.to_csv(csv, index=False, lineterminator="\n")
    page = out_dir / DICTIONARY_HTML
    page.write_text(dictionary_html(columns, label, generated_at), encoding="utf-8")
    return [page, csv]


def dictionary_html(
    columns: pd.DataFrame, label: str | None = None, generated_at: dt.datetime | None = None
) -> str:
    """One self-contained page (no external CSS or script): a contents list, then a table per warehouse table."""

    def esc(value) -> str:
        return "" if value is None or pd.isna(value) else html.escape(str(value))

    sections, contents = [], []
    for (schema, table), group in columns.groupby(["schema", "table"], sort=False):
        name = f"{schema}.{table}"
        anchor = name.replace(".", "-")
        description = table_description(name) or ""
        contents.append(f'<li><a href="#{anchor}">{esc(name)}</a> — {esc(description)}</li>')
        rows = "".join(
            "<tr>"
            f"<td><code>{esc(r.column)}</code></td><td>{esc(r.type)}</td>"
            f"<td>{esc(r.definition)}</td><td>{esc(r.unit)}</td>"
            f'<td class="small">{esc(r.defined_in)}</td>'
            "</tr>"
            for r in group.itertuples()
        )
        source = group["source"].iloc[0]
        sections.append(
            f'<section id="{anchor}"><h2>{esc(name)}</h2><p>{esc(description)}</p>'
            f'<p class="small">Built by {esc(source)}</p>'
            '<table><colgroup><col style="width:17%"><col style="width:9%"><col style="width:48%">'
            '<col style="width:10%"><col style="width:16%"></colgroup>'
            "<thead><tr><th>column</th><th>type</th><th>definition</th><th>unit</th>"
            f"<th>defined in</th></tr></thead><tbody>{rows}</tbody></table></section>"
        )
    banner = f'<p class="banner">{esc(label)}</p>' if label else ""
    when = f" Written {esc(generated_at.isoformat(timespec='seconds'))} by sgpulse." if generated_at else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>sgpulse data dictionary</title>'
        "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;width:100%;margin-bottom:1.5em;table-layout:fixed}"
        "th,td{border-bottom:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
        "th{background:#f0f0f0;position:sticky;top:0}td{overflow-wrap:anywhere}"
        "h2{margin-top:1.8em;border-bottom:2px solid #0072B2}.small{color:#555;font-size:0.85em}"
        ".banner{background:#000;color:#fff;font-weight:bold;text-align:center;padding:4px}"
        "code{font-size:0.95em}</style></head><body>"
        f"{banner}<h1>sgpulse data dictionary</h1>"
        f"<p>{len(columns):,} columns of {len(contents)} tables. KPI columns are defined by the KPI catalogue "
        "(docs/kpis.md), other columns by pipelines/config/data_dictionary.yaml; types come from the "
        f"warehouse.{when}</p><ul>{''.join(contents)}</ul>{''.join(sections)}</body></html>\n"
    )


def write_workbook(
    conn: duckdb.DuckDBPyConnection, path: Path, tables: list[str], columns: pd.DataFrame, label: str | None
) -> Path:
    """One sheet per table (header frozen, filters on, number formats by column) and a data dictionary sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows, formats: list[str | None], widths: list[int]):
        ws = workbook.create_sheet(title[:31])
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
        head = []
        for name in header:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for row in rows:
            out = []
            for value, number_format in zip(row, formats, strict=True):
                if number_format and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = number_format
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)

    if label:
        sheet("About", ["notice"], [[label]], [None], [120])
    dictionary = columns.assign(table=columns["schema"] + "." + columns["table"])
    fields = ["table", "column", "type", "definition", "unit", "source"]
    sheet(
        "data dictionary",
        fields,
        dictionary[fields].astype(object).where(dictionary[fields].notna(), None).itertuples(index=False),
        [None] * len(fields),
        [30, 26, 12, 90, 18, 60],
    )
    for table in tables:
        described = columns[(columns["schema"] + "." + columns["table"]) == table]
        types, units = described["type"].tolist(), described["unit"].tolist()
        formats = [_excel_format(t, u) for t, u in zip(types, units, strict=True)]
        header = described["column"].tolist()
        cursor = conn.execute(f"select {_select_list(header, types, lists='text')} from {_quoted(table)}")
        widths = [max(10, min(40, len(name) + 2)) for name in header]
        sheet(table.removeprefix("marts."), header, _rows(cursor), formats, widths)
    workbook.save(path)
    return path


def _rows(cursor, size: int = 10_000):
    while batch := cursor.fetchmany(size):
        yield from batch


def _copy(conn: duckdb.DuckDBPyConnection, table: str, path: Path, fmt: str, columns: pd.DataFrame) -> Path:
    described = columns[(columns["schema"] + "." + columns["table"]) == table]
    select = _select_list(
        described["column"].tolist(),
        described["type"].tolist(),
        lists="native" if fmt == "parquet" else "text",
    )
    options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header true"
    target = str(path).replace("'", "''")
    conn.execute(f"copy (select {select} from {_quoted(table)}) to '{target}' ({options})")
    return path


def _select_list(names: list[str], types: list[str], lists: str) -> str:
    """Columns as exported: lists joined with '; ' (text formats), DECIMAL weights as doubles."""
    out = []
    for name, data_type in zip(names, types, strict=True):
        column = '"' + name.replace('"', '""') + '"'
        if data_type.endswith("[]") and lists == "text":
            out.append(f"array_to_string({column}, '; ') as {column}")
        elif data_type.startswith("DECIMAL"):
            out.append(f"{column}::double as {column}")
        else:
            out.append(column)
    return ", ".join(out)


def _excel_format(data_type: str, unit: str | None) -> str | None:
    if data_type.startswith(INTEGER_TYPES):
        return "#,##0"
    if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
        return UNIT_FORMATS.get(unit or "", "#,##0.00")
    if data_type == "DATE":
        return "yyyy-mm-dd"
    if data_type.startswith("TIMESTAMP"):
        return "yyyy-mm-dd hh:mm:ss"
    return None


def _quoted(table: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))


def _readme(result: ExportResult, fmt: str, label: str | None, generated_at: dt.datetime | None) -> str:
    lines = [label, ""] if label else []
    lines += [
        f"sgpulse export ({fmt}){' written ' + generated_at.isoformat(timespec='seconds') if generated_at else ''}",
        "",
        f"{DICTIONARY_HTML} / {DICTIONARY_CSV}: what every column means (type, definition, unit, source).",
        "Empty cells are missing values (NULL), never zero.",
        "",
        *(f"{table}: {rows:,} rows" for table, rows in result.rows.items()),
    ]
    return "\n".join(lines) + "\n"


def dataset_label(warehouse: Path) -> str | None:
    """What the data are, for every export: the run's one banner (the sample's notice, or MIXED DATA — real:
    ...; synthetic: ...), or None when every domain is real (pipelines.coverage.DatasetLabel)."""
    import duckdb

    from pipelines.coverage import SAMPLE_BANNER
    from pipelines.coverage import dataset_label as label_of

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        label = label_of(conn)
    if label.kind == "synthetic":
        return label.notice or SAMPLE_BANNER
    return label.banner
