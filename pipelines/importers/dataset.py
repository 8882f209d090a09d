"""Say in DATASET.yaml what an import changed: which raw tables hold real data, the window each imported domain
covers (with its source), and the row counts, so every output can tell real from synthetic and missing from zero.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pipelines.ingest.errors import RawDataError
from pipelines.ingest.readers import discover_files, read_batch


def mark_domain(raw_dir: Path, table: str, written_file: str, coverage: dict[str, dict] | None = None) -> str:
    """Record an import of `written_file` into `table` in DATASET.yaml (created if absent, other keys kept):
    `domains: {table: real}` (or `mixed` beside other batch files), the `coverage:` windows the importer
    declares ({domain: {from, to, source}}), and `rows:` of the table counted from its batch files now.
    Returns the table's domain value.

    Other batch files beside the imported one are unioned with it at ingest; if the table was synthetic
    before (e.g. the sample's own file), the table becomes `mixed`, which every output then says.
    """
    raw_dir = Path(raw_dir)
    path = raw_dir / "DATASET.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = yaml.safe_load(text) if text.strip() else {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a mapping")
    domains = data.get("domains") or {}
    if not isinstance(domains, dict):
        raise ValueError(f"{path}: domains must be a mapping of table -> real/synthetic")
    before = domains.get(table, "synthetic" if data.get("synthetic") else "real")
    files = discover_files(raw_dir, table)
    others = [p for p in files if p.name != written_file]
    value = "real" if not others or before == "real" else "mixed"
    rows = table_rows(raw_dir, files)
    blocks = {"domains": {table: value}, "rows": {table: rows}}
    if coverage:
        blocks["coverage"] = {
            domain: {k: (str(v) if v is not None else None) for k, v in window.items()}
            for domain, window in coverage.items()
        }
    if not any(key in data for key in blocks):
        # Append, so the file's comments and layout stay as they were.
        lines = [
            "# Written by `sgpulse import`: real tables, the windows imported domains cover, row counts."
        ]
        for key, entries in blocks.items():
            lines.append(f"{key}:")
            lines.extend(f"  {name}: {_flow(entry)}" for name, entry in entries.items())
        block = "\n".join(lines) + "\n"
        new_text = text + ("" if not text or text.endswith("\n") else "\n") + block
    else:
        for key, entries in blocks.items():
            merged = data.get(key) or {}
            if not isinstance(merged, dict):
                raise ValueError(f"{path}: {key} must be a mapping")
            merged.update(entries)
            data[key] = merged
        # The file's opening comment block stays (inline comments do not survive a rewrite).
        head = "".join(line for line in _leading_comments(text))
        new_text = head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    # A new file renamed into place: a raw directory copied with hard links (cp -al) keeps the original's.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    tmp.replace(path)
    return value


def _leading_comments(text: str) -> list[str]:
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def table_rows(raw_dir: Path, files: list[Path]) -> int:
    """Data rows of a table's batch files, read as the ingest reads them (CSV, XLSX, Parquet)."""
    total = 0
    for path in files:
        try:
            total += read_batch(path, raw_dir).num_rows
        except RawDataError as exc:
            raise ValueError(f"{path}: {exc}") from None
    return total


def _flow(entry) -> str:
    if isinstance(entry, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in entry.items()) + "}"
    return _scalar(entry)


def _scalar(value) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()
    )
