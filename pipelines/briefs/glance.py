"""At a glance, the first page of a brief: key messages chosen by rules, a strip of headline KPIs against the
other study groups and the previous study period, and one line on what the data cover.

Every number is read from BriefData: the scope's own series (`data.kpis`, the lineage series for an SG) and the
series of every SG (`data.peers`, marts.sg_year_kpis_lineage). The rules of issue 19 hold here as everywhere:
a value of a partial year is never compared (`data.full_year`), a figure about the people of a year with fewer
than five participants is never shown or used (`people_kpi_hidden`), and a successor is compared through its
predecessors ("SG21 (with SG9 and SG16 before 2025)").

Comparisons with the other SGs use the SGs active in the year (their own rows, not lineage rows, so SG9 and
SG16 are not counted twice as SG21) except those the results framework leaves out of rankings (TSAG).
Materiality, used to choose and order the key messages, is a robust z-score: the distance from the median of
the SGs in scaled median absolute deviations (1.4826 x MAD); flags (merge candidate, high risk, off-track
KPIs) score FLAG_SCORE, so a flag outranks a moderate difference but not an extreme one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Statement
from pipelines.briefs.rules import documented, registrar
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import (
    MISSING,
    SHARE_UNITS,
    displayed,
    displayed_mean,
    format_percent,
    format_score,
    format_value,
    format_with_unit,
    is_missing,
)
from pipelines.formatting.suppression import SUPPRESSED, people_kpi_hidden

# The strip of headline KPIs on the first page, in reading order.
GLANCE_KPIS = (
    "participants",
    "contributions",
    "recs_approved",
    "countries",
    "remote_share",
    "developing_share",
    "hhi",
)
SIZE_KPIS = ("participants", "contributions", "recs_approved", "countries")
CHANGE_YEARS = 3  # the span of the "change over three years" the key messages compare
UNUSUAL_Z = 2.0  # robust z from which a level or a change is unusual among the study groups
STREAK_YEARS = 4  # rises (or falls) in a row that make a key message whatever the other SGs did
FLAG_SCORE = 2.5  # materiality of a flag: merge candidate, high risk, off-track KPIs
MIN_MESSAGES, MAX_MESSAGES = 3, 5
MIN_PEERS = 5  # fewer study groups with a value: no median, range or rank
VIRTUAL_SHARE = 0.99  # a year whose attendance was (nearly) all remote: a virtual year (G6)
VIRTUAL_SHIFT = (
    0.20  # remote share this many points from the years before the virtual ones: a changed way (G6)
)
# The KPI a risk indicator is about: a high risk joins the key message on the same KPI instead of repeating it.
RISK_TOPICS = {
    "participants_trend": "participants",
    "contributions_trend": "contributions",
    "decline_trend": "participants",
    "hhi": "hhi",
}

GlanceRule = Callable[[BriefData], list["Candidate"]]
GLANCE_RULES: dict[str, GlanceRule] = {}


glance_rule = registrar(GLANCE_RULES)


@dataclass
class Candidate:
    """A possible key message: its materiality, what it is about (one message per topic) and its statement."""

    score: float
    topic: str
    statement: Statement
    material: bool = True  # above its rule's threshold (else shown only to make up MIN_MESSAGES)
    clause: str = ""  # a risk's words, appended to the message of its topic when one is chosen


# --- Numbers ---------------------------------------------------------------------------------------------------


def is_share(kpi_id: str) -> bool:
    return catalogue().get(kpi_id).unit in SHARE_UNITS


def compared_sgs(data: BriefData) -> list[str]:
    """The study groups active in the brief's year that rankings and comparisons include."""
    if data.peers is None:
        return []
    rows = data.peers[(data.peers["year"] == data.year) & data.peers["via"].isna()]
    return sorted(set(rows["sg"]) - set(data.excluded))


def _peer_rows(data: BriefData) -> dict[tuple[str, int], dict]:
    """data.peers as {(sg, year): row}, made once per BriefData (a lookup per value, not a frame filter)."""
    cached = getattr(data, "_peer_rows", None)
    if cached is None:
        frame = data.peers if data.peers is not None else pd.DataFrame(columns=["sg", "year"])
        cached = {(r["sg"], int(r["year"])): r for r in frame.to_dict("records")}
        data.__dict__["_peer_rows"] = cached
    return cached


