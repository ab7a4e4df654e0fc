"""What a typeset PDF puts where, read back from the PDF itself for the layout tests.

typst writes a tagged PDF: a structure tree (H1–H6, Caption, Table, THead/TBody, TR, Figure, P …) whose leaves
point at marked content on the pages. This module walks that tree and the pages' content streams (pypdf) and gives,
per page, each heading, caption, table row (with its table's number) and figure, where it stands, and how much of
the page is filled. Repeated table headers and the page's header and number are artifacts, outside the tree: they
are kept as a page's ``artifacts`` text, with where each piece stands.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

__all__ = ["Page", "Part", "faults", "layout"]

_KINDS = {
    **{f"/H{n}": "heading" for n in range(1, 7)},
    "/Caption": "caption",
    "/Figure": "figure",
    "/TR": "row",
}


@dataclass(frozen=True)
class Part:
    """One element's piece on one page: its kind (heading, caption, header, row, figure, text), where it stands
    (``top`` and ``bottom``, points down from the page's top edge), its text, the number of the table it belongs to
    (表N; 0 for none), a heading's level (0 for none) and the table or figure it is part of (``owner``, the same
    number for a caption and its table's rows or its figure; 0 for none)."""

    kind: str
    page: int
    top: float
    bottom: float
    text: str
    table: int = 0
    level: int = 0
    owner: int = 0


@dataclass
class Page:
    """A page (``number`` from 1, the cover included): its parts top to bottom, the artifacts' text pieces
    (``(top, text)``: repeated table headers, the page header and number) and the fraction of its body filled
    (down to its lowest part, the ``body`` being the span in points the document's parts use over all pages)."""

    number: int
    parts: list[Part] = field(default_factory=list)
    artifacts: list[tuple[float, str]] = field(default_factory=list)
    filled: float = 0.0
    body: float = 0.0

    def rows(self, table: int) -> list[Part]:
        """The body rows of 表``table`` on this page."""
        return [p for p in self.parts if p.kind == "row" and p.table == table]


def _kids(element) -> list:
    kids = element.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, list) else [kids]


def _marks(reader: pypdf.PdfReader) -> tuple[dict, list]:
    """Every marked content's extent and text by (page, MCID), and every page's artifact text pieces."""
    marks, artifacts = {}, []
    for number, page in enumerate(reader.pages):
        stack, pieces, height = [], [], float(page.mediabox.height)

        def extend(key, bottom: float, top: float, text: str = "", height=height):
            old = marks.get(key, (float("inf"), float("-inf"), ""))
            marks[key] = (min(old[0], height - top), max(old[1], height - bottom), old[2] + text)

        def before(op, args, cm, tm, stack=stack, number=number, extend=extend):
            if op in (b"BDC", b"BMC"):
                mcid = args[1].get("/MCID") if op == b"BDC" and isinstance(args[1], dict) else None
                stack.append(("mc", mcid) if mcid is not None else ("artifact", None))
            elif op == b"EMC" and stack:
                stack.pop()
            elif op == b"Do" and stack and stack[-1][0] == "mc":  # an image: the unit square under cm
                extend((number, stack[-1][1]), cm[5], cm[5] + cm[3])

        def text(content, cm, tm, font, size, stack=stack, number=number, pieces=pieces, extend=extend, page=page):
            if not content.strip() or not stack:
                return
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(size * (tm[3] * cm[3] if tm[3] else cm[3]) or size)
            if stack[-1][0] == "mc":
                extend((number, stack[-1][1]), y - 0.25 * scale, y + 0.85 * scale, content)
            else:
                pieces.append((float(page.mediabox.height) - y, content))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        artifacts.append(pieces)
    return marks, artifacts


