"""Build briefs on disk from a published warehouse: <out>/<scope>/brief-<scope>-<year>.{html,docx,md}.

    build_all_briefs(Path("data/marts/warehouse.duckdb"), Path("data/marts/briefs"))

Each brief is built once as a content model (`content.build_brief`) and rendered three times. Charts are
exported as SVG (inline in the HTML, linked from the Markdown), PNG (the Word figures) and, for the
sector's relevance and overlap maps, as an interactive HTML page.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.briefs.model import Brief
from pipelines.workers import new_pool

if TYPE_CHECKING:
    from pipelines.charts.export import RenderCache

FORMATS = ("html", "docx", "md")
WORKERS_ENV = "SGPULSE_BRIEF_WORKERS"
CHART_DIR = "charts"
TABLE_DIR = "tables"  # every table of a brief as CSV: <scope>/tables/<scope>-<year>-<table>.csv
RENDER_CACHE = Path(".cache") / "charts"  # under the output folder


@dataclass
class BriefOutput:
    scope: str
    year: int
    folder: Path
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    markdown: str = ""
    synthetic: bool = False
    charts_rendered: int = 0  # renderings (SVG, PNG, HTML) made by this build
    charts_reused: int = 0  # renderings read back from the render cache

    def file(self, suffix: str) -> Path | None:
        return next((f for f in self.files if f.name.startswith("brief-") and f.suffix == suffix), None)


def render_figures(
    brief: Brief, svg: bool = True, png: bool = True, png_scale: float = 2.0, cache: RenderCache | None = None
) -> Brief:
    """Fill in each figure's SVG and PNG (vl-convert), reusing the cache's renderings of the same specs."""
    from pipelines.charts.export import RenderCache

    cache = cache or RenderCache(None)
    for figure in brief.figures():
        if (svg or png) and figure.svg is None:
            figure.svg = cache.svg(figure.spec)
        if png and figure.png is None:
            # Rasterising the SVG gives the same PNG bytes at about half the cost of rendering the spec again.
            figure.png = cache.png(figure.spec, figure.svg, png_scale)
            figure.png_scale = png_scale
    return brief


def write_brief(
    brief: Brief,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    interactive: bool = True,
    cache: RenderCache | None = None,
    tables: bool = False,
) -> list[Path]:
    """Write one brief's files under out_dir/<scope>/ and return them (brief files first, then charts; with
    `tables`, every table as CSV under <scope>/tables/, as the evidence briefs have it).

    Charts are rendered through `cache` (by default the output folder's own, out_dir/.cache/charts).
    """
    from pipelines.briefs.render_html import render_html
    from pipelines.briefs.render_markdown import render_markdown
    from pipelines.charts.export import RenderCache

    formats = tuple(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown brief format(s) {sorted(unknown)}; choose from {FORMATS}")
    folder = Path(out_dir) / brief.scope
    charts = folder / CHART_DIR
    charts.mkdir(parents=True, exist_ok=True)
    cache = cache or RenderCache(Path(out_dir) / RENDER_CACHE)
    render_figures(brief, svg=True, png="docx" in formats, cache=cache)
    written: list[Path] = []
    if "html" in formats:
        path = folder / f"{brief.slug}.html"
        path.write_text(render_html(brief, CHART_DIR), encoding="utf-8")
        written.append(path)
    if "docx" in formats:
        from pipelines.briefs.render_docx import render_docx

        written.append(render_docx(brief, folder / f"{brief.slug}.docx"))
    if "md" in formats:
        path = folder / f"{brief.slug}.md"
        path.write_text(render_markdown(brief, CHART_DIR), encoding="utf-8")
        written.append(path)
    if tables:
        from pipelines.briefs.site import write_card

        written += write_tables(brief, folder / TABLE_DIR)
        if brief.card:
            written.append(write_card(brief, folder, TABLE_DIR))
    for figure in brief.figures():
        path = charts / f"{figure.name}.svg"
        path.write_text(figure.svg or "", encoding="utf-8")
        written.append(path)
        if figure.png:
            path = charts / f"{figure.name}.png"
            path.write_bytes(figure.png)
            written.append(path)
        if interactive and figure.interactive:
            path = charts / f"{figure.name}.html"
            path.write_text(cache.html(figure.spec), encoding="utf-8")
            written.append(path)
    return written


def write_tables(brief: Brief, folder: Path) -> list[Path]:
    """Every table of the brief as a CSV file (UTF-8, a header row, the cells as the brief writes them)."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in brief.tables():
        path = folder / brief.table_file(table)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            writer.writerows(table.rows)
        written.append(path)
    return written


def _growth_tables(out_dir: Path) -> tuple[int | None, list[tuple[str, Path]]]:
    """The growing-or-shrinking tables of the latest sector brief in out_dir: (year, [(kpi id, CSV)])."""
    from pipelines.briefs.growth import GROWTH_KPIS

    folder = out_dir / "sector" / TABLE_DIR
    years = sorted(
        int(year)
        for p in folder.glob("sector-*-growth-*.csv")
        if (year := p.name.removeprefix("sector-").split("-", 1)[0]).isdigit()
    )
    if not years:
        return None, []
    found = [
        (kpi, path)
        for kpi in GROWTH_KPIS
        if (path := folder / f"sector-{years[-1]}-growth-{kpi.replace('_', '-')}.csv").exists()
    ]
    return years[-1], found


def _growth_html(out_dir: Path) -> tuple[str, list[str]]:
    """The index's growing-or-shrinking tables (sortable HTML, and Markdown lines linking their CSV)."""
    import csv

    from pipelines.briefs.model import Table
    from pipelines.briefs.parts import unit_label
    from pipelines.briefs.render_html import table_html

    year, found = _growth_tables(out_dir)
    if not found:
        return "", []
    parts = [f'<h2 id="growth">Growing or shrinking, {year}</h2>']
    lines = ["", f"## Growing or shrinking, {year}", ""]
    for kpi, path in found:
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        link = path.relative_to(out_dir).as_posix()
        table = Table(
            label=f"tab:growth-{kpi}",
            caption=f"{unit_label(kpi)} per study group, {year}",
            columns=header,
            rows=rows,
            source=f"the sector brief {year} (CSV: {link})",
            align=["l", "r", "r", "r", "r", "r", "r", "l"][: len(header)],
            sortable=True,
        )
        parts.append(table_html(table, table.caption))
        parts.append(f'<p><a href="{link}">{unit_label(kpi)}: CSV</a></p>')
        lines.append(f"- {unit_label(kpi)} per study group: [CSV]({link})")
    return "".join(parts), lines


def build_one(
    conn: duckdb.DuckDBPyConnection,
    scope: str,
    year: int,
    out_dir: Path,
    run_id: str | None = None,
    warehouse: str = "",
    generated_at: dt.datetime | None = None,
    formats: Iterable[str] = FORMATS,
    interactive: bool = True,
    cache_dir: Path | None = None,
) -> BriefOutput:
    """Read, build and write the brief of one scope (an SG such as "SG17", or "sector").

    Charts are rendered through the cache in `cache_dir` (default: the output folder's own)."""
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import generation_time, load_brief_data
    from pipelines.briefs.render_markdown import render_markdown
    from pipelines.charts.export import RenderCache

    started = time.monotonic()
    data = load_brief_data(conn, scope, year, run_id=run_id, warehouse=warehouse)
    brief = build_brief(data, generated_at or generation_time())
    cache = RenderCache(cache_dir or Path(out_dir) / RENDER_CACHE)
    files = write_brief(brief, out_dir, formats, interactive, cache, tables=True)
    return BriefOutput(
        scope=scope,
        year=year,
        folder=Path(out_dir) / scope,
        files=files,
        seconds=time.monotonic() - started,
        markdown=render_markdown(brief, CHART_DIR),
        synthetic=brief.synthetic,
        charts_rendered=cache.misses,
        charts_reused=cache.hits,
    )


def build_briefs(
    conn: duckdb.DuckDBPyConnection,
    out_dir: Path,
    year: int | None = None,
    scopes: Iterable[str] | None = None,
    run_id: str | None = None,
    warehouse: str = "",
    generated_at: dt.datetime | None = None,
    formats: Iterable[str] = FORMATS,
    interactive: bool = True,
) -> list[BriefOutput]:
    """Every SG active in `year` (default: latest year with a meeting) and the sector, plus an index page."""
    from pipelines.briefs.data import brief_scopes, default_year, generation_time

    year = year or default_year(conn)
    generated_at = generated_at or generation_time()
    scopes = list(scopes) if scopes is not None else brief_scopes(conn, year)
    outputs = [
        build_one(conn, scope, year, out_dir, run_id, warehouse, generated_at, formats, interactive)
        for scope in scopes
    ]
    write_index(out_dir, generated_at)
    return outputs


def build_all_briefs(
    warehouse: Path,
    out_dir: Path,
    year: int | None = None,
    scopes: Iterable[str] | None = None,
    run_id: str | None = None,
    formats: Iterable[str] = FORMATS,
    workers: int | None = None,
    pool: ProcessPoolExecutor | None = None,
    cache_dir: Path | None = None,
    warehouse_name: str | None = None,
) -> list[BriefOutput]:
    """Open the warehouse read-only and build the briefs, one worker process per core.

    A refresh builds them from its build file into its staging folder (pipelines/outputs.py): `cache_dir` is
    then the published output folder's render cache, and `warehouse_name` the name the briefs give as their
    source (the published file's, not the build's).

    `pool` (a `pipelines.workers.Workers` pool, left running) builds them in workers started earlier;
    without it, a pool of `workers` processes is started here. Building every brief of the year also empties
    the render cache of what none of them used, so the cache holds one build's charts, not every build's.
    """
    from pipelines.briefs.data import brief_scopes, default_year, generation_time
    from pipelines.charts.export import RenderCache
    from pipelines.coverage import load_coverage

    build_started = time.time()
    every_scope = scopes is None
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse} (run `sgpulse refresh` first)")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        # A year the data do not cover is refused before anything is written (one line: the years there are).
        year = load_coverage(conn).check_year(year) if year is not None else default_year(conn)
        scopes = list(scopes) if scopes is not None else brief_scopes(conn, year)
    generated_at = generation_time()
    cache_dir = cache_dir or Path(out_dir) / RENDER_CACHE
    task = (year, run_id, generated_at, formats, cache_dir, warehouse_name or warehouse.name)
    if pool is not None:
        outputs = _build_in_pool(pool, warehouse, Path(out_dir), scopes, *task)
    elif (workers := min(len(scopes), workers or brief_workers())) <= 1:
        outputs = [_build_in_worker(warehouse, out_dir, scope, *task) for scope in scopes]
    else:
        with new_pool(workers) as own:
            outputs = _build_in_pool(own, warehouse, Path(out_dir), scopes, *task)
    write_index(Path(out_dir), generated_at)
    if every_scope:
        RenderCache(cache_dir).prune(build_started)
    return outputs


