"""From BriefData to the content model: the sections, tables and figures of a brief, in reading order.

Labels used by the rules (`pipelines.briefs.rules`) are created here: tab:kpis, tab:targets, tab:regions,
tab:categories, tab:relevance, tab:overlap, tab:risks, tab:quality and the fig:* of each chart (tab:landscape and
fig:landscape: pipelines.briefs.landscape).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.briefs import rules
from pipelines.briefs.data import HEADLINE_KPIS, NO_REGION, TOP_N, BriefData
from pipelines.briefs.drivers import drivers_section
from pipelines.briefs.enablers import enablers_section
from pipelines.briefs.first_page import glance_section, growth_section
from pipelines.briefs.framework import framework_section
from pipelines.briefs.landscape import landscape_section
from pipelines.briefs.model import Brief, Figure, Note, Paragraph, Section, Statements, Table
from pipelines.briefs.parts import (
    _figure,
    _kpi_mart,
    _left_out,
    _scope_name,
    _series,
    _target_mart,
    _unavailable,
    _who,
    unit_text,
)
from pipelines.briefs.quality import annex_section
from pipelines.briefs.questions import questions_section
from pipelines.briefs.regions import regional_section
from pipelines.briefs.register import risks_section
from pipelines.briefs.relevance import relevance_section
from pipelines.briefs.restructuring import restructuring_section
from pipelines.briefs.situation import situation_section
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import (
    MISSING,
    format_change,
    format_count,
    format_percent,
    format_score,
    format_value,
    format_with_unit,
    is_missing,
)
from pipelines.formatting.suppression import (
    PEOPLE_KPIS,
    SMALL_CELL,
    SUPPRESSED,
    people_kpi_hidden,
    people_labels,
)

# The columns of marts.quarantine_summary a brief shows (never its example values or row references).
QUARANTINE_COLUMNS = {
    "table_name": "Table",
    "reason_kind": "Reason",
    "column_name": "Column",
    "row_count": "Rows",
}
TARGET_YEARS = 5  # years shown in the traffic light of KPIs against targets


def headline_table(data: BriefData) -> Table:
    """Headline KPIs: last year, this year, change, target, status and n (names and units from the catalogue).

    A value of a partial year is shown with "(partial year)" and never compared; a status rests on the n beside
    it; in a mixed run a column says which KPIs come from real data.
    """
    cat = catalogue()
    targets = data.targets[data.targets["year"] == data.year].set_index("kpi")
    mixed = data.label is not None and data.label.kind == "mixed"
    rows = []
    for kpi_id in HEADLINE_KPIS:
        kpi = cat.get(kpi_id)
        now, before = data.kpi(kpi_id), data.kpi(kpi_id, data.year - 1)
        target = targets.loc[kpi_id] if kpi_id in targets.index else None
        hide_now, hide_before = people_hidden(data, kpi_id), people_hidden(data, kpi_id, data.year - 1)
        status = MISSING if target is None else status_text(target)
        comparable = data.full_year(kpi_id) and data.full_year(kpi_id, data.year - 1)
        row = [
            kpi.name,
            unit_text(kpi.unit),
            SUPPRESSED if hide_before else _shown(data, kpi_id, before, data.year - 1),
            SUPPRESSED if hide_now else _shown(data, kpi_id, now, data.year),
            SUPPRESSED
            if hide_now or hide_before
            else (format_change(now, before, kpi.unit) if comparable else MISSING),
            MISSING if target is None else format_with_unit(target["target"], kpi.unit),
            SUPPRESSED if hide_now and status != MISSING else status,
            MISSING if target is None or hide_now else format_count(target.get("n")),
        ]
        if mixed:
            row.append(data.label.source_of(kpi.column_name) or MISSING)
        rows.append(row)
    columns = ["KPI", "Unit", str(data.year - 1), str(data.year), "Change", "Target", "Status", "n"]
    note = (
        "Shares in %, changes of shares in percentage points (pp); n/a = no value (never counted as 0); "
        "n = the records a status rests on; a partial year is never compared; "
        f"<{SMALL_CELL}: figures about the people of a year with fewer than {SMALL_CELL} participants, not shown."
    )
    if mixed:
        columns.append("Data")
        note += " Data: whether the KPI is computed from real or synthetic records."
    return Table(
        label="tab:kpis",
        caption=f"Headline KPIs of {_scope_name(data)}, {data.year} and the change since {data.year - 1}",
        columns=columns,
        rows=rows,
        source=f"{_kpi_mart(data)}, {_target_mart(data)}",
        align=["l", "l", "r", "r", "r", "r", "l", "r", *(["l"] if mixed else [])],
        note=note,
    )


def _shown(data: BriefData, kpi_id: str, value, year: int) -> str:
    """A KPI value as the tables show it: '(partial year)' after a value its domain covers only in part; 'at
    most' before a share whose basis is too thin to be more than an upper bound (the AAP share)."""
    kpi = catalogue().get(kpi_id)
    text = format_with_unit(value, kpi.unit)
    if value is None:
        return text
    if kpi.basis_share and kpi.min_basis_share:
        basis = data.kpi(kpi.basis_share, year)
        if basis is not None and basis < kpi.min_basis_share:
            text = f"at most {text}"
    if data.coverage is not None and data.coverage.is_partial(year, kpi_id):
        text += " (partial year)"
    return text


