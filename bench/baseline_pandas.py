"""Pandas baseline: marts.sg_year_kpis as an analyst would compute it in a notebook, from the raw files.

Written from the contracts (../shared/contracts/raw-data.md, kpis.md), not from the pipeline's code: read
every batch as text, drop the rows the contract quarantines, resolve organisations, then group by (sg, year).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

LEGAL_SUFFIXES = set(
    "inc incorporated ltd limited co corp corporation company gmbh ag sa plc llc llp bv nv srl spa sas sarl "
    "oy ab kk pty pte kg".split()
)


def read_raw(raw_dir: Path, table: str) -> pd.DataFrame:
    """All batches of one raw table as trimmed text ('' -> NaN), in file order."""
    frames = []
    for path in sorted((Path(raw_dir) / table).iterdir()):
        if path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif path.suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=object)
        else:
            continue
        frames.append(frame)
    raw = pd.concat(frames, ignore_index=True)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    for column in raw.columns:
        if pd.api.types.is_datetime64_any_dtype(raw[column]):
            raw[column] = raw[column].dt.strftime("%Y-%m-%d")
        elif raw[column].dtype == object:  # XLSX cells: dates come as datetimes
            raw[column] = raw[column].map(lambda v: v.strftime("%Y-%m-%d") if isinstance(v, dt.date) else v)
        raw[column] = raw[column].astype("string").str.strip().replace("", pd.NA)
    return raw


def to_date(text: pd.Series) -> pd.Series:
    """ISO dates; anything else (2023-13-45, 'soon') is NaT."""
    text = text.where(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool))
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def normalise_org(name: str) -> str:
    """The contract's organisation normalisation (NFKC, case-folded, punctuation, legal suffixes)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[.'’`´]", "", text)
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    words = text.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words) or name.strip().lower()


def load(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """The raw tables the KPIs need, without the rows the contract quarantines."""
    countries = read_raw(raw_dir, "countries").dropna(subset=["iso3", "name"])
    countries["is_developing"] = countries["development_status"].isin(["developing", "LDC"])
    sgs = read_raw(raw_dir, "study_groups").dropna(subset=["sg", "study_period"])
    known_iso3, known_sg = set(countries["iso3"]), set(sgs["sg"])

    members = read_raw(raw_dir, "members")
    members = members[
        members["member_id"].notna()
        & members["name"].notna()
        & members["category"].isin(["Member State", "Sector Member", "Associate", "Academia"])
        & members["country_iso3"].isin(known_iso3)
        & to_date(members["joined_on"]).notna()
    ].drop_duplicates("member_id")
    aliases = read_raw(raw_dir, "org_aliases")
    aliases = aliases[aliases["member_id"].isin(set(members["member_id"]))].drop_duplicates("alias")

    meetings = read_raw(raw_dir, "meetings")
    start, end = to_date(meetings["start_date"]), to_date(meetings["end_date"])
    meetings = meetings[
        meetings["meeting_id"].notna()
        & meetings["sg"].isin(known_sg)
        & meetings["kind"].isin(["SG", "WP", "RG", "TSAG", "workshop", "CxO"])
        & meetings["format"].isin(["physical", "hybrid", "virtual"])
        & (end >= start)
        & (meetings["country_iso3"].isna() | meetings["country_iso3"].isin(known_iso3))
    ].assign(year=start.dt.year)
    meetings = meetings.drop_duplicates("meeting_id").astype({"year": "int64"})

    att = read_raw(raw_dir, "attendance")
    email = att["participant_email"].str.normalize("NFKC").str.casefold().str.replace(r"\s", "", regex=True)
    name = att["participant_name"].str.normalize("NFKC").str.casefold().str.replace(r"\s+", " ", regex=True)
    att["participant"] = ("email:" + email.replace("", pd.NA)).fillna(
        "name:" + name + "|" + att["country_iso3"].str.upper()
    )
    att = att[
        att["participant_name"].notna()
        & att["organisation"].notna()
        & att["meeting_id"].isin(set(meetings["meeting_id"]))
        & att["country_iso3"].isin(known_iso3)
        & att["role"].isin(
            [
                "delegate",
                "chair",
                "vice-chair",
                "rapporteur",
                "associate rapporteur",
                "editor",
                "liaison",
                "TSB",
            ]
        )
        & att["mode"].isin(["on-site", "remote"])
        & (att["gender"].isna() | att["gender"].isin(["F", "M", "X"]))
    ].drop_duplicates(["meeting_id", "participant"])
    att = att.merge(meetings[["meeting_id", "sg", "year"]], on="meeting_id")

    docs = read_raw(raw_dir, "contributions")
    docs["sources"] = (
        docs["sources"].fillna("").str.split(";").map(lambda xs: [x.strip() for x in xs if x.strip()])
    )
    submitted = to_date(docs["submitted_on"])
    periods = set(zip(sgs["sg"], sgs["study_period"], strict=True))
    docs = docs[
        docs["document"].notna()
        & docs["title"].notna()
        & submitted.notna()
        & pd.Series(
            [p in periods for p in zip(docs["sg"], docs["study_period"], strict=True)], index=docs.index
        )
        & docs["doc_type"].isin(["C", "TD", "LS-in", "LS-out"])
        & (docs["meeting_id"].isna() | docs["meeting_id"].isin(set(meetings["meeting_id"])))
        & (docs["outcome"].isna() | docs["outcome"].isin(["agreed", "partly agreed", "noted", "withdrawn"]))
        & (docs["sources"].str.len() > 0)
    ].assign(year=submitted.dt.year)
    docs = docs.drop_duplicates("document").astype({"year": "int64"})

    recs = read_raw(raw_dir, "recommendations")
    recs["approved_on"] = to_date(recs["approved_on"])
    recs = recs[
        recs["rec_id"].notna()
        & recs["title"].notna()
        & recs["approved_on"].notna()
        & recs["sg"].isin(known_sg)
        & recs["kind"].isin(["new", "revised", "amendment", "corrigendum", "supplement"])
        & (recs["approval_process"].isna() | recs["approval_process"].isin(["AAP", "TAP"]))
        & recs["status"].isin(["in force", "superseded", "withdrawn"])
    ].drop_duplicates(["rec_id", "approved_on", "kind"])

    items = read_raw(raw_dir, "work_items")
    items["started_on"] = to_date(items["started_on"])
    target = to_date(items["target_on"])
    items = items[
        items["work_item"].notna()
        & items["title"].notna()
        & items["started_on"].notna()
        & items["sg"].isin(known_sg)
        & items["status"].isin(["ongoing", "approved", "deleted"])
        & (items["target_on"].isna() | (target >= items["started_on"]))
    ].drop_duplicates("work_item")
    return {
        "countries": countries,
        "members": members,
        "aliases": aliases,
        "meetings": meetings,
        "attendance": att,
        "documents": docs,
        "recommendations": recs,
        "work_items": items,
    }


def resolver(members: pd.DataFrame, aliases: pd.DataFrame, countries: pd.DataFrame) -> dict[str, str]:
    """Normalised name -> member_id: member names first, then aliases, then Member States by country name or ISO3."""
    lookup: dict[str, str] = {}
    states = members[members["category"] == "Member State"].sort_values("member_id")
    state_of = dict(
        zip(states["country_iso3"][::-1], states["member_id"][::-1], strict=True)
    )  # smallest id wins
    groups = [
        sorted(zip(members["name"], members["member_id"], strict=True), key=lambda r: r[1]),
        sorted(zip(aliases["alias"], aliases["member_id"], strict=True), key=lambda r: r[1]),
        [
            (n, state_of[i])
            for n, i in zip(countries["name"], countries["iso3"], strict=True)
            if i in state_of
        ],
        [(i, state_of[i]) for i in countries["iso3"] if i in state_of],
    ]
    for names in groups:
        for name, member_id in names:
            lookup.setdefault(normalise_org(name), member_id)
    return lookup


def sg_year_kpis(raw_dir: Path) -> pd.DataFrame:
    """marts.sg_year_kpis from one raw directory."""
    t = load(raw_dir)
    countries, members, att, docs = t["countries"], t["members"], t["attendance"], t["documents"]
    lookup = resolver(members, t["aliases"], countries)
    cache: dict[str, str] = {}

    def entity(name: str) -> str:
        if name not in cache:
            norm = normalise_org(name)
            cache[name] = lookup.get(norm, "unresolved:" + norm)
        return cache[name]

    developing = dict(zip(countries["iso3"], countries["is_developing"], strict=True))
    member_info = members.assign(is_developing=members["country_iso3"].map(developing).fillna(False))
    member_info = member_info.set_index("member_id")[["category", "is_developing"]]

    # Participation
    att["entity_id"] = att["organisation"].map(entity)
    att["remote"] = att["mode"] == "remote"
    att["developing"] = att["country_iso3"].map(developing).fillna(False).astype(bool)
    att["female"] = (att["gender"] == "F").astype(float).where(att["gender"].notna())
    participation = att.groupby(["sg", "year"]).agg(
        participants=("participant", "nunique"),
        attendance_records=("participant", "size"),
        remote_share=("remote", "mean"),
        countries=("country_iso3", "nunique"),
        organisations=("entity_id", "nunique"),
        developing_share=("developing", "mean"),
        female_share=("female", "mean"),
    )
    people = att[["sg", "year", "participant"]].drop_duplicates().reset_index(drop=True)
    people["first_year"] = people.groupby(["sg", "participant"])["year"].transform("min")
    newcomers = (people["first_year"] == people["year"]).groupby([people["sg"], people["year"]]).mean()
    first_sg_year = people.groupby("sg")["year"].min()
    newcomers = newcomers[
        newcomers.index.get_level_values("year")
        > first_sg_year.reindex(newcomers.index.get_level_values("sg")).values
    ].rename("newcomer_share")
    following = people.assign(year=people["year"] - 1, stayed=True)
    stayed = people.merge(following, on=["sg", "year", "participant"], how="left")["stayed"].notna()
    retention = stayed.groupby([people["sg"], people["year"] + 1]).mean().rename("retention")
    retention.index.names = ["sg", "year"]

    # Documents, and fractional contributions by source entity
    counts = pd.crosstab([docs["sg"], docs["year"]], docs["doc_type"])
    document_counts = pd.DataFrame(
        {
            k: counts[v] if v in counts else 0
            for k, v in (("contributions", "C"), ("ls_in", "LS-in"), ("ls_out", "LS-out"))
        },
        index=counts.index,
    )
    sources = docs[docs["doc_type"] == "C"][["document", "sg", "year", "sources"]].explode("sources")
    sources["entity_id"] = sources["sources"].map(entity)
    sources = sources.drop_duplicates(["document", "entity_id"])
    sources["weight"] = 1.0 / sources.groupby("document")["entity_id"].transform("size")
    totals = sources.groupby(["sg", "year", "entity_id"], as_index=False)["weight"].sum()
    totals = totals.join(member_info, on="entity_id")
    concentration = totals.groupby(["sg", "year"]).apply(_concentration, include_groups=False)

    # Output: Recommendations and cycle time
    recs = t["recommendations"].merge(
        t["work_items"][["work_item", "started_on"]], on="work_item", how="left"
    )
    recs["year"] = recs["approved_on"].dt.year
    recs["is_rec"] = recs["kind"].isin(["new", "revised"])
    recs["is_amendment"] = recs["kind"].isin(["amendment", "corrigendum"])
    recs["cycle_days"] = (recs["approved_on"] - recs["started_on"]).dt.days
    output = recs.groupby(["sg", "year"]).apply(_output, include_groups=False)

    # One row per (sg, year) with a meeting, a document or a Recommendation
    meetings = t["meetings"]
    keys = pd.concat([meetings[["sg", "year"]], docs[["sg", "year"]], recs[["sg", "year"]]]).drop_duplicates()
    kpis = keys.set_index(["sg", "year"]).sort_index()
    kpis["meetings"] = meetings.groupby(["sg", "year"]).size()
    kpis = kpis.join([participation, newcomers, retention, document_counts, concentration, output])
    for column in (
        "meetings participants attendance_records countries organisations contributions contributing_entities "
        "ls_in ls_out recs_approved amendments"
    ).split():
        kpis[column] = kpis[column].fillna(0).astype("int64")
    kpis["backlog"] = _backlog(kpis.index, t["work_items"], t["recommendations"])
    kpis["elephant_factor"] = kpis["elephant_factor"].astype("Int64")
    columns = [
        "meetings", "participants", "attendance_records", "remote_share", "countries", "organisations",
        "developing_share", "female_share", "newcomer_share", "retention", "contributions",
        "contributing_entities", "hhi", "elephant_factor", "industry_share", "academia_share",
        "developing_source_share", "ls_in", "ls_out", "recs_approved", "amendments", "aap_share",
        "median_cycle_days", "backlog",
    ]  # fmt: skip
    return kpis[columns].reset_index()


def _concentration(group: pd.DataFrame) -> pd.Series:
    """HHI, elephant factor and shares of one (sg, year)'s fractional contributions by entity."""
    total = group["weight"].sum()
    ranked = group.sort_values(["weight", "entity_id"], ascending=[False, True])
    reached = np.flatnonzero(ranked["weight"].cumsum().to_numpy() >= 0.5 * total - 1e-9)
    return pd.Series(
        {
            "contributing_entities": len(group),
            "hhi": ((100 * group["weight"] / total) ** 2).sum(),
            "elephant_factor": reached[0] + 1,
            "industry_share": group.loc[
                group["category"].isin(["Sector Member", "Associate"]), "weight"
            ].sum()
            / total,
            "academia_share": group.loc[group["category"] == "Academia", "weight"].sum() / total,
            "developing_source_share": group.loc[
                group["is_developing"].fillna(False).astype(bool), "weight"
            ].sum()
            / total,
        }
    )


def _output(group: pd.DataFrame) -> pd.Series:
    """Recommendations, amendments, AAP share and median cycle time of one (sg, year)."""
    counted = group[group["is_rec"] | group["is_amendment"]]
    known = counted["approval_process"].dropna()
    return pd.Series(
        {
            "recs_approved": int(group["is_rec"].sum()),
            "amendments": int(group["is_amendment"].sum()),
            "aap_share": (known == "AAP").mean() if len(known) else np.nan,
            "median_cycle_days": group.loc[group["is_rec"], "cycle_days"].median(),
        }
    )


def _backlog(index: pd.MultiIndex, items: pd.DataFrame, recs: pd.DataFrame) -> list[int]:
    """Open work items at the end of each (sg, year): ongoing, or approved later than that year."""
    first = recs.groupby("rec_id")["approved_on"].min()
    items = items.assign(first_approved=items["approved_as"].map(first))
    counts = []
    for sg, year in index:
        end = pd.Timestamp(year=year, month=12, day=31)
        open_ = items[
            (items["sg"] == sg)
            & (items["started_on"] <= end)
            & (
                (items["status"] == "ongoing")
                | ((items["status"] == "approved") & (items["first_approved"] > end))
            )
        ]
        counts.append(len(open_))
    return counts


def main() -> None:
    """Print the baseline's sg_year_kpis for a raw directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    print(sg_year_kpis(parser.parse_args().raw).to_string())


if __name__ == "__main__":
    main()
