"""The document as one Word file (DOCX, python-docx) an author can edit: A4, a cover and a title page, a 目录 (a
Word TOC field, filled in when Word opens the file), then the chapters numbered from page 1 (a PAGE field in the
footer); Word's styles (Title, Heading 1–4, Caption), 表N captions above the tables and 图N captions under the
figures, a 来源 line under each, table header rows repeated on every page, rows never split, the first and last
three rows of a table kept together, the tables as wide as the text and their columns as their cells need (measured
in the font), headings and captions kept with what follows; Noto Sans CJK SC named for Chinese text."""

import functools
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from livecommerce.data.io import write_office
from livecommerce.plots.theme import font_file
from livecommerce.publish.document import (
    Chapter,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    caption_line,
    front_lines,
    label,
    note_lines,
    render,
    source_line,
)
from livecommerce.publish.figures import fitted
from livecommerce.publish.printed import rows_text
from livecommerce.words import METADATA_LABELS, word

__all__ = ["FONT", "write_docx"]

FONT = "Noto Sans CJK SC"
_TEXT_WIDTH = 16.0
"""The text's width, in cm: A4's 21 cm less two margins of 2.5 cm."""
_EM = 0.37
"""An em of the 10.5 pt body text, in cm: the width of a Chinese character."""
_PAD = 0.5
"""A cell's margins (Word's 0.19 cm on each side), with room to spare, in cm."""
_BOLD = 1.1
"""How much wider a bold header may be than the regular font measures it, with room to spare (a bold font's Latin
letters are wider than the regular one's; Word may also embolden the regular one)."""


def _font(style, size: float | None = None) -> None:
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        style.font.size = Pt(size)


def _caption(doc, text: str):
    para = doc.add_paragraph(style="Caption")
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text)
    return para


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …) at the end of ``paragraph``, showing ``placeholder`` until Word updates it."""

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    for part in (char("begin"), code, char("separate")):
        paragraph.add_run()._r.append(part)
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _row_flag(row, name: str) -> None:
    """Set a row property: ``w:tblHeader`` (a header row, repeated at the top of every page the table runs onto)
    or ``w:cantSplit`` (a row kept whole on one page)."""
    row._tr.get_or_add_trPr().append(OxmlElement(name))


def _front(doc, document: Document) -> None:
    """The cover (title, period, 委托单位, authors, date), the title page and the 目录 (a TOC field of headings
    1–2), in a section of their own without page numbers."""
    meta, lang = document.metadata, document.lang
    doc.add_paragraph().paragraph_format.space_before = Pt(140)
    title = doc.add_paragraph(document.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    client = f"{word(METADATA_LABELS, 'client', lang)}{meta.client}" if meta.client else ""
    for text, size, before in (
        (meta.period, 14, 12),
        (client, 13, 120),
        *((a, 12, 6) for a in meta.authors),
        (meta.date, 13, 30),
    ):
        if text:
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.space_before = Pt(before)
            para.add_run(text).font.size = Pt(size)
    doc.add_page_break()
    for line in front_lines(document):
        doc.add_paragraph(line).paragraph_format.space_after = Pt(10)
    doc.add_page_break()
    heading = doc.add_paragraph(label("contents", lang), style="TOC Heading")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', label("update_contents", lang))
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    body = doc.add_section(WD_SECTION.NEW_PAGE)  # the chapters: page 1 onwards, numbered in the footer
    body.footer.is_linked_to_previous = False
    number = OxmlElement("w:pgNumType")
    number.set(qn("w:start"), "1")
    body._sectPr.append(number)
    footer = body.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")


def _source(doc, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(8)


_LEAST = 3
"""The fewest body rows of a table Word may leave on a page: the header and the first three rows keep with the
next, and so do the last three (with the 来源 line under them)."""


def _table(doc, block: Table, lang: str) -> None:
    _caption(doc, caption_line(block, lang)).paragraph_format.keep_with_next = True
    cells = rows_text(block)
    table = doc.add_table(rows=1 + len(cells), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in _widths([list(block.header), *cells], block.kinds)]
    for column, width in zip(table.columns, widths):
        column.width = width
    _row_flag(table.rows[0], "w:tblHeader")
    for i, (row, texts) in enumerate(zip(table.rows, [list(block.header), *cells])):
        _row_flag(row, "w:cantSplit")
        for j, (cell, text) in enumerate(zip(row.cells, texts)):
            cell.width = widths[j]  # Word reads the cells' widths, LibreOffice the grid's
            para = cell.paragraphs[0]
            para.paragraph_format.keep_with_next = i < _LEAST or i >= len(cells) - _LEAST + 1
            run = para.add_run(text)
            if i == 0:
                run.bold = True
            elif block.kinds[j] != "text":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _source(doc, source_line(block, lang))
    for line in note_lines(block, lang):
        _source(doc, line)


def _widths(rows: list[list[str]], kinds) -> list[float]:
    """Each column's width in cm, ``rows`` the header (bold) and then the body, the table as wide as the text. Where
    every cell fits on one line, a column of numbers is as wide as its widest cell, its header's included, and the
    text columns share the rest by their widest cells (a table of numbers only: every column by its widest cell);
    else each column gets its widest word (a Chinese text is one word), and what is left is shared by what each needs
    beyond that, so that lines break between words; if the widest words need more than the text's width, every
    column gets less alike."""
    columns = list(zip(*rows))
    need = [_PAD + _EM * max(_ems(text, i == 0) for i, text in enumerate(column)) for column in columns]
    numbers = sum(n for n, kind in zip(need, kinds) if kind != "text")
    texts = sum(need) - numbers
    if texts and numbers + texts <= _TEXT_WIDTH:
        return [n * (_TEXT_WIDTH - numbers) / texts if kind == "text" else n for n, kind in zip(need, kinds)]
    least = [
        _PAD + _EM * max(_ems(part, i == 0) for i, text in enumerate(column) for part in text.split() or [""])
        for column in columns
    ]
    if sum(least) >= _TEXT_WIDTH or sum(need) <= sum(least):
        return [n * _TEXT_WIDTH / sum(least) for n in least]
    share = (_TEXT_WIDTH - sum(least)) / (sum(need) - sum(least))
    return [low + (n - low) * share for low, n in zip(least, need)]


def _ems(text: str, bold: bool = False) -> float:
    """The width of ``text`` in the DOCX's font, in em (a character it lacks: one), :data:`_BOLD` times that in bold."""
    advances = _advances()
    return sum(advances.get(ord(c), 1.0) for c in text) * (_BOLD if bold else 1.0)


