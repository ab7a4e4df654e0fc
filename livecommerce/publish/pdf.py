"""The document as a PDF on A4: typst (the ``typst`` package, no LaTeX, no system fonts) typesets a source written
here, with Noto Sans CJK SC from the mplfonts package embedded. Every text goes in as a typst string, so no
character of the report can act as markup."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from livecommerce.errors import OutputError
from livecommerce.plots.theme import font_file
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
    walk,
)
from livecommerce.publish.figures import fitted
from livecommerce.publish.printed import rows_text
from livecommerce.words import METADATA_LABELS, word

__all__ = ["FONT", "source", "typesetting", "write_pdf"]

FONT = "Noto Sans CJK SC"
_LEAD = 90
"""The characters of a paragraph of two lines at most (45 a line of the A4 text at 10 pt)."""
_BOOL = {True: "true", False: "false"}

_PREAMBLE = """#set document(title: {title}, author: ({authors}), keywords: ({keywords}), date: none)
#set text(font: "{font}", size: 10pt, lang: "{lang}")
"""

_LAYOUT = """#let lc-margin = 2.4cm
#let lc-ink = rgb("#1f3a5f")
#set page(paper: "a4", margin: (x: 2.5cm, y: lc-margin), numbering: none)
#set par(justify: true, leading: 0.8em, spacing: 1.1em)
#set heading(numbering: none)
// the CJK font has one weight: bold is the glyphs stroked in their own colour
#let lc-bold(ink, body) = text(fill: ink, stroke: 0.03em + ink, body)
// each level's size; the space above a heading, 1.5em, is in its own size
#let lc-heading-size = (17pt, 13.5pt, 12pt, 10.5pt)
#let lc-heading-above(level) = 1.5 * lc-heading-size.at(level - 1)
#show heading: it => block(above: 1.5em, below: 0.9em, sticky: true, lc-bold(lc-ink, it.body))
#show heading.where(level: 1): it => { pagebreak(weak: true); set text(size: lc-heading-size.at(0)); it }
#show heading.where(level: 2): set text(size: lc-heading-size.at(1))
#show heading.where(level: 3): set text(size: lc-heading-size.at(2))
#show heading.where(level: 4): set text(size: lc-heading-size.at(3))
#show strong: it => context lc-bold(text.fill, it.body)
#set table(stroke: 0.5pt + luma(120), inset: (x: 5pt, y: 3pt))
#show figure: set block(above: 1.2em, below: 1.2em)
#show figure.where(kind: table): set block(breakable: true)
#show figure.caption: set text(fill: lc-ink)
#show outline.entry.where(level: 1): it => lc-bold(black, it)
// What is left of the page where a table or figure was to go, and from here down: the spot set before it (an empty
// block, which stays behind when it moves on: a bare metadata tag would move on with it) keeps the space above
// it. A table or figure held under a heading or a lead-in has no spot of its own: the spot before the heading or
// lead stays behind when they all move on, and what they take on the next page is added to where it stood, with
// `gap`, the space above them that a page's top drops. (Where it stays, both are the same.)
#let lc-spot(above, gap, sticky: false) = block(height: 0pt, above: above, below: 0pt, sticky: sticky)[
  #metadata(gap) <lc-spot>]
