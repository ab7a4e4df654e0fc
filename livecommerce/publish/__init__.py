"""The printed document: a finished report run turned into a document an author can print, in one language —
the report's chapters and text, 表1–15 in its layout, the run's figures, 表N / 图N numbered with captions and a
来源 line — written as HTML pages, DOCX, PDF (A4), XLSX and Markdown.

>>> from livecommerce import Study
>>> from livecommerce import publish
>>> document = publish.assemble({lv: Study.build(lv) for lv in ("province", "city", "prefecture")}, "build/figures")
>>> publish.write(document, "build")
"""

from livecommerce.publish.assemble import assemble
from livecommerce.publish.document import Chapter, Document, Figure, Paragraph, Section, Table
from livecommerce.publish.write import write

__all__ = ["Chapter", "Document", "Figure", "Paragraph", "Section", "Table", "assemble", "write"]
