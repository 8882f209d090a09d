"""Charts sized for A4 print: no text below 8 pt once a figure is placed in the Word brief (96 px to the inch, no
wider than the figure width), read from each Vega-Lite spec's font sizes and the rendered width (bundled sample,
2025, an SG brief and the sector brief)."""

from __future__ import annotations

import re

import pytest
from briefs_fixture import SAMPLE_GENERATED_AT, SAMPLE_YEAR, bundled_sample

MIN_PT = 8.0
PT_PER_PX = 0.75  # 96 px to the inch, 72 pt to the inch
# The elements whose Vega default is below 11 px must have their size set by the common configuration.
CONFIGURED = {
    "axis": ("labelFontSize", "titleFontSize"),
    "legend": ("labelFontSize", "titleFontSize"),
    "header": ("labelFontSize", "titleFontSize"),
    "title": ("fontSize", "subtitleFontSize"),
    "text": ("fontSize",),
}


def font_sizes(spec, path: str = "") -> list[tuple[str, float]]:
    """Every font size a spec sets, anywhere (config, marks, axes, legends, titles), with where it is."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key.lower().endswith("fontsize") and isinstance(value, int | float):
                found.append((f"{path}.{key}", float(value)))
            else:
                found += font_sizes(value, f"{path}.{key}")
    elif isinstance(spec, list):
        for i, value in enumerate(spec):
            found += font_sizes(value, f"{path}[{i}]")
    return found


@pytest.fixture(scope="module")
def figures():
    from pipelines.briefs.build import render_figures
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data
    from pipelines.charts.export import RenderCache

    conn = bundled_sample()
    found = []
    for scope in ("SG13", "sector"):
        brief = build_brief(load_brief_data(conn, scope, SAMPLE_YEAR), SAMPLE_GENERATED_AT)
        render_figures(brief, svg=True, png=False, cache=RenderCache(None))
        found += [(scope, f) for f in brief.figures()]
    return found


def test_no_chart_text_is_below_8_pt_on_a4(figures):
    from pipelines.briefs.render_docx import FIGURE_WIDTH_CM

    assert len(figures) >= 20
    for scope, figure in figures:
        width_px = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', figure.svg).group(1))
        shrink = min(1.0, FIGURE_WIDTH_CM / (width_px / 96 * 2.54))
        config = figure.spec["config"]
        for element, keys in CONFIGURED.items():
            for key in keys:
                assert key in config.get(element, {}), (
                    f"{scope} {figure.name}: config.{element}.{key} not set"
                )
        for where, size in font_sizes(figure.spec):
            printed = size * PT_PER_PX * shrink
            assert printed >= MIN_PT, (
                f"{scope} {figure.name}: {where} = {size:g} px is {printed:.1f} pt on A4 "
                f"(chart {width_px:.0f} px wide, printed at {shrink:.0%})"
            )
