"""Figures as a reader checks them: a change is the difference of the two values as printed (not of the unrounded
ones), and a figure in days says "days" wherever it stands (bundled sample, 2025)."""

from __future__ import annotations

import re

import pytest
from briefs_fixture import SAMPLE_YEAR, markdown_tables, parse_number, sample_briefs

from pipelines.briefs import glance
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import displayed, format_change, format_with_unit


def test_a_change_is_the_difference_of_the_printed_values():
    assert displayed(0.45261, "share") == 0.453 and displayed(830.6, "days") == 831.0
    # 45.3% and 40.0% are printed: their difference is 5.3 pp, though the unrounded one is 5.22 pp.
    assert format_change(0.45261, 0.40041, "share") == "+5.3 pp"
    assert format_change(10.26, 10.14, "documents (fractional)") == "+0.2"
    assert glance.change("developing_share", 0.45261, 0.40041) == pytest.approx(0.053)
    assert glance.change("contributions", 24.46, 33.0) == pytest.approx((24 - 33) / 33)  # printed whole
    assert format_with_unit(830.6, "days") == "831 days" and format_with_unit(None, "days") == "n/a"


@pytest.fixture(scope="module")
def briefs():
    return sample_briefs("SG13", "SG17", "sector")


def test_headline_changes_equal_the_printed_values(briefs):
    checked = 0
    for scope, (_, markdown) in briefs.items():
        rows = next(
            rows for caption, rows in markdown_tables(markdown).items() if caption.startswith("Headline")
        )
        names = {catalogue().get(k).name: catalogue().get(k) for k in (k.id for k in catalogue().kpis)}
        for row in rows:
            now, before, change = row[str(SAMPLE_YEAR)], row[str(SAMPLE_YEAR - 1)], row["Change"]
            if "n/a" in (now, before, change) or "<" in now + before or "partial" in now + before:
                continue
            kpi = names[row["KPI"]]
            expected = format_change(parse_number(now), parse_number(before), kpi.unit)
            assert change == expected, f"{scope} {row['KPI']}: {before} -> {now} printed as {change}"
            checked += 1
    assert checked >= 30


def test_days_are_said_as_days(briefs):
    """Every value of a KPI in days says 'days' in the headline and target tables, and in every statement."""
    days = [k for k in catalogue().kpis if k.unit == "days"]
    assert days
    for scope, (brief, markdown) in briefs.items():
        tables = markdown_tables(markdown)
        for caption, rows in tables.items():
            for row in rows:
                if row.get("KPI") not in {k.name for k in days}:
                    continue
                for column in ("Value", "Target", str(SAMPLE_YEAR), str(SAMPLE_YEAR - 1)):
                    cell = row.get(column)
                    if cell and cell != "n/a":
                        assert cell.endswith("days") or cell.endswith("(partial year)"), (
                            scope,
                            caption,
                            cell,
                        )
        for statement in brief.statements():
            for kpi in days:
                for match in re.finditer(rf"{kpi.name} (\d[\d,]*)(\S*)", statement.text):
                    assert statement.text[match.end(1) :].startswith(" days"), (scope, statement.text)
