"""Theil-Sen trends: the median of pairwise slopes, robust to one outlier, NULL when undefined."""

import math

import pytest

from pipelines.analytics.trends import relative_trend, theil_sen_slope


def test_straight_line_slope_and_relative_trend():
    assert theil_sen_slope([2020, 2021, 2022, 2023], [10, 12, 14, 16]) == pytest.approx(2.0)
    # Median level 13 -> 2 / 13 per year.
    assert relative_trend([2020, 2021, 2022, 2023], [10, 12, 14, 16]) == pytest.approx(2 / 13)


def test_one_outlier_does_not_move_the_slope():
    # Least squares would be pulled up by the 100; the median of pairwise slopes stays at -1.
    assert theil_sen_slope([1, 2, 3, 4, 5], [10, 9, 8, 7, 100]) == pytest.approx(-1.0)


def test_declining_series_gives_negative_relative_trend():
    # SG3-like: -10 % a year.
    value = relative_trend(range(5), [100, 90, 81, 73, 66])
    assert -0.12 < value < -0.08


@pytest.mark.parametrize(
    ("years", "values"),
    [
        ([2020, 2021], [1, 2]),  # two points: a difference, not a trend
        ([2020, 2021, 2022], [1, math.nan, 3]),  # missing values do not count as points
        ([2020, 2020, 2020], [1, 2, 3]),
    ],  # one distinct year
)
def test_undefined_slope_is_none(years, values):
    assert theil_sen_slope(years, values) is None


def test_relative_trend_of_a_zero_level_is_none():
    assert relative_trend([1, 2, 3], [0, 0, 0]) is None


def test_slope_equals_scipy_theilslopes():
    from scipy.stats import theilslopes

    years, values = [2019, 2020, 2021, 2022, 2023, 2024], [117, 106, 140, 86, 78, 80]
    assert theil_sen_slope(years, values) == pytest.approx(theilslopes(values, years).slope)
