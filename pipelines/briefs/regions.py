"""The briefs' "Regional presence" section: where the scope's participants and contributions come from, against
each ITU region's share of ITU-T membership, and (sector brief) the regions against their targets."""

from __future__ import annotations

import pandas as pd

from pipelines.briefs.model import Note, Section, Table
from pipelines.catalogue import catalogue
from pipelines.formatting.numbers import MISSING, format_count, format_percent, format_value, is_missing
from pipelines.formatting.suppression import SMALL_CELL, SUPPRESSED, suppress_people

TITLE = "Regional presence"


def presence_rows(regions: pd.DataFrame, members: pd.DataFrame) -> list[list[str]]:
    """Per ITU region: participants, share of participants, share of contributions, share of ITU-T members and
    participation relative to membership. Shares are of what is attributed to a region; a share of people resting
    on a suppressed count (fewer than SMALL_CELL, or its complement) is suppressed with it."""
    frame = regions.merge(members, on="itu_region", how="left")
    frame = frame[frame["itu_region"].isin(set(members["itu_region"]))].reset_index(drop=True)
    people, docs = float(frame["participants"].sum()), float(frame["contributions"].sum())
    total_members = float(frame["members"].fillna(0).sum())
    shown = suppress_people(list(frame["participants"]))
    rows = []
    for r, count in zip(frame.itertuples(), shown, strict=True):
        member_share = r.members / total_members if total_members and not is_missing(r.members) else None
        people_share = None if count is None or not people else count / people
        rows.append(
            [
                r.itu_region,
                SUPPRESSED if count is None else format_count(count),
                SUPPRESSED if count is None else format_percent(people_share),
                format_percent(r.contributions / docs) if docs else MISSING,
                format_percent(member_share),
                MISSING
                if people_share is None or not member_share
                else format_value(people_share / member_share, "ratio"),
            ]
        )
    return rows


def regional_section(data) -> Section:
    """The scope's regional presence against the membership, and for the sector the regions' targets."""
    if data.region_members is None:
        return Section(TITLE, [Note("Not available in this warehouse (marts.region_year missing).")])
    who = "ITU-T" if data.is_sector else data.scope
    whose = "" if data.is_sector else f" (not only {data.scope}'s members)"
    blocks: list = [
        Table(
            label="tab:regional-presence",
            caption=f"Where the participants and contributions of {who} come from, against each ITU region's "
            f"share of ITU-T membership, {data.year}",
            columns=[
                "ITU region",
                "Participants",
                "Share of participants",
                "Share of contributions",
                "Share of ITU-T members",
                "Participation ÷ membership",
            ],
            rows=presence_rows(data.regions, data.region_members),
            source="marts.region_year"
            if data.is_sector
            else "core.fct_attendance, core.fct_contribution_source; members: marts.region_year",
            note="Shares of the participants and (fractional) contributions attributed to a region; members on "
            f"31 December of all ITU-T members in the region{whose}; 1.00 = participation in proportion to "
            f"membership. Counts below {SMALL_CELL} people and the shares computed from them are shown as "
            f"<{SMALL_CELL}.",
        )
    ]
    if data.is_sector:
        blocks += _targets_blocks(data)
    return Section(TITLE, blocks)


def _targets_blocks(data) -> list:
    targets = data.region_targets
    if targets is None:
        return [Note("Not available in this warehouse (marts.region_kpi_vs_target missing).")]
    now = targets[targets["year"] == data.year]
    if now.empty:
        return [Note(f"No regional KPI has a value in {data.year}.")]
    cat = catalogue()
    rows = [
        [
            r.itu_region,
            cat.get(r.kpi).name,
            format_value(None if is_missing(r.value) else r.value, cat.get(r.kpi).unit),
            format_value(r.target, cat.get(r.kpi).unit),
            _status(r),
            MISSING
            if is_missing(r.n)
            else format_value(r.n, "documents (fractional)" if "contribution" in r.kpi else "count"),
        ]
        for r in now.itertuples()
    ]
    blocks: list = [
        Table(
            label="tab:region-targets",
            caption=f"ITU regions against the regional targets of the results framework, {data.year}",
            columns=["ITU region", "KPI", "Value", "Target", "Status", "n"],
            rows=rows,
            source="marts.region_kpi_vs_target",
            align=["l", "l", "r", "r", "l", "r"],
            note="Status as for the KPIs against targets (on track, watch within the tolerance, off track, "
            "insufficient data when n is below the KPI catalogue's minimum; a partial year is not assessed). n: "
            "the region's participants, fractional contributions, members or meetings the value rests on.",
        )
    ]
    if data.regional_note:
        blocks.append(Note(f"Not measured: {data.regional_note}."))
    return blocks


def _status(row) -> str:
    if not is_missing(row.status):
        return str(row.status)
    return "not assessed (partial year)" if bool(row.partial) and not is_missing(row.value) else MISSING
