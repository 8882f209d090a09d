"""The "what the evidence shows" statements: explicit rules from the numbers, all in this module.

Each rule is a function `rule(data) -> list[Statement]`, registered with `@rule("R<n>")`; its docstring
says when it speaks and what it says. A rule writes only numbers it read from `BriefData` (formatted with
`pipelines.formatting.numbers`), cites the tables and figures that show them (labels from `briefs.content`)
and stays silent when its numbers are missing. No statement is written without numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipelines.analytics.targets import load_framework
from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Statement
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import (
    displayed,
    format_change,
    format_count,
    format_percent,
    format_score,
    format_value,
    format_with_unit,
)
from pipelines.formatting.suppression import people_kpi_hidden

# The thresholds are policy, so they live in the results framework (`evidence:`), validated when loaded.
_EVIDENCE = load_framework().evidence
STABLE_CHANGE = _EVIDENCE.stable_change
MERGE_CANDIDATE = _EVIDENCE.merge_candidate
WIDE_RANK_INTERVAL = _EVIDENCE.wide_rank_interval
QUARANTINE_CAUTION = _EVIDENCE.quarantine_caution

Rule = Callable[[BriefData], list[Statement]]
RULES: dict[str, Rule] = {}


def registrar(registry: dict[str, Callable]) -> Callable[[str], Callable[[Callable], Callable]]:
    """A decorator factory `@rule("R1")` that records each rule function in `registry`, in order."""

    def rule(rule_id: str) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            registry[rule_id] = fn
            return fn

        return register

    return rule


rule = registrar(RULES)


def _who(data: BriefData, compared: bool = False) -> str:
    """'ITU-T' or the SG; a successor compared with earlier years is named with its lineage: 'SG21 (with SG9
    and SG16 before 2025)'."""
    if data.is_sector:
        return "ITU-T"
    return f"{data.scope} ({data.lineage_note})" if compared and data.lineage_note else data.scope


def _hidden(data: BriefData, kpi_id: str, *years: int) -> bool:
    """A figure about the people of a year with fewer than SMALL_CELL participants: never stated."""
    return any(people_kpi_hidden(kpi_id, lambda y: data.kpi("participants", y), year) for year in years)


def _change_sentence(data: BriefData, kpi_id: str, figure: str) -> list[Statement]:
    """Silent unless both years are full years for the KPI (a partial year is never compared)."""
    kpi = catalogue().get(kpi_id)
    now, before = data.comparable(kpi_id), data.comparable(kpi_id, data.year - 1)
    if now is None or before is None or _hidden(data, kpi_id, data.year, data.year - 1):
        return []
    year, prev = data.year, data.year - 1
    text_now, text_before = format_value(now, kpi.unit), format_value(before, kpi.unit)
    if before == 0:
        verb = "were stable" if now == 0 else "rose"
        relative = ""
    else:
        # From the values as displayed, so the printed figures give the printed change.
        now_shown, before_shown = displayed(now, kpi.unit), displayed(before, kpi.unit)
        change = (now_shown - before_shown) / before_shown if before_shown else 0.0
        verb = "were stable" if abs(change) < STABLE_CHANGE else ("rose" if change > 0 else "fell")
        relative = f", {change:+.1%}"
    text = (
        f"{kpi.name} of {_who(data, compared=True)} {verb}: {text_before} in {prev}, {text_now} in {year} "
        f"({format_change(now, before, kpi.unit)}{relative})."
    )
    return [Statement("R1" if kpi_id == "participants" else "R2", text, ["tab:kpis", figure])]


@rule("R1")
def participation_change(data: BriefData) -> list[Statement]:
    """Participants this year against last year: "rose" / "fell" when the relative change is at least
    STABLE_CHANGE, "were stable" otherwise; silent when either year has no value or is a partial year. A
    successor SG is compared through its lineage ("SG21 (with SG9 and SG16 before 2025)")."""
    return _change_sentence(data, "participants", "fig:participation")


