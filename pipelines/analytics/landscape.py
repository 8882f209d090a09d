"""marts.sg_landscape: each study group beside the peer bodies' committees working in its field.

Plain functions: `landscape_inputs` reads the warehouse; `landscape_tables` computes the marts from those
inputs alone (so that a worker process can run it); `build_sg_landscape` writes them. The indicators that
the risk register and the relevance index take from the landscape are in `landscape_indicators`.
"""

from __future__ import annotations

import datetime as dt
import math
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipelines.analytics.overlap import DEFAULT_EXCLUDE, default_window
from pipelines.analytics.scope_kpis import assignment_expression, existing_sgs, lineage_assignment
from pipelines.analytics.trends import MIN_TREND_POINTS, relative_trend

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
CONFIG_FILE = CONFIG_DIR / "landscape.yaml"
ICS_FILE = CONFIG_DIR / "ics_topics.yaml"
BASE = "base"

METHOD = (
    "Which committees of the peer bodies (3GPP, ETSI, W3C, ISO including ISO/IEC JTC 1, IEEE) work in a "
    "study group's field, from their real publication records (sgpulse import peers). Texts: the SG's "
    "Questions, work items and Recommendation titles and abstracts over the overlap's window (the latest study "
    "period and the one before; a predecessor's texts count for its successor), against each committee's "
    "publication titles (one per document) over the last {committee_years} years, with the ICS topic words "
    "of its documents (ISO and IEEE: the bundle keeps only the first part of an ISO title). Both sides are "
    "weighted by TF-IDF (sublinear term frequency, English and standards boilerplate stop words, words and "
    "word pairs; terms in fewer than two texts or in more than half of them dropped) and compared by cosine "
    "similarity (0-1). Committees with fewer than {min_documents} documents in their window are left out. "
    "A committee is related to an SG when the similarity is at least {threshold}; the related committees are "
    "ranked by the similarity minus the committee's mean similarity to all the SGs compared, so that a "
    "committee close to every SG (3GPP TSG SA WG5 publishes on the management of everything) does not "
    "head every list; the top {top_n} are kept. Output trends: the committee's publications per year (a 3GPP "
    "specification version, an ETSI deliverable version, a W3C publication, an ISO or IEEE edition, "
    "amendment or corrigendum) against the SG's Recommendation texts approved per year, each the Theil-Sen "
    "slope relative to the median level (+0.09 = growing about 9% a year), over the last {trend_years} years "
    "that the SG's data and the records of every body among its committees cover in full; NULL with fewer "
    "than {min_trend_publications} publications in those years. Sensitivity: the top 3 recomputed under "
    "{alternatives} other reasonable settings (listed in marts.sg_landscape_sensitivity); stability is the "
    "share of them under which a committee stays in the top 3."
)

# Words every body puts in its titles, whatever the field: they would make every committee look alike.
BOILERPLATE = (
    "3gpp",
    "etsi",
    "iso",
    "iec",
    "ieee",
    "itu",
    "itu-t",
    "w3c",
    "recommendation",
    "recommendations",
    "standard",
    "standards",
    "std",
    "specification",
    "specifications",
    "technical",
    "report",
    "part",
    "parts",
    "amendment",
    "corrigendum",
    "supplement",
    "edition",
    "version",
    "release",
    "draft",
    "guide",
    "guidelines",
    "general",
    "series",
)
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9-]+\b"
MAX_DF = 0.5
MIN_DF = 2
# With fewer SGs, a committee's mean similarity to "all SGs" is no baseline: no hub correction.
MIN_SGS_FOR_HUB_CORRECTION = 3
# A field's trend needs the trends of at least this many of the SG's top committees (one committee is not a field).
MIN_FIELD_COMMITTEES = 2

