"""The Chinese font of the HTML pages, shipped with them: Noto Sans CJK SC (from the mplfonts package, as in the
figures and the PDF) cut down to the characters the pages print, about half a megabyte instead of sixteen, so that
a page reads the same on a machine without Chinese fonts."""

from pathlib import Path

from livecommerce.data.io import atomic_path
from livecommerce.errors import OutputError
from livecommerce.plots.theme import font_file
from livecommerce.publish.cut import cut

__all__ = ["FAMILY", "FONT", "font_face", "write_font"]

FONT = "fonts/noto-sans-cjk-sc.woff"
"""Where the cut-down font goes, relative to the output folder."""
FAMILY = "livecommerce-cjk"
"""The family name the pages' style sheets give it."""


def font_face(depth: int = 0) -> str:
    """The CSS ``@font-face`` rule of the page font, for a page ``depth`` folders below the output folder."""
    return f'@font-face {{ font-family: "{FAMILY}"; src: url("{"../" * depth}{FONT}") format("woff"); }}'


def write_font(folder: Path | str) -> Path:
    """Write the font the HTML pages under ``folder`` need (every character they hold, :mod:`livecommerce.publish.cut`)
    to ``folder/FONT`` atomically, the same bytes for the same pages; return its path."""
    folder = Path(folder)
    path = folder / FONT
    source = font_file()
    if source is None:
        raise OutputError(f"cannot write {path}: the Chinese font (mplfonts) is not installed")
    characters = set()
    for page in sorted(folder.rglob("*.html")):
        characters |= set(page.read_text(encoding="utf-8"))
    font = cut(str(source), "".join(sorted(characters)))
    with atomic_path(path, root=folder) as tmp:
        tmp.write_bytes(font)
    return path
