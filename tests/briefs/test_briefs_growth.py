"""Growing or shrinking: the cross-SG table's changes equal the marts, it is in the sector brief and on the index
with its CSV, and it sorts in a real browser (headless Chromium) without fetching anything."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from briefs_fixture import SAMPLE_GENERATED_AT, SAMPLE_YEAR, assert_matches, bundled_sample, find_chromium

from pipelines.briefs import glance, growth

YEAR = SAMPLE_YEAR
GENERATED_AT = SAMPLE_GENERATED_AT


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


@pytest.fixture(scope="module")
def sector(sample):
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data

    data = load_brief_data(sample, "sector", YEAR)
    return data, build_brief(data, GENERATED_AT)


@pytest.fixture(scope="module")
def site(sample, sector, tmp_path_factory):
    """The sector and SG13 briefs written as HTML (with their CSV tables) and the index page beside them."""
    from pipelines.briefs.build import write_brief, write_index
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data

    out = tmp_path_factory.mktemp("site")
    write_brief(sector[1], out, formats=("html",), interactive=False, tables=True)
    sg13 = build_brief(load_brief_data(sample, "SG13", YEAR), GENERATED_AT)
    write_brief(sg13, out, formats=("html",), interactive=False, tables=True)
    write_index(out, GENERATED_AT)
    return out


def _series(conn, sg: str, kpi: str) -> dict[int, float]:
    rows = conn.execute(f"select year, {kpi} from marts.sg_year_kpis_lineage where sg = ?", [sg]).fetchall()
    return {int(y): v for y, v in rows if v is not None}


@pytest.mark.parametrize("kpi", growth.GROWTH_KPIS)
def test_growth_changes_equal_the_marts(sample, sector, kpi):
    data, brief = sector
    table = next(t for t in brief.tables() if t.label == f"tab:growth-{kpi.replace('_', '-')}")
    active = {
        r[0] for r in sample.execute("select sg from marts.sg_year_kpis where year = ?", [YEAR]).fetchall()
    }
    assert [row[0] for row in table.rows] == growth.growth_sgs(data) and set(
        growth.growth_sgs(data)
    ) == active
    risks = sample.execute(
        "select sg, value from marts.sg_risks_history where as_of_year = ? and indicator = ?",
        [YEAR, f"{kpi}_trend"],
    ).fetchall()
    for sg, value, change_1y, change_3y, before, now, change_period, trend in table.rows:
        series = _series(sample, sg, kpi)
        what = f"{sg} {kpi}"
        assert_matches(value, series[YEAR], what)
        assert_matches(change_1y, _relative(series[YEAR], series[YEAR - 1]), f"{what} 1-year change")
        assert_matches(change_3y, _relative(series[YEAR], series[YEAR - 3]), f"{what} 3-year change")
        mean_before = sum(series[y] for y in (2022, 2023, 2024)) / 3
        assert_matches(before, mean_before, f"{what} 2022-2024")
        assert_matches(now, series[YEAR], f"{what} 2025-2028")
        # The change of the averages as printed, one decimal (issue 21 item 9: changes from displayed values).
        shown = float(before.replace(",", ""))
        assert_matches(change_period, _relative(series[YEAR], shown), f"{what} period change")
        word, slope = re.fullmatch(r"(rising|falling|stable) \(([-+0-9.]+%)/yr\)", trend).groups()
        # The same trend as the risk register's (Theil-Sen over the last five years, over the median).
        for risk_sg, risk_value in risks:
            if risk_sg == sg:
                assert_matches(slope, risk_value, f"{what} trend")
        threshold = glance_stable()
        number = float(slope[:-1]) / 100
        assert word == (
            "rising" if number >= threshold else "falling" if number <= -threshold else "stable"
        ) or (
            abs(abs(number) - threshold) < 0.0006  # rounding at the threshold
        )


def _relative(now: float, before: float) -> float | None:
    """A relative change; none from 0 (the brief writes n/a)."""
    return None if before == 0 else now / before - 1


def glance_stable() -> float:
    from pipelines.analytics.targets import load_framework

    return load_framework().evidence.stable_change


def test_sg3_is_shrinking_and_the_sector_says_so(sector):
    data, brief = sector
    table = next(t for t in brief.tables() if t.label == "tab:growth-participants")
    sg3 = next(row for row in table.rows if row[0] == "SG3")
    assert sg3[1:4] == ["78", "-9.3%", "-26.4%"] and sg3[7].startswith("falling")
    statement = next(s for s in glance.key_messages(data) if s.text.startswith("Participants:"))
    assert "the largest fall SG3 (-26.4%)" in statement.text and statement.cites == [
        "tab:growth-participants"
    ]


def test_every_table_has_a_csv_equal_to_it(sector, site):
    _, brief = sector
    for table in brief.tables():
        path = site / "sector" / "tables" / brief.table_file(table)
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        assert header == table.columns and rows == table.rows, path.name


def test_the_index_shows_the_growth_tables_with_links_that_resolve(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.count('<table class="data sortable">') == len(growth.GROWTH_KPIS)
    assert "<script src" not in page and "http" not in page.replace("http-equiv", "")
    for link in re.findall(r'href="([^"#]+)"', page):
        assert (site / link).is_file(), link
    assert "Growing or shrinking, 2025" in (site / "index.md").read_text(encoding="utf-8")


def test_a_click_on_a_heading_sorts_the_table_in_chromium(site, tmp_path):
    """The index's own script, run by Chromium: a click on 'Change since 2022' orders the rows by it, a second
    click reverses them; n/a and <5 stay last."""
    chromium = find_chromium()
    page = (site / "index.html").read_text(encoding="utf-8")
    # A copy of the page that clicks the heading twice and once, for each of two tables, as a reader would.
    clicks = (
        "<script>var t = document.querySelectorAll('table.sortable');"
        "t[0].tHead.rows[0].cells[3].click();"
        "t[1].tHead.rows[0].cells[3].click(); t[1].tHead.rows[0].cells[3].click();</script>"
    )
    probe = site / "probe.html"
    probe.write_text(page.replace("</body>", clicks + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    probe.unlink()
    tables = re.findall(r'<table class="data sortable">(.*?)</table>', dom, flags=re.S)
    assert len(tables) == len(growth.GROWTH_KPIS), dom[:500]

    def column(table: str, index: int) -> list[float]:
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], flags=re.S)
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", row)[index] for row in rows]
        return [float(c.rstrip("%")) for c in cells if c not in ("n/a",) and not c.startswith("&lt;")]

    ascending, descending = column(tables[0], 3), column(tables[1], 3)
    assert ascending == sorted(ascending) and len(ascending) >= 5
    assert descending == sorted(descending, reverse=True) and len(descending) >= 5
    assert 'aria-sort="ascending"' in tables[0] and 'aria-sort="descending"' in tables[1]


# Where docs/briefs.md links the screenshots (git-ignored: data/marts/ holds outputs, never committed).
SCREENS = Path(__file__).parents[2] / "data" / "marts" / "briefs" / "_screens"


def test_screenshots_of_the_first_page_and_the_index(site):
    """SG13's first page and the index at 1280 px and 390 px wide, as docs/briefs.md shows them."""
    chromium = find_chromium()
    SCREENS.mkdir(parents=True, exist_ok=True)
    pages = {"sg13-first-page": site / "SG13" / f"brief-SG13-{YEAR}.html", "index": site / "index.html"}
    for name, page in pages.items():
        for width in (1280, 390):
            shot = SCREENS / f"{name}-{width}.png"
            shot.unlink(missing_ok=True)
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    f"--window-size={width},1800",
                    f"--screenshot={shot}",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=120,
            )
            png = shot.read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == width, shot
