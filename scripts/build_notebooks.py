# ruff: noqa: E501 - the cells are indented here; in the notebooks their lines fit the usual width
"""Write the analyst notebooks in notebooks/ (without outputs: they are stripped in git).

    .venv/bin/python scripts/build_notebooks.py            # rewrite every notebook
    .venv/bin/python scripts/build_notebooks.py --check    # exit 1 if a notebook differs from this script

Edit the cells here rather than in JupyterLab, so the notebooks stay reviewable as code (explore freely in a
copy). Every number a notebook shows is read from the warehouse's marts through `pipelines.explore`; charts
shared with the briefs come from `pipelines.charts`.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def md(text: str):
    return new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(textwrap.dedent(text).strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


SETUP = code("""
    import altair as alt
    import pandas as pd

    from pipelines import explore

    # Static SVG charts (vl-convert, in the kernel): they render offline, in nbconvert and on GitHub,
    # and saved outputs hold no data or CDN links. alt.renderers.enable("default") adds tooltips (online).
    alt.renderers.enable("svg")
    pd.set_option("display.max_colwidth", 120)
    pd.set_option("display.precision", 3)
    conn = explore.connect()  # read-only: nothing in this notebook can change the warehouse
    label = explore.dataset_label(conn)  # SAMPLE DATA / MIXED DATA: the same banner as every brief
    if label.banner:
        print(label.banner)
    print(f"Warehouse: {explore.warehouse_path().name} ({label.dataset_name})")
    print(f"Data cover: {explore.coverage(conn).coverage_line(label)}")
    if label.notice:
        print(label.notice)
