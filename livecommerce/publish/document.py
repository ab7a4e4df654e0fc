"""The document as one document model (chapters → sections → blocks), which every format renders.

Blocks are paragraphs, tables and figures. Tables and figures are numbered 表N / 图N continuously across
the document, in reading order, when the document is assembled (:func:`number`).
"""

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from livecommerce.data.edition import Metadata
from livecommerce.publish.sentences import phrases
from livecommerce.words import METADATA_LABELS, word

__all__ = [
    "Chapter",
    "Document",
    "Figure",
    "KINDS",
    "Paragraph",
    "Section",
    "Table",
    "caption_line",
    "front_lines",
    "full_width",
    "label",
    "labelled",
    "note_lines",
    "number",
    "render",
    "source_line",
    "walk",
]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text; ``strong`` for a section's headline (the report prints it in bold)."""

    text: str
    strong: bool = False


@dataclass(frozen=True)
class Table:
    """A printed table: its header, rows of values and each column's kind (:data:`KINDS`), its caption
    (without the number), the 来源 (source) text, the report's table number it reproduces (0: none) and the
    notes printed under it (注：how its columns were computed, its imputed cells)."""

    caption: str
    source: str
    header: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple, ...]
    report_number: int = 0
    number: int = 0
    notes: tuple[str, ...] = ()


KINDS = ("text", "rank", "score", "percent", "arrow")
"""Column kinds: text as it is, a rank (integer), a score (two decimals), a fraction shown as a percentage
(two decimals), a signed rank change shown as an arrow (↑5, ↓2, →)."""


@dataclass(frozen=True)
class Figure:
    """A figure file (PNG) with its caption (without the number) and 来源 (source) text."""

    caption: str
    source: str
    path: Path
    number: int = 0


@dataclass(frozen=True)
class Section:
    """A section: its heading (empty for a chapter's lead), the heading's depth (2 for （一）, 3 for 1., 4 for
    （1）; 1 for a chapter's lead) and its blocks, in order."""

    title: str
    level: int
    blocks: tuple = ()


@dataclass(frozen=True)
class Chapter:
    """A chapter: a short file-name ``key``, its heading and sections."""

    key: str
    title: str
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Document:
    """The whole document in one language: title, chapters, the settings it was built with, its ``label``
    (e.g. SYNTHETIC; empty for real data), which every printed page carries in its header, its front matter
    (``metadata``: :class:`~livecommerce.data.edition.Metadata`, which gave the title) and the section files it
    printed or left out as written for another edition (``unrewritten``), and the run's figures no section text
    places, which it does not print (``left_out``)."""

    lang: str
    title: str
    chapters: tuple[Chapter, ...]
    settings: dict = field(default_factory=dict)
    label: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    unrewritten: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()

    def blocks(self, kind: type) -> list:
        """Every block of ``kind`` (Table, Figure, Paragraph) in reading order."""
        return [b for c in self.chapters for s in c.sections for b in s.blocks if isinstance(b, kind)]


def number(document: Document) -> Document:
    """The document with its tables and figures numbered 1, 2, … in reading order (表N and 图N)."""
    counts = {Table: 0, Figure: 0}

    def numbered(block):
        if type(block) in counts:
            counts[type(block)] += 1
            return replace(block, number=counts[type(block)])
        return block

    chapters = tuple(
        replace(c, sections=tuple(replace(s, blocks=tuple(numbered(b) for b in s.blocks)) for s in c.sections))
        for c in document.chapters
    )
    return replace(document, chapters=chapters)


def labelled(document: Document, label: str) -> Document:
    """The document with ``label`` (e.g. SYNTHETIC) before its title, every chapter title and every table's and
    figure's caption, and in every page's header, so that no page, table or figure of it can be taken for real
    data."""

    def captioned(block):
        return replace(block, caption=f"{label} {block.caption}") if isinstance(block, (Table, Figure)) else block

    chapters = tuple(
        replace(
            c,
            title=f"{label} {c.title}",
            sections=tuple(replace(s, blocks=tuple(captioned(b) for b in s.blocks)) for s in c.sections),
        )
        for c in document.chapters
    )
    return replace(document, title=f"{label} {document.title}", chapters=chapters, label=label)


_HALF_WIDTH = re.compile(r"\(([^()]*[\u3400-\u9fff][^()]*)\)|(?<![A-Za-z])\(([0-9一二三四五六七八九十]{1,4})\)")
"""A bracket pair set half-width around Chinese text or an ordinal: (1), (三), (2023), (不含港澳台); not a call's
brackets in Latin text, alert(1)."""


def full_width(document: Document) -> Document:
    """The document with the half-width brackets of its chapter and section headings and its captions set
    full-width around Chinese text and ordinals, as Chinese print sets them, a heading's ordinal without a space
    after it: （1）刺激消费…, （三）内容…"""

    def brackets(text: str) -> str:
        return re.sub(
            r"^（(\w{1,3})）\s+", r"（\1）", _HALF_WIDTH.sub(lambda m: f"（{m[1] or m[2]}）", text)
        )  # （一）用户: no space

    def captioned(block):
        return replace(block, caption=brackets(block.caption)) if isinstance(block, (Table, Figure)) else block

    chapters = tuple(
        replace(
            c,
            title=brackets(c.title),
            sections=tuple(
                replace(s, title=brackets(s.title), blocks=tuple(captioned(b) for b in s.blocks)) for s in c.sections
            ),
        )
        for c in document.chapters
    )
    return replace(document, chapters=chapters)


def walk(document: Document):
    """Every part of the document in reading order: each chapter, then each of its sections and their blocks."""
    for chapter in document.chapters:
        yield chapter
        for section in chapter.sections:
            yield section
            yield from section.blocks


def render(document: Document, handlers: dict) -> list:
    """Each part of the document (:func:`walk`) passed to the handler of its type (Chapter, Section, Paragraph,
    Table, Figure); their results in reading order, empty ones (None, "", []) left out."""
    return [out for out in (handlers[type(part)](part) for part in walk(document)) if out]


def label(key: str, lang: str) -> str:
    """A fixed word of the document's pages in ``lang`` (表, 来源：, 目录 …), from the language's templates."""
    return str(phrases(lang).label(key))


def front_lines(document: Document) -> list[str]:
    """The title page's lines: the title, then each field the metadata fill in with its label (委托单位：…)."""
    meta, lang = document.metadata, document.lang
    values = {**{k: getattr(meta, k) for k in METADATA_LABELS}, "authors": label("list_sep", lang).join(meta.authors)}
    lines = [f"{label('title', lang)}{document.title}"]
    return lines + [f"{word(METADATA_LABELS, k, lang)}{values[k]}" for k in METADATA_LABELS if values[k]]


def caption_line(block: Table | Figure, lang: str) -> str:
    """The numbered caption as printed: 表1 全国省、直辖市和自治区直播电商发展指数（不含港澳台）."""
    kind = "table" if isinstance(block, Table) else "figure"
    sep = label("caption_sep", lang)
    return f"{label(kind, lang)}{block.number}{sep}{block.caption}"


def source_line(block: Table | Figure, lang: str) -> str:
    """The 来源 line under a table or figure."""
    return f"{label('source', lang)}{block.source}"


def note_lines(block: Table | Figure, lang: str) -> list[str]:
    """The 注 lines under a table, after its 来源 line (none under a figure)."""
    return [f"{label('note', lang)}{note}" for note in getattr(block, "notes", ())]
