"""Charts of one scope's KPIs (an SG or the sector): each a pure function from a DataFrame to an Altair chart.

Input columns are named after the mart columns (see each docstring); titles and axis labels come from the
KPI catalogue. Counts of people in breakdowns are passed raw and suppressed here with the brief's rule
(`pipelines.formatting.suppression`), so a chart can never show a small cell.
"""

from __future__ import annotations

import pandas as pd

from pipelines.catalogue import Kpi, catalogue
from pipelines.charts.palette import (
    BLUE,
    HEIGHT,
    MIN_FONT_PX,
    ORANGE,
    SKY_BLUE,
    STATUS_COLOURS,
    VERMILLION,
    WIDTH,
    configure,
)
from pipelines.formatting.numbers import format_value, format_with_unit
from pipelines.formatting.suppression import people_labels, suppress_people


def axis_title(kpi: Kpi) -> str:
    """An axis label from the catalogue: the KPI's name and unit."""
    return kpi.name if kpi.unit in ("share", "count") else f"{kpi.name} ({kpi.unit})"


def _alt():
    import altair as alt

    return alt


def _years(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns as plain floats (NULL -> NaN -> null in the spec) with an integer year."""
    out = pd.DataFrame({"year": df["year"].astype("int64")})
    for column in columns:
        out[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    return out


def _year_axis(alt):
    return alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0))


def participation_chart(df: pd.DataFrame):
    """Participants (bars) and remote share (line) by year; df: year, participants, remote_share."""
    alt = _alt()
    participants, remote = catalogue().get("participants"), catalogue().get("remote_share")
    data = _years(df, ["participants", "remote_share"])
    base = alt.Chart(data).encode(x=_year_axis(alt))
    bars = (
        base.mark_bar(color=BLUE)
        .encode(
            y=alt.Y("participants:Q", title=axis_title(participants)),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("participants:Q", title=participants.name),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title=participants.name)
    )
    line = (
        base.mark_line(point=True, color=ORANGE)
        .encode(
            y=alt.Y(
                "remote_share:Q",
                title=axis_title(remote),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("remote_share:Q", title=remote.name, format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT * 0.7, title=remote.name)
    )
    chart = alt.vconcat(bars, line, spacing=18).properties(
        title=alt.Title(f"{participants.name} and {remote.name.lower()}", subtitle=participants.definition)
    )
    return configure(chart)


def contributions_chart(df: pd.DataFrame):
    """Contributions and contributing entities by year; df: year, contributions, contributing_entities."""
    alt = _alt()
    kpis = [catalogue().get("contributions"), catalogue().get("contributing_entities")]
    data = _years(df, [k.id for k in kpis]).melt(id_vars="year", var_name="kpi", value_name="value")
    names = {k.id: axis_title(k) for k in kpis}
    data["measure"] = data["kpi"].map(names)
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=_year_axis(alt),
            y=alt.Y("value:Q", title="Count"),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=list(names.values()),
                scale=alt.Scale(domain=list(names.values()), range=[BLUE, ORANGE]),
            ),
            strokeDash=alt.StrokeDash("measure:N", sort=list(names.values()), legend=None),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("measure:N", title="KPI"),
                alt.Tooltip("value:Q", title="Value"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(f"{kpis[0].name} and {kpis[1].name.lower()}", subtitle=kpis[1].definition),
        )
    )
    return configure(chart)


def concentration_chart(df: pd.DataFrame, top_n: int = 5, references: dict[str, float] | None = None):
    """HHI by year (with reference lines, e.g. the target) and the share of the top-N entities.

    df: year, hhi, top_share (share of the year's fractional contributions of the top_n largest entities).
    """
    alt = _alt()
    hhi = catalogue().get("hhi")
    data = _years(df, ["hhi", "top_share"])
    base = alt.Chart(data).encode(x=_year_axis(alt))
    hhi_line = base.mark_line(point=True, color=BLUE).encode(
        y=alt.Y("hhi:Q", title=axis_title(hhi), scale=alt.Scale(domainMin=0)),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("hhi:Q", title=hhi.name, format=",.0f")],
    )
    layers = [hhi_line]
    if references:
        # Labels right-aligned at the end of their line, alternately above and below: close lines stay apart.
        refs = pd.DataFrame({"reference": list(references), "value": list(references.values())})
        refs = refs.sort_values("value", ascending=False).reset_index(drop=True)
        refs["dy"] = [-5 if i % 2 == 0 else 11 for i in range(len(refs))]
        rule = alt.Chart(refs).mark_rule(color=VERMILLION, strokeDash=[4, 3]).encode(y=alt.Y("value:Q"))
        layers.append(rule)
        for dy, group in refs.groupby("dy"):
            layers.append(
                alt.Chart(group)
                .mark_text(align="right", dy=int(dy), color=VERMILLION, fontSize=MIN_FONT_PX)
                .encode(y=alt.Y("value:Q"), text=alt.Text("reference:N"), x=alt.XValue(WIDTH - 2))
            )
    top_title = f"Share of contributions of the top {top_n} entities"
    top = (
        base.mark_line(point=True, color=ORANGE)
        .encode(
            y=alt.Y(
                "top_share:Q",
                title=f"Top-{top_n} share",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("top_share:Q", title=top_title, format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT * 0.7, title=top_title)
    )
    chart = alt.vconcat(
        alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=hhi.name),
        top,
        spacing=18,
    ).properties(title=alt.Title(f"{hhi.name} and top-entity share", subtitle=hhi.definition))
    return configure(chart)


def _breakdown_chart(
    df: pd.DataFrame,
    dimension: str,
    dimension_title: str,
    people_title: str,
    documents_title: str,
    title: str,
    subtitle: str,
):
    """Two bar panels over a dimension: people (small cells suppressed, labelled `<5`) and contributions."""
    alt = _alt()
    order = list(df[dimension])
    people = pd.DataFrame(
        {
            dimension: order,
            "participants": suppress_people(list(df["participants"])),
            "label": people_labels(list(df["participants"])),
        }
    )
    people["participants"] = people["participants"].astype("float64")
    docs = pd.DataFrame({dimension: order, "contributions": df["contributions"].astype("float64")})
    docs["label"] = [format_value(v, "documents (fractional)") for v in docs["contributions"]]
    half = (WIDTH - 280) // 2  # the labels and both panels within the 605 px printed on A4

    def panel(data, column, colour, panel_title, axis=True):
        y = alt.Y(f"{dimension}:N", title=dimension_title, sort=order, axis=alt.Axis() if axis else None)
        base = alt.Chart().encode(y=y)
        bars = base.mark_bar(color=colour).encode(
            x=alt.X(f"{column}:Q", title=panel_title, scale=alt.Scale(domainMin=0)),
            tooltip=[
                alt.Tooltip(f"{dimension}:N", title=dimension_title),
                alt.Tooltip("label:N", title=panel_title),
            ],
        )
        text = base.mark_text(align="left", dx=3, fontSize=MIN_FONT_PX, color="#222").encode(
            x=alt.X(f"{column}:Q", stack=None), text=alt.Text("label:N")
        )
        # A suppressed or missing cell has no bar: its label sits at the origin.
        text_null = (
            base.transform_filter(f"!isValid(datum.{column})")
            .mark_text(align="left", dx=3, fontSize=MIN_FONT_PX, color="#222")
            .encode(x=alt.XValue(0), text=alt.Text("label:N"))
        )
        # No panel title: the x axis names the panel, and a bold title wider than the panel widened the chart.
        return alt.layer(bars, text, text_null, data=data).properties(
            width=half, height=max(22 * len(order), 60)
        )

    right = panel(docs, "contributions", ORANGE, documents_title, axis=False)
    chart = alt.hconcat(panel(people, "participants", BLUE, people_title), right, spacing=40).properties(
        title=alt.Title(title, subtitle=subtitle)
    )
    return configure(chart)


def regional_chart(df: pd.DataFrame, year: int):
    """Participants and contributions by ITU region in a year; df: itu_region, participants, contributions."""
    cat = catalogue()
    return _breakdown_chart(
        df,
        "itu_region",
        "ITU region",
        cat.get("region_participants").name,
        cat.get("region_contributions").name + " (fractional)",
        f"Regional presence, {year}",
        "Participant counts below 5 are shown as <5; contributions are fractional (1/k per source).",
    )


def category_chart(df: pd.DataFrame, year: int):
    """Participants and contributions by member category; df: category, participants, contributions."""
    cat = catalogue()
    return _breakdown_chart(
        df,
        "category",
        "Member category",
        f"{cat.get('participants').name} by category",
        f"{cat.get('contributions').name} by category (fractional)",
        f"Industry engagement by member category, {year}",
        "Participant counts below 5 are shown as <5; " + cat.get("industry_share").definition,
    )


def output_chart(df: pd.DataFrame):
    """Recommendations approved and amendments (stacked bars) and the median cycle time by year.

    df: year, recs_approved, amendments, median_cycle_days.
    """
    alt = _alt()
    recs, amend, cycle = (catalogue().get(k) for k in ("recs_approved", "amendments", "median_cycle_days"))
    data = _years(df, ["recs_approved", "amendments", "median_cycle_days"])
    names = {"recs_approved": recs.name, "amendments": amend.name}
    counts = data.melt(id_vars="year", value_vars=list(names), var_name="kpi", value_name="value")
    counts["measure"] = counts["kpi"].map(names)
    bars = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=_year_axis(alt),
            y=alt.Y("value:Q", title=f"Texts approved ({recs.unit})"),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=list(names.values()),
                scale=alt.Scale(domain=list(names.values()), range=[BLUE, SKY_BLUE]),
            ),
            order=alt.Order("kpi:N", sort="descending"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("measure:N", title="KPI"),
                alt.Tooltip("value:Q", title="Texts"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Output")
    )
    line = (
        alt.Chart(data)
        .mark_line(point=True, color=ORANGE)
        .encode(
            x=_year_axis(alt),
            y=alt.Y("median_cycle_days:Q", title=axis_title(cycle), scale=alt.Scale(domainMin=0)),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("median_cycle_days:Q", title=cycle.name),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT * 0.7, title=cycle.name)
    )
    chart = alt.vconcat(bars, line, spacing=18).properties(
        title=alt.Title("Output and cycle time", subtitle=cycle.definition)
    )
    return configure(chart)


def kpi_target_chart(df: pd.DataFrame):
    """Traffic light of the KPIs with a target: one row per KPI, one cell per year, coloured by status.

    df: kpi (catalogue id), year, value, target, status (`on track` / `watch` / `off track` / `insufficient
    data` / NULL), and optionally partial (a partial year: no status).
    The cell text is the value; the row label names the KPI and its (latest) target, both from the catalogue.
    """
    alt = _alt()
    cat = catalogue()
    data = df[["kpi", "year", "value", "target", "status"]].copy()
    # A value with no status because its year is partial says so (marts.kpi_vs_target.partial).
    partial = df["partial"].fillna(False).astype(bool) if "partial" in df else False
    data["status"] = data["status"].mask(
        data["status"].isna() & partial & data["value"].notna(), "partial year"
    )
    data["year"] = data["year"].astype("int64")
    latest_target = data.sort_values("year").groupby("kpi")["target"].last()
    order = list(dict.fromkeys(data["kpi"]))
    labels = {
        k: f"{cat.get(k).name} (target {format_with_unit(latest_target[k], cat.get(k).unit)})" for k in order
    }
    data["row"] = data["kpi"].map(labels)
    data["status"] = data["status"].fillna("no value")
    data["label"] = [
        format_value(v, cat.get(k).unit) for k, v in zip(data["kpi"], data["value"], strict=True)
    ]
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype("float64")
    data["target"] = pd.to_numeric(data["target"], errors="coerce").astype("float64")
    years = sorted(data["year"].unique())
    domain = list(STATUS_COLOURS)
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("row:N", title=None, sort=[labels[k] for k in order], axis=alt.Axis(labelLimit=290)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "status:N",
            title="Status",
            scale=alt.Scale(domain=domain, range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(columns=3),
        ),
        tooltip=[
            alt.Tooltip("row:N", title="KPI"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("label:N", title="Value"),
            alt.Tooltip("status:N", title="Status"),
        ],
    )
    text = base.mark_text(fontSize=MIN_FONT_PX, color="#111").encode(text=alt.Text("label:N"))
    cell_width = max(40, min(60, (WIDTH - 270) // max(len(years), 1)))  # within 605 px printed on A4
    chart = alt.layer(cells, text).properties(
        width=cell_width * len(years),
        height=22 * len(order),
        title=alt.Title(
            "KPIs against their targets",
            subtitle="Cell colour: status against the results-framework target; text: the value.",
        ),
    )
    return configure(chart)


__all__ = [
    "axis_title",
    "category_chart",
    "concentration_chart",
    "contributions_chart",
    "kpi_target_chart",
    "output_chart",
    "participation_chart",
    "regional_chart",
]


def dot_strip_chart(df: pd.DataFrame, focus: str):
    """The headline KPIs of the first page: each KPI a row, every study group a dot, the median a tick and
    `focus` (an SG or the sector) a larger dot in its own colour, each row on its own scale.

    df: kpi (a label, in reading order), sg, value (shares already in %), role ("study group", "median" or
    `focus`). Rows without a value are left out.
    """
    alt = _alt()
    data = df[df["value"].notna()].copy()
    data["value"] = data["value"].astype("float64")
    order = list(dict.fromkeys(df["kpi"]))
    roles = ["study group", "median", focus]
    colour = alt.Color(
        "role:N",
        title=None,
        scale=alt.Scale(domain=roles, range=["#BBBBBB", "#000000", VERMILLION]),
        legend=alt.Legend(orient="bottom"),
    )
    x = alt.X("value:Q", title=None, scale=alt.Scale(zero=False, nice=True), axis=alt.Axis(tickCount=4))
    tooltip = [
        alt.Tooltip("kpi:N", title="KPI"),
        alt.Tooltip("sg:N", title="Study group"),
        alt.Tooltip("value:Q", title="Value", format=",.1f"),
    ]

    def marks(role: str, mark):
        return mark.encode(x=x, color=colour, tooltip=tooltip).transform_filter(alt.datum.role == role)

    others = marks("study group", alt.Chart().mark_circle(size=45, opacity=0.8))
    own = marks(focus, alt.Chart().mark_circle(size=170, opacity=1, stroke="#000000", strokeWidth=0.8))
    median = marks("median", alt.Chart().mark_tick(thickness=2, size=18))
    chart = (
        alt.layer(others, median, own, data=data)
        .properties(width=WIDTH - 240, height=22)
        .facet(
            row=alt.Row(
                "kpi:N",
                sort=order,
                title=None,
                header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=11, labelLimit=230),
            ),
            spacing=4,
        )
        .resolve_scale(x="independent")
        .properties(
            title=alt.Title(f"{focus} among the study groups", subtitle="dot = a study group; tick = median")
        )
    )
    return configure(chart)
