"""A row's study group must have existed on the row's date (config/study_groups.yaml), else quarantine."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import ingest_into_memory, rows
from small_raw import SMALL_RAW, write_small_raw

from pipelines.lineage import LineageError, lineage, load_lineage_file

MEETINGS = SMALL_RAW["meetings"] + (
    "SG9-2024-10,SG9,SG,2024-10-28,2024-10-31,Geneva,CHE,hybrid\n"  # after WTSA-24: SG9 no longer existed
    "SG9-2024-09,SG9,SG,2024-09-02,2024-09-06,Geneva,CHE,hybrid\n"
)
RECOMMENDATIONS = SMALL_RAW["recommendations"] + (
    "J.1,2015-03-01,SG21,,Cable text of 2015,new,AAP,in force,,\n"  # before SG21 existed
    "H.1,2024-11-20,SG21,,Multimedia text,new,AAP,in force,,\n"
)
WORK_ITEMS = SMALL_RAW["work_items"] + (
    "J.moved,SG21,Q1/21,Cable work started under SG9,2023-06-01,2026-06-30,ongoing,\n"  # carried by SG21
)


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    overrides = {"meetings": MEETINGS, "recommendations": RECOMMENDATIONS, "work_items": WORK_ITEMS}
    raw = write_small_raw(tmp_path_factory.mktemp("dated") / "raw", overrides)
    conn, _ = ingest_into_memory(raw)
    return conn


def test_a_row_dated_before_its_sg_existed_is_quarantined_with_both_dates(dated):
    conn = dated
    assert rows(conn, "select rec_id, reason from quarantine.recommendations") == [
        ("J.1", "sg 'SG21' did not exist on 2015-03-01 (approved_on): it exists from 2024-10-25")
    ]
    assert ("H.1", "SG21") in rows(conn, "select rec_id, sg from staging.recommendations")


def test_a_row_dated_after_its_sg_ceased_is_quarantined_with_both_dates(dated):
    conn = dated
    assert rows(conn, "select meeting_id, reason from quarantine.meetings") == [
        ("SG9-2024-10", "sg 'SG9' did not exist on 2024-10-28 (start_date): it existed until 2024-10-24")
    ]
    assert ("SG9-2024-09",) in rows(conn, "select meeting_id from staging.meetings")


def test_a_successor_carries_work_its_predecessor_started(dated):
    conn = dated
    assert ("J.moved",) in rows(conn, "select work_item from staging.work_items")
    assert rows(conn, "select count(*) from quarantine.work_items") == [(0,)]


def test_the_configuration_knows_the_history():
    config = lineage()
    assert config.successors() == {"SG9": "SG21", "SG16": "SG21"}
    assert config.period_of(dt.date(2021, 6, 1)) == "2017-2020"  # ran until WTSA-20, March 2022
    assert config.period_of(dt.date(2022, 3, 10)) == "2022-2024"
    assert config.period_of(dt.date(2024, 10, 25)) == "2025-2028"
    assert config.exists_on("SG20", dt.date(2015, 6, 5)) and not config.exists_on("SG20", dt.date(2015, 6, 4))
    assert config.exists_on("TSAG", dt.date(1990, 1, 1))
    assert ("SG21", "SG16", dt.date(2024, 10, 25)) in config.lineage_rows()


@pytest.mark.parametrize(
    "change, message",
    [
        ("SG21: {exists_from: 2024-10-26, predecessors: [SG9, SG16]}", "predecessor SG9 must exist until"),
        ("SG21: {exists_from: 2024-10-25, predecessors: [SG99]}", "predecessor SG99 is not listed"),
        ("SG21: {predecessors: [SG9]}", "needs exists_from"),
        ("SG2x: {}", "is not SG<n> or TSAG"),
    ],
)
def test_a_wrong_configuration_is_refused_with_the_key(tmp_path, change, message):
    from pipelines.lineage import LINEAGE_FILE

    text = LINEAGE_FILE.read_text(encoding="utf-8")
    text = text.replace("  SG21: {exists_from: 2024-10-25, predecessors: [SG9, SG16]}", "  " + change)
    path = tmp_path / "study_groups.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LineageError, match=message):
        load_lineage_file(path)