@rule("R2")
def contributions_change(data: BriefData) -> list[Statement]:
    """Contributions this year against last year, with the same wording and threshold as R1."""
    return _change_sentence(data, "contributions", "fig:contributions")


@rule("R3")
def remote_participation(data: BriefData) -> list[Statement]:
    """The remote share of attendance this year, and its change in percentage points since last year."""
    kpi = catalogue().get("remote_share")
    now, before = data.comparable("remote_share"), data.comparable("remote_share", data.year - 1)
    if now is None or _hidden(data, "remote_share", data.year):
        return []
    if _hidden(data, "remote_share", data.year - 1):
        before = None
    text = f"{format_percent(now)} of attendance records of {_who(data)} in {data.year} were remote"
    if before is not None:
        text += f" ({format_change(now, before, kpi.unit)} since {data.year - 1})"
    return [Statement("R3", text + ".", ["tab:kpis", "fig:participation"])]


@rule("R4")
def target_status(data: BriefData) -> list[Statement]:
    """How many KPIs with a target are on track, on watch and off track this year, and how many have too few
    records for a status (insufficient data); names the off-track ones (at most three, furthest from target
    first) with value, target and the number of records n. KPIs about the people of a year with too few
    participants are left out (their value is not shown anywhere)."""
    year_rows = data.targets[data.targets["year"] == data.year]
    rows = year_rows[year_rows["status"].notna()]
    rows = rows[[not _hidden(data, kpi, data.year) for kpi in rows["kpi"]]]
    if rows.empty:
        return []
    counts = rows["status"].value_counts()
    assessed = rows[rows["status"] != "insufficient data"]
    text = (
        f"Of {len(assessed)} KPIs with a target and enough records in {data.year}, "
        f"{int(counts.get('on track', 0))} are on track, {int(counts.get('watch', 0))} on watch and "
        f"{int(counts.get('off track', 0))} off track"
    )
    short = int(counts.get("insufficient data", 0))
    if short:
        text += f" ({short} more with too few records for a status)"
    off = rows[rows["status"] == "off track"].copy()
    if not off.empty:
        off["gap"] = (off["value"].astype(float) - off["target"].astype(float)).abs() / off["target"].abs()
        off = off.sort_values(["gap", "kpi"], ascending=[False, True]).head(3)
        cat = catalogue()
        named = [
            f"{cat.get(r.kpi).name} {format_with_unit(r.value, cat.get(r.kpi).unit)} against "
            f"{format_with_unit(r.target, cat.get(r.kpi).unit)}{_n(r)}"
            for r in off.itertuples()
        ]
        text += ": " + "; ".join(named)
    return [Statement("R4", text + ".", ["tab:targets", "fig:targets"])]


def _texts(count) -> str:
    return f"{format_count(count)} text{'' if count == 1 else 's'}"


def _n(row) -> str:
    n = getattr(row, "n", None)
    return "" if n is None or pd.isna(n) else f" (n = {format_count(n)})"


@rule("R5")
def concentration(data: BriefData) -> list[Statement]:
    """HHI this year against the concentration risk appetite (medium / high), the elephant factor and the
    share of the top entities' contributions."""
    hhi = data.comparable("hhi")
    if hhi is None:
        return []
    kpi = catalogue().get("hhi")
    n = data.kpi(kpi.n) if kpi.n else None
    if kpi.min_n and (n is None or n < kpi.min_n):
        text = (
            f"Contribution concentration (HHI) of {_who(data)} was {format_value(hhi, 'index 0-10000')} in "
            f"{data.year}, from {format_count(n)} contributions: too few for a risk level (at least "
            f"{kpi.min_n})"
        )
        return [Statement("R5", text + ".", ["tab:kpis", "fig:concentration"])]
    appetite = data.risk_appetite.get("concentration", {})
    medium, high = appetite.get("medium"), appetite.get("high")
    hhi_text = format_value(hhi, "index 0-10000")
    text = f"Contribution concentration (HHI) of {_who(data)} was {hhi_text} in {data.year}"
    if high is not None and hhi >= high:
        text += f", at or above the high-risk level of {format_value(high, 'index 0-10000')}"
    elif medium is not None and hhi >= medium:
        text += f", at or above the medium-risk level of {format_value(medium, 'index 0-10000')}"
    elif medium is not None:
        text += f", below the medium-risk level of {format_value(medium, 'index 0-10000')}"
    elephant = data.kpi("elephant_factor")
    if elephant is not None:
        text += f"; {format_count(elephant)} entities provided half of all contributions"
    top = data.top_shares[data.top_shares["year"] == data.year]["top_share"]
    if not top.empty and pd.notna(top.iloc[0]):
        from pipelines.briefs.data import TOP_N

        text += f" and the top {TOP_N} provided {format_percent(top.iloc[0])}"
    return [Statement("R5", text + ".", ["tab:kpis", "fig:concentration"])]