@functools.cache
def _advances() -> dict[int, float]:
    """Each character's advance in the font the DOCX names (the package's own file of it), in em; none if the file
    is missing (every character is then taken as one em)."""
    from fontTools.ttLib import TTFont  # here, not above: only a DOCX measures its text

    path = font_file()
    if path is None:
        return {}
    font = TTFont(path, lazy=True)
    em, advances = font["head"].unitsPerEm, font["hmtx"]
    return {code: advances[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def _figure(doc, block: Figure, lang: str) -> None:
    picture = doc.add_paragraph()  # what doc.add_picture does, keeping the paragraph (doc.paragraphs lists them all)
    picture.add_run().add_picture(str(block.path), width=Cm(fitted(block.path)[0]))
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    _caption(doc, caption_line(block, lang)).paragraph_format.keep_with_next = True
    _source(doc, source_line(block, lang))


_PROPERTY_SIZE = 255
"""The most characters a DOCX core property holds."""


def _within(text: str, size: int) -> str:
    """``text``, cut to ``size`` characters with … at the end if it is longer."""
    return text if len(text) <= size else text[: size - 1] + "…"


def _docx(document: Document):
    """The document as a python-docx one."""
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _font(doc.styles["Normal"], 10.5)
    for name in ("Title", "Caption", "TOC Heading", *(f"Heading {level}" for level in range(1, 5))):
        _font(doc.styles[name])
    doc.styles["Caption"].font.bold = True
    if document.label:  # on every page
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run(document.label).bold = True
    meta = document.metadata
    properties = doc.core_properties
    properties.title = document.title
    properties.author = _within(label("list_sep", document.lang).join(meta.authors), _PROPERTY_SIZE)
    properties.subject = meta.period
    properties.keywords = label("list_sep", document.lang).join(k for k in (meta.client, meta.provider) if k)
    _front(doc, document)

    def chapter(c):
        if c is not document.chapters[0]:  # the first starts the section of the chapters, on a page of its own
            doc.add_page_break()
        doc.add_heading(c.title, level=1)

    def section(s):
        if s.title:
            doc.add_heading(s.title, level=s.level)

    render(
        document,
        {
            Chapter: chapter,
            Section: section,
            Table: lambda t: _table(doc, t, document.lang),
            Figure: lambda f: _figure(doc, f, document.lang),
            Paragraph: lambda p: setattr(doc.add_paragraph().add_run(p.text), "bold", p.strong),
        },
    )
    return doc


def write_docx(document: Document, path: Path | str) -> Path:
    """Write the document's DOCX to ``path`` atomically, the same bytes for the same document."""
    return write_office(path, _docx(document).save)
