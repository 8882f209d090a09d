"""The Word form of a brief, laid out like an ITU-T TSAG temporary document (python-docx, imported lazily).

Title block (ITU / TSAG / study period, then Source, Title, Date, Purpose, Keywords), Summary, numbered
sections in Heading 1, tables with their caption above ("Table n – ...") and figures (PNG) with the caption
below ("Figure n – ..."), as ITU-T texts do. On synthetic data the page header of every page carries
SAMPLE DATA — synthetic.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from pipelines.briefs.model import Brief, Figure, Note, Paragraph, Statement, Statements, Table

SERIF = "Times New Roman"
SANS = "Arial"
FIGURE_WIDTH_CM = 16.0
TEXT_WIDTH_CM = 17.0  # A4 less 2 cm margins
CHAR_CM, PAD_CM = 0.21, 0.5  # average width of a 9 pt Arial character; cell padding


def _run(
    paragraph,
    text: str,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    font: str | None = None,
):
    from copy import deepcopy

    run = paragraph.add_run(text)
    # A copy of the run properties made once per formatting: python-docx sets each property by searching
    # for its place among the element's children, ~0.3 s of the ~0.7 s a Word brief took.
    run._r.insert(0, deepcopy(_run_properties(bold, italic, size, font)))
    return run


@functools.cache
def _run_properties(bold: bool, italic: bool, size: float | None, font: str | None):
    """The <w:rPr> that python-docx writes for these settings, made on a scratch run."""
    from docx import Document
    from docx.shared import Pt

    run = Document().add_paragraph().add_run()
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if font:
        run.font.name = font
    return run._r.rPr


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) as begin / instruction / separate / result / end runs: Word computes
    it when the document is opened or printed (the TOC after 'Update field'); `placeholder` shows until then."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child):
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # Word updates the field on opening
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = OxmlElement("w:t")
    result.set(qn("xml:space"), "preserve")
    result.text = placeholder
    run_with(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _repeat_header(row) -> None:
    """Mark a table row as a header row repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_together(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    properties.append(cant)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _font(style, name: str) -> None:
    """Set a style's font for every script, dropping the theme fonts that would otherwise win."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)


def column_widths(table: Table, total_cm: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths in cm: each column at least as wide as its longest word (names and numbers never break
    inside), the rest of the text width shared in proportion to how much longer each column's text is."""
    minimum, wanted = [], []
    for i, column in enumerate(table.columns):
        cells = [str(column), *(str(row[i]) for row in table.rows)]
        longest_word = max((len(word) for cell in cells for word in cell.split()), default=1)
        minimum.append(min(longest_word, 30) * CHAR_CM + PAD_CM)
        wanted.append(min(max(len(cell) for cell in cells), 70) * CHAR_CM + PAD_CM)
    if sum(minimum) >= total_cm:
        return [total_cm * m / sum(minimum) for m in minimum]
    spare = total_cm - sum(minimum)
    extra = [w - m for w, m in zip(wanted, minimum, strict=True)]
    if sum(extra) <= 0:
        return [m + spare / len(minimum) for m in minimum]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _styles(document) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = SERIF, Pt(12)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for level, size in ((1, 12), (2, 12)):
        style = document.styles[f"Heading {level}"]
        _font(style, SERIF)
        style.font.size, style.font.bold = Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _page(document, brief: Brief) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.header_distance = Cm(0.8)
    header = section.header
    first = header.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if brief.watermark:
        _run(first, brief.watermark, bold=True, size=11 if len(brief.watermark) <= 60 else 8, font=SANS)
        line = header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(line, f"TSAG – {brief.slug}", size=9)
    else:
        _run(first, f"TSAG – {brief.slug}", size=9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, f"sgpulse – generated {brief.generated_at.date().isoformat()} – page ", size=8)
    _field(footer, "PAGE", "1")
    _run(footer, " of ", size=8)
    _field(footer, "NUMPAGES", "1")


def _title_block(document, brief: Brief) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    top = document.add_table(rows=1, cols=2)
    _no_borders(top)
    left, right = top.rows[0].cells
    left.width, right.width = Cm(11), Cm(6)
    p = left.paragraphs[0]
    _run(p, "INTERNATIONAL TELECOMMUNICATION UNION", bold=True, size=9, font=SANS)
    p = left.add_paragraph()
    _run(p, "TELECOMMUNICATION\nSTANDARDIZATION SECTOR", bold=True, size=9, font=SANS)
    p = left.add_paragraph()
    _run(p, f"STUDY PERIOD {brief.study_period or 'n/a'}", size=9, font=SANS)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, "TSAG", bold=True, size=20, font=SANS)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, "Original: English", size=10)
    rows = [
        ("Source:", "sgpulse"),
        ("Title:", brief.title),
        ("Date:", brief.generated_at.date().isoformat()),
        ("Purpose:", "Information"),
        ("Keywords:", ", ".join(brief.keywords)),
    ]
    block = document.add_table(rows=len(rows), cols=2)
    _no_borders(block)
    for row, (label, value) in zip(block.rows, rows, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(3), Cm(14)
        _run(row.cells[0].paragraphs[0], label, bold=True)
        _run(row.cells[1].paragraphs[0], value, bold=label == "Title:")
    document.add_paragraph()


def _table(document, brief: Brief, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _run(caption, f"Table {table.number} – {table.caption}", bold=True, size=11)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(w) for w in column_widths(table)]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    align = table.alignment()
    for i, (row, values) in enumerate(zip(grid.rows, [table.columns, *table.rows], strict=True)):
        _keep_row_together(row)
        if i == 0:
            _repeat_header(row)
        for cell, value, a, width in zip(row.cells, values, align, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if a == "r" else WD_ALIGN_PARAGRAPH.LEFT
            _run(paragraph, str(value), bold=i == 0, size=9, font=SANS)
            if i == 0:
                _shade(cell, "E6E6E6")
    note = f" {table.note}" if table.note else ""
    source = document.add_paragraph()
    source.paragraph_format.space_before = Pt(2)
    _run(source, f"Source: {table.source}.{note}", italic=True, size=9)


def _figure(document, figure: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if not figure.png:
        raise ValueError(f"figure {figure.name} has no PNG (build with png=True for the Word brief)")
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    width = _figure_width_cm(figure)
    shape = picture.add_run().add_picture(io.BytesIO(figure.png), width=Cm(width))
    # Alt text for screen readers (Word's "Description"): the figure's title and its one-line finding.
    shape._inline.docPr.set("descr", figure.alt_text or figure.caption)
    shape._inline.docPr.set("title", f"Figure {figure.number} – {figure.caption}")
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_after = Pt(0)
    _run(caption, f"Figure {figure.number} – {figure.caption}", bold=True, size=11)
    source = document.add_paragraph()
    source.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(source, f"Source: {figure.source}.", italic=True, size=9)


def _figure_width_cm(figure: Figure) -> float:
    """The chart's own width at 96 dpi, at most the text width (a narrow chart is not blown up)."""
    import struct

    png = figure.png or b""
    if png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 24:
        pixels = struct.unpack(">I", png[16:20])[0]
        return min(FIGURE_WIDTH_CM, pixels / figure.png_scale / 96 * 2.54)
    return FIGURE_WIDTH_CM


def _statement(document, brief: Brief, statement: Statement) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    _run(paragraph, brief.cite(statement))
    _run(paragraph, f" [{statement.rule_id}]", size=9)


def render_docx(brief: Brief, path: Path) -> Path:
    """Write the brief as a .docx file; figures must have their PNG."""
    from docx import Document

    document = Document()
    _styles(document)
    _page(document, brief)
    _title_block(document, brief)
    if brief.watermark and brief.notice_detail:
        p = document.add_paragraph()
        _run(p, brief.watermark, bold=True)
        _run(p, f" — {brief.notice_detail}", italic=True)
    _run(document.add_paragraph(), "Contents", bold=True)  # not a heading: the contents list no itself
    _field(
        document.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "Right-click and choose Update Field to list the sections with their pages.",
    )
    document.add_heading("Summary", level=2)
    for item in brief.summary:
        if isinstance(item, Paragraph):
            document.add_paragraph(item.text)
        else:
            _statement(document, brief, item)
    for section in brief.sections:
        if section.title.startswith("Annex"):
            document.add_page_break()  # an annex is a page of its own (the SG brief's data quality)
        document.add_heading(f"{section.number}\t{section.title}", level=1)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(document, brief, block)
            elif isinstance(block, Figure):
                _figure(document, block)
            elif isinstance(block, Statements):
                for statement in block.items:
                    _statement(document, brief, statement)
            elif isinstance(block, Note):
                _run(document.add_paragraph(), block.text, italic=True)
            elif isinstance(block, Paragraph):
                document.add_paragraph(block.text)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    properties = document.core_properties
    properties.title = _property(brief.title)
    properties.subject = _property(brief.subject)
    properties.author = properties.last_modified_by = "sgpulse"
    properties.keywords = _property(", ".join(brief.keywords))
    properties.created = properties.modified = brief.generated_at.replace(tzinfo=None)
    # The MIXED DATA watermark names every domain and its source: longer than a property may be.
    properties.comments = _property(brief.watermark or "")
    document.save(str(path))
    return path


PROPERTY_CHARS = 255  # Word's (and python-docx's) limit for a core property


def _property(text: str) -> str:
    """A document property within Word's limit: cut with an ellipsis (the full text is in the document)."""
    return text if len(text) <= PROPERTY_CHARS else text[: PROPERTY_CHARS - 1] + "…"
