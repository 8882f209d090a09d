"""The section "Scale and vitality": relevance said for what it measures.

The composite relevance index (marts.sg_relevance.relevance_index, min-max) mostly measures size: the smallest SG
reads 0 on every size indicator. This section shows first the two things it mixes, scored apart by percentile
among the study groups of the year (no working SG reads 0): scale (participants, contributions, Recommendations)
and vitality (output per participant, diversity, industry and external engagement, renewal), each with its rank
and rank interval under weight sensitivity; the composite follows, named as what it is.
"""

from __future__ import annotations

import pandas as pd

from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Note, Section, Table
from pipelines.briefs.parts import _figure, _unavailable
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_count, format_score, is_missing

SECTION_TITLE = "Scale and vitality"
DIMENSIONS = ("scale", "vitality")


def rank_interval(row, prefix: str = "") -> str:
    """'6-8' from rank_low and rank_high (of a dimension with its prefix, e.g. 'scale_')."""
    low, high = row.get(f"{prefix}rank_low"), row.get(f"{prefix}rank_high")
    return MISSING if is_missing(low) else f"{format_count(low)}-{format_count(high)}"


def has_dimensions(frame: pd.DataFrame) -> bool:
    return all(f"{d}_index" in frame for d in DIMENSIONS)


def relevance_section(data: BriefData) -> Section:
    """Scale and vitality of every ranked SG (table and chart), the SG's components, then the composite index."""
    from pipelines.charts.restructuring import relevance_chart, scale_vitality_chart

    if data.relevance is None:
        return Section(SECTION_TITLE, [_unavailable("marts.sg_relevance")])
    frame = data.relevance
    if frame.empty:
        return Section(SECTION_TITLE, [Note(f"No study group is ranked in {data.year}.")])
    year = data.relevance_year
    highlight = None if data.is_sector else data.scope
    blocks: list = []
    if not data.is_sector and data.scope not in set(frame["sg"]):
        blocks.append(
            Note(
                f"{data.scope} is not ranked (scale, vitality and the relevance index leave out TSAG and SGs "
                f"without activity in {year})."
            )
        )
    if has_dimensions(frame):
        ordered = frame.sort_values(["scale_rank", "sg"])
        blocks.append(
            Table(
                label="tab:scale-vitality",
                caption=f"Scale and vitality of the study groups, {year}",
                columns=[
                    "SG",
                    "Scale (0-100)",
                    "Scale rank",
                    "Interval",
                    "Vitality (0-100)",
                    "Vitality rank",
                    "Interval",
                ],
                rows=[
                    [
                        r["sg"],
                        format_score(r["scale_index"], 1),
                        format_count(r["scale_rank"]),
                        rank_interval(r, "scale_"),
                        format_score(r["vitality_index"], 1),
                        format_count(r["vitality_rank"]),
                        rank_interval(r, "vitality_"),
                    ]
                    for r in ordered.to_dict("records")
                ],
                source="marts.sg_relevance",
                note="Scale: participants, contributions and Recommendations approved (mean of the last three "
                "years). Vitality: output per participant, diversity, industry engagement, external engagement "
                "and renewal. Each indicator is scored by its percentile among the study groups of the year "
                f"(the lowest of {len(ordered)} scores {format_score(50 / max(len(ordered), 1), 1)}, never 0; 50 = "
                "the median); interval = the ranks under weight sensitivity (90 %).",
            )
        )
        if not data.is_sector and data.scope in set(frame["sg"]):
            blocks.append(_components(data, frame[frame["sg"] == data.scope].iloc[0]))
        blocks.append(
            _figure(
                "fig:scale-vitality",
                "scale-vitality",
                scale_vitality_chart(frame, highlight),
                f"Scale and vitality of the study groups, {year}",
                "marts.sg_relevance",
                interactive=data.is_sector,
            )
        )
    rows = [
        [
            r.sg,
            format_score(r.relevance_index, 1),
            format_count(r.rank),
            f"{format_count(r.rank_low)}-{format_count(r.rank_high)}",
            format_score(r.trend, 1),
        ]
        for r in frame.itertuples()
    ]
    blocks.append(
        Table(
            label="tab:relevance",
            caption=f"Relevance index and rank of the study groups (composite, mostly size), {year}",
            columns=["SG", "Relevance index", "Rank", "Rank interval", "Trend (points/year)"],
            rows=rows,
            source="marts.sg_relevance",
            note="The composite of the results framework, kept for comparison with earlier briefs: six "
            "components rescaled min-max (the smallest SG reads 0 on size), 0-100; rank interval = ranks under "
            "weight sensitivity.",
        )
    )
    blocks.append(
        _figure(
            "fig:relevance",
            "relevance",
            relevance_chart(frame, highlight),
            f"Relevance rank (composite, mostly size) and its interval across study groups, {year}",
            "marts.sg_relevance",
            interactive=data.is_sector,
        )
    )
    return Section(SECTION_TITLE, blocks)


def _components(data: BriefData, row) -> Table:
    """The SG's scale and vitality components, each its percentile among the SGs (names from the catalogue)."""
    cat = catalogue()
    rows = []
    for dimension in DIMENSIONS:
        columns = [
            c
            for c in row.index
            if c.startswith(f"{dimension}_")
            and c.removeprefix(f"{dimension}_") not in ("index", "rank", "rank_low", "rank_high")
        ]
        rows += [[cat.get(c).name, format_score(row[c], 1)] for c in columns]
    return Table(
        label="tab:relevance-components",
        caption=f"Scale and vitality components of {data.scope}, {data.relevance_year}",
        columns=["Component", "Percentile (0-100)"],
        source="marts.sg_relevance",
        rows=rows,
        note="n/a = the SG has no value of the component's indicators in the years compared.",
    )
