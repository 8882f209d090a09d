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


def displayed(value, unit: str) -> float | None:
    """A value as `format_value` shows it, read back (45.26% -> 0.453, 830.6 days -> 831): changes are computed
    from these, so a reader who subtracts the two printed figures gets the printed change."""
    if is_missing(value):
        return None
    text = format_value(value, unit).replace(",", "")
    return round(float(text[:-1]) / 100, 9) if text.endswith("%") else float(text)


def format_mean(value, unit: str) -> str:
    """A yearly average: shares as shares, anything else with one decimal (a mean of 2.3 texts is not 2)."""
    if is_missing(value) or unit in SHARE_UNITS:
        return format_value(value, unit)
    return f"{float(value):,.1f}"


def displayed_mean(value, unit: str) -> float | None:
    """A yearly average as `format_mean` shows it, read back."""
    if is_missing(value):
        return None
    if unit in SHARE_UNITS:
        return displayed(value, unit)
    return float(format_mean(value, unit).replace(",", ""))


def format_with_unit(value, unit: str) -> str:
    """A value with its unit where the number alone would not say it: '831 days'; shares carry their '%'."""
    text = format_value(value, unit)
    return f"{text} days" if unit == "days" and text != MISSING else text


def format_change(value, previous, unit: str) -> str:
    """The change since the previous value, from the two values as displayed: points (pp) for shares, units
    otherwise; `n/a` if unknown."""
    if is_missing(value) or is_missing(previous):
        return MISSING
    delta = displayed(value, unit) - displayed(previous, unit)
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
