"""Briefs built once per session from the small warehouse (tests/small_raw.py), and readers for their tables.

A plain helper module (not a conftest.py, see tests/marts/marts_fixture.py). Built: SG17 and the sector for
2024 (SG17 has 2023 to compare with), plus SG17 again with the dataset flagged synthetic. PNG export (for the
Word figures) is the slow part, so nothing else in these tests exports PNG.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

YEAR = 2024
GENERATED_AT = dt.datetime(2025, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
SCOPES = ("SG17", "sector")


@dataclass
class Built:
    data: object  # BriefData
    brief: object  # Brief
    files: list[Path]
    folder: Path

    def file(self, suffix: str) -> Path:
        return next(f for f in self.files if f.name.startswith("brief-") and f.suffix == suffix)

    @property
    def markdown(self) -> str:
        return self.file(".md").read_text(encoding="utf-8")

    @property
    def html(self) -> str:
        return self.file(".html").read_text(encoding="utf-8")


_CACHE: dict[str, dict[str, Built]] = {}


def build(conn, out_dir: Path, scope: str, synthetic: bool = False) -> Built:
    from pipelines.briefs.build import write_brief
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data

    data = load_brief_data(conn, scope, YEAR, run_id="test-run-0001", warehouse="small.duckdb")
    if synthetic:
        data.provenance.synthetic = True
        data.provenance.notice = "SAMPLE DATA — synthetic: invented for a test."
    brief = build_brief(data, GENERATED_AT)
    files = write_brief(brief, out_dir, interactive=False, tables=True)
    return Built(data, brief, files, out_dir / scope)


def small_briefs(conn, tmp_path_factory) -> dict[str, Built]:
    """{"SG17": ..., "sector": ..., "SG17-synthetic": ...}, built on first use."""
    if "briefs" not in _CACHE:
        out = tmp_path_factory.mktemp("briefs")
        built = {scope: build(conn, out / "real", scope) for scope in SCOPES}
        built["SG17-synthetic"] = build(conn, out / "synthetic", "SG17", synthetic=True)
        _CACHE["briefs"] = built
    return _CACHE["briefs"]


def markdown_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """Every table of a Markdown brief, by caption (without the 'Table n – ' prefix): a list of row dicts."""
    tables: dict[str, list[dict[str, str]]] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = re.fullmatch(r"\*\*Table \d+ – (.+)\*\*", line)
        if not match:
            continue
        header = _cells(lines[i + 2])
        rows = []
        for row in lines[i + 4 :]:
            if not row.startswith("|"):
                break
            rows.append(dict(zip(header, _cells(row), strict=True)))
        tables[match.group(1)] = rows
    return tables


def _cells(line: str) -> list[str]:
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def table_by_prefix(tables: dict[str, list[dict[str, str]]], prefix: str) -> list[dict[str, str]]:
    found = [rows for caption, rows in tables.items() if caption.startswith(prefix)]
    assert len(found) == 1, f"expected one table starting {prefix!r}, found {list(tables)}"
    return found[0]


def parse_number(text: str) -> float | None:
    """The value of a brief cell: '45.3%' -> 0.453, '1,234' -> 1234, '+3.2 pp' -> 0.032, '831 days' -> 831,
    'n/a' -> None."""
    text = text.strip().removesuffix(" days").removesuffix(" (partial year)")
    if text == "n/a":
        return None
    if text.endswith(" pp"):
        return float(text[:-3].replace(",", "")) / 100
    if text.endswith("%"):
        return float(text[:-1].replace(",", "")) / 100
    return float(text.replace(",", ""))


def assert_matches(cell: str, value, what: str) -> None:
    """A brief cell equals the mart value it came from (NULL <-> n/a, else within the format's rounding)."""
    import math

    import pandas as pd

    parsed = parse_number(cell)
    missing = value is None or (not isinstance(value, str) and pd.isna(value))
    if missing:
        assert parsed is None, f"{what}: brief says {cell!r}, mart has NULL"
        return
    assert parsed is not None, f"{what}: brief says n/a, mart has {value}"
    raw = cell.strip().removesuffix(" days").removesuffix(" (partial year)")
    half = 0.5 * 10 ** (-(len(raw.rstrip("%").removesuffix(" pp").split(".")[1]) if "." in raw else 0))
    if raw.endswith("%") or raw.endswith(" pp"):
        half /= 100
    assert math.isclose(parsed, float(value), abs_tol=half + 1e-9), f"{what}: brief {cell!r} != mart {value}"


# The bundled sample (tests/analytics builds its warehouse once per session) for the tests of what a brief says
# about every study group: the first page, the growing-or-shrinking table.
SAMPLE_YEAR = 2025
SAMPLE_GENERATED_AT = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)


def bundled_sample():
    """The bundled sample's warehouse (skips where the sample is absent)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "analytics"))
    from analytics_fixture import sample_warehouse

    return sample_warehouse()


_SAMPLE_BRIEFS: dict[str, tuple] = {}


def sample_brief(scope: str, year: int = SAMPLE_YEAR) -> tuple:
    """(BriefData, Brief) of a scope of the bundled sample, built once per session (no files written)."""
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data

    key = f"{scope}-{year}"
    if key not in _SAMPLE_BRIEFS:
        data = load_brief_data(bundled_sample(), scope, year)
        _SAMPLE_BRIEFS[key] = (data, build_brief(data, SAMPLE_GENERATED_AT))
    return _SAMPLE_BRIEFS[key]


def brief_table(brief, label: str):
    """The table of a brief (content model) with this label."""
    return next(t for t in brief.tables() if t.label == label)


def find_chromium() -> str:
    """Debian's headless Chromium (skips where it is absent; .ci/run installs it)."""
    import shutil

    import pytest

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no chromium here (Debian package 'chromium'; .ci/run installs it)")
    return found


_SAMPLE_BRIEFS: dict[str, tuple] = {}


def sample_briefs(*scopes: str) -> dict[str, tuple]:
    """{scope: (Brief, its Markdown)} of the bundled sample in SAMPLE_YEAR, each built once per session (no charts
    rendered)."""
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.render_markdown import render_markdown

    conn = bundled_sample()
    for scope in scopes:
        if scope not in _SAMPLE_BRIEFS:
            brief = build_brief(load_brief_data(conn, scope, SAMPLE_YEAR), SAMPLE_GENERATED_AT)
            _SAMPLE_BRIEFS[scope] = (brief, render_markdown(brief))
    return {scope: _SAMPLE_BRIEFS[scope] for scope in scopes}