@rule("R6")
def regional_contributions(data: BriefData) -> list[Statement]:
    """The ITU region that provided the largest share of the year's contributions, and the number of regions
    that provided none (contributions are documents, so no suppression applies)."""
    from pipelines.briefs.data import NO_REGION

    # The share is of all the year's contributions, as the region table writes it (unknown region included).
    total = float(data.regions["contributions"].sum())
    regions = data.regions[data.regions["itu_region"].notna() & (data.regions["itu_region"] != NO_REGION)]
    if total <= 0 or regions.empty:
        return []
    top = regions.sort_values(["contributions", "itu_region"], ascending=[False, True]).iloc[0]
    none = int((regions["contributions"] <= 0).sum())
    text = (
        f"{top['itu_region']} provided the largest share of the contributions in "
        f"{data.year}: {format_percent(top['contributions'] / total)} "
        f"({format_value(top['contributions'], 'documents (fractional)')} of "
        f"{format_value(total, 'documents (fractional)')})"
    )
    if none:
        text += f"; {none} of {len(regions)} regions provided none"
    return [Statement("R6", text + ".", ["tab:regions", "fig:regions"])]


@rule("R7")
def industry_engagement(data: BriefData) -> list[Statement]:
    """The industry (Sector Member and Associate) and academia shares of contributions this year, with the
    change of the industry share since last year."""
    cat = catalogue()
    industry, academia = data.comparable("industry_share"), data.comparable("academia_share")
    if industry is None:
        return []
    text = f"{cat.get('industry_share').name} was {format_percent(industry)} in {data.year}"
    before = data.comparable("industry_share", data.year - 1)
    if before is not None:
        text += f" ({format_change(industry, before, 'share')} since {data.year - 1})"
    if academia is not None:
        text += f"; {cat.get('academia_share').name.lower()} was {format_percent(academia)}"
    return [Statement("R7", text + ".", ["tab:kpis", "fig:categories"])]


@rule("R8")
def output_and_cycle_time(data: BriefData) -> list[Statement]:
    """Recommendations approved this year, the median cycle time against its target with the number of texts
    it rests on, and the AAP share with its basis: "at most" when too few texts have a known approval
    process for the share to be more than an upper bound."""
    cat = catalogue()
    recs, cycle = data.comparable("recs_approved"), data.comparable("median_cycle_days")
    if recs is None:
        return []
    noun = "Recommendation was" if recs == 1 else "Recommendations were"
    text = f"{format_count(recs)} new or revised {noun} approved in {data.year}"
    if cycle is not None:
        basis = data.kpi("cycle_basis")
        text += (
            f", with a median cycle time of {format_value(cycle, cat.get('median_cycle_days').unit)} days "
            f"over {_texts(basis)} with a known work item"
        )
        target = data.targets[
            (data.targets["year"] == data.year) & (data.targets["kpi"] == "median_cycle_days")
        ]
        if not target.empty and pd.notna(target.iloc[0]["status"]):
            text += (
                f" (target {format_value(target.iloc[0]['target'], 'days')} days: {target.iloc[0]['status']})"
            )
    aap, basis, share = data.comparable("aap_share"), data.kpi("aap_basis"), data.kpi("aap_coverage")
    if aap is not None and basis:
        kpi = cat.get("aap_share")
        bound = (
            "at most " if share is not None and kpi.min_basis_share and share < kpi.min_basis_share else ""
        )
        text += (
            f"; {bound}{format_percent(aap)} of the {_texts(basis)} with a known approval process went by AAP "
            f"({format_percent(share)} of the year's texts have a known process)"
        )
    return [Statement("R8", text + ".", ["tab:kpis", "fig:output"])]


