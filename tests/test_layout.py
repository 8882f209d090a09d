"""Code layout rules from the style guide that a reviewer would otherwise have to remember."""

from __future__ import annotations

from pathlib import Path

PIPELINES = Path(__file__).resolve().parents[1] / "pipelines"
MAX_LINES = 1_000


def test_no_module_over_a_thousand_lines():
    """A file over ~1,000 lines is several modules waiting to be named (style.md)."""
    long = {
        str(path.relative_to(PIPELINES)): n
        for path in PIPELINES.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long