def _full(data: BriefData, kpi_id: str, year: int) -> bool:
    """data.full_year, remembered per BriefData (the strip and the rules ask it hundreds of times)."""
    cache = data.__dict__.setdefault("_full_years", {})
    if (kpi_id, year) not in cache:
        cache[(kpi_id, year)] = data.full_year(kpi_id, year)
    return cache[(kpi_id, year)]


def _own(data: BriefData, kpi_id: str, year: int):
    """data.kpi, from a dict made once per BriefData."""
    rows = data.__dict__.get("_own_rows")
    if rows is None:
        rows = {int(r["year"]): r for r in data.kpis.to_dict("records")}
        data.__dict__["_own_rows"] = rows
    value = rows.get(year, {}).get(kpi_id)
    return None if is_missing(value) else value


def peer_hidden(data: BriefData, sg: str, kpi_id: str, year: int) -> bool:
    """Whether an SG's value of a year is about fewer than SMALL_CELL people (shown as <5, never used)."""
    rows = _peer_rows(data)

    def count(y):
        found = rows.get((sg, y))
        return None if found is None or is_missing(found.get("participants")) else found["participants"]

    return people_kpi_hidden(kpi_id, count, year)


def peer_value(data: BriefData, sg: str, kpi_id: str, year: int):
    """An SG's value in its lineage series, None when missing, partial or about too few people."""
    if data.peers is None or not _full(data, kpi_id, year):
        return None
    row = _peer_rows(data).get((sg, year))
    if row is None or is_missing(row.get(kpi_id)) or peer_hidden(data, sg, kpi_id, year):
        return None
    return float(row[kpi_id])


def own_value(data: BriefData, kpi_id: str, year: int | None = None):
    """The scope's comparable value (None when missing, partial or hidden for too few people)."""
    year = year or data.year
    value = _own(data, kpi_id, year) if _full(data, kpi_id, year) else None
    if value is None or people_kpi_hidden(kpi_id, lambda y: _own(data, "participants", y), year):
        return None
    return float(value)


def peer_values(data: BriefData, kpi_id: str, year: int | None = None) -> pd.Series:
    """sg -> comparable value in the year of every compared SG that has one."""
    year = year or data.year
    values = {sg: peer_value(data, sg, kpi_id, year) for sg in compared_sgs(data)}
    return pd.Series({sg: v for sg, v in values.items() if v is not None}, dtype="float64")


def change(kpi_id: str, now, before, mean: bool = False):
    """A change as the messages state it, from the two values as displayed (pipelines.formatting.numbers.
    displayed; `mean`: yearly averages, shown with one decimal): percentage points for shares, relative for the
    rest (None if the earlier value is 0 or either is missing)."""
    if now is None or before is None:
        return None
    unit = catalogue().get(kpi_id).unit
    shown = displayed_mean if mean else displayed
    now, before = shown(now, unit), shown(before, unit)
    if is_share(kpi_id):
        return float(now) - float(before)
    return None if float(before) == 0 else (float(now) - float(before)) / float(before)


def with_unit(value, unit: str) -> str:
    """A value as a sentence writes it: '831 days', '45.2%', '1,473' (HHI), '448' (counts named by the KPI)."""
    return format_with_unit(value, unit)


def format_relative(kpi_id: str, value) -> str:
    """'+12.5 pp' for a share, '-26.4%' for the rest."""
    if is_missing(value):
        return MISSING
    return f"{value * 100:+.1f} pp" if is_share(kpi_id) else f"{value:+.1%}"


def own_change(data: BriefData, kpi_id: str, years: int = CHANGE_YEARS):
    return change(kpi_id, own_value(data, kpi_id), own_value(data, kpi_id, data.year - years))


