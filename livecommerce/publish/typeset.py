"""Typeset a folder's ``report.typ`` with typst, the fonts in its ``fonts/`` only (no system font).

Run as a script (``python -P typeset.py FOLDER``), it loads only the standard library and typst and prints the
PDF's bytes: typst holds the interpreter while it works, so the parent writes the document's other files meanwhile.
"""

import sys
from pathlib import Path

import typst

__all__ = ["FONTS", "SOURCE", "typeset"]

SOURCE = "report.typ"
"""The typst source in the folder."""
FONTS = "fonts"
"""The folder's subfolder of fonts."""


def typeset(folder: Path | str) -> bytes:
    """The PDF of ``folder/SOURCE``, which reads files inside ``folder`` only."""
    folder = Path(folder)
    return typst.compile(
        str(folder / SOURCE), root=str(folder), font_paths=[str(folder / FONTS)], ignore_system_fonts=True
    )


if __name__ == "__main__":
    sys.stdout.buffer.write(typeset(sys.argv[1]))
