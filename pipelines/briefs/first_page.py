"""The first pages of a brief: At a glance (key messages, the headline strip against the other SGs) and, in the
sector brief, which study groups are growing or shrinking."""

from __future__ import annotations

from pipelines.briefs import rules
from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Note, Paragraph, Section, Statements, Table
from pipelines.briefs.parts import _figure, _kpi_mart, _scope_name, _who, unit_label
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_mean, format_percent, format_value
from pipelines.formatting.suppression import SMALL_CELL, SUPPRESSED


def glance_section(data: BriefData) -> Section:
    """At a glance: the key messages, the strip of headline KPIs against the other SGs and the previous study
    period (table and dot-strip chart), and one line on what the data cover."""
    from pipelines.briefs import glance
    from pipelines.charts.kpi import dot_strip_chart

    blocks: list = []
    if data.coverage is not None and not data.coverage.domains.empty:
        blocks.append(Paragraph(f"Data coverage: {data.coverage.coverage_line(data.label)}."))
    messages = glance.key_messages(data)
    blocks.append(
        Statements(messages) if messages else Note(f"No rule found numbers to speak about for {data.year}.")
    )
    rows, dots = [], []
    spans = glance.periods(data.year)
    compared = "the SGs" if data.is_sector else "SGs"
    focus = _scope_name(data)
    for row in glance.strip(data):
        unit = catalogue().get(row.kpi).unit
        scale = 100.0 if unit == "share" else 1.0
        total = len(row.peers)
        cells = [
            unit_label(row.kpi),
            row.shown,
            format_value(row.median, unit),
            MISSING if row.low is None else f"{format_value(row.low, unit)}–{format_value(row.high, unit)}",
        ]
        if not data.is_sector:
            cells.append(glance.rank_text(row.rank, total))
        cells += [
            format_mean(row.period_before, unit),
            format_mean(row.period_now, unit),
            glance.format_relative(row.kpi, row.period_change),
        ]
        rows.append(cells)
        label = unit_label(row.kpi)
        dots += [(label, sg, v * scale, "study group") for sg, v in row.peers.items() if sg != data.scope]
        if row.median is not None:
            dots.append((label, "median", row.median * scale, "median"))
        # The sector's totals would dwarf every study group on the same axis: the table gives them.
        if row.value is not None and not (data.is_sector and row.kpi in glance.SIZE_KPIS):
            dots.append((label, focus, row.value * scale, focus))
    before = spans.before or "previous period"
    columns = [
        "KPI",
        f"{focus} {data.year}",
        f"Median of {compared}",
        "Range of SGs",
        *([] if data.is_sector else ["Rank"]),
        f"{before} average",
        f"{spans.now} average",
        "Change",
    ]
    years = (
        f"{', '.join(map(str, spans.before_years)) or 'none'} against {', '.join(map(str, spans.now_years))}"
    )
    blocks.append(
        Table(
            label="tab:glance",
            caption=f"At a glance: {_who(data)} against the study groups in {data.year} and against the "
            f"previous study period",
            columns=columns,
            rows=rows,
            source=f"{_kpi_mart(data)}, marts.sg_year_kpis_lineage",
            note=f"Median, range and rank over the {len(glance.compared_sgs(data))} study groups active in "
            f"{data.year} ({', '.join(data.excluded) or 'none'} left out); rank 1 = highest. Change: the yearly "
            f"average of the study period so far against the previous period's (years {years}; partial years "
            "left out), in percentage points for shares. A partial year is not compared; "
            f"{SUPPRESSED}: a figure about fewer than {SMALL_CELL} participants, not shown.",
        )
    )
    if dots:
        import pandas as pd

        blocks.append(
            _figure(
                "fig:glance",
                "at-a-glance",
                dot_strip_chart(pd.DataFrame(dots, columns=["kpi", "sg", "value", "role"]), focus),
                f"{focus} among the study groups, {data.year}: headline KPIs, every study group a dot"
                + (
                    " (the sector's totals of participants, contributions, Recommendations and countries are in "
                    "the table above)"
                    if data.is_sector
                    else ""
                ),
                f"{_kpi_mart(data)}, marts.sg_year_kpis_lineage",
            )
        )
    return Section("At a glance", blocks)


def growth_section(data: BriefData) -> Section:
    """Growing or shrinking (sector brief): per study group, participants, contributions and Recommendations with
    their change over one and three years, this study period against the last and the five-year trend."""
    from pipelines.briefs import glance, growth

    spans = glance.periods(data.year)
    before = spans.before or "previous period"
    blocks: list = []
    for kpi_id in growth.GROWTH_KPIS:
        kpi = catalogue().get(kpi_id)
        rows = [
            [r.sg, *([SUPPRESSED] * 6), MISSING]
            if r.hidden
            else [
                r.sg,
                format_value(r.value, kpi.unit),
                glance.format_relative(kpi_id, r.change_1y),
                glance.format_relative(kpi_id, r.change_3y),
                format_mean(r.period_before, kpi.unit),
                format_mean(r.period_now, kpi.unit),
                glance.format_relative(kpi_id, r.period_change),
                MISSING if r.trend is None else f"{r.trend_word} ({r.trend:+.1%}/yr)",
            ]
            for r in growth.growth_rows(data, kpi_id)
        ]
        if not rows:
            continue
        blocks.append(
            Table(
                label=f"tab:growth-{kpi_id.replace('_', '-')}",
                caption=f"Growing or shrinking: {unit_label(kpi_id).lower() if kpi_id != 'recs_approved' else unit_label(kpi_id)} "
                f"per study group, {data.year}",
                columns=[
                    "SG",
                    str(data.year),
                    f"Change since {data.year - 1}",
                    f"Change since {data.year - 3}",
                    f"{before} average",
                    f"{spans.now} average",
                    f"Change against {before}",
                    f"Trend, {data.year - growth.TREND_YEARS + 1}-{data.year}",
                ],
                rows=rows,
                source="marts.sg_year_kpis_lineage",
                align=["l", "r", "r", "r", "r", "r", "r", "l"],
                note="Changes relative to the earlier value; averages over the full years of each study period "
                f"in the data ({', '.join(map(str, spans.before_years)) or 'none'}; "
                f"{', '.join(map(str, spans.now_years))}); trend: Theil-Sen slope over the last "
                f"{growth.TREND_YEARS} full years divided by their median, rising or falling from "
                f"{format_percent(rules.STABLE_CHANGE)} a year, n/a below three years. A study group that took "
                f"over others' work is counted with them before it existed; <{SMALL_CELL} participants are not "
                "shown. Click a column heading to sort.",
                sortable=True,
            )
        )
    return Section("Growing or shrinking", blocks or [Note(f"No study group has activity in {data.year}.")])
