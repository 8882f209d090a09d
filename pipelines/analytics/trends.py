"""Robust trends of a yearly series: Theil-Sen slope, absolute and relative to the series' level."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# Fewer points than this give no trend (NULL): two points are a difference, not a trend.
MIN_TREND_POINTS = 3


def theil_sen_slope(years: Sequence[float], values: Sequence[float]) -> float | None:
    """Median of the pairwise slopes (Theil-Sen) over the non-missing points; None with fewer than 3."""
    points = [
        (float(x), float(y))
        for x, y in zip(years, values, strict=True)
        if y is not None and not (isinstance(y, float) and math.isnan(y))
    ]
    if len(points) < MIN_TREND_POINTS:
        return None
    # The slope of scipy.stats.theilslopes, without importing scipy.stats (1-2 s) in every build.
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    i, j = np.triu_indices(len(xs), k=1)
    dx = xs[j] - xs[i]
    keep = dx != 0
    if not keep.any():
        return None
    return float(np.median((ys[j] - ys[i])[keep] / dx[keep]))


def relative_trend(years: Sequence[float], values: Sequence[float]) -> float | None:
    """Theil-Sen slope divided by the median of the values: the yearly change as a fraction of the level.

    Negative = falling (e.g. -0.10 = losing about a tenth of the usual level per year). None when the
    slope is undefined or the level is zero.
    """
    slope = theil_sen_slope(years, values)
    if slope is None:
        return None
    level = float(np.median([float(v) for v in values if v is not None and not math.isnan(float(v))]))
    if level == 0:
        return None
    return slope / abs(level)