def peer_changes(data: BriefData, kpi_id: str, years: int = CHANGE_YEARS) -> pd.Series:
    """sg -> change over `years` of every compared SG (a successor through its predecessors)."""
    found = {}
    for sg in compared_sgs(data):
        now, before = (
            peer_value(data, sg, kpi_id, data.year),
            peer_value(data, sg, kpi_id, data.year - years),
        )
        value = change(kpi_id, now, before)
        if value is not None:
            found[sg] = value
    return pd.Series(found, dtype="float64")


def robust_z(value: float, values: pd.Series) -> float | None:
    """(value - median) / (1.4826 x MAD) over `values`; None with fewer than MIN_PEERS values or no spread."""
    if len(values) < MIN_PEERS:
        return None
    median = float(values.median())
    mad = float((values - median).abs().median()) * 1.4826
    if mad == 0:
        return None
    return (float(value) - median) / mad


def streak(data: BriefData, kpi_id: str) -> int:
    """Years in a row, up to the brief's year, that the value rose (+n) or fell (-n); 0 when it did not move."""
    count, direction = 0, 0
    year = data.year
    while True:
        now, before = own_value(data, kpi_id, year), own_value(data, kpi_id, year - 1)
        if now is None or before is None or now == before:
            break
        step = 1 if now > before else -1
        if direction and step != direction:
            break
        direction, count, year = step, count + 1, year - 1
    return direction * count


@dataclass
class Periods:
    """The study period of the brief's year and the one before it, with their years in the data so far."""

    now: str
    now_years: list[int]
    before: str | None
    before_years: list[int]


def periods(year: int) -> Periods:
    """The study period governing most of `year` (config/study_groups.yaml) and the previous one."""
    from pipelines.lineage import lineage

    lin = lineage()

    def period(y: int) -> str | None:
        return lin.period_of(dt.date(y, 7, 1))

    now = period(year) or ""
    ids = [p.id for p in lin.study_periods]
    before = ids[ids.index(now) - 1] if now in ids and ids.index(now) > 0 else None
    return Periods(
        now=now,
        now_years=[y for y in range(year - 12, year + 1) if period(y) == now],
        before=before,
        before_years=[y for y in range(year - 16, year) if before and period(y) == before],
    )


def period_mean(data: BriefData, kpi_id: str, years: list[int]):
    """The yearly average of the scope's comparable values over `years` (None when none has one)."""
    values = [v for y in years if (v := own_value(data, kpi_id, y)) is not None]
    return sum(values) / len(values) if values else None


# --- The strip -------------------------------------------------------------------------------------------------


@dataclass
class StripRow:
    kpi: str
    value: float | None  # the scope's value in the year (None: no value, partial or hidden)
    shown: str  # the value as the strip writes it
    peers: pd.Series  # the compared SGs' values
    median: float | None
    low: float | None
    high: float | None
    rank: int | None  # 1 = highest among the compared SGs (None for the sector or an SG left out)
    period_now: float | None
    period_before: float | None
    period_change: float | None


def strip(data: BriefData) -> list[StripRow]:
    """One row per GLANCE_KPIS: the scope's value, the SGs' median and range, its rank, the change of its yearly
    average in this study period against the previous one."""
    spans = periods(data.year)
    rows = []
    for kpi_id in GLANCE_KPIS:
        kpi = catalogue().get(kpi_id)
        value = own_value(data, kpi_id)
        raw = data.kpi(kpi_id)
        if raw is not None and people_kpi_hidden(kpi_id, lambda y: data.kpi("participants", y), data.year):
            shown = SUPPRESSED
        elif raw is not None and value is None:
            shown = f"{format_value(raw, kpi.unit)} (partial year)"
        else:
            shown = format_value(value, kpi.unit)
        values = peer_values(data, kpi_id)
        enough = len(values) >= MIN_PEERS
        rank = None
        if enough and value is not None and not data.is_sector and data.scope in values.index:
            rank = int((values > value).sum()) + 1
        now, before = (
            period_mean(data, kpi_id, spans.now_years),
            period_mean(data, kpi_id, spans.before_years),
        )
        rows.append(
            StripRow(
                kpi=kpi_id,
                value=value,
                shown=shown,
                peers=values,
                median=float(values.median()) if enough else None,
                low=float(values.min()) if enough else None,
                high=float(values.max()) if enough else None,
                rank=rank,
                period_now=now,
                period_before=before,
                period_change=change(kpi_id, now, before, mean=True),
            )
        )
    return rows


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(rank: int | None, total: int) -> str:
    if rank is None:
        return MISSING
    if rank == 1:
        return f"highest of {total}"
    if rank == total:
        return f"lowest of {total}"
    return f"{ordinal(rank)} of {total}"


