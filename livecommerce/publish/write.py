"""Write a document in every format into an output folder: the HTML pages, ``report.docx``, ``report.pdf``,
``report.xlsx`` (表1–15) and ``report.md``."""

from pathlib import Path

from livecommerce import arguments
from livecommerce.publish.document import Document
from livecommerce.publish.fonts import embedding
from livecommerce.publish.pages import write_pages
from livecommerce.publish.pdf import write_pdf
from livecommerce.publish.word import write_docx
from livecommerce.publish.workbook import write_markdown, write_xlsx

__all__ = ["write"]


def write(document: Document, folder: Path | str, notebooks: dict | None = None) -> list[Path]:
    """Every file of the document in ``folder`` (figures are read from where the document found them); return
    the paths. ``notebooks`` lists the notebook pages index.html links to (path: title); written before, they
    get the Chinese font with the document's pages (:func:`livecommerce.publish.fonts.embedding`)."""
    arguments.instance(document, "document", Document, "a Document (publish.assemble)")
    folder = Path(arguments.path(folder, "folder"))
    pages = write_pages(document, folder, notebooks)
    with embedding(folder) as font:  # cut in a child process while the other files are written
        files = [
            write_docx(document, folder / "report.docx"),
            write_pdf(document, folder / "report.pdf"),
            write_xlsx(document, folder / "report.xlsx"),
            write_markdown(document, folder / "report.md"),
        ]
    return [*pages, font, *files]
