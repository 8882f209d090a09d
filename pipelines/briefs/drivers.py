"""The brief's "Who drives it" section: the countries and organisations that provide the contributions, by name
with their shares, and where the year's newcomers come from.

`load_drivers` sums the core facts with the marts' conventions (fractional contributions, 1/k per distinct
source; newcomers as the newcomer-share KPI defines them, over a successor's predecessors too, as
marts.sg_year_kpis_lineage counts them); `drivers_section` makes the tables. Countries and organisations are
not people: their shares are shown as they are. Newcomers are people: counts below the small-cell threshold
are suppressed (pipelines.formatting.suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.briefs.model import Note, Section, Table
from pipelines.formatting.numbers import MISSING, format_count, format_percent, format_value
from pipelines.formatting.suppression import SMALL_CELL, SUPPRESSED, suppress_people

TITLE = "Who drives it"
TOP = 10  # countries and organisations shown
SECTOR = "sector"
NO_COUNTRY = "Unknown country (unresolved organisation)"
NO_REGION = "Unknown region"
UNRESOLVED = "Unresolved organisation"
DOCS = "documents (fractional)"


@dataclass
class Drivers:
    """The year's (and the year before's) contributions by country and by organisation, and the newcomers."""

    year: int
    countries: pd.DataFrame  # year, country, contributions
    entities: pd.DataFrame  # year, entity_id, organisation, category, country, contributions
    newcomers: pd.DataFrame  # breakdown, group, newcomers, participants
    newcomers_total: int | None  # None: the scope's first year with attendance (no history to be new against)
    participants: int  # distinct participants of the year

    def shares(self, frame: pd.DataFrame, key: str, year: int) -> pd.DataFrame:
        """The rows of `year` with their share of that year's (fractional) contributions, largest first."""
        rows = frame[frame["year"] == year].copy()
        total = float(rows["contributions"].sum())
        rows["share"] = rows["contributions"] / total if total > 0 else float("nan")
        return rows.sort_values(["contributions", key], ascending=[False, True], ignore_index=True)


def _scope_sgs(scope: str) -> list[str] | None:
    """The SGs whose facts make up the scope: the SG and every predecessor (None: the whole sector)."""
    if scope == SECTOR:
        return None
    from pipelines.lineage import lineage

    return [scope, *lineage().predecessors(scope)]


def load_drivers(conn: duckdb.DuckDBPyConnection, scope: str, year: int) -> Drivers:
    """Contributions by country and organisation in `year` and `year - 1`, and the newcomers of `year`."""
    sgs = _scope_sgs(scope)
    own = "" if scope == SECTOR else "and s.sg = ?"
    params = [year - 1, year] + ([] if scope == SECTOR else [scope])
    countries = conn.execute(
        f"""select s.year, coalesce(c.name, s.country_iso3, '{NO_COUNTRY}') as country,
            sum(s.weight)::double as contributions
        from core.fct_contribution_source s left join core.dim_country c on c.iso3 = s.country_iso3
        where s.doc_type = 'C' and s.year between ? and ? {own} group by all""",
        params,
    ).df()
    entities = conn.execute(
        f"""select s.year, s.entity_id,
            case when e.is_resolved then e.name else coalesce(e.name, s.entity_id) || ' (unresolved)' end
                as organisation,
            coalesce(e.category, '{UNRESOLVED}') as category,
            coalesce(c.name, e.country_iso3, '{MISSING}') as country,
            sum(s.weight)::double as contributions
        from core.fct_contribution_source s
        left join core.dim_entity e on e.entity_id = s.entity_id
        left join core.dim_country c on c.iso3 = e.country_iso3
        where s.doc_type = 'C' and s.year between ? and ? {own} group by all""",
        params,
    ).df()
    newcomers, total, participants = _newcomers(conn, sgs, year)
    return Drivers(year, countries, entities, newcomers, total, participants)


def _newcomers(conn: duckdb.DuckDBPyConnection, sgs: list[str] | None, year: int):
    """Newcomers by ITU region and member category: participants of `year` whose first attendance in the scope
    is in `year`, unless `year` is the scope's first year with attendance (the KPI's definition)."""
    where = "" if sgs is None else f"where a.sg in ({', '.join('?' * len(sgs))})"
    scope_params = [] if sgs is None else list(sgs)
    attendance = f"""attendance as (
        select a.participant_key, a.year, coalesce(a.itu_region, '{NO_REGION}') as itu_region,
            coalesce(e.category, '{UNRESOLVED}') as category
        from core.fct_attendance a left join core.dim_entity e on e.entity_id = a.entity_id
        {where}
    ),
    firsts as (select participant_key, min(year) as first_year from attendance group by 1),
    this_year as (
        select a.*, f.first_year = a.year as is_new
        from attendance a join firsts f using (participant_key) where a.year = ?
    )"""
    params = [*scope_params, year]
    first_year, participants, total = conn.execute(
        f"""with {attendance}
        select (select min(year) from attendance), count(distinct participant_key),
            count(distinct participant_key) filter (where is_new)
        from this_year""",
        params,
    ).fetchall()[0]
    frame = conn.execute(
        f"""with {attendance}
        select breakdown, "group",
            count(distinct participant_key) filter (where is_new) as newcomers,
            count(distinct participant_key) as participants
        from (
            select 'ITU region' as breakdown, itu_region as "group", participant_key, is_new from this_year
            union all
            select 'Member category', category, participant_key, is_new from this_year
        ) group by all""",
        params,
    ).df()
    history = first_year is not None and first_year < year
    return frame, (int(total) if history else None), int(participants or 0)