# --- Key messages ----------------------------------------------------------------------------------------------


def _who(data: BriefData, compared: bool = False) -> str:
    from pipelines.briefs.rules import _who as who

    return who(data, compared)


def _spread(kpi_id: str, values: pd.Series) -> str:
    unit = catalogue().get(kpi_id).unit
    return (
        f"median {format_value(values.median(), unit)}; range "
        f"{format_value(values.min(), unit)}–{format_value(values.max(), unit)}"
    )


@dataclass
class _As:
    """Stands for an SG when the sector brief says where that SG lies among the others."""

    scope: str


def _position(data, value: float, values: pd.Series) -> str:
    """'the highest of the 12 study groups', 'the 3rd of the 12 ...' or, for TSAG, 'above every study group'."""
    if data.scope in values.index:
        rank = int((values > value).sum()) + 1
        if rank in (1, len(values)):
            return "the " + rank_text(rank, len(values)).replace(" of ", " of the ") + " study groups"
        return f"the {ordinal(rank)} highest of the {len(values)} study groups"
    if value > values.max():
        return "above every study group"
    if value < values.min():
        return "below every study group"
    return f"above {int((values < value).sum())} of the {len(values)} study groups"


@glance_rule("G1")
def unusual_level(data: BriefData) -> list[Candidate]:
    """SG brief: a headline KPI of the strip whose value this year lies at least UNUSUAL_Z robust z-scores from
    the median of the study groups, with its rank, the median and the range (materiality: |z|). Sector brief:
    per KPI that is not a size (shares, concentration), the study group furthest from the median."""
    found = []
    for kpi_id in GLANCE_KPIS:
        kpi = catalogue().get(kpi_id)
        values = peer_values(data, kpi_id)
        if data.is_sector and kpi_id in SIZE_KPIS:
            continue  # the sizes of the SGs are the growing-or-shrinking table's subject (G2)
        if data.is_sector:
            scored = {sg: robust_z(v, values) for sg, v in values.items()}
            scored = {sg: z for sg, z in scored.items() if z is not None}
            if not scored:
                continue
            sg = max(scored, key=lambda s: (abs(scored[s]), s))
            z, value, who = scored[sg], float(values[sg]), sg
        else:
            value = own_value(data, kpi_id)
            z = None if value is None else robust_z(value, values)
            who = _who(data)
            if z is None:
                continue
        words = _position(data if not data.is_sector else _As(who), value, values)
        text = (
            f"{kpi.name} of {who}: {with_unit(value, kpi.unit)} in {data.year}, {words} "
            f"({_spread(kpi_id, values)})."
        )
        found.append(
            Candidate(
                abs(z),
                f"level:{kpi_id}" if data.is_sector else kpi_id,
                Statement("G1", text, ["tab:glance", "fig:glance"]),
                abs(z) >= UNUSUAL_Z,
            )
        )
    return found


