"""The Word brief is a working document: contents and page-number fields, heading styles, alt text on every
picture, document properties, statuses written as text, plain-language labels and units."""

from __future__ import annotations

import re
import zipfile

import pytest
from briefs_fixture import GENERATED_AT, markdown_tables, small_briefs, table_by_prefix

from pipelines.catalogue import catalogue


@pytest.fixture(scope="module")
def briefs(small_warehouse, tmp_path_factory):
    return small_briefs(small_warehouse, tmp_path_factory)


def _xml(path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(part, n)]
        return " ".join(archive.read(n).decode("utf-8") for n in names)


@pytest.mark.parametrize("scope", ["SG17", "sector"])
def test_word_brief_has_a_contents_field_and_page_numbers(briefs, scope):
    path = briefs[scope].file(".docx")
    body = _xml(path, r"word/document\.xml")
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-2" \\h \\z \\u </w:instrText>', body), "no TOC field"
    assert body.index("TOC \\o") < body.index(">Summary<"), "the contents come before the summary"
    footers = _xml(path, r"word/footer\d*\.xml")
    assert "> PAGE </w:instrText>" in footers and "> NUMPAGES </w:instrText>" in footers


@pytest.mark.parametrize("scope", ["SG17", "sector"])
def test_word_brief_structure_properties_and_alt_text(briefs, scope):
    from docx import Document

    built = briefs[scope]
    document = Document(str(built.file(".docx")))
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    titles = [f"{s.number}\t{s.title}" for s in built.brief.sections]
    assert [p.text for p in headings if p.style.name == "Heading 1"] == titles
    properties = document.core_properties
    assert properties.title == built.brief.title and properties.author == "sgpulse"
    assert (
        properties.subject.startswith("Evidence for TSAG on") and str(built.brief.year) in properties.subject
    )
    assert properties.created == GENERATED_AT  # the run time, read back in UTC
    pictures = document.inline_shapes
    assert len(pictures) == len(built.brief.figures()) > 0
    for picture, figure in zip(pictures, built.brief.figures(), strict=True):
        descr = picture._inline.docPr.get("descr")
        assert descr and descr.startswith(figure.caption), figure.name
        assert picture._inline.docPr.get("title") == f"Figure {figure.number} – {figure.caption}"
    # A figure a statement cites carries that finding in its alt text.
    cited = {label for s in built.brief.statements() for label in s.cites}
    for figure in built.brief.figures():
        if figure.label in cited:
            assert len(figure.alt_text) > len(figure.caption) + 2 and re.search(r"\d", figure.alt_text)


@pytest.mark.parametrize("scope", ["SG17", "sector"])
def test_every_status_cell_says_it_in_words(briefs, scope):
    """Colour never carries a status alone: every Status / Level cell of every table has text."""
    from docx import Document

    document = Document(str(briefs[scope].file(".docx")))
    found = 0
    for table in document.tables[2:]:  # after the title block
        header = [c.text for c in table.rows[0].cells]
        for name in ("Status", "Level"):
            if name in header:
                column = header.index(name)
                for row in table.rows[1:]:
                    found += 1
                    assert row.cells[column].text.strip(), f"empty {name} cell in a table headed {header}"
    assert found > 0


@pytest.mark.parametrize("scope", ["SG17", "sector"])
def test_no_kpi_id_in_place_of_its_name(briefs, scope):
    ids = {k.id for k in catalogue().kpis if "_" in k.id}
    for table in briefs[scope].brief.tables():
        for row in table.rows:
            for cell in row:
                assert cell not in ids, f"{table.caption}: {cell!r} is an id; the catalogue names it"


def test_headline_kpis_carry_their_units(briefs):
    rows = table_by_prefix(markdown_tables(briefs["SG17"].markdown), "Headline KPIs")
    units = {r["KPI"]: r["Unit"] for r in rows}
    assert units[catalogue().get("median_cycle_days").name] == "days"
    assert units[catalogue().get("remote_share").name] == "%"
    assert units[catalogue().get("participants").name] == "people"
    assert all(units.values())


def test_a_watermark_longer_than_a_word_property_is_cut_not_fatal():
    # A MIXED DATA watermark names every domain and its source: over 255 characters on the real-data path.
    from pipelines.briefs.render_docx import PROPERTY_CHARS, _property

    long = "MIXED DATA — real: " + "; ".join(f"domain {i} (source {i})" for i in range(30))
    assert len(long) > PROPERTY_CHARS
    cut = _property(long)
    assert len(cut) == PROPERTY_CHARS and cut.endswith("…") and long.startswith(cut[:-1])
    assert _property("short") == "short"
