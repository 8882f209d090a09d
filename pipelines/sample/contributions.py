"""Contributions, TDs and liaison statements with their sources, Questions and titles; the
`contributions` table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sample.attendance import Attendance
from pipelines.sample.draws import cap_shares, systematic_draw, within_existence
from pipelines.sample.organisations import Orgs, active_orgs, sg_column, variant_pick
from pipelines.sample.profiles import (
    BASE_SGS,
    GIANT_SHARES,
    PERIOD_PREFIX,
    PROFILES,
    SG3_DECLINE,
    SG_ORDER,
    period_of,
)
from pipelines.sample.reference import Reference
from pipelines.sample.vocabulary import C_TEMPLATES, COUNTERPARTS, TOPICS, lower_first, question_fragment


def _contribution_weights(orgs: Orgs, sg: str, year: int, active: np.ndarray) -> np.ndarray:
    prof = PROFILES[sg]
    cat = orgs.category
    w = sg_column(orgs, orgs.w_con, sg) * active
    ms = np.where(cat == "Member State", w, 0.0) ** 1.3
    org = np.where(np.isin(cat, ["Sector Member", "Associate", "Academia"]), w, 0.0)
    unresolved = np.where(cat == "unresolved", sg_column(orgs, orgs.reg.astype(float), sg), 0.0)
    if sg == "SG20":  # SG20 and SG13 share their contributors (story 3)
        org = org * np.where(orgs.reg[:, BASE_SGS.index("SG13")], 2.5, 1.0)
    if sg == "SG15":
        giant = np.zeros(orgs.n, bool)
        giant[orgs.giants] = True
        org = np.where(giant, 0.0, org)
        rest = 1 - sum(GIANT_SHARES) - 0.003
        p = ms / ms.sum() * prof.ms_con_share * rest / (1 - sum(GIANT_SHARES)) + org / org.sum() * (
            rest - prof.ms_con_share * rest / (1 - sum(GIANT_SHARES))
        )
        p = cap_shares(p, 0.1) * rest
        p[orgs.giants] = GIANT_SHARES
    else:
        p = ms / ms.sum() * prof.ms_con_share + org / org.sum() * (0.997 - prof.ms_con_share)
        p = cap_shares(p, 0.085) * 0.997
    if unresolved.sum() > 0:
        p = p + unresolved / unresolved.sum() * 0.003
    return p / p.sum()


def contributions_frame(
    rng: np.random.Generator,
    scale: int,
    ref: Reference,
    orgs: Orgs,
    meetings: pd.DataFrame,
    att: Attendance,
    work_item_names: dict[str, list[str]],
) -> pd.DataFrame:
    cat = orgs.category
    ms_row = np.full(len(ref.iso3), -1, np.int64)  # Member State row per country
    ms_idx = np.flatnonzero(cat == "Member State")
    ms_row[orgs.country[ms_idx]] = ms_idx
    columns = (
        "sg",
        "study_period",
        "doc_type",
        "meeting_id",
        "questions",
        "sources",
        "title",
        "counterpart",
        "outcome",
    )
    parts: dict[str, list] = {c: [] for c in columns}
    dates: list[np.ndarray] = []
    outcomes = np.array(["agreed", "partly agreed", "noted", "withdrawn"], dtype=object)

    def add(n: int, day: np.ndarray, **values) -> None:
        dates.append(np.asarray(day, dtype="datetime64[D]"))
        for c in columns:
            v = values[c]
            if c == "title":  # Arrow strings (no Python object per row)
                parts[c].append(v)
            else:
                parts[c].append(
                    np.full(n, v, dtype=object) if isinstance(v, str) else np.asarray(v, dtype=object)
                )

    plen = meetings[meetings["kind"].isin(["SG", "TSAG"])]
    people = att.people
    for sg in SG_ORDER:
        prof = PROFILES[sg]
        counterparts = np.array(COUNTERPARTS.get(sg, COUNTERPARTS["default"]), dtype=object)
        prev_end = None
        for m in plen[plen["sg"] == sg].itertuples():
            year = int(m.year)
            period = period_of(year)
            qs = ref.questions_by.get((sg, period), [])
            p = _contribution_weights(orgs, sg, year, active_orgs(orgs, year))
            if sg == "SG3":
                n_c = int(round(prof.contributions * SG3_DECLINE ** (year - 2016))) * scale
            else:
                factor = 0.9 if year in (2020, 2021) else 1.0
                n_c = int(
                    round(
                        prof.contributions
                        * prof.trend ** (year - 2016)
                        * factor
                        * rng.uniform(0.88, 1.12)
                        * scale
                    )
                )
            start = np.datetime64(m.start_date, "D")
            end = np.datetime64(m.end_date, "D")
            common = dict(sg=sg, study_period=period, meeting_id=m.meeting_id)
            # --- C: primary sources by systematic sampling, ~25 % co-signed (often with a Member State).
            primary = systematic_draw(rng, p, n_c)
            co_pool = p.copy()
            co_pool[orgs.giants] = 0.0
            co_pool /= co_pool.sum()
            n_extra = np.where(
                rng.random(n_c) < 0.25, rng.choice([1, 2, 3, 4], n_c, p=[0.5, 0.3, 0.15, 0.05]), 0
            )
            n_extra[np.isin(primary, orgs.giants)] = 0
            extra_draw = rng.choice(orgs.n, size=int(n_extra.sum()), p=co_pool)
            ms_first = rng.random(n_c) < 0.4
            printed = orgs.var_text[variant_pick(rng, orgs, primary, p_alias=0.08, p_other=0.14)].copy()
            signed = np.flatnonzero(n_extra)
            offsets = np.concatenate([[0], np.cumsum(n_extra[signed])])
            extra_variants = orgs.var_text[variant_pick(rng, orgs, extra_draw, p_alias=0.08, p_other=0.14)]
            for j, i in enumerate(signed.tolist()):
                src = [int(primary[i])]
                names = [printed[i]]
                if ms_first[i] and cat[src[0]] != "Member State":
                    ms = int(ms_row[orgs.country[src[0]]])
                    if ms >= 0 and p[ms] > 0:
                        src.append(ms)
                        names.append(orgs.name[ms])
                for d, text in zip(
                    extra_draw[offsets[j] : offsets[j + 1]].tolist(),
                    extra_variants[offsets[j] : offsets[j + 1]],
                    strict=True,
                ):
                    if d not in src and len(src) <= n_extra[i]:
                        src.append(d)
                        names.append(text)
                printed[i] = "; ".join(names)
            c_q, c_first = _questions_for(rng, qs, n_c, two=0.25)
            add(
                n_c,
                start - rng.integers(1, 46, n_c).astype("timedelta64[D]"),
                doc_type="C",
                questions=c_q,
                sources=printed,
                title=_titles(rng, "C", sg, n_c, qs, c_q, c_first, work_item_names),
                counterpart="",
                outcome=outcomes[rng.choice(4, n_c, p=[0.42, 0.2, 0.33, 0.05])],
                **common,
            )
            # --- TD: sources are the organisations of the SG's officials (rapporteurs, editors, chairs).
            n_td = int(round(n_c * prof.td_ratio))
            h_ids, h_codes = att.holders[(sg, year)]
            hw = np.where(np.isin(h_codes, [3, 5]), 3.0, 1.0)
            authors = h_ids[rng.choice(len(h_ids), size=n_td, p=hw / hw.sum())]
            td_q, td_first = _questions_for(rng, qs, n_td, two=0.0)
            add(
                n_td,
                start - rng.integers(-int((end - start).astype(int)), 11, n_td).astype("timedelta64[D]"),
                doc_type="TD",
                questions=td_q,
                sources=orgs.var_text[people.variant[authors]],
                title=_titles(rng, "TD", sg, n_td, qs, td_q, td_first, work_item_names),
                counterpart="",
                outcome="",
                **common,
            )
            # --- Liaison statements: incoming (source = the other body), outgoing (drafted by an official).
            n_in = int(round(prof.ls_in * rng.uniform(0.85, 1.15) * scale))
            n_out = int(round(prof.ls_out * rng.uniform(0.8, 1.2) * scale))
            since = prev_end if prev_end is not None else start - np.timedelta64(180, "D")
            span = max(5, int((start - since).astype(int)))
            in_cp = counterparts[rng.integers(0, len(counterparts), n_in)]
            in_q, in_first = _questions_for(rng, qs, n_in, two=0.0)
            add(
                n_in,
                since + rng.integers(0, span, n_in).astype("timedelta64[D]"),
                doc_type="LS-in",
                questions=in_q,
                sources=in_cp,
                title=_titles(rng, "LS-in", sg, n_in, qs, in_q, in_first, work_item_names, in_cp),
                counterpart=in_cp,
                outcome="",
                **common,
            )
            out_cp = counterparts[rng.integers(0, len(counterparts), n_out)]
            out_q, out_first = _questions_for(rng, qs, n_out, two=0.0)
            drafters = h_ids[rng.choice(len(h_ids), size=n_out, p=hw / hw.sum())]
            add(
                n_out,
                end + rng.integers(0, 8, n_out).astype("timedelta64[D]"),
                doc_type="LS-out",
                questions=out_q,
                sources=orgs.var_text[people.variant[drafters]],
                title=_titles(rng, "LS-out", sg, n_out, qs, out_q, out_first, work_item_names, out_cp),
                counterpart=out_cp,
                outcome="",
                **common,
            )
            prev_end = end
    title = pa.concat_arrays(parts.pop("title"))
    cols = {c: np.concatenate(parts[c]) for c in columns if c != "title"}
    day = within_existence(cols["sg"], np.concatenate(dates))
    # Document numbers: C and TD series per (sg, study period), in submission order: T22-SG13-C-0123.
    sg_code, sg_names = pd.factorize(cols["sg"])
    period_code, period_names = pd.factorize(cols["study_period"])
    is_td = (cols["doc_type"] != "C").astype(np.int64)
    group, combos = pd.factorize((sg_code * len(period_names) + period_code) * 2 + is_td)
    n_p = len(period_names)
    labels = [
        f"{PERIOD_PREFIX[period_names[(c // 2) % n_p]]}-{sg_names[c // 2 // n_p]}-{'TD' if c % 2 else 'C'}"
        for c in combos
    ]
    order = np.lexsort((rng.random(len(day)), day.astype(np.int64), group))
    number = np.empty(len(day), np.int64)
    g_sorted = group[order]
    first = np.r_[0, np.flatnonzero(np.diff(g_sorted)) + 1]
    counts = np.diff(np.r_[first, len(order)])
    number[order] = np.arange(len(order)) - np.repeat(first, counts) + 1
    # Final order: by date, then by document id (series label, then number).
    label_rank = np.argsort(np.argsort(np.asarray(labels, dtype=str), kind="stable"), kind="stable")
    final = np.lexsort((number, label_rank[group], day.astype(np.int64)))
    doc = pc.binary_join_element_wise(
        pa.array(np.asarray(labels, dtype=object)).take(pa.array(group[final])),
        pc.utf8_lpad(pa.array(number[final]).cast(pa.string()), 4, "0"),
        "-",
    )
    data = {"document": _arrow_str(doc)}
    for c in ("sg", "study_period", "doc_type", "meeting_id"):
        data[c] = cols[c][final]
    data["submitted_on"] = _arrow_str(pa.array(day[final]).cast(pa.string()))
    for c in ("questions", "sources"):
        data[c] = cols[c][final]
    data["title"] = _arrow_str(title.take(pa.array(final)))
    for c in ("counterpart", "outcome"):
        data[c] = cols[c][final]
    return pd.DataFrame(data)


def _arrow_str(arr: pa.Array) -> pd.Series:
    """An Arrow string array as a pandas `str` Series without materialising Python strings."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Series(arr.to_pandas(types_mapper={pa.string(): _STR, pa.large_string(): _STR}.get))


