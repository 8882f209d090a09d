"""The regular strategic review for TSAG: what changed between two assessed years (of one warehouse, or of a
previous review's warehouse and the current one).

One row per change (marts.strategic_review and the review report): KPIs whose status moved, study groups that
began or ended, new / raised / lowered / closed risks, relevance ranks that moved outside their interval, new
overlap pairs at the merge-candidate level, framework targets at risk of missing their target year at the current
trend (the sector's and each study group's), and membership consultation results that moved beyond sampling
noise (without consultation data: said so). Nothing else is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.analytics.targets import ResultsFramework
from pipelines.analytics.trends import theil_sen_slope
from pipelines.catalogue import Catalogue
from pipelines.coverage import has_table, load_coverage
from pipelines.formatting.numbers import MISSING, format_count, format_value, is_missing

COLUMNS = ["item", "sg", "kpi_or_risk", "before", "after", "change", "detail"]
SECTOR = "ITU-T"
NOT_ASSESSED = "not assessed"
LEVELS = {"low": 0, "medium": 1, "high": 2}
TREND_YEARS = 5  # full years up to the review's year from which a KPI's trend is projected to its target year
# The kinds of item, in the report's order.
ITEMS = (
    "KPI status",
    "sector KPI status",
    "study group",
    "risk",
    "relevance rank",
    "overlap pair",
    "target at risk",
    "consultation",
)
NO_CONSULTATION = (
    "no consultation data: the optional raw table consultation_responses is not part of this dataset, so no "
    "consultation result can have moved"
)


@dataclass
class Side:
    """One side of a review: a warehouse (connection) as of a year."""

    conn: duckdb.DuckDBPyConnection
    year: int
    label: str = ""


@dataclass
class ReviewResult:
    before: Side
    after: Side
    items: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def of(self, item: str) -> pd.DataFrame:
        return self.items[self.items["item"] == item].reset_index(drop=True)


def _status(value) -> str:
    return NOT_ASSESSED if is_missing(value) else str(value)


def _status_rows(
    before: pd.DataFrame, after: pd.DataFrame, keys: list[str], item: str, cat: Catalogue
) -> list:
    """A row per key whose status differs between the two years (NULL, not assessed, is a status too)."""
    merged = before.merge(after, on=keys, suffixes=("_b", "_a"))
    rows = []
    for r in merged.itertuples():
        b, a = _status(r.status_b), _status(r.status_a)
        if b == a:
            continue
        unit = cat.get(r.kpi).unit
        detail = (
            f"value {format_value(r.value_b, unit)} -> {format_value(r.value_a, unit)} "
            f"(target {format_value(r.target_a, unit)}; n {format_count(r.n_b)} -> {format_count(r.n_a)})"
        )
        sg = SECTOR if item == "sector KPI status" else r.sg
        rows.append([item, sg, r.kpi, b, a, f"{b} -> {a}", detail])
    return rows


def kpi_status_changes(before: Side, after: Side, cat: Catalogue) -> list:
    """Every (SG, KPI) of marts.kpi_vs_target whose status differs between the two years, and the sector's."""
    columns = "sg, kpi, value, target, status, n"
    rows = []
    for mart, keys, item in (
        ("kpi_vs_target", ["sg", "kpi"], "KPI status"),
        ("sector_kpi_vs_target", ["kpi"], "sector KPI status"),
    ):
        select = columns if mart == "kpi_vs_target" else columns.removeprefix("sg, ")
        b = before.conn.execute(f"select {select} from marts.{mart} where year = ?", [before.year]).df()
        a = after.conn.execute(f"select {select} from marts.{mart} where year = ?", [after.year]).df()
        rows += _status_rows(b, a, keys, item, cat)
    return rows


