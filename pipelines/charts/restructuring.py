"""Charts across study groups: relevance rank and interval, the overlap map and top pairs, the risk heat map.

Each is a pure function from a DataFrame with the columns of its mart (marts.sg_relevance, sg_overlap,
sg_overlap_map, sg_risks / risk_heatmap) to an Altair chart; `highlight` marks the SG a brief is about.
"""

from __future__ import annotations

import pandas as pd

from pipelines.charts.palette import (
    BLUE,
    MIN_FONT_PX,
    OKABE_ITO,
    RISK_COLOURS,
    SKY_BLUE,
    VERMILLION,
    WIDTH,
    configure,
)

OVERLAP_MEASURES = {
    "combined": "Combined overlap",
    "text_similarity": "Topic similarity (TF-IDF cosine)",
    "entity_overlap": "Contributor overlap (Jaccard)",
}


def _alt():
    import altair as alt

    return alt


def relevance_chart(df: pd.DataFrame, highlight: str | None = None, interval: float = 0.9):
    """Rank (point) and rank interval (bar) of each SG; df: sg, relevance_index, rank, rank_low, rank_high."""
    alt = _alt()
    data = df[["sg", "relevance_index", "rank", "rank_low", "rank_high"]].copy()
    for column in ("relevance_index", "rank", "rank_low", "rank_high"):
        data[column] = pd.to_numeric(data[column], errors="coerce").astype("float64")
    data = data.sort_values(["rank", "sg"])
    highlight = highlight if highlight in set(data["sg"]) else None  # e.g. TSAG is never ranked
    data["focus"] = ["this brief" if sg == highlight else "other SGs" for sg in data["sg"]]
    order = list(data["sg"])
    n = max(len(order), 1)
    y = alt.Y("sg:N", title="Study group", sort=order)
    x_scale = alt.Scale(domain=[0.5, n + 0.5], nice=False)
    colour = alt.Color(
        "focus:N",
        title=None,
        scale=alt.Scale(domain=["this brief", "other SGs"], range=[VERMILLION, BLUE]),
        legend=alt.Legend(orient="bottom") if highlight else None,
    )
    tooltip = [
        alt.Tooltip("sg:N", title="SG"),
        alt.Tooltip("rank:Q", title="Rank"),
        alt.Tooltip("rank_low:Q", title="Best rank"),
        alt.Tooltip("rank_high:Q", title="Worst rank"),
        alt.Tooltip("relevance_index:Q", title="Relevance index", format=".1f"),
    ]
    base = alt.Chart(data).encode(y=y)
    bar = base.mark_rule(strokeWidth=6, opacity=0.35).encode(
        x=alt.X(
            "rank_low:Q",
            title=f"Rank (1 = most relevant); bar = {interval:.0%} interval",
            scale=x_scale,
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        x2="rank_high:Q",
        color=colour,
        tooltip=tooltip,
    )
    point = base.mark_point(filled=True, size=70, opacity=1).encode(
        x=alt.X("rank:Q"), color=colour, tooltip=tooltip
    )
    chart = alt.layer(bar, point).properties(
        width=WIDTH - 60,
        height=20 * n,
        title=alt.Title(
            "Relevance rank with its interval across study groups",
            subtitle="Point: rank under the configured weights; bar: ranks under weight sensitivity.",
        ),
    )
    return configure(chart)


def overlap_map_chart(df: pd.DataFrame, highlight: str | None = None):
    """SGs placed in two dimensions by their overlap (closer = more overlap), coloured by cluster.

    df: sg, x, y, cluster (marts.sg_overlap_map).
    """
    alt = _alt()
    data = df[["sg", "x", "y", "cluster"]].copy()
    data["x"], data["y"] = data["x"].astype("float64"), data["y"].astype("float64")
    data["cluster"] = "Cluster " + data["cluster"].astype("int64").astype(str)
    data["focus"] = [sg == highlight for sg in data["sg"]]
    clusters = sorted(data["cluster"].unique(), key=lambda c: int(c.split()[-1]))
    palette = [c for c in OKABE_ITO if c != "#F0E442"]  # yellow is unreadable as a small mark on white
    colour = alt.Color(
        "cluster:N",
        title="Cluster",
        sort=clusters,
        scale=alt.Scale(domain=clusters, range=[palette[i % len(palette)] for i in range(len(clusters))]),
    )
    axis = alt.Axis(labels=False, ticks=False, grid=False)
    pad_x = (data["x"].max() - data["x"].min()) * 0.12 + 0.05 if len(data) else 1
    pad_y = (data["y"].max() - data["y"].min()) * 0.12 + 0.05 if len(data) else 1
    x = alt.X(
        "x:Q",
        title="Map dimension 1",
        axis=axis,
        scale=alt.Scale(domain=[float(data["x"].min() - pad_x), float(data["x"].max() + pad_x)], nice=False)
        if len(data)
        else alt.Undefined,
    )
    y = alt.Y(
        "y:Q",
        title="Map dimension 2",
        axis=axis,
        scale=alt.Scale(domain=[float(data["y"].min() - pad_y), float(data["y"].max() + pad_y)], nice=False)
        if len(data)
        else alt.Undefined,
    )
    base = alt.Chart(data).encode(x=x, y=y)
    points = base.mark_point(filled=True, opacity=0.9).encode(
        color=colour,
        size=alt.condition("datum.focus", alt.value(260), alt.value(110)),
        shape=alt.Shape("cluster:N", title="Cluster", sort=clusters, scale=alt.Scale(domain=clusters)),
        tooltip=[alt.Tooltip("sg:N", title="SG"), alt.Tooltip("cluster:N", title="Cluster")],
    )
    labels = (
        base.transform_filter("!datum.focus")
        .mark_text(align="left", dx=9, dy=-7, fontSize=11, color="#222")
        .encode(text=alt.Text("sg:N"))
    )
    focus = (
        base.transform_filter("datum.focus")
        .mark_text(align="left", dx=11, dy=-9, fontSize=12, fontWeight="bold", color=VERMILLION)
        .encode(text=alt.Text("sg:N"))
    )
    chart = alt.layer(points, labels, focus).properties(
        width=WIDTH,
        height=340,
        title=alt.Title(
            "Overlap map of the study groups",
            subtitle="Closer = more overlap in topics and contributors (MDS on 1 - combined overlap).",
        ),
    )
    return configure(chart)


def overlap_pairs_chart(df: pd.DataFrame, top: int = 10):
    """The `top` pairs by combined overlap, with the two measures it combines.

    df: sg_a, sg_b, text_similarity, entity_overlap, combined (marts.sg_overlap).
    """
    alt = _alt()
    data = df[["sg_a", "sg_b", *OVERLAP_MEASURES]].copy()
    for column in OVERLAP_MEASURES:
        data[column] = pd.to_numeric(data[column], errors="coerce").astype("float64")
    data = data.sort_values("combined", ascending=False, na_position="last").head(top)
    data["pair"] = data["sg_a"] + " – " + data["sg_b"]
    order = list(data["pair"])
    long = data.melt(
        id_vars="pair", value_vars=list(OVERLAP_MEASURES), var_name="measure_id", value_name="value"
    )
    long["measure"] = long["measure_id"].map(OVERLAP_MEASURES)
    names = list(OVERLAP_MEASURES.values())
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("pair:N", title="Pair of study groups", sort=order),
            yOffset=alt.YOffset("measure:N", sort=names),
            x=alt.X("value:Q", title="Overlap (0 = none, 1 = identical)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=[VERMILLION, BLUE, SKY_BLUE]),
            ),
            tooltip=[
                alt.Tooltip("pair:N", title="Pair"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="Value", format=".2f"),
            ],
        )
        .properties(
            width=WIDTH - 100,
            height=alt.Step(9),
            title=alt.Title(
                f"Most overlapping pairs (top {min(top, len(order))})",
                subtitle="Combined overlap = mean of topic similarity and contributor overlap.",
            ),
        )
    )
    return configure(chart)


