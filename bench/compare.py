"""Compare two sg_year_kpis tables: same (sg, year) rows, same values (floats within a tolerance)."""

from __future__ import annotations

import math

import pandas as pd

KEYS = ["sg", "year"]
REL_TOL, ABS_TOL = 1e-9, 1e-9


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


def assert_same_kpis(expected: pd.DataFrame, actual: pd.DataFrame, name: str) -> None:
    """Raise KpiMismatch naming the columns and rows where `actual` (from `name`) differs."""
    problems = differences(expected, actual)
    if problems:
        raise KpiMismatch(f"{name} disagrees with the pipeline's sg_year_kpis:\n  " + "\n  ".join(problems))