def _build_in_pool(
    pool: ProcessPoolExecutor, warehouse: Path, out_dir: Path, scopes: list[str], *task
) -> list[BriefOutput]:
    # The sector brief has the most charts: start it first so it does not finish last.
    order = sorted(scopes, key=lambda s: s != "sector")
    futures = {scope: pool.submit(_build_in_worker, warehouse, out_dir, scope, *task) for scope in order}
    # Every brief finishes (or fails) before the first failure is raised: none is left running, half-written.
    wait(futures.values())
    return [futures[scope].result() for scope in scopes]


def brief_workers() -> int:
    """Worker processes for the briefs: SGPULSE_BRIEF_WORKERS, else the number of cores."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise ValueError(f"{WORKERS_ENV} must be a whole number of at least 1, not {configured!r}")
        return int(configured)
    return os.cpu_count() or 1


def _build_in_worker(
    warehouse: Path,
    out_dir: Path,
    scope: str,
    year: int,
    run_id: str | None,
    generated_at: dt.datetime,
    formats: Iterable[str],
    cache_dir: Path | None = None,
    warehouse_name: str | None = None,
) -> BriefOutput:
    """One brief on its own read-only connection (DuckDB lets many processes read one file)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return build_one(
            conn,
            scope,
            year,
            Path(out_dir),
            run_id,
            warehouse_name or warehouse.name,
            generated_at,
            formats,
            cache_dir=cache_dir,
        )


