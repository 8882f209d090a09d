"""marts.sg_overlap and marts.sg_overlap_map: how much study groups overlap in topics and in contributors."""

from __future__ import annotations

import re
from concurrent.futures import Executor
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines.analytics.scope_kpis import (
    assessed_years,
    assignment_expression,
    existing_sgs,
    lineage_assignment,
    study_period_years,
)

METHOD = (
    "Two study groups overlap when they work on the same topics and draw on the same members. Topics: "
    "every distinct Question title, work-item title and Recommendation title and abstract of an SG in the "
    "window is pooled into one text per SG, weighted by TF-IDF (sublinear term frequency, English stop "
    "words, words and word pairs; words used by nearly every SG are dropped once there are five or more "
    "SGs) and compared by cosine similarity (0-1). Members: the Jaccard index of the sets of entities "
    "that signed a contribution (shared / either). combined is the mean of the two (one of them alone if "
    "the other cannot be computed, e.g. an SG with no text). To stay comparable across study periods the "
    "window is the latest study period plus the one before (2022-2025 on data to 2025) and SGs that no "
    "longer exist are counted as their successor (SG9 and SG16 as SG21), so no SG is compared with its "
    "own predecessor. TSAG is left out. The map places the SGs in two dimensions by metric MDS on the "
    "distance 1 - combined (classical-MDS start, seeded) and groups them by average-linkage clustering on "
    "the same distance, with the number of clusters that maximises the silhouette."
)

DEFAULT_EXCLUDE = ("TSAG",)
SEED = 20250301
# With fewer SGs than this, no word is dropped for being too common (a pair would share nothing).
MIN_SGS_FOR_MAX_DF = 5
MAX_DF = 0.8
SHARED_TERMS = 8  # terms named per pair: why two SGs' topics overlap
# Words that describe a document rather than its topic ("This Recommendation specifies ... and covers ..."):
# a shared term holding one says nothing about why two SGs overlap, so it is not named (it still counts).
DOCUMENT_WORDS = frozenset(
    "amendment amends corrects covers defines describes developed provides recommendation recommendations revises "
    "revision specifies study updates".split()
)


def default_window(conn: duckdb.DuckDBPyConnection, as_of_year: int) -> tuple[int, int]:
    """First year of the study period before the one governing `as_of_year`, to `as_of_year`."""
    periods = study_period_years(conn).reset_index(drop=True)
    current = periods[(periods["governs_from"] <= as_of_year) & (periods["governs_to"] >= as_of_year)]
    if current.empty:
        return as_of_year, as_of_year
    i = current.index[0]
    first = periods.loc[i - 1, "period_first_year"] if i > 0 else periods.loc[i, "period_first_year"]
    return int(min(first, as_of_year)), as_of_year


def sg_texts(
    conn: duckdb.DuckDBPyConnection, first: int, last: int, assign: dict[str, str]
) -> dict[str, list[str]]:
    """Distinct topic texts of each (re-assigned) SG in the window: Questions, work items, Recommendations."""
    sg = assignment_expression(assign)
    rows = conn.execute(f"""
        select {sg} as sg, title as text
        from core.dim_question q
        join (select distinct study_period, period_first_year, period_last_year from core.dim_study_group) p
            using (study_period)
        where p.period_first_year <= {last} and p.period_last_year >= {first}
        union
        select {sg}, title from core.fct_work_item where year(started_on) between {first} and {last}
        union
        select {sg}, title from core.fct_recommendation_edition where year between {first} and {last}
        union
        select {sg}, abstract from core.fct_recommendation_edition where year between {first} and {last}
    """).fetchall()
    texts: dict[str, list[str]] = {}
    for group, text in rows:
        if text and str(text).strip():
            texts.setdefault(group, []).append(str(text).strip())
    return {k: sorted(v) for k, v in texts.items()}


def sg_entities(
    conn: duckdb.DuckDBPyConnection, first: int, last: int, assign: dict[str, str]
) -> dict[str, set[str]]:
    """The entities that signed a contribution (doc_type C) of each (re-assigned) SG in the window."""
    rows = conn.execute(f"""
        select distinct {assignment_expression(assign)} as sg, entity_id
        from core.fct_contribution_source
        where doc_type = 'C' and year between {first} and {last}
    """).fetchall()
    entities: dict[str, set[str]] = {}
    for group, entity in rows:
        entities.setdefault(group, set()).add(entity)
    return entities


