"""Compare two sg_year_kpis tables: same (sg, year) rows, same values (floats within a tolerance)."""

from __future__ import annotations

import math

import pandas as pd

KEYS = ["sg", "year"]
REL_TOL, ABS_TOL = 1e-9, 1e-9


# The data domain each column of sg_year_kpis is computed from. A baseline counts rows; which years a domain
# covers is an input to the KPI definitions (docs/kpis.md), read from the pipeline's marts.year_coverage.
DOMAIN_OF = {
    "meetings": "meetings",
    **dict.fromkeys(
        "participants attendance_records remote_share countries organisations developing_share female_share "
        "newcomer_share retention".split(),
        "attendance",
    ),
    **dict.fromkeys(
        "contributions contributing_entities hhi elephant_factor industry_share academia_share "
        "developing_source_share ls_in ls_out".split(),
        "contributions",
    ),
    **dict.fromkeys("recs_approved amendments median_cycle_days".split(), "recommendations"),
    "aap_share": "approval_process",
    "backlog": "work_items",
}


def apply_coverage(kpis: pd.DataFrame, year_coverage: pd.DataFrame) -> pd.DataFrame:
    """A baseline's KPIs with the coverage rule applied: NULL in a year the KPI's domain does not cover at all,
    and retention NULL unless the previous year's attendance is fully covered (never 0 for "no data")."""
    covered = {(int(r.year), r.domain): r.coverage for r in year_coverage.itertuples()}
    out = kpis.copy()
    years = out["year"].astype(int)
    for column, domain in DOMAIN_OF.items():
        if column not in out:
            continue
        keep = years.map(lambda y, d=domain: covered.get((y, d), "none") != "none")
        if column == "retention":
            keep &= years.map(lambda y: covered.get((y - 1, "attendance")) == "full")
        out[column] = out[column].astype(object).where(keep, None)
    return out


class KpiMismatch(AssertionError):
    """A baseline and the pipeline disagree on sg_year_kpis."""


def _same(a, b) -> bool:
    """Equal values, NULL only against NULL, floats within the tolerance."""
    a_null, b_null = a is None or pd.isna(a), b is None or pd.isna(b)
    if a_null or b_null:
        return a_null and b_null
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _plain(value):
    """A numpy scalar as the Python value it holds, so messages read 0.5 rather than np.float64(0.5)."""
    return value.item() if hasattr(value, "item") else value


def differences(expected: pd.DataFrame, actual: pd.DataFrame, limit: int = 10) -> list[str]:
    """Every way `actual` differs from `expected`, one line each (columns, missing rows, first cells)."""
    problems = []
    missing, extra = set(expected.columns) - set(actual.columns), set(actual.columns) - set(expected.columns)
    if missing:
        problems.append(f"missing columns: {', '.join(sorted(missing))}")
    if extra:
        problems.append(f"extra columns: {', '.join(sorted(extra))}")
    left = expected.assign(year=expected["year"].astype(int)).set_index(KEYS)
    right = actual.assign(year=actual["year"].astype(int)).set_index(KEYS)
    only_left, only_right = left.index.difference(right.index), right.index.difference(left.index)
    if len(only_left):
        problems.append(f"{len(only_left)} rows missing, e.g. {list(only_left[:limit])}")
    if len(only_right):
        problems.append(f"{len(only_right)} rows extra, e.g. {list(only_right[:limit])}")
    common = left.index.intersection(right.index)
    for column in [c for c in left.columns if c in right.columns]:
        a, b = left.loc[common, column], right.loc[common, column]
        bad = [key for key, x, y in zip(common, a, b, strict=True) if not _same(x, y)]
        if bad:
            shown = ", ".join(f"{k}: {_plain(a[k])!r} vs {_plain(b[k])!r}" for k in bad[:limit])
            problems.append(f"column {column}: {len(bad)} rows differ ({shown})")
    return problems


# The records each status rests on (the catalogue's n), not KPIs: the baselines do not recompute them.
SUPPORT = ("aap_basis", "aap_coverage", "cycle_basis", "gender_basis", "retention_basis")


def assert_same_kpis(expected: pd.DataFrame, actual: pd.DataFrame, name: str) -> None:
    """Raise KpiMismatch naming the columns and rows where `actual` (from `name`) differs."""
    problems = differences(expected.drop(columns=[c for c in SUPPORT if c in expected]), actual)
    if problems:
        raise KpiMismatch(f"{name} disagrees with the pipeline's sg_year_kpis:\n  " + "\n  ".join(problems))