LANDSCAPE_COLUMNS = {
    "sg": "str",
    "as_of_year": "int64",
    "sdo": "str",
    "committee": "str",
    "similarity": "float64",
    "rank": "int64",
    "committee_trend": "float64",
    "sg_trend": "float64",
    "specificity": "float64",
    "stability": "float64",
    "documents": "int64",
    "publications": "int64",
    "sg_texts": "int64",
    "trend_first_year": "Int64",
    "trend_last_year": "Int64",
    "window_first_year": "int64",
    "window_last_year": "int64",
    "committee_first_year": "int64",
    "example_title": "str",
}
SERIES_COLUMNS = {
    "sg": "str",
    "as_of_year": "int64",
    "series": "str",
    "kind": "str",
    "sdo": "str",
    "rank": "Int64",
    "year": "int64",
    "publications": "int64",
    "output_index": "float64",
}
SG_SERIES, COMMITTEE_SERIES = "study group", "committee"
SENSITIVITY_COLUMNS = {
    "sg": "str",
    "as_of_year": "int64",
    "setting": "str",
    "rank": "int64",
    "sdo": "str",
    "committee": "str",
    "similarity": "float64",
}


# ---- configuration -------------------------------------------------------------------------------------


class LandscapeSettings(BaseModel):
    """What decides the similarity and the ranking (one set per sensitivity alternative)."""

    model_config = ConfigDict(extra="forbid")

    committee_years: int = Field(ge=1, le=40)
    sg_abstracts: bool
    ics_topics: bool
    ngram_max: int = Field(ge=1, le=3)
    min_documents: int = Field(ge=1)
    threshold: float = Field(ge=0, le=1)
    hub_correction: bool
    top_n: int = Field(ge=3)


class LandscapeConfig(LandscapeSettings):
    version: str
    trend_years: int = Field(ge=MIN_TREND_POINTS)
    min_trend_publications: int = Field(ge=1)
    alternatives: dict[str, dict] = Field(default_factory=dict)

    @field_validator("alternatives")
    @classmethod
    def _known_settings(cls, value: dict[str, dict]) -> dict[str, dict]:
        known = set(LandscapeSettings.model_fields)
        for name, changes in value.items():
            unknown = sorted(set(changes or {}) - known)
            if unknown or not changes:
                raise ValueError(
                    f"alternative {name!r}: {'unknown setting(s) ' + str(unknown) if unknown else 'changes nothing'}"
                    f" (settings: {', '.join(sorted(known))})"
                )
        return value

    @property
    def base(self) -> LandscapeSettings:
        return LandscapeSettings(**{k: getattr(self, k) for k in LandscapeSettings.model_fields})

    def settings(self) -> dict[str, LandscapeSettings]:
        """The base settings and every alternative, each validated."""
        out = {BASE: self.base}
        for name, changes in self.alternatives.items():
            out[name] = LandscapeSettings(**{**self.base.model_dump(), **changes})
        return out

    def method(self) -> str:
        return METHOD.format(**{**self.model_dump(), "alternatives": len(self.alternatives)})