@rule("R9")
def relevance(data: BriefData) -> list[Statement]:
    """SG brief: the SG's rank on scale and on vitality among the ranked SGs, each with its index (percentile
    scores) and rank interval, "uncertain" when the interval spans at least WIDE_RANK_INTERVAL ranks, then its
    rank on the composite relevance index, said to measure mostly size. Sector brief: the SGs first on scale
    and on vitality, and how many vitality ranks are uncertain. Without the scale and vitality columns, the
    composite index alone."""
    from pipelines.briefs.relevance import has_dimensions

    frame = data.relevance
    if frame is None or frame.empty:
        return []
    n, year = len(frame), data.relevance_year
    if not has_dimensions(frame):
        return _composite(data, frame)
    cites = ["tab:scale-vitality", "fig:scale-vitality"]
    if data.is_sector:
        first = {d: frame.sort_values([f"{d}_rank", "sg"]).iloc[0] for d in ("scale", "vitality")}
        wide = int(((frame["vitality_rank_high"] - frame["vitality_rank_low"]) >= WIDE_RANK_INTERVAL).sum())
        text = (
            f"{first['scale']['sg']} ranks first of {n} study groups on scale in {year} (index "
            f"{format_score(first['scale']['scale_index'], 1)}) and {first['vitality']['sg']} first on vitality "
            f"({format_score(first['vitality']['vitality_index'], 1)}); {wide} of {n} vitality ranks move by "
            f"{WIDE_RANK_INTERVAL} places or more under weight sensitivity"
        )
        return [Statement("R9", text + ".", cites)]
    rows = frame[frame["sg"] == data.scope]
    if rows.empty:
        return []
    row = rows.iloc[0]
    parts = []
    for d in ("scale", "vitality"):
        low, high = int(row[f"{d}_rank_low"]), int(row[f"{d}_rank_high"])
        part = (
            f"{int(row[f'{d}_rank'])} of {n} on {d} (index {format_score(row[f'{d}_index'], 1)}, rank "
            f"{low}-{high} under weight sensitivity"
        )
        parts.append(part + (", uncertain)" if high - low >= WIDE_RANK_INTERVAL else ")"))
    text = (
        f"{data.scope} ranks {parts[0]} and {parts[1]} in {year}; on the composite relevance index, which "
        f"mostly measures size, it ranks {int(row['rank'])} (index {format_score(row['relevance_index'], 1)})"
    )
    return [Statement("R9", text + ".", [*cites, "tab:relevance"])]


def _composite(data: BriefData, frame: pd.DataFrame) -> list[Statement]:
    """R9 on the composite index alone (a warehouse without the scale and vitality columns)."""
    n = len(frame)
    if data.is_sector:
        top = frame.sort_values(["rank", "sg"]).iloc[0]
        wide = int(((frame["rank_high"] - frame["rank_low"]) >= WIDE_RANK_INTERVAL).sum())
        text = (
            f"{top['sg']} ranks first of {n} study groups on the relevance index in {data.relevance_year} "
            f"(index {format_score(top['relevance_index'], 1)}); {wide} of {n} ranks move by "
            f"{WIDE_RANK_INTERVAL} places or more under weight sensitivity"
        )
        return [Statement("R9", text + ".", ["tab:relevance", "fig:relevance"])]
    rows = frame[frame["sg"] == data.scope]
    if rows.empty:
        return []
    row = rows.iloc[0]
    text = (
        f"{data.scope} ranks {int(row['rank'])} of {n} study groups on the relevance index in "
        f"{data.relevance_year} (index {format_score(row['relevance_index'], 1)}); under weight sensitivity "
        f"its rank lies between {int(row['rank_low'])} and {int(row['rank_high'])}"
    )
    if int(row["rank_high"] - row["rank_low"]) >= WIDE_RANK_INTERVAL:
        text += ", so the rank is uncertain"
    return [Statement("R9", text + ".", ["tab:relevance", "fig:relevance"])]