#let lc-place(held) = if not held { lc-spot(1.2em, 0pt) }  // a figure's space above
// The room is as typst's own rounds of layout find it; where they do not settle (a table or figure fitted to the
// page moves what follows it, and typst stops after five rounds), the child lays the document out again with the
// rooms the last round found pinned (lc-rooms/k.json, k the table's or figure's key; null: not pinned), until the
// rooms found are the rooms pinned (:mod:`livecommerce.publish.typeset`). A file each: a layout again redoes only
// what reads a room that changed. Gives the two rooms and what it found, marked.
#let lc-room(k) = {
  let spot = query(selector(<lc-spot>).before(here())).last()
  let from = spot.location().position()
  let at = here().position()
  let y = if at.page == from.page { at.y } else { from.y + spot.value + at.y - lc-margin }
  let found = (calc.round((page.height - lc-margin - y).pt(), digits: 2),
    calc.round((page.height - lc-margin - at.y).pt(), digits: 2))
  let pinned = json(lc-rooms + "/" + k + ".json")
  let (was, now) = if pinned == none { found } else { pinned }
  (was * 1pt, now * 1pt, [#metadata((k: k, room: found)) <lc-room>])
}

// A table whose parts across pages each hold three rows or more, its header row on each, its caption with its
// first part. One that fits in what is left of the page where it was to go, with its notes, goes there; else it
// is cut into a table a page, a row to spare on each, the first there where four rows fit, leaving three or more
// for the next; else the same from here (it moved on), else it starts on the next page (whole there if it fits).
// Its rows are of one height, as a table of one line a row has.
#let lc-table(k, caption, header, columns, aligns, size, rows, foot, held) = lc-place(held) + layout(region => context {
  let grid(rows) = text(size: size, table(columns: columns, align: aligns,
    table.header(repeat: true, ..header.map(strong)), ..rows.flatten()))
  let under(rows, last) = { grid(rows); if last { set align(left); foot } }
  let framed(rows, last) = block(breakable: false, figure(kind: table, supplement: none, numbering: none,
    caption: figure.caption(position: top, caption), under(rows, last)))
  let tall(body) = measure(block(width: region.width, body)).height
  let n = rows.len()
  let head = tall(figure(kind: table, supplement: none, numbering: none,
    caption: figure.caption(position: top, caption), grid(())))
  let row = calc.max(1pt, (tall(grid(rows)) - tall(grid(()))) / calc.max(n, 1))  // a table may have no rows
  let full = calc.floor((page.height - 2 * lc-margin - tall(grid(()))) / row)
  // the rows a page, each page's but the last one row short of a full page (a row to spare), the first page's
  // starting with `size`; the last page's made three from the page before, if fewer
  let cut(size) = {
    let sizes = ()
    let left = n
    while left > 0 { sizes.push(calc.min(size, left)); left -= sizes.last(); size = full - 1 }
    let short = 3 - sizes.last()
    if short > 0 and sizes.len() > 1 { sizes.at(-2) -= short; sizes.at(-1) += short }
    sizes
  }
  // the parts in `room`, if the table fits there, whole or cut: its first part a row short of what fits (three
  // rows or more), at most all but three rows (the rows may fit where their notes do not)
  let parts(room) = {
    let first = calc.min(calc.floor((room - head) / row) - 1, n - 3)
    if n == 0 or tall(framed(rows, true)) <= room { (n,) } else if first >= 3 { cut(first) }
  }
  let (was, now, found) = lc-room(k)
  found
  let sizes = parts(was)
  if sizes == none { sizes = parts(now) }
  if sizes == none { sizes = if n <= full { (n,) } else { cut(full - 1) } }
  let at = 0
  for (k, count) in sizes.enumerate() {
    let part = rows.slice(at, at + count)
    at += count
    let last = k == sizes.len() - 1
    if k == 0 { framed(part, last) } else { block(width: 100%, breakable: false, under(part, last)) }
  }
})

// A figure with its caption and source under it; where it does not fit in what is left of the page where it was
// to go but would at 70% of its size or more, it is drawn as large as fits there, so that no page is left half
// empty before it; else the same from here (it moved on).
#let lc-figure(k, path, width, caption, held) = lc-place(held) + layout(region => context {
  let drawn(width) = figure(image(path, width: width), supplement: none, numbering: none,
    caption: figure.caption(position: bottom, caption))
  let need = measure(block(width: region.width, drawn(width))).height
  let picture = measure(image(path, width: width)).height
  let scale(room) = (room - 1em.to-absolute() - need + picture) / picture  // an em to spare
  let (was, now, found) = lc-room(k)
  found
  let room = if need <= was or scale(was) >= 0.7 { was } else { now }
  drawn(if need > room and scale(room) >= 0.7 { width * scale(room) } else { width })
})
"""


def _s(text) -> str:
    """``text`` as a typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _table(block: Table, lang: str, held: bool) -> str:
    """表N as a call of ``lc-table``: caption above, every table as wide as the text (its text columns share what
    the numbers leave), 来源 and 注 lines under it."""
    columns = ", ".join("1fr" if k == "text" else "auto" for k in block.kinds)
    aligns = ", ".join("left" if k == "text" else "right" for k in block.kinds)
    header = "".join(f"{_s(h)}, " for h in block.header)
    rows = "".join("(" + "".join(f"{_s(c)}, " for c in row) + "), " for row in rows_text(block))
    foot = "\\\n".join(
        f"#text(size: 8pt)[#{_s(line)}]" for line in (source_line(block, lang), *note_lines(block, lang))
    )
    size = "8pt" if len(block.rows) > 15 else "9pt"
    return (
        f"#lc-table({_s(_key(block))}, {_s(caption_line(block, lang))}, ({header}), ({columns},), ({aligns},),\n"
        f"  {size}, ({rows}),\n  [{foot}], {_BOOL[held]})\n"
    )


def _figure(block: Figure, lang: str, images: dict, held: bool) -> str:
    width, _ = fitted(block.path)
    caption = f"#{_s(caption_line(block, lang))}\\\n#text(size: 8pt)[#{_s(source_line(block, lang))}]"
    return f"#lc-figure({_s(_key(block))}, {_s(images[block.path])}, {width:.2f}cm, [{caption}], {_BOOL[held]})\n"


def _key(block: Table | Figure) -> str:
    """The table's or figure's key, under which its room is pinned: ``t`` or ``f`` and its number."""
    return f"{'t' if isinstance(block, Table) else 'f'}{block.number}"


