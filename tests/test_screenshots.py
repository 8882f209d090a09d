"""scripts/screenshots.py: a page per notebook section, and a real headless-Chromium shot where it exists."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_section_of_notebook_02_gets_its_own_page(tmp_path):
    shots = _load()
    nb = nbformat.read(ROOT / "notebooks" / "02_study_group_deep_dive.ipynb", as_version=4)
    pages = dict(shots.notebook_pages(nb, "02", tmp_path))
    assert set(pages) == {"02", *(f"02-{s.lower()}" for s in shots.SECTIONS)}
    targets = pages["02-targets"].read_text(encoding="utf-8")
    assert "Targets" in targets and "Risks" not in targets  # a section page stops at the next section


def test_headless_chromium_takes_a_screenshot(tmp_path):
    shots = _load()
    chromium = shots.find_chromium(None)
    if chromium is None:
        pytest.skip("no Chromium on this machine (apt-get install -y chromium)")
    page = tmp_path / "page.html"
    page.write_text("<h1 style='font-size:80px'>sgpulse</h1>", encoding="utf-8")
    out = shots.screenshot(chromium, page.as_uri(), tmp_path / "page.png", "400,300", 500)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 1000
