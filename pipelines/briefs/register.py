"""The risk register section of a brief, aligned with enterprise risk management: each risk with its indicator
against the risk appetite, likelihood x impact, the change since the year before, its owner, the controls in place
and the mitigation measures of the versioned catalogue (config/risk_register.yaml); the sector brief's heat map
places every risk of the year by likelihood and impact.

Numbers come from marts.sg_risks_history (the brief's year and the year before); words from the catalogue.
"""

from __future__ import annotations

import pandas as pd

from pipelines.briefs.data import BriefData
from pipelines.briefs.model import Note, Section, Table
from pipelines.briefs.parts import _figure, _scope_name, _unavailable
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_count, format_percent, format_value, is_missing

SECTION_TITLE = "Risk register"
LEVELS = {"low": 0, "medium": 1, "high": 2}
APPETITE_WORDS = "low = within the risk appetite, medium = at its tolerance, high = beyond it"


def indicator_name(indicator: str) -> str:
    """A risk indicator by its catalogue name ('Participation trend', not participants_trend)."""
    try:
        return catalogue().get(indicator).name
    except KeyError:
        return indicator


def level_text(row: dict) -> str:
    """A risk level as the register writes it; 'insufficient data (n = 12)' when the indicator rests on fewer
    records than the KPI catalogue's minimum (no level is raised from it)."""
    if bool(row.get("insufficient_data")):
        return f"insufficient data (n = {format_count(row.get('n'))})"
    return MISSING if is_missing(row.get("level")) else str(row["level"])


def indicator_value(indicator: str | None, value) -> str:
    """An indicator's value with its unit: HHI whole, a trend as '-10.4% a year', shares as percentages."""
    if indicator is None or is_missing(value):
        return MISSING
    if indicator == "hhi":
        return format_value(value, "index 0-10000")
    if indicator.endswith("_trend"):
        return f"{format_percent(value)} a year"
    return format_percent(value)


def score_text(row: dict) -> str:
    """'4 × 3 = 12' (likelihood × impact = score), or n/a without a likelihood."""
    if is_missing(row.get("likelihood")) or is_missing(row.get("impact")):
        return MISSING
    return f"{int(row['likelihood'])} × {int(row['impact'])} = {int(row['likelihood']) * int(row['impact'])}"


def change_text(row: dict, before: dict | None, year: int) -> str:
    """The change since the year before (marts.sg_risks_history Y against Y-1): raised, lowered or unchanged,
    with the level and value of the year before; why there is no comparison otherwise."""
    if before is None:
        return f"not assessed in {year - 1}"
    if bool(before.get("insufficient_data")):
        return f"insufficient data in {year - 1}"
    was = before.get("level")
    if is_missing(was):
        return f"no level in {year - 1}"
    now = row.get("level")
    then = f"{was} in {year - 1} at {indicator_value(before.get('indicator'), before.get('value'))}"
    if is_missing(now) or bool(row.get("insufficient_data")):
        return f"no level now; {then}"
    if LEVELS[now] > LEVELS[was]:
        return f"raised: {then}"
    if LEVELS[now] < LEVELS[was]:
        return f"lowered: {then}"
    return f"unchanged: {then}"


