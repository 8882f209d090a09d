"""Pure-SQL baseline: marts.sg_year_kpis computed by one DuckDB script (baseline_sql.sql) from the raw files."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

SCRIPT = Path(__file__).with_name("baseline_sql.sql")


def read_xlsx(folder: Path) -> pa.Table:
    """Every first sheet of folder/*.xlsx as text, with an ordinality (DuckDB reads XLSX only with an extension)."""
    import openpyxl

    header, rows = None, []
    for path in sorted(folder.glob("*.xlsx")):
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        names = [str(h).strip().lower() for h in next(sheet_rows)]
        header = header or names
        for row in sheet_rows:
            record = dict(zip(names, row, strict=False))
            rows.append([_text(record.get(name)) for name in header])
        workbook.close()
    columns = {name: pa.array([r[i] for r in rows], pa.string()) for i, name in enumerate(header or [])}
    columns["ordinality"] = pa.array(range(1, len(rows) + 1), pa.int64())
    return pa.table(columns)


def _text(value) -> str | None:
    """A cell as the text an export would print (dates as YYYY-MM-DD)."""
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value)


def sg_year_kpis(raw_dir: Path) -> pd.DataFrame:
    """Run the script on one raw directory and return its sg_year_kpis."""
    conn = duckdb.connect()
    conn.execute("set enable_progress_bar = false")
    conn.register("members_xlsx", read_xlsx(Path(raw_dir) / "members"))
    script = SCRIPT.read_text(encoding="utf-8").replace("{raw}", Path(raw_dir).as_posix())
    conn.execute(script)
    result = conn.execute("select * from sg_year_kpis").df()
    conn.close()
    return result


def main() -> None:
    """Print the baseline's sg_year_kpis for a raw directory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw", type=Path)
    print(sg_year_kpis(parser.parse_args().raw).to_string())


if __name__ == "__main__":
    main()
