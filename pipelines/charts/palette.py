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
        range=alt.RangeConfig(category=list(OKABE_ITO)),
    )


def configure(chart):
    """The chart with the common configuration (fonts, sizes, no border) set on its top level."""
    # One shallow copy and one shared config: Altair's chained configure_*() calls deep-copy the whole
    # chart, data included, once per call (0.4 s per brief). Nothing modifies a config once it is set.
    configured = chart.copy(deep=False)
    configured.config = _config()
    return configured
