"""表1–15 for authors: one XLSX (a sheet per table, numbers with their print formats 0.00 and 0.00%, arrows as
printed, each sheet printed on A4 one page wide) and the whole document as Markdown."""

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from livecommerce.data.export import markdown, markdown_literal
from livecommerce.data.io import atomic_path, defuse, write_office
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
from livecommerce.publish.printed import cell_text, rows_text

__all__ = ["NUMBER_FORMATS", "markdown_text", "workbook", "write_markdown", "write_xlsx"]

NUMBER_FORMATS = {"score": "0.00", "percent": "0.00%", "rank": "0"}


def workbook(document: Document) -> Workbook:
    """A sheet per table of the document (named 表N), caption on top, the printed header, the values with their
    number formats, and the 来源 line under the table, printed on A4 one page wide (:func:`_printed_on_a4`); no text
    runs as a formula (:func:`livecommerce.data.io.defuse`)."""
    book = Workbook()
    book.remove(book.active)
    for table in document.blocks(Table):
        sheet = book.create_sheet(f"{label('table', document.lang).strip()}{table.number}")
        _append(sheet, [caption_line(table, document.lang)])
        sheet["A1"].font = Font(bold=True)
        _append(sheet, table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in table.rows:
            _append(sheet, [v if k in NUMBER_FORMATS else cell_text(v, k) for v, k in zip(row, table.kinds)])
            for cell, kind in zip(sheet[sheet.max_row], table.kinds):
                if kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[kind]
                elif kind == "arrow":
                    cell.alignment = Alignment(horizontal="right")
        for line in [source_line(table, document.lang), *note_lines(table, document.lang)]:
            _append(sheet, [line])
        for j, header in enumerate(table.header):
            width = max(len(header), *(len(r[j]) for r in rows_text(table)))
            sheet.column_dimensions[chr(ord("A") + j)].width = 4 + 1.8 * width
        _printed_on_a4(sheet)
    return book


def _printed_on_a4(sheet) -> None:
    """Print ``sheet`` on A4, upright, one page wide (as many tall as it takes), its header row on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "2:2"


def _append(sheet, cells) -> None:
    sheet.append([defuse(cell) for cell in cells])


def write_xlsx(document: Document, path: Path | str) -> Path:
    """Write the tables' XLSX to ``path`` atomically, the same bytes for the same document."""
    return write_office(path, workbook(document).save)


def _markdown_table(block: Table, lang: str) -> str:
    frame = pd.DataFrame(rows_text(block), columns=list(block.header))
    body = markdown(frame.set_index(frame.columns[0])).strip()
    return (
        f"**{markdown_literal(caption_line(block, lang))}**\n\n{body}\n\n{markdown_literal(source_line(block, lang))}"
        + "".join(f"\n\n{markdown_literal(line)}" for line in note_lines(block, lang))
    )


def _markdown_figure(block: Figure, lang: str) -> str:
    alt = markdown_literal(block.caption)
    caption = f"**{markdown_literal(caption_line(block, lang))}**"
    return f"![{alt}](figures/{block.path.name})\n\n{caption}\n\n{markdown_literal(source_line(block, lang))}"


def markdown_text(document: Document) -> str:
    """The whole document as Markdown: headings, paragraphs, tables as pipe tables, figures as images (paths
    relative to the output folder), each with its numbered caption and 来源 line; every text shows literally
    (:func:`livecommerce.data.export.markdown_literal`: no HTML of a name, label or section text gets through)."""
    lang = document.lang
    body = render(
        document,
        {
            Chapter: lambda c: f"## {markdown_literal(c.title)}",
            Section: lambda s: s.title and f"{'#' * min(s.level + 1, 6)} {markdown_literal(s.title)}",
            Paragraph: lambda p: f"**{markdown_literal(p.text)}**" if p.strong else markdown_literal(p.text),
            Table: lambda t: _markdown_table(t, lang),
            Figure: lambda f: _markdown_figure(f, lang),
        },
    )
    front = [markdown_literal(line) for line in front_lines(document)[1:]]
    return "\n\n".join([f"# {markdown_literal(document.title)}", *front, *body]) + "\n"


def write_markdown(document: Document, path: Path | str) -> Path:
    """Write the document's Markdown to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(markdown_text(document), encoding="utf-8")
    return Path(path)