def status_text(row) -> str:
    """A status as written in every table: the status, or why there is none."""
    status = row.get("status")
    if not is_missing(status):
        return str(status)
    if bool(row.get("partial")) and not is_missing(row.get("value")):
        return "not assessed (partial year)"
    return MISSING


def people_hidden(data: BriefData, kpi_id: str, year: int | None = None) -> bool:
    """Whether the brief hides a KPI's value for a year (fewer than SMALL_CELL participants)."""
    return people_kpi_hidden(kpi_id, lambda y: data.kpi("participants", y), year or data.year)


def _without_small_years(data: BriefData, series: pd.DataFrame) -> pd.DataFrame:
    """The series with the people KPIs of small years blanked: a chart leaves them out."""
    series = series.copy()
    for kpi_id in PEOPLE_KPIS & set(series.columns):
        hidden = series["year"].map(lambda y, k=kpi_id: people_hidden(data, k, int(y)))
        series[kpi_id] = series[kpi_id].astype("float64").where(~hidden)
    return series


def participation_section(data: BriefData) -> Section:
    from pipelines.charts.kpi import contributions_chart, participation_chart

    series = _without_small_years(data, _series(data))
    mart = _kpi_mart(data)
    return Section(
        "Participation and contributions",
        [
            _figure(
                "fig:participation",
                "participation",
                participation_chart(series),
                f"Participants and remote share of {_who(data)} by year"
                f"{_left_out(data, 'participants', 'remote_share')}",
                mart,
            ),
            _figure(
                "fig:contributions",
                "contributions",
                contributions_chart(series),
                f"Contributions and contributing entities of {_who(data)} by year"
                f"{_left_out(data, 'contributions', 'contributing_entities')}",
                mart,
            ),
        ],
    )


def concentration_section(data: BriefData) -> Section:
    from pipelines.charts.kpi import concentration_chart

    series = _series(data)[["year", "hhi"]].merge(data.top_shares, on="year", how="left")
    # The top-entity share of a year whose HHI is left out (partial) is left out with it.
    series.loc[series["hhi"].isna(), "top_share"] = float("nan")
    references = {}
    target = data.targets[(data.targets["kpi"] == "hhi") & (data.targets["year"] == data.year)]
    if not target.empty:
        references[f"target {format_value(target.iloc[0]['target'], 'index 0-10000')}"] = float(
            target.iloc[0]["target"]
        )
    high = data.risk_appetite.get("concentration", {}).get("high")
    if high is not None:
        references[f"high risk {format_value(high, 'index 0-10000')}"] = float(high)
    return Section(
        "Concentration",
        [
            _figure(
                "fig:concentration",
                "concentration",
                concentration_chart(series, TOP_N, references),
                f"Concentration of contributions (HHI) and share of the top {TOP_N} entities, "
                f"{_scope_name(data)}{_left_out(data, 'hhi')}",
                f"{_kpi_mart(data)}; top-entity share from core.fct_contribution_source",
            ),
        ],
    )