@cache
def load_landscape_config(path: Path = CONFIG_FILE) -> LandscapeConfig:
    """config/landscape.yaml, validated (a clear error naming the file and the setting)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return LandscapeConfig(**data)
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from None


@cache
def load_ics_topics(path: Path = ICS_FILE) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = data.get("topics")
    if not isinstance(topics, dict):
        raise ValueError(f"{path.name}: `topics` must map ICS codes to words")
    return {str(k): str(v) for k, v in topics.items()}


def ics_topic(code: str, topics: dict[str, str]) -> str | None:
    """The words of an ICS code, or of its nearest listed parent (35.240.80 -> 35.240)."""
    parts = code.strip().split(".")
    while parts:
        words = topics.get(".".join(parts))
        if words:
            return words
        parts.pop()
    return None


# ---- inputs from the warehouse -------------------------------------------------------------------------


@dataclass
class LandscapeInputs:
    """Everything the landscape is computed from; no database connection, so a worker process can compute it."""

    as_of_year: int | None
    sgs: list[str]
    sg_window: tuple[int, int] | None
    sg_units: pd.DataFrame  # sg, text, kind (title | abstract)
    committee_units: pd.DataFrame  # sdo, committee, document, year, title, ics (list)
    committee_years: pd.DataFrame  # sdo, committee, year, publications
    sg_output: pd.DataFrame  # sg, year, texts
    body_complete_years: dict[str, set[int]] = field(default_factory=dict)
    sg_complete_years: set[int] = field(default_factory=set)

    @property
    def present(self) -> bool:
        return self.as_of_year is not None and len(self.committee_units) > 0


def has_table(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def complete_years(first: dt.date, last: dt.date) -> set[int]:
    """Years that [first, last] covers but for at most 31 days (the warehouse's rule for a partial year)."""
    years = set()
    for year in range(first.year, last.year + 1):
        start, end = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
        missed = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1 - ((end - start).days + 1)
        if missed <= 31:
            years.add(year)
    return years


def partial_years(conn: duckdb.DuckDBPyConnection, domain: str) -> set[int]:
    """Years marts.year_coverage flags partial for a domain (none where that mart does not exist yet)."""
    if not has_table(conn, "marts", "year_coverage"):
        return set()
    rows = conn.execute(
        "select year from marts.year_coverage where domain = ? and partial", [domain]
    ).fetchall()
    return {int(r[0]) for r in rows}


def latest_year(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The year the landscape is as of: the latest year with a meeting (as the overlap)."""
    return conn.execute("select max(year) from core.dim_meeting").fetchall()[0][0]


def sg_units(
    conn: duckdb.DuckDBPyConnection, as_of_year: int, exclude=DEFAULT_EXCLUDE
) -> tuple[list[str], tuple[int, int], pd.DataFrame]:
    """The SGs of `as_of_year`, the text window and their texts (sg, text, kind: title | abstract)."""
    first, last = default_window(conn, as_of_year)
    sg = assignment_expression(lineage_assignment(conn, as_of_year))
    sgs = sorted(set(existing_sgs(conn, as_of_year)) - set(exclude))
    units = conn.execute(f"""
        select distinct {sg} as sg, title as text, 'title' as kind
        from core.dim_question q
        join (select distinct study_period, period_first_year, period_last_year from core.dim_study_group) p
            using (study_period)
        where p.period_first_year <= {last} and p.period_last_year >= {first}
        union select {sg}, title, 'title' from core.fct_work_item where year(started_on) between {first} and {last}
        union select {sg}, title, 'title' from core.fct_recommendation_edition where year between {first} and {last}
        union select {sg}, abstract, 'abstract' from core.fct_recommendation_edition
            where year between {first} and {last}
    """).df()
    units = units[units["sg"].isin(sgs) & units["text"].fillna("").str.strip().ne("")]
    return sgs, (first, last), units.reset_index(drop=True)


def landscape_inputs(
    conn: duckdb.DuckDBPyConnection,
    config: LandscapeConfig,
    as_of_year: int | None = None,
    exclude=DEFAULT_EXCLUDE,
    exclude_years=(),
) -> LandscapeInputs:
    """Read what the landscape needs; `exclude_years`: SG years never used in a trend (e.g. partial years)."""
    as_of_year = as_of_year if as_of_year is not None else latest_year(conn)
    empty = LandscapeInputs(
        as_of_year,
        [],
        None,
        pd.DataFrame(columns=["sg", "text", "kind"]),
        pd.DataFrame(columns=["sdo", "committee", "document", "year", "title", "ics"]),
        pd.DataFrame(columns=["sdo", "committee", "year", "publications"]),
        pd.DataFrame(columns=["sg", "year", "texts"]),
    )
    if as_of_year is None:
        return empty
    sgs, window, texts = sg_units(conn, as_of_year, exclude)
    sg = assignment_expression(lineage_assignment(conn, as_of_year))
    longest = max(s.committee_years for s in config.settings().values())
    committee_units = conn.execute(
        """
        select sdo, committee, document, max(year(published_on)) as year,
            arg_max(title, published_on) as title, arg_max(ics, published_on) as ics
        from staging.peer_publications
        where year(published_on) between ? and ?
        group by sdo, committee, document
        """,
        [as_of_year - longest + 1, as_of_year],
    ).df()
    committee_years = conn.execute(
        "select sdo, committee, year, publications from marts.peer_committee_year where year <= ?",
        [as_of_year],
    ).df()
    sg_output = conn.execute(f"""
        select {sg} as sg, year, count(*) as texts from core.fct_recommendation_edition group by all
    """).df()
    coverage = conn.execute("select sdo, first_date, last_date from marts.peer_coverage").fetchall()
    bodies = {sdo: complete_years(first_date, last_date) for sdo, first_date, last_date in coverage}
    # The SG side: the years with activity in the data, less partial years and the ones excluded.
    years = [r[0] for r in conn.execute("select distinct year from marts.sg_year_kpis").fetchall()]
    sg_years = set(range(min(years), max(years) + 1)) if years else set()
    sg_years -= partial_years(conn, "recommendations") | set(exclude_years)
    return LandscapeInputs(
        as_of_year,
        sgs,
        window,
        texts,
        committee_units,
        committee_years,
        sg_output,
        bodies,
        sg_years,
    )


# ---- similarity ----------------------------------------------------------------------------------------


def _codes(value) -> list[str]:
    """ICS codes of a document: a list from the warehouse (NULL when a record has none)."""
    return [str(c) for c in value] if isinstance(value, list | tuple | np.ndarray) else []


class Corpus:
    """Every text of the inputs tokenised once (words and word pairs); each setting then only re-weights."""

    def __init__(self, inputs: LandscapeInputs, topics: dict[str, str]):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

        self.inputs = inputs
        units = inputs.committee_units
        ics_words = [
            sorted({w for w in (ics_topic(c, topics) for c in _codes(codes)) if w}) for codes in units["ics"]
        ]
        texts = pd.Index(
            pd.unique(
                pd.Series(
                    [*inputs.sg_units["text"], *units["title"], *(w for words in ics_words for w in words)],
                    dtype="object",
                )
            )
        )
        self.vectorizer = CountVectorizer(
            stop_words=sorted(ENGLISH_STOP_WORDS | set(BOILERPLATE)),
            token_pattern=TOKEN_PATTERN,
            ngram_range=(1, 2),
        )
        self.counts = self.vectorizer.fit_transform(list(texts)).tocsr()
        self.unigram = np.array([" " not in f for f in self.vectorizer.get_feature_names_out()])
        self.sg_rows = texts.get_indexer(inputs.sg_units["text"])
        self.title_rows = texts.get_indexer(units["title"])
        # Every (unit, ICS topic text) pair, flattened: a setting selects them with one mask.
        self.ics_unit = np.repeat(np.arange(len(units)), [len(words) for words in ics_words]).astype(int)
        self.ics_row = texts.get_indexer([w for words in ics_words for w in words]).astype(int)
        self.unit_keys = pd.MultiIndex.from_arrays([units["sdo"], units["committee"]])

    def similarities(self, settings: LandscapeSettings) -> pd.DataFrame:
        """sg, sdo, committee, documents, similarity (cosine), specificity (hub-corrected) for one setting."""
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfTransformer

        inputs, units = self.inputs, self.inputs.committee_units
        sgs = [sg for sg in inputs.sgs if sg in set(inputs.sg_units["sg"])]
        in_window = (units["year"] > inputs.as_of_year - settings.committee_years).to_numpy()
        docs = units[in_window].groupby(["sdo", "committee"]).size()
        committees = docs[docs >= settings.min_documents].index
        if not sgs or len(committees) == 0:
            return pd.DataFrame(columns=["sg", "sdo", "committee", "documents", "similarity", "specificity"])
        sg_pos = {sg: i for i, sg in enumerate(sgs)}
        keep_sg = (
            inputs.sg_units["sg"].isin(sgs) & (settings.sg_abstracts | inputs.sg_units["kind"].eq("title"))
        ).to_numpy()
        offset = len(sgs)
        target = committees.get_indexer(self.unit_keys)  # -1: a committee left out
        chosen = in_window & (target >= 0)
        rows = [
            np.array([sg_pos[sg] for sg in inputs.sg_units.loc[keep_sg, "sg"]], dtype=int),
            offset + target[chosen],
        ]
        cols = [self.sg_rows[keep_sg], self.title_rows[chosen]]
        if settings.ics_topics and len(self.ics_unit):
            ics = chosen[self.ics_unit]
            rows.append(offset + target[self.ics_unit[ics]])
            cols.append(self.ics_row[ics])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        membership = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(offset + len(committees), self.counts.shape[0])
        )
        counts = (membership @ self.counts).tocsc()
        if settings.ngram_max == 1:
            counts = counts[:, self.unigram]
        present = (counts > 0).sum(axis=0).A1
        kept = (present >= MIN_DF) & (present <= MAX_DF * counts.shape[0])
        weights = TfidfTransformer(sublinear_tf=True).fit_transform(counts[:, kept].tocsr())
        similarity = np.clip((weights[:offset] @ weights[offset:].T).toarray(), 0, 1)
        specificity = similarity
        if settings.hub_correction and len(sgs) >= MIN_SGS_FOR_HUB_CORRECTION:
            specificity = similarity - similarity.mean(axis=0, keepdims=True)
        sdo, committee = zip(*committees, strict=True)
        return pd.DataFrame(
            {
                "sg": np.repeat(sgs, len(committees)),
                "sdo": np.tile(sdo, len(sgs)),
                "committee": np.tile(committee, len(sgs)),
                "documents": np.tile(docs[committees].to_numpy(), len(sgs)),
                "similarity": similarity.ravel(),
                "specificity": specificity.ravel(),
            }
        )


def rank_committees(similarities: pd.DataFrame, settings: LandscapeSettings) -> pd.DataFrame:
    """The top_n related committees of each SG (similarity >= threshold), ranked by specificity."""
    related = similarities[similarities["similarity"] >= settings.threshold]
    related = related.sort_values(
        ["sg", "specificity", "similarity", "sdo", "committee"], ascending=[True, False, False, True, True]
    )
    ranked = related.groupby("sg", sort=False).head(settings.top_n).copy()
    ranked["rank"] = ranked.groupby("sg").cumcount() + 1
    return ranked.reset_index(drop=True)


# ---- trends --------------------------------------------------------------------------------------------


def trend_window(years: set[int], as_of_year: int, length: int) -> list[int]:
    """The last `length` years up to `as_of_year` among `years` (fewer if there are not that many)."""
    return sorted(y for y in years if y <= as_of_year)[-length:]


def output_trend(counts: dict[int, int], years: list[int], minimum: int) -> float | None:
    """Relative Theil-Sen trend of yearly counts (a year without a count is 0); None below `minimum` in all."""
    values = [counts.get(y, 0) for y in years]
    if len(years) < MIN_TREND_POINTS or sum(values) < minimum:
        return None
    return relative_trend(years, values)


def add_trends(ranked: pd.DataFrame, inputs: LandscapeInputs, config: LandscapeConfig) -> pd.DataFrame:
    """committee_trend and sg_trend over each SG's trend window (complete for the SG and its committees' bodies)."""
    out = ranked.copy()
    by_committee = {
        key: dict(zip(group["year"], group["publications"], strict=True))
        for key, group in inputs.committee_years.groupby(["sdo", "committee"])
    }
    by_sg = {
        sg: dict(zip(group["year"], group["texts"], strict=True))
        for sg, group in inputs.sg_output.groupby("sg")
    }
    columns = {c: [] for c in ("committee_trend", "sg_trend", "publications", "sg_texts", "first", "last")}
    windows: dict[str, list[int]] = {}
    for sg, group in out.groupby("sg", sort=False):
        years = set(inputs.sg_complete_years)
        for sdo in set(group["sdo"]):
            years &= inputs.body_complete_years.get(sdo, set())
        windows[sg] = trend_window(years, inputs.as_of_year, config.trend_years)
    for row in out.itertuples():
        years = windows[row.sg]
        counts = by_committee.get((row.sdo, row.committee), {})
        own = by_sg.get(row.sg, {})
        columns["committee_trend"].append(output_trend(counts, years, config.min_trend_publications))
        columns["sg_trend"].append(output_trend(own, years, config.min_trend_publications))
        columns["publications"].append(sum(counts.get(y, 0) for y in years))
        columns["sg_texts"].append(sum(own.get(y, 0) for y in years))
        columns["first"].append(years[0] if years else None)
        columns["last"].append(years[-1] if years else None)
    for name in ("committee_trend", "sg_trend", "publications", "sg_texts"):
        out[name] = columns[name]
    out["trend_first_year"] = pd.array(columns["first"], dtype="Int64")
    out["trend_last_year"] = pd.array(columns["last"], dtype="Int64")
    return out


def landscape_series(landscape: pd.DataFrame, inputs: LandscapeInputs, top: int = 3) -> pd.DataFrame:
    """Per SG, its output and its top committees' publications per year of its trend window, indexed to 100 at
    the window's first year (NULL when that year's count is 0: there is nothing to index on)."""
    by_committee = {
        key: dict(zip(group["year"], group["publications"], strict=True))
        for key, group in inputs.committee_years.groupby(["sdo", "committee"])
    }
    by_sg = {
        sg: dict(zip(group["year"], group["texts"], strict=True))
        for sg, group in inputs.sg_output.groupby("sg")
    }
    rows = []
    for sg, group in landscape[landscape["rank"] <= top].groupby("sg", sort=False):
        first, last = group["trend_first_year"].iloc[0], group["trend_last_year"].iloc[0]
        if pd.isna(first):
            continue
        years = list(range(int(first), int(last) + 1))
        lines = [(sg, SG_SERIES, None, None, by_sg.get(sg, {}))]
        lines += [
            (r.committee, COMMITTEE_SERIES, r.sdo, r.rank, by_committee.get((r.sdo, r.committee), {}))
            for r in group.itertuples()
        ]
        for label, kind, sdo, rank, counts in lines:
            base = counts.get(years[0], 0)
            for year in years:
                value = counts.get(year, 0)
                rows.append(
                    {
                        "sg": sg,
                        "series": label,
                        "kind": kind,
                        "sdo": sdo,
                        "rank": rank,
                        "year": year,
                        "publications": value,
                        "output_index": 100.0 * value / base if base else np.nan,
                    }
                )
    out = pd.DataFrame(rows, columns=[c for c in SERIES_COLUMNS if c != "as_of_year"])
    out.insert(1, "as_of_year", inputs.as_of_year)
    return out


# ---- the marts -----------------------------------------------------------------------------------------


@dataclass
class LandscapeTables:
    landscape: pd.DataFrame  # marts.sg_landscape
    sensitivity: pd.DataFrame  # marts.sg_landscape_sensitivity
    series: pd.DataFrame  # marts.sg_landscape_series


def landscape_tables(
    inputs: LandscapeInputs, config: LandscapeConfig, topics: dict[str, str] | None = None
) -> LandscapeTables:
    """The landscape marts' rows (empty and typed when there is no landscape)."""
    if not inputs.present or not inputs.sgs:
        return LandscapeTables(
            _typed(pd.DataFrame(), LANDSCAPE_COLUMNS),
            _typed(pd.DataFrame(), SENSITIVITY_COLUMNS),
            _typed(pd.DataFrame(), SERIES_COLUMNS),
        )
    corpus = Corpus(inputs, topics if topics is not None else load_ics_topics())
    tops: dict[str, pd.DataFrame] = {}
    base = None
    # Settings that differ only in the ranking (hub correction, threshold) share one similarity computation.
    computed: dict[tuple, pd.DataFrame] = {}
    for name, settings in config.settings().items():
        key = tuple(settings.model_dump(exclude={"hub_correction", "threshold", "top_n"}).values())
        if key not in computed:
            computed[key] = corpus.similarities(settings.model_copy(update={"hub_correction": True}))
        sims = computed[key]
        if not settings.hub_correction:
            sims = sims.assign(specificity=sims["similarity"])
        ranked = rank_committees(sims, settings)
        if name == BASE:
            base = ranked
        tops[name] = ranked[ranked["rank"] <= 3]
    sensitivity = pd.concat([t.assign(setting=name) for name, t in tops.items()], ignore_index=True).assign(
        as_of_year=inputs.as_of_year
    )
    alternatives = [n for n in tops if n != BASE]
    kept = {
        name: set(zip(t["sg"], t["sdo"], t["committee"], strict=True))
        for name, t in tops.items()
        if name != BASE
    }
    landscape = add_trends(base, inputs, config)
    landscape["stability"] = [
        sum((r.sg, r.sdo, r.committee) in kept[n] for n in alternatives) / len(alternatives)
        if r.rank <= 3 and alternatives
        else np.nan
        for r in landscape.itertuples()
    ]
    first = inputs.as_of_year - config.committee_years + 1
    units = inputs.committee_units[inputs.committee_units["year"] >= first]
    latest = units.sort_values(["year", "document"]).groupby(["sdo", "committee"]).tail(1)
    examples = {(r.sdo, r.committee): r.title for r in latest.itertuples()}
    landscape["example_title"] = [examples.get((r.sdo, r.committee), "") for r in landscape.itertuples()]
    landscape["as_of_year"] = inputs.as_of_year
    landscape["window_first_year"], landscape["window_last_year"] = inputs.sg_window
    landscape["committee_first_year"] = first
    landscape = _typed(landscape, LANDSCAPE_COLUMNS)
    return LandscapeTables(
        landscape,
        _typed(sensitivity, SENSITIVITY_COLUMNS),
        _typed(landscape_series(landscape, inputs), SERIES_COLUMNS),
    )