@dataclass
class Topics:
    """The SGs' pooled texts weighted by TF-IDF: one L2-normalised row per SG with text (`sgs`)."""

    sgs: list[str]
    matrix: object  # scipy sparse, len(sgs) x len(terms)
    terms: np.ndarray

    def similarity(self, every: list[str]) -> pd.DataFrame:
        """Cosine similarity (SGs x SGs, `every` in order); NaN for an SG without text."""
        from sklearn.metrics.pairwise import cosine_similarity

        out = pd.DataFrame(np.nan, index=every, columns=every)
        if len(self.sgs) >= 2:
            out.loc[self.sgs, self.sgs] = np.clip(cosine_similarity(self.matrix), 0, 1)
        return out

    def shared_terms(self, a: str, b: str, top: int = SHARED_TERMS) -> list[tuple[str, float]]:
        """The terms that make most of the similarity of a and b, with their share of it: the products of the
        two SGs' weights of a term add up to their cosine similarity. A word pair ranks with the words it is made
        of ('network slicing' before 'network'), a term sharing a word with one already chosen is passed over, so
        the list names different topics; so is a term of DOCUMENT_WORDS."""
        if a not in self.sgs or b not in self.sgs:
            return []
        row_a = self.matrix[self.sgs.index(a)].toarray().ravel()
        row_b = self.matrix[self.sgs.index(b)].toarray().ravel()
        product = row_a * row_b
        total = float(product.sum())
        found = {str(self.terms[i]): float(product[i]) for i in np.flatnonzero(product > 0)}
        rank = {
            term: value + (sum(found.get(w, 0.0) for w in term.split()) if " " in term else 0.0)
            for term, value in found.items()
        }
        chosen: list[tuple[str, float]] = []
        words: set[str] = set()
        for term in sorted(rank, key=lambda t: (-rank[t], t)):
            if len(chosen) == top:
                break
            if words & set(term.split()) or DOCUMENT_WORDS & set(term.split()):
                continue
            chosen.append((term, found[term] / total))
            words |= set(term.split())
        return chosen


def topics(texts: dict[str, list[str] | str], sgs: list[str]) -> Topics:
    """TF-IDF of the SGs' pooled texts (the weighting behind text_similarity and the shared terms)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = []
    for sg in sgs:
        value = texts.get(sg, [])
        docs.append(value if isinstance(value, str) else "\n".join(value))
    has_text = [bool(re.search(r"[A-Za-z]{2}", d)) for d in docs]
    kept = [d for d, h in zip(docs, has_text, strict=True) if h]
    idx = [sg for sg, h in zip(sgs, has_text, strict=True) if h]
    empty = Topics([], None, np.array([]))
    if len(kept) < 2:
        return empty
    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9-]+\b",
        max_df=MAX_DF if len(kept) >= MIN_SGS_FOR_MAX_DF else 1.0,
    )
    try:
        matrix = vectorizer.fit_transform(kept)
    except ValueError:  # nothing left after stop words
        return empty
    return Topics(idx, matrix, vectorizer.get_feature_names_out())


def text_similarity(texts: dict[str, list[str] | str], sgs: list[str]) -> pd.DataFrame:
    """TF-IDF cosine similarity between the SGs' pooled texts (SGs x SGs); NaN for an SG without text."""
    return topics(texts, sgs).similarity(list(sgs))


def entity_jaccard(entities: dict[str, set[str]], sgs: list[str]) -> pd.DataFrame:
    """Jaccard index of the SGs' entity sets (SGs x SGs); NaN when both sets are empty."""
    out = pd.DataFrame(np.nan, index=sgs, columns=sgs)
    for a in sgs:
        for b in sgs:
            sa, sb = entities.get(a, set()), entities.get(b, set())
            union = len(sa | sb)
            out.loc[a, b] = len(sa & sb) / union if union else np.nan
    return out


