"""The README.md written next to the sample: what it is, the planted stories with their measured figures,
calibration and the deliberately bad rows."""

from __future__ import annotations

from pathlib import Path

from pipelines.sample.bad_rows import BAD_ROWS_DOC
from pipelines.sample.profiles import DEFAULT_SEED, NOTICE, YEARS


def _fmt_years(d: dict, digits: int | None = None) -> str:
    def f(v):
        if digits is None:
            return f"{v}"
        return f"{100 * v:.{digits}f}%"

    return " · ".join(f"{y}: {f(d[y])}" for y in sorted(d))


README_TEMPLATE = """\
# Bundled raw sample (SYNTHETIC)

> {notice}

Written by `pipelines.sample.generate` (`sgpulse sample`, or
`python -m pipelines.sample.generate --out data/raw --scale 1 --seed {default_seed}`). This folder is the
output at **scale {scale}, seed {seed}**; regenerating with the same seed and scale gives identical bytes.
Only scale 1 is committed (scale 100 is a load test: ~100x rows).

Real: `study_groups`, `questions`, `countries` (copied from `pipelines/sample/reference/`). Fictional: every
organisation and person name, e-mail, meeting list, document, work item and Recommendation number (numbers
follow the real series, e.g. `Y.3xxx` for SG13, texts are generated). Organisation names are built from
neutral syllables and checked against a list of real brands.

## Files

| table | file(s) | rows |
|---|---|---|
| study_groups | `study_groups/study_groups.csv` | {rows[study_groups]:,} |
| questions | `questions/questions.csv` | {rows[questions]:,} |
| countries | `countries/countries.csv` | {rows[countries]:,} |
| members | `members/members.xlsx` (XLSX, date cells; a date before 1900 as ISO text, as Excel writes it) | {rows[members]:,} |
| org_aliases | `org_aliases/org_aliases.csv` | {rows[org_aliases]:,} |
| meetings | `meetings/meetings.parquet` (Parquet, `date32` dates) | {rows[meetings]:,} |
| attendance | `attendance/attendance-<year>.csv`, one per year (**2019 has a UTF-8 BOM**) \
| {rows[attendance]:,} |
| contributions | `contributions/contributions-T17.parquet`, `-T22.parquet` (closed periods), `-T25.csv` \
| {rows[contributions]:,} |
| recommendations | `recommendations/recommendations.csv` | {rows[recommendations]:,} |
| work_items | `work_items/work-programme-2014-2021.csv`, `work-programme-2022-2025.csv` (by start) \
| {rows[work_items]:,} |
| events (optional) | `events/events.csv` (one row per event, member category and ITU region) | {rows[events]:,} |
| consultation_responses (optional) | `consultation_responses/consultation-<year>.csv`, one per round \
(one row per answer, no names) | {rows[consultation_responses]:,} |

Row counts include the deliberately bad rows listed below.

## Modelling choices

- **Years 2016-2025.** The 2013-2016 study period is not in the reference data, so 2016 activity is mapped
  onto the 2017-2020 study groups and Questions (`study_period` `2017-2020`, documents numbered `T17-...`).
  2021 belongs to 2017-2020 (extended to WTSA-20, March 2022), 2022-2024 to `2022-2024`, 2025 to `2025-2028`,
  where SG9 and SG16 no longer exist and SG21 does (its people, members and open work items come from
  SG9/SG16). Work items may start in 2014-2015 when they are approved in 2016 or later.
- **Members**: all 193 Member States (`MS-<ISO3>`, named as in `countries`) plus fictional Sector Members
  (`SM-`), Associates (`AS-`, exactly one SG each) and Academia (`AC-`): {members}. Joining and leaving dates
  make membership grow and churn; `sgs` is the registration at the end of 2025 (SG9/SG16 registrations of
  current members read SG21). Member States have an empty `sgs` (they take part everywhere).
- **Meetings**: per SG and year 1-2 plenaries (kind `SG`; SG11/SG13/SG15/SG17 two), separate `WP` and `RG`
  meetings, some `workshop`s; TSAG 1-2 a year (kind `TSAG`). Ids: `SG13-2023-03-P`, `SG13-2023-06-RG2`,
  `SG13-2023-06-WP1`, `SG5-2019-10-WS1`, `TSAG-2023-05`. Format `physical` before March 2020 (2-12 % remote
  participants), `virtual` March 2020 - December 2021 (city and country empty, everyone remote), `hybrid` from
  2022 except some small meetings hosted outside Geneva (`physical`, nobody remote).
- **Attendance**: one row per participant and meeting. Each SG keeps a persistent pool of people; every year
  some stay, a few come back, the rest are newcomers (SG20 recruits many SG13 people, TSAG recruits from all
  SGs, SG21 starts from the 2024 SG9 and SG16 people). ~10 % of people have no e-mail; ~3 % have their e-mail
  written with other case or stray spaces on some rows (same person: key on the normalised e-mail).
- **Organisation names as printed** vary: canonical name, case, doubled spaces and legal suffixes (`Ltd.`,
  `, Inc.`, `Co., Ltd.`, `GmbH`, `S.A.`...) that the normalisation rule resolves, and aliases that only
  `org_aliases` resolves (abbreviations like `NVK Networks`, national subsidiaries like `<name> India`,
  `Univ. of <place>`, `Administration of <country>`, `Republic of Korea`). Member States appear by country
  name (mostly) or ISO3 code. Delegates of a subsidiary carry the subsidiary's country.
- **Contributions**: `C` (sources: members, ~25 % co-signed by 2-5 entities, often the company and its Member
  State), `TD` (source: the organisation of the official who wrote it - rapporteur, editor, chair), `LS-in`
  (source and `counterpart`: the external body, e.g. `3GPP`), `LS-out` (source: the drafting official's
  organisation; `counterpart`: the addressee). Ids `T22-SG13-C-0123` (C series) and `T22-SG13-TD-0456` (TD and
  LS series), numbered per SG and period in submission order. `questions` uses the real Question codes.
- **Recommendations and work items**: new/revised Recommendations come from approved work items (approval at
  a plenary or WP meeting: TAP on its last day, AAP 4-8 weeks later), plus amendments, corrigenda and
  supplements (`Y.Sup42`). `status`: the last new/revised edition of a `rec_id` is `in force` (a few
  `withdrawn`), earlier editions and their amendments `superseded`. SG9/SG16 items open in 2025 moved to SG21.

## Planted stories (what the KPIs must show)

Numbers computed by `summarise()` on the good rows: participant = normalised e-mail, else name + delegation;
year of a contribution = year of its meeting; fractional weight = each `C` split equally among its resolved
sources (member id, Member State by name or ISO3 code, or `unresolved:<name>`).

1. **Steady decline of SG3.** Distinct participants: {p3}. Contributions (C): {c3}. Year-on-year change
   {p3_lo:.0f}% to {p3_hi:.0f}% (participants), {c3_lo:.0f}% to {c3_hi:.0f}% (C), never a bounce.
2. **Dominance in SG15.** Three Sector Members (`SM-0001`..`SM-0003`) hold about 32 %, 16 % and 12 % of
   SG15's fractional C weight every year (top-3 share: {top3}), so the elephant factor (fewest entities
   reaching 50 %) is {elephant}. SG15 has the highest HHI of all SGs every year: SG15 {hhi15}; highest other
   SG: {hhi_other}. Outside SG15 no entity holds more than {max_share:.0f} % of an SG-year and every SG-year
   has at least {min_entities} entities with >= 2 % of the weight.
3. **Overlap SG13 / SG20.** Jaccard similarity of contributing entities (C sources, all years): SG13-SG20
   {ent13:.2f}, next pair {ent_next} {ent_next_v:.2f}. Jaccard of title words (4+ letters): SG13-SG20
   {word13:.2f}, next {word_next} {word_next_v:.2f}. Both SGs draw titles from a shared vocabulary (IoT,
   digital twin, machine learning, network slicing, edge computing, smart city platform, big data, cloud
   computing...). Successor pairs (SG9/SG16 vs SG21) are left out: they share by construction.
4. **Rising developing-country participation in SG5.** Share of SG5 attendance records whose delegation
   (`country_iso3`) is `developing` or `LDC`: {sg5}.
5. **Growing overdue backlog in SG11.** About a third of the work items SG11 starts (from 2015) never leave
   `ongoing`. Work items with status `ongoing`, `started_on` <= 31 Dec and `target_on` < 31 Dec of the year:
   SG11 {sg11}; highest other SG {sg11_other} (elsewhere only recent items run late).
6. **Virtual years.** Share of remote attendance records: {remote}. SG13 plenaries from 2022:
   {sg13_lo:.0f}-{sg13_hi:.0f} % remote.
7. **CxO participation declines** (optional table `events`, enabler E6 of the results framework). Two CxO
   meetings a year; their participants (summed over both meetings) hold steady to {cxo_from}, then fall every
   year to 2025:
   {cxo}.
   Workshops (4-5 a year, each of one SG), a yearly forum and, from 2020, webinars draw no trend.
   Each row is one event's participants of one member category (or `Non-member`) from one ITU region, with the
   follow-up contributions they made (empty for webinars: not reported). Events of March 2020 - 2021 and
   webinars have no host country (online).
8. **The membership consultation** (optional table `consultation_responses`, questionnaire in
   docs/consultation.md). Rounds in September 2023, 2024 and 2025, {respondents} responding organisations each
   (category and ITU region, no names), each answering about ITU-T membership (VAL1) and about 1-3 study groups.
   Shares agreeing (answers 4 or 5) of the planted stories:
   (a) **SG3 rated relevant while its participation falls** (story 1): REL1 {sg3_rel1};
   (b) **SG11's relevance drops in the 2025 round**: REL1 {sg11_rel1};
   (c) **SG15's barriers split by category**: BAR1 in 2025 {sg15_bar1}.
   Elsewhere answers are drawn around the same shares for every SG (+-5 points). About 30 % of respondents write
   a free-text answer; two of the eight texts about barriers carry an e-mail address and a phone number on
   purpose (masked at ingest).

## Calibration (published ITU-T figures -> this sample)

| SG | plenary participants min/median/max | countries per plenary | C per plenary | newcomers | retention |
|---|---|---|---|---|---|
{calibration}

Newcomers and retention are medians over the years (share of a year's participants never seen in that SG
before; share of last year's participants seen again). Targets: SG13 plenaries 338-366 participants, 224-299
C, 56-77 % remote from 2022; SG15 330-380 and 290-360 C; SG2 120-200 and 60-90 C (~100 incoming LS); SG12
115-160 and ~75 C; SG11 ~180; SG17 200-250; SG16 180-230; smaller SGs 80-180; RG/WP meetings 15-90. SG21
exists in 2025 only, so all its people are new to *SG21* (not to ITU-T: they come from SG9/SG16). New or
revised Recommendations per year: {recs} (AAP share of approvals {aap:.0f} %). Share of women among
participants: {female}.

## Names that resolve to no member

Attendance lists and C/TD/LS-out sources contain these names on purpose (the unresolved-organisations list
must not be empty): {unresolved}. `ITU/TSB` is the organisation of TSB staff (role `TSB`). Incoming liaison
statements (`LS-in`) carry the external body as source (same as `counterpart`): {counterparts}. They are not
ITU-T members: keep them out of member/entity KPIs (or list them apart) rather than aliasing them.

## Deliberately bad rows (the same at every scale)

| table | file | data row | what | reason the pipeline should give |
|---|---|---|---|---|
{bad_rows}

Everything else is valid: every raw row should land in staging except these {n_bad} (quarantine).
"""


