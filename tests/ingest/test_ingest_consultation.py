"""The optional raw table consultation_responses: free text and respondent ids masked as they are read (staging
and quarantine alike), columns outside the contract dropped, answers that do not fit their question quarantined."""

from __future__ import annotations

from ingest_helpers import ingest_into_memory, rows
from small_raw import write_small_raw

HEADER = "respondent_id,responded_on,category,itu_region,sg,question_id,likert,free_text,respondent_name\n"
ANSWERS = (
    "R-1,2024-09-02,Sector Member,Europe,SG17,BAR2,,Write to jo.pike@example.org or call +41 22 555 01 99,Jo Pike\n"
    "R-1,2024-09-02,Sector Member,Europe,SG17,REL1,5,,Jo Pike\n"
    "R-1,2024-09-02,Sector Member,Europe,,VAL1,4,,Jo Pike\n"
    # Quarantined (likert on a text question): its free text is kept masked too.
    "R-2,2024-09-03,Academia,Africa,SG17,WM2,2,Mail ann@example.org,Ann Lee\n"
)


def test_free_text_is_masked_and_names_dropped_as_the_answers_are_read(tmp_path):
    raw = write_small_raw(tmp_path / "raw", {"consultation_responses": HEADER + ANSWERS})
    conn, report = ingest_into_memory(raw)
    assert report.table("consultation_responses").columns_dropped == ["respondent_name"]
    staged = rows(
        conn,
        "select respondent_id, sg, question_id, likert, free_text from staging.consultation_responses "
        "order by source_row",
    )
    assert staged == [
        ("R-1", "SG17", "BAR2", None, "Write to <e-mail> or call <phone>"),
        ("R-1", "SG17", "REL1", 5, None),
        ("R-1", None, "VAL1", 4, None),
    ]
    assert rows(conn, "select free_text, reason from quarantine.consultation_responses") == [
        ("Mail <e-mail>", "question WM2 takes free_text and no likert")
    ]
    everything = " ".join(
        str(v)
        for schema in ("staging", "quarantine")
        for row in rows(conn, f"select * from {schema}.consultation_responses")
        for v in row
    )
    assert "@" not in everything and "Pike" not in everything and "Ann Lee" not in everything
