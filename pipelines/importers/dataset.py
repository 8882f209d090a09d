"""Say in DATASET.yaml which raw tables hold real data, so every output can tell real from synthetic."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipelines.ingest.readers import discover_files


def mark_domain(raw_dir: Path, table: str, written_file: str) -> str:
    """Set `domains: {table: real}` in DATASET.yaml (created if absent, other keys kept); return the value.

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
    others = [p for p in discover_files(raw_dir, table) if p.name != written_file]
    value = "real" if not others or before == "real" else "mixed"
    if "domains" not in data:
        # Append, so the file's comments and layout stay as they were.
        block = (
            "# Per raw table: real, synthetic or mixed (overrides `synthetic` above).\n"
            f"domains:\n  {table}: {value}\n"
        )
        new_text = text + ("" if not text or text.endswith("\n") else "\n") + block
    else:
        domains[table] = value
        data["domains"] = domains
        new_text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    # A new file renamed into place: a raw directory copied with hard links (cp -al) keeps the original's.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    tmp.replace(path)
    return value
