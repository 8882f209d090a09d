"""Random draws and date helpers shared by the generators (all deterministic for a given generator)."""

from __future__ import annotations

import numpy as np

from pipelines.lineage import lineage


def monday_on_or_after(day: np.datetime64) -> np.datetime64:
    return np.busday_offset(day, 0, roll="forward", weekmask="Mon")


def date_of(year: int, month: int, day: int) -> np.datetime64:
    return np.datetime64(f"{year:04d}-{month:02d}-{day:02d}")


def iso_dates(days: np.ndarray) -> np.ndarray:
    """ISO strings for a datetime64[D] array (NaT -> empty string)."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.datetime_as_string(days, unit="D").astype(object)
    out[np.isnat(days)] = ""
    return out


def cap_shares(p: np.ndarray, cap: float) -> np.ndarray:
    """Normalise weights and cap any single share at `cap` (mass redistributed proportionally)."""
    p = np.asarray(p, dtype=float)
    p = p / p.sum()
    if (p > 0).sum() * cap <= 1:
        return p
    for _ in range(50):
        over = p > cap
        if not over.any():
            break
        excess = (p[over] - cap).sum()
        p[over] = cap
        free = (~over) & (p > 0)
        p[free] += excess * p[free] / p[free].sum()
    return p / p.sum()


def systematic_draw(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn proportionally to p by systematic sampling (counts within +-1 of n*p), shuffled."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    order = rng.permutation(len(p))
    cum = np.cumsum(p[order])
    cum /= cum[-1]
    pos = (rng.random() + np.arange(n)) / n
    idx = order[np.minimum(np.searchsorted(cum, pos, side="right"), len(p) - 1)]
    return rng.permutation(idx)


def sample_unique(rng: np.random.Generator, cum: np.ndarray, k: int) -> np.ndarray:
    """Up to k distinct positions drawn (without replacement) proportionally to the increments of `cum`."""
    n = len(cum)
    positive = int(np.count_nonzero(np.diff(np.concatenate(([0.0], cum))) > 0))
    k = min(k, positive)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if 2 * k >= positive:  # dense: Efraimidis-Spirakis keys
        w = np.diff(np.concatenate(([0.0], cum)))
        keys = np.full(n, -np.inf)
        ok = w > 0
        keys[ok] = np.log(rng.random(int(ok.sum()))) / w[ok]
        return np.sort(np.argpartition(-keys, k - 1)[:k])
    chosen: list[int] = []
    seen: set[int] = set()
    while len(chosen) < k:
        draws = np.searchsorted(cum, rng.random(2 * k + 8) * cum[-1], side="right")
        for d in np.minimum(draws, n - 1).tolist():
            if d not in seen:
                seen.add(d)
                chosen.append(d)
                if len(chosen) == k:
                    break
    return np.array(chosen, dtype=np.int64)


def random_date(rng: np.random.Generator, lo: np.datetime64, hi: np.datetime64, size=None):
    span = int((hi - lo).astype(int))
    return lo + rng.integers(0, span + 1, size=size).astype("timedelta64[D]")


def within_existence(sgs: np.ndarray, day: np.ndarray, spread_days: int = 56) -> np.ndarray:
    """Dates of an SG before it existed (config/study_groups.yaml) move to its first weeks: SG21's first
    contributions, drawn back from its January 2025 meeting, or SG20 work items drawn in 2014. The dates before
    `exists_from` are squeezed, in order, into the `spread_days` after it; dates after an SG ceased to exist
    stop on its last day."""
    day = day.astype("datetime64[D]").copy()
    for sg, first, until, _ in lineage().existence_rows():
        mine = sgs == sg
        if first is not None:
            start = np.datetime64(first, "D")
            early = mine & (day < start)
            if early.any():
                lo = day[early].min()
                span = max(1, int((start - lo).astype(int)))
                offset = (day[early] - lo).astype(int) * spread_days // span
                day[early] = start + offset.astype("timedelta64[D]")
        if until is not None:
            day[mine & (day > np.datetime64(until, "D"))] = np.datetime64(until, "D")
    return day
