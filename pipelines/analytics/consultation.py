"""The membership consultation's answers per study group, year and Likert question: marts.consultation_sg_year.

One row per (sg, year, question) for all respondents, and one per member category and per ITU region
(`category` / `itu_region` = 'all' where the row is not split). A cell with fewer answers than the
questionnaire's `min_responses` keeps its count but no mean and no share agreeing (`suppressed`): a few
respondents' answers are never published. Free text is not in the mart (analysts read it masked, notebook 06).
"""

from __future__ import annotations

import duckdb

from pipelines.questionnaire import Questionnaire

ALL = "all"
# A change of a share between rounds, or a gap between member categories, is said only beyond sampling noise:
# a few dozen answers per SG move a share by several points by chance, and a round tests some fifty SG-questions
# and their categories, so p < 0.001 (two-sided).
Z_CHANGE = 3.29


def z_two_shares(a: float, n_a: int, b: float, n_b: int) -> float:
    """Two-proportion z statistic of share a (of n_a answers) against share b (of n_b), pooled variance."""
    pooled = (a * n_a + b * n_b) / (n_a + n_b)
    spread = (pooled * (1 - pooled) * (1 / n_a + 1 / n_b)) ** 0.5
    return 0.0 if spread == 0 else (a - b) / spread


def moved(before: float, n_before: int, now: float, n_now: int, points: float) -> bool:
    """Whether a share agreeing moved by `points` or more between two rounds, beyond sampling noise."""
    return abs(now - before) >= points and abs(z_two_shares(now, n_now, before, n_before)) >= Z_CHANGE


def build_consultation_sg_year(conn: duckdb.DuckDBPyConnection, q: Questionnaire) -> int:
    """marts.consultation_sg_year from core.fct_consultation_answer; empty without consultation data."""
    conn.execute("create schema if not exists marts")
    conn.execute(
        f"""
        create or replace table marts.consultation_sg_year as
        with cells as (
            select
                sg,
                year::bigint as year,
                question_id as question,
                coalesce(category, '{ALL}') as category,
                coalesce(itu_region, '{ALL}') as itu_region,
                count(*) as responses,
                avg(likert) as mean,
                avg(case when likert >= {q.agree_from:d} then 1.0 else 0.0 end) as share_agreeing
            from core.fct_consultation_answer
            group by grouping sets (
                (sg, year, question_id), (sg, year, question_id, category), (sg, year, question_id, itu_region)
            )
        )
        select
            sg,
            year,
            question,
            category,
            itu_region,
            responses,
            case when responses >= {q.min_responses:d} then mean end as mean,
            case when responses >= {q.min_responses:d} then share_agreeing end as share_agreeing,
            responses < {q.min_responses:d} as suppressed
        from cells
        order by sg, year, question, category <> '{ALL}', category, itu_region <> '{ALL}', itu_region
        """
    )
    return conn.execute("select count(*) from marts.consultation_sg_year").fetchall()[0][0]
