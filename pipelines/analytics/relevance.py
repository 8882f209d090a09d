"""marts.sg_relevance: a composite relevance index per study group and year, with its rank interval."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from pipelines.analytics.scope_kpis import assessed_years, existing_sgs, kpi_series
from pipelines.analytics.targets import Relevance, ResultsFramework
from pipelines.analytics.trends import relative_trend, theil_sen_slope

METHOD = (
    "The relevance index (0-100, higher = more relevant) combines six components, each the weighted mean "
    "of indicators taken from the facts: participation (participants: level and trend), contributions "
    "(level and trend), output (new or revised Recommendations approved; median cycle time, shorter is "
    "better), diversity (delegation countries, ITU regions, developing-country share of attendance; "
    "contribution concentration as HHI, lower is better), industry engagement (Sector Member and "
    "Associate share of contributions) and external engagement / landscape (liaison statements in and out, "
    "distinct counterpart bodies and, when the warehouse has the landscape of peer committees, the pace of "
    "the SG's output against its field's: its output trend minus the median trend of its three closest "
    "peer committees, in the landscape's year only). A level is the mean of the last three years, a trend the Theil-Sen slope "
    "(median of pairwise slopes) over the last five years divided by the level. Every indicator is "
    "rescaled 0-100 across the study groups of the year (min-max: best = 100, worst = 0, all equal = 50); "
    "weights and normalisation come from the `relevance` section of the results framework. Missing "
    "indicators are skipped and the remaining weights rescaled. TSAG is excluded (it is not a study "
    "group); a merged SG's history is that of its predecessors (SG21 before 2025 = SG9 + SG16 "
    "recomputed). Robustness: the ranks are recomputed for 500 random weight vectors (Dirichlet, centred "
    "on the configured weights, seeded) under min-max and two alternative normalisations (percentile "
    "rank, z-score through the normal curve); rank_low-rank_high is the 90% interval of those ranks "
    "(rank_low = best case). trend is the Theil-Sen slope of the index over the last five years, in index "
    "points per year: positive = gaining relevance relative to the other SGs; it is NULL until an SG has "
    "been ranked in two years (SG21 in 2025: its indicators use its predecessors' facts, but the index, "
    "relative to the SGs of each year, starts with SG21 itself). The index mostly measures size: min-max puts the "
    "smallest SG at 0 on every size indicator. Scale and vitality are therefore also scored apart: scale = "
    "participants, contributions and Recommendations approved (levels); vitality = output per participant "
    "(contributions and Recommendations per participant), diversity (developing-country and female shares, HHI), "
    "industry engagement, external engagement (liaison statements per participant, landscape pace) and renewal "
    "(newcomer share). Each indicator is scored by its percentile among the SGs of the year (mid-rank: the SGs "
    "below it plus half the ties, itself included, over the SGs ranked, so the lowest of ten scores 5, never 0); "
    "scale_rank_low-scale_rank_high and vitality_rank_low-vitality_rank_high are the 90% intervals of the ranks "
    "under the same weight draws and two normalisations (percentile, robust z-score through the normal curve)."
)

COLUMNS_FIRST = ["sg", "as_of_year", "relevance_index", "rank", "rank_low", "rank_high", "trend"]


def indicator_name(kpi: str, stat: str, per: str | None = None) -> str:
    if per:
        return f"{kpi}_per_{per.removesuffix('s')}"
    return kpi if stat == "level" else f"{kpi}_trend"


def relevance_inputs(series: pd.DataFrame, sgs: list[str], as_of_year: int, cfg: Relevance) -> pd.DataFrame:
    """Raw indicator values per SG as of a year: levels (mean of the last years) and relative trends."""
    needed = {(i.kpi, i.stat) for c in cfg.components.values() for i in c.indicators}
    ratios = {(i.kpi, i.per) for c in cfg.components.values() for i in c.indicators if i.per}
    needed |= {(k, "level") for pair in ratios for k in pair}
    optional = {i.kpi for c in cfg.components.values() for i in c.indicators if i.optional}
    series = series.assign(**{k: np.nan for k in optional if k not in series.columns})
    unknown = sorted({k for k, _ in needed} - set(series.columns))
    if unknown:
        raise ValueError(
            f"relevance: unknown KPI(s) {unknown}; available: {sorted(set(series.columns) - {'sg', 'year'})}"
        )
    columns = sorted({k for k, _ in needed})
    arrays = {}
    for sg, group in series[series["sg"].isin(sgs)].groupby("sg"):
        arrays[sg] = (
            group["year"].to_numpy(),
            {k: pd.to_numeric(group[k], errors="coerce").to_numpy(float) for k in columns},
        )
    out = pd.DataFrame(index=pd.Index(sgs, name="sg"))
    for kpi, stat in sorted(needed):
        window = cfg.level_years if stat == "level" else cfg.trend_years
        values = []
        for sg in sgs:
            if sg not in arrays:
                values.append(np.nan)
                continue
            years, kpis = arrays[sg]
            keep = (years > as_of_year - window) & (years <= as_of_year)
            vals = kpis[kpi][keep]
            if stat == "level":
                present = vals[~np.isnan(vals)]
                values.append(float(present.mean()) if present.size else np.nan)
            else:
                trend = relative_trend(years[keep].tolist(), vals.tolist())
                values.append(np.nan if trend is None else trend)
        out[indicator_name(kpi, stat)] = values
    for kpi, per in sorted(ratios):
        # A ratio of the levels (means over the same years), NaN where the denominator is missing or 0.
        denominator = out[per].where(out[per] > 0)
        out[indicator_name(kpi, "level", per)] = out[kpi] / denominator
    return out


def normalise(values: pd.Series, method: str, higher_is_better: bool = True) -> pd.Series:
    """Rescale one indicator across SGs to 0-100 (100 = best); NaN stays NaN; all equal (or one SG) -> 50."""
    x = values.astype(float)
    present = x.dropna()
    if present.empty:
        return x
    if method == "minmax":
        span = present.max() - present.min()
        score = (x - present.min()) / span * 100 if span > 0 else x * 0 + 50
    elif method == "rank":
        if len(present) == 1:
            score = x * 0 + 50
        else:
            score = (x.rank(method="average") - 1) / (len(present) - 1) * 100
    elif method == "percentile":
        # Mid-rank percentile: (SGs below + half the ties, itself included) / SGs; the lowest of n is 50/n, not 0.
        score = (x.rank(method="average") - 0.5) / len(present) * 100
    elif method == "robust_z":
        mad = (present - present.median()).abs().median() * 1.4826
        if mad == 0:
            score = x * 0 + 50
        else:
            z = (x - present.median()) / mad
            score = z.map(lambda v: np.nan if math.isnan(v) else 50 * (1 + math.erf(v / math.sqrt(2))))
    elif method == "zscore":
        sd = present.std(ddof=0)
        if sd == 0:
            score = x * 0 + 50
        else:
            z = (x - present.mean()) / sd
            score = z.map(lambda v: np.nan if math.isnan(v) else 50 * (1 + math.erf(v / math.sqrt(2))))
    else:
        raise ValueError(f"unknown normalisation {method!r}")
    return score if higher_is_better else 100 - score


def _weighted_mean(scores: pd.DataFrame, weights: np.ndarray) -> pd.Series:
    """Row-wise weighted mean over the non-missing columns (weights rescaled); NaN if all are missing."""
    values = scores.to_numpy(dtype=float)
    mask = ~np.isnan(values)
    total = (np.where(mask, values, 0) * weights).sum(axis=1)
    weight = (mask * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(weight > 0, total / weight, np.nan), index=scores.index)


def component_scores(inputs: pd.DataFrame, cfg: Relevance, method: str) -> pd.DataFrame:
    """One 0-100 score per component (columns `<component>_score`) for each SG."""
    out = pd.DataFrame(index=inputs.index)
    for name, component in cfg.components.items():
        scored = pd.DataFrame(
            {
                f"{i}": normalise(
                    inputs[indicator_name(ind.kpi, ind.stat, ind.per)],
                    method,
                    ind.direction == "higher is better",
                )
                for i, ind in enumerate(component.indicators)
            },
            index=inputs.index,
        )
        out[f"{name}_score"] = _weighted_mean(scored, np.array([ind.weight for ind in component.indicators]))
    return out


def competition_ranks(index: np.ndarray) -> np.ndarray:
    """Rank 1 = highest; ties share the best rank (1, 2, 2, 4); NaN ranks last. Row-wise on 2-D input."""
    values = np.round(np.where(np.isnan(index), -np.inf, index), 9)
    # For each SG: 1 + number of SGs with a strictly higher index.
    return 1 + (values[..., None, :] > values[..., :, None]).sum(axis=-1)


def relevance_for_year(series: pd.DataFrame, sgs: list[str], as_of_year: int, cfg: Relevance) -> pd.DataFrame:
    """The index, rank, rank interval and component scores of the given SGs in one year (no trend column)."""
    # An SG without a row in the year (no meeting, document or Recommendation) is not ranked that year.
    active = set(series.loc[series["year"] == as_of_year, "sg"])
    sgs = sorted(sg for sg in set(sgs) if sg not in cfg.exclude and sg in active)
    if not sgs:
        return pd.DataFrame(columns=COLUMNS_FIRST)
    inputs = relevance_inputs(series, sgs, as_of_year, cfg)
    names = list(cfg.components)
    weights = np.array([cfg.components[n].weight for n in names], dtype=float)
    weights = weights / weights.sum()

    methods = [cfg.normalisation, *[m for m in cfg.alternative_normalisations if m != cfg.normalisation]]
    scores = {m: component_scores(inputs, cfg, m) for m in methods}
    main = scores[cfg.normalisation]
    index = _weighted_mean(main, weights)
    out = main.copy()
    out.insert(0, "relevance_index", index)
    out.insert(1, "rank", competition_ranks(index.to_numpy()))

    rng = np.random.default_rng(cfg.seed)
    draws = rng.dirichlet(weights * cfg.sensitivity_concentration, size=cfg.sensitivity_draws)
    all_ranks = []
    for m in methods:
        values = scores[m].to_numpy(dtype=float)
        mask = ~np.isnan(values)
        filled = np.where(mask, values, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            drawn = (filled @ draws.T) / (mask.astype(float) @ draws.T)  # SGs x draws
        all_ranks.append(competition_ranks(drawn.T))  # draws x SGs
        if m != cfg.normalisation:
            out[f"rank_{m}"] = competition_ranks(_weighted_mean(scores[m], weights).to_numpy())
    ranks = np.vstack(all_ranks)
    tail = (1 - cfg.sensitivity_interval) / 2
    low = np.floor(np.quantile(ranks, tail, axis=0)).astype(int)
    high = np.ceil(np.quantile(ranks, 1 - tail, axis=0)).astype(int)
    # The interval always contains the rank under the configured weights.
    out.insert(2, "rank_low", np.minimum(low, out["rank"].to_numpy()))
    out.insert(3, "rank_high", np.maximum(high, out["rank"].to_numpy()))
    out.insert(0, "as_of_year", as_of_year)
    out["sgs_ranked"] = len(sgs)
    return out.reset_index().sort_values(["rank", "sg"], ignore_index=True)


DIMENSION_COLUMNS = ("index", "rank", "rank_low", "rank_high")


def dimension_for_year(
    series: pd.DataFrame, sgs: list[str], as_of_year: int, cfg: Relevance, name: str
) -> pd.DataFrame:
    """One dimension (scale or vitality) of a year: sg, <name>_index, <name>_rank, _rank_low, _rank_high and
    <name>_<component> (each 0-100 by cfg.dimension_normalisation; the interval under the alternatives too)."""
    components = getattr(cfg, name)
    columns = ["sg", *(f"{name}_{c}" for c in DIMENSION_COLUMNS), *(f"{name}_{c}" for c in components)]
    if not components:
        return pd.DataFrame(columns=columns)
    own = cfg.model_copy(
        update={
            "components": components,
            "normalisation": cfg.dimension_normalisation,
            "alternative_normalisations": cfg.dimension_alternatives,
        }
    )
    found = relevance_for_year(series, sgs, as_of_year, own)
    if found.empty:
        return pd.DataFrame(columns=columns)
    renamed = {"relevance_index": f"{name}_index", "rank": f"{name}_rank"}
    renamed |= {"rank_low": f"{name}_rank_low", "rank_high": f"{name}_rank_high"}
    renamed |= {f"{c}_score": f"{name}_{c}" for c in components}
    return found.rename(columns=renamed)[columns]


def with_dimensions(
    table: pd.DataFrame, series: pd.DataFrame, sgs: list[str], as_of_year: int, cfg: Relevance
) -> pd.DataFrame:
    """The year's relevance rows with the scale and vitality columns beside them."""
    if table.empty:
        return table
    for name in ("scale", "vitality"):
        table = table.merge(dimension_for_year(series, sgs, as_of_year, cfg, name), on="sg", how="left")
    return table