def overlap_pairs(
    texts: dict, entities: dict[str, set[str]], sgs: list[str], text_weight: float = 0.5
) -> pd.DataFrame:
    """One row per unordered pair sg_a < sg_b: text_similarity, entity_overlap, combined, shared_entities and
    shared_terms (the SHARED_TERMS terms that make most of the pair's topic similarity, '; '-separated)."""
    sgs = sorted(set(sgs))
    weighted = topics(texts, sgs)
    text = weighted.similarity(sgs)
    ent = entity_jaccard(entities, sgs)
    rows = []
    for a, b in combinations(sgs, 2):
        t, e = text.loc[a, b], ent.loc[a, b]
        parts = [(v, w) for v, w in ((t, text_weight), (e, 1 - text_weight)) if not np.isnan(v) and w > 0]
        combined = sum(v * w for v, w in parts) / sum(w for _, w in parts) if parts else np.nan
        rows.append(
            {
                "sg_a": a,
                "sg_b": b,
                "text_similarity": t,
                "entity_overlap": e,
                "combined": combined,
                "shared_entities": len(entities.get(a, set()) & entities.get(b, set())),
                "shared_terms": "; ".join(term for term, _ in weighted.shared_terms(a, b)),
            }
        )
    # Typed even when there is no pair, so that the mart's columns are never DuckDB's NULL type.
    return pd.DataFrame(
        rows,
        columns=[
            "sg_a",
            "sg_b",
            "text_similarity",
            "entity_overlap",
            "combined",
            "shared_entities",
            "shared_terms",
        ],
    ).astype(
        {
            "sg_a": "str",
            "sg_b": "str",
            "text_similarity": "float64",
            "entity_overlap": "float64",
            "combined": "float64",
            "shared_entities": "int64",
            "shared_terms": "str",
        }
    )


def distance_matrix(pairs: pd.DataFrame, sgs: list[str]) -> np.ndarray:
    """1 - combined as a symmetric matrix (a pair without any measure is at the maximum distance 1)."""
    pos = {sg: i for i, sg in enumerate(sgs)}
    dist = np.ones((len(sgs), len(sgs)))
    np.fill_diagonal(dist, 0)
    for row in pairs.itertuples():
        d = 1.0 if np.isnan(row.combined) else 1.0 - row.combined
        dist[pos[row.sg_a], pos[row.sg_b]] = dist[pos[row.sg_b], pos[row.sg_a]] = d
    return dist


def overlap_map(pairs: pd.DataFrame, sgs: list[str], seed: int = SEED) -> pd.DataFrame:
    """sg, x, y (metric MDS on 1 - combined) and cluster (average linkage, k by best silhouette)."""
    sgs = sorted(set(sgs))
    n = len(sgs)
    if n == 0:
        return pd.DataFrame(columns=["sg", "x", "y", "cluster"])
    dist = distance_matrix(pairs, sgs)
    if n == 1:
        coords, labels = np.zeros((1, 2)), np.array([0])
    elif n == 2:
        coords = np.array([[-dist[0, 1] / 2, 0.0], [dist[0, 1] / 2, 0.0]])
        labels = np.array([0, 1]) if dist[0, 1] > 0.5 else np.array([0, 0])
    else:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.manifold import MDS
        from sklearn.metrics import silhouette_score

        coords = MDS(
            n_components=2, metric="precomputed", init="classical_mds", n_init=1, random_state=seed
        ).fit_transform(dist)
        best, labels = -2.0, np.zeros(n, dtype=int)
        for k in range(2, n):
            found = AgglomerativeClustering(
                n_clusters=k, metric="precomputed", linkage="average"
            ).fit_predict(dist)
            score = silhouette_score(dist, found, metric="precomputed")
            if score > best + 1e-12:
                best, labels = score, found
    # Clusters numbered 1, 2, ... in order of their first SG: the numbering does not depend on the algorithm.
    renumber: dict[int, int] = {}
    for label in labels:
        renumber.setdefault(int(label), len(renumber) + 1)
    return pd.DataFrame(
        {
            "sg": sgs,
            "x": coords[:, 0],
            "y": coords[:, 1],
            "cluster": [renumber[int(label)] for label in labels],
        }
    )


@dataclass
class OverlapInputs:
    """What the overlap of a window is computed from: the SGs compared, their texts and their entities."""

    sgs: list[str]
    texts: dict[str, list[str]]
    entities: dict[str, set[str]]
    window: tuple[int | None, int | None]


def overlap_inputs(
    conn: duckdb.DuckDBPyConnection,
    as_of_year: int,
    window: tuple[int, int] | None = None,
    assign: dict[str, str] | None = None,
    exclude=DEFAULT_EXCLUDE,
) -> OverlapInputs:
    """The SGs existing in `as_of_year` (predecessors counted as successors), their texts and entities."""
    first, last = window or default_window(conn, as_of_year)
    lineage = lineage_assignment(conn, as_of_year)
    extra = assign or {}
    mapping = {sg: extra.get(target, target) for sg, target in lineage.items()}
    mapping.update({sg: target for sg, target in extra.items() if sg not in mapping})
    sgs = sorted({extra.get(sg, sg) for sg in existing_sgs(conn, as_of_year)} - set(exclude))
    return OverlapInputs(
        sgs, sg_texts(conn, first, last, mapping), sg_entities(conn, first, last, mapping), (first, last)
    )


