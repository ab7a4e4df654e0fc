"""Write an edition in every format into an output folder: the HTML pages, ``report.docx``, ``report.pdf``,
``report.xlsx`` (表1–15) and ``report.md``."""

from pathlib import Path

from livecommerce import arguments
from livecommerce.publish.document import Edition
from livecommerce.publish.fonts import embed
from livecommerce.publish.pages import write_pages
from livecommerce.publish.pdf import write_pdf
from livecommerce.publish.word import write_docx
from livecommerce.publish.workbook import write_markdown, write_xlsx

__all__ = ["write"]


def write(edition: Edition, folder: Path | str, notebooks: dict | None = None) -> list[Path]:
    """Every file of the edition in ``folder`` (figures are read from where the edition found them); return
    the paths. ``notebooks`` lists the notebook pages index.html links to (path: title); written before, they
    get the Chinese font with the edition's pages (:func:`livecommerce.publish.fonts.embed`)."""
    arguments.instance(edition, "edition", Edition, "an Edition (edition.assemble)")
    folder = Path(arguments.path(folder, "folder"))
    return [
        *write_pages(edition, folder, notebooks),
        embed(folder),
        write_docx(edition, folder / "report.docx"),
        write_pdf(edition, folder / "report.pdf"),
        write_xlsx(edition, folder / "report.xlsx"),
        write_markdown(edition, folder / "report.md"),
    ]