def _front(document: Document) -> str:
    """The front matter, unnumbered: the cover (title, period, authors, 委托单位, date), the title page (every
    field with its label) and the 目录; the page after it is page 1."""
    meta, lang = document.metadata, document.lang
    client = f"{word(METADATA_LABELS, 'client', lang)}{meta.client}" if meta.client else ""
    authors = "".join(f"#text(size: 12pt)[#{_s(a)}]\\\n" for a in meta.authors)
    prefix = f"{document.label} " if document.label else ""
    mark = f'#text(size: 14pt, fill: rgb("#c0392b"))[*#{_s(document.label)}*]\\\n' if prefix else ""
    cover = (  # the label, if any, on a line of its own: the title under it as long as it is, words unbroken
        f"#page[#align(center)[#v(5cm){mark}"
        f"#text(size: 24pt, hyphenate: false)[#lc-bold(lc-ink)[#{_s(document.title.removeprefix(prefix))}]]\n"
        f"#v(1cm)#text(size: 14pt)[#{_s(meta.period)}]\n#v(1fr)\n#text(size: 13pt)[#{_s(client)}]#v(1cm)\n"
        f"#par(leading: 1em)[{authors}]\n#v(1cm)"
        f"#text(size: 13pt)[#{_s(meta.date)}]#v(1.5cm)]]\n"
    )
    lines = "".join(f"#par[#{_s(line)}]\n" for line in front_lines(document))
    title_page = f"#page[#v(3cm)\n{lines}]\n"
    contents = f"#outline(title: {_s(label('contents', lang))}, depth: 2, indent: 1.5em)\n"
    return cover + title_page + contents + '#set page(numbering: "1")\n#counter(page).update(1)\n'


def _held(document: Document) -> tuple[set[int], set[int]]:
    """The ids of the parts that hold on to what stands above or below them, so that no heading is left at a page's
    foot: the paragraphs that lead into a section's text, a headline (strong) or, under its heading or another
    lead, a line or two (at most ``_LEAD`` characters: the marker of a section written for another edition), which
    stay with what follows them; a table or figure right under a heading or a lead, which takes them along. Then
    the ids of the parts that open such a run: a section's heading or a lead that stands under no other heading or
    lead."""
    held, opening, under = set(), set(), False
    for part in walk(document):
        short = isinstance(part, Paragraph) and (part.strong or under and len(part.text) <= _LEAD)
        if short or under and isinstance(part, (Table, Figure)):
            held.add(id(part))
        if (isinstance(part, Section) and part.title or short) and not under:
            opening.add(id(part))
        headed = isinstance(part, (Chapter, Section)) and (bool(part.title) or under)  # an untitled section: none
        under = headed or short
    return held, opening


def _spot(part, opening: set[int]) -> str:
    """The spot before a part that opens a run held together (:func:`_held`): no space above a heading's own (it
    keeps 1.5em of its own size, which a page's top drops), a paragraph's above a lead."""
    if id(part) not in opening:
        return ""
    if isinstance(part, Section):
        return f"#lc-spot(0pt, lc-heading-above({part.level}))\n"
    return "#lc-spot(1.1em, 11pt)\n"


def _paragraph(block: Paragraph, lead: bool) -> str:
    text = f"#lc-bold(lc-ink)[#{_s(block.text)}]" if block.strong else f"#{_s(block.text)}"
    return f"#block(sticky: true, breakable: false)[#par[{text}]]\n" if lead else f"#par[{text}]\n"


def source(document: Document, images: dict) -> str:
    """The typst source of the document; ``images`` maps each figure's path to its path as typst reads it."""
    lang, meta = document.lang, document.metadata
    held, opening = _held(document)
    head = [
        _PREAMBLE.format(
            title=_s(document.title),
            authors="".join(f"{_s(a)}, " for a in meta.authors),
            keywords="".join(f"{_s(k)}, " for k in (meta.period, meta.client, meta.provider) if k),
            font=FONT,
            lang=lang,
        ),
        f"#let lc-rooms = {_s(typeset.ROOMS)}\n",
        _LAYOUT,
        f'#set page(header: align(right)[#text(size: 9pt, fill: rgb("#c0392b"))[*#{_s(document.label)}*]])\n'
        if document.label
        else "",
        _front(document),
    ]
    body = render(
        document,
        {
            # the spot under a chapter's heading, which opens its page: for a table or figure held under it
            Chapter: lambda c: f"#heading(level: 1)[#{_s(c.title)}]\n#lc-spot(0pt, 0pt, sticky: true)\n",
            Section: lambda s: s.title and f"{_spot(s, opening)}#heading(level: {s.level})[#{_s(s.title)}]\n",
            Table: lambda t: _table(t, lang, id(t) in held),
            Figure: lambda f: _figure(f, lang, images, id(f) in held),
            Paragraph: lambda p: _spot(p, opening) + _paragraph(p, id(p) in held),
        },
    )
    return "\n".join(head + body)


@contextmanager
def typesetting(document: Document, path: Path | str):
    """While in it, the document is typeset (A4, Noto Sans CJK SC embedded) in a child process
    (:mod:`livecommerce.publish.typeset`); as it ends, the PDF is written to ``path`` atomically. Gives that path."""
    font = font_file()
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
        typeset.pin(work, dict.fromkeys(_key(b) for b in document.blocks((Table, Figure))))
        with in_child(typeset.__file__, [str(work)], b"", Path(path), "typesetting the PDF") as written:
            yield written


def write_pdf(document: Document, path: Path | str) -> Path:
    """Typeset the document to ``path`` (:func:`typesetting`, waited for); return the path."""
    with typesetting(document, path) as written:
        pass
    return written
