"""Writers with deterministic bytes: CSV (optionally with a BOM), XLSX (fixed time stamps), Parquet and
DATASET.yaml."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.sample.profiles import NOTICE, TABLES, YEARS


def write_csv(df: pd.DataFrame, path: Path, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\n")
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))


FIXED_STAMP = dt.datetime(2025, 3, 1, 0, 0, 0)


def write_xlsx(df: pd.DataFrame, path: Path, sheet: str, date_columns: Sequence[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(df.columns))
    cols = list(df.columns)
    date_pos = {cols.index(c) for c in date_columns}
    for values in df.itertuples(index=False):
        out = []
        for i, v in enumerate(values):
            if i in date_pos and isinstance(v, dt.date) and v.year < 1900:
                # Excel cannot hold a date before 1900 in a date cell: its exports write such dates as text.
                out.append(v.isoformat()[:10])
            elif i in date_pos and v is not None and not (isinstance(v, float) and np.isnan(v)):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif v is None or (isinstance(v, float) and np.isnan(v)) or v == "":
                out.append(None)
            else:
                out.append(v)
        ws.append(out)
    wb.properties.creator = "pipelines.sample.generate"
    wb.properties.created = FIXED_STAMP
    wb.properties.modified = FIXED_STAMP
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps the save time and zip entry times: rewrite them so the bytes are reproducible.
    stamp = b"2025-03-01T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_parquet(df: pd.DataFrame, path: Path, date_columns: Sequence[str]) -> None:
    arrays = {}
    for col in df.columns:
        values = df[col].to_numpy()
        if col in date_columns:
            arrays[col] = pa.array(values.astype("datetime64[D]"), type=pa.date32())
        else:
            arrays[col] = pa.array(np.asarray(values, dtype=object), type=pa.string())
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(arrays), path, compression="zstd")


def clear_tables(out_dir: Path) -> None:
    """Remove previous export batches of the tables (only files this generator writes)."""
    for table in TABLES:
        folder = out_dir / table
        if folder.is_dir():
            for p in folder.iterdir():
                if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".parquet"):
                    p.unlink()


def write_dataset_yaml(out_dir: Path, seed: int, scale: int, rows: dict[str, int]) -> None:
    lines = [
        "name: sgpulse bundled sample",
        "synthetic: true",
        "generator: pipelines.sample.generate",
        f"seed: {seed}",
        f"scale: {scale}",
        "years: [2016, 2025]",
        f'notice: "{NOTICE}"',
        "domains:  # per table: real reference data, synthetic, or mixed",
        "  study_groups: real",
        "  questions: real",
        "  countries: real",
        "  members: mixed  # real Member States, fictional organisations",
        "  org_aliases: mixed",
        *[f"  {name}: synthetic" for name in TABLES[5:]],
        # The sample simulates 2016-2025 in full; contributions are left to their rows: those filed in 2015 for
        # the first 2016 meetings make 2015 a partial year, as an export cut at a date would.
        "coverage:  # per data domain: the dates the data cover (contributions: from their rows)",
        *[
            f"  {domain}: {{from: {YEARS[0]}-01-01, to: {YEARS[-1]}-12-31}}"
            for domain in (
                "membership",
                "meetings",
                "attendance",
                "recommendations",
                "approval_process",
                "work_items",
                "events",
                "consultation",
            )
        ],
        "rows:",
        *[f"  {name}: {rows[name]}" for name in TABLES],
    ]
    (out_dir / "DATASET.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