def add_index_trend(relevance: pd.DataFrame, years: int) -> pd.DataFrame:
    """trend = Theil-Sen slope of each SG's index over its last `years` years (points a year; + = rising)."""
    out = relevance.copy()
    out["trend"] = np.nan
    for _, group in out.groupby("sg"):
        for i, year in zip(group.index, group["as_of_year"], strict=True):
            past = group[(group["as_of_year"] > year - years) & (group["as_of_year"] <= year)]
            slope = theil_sen_slope(past["as_of_year"].tolist(), past["relevance_index"].tolist())
            out.loc[i, "trend"] = np.nan if slope is None else slope
    return out


def relevance_table(series: pd.DataFrame, existing: dict[int, list[str]], cfg: Relevance) -> pd.DataFrame:
    """sg_relevance for every year in `existing` (year -> SGs that exist that year)."""
    frames = [
        with_dimensions(relevance_for_year(series, sgs, year, cfg), series, sgs, year, cfg)
        for year, sgs in sorted(existing.items())
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS_FIRST, *(f"{c}_score" for c in cfg.components)])
    table = add_index_trend(pd.concat(frames, ignore_index=True), cfg.trend_years)
    rest = [c for c in table.columns if c not in COLUMNS_FIRST]
    return table[COLUMNS_FIRST + rest].sort_values(["as_of_year", "rank", "sg"], ignore_index=True)