def risk_heatmap_chart(df: pd.DataFrame, risk_names: dict[str, str] | None = None):
    """Risk level per SG (rows) and risk (columns); df: sg, risk_id, level (low / medium / high / NULL)."""
    from pipelines.formatting.ordering import sg_sort_key

    alt = _alt()
    data = df[["sg", "risk_id", "level"]].copy()
    data["level"] = data["level"].fillna("n/a").astype(str)
    names = risk_names or {}
    data["risk"] = [names.get(r, r.replace("_", " ").capitalize()) for r in data["risk_id"]]
    risks = list(dict.fromkeys(data["risk"]))
    sgs = sorted(data["sg"].unique(), key=sg_sort_key)
    base = alt.Chart(data).encode(
        x=alt.X(
            "risk:N", title=None, sort=risks, axis=alt.Axis(orient="top", labelAngle=-30, labelLimit=300)
        ),
        y=alt.Y("sg:N", title="Study group", sort=sgs),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=_level_colour("Risk level"),
        tooltip=[
            alt.Tooltip("sg:N", title="SG"),
            alt.Tooltip("risk:N", title="Risk"),
            alt.Tooltip("level:N", title="Level"),
        ],
    )
    text = base.mark_text(fontSize=MIN_FONT_PX, color="#111").encode(text=alt.Text("level:N"))
    width = min(WIDTH - 60, 80 * max(len(risks), 1))
    chart = alt.layer(cells, text).properties(
        width=width,
        height=20 * max(len(sgs), 1),
        title=alt.Title(
            "Risk heat map", subtitle="Level of each risk against the risk appetite of the results framework."
        ),
    )
    return configure(chart)


