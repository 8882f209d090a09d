"""Colours and the common look of every chart: Okabe-Ito (safe for the common colour-vision deficiencies).

Colour never carries meaning alone: statuses and risk levels are also written in the cells or labels.
"""

from __future__ import annotations

import functools

# Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue, vermillion,
# reddish purple, black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = OKABE_ITO
GREY = "#BBBBBB"
LIGHT_GREY = "#E6E6E6"

STATUS_COLOURS = {
    "on track": GREEN,
    "watch": ORANGE,
    "off track": VERMILLION,
    # No status: too few records, a partial year, or no value (never coloured as if assessed).
    "insufficient data": GREY,
    "partial year": "#F5F5F5",
    "no value": LIGHT_GREY,
}
RISK_COLOURS = {"low": SKY_BLUE, "medium": ORANGE, "high": VERMILLION, "n/a": LIGHT_GREY}

FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH = 520  # fits the text width of an A4 page (HTML and Word) with the axis labels
HEIGHT = 180
# Fonts: a chart is printed at 96 px to the inch (1 px = 0.75 pt) and no wider than 16 cm (605 px), so 11 px
# is 8.25 pt, above the 8 pt the briefs' print layout allows (tests/briefs/test_briefs_print.py).
MIN_FONT_PX = 11
SUBTITLE_CHARS = 80  # about WIDTH at the subtitle's 11 px


@functools.cache
def _config():
    import altair as alt

    return alt.Config(
        font=FONT,
        view=alt.ViewConfig(stroke=None),
        title=alt.TitleConfig(
            fontSize=14, anchor="start", fontWeight="bold", subtitleFontSize=11, subtitleColor="#444"
        ),
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11, gridColor="#EEEEEE", domainColor="#888888"),
        legend=alt.LegendConfig(labelFontSize=11, titleFontSize=11, orient="bottom", labelLimit=0),
        header=alt.HeaderConfig(labelFontSize=MIN_FONT_PX, titleFontSize=MIN_FONT_PX),
        text=alt.MarkConfig(fontSize=MIN_FONT_PX),
        range=alt.RangeConfig(category=list(OKABE_ITO)),
    )


def configure(chart):
    """The chart with the common configuration (fonts, sizes, no border) set on its top level, and a long
    subtitle wrapped to the chart's width (Vega does not wrap titles: one line of a KPI definition made a chart
    880 px wide, printed at 70 % on A4, its 11 px labels at 5.7 pt)."""
    # One shallow copy and one shared config: Altair's chained configure_*() calls deep-copy the whole
    # chart, data included, once per call (0.4 s per brief). Nothing modifies a config once it is set.
    configured = chart.copy(deep=False)
    configured.config = _config()
    title = getattr(configured, "title", None)
    subtitle = getattr(title, "subtitle", None)
    if isinstance(subtitle, str) and len(subtitle) > SUBTITLE_CHARS:
        import textwrap

        title = title.copy(deep=False)
        title.subtitle = textwrap.wrap(subtitle, SUBTITLE_CHARS)
        configured.title = title
    return configured