def merge_candidates(overlap: pd.DataFrame) -> pd.DataFrame:
    """The pairs whose combined overlap is at least MERGE_CANDIDATE, most overlapping first."""
    combined = pd.to_numeric(overlap["combined"], errors="coerce")
    return overlap[combined >= MERGE_CANDIDATE].sort_values(
        ["combined", "sg_a", "sg_b"], ascending=[False, True, True]
    )


@rule("R10")
def overlap(data: BriefData) -> list[Statement]:
    """SG brief: the SG it overlaps most with (combined, topic and contributor overlap), a merge candidate
    when combined >= MERGE_CANDIDATE. Sector brief: the number of merge-candidate pairs and the top pair."""
    frame = data.overlap
    if frame is None or frame.empty:
        return []
    if not data.is_sector:
        frame = frame[(frame["sg_a"] == data.scope) | (frame["sg_b"] == data.scope)]
    frame = frame[frame["combined"].notna()]
    if frame.empty:
        return []
    top = frame.sort_values(["combined", "sg_a", "sg_b"], ascending=[False, True, True]).iloc[0]
    measures = (
        f"combined {format_score(top['combined'])}: topics {format_score(top['text_similarity'])}, "
        f"contributors {format_score(top['entity_overlap'])}"
    )
    candidates = merge_candidates(frame)
    if data.is_sector:
        text = (
            f"{len(candidates)} of {len(frame)} pairs of study groups reach the merge-candidate level of "
            f"{format_score(MERGE_CANDIDATE)} combined overlap; the most overlapping pair is "
            f"{top['sg_a']} – {top['sg_b']} ({measures})"
        )
    else:
        other = top["sg_b"] if top["sg_a"] == data.scope else top["sg_a"]
        text = f"{data.scope} overlaps most with {other} ({measures}); "
        text += (
            "a merge candidate: at or above " if top["combined"] >= MERGE_CANDIDATE else "below "
        ) + f"the merge-candidate level of {format_score(MERGE_CANDIDATE)}"
    return [Statement("R10", text + ".", ["tab:overlap", "fig:overlap-pairs"])]


@rule("R11")
def risks(data: BriefData) -> list[Statement]:
    """SG brief: how many of the SG's assessed risks are high and medium, naming the high ones (value,
    threshold), and how many could not be assessed (too few records, no indicator).
    Sector brief: how many SGs have at least one high risk, and the risk that is most often high."""
    frame = data.risks
    if frame is None or frame.empty:
        return []
    levels = frame["level"].fillna("n/a")
    if data.is_sector:
        high = frame[levels == "high"]
        text = (
            f"{high['sg'].nunique()} of {frame['sg'].nunique()} study groups have at least one high risk "
            f"in {data.year}"
        )
        if not high.empty:
            counts = high.groupby("risk")["sg"].nunique().sort_values(ascending=False)
            n = int(counts.iloc[0])
            text += f'; the most frequent high risk is "{counts.index[0]}" ({n} SG{"s" if n != 1 else ""})'
        cites = ["tab:risks", *(["fig:risk-heatmap"] if data.risk_heatmap is not None else [])]
        return [Statement("R11", text + ".", cites)]
    high, medium = frame[levels == "high"], frame[levels == "medium"]
    as_of = data.year
    # Only risks with a level count: one resting on too few records or without an indicator is not "low".
    assessed = int(levels.isin(["low", "medium", "high"]).sum())
    if high.empty and medium.empty:
        text = f"None of the {assessed} assessed risks of {data.scope} is high or medium in {as_of}"
    else:
        text = (
            f"{len(high)} of the {assessed} assessed risks of {data.scope} are high and {len(medium)} "
            f"medium in {as_of}"
        )
    if not high.empty:
        from pipelines.briefs.register import indicator_name, indicator_value

        # The indicator by its catalogue name and with its unit ('participation trend -10.4% a year').
        named = [
            f"{r.risk} ({indicator_name(r.indicator).lower()} {indicator_value(r.indicator, r.value)}, threshold "
            f"{indicator_value(r.indicator, r.threshold_high if 'threshold_high' in frame else r.threshold)})"
            for r in high.itertuples()
        ]
        text += ": " + "; ".join(named)
    if assessed < len(frame):
        text += f"; {len(frame) - assessed} of {len(frame)} could not be assessed (too few records or no indicator)"
    return [Statement("R11", text + ".", ["tab:risks"])]