def risk_matrix_chart(
    df: pd.DataFrame,
    likelihood_labels: dict[int, str] | None = None,
    impact_labels: dict[int, str] | None = None,
):
    """The sector's risk heat map, likelihood (x) x impact (y): each cell counts the risks placed there, coloured
    by the worst level among them; df: sg, risk, likelihood, impact, level (marts.sg_risks_history of a year;
    rows without a likelihood are left out)."""
    alt = _alt()
    data = df[["sg", "risk", "likelihood", "impact", "level"]].dropna(subset=["likelihood", "impact"]).copy()
    data["likelihood"] = data["likelihood"].astype(int)
    data["impact"] = data["impact"].astype(int)
    order = {"n/a": 0, "low": 1, "medium": 2, "high": 3}
    data["level"] = data["level"].fillna("n/a").astype(str)
    cells = []
    for (chance, weight), group in data.groupby(["likelihood", "impact"]):
        worst = max(group["level"], key=lambda v: order.get(v, 0))
        named = sorted(f"{r.sg}: {r.risk.lower()}" for r in group.itertuples())
        cells.append(
            {
                "likelihood": chance,
                "impact": weight,
                "risks": len(group),
                "level": worst,
                "score": chance * weight,
                "which": "; ".join(named[:6]) + (f"; and {len(named) - 6} more" if len(named) > 6 else ""),
            }
        )
    grid = pd.DataFrame(
        [{"likelihood": x, "impact": y, "score": x * y} for x in range(1, 6) for y in range(1, 6)]
    )
    counts = pd.DataFrame(cells, columns=["likelihood", "impact", "risks", "level", "score", "which"])
    names_x, names_y = likelihood_labels or {}, impact_labels or {}
    x = alt.X(
        "likelihood:O",
        title="Likelihood",
        scale=alt.Scale(domain=[1, 2, 3, 4, 5]),
        axis=alt.Axis(labelAngle=0, labelExpr=_label_expr(names_x)),
    )
    y = alt.Y(
        "impact:O",
        title="Impact",
        scale=alt.Scale(domain=[5, 4, 3, 2, 1]),
        axis=alt.Axis(labelExpr=_label_expr(names_y)),
    )
    background = (
        alt.Chart(grid)
        .mark_rect(stroke="white", strokeWidth=2, color="#F2F2F2")
        .encode(x=x, y=y, tooltip=[alt.Tooltip("score:Q", title="Likelihood x impact")])
    )
    filled = (
        alt.Chart(counts)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=_level_colour("Worst level in the cell"),
            tooltip=[
                alt.Tooltip("risks:Q", title="Risks"),
                alt.Tooltip("score:Q", title="Likelihood x impact"),
                alt.Tooltip("which:N", title="Which"),
            ],
        )
    )
    text = alt.Chart(counts).mark_text(fontSize=12, color="#111").encode(x=x, y=y, text=alt.Text("risks:Q"))
    return _titled(
        [background, filled, text],
        (WIDTH - 120, 260),
        "Risk heat map: likelihood x impact",
        "Number of risks of the study groups in each cell (config/risk_register.yaml scoring).",
    )