@glance_rule("G2")
def unusual_change(data: BriefData) -> list[Candidate]:
    """SG brief: a headline KPI whose change over CHANGE_YEARS years (relative; percentage points for shares,
    both years full) lies at least UNUSUAL_Z robust z-scores from the study groups' median change, or that
    rose or fell STREAK_YEARS years in a row or more (materiality: the larger of |z| and half the years in a
    row). Sector brief: per KPI of participants, contributions and Recommendations, how many study groups fell
    over the CHANGE_YEARS years, the largest fall and rise (materiality: the largest |z|)."""
    found = []
    first = data.year - CHANGE_YEARS
    for kpi_id in GLANCE_KPIS:
        kpi = catalogue().get(kpi_id)
        changes = peer_changes(data, kpi_id)
        if data.is_sector:
            if kpi_id not in ("participants", "contributions", "recs_approved") or len(changes) < MIN_PEERS:
                continue
            zs = [z for v in changes if (z := robust_z(v, changes)) is not None]
            fell, low, high = int((changes < 0).sum()), changes.idxmin(), changes.idxmax()
            text = (
                f"{kpi.name}: {fell} of {len(changes)} study groups had fewer in {data.year} than in {first}; "
                f"the largest fall {low} ({format_relative(kpi_id, changes[low])}), the largest rise {high} "
                f"({format_relative(kpi_id, changes[high])}); median change "
                f"{format_relative(kpi_id, changes.median())}."
            )
            score = max((abs(z) for z in zs), default=0.0)
            found.append(
                Candidate(
                    score,
                    kpi_id,
                    Statement("G2", text, [f"tab:growth-{kpi_id.replace('_', '-')}"]),
                    score >= UNUSUAL_Z,
                )
            )
            continue
        value, before = own_value(data, kpi_id), own_value(data, kpi_id, first)
        delta = change(kpi_id, value, before)
        if delta is None:
            continue
        z = robust_z(delta, changes) if len(changes) >= MIN_PEERS else None
        run = streak(data, kpi_id)
        score = max(abs(z) if z is not None else 0.0, abs(run) / 2 if abs(run) >= STREAK_YEARS else 0.0)
        verb = "rose" if delta > 0 else "fell" if delta < 0 else "did not change"
        row = f" every year for {abs(run)} years" if abs(run) >= 2 and (run > 0) == (delta > 0) else ""
        text = (
            f"{kpi.name} of {_who(data, compared=True)} {verb}{row}: {with_unit(before, kpi.unit)} in "
            f"{first}, {with_unit(value, kpi.unit)} in {data.year} ({format_relative(kpi_id, delta)}"
        )
        if len(changes) >= MIN_PEERS:
            text += (
                f"; median change of {len(changes)} study groups {format_relative(kpi_id, changes.median())}"
            )
        text += ")."
        material = (z is not None and abs(z) >= UNUSUAL_Z) or abs(run) >= STREAK_YEARS
        found.append(Candidate(score, kpi_id, Statement("G2", text, ["tab:glance", "fig:glance"]), material))
    return found


@glance_rule("G3")
def high_risks(data: BriefData) -> list[Candidate]:
    """Every high risk of the year's register (never one resting on insufficient data) with its indicator's
    value and the high level of the risk appetite (materiality FLAG_SCORE); a risk about a KPI that already has
    a key message (decline: participants or contributions; concentration: HHI) is added to that message.
    Sector brief: the study groups with a high risk."""
    frame = data.risks
    if frame is None or frame.empty:
        return []
    short = (
        frame["insufficient_data"].fillna(False).astype(bool)
        if "insufficient_data" in frame
        else pd.Series(False, index=frame.index)
    )
    high = frame[(frame["level"] == "high") & ~short]
    if high.empty:
        return []
    if data.is_sector:
        named = "; ".join(f"{r.sg} ({r.risk.lower()})" for r in high.itertuples())
        text = (
            f"{high['sg'].nunique()} of {frame['sg'].nunique()} study groups have at least one high risk in "
            f"{data.year}: {named}."
        )
        return [Candidate(FLAG_SCORE, "risks", Statement("G3", text, ["tab:risks"]))]
    found = []
    for r in high.itertuples():
        indicator = _indicator_text(r.indicator, r.value)
        level = _indicator_text(r.indicator, getattr(r, "threshold_high", None))
        name = _indicator_name(r.indicator)
        clause = f"high risk: {r.risk.lower()} ({name} {indicator}; high at {level})"
        text = f"High risk in {data.year}: {r.risk.lower()} — {name} {indicator}, high at {level}."
        found.append(
            Candidate(
                FLAG_SCORE,
                RISK_TOPICS.get(r.indicator, f"risk:{r.risk_id}"),
                Statement("G3", text, ["tab:risks"]),
                clause=clause,
            )
        )
    return found


