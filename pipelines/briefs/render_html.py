"""The HTML form of a brief: one self-contained file (inline SVG charts, inline CSS), print-friendly on A4.

On synthetic data a fixed banner says SAMPLE DATA — synthetic on screen and at the top of every printed
page; the page content sits in a table whose repeated header row keeps the banner's space free on each page.
"""

from __future__ import annotations

import html
import re

from pipelines.briefs.model import Brief, Figure, Note, Paragraph, Statement, Statements, Table

CSS = """
@page { size: A4; margin: 12mm 15mm 14mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Liberation Serif", "Times New Roman", Times, serif; font-size: 11pt; line-height: 1.35;
       color: #111; margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
.banner { position: fixed; top: 0; left: 0; right: 0; height: 9mm; line-height: 9mm; z-index: 10;
          background: #000; color: #fff; text-align: center; font: bold 11pt "DejaVu Sans", Arial, sans-serif;
          letter-spacing: 0.04em; }
.banner.long { height: auto; min-height: 9mm; line-height: 1.35; padding: 1.2mm 4mm; font-size: 8.5pt;
               letter-spacing: 0; }
table.page { width: 100%; border-collapse: collapse; border: 0; }
table.page > thead > tr > td { height: var(--banner-space); padding: 0; border: 0; }
table.page > tbody > tr > td { padding: 0; border: 0; }
.titleblock { width: 100%; border-collapse: collapse; margin: 4mm 0 5mm 0; font-size: 10pt; }
.titleblock td { border: 0; border-bottom: 1px solid #999; padding: 1.5mm 2mm; vertical-align: top;
                 text-align: left; }
.titleblock .itu { font: bold 9pt "DejaVu Sans", Arial, sans-serif; line-height: 1.4; }
.titleblock .group { font: bold 20pt "DejaVu Sans", Arial, sans-serif; text-align: right; }
.titleblock th { text-align: left; width: 26mm; padding: 1.5mm 2mm; border-bottom: 1px solid #999;
                 font-weight: bold;
                 vertical-align: top; }
h1 { font-size: 15pt; margin: 2mm 0; }
h2 { font-size: 13pt; margin: 7mm 0 2mm 0; break-after: avoid; page-break-after: avoid; }
h2 .num { display: inline-block; min-width: 9mm; }
p { margin: 0 0 2.5mm 0; }
ul.evidence { margin: 0 0 3mm 0; padding-left: 6mm; }
ul.evidence li { margin-bottom: 1.5mm; }
.rule { color: #555; font-size: 9pt; }
.note { font-style: italic; color: #333; }
.tablewrap { break-inside: avoid; page-break-inside: avoid; margin: 3mm 0 4mm 0; }
.tablewrap.long { break-inside: auto; page-break-inside: auto; }
table.data { border-collapse: collapse; width: 100%; font: 9pt "DejaVu Sans", Arial, sans-serif; }
table.data caption { caption-side: top; font: bold 10pt "Liberation Serif", "Times New Roman", serif;
                     text-align: center; padding-bottom: 1.5mm; }
table.data th, table.data td { border: 1px solid #999; padding: 0.8mm 1.5mm; vertical-align: top;
                               overflow-wrap: break-word; }
table.data thead th { background: #E6E6E6; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; page-break-inside: avoid; }
td.r, th.r { text-align: right; white-space: nowrap; }
th.r { white-space: normal; }
td.l, th.l { text-align: left; }
.source { font-size: 8.5pt; color: #444; font-style: italic; margin-top: 1mm; }
figure { margin: 4mm 0 5mm 0; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
.tablewrap, figure { scroll-margin-top: calc(var(--banner-space) + 3mm); }
figcaption { font-weight: bold; font-size: 10pt; margin-top: 1.5mm; }
a { color: #0072B2; }
@media screen { body { background: #fff; overflow-wrap: break-word; }
  /* On a narrow screen a wide table scrolls in its own box: the page is never wider than the screen. */
  .tablewrap { overflow-x: auto; max-width: 100%; }
  table.page, table.page > tbody > tr > td { max-width: 100vw; }
  table.page { table-layout: fixed; } }
@media print { a { color: #111; text-decoration: none; } .interactive { display: none; } }
"""


