"""How a brief writes numbers: one format per catalogue unit, so tables, charts and statements agree.

Shares are percentages with one decimal, HHI and days whole numbers, fractional document counts one decimal,
other counts whole numbers with thousands separators. A missing value (NULL in the marts) is `n/a`, never 0.
"""

from __future__ import annotations

MISSING = "n/a"
SHARE_UNITS = {"share"}
FRACTIONAL_UNITS = {"documents (fractional)"}


def is_missing(value) -> bool:
    """None, NaN, NaT and pandas' NA are all missing."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is not a scalar value
        return False


def format_count(value) -> str:
    return MISSING if is_missing(value) else f"{round(float(value)):,}"


def format_value(value, unit: str) -> str:
    """A KPI value in its catalogue unit."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if unit in SHARE_UNITS:
        return f"{value:.1%}"
    if unit in FRACTIONAL_UNITS:
        return f"{value:,.1f}"
    if unit == "ratio":
        return f"{value:,.2f}"
    return f"{round(value):,}"


def format_change(value, previous, unit: str) -> str:
    """The change since the previous value: points (pp) for shares, units otherwise; `n/a` if unknown."""
    if is_missing(value) or is_missing(previous):
        return MISSING
    delta = float(value) - float(previous)
    if unit in SHARE_UNITS:
        return f"{delta * 100:+.1f} pp"
    if unit in FRACTIONAL_UNITS:
        return f"{delta:+,.1f}"
    return f"{round(delta):+,}"


def format_percent(value) -> str:
    return MISSING if is_missing(value) else f"{float(value):.1%}"


def format_score(value, digits: int = 2) -> str:
    """A 0-1 similarity or a 0-100 index, with `digits` decimals."""
    return MISSING if is_missing(value) else f"{float(value):.{digits}f}"
