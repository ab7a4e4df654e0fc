"""The Chinese font of the HTML pages, shipped with them: Noto Sans CJK SC (from the mplfonts package, as in the
figures and the PDF) cut down to the characters the pages print, about half a megabyte instead of sixteen, so that
a page reads the same on a machine without Chinese fonts."""

import io
from functools import lru_cache
from pathlib import Path

from fontTools import subset

from livecommerce.data.io import atomic_path
from livecommerce.data.paths import installed_file
from livecommerce.errors import OutputError
from livecommerce.plots.theme import FONT_FILE

__all__ = ["FAMILY", "FONT", "embed", "font_face"]

FONT = "fonts/noto-sans-cjk-sc.woff"
"""Where the cut-down font goes, relative to the output folder."""
FAMILY = "livecommerce-cjk"
"""The family name the pages' style sheets give it."""


def font_face(depth: int = 0) -> str:
    """The CSS ``@font-face`` rule of the page font, for a page ``depth`` folders below the output folder."""
    return f'@font-face {{ font-family: "{FAMILY}"; src: url("{"../" * depth}{FONT}") format("woff"); }}'


def embed(folder: Path | str) -> Path:
    """Write the font the HTML pages under ``folder`` need (every character they hold) to ``folder/FONT``,
    atomically and the same bytes for the same pages; return its path."""
    folder = Path(folder)
    source = installed_file("mplfonts", FONT_FILE)
    if source is None:
        raise OutputError(f"cannot write {folder / FONT}: the Chinese font (mplfonts) is not installed")
    characters = set()
    for page in sorted(folder.rglob("*.html")):
        characters |= set(page.read_text(encoding="utf-8"))
    path = folder / FONT
    with atomic_path(path, root=folder) as tmp:
        tmp.write_bytes(_subset(source, "".join(sorted(characters))))
    return path


@lru_cache(maxsize=4)
def _subset(source: Path, characters: str) -> bytes:
    """``source`` cut down to ``characters``, as WOFF bytes (kept: the next report of the same pages in this process
    needs the same font, and cutting takes seconds)."""
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    buffer = io.BytesIO()
    with subset.load_font(str(source), options) as font:  # closes the font file (else a ResourceWarning at exit)
        font.recalcTimestamp = False  # the same bytes for the same pages
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        subset.save_font(font, buffer, options)
    return buffer.getvalue()