def breakdown_section(data: BriefData) -> Section:
    from pipelines.charts.kpi import category_chart, regional_chart

    blocks = []
    for label, frame, dimension, heading, chart_fn, name in (
        ("regions", data.regions, "itu_region", "ITU region", regional_chart, "regional presence"),
        ("categories", data.categories, "category", "Member category", category_chart, "industry engagement"),
    ):
        total = float(frame["contributions"].sum())
        rows = [
            [
                str(key),
                "0" if key == NO_REGION and people == MISSING else people,
                format_value(docs, "documents (fractional)"),
                format_percent(docs / total) if total > 0 else MISSING,
            ]
            for key, people, docs in zip(
                frame[dimension],
                # No one without a region is no cell of people (as <5 it would suppress a region beside it).
                people_labels(
                    [
                        None if key == NO_REGION and people == 0 else people
                        for key, people in zip(frame[dimension], frame["participants"], strict=True)
                    ]
                ),
                frame["contributions"],
                strict=True,
            )
        ]
        source = (
            "marts.region_year"
            if data.is_sector and label == "regions"
            else "core.fct_attendance, core.fct_contribution_source"
        )
        blocks.append(
            Table(
                label=f"tab:{label}",
                caption=f"Participants and contributions by {_lower(heading)}, "
                f"{_scope_name(data)}, {data.year}",
                columns=[heading, "Participants", "Contributions (fractional)", "Share of contributions"],
                rows=rows,
                source=source,
                note=f"Shares of all {format_value(total, 'documents (fractional)')} contributions of the year: "
                f"the region and category tables have the same total ({NO_REGION}: contributions of unresolved "
                f"organisations). Participant counts below {SMALL_CELL} are shown as <{SMALL_CELL}; a person may "
                "count in more than one row.",
            )
        )
        blocks.append(
            _figure(
                f"fig:{label}",
                label,
                chart_fn(frame, data.year),
                f"{name.capitalize()}: participants and contributions by {_lower(heading)}, {data.year}",
                source,
            )
        )
    return Section("Regional presence and industry engagement", blocks)


def _lower(heading: str) -> str:
    """'ITU region' stays as it is, 'Member category' becomes 'member category'."""
    return heading if heading[:3].isupper() else heading.lower()


def output_section(data: BriefData) -> Section:
    from pipelines.charts.kpi import output_chart

    return Section(
        "Output and cycle time",
        [
            _figure(
                "fig:output",
                "output",
                output_chart(_series(data)),
                f"Recommendations approved, amendments and median cycle time of {_who(data)}"
                f"{_left_out(data, 'recs_approved', 'amendments', 'median_cycle_days')}",
                _kpi_mart(data),
            ),
        ],
    )


def targets_section(data: BriefData) -> Section:
    from pipelines.charts.kpi import kpi_target_chart

    cat = catalogue()
    first = data.year - TARGET_YEARS + 1
    recent = data.targets[data.targets["year"] >= first]
    if recent.empty:
        return Section(
            "KPIs against targets",
            [
                Note(
                    f"No KPI with a target has a value for {_scope_name(data)} "
                    f"between {first} and {data.year}."
                )
            ],
        )
    now = data.targets[data.targets["year"] == data.year]
    rows = [
        [
            cat.get(r.kpi).name,
            _shown(data, r.kpi, None if is_missing(r.value) else r.value, data.year),
            format_with_unit(r.target, cat.get(r.kpi).unit),
            r.direction,
            status_text(r._asdict()),
            format_count(getattr(r, "n", None)),
        ]
        for r in now.itertuples()
    ]
    blocks = [
        Table(
            label="tab:targets",
            caption=f"KPIs against the targets of the results framework, {_scope_name(data)}, {data.year}",
            columns=["KPI", "Value", "Target", "Direction", "Status", "n"],
            rows=rows,
            source=_target_mart(data),
            align=["l", "r", "r", "l", "l", "r"],
            note="Status: on track, watch (within the tolerance of the target), off track, or insufficient "
            "data when the value rests on fewer records (n) than the KPI catalogue's minimum or, for a share "
            "marked 'at most', on too few of the year's records; a partial year is not assessed.",
        ),
        _figure(
            "fig:targets",
            "kpi-vs-target",
            kpi_target_chart(recent),
            f"KPIs against targets, {_scope_name(data)}, {max(first, int(recent['year'].min()))}-{data.year}",
            _target_mart(data),
        ),
    ]
    return Section("KPIs against targets", blocks)


