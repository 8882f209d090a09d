"""The brief's "Restructuring evidence" section: for each pair flagged as overlapping and for the SG's closest
neighbour, the merge scenario (merged against its parts and their naive sum) and why the two overlap (the terms
their topics share, the organisations contributing to both); Questions inactive two years as split candidates;
and the options with their evidence. The section sets out options; it never recommends one.

Reused, not recomputed: the pairs and their shared terms are marts.sg_overlap's (pipelines.analytics.overlap),
the scenarios pipelines.analytics.scenarios.simulate_merge's, the Questions pipelines.briefs.questions'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.briefs.model import Note, Paragraph, Section, Table
from pipelines.formatting.numbers import MISSING, format_count, format_percent, format_score, format_value

TITLE = "Restructuring evidence"
SHARED_NAMES = 5  # organisations named per pair
TERMS_NAMED = 5  # shared terms named in the options
QUESTIONS_NAMED = 8  # Questions named in the option "transfer of Questions"
# The merge scenario's rows: (column of simulate_merge's table, label with its unit, unit for formatting).
SCENARIO_ROWS = (
    ("participants", "Participants (people)", "count"),
    ("organisations", "Organisations in attendance (number)", "count"),
    ("countries", "Countries (number)", "count"),
    ("contributions", "Contributions (documents)", "count"),
    ("contributing_entities", "Contributing entities (number)", "count"),
    ("hhi", "Concentration of contributions, HHI (index 0-10,000)", "count"),
    ("elephant_factor", "Entities providing half of the contributions (number)", "count"),
    ("recs_approved", "Recommendations approved (texts)", "count"),
    ("backlog", "Work items open on 31 Dec (number)", "count"),
    ("relevance_index", "Relevance index (0-100)", "score"),
    ("rank", "Relevance rank (1 = most relevant)", "count"),
)


@dataclass
class PairEvidence:
    """One pair examined: its sg_overlap row, why it is examined, the organisations it shares, the scenario."""

    row: dict  # the sg_overlap row (sg_a, sg_b, text_similarity, entity_overlap, combined, shared_*)
    reasons: list[str]
    shared: pd.DataFrame  # organisation, contributions (to both SGs in the window)
    questions: pd.DataFrame  # sg, question, title: the two SGs' Questions in the year's study period
    scenario: pd.DataFrame | None = None  # simulate_merge's table (None: see `error`)
    error: str = ""

    @property
    def sgs(self) -> list[str]:
        return [self.row["sg_a"], self.row["sg_b"]]

    @property
    def terms(self) -> list[str]:
        text = self.row.get("shared_terms")
        return [t for t in str(text).split("; ") if t] if isinstance(text, str) else []

    def other(self, sg: str) -> str:
        return self.sgs[1] if self.sgs[0] == sg else self.sgs[0]


@dataclass
class Restructuring:
    year: int
    threshold: float
    pairs: list[PairEvidence] = field(default_factory=list)


def examined_pairs(
    overlap: pd.DataFrame, scope: str | None, threshold: float
) -> list[tuple[dict, list[str]]]:
    """The pairs a brief examines, with why: merge candidates (combined >= threshold) involving the scope (every
    one for the sector), and the scope's closest neighbour (highest combined overlap)."""
    rows = overlap[overlap["combined"].notna()].sort_values(
        ["combined", "sg_a", "sg_b"], ascending=[False, True, True]
    )
    if scope is not None:
        rows = rows[(rows["sg_a"] == scope) | (rows["sg_b"] == scope)]
    found: list[tuple[dict, list[str]]] = []
    for position, row in enumerate(rows.to_dict("records")):
        reasons = []
        if row["combined"] >= threshold:
            reasons.append(f"merge candidate (combined overlap at least {format_score(threshold)})")
        if scope is not None and position == 0:
            reasons.append(f"closest neighbour of {scope}")
        if reasons:
            found.append((row, reasons))
    return found


