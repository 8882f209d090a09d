"""An SG brief's data quality is a one-page annex of what touches that SG (its numbers equal the quarantine and core
tables of the bundled sample), the sector brief keeps the build's; and no bullet is said twice in a brief."""

from __future__ import annotations

import pytest
from briefs_fixture import SAMPLE_YEAR, bundled_sample, markdown_tables, sample_briefs

YEAR = SAMPLE_YEAR


@pytest.fixture(scope="module")
def built():
    return bundled_sample(), sample_briefs("SG13", "SG21", "sector")


@pytest.mark.parametrize("scope", ["SG13", "SG21"])
def test_the_annex_counts_what_names_the_sg(built, scope):
    conn, found = built
    brief, markdown = found[scope]
    assert brief.sections[-1].title == f"Annex: data quality of {scope}"
    tables = markdown_tables(markdown)
    rows = {r["Raw table"]: r for r in tables[f"Raw rows quarantined at ingest that name {scope}"]}
    for table in ("contributions", "meetings", "recommendations", "work_items", "questions"):
        named, total = conn.execute(
            f"select count(*) filter (where sg = ?), count(*) from quarantine.{table}", [scope]
        ).fetchall()[0]
        assert (
            int(rows[table][f"Rows naming {scope}"]),
            int(rows[table]["Rows quarantined in the table"]),
        ) == (
            named,
            total,
        )
    named = conn.execute(
        "select count(*) from quarantine.attendance a join staging.meetings m using (meeting_id) where m.sg = ?",
        [scope],
    ).fetchall()[0][0]
    assert int(rows["attendance"][f"Rows naming {scope}"]) == named
    facts = {
        r["Item"]: r["Value"] for r in tables[f"What else touches the quality of {scope}'s figures, {YEAR}"]
    }
    names = conn.execute(
        """select count(distinct name) from core.dim_entity where not is_resolved and entity_id in (
             select entity_id from core.fct_attendance where sg = ? and year = ?
             union select entity_id from core.fct_contribution_source where sg = ? and year = ?)""",
        [scope, YEAR, scope, YEAR],
    ).fetchall()[0][0]
    assert int(facts["Unresolved organisation names in the year's attendance and contributions"]) == names
    # One page: two short tables, and nothing of the build's other study groups.
    annex = markdown.split(f"Annex: data quality of {scope}", 1)[1]
    assert annex.count("**Table ") == 2 and len(annex.splitlines()) < 40
    assert "Data-quality status of the build" not in markdown


def test_sg13_annex_on_the_sample(built):
    _, found = built
    tables = markdown_tables(found["SG13"][1])
    rows = {r["Raw table"]: r for r in tables["Raw rows quarantined at ingest that name SG13"]}
    assert rows["contributions"]["Rows naming SG13"] == "2" and rows["attendance"]["Rows naming SG13"] == "1"
    r12 = next(s.text for s in found["SG13"][0].statements() if s.rule_id == "R12")
    assert r12.startswith("3 quarantined raw rows name SG13")


def test_the_sector_brief_keeps_the_build_quality(built):
    _, found = built
    assert any(t.startswith("Data-quality status") for t in markdown_tables(found["sector"][1]))


@pytest.mark.parametrize("scope", ["SG13", "SG21", "sector"])
def test_no_bullet_is_said_twice(built, scope):
    """The key messages of the first page and the statements of the body never repeat one another."""
    brief, markdown = built[1][scope]
    texts = [s.text for s in brief.statements()]
    assert len(texts) == len(set(texts)), [t for t in texts if texts.count(t) > 1]
    bullets = [line.strip() for line in markdown.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(set(bullets)), [b for b in bullets if bullets.count(b) > 1]


def test_the_annex_opens_a_page_of_its_own_in_word(small_warehouse, tmp_path_factory):
    import zipfile

    from briefs_fixture import small_briefs

    built = small_briefs(small_warehouse, tmp_path_factory)["SG17"]
    with zipfile.ZipFile(built.file(".docx")) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    before = xml[: xml.index("Annex: data quality of SG17")]
    assert before.rfind('w:type="page"') > before.rfind("<w:tbl>"), (
        "no page break between the last table and the annex"
    )


def test_risk_statements_name_indicators_in_words(built):
    _, found = built
    for brief, _ in found.values():
        for statement in brief.statements():
            assert "_trend" not in statement.text and "_share " not in statement.text, statement.text
