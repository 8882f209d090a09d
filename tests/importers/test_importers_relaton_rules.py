"""Each mapping rule of the relaton importer, on hand-written fixture records (tests/importers/fixtures/)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from pipelines.importers.relaton import import_relaton, write_relaton

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def imported():
    return import_relaton(FIXTURES / "relaton", since=0)


def row(result, designation: str, approved_on: str | None = None) -> dict:
    rows = result.rows[result.rows["designation"] == designation]
    if approved_on:
        rows = rows[rows["approved_on"] == approved_on]
    assert len(rows) == 1, f"{designation} {approved_on}: {len(rows)} rows"
    return rows.iloc[0].to_dict()


def reason_of(result, identifier: str) -> str:
    found = [r for r in result.reported if r["identifier"] == identifier]
    assert len(found) == 1, identifier
    return found[0]["code"]


def test_every_record_is_written_or_reported(imported):
    files = len(list((FIXTURES / "relaton").glob("*.yaml")))
    assert imported.report["read"] == files == 26
    assert imported.report["written"] + imported.report["reported"] == files
    assert len(imported.rows) == imported.report["written"] == 15


def test_new_then_revised_from_the_edition_history(imported):
    assert row(imported, "H.264", "2003-05-30")["kind"] == "new"
    assert row(imported, "H.264", "2019-06-13")["kind"] == "revised"
    assert row(imported, "H.264", "2021-08-22")["kind"] == "revised"
    # Dual numbers: the history follows the first number, whatever the second.
    assert row(imported, "G.8011/Y.1307", "2004-08-22")["kind"] == "new"
    assert row(imported, "G.8011/Y.1307", "2024-01-13")["kind"] == "revised"


def test_amendments_corrigenda_and_supplements_keep_their_kind(imported):
    amendment = row(imported, "G.9701 (2019) Amd. 1")
    assert (amendment["rec_id"], amendment["kind"]) == ("G.9701", "amendment")
    corrigendum = row(imported, "H.222.0 (2021) Technical Cor. 1")
    assert (corrigendum["rec_id"], corrigendum["kind"]) == ("H.222.0", "corrigendum")
    # No title in relaton: the designation stands in for the required title.
    assert corrigendum["title"] == "H.222.0 (2021) Technical Cor. 1"
    supplement = row(imported, "Y Suppl. 55")
    assert (supplement["rec_id"], supplement["kind"]) == ("Y Suppl. 55", "supplement")


def test_version_tags_are_not_part_of_the_rec_id(imported):
    assert row(imported, "H.266 (V4)")["rec_id"] == "H.266"


def test_status_from_the_stage_and_the_edition_history(imported):
    assert row(imported, "H.264", "2021-08-22")["status"] == "in force"  # Published
    assert row(imported, "H.264", "2019-06-13")["status"] == "superseded"  # Withdrawal, a later edition
    assert row(imported, "Q.3960")["status"] == "withdrawn"  # Withdrawal, no later edition
    # No status.stage: the itu.int address ends in -I (in force).
    x1252 = row(imported, "X.1252")
    assert (x1252["status"], x1252["status_basis"]) == ("in force", "itu.int status code")
    assert reason_of(imported, "ITU-T X.1500 (2011) Amd. 12 (03/2018)") == "no_status"


def test_study_group_from_the_contributor(imported):
    assert row(imported, "Q.3960")["sg_current"] == "SG11"
    assert row(imported, "A.1")["sg"] == "TSAG"
    x1252 = row(imported, "X.1252")  # no contributor: today's SG from a fill_missing rule
    assert (x1252["sg"], x1252["sg_current_basis"]) == ("SG17", "rule: X1000-security")


def test_historical_attribution(imported):
    h264 = row(imported, "H.264", "2019-06-13")
    assert (h264["sg"], h264["sg_current"], h264["sg_basis"]) == ("SG16", "SG21", "historical: H-multimedia")
    assert row(imported, "H.264", "2021-08-22")["study_period"] == "2017-2020"  # 2021 belongs to 2017-2020
    j1015 = row(imported, "J.1015")
    assert (j1015["sg"], j1015["sg_basis"]) == ("SG9", "historical: J-cable")
    assert row(imported, "F Suppl. 4")["sg"] == "SG16"
    assert row(imported, "H.222.0 (2021) Technical Cor. 1")["sg"] == "SG16"
    # 2025 on: the SG relaton names is the SG of the period.
    h266 = row(imported, "H.266 (V4)")
    assert (h266["sg"], h266["sg_basis"]) == ("SG21", "current period")
    # Unchanged SGs stay; SG21 in 2019 with no rule for the series did not exist: reported with both dates.
    assert row(imported, "G.9701 (2019) Amd. 1")["sg_basis"] == "unchanged"
    assert reason_of(imported, "ITU-T E.180 (05/2019)") == "sg_did_not_exist"
    (e180,) = [r["reason"] for r in imported.reported if r["identifier"] == "ITU-T E.180 (05/2019)"]
    assert "2019-05" in e180 and "2024-10-25" in e180
    # Before 2017: the same series rules as 2017-2020 (H -> SG16), outside the contract's study periods.
    old = row(imported, "H.264", "2003-05-30")
    assert (old["sg"], old["sg_basis"], old["study_period"]) == (
        "SG16",
        "historical (before 2017): H-multimedia",
        "",
    )
    assert imported.report["historical_attribution"]["given_a_historical_sg"] == 5


@pytest.mark.parametrize(
    ("identifier", "code"),
    [
        ("ITU-T G.9701 (2019) Err. 1 (06/2020)", "erratum"),
        ("ITU-T G.722.2 Annex C (12/2017)", "annex"),
        ("ITU-T EMC-5 (2003) Amd. 1 (10/2009)", "not_recommendation"),  # a handbook filed as a Recommendation
        ("ITU-T HDB 2 (2018)", "not_recommendation"),
        ("ITU-T TP-FSTP-TD (2020)", "not_recommendation"),
        ("ITU-R BT.709-6 (06/2015)", "not_itu_t"),
        ("ITU-T Y.3173 (02/2020)", "no_date"),
        ("ITU-T K.91 (2018) Amd. 2 (09/2018)", "duplicate_key"),
        (None, "unreadable"),
    ],
)
def test_reported_with_a_reason(imported, identifier, code):
    assert reason_of(imported, identifier) == code


def test_since_reports_older_editions_but_keeps_their_history():
    result = import_relaton(FIXTURES / "relaton")  # default --since 2017
    assert set(result.rows["approved_on"].str[:4].astype(int)) >= {2018, 2025}
    assert result.rows["approved_on"].min() >= "2017"
    assert result.report["reported_by_reason"]["before_since"]["records"] == 2  # H.264 (2003), G.8011 (2004)
    assert row(result, "G.8011/Y.1307")["kind"] == "revised"  # the 2004 edition still counts as history


def test_jsonl_and_gzip_bundles(tmp_path):
    plain = import_relaton(FIXTURES / "relaton-bundle.jsonl", since=0)
    packed = tmp_path / "bundle.jsonl.gz"
    with (FIXTURES / "relaton-bundle.jsonl").open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    gz = import_relaton(packed, since=0)
    for result in (plain, gz):
        assert (result.report["read"], result.report["written"], result.report["reported"]) == (4, 3, 1)
        assert result.reported[0]["origin"].endswith(":3") and result.reported[0]["code"] == "unreadable"
        assert list(result.rows["kind"]) == ["new", "new", "amendment"]


def test_write_replaces_only_its_own_files(tmp_path, imported):
    folder = tmp_path / "raw" / "recommendations"
    folder.mkdir(parents=True)
    (folder / "other.csv").write_text("kept\n", encoding="utf-8")
    csv_path, report_path = write_relaton(imported, tmp_path / "raw")
    write_relaton(imported, tmp_path / "raw")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["other.csv", "relaton-import-report.json", "relaton.csv"]
    assert (folder / "other.csv").read_text(encoding="utf-8") == "kept\n"
    assert (
        csv_path.read_text(encoding="utf-8")
        .splitlines()[0]
        .startswith(
            "rec_id,approved_on,sg,question,title,kind,approval_process,status,work_item,abstract,designation"
        )
    )
    assert '"reported_by_reason"' in report_path.read_text(encoding="utf-8")
