"""The brief's "The landscape" section and its evidence lines, self-contained: one loader, one section, one rule.

`load_landscape_data` reads the landscape marts for a scope; `landscape_section` makes the section (table and
chart for an SG, an overview table for the sector); `landscape_findings` gives the numbered findings that
a situational analysis can sort into opportunities and threats; `landscape_statements` turns them into the
brief's statements. Every number comes from marts.sg_landscape / sg_landscape_series / peer_coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.briefs.model import Figure, Note, Section, Statement, Table
from pipelines.formatting.numbers import MISSING, format_count, format_score, is_missing

SECTION_TITLE = "The landscape"
TOP = 3
# The raw tables the SG side of the landscape is made of: its texts and its output.
SG_SIDE_TABLES = ("questions", "work_items", "recommendations")
IMPORT_HINT = "sgpulse import peers BUNDLE --raw DIR"


@dataclass
class LandscapeData:
    """What the landscape section of one brief shows; `state` is present, absent (no peer data) or missing."""

    state: str
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # sg_landscape: the SG's rows (every SG: sector)
    series: pd.DataFrame = field(default_factory=pd.DataFrame)  # sg_landscape_series of the SG
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)  # peer_coverage
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)  # landscape_indicators, per SG
    alternatives: int = 0
    stable_change: float = 0.05

    @property
    def present(self) -> bool:
        return self.state == "present"


@dataclass(frozen=True)
class Finding:
    """A landscape finding with its numbers: `kind` opportunity or threat (for a situational analysis)."""

    sg: str
    kind: str
    text: str
    cites: tuple[str, ...] = ("tab:landscape", "fig:landscape")


def _has(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def load_landscape_data(
    conn: duckdb.DuckDBPyConnection, scope: str, sector: bool, stable_change: float = 0.05
) -> LandscapeData:
    """The landscape marts for an SG (or every SG, for the sector brief)."""
    from pipelines.analytics.landscape import landscape_indicators, load_landscape_config

    if not all(_has(conn, "marts", t) for t in ("sg_landscape", "sg_landscape_series", "peer_coverage")):
        return LandscapeData("missing", stable_change=stable_change)
    sources = conn.execute("select * from marts.peer_coverage order by sdo").df()
    if sources.empty:
        return LandscapeData("absent", sources=sources, stable_change=stable_change)
    where, params = ("", []) if sector else ("where sg = ?", [scope])
    rows = conn.execute(f"select * from marts.sg_landscape {where} order by sg, rank", params).df()
    series = (
        pd.DataFrame()
        if sector
        else conn.execute(
            "select * from marts.sg_landscape_series where sg = ? order by kind desc, rank, year", [scope]
        ).df()
    )
    return LandscapeData(
        "present",
        rows,
        series,
        sources,
        landscape_indicators(rows, TOP) if len(rows) else pd.DataFrame(),
        len(load_landscape_config().alternatives),
        stable_change,
    )


# ---- wording -------------------------------------------------------------------------------------------


def format_trend(value) -> str:
    """A relative trend as a yearly percentage: +9 %/yr; n/a when unknown."""
    if is_missing(value):
        return MISSING
    percent = round(float(value) * 100)
    return f"{percent:+d} %/yr" if percent else "0 %/yr"  # never "-0"


def _verb(trend: float, stable: float, grew: str = "grew", fell: str = "fell") -> str:
    return "was stable" if abs(trend) < stable else grew if trend > 0 else fell


def _years(row) -> str:
    first, last = row.get("trend_first_year"), row.get("trend_last_year")
    return MISSING if is_missing(first) else f"{int(first)}–{int(last)}"


def sources_note(sources: pd.DataFrame) -> str:
    """Where the peer records come from: each body's repository, commit and last record date."""
    parts = [
        f"{r.sdo} {r.source} at commit {str(r.source_commit)[:8]} (records to {pd.Timestamp(r.last_date):%Y-%m-%d})"
        for r in sources.itertuples()
    ]
    return "Peer records (real, public, relaton bundles): " + "; ".join(parts) + "."


def short_method(data: LandscapeData) -> str:
    """The method in three sentences (the full text: docs/landscape.md and LandscapeConfig.method)."""
    from pipelines.analytics.landscape import load_landscape_config

    c = load_landscape_config()
    return (
        f"Method: TF-IDF cosine similarity between the SG's texts (Questions, work items, Recommendation "
        f"titles and abstracts) and each committee's publication titles and ICS topics of the last "
        f"{c.committee_years} years; a committee of at least {c.min_documents} documents is related at "
        f"{c.threshold} or more, and ranked by its similarity less its mean similarity to all SGs (so that "
        f"committees close to every SG do not head every list). Trends: Theil-Sen slope of yearly output "
        f"relative to its median, over the last {c.trend_years} years covered in full on both sides. "
        f"Full method: docs/landscape.md."
    )