def study_group_changes(before: Side, after: Side) -> list:
    """Study groups active in one year and not the other (a merger: SG9 and SG16 ended, SG21 began)."""
    sql = "select distinct sg from marts.sg_year_kpis where year = ?"
    b = {r[0] for r in before.conn.execute(sql, [before.year]).fetchall()}
    a = {r[0] for r in after.conn.execute(sql, [after.year]).fetchall()}
    successors = dict(
        after.conn.execute(
            "select distinct sg, successor_sg from core.dim_study_group where successor_sg is not null"
        ).fetchall()
    )
    rows = [
        ["study group", sg, None, "active", "no activity", "ended", _successor(sg, successors)]
        for sg in b - a
    ]
    rows += [["study group", sg, None, "no activity", "active", "began", None] for sg in a - b]
    return rows


def _successor(sg: str, successors: dict) -> str | None:
    return f"its work continues in {successors[sg]}" if sg in successors else None


def risk_changes(before: Side, after: Side) -> list:
    """New, raised, lowered and closed risks (marts.sg_risks_history); a risk low or not assessed on both sides,
    or low on one and not assessed on the other, is no change to report."""
    if not (
        has_table(before.conn, "marts", "sg_risks_history")
        and has_table(after.conn, "marts", "sg_risks_history")
    ):
        return []
    sql = "select sg, risk_id, risk, value, level from marts.sg_risks_history where as_of_year = ?"
    merged = (
        before.conn.execute(sql, [before.year])
        .df()
        .merge(
            after.conn.execute(sql, [after.year]).df(),
            on=["sg", "risk_id"],
            how="outer",
            suffixes=("_b", "_a"),
        )
    )
    rows = []
    for r in merged.itertuples():
        b = None if is_missing(r.level_b) else LEVELS[r.level_b]
        a = None if is_missing(r.level_a) else LEVELS[r.level_a]
        if b == a or max(b or 0, a or 0) == 0:
            continue
        if b is None:
            change = "new"
        elif a is None:
            change = "no longer assessed"
        elif a == 0:
            change = "closed"
        else:
            change = "raised" if a > b else "lowered"
        risk = r.risk_a if not is_missing(r.risk_a) else r.risk_b
        rows.append(
            [
                "risk",
                r.sg,
                r.risk_id,
                NOT_ASSESSED if b is None else r.level_b,
                NOT_ASSESSED if a is None else r.level_a,
                change,
                f"{risk}: indicator {_number(r.value_b)} -> {_number(r.value_a)}",
            ]
        )
    return rows


def _number(value) -> str:
    return MISSING if is_missing(value) else f"{float(value):,.3g}"


def relevance_changes(before: Side, after: Side) -> list:
    """Study groups whose relevance rank moved outside the rank interval they had before."""
    if not (
        has_table(before.conn, "marts", "sg_relevance") and has_table(after.conn, "marts", "sg_relevance")
    ):
        return []
    sql = "select sg, rank, rank_low, rank_high, relevance_index from marts.sg_relevance where as_of_year = ?"
    merged = (
        before.conn.execute(sql, [before.year])
        .df()
        .merge(after.conn.execute(sql, [after.year]).df(), on="sg", suffixes=("_b", "_a"))
    )
    ranked = f"{len(merged)} study groups ranked in both years"
    rows = []
    for r in merged.itertuples():
        if r.rank_low_b <= r.rank_a <= r.rank_high_b:
            continue
        change = "rose" if r.rank_a < r.rank_low_b else "fell"
        rows.append(
            [
                "relevance rank",
                r.sg,
                "relevance_rank",
                f"{int(r.rank_b)} ({int(r.rank_low_b)}-{int(r.rank_high_b)})",
                f"{int(r.rank_a)} ({int(r.rank_low_a)}-{int(r.rank_high_a)})",
                f"{change} outside its interval",
                f"index {r.relevance_index_b:.1f} -> {r.relevance_index_a:.1f} ({ranked})",
            ]
        )
    return rows


def _overlap(side: Side, exclude: tuple[str, ...]) -> pd.DataFrame:
    if has_table(side.conn, "marts", "sg_overlap"):
        latest = side.conn.execute("select max(window_last_year) from marts.sg_overlap").fetchall()[0][0]
        if latest == side.year:
            return side.conn.execute("select sg_a, sg_b, combined from marts.sg_overlap").df()
    from pipelines.analytics.overlap import overlap_as_of

    pairs, _ = overlap_as_of(side.conn, side.year, exclude=exclude)
    return pairs[["sg_a", "sg_b", "combined"]]