def overlap_section(data: BriefData) -> Section:
    from pipelines.charts.restructuring import overlap_map_chart, overlap_pairs_chart

    blocks: list = []
    if data.overlap is None:
        blocks.append(_unavailable("marts.sg_overlap"))
    else:
        pairs = data.overlap
        if not data.is_sector:
            pairs = pairs[(pairs["sg_a"] == data.scope) | (pairs["sg_b"] == data.scope)]
        pairs = pairs.sort_values(
            ["combined", "sg_a", "sg_b"], ascending=[False, True, True], na_position="last"
        )
        shown = pairs.head(10 if data.is_sector else 5)
        if shown.empty:
            blocks.append(
                Note(f"No pair of study groups involving {_scope_name(data)} has an overlap measure.")
            )
        else:
            window = ""
            if "window_first_year" in shown and pd.notna(shown["window_first_year"].iloc[0]):
                first, last = int(shown["window_first_year"].iloc[0]), int(shown["window_last_year"].iloc[0])
                # A window clipped to the first covered year is one year, said as one.
                window = f", {first}" if first == last else f", {first}-{last}"
            rows = [
                [
                    f"{r.sg_a} – {r.sg_b}",
                    format_score(r.text_similarity),
                    format_score(r.entity_overlap),
                    format_score(r.combined),
                    "yes" if not is_missing(r.combined) and r.combined >= rules.MERGE_CANDIDATE else "no",
                ]
                for r in shown.itertuples()
            ]
            blocks.append(
                Table(
                    label="tab:overlap",
                    caption=f"Most overlapping pairs{'' if data.is_sector else ' involving ' + data.scope}"
                    f"{window}",
                    columns=[
                        "Pair",
                        "Topic similarity",
                        "Contributor overlap",
                        "Combined",
                        "Merge candidate",
                    ],
                    rows=rows,
                    source="marts.sg_overlap",
                    align=["l", "r", "r", "r", "l"],
                    note="Merge candidate: combined overlap of at least "
                    f"{format_score(rules.MERGE_CANDIDATE)} "
                    "(rule R10); 0 = nothing shared, 1 = identical.",
                )
            )
            blocks.append(
                _figure(
                    "fig:overlap-pairs",
                    "overlap-pairs",
                    overlap_pairs_chart(shown, len(shown)),
                    "Most overlapping pairs of study groups",
                    "marts.sg_overlap",
                )
            )
    if data.overlap_map is None:
        blocks.append(_unavailable("marts.sg_overlap_map"))
    elif not data.overlap_map.empty:
        blocks.append(
            _figure(
                "fig:overlap-map",
                "overlap-map",
                overlap_map_chart(data.overlap_map, None if data.is_sector else data.scope),
                "Overlap map of the study groups (closer = more overlap)",
                "marts.sg_overlap_map",
                interactive=data.is_sector,
            )
        )
    return Section("Overlap and merge candidates", blocks)


