"""Static SVG / PNG and self-contained interactive HTML of a chart, through vl-convert (no browser needed)."""

from __future__ import annotations


def _spec(chart) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def to_svg(chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_spec(chart))


def to_png(chart, scale: float = 2.0) -> bytes:
    """PNG at `scale` x the chart's pixel size (2 = sharp when printed at the text width of an A4 page)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """PNG of an already rendered SVG: the same pixels as `to_png`, without running Vega a second time."""
    import vl_convert as vlc

    return vlc.svg_to_png(svg, scale=scale)


def to_html(chart) -> str:
    """A standalone HTML page with tooltips; Vega's JavaScript is bundled in, so it works offline."""
    import vl_convert as vlc

    return vlc.vegalite_to_html(_spec(chart), bundle=True)