def overlap_changes(before: Side, after: Side, framework: ResultsFramework) -> list:
    """Pairs of study groups at the merge-candidate level now that were not before."""
    level = framework.evidence.merge_candidate
    exclude = tuple(framework.relevance.exclude) if framework.relevance else ("TSAG",)
    b = _overlap(before, exclude)
    a = _overlap(after, exclude)
    was = {(r.sg_a, r.sg_b): r.combined for r in b.itertuples()}
    rows = []
    for r in a[a["combined"] >= level].itertuples():
        previous = was.get((r.sg_a, r.sg_b))
        if previous is not None and previous >= level:
            continue
        rows.append(
            [
                "overlap pair",
                f"{r.sg_a} – {r.sg_b}",
                "combined overlap",
                MISSING if previous is None else f"{previous:.2f}",
                f"{r.combined:.2f}",
                f"new at the merge-candidate level ({level:.2f})",
                None,
            ]
        )
    return rows


def targets_at_risk(after: Side, framework: ResultsFramework, cat: Catalogue) -> list:
    """KPIs of the sector and of each study group whose trend (Theil-Sen over the last full years) projects a miss
    of the target by its year.

    Only years assessed are trend points (never a partial year; for a study group, never insufficient data); fewer
    than three give no projection (and no item). A study group's series is its own (marts.kpi_vs_target)."""
    window = [after.year, after.year - TREND_YEARS]
    sector = after.conn.execute(
        f"select '{SECTOR}' as sg, year, kpi, value, target, direction from marts.sector_kpi_vs_target "
        "where year <= ? and year > ? and not partial",
        window,
    ).df()
    sgs = after.conn.execute(
        "select sg, year, kpi, value, target, direction from marts.kpi_vs_target "
        "where year <= ? and year > ? and not partial and status is not null and status <> 'insufficient data'",
        window,
    ).df()
    rows = []
    for _, t in framework.targets():
        scopes = [sector] if t.scope == "sector" else [sector, sgs]
        for frame in scopes:
            for sg, series in frame[frame["kpi"] == t.kpi].groupby("sg", sort=False):
                row = _at_risk(sg, series.sort_values("year"), framework.target_year_of(t), after.year, cat)
                if row:
                    rows.append(row)
    return rows


def _at_risk(sg: str, series: pd.DataFrame, year: int, now_year: int, cat: Catalogue) -> list | None:
    """The row of one scope's KPI whose trend, projected to its target year, misses the target; else None."""
    if series.empty or series["year"].max() != now_year:
        return None
    slope = theil_sen_slope(list(series["year"]), list(series["value"]))
    if slope is None:
        return None
    now = series.iloc[-1]
    projected = float(now["value"]) + slope * (year - now_year)
    target = float(now["target"])
    higher = now["direction"] == "higher is better"
    if (projected >= target) if higher else (projected <= target):
        return None
    unit = cat.get(now["kpi"]).unit
    return [
        "target at risk",
        sg,
        now["kpi"],
        format_value(now["value"], unit),
        f"{format_value(projected, unit)} in {year}",
        f"projected to miss {format_value(target, unit)} by {year}",
        f"trend {slope:+,.3g} a year over {len(series)} years ({int(series['year'].min())}-{now_year})",
    ]