def scale_vitality_chart(df: pd.DataFrame, highlight: str | None = None):
    """Each SG placed by its scale index (x) and vitality index (y), 0-100 percentiles; df: sg, scale_index,
    vitality_index (marts.sg_relevance of a year). A small SG can be vital and a large one less so."""
    alt = _alt()
    data = df[["sg", "scale_index", "vitality_index"]].dropna().copy()
    data["focus"] = ["this brief" if sg == highlight else "other SGs" for sg in data["sg"]]
    scale = alt.Scale(domain=[0, 100])
    base = alt.Chart(data).encode(
        x=alt.X("scale_index:Q", title="Scale index (percentile, 0-100)", scale=scale),
        y=alt.Y("vitality_index:Q", title="Vitality index (percentile, 0-100)", scale=scale),
    )
    points = base.mark_circle(size=90, opacity=0.9).encode(
        color=alt.Color(
            "focus:N",
            title=None,
            scale=alt.Scale(domain=["this brief", "other SGs"], range=[VERMILLION, BLUE]),
        ),
        tooltip=[
            alt.Tooltip("sg:N", title="SG"),
            alt.Tooltip("scale_index:Q", title="Scale", format=".1f"),
            alt.Tooltip("vitality_index:Q", title="Vitality", format=".1f"),
        ],
    )
    labels = base.mark_text(align="left", dx=7, fontSize=MIN_FONT_PX, color="#111").encode(text="sg:N")
    middle = alt.Chart(pd.DataFrame({"v": [50.0]}))
    rules = middle.mark_rule(color="#999", strokeDash=[4, 3]).encode(x="v:Q") + middle.mark_rule(
        color="#999", strokeDash=[4, 3]
    ).encode(y="v:Q")
    return _titled(
        [rules, points, labels],
        (WIDTH - 160, 300),
        "Scale and vitality of the study groups",
        "Percentiles among the study groups of the year; 50 = the median study group.",
    )


def _titled(layers: list, size: tuple[int, int], title: str, subtitle: str):
    """The layers as one chart of the given (width, height), with its title and subtitle, configured."""
    alt = _alt()
    chart = alt.layer(*layers).properties(
        width=size[0], height=size[1], title=alt.Title(title, subtitle=subtitle)
    )
    return configure(chart)


def _level_colour(title: str):
    """Risk levels in their fixed colours, whatever levels the data hold."""
    alt = _alt()
    return alt.Color(
        "level:N", title=title, scale=alt.Scale(domain=list(RISK_COLOURS), range=list(RISK_COLOURS.values()))
    )


def _label_expr(labels: dict[int, str]) -> str:
    """A Vega expression writing '3 possible' for the value 3 (the value alone where there is no label)."""
    expr = "datum.value"
    for key, name in sorted(labels.items(), reverse=True):
        expr = f"datum.value == {key} ? '{key} {name}' : ({expr})"
    return expr


__all__ = [
    "overlap_map_chart",
    "overlap_pairs_chart",
    "relevance_chart",
    "risk_heatmap_chart",
    "risk_matrix_chart",
    "scale_vitality_chart",
]