def _typed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The frame's columns in order and typed, so that an empty mart still has DuckDB types."""
    out = pd.DataFrame(
        {name: frame[name] if name in frame else pd.Series(dtype=kind) for name, kind in columns.items()}
    )
    return out.astype(columns)


def build_sg_landscape(
    conn: duckdb.DuckDBPyConnection,
    as_of_year: int | None = None,
    exclude=DEFAULT_EXCLUDE,
    exclude_years=(),
    config: LandscapeConfig | None = None,
    pool: Executor | None = None,
) -> int:
    """Write marts.sg_landscape, sg_landscape_sensitivity and sg_landscape_series; returns the landscape's
    rows (0: absent). `pool` (the run's analysis worker, scikit-learn already imported) computes them."""
    config = config or load_landscape_config()
    inputs = landscape_inputs(conn, config, as_of_year, exclude, exclude_years)
    if pool is None or not inputs.present:
        tables = landscape_tables(inputs, config)
    else:
        tables = pool.submit(landscape_tables, inputs, config, load_ics_topics()).result()
    conn.execute("create schema if not exists marts")
    for table, frame, order in (
        ("sg_landscape", tables.landscape, "sg, rank"),
        ("sg_landscape_sensitivity", tables.sensitivity, "sg, setting, rank"),
        ("sg_landscape_series", tables.series, "sg, kind desc, rank, year"),
    ):
        conn.register("_frame", frame)
        try:
            conn.execute(f"create or replace table marts.{table} as select * from _frame order by {order}")
        finally:
            conn.unregister("_frame")
    return len(tables.landscape)


