"""People and attendance: who attends which meeting in which role and mode, their fictional names and
e-mails; the `attendance` table."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.sample.draws import sample_unique
from pipelines.sample.names import FEMALE, LAST, MALE, ascii_fold
from pipelines.sample.organisations import Orgs, active_orgs, sg_column, variant_pick
from pipelines.sample.profiles import (
    PROFILES,
    SG3_DECLINE,
    SG5_DEV_SHARE,
    SG_ORDER,
    YEARS,
    period_of,
    sg_years,
)
from pipelines.sample.reference import Reference

ROLE_NAMES = (
    "delegate",
    "chair",
    "vice-chair",
    "rapporteur",
    "associate rapporteur",
    "editor",
    "TSB",
    "liaison",
)


class People:
    def __init__(self, capacity: int):
        self.n = 0
        self.aff = np.zeros(capacity, np.int64)
        self.engage = np.zeros(capacity)
        self.gender = np.zeros(capacity, np.int8)  # 0 M, 1 F, 2 X, 3 unknown
        self.year = np.zeros(capacity, np.int16)
        self.variant = np.zeros(capacity, np.int64)
        self.country = np.zeros(capacity, np.int64)

    def add(self, **cols: np.ndarray) -> np.ndarray:
        k = len(cols["aff"])
        if self.n + k > len(self.aff):
            cap = max(2 * len(self.aff), self.n + k)
            for name in ("aff", "engage", "gender", "year", "variant", "country"):
                arr = getattr(self, name)
                grown = np.zeros(cap, arr.dtype)
                grown[: self.n] = arr[: self.n]
                setattr(self, name, grown)
        ids = np.arange(self.n, self.n + k)
        for name, values in cols.items():
            getattr(self, name)[ids] = values
        self.n += k
        return ids


@dataclass
class Attendance:
    meeting: np.ndarray  # meeting row index
    person: np.ndarray
    role: np.ndarray  # index into ROLE_NAMES
    remote: np.ndarray  # bool
    people: People
    holders: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]]  # (sg, year) -> (person ids, role codes)


def _attendance_weights(orgs: Orgs, sg: str, year: int, active: np.ndarray) -> np.ndarray:
    prof = PROFILES[sg]
    cat = orgs.category
    w = sg_column(orgs, orgs.w_att, sg) * active
    ms = np.where(cat == "Member State", w, 0.0)
    org = np.where(np.isin(cat, ["Sector Member", "Associate", "Academia"]), w, 0.0)
    unresolved = np.where(cat == "unresolved", sg_column(orgs, orgs.reg.astype(float), sg), 0.0)
    p = ms / ms.sum() * prof.ms_share + org / org.sum() * (1 - prof.ms_share - 0.006)
    if unresolved.sum() > 0:
        p = p + unresolved / unresolved.sum() * 0.006
    return p / p.sum()


def simulate_people(
    rng: np.random.Generator, scale: int, ref: Reference, orgs: Orgs, meetings: pd.DataFrame
) -> Attendance:
    people = People(4096 * scale)
    dev_country = ref.dev
    cat = orgs.category
    female_p = {y: 0.24 + 0.013 * (y - 2016) for y in YEARS}
    cohorts: dict[tuple[str, int], np.ndarray] = {}
    holders: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
    active_by_year = {y: active_orgs(orgs, y) for y in YEARS}
    aff_active = {y: active_by_year[y] for y in YEARS}
    out_m: list[np.ndarray] = []
    out_p: list[np.ndarray] = []
    out_r: list[np.ndarray] = []
    out_remote: list[np.ndarray] = []
    m_sg = meetings["sg"].to_numpy()
    m_year = meetings["year"].to_numpy()
    m_kind = meetings["kind"].to_numpy()
    m_group = meetings["group"].to_numpy()
    m_remote = meetings["remote_share"].to_numpy()
    tsb_aff = int(np.flatnonzero(cat == "TSB")[0])

    def new_people(sg: str, year: int, n: int, dev_quota: int | None = None) -> np.ndarray:
        if n <= 0:
            return np.zeros(0, np.int64)
        p = _attendance_weights(orgs, sg, year, aff_active[year])
        if dev_quota is None:
            aff = rng.choice(orgs.n, size=n, p=p)
        else:
            aff_dev = dev_country[orgs.country]
            n_dev = int(np.clip(dev_quota, 0, n))
            pd_, pn = p * aff_dev, p * ~aff_dev
            aff = np.concatenate(
                [
                    rng.choice(orgs.n, size=n_dev, p=pd_ / pd_.sum()),
                    rng.choice(orgs.n, size=n - n_dev, p=pn / pn.sum()),
                ]
            )
        variant = variant_pick(rng, orgs, aff, p_alias=0.12, p_other=0.22)
        u = rng.random(n)
        fp = female_p[year]
        gender = np.where(u < fp, 1, np.where(u < fp + 0.006, 2, np.where(u > 0.955, 3, 0)))
        return people.add(
            aff=aff,
            engage=rng.beta(2.0, 2.5, n),
            gender=gender,
            year=np.full(n, year),
            variant=variant,
            country=orgs.var_country[variant],
        )

    tsb_people: dict[str, np.ndarray] = {}
    role_state: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for sg in SG_ORDER:
        prof = PROFILES[sg]
        ever = np.zeros(0, np.int64)
        tsb = people.add(
            aff=np.full(2 + scale // 10, tsb_aff),
            engage=np.ones(2 + scale // 10),
            gender=rng.integers(0, 2, 2 + scale // 10),
            year=np.full(2 + scale // 10, sg_years(sg)[0]),
            variant=np.full(2 + scale // 10, orgs.var_start[tsb_aff]),
            country=np.full(2 + scale // 10, orgs.country[tsb_aff]),
        )
        tsb_people[sg] = tsb
        for year in sg_years(sg):
            period = period_of(year)
            n_q = max(1, len(ref.questions_by.get((sg, period), [])))
            mrows = np.flatnonzero((m_sg == sg) & (m_year == year))
            plen = mrows[np.isin(m_kind[mrows], ["SG", "TSAG"])]
            other = mrows[~np.isin(m_kind[mrows], ["SG", "TSAG"])]
            trend = prof.trend ** (year - 2016)
            if sg == "SG3":
                size = prof.plenary_size * SG3_DECLINE ** (year - 2016)
            else:
                bump = 1.07 if year in (2020, 2021) and sg not in ("SG13", "SG15", "SG17") else 1.0
                size = prof.plenary_size * trend * bump * rng.uniform(0.97, 1.03)
            size *= scale
            ratio = 1.3
            target = int(round(size * ratio))
            active = aff_active[year]
            # Previous cohort (SG21 inherits SG9 and SG16).
            if sg == "SG21":
                prev = np.union1d(cohorts[("SG9", 2024)], cohorts[("SG16", 2024)])
                ever = np.union1d(
                    ever, np.concatenate([c for (s, _), c in cohorts.items() if s in ("SG9", "SG16")])
                )
                role_state[sg] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
            else:
                prev = cohorts.get((sg, year - 1), np.zeros(0, np.int64))
            holder_ids = role_state.get(sg, (np.zeros(0, np.int64), np.zeros(0, np.int64)))[0]
            if len(prev):
                ret_p = 0.42 + 0.5 * people.engage[prev]
                ret_p[np.isin(prev, holder_ids)] = 0.95
                ret_p[~active[people.aff[prev]]] = 0.0
                if sg in ("SG21", "SG3"):  # merged SG / shrinking SG: fewer people stay
                    ret_p *= 0.9 if sg == "SG21" else 0.86
                retained = prev[rng.random(len(prev)) < ret_p]
                lapsed = np.setdiff1d(ever, prev)
                lapsed = lapsed[active[people.aff[lapsed]]]
                n_ret = min(len(lapsed), int(round(0.05 * target)))
                returners = rng.choice(lapsed, size=n_ret, replace=False) if n_ret else lapsed[:0]
                base = np.union1d(retained, returners)
            else:
                base = np.zeros(0, np.int64)
            max_base = int(0.84 * target)  # at least ~16 % newcomers every year
            if len(base) > max_base:
                keep = np.isin(base, holder_ids)
                rest = base[~keep]
                base = np.union1d(
                    base[keep], rng.choice(rest, size=max(0, max_base - keep.sum()), replace=False)
                )
            n_new = target - len(base)
            newcomers = np.zeros(0, np.int64)
            if n_new > 0 and sg in ("SG20", "TSAG") and year > 2016:
                source = ("SG13",) if sg == "SG20" else tuple(s for s in SG_ORDER if s != "TSAG")
                pool = np.unique(
                    np.concatenate([c for (s, y), c in cohorts.items() if s in source and y <= year])
                )
                pool = np.setdiff1d(pool, np.union1d(base, ever))
                pool = pool[active[people.aff[pool]]]
                k = min(len(pool), int(round(n_new * (0.3 if sg == "SG20" else 0.35))))
                if k:
                    newcomers = rng.choice(pool, size=k, replace=False)
            n_fresh = n_new - len(newcomers)
            if sg == "SG5":  # story 4: quota of developing-country newcomers, weighted by expected attendance
                cur = np.concatenate([base, newcomers])
                e_mean = 2.0 / 4.5  # mean engagement of a newcomer, Beta(2, 2.5)
                total_e = people.engage[cur].sum() + n_fresh * e_mean
                dev_e = (people.engage[cur] * dev_country[people.country[cur]]).sum()
                want = (SG5_DEV_SHARE[year] * total_e - dev_e) / e_mean
                fresh = new_people(sg, year, n_fresh, dev_quota=int(round(want)))
            else:
                fresh = new_people(sg, year, n_fresh)
            cohort = np.sort(np.concatenate([base, newcomers, fresh]))
            cohorts[(sg, year)] = cohort
            ever = np.union1d(ever, cohort)

            # Officials: chair, vice-chairs, rapporteurs, associate rapporteurs, editors (kept if they stay)
            need = {
                1: 1,
                2: 4 if prof.plenary_size < 250 else 6,
                3: n_q if sg != "TSAG" else 4,
                4: max(1, n_q // 2),
                5: int(round(1.2 * n_q * scale)),
            }
            h_ids, h_codes = role_state.get(sg, (np.zeros(0, np.int64), np.zeros(0, np.int64)))
            stay = np.isin(h_ids, cohort)
            if year in (2022, 2025):  # new study period: many officials change
                stay &= rng.random(len(h_ids)) < 0.55
            h_ids, h_codes = h_ids[stay], h_codes[stay]
            weight = people.engage[cohort] ** 2
            if sg == "SG15":
                weight = weight * np.where(np.isin(people.aff[cohort], orgs.giants), 4.0, 1.0)
            weight = weight * np.where(np.isin(cat[people.aff[cohort]], ["unresolved"]), 0.0, 1.0)
            for code, k in need.items():
                have = int((h_codes == code).sum())
                if have >= k:
                    continue
                free = ~np.isin(cohort, h_ids)
                w = weight * free
                if w.sum() == 0:
                    continue
                pick = rng.choice(
                    cohort, size=min(k - have, int((w > 0).sum())), replace=False, p=w / w.sum()
                )
                h_ids = np.concatenate([h_ids, pick])
                h_codes = np.concatenate([h_codes, np.full(len(pick), code)])
            role_state[sg] = (h_ids, h_codes)
            holders[(sg, year)] = (h_ids.copy(), h_codes.copy())
            role = np.zeros(len(cohort), np.int64)
            pos = np.searchsorted(cohort, h_ids)
            role[pos] = h_codes

            # Meetings of the year (SG5: redrawn until the developing-country share of records is on target).
            for _attempt in range(40):
                # Meetings of the year.
                e = people.engage[cohort]
                seen = np.zeros(len(cohort), bool)
                rows_m: list[np.ndarray] = []
                rows_p: list[np.ndarray] = []
                rows_r: list[np.ndarray] = []
                for m in plen:
                    s = size * (1.0 if sg == "SG3" else rng.uniform(0.95, 1.05))
                    lo_k, hi_k = 0.0, 10.0
                    for _ in range(40):
                        k_ = (lo_k + hi_k) / 2
                        if np.minimum(1, k_ * e).sum() < s:
                            lo_k = k_
                        else:
                            hi_k = k_
                    prob = np.minimum(1, hi_k * e)
                    prob[role > 0] = 0.97
                    sel = np.flatnonzero(rng.random(len(cohort)) < prob)
                    seen[sel] = True
                    r = role[sel].copy()
                    delegates = np.flatnonzero(r == 0)
                    if len(delegates):
                        r[
                            rng.choice(
                                delegates, size=min(len(delegates), 1 + int(s > 200 * scale)), replace=False
                            )
                        ] = 7
                    rows_m.append(np.full(len(sel), m))
                    rows_p.append(sel)
                    rows_r.append(r)
                # Working parties, rapporteur groups, workshops: draws within Question groups.
                group = (cohort * 7919 + SG_ORDER.index(sg)) % n_q
                wp_group = group % 3
                for m in other:
                    kind = m_kind[m]
                    if kind == "RG":
                        members = np.flatnonzero(group == m_group[m])
                        w = e[members] ** 2 * np.where(np.isin(role[members], [3, 4, 5]), 4.0, 1.0)
                        k = int(np.clip(size * rng.uniform(0.08, 0.22) / scale, 15, 80) * scale**0.0)
                    elif kind == "WP":
                        members = np.flatnonzero(wp_group == m_group[m])
                        w = e[members] ** 2 * np.where(role[members] > 0, 3.0, 1.0)
                        k = int(np.clip(size * rng.uniform(0.18, 0.35) / scale, 25, 90))
                    else:
                        members = np.arange(len(cohort))
                        w = np.ones(len(members))
                        k = int(rng.integers(40, 121))
                    pick = members[sample_unique(rng, np.cumsum(w), k)]
                    seen[pick] = True
                    r = role[pick].copy()
                    if kind == "RG":
                        r[np.isin(r, [1, 2])] = 0
                    elif kind == "workshop":
                        r[:] = 0
                    rows_m.append(np.full(len(pick), m))
                    rows_p.append(pick)
                    rows_r.append(r)
                # Everyone in the cohort attends at least one meeting of the year.
                missing = np.flatnonzero(~seen)
                if len(missing):
                    # Fill the small meetings up to ~75 participants, the rest goes to the plenaries.
                    counts = {int(m): 0 for m in other}
                    for mrow, prow in zip(rows_m, rows_p, strict=True):
                        if len(mrow) and int(mrow[0]) in counts:
                            counts[int(mrow[0])] += len(prow)
                    slots = np.repeat(other, [max(0, 75 - counts[int(m)]) for m in other]).astype(np.int64)
                    slots = rng.permutation(slots)[: len(missing)]
                    spill = len(missing) - len(slots)
                    targets = plen if len(plen) else other
                    where = np.concatenate([slots, targets[rng.integers(0, len(targets), spill)]])
                    where = where[rng.permutation(len(where))]
                    rows_m.append(where)
                    rows_p.append(missing)
                    rows_r.append(
                        np.where(
                            np.isin(m_kind[where], ["RG"]) & np.isin(role[missing], [1, 2]),
                            0,
                            np.where(m_kind[where] == "workshop", 0, role[missing]),
                        )
                    )
                mm = np.concatenate(rows_m)
                pp = cohort[np.concatenate(rows_p)]
                rr = np.concatenate(rows_r)
                # TSB staff at plenaries (all) and some other meetings.
                t_m, t_p = [], []
                for m in mrows:
                    go = np.ones(len(tsb), bool) if m in plen else rng.random(len(tsb)) < 0.25
                    t_m.append(np.full(int(go.sum()), m))
                    t_p.append(tsb[go])
                tm, tp = np.concatenate(t_m), np.concatenate(t_p)
                mm = np.concatenate([mm, tm])
                pp = np.concatenate([pp, tp])
                rr = np.concatenate([rr, np.full(len(tp), 6)])
                # Mode: the meeting's remote share, tilted towards remote for developing-country delegations.
                share = m_remote[mm]
                tilt = np.where(dev_country[people.country[pp]], 0.08, -0.05)
                p_remote = np.where((share >= 1.0) | (share <= 0.0), share, np.clip(share + tilt, 0, 1))
                p_remote = np.where(rr == 6, np.minimum(p_remote, np.where(share >= 1.0, 1.0, 0.0)), p_remote)
                remote = rng.random(len(mm)) < p_remote
                if sg != "SG5" or abs(dev_country[people.country[pp]].mean() - SG5_DEV_SHARE[year]) <= 0.008:
                    break
            out_m.append(mm)
            out_p.append(pp)
            out_r.append(rr)
            out_remote.append(remote)
    return Attendance(
        meeting=np.concatenate(out_m),
        person=np.concatenate(out_p),
        role=np.concatenate(out_r),
        remote=np.concatenate(out_remote),
        people=people,
        holders=holders,
    )


def _person_identities(rng: np.random.Generator, orgs: Orgs, people: People):
    """Names and e-mails per person (fictional); ~10 % without e-mail, ~3 % with messy e-mail spellings."""
    n = people.n
    fem = np.array(FEMALE, dtype=object)
    mal = np.array(MALE, dtype=object)
    last = np.array(LAST, dtype=object)
    g = people.gender[:n]
    is_f = (g == 1) | ((g >= 2) & (rng.random(n) < 0.5))
    first = np.where(is_f, fem[rng.integers(0, len(fem), n)], mal[rng.integers(0, len(mal), n)])
    surname = last[rng.integers(0, len(last), n)]
    names = [f"{f} {s}" for f, s in zip(first, surname, strict=True)]
    domain = orgs.domain[people.aff[:n]]
    has_email = rng.random(n) >= 0.10
    is_tsb = orgs.category[people.aff[:n]] == "TSB"
    has_email |= is_tsb
    emails: list[str] = []
    used: set[str] = set()
    for f, s, d, ok in zip(first, surname, domain, has_email, strict=True):
        if not ok:
            emails.append("")
            continue
        local = re.sub(r"[^a-z0-9.]", "", ascii_fold(f"{f}.{s}").lower().replace(" ", ""))
        email = f"{local}@{d}"
        k = 2
        while email in used:
            email = f"{local}{k}@{d}"
            k += 1
        used.add(email)
        emails.append(email)
    messy = has_email & (rng.random(n) < 0.03)
    return np.array(names, dtype=object), np.array(emails, dtype=object), messy


def attendance_frame(
    rng: np.random.Generator, orgs: Orgs, meetings: pd.DataFrame, att: Attendance, ref: Reference
) -> pd.DataFrame:
    names, emails, messy = _person_identities(rng, orgs, att.people)
    p = att.person
    people = att.people
    # Organisation as printed: the person's habit, sometimes another spelling of the same organisation.
    variant = people.variant[p].copy()
    redo = rng.random(len(p)) < 0.10
    variant[redo] = variant_pick(rng, orgs, people.aff[p][redo], p_alias=0.05, p_other=0.5)
    org_text = orgs.var_text[variant]
    email = emails[p].copy()
    mess = messy[p] & (rng.random(len(p)) < 0.5)
    idx = np.flatnonzero(mess)
    style = rng.integers(0, 3, len(idx))
    for i, s in zip(idx.tolist(), style.tolist(), strict=True):
        e = email[i]
        email[i] = e.title() if s == 0 else (f" {e} " if s == 1 else e.upper())
    # Rows ordered by meeting (start date, id) and randomly within a meeting.
    rank = np.empty(len(meetings), np.int64)
    rank[np.lexsort((meetings["meeting_id"].to_numpy().astype(str), meetings["start_date"].to_numpy()))] = (
        np.arange(len(meetings))
    )
    order = np.lexsort((rng.random(len(p)), rank[att.meeting]))
    p, m = p[order], att.meeting[order]
    return pd.DataFrame(
        {
            "meeting_id": meetings["meeting_id"].to_numpy(dtype=object)[m],
            "participant_name": names[p],
            "participant_email": email[order],
            "organisation": org_text[order],
            "country_iso3": ref.iso3[people.country[p]],
            "role": np.array(ROLE_NAMES, dtype=object)[att.role[order]],
            "mode": np.where(att.remote[order], "remote", "on-site").astype(object),
            "gender": np.array(["M", "F", "X", ""], dtype=object)[people.gender[p]],
            "_year": meetings["year"].to_numpy()[m],
        }
    )
