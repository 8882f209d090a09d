"""The evidence site: `<out>/index.html`, what TSAG opens first. One card per study group (its title, headline KPIs,
flags for high risks and off-track KPIs, links to every year's HTML, Word and Markdown), the sector brief, the
growing-or-shrinking tables and every table of every brief as CSV. It works offline from its folder (nothing is
fetched) and fits a 390 px screen: cards stack, wide tables scroll inside their own box.

A brief's card is made from its BriefData when the brief is built (`card`) and written beside it as
`<scope>/card-<scope>-<year>.json` (`write_card`), so the index, written after every brief, reads only files.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from pipelines.briefs.parts import unit_label
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import format_value
from pipelines.formatting.suppression import SUPPRESSED, people_kpi_hidden

CARD_KPIS = ("participants", "contributions", "recs_approved", "countries")
KINDS = (("html", "HTML"), ("docx", "Word"), ("md", "Markdown"))

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;line-height:1.4;
 overflow-wrap:break-word}
h1{font-size:1.6em;margin:.3em 0} h2{font-size:1.25em;margin:1.6em 0 .5em}
nav a{margin-right:1em;white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(17em,100%),1fr));gap:.9em}
.card{border:1px solid #999;border-radius:4px;padding:.6em .8em;min-width:0}
.card h3{margin:0;font-size:1.2em} .card .title{margin:.2em 0 .5em;color:#333;font-size:.92em}
.card dl{display:grid;grid-template-columns:1fr auto;gap:.1em .8em;margin:.4em 0;font-size:.92em}
.card dt{color:#333} .card dd{margin:0;text-align:right;font-weight:bold}
.flag{margin:.3em 0;font-size:.9em} .flag.high,.flag.off{border-left:4px solid #B00;padding-left:.4em}
.flag.none{border-left:4px solid #2A7;padding-left:.4em}
.links{font-size:.9em;margin:.4em 0 0} .links span{white-space:nowrap}
td,th{padding:2px 10px;border-bottom:1px solid #ccc;text-align:left} td.r,th.r{text-align:right}
.tablewrap{overflow-x:auto;margin:1em 0;max-width:100%} caption{font-weight:bold;text-align:left;padding:4px 0}
.source{font-size:85%;color:#444;font-style:italic} details{margin:.3em 0} details ul{margin:.3em 0 .6em}
"""


def card(data, people_hidden=None) -> dict:
    """What the index shows of a brief, from its BriefData, values written as the brief writes them: the headline
    KPIs (people figures of a year with fewer than 5 participants suppressed), the high risks and the KPIs off
    track against their targets in the brief's year."""
    cat = catalogue()
    hidden = people_hidden or (
        lambda kpi_id: people_kpi_hidden(kpi_id, lambda y: data.kpi("participants", y), data.year)
    )
    kpis = []
    for kpi_id in CARD_KPIS:
        kpi = cat.get(kpi_id)
        value = data.kpi(kpi_id)
        text = SUPPRESSED if hidden(kpi_id) else format_value(value, kpi.unit)
        if value is not None and data.coverage is not None and data.coverage.is_partial(data.year, kpi_id):
            text += " (partial year)"
        kpis.append({"name": kpi.name, "label": unit_label(kpi_id), "value": text})
    high = []
    if data.risks is not None and not data.risks.empty:
        rows = data.risks[data.risks["level"].astype(str) == "high"]
        if not data.is_sector:
            rows = rows[rows["sg"] == data.scope]
        for r in rows.itertuples():
            name = _indicator(r.indicator)
            high.append(f"{name} ({r.sg})" if data.is_sector else name)
    off = []
    targets = data.targets[(data.targets["year"] == data.year) & (data.targets["status"] == "off track")]
    for r in targets.itertuples():
        kpi = cat.get(r.kpi)
        unit = "days" if kpi.unit == "days" else ""
        off.append(
            f"{kpi.name} {format_value(r.value, kpi.unit)}{' ' + unit if unit else ''} "
            f"(target {format_value(r.target, kpi.unit)})"
        )
    return {
        "scope": data.scope,
        "year": data.year,
        "title": data.title,
        "kpis": kpis,
        "high_risks": high,
        "off_track": off,
    }


def _indicator(indicator: str) -> str:
    try:
        return catalogue().get(indicator).name
    except KeyError:
        return indicator