# Sorts a table.sortable by a click (or Enter) on a column heading: numbers as numbers ('+12.5%', '1,234',
# 'SG11'), text after them, '<5' and 'n/a' last. Inline, so the page works offline from its folder.
SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, column) {
    th.tabIndex = 0;
    th.title = "Sort by this column";
    function key(row) {
      var text = row.cells[column].textContent.trim();
      if (text === "n/a" || text.charAt(0) === "<") return null;
      var number = parseFloat(text.replace(/[^0-9.+-]/g, ""));
      return isNaN(number) ? text : number;
    }
    function sort() {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === null || y === null) return (x === null) - (y === null);
        if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
        var order = typeof x === "number" ? x - y : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
    });
  });
});
"""
SORT_CSS = """
table.sortable thead th { cursor: pointer; }
table.sortable thead th[aria-sort=ascending]::after { content: " \\25B2"; }
table.sortable thead th[aria-sort=descending]::after { content: " \\25BC"; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _anchor(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def scope_svg_ids(svg: str, prefix: str) -> str:
    """Prefix the ids of one inline SVG (clip paths, gradients) so that the charts of a page never clash."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for ident in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}{ident}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{prefix}{ident})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{prefix}{ident}"')
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)


def _cite(brief: Brief, statement: Statement) -> str:
    refs = ", ".join(f'<a href="#{_anchor(label)}">{_e(brief.ref(label))}</a>' for label in statement.cites)
    return f'{_e(statement.text.rstrip("."))} ({refs}). <span class="rule">[{_e(statement.rule_id)}]</span>'


def table_html(table: Table, caption: str | None = None) -> str:
    """A data table (sortable when the table says so); the caption defaults to 'Table n – ...'."""
    align = table.alignment()
    caption = f"Table {table.number} – {table.caption}" if caption is None else caption
    head = "".join(f'<th class="{a}">{_e(c)}</th>' for c, a in zip(table.columns, align, strict=True))
    body = "".join(
        "<tr>" + "".join(f'<td class="{a}">{_e(c)}</td>' for c, a in zip(row, align, strict=True)) + "</tr>"
        for row in table.rows
    )
    note = f" {_e(table.note)}" if table.note else ""
    long = " long" if len(table.rows) > 12 else ""
    return (
        f'<div class="tablewrap{long}" id="{_anchor(table.label)}">'
        f'<table class="data{" sortable" if table.sortable else ""}">'
        f"<caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f'<tbody>{body}</tbody></table><div class="source">Source: {_e(table.source)}.{note}</div></div>'
    )


def _figure(figure: Figure, chart_dir: str) -> str:
    svg = scope_svg_ids(figure.svg or "", f"f{figure.number}-")
    link = (
        f' <a class="interactive" href="{_e(chart_dir)}/{_e(figure.name)}.html">Interactive version</a>'
        if figure.interactive
        else ""
    )
    return (
        f'<figure id="{_anchor(figure.label)}" role="group" aria-label="{_e(figure.alt_text)}">{svg}'
        f"<figcaption>Figure {figure.number} – {_e(figure.caption)}</figcaption>"
        f'<div class="source">Source: {_e(figure.source)}.{link}</div></figure>'
    )


def render_html(brief: Brief, chart_dir: str = "charts") -> str:
    """The brief as one HTML page; figures must have their SVG (see build.render_figures)."""
    missing = [f.name for f in brief.figures() if not f.svg]
    if missing:
        raise ValueError(f"figures without SVG: {missing}")
    parts = []
    for section in brief.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append(table_html(block))
            elif isinstance(block, Figure):
                blocks.append(_figure(block, chart_dir))
            elif isinstance(block, Statements):
                blocks.append(
                    '<ul class="evidence">'
                    + "".join(f"<li>{_cite(brief, s)}</li>" for s in block.items)
                    + "</ul>"
                )
            elif isinstance(block, Note):
                blocks.append(f'<p class="note">{_e(block.text)}</p>')
            elif isinstance(block, Paragraph):
                blocks.append(f"<p>{_e(block.text)}</p>")
        parts.append(
            f'<section><h2><span class="num">{section.number}</span>{_e(section.title)}</h2>'
            + "".join(blocks)
            + "</section>"
        )
    summary = []
    statements = [s for s in brief.summary if isinstance(s, Statement)]
    for item in brief.summary:
        if isinstance(item, Paragraph):
            summary.append(f"<p>{_e(item.text)}</p>")
    if statements:
        summary.append(
            '<ul class="evidence">' + "".join(f"<li>{_cite(brief, s)}</li>" for s in statements) + "</ul>"
        )
    banner = ""
    space = "0mm"
    if brief.watermark:
        # A mixed run's banner names its real and synthetic domains: two lines, in smaller type.
        long = len(brief.watermark) > 60
        banner = f'<div class="banner{" long" if long else ""}" role="note">{_e(brief.watermark)}</div>'
        space = "17mm" if long else "12mm"
    detail = (
        f'<p class="note"><strong>{_e(brief.watermark)}</strong> — {_e(brief.notice_detail)}</p>'
        if brief.watermark and brief.notice_detail
        else ""
    )
    titleblock = (
        '<table class="titleblock">'
        '<tr><td class="itu">INTERNATIONAL TELECOMMUNICATION UNION<br>'
        "TELECOMMUNICATION STANDARDIZATION SECTOR<br>"
        f'STUDY PERIOD {_e(brief.study_period or "n/a")}</td><td class="group">TSAG</td></tr></table>'
        '<table class="titleblock">'
        f"<tr><th>Source:</th><td>sgpulse</td></tr><tr><th>Title:</th><td><strong>{_e(brief.title)}</strong></td></tr>"
        f"<tr><th>Date:</th><td>{brief.generated_at.date().isoformat()}</td></tr>"
        "<tr><th>Purpose:</th><td>Information</td></tr>"
        f"<tr><th>Keywords:</th><td>{_e(', '.join(brief.keywords))}</td></tr></table>"
    )
    sortable = any(t.sortable for t in brief.tables())
    script = f"<script>{SORT_SCRIPT}</script>" if sortable else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(brief.title)}</title><style>:root {{ --banner-space: {space}; }}{CSS}{SORT_CSS}</style></head>"
        f'<body>{banner}<table class="page"><thead><tr><td></td></tr></thead><tbody><tr><td>'
        f"{titleblock}{detail}<h1>{_e(brief.title)}</h1><h2>Summary</h2>{''.join(summary)}"
        f"{''.join(parts)}</td></tr></tbody></table>{script}</body></html>\n"
    )