def write_readme(
    out_dir: Path,
    seed: int,
    scale: int,
    rows: dict[str, int],
    summary: dict,
    bad_located: list[tuple[str, str, int, str]],
) -> None:
    s = summary
    years = list(YEARS)
    hhi = s["hhi"]
    sgs = sorted({sg for sg, _ in hhi}, key=lambda g: (g == "TSAG", int(g[2:]) if g != "TSAG" else 0))
    max_other = {y: max((v, sg) for (sg, yy), v in hhi.items() if yy == y and sg != "SG15") for y in years}
    p3, c3 = s["sg3_participants"], s["sg3_contributions"]
    change_p = [100 * (p3[y] / p3[y - 1] - 1) for y in years[1:]]
    change_c = [100 * (c3[y] / c3[y - 1] - 1) for y in years[1:]]
    o13 = s["overlap"][("SG13", "SG20")]
    next_ent = max((kv for kv in s["overlap"].items() if kv[0] != ("SG13", "SG20")), key=lambda kv: kv[1][0])
    next_word = max((kv for kv in s["overlap"].items() if kv[0] != ("SG13", "SG20")), key=lambda kv: kv[1][1])
    backlog = s["backlog"]
    calibration = []
    for sg in sgs:
        pl = s["plenary"].get(sg, (0, 0, 0))
        co = s["countries"].get(sg, (0, 0))
        cp = s["contributions_per_plenary"].get(sg, (0, 0))
        retention = f"{s['retention'][sg]:.2f}" if sg in s["retention"] else "n/a (2025 only)"
        calibration.append(
            f"| {sg} | {pl[0]} / {pl[1]} / {pl[2]} | {co[0]}-{co[1]} | {cp[0]}-{cp[1]} | "
            f"{s['newcomers'].get(sg, 1.0):.2f} | {retention} |"
        )
    text = README_TEMPLATE.format(
        notice=NOTICE,
        default_seed=DEFAULT_SEED,
        scale=scale,
        seed=seed,
        rows=rows,
        members=", ".join(f"{v} {k}" for k, v in sorted(s["members"].items(), key=lambda kv: -kv[1])),
        p3=_fmt_years(p3),
        c3=_fmt_years(c3),
        p3_lo=min(change_p),
        p3_hi=max(change_p),
        c3_lo=min(change_c),
        c3_hi=max(change_c),
        top3=_fmt_years(s["sg15_top3"], 0),
        elephant=" or ".join(sorted({str(v) for v in s["sg15_elephant"].values()})),
        hhi15=_fmt_years({y: hhi[("SG15", y)] for y in years}),
        hhi_other=" · ".join(f"{y}: {max_other[y][0]} ({max_other[y][1]})" for y in years),
        max_share=100 * s["max_share_other"],
        min_entities=min(v for sg, v in s["min_entities_2pct"].items() if sg != "SG15"),
        ent13=o13[0],
        ent_next="-".join(next_ent[0]),
        ent_next_v=next_ent[1][0],
        word13=o13[1],
        word_next="-".join(next_word[0]),
        word_next_v=next_word[1][1],
        sg5=_fmt_years(s["sg5_dev_share"], 0),
        sg11=_fmt_years(backlog.get("SG11", {})),
        sg11_other=_fmt_years({y: max(v[y] for sg, v in backlog.items() if sg != "SG11") for y in years}),
        remote=_fmt_years(s["remote_by_year"], 0),
        cxo=_fmt_years(s["cxo_participants"]),
        cxo_from=s["cxo_decline_from"],
        respondents=s["consultation"]["respondents"],
        sg3_rel1=_fmt_years(s["consultation"]["sg3_rel1"], 0),
        sg11_rel1=_fmt_years(s["consultation"]["sg11_rel1"], 0),
        sg15_bar1=", ".join(
            f"{c} {100 * v:.0f}% of {n}"
            for c, (v, n) in sorted(s["consultation"]["sg15_bar1_2025"].items())
            if c in ("Sector Member", "Academia")
        ),
        sg13_lo=100 * s["sg13_remote"][0],
        sg13_hi=100 * s["sg13_remote"][1],
        calibration="\n".join(calibration),
        recs=_fmt_years(s["recs_per_year"]),
        aap=100 * s["aap_share"],
        female=_fmt_years(s["female_by_year"], 0),
        unresolved=", ".join(f"`{n}`" for n in s["unresolved"]),
        counterparts=", ".join(f"`{n}`" for n in s["counterparts"]),
        bad_rows="\n".join(
            f"| {t} | `{f}` | {row} | {BAD_ROWS_DOC[code][0]} | {BAD_ROWS_DOC[code][1]} |"
            for t, f, row, code in bad_located
        ),
        n_bad=len(bad_located),
    )
    (out_dir / "README.md").write_text(text, encoding="utf-8")
