"""Code layout rules from the style guide that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at top level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("charts", ("pipelines.briefs",)),  # briefs use charts, never the reverse
        ("formatting", ("pipelines.briefs", "pipelines.charts")),  # below both
    ],
)
def test_imports_point_one_way(package, forbidden):
    offending = {
        f"{path.relative_to(PIPELINES)} imports {name}"
        for path in (PIPELINES / package).rglob("*.py")
        for name in _imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    }
    assert not offending, sorted(offending)