def quality_section(data: BriefData) -> Section:
    q = data.quality
    read, quarantined = int(q.ingest["rows_read"].sum()), int(q.ingest["rows_quarantined"].sum())
    counts = q.check_counts()
    rows = [
        ["Raw rows read", format_count(read)],
        ["Rows quarantined at ingest", format_count(quarantined)],
        ["Share quarantined", format_percent(quarantined / read) if read else MISSING],
    ]
    if counts is not None:
        rows += [
            ["Checks passed", format_count(counts["passed"])],
            ["Checks warned", format_count(counts["warned"])],
            ["Checks failed", format_count(counts["failed"])],
        ]
    if q.unresolved_names is not None:
        rows += [
            ["Unresolved organisation names", format_count(q.unresolved_names)],
            ["Occurrences of unresolved names", format_count(q.unresolved_occurrences)],
        ]
    blocks: list = [
        Table(
            label="tab:quality",
            caption="Data-quality status of the build",
            columns=["Measure", "Value"],
            rows=rows,
            source="meta.ingest_report, meta.check_results, marts.unresolved_organisations",
        )
    ]
    if counts is None:
        blocks.append(
            Note("Data-quality checks: not available in this warehouse (meta.check_results missing).")
        )
    elif counts["failed"] or counts["warned"]:
        failing = q.checks[~q.checks["passed"].astype(bool)]
        blocks.append(
            Table(
                label="tab:checks",
                caption="Data-quality checks that warned or failed",
                columns=["Asset", "Check", "Severity", "Failing rows"],
                source="meta.check_results",
                align=["l", "l", "l", "r"],
                rows=[
                    [str(r.asset), str(r.check_name), str(r.severity), format_count(r.failed_rows)]
                    for r in failing.itertuples()
                ],
            )
        )
    by_table = q.ingest[q.ingest["rows_quarantined"] > 0]
    if not by_table.empty:
        blocks.append(
            Table(
                label="tab:quarantine",
                caption="Rows quarantined at ingest, by raw table",
                columns=["Table", "Rows read", "Quarantined"],
                rows=[
                    [r.table_name, format_count(r.rows_read), format_count(r.rows_quarantined)]
                    for r in by_table.itertuples()
                ],
                source="meta.ingest_report",
            )
        )
    if q.quarantine_summary is None:
        blocks.append(
            Note("Quarantine reasons: not available in this warehouse (marts.quarantine_summary missing).")
        )
    elif not q.quarantine_summary.empty:
        # Counts only: the example reasons and row references can quote raw values (participant keys...).
        columns = [c for c in QUARANTINE_COLUMNS if c in q.quarantine_summary.columns]
        summary = q.quarantine_summary[columns].head(15)
        blocks.append(
            Table(
                label="tab:quarantine-reasons",
                caption="Quarantined rows by reason",
                columns=[QUARANTINE_COLUMNS[c] for c in columns],
                rows=[[_cell(v) for v in row] for row in summary.itertuples(index=False)],
                source="marts.quarantine_summary",
                align=["r" if c == "row_count" else "l" for c in columns],
            )
        )
    return Section("Data quality", blocks)


def _cell(value) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_count(value) if float(value).is_integer() else f"{value:,.2f}"
    return str(value)


def provenance_section(data: BriefData, generated_at: dt.datetime) -> Section:
    from pipelines.coverage import DOMAIN_NAMES

    p = data.provenance
    label = data.label
    kind = label.kind if label else ("synthetic" if p.synthetic else "real")
    data_line = {
        "synthetic": "synthetic (the bundled sample or another generated dataset)",
        "real": "real records",
        "mixed": "mixed: real and synthetic domains (Table below)",
    }[kind]
    rows = [
        ["Dataset", p.dataset_name],
        ["Data", data_line],
        ["Raw files", format_count(p.raw_files)],
        ["Raw data SHA-256", p.raw_sha256],
        ["Run id", p.run_id or "not recorded"],
        ["Generated at (UTC)", generated_at.strftime("%Y-%m-%d %H:%M:%S")],
        ["KPI catalogue version", p.catalogue_version],
        ["Results framework version", p.framework_version],
        ["Warehouse", p.warehouse or MISSING],
    ]
    blocks: list = [
        Table(
            label="tab:provenance",
            caption="Provenance of this brief",
            columns=["Item", "Value"],
            rows=rows,
            source="meta.dataset, meta.raw_files, configuration",
            align=["l", "l"],
        )
    ]
    if data.coverage is not None and not data.coverage.domains.empty:
        domains = data.coverage.domains
        blocks.append(
            Table(
                label="tab:coverage",
                caption="What the data cover, per domain",
                columns=["Domain", "From", "To", "Data", "Source"],
                rows=[
                    [
                        DOMAIN_NAMES.get(r.domain, r.domain),
                        _day(r.first_date),
                        _day(r.last_date),
                        str(r.source_label),
                        str(r.source or MISSING),
                    ]
                    for r in domains.itertuples()
                ],
                source="marts.coverage",
                align=["l", "l", "l", "l", "l"],
                note="A year a domain misses more than 31 days of is partial: its values are shown but never "
                "compared, trended or assessed; a year it does not cover has no value (n/a), never 0.",
            )
        )
    if p.notice:
        blocks.append(Note(_notice(data)))
    return Section("Provenance", blocks)


def _notice(data: BriefData) -> str:
    """The dataset's notice; in a mixed run it describes the synthetic domains only, and says so."""
    from pipelines.coverage import SAMPLE_BANNER

    notice = data.provenance.notice.strip()
    if data.label is None or data.label.kind != "mixed":
        return notice
    detail = notice.removeprefix(SAMPLE_BANNER).lstrip(" :—-")
    return f"About the synthetic domains: {detail}" if detail else notice


