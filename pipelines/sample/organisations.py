"""Organisations ("affiliations"): Member States, fictional Sector Members, Associates and Academia, names
that resolve to no member, and TSB; their printed name variants and aliases; the `members` and
`org_aliases` tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.sample.draws import date_of, random_date
from pipelines.sample.names import (
    ACADEMIA_PATTERNS,
    AS_WORDS,
    DEFAULT_LEGAL,
    LEGAL_VARIANTS,
    PLACE_END,
    SM_WORDS,
    STEM_END,
    STEM_FIRST,
    STEM_MID,
    SUBSIDIARY,
    TSB_NAME,
    UNRESOLVED,
    ascii_fold,
    is_branded,
    normalise_org,
)
from pipelines.sample.profiles import AFFINITY, BASE_SGS, MS_ACTIVITY, ORG_COUNTRIES, PRIMARY_SG
from pipelines.sample.reference import Reference


@dataclass
class Orgs:
    member_id: np.ndarray  # object; "" for unresolvable names and TSB
    name: np.ndarray  # canonical name
    category: np.ndarray  # object: Member State / Sector Member / Associate / Academia / unresolved / TSB
    country: np.ndarray  # int index into reference countries
    joined: np.ndarray  # datetime64[D]
    left: np.ndarray  # datetime64[D] (NaT = still a member)
    reg: np.ndarray  # bool (n, len(BASE_SGS))
    w_att: np.ndarray  # float (n, len(BASE_SGS)): delegate-sending weight
    w_con: np.ndarray  # float (n, len(BASE_SGS)): contribution weight
    domain: np.ndarray  # e-mail domain
    giants: np.ndarray  # indices of SG15's dominant contributors
    var_text: np.ndarray  # printed name variants, grouped per org: canonical, resolvable variants, aliases
    var_country: np.ndarray  # int country index of the delegation printing that variant
    var_start: np.ndarray
    n_plain: np.ndarray  # canonical + resolvable variants per org
    n_alias: np.ndarray
    alias_rows: list[tuple[str, str]]  # org_aliases (alias, member_id)

    @property
    def n(self) -> int:
        return len(self.name)

    def join_year(self) -> np.ndarray:
        return self.joined.astype("datetime64[Y]").astype(int) + 1970

    def left_year(self) -> np.ndarray:
        ly = self.left.astype("datetime64[Y]").astype("float")
        return np.where(np.isnat(self.left), 9999, ly + 1970).astype(int)


def _stem_factory(rng: np.random.Generator, taken: set[str]):
    def new_stem(place: bool = False) -> str:
        for attempt in range(10_000):
            extra = STEM_MID[rng.integers(len(STEM_MID))] if attempt > 200 else ""
            stem = (
                STEM_FIRST[rng.integers(len(STEM_FIRST))]
                + STEM_MID[rng.integers(len(STEM_MID))]
                + extra
                + (PLACE_END if place else STEM_END)[rng.integers(len(PLACE_END if place else STEM_END))]
            )
            if stem.casefold() not in taken and not is_branded(stem):
                taken.add(stem.casefold())
                return stem
        raise RuntimeError("ran out of fictional name stems")  # pragma: no cover

    return new_stem


def make_orgs(rng: np.random.Generator, scale: int, ref: Reference) -> Orgs:
    n_c = len(ref.iso3)
    cidx = {iso: i for i, iso in enumerate(ref.iso3)}
    names_norm: set[str] = set()
    for name, iso in zip(ref.countries["name"], ref.iso3, strict=True):
        names_norm.add(normalise_org(name))
        names_norm.add(iso.casefold())
    taken: set[str] = set()
    new_stem = _stem_factory(rng, taken)
    k_sg = len(BASE_SGS)
    sg_col = {sg: i for i, sg in enumerate(BASE_SGS)}

    rows: list[dict] = []
    # Member States: every reference country.
    ms_w = np.array([MS_ACTIVITY.get(iso, 0.0) for iso in ref.iso3], dtype=float)
    status = ref.countries["development_status"].to_numpy()
    default_w = np.where(status == "developed", 0.07, np.where(status == "developing", 0.045, 0.025))
    ms_w = np.where(ms_w > 0, ms_w**1.35, default_w)
    for i, (iso, name) in enumerate(zip(ref.iso3, ref.countries["name"], strict=True)):
        year = int(
            rng.choice(
                [
                    1866,
                    1869,
                    1875,
                    1908,
                    1920,
                    1932,
                    1947,
                    1947,
                    1947,
                    1952,
                    1960,
                    1961,
                    1964,
                    1965,
                    1971,
                    1976,
                    1981,
                    1992,
                    1993,
                    2006,
                    2011,
                ]
            )
        )
        rows.append(
            dict(
                member_id=f"MS-{iso}",
                name=name,
                category="Member State",
                country=i,
                joined=date_of(year, 1 + int(rng.integers(12)), 1 + int(rng.integers(28))),
                left=None,
                reg=np.ones(k_sg, bool),
                size=ms_w[i],
                domain=f"{iso.lower()}-admin.example",
            )
        )

    # Fictional organisations.
    def pick_country(weights: dict[str, float], flat: float) -> int:
        w = np.full(n_c, flat)
        for iso, v in weights.items():
            if iso in cidx:
                w[cidx[iso]] += v**1.4
        return int(rng.choice(n_c, p=w / w.sum()))

    prim_sgs = list(PRIMARY_SG)
    prim_p = np.array([PRIMARY_SG[s] for s in prim_sgs])
    prim_p = prim_p / prim_p.sum()

    def registrations(category: str, forced: Sequence[str] = ()) -> np.ndarray:
        reg = np.zeros(k_sg, bool)
        primary = forced[0] if forced else prim_sgs[int(rng.choice(len(prim_sgs), p=prim_p))]
        if category == "Associate" and primary == "TSAG":
            primary = "SG13"
        reg[sg_col[primary]] = True
        for s in forced[1:]:
            reg[sg_col[s]] = True
        if category != "Associate":
            for other, prob in AFFINITY.get(primary, {}).items():
                if rng.random() < prob:
                    reg[sg_col[other]] = True
            for other in BASE_SGS:
                if rng.random() < 0.012:
                    reg[sg_col[other]] = True
        return reg

    def membership_dates(category: str, founded_before: int) -> tuple[np.datetime64, np.datetime64 | None]:
        if rng.random() < 0.62:
            year = int(rng.integers(founded_before, 2016))
        else:
            year = int(rng.integers(2016, 2026))
        joined = date_of(year, 1 + int(rng.integers(12)), 1 + int(rng.integers(28)))
        left = None
        if rng.random() < 0.19:
            lo = max(joined + np.timedelta64(400, "D"), np.datetime64("2016-01-01"))
            if lo < np.datetime64("2025-11-30"):
                left = random_date(rng, lo, np.datetime64("2025-11-30"))
        return joined, left

    def add_org(category: str, name: str, country: int, forced=(), size_mult=1.0, permanent=False):
        norm = normalise_org(name)
        if norm in names_norm or is_branded(name):
            return False
        names_norm.add(norm)
        first_year = {"Sector Member": 1990, "Associate": 2006, "Academia": 2011}[category]
        joined, left = membership_dates(category, first_year)
        if permanent:
            joined, left = (
                date_of(int(rng.integers(1994, 2010)), 1 + int(rng.integers(12)), 1 + int(rng.integers(28))),
                None,
            )
        stem = re.sub(
            r"[^a-z]",
            "",
            ascii_fold(name.split()[0 if not name.startswith(("University", "Institute")) else -1]).lower(),
        )
        rows.append(
            dict(
                member_id="",
                name=name,
                category=category,
                country=country,
                joined=joined,
                left=left,
                reg=registrations(category, forced),
                size=float(rng.lognormal(0, 0.9)) * size_mult,
                domain=f"{stem}{len(rows) % 97 if len(rows) % 7 == 0 else ''}.example",
            )
        )
        return True

    n_sm, n_as, n_ac = 250 * scale, 60 * scale, 90 * scale
    # SG15's dominant contributors (story 2): three large, permanent Sector Members.
    giant_words = ("Photonics", "Optical Networks", "Transport Systems")
    giant_countries = ("CHN", "USA", "JPN")
    giant_ids: list[int] = []
    for word, iso in zip(giant_words, giant_countries, strict=True):
        while not add_org(
            "Sector Member",
            f"{new_stem()} {word}",
            cidx[iso],
            forced=("SG15", "SG13", "SG5"),
            size_mult=6.0,
            permanent=True,
        ):
            pass
        giant_ids.append(len(rows) - 1)
    count = 3
    while count < n_sm:
        word = SM_WORDS[int(rng.integers(len(SM_WORDS)))]
        if add_org("Sector Member", f"{new_stem()} {word}", pick_country(ORG_COUNTRIES, 0.0)):
            count += 1
    count = 0
    while count < n_as:
        word = AS_WORDS[int(rng.integers(len(AS_WORDS)))]
        if add_org("Associate", f"{new_stem()} {word}", pick_country(ORG_COUNTRIES, 0.005), size_mult=0.4):
            count += 1
    count = 0
    while count < n_ac:
        pattern = ACADEMIA_PATTERNS[int(rng.integers(len(ACADEMIA_PATTERNS)))]
        if add_org(
            "Academia",
            pattern.format(p=new_stem(place=True)),
            pick_country(ORG_COUNTRIES, 0.02),
            size_mult=0.35,
        ):
            count += 1
    # Member ids per category, in creation order.
    for prefix, category in (("SM", "Sector Member"), ("AS", "Associate"), ("AC", "Academia")):
        k = 0
        for row in rows:
            if row["category"] == category:
                k += 1
                row["member_id"] = f"{prefix}-{k:04d}"
    first_academia = next(r["name"] for r in rows if r["category"] == "Academia")
    for name, iso, sgs in UNRESOLVED:
        reg = np.zeros(k_sg, bool)
        for s in sgs:
            for base in ("SG9", "SG16") if s == "SG21" else (s,):
                reg[sg_col[base]] = True
        name = name.format(academia=first_academia)
        rows.append(
            dict(
                member_id="",
                name=name,
                category="unresolved",
                country=cidx[iso],
                joined=None,
                left=None,
                reg=reg,
                size=0.0,
                domain=re.sub(r"[^a-z]", "", ascii_fold(name.split()[0]).lower()) + "-mail.example",
            )
        )
        names_norm.add(normalise_org(name))
    rows.append(
        dict(
            member_id="",
            name=TSB_NAME,
            category="TSB",
            country=cidx["CHE"],
            joined=None,
            left=None,
            reg=np.ones(k_sg, bool),
            size=0.0,
            domain="itu-tsb.example",
        )
    )

    n = len(rows)
    reg = np.stack([r["reg"] for r in rows])
    size = np.array([r["size"] for r in rows])
    noise = rng.lognormal(0, 0.5, size=(n, k_sg))
    w_att = reg * size[:, None] * noise
    w_con = w_att * rng.lognormal(0, 0.6, size=(n, k_sg))
    category = np.array([r["category"] for r in rows], dtype=object)
    is_ms = category == "Member State"
    w_att[is_ms] = size[is_ms, None]  # Member States: country activity, every SG
    # A Member State contributes to a few study groups only, the most active ones to all of them.
    ms_in = rng.random((int(is_ms.sum()), k_sg)) < np.clip(0.1 + ms_w[:, None] / 6, 0, 1)
    w_con[is_ms] = size[is_ms, None] * rng.lognormal(0, 0.5, size=(int(is_ms.sum()), k_sg)) * ms_in

    # Printed variants and aliases.
    var_text: list[str] = []
    var_country: list[int] = []
    var_start = np.zeros(n, np.int64)
    n_plain = np.zeros(n, np.int64)
    n_alias = np.zeros(n, np.int64)
    alias_rows: list[tuple[str, str]] = []
    ms_alias_special = {
        "KOR": "Republic of Korea",
        "RUS": "Russia",
        "IRN": "Iran",
        "USA": "United States of America",
        "GBR": "UK",
        "CHN": "People's Republic of China",
        "TZA": "Tanzania",
        "VNM": "Vietnam",
    }
    top_ms = {iso for iso, w in MS_ACTIVITY.items() if w >= 1.0}

    def alias_ok(alias: str) -> bool:
        norm = normalise_org(alias)
        if not norm or norm in names_norm or is_branded(alias):
            return False
        names_norm.add(norm)
        return True

    for i, r in enumerate(rows):
        var_start[i] = len(var_text)
        name, country, cat = r["name"], r["country"], r["category"]
        plain = [name]
        aliases: list[tuple[str, int]] = []
        if cat == "Member State":
            iso = ref.iso3[country]
            plain += [name.upper(), iso]
            if iso in ms_alias_special:
                aliases.append((ms_alias_special[iso], country))
            if iso in top_ms:
                aliases.append((f"Administration of {name}", country))
        elif cat in ("Sector Member", "Associate"):
            legal = LEGAL_VARIANTS.get(ref.iso3[country], DEFAULT_LEGAL)
            picks = rng.permutation(len(legal))[: 1 + int(rng.integers(len(legal)))]
            plain += [name + legal[j] for j in picks]
            plain += [name.upper(), name.replace(" ", "  ", 1)]
            if rng.random() < (0.4 if cat == "Sector Member" else 0.12):
                stem = name.split()[0]
                cons = [c for c in stem[1:].upper() if c not in "AEIOUY"]
                abbrev = (stem[0] + "".join(cons[:2])).upper()
                if len(abbrev) == 3:
                    aliases.append((f"{abbrev} {' '.join(name.split()[1:])}", country))
            if rng.random() < (0.25 if cat == "Sector Member" else 0.05):
                label, iso = SUBSIDIARY[int(rng.integers(len(SUBSIDIARY)))]
                if iso in cidx and cidx[iso] != country:
                    aliases.append((f"{name} {label}", cidx[iso]))
        elif cat == "Academia":
            plain += [name.upper(), name.replace(" ", "  ", 1)]
            words = name.split()
            if name.startswith("University of ") and rng.random() < 0.6:
                aliases.append((f"Univ. of {words[-1]}", country))
            elif rng.random() < 0.4:
                initials = "".join(w[0] for w in words if w[0].isupper())
                if len(initials) >= 4:
                    aliases.append((initials, country))
                else:
                    aliases.append((f"{words[0]} Tech", country))
        elif cat == "unresolved":
            plain += [name.upper()]
        for text in plain:
            var_text.append(text)
            var_country.append(country)
        n_plain[i] = len(plain)
        for text, c in aliases:
            if alias_ok(text):
                var_text.append(text)
                var_country.append(c)
                n_alias[i] += 1
                alias_rows.append((text, r["member_id"]))

    def dates(key: str) -> np.ndarray:
        return np.array(
            [r[key] if r[key] is not None else np.datetime64("NaT") for r in rows], dtype="datetime64[D]"
        )

    return Orgs(
        member_id=np.array([r["member_id"] for r in rows], dtype=object),
        name=np.array([r["name"] for r in rows], dtype=object),
        category=category,
        country=np.array([r["country"] for r in rows], dtype=np.int64),
        joined=dates("joined"),
        left=dates("left"),
        reg=reg,
        w_att=w_att,
        w_con=w_con,
        domain=np.array([r["domain"] for r in rows], dtype=object),
        giants=np.array(giant_ids, dtype=np.int64),
        var_text=np.array(var_text, dtype=object),
        var_country=np.array(var_country, dtype=np.int64),
        var_start=var_start,
        n_plain=n_plain,
        n_alias=n_alias,
        alias_rows=sorted(alias_rows),
    )


def sg_column(orgs: Orgs, matrix: np.ndarray, sg: str) -> np.ndarray:
    if sg == "SG21":
        return np.maximum(matrix[:, BASE_SGS.index("SG9")], matrix[:, BASE_SGS.index("SG16")])
    return matrix[:, BASE_SGS.index(sg)]


def active_orgs(orgs: Orgs, year: int) -> np.ndarray:
    cat = orgs.category
    jy, ly = orgs.join_year(), orgs.left_year()
    fixed = (cat == "Member State") | (cat == "unresolved") | (cat == "TSB")
    return fixed | ((jy <= year) & (ly >= year))


def variant_pick(
    rng: np.random.Generator, orgs: Orgs, aff: np.ndarray, p_alias: float, p_other: float
) -> np.ndarray:
    """Index of a printed variant per org: mostly canonical, sometimes a resolvable variant or an alias."""
    aff = np.asarray(aff, dtype=np.int64)
    u = rng.random(len(aff))
    start = orgs.var_start[aff]
    n_plain = orgs.n_plain[aff]
    n_alias = orgs.n_alias[aff]
    pick = start.copy()
    other = (u < p_other) & (n_plain > 1)
    pick[other] = start[other] + 1 + (rng.integers(0, 1 << 30, other.sum()) % (n_plain[other] - 1))
    alias = (u >= p_other) & (u < p_other + p_alias) & (n_alias > 0)
    pick[alias] = start[alias] + n_plain[alias] + (rng.integers(0, 1 << 30, alias.sum()) % n_alias[alias])
    return pick


def members_table(orgs: Orgs, ref: Reference) -> pd.DataFrame:
    """The `members` table: a snapshot at the end of 2025 (SG9/SG16 registrations of current members read SG21)."""
    real = np.flatnonzero(orgs.member_id != "")
    sgs = []
    for i in real:
        regs = [s for s, on in zip(BASE_SGS, orgs.reg[i], strict=True) if on]
        if orgs.category[i] == "Member State":
            sgs.append("")
            continue
        current = np.isnat(orgs.left[i]) or orgs.left[i] >= np.datetime64("2025-01-01")
        if current and any(s in ("SG9", "SG16") for s in regs):
            regs = [s for s in regs if s not in ("SG9", "SG16")] + ["SG21"]
        regs = sorted(set(regs), key=lambda s: (s == "TSAG", int(s[2:]) if s != "TSAG" else 0))
        sgs.append("; ".join(regs))
    members = pd.DataFrame(
        {
            "member_id": orgs.member_id[real],
            "name": orgs.name[real],
            "category": orgs.category[real],
            "country_iso3": ref.iso3[orgs.country[real]],
            "joined_on": [d.astype(object) for d in orgs.joined[real]],
            "left_on": [None if np.isnat(d) else d.astype(object) for d in orgs.left[real]],
            "sgs": sgs,
        }
    )
    order = {"Member State": 0, "Sector Member": 1, "Associate": 2, "Academia": 3}
    members["_o"] = members["category"].map(order)
    return members.sort_values(["_o", "member_id"], kind="stable").drop(columns="_o").reset_index(drop=True)


def aliases_table(orgs: Orgs) -> pd.DataFrame:
    """The `org_aliases` table."""
    return pd.DataFrame(orgs.alias_rows, columns=["alias", "member_id"])