# ---- checks --------------------------------------------------------------------------------------------


@dataclass
class LandscapeProblems:
    state: str  # present | absent
    out_of_range: list[str]
    without_committee: list[str]
    sgs_with_texts: int


def landscape_problems(conn: duckdb.DuckDBPyConnection, exclude=DEFAULT_EXCLUDE) -> LandscapeProblems:
    """Similarities outside [0, 1], and SGs with texts in the window but no related committee."""
    peers = conn.execute("select count(*) from staging.peer_publications").fetchall()[0][0]
    if not peers:
        return LandscapeProblems("absent", [], [], 0)
    out_of_range = [
        f"{sg} / {committee}: {value}"
        for sg, committee, value in conn.execute(
            "select sg, committee, similarity from marts.sg_landscape "
            "where similarity is null or similarity < 0 or similarity > 1 or isnan(similarity) order by sg, rank"
        ).fetchall()
    ]
    as_of_year = latest_year(conn)
    with_texts = set(sg_units(conn, as_of_year, exclude)[2]["sg"]) if as_of_year is not None else set()
    related = {r[0] for r in conn.execute("select distinct sg from marts.sg_landscape").fetchall()}
    return LandscapeProblems("present", out_of_range, sorted(with_texts - related), len(with_texts))


# ---- indicators for the risk register and the relevance index ------------------------------------------


