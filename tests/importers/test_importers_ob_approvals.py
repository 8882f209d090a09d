"""Operational Bulletin enrichment: matches, non-matches, AAP/TAP and the match rates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.importers.ob_approvals import (
    approval_process,
    enrich_raw_dir,
    enrich_with_ob,
    normalise_designation,
    read_ob_approvals,
)
from pipelines.importers.relaton import import_relaton, write_relaton

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def enriched():
    rows = import_relaton(FIXTURES / "relaton", since=0).rows
    return enrich_with_ob(rows, read_ob_approvals(FIXTURES / "ob-approvals-sample.csv"))


def by_designation(result, designation: str, approved_on: str | None = None) -> dict:
    rows = result.rows[result.rows["designation"] == designation]
    if approved_on:
        rows = rows[rows["approved_on"] == approved_on]
    return rows.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("G.993.2 (2006) Amd 5", "G.993.2 (2006) Amd. 5"),
        ("ITU-T G.876 (2021) Amd. 2", "G.876 (2021) Amd. 2"),
        ("H.222.0 (2021) Technical Cor. 1", "H.222.0 (2021) Cor. 1"),
        ("G.709/Y.1331 (2009) Cor 1", "G.709/Y.1331 (2009) Cor. 1"),
        ("H.264 (V9)", "H.264"),
    ],
)
def test_designations_are_spelt_one_way(text, expected):
    assert normalise_designation(text) == expected


def test_procedure_gives_the_approval_process():
    assert approval_process("Recommendation ITU-T A.8:") == "AAP"
    assert approval_process("Resolution 1") == "TAP"
    assert approval_process("") == ""


def test_matching_notices_fill_process_and_month(enriched):
    h264 = by_designation(enriched, "H.264", "2021-08-22")
    assert (h264["approval_process"], h264["ob_approved_on"]) == ("AAP", "2021-08-01")
    assert h264["ob_issue"] == "1228"  # the first of the two issues that list it
    assert by_designation(enriched, "J.1015")["approval_process"] == "TAP"
    # A notice dated the month after relaton's day (29 March vs April) still matches.
    assert by_designation(enriched, "G.9701 (2019) Amd. 1")["ob_approved_on"] == "2020-04-01"
    # 'Cor 1' in the Bulletin is relaton's 'Technical Cor. 1'; 'H.266 (V4)' matches across version tags.
    assert by_designation(enriched, "H.222.0 (2021) Technical Cor. 1")["approval_process"] == "AAP"
    assert by_designation(enriched, "H.266 (V4)")["approval_process"] == "AAP"
    # relaton's day-precise date is kept.
    assert by_designation(enriched, "G.9701 (2019) Amd. 1")["approved_on"] == "2020-03-29"


def test_non_matches_stay_empty(enriched):
    # (E.180 of 2019, SG21 in relaton with no rule for its series, is reported by the import, not written.)
    for designation, approved_on in [("H.264", "2019-06-13"), ("Q.3960", None)]:
        row = by_designation(enriched, designation, approved_on)
        assert (row["approval_process"], row["ob_approved_on"]) == ("", ""), designation
    # Supplements are not in the Bulletin's approvals and are never matched.
    assert by_designation(enriched, "Y Suppl. 55")["ob_issue"] == ""


def test_match_rates(enriched):
    report = enriched.report
    assert report["window"] == ["2018-11", "2025-09"]
    assert (report["ob_notices"], report["ob_notices_repeated"]) == (10, 1)
    # In the window: 7 notices match, L.82 (not in the fixtures) and Q.3960 (2025, not 2018) do not.
    assert (report["notices_in_window_matched"], report["notices_in_window"]) == (7, 9)
    assert sorted(report["unmatched_notices_examples"]) == ["L.82", "Q.3960"]
    assert (report["rows_in_window_matched"], report["rows_in_window"]) == (7, 9)
    assert report["match_month"] == {"same month": 6, "one month apart": 1}
    assert report["approval_process"] == {"AAP": 6, "TAP": 1}


def test_enrich_raw_dir_rewrites_relaton_csv_idempotently(tmp_path):
    write_relaton(import_relaton(FIXTURES / "relaton", since=0), tmp_path)
    first, csv_path, report_path = enrich_raw_dir(tmp_path, FIXTURES / "ob-approvals-sample.csv")
    once = csv_path.read_text(encoding="utf-8")
    enrich_raw_dir(tmp_path, FIXTURES / "ob-approvals-sample.csv")
    assert csv_path.read_text(encoding="utf-8") == once
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert (table["approval_process"] != "").sum() == 7
    assert report_path.name == "ob-approvals-report.json"


def test_missing_columns_are_named(tmp_path):
    bad = tmp_path / "ob.csv"
    bad.write_text("recommendation,approval_date\nH.264,2021-08-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ob_issue, item_kind, procedures"):
        read_ob_approvals(bad)