""")

TREND = code('''
    def trend(frame: pd.DataFrame, columns: list[str], title: str, share: bool = False) -> alt.Chart:
        """One line per KPI over the years, values as published in the marts; partial years are left out (a
        partial year is never a trend point: marts.year_coverage)."""
        frame = explore.coverage(conn).mask_partial(frame, columns)
        long = frame.melt(id_vars="year", value_vars=columns, var_name="kpi", value_name="value").dropna()
        return (
            alt.Chart(long, title=title)
            .mark_line(point=True)
            .encode(
                x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
                y=alt.Y("value:Q", title=None, axis=alt.Axis(format=".0%" if share else "~s")),
                color=alt.Color("kpi:N", title=None),
                tooltip=["year:O", "kpi:N", alt.Tooltip("value:Q", format=".3~f")],
            )
            .properties(width=460, height=200)
        )


    def pair(left: alt.Chart, right: alt.Chart) -> alt.HConcatChart:
        """Two charts side by side, each with its own colour legend."""
        return alt.hconcat(left, right).resolve_scale(color="independent")
''')


def start_here() -> list:
    return [
        md("""
            # 01 · Start here

            **What this answers:** what is in the sgpulse warehouse, what each KPI means, and how ITU-T as a
            whole is doing: participation, contributions and output per year, and the sector's KPIs against
            the targets of the results framework.

            The notebook reads the published warehouse (`SGPULSE_WAREHOUSE`, default
            `data/marts/warehouse.duckdb`) read-only through `pipelines.explore`. Every number comes from the
            `marts` tables and every KPI is defined once, in the KPI catalogue
            ([docs/kpis.md](../docs/kpis.md)). Next: `02_study_group_deep_dive`, `03_restructuring`,
            `04_data_quality`.
        """),
        SETUP,
        md("""
            ## What is in the warehouse

            `staging` and `quarantine` hold the ingested rows (valid, or rejected with a reason), `core` the
            dimensions and facts, `marts` the published tables (the KPI contract) and `meta` the provenance of
            the refresh. Analysts read `marts`.
        """),
        code('''
            from pipelines.dictionary import table_description

            tables = conn.sql("""
                select schema_name as schema, table_name as "table", estimated_size as "rows"
                from duckdb_tables() where database_name = 'warehouse' order by schema_name, table_name
            """).df()
            tables["description"] = (tables["schema"] + "." + tables["table"]).map(table_description)
            tables.groupby("schema").agg(tables=("table", "count")).T
        '''),
        code('tables[tables["schema"] == "marts"].drop(columns="schema").set_index("table")'),
        md("""
            ### What each column of the marts means

            The data dictionary (`explore.data_dictionary()`, also written by `sgpulse export` as
            `data-dictionary.html` and `.csv`): KPI columns are defined by the KPI catalogue, the others by
            `pipelines/config/data_dictionary.yaml`; types come from the warehouse.
        """),
        code('explore.data_dictionary(conn=conn)[["table", "column", "type", "definition", "unit"]]'),
        md("### Where the data came from: rows read, staged and quarantined per raw table"),
        code('''
            conn.sql("""
                select table_name, files, rows_read, rows_staged, rows_quarantined from meta.ingest_report
            """).df().set_index("table_name")
        '''),
        md("""
            ## The KPI catalogue

            Name, unit, direction and definition of every KPI (`explore.catalogue()`); the briefs and
            `docs/kpis.md` use the same words.
        """),
        code(
            'explore.catalogue()[["id", "name", "unit", "direction", "rbm_level", "definition"]].set_index("id")'
        ),
        md("""
            ## The sector at a glance

            `marts.sector_year_kpis`: the whole sector per year, computed over all records (distinct counts
            are not sums of study-group rows).
        """),
        code("""
            sector = explore.kpis("sector")
            latest = int(sector["year"].max())
            HEADLINE = ["meetings", "participants", "countries", "organisations", "contributions",
                        "contributing_entities", "recs_approved", "backlog"]
            sector.set_index("year")[HEADLINE]
        """),
        code("""
            long = sector.melt(id_vars="year", value_vars=HEADLINE, var_name="kpi", value_name="value")
            (
                alt.Chart(long)
                .mark_line(point=True)
                .encode(x=alt.X("year:O", title=None), y=alt.Y("value:Q", title=None),
                        tooltip=["year:O", "kpi:N", "value:Q"])
                .properties(width=200, height=110)
                .facet(facet=alt.Facet("kpi:N", title=None, sort=HEADLINE), columns=4)
                .resolve_scale(y="independent")
                .properties(title="The sector per year")
            )
        """),
        TREND,
        code("""
            trend(sector, ["remote_share", "developing_share", "female_share", "industry_share", "academia_share"],
                  "Shares of attendance records and of contributions", share=True)
        """),
        md("### The study groups in the latest year"),
        code("""
            print(f"Year {latest}")
            explore.kpis(years=latest).set_index("sg")[
                ["meetings", "participants", "countries", "contributions", "hhi", "elephant_factor",
                 "recs_approved", "backlog"]
            ].sort_values("participants", ascending=False)
        """),
        md("""
            ## The sector against its targets

            `marts.sector_kpi_vs_target`: each KPI with a target in the results framework
            (`pipelines/config/results_framework.yaml`): on track, watch (within the tolerance) or off track.
        """),
        code('''
            from pipelines.charts.kpi import kpi_target_chart

            assessed = conn.sql("""
                select kpi, year, value, target, direction, status from marts.sector_kpi_vs_target order by kpi, year
            """).df()
            print(assessed[assessed["year"] == latest]["status"].value_counts(dropna=False).to_string())
            kpi_target_chart(assessed)
        '''),
    ]


def study_group_deep_dive() -> list:
    return [
        md("""
            # 02 · Study group deep dive

            **What this answers:** for one study group (the `sg` parameter below): who takes part, who
            contributes and how concentrated the work is, what it produces, how it stands against its
            targets, and which risks the risk register flags.

            Set `sg` in the next cell (tagged `parameters`, so papermill-style runners can set it) and run all
            cells. Numbers come from `marts.sg_year_kpis`, `marts.question_activity`, `marts.kpi_vs_target` and
            `marts.sg_risks`; the sector, where shown for comparison, from `marts.sector_year_kpis`.
        """),
        code(
            'sg = "SG17"  # any study group of marts.sg_year_kpis, e.g. "SG13", "SG21", "TSAG"',
            tags=["parameters"],
        ),
        SETUP,
        code("""
            from pipelines.charts.kpi import contributions_chart, kpi_target_chart, output_chart, participation_chart

            kpis = explore.kpis(sg)
            if kpis.empty:
                raise ValueError(f"{sg} has no rows in marts.sg_year_kpis; choose one of {sorted(explore.kpis()['sg'].unique())}")
            latest = int(kpis["year"].max())
            title, period = conn.execute(
                "select title, study_period from core.dim_study_group where sg = ? order by study_period desc limit 1",
                [sg],
            ).fetchall()[0]
            print(f"{sg}: {title} (study period {period}); years {int(kpis['year'].min())}-{latest}")
        """),
        TREND,
        code('''
            def against_sector(kpi: str, title: str, share: bool = False) -> alt.Chart:
                """The study group and the sector side by side (explore.compare: year x sg)."""
                wide = explore.compare([sg, "sector"], kpi).reset_index()
                return trend(wide, [sg, "sector"], title, share=share)
        '''),
        md("""
            ## Participation

            Who comes to the meetings: distinct participants (pseudonymous keys), countries and organisations,
            and how the audience renews itself.
        """),
        code("""
            PARTICIPATION = ["meetings", "participants", "attendance_records", "countries", "organisations",
                             "remote_share", "developing_share", "female_share", "newcomer_share", "retention"]
            kpis.set_index("year")[PARTICIPATION]
        """),
        code("participation_chart(kpis)"),
        code("""
            pair(trend(kpis, ["countries", "organisations"], f"{sg}: countries and organisations"),
                 trend(kpis, ["newcomer_share", "retention"], f"{sg}: renewal", share=True))
        """),
        code("""
            pair(against_sector("developing_share", f"Developing-country share: {sg} vs sector", share=True),
                 against_sector("female_share", f"Female share: {sg} vs sector", share=True))
        """),
        md("""
            ## Contributions

            Contributions (documents of type C), the entities that carry them and how concentrated they are
            (HHI 0-10000; elephant factor = fewest entities making up half of the contributions).
        """),
        code("""
            CONTRIBUTIONS = ["contributions", "contributing_entities", "hhi", "elephant_factor", "industry_share",
                             "academia_share", "developing_source_share", "ls_in", "ls_out"]
            kpis.set_index("year")[CONTRIBUTIONS]
        """),
        code("contributions_chart(kpis)"),
        code("""
            pair(trend(kpis, ["industry_share", "academia_share", "developing_source_share"],
                       f"{sg}: who contributes (fractional shares)", share=True),
                 against_sector("hhi", f"Concentration (HHI): {sg} vs sector"))
        """),
        md("""
            ### Questions

            `marts.question_activity`: contributions per Question and year; a Question without contributions
            for two consecutive years is flagged inactive.
        """),
        code("""
            questions = conn.execute(
                "select question, year, contributions, inactive_two_years from marts.question_activity where sg = ?",
                [sg],
            ).df()
            recent = questions[questions["year"] >= latest - 4]
            (
                alt.Chart(recent, title=f"{sg}: contributions per Question, last five years")
                .mark_rect()
                .encode(x=alt.X("year:O", title=None), y=alt.Y("question:N", title=None, sort="ascending"),
                        color=alt.Color("contributions:Q", scale=alt.Scale(scheme="blues")),
                        tooltip=["question:N", "year:O", "contributions:Q", "inactive_two_years:N"])
            )
        """),
        code("""
            inactive = questions[(questions["year"] == latest) & questions["inactive_two_years"]]
            print(f"{len(inactive)} Question(s) of {sg} inactive for two years as of {latest}")
            inactive[["question", "contributions"]]
        """),
        md("""
            ## Output

            Recommendations approved (new and revised), amendments and corrigenda, the AAP share, the median
            cycle time from work-item start to approval, and the backlog of open work items.
        """),
        code("""
            OUTPUT = ["recs_approved", "amendments", "aap_share", "median_cycle_days", "backlog"]
            kpis.set_index("year")[OUTPUT]
        """),
        code("output_chart(kpis)"),
        code('trend(kpis, ["backlog"], f"{sg}: backlog of open work items at the end of the year")'),
        md("""
            ## Targets

            `marts.kpi_vs_target`: the study group's KPIs that have a target in the results framework
            (per-SG overrides included), assessed per year.
        """),
        code("""
            assessed = conn.execute(
                "select kpi, year, value, target, direction, status from marts.kpi_vs_target where sg = ? "
                "order by kpi, year", [sg],
            ).df()
            assessed[assessed["year"] == latest].set_index("kpi").drop(columns="year")
        """),
        code("kpi_target_chart(assessed)"),
        md("""
            ## Risks

            `marts.sg_risks`: each risk's indicator against the risk appetite of the results framework
            (low / medium / high), and the same register for every study group for comparison.
        """),
        code("""
            from pipelines.charts.restructuring import risk_heatmap_chart

            register = conn.sql("select * from marts.sg_risks order by sg, risk_id").df()
            risks = register[register["sg"] == sg].drop(columns="sg")
            if risks.empty:
                print(f"{sg} is not in the risk register (it covers the study groups of its year, TSAG excluded)")
            else:
                print(f"As of {int(risks['as_of_year'].max())}: " + ", ".join(
                    f"{n} {level}" for level, n in risks["level"].value_counts().items()))
            risks.set_index("risk_id")
        """),
        code("risk_heatmap_chart(register)"),
    ]


def restructuring() -> list:
    return [
        md("""
            # 03 · Restructuring evidence

            **What this answers:** which study groups are the most and least relevant and how sure that
            ranking is (rank intervals under other weights and normalisations), which study groups overlap in
            topics and contributors, and what a merger of two of them would have looked like.

            Ranks come from `marts.sg_relevance`, overlap from `marts.sg_overlap` and `marts.sg_overlap_map`,
            the merger from `explore.simulate_merge`, which recomputes the merged group's KPIs with the same
            SQL as `marts.sg_year_kpis` over the re-labelled facts (distinct counts recounted, not added up).
            Evidence for TSAG's discussion, not a recommendation.
        """),
        code(
            """
            as_of_year = None  # None = the latest year of marts.sg_relevance
            merge = None  # e.g. ["SG13", "SG20"]; None = the most-overlapping pair of marts.sg_overlap
        """,
            tags=["parameters"],
        ),
        SETUP,
        md("## Relevance: rank and rank interval"),
        code("""
            from pipelines.analytics.relevance import METHOD as RELEVANCE_METHOD
            from pipelines.charts.restructuring import (
                overlap_map_chart,
                overlap_pairs_chart,
                relevance_chart,
            )

            relevance = conn.sql("select * from marts.sg_relevance").df()
            year = int(as_of_year or relevance["as_of_year"].max())
            current = relevance[relevance["as_of_year"] == year].sort_values("rank")
            SCORES = [c for c in relevance.columns if c.endswith("_score")]
            print(f"As of {year}: {len(current)} study groups ranked.")
            current.set_index("sg")[["relevance_index", "rank", "rank_low", "rank_high", "trend", *SCORES]]
        """),
        code("relevance_chart(current)"),
        code("""
            scores = current.melt(id_vars="sg", value_vars=SCORES, var_name="component", value_name="score")
            scores["component"] = scores["component"].str.removesuffix("_score")
            (
                alt.Chart(scores, title=f"Component scores (0-100, 100 = best of the year), {year}")
                .mark_rect()
                .encode(x=alt.X("component:N", title=None, axis=alt.Axis(labelAngle=-30)),
                        y=alt.Y("sg:N", sort=current["sg"].tolist(), title=None),
                        color=alt.Color("score:Q", scale=alt.Scale(scheme="viridis", domain=[0, 100])),
                        tooltip=["sg:N", "component:N", alt.Tooltip("score:Q", format=".1f")])
                .properties(width=420)
            )
        """),
        code("""
            (
                alt.Chart(relevance, title="Rank over the years")
                .mark_line(point=True)
                .encode(x=alt.X("as_of_year:O", title=None, axis=alt.Axis(labelAngle=0)),
                        y=alt.Y("rank:Q", scale=alt.Scale(reverse=True, zero=False), title="rank"),
                        color=alt.Color("sg:N", title=None), tooltip=["sg:N", "as_of_year:O", "rank:Q"])
                .properties(width=560, height=260)
            )
        """),
        code("print(RELEVANCE_METHOD)"),
        md("""
            ## Overlap between study groups

            Each pair's topic similarity (TF-IDF of Questions, work items and Recommendations), contributor
            overlap (Jaccard of contributing entities) and their combination; the map places study groups that
            overlap close together.
        """),
        code("""
            from pipelines.analytics.overlap import METHOD as OVERLAP_METHOD

            overlap = conn.sql("select * from marts.sg_overlap order by combined desc").df()
            overlap_map = conn.sql("select * from marts.sg_overlap_map").df()
            overlap.head(10).set_index(["sg_a", "sg_b"])
        """),
        code("overlap_pairs_chart(overlap)"),
        code("overlap_map_chart(overlap_map)"),
        code("print(OVERLAP_METHOD)"),
        md("""
            ## A merger scenario

            `explore.simulate_merge(sgs, year, conn=conn)`: the merged group as it would have looked in the year,
            next to its parts and their naive sum (which counts twice the people, organisations and countries
            present in both), and the relevance rank it would have had among the remaining study groups.
        """),
        code("""
            sgs = list(merge) if merge else [overlap.iloc[0]["sg_a"], overlap.iloc[0]["sg_b"]]
            scenario = explore.simulate_merge(sgs, year, conn=conn)
            print(scenario.summary)
        """),
        code('scenario.table.set_index("scope").T  # one column per scope, one row per KPI'),
        code('relevance_chart(scenario.ranking, highlight=scenario.table["scope"].iloc[-1])'),
    ]


def data_quality() -> list:
    return [
        md("""
            # 04 · Data quality

            **What this answers:** how much of the raw data was rejected and why, which organisation names
            could not be resolved to a member (and so count as separate entities), and what the data-quality
            checks of the refresh found, run after run.

            Rows in quarantine are kept with their reason (`quarantine.<table>`, summarised in
            `marts.quarantine_summary`); nothing is dropped silently: rows read = rows staged + rows quarantined
            (`meta.ingest_report`). Check results are in `meta.check_results`. Only counts, reasons and
            source references are shown here, never the rows' personal data.
        """),
        SETUP,
        md("## Rows read, staged and quarantined"),
        code('''
            ingest = conn.sql("""
                select table_name, files, rows_read, rows_staged, rows_quarantined,
                       rows_read = rows_staged + rows_quarantined as reconciled
                from meta.ingest_report
            """).df()
            print(f"{int(ingest['rows_quarantined'].sum()):,} of {int(ingest['rows_read'].sum()):,} rows quarantined; "
                  f"every table reconciled: {bool(ingest['reconciled'].all())}")
            ingest.set_index("table_name")
        '''),
        md("""
            ## Quarantine by reason

            `marts.quarantine_summary`: quarantined rows per raw table and kind of reason, with one example
            (its reason and a `source_file:source_row` reference to find it in the export).
        """),
        code("""
            summary = conn.sql("select * from marts.quarantine_summary order by table_name, row_count desc").df()
            summary.set_index(["table_name", "reason_kind"])
        """),
        code("""
            (
                alt.Chart(summary, title="Quarantined rows by table and kind of reason")
                .mark_bar()
                .encode(x=alt.X("sum(row_count):Q", title="rows"), y=alt.Y("table_name:N", title=None),
                        color=alt.Color("reason_kind:N", title="reason"),
                        tooltip=["table_name:N", "reason_kind:N", "sum(row_count):Q"])
                .properties(width=420)
            )
        """),
        md("""
            ### Each quarantined row's reason

            From the `quarantine.<table>` tables: the reason and where the row is in the raw export, grouped by
            reason (the row's own values stay in the warehouse).
        """),
        code('''
            tables = [t for (t,) in conn.sql("""
                select table_name from duckdb_tables()
                where database_name = 'warehouse' and schema_name = 'quarantine' order by table_name
            """).fetchall()]
            reasons = pd.concat(
                [conn.sql(f"""
                    select '{t}' as table_name, reason, count(*) as row_count,
                           string_agg(source_file || ':' || source_row, ', ' order by source_file, source_row) as rows
                    from quarantine.{t} group by reason
                """).df() for t in tables],
                ignore_index=True,
            )
            reasons.sort_values(["table_name", "row_count"], ascending=[True, False]).set_index(["table_name", "reason"])
        '''),
        md("""
            ## Unresolved organisations

            `marts.unresolved_organisations`: organisation names (normalised) that match no member, alias or
            country. Each counts as one entity of its own; adding an alias in `org_aliases` resolves it on the
            next refresh.
        """),
        code("""
            unresolved = conn.sql("select * from marts.unresolved_organisations order by occurrences desc").df()
            print(f"{len(unresolved)} unresolved names, {int(unresolved['occurrences'].sum()):,} occurrences")
            unresolved.head(20).set_index("name")
        """),
        md("""
            ## Data-quality checks

            `meta.check_results`: every check recorded in this warehouse, per refresh run, with its severity
            and the number of failing rows (the history across all refreshes is in the Dagster UI, under each
            asset's checks). A failed blocking check stops the refresh, so a published warehouse only holds
            failed warnings.
        """),
        code("""
            checks = conn.sql("select * from meta.check_results").df()
            checks["failed"] = ~checks["passed"].astype(bool)
            history = (
                checks.groupby("run_id", dropna=False)
                .agg(checked_at=("checked_at", "min"), checks=("check_name", "count"), failed=("failed", "sum"),
                     failed_errors=("failed", lambda f: int((f & (checks.loc[f.index, "severity"] == "error")).sum())))
                .sort_values("checked_at")
            )
            print(f"{len(history)} refresh run(s) recorded")
            history.reset_index().set_index("checked_at")
        """),
        code("""
            latest_checks = checks[checks["run_id"] == history.index[-1]]
            print(f"Latest run: {int((~latest_checks['failed']).sum())} of {len(latest_checks)} checks passed")
            latest_checks[latest_checks["failed"]].set_index(["asset", "check_name"])[
                ["severity", "failed_rows", "description"]]
        """),
        code("""
            (
                alt.Chart(latest_checks.assign(result=latest_checks["failed"].map({False: "passed", True: "failed"})),
                          title="Checks of the latest run, per asset")
                .mark_bar()
                .encode(x=alt.X("count():Q", title="checks"), y=alt.Y("asset:N", title=None),
                        color=alt.Color("result:N", scale=alt.Scale(domain=["passed", "failed"],
                                                                    range=["#009E73", "#D55E00"])),
                        tooltip=["asset:N", "result:N", "count():Q"])
                .properties(width=420)
            )
        """),
    ]


def landscape() -> list:
    return [
        md("""
            # 05 · The landscape

            **What this answers:** which committees of the peer bodies (3GPP, ETSI, W3C, ISO including ISO/IEC
            JTC 1, IEEE) work in a study group's field, how close they are, how sure that list is under other
            reasonable settings, and whether the field's output grows while the study group's own falls.

            Similarities and trends come from `marts.sg_landscape` (method below and in docs/landscape.md), the
            yearly series from `marts.sg_landscape_series` and `marts.peer_committee_year`, the sources from
            `marts.peer_coverage`. The peer records are real and public; say so, and say what the study-group
            side is, whenever a number leaves this notebook. Without peer records (`sgpulse import peers`) the
            landscape is absent and this notebook says so.
        """),
        code(
            """
            sg = "SG17"  # any study group of the landscape
            body = None  # e.g. "ISO", "ETSI", "3GPP", "W3C", "IEEE": that body's committees (None: all bodies)
        """,
            tags=["parameters"],
        ),
        SETUP,
        md("## Sources"),
        code("""
            import json

            from pipelines.analytics.landscape import landscape_indicators, load_landscape_config
            from pipelines.briefs.landscape import format_trend, sg_side_label, sources_note
            from pipelines.charts.landscape import landscape_chart

            sources = conn.sql("select * from marts.peer_coverage order by sdo").df()
            landscape = conn.sql("select * from marts.sg_landscape order by sg, rank").df()
            present = not sources.empty
            domains = json.loads(conn.sql("select domains from meta.dataset").fetchall()[0][0] or "{}")
            if present:
                print(sources_note(sources))
                print(sg_side_label(domains))
            else:
                print("The landscape is absent: this warehouse has no peer publication records "
                      "(sgpulse import peers BUNDLE --raw DIR, then sgpulse refresh).")
            sources
        """),
        md("## The study group's closest peer committees"),
        code("""
            if present and sg not in set(landscape["sg"]):
                print(f"{sg} has no related committee; study groups in the landscape: {sorted(set(landscape['sg']))}")
            mine = landscape[(landscape["sg"] == sg) & ((landscape["sdo"] == body) if body else True)]
            mine[["rank", "committee", "sdo", "similarity", "stability", "documents", "publications",
                  "committee_trend", "sg_trend", "trend_first_year", "trend_last_year", "example_title"]]
        """),
        code("""
            series = conn.sql(
                "select * from marts.sg_landscape_series where sg = ? order by kind desc, rank, year", params=[sg]
            ).df()
            if len(series):
                display(landscape_chart(series))
            else:
                print("No series to draw: the landscape is absent or the study group has no related committee.")
        """),
        md("""
            ## How sure is the list?

            The top 3 under every alternative setting of `config/landscape.yaml` (one change each). A committee
            that stays under most settings is a robust neighbour; one that appears under a single setting is not.
        """),
        code("""
            sensitivity = conn.sql(
                "select setting, rank, committee, similarity from marts.sg_landscape_sensitivity where sg = ? "
                "order by setting, rank", params=[sg]
            ).df()
            sensitivity.pivot(index="setting", columns="rank", values="committee") if len(sensitivity) else sensitivity
        """),
        md("## Every study group: its field's trend against its own"),
        code("""
            indicators = landscape_indicators(landscape) if present else landscape
            if present:
                shown = indicators.assign(
                    field=indicators["field_trend"].map(format_trend),
                    own=indicators["sg_trend"].map(format_trend),
                )
                display(shown[["sg", "field", "own", "pace", "divergence", "trend_first_year", "trend_last_year"]])
        """),
        md("## A body's committees: output per year (partial years left out)"),
        code("""
            chosen = body or (mine["sdo"].iloc[0] if len(mine) else None)
            committees = conn.sql(
                "select committee, year, publications from marts.peer_committee_year "
                "where sdo = ? and not partial and year >= (select max(year) - 9 from marts.peer_committee_year) "
                "order by committee, year", params=[chosen]
            ).df() if chosen else None
            if committees is not None and len(committees):
                top = committees.groupby("committee")["publications"].sum().nlargest(8).index
                print(f"{chosen}: the 8 committees with most publications in the last ten complete years")
                wide = committees[committees["committee"].isin(top)].pivot(
                    index="year", columns="committee", values="publications"
                )
                display(wide.fillna(0).astype(int))
        """),
        md("## Method"),
        code("""
            print(load_landscape_config().method())
        """),
    ]


def consultation() -> list:
    return [
        md("""
            # 06 · Membership consultation

            **What this answers:** what the members say about each study group (relevance of its work, use of
            its Recommendations, barriers to taking part, working methods) and about ITU-T membership, beside
            what the data show, and what they wrote in their own words.

            The answers are the optional raw table `consultation_responses` (one row per answer, no names; the
            questionnaire is `pipelines/config/questionnaire.yaml`, docs/consultation.md). Shares and means are
            read from `marts.consultation_sg_year`, where a cell of fewer answers than the questionnaire's minimum
            is suppressed. Free text is for analysts only: briefs never publish it, and here it is shown with
            anything shaped like an e-mail address or a phone number masked (`pipelines.privacy.mask_personal`,
            as at ingest).
        """),
        SETUP,
        code("""
            from pipelines.briefs.consultation import consultation_lines
            from pipelines.briefs.data import load_brief_data
            from pipelines.privacy import mask_personal
            from pipelines.questionnaire import questionnaire

            q = questionnaire()
            answers = conn.sql("select * from marts.consultation_sg_year").df()
            rounds = sorted(answers["year"].unique())
            print(f"Consultation rounds in the data: {', '.join(map(str, rounds)) or 'none (no consultation_responses)'}")
            pd.DataFrame([(x.id, x.topic, x.about, x.kind, x.text) for x in q.questions],
                         columns=["question", "topic", "about", "kind", "text"]).set_index("question")
        """),
        md("""
            ## Share agreeing per study group (latest round)

            Answers 4 or 5 of 5, all respondents; empty where too few answered (suppressed).
        """),
        code("""
            latest = answers[(answers["year"] == max(rounds, default=0)) & (answers["category"] == "all")
                             & (answers["itu_region"] == "all")]
            latest.pivot(index="sg", columns="question", values="share_agreeing") if len(latest) else "no consultation data"
        """),
        md("""
            ## What members say, what the data show

            The lines the SG briefs show (pipelines/briefs/consultation.py): each question beside the KPI the
            questionnaire compares it with, and whether members and data disagree.
        """),
        code("""
            lines = []
            if rounds:
                year = int(max(rounds))
                for sg in sorted(set(latest["sg"]) - {"ITU-T"}, key=lambda g: int(g[2:])):
                    data = load_brief_data(conn, sg, year)
                    for line in consultation_lines(data.consultation, year, data.comparable):
                        lines.append((sg, line.question, line.rule, line.members_say, line.data_show,
                                      "disagree" if line.disagree else ""))
            pd.DataFrame(lines, columns=["sg", "question", "rule", "members say", "the data show", "flag"])
        """),
        md("""
            ## In their own words (masked)

            Free-text answers per question, most frequent first, with e-mail addresses and phone numbers masked.
            Not for publication: quote them only after reading them.
        """),
        code('''
            texts = conn.sql("""
                select year(responded_on) as year, sg, question_id, category, itu_region, free_text
                from staging.consultation_responses where free_text is not null
            """).df()
            texts["free_text"] = texts["free_text"].map(mask_personal)
            print(f"{len(texts):,} free-text answers")
            texts.groupby(["question_id", "free_text"]).size().rename("answers").sort_values(ascending=False).head(15)
        '''),
    ]


NOTEBOOK_CELLS = {
    "01_start_here": start_here,
    "02_study_group_deep_dive": study_group_deep_dive,
    "03_restructuring": restructuring,
    "04_data_quality": data_quality,
    "05_landscape": landscape,
    "06_consultation": consultation,
}


def build(name: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[nbformat.from_dict(cell) for cell in NOTEBOOK_CELLS[name]()])
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{index:02d}"  # stable ids: regenerating gives the same file
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in NOTEBOOK_CELLS:
        path = NOTEBOOKS / f"{name}.ipynb"
        text = nbformat.writes(build(name)) + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"out of date (run scripts/build_notebooks.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