def _banner_of(markdown: Path) -> str | None:
    """The banner a Markdown brief opens with (SAMPLE DATA — synthetic, MIXED DATA — ...), if any."""
    from pipelines.coverage import MIXED_BANNER, SAMPLE_BANNER

    first = markdown.read_text(encoding="utf-8").split("\n", 1)[0]
    for start in (SAMPLE_BANNER, MIXED_BANNER):
        if first.startswith(f"**{start}"):
            return first.removeprefix("**").split("**", 1)[0]
    return None


def write_index(out_dir: Path, generated_at: dt.datetime) -> list[Path]:
    """index.md and index.html at the top of out_dir, the evidence site's first page (pipelines/briefs/site.py):
    the sector brief and a card per study group (latest year), the growing-or-shrinking tables, every table of
    every brief as CSV, and every brief found there (newest year first), linked."""
    import html

    from pipelines.briefs import site
    from pipelines.formatting.ordering import sg_sort_key

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    found: dict[tuple[str, int], dict[str, str]] = {}
    for path in out_dir.glob("*/brief-*.*"):
        scope, _, year = path.stem.removeprefix("brief-").rpartition("-")
        if path.suffix in (".html", ".docx", ".md") and year.isdigit():
            found.setdefault((scope, int(year)), {})[path.suffix[1:]] = path.relative_to(out_dir).as_posix()
    keys = sorted(found, key=lambda k: (-k[1], k[0] == "sector", sg_sort_key(k[0])))
    banners = sorted({b for f in found.values() if "md" in f and (b := _banner_of(out_dir / f["md"]))})
    cards = {key: card for key, card in site.read_cards(out_dir).items() if key in found}
    files: dict[str, dict[int, dict[str, str]]] = {}
    for (scope, year), kinds in found.items():
        files.setdefault(scope, {})[year] = kinds
    latest: dict[str, int] = {}
    for scope, year in cards:
        latest[scope] = max(year, latest.get(scope, year))
    lines = [line for b in banners for line in (f"**{b}**", "")] + [
        "# Evidence briefs for TSAG",
        "",
        f"Index written {generated_at.isoformat()} by sgpulse.",
        "",
    ]
    sections = []
    if "sector" in latest:
        card = cards[("sector", latest["sector"])]
        sections.append(
            '<h2 id="sector">Sector brief</h2><div class="cards">'
            f"{site.card_html(card, files['sector'])}</div>"
        )
        lines += ["## Sector brief", "", site.card_markdown(card, files["sector"]), ""]
    sgs = sorted((s for s in latest if s != "sector"), key=sg_sort_key)
    if sgs:
        year = max(latest[s] for s in sgs)
        sections.append(
            f'<h2 id="study-groups">Study groups, {year}</h2><div class="cards">'
            + "".join(site.card_html(cards[(s, latest[s])], files[s]) for s in sgs)
            + "</div>"
        )
        lines += [f"## Study groups, {year}", ""]
        lines += [site.card_markdown(cards[(s, latest[s])], files[s]) for s in sgs] + [""]
    growth, growth_lines = _growth_html(out_dir)
    sections.append(growth)
    lines += growth_lines
    csv, csv_lines = site.csv_html(cards, keys)
    if csv:
        sections.append(f'<h2 id="tables">Every table as CSV</h2>{csv}')
        lines += ["", "## Every table as CSV", "", *csv_lines]
    lines += ["", "## All briefs", "", "| Brief | Year | HTML | Word | Markdown |", "|---|---|---|---|---|"]
    rows = []
    for scope, year in keys:
        kinds = found[(scope, year)]
        name = "Sector" if scope == "sector" else scope
        cells = [f"[{kind}]({kinds[kind]})" if kind in kinds else "n/a" for kind in ("html", "docx", "md")]
        lines.append(f"| {name} | {year} | " + " | ".join(cells) + " |")
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{year}</td>"
            + "".join(
                f'<td><a href="{html.escape(kinds[kind])}">{kind}</a></td>'
                if kind in kinds
                else "<td>n/a</td>"
                for kind in ("html", "docx", "md")
            )
            + "</tr>"
        )
    sections.append(
        '<h2 id="all">All briefs</h2><div class="tablewrap"><table><tr><th>Brief</th><th>Year</th><th>HTML</th>'
        f"<th>Word</th><th>Markdown</th></tr>{''.join(rows)}</table></div>"
    )
    # Published beside the index by the refresh (pipelines/defs/dictionary.py) and by `sgpulse export`.
    if (out_dir / "data-dictionary.html").exists():
        what = "what every column of the marts and core tables means"
        lines += [
            "",
            f"Data dictionary: [data-dictionary.html](data-dictionary.html) ([CSV](data-dictionary.csv)), {what}.",
        ]
        sections.append(
            '<p>Data dictionary: <a href="data-dictionary.html">data-dictionary.html</a> '
            f'(<a href="data-dictionary.csv">CSV</a>), {what}.</p>'
        )
    md = out_dir / "index.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    banner = "".join(
        f'<p style="background:#000;color:#fff;font-weight:bold;text-align:center;padding:4px">'
        f"{html.escape(b)}</p>"
        for b in banners
    )
    from pipelines.briefs.render_html import SORT_CSS, SORT_SCRIPT

    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label, shown in (
            ("sector", "Sector brief", "sector" in latest),
            ("study-groups", "Study groups", bool(sgs)),
            ("growth", "Growing or shrinking", bool(growth)),
            ("tables", "Tables as CSV", bool(csv)),
            ("all", "All briefs", True),
        )
        if shown
    )
    body = (
        f"<h1>Evidence briefs for TSAG</h1><p>Index written {generated_at.isoformat()} by sgpulse.</p>"
        f"<nav>{nav}</nav>{''.join(sections)}"
    )
    page = out_dir / "index.html"
    script = f"<script>{SORT_SCRIPT}</script>" if growth else ""
    page.write_text(site.page("Evidence briefs for TSAG", banner, body, script, SORT_CSS), encoding="utf-8")
    return [md, page]
