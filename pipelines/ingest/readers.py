"""Readers for raw export batches (CSV, XLSX, Parquet): every cell as text, plus lineage columns."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import RawDataError

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".parquet")
LINEAGE_COLUMNS = ("source_file", "source_row")
# Columns the ingest adds itself: a raw column of the same name would shadow them.
ADDED_COLUMNS = ("reason", "participant_key")


def _is_batch(path: Path) -> bool:
    return (
        path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith((".", "~$"))
    )


def discover_files(raw_dir: Path, table: str) -> list[Path]:
    """The export batches of one table, in a stable order (file order decides which duplicate is 'first')."""
    folder = raw_dir / table
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _is_batch(p))


# Files at the raw directory's top level that describe it rather than hold a table.
RAW_ROOT_FILES = ("DATASET.yaml", "README.md", "README.txt", "README")


def not_read(raw_dir: Path, table: str) -> list[tuple[str, str]]:
    """(path relative to the raw directory, why) of everything in a table's folder that is not a batch.

    Nothing is skipped in silence: these are named in the refresh summary and meta.raw_not_read.
    """
    folder = raw_dir / table
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        rel = path.relative_to(raw_dir).as_posix()
        if _is_batch(path):
            continue
        if path.name.startswith((".", "~$")):
            why = "a hidden or temporary file (its name starts with '.' or '~$'): not a batch"
        elif path.is_dir():
            why = f"a folder: only the files directly in {table}/ are read"
        elif path.name.endswith("-report.json"):
            why = "an import report, not a batch"
        else:
            suffix = "".join(path.suffixes[-2:]) if path.suffixes else "(none)"
            why = f"file type {suffix} is not read (CSV, XLSX or Parquet only)"
        found.append((rel + ("/" if path.is_dir() else ""), why))
    return found


def unknown_root_entries(raw_dir: Path, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, why) of what sits at the raw directory's top level but is no table folder (a misspelt one, say)."""
    if not raw_dir.is_dir():
        return []
    found = []
    for path in sorted(raw_dir.iterdir()):
        if path.name in tables or path.name in RAW_ROOT_FILES or path.name.startswith("."):
            continue
        kind = "folder" if path.is_dir() else "file"
        found.append((path.name + ("/" if path.is_dir() else ""), f"a {kind} that is not a raw table"))
    return found


def _clean_header(names: list[object], rel: str) -> list[str]:
    cleaned = [str(n).strip().lower() if n is not None else "" for n in names]
    seen: set[str] = set()
    for i, name in enumerate(cleaned):
        if not name:
            raise RawDataError(rel, f"column {i + 1} has an empty header")
        if name in LINEAGE_COLUMNS:
            raise RawDataError(rel, f"column '{name}' is reserved for lineage")
        if name in ADDED_COLUMNS:
            raise RawDataError(rel, f"column '{name}' is reserved (the ingest adds it)")
        if name in seen:
            raise RawDataError(rel, f"column '{name}' appears twice in the header")
        seen.add(name)
    return cleaned


def _read_csv(path: Path, rel: str) -> pa.Table:
    import pyarrow.csv as pacsv

    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip():
        raise RawDataError(rel, "file is empty (a CSV export needs at least a header row)")
    try:
        # Decode the header line only: the 64 KiB chunk may end inside a multi-byte character.
        first_line = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="strict").splitlines()[0]
    except UnicodeDecodeError as exc:
        raise RawDataError(rel, f"not valid UTF-8 (byte {exc.start} of the header)") from None
    header = _clean_header(next(csv.reader([first_line])), rel)
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "UTF8" in message or "utf8" in message.lower():
            raise RawDataError(rel, "not valid UTF-8") from None
        # pyarrow quotes the offending row, which may hold personal data: keep only the column counts.
        detail = re.sub(r"(Expected \d+ columns, got \d+).*", r"\1", message.splitlines()[0])
        raise RawDataError(rel, f"not a readable CSV file ({detail})") from None
    return table


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, rel: str) -> pa.Table:
    rows = _calamine_rows(path)
    if rows is None:
        return _read_xlsx_openpyxl(path, rel)
    if not rows:
        raise RawDataError(rel, "the first sheet is empty (a header row is needed)")
    # Rows start at sheet row 1 and column A (skip_empty_area=False), as openpyxl's did.
    header_row = rows[0]
    # Trailing empty header cells are formatting, not columns.
    width = len(header_row)
    while width and header_row[width - 1] in (None, ""):
        width -= 1
    header = _clean_header([_openpyxl_header_value(v) for v in header_row[:width]], rel)
    columns: list[list[str | None]] = [[] for _ in header]
    row_numbers: list[int] = []
    for number in range(1, len(rows)):
        # calamine gives '' for an empty cell where openpyxl gave None.
        cells = [(v or None) if v.__class__ is str else _cell_text(v) for v in rows[number][:width]]
        if all(c is None or not c.strip() for c in cells):
            continue
        cells += [None] * (width - len(cells))
        for col, cell in zip(columns, cells, strict=True):
            col.append(cell)
        row_numbers.append(number)
    table = pa.table({name: pa.array(col, pa.string()) for name, col in zip(header, columns, strict=True)})
    return table.append_column("source_row", pa.array(row_numbers, pa.int64()))