@rule("R12")
def data_quality(data: BriefData) -> list[Statement]:
    """Sector brief: rows quarantined at ingest as a share of all raw rows (a caution above QUARANTINE_CAUTION),
    the failed and warned data-quality checks of the latest run when the warehouse has them. SG brief: what
    touches the SG (its annex): raw rows quarantined that name it, unresolved organisation names in its year."""
    scope = data.scope_quality
    if not data.is_sector and scope is not None:
        named = int(scope.quarantined["rows"].sum())
        text = (
            f"{format_count(named)} quarantined raw row{'' if named == 1 else 's'} name {data.scope} (left out of "
            f"every figure); {format_count(scope.unresolved_names)} organisation name"
            f"{'' if scope.unresolved_names == 1 else 's'} in its {data.year} attendance and contributions "
            f"could not be resolved ({format_count(scope.unresolved_records)} records)"
        )
        return [Statement("R12", text + ".", ["tab:quality-sg", "tab:quality-facts"])]
    ingest = data.quality.ingest
    read, quarantined = int(ingest["rows_read"].sum()), int(ingest["rows_quarantined"].sum())
    if read == 0:
        return []
    share = quarantined / read
    text = (
        f"{format_count(quarantined)} of {format_count(read)} raw rows ({format_percent(share)}) were "
        f"quarantined at ingest"
    )
    if share > QUARANTINE_CAUTION:
        text += f", more than {format_percent(QUARANTINE_CAUTION)}: read the figures with care"
    counts = data.quality.check_counts()
    if counts is not None:
        text += (
            f"; {counts['passed']} data-quality checks passed, {counts['warned']} warned and "
            f"{counts['failed']} failed"
        )
    return [Statement("R12", text + ".", ["tab:quality"])]


@rule("R13")
def landscape(data: BriefData) -> list[Statement]:
    """SG brief: its closest peer committees (similarity), and how their output moved against the SG's own
    over the same years ("grew" / "fell" when the yearly trend is at least STABLE_CHANGE); a threat when the
    field grows and the SG falls behind it, or the field shrinks. Sector brief: how many SGs fall behind a
    growing field. Silent without the landscape (no peer publication records)."""
    from pipelines.briefs.landscape import landscape_statements

    return landscape_statements(data.landscape, data.scope, data.is_sector)


def evidence_statements(data: BriefData) -> list[Statement]:
    """Every rule's statements, in rule order."""
    return [s for fn in RULES.values() for s in fn(data)]


def rules_reference() -> list[tuple[str, str]]:
    """(rule id, its documentation) for the method note of a brief, thresholds written as their values."""
    values = {
        "STABLE_CHANGE": format_percent(STABLE_CHANGE),
        "MERGE_CANDIDATE": format_score(MERGE_CANDIDATE),
        "WIDE_RANK_INTERVAL": str(WIDE_RANK_INTERVAL),
        "QUARANTINE_CAUTION": format_percent(QUARANTINE_CAUTION),
    }
    return documented(RULES, values)


def documented(registry: dict[str, Callable], values: dict[str, str]) -> list[tuple[str, str]]:
    """(rule id, its docstring on one line with each threshold's name replaced by its value), in rule order."""
    out = []
    for rule_id, fn in registry.items():
        doc = " ".join((fn.__doc__ or "").split())
        for name, value in values.items():
            doc = doc.replace(name, value)
        out.append((rule_id, doc))
    return out
