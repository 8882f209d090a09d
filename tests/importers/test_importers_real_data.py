"""The importers on the real relaton and Bulletin files (skipped where ../shared/real-data is absent)."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pipelines.importers.ob_approvals import enrich_with_ob, read_ob_approvals
from pipelines.importers.relaton import import_relaton

REAL_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "real-data"
RELATON = REAL_DATA / "relaton-itu-t.jsonl.gz"
OB = REAL_DATA / "itu-ob-approvals.csv"

pytestmark = pytest.mark.skipif(not RELATON.exists(), reason=f"real data not found at {REAL_DATA}")


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    with gzip.open(RELATON, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def imported():
    return import_relaton(RELATON, since=0)


def _identifier(doc: dict) -> str:
    return doc["docidentifier"][0]["content"]


def _stage(doc: dict) -> str | None:
    return ((doc.get("status") or {}).get("stage") or {}).get("content")


def test_nothing_is_lost(imported, documents):
    report = imported.report
    assert report["read"] == len(documents) == 16_172
    assert report["written"] + report["reported"] == report["read"]
    assert len(imported.rows) == report["written"]
    assert sum(r["records"] for r in report["reported_by_reason"].values()) == report["reported"]


def test_new_or_revised_per_year_match_the_documents(imported, documents):
    # Independently: whole Recommendation texts (no erratum, appendix or addendum) per approval year.
    expected = Counter(
        int(d["date"][0]["at"][:4])
        for d in documents
        if d["ext"]["doctype"]["content"] == "recommendation"
        and not re.search(r"\b(Err|App|Add)\.", _identifier(d))
    )
    rows = imported.rows[imported.rows["kind"].isin(["new", "revised"])]
    written = Counter(rows["approved_on"].str[:4].astype(int))
    # A text whose study group did not exist on its approval date is reported, not written (e.g. an SG20
    # IoT text of early 2015, before SG20 was created in June 2015).
    whole = {
        _identifier(d): int(d["date"][0]["at"][:4])
        for d in documents
        if d["ext"]["doctype"]["content"] == "recommendation"
    }
    not_existing = Counter(
        whole[r["identifier"]]
        for r in imported.reported
        if r["code"] == "sg_did_not_exist" and r["identifier"] in whole
    )
    assert {y: written[y] + not_existing[y] for y in range(2015, 2026)} == {
        y: expected[y] for y in range(2015, 2026)
    }
    assert sum(not_existing[y] for y in range(2017, 2026)) == 0  # the rules attribute every text since 2017


def test_in_force_matches_the_published_records(imported, documents):
    rows = imported.rows
    month_year = rows["approved_on"].str[5:7] + "/" + rows["approved_on"].str[:4]
    written = set("ITU-T " + rows["designation"] + " (" + month_year + ")")
    by_identifier = {_identifier(d): d for d in documents}
    published = {i for i, d in by_identifier.items() if _stage(d) == "Published"}
    # Without a stage, the itu.int address decides (-I in force, -P pre-published).
    no_stage_in_force = {
        i
        for i, d in by_identifier.items()
        if _stage(d) is None and any(re.search(r"-[IP]$", s["content"]) for s in d.get("source", []))
    }
    in_force = rows["status"] == "in force"
    assert in_force.sum() == len(written & published) + len(written & no_stage_in_force)
    assert (in_force & (rows["status_basis"] == "status.stage")).sum() == len(written & published)
    # Every Published record is either in force or reported with its reason.
    reported_published = [r for r in imported.reported if r["identifier"] in published]
    assert len(written & published) + len(reported_published) == len(published) == 7_269


def test_historical_attribution_leaves_no_sg21_before_2025_unflagged(imported):
    rows = imported.rows
    early = rows[rows["study_period"].isin(["2017-2020", "2022-2024"])]
    assert set(early.loc[early["sg"] == "SG21", "sg_basis"]) <= {"no rule"}
    assert not rows.loc[rows["study_period"] == "2025-2028", "sg"].isin(["SG9", "SG16"]).any()
    share = imported.report["historical_attribution"]["share"]
    assert 0.1 < share < 0.3


@pytest.mark.skipif(not OB.exists(), reason=f"{OB} not found")
def test_most_bulletin_notices_find_their_record(imported):
    rows = imported.rows[imported.rows["approved_on"] >= "2017"]
    report = enrich_with_ob(rows, read_ob_approvals(OB)).report
    assert report["notice_match_rate"] > 0.9
    assert report["row_match_rate"] > 0.8
    assert report["approval_process"]["AAP"] > 10 * report["approval_process"].get("TAP", 0)