def load_restructuring(conn: duckdb.DuckDBPyConnection, data) -> Restructuring | None:
    """The pairs of the brief's overlap (data.overlap) with their merge scenarios, shared organisations and
    Questions; None when the warehouse has no overlap."""
    from pipelines.analytics.scenarios import simulate_merge
    from pipelines.briefs.rules import MERGE_CANDIDATE

    if data.overlap is None:
        return None
    found = Restructuring(data.year, MERGE_CANDIDATE)
    for row, reasons in examined_pairs(data.overlap, None if data.is_sector else data.scope, MERGE_CANDIDATE):
        pair = PairEvidence(row, reasons, _shared(conn, row, data.year), _questions(conn, row, data.year))
        try:
            pair.scenario = simulate_merge(conn, pair.sgs, data.year, overlap=data.overlap).table
        except ValueError as error:  # an SG that did not exist in the year: said, not hidden
            pair.error = str(error)
        found.pairs.append(pair)
    return found


def _shared(conn: duckdb.DuckDBPyConnection, row: dict, year: int) -> pd.DataFrame:
    """The organisations that signed contributions of both SGs in the overlap's window (predecessors read as
    their successor, as the overlap counts them), most contributions first."""
    from pipelines.analytics.scope_kpis import assignment_expression, lineage_assignment

    first = int(row.get("window_first_year") or year)
    last = int(row.get("window_last_year") or year)
    sg = assignment_expression(lineage_assignment(conn, year), "s.sg")
    return conn.execute(
        f"""select coalesce(e.name, s.entity_id) as organisation, sum(s.weight)::double as contributions
        from core.fct_contribution_source s left join core.dim_entity e on e.entity_id = s.entity_id
        where s.doc_type = 'C' and s.year between ? and ? and {sg} in (?, ?)
        group by all having count(distinct {sg}) = 2
        order by contributions desc, organisation""",
        [first, last, row["sg_a"], row["sg_b"]],
    ).df()


def _questions(conn: duckdb.DuckDBPyConnection, row: dict, year: int) -> pd.DataFrame:
    return conn.execute(
        """select distinct q.sg, q.question, q.title
        from core.dim_question q join marts.question_activity a using (question, study_period)
        where a.year = ? and q.sg in (?, ?) order by q.sg, q.question""",
        [year, row["sg_a"], row["sg_b"]],
    ).df()


def restructuring_section(data) -> Section:
    """Pairs examined and why, the merge scenarios, split candidates and the options with their evidence."""
    found = data.restructuring
    if found is None:
        return Section(TITLE, [Note("Not available in this warehouse (marts.sg_overlap missing).")])
    who = "ITU-T" if data.is_sector else data.scope
    blocks: list = [
        Paragraph(
            f"Evidence for a restructuring debate on {who}: the options below are set out with their numbers; "
            "the brief recommends none of them (the decision is TSAG's)."
        )
    ]
    if not found.pairs:
        blocks.append(Note(f"No pair of study groups involving {who} has an overlap measure in {data.year}."))
    else:
        blocks.append(pairs_table(found, who))
        for pair in found.pairs:
            blocks.append(scenario_table(pair, data.year) if pair.scenario is not None else Note(pair.error))
    blocks.append(split_block(data, who))
    blocks.append(options_table(data, found, who))
    return Section(TITLE, blocks)


def pairs_table(found: Restructuring, who: str) -> Table:
    rows = []
    for pair in found.pairs:
        names = ", ".join(pair.shared["organisation"].head(SHARED_NAMES))
        rows.append(
            [
                " – ".join(pair.sgs),
                "; ".join(pair.reasons),
                format_score(pair.row["combined"]),
                format_score(pair.row["text_similarity"]),
                format_score(pair.row["entity_overlap"]),
                ", ".join(pair.terms) or MISSING,
                f"{format_count(pair.row['shared_entities'])}" + (f": {names}" if names else ""),
            ]
        )
    first = found.pairs[0].row
    return Table(
        label="tab:restructuring-pairs",
        caption=f"Why the study groups overlap: the pairs examined for {who}, "
        f"{first.get('window_first_year')}-{first.get('window_last_year')}",
        columns=[
            "Pair",
            "Examined as",
            "Combined overlap (0-1)",
            "Topic similarity (0-1)",
            "Contributor overlap (0-1)",
            "Shared terms (most of the topic similarity first)",
            "Organisations contributing to both (number: largest)",
        ],
        rows=rows,
        source="marts.sg_overlap; shared organisations from core.fct_contribution_source",
        align=["l", "l", "r", "r", "r", "l", "l"],
        note="Shared terms: the words and word pairs of the two SGs' Questions, work items and Recommendations "
        "whose TF-IDF weights make most of their topic similarity (marts.sg_overlap.shared_terms). Organisations "
        f"are named by their contributions to the two SGs in the window, the {SHARED_NAMES} largest first.",
    )