def _indicator_name(indicator: str) -> str:
    try:
        return catalogue().get(indicator).name.lower().replace("(hhi)", "(HHI)")
    except KeyError:
        return indicator.replace("_", " ")


def _indicator_text(indicator: str, value) -> str:
    if is_missing(value):
        return MISSING
    if indicator == "hhi":
        return format_value(value, "index 0-10000")
    if indicator.endswith("_trend"):
        return f"{float(value):+.1%} a year"
    return f"{float(value):.1%}"


@glance_rule("G4")
def merge_candidate(data: BriefData) -> list[Candidate]:
    """The pairs (SG brief: involving the SG) whose combined overlap reaches the merge-candidate level, most
    overlapping first, with their topic and contributor overlap (materiality FLAG_SCORE plus the combined
    overlap); for an SG without one, its closest neighbour (not material)."""
    from pipelines.briefs.rules import MERGE_CANDIDATE, merge_candidates

    frame = data.overlap
    if frame is None or frame.empty:
        return []
    if not data.is_sector:
        frame = frame[(frame["sg_a"] == data.scope) | (frame["sg_b"] == data.scope)]
    frame = frame[frame["combined"].notna()]
    if frame.empty:
        return []
    candidates = merge_candidates(frame)
    level = format_score(MERGE_CANDIDATE)
    if candidates.empty:
        if data.is_sector:
            return []
        top = frame.sort_values(["combined", "sg_a", "sg_b"], ascending=[False, True, True]).iloc[0]
        other = top["sg_b"] if top["sg_a"] == data.scope else top["sg_a"]
        text = (
            f"Closest neighbour: {other}, combined overlap {format_score(top['combined'])} (topics "
            f"{format_score(top['text_similarity'])}, contributors {format_score(top['entity_overlap'])}), below "
            f"the merge-candidate level of {level}."
        )
        return [Candidate(float(top["combined"]), "overlap", Statement("G4", text, ["tab:overlap"]), False)]
    pairs = "; ".join(
        f"{r.sg_a} – {r.sg_b}: combined {format_score(r.combined)} (topics {format_score(r.text_similarity)}, "
        f"contributors {format_score(r.entity_overlap)})"
        for r in candidates.head(3).itertuples()
    )
    count = len(candidates)
    text = (
        f"{count} pair{'s' if count != 1 else ''} of study groups reach{'es' if count == 1 else ''} the "
        f"merge-candidate level of {level} combined overlap: {pairs}."
    )
    score = FLAG_SCORE + float(candidates["combined"].max())
    return [Candidate(score, "overlap", Statement("G4", text, ["tab:overlap"]))]


@glance_rule("G5")
def off_track(data: BriefData) -> list[Candidate]:
    """How many KPIs with a target and enough records are off track this year, naming the one furthest from its
    target with its n (materiality FLAG_SCORE); KPIs about too few people are left out."""
    if data.targets.empty or "status" not in data.targets:
        return []
    rows = data.targets[(data.targets["year"] == data.year) & data.targets["status"].notna()]
    hidden = rows["kpi"].map(lambda k: people_kpi_hidden(k, lambda y: data.kpi("participants", y), data.year))
    rows = rows[~hidden.astype(bool)]
    assessed = rows[rows["status"] != "insufficient data"]
    off = assessed[assessed["status"] == "off track"].copy()
    if off.empty:
        return []
    off["gap"] = (off["value"].astype(float) - off["target"].astype(float)).abs() / off["target"].abs()
    worst = off.sort_values(["gap", "kpi"], ascending=[False, True]).iloc[0]
    kpi = catalogue().get(worst["kpi"])
    n = "" if is_missing(worst.get("n")) else f", n = {int(worst['n']):,}"
    text = (
        f"{len(off)} of {len(assessed)} KPIs with a target and enough records {'is' if len(off) == 1 else 'are'} "
        f"off track in {data.year}; "
        f"furthest from target: {kpi.name} {with_unit(worst['value'], kpi.unit)} against "
        f"{with_unit(worst['target'], kpi.unit)}{n}."
    )
    return [Candidate(FLAG_SCORE, "targets", Statement("G5", text, ["tab:targets"]))]


