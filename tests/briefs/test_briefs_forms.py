"""The three forms of a brief: watermark rule, DOCX structure, no personal data, suppression everywhere."""

from __future__ import annotations

import re
import zipfile

import duckdb
import pytest
from briefs_fixture import markdown_tables, small_briefs, table_by_prefix
from small_raw import PERSONAL_STRINGS

from pipelines.briefs.model import WATERMARK


@pytest.fixture(scope="module")
def briefs(small_warehouse, tmp_path_factory):
    return small_briefs(small_warehouse, tmp_path_factory)


def _docx_text(path) -> str:
    """All the text of a .docx, headers and footers included (straight from the XML parts)."""
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        return " ".join(re.sub(r"<[^>]+>", "", archive.read(n).decode("utf-8")) for n in parts)


def test_watermark_on_every_form_of_a_synthetic_brief(briefs):
    from docx import Document

    built = briefs["SG17-synthetic"]
    assert built.markdown.splitlines()[0].startswith(f"**{WATERMARK}**")
    html = built.html
    assert f'<div class="banner" role="note">{WATERMARK}</div>' in html
    assert re.search(r"\.banner \{ position: fixed; top: 0;", html), "the banner must repeat on printed pages"
    assert "<thead><tr><td></td></tr></thead>" in html and "--banner-space: 12mm" in html
    document = Document(str(built.file(".docx")))
    for section in document.sections:
        assert section.header.paragraphs[0].text == WATERMARK


def test_no_watermark_when_the_data_are_not_synthetic(briefs):
    from docx import Document

    for scope in ("SG17", "sector"):
        built = briefs[scope]
        assert "SAMPLE DATA" not in built.markdown
        assert "SAMPLE DATA" not in built.html and 'class="banner"' not in built.html
        assert "SAMPLE DATA" not in _docx_text(built.file(".docx"))
        assert all(
            "SAMPLE DATA" not in p.text
            for s in Document(str(built.file(".docx"))).sections
            for p in s.header.paragraphs
        )


def test_the_watermark_follows_meta_dataset(tmp_path):
    """load_brief_data reads the synthetic flag and notice from meta.dataset."""
    from pipelines.briefs.data import Quality, _provenance

    conn = duckdb.connect()
    conn.execute("create schema meta")
    conn.execute("create table meta.raw_files (source_file varchar, sha256 varchar, bytes bigint)")
    for synthetic in (True, False):
        conn.execute(
            "create or replace table meta.dataset as select 'x' as name, ? as synthetic, 'n' as notice, "
            "'abc' as raw_sha256, '{}' as domains",
            [synthetic],
        )
        import pandas as pd

        provenance = _provenance(conn, None, Quality(ingest=pd.DataFrame()), "w.duckdb")
        assert provenance.synthetic is synthetic and provenance.raw_sha256 == "abc"