def scenario_table(pair: PairEvidence, year: int) -> Table:
    """The merged SG against its parts and their naive sum (simulate_merge's table, as `sgpulse scenario`)."""
    table = pair.scenario.set_index("scope")
    merged = next(s for s in table.index if table.loc[s, "kind"] == "merged")
    scopes = [*pair.sgs, "sum of parts", merged]
    rows = []
    for column, label, unit in SCENARIO_ROWS:
        values = [table.loc[s, column] if column in table.columns else None for s in scopes]
        rows.append([label, *[_value(v, unit) for v in values]])
    ranked = table.loc[merged, "sgs_ranked"]
    a, b = pair.sgs
    return Table(
        label=f"tab:merge-{a.lower()}-{b.lower()}",
        caption=f"Merge scenario {a} + {b} as it would have looked in {year}: merged against the parts",
        columns=["Measure", a, b, "Sum of the parts (naive)", f"Merged {a}+{b}"],
        rows=rows,
        source="pipelines.analytics.scenarios.simulate_merge over the core facts (as `sgpulse scenario merge`)",
        note="Merged: every core fact of the two re-labelled as one SG and every KPI recomputed, so a person, "
        "organisation or country in both counts once (the naive sum counts it twice; n/a where a sum means "
        f"nothing). Rank of the merged SG among the {format_count(ranked)} SGs then remaining.",
    )


def _value(value, unit: str) -> str:
    return format_score(value, 1) if unit == "score" else format_value(value, unit)


def split_candidates(data) -> pd.DataFrame:
    """The scope's Questions inactive two years in the brief's year (marts.question_activity)."""
    questions = data.questions
    if questions is None or questions.period is None:
        return pd.DataFrame(columns=["sg", "question"])
    now = questions.activity[(questions.activity["year"] == data.year)]
    return now[now["inactive_two_years"].astype(bool)][["sg", "question"]].reset_index(drop=True)


def split_block(data, who: str):
    questions = data.questions
    if questions is None or questions.period is None:
        return Note(f"Split candidates: no Questions of {who} in marts.question_activity for {data.year}.")
    candidates = split_candidates(data)
    partial = data.coverage is not None and data.coverage.is_partial(data.year, "contributions")
    count = questions.activity[questions.activity["year"] == data.year]["question"].nunique()
    if partial:
        return Note(f"Split candidates: not assessed, {data.year} is a partial year for contributions.")
    if candidates.empty:
        first = questions.period[:4] == str(data.year)
        why = (
            " (the first year of the study period: a Question needs two years to be inactive)"
            if first
            else ""
        )
        return Note(
            f"Split candidates: none of the {count} Questions of {who} has gone two years without a "
            f"contribution in {data.year}{why}."
        )
    return Table(
        label="tab:split-candidates",
        caption=f"Split candidates: Questions of {who} without a contribution in {data.year - 1} or {data.year}",
        columns=["SG", "Question"],
        rows=[[r.sg, r.question] for r in candidates.itertuples()],
        source="marts.question_activity",
        align=["l", "l"],
        note=f"{len(candidates)} of {count} Questions; an inactive Question may be closed, merged into another "
        "or transferred.",
    )


def _titles_naming(pair: PairEvidence, terms: list[str]) -> list[str]:
    """The Questions of either SG whose title names one of the shared terms."""
    from pipelines.briefs.questions import _question_key

    found = []
    rows = sorted(pair.questions.itertuples(), key=lambda r: (r.sg, _question_key(r.question)))
    for r in rows:
        named = [t for t in terms if re.search(rf"\b{re.escape(t)}\b", str(r.title), flags=re.IGNORECASE)]
        if named:
            found.append(f"{r.question} ({', '.join(named)})")
    return found