@glance_rule("G6")
def virtual_years(data: BriefData) -> list[Candidate]:
    """Working methods since meetings went virtual: the years before the brief's in which at least VIRTUAL_SHARE
    of the attendance was remote (virtual years), and this year's remote share against the yearly average of the
    full years before the first of them; material when the two differ by VIRTUAL_SHIFT or more (the way of
    meeting did not go back), with the materiality of an unusual level (UNUSUAL_Z)."""
    kpi = catalogue().get("remote_share")
    years = sorted(int(y) for y in data.kpis["year"] if int(y) < data.year)
    virtual = [
        y for y in years if (v := own_value(data, "remote_share", y)) is not None and v >= VIRTUAL_SHARE
    ]
    now = own_value(data, "remote_share")
    if not virtual or now is None:
        return []
    before = [y for y in years if y < virtual[0] and own_value(data, "remote_share", y) is not None]
    mean = period_mean(data, "remote_share", before)
    if mean is None:
        return []
    shift = now - mean
    span = f"{virtual[0]}-{virtual[-1]}" if len(virtual) > 1 else str(virtual[0])
    lowest = min(own_value(data, "remote_share", y) for y in virtual)
    text = (
        f"{kpi.name} of {_who(data, compared=True)}: {with_unit(now, kpi.unit)} in {data.year}, after the virtual "
        f"years {span} ({'all attendance remote' if lowest >= 0.9995 else 'at least ' + with_unit(lowest, kpi.unit) + ' remote'}) and {with_unit(mean, kpi.unit)} a year in "
        f"{before[0]}-{before[-1]} before them ({format_relative('remote_share', shift)})."
    )
    material = abs(shift) >= VIRTUAL_SHIFT
    return [
        Candidate(UNUSUAL_Z, "remote_share", Statement("G6", text, ["tab:glance", "fig:glance"]), material)
    ]


def key_messages(data: BriefData) -> list[Statement]:
    """MIN_MESSAGES to MAX_MESSAGES key messages, most material first, one per topic: the material candidates of
    every rule, made up to MIN_MESSAGES with the most material of the rest; a high risk whose topic already has
    a message is added to it."""
    candidates = [c for fn in GLANCE_RULES.values() for c in fn(data)]
    candidates.sort(key=lambda c: (-c.score, c.statement.rule_id, c.topic))
    chosen: dict[str, Candidate] = {}
    clauses: dict[str, list[str]] = {}
    for material, room in ((True, MAX_MESSAGES), (False, MIN_MESSAGES)):
        for candidate in (c for c in candidates if c.material is material):
            if candidate.topic in chosen:
                if material and candidate.clause and chosen[candidate.topic].statement.rule_id != "G3":
                    clauses.setdefault(candidate.topic, []).append(candidate.clause)
            elif len(chosen) < room:
                chosen[candidate.topic] = candidate
    # A risk chosen after the message of its topic was written is said with it, not on its own line.
    out = []
    for topic, candidate in chosen.items():
        statement = candidate.statement
        extra = clauses.get(topic)
        if extra:
            risk_cites = ["tab:risks"]
            statement = Statement(
                statement.rule_id,
                statement.text.rstrip(".") + "; " + "; ".join(extra) + ".",
                [*statement.cites, *[c for c in risk_cites if c not in statement.cites]],
            )
        out.append(statement)
    return out


def rules_reference() -> list[tuple[str, str]]:
    """(rule id, its documentation) of the G rules, thresholds written as their values."""
    values = {
        "UNUSUAL_Z": str(UNUSUAL_Z),
        "STREAK_YEARS": str(STREAK_YEARS),
        "FLAG_SCORE": str(FLAG_SCORE),
        "CHANGE_YEARS": str(CHANGE_YEARS),
        "VIRTUAL_SHARE": format_percent(VIRTUAL_SHARE),
        "VIRTUAL_SHIFT": f"{VIRTUAL_SHIFT * 100:.0f} pp",
    }
    return documented(GLANCE_RULES, values)