def landscape_indicators(landscape: pd.DataFrame, top: int = 3, stable: float | None = None) -> pd.DataFrame:
    """Per SG: field_trend (median trend of its top committees with a trend; NULL with fewer than two), sg_trend,
    pace and divergence.

    pace = sg_trend - field_trend (+ = the SG grows faster than its field). divergence = sg_trend - field_trend
    when the field grows (field_trend >= stable) while the SG shrinks (sg_trend <= -stable), else 0 (-0.11 =
    the SG loses 2 % a year while its field gains 9 %); `stable` is the evidence rules' stable change (5 %).
    NULL where either trend is.
    """
    if stable is None:
        from pipelines.analytics.targets import load_framework

        stable = load_framework().evidence.stable_change
    rows = []
    for sg, group in landscape[landscape["rank"] <= top].groupby("sg"):
        trends = group["committee_trend"].dropna()
        sg_trend = group["sg_trend"].dropna()
        field_trend = float(trends.median()) if len(trends) >= MIN_FIELD_COMMITTEES else None
        own = float(sg_trend.iloc[0]) if len(sg_trend) else None
        both = field_trend is not None and own is not None
        diverging = both and field_trend >= stable and own <= -stable
        rows.append(
            {
                "sg": sg,
                "as_of_year": int(group["as_of_year"].iloc[0]),
                "field_trend": field_trend,
                "sg_trend": own,
                "pace": own - field_trend if both else None,
                "divergence": (own - field_trend if diverging else 0.0) if both else None,
                "committees": len(trends),
                "trend_first_year": group["trend_first_year"].iloc[0],
                "trend_last_year": group["trend_last_year"].iloc[0],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "sg",
            "as_of_year",
            "field_trend",
            "sg_trend",
            "pace",
            "divergence",
            "committees",
            "trend_first_year",
            "trend_last_year",
        ],
    )


def read_landscape(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """marts.sg_landscape, or None when the warehouse has no such table or it is empty (no landscape)."""
    if not has_table(conn, "marts", "sg_landscape"):
        return None
    frame = conn.execute("select * from marts.sg_landscape order by sg, rank").df()
    return frame if len(frame) else None


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