def options_table(data, found: Restructuring, who: str) -> Table:
    """Merge, joint coordination activity, transfer of Questions and status quo, each with its evidence."""
    rows = []
    for pair in found.pairs:
        a, b = pair.sgs
        other = b if data.is_sector else pair.other(data.scope)
        this = a if data.is_sector else data.scope
        rows.append([f"Merge {this} and {other}", _merge_evidence(pair, data.year)])
        shared = pair.shared.head(3)["organisation"].tolist()
        terms = pair.terms[:TERMS_NAMED]
        rows.append(
            [
                f"Joint coordination activity of {this} and {other}",
                f"Combined overlap {format_score(pair.row['combined'])} (topics "
                f"{format_score(pair.row['text_similarity'])}, contributors {format_score(pair.row['entity_overlap'])})"
                f"; {format_count(pair.row['shared_entities'])} organisations contribute to both"
                + (f" (largest: {', '.join(shared)})" if shared else "")
                + (f"; shared topics: {', '.join(terms)}" if terms else "")
                + ".",
            ]
        )
        named = _titles_naming(pair, terms)
        rows.append(
            [
                f"Transfer of Questions between {this} and {other}",
                f"{len(named)} of the {len(pair.questions)} Questions of the two name a shared topic in their "
                f"title{': ' + '; '.join(named[:QUESTIONS_NAMED]) if named else ''}"
                + (f" and {len(named) - QUESTIONS_NAMED} more" if len(named) > QUESTIONS_NAMED else "")
                + ".",
            ]
        )
    rows.append(["Status quo", _status_quo(data, who)])
    return Table(
        label="tab:options",
        caption=f"Options for {who} and their evidence, {data.year} (no option is recommended)",
        columns=["Option", "Evidence"],
        rows=rows,
        source="marts.sg_overlap, simulate_merge, marts.question_activity, marts.kpi_vs_target, marts.sg_relevance",
        align=["l", "l"],
        note="Each line is written by a rule from the numbers above; the brief sets out the options and "
        "recommends none of them.",
    )


def _merge_evidence(pair: PairEvidence, year: int) -> str:
    if pair.scenario is None:
        return pair.error
    table = pair.scenario.set_index("scope")
    merged = next(s for s in table.index if table.loc[s, "kind"] == "merged")
    m, total = table.loc[merged], table.loc["sum of parts"]
    a, b = pair.sgs
    text = (
        f"Merged in {year}: {format_count(m['participants'])} participants ({format_count(total['participants'])} "
        f"summed), {format_count(m['contributing_entities'])} contributing entities "
        f"({format_count(total['contributing_entities'])} summed), HHI {format_count(m['hhi'])} ({a} "
        f"{format_count(table.loc[a, 'hhi'])}, {b} {format_count(table.loc[b, 'hhi'])})"
    )
    if pd.notna(m["rank"]):
        text += (
            f"; relevance rank {format_count(m['rank'])} of {format_count(m['sgs_ranked'])} ({a} "
            f"{format_count(table.loc[a, 'rank'])}, {b} {format_count(table.loc[b, 'rank'])} of "
            f"{format_count(table.loc[a, 'sgs_ranked'])})"
        )
    return text + "."


def _status_quo(data, who: str) -> str:
    """The scope as it is: KPIs with a target and their status, its relevance rank, inactive Questions."""
    now = data.targets[data.targets["year"] == data.year]
    assessed = now[now["status"].notna() & (now["status"] != "insufficient data")]
    counts = assessed["status"].value_counts()
    parts = [
        f"{format_count(len(assessed))} KPIs with a target assessed in {data.year}: "
        + ", ".join(f"{format_count(counts.get(s, 0))} {s}" for s in ("on track", "watch", "off track"))
    ]
    if not data.is_sector and data.relevance is not None and data.scope in set(data.relevance["sg"]):
        r = data.relevance[data.relevance["sg"] == data.scope].iloc[0]
        parts.append(
            f"relevance rank {format_count(r['rank'])} of {format_count(len(data.relevance))} "
            f"(interval {format_count(r['rank_low'])}-{format_count(r['rank_high'])})"
        )
    if data.questions is not None and data.questions.period is not None:
        parts.append(f"{format_count(len(split_candidates(data)))} Questions inactive two years")
    share = data.kpi("industry_share")
    if share is not None:
        parts.append(f"industry share of contributions {format_percent(share)}")
    return f"{who} as it is: " + "; ".join(parts) + "."