def consultation_changes(before: Side, after: Side) -> tuple[list, str]:
    """Consultation results (all respondents) whose share agreeing moved between the rounds of the two years by the
    questionnaire's moved_points or more, beyond sampling noise; and the note saying what was compared."""
    from pipelines.analytics.consultation import moved
    from pipelines.questionnaire import questionnaire

    if not all(has_table(s.conn, "marts", "consultation_sg_year") for s in (before, after)):
        return [], NO_CONSULTATION
    sql = (
        "select sg, question, responses, mean, share_agreeing, suppressed from marts.consultation_sg_year "
        "where year = ? and category = 'all' and itu_region = 'all'"
    )
    b = before.conn.execute(sql, [before.year]).df()
    a = after.conn.execute(sql, [after.year]).df()
    if b.empty and a.empty:
        return [], NO_CONSULTATION
    if b.empty or a.empty:
        missing = before.year if b.empty else after.year
        return [], f"membership consultation: no round in {missing}, so no consultation result is compared"
    q = questionnaire()
    merged = b.merge(a, on=["sg", "question"], suffixes=("_b", "_a"))
    compared = merged[~merged["suppressed_b"].astype(bool) & ~merged["suppressed_a"].astype(bool)]
    rows = []
    for r in compared.itertuples():
        if not moved(
            r.share_agreeing_b, int(r.responses_b), r.share_agreeing_a, int(r.responses_a), q.moved_points
        ):
            continue
        rows.append(
            [
                "consultation",
                r.sg,
                r.question,
                f"{r.share_agreeing_b:.0%} agree (n {int(r.responses_b)})",
                f"{r.share_agreeing_a:.0%} agree (n {int(r.responses_a)})",
                "agreement rose" if r.share_agreeing_a > r.share_agreeing_b else "agreement fell",
                f"{q.get(r.question).label}: mean {r.mean_b:.1f} -> {r.mean_a:.1f} of 5",
            ]
        )
    note = (
        f"membership consultation: {len(compared)} results of the {before.year} and {after.year} rounds compared "
        f"(all respondents; {len(merged) - len(compared)} with fewer than {q.min_responses} answers not compared); "
        f"a share agreeing that moved {100 * q.moved_points:.0f} points or more beyond sampling noise (p < 0.001) is listed"
    )
    return rows, note


def review(before: Side, after: Side, framework: ResultsFramework, cat: Catalogue) -> ReviewResult:
    """Every change between the two sides, one row per change, in the order of ITEMS."""
    for side in (before, after):
        load_coverage(side.conn).check_year(side.year)
    rows = [
        *kpi_status_changes(before, after, cat),
        *study_group_changes(before, after),
        *risk_changes(before, after),
        *relevance_changes(before, after),
        *overlap_changes(before, after, framework),
        *targets_at_risk(after, framework, cat),
    ]
    consulted, consultation_note = consultation_changes(before, after)
    rows += consulted
    items = pd.DataFrame(rows, columns=COLUMNS)
    from pipelines.formatting.ordering import sg_sort_key

    items["_order"] = items["item"].map(ITEMS.index)
    items["_sg"] = items["sg"].map(lambda s: sg_sort_key(str(s)))
    items = (
        items.sort_values(["_order", "_sg", "kpi_or_risk"], kind="stable")
        .drop(columns=["_order", "_sg"])
        .reset_index(drop=True)
    )
    return ReviewResult(before, after, items, notes=[consultation_note])


def build_strategic_review(
    conn: duckdb.DuckDBPyConnection, framework: ResultsFramework, cat: Catalogue
) -> int:
    """marts.strategic_review: the review of the latest full year against the year before, in this warehouse."""
    coverage = load_coverage(conn)
    after = coverage.default_year()
    years = coverage.available_years()
    columns = ", ".join(f"{c} varchar" for c in COLUMNS)
    conn.execute("create schema if not exists marts")
    if after is None or after - 1 not in years:
        conn.execute(
            f"create or replace table marts.strategic_review ({columns}, before_year bigint, after_year bigint)"
        )
        return 0
    result = review(Side(conn, after - 1), Side(conn, after), framework, cat)
    frame = result.items.assign(before_year=after - 1, after_year=after).astype(
        {c: "string" for c in COLUMNS} | {"before_year": "int64", "after_year": "int64"}
    )
    conn.register("_review", frame)
    try:
        conn.execute("create or replace table marts.strategic_review as select * from _review")
    finally:
        conn.unregister("_review")
    return len(frame)
