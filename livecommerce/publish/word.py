"""The document as one Word file (DOCX, python-docx): A4, headings, paragraphs, 表N captions above the tables and
图N captions under the figures, a 来源 line under each; Noto Sans CJK SC named for Chinese text."""

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from livecommerce.data.io import write_office
from livecommerce.publish.document import (
    Chapter,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    caption_line,
    render,
    source_line,
)
from livecommerce.publish.figures import fitted
from livecommerce.publish.printed import rows_text

__all__ = ["FONT", "write_docx"]

FONT = "Noto Sans CJK SC"


def _font(style, size: float | None = None) -> None:
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        style.font.size = Pt(size)


def _caption(doc, text: str, bold: bool = True):
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text).bold = bold
    return para


def _source(doc, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(8)


def _table(doc, block: Table, lang: str) -> None:
    _caption(doc, caption_line(block, lang)).paragraph_format.keep_with_next = True
    cells = rows_text(block)
    table = doc.add_table(rows=1 + len(cells), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (row, texts) in enumerate(zip(table.rows, [list(block.header), *cells])):
        for j, (cell, text) in enumerate(zip(row.cells, texts)):
            para = cell.paragraphs[0]
            run = para.add_run(text)
            if i == 0:
                run.bold = True
            elif block.kinds[j] != "text":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _source(doc, source_line(block, lang))


def _figure(doc, block: Figure, lang: str) -> None:
    doc.add_picture(str(block.path), width=Cm(fitted(block.path)[0]))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _caption(doc, caption_line(block, lang))
    _source(doc, source_line(block, lang))


def _docx(document: Document):
    """The document as a python-docx one."""
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _font(doc.styles["Normal"], 10.5)
    for level in range(0, 5):
        _font(doc.styles["Title" if level == 0 else f"Heading {level}"])
    if document.label:  # on every page
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run(document.label).bold = True
    doc.core_properties.title = document.title
    doc.core_properties.author = ""
    doc.add_heading(document.title, level=0)

    def chapter(c):
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
