"""The bundled sample's planted consultation stories (story 8) in the affected SGs' situational analysis, and
free text never published in a brief."""

from analytics_fixture import SAMPLE_RAW, sample_warehouse

from pipelines.briefs.data import load_brief_data
from pipelines.briefs.situation import situation_section
from pipelines.ingest.readers import discover_files, read_batch


def _section_text(sg: str) -> tuple[str, list]:
    section = situation_section(load_brief_data(sample_warehouse(), sg, 2025))
    tables = [b for b in section.blocks if hasattr(b, "rows")]
    text = " ".join(" ".join(map(str, row)) for t in tables for row in t.rows)
    return text, tables


def _share(sg, question, year, category="all"):
    return (
        sample_warehouse()
        .execute(
            "select share_agreeing, responses from marts.consultation_sg_year where sg = ? and question = ? and "
            "year = ? and category = ? and itu_region = 'all'",
            [sg, question, year, category],
        )
        .fetchall()[0]
    )


def test_sg3_rated_relevant_while_its_participation_falls_is_a_disagreement():
    text, tables = _section_text("SG3")
    share, n = _share("SG3", "REL1", 2025)
    participants = dict(
        sample_warehouse()
        .execute("select year, participants from marts.sg_year_kpis_lineage where sg = 'SG3'")
        .fetchall()
    )
    said = f"Members say the SG's work is relevant to them: {100 * share:.0f}% of {n} agree" in text
    assert said and f"Participants {participants[2022]} in 2022, {participants[2025]} in 2025" in text
    assert "members and data disagree" in text
    consultation = next(t for t in tables if t.label == "tab:consultation")
    assert any(row[0] == "REL1" and row[3] == "disagree" for row in consultation.rows)


def test_sg11_relevance_fell_and_sg15_barriers_split_by_category():
    text11, _ = _section_text("SG11")
    before, now = _share("SG11", "REL1", 2024)[0], _share("SG11", "REL1", 2025)[0]
    assert f"agreement fell from {100 * before:.0f}% (2024) to {100 * now:.0f}% (2025)" in text11
    text15, _ = _section_text("SG15")
    sector, n_s = _share("SG15", "BAR1", 2025, "Sector Member")
    academia, n_a = _share("SG15", "BAR1", 2025, "Academia")
    assert (
        f"Sector Member {100 * sector:.0f}% of {n_s} agree, Academia {100 * academia:.0f}% of {n_a}" in text15
    )


def test_no_free_text_is_published_in_a_brief():
    texts = set()
    for path in discover_files(SAMPLE_RAW, "consultation_responses"):
        texts |= {t for t in read_batch(path, SAMPLE_RAW).column("free_text").to_pylist() if t}
    assert len(texts) >= 10
    for sg in ("SG3", "SG11", "SG15"):
        text, _ = _section_text(sg)
        assert not [t for t in texts if t in text], sg
