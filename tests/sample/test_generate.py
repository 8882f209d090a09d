"""The synthetic sample generator: determinism, scaling, contract shape and the planted stories."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from pipelines.ingest.readers import _calamine_rows
from pipelines.sample.generate import TABLES, build_tables, generate_sample, main
from pipelines.sample.manifest import digests, read_manifest

SEED = 20250301
BUNDLED = Path(__file__).resolve().parents[2] / "data" / "raw"
# SHA-256 of every file of the bundled sample; `make sample` rewrites it with data/raw.
MANIFEST = Path(__file__).with_name("data_raw.sha256")
DENYLIST = (
    "Huawei",
    "Ericsson",
    "Nokia",
    "ZTE",
    "Cisco",
    "Samsung",
    "NTT",
    "Orange",
    "Deutsche Telekom",
    "China Mobile",
    "Intel",
    "Qualcomm",
)
SUFFIXES = {"inc", "ltd", "co", "corp", "corporation", "gmbh", "ag", "sa", "plc", "llc", "limited"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("raw")
    return out, generate_sample(out, scale=1, seed=SEED)


@pytest.fixture(scope="module")
def tables(sample) -> dict[str, pd.DataFrame]:
    return {t: read_table(sample[0], t) for t in TABLES}


def read_table(raw: Path, table: str) -> pd.DataFrame:
    frames = []
    for path in sorted((raw / table).iterdir()):
        if path.suffix == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif path.suffix == ".parquet":
            df = pd.read_parquet(path)
            df = df.astype(str) if len(df) else df
        elif path.suffix == ".xlsx":
            df = pd.read_excel(path, dtype=object)
            df = df.apply(lambda col: col.map(_cell))
        else:
            continue
        frames.append(df.assign(_file=path.name))
    return pd.concat(frames, ignore_index=True)


def _cell(value) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if hasattr(value, "date"):
        return value.date().isoformat()
    return str(value)


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[.'’]", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    tokens = text.split()
    while len(tokens) > 1 and tokens[-1] in SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


@pytest.fixture(scope="module")
def resolve(tables):
    lookup = {
        normalise(n): m
        for n, m in zip(tables["members"]["name"], tables["members"]["member_id"], strict=True)
    }
    for alias, mid in zip(tables["org_aliases"]["alias"], tables["org_aliases"]["member_id"], strict=True):
        lookup.setdefault(normalise(alias), mid)
    for iso, name in zip(tables["countries"]["iso3"], tables["countries"]["name"], strict=True):
        lookup.setdefault(normalise(name), f"MS-{iso}")
        lookup.setdefault(iso.casefold(), f"MS-{iso}")
    return lambda name: lookup.get(normalise(name), "unresolved:" + normalise(name))


@pytest.fixture(scope="module")
def attendance(tables) -> pd.DataFrame:
    meetings = tables["meetings"].set_index("meeting_id")
    att = tables["attendance"]
    att = att[att["meeting_id"].isin(meetings.index)].copy()
    att["sg"] = att["meeting_id"].map(meetings["sg"])
    att["year"] = att["meeting_id"].map(meetings["start_date"]).str[:4].astype(int)
    email = att["participant_email"].str.replace(r"\s+", "", regex=True).str.casefold()
    att["key"] = email.where(email != "", att["participant_name"].str.casefold() + "|" + att["country_iso3"])
    return att


@pytest.fixture(scope="module")
def c_weights(tables, resolve) -> pd.Series:
    """Share of fractional C weight per (sg, year, entity)."""
    meetings = tables["meetings"].set_index("meeting_id")
    valid = set(zip(tables["study_groups"]["sg"], tables["study_groups"]["study_period"], strict=True))
    c = tables["contributions"].drop_duplicates("document")
    ok = np.array([(s, p) in valid for s, p in zip(c["sg"], c["study_period"], strict=True)])
    c = c[ok & (c["doc_type"] == "C") & c["meeting_id"].isin(meetings.index)]
    year = c["meeting_id"].map(meetings["start_date"]).str[:4].astype(int)
    rows = []
    for sg, y, sources in zip(c["sg"], year, c["sources"], strict=True):
        names = [s.strip() for s in sources.split(";") if s.strip()]
        rows += [(sg, y, resolve(n), 1 / len(names)) for n in names]
    w = pd.DataFrame(rows, columns=["sg", "year", "entity", "w"]).groupby(["sg", "year", "entity"])["w"].sum()
    return w / w.groupby(level=[0, 1]).transform("sum")


# --- files, determinism, scale ---------------------------------------------------------------------------
def test_every_table_folder_and_metadata(sample):
    raw, rows = sample
    for table in TABLES:
        files = [p for p in (raw / table).iterdir() if p.suffix in (".csv", ".xlsx", ".parquet")]
        assert files, table
    assert (raw / "members" / "members.xlsx").exists()
    assert (raw / "meetings" / "meetings.parquet").exists()
    assert len(list((raw / "attendance").glob("attendance-*.csv"))) == 10
    assert (raw / "attendance" / "attendance-2019.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (raw / "attendance" / "attendance-2020.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    meta = yaml.safe_load((raw / "DATASET.yaml").read_text(encoding="utf-8"))
    assert meta["name"] == "sgpulse bundled sample" and meta["synthetic"] is True
    assert meta["generator"] == "pipelines.sample.generate" and meta["seed"] == SEED and meta["scale"] == 1
    assert meta["years"] == [2016, 2025] and meta["notice"].startswith("SAMPLE DATA")
    assert "Planted stories" in (raw / "README.md").read_text(encoding="utf-8")
    total = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    assert total < 12 * 1024 * 1024


def test_returned_counts_match_files(sample, tables):
    _, rows = sample
    assert set(rows) == set(TABLES)
    for table in TABLES:
        assert rows[table] == len(tables[table]), table


def test_same_seed_same_bytes_via_cli(sample, tmp_path):
    raw, _ = sample
    assert main(["--out", str(tmp_path), "--scale", "1", "--seed", str(SEED)]) == 0
    first = sorted(p.relative_to(raw) for p in raw.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (raw / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_generated_sample_is_byte_identical_to_the_manifest(sample):
    """A refactoring of the generator must not change one byte of what it writes at scale 1."""
    written, expected = digests(sample[0]), read_manifest(MANIFEST)
    changed = sorted(n for n in written.keys() | expected.keys() if written.get(n) != expected.get(n))
    assert not changed, (
        f"generator output differs from {MANIFEST.name} in {changed} (make sample rewrites both)"
    )


def test_bundled_sample_is_the_manifest():
    """data/raw is exactly what the generator writes (no hand edits, nothing stale)."""
    bundled, expected = digests(BUNDLED), read_manifest(MANIFEST)
    changed = sorted(n for n in bundled.keys() | expected.keys() if bundled.get(n) != expected.get(n))
    assert not changed, f"data/raw differs from {MANIFEST.name} in {changed}"


def test_members_xlsx_takes_the_fast_reader(sample, tables):
    # Dates before 1900 are text cells, as Excel writes them: no date cell sends the reader to openpyxl.
    raw, _ = sample
    assert _calamine_rows(raw / "members" / "members.xlsx") is not None
    assert (tables["members"]["joined_on"] < "1900-01-01").any()


def test_other_seed_differs(tables):
    other = build_tables(scale=1, seed=SEED + 1)
    assert (
        other["attendance"]["participant_name"].head(200).tolist()
        != tables["attendance"]["participant_name"].head(200).tolist()
    )
    assert set(other["members"]["name"]) != set(tables["members"]["name"])


def test_rows_scale_roughly_linearly(sample):
    one, two = sample[1], {name: len(df) for name, df in build_tables(scale=2, seed=SEED).items()}
    for table in ("attendance", "contributions", "work_items", "recommendations"):
        ratio = two[table] / one[table]
        assert 1.7 < ratio < 2.3, (table, ratio)
    assert two["meetings"] > 1.4 * one["meetings"]
    assert two["members"] > 1.5 * one["members"] - 193


# --- contract shape ----------------------------------------------------------------------------------------
def test_values_keys_and_the_planted_bad_rows(tables):
    meetings, att, con = tables["meetings"], tables["attendance"], tables["contributions"]
    iso = set(tables["countries"]["iso3"])
    assert len(tables["countries"]) == 193
    members = tables["members"]
    ms = members[members["category"] == "Member State"]
    assert len(ms) == 193 and set(ms["member_id"]) == {f"MS-{i}" for i in iso}
    assert members["member_id"].is_unique
    associates = members[members["category"] == "Associate"]
    assert (associates["sgs"].str.count(";") == 0).all() and (associates["sgs"] != "").all()
    assert meetings["meeting_id"].is_unique
    assert set(meetings["kind"]) <= {"SG", "WP", "RG", "TSAG", "workshop", "CxO"}
    assert set(meetings["format"]) == {"physical", "hybrid", "virtual"}
    assert set(att["role"]) <= {
        "delegate",
        "chair",
        "vice-chair",
        "rapporteur",
        "associate rapporteur",
        "editor",
        "liaison",
        "TSB",
    }
    assert set(con["doc_type"]) == {"C", "TD", "LS-in", "LS-out"}
    assert (con["doc_type"] == "TD").sum() > (con["doc_type"] == "C").sum()
    assert set(tables["recommendations"]["kind"]) == {
        "new",
        "revised",
        "amendment",
        "corrigendum",
        "supplement",
    }
    # Exactly the documented bad rows, one each.
    assert (~att["meeting_id"].isin(meetings["meeting_id"])).sum() == 1
    assert (att["organisation"].str.strip() == "").sum() == 1
    assert set(att["mode"]) == {"on-site", "remote", "hybrid"} and (att["mode"] == "hybrid").sum() == 1
    assert (~att["country_iso3"].isin(iso)).sum() == 0
    assert (~members["country_iso3"].isin(iso)).sum() == 1
    assert con["document"].duplicated().sum() == 1
    assert (~con["submitted_on"].str.match(r"^\d{4}-(0[1-9]|1[0-2])-\d{2}$")).sum() == 1
    assert (meetings["end_date"] < meetings["start_date"]).sum() == 1
    assert (~tables["org_aliases"]["member_id"].isin(members["member_id"])).sum() == 1
    assert (tables["recommendations"]["sg"] == "SG99").sum() == 1
    wi = tables["work_items"]
    assert (wi["target_on"] < wi["started_on"]).sum() == 1 and wi["work_item"].is_unique
    sg_period = set(zip(tables["study_groups"]["sg"], tables["study_groups"]["study_period"], strict=True))
    assert sum((s, p) not in sg_period for s, p in zip(con["sg"], con["study_period"], strict=True)) == 1


def test_questions_and_periods_are_real(tables):
    valid = set(
        zip(
            tables["questions"]["question"],
            tables["questions"]["sg"],
            tables["questions"]["study_period"],
            strict=True,
        )
    )
    con = tables["contributions"]
    bad = [
        (q.strip(), sg, p)
        for qs, sg, p in zip(con["questions"], con["sg"], con["study_period"], strict=True)
        for q in qs.split(";")
        if q.strip() and (q.strip(), sg, p) not in valid
    ]
    assert len(bad) <= 2  # only the planted SG21-in-2017-2020 row


def test_no_real_company_names(tables):
    text = "\n".join(
        pd.concat(
            [
                tables["members"]["name"],
                tables["org_aliases"]["alias"],
                tables["attendance"]["organisation"],
                tables["attendance"]["participant_email"],
                tables["contributions"]["sources"],
            ]
        )
        .astype(str)
        .unique()
    )
    for brand in DENYLIST:
        assert not re.search(rf"\b{re.escape(brand)}\b", text, flags=re.IGNORECASE), brand


def test_some_names_stay_unresolved(tables, resolve):
    names = set(tables["attendance"]["organisation"]) | {
        s.strip()
        for lst in tables["contributions"].loc[tables["contributions"]["doc_type"] == "C", "sources"]
        for s in lst.split(";")
    }
    unresolved = {resolve(n) for n in names if n.strip() and resolve(n).startswith("unresolved:")}
    assert 5 <= len(unresolved) <= 12
    # Printed variants that only the normalisation rule resolves are present too.
    assert any(re.search(r"(Co\., Ltd\.|, Inc\.|GmbH|  )", n) for n in names)


# --- planted stories ---------------------------------------------------------------------------------------
def test_story_sg3_declines(attendance, tables):
    people = attendance[attendance["sg"] == "SG3"].groupby("year")["key"].nunique()
    meetings = tables["meetings"].set_index("meeting_id")
    c = tables["contributions"]
    c = c[(c["sg"] == "SG3") & (c["doc_type"] == "C")]
    docs = c.groupby(c["meeting_id"].map(meetings["start_date"]).str[:4].astype(int)).size()
    for series in (people, docs):
        change = series.loc[2017:2025].pct_change().dropna()
        assert (change < -0.05).all() and (change > -0.16).all(), series.to_dict()


def test_story_sg15_dominance(c_weights):
    hhi = (c_weights**2).groupby(level=[0, 1]).sum().unstack(0)
    for year, row in hhi.iterrows():
        assert row.idxmax() == "SG15", (year, row.sort_values().tail(3).to_dict())
        assert row["SG15"] > 1.5 * row.drop("SG15").max()
    for _year, shares in c_weights.loc["SG15"].groupby(level=0):
        top = shares.sort_values(ascending=False)
        assert top.iloc[:3].sum() > 0.55
        elephant = int((top.cumsum().to_numpy() < 0.5).sum() + 1)
        assert elephant in (2, 3)
    # Every other SG-year has at least 8 entities with a meaningful share.
    meaningful = (c_weights.drop("SG15", level=0) >= 0.02).groupby(level=[0, 1]).sum()
    assert meaningful.min() >= 8, meaningful.sort_values().head(3).to_dict()


def test_story_sg13_sg20_overlap(c_weights, tables):
    entities = c_weights.reset_index().groupby("sg")["entity"].agg(set)
    successor = {"SG9", "SG16", "SG21"}
    pairs = {}
    names = sorted(entities.index)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if {a, b} <= successor:
                continue
            pairs[(a, b)] = len(entities[a] & entities[b]) / len(entities[a] | entities[b])
    best = max(pairs, key=pairs.get)
    assert best == ("SG13", "SG20")
    assert pairs[best] > 1.5 * max(v for k, v in pairs.items() if k != best)
    c = tables["contributions"]
    vocab = c[c["doc_type"] == "C"].groupby("sg")["title"].agg(lambda t: set(" ".join(t).lower().split()))
    assert {"digital", "twin", "slicing", "edge", "iot"} <= vocab["SG13"] & vocab["SG20"]


def test_story_sg5_developing_share_rises(attendance, tables):
    dev = set(tables["countries"].loc[tables["countries"]["development_status"] != "developed", "iso3"])
    share = (
        attendance[attendance["sg"] == "SG5"]
        .groupby("year")["country_iso3"]
        .apply(lambda s: s.isin(dev).mean())
    )
    assert share.loc[2017] < 0.32 and share.loc[2025] > 0.50
    assert (share.loc[2017:2025].diff().dropna() > 0).all(), share.round(3).to_dict()


def test_story_sg11_backlog_grows(tables):
    wi = tables["work_items"]
    wi = wi[(wi["status"] == "ongoing") & (wi["target_on"] >= wi["started_on"])]

    def overdue(sg: str, year: int) -> int:
        g = wi[wi["sg"] == sg]
        return int(((g["started_on"] <= f"{year}-12-31") & (g["target_on"] < f"{year}-12-31")).sum())

    sg11 = [overdue("SG11", y) for y in range(2017, 2026)]
    assert all(b > a for a, b in zip(sg11, sg11[1:], strict=False)), sg11
    for year in range(2017, 2026):
        others = max(overdue(sg, year) for sg in set(wi["sg"]) - {"SG11"})
        assert overdue("SG11", year) > others


def test_virtual_years_and_calibration(attendance, tables):
    remote = attendance.groupby("year")["mode"].apply(lambda m: (m == "remote").mean())
    assert remote.loc[2020] == 1.0 and remote.loc[2021] == 1.0
    assert remote.loc[2017] < 0.15 and 0.45 < remote.loc[2023] < 0.8
    meetings = tables["meetings"]
    covid = meetings[(meetings["start_date"] >= "2020-03-01") & (meetings["start_date"] <= "2021-12-31")]
    assert set(covid["format"]) == {"virtual"}
    plenary = attendance[attendance["meeting_id"].str.endswith("-P")].groupby(["sg", "meeting_id"]).size()
    assert 320 <= plenary.loc["SG13"].median() <= 380
    assert 320 <= plenary.loc["SG15"].median() <= 390
    assert 110 <= plenary.loc["SG2"].median() <= 210
    countries = (
        attendance[attendance["meeting_id"].str.endswith("-P")]
        .groupby("meeting_id")["country_iso3"]
        .nunique()
    )
    assert 25 <= countries.median() <= 50
