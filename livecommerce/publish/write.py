"""Write a document in every format into an output folder: the HTML pages, ``report.docx``, ``report.pdf``,
``report.xlsx`` (表1–15) and ``report.md``."""

from pathlib import Path

from livecommerce import arguments
from livecommerce.publish.document import Document
from livecommerce.publish.fonts import write_font
from livecommerce.publish.pages import write_pages
from livecommerce.publish.pdf import typesetting

__all__ = ["write"]


def write(document: Document, folder: Path | str, notebooks: dict | None = None) -> list[Path]:
    """Every file of the document in ``folder`` (figures are read from where the document found them); return
    the paths. ``notebooks`` lists the notebook pages index.html links to (path: title); written before, they
    get the Chinese font with the document's pages (:func:`livecommerce.publish.fonts.write_font`)."""
    from livecommerce.publish.word import write_docx  # docx and openpyxl load when a document is written, not
    from livecommerce.publish.workbook import write_markdown, write_xlsx  # with the package (a kernel never does)

    arguments.instance(document, "document", Document, "a Document (publish.assemble)")
    folder = Path(arguments.path(folder, "folder"))
    pages = write_pages(document, folder, notebooks)
    with typesetting(document, folder / "report.pdf") as pdf:  # in a child process while this one writes the rest
        font = write_font(folder)
        docx = write_docx(document, folder / "report.docx")
        tables = [write_xlsx(document, folder / "report.xlsx"), write_markdown(document, folder / "report.md")]
    return [*pages, font, docx, pdf, *tables]