def _parts(reader: pypdf.PdfReader, marks: dict) -> list[Part]:
    """The structure tree's headings, captions, rows and figures, in reading order, one part per page each spans."""
    pages = {page.indirect_reference.idnum: k for k, page in enumerate(reader.pages)}
    parts, table, groups = [], [0], [""]

    def leaves(element, page):
        """The (page, MCID) keys under ``element``."""
        page = pages.get(element.raw_get("/Pg").idnum, page) if "/Pg" in element else page
        for kid in _kids(element):
            if isinstance(kid, int):
                yield page, kid
                continue
            kid = kid.get_object()
            if kid.get("/Type") == "/MCR":
                yield pages[kid.raw_get("/Pg").idnum] if "/Pg" in kid else page, kid["/MCID"]
            elif "/S" in kid:
                yield from leaves(kid, page)

    def visit(element, head: bool, owner: int):
        kind = _KINDS.get(element["/S"])
        kids = [kid if isinstance(kid, int) else kid.get_object() for kid in _kids(element)]
        if kind is None and not any(isinstance(k, int) or k.get("/Type") == "/MCR" for k in kids):
            # the outermost table or figure: a caption and the rows of a table set in a block inside its figure
            owner = len(groups) if element["/S"] in ("/Table", "/Div") and not owner else owner
            groups.append(element["/S"])
            for kid in kids:
                if "/S" in kid:
                    visit(kid, head or element["/S"] == "/THead", owner)
            return
        spans = {}
        for key in leaves(element, None):
            if key in marks:
                top, bottom, text = marks[key]
                old = spans.get(key[0], (top, bottom, ""))
                spans[key[0]] = (min(old[0], top), max(old[1], bottom), old[2] + text)
        kind = kind or "text"
        if kind == "caption":
            found = re.match(r"(?:\S+ )?表 ?(\d+)", "".join(spans[k][2] for k in sorted(spans)).strip())
            table[0] = int(found.group(1)) if found else 0
        kind = "header" if kind == "row" and head else kind
        level = int(element["/S"][2:]) if kind == "heading" else 0
        number = table[0] if kind in ("caption", "header", "row") else 0
        parts.extend(Part(kind, page + 1, *spans[page], number, level, owner) for page in sorted(spans))

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    for kid in _kids(root):
        visit(kid.get_object(), False, 0)
    return parts


def layout(path: Path | str) -> list[Page]:
    """Every page of the PDF at ``path`` with its parts top to bottom and how full it is."""
    reader = pypdf.PdfReader(path)
    marks, artifacts = _marks(reader)
    pages = [Page(k + 1, artifacts=artifacts[k]) for k in range(len(reader.pages))]
    for part in _parts(reader, marks):
        pages[part.page - 1].parts.append(part)
    content = [p for p in marks.values() if p[1] > p[0]]
    top, bottom = min(p[0] for p in content), max(p[1] for p in content)
    for page in pages:
        page.parts.sort(key=lambda p: p.top)
        lowest = max((b for (k, _), (_, b, _) in marks.items() if k == page.number - 1), default=top)
        page.filled, page.body = (lowest - top) / (bottom - top), bottom - top
    return pages


