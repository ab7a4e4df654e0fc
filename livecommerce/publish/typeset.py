"""Typeset a folder's ``report.typ`` with typst, the fonts in its ``fonts/`` only (no system font).

Run as a script (``python -P typeset.py FOLDER``), it loads only the standard library and typst and prints the
PDF's bytes: typst holds the interpreter while it works, so the parent writes the document's other files meanwhile.
"""

import json
import sys
from pathlib import Path

import typst

__all__ = ["FONTS", "FREE", "ROOMS", "ROUNDS", "SOURCE", "pin", "typeset"]

SOURCE = "report.typ"
"""The typst source in the folder."""
FONTS = "fonts"
"""The folder's subfolder of fonts."""
ROOMS = "rooms"
"""The folder's subfolder of pinned rooms: a JSON file a table or figure (:func:`pin`)."""
ROUNDS = 24
"""How many times the document is laid out, at most."""
FREE = 12
"""After how many layouts the rooms pinned only ever shrink (each table's or figure's the least it was found to
have), so that the layouts end: each is then fitted to no more room than it has."""


def typeset(folder: Path | str) -> tuple[bytes, str]:
    """The PDF of ``folder/SOURCE``, which reads files inside ``folder`` only, and what is to be said of it ("" if
    nothing). Where typst's own rounds of layout do not settle (each table or figure is fitted to the room left on
    its page, and fitting one moves what follows it), the document is laid out again with the rooms the last
    layout found pinned (``lc-room`` in :mod:`livecommerce.publish.pdf`), until the rooms found are those pinned
    (after :data:`FREE` layouts: no less than those pinned)."""
    folder = Path(folder)
    compiler = typst.Compiler(
        str(folder / SOURCE), root=str(folder), font_paths=[str(folder / FONTS)], ignore_system_fonts=True
    )
    pinned = {}
    for layouts in range(1, ROUNDS + 1):
        # compiled before each query: only a compile makes typst-py read the rooms pinned since (a query alone kept
        # the files it had read in typst 0.13.1, 0.13.7, 0.14.0, 0.14.9 and 0.15.0)
        pdf, warnings = compiler.compile_with_warnings()
        found = {m["value"]["k"]: m["value"]["room"] for m in json.loads(compiler.query("<lc-room>"))}
        settled = not any("converge" in str(w) for w in warnings)
        if settled and (not pinned or found == pinned or layouts > FREE and _within(pinned, found)):
            return pdf, ""
        if layouts >= FREE and pinned:
            found = {k: [min(a, b) for a, b in zip(room, pinned.get(k, room))] for k, room in found.items()}
        pin(folder, {k: room for k, room in found.items() if room != pinned.get(k)})
        pinned = found
    return pdf, f"the layout did not settle in {ROUNDS} layouts: a page may break badly"


def pin(folder: Path | str, rooms: dict) -> None:
    """Pin each table's or figure's rooms (``None``: not pinned) in ``folder/ROOMS/<key>.json``: the source reads
    a file each, so that typst lays out again only what reads a room that changed."""
    (Path(folder) / ROOMS).mkdir(exist_ok=True)
    for key, room in rooms.items():
        (Path(folder) / ROOMS / f"{key}.json").write_text(json.dumps(room), encoding="utf-8")


def _within(pinned: dict, found: dict) -> bool:
    """Whether every table and figure was fitted to no more room than it was found to have."""
    return pinned.keys() == found.keys() and all(
        p <= f for k in pinned for p, f in zip(pinned[k], found[k], strict=True)
    )


if __name__ == "__main__":
    pdf, said = typeset(sys.argv[1])
    # buffered, which writes every byte: sys.stdout.buffer is a raw file under python -u (PYTHONUNBUFFERED), and a
    # stop (Ctrl-Z, then fg) while a pipe is full ended its one write short, the PDF cut at 64 KiB and the exit 0
    with open(sys.stdout.fileno(), "wb", closefd=False) as printed:
        printed.write(pdf)
    sys.stderr.write(said)