def _day(value) -> str:
    return MISSING if is_missing(value) else pd.Timestamp(value).date().isoformat()


def method_section() -> Section:
    cat = catalogue()
    definitions = Table(
        label="tab:definitions",
        caption="Definitions of the headline KPIs (KPI catalogue)",
        columns=["KPI", "Definition", "Unit"],
        rows=[[cat.get(k).name, cat.get(k).definition, cat.get(k).unit] for k in HEADLINE_KPIS],
        source="pipelines/config/kpi_catalogue.yaml",
        align=["l", "l", "l"],
    )
    from pipelines.briefs import glance, situation

    rule_table = Table(
        label="tab:rules",
        caption="Rules that write the key messages (G), the statements of what the evidence shows (R) and the "
        "lines of the situational analysis (S, W, O, T, C)",
        columns=["Rule", "When and what"],
        rows=[
            [rule_id, doc]
            for rule_id, doc in [
                *glance.rules_reference(),
                *rules.rules_reference(),
                *situation.rules_reference(),
            ]
        ],
        source="pipelines/briefs/rules.py",
        align=["l", "l"],
    )
    return Section("Definitions and method", [definitions, rule_table])


def _alt_texts(sections: list[Section]) -> None:
    """Each figure's alt text: its caption and the first statement that cites it (its finding), if any."""
    statements = [
        s for section in sections for b in section.blocks if isinstance(b, Statements) for s in b.items
    ]
    for section in sections:
        for block in section.blocks:
            if isinstance(block, Figure):
                finding = next((s.text for s in statements if block.label in s.cites), "")
                block.alt_text = f"{block.caption}. {finding}".strip()


def build_brief(data: BriefData, generated_at: dt.datetime) -> Brief:
    """The whole content model of one brief (numbered, citations checked)."""
    statements = rules.evidence_statements(data)
    scope_name = "the ITU-T sector" if data.is_sector else f"{data.scope} ({data.title})"
    intro = Paragraph(
        f"This brief sets out the evidence on {scope_name} for {data.year}: headline KPIs against last year "
        "and "
        f"the targets of the results framework (version {data.provenance.framework_version}), participation, "
        "contributions, concentration, regional and industry engagement, output, relevance, overlap with "
        "other "
        "study groups, the landscape of peer committees, risks and data quality. Every statement is made by "
        "a documented rule from the numbers and cites the table or figure it comes from."
    )
    evidence = (
        Statements(statements)
        if statements
        else Note(f"No rule found numbers to speak about for {data.year}.")
    )
    sections = [
        glance_section(data),
        *([growth_section(data)] if data.is_sector else []),
        Section("Headline KPIs", [headline_table(data)]),
        Section("What the evidence shows", [evidence]),
        *([] if data.is_sector else [situation_section(data)]),
        participation_section(data),
        concentration_section(data),
        breakdown_section(data),
        drivers_section(data),
        regional_section(data),
        output_section(data),
        questions_section(data),
        targets_section(data),
        *([framework_section(data), enablers_section(data)] if data.is_sector else []),
        relevance_section(data),
        overlap_section(data),
        restructuring_section(data),
        landscape_section(data.landscape, data.scope, data.is_sector, data.provenance.domains),
        risks_section(data),
        *([quality_section(data)] if data.is_sector else []),
        provenance_section(data, generated_at),
        method_section(),
        # An SG's data quality is a one-page annex of what touches it (the build's is the sector brief's).
        *([] if data.is_sector else [annex_section(data)]),
    ]
    title = (
        "Evidence brief: ITU-T sector overview"
        if data.is_sector
        else f"Evidence brief: {data.scope} – {data.title}"
    )
    _alt_texts(sections)
    brief = Brief(
        scope=data.scope,
        year=data.year,
        title=f"{title}, {data.year}",
        study_period=data.study_period,
        generated_at=generated_at,
        synthetic=data.provenance.synthetic,
        notice=data.provenance.notice,
        banner=data.label.banner if data.label else None,
        # The key messages of "At a glance" are the summary: no statement is repeated before the body.
        summary=[intro],
        sections=sections,
        keywords=["TSAG", "KPI", "evidence", _scope_name(data), str(data.year)],
    )
    from pipelines.briefs.site import card

    brief.card = card(data)
    return brief.finish()
