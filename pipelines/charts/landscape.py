"""The landscape chart: a study group's output beside its top committees' output per year, indexed to 100.

A pure function from rows of marts.sg_landscape_series (series, kind, year, publications, output_index) to an
Altair chart. The y axis is logarithmic: an index is a ratio, and a committee that went from 1 to 20
publications in a year would otherwise flatten every other line.
"""

from __future__ import annotations

import pandas as pd

from pipelines.charts.palette import BLUE, GREEN, ORANGE, PURPLE, SKY_BLUE, VERMILLION, WIDTH, configure

SG_SERIES = "study group"
COMMITTEE_COLOURS = (BLUE, ORANGE, GREEN, SKY_BLUE, PURPLE)


def landscape_chart(series: pd.DataFrame, title: str | None = None):
    """One line per series (the SG thick, in vermillion; each committee in its colour), index 100 = first year.

    series: series, kind ('study group' or 'committee'), year, publications, output_index (NaN where the
    first year had no publication: such a line is left out, its counts stay in the table).
    """
    import altair as alt

    data = series[["series", "kind", "year", "publications", "output_index"]].copy()
    data["year"] = data["year"].astype("int64")
    data["publications"] = pd.to_numeric(data["publications"], errors="coerce").astype("float64")
    data["output_index"] = pd.to_numeric(data["output_index"], errors="coerce").astype("float64")
    # A zero on a log scale has no place: the point is dropped (the table shows the count).
    data = data[data["output_index"] > 0]
    order = list(dict.fromkeys(data.sort_values("kind", ascending=False, kind="stable")["series"]))
    sg_names = set(data.loc[data["kind"] == SG_SERIES, "series"])
    colours = []
    others = iter(COMMITTEE_COLOURS * 4)
    for name in order:
        colours.append(VERMILLION if name in sg_names else next(others))
    sg_label = next(iter(sg_names), "the study group")
    colour = alt.Color(
        "series:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=colours),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("publications:Q", title="Publications", format=",d"),
        alt.Tooltip("output_index:Q", title="Index (first year = 100)", format=",.0f"),
    ]
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "output_index:Q",
                title="Output, first year = 100 (log scale)",
                scale=alt.Scale(type="log"),
            ),
            color=colour,
            strokeWidth=alt.condition(
                alt.FieldOneOfPredicate(field="kind", oneOf=[SG_SERIES]), alt.value(3.5), alt.value(1.8)
            ),
            tooltip=tooltip,
        )
    )
    reference = alt.Chart(pd.DataFrame({"output_index": [100.0]})).mark_rule(
        color="#888888", strokeDash=[4, 3]
    )
    chart = alt.layer(reference.encode(y=alt.Y("output_index:Q")), lines).properties(
        width=WIDTH,
        height=220,
        title=alt.Title(
            title or f"Output of {sg_label} and of its closest peer committees",
            subtitle="Recommendation texts approved (SG) and publications (committees) per year; first year = 100.",
        ),
    )
    return configure(chart)
