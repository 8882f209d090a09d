"""Great Expectations Data Docs work offline: every stylesheet, script, font and image a page loads is in the
site itself, and headless Chromium with no network draws the styled index and its results table."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipelines.quality.engine import Outcome
from pipelines.quality.results import SuiteResult
from pipelines.quality.suites import suites

ROOT = Path(__file__).resolve().parents[2]
# What a page loads (as opposed to what it links to): scripts, stylesheets and icons, images.
LOADED = re.compile(r'<(script|link|img)\b[^>]*?\b(src|href)="([^"]+)"')
PROBE = """
<script>
window.addEventListener("load", () => setTimeout(async () => {
  await document.fonts.ready;
  const navbar = document.querySelector(".navbar");
  const probe = {
    jquery: !!window.jQuery,
    bootstrapTable: !!(window.jQuery && window.jQuery.fn.bootstrapTable),
    rows: document.querySelectorAll(".ge-index-page-validation-results-table tbody tr[data-index]").length,
    failedIcons: document.querySelectorAll(".ge-failed-icon").length,
    navbarDisplay: navbar ? getComputedStyle(navbar).display : null,
    iconFonts: [...document.fonts].filter(f => f.family.includes("Font Awesome") && f.status === "loaded").length,
  };
  document.body.setAttribute("data-probe", JSON.stringify(probe));
}, 0));
</script>
"""


def _results() -> list[SuiteResult]:
    """Two suites validated: staging.meetings with one failed expectation, marts.sg_risks all passed."""
    results = []
    for name, failing in (("staging.meetings", "not_null:meeting_id"), ("marts.sg_risks", None)):
        outcomes = [
            Outcome(
                name,
                e["meta"]["check"],
                e["type"],
                e["severity"],
                e["meta"]["check"] != failing,
                {k: v for k, v in e["kwargs"].items() if not isinstance(v, dict)},
                e["meta"]["check"],
                *((2, 10, ["meetings/m.csv:4", "meetings/m.csv:9"]) if e["meta"]["check"] == failing else ()),
            )
            for e in suites()[name]["expectations"]
        ]
        results.append(SuiteResult(name, "run-offline", "2026-01-05T03:00:00+00:00", {}, outcomes))
    return results


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from pipelines.quality.docs import build_data_docs

    out = tmp_path_factory.mktemp("docs")
    built = build_data_docs(out, _results(), {r.suite: suites()[r.suite] for r in _results()})
    return built.index.parent


def test_every_page_loads_its_css_js_fonts_and_images_from_the_site(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 5  # the index, two suites, two validation results
    for page in pages:
        text = page.read_text(encoding="utf-8")
        loaded = [url for _, _, url in LOADED.findall(text)]
        assert loaded, page
        remote = [url for url in loaded if re.match(r"(https?:)?//", url)]
        assert remote == [], f"{page.relative_to(site)} loads {remote}"
        for url in loaded:
            assert (page.parent / url.split("?")[0]).is_file(), f"{page.relative_to(site)}: {url} missing"
        assert "integrity=" not in text and "vegaEmbed" not in text
    # Font Awesome's stylesheet finds its fonts beside it.
    css = site / "static" / "vendor" / "fontawesome-free-6.6.0" / "css" / "all.min.css"
    fonts = set(re.findall(r"url\(\.\./webfonts/([^)]+\.woff2)\)", css.read_text(encoding="utf-8")))
    assert fonts and all((css.parent.parent / "webfonts" / f).is_file() for f in fonts)


def test_every_cdn_address_in_the_gx_templates_has_a_local_copy():
    """A GX upgrade that asks for another version fails here: run scripts/vendor_data_docs_assets.py."""
    import great_expectations

    from pipelines.quality.data_docs_assets import ASSETS_DIR, CDN_FILES, DROPPED_SCRIPTS, PACKAGES

    templates = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
    asked = {
        url
        for t in templates.glob("*.j2")
        for _, _, url in LOADED.findall(t.read_text(encoding="utf-8"))
        if url.startswith("http")
    }
    assert asked and asked <= set(CDN_FILES) | set(DROPPED_SCRIPTS), sorted(asked - set(CDN_FILES))
    vendored = {local for files in PACKAGES.values() for local in files.values()}
    assert set(CDN_FILES.values()) <= vendored
    assert all((ASSETS_DIR / local).is_file() for local in vendored)


def _render_briefs():
    """scripts/render_briefs.py: one list of Chromium names and headless flags for every script and test."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_briefs", ROOT / "scripts" / "render_briefs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _chromium() -> str:
    found = next((p for name in _render_briefs().CHROMIUM_NAMES if (p := shutil.which(name))), None)
    if found is None:
        pytest.skip("no Chromium on this machine (apt-get install -y chromium; .ci/run installs it)")
    return found


def _offline_chromium(chromium: str, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium that cannot resolve any host name: whatever it draws came from the disk."""
    with tempfile.TemporaryDirectory(prefix="sgpulse-chromium-") as profile:
        return subprocess.run(
            [
                chromium,
                *_render_briefs().CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--virtual-time-budget=10000",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )


def test_the_index_is_styled_and_its_results_table_drawn_in_chromium_offline(site, tmp_path):
    chromium = _chromium()
    index = site / "index.html"
    probe = site / "probe.html"  # beside index.html, so the same relative paths hold
    probe.write_text(
        index.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    try:
        result = _offline_chromium(chromium, "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()
    found = re.search(r'data-probe="([^"]+)"', result.stdout)
    assert found, f"the page's scripts did not run: {result.stderr[-800:]}"
    state = json.loads(found[1].replace("&quot;", '"'))
    assert state["jquery"] and state["bootstrapTable"], state
    assert state["rows"] == 2 and state["failedIcons"] == 1, state  # two suites validated, one failed
    assert state["navbarDisplay"] == "flex", state  # Bootstrap's stylesheet is applied
    assert state["iconFonts"] >= 1, state  # Font Awesome's icons are drawn with its font

    shot = tmp_path / "data-docs-index.png"
    _offline_chromium(chromium, f"--screenshot={shot}", "--window-size=1400,900", index.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
