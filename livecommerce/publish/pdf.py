"""The document as a PDF on A4: typst (the ``typst`` package, no LaTeX, no system fonts) typesets a source written
here, with Noto Sans CJK SC from the mplfonts package embedded. Every text goes in as a typst string, so no
character of the report can act as markup."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from livecommerce.data.paths import installed_file
from livecommerce.errors import OutputError
from livecommerce.plots.theme import FONT_FILE
from livecommerce.publish import typeset
from livecommerce.publish.child import in_child
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

__all__ = ["FONT", "source", "typesetting", "write_pdf"]

FONT = "Noto Sans CJK SC"

_PREAMBLE = """#set document(title: {title}, author: ({authors}), keywords: ({keywords}), date: none)
#set page(paper: "a4", margin: (x: 2.5cm, y: 2.4cm), numbering: none)
#set text(font: "{font}", size: 10pt, lang: "{lang}")
#set par(justify: true, leading: 0.8em, spacing: 1.1em)
#set heading(numbering: none)
#show heading: set text(fill: rgb("#1f3a5f"))
#show heading: set block(above: 1.5em, below: 0.9em)
#show heading.where(level: 1): it => {{ pagebreak(weak: true); set text(size: 17pt); it }}
#show heading.where(level: 2): set text(size: 13.5pt)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 4): set text(size: 10.5pt)
#let accent(body) = text(fill: rgb("#1f3a5f"), body)
#set table(stroke: 0.5pt + luma(120), inset: (x: 5pt, y: 3pt))
#show outline.entry.where(level: 1): set text(weight: "bold")
"""


def _s(text) -> str:
    """``text`` as a typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _table(block: Table, lang: str) -> str:
    aligns = ", ".join("left" if k == "text" else "right" for k in block.kinds)
    header = ", ".join(f"[*#{_s(h)}*]" for h in block.header)
    cells = ", ".join(f"[#{_s(c)}]" for row in rows_text(block) for c in row)
    size = "8pt" if len(block.rows) > 15 else "9pt"
    return (
        f"#block(sticky: true)[#align(center)[#accent[#{_s(caption_line(block, lang))}]]]\n#block(breakable: true)[\n"
        f"#set text(size: {size})\n"
        f"#align(center)[#table(columns: {len(block.header)}, align: ({aligns},), table.header({header}), {cells})]\n"
        f"#text(size: 8pt)[#{_s(source_line(block, lang))}]"
        + "".join(f"\\\n#text(size: 8pt)[#{_s(line)}]" for line in note_lines(block, lang))
        + "]\n"
    )


def _figure(block: Figure, lang: str, images: dict) -> str:
    width, _ = fitted(block.path)
    return (
        f"#block(breakable: false)[#align(center)[#image({_s(images[block.path])}, width: {width:.2f}cm)]\n"
        f"#align(center)[#accent[#{_s(caption_line(block, lang))}]]\n"
        f"#text(size: 8pt)[#{_s(source_line(block, lang))}]]\n"
    )


def _front(document: Document) -> str:
    """The front matter, unnumbered: the cover (title, period, authors, 委托单位, date), the title page (every
    field with its label) and the 目录; the page after it is page 1."""
    meta, lang = document.metadata, document.lang
    client = f"{word(METADATA_LABELS, 'client', lang)}{meta.client}" if meta.client else ""
    authors = "".join(f"#text(size: 12pt)[#{_s(a)}]\\\n" for a in meta.authors)
    cover = (
        f'#page[#align(center)[#v(5cm)#text(size: 24pt, weight: "bold", fill: rgb("#1f3a5f"))[#{_s(document.title)}]\n'
        f"#v(1cm)#text(size: 14pt)[#{_s(meta.period)}]\n#v(1fr)\n#text(size: 13pt)[#{_s(client)}]#v(1cm)\n"
        f"#par(leading: 1em)[{authors}]\n#v(1cm)"
        f"#text(size: 13pt)[#{_s(meta.date)}]#v(1.5cm)]]\n"
    )
    lines = "".join(f"#par[#{_s(line)}]\n" for line in front_lines(document))
    title_page = f"#page[#v(3cm)\n{lines}]\n"
    contents = f"#outline(title: {_s(label('contents', lang))}, depth: 2, indent: 1.5em)\n"
    return cover + title_page + contents + '#set page(numbering: "1")\n#counter(page).update(1)\n'


def source(document: Document, images: dict) -> str:
    """The typst source of the document; ``images`` maps each figure's path to its path as typst reads it."""
    lang, meta = document.lang, document.metadata
    head = [
        _PREAMBLE.format(
            title=_s(document.title),
            authors="".join(f"{_s(a)}, " for a in meta.authors),
            keywords="".join(f"{_s(k)}, " for k in (meta.period, meta.client, meta.provider) if k),
            font=FONT,
            lang=lang,
        ),
        f'#set page(header: align(right)[#text(size: 9pt, fill: rgb("#c0392b"))[*#{_s(document.label)}*]])\n'
        if document.label
        else "",
        _front(document),
    ]
    body = render(
        document,
        {
            Chapter: lambda c: f"#heading(level: 1)[#{_s(c.title)}]\n",
            Section: lambda s: s.title and f"#heading(level: {s.level})[#{_s(s.title)}]\n",
            Table: lambda t: _table(t, lang),
            Figure: lambda f: _figure(f, lang, images),
            Paragraph: lambda p: f"#par[#accent[#{_s(p.text)}]]\n" if p.strong else f"#par[#{_s(p.text)}]\n",
        },
    )
    return "\n".join(head + body)


@contextmanager
def typesetting(document: Document, path: Path | str):
    """While in it, the document is typeset (A4, Noto Sans CJK SC embedded) in a child process
    (:mod:`livecommerce.publish.typeset`); as it ends, the PDF is written to ``path`` atomically. Gives that path."""
    font = installed_file("mplfonts", FONT_FILE)
    if font is None:
        raise OutputError(f"cannot write {path}: the Chinese font ({FONT}, from the mplfonts package) is not installed")
    with tempfile.TemporaryDirectory(prefix="livecommerce-pdf-") as work:
        work = Path(work)
        (work / typeset.FONTS).mkdir()
        (work / typeset.FONTS / font.name).symlink_to(font)
        images = {}
        for k, figure in enumerate(document.blocks(Figure)):
            link = work / f"figure{k:03d}{figure.path.suffix}"
            link.symlink_to(Path(figure.path).resolve())
            images[figure.path] = link.name
        (work / typeset.SOURCE).write_text(source(document, images), encoding="utf-8")
        with in_child(typeset.__file__, [str(work)], b"", Path(path), "typesetting the PDF") as written:
            yield written


def write_pdf(document: Document, path: Path | str) -> Path:
    """Typeset the document to ``path`` (:func:`typesetting`, waited for); return the path."""
    with typesetting(document, path) as written:
        pass
    return written