def drivers_section(data) -> Section:
    """Top contributing countries and organisations with their shares, and where the newcomers come from."""
    drivers = data.drivers
    if drivers is None:
        return Section(
            TITLE, [Note("Not available in this warehouse (core.fct_contribution_source missing).")]
        )
    who = "ITU-T" if data.is_sector else data.scope
    partial = data.coverage is not None and data.coverage.is_partial(data.year, "contributions")
    when = f"{data.year}{' (partial year)' if partial else ''}"
    blocks: list = []
    countries = drivers.shares(drivers.countries, "country", data.year)
    if countries.empty:
        blocks.append(Note(f"{who} has no contributions in {data.year}."))
    else:
        blocks.append(_top_table(drivers, countries, "country", "Country", who, when))
        entities = drivers.shares(drivers.entities, "organisation", data.year)
        blocks.append(_top_table(drivers, entities, "organisation", "Organisation", who, when))
    blocks.append(_newcomers_block(data, drivers, who))
    return Section(TITLE, blocks)


def _top_table(drivers: Drivers, rows: pd.DataFrame, key: str, heading: str, who: str, when: str) -> Table:
    """The TOP rows with their share, the share of the year before and the cumulative share."""
    ident = "country" if key == "country" else "entity_id"
    frame = drivers.countries if key == "country" else drivers.entities
    before = drivers.shares(frame, key, drivers.year - 1).set_index(ident)["share"]
    top = rows.head(TOP)
    body = []
    for position, r in enumerate(top.itertuples(), start=1):
        body.append(
            [
                str(position),
                str(getattr(r, key)),
                *([] if key == "country" else [r.category, r.country]),
                format_value(r.contributions, DOCS),
                format_percent(r.share),
                format_percent(before.get(getattr(r, ident))),
                format_percent(rows["share"].head(position).sum()),
            ]
        )
    total = float(rows["contributions"].sum())
    plural = "countries" if key == "country" else "organisations"
    return Table(
        label=f"tab:top-{plural}",
        caption=f"The {len(top)} {plural} that provided most of the contributions of {who}, {when}",
        columns=[
            "Rank",
            heading,
            *([] if key == "country" else ["Category", "Country"]),
            "Contributions (fractional documents)",
            "Share of contributions (%)",
            f"Share in {drivers.year - 1} (%)",
            "Cumulative share (%)",
        ],
        rows=body,
        source="core.fct_contribution_source, core.dim_entity, core.dim_country",
        align=["r", "l", *([] if key == "country" else ["l", "l"]), "r", "r", "r", "r"],
        note=f"Shares of the {format_value(total, DOCS)} contributions of {when} from {len(rows):,} {plural}; "
        "a contribution with k distinct sources counts 1/k for each; n/a in the year before: none then. "
        f"{plural.capitalize()} are not people: no small-cell suppression applies.",
    )


def _newcomers_block(data, drivers: Drivers, who: str):
    if drivers.newcomers_total is None:
        return Note(
            f"Newcomers of {who} in {data.year}: none can be counted, {data.year} is its first year with "
            "attendance in the data (no earlier year to be new against)."
        )
    rows = []
    for breakdown in ("ITU region", "Member category"):
        order = _group_order(drivers.newcomers[drivers.newcomers["breakdown"] == breakdown])
        new = suppress_people(list(order["newcomers"]))
        people = suppress_people(list(order["participants"]))
        for r, count, everyone in zip(order.itertuples(), new, people, strict=True):
            rows.append(
                [
                    breakdown,
                    r.group,
                    SUPPRESSED if count is None else format_count(count),
                    SUPPRESSED
                    if count is None or not drivers.newcomers_total
                    else format_percent(count / drivers.newcomers_total),
                    SUPPRESSED
                    if everyone is None or not drivers.participants
                    else format_percent(everyone / drivers.participants),
                ]
            )
    total = drivers.newcomers_total
    shown = SUPPRESSED if total < SMALL_CELL else format_count(total)
    return Table(
        label="tab:newcomers",
        caption=f"Where the {shown} newcomers of {who} in {data.year} come from",
        columns=[
            "Breakdown",
            "Group",
            "Newcomers (people)",
            "Share of newcomers (%)",
            "Share of all participants (%)",
        ],
        rows=rows,
        source="core.fct_attendance, core.dim_entity",
        align=["l", "l", "r", "r", "r"],
        note=f"Newcomers: participants of {data.year} whose first attendance at a meeting of {who}"
        f"{' (or a predecessor)' if data.lineage_note else ''} is in {data.year}, as the newcomer-share KPI counts "
        f"them; shares of the {format_count(total) if total >= SMALL_CELL else SUPPRESSED} newcomers and of all "
        f"{format_count(drivers.participants)} participants; a person may count in more than one row. Counts "
        f"below {SMALL_CELL} people and the shares computed from them are shown as <{SMALL_CELL}.",
    )


def _group_order(group: pd.DataFrame) -> pd.DataFrame:
    """A fixed order (regions by name, categories as the category table has them; unknown and unresolved last),
    never by the counts: an order by size would tell how large a suppressed cell is."""
    from pipelines.briefs.data import CATEGORIES

    rank = {name: i for i, name in enumerate(CATEGORIES)}
    keys = group["group"].map(lambda g: (g in (NO_REGION, UNRESOLVED), rank.get(g, len(rank)), g))
    return group.assign(_key=keys).sort_values("_key").drop(columns="_key").reset_index(drop=True)