def sg_side_label(domains: dict[str, str]) -> str:
    """Whether the SG side (its Questions, work items, Recommendations) is real, synthetic or mixed."""
    kinds = {t: domains.get(t, "real") for t in SG_SIDE_TABLES}
    if set(kinds.values()) == {"real"}:
        return "The study-group side (Questions, work items, Recommendations) is real data."
    described = ", ".join(f"{t.replace('_', ' ')} {k}" for t, k in kinds.items())
    if "real" not in kinds.values():
        return (
            f"The study-group side is synthetic ({described}): its texts and output trends are the "
            "sample's, not ITU-T's; only the peer committees' side is real."
        )
    return (
        f"The study-group side mixes real and synthetic data ({described}): read its texts and output "
        "trends as partly the sample's, not ITU-T's."
    )


def landscape_findings(data: LandscapeData, sg: str) -> list[Finding]:
    """Numbered findings on an SG's field: its top committees' output against the SG's own.

    threat: the field grows while the SG's output falls or lags it by more than the stable change, or the
    field itself shrinks; opportunity: the field grows and the SG keeps pace. Silent without both trends.
    """
    if not data.present or data.indicators.empty:
        return []
    found = data.indicators[data.indicators["sg"] == sg]
    rows = data.rows[(data.rows["sg"] == sg) & (data.rows["rank"] <= TOP)]
    if found.empty or rows.empty:
        return []
    ind = found.iloc[0]
    field, own = ind["field_trend"], ind["sg_trend"]
    if is_missing(field) or is_missing(own):
        return []
    stable = data.stable_change
    named = [
        f"{r.committee} ({format_trend(r.committee_trend)})"
        for r in rows.itertuples()
        if not is_missing(r.committee_trend)
    ]
    years = _years(ind)
    field_text = (
        f"Output in {sg}'s field {_verb(field, stable)} (median {format_trend(field)}) at "
        + _join(named)
        + f", {years}, while {sg}'s own output {_verb(own, stable)} ({format_trend(own)})"
    )
    if field >= stable and own < field - stable:
        kind = "threat"
        field_text += f": {sg} falls behind a growing field by {abs(own - field) * 100:.0f} points a year"
    elif field <= -stable:
        kind = "threat"
        field_text += ": the field's own output is shrinking"
    elif field >= stable:
        kind = "opportunity"
        field_text += f": a growing field that {sg} keeps pace with"
    else:
        kind = "opportunity" if own >= field else "threat"
        field_text += f": a stable field in which {sg}'s output " + (
            "grows" if own >= stable else "holds" if own > -stable else "falls"
        )
    return [Finding(sg, kind, field_text + ".")]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def landscape_statements(data: LandscapeData | None, scope: str, sector: bool) -> list[Statement]:
    """The brief's landscape statements: an SG's closest committees and its findings; for the sector, how
    many SGs fall behind a growing field."""
    if data is None or not data.present or data.rows.empty:
        return []
    if sector:
        ind = data.indicators.dropna(subset=["field_trend", "sg_trend"])
        if ind.empty:
            return []
        behind = ind[
            (ind["field_trend"] >= data.stable_change)
            & (ind["sg_trend"] < ind["field_trend"] - data.stable_change)
        ]
        text = (
            f"In {len(behind)} of {len(ind)} study groups with both trends, the closest peer committees' output "
            f"grew faster than the SG's own ({_years(ind.iloc[0])})"
        )
        if len(behind):
            gap = (behind["sg_trend"] - behind["field_trend"]).sort_values()
            worst = behind.loc[gap.index[0]]
            text += (
                f"; the widest gap is {worst['sg']} ({format_trend(worst['sg_trend'])} against "
                f"{format_trend(worst['field_trend'])})"
            )
        return [Statement("R13", text + ".", ["tab:landscape"])]
    rows = data.rows[(data.rows["sg"] == scope) & (data.rows["rank"] <= TOP)]
    if rows.empty:
        return []
    closest = _join([f"{r.committee} (similarity {format_score(r.similarity)})" for r in rows.itertuples()])
    statements = [
        Statement("R13", f"The peer committees closest to {scope}'s work are {closest}.", ["tab:landscape"])
    ]
    statements += [Statement("R13", f.text, list(f.cites)) for f in landscape_findings(data, scope)]
    return statements


# ---- the section ---------------------------------------------------------------------------------------