def _before(data: BriefData) -> dict[tuple[str, str], dict]:
    frame = data.risks_before
    if frame is None or frame.empty:
        return {}
    return {(r["sg"], r["risk_id"]): r for r in frame.to_dict("records")}


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Highest score first, then level, SG and risk (the register's reading order)."""
    from pipelines.formatting.ordering import sg_sort_key

    return frame.assign(
        _score=pd.to_numeric(frame.get("risk_score"), errors="coerce").fillna(-1),
        _level=frame["level"].map(LEVELS).fillna(-1),
        _sg=frame["sg"].map(sg_sort_key),
    ).sort_values(["_score", "_level", "_sg", "risk_id"], ascending=[False, False, True, True])


def risks_section(data: BriefData) -> Section:
    """The register table (the SG's every risk; the sector's high and medium ones), the owners, controls and
    mitigation of the SG's risks, and the sector's likelihood x impact heat map."""
    if data.risks is None:
        return Section(SECTION_TITLE, [_unavailable("marts.sg_risks_history")])
    frame = data.risks
    if frame.empty:
        return Section(SECTION_TITLE, [Note(f"No risk is recorded for {_scope_name(data)}.")])
    listed = _sorted(frame[frame["level"].isin(["high", "medium"])] if data.is_sector else frame)
    before = _before(data)
    since = f"Since {data.year - 1}"
    rows = []
    for r in listed.to_dict("records"):
        appetite = f"{indicator_value(r['indicator'], r['threshold'])} / {indicator_value(r['indicator'], r.get('threshold_high'))}"
        rows.append(
            [
                *([r["sg"]] if data.is_sector else []),
                r["risk"],
                indicator_name(r["indicator"]),
                indicator_value(r["indicator"], r["value"]),
                *([] if data.is_sector else [appetite]),
                level_text(r),
                score_text(r),
                change_text(r, before.get((r["sg"], r["risk_id"])), data.year),
                *([str(r.get("owner") or MISSING)] if data.is_sector else []),
            ]
        )
    columns = [
        *(["SG"] if data.is_sector else []),
        "Risk",
        "Indicator",
        "Value",
        *([] if data.is_sector else ["Medium / high at"]),
        "Level",
        "Likelihood × impact",
        since,
        *(["Owner"] if data.is_sector else []),
    ]
    blocks: list = [
        Table(
            label="tab:risks",
            caption=(
                f"High and medium risks of the study groups, {data.year}"
                if data.is_sector
                else f"Risk register of {data.scope}, {data.year}"
            ),
            columns=columns,
            rows=rows,
            source="marts.sg_risks_history",
            align=["l"] * (3 if data.is_sector else 2)
            + ["r"] * (1 if data.is_sector else 2)
            + ["l", "r", "l"]
            + (["l"] if data.is_sector else []),
            note=f"Level against the risk appetite of the results framework ({APPETITE_WORDS}); n/a = indicator "
            "not computable; insufficient data = the indicator rests on too few records (n) for a level. "
            "Likelihood 1-5 and impact 1-5 as scored in docs/risk-register.md (config/risk_register.yaml); "
            f"{since.lower()}: the level and value of the register of {data.year - 1}.",
        )
    ]
    if not data.is_sector:
        blocks.append(_controls_table(data, listed))
    else:
        blocks.append(_heat_map(data))
    return Section(SECTION_TITLE, blocks)


def _controls_table(data: BriefData, listed: pd.DataFrame) -> Table:
    """Owner, controls in place and mitigation measures of each of the SG's risks (catalogue text)."""
    from pipelines.analytics.risk_register import register

    reg = register()
    rows = []
    for r in listed.to_dict("records"):
        kind = reg.risks.get(r["risk_id"])
        if kind is None:
            continue
        acting = r.get("level") in ("medium", "high") and not bool(r.get("insufficient_data"))
        rows.append(
            [
                r["risk"],
                f"{kind.category}; impact {kind.impact} of 5: {kind.impact_reason}",
                kind.owner,
                " ".join(f"({i}) {c}" for i, c in enumerate(kind.controls, start=1)),
                " ".join(f"({i}) {m}" for i, m in enumerate(kind.mitigation, start=1))
                if acting
                else f"none: level {level_text(r)}",
            ]
        )
    return Table(
        label="tab:risk-controls",
        caption=f"Owners, controls in place and mitigation measures of {data.scope}'s risks, {data.year}",
        columns=["Risk", "Kind and base impact", "Owner", "Controls in place", "Mitigation measures"],
        rows=rows,
        source=f"config/risk_register.yaml (version {reg.version})",
        align=["l"] * 5,
        note="Mitigation measures are listed for medium and high risks; the catalogue is a draft for TSAG to "
        "review (docs/risk-register.md).",
    )


def _heat_map(data: BriefData):
    from pipelines.analytics.risk_register import register
    from pipelines.charts.restructuring import risk_matrix_chart

    frame = data.risks
    if "likelihood" not in frame:
        return _unavailable("marts.sg_risks_history.likelihood")
    scored = frame.dropna(subset=["likelihood"])
    scoring = register().scoring
    return _figure(
        "fig:risk-heatmap",
        "risk-heatmap",
        risk_matrix_chart(frame, scoring.likelihood_labels, scoring.impact_labels),
        f"Risk heat map of the study groups, likelihood × impact, {data.year}: {len(scored)} risks with a level "
        f"({int((scored['level'] == 'high').sum())} high, {int((scored['level'] == 'medium').sum())} medium)",
        "marts.sg_risks_history",
    )
