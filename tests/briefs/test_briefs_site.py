"""The evidence site (issue 21 item 10), on the bundled sample: index.html has a card per study group with its
headline KPIs and flags equal to the marts, the sector brief, every table of every brief as a CSV link; every link
resolves; nothing is fetched; and in a real headless Chromium neither the index nor a brief is wider than a 390 px
screen (wide tables scroll in their own box). tests/briefs/test_briefs_growth.py shoots the index and SG13's
brief at 1280 and 390 px into data/marts/briefs/_screens/ (not committed)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from briefs_fixture import SAMPLE_GENERATED_AT, SAMPLE_YEAR, bundled_sample, find_chromium, sample_brief

YEAR = SAMPLE_YEAR
SCOPES = ("SG3", "SG13", "sector")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The HTML and Markdown of SG3, SG13 and the sector (their CSV tables and cards) and the index."""
    from pipelines.briefs.build import write_brief, write_index

    bundled_sample()
    out = tmp_path_factory.mktemp("site")
    for scope in SCOPES:
        write_brief(sample_brief(scope)[1], out, formats=("html", "md"), interactive=False, tables=True)
    write_index(out, SAMPLE_GENERATED_AT)
    return out


def _cards(page: str) -> dict[str, str]:
    return dict(re.findall(r'<article class="card" id="card-([^"]+)">(.*?)</article>', page, flags=re.S))


def test_a_card_per_study_group_with_its_kpis_and_flags(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    cards = _cards(page)
    assert set(cards) == set(SCOPES)
    for scope in SCOPES:
        data, _ = sample_brief(scope)
        text = _text(cards[scope])
        assert data.title in text
        assert f"Participants (people) {int(data.kpi('participants')):,}" in text
        assert f"Contributions (documents) {int(data.kpi('contributions')):,}" in text
        assert f'href="{scope}/brief-{scope}-{YEAR}.html"' in cards[scope]
        assert f'href="{scope}/brief-{scope}-{YEAR}.md"' in cards[scope]
    sg3 = _text(cards["SG3"])
    # SG3 in 2025: the decline risk is high; countries, female share and industry share are off track.
    assert "1 high risk: Participation trend" in sg3
    assert "3 KPIs off track: Countries 26 (target 40); Female participation 27.0% (target 30.0%)" in sg3
    assert "No high risk" in _text(cards["SG13"]) and "No KPI off track" in _text(cards["SG13"])
    # The sector: the high risks of every SG, named with the SG.
    assert "3 high risks:" in _text(cards["sector"]) and "(SG3)" in _text(cards["sector"])


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_every_link_resolves_and_every_table_has_its_csv(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', page)
    assert links and all((site / link).is_file() for link in links), [
        x for x in links if not (site / x).is_file()
    ]
    listed = page.split('<h2 id="tables">', 1)[1].split("<h2", 1)[0]
    for scope in SCOPES:
        _, brief = sample_brief(scope)
        for table in brief.tables():
            assert listed.count(f'href="{scope}/tables/{brief.table_file(table)}"') == 1, table.label
    assert "<script src" not in page and "http" not in page.replace("http-equiv", "")
    assert "## Every table as CSV" in (site / "index.md").read_text(encoding="utf-8")


def _widths(chromium: str, page: Path, width: int) -> tuple[int, int]:
    """The page's scroll width and its viewport's, measured by Chromium in a frame `width` px wide (headless
    Chromium's own window is at least 500 px wide, whatever --window-size says)."""
    probe = page.parent / f"probe-{page.stem}.html"
    probe.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page.name}" '
        f'style="width:{width}px;height:900px;border:0"></iframe><script>'
        "document.getElementById('f').addEventListener('load', function () { var w = this.contentWindow; "
        "document.documentElement.setAttribute('data-widths', w.document.documentElement.scrollWidth + 'x' + "
        "w.innerWidth); });</script></body></html>",
        encoding="utf-8",
    )
    try:
        dom = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--allow-file-access-from-files",
                "--virtual-time-budget=5000",
                "--dump-dom",
                probe.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    finally:
        probe.unlink()
    found = re.search(r'data-widths="(\d+)x(\d+)"', dom)
    assert found, dom[:300]
    return int(found.group(1)), int(found.group(2))


def test_the_width_probe_sees_a_page_wider_than_the_screen(tmp_path):
    """The measurement can fail: a table of 200 unbreakable words is far wider than 390 px."""
    page = tmp_path / "wide.html"
    page.write_text(
        f'<html><body><table><tr><td style="white-space:nowrap">{"wide " * 200}</td></tr></table></body></html>',
        encoding="utf-8",
    )
    scroll, viewport = _widths(find_chromium(), page, 390)
    assert viewport == 390 and scroll > 1000


@pytest.mark.parametrize("name", ["index", "SG13", "sector"])
def test_no_page_is_wider_than_a_390_px_screen(site, name):
    chromium = find_chromium()
    page = site / "index.html" if name == "index" else site / name / f"brief-{name}-{YEAR}.html"
    scroll, viewport = _widths(chromium, page, 390)
    assert viewport == 390 and scroll <= viewport, f"{name}: {scroll} px wide in a {viewport} px screen"