def landscape_section(
    data: LandscapeData | None, scope: str, sector: bool, domains: dict[str, str]
) -> Section:
    """The landscape: an SG's closest peer committees (table) and their output beside its own (chart)."""
    if data is None or data.state == "missing":
        return Section(SECTION_TITLE, [Note("Not available in this warehouse (marts.sg_landscape missing).")])
    if data.state == "absent":
        return Section(
            SECTION_TITLE,
            [
                Note(
                    "The landscape is absent: this run had no peer publication records (raw table "
                    f"peer_publications). Import them with `{IMPORT_HINT}` and refresh."
                )
            ],
        )
    method = Note(short_method(data) + " " + sg_side_label(domains) + " " + sources_note(data.sources))
    if sector:
        return Section(SECTION_TITLE, [_sector_table(data), method])
    rows = data.rows[data.rows["sg"] == scope]
    if rows.empty:
        return Section(
            SECTION_TITLE,
            [Note(f"No peer committee reaches the similarity threshold with {scope}'s texts."), method],
        )
    first = rows.iloc[0]
    years = _years(first)
    table = Table(
        label="tab:landscape",
        caption=f"Peer committees closest to {scope}'s work, and output trends {years}",
        columns=["Rank", "Committee", "Body", "Similarity", "Stable in top 3", "Publications", "Trend"],
        rows=[
            [
                str(int(r.rank)),
                r.committee,
                r.sdo,
                format_score(r.similarity),
                MISSING
                if is_missing(r.stability)
                else f"{round(r.stability * data.alternatives)} of {data.alternatives}",
                format_count(r.publications),
                format_trend(r.committee_trend),
            ]
            for r in rows.itertuples()
        ]
        + [
            [
                "",
                f"{scope} (Recommendation texts approved)",
                "ITU-T",
                "",
                "",
                format_count(first["sg_texts"]),
                format_trend(first["sg_trend"]),
            ]
        ],
        source="marts.sg_landscape, marts.peer_coverage",
        align=["r", "l", "l", "r", "r", "r", "r"],
        note=f"Similarity: TF-IDF cosine of {scope}'s texts ({int(first['window_first_year'])}–"
        f"{int(first['window_last_year'])}) and the committee's titles ({int(first['committee_first_year'])}–"
        f"{int(first['as_of_year'])}), 0-1. Stable in top 3: under how many of the alternative settings the "
        f"committee stays in the top 3. Publications and trend: {years}, the years that {scope}'s data and the "
        "bodies' records cover in full; trend = Theil-Sen slope relative to the median level; n/a = too few "
        "publications for a trend.",
    )
    blocks: list = [table]
    if not data.series.empty:
        from pipelines.charts.export import stable_spec
        from pipelines.charts.landscape import landscape_chart

        chart = landscape_chart(data.series)
        caption = f"Output of {scope} and of its {TOP} closest peer committees, {years}, first year = 100 (log scale)"
        blocks.append(
            Figure(
                label="fig:landscape",
                caption=caption,
                name="landscape",
                spec=stable_spec(chart.to_dict(validate=False)),
                source="marts.sg_landscape_series",
                alt_text=caption,
            )
        )
    blocks.append(method)
    return Section(SECTION_TITLE, blocks)


def _sector_table(data: LandscapeData) -> Table:
    from pipelines.formatting.ordering import sg_sort_key

    top = data.rows[data.rows["rank"] == 1].set_index("sg")
    ind = data.indicators.set_index("sg") if not data.indicators.empty else pd.DataFrame()
    rows = []
    for sg in sorted(top.index, key=sg_sort_key):
        r = top.loc[sg]
        i = ind.loc[sg] if sg in ind.index else None
        rows.append(
            [
                sg,
                f"{r['committee']} ({r['sdo']})",
                format_score(r["similarity"]),
                MISSING if i is None else format_trend(i["field_trend"]),
                MISSING if i is None else format_trend(i["sg_trend"]),
                MISSING if i is None or is_missing(i["pace"]) else f"{float(i['pace']) * 100:+.0f} pts/yr",
            ]
        )
    first = data.rows.iloc[0]
    return Table(
        label="tab:landscape",
        caption=f"Each study group's closest peer committee, and output trends {_years(first)}",
        columns=["SG", "Closest committee", "Similarity", f"Field trend (top {TOP})", "SG trend", "Pace"],
        rows=rows,
        source="marts.sg_landscape",
        align=["l", "l", "r", "r", "r", "r"],
        note=f"Field trend: median trend of the SG's {TOP} closest committees; pace = SG trend - field trend.",
    )