def write_card(brief, folder: Path, table_dir: str) -> Path:
    """The brief's card with the list of its tables' CSV files (captions as the brief numbers them)."""
    tables = [
        {"file": f"{table_dir}/{brief.table_file(t)}", "caption": f"Table {t.number} – {t.caption}"}
        for t in brief.tables()
    ]
    path = Path(folder) / f"card-{brief.scope}-{brief.year}.json"
    path.write_text(
        json.dumps({**brief.card, "tables": tables}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return path


def read_cards(out_dir: Path) -> dict[tuple[str, int], dict]:
    """Every card under out_dir: (scope, year) -> card (its CSV paths relative to out_dir)."""
    cards = {}
    for path in sorted(Path(out_dir).glob("*/card-*.json")):
        found = json.loads(path.read_text(encoding="utf-8"))
        folder = path.parent.name
        for table in found.get("tables", []):
            table["file"] = f"{folder}/{table['file']}"
        cards[(found["scope"], int(found["year"]))] = found
    return cards


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _links(files: dict[str, dict[str, str]]) -> str:
    """'2025: HTML · Word · Markdown' per year, newest first."""
    lines = []
    for year in sorted(files, reverse=True):
        kinds = [f'<a href="{_e(files[year][k])}">{label}</a>' for k, label in KINDS if k in files[year]]
        lines.append(f"<span>{year}: {' · '.join(kinds)}</span>")
    return '<p class="links">' + "<br>".join(lines) + "</p>"


def card_html(found: dict, files: dict[int, dict[str, str]]) -> str:
    """One card: title, headline KPIs with units, the flags in words, the links by year."""
    scope = found["scope"]
    name = "ITU-T sector" if scope == "sector" else scope
    latest = files.get(found["year"], {}).get("html")
    heading = f'<a href="{_e(latest)}">{_e(name)}</a>' if latest else _e(name)
    kpis = "".join(f"<dt>{_e(k['label'])}</dt><dd>{_e(k['value'])}</dd>" for k in found["kpis"])
    flags = [
        _flag(found["high_risks"], "high", "high risk", "high risks", "No high risk"),
        _flag(found["off_track"], "off", "KPI off track", "KPIs off track", "No KPI off track"),
    ]
    return (
        f'<article class="card" id="card-{_e(scope)}"><h3>{heading}</h3>'
        f'<p class="title">{_e(found["title"])}, {found["year"]}</p><dl>{kpis}</dl>{"".join(flags)}'
        f"{_links(files)}</article>"
    )


def _flag(items: list[str], kind: str, one: str, many: str, none: str) -> str:
    """A flag in words ('2 high risks: ...' or 'No high risk'), never by colour alone."""
    if not items:
        return f'<p class="flag none">{none}</p>'
    return (
        f'<p class="flag {kind}">{len(items)} {one if len(items) == 1 else many}: {_e("; ".join(items))}</p>'
    )


def csv_html(cards: dict[tuple[str, int], dict], order) -> tuple[str, list[str]]:
    """Every table of every brief as a CSV link, one list per brief (HTML, and Markdown lines)."""
    parts, lines = [], []
    for scope, year in order:
        found = cards.get((scope, year))
        if not found or not found.get("tables"):
            continue
        name = "Sector" if scope == "sector" else scope
        items = "".join(f'<li><a href="{_e(t["file"])}">{_e(t["caption"])}</a></li>' for t in found["tables"])
        parts.append(
            f"<details><summary>{_e(name)} {year}: {len(found['tables'])} tables</summary><ul>{items}</ul></details>"
        )
        lines += [f"- {name} {year}: " + ", ".join(f"[{t['caption']}]({t['file']})" for t in found["tables"])]
    return "".join(parts), lines


def page(title: str, banner: str, body: str, script: str = "", extra_css: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}{extra_css}</style></head>"
        f"<body>{banner}{body}{script}</body></html>\n"
    )


def card_markdown(found: dict, files: dict[int, dict[str, str]]) -> str:
    """A card as one Markdown list item: scope and title, KPIs, flags, links by year."""
    name = "ITU-T sector" if found["scope"] == "sector" else found["scope"]
    kpis = "; ".join(f"{k['name'].lower()} {k['value']}" for k in found["kpis"])
    flags = [
        f"high risks: {'; '.join(found['high_risks'])}" if found["high_risks"] else "no high risk",
        f"off track: {'; '.join(found['off_track'])}" if found["off_track"] else "no KPI off track",
    ]
    links = " · ".join(
        f"{year}: " + ", ".join(f"[{label}]({files[year][k]})" for k, label in KINDS if k in files[year])
        for year in sorted(files, reverse=True)
    )
    return f"- **{name}** – {found['title']}, {found['year']}: {kpis}. {flags[0].capitalize()}; {flags[1]}. {links}"