def test_docx_opens_with_headings_tables_and_figures(briefs):
    from docx import Document

    built = briefs["SG17"]
    brief = built.brief
    document = Document(str(built.file(".docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Summary", *(f"{s.number}\t{s.title}" for s in brief.sections)]
    assert len(document.tables) == 2 + len(brief.tables())  # the title block is two borderless tables
    assert len(document.inline_shapes) == len(brief.figures()) >= 9
    texts = [p.text for p in document.paragraphs]
    for figure in brief.figures():
        assert f"Figure {figure.number} – {figure.caption}" in texts
    for table in brief.tables():
        assert f"Table {table.number} – {table.caption}" in texts
    title_block = " ".join(c.text for t in document.tables[:2] for row in t.rows for c in row.cells)
    for expected in ("TSAG", "Source:", "sgpulse", "Title:", brief.title, "Date:", "2025-03-01"):
        assert expected in title_block


def test_html_is_self_contained_with_inline_svg(briefs):
    html = briefs["sector"].html
    figures = briefs["sector"].brief.figures()
    # The one script is inline (it sorts the growing-or-shrinking tables): nothing is fetched from anywhere.
    assert html.count("<svg") == len(figures) and "<img" not in html and "<script src" not in html
    assert html.count("<script") == (1 if any(t.sortable for t in briefs["sector"].brief.tables()) else 0)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert "@page { size: A4;" in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids between inline SVGs"


def test_markdown_links_the_exported_charts(briefs):
    built = briefs["SG17"]
    for figure in built.brief.figures():
        assert f"](charts/{figure.name}.svg)" in built.markdown
        assert (built.folder / "charts" / f"{figure.name}.svg").read_text().startswith("<svg")
        assert (built.folder / "charts" / f"{figure.name}.png").read_bytes()[:4] == b"\x89PNG"


def test_no_personal_data_in_any_output(briefs):
    for built in briefs.values():
        texts = [built.markdown, built.html, _docx_text(built.file(".docx"))]
        texts += [p.read_text(encoding="utf-8") for p in built.files if p.suffix == ".svg"]
        for text in texts:
            for personal in PERSONAL_STRINGS:
                assert personal not in text
            assert not re.search(r"\bp_[0-9a-f]{20}\b", text), "a participant key in a brief"


def test_people_breakdowns_are_suppressed_in_tables_and_charts(briefs):
    """Every SG17 region and category has fewer than 5 people in the small data: no count of people shows."""
    built = briefs["SG17"]
    tables = markdown_tables(built.markdown)
    for prefix in (
        "Participants and contributions by ITU region",
        "Participants and contributions by member",
    ):
        assert {r["Participants"] for r in table_by_prefix(tables, prefix)} == {"<5"}
    for name in ("regions", "categories"):
        figure = next(f for f in built.brief.figures() if f.name == name)
        values = [d for d in figure.spec["datasets"].values() if d and "participants" in d[0]]
        assert values and all(
            row["participants"] is None and row["label"] == "<5" for v in values for row in v
        )


def test_missing_tables_leave_a_one_line_note(small_warehouse, monkeypatch):
    """A warehouse without the newer marts still gets a brief, with 'not available in this warehouse'."""
    from pipelines.briefs import data as brief_data
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.render_markdown import render_markdown

    absent = {
        "sg_relevance",
        "sg_overlap",
        "sg_overlap_map",
        "sg_risks_history",
        "check_results",
        "quarantine_summary",
    }
    real = brief_data.has_table
    monkeypatch.setattr(
        brief_data, "has_table", lambda conn, schema, name: name not in absent and real(conn, schema, name)
    )
    data = brief_data.load_brief_data(small_warehouse, "SG17", 2024)
    assert {"marts.sg_relevance", "marts.sg_risks_history", "meta.check_results"} <= set(data.missing_tables)
    from briefs_fixture import GENERATED_AT

    text = render_markdown(build_brief(data, GENERATED_AT))
    for section in ("Scale and vitality", "Risk register"):
        body = text.split(f" {section}\n", 1)[1].split("\n## ", 1)[0].strip()
        assert body.startswith("*Not available in this warehouse (marts.")
    assert (
        "| Data-quality checks of the build | n/a |" in text
    )  # the SG's annex (the build's list: sector brief)


def test_quarantine_reasons_show_counts_not_raw_values(briefs):
    """marts.quarantine_summary examples can quote raw data (participant keys): only counts are shown."""
    import dataclasses

    import pandas as pd

    from pipelines.briefs.content import quality_section

    data = briefs["SG17"].data
    summary = pd.DataFrame(
        {
            "table_name": ["attendance"],
            "reason_kind": ["duplicate key"],
            "column_name": [None],
            "row_count": [1],
            "example_reason": ["duplicate key (participant_key 'p_13f78083d7f773bc53ef')"],
            "example_ref": ["attendance/attendance.csv:7"],
        }
    )
    quality = dataclasses.replace(data.quality, quarantine_summary=summary)
    section = quality_section(dataclasses.replace(data, quality=quality))
    table = next(b for b in section.blocks if getattr(b, "label", "") == "tab:quarantine-reasons")
    assert table.columns == ["Table", "Reason", "Column", "Rows"]
    assert table.rows == [["attendance", "duplicate key", "n/a", "1"]]
