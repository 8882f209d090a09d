"""The planted-story and calibration figures measured on the generated tables (written into README.md)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipelines.sample.names import normalise_org
from pipelines.sample.profiles import YEARS


def _resolver(tables: dict[str, pd.DataFrame]):
    lookup: dict[str, str] = {}
    for mid, name in zip(tables["members"]["member_id"], tables["members"]["name"], strict=True):
        lookup[normalise_org(name)] = mid
    for alias, mid in zip(tables["org_aliases"]["alias"], tables["org_aliases"]["member_id"], strict=True):
        lookup.setdefault(normalise_org(alias), mid)
    for iso, name in zip(tables["countries"]["iso3"], tables["countries"]["name"], strict=True):
        lookup.setdefault(normalise_org(name), f"MS-{iso}")
        lookup.setdefault(iso.casefold(), f"MS-{iso}")
    cache: dict[str, str] = {}

    def resolve(name: str) -> str:
        if name not in cache:
            norm = normalise_org(name)
            cache[name] = lookup.get(norm, f"unresolved:{norm}")
        return cache[name]

    return resolve


def participant_keys(att: pd.DataFrame) -> pd.Series:
    """Normalised e-mail, else normalised name plus delegation (the contract's participant identity)."""
    email = att["participant_email"].fillna("").str.replace(r"\s+", "", regex=True).str.casefold()
    name = (
        att["participant_name"].fillna("").str.strip().str.casefold() + "|" + att["country_iso3"].fillna("")
    )
    return email.where(email != "", name)


def summarise(tables: dict[str, pd.DataFrame]) -> dict:
    """The planted-story and calibration figures, computed the simple way (see README.md for definitions)."""
    resolve = _resolver(tables)
    meet = tables["meetings"].set_index("meeting_id")
    att = tables["attendance"]
    a = pd.DataFrame(
        {
            "sg": att["meeting_id"].map(meet["sg"]),
            "kind": att["meeting_id"].map(meet["kind"]),
            "meeting_id": att["meeting_id"],
            "year": att["_year"].astype(int),
            "key": pd.factorize(participant_keys(att))[0],
            "country": att["country_iso3"],
            "remote": att["mode"] == "remote",
            "female": att["gender"] == "F",
        }
    )
    dev = set(
        tables["countries"].loc[tables["countries"]["development_status"].isin(["developing", "LDC"]), "iso3"]
    )
    a["dev"] = a["country"].isin(dev)
    out: dict = {}
    unique = a.groupby(["sg", "year"])["key"].nunique()
    plen = a[a["kind"].isin(["SG", "TSAG"])]
    plen_size = plen.groupby(["sg", "meeting_id"]).size()
    out["plenary"] = {
        sg: (int(s.min()), int(s.median()), int(s.max())) for sg, s in plen_size.groupby(level=0)
    }
    out["countries"] = {
        sg: (int(s.min()), int(s.max()))
        for sg, s in plen.groupby(["sg", "meeting_id"])["country"].nunique().groupby(level=0)
    }
    out["remote_by_year"] = a.groupby("year")["remote"].mean().round(3).to_dict()
    sg13 = plen[(plen["sg"] == "SG13") & (plen["year"] >= 2022)].groupby("meeting_id")["remote"].mean()
    out["sg13_remote"] = (round(float(sg13.min()), 2), round(float(sg13.max()), 2)) if len(sg13) else (0, 0)
    ky = a[["sg", "year", "key"]].drop_duplicates()
    ky = ky.join(ky.groupby(["sg", "key"])["year"].min().rename("first"), on=["sg", "key"])
    newcomer = (ky["first"] == ky["year"]).groupby([ky["sg"], ky["year"]]).mean()
    out["newcomers"] = (
        newcomer[newcomer.index.get_level_values(1) > ky["year"].min()]
        .groupby(level=0)
        .median()
        .round(2)
        .to_dict()
    )
    size = ky.groupby(["sg", "year"]).size()
    stayed = ky.merge(ky[["sg", "year", "key"]].assign(year=ky["year"] + 1), on=["sg", "year", "key"])
    stayed = stayed.groupby(["sg", "year"]).size()
    prev = size.rename(index=lambda y: y + 1, level=1)
    rate = (stayed / prev.reindex(stayed.index)).dropna()
    out["retention"] = rate.groupby(level=0).median().round(2).to_dict()
    people_year = a.drop_duplicates(["year", "key"])
    out["female_by_year"] = people_year.groupby("year")["female"].mean().round(3).to_dict()
    # Story 1: SG3 decline.
    c = tables["contributions"]
    cc = c[c["doc_type"] == "C"].copy()
    cc["year"] = cc["meeting_id"].map(pd.to_datetime(meet["start_date"]).dt.year).astype(int)
    out["sg3_participants"] = {int(y): int(v) for y, v in unique.loc["SG3"].items()}
    out["sg3_contributions"] = {
        int(y): int(v) for y, v in cc[cc["sg"] == "SG3"].groupby("year").size().items()
    }
    out["contributions_per_plenary"] = {
        sg: (int(s.min()), int(s.max())) for sg, s in cc.groupby(["sg", "meeting_id"]).size().groupby(level=0)
    }
    # Story 2: concentration of fractional C weight.
    src = cc[["sg", "year", "sources"]].assign(entity=cc["sources"].str.split(";")).explode("entity")
    codes, uniques = pd.factorize(src["entity"].str.strip())
    src["entity"] = np.array([resolve(u) for u in uniques], dtype=object)[codes]
    src["w"] = 1.0 / src.groupby(level=0)["entity"].transform("size")
    weight = src.groupby(["sg", "year", "entity"])["w"].sum()
    share = weight / weight.groupby(level=[0, 1]).transform("sum")
    hhi = (share**2).groupby(level=[0, 1]).sum()
    out["hhi"] = {(sg, int(y)): round(float(v), 3) for (sg, y), v in hhi.items()}
    top3, elephant = {}, {}
    for y, s in share.loc["SG15"].groupby(level=0):
        s = s.sort_values(ascending=False)
        top3[int(y)] = round(float(s.iloc[:3].sum()), 3)
        elephant[int(y)] = int((s.cumsum().to_numpy() < 0.5).sum() + 1)
    out["sg15_top3"], out["sg15_elephant"] = top3, elephant
    active = share[share >= 0.02].groupby(level=[0, 1]).size()
    out["min_entities_2pct"] = {sg: int(v.min()) for sg, v in active.groupby(level=0)}
    out["max_share_other"] = float(share.drop("SG15", level=0).max())
    # Story 3: overlap of contributing entities and title vocabulary between SG pairs.
    ents = src.groupby("sg")["entity"].agg(set)
    words = (
        cc[["sg", "title"]]
        .drop_duplicates()
        .groupby("sg")["title"]
        .agg(lambda t: set(re.findall(r"[a-z][a-z0-9-]{3,}", " ".join(t).lower())))
    )
    pairs = {}
    successor = {("SG16", "SG21"), ("SG21", "SG9"), ("SG16", "SG9")}
    names = sorted(ents.index)
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            if (x, y) in successor:
                continue
            pairs[(x, y)] = (
                len(ents[x] & ents[y]) / len(ents[x] | ents[y]),
                len(words[x] & words[y]) / len(words[x] | words[y]),
            )
    out["overlap"] = pairs
    # Story 4: SG5 developing/LDC share of attendance records.
    s5 = a[a["sg"] == "SG5"]
    out["sg5_dev_share"] = s5.groupby("year")["dev"].mean().round(3).to_dict()
    # Story 5: SG11 work items ongoing and past their target at each year end.
    wi = tables["work_items"]
    backlog = {}
    for sg, g in wi[wi["status"] == "ongoing"].groupby("sg"):
        backlog[sg] = {
            y: int(((g["started_on"] <= f"{y}-12-31") & (g["target_on"] < f"{y}-12-31")).sum()) for y in YEARS
        }
    out["backlog"] = backlog
    rec = tables["recommendations"]
    nr = rec[rec["kind"].isin(["new", "revised"])]
    out["recs_per_year"] = nr.groupby(nr["approved_on"].str[:4]).size().astype(int).to_dict()
    out["aap_share"] = round(
        float((rec.loc[rec["kind"] != "supplement", "approval_process"] == "AAP").mean()), 3
    )
    # Names that resolve to no member.
    names_att = set(att["organisation"].unique().tolist())
    lists = pd.Series(c.loc[c["doc_type"] != "LS-in", "sources"].unique())
    names_src = set(lists.str.split(";").explode().str.strip().unique().tolist())
    unresolved: dict[str, str] = {}
    for n in sorted(names_att | names_src, key=lambda t: (t.isupper(), t)):
        if n and resolve(n).startswith("unresolved:"):
            unresolved.setdefault(resolve(n), n)
    out["unresolved"] = sorted(unresolved.values())
    out["counterparts"] = sorted(c.loc[c["doc_type"] == "LS-in", "sources"].unique())
    out["members"] = tables["members"]["category"].value_counts().to_dict()
    return out