def _contents(pages: list[Page], chapters: list[int]) -> list[str]:
    """Each entry of the 目录 (the pages from its heading to the first chapter's, an entry a line: its title and
    page number) whose heading is not printed on that page (the number at the page's foot)."""
    if len(chapters) < 2:
        return []
    printed = {}
    for page in pages[chapters[1] - 1 :]:
        number = next((t.strip() for _, t in sorted(page.artifacts, reverse=True) if t.strip().isdigit()), None)
        for heading in (p for p in page.parts if p.kind == "heading"):
            printed.setdefault(_squeezed(heading.text), []).append(number)
    found = []
    for page in pages[chapters[0] - 1 : chapters[1] - 1]:
        for entry in (p for p in page.parts if p.kind == "text"):
            title, _, number = entry.text.rstrip().rpartition(" ")
            if number.isdigit() and number not in printed.get(_squeezed(title), []):
                found.append(f"p{page.number}: the 目录 gives {title!r} page {number}, not where it is printed")
    return found


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def faults(
    pages: list[Page],
    rows: int = 3,
    least: float = 0.5,
    under: float = 30.0,
    smallest: float = 0.7,
    spare: float = 36.0,
) -> list[str]:
    """What a printer would reject in the layout, each fault naming its page: a table leaving fewer than ``rows``
    rows on a page, a continued table without its header row repeated above its rows, a caption on another page
    than its table or figure or set over other text, a heading at a page's foot with less than ``under`` points of
    text under it (two lines of 10-pt text span about 30: a heading over nothing, another heading or a one-line
    headline or marker is parted from its text; but at a chapter's end: an empty section, parted from nothing), a
    page of the chapters filled less than ``least`` (but before a figure too tall for the rest of it, with its
    headings, even drawn at ``smallest`` of its size with ``spare`` points about it (the gaps around it and the em
    lc-figure keeps), or at a chapter's end). The chapters start at the second page with a level-1 heading
    (the first is the 目录's)."""
    found = []
    tables = sorted({p.table for page in pages for p in page.parts if p.kind == "row" and p.table})
    for table in tables:
        spread = [(page, page.rows(table)) for page in pages if page.rows(table)]
        if len(spread) > 1:
            found += [f"p{page.number}: {len(on)} rows of 表{table}" for page, on in spread if len(on) < rows]
        header = next((p for page in pages for p in page.parts if p.kind == "header" and p.table == table), None)
        for page, on in spread[1:]:  # repeated (an artifact) or printed again (a table cut a page each)
            own = [p for p in page.parts if p.kind == "header" and p.table == table and p.top < on[0].top]
            above = "".join(text for top, text in page.artifacts if top < on[0].top)
            if not own and (header is None or _squeezed(header.text) not in _squeezed(above)):
                found.append(f"p{page.number}: 表{table} continues without its header row")
    parts = [p for page in pages for p in page.parts]
    for caption in (p for p in parts if p.kind == "caption"):
        body = [p for p in parts if p.owner == caption.owner and p.kind in ("header", "row", "figure")]
        if body and body[0].page != caption.page:
            found.append(f"p{caption.page}: the caption {caption.text[:20]!r} is not on its body's page {body[0].page}")
        beside = [p for p in parts if p.page == caption.page and p.owner != caption.owner]
        if any(min(p.bottom, caption.bottom) - max(p.top, caption.top) > 1 for p in beside):
            found.append(f"p{caption.page}: the caption {caption.text[:20]!r} is set over other text")
    for page, after in zip(pages, [*pages[1:], None]):
        opens = after is None or (after.parts and after.parts[0].kind == "heading" and after.parts[0].level == 1)
        heading = next((p for p in reversed(page.parts) if p.kind == "heading"), None)
        if heading is None or opens:  # not parted from what follows it
            continue
        below = [p for p in page.parts if p.top > heading.top and p is not heading]
        if not below or max(p.bottom for p in below) - heading.bottom < under:
            found.append(f"p{page.number}: the heading {heading.text!r} is at the page's foot")
    chapters = [page.number for page in pages if any(p.kind == "heading" and p.level == 1 for p in page.parts)]
    found += _contents(pages, chapters)
    for page, after in zip(pages, pages[1:]):
        if len(chapters) < 2 or page.number < chapters[1] or page.filled >= least or not after.parts:
            continue
        if after.parts[0].kind == "heading" and after.parts[0].level == 1:
            continue  # a chapter's end
        first = next((p for p in after.parts if p.kind != "heading"), after.parts[0])
        group = [p for p in after.parts if p.owner == first.owner] if first.owner else [first]
        figure = next((p for p in group if p.kind == "figure"), None)
        needed = max(p.bottom for p in group) - after.parts[0].top
        room = (1 - page.filled) * page.body
        if figure is not None and needed - (1 - smallest) * (figure.bottom - figure.top) + spare > room:
            continue  # before a figure too tall for the rest of the page even drawn smaller
        found.append(f"p{page.number}: {page.filled:.0%} filled mid-chapter")
    return found