def window_pairs(inputs: OverlapInputs) -> pd.DataFrame:
    """sg_overlap rows of the inputs, with their window."""
    pairs = overlap_pairs(inputs.texts, inputs.entities, inputs.sgs)
    pairs["window_first_year"], pairs["window_last_year"] = inputs.window
    return pairs


def overlap_as_of(
    conn: duckdb.DuckDBPyConnection, as_of_year: int, exclude=DEFAULT_EXCLUDE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """sg_overlap and sg_overlap_map rows as of a year (its window ends in that year): what the marts hold for
    the latest year, computed the same way for a brief of an earlier one."""
    return overlap_tables(overlap_inputs(conn, as_of_year, exclude=exclude))


def overlap_tables(inputs: OverlapInputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """sg_overlap and sg_overlap_map rows: no database, so that a worker process can compute them."""
    pairs = window_pairs(inputs)
    return pairs, overlap_map(pairs, inputs.sgs)


def build_sg_overlap(
    conn: duckdb.DuckDBPyConnection,
    as_of_year: int | None = None,
    exclude=DEFAULT_EXCLUDE,
    pool: Executor | None = None,
) -> int:
    """Write marts.sg_overlap and marts.sg_overlap_map for the latest (or given) year; returns the pairs.

    `pool` (the run's analysis worker, which imported scikit-learn while the ingest ran) computes them;
    without it they are computed here.
    """
    if as_of_year is None:
        years = assessed_years(conn)
        as_of_year = years[-1] if years else None
    if as_of_year is None:
        inputs = OverlapInputs([], {}, {}, (None, None))
    else:
        inputs = overlap_inputs(conn, as_of_year, exclude=exclude)
    pairs, mapped = overlap_tables(inputs) if pool is None else pool.submit(overlap_tables, inputs).result()
    conn.execute("create schema if not exists marts")
    for table, frame, order in (
        ("sg_overlap", pairs, "combined desc, sg_a, sg_b"),
        ("sg_overlap_map", mapped, "sg"),
    ):
        conn.register("_frame", frame)
        try:
            conn.execute(f"create or replace table marts.{table} as select * from _frame order by {order}")
        finally:
            conn.unregister("_frame")
    return len(pairs)


# --- Real Recommendation texts (relaton) -------------------------------------------------------------------

_SG_NAME = re.compile(r"Study Group\s+(\d+)", re.IGNORECASE)


RELATON_COLUMNS = {
    "title": "STRUCT(language VARCHAR, content VARCHAR)[]",
    "abstract": "STRUCT(language VARCHAR, content VARCHAR)[]",
    "contributor": "STRUCT(organization STRUCT(subdivision STRUCT(name STRUCT(content VARCHAR)[])[]))[]",
}


def relaton_texts(path: Path) -> dict[str, list[str]]:
    """Distinct English titles and abstracts per current study group from a relaton ITU-T JSON-lines file."""
    # DuckDB parses the 150 MB of JSON about ten times faster than json.loads, reading only these fields.
    with duckdb.connect() as conn:
        rows = conn.execute(
            "select title, abstract, contributor from read_json(?, format = 'newline_delimited', "
            "maximum_object_size = 100000000, columns = " + _struct_literal(RELATON_COLUMNS) + ")",
            [str(path)],
        ).fetchall()
    texts: dict[str, set[str]] = {}
    for titles, abstracts, contributors in rows:
        sgs = set()
        for contributor in contributors or []:
            for sub in ((contributor or {}).get("organization") or {}).get("subdivision") or []:
                for name in (sub or {}).get("name") or []:
                    match = _SG_NAME.search((name or {}).get("content") or "")
                    if match:
                        sgs.add(f"SG{int(match.group(1))}")
        if not sgs:
            continue  # TSAG and records without a responsible group
        parts = [
            t["content"]
            for t in [*(titles or []), *(abstracts or [])]
            if t and t.get("content") and (t.get("language") or "en") == "en"
        ]
        for sg in sgs:
            texts.setdefault(sg, set()).update(p.strip() for p in parts if p.strip())
    return {sg: sorted(v) for sg, v in texts.items()}


def _struct_literal(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"{name}: '{kind}'" for name, kind in columns.items()) + "}"


def relaton_text_overlap(path: Path) -> pd.DataFrame:
    """Text similarity of the current study groups from the real Recommendation titles and abstracts."""
    texts = relaton_texts(path)
    pairs = overlap_pairs(texts, {}, sorted(texts), text_weight=1.0)
    return pairs.sort_values("text_similarity", ascending=False, ignore_index=True)
