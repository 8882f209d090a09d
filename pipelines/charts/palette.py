"""Colours and the common look of every chart: Okabe-Ito (safe for the common colour-vision deficiencies).

Colour never carries meaning alone: statuses and risk levels are also written in the cells or labels.
"""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue, vermillion,
# reddish purple, black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = OKABE_ITO
GREY = "#BBBBBB"
LIGHT_GREY = "#E6E6E6"

STATUS_COLOURS = {"on track": GREEN, "watch": ORANGE, "off track": VERMILLION, "no value": LIGHT_GREY}
RISK_COLOURS = {"low": SKY_BLUE, "medium": ORANGE, "high": VERMILLION, "n/a": LIGHT_GREY}

FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH = 520  # fits the text width of an A4 page (HTML and Word) with the axis labels
HEIGHT = 180


def configure(chart):
    """The common configuration applied to the top-level chart (fonts, sizes, no border)."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_title(
            fontSize=14, anchor="start", fontWeight="bold", subtitleFontSize=11, subtitleColor="#444"
        )
        .configure_axis(labelFontSize=11, titleFontSize=11, gridColor="#EEEEEE", domainColor="#888888")
        .configure_legend(labelFontSize=11, titleFontSize=11, orient="bottom", labelLimit=0)
        .configure_range(category=list(OKABE_ITO))
    )
