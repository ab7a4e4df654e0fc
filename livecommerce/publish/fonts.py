"""The Chinese font of the HTML pages, shipped with them: Noto Sans CJK SC (from the mplfonts package, as in the
figures and the PDF) cut down to the characters the pages print, about half a megabyte instead of sixteen, so that
a page reads the same on a machine without Chinese fonts."""

from contextlib import contextmanager
from pathlib import Path

from livecommerce.data.paths import installed_file
from livecommerce.errors import OutputError
from livecommerce.plots.theme import FONT_FILE
from livecommerce.publish import cut
from livecommerce.publish.child import in_child

__all__ = ["FAMILY", "FONT", "embedding", "font_face"]

FONT = "fonts/noto-sans-cjk-sc.woff"
"""Where the cut-down font goes, relative to the output folder."""
FAMILY = "livecommerce-cjk"
"""The family name the pages' style sheets give it."""


def font_face(depth: int = 0) -> str:
    """The CSS ``@font-face`` rule of the page font, for a page ``depth`` folders below the output folder."""
    return f'@font-face {{ font-family: "{FAMILY}"; src: url("{"../" * depth}{FONT}") format("woff"); }}'


@contextmanager
def embedding(folder: Path | str):
    """While in it, the font the HTML pages under ``folder`` need (every character they hold) is cut in a child
    process (:mod:`livecommerce.publish.cut`: seconds of Python, which here would wait for the other files and they
    for it); as it ends, written to ``folder/FONT`` atomically, the same bytes for the same pages. Gives that path."""
    folder = Path(folder)
    path = folder / FONT
    source = installed_file("mplfonts", FONT_FILE)
    if source is None:
        raise OutputError(f"cannot write {path}: the Chinese font (mplfonts) is not installed")
    characters = set()
    for page in sorted(folder.rglob("*.html")):
        characters |= set(page.read_text(encoding="utf-8"))
    given = "".join(sorted(characters)).encode("utf-8")
    with in_child(cut.__file__, [str(source)], given, path, "cutting the font", root=folder) as written:
        yield written