def _calamine_rows(path: Path) -> list[list[object]] | None:
    """The first worksheet's cells read by python-calamine (~20x faster than openpyxl), or None when
    openpyxl has to read the file instead: calamine would read it wrongly, or cannot read it at all."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        # calamine reads error cells (#N/A, #DIV/0!...) as empty; openpyxl gives their text.
        if _has_error_cells(path):
            return None
        with CalamineWorkbook.from_path(path) as workbook:
            # openpyxl's worksheets[0] skips chart sheets.
            first = [sheet.typ for sheet in workbook.sheets_metadata].index(SheetTypeEnum.WorkSheet)
            rows = workbook.get_sheet_by_index(first).to_python(skip_empty_area=False)
    except Exception:  # a damaged or foreign file: openpyxl reports it with the same message as always
        return None
    # calamine (0.9) turns a date before 1900 (a negative serial) into time(0, 0) and loses it; openpyxl
    # reads it right. A genuine time-of-day cell also lands here: openpyxl gives the same time for it.
    if any(v.__class__ is dt.time for row in rows for v in row):
        return None
    return rows


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def extra_worksheets(path: Path) -> tuple[str, list[str]]:
    """(the first worksheet's name, the names of the other worksheets that hold any value); chart sheets are
    not worksheets. ("", []) when the file cannot be read this way: the reader then reports it."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        with CalamineWorkbook.from_path(path) as workbook:
            sheets = [
                (i, s.name)
                for i, s in enumerate(workbook.sheets_metadata)
                if s.typ == SheetTypeEnum.WorkSheet
            ]
            return sheets[0][1], [
                name
                for index, name in sheets[1:]
                if any(_filled(v) for row in workbook.get_sheet_by_index(index).to_python() for v in row)
            ]
    except Exception:  # damaged or foreign
        return "", []


def _check_one_worksheet(path: Path, rel: str) -> None:
    """A batch is one worksheet: data on another one would be silently not read, so it stops the run.

    Policy (docs/raw-data.md): extra worksheets are a file-level error rather than read as more rows, because
    a second worksheet of an export is as often a pivot, a note or a copy as more of the same rows, and one
    file-level error is cheaper than rows counted twice. Empty extra worksheets (Excel's default Sheet2) and
    chart sheets are fine.
    """
    first, others = extra_worksheets(path)
    if others:
        names = ", ".join(f"'{name}'" for name in others)
        raise RawDataError(
            rel,
            f"has data on worksheets after the first ('{first}'): {names}; an export batch is one worksheet: "
            "save each of the others as a file of its own",
        )


def _has_error_cells(path: Path) -> bool:
    """Whether a worksheet of the XLSX file holds an error cell (t="e"); a loose but cheap byte search."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    text = tail + chunk
                    if b' t="e"' in text or b" t='e'" in text:
                        return True
                    tail = chunk[-8:]
    return False


def _openpyxl_header_value(value: object) -> object:
    # Keep the header text openpyxl gave: a whole number as an int (2023, not 2023.0), a date as a datetime.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _read_xlsx_openpyxl(path: Path, rel: str) -> pa.Table:
    """The slow reader (~8 s for 40,000 rows), kept for the files `_read_xlsx` hands over."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise RawDataError(rel, f"not a readable XLSX file ({type(exc).__name__})") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise RawDataError(rel, "the first sheet is empty (a header row is needed)")
        # Trailing empty header cells are formatting, not columns.
        width = len(header_row)
        while width and header_row[width - 1] in (None, ""):
            width -= 1
        header = _clean_header(list(header_row[:width]), rel)
        columns: list[list[str | None]] = [[] for _ in header]
        row_numbers: list[int] = []
        for number, row in enumerate(rows, start=1):
            cells = [_cell_text(v) for v in row[:width]]
            if all(c is None or not c.strip() for c in cells):
                continue
            cells += [None] * (width - len(cells))
            for col, cell in zip(columns, cells, strict=True):
                col.append(cell)
            row_numbers.append(number)
    except RawDataError:
        raise
    except Exception as exc:  # read-only mode parses the sheet lazily: a damaged sheet fails here
        raise RawDataError(rel, f"not a readable XLSX file ({type(exc).__name__})") from None
    finally:
        workbook.close()
    table = pa.table({name: pa.array(col, pa.string()) for name, col in zip(header, columns, strict=True)})
    return table.append_column("source_row", pa.array(row_numbers, pa.int64()))


def _read_parquet(path: Path, rel: str) -> pa.Table:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError... for a non-Parquet file
        raise RawDataError(rel, f"not a readable Parquet file ({type(exc).__name__})") from None
    header = _clean_header(table.column_names, rel)
    arrays = []
    for name, column in zip(header, table.columns, strict=True):
        try:
            if pa.types.is_timestamp(column.type):
                column = pc.cast(column, pa.date32()) if _all_midnight(column) else column
            arrays.append(pc.cast(column, pa.string()))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            problem = f"column '{name}' of type {column.type} cannot be read as text"
            raise RawDataError(rel, problem) from None
    return pa.table(dict(zip(header, arrays, strict=True)))


def _all_midnight(column: pa.ChunkedArray) -> bool:
    return bool(
        pc.all(pc.equal(pc.cast(pc.cast(column, pa.date32()), column.type), column)).as_py() in (True, None)
    )


def read_batch(path: Path, raw_dir: Path) -> pa.Table:
    """One export batch as an all-text Arrow table with `source_file` and `source_row`."""
    rel = path.relative_to(raw_dir).as_posix()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path, rel)
    elif suffix == ".xlsx":
        _check_one_worksheet(path, rel)
        table = _read_xlsx(path, rel)
    elif suffix == ".parquet":
        table = _read_parquet(path, rel)
    else:  # pragma: no cover - discover_files filters suffixes
        raise RawDataError(rel, f"unsupported file type {suffix}")
    # Built by Arrow, not from Python lists: a list of 3.6 million references took ~1 s per 100x batch.
    if "source_row" not in table.column_names:
        table = table.append_column("source_row", pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64)))
    return table.append_column("source_file", pa.repeat(pa.scalar(rel, pa.string()), table.num_rows))