_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def _questions_for(rng: np.random.Generator, qs: list[tuple[str, str]], n: int, two: float):
    """`;` lists of 1-2 Question codes of the SG (early Questions are busier) and the first one's index."""
    if not qs or n == 0:
        return np.full(n, "", dtype=object), np.full(n, -1, np.int64)
    k = len(qs)
    w = np.linspace(1.6, 0.6, k)
    w = w / w.sum()
    a = rng.choice(k, n, p=w)
    b = rng.choice(k, n, p=w)
    both = (rng.random(n) < two) & (a != b)
    codes = np.array([q for q, _ in qs], dtype=object)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out = codes[a].copy()
    out[both] = codes[lo[both]] + "; " + codes[hi[both]]
    first = np.where(both, lo, a)
    return out, first


def _titles(
    rng: np.random.Generator,
    doc_type: str,
    sg: str,
    n: int,
    qs: list[tuple[str, str]],
    q_codes: np.ndarray,
    q_first: np.ndarray,
    work_items: dict[str, list[str]],
    counterparts: np.ndarray | None = None,
) -> pa.Array:
    """Topic-like titles from the SG's vocabulary and Question titles (Arrow, vectorised)."""
    join = pc.binary_join_element_wise
    topics = pa.array(TOPICS[sg])
    t1 = rng.integers(0, len(topics), n)
    t2 = rng.integers(0, len(topics), n)
    with_second = (rng.random(n) < 0.35) & (t1 != t2)
    with_q = (rng.random(n) < 0.3) & (q_first >= 0)
    tmpl = rng.integers(0, len(C_TEMPLATES), n)
    pick = rng.integers(0, 1 << 30, n)
    if n == 0:
        return pa.array([], pa.string())
    topic = topics.take(pa.array(t1))
    topic = pc.if_else(pa.array(with_second), join(topic, topics.take(pa.array(t2)), " for "), topic)
    if doc_type == "C":
        title = join(pa.array(C_TEMPLATES).take(pa.array(tmpl)), topic, " ")
        if with_q.any():
            frag = pa.array([lower_first(question_fragment(t)) for _, t in qs]).take(
                pa.array(np.maximum(q_first, 0))
            )
            title = pc.if_else(pa.array(with_q), join(join(title, frag, " ("), ")", ""), title)
        return title
    if doc_type == "LS-in":
        return join("LS from", pa.array(counterparts, pa.string()), "on", topic, " ")
    if doc_type == "LS-out":
        return join(join("LS on", topic, "(to", pa.array(counterparts, pa.string()), " "), ")", "")
    first_q = pa.array(np.array([q for q, _ in qs] + [""], dtype=object)[q_first], pa.string())  # -1 -> ""
    kind = pick % 5
    has_q = pc.not_equal(first_q, "")
    title = join("Output text on", topic, " ")
    report = join("Report of", first_q, "rapporteur group meeting on", topic, " ")
    programme = join(join("Work programme of", first_q, " "), topic, ": ")
    title = pc.if_else(pc.and_(pa.array(kind == 0), has_q), report, title)
    title = pc.if_else(pc.and_(pa.array(kind == 3), has_q), programme, title)
    wis = work_items.get(sg, [])
    if wis:
        wi = pa.array(wis).take(pa.array(pick % len(wis)))
        title = pc.if_else(
            pa.array(kind == 1), join(join("Draft new Recommendation", wi, " "), topic, ": "), title
        )
        title = pc.if_else(pa.array(kind == 2), join("Updated draft", wi, "on", topic, " "), title)
    return title