def with_landscape(conn: duckdb.DuckDBPyConnection, series: pd.DataFrame) -> pd.DataFrame:
    """The series with `landscape_pace` (the SG's output trend minus its field's) in the landscape's year,
    when the warehouse has a landscape; without one the column is absent and the optional indicator skipped."""
    from pipelines.analytics.landscape import landscape_indicators, read_landscape

    landscape = read_landscape(conn)
    if landscape is None:
        return series
    pace = landscape_indicators(landscape)[["sg", "as_of_year", "pace"]].rename(
        columns={"as_of_year": "year", "pace": "landscape_pace"}
    )
    pace["landscape_pace"] = pd.to_numeric(pace["landscape_pace"], errors="coerce").astype("float64")
    return series.merge(pace, on=["sg", "year"], how="left")


def build_sg_relevance(conn: duckdb.DuckDBPyConnection, framework: ResultsFramework) -> int:
    """Write marts.sg_relevance (one row per SG and as-of year); returns the row count."""
    if framework.relevance is None:
        raise ValueError("the results framework has no `relevance` section")
    from pipelines.coverage import load_coverage

    # Partial years are never levels or trend points; only years the meetings cover in full are ranked.
    series = with_landscape(conn, load_coverage(conn).mask_partial(kpi_series(conn)))
    existing = {y: existing_sgs(conn, y) for y in assessed_years(conn)}
    table = relevance_table(series, existing, framework.relevance)
    conn.execute("create schema if not exists marts")
    conn.register("_sg_relevance", table)
    try:
        conn.execute(
            "create or replace table marts.sg_relevance as select * from _sg_relevance "
            "order by as_of_year, rank, sg"
        )
    finally:
        conn.unregister("_sg_relevance")
    return len(table)
