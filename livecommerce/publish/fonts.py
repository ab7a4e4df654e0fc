"""The Chinese font of the HTML pages, shipped with them: Noto Sans CJK SC (from the mplfonts package, as in the
figures and the PDF) cut down to the characters the pages print, about half a megabyte instead of sixteen, so that
a page reads the same on a machine without Chinese fonts."""

import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from livecommerce.data.io import atomic_path
from livecommerce.data.paths import installed_file
from livecommerce.errors import OutputError
from livecommerce.plots.theme import FONT_FILE
from livecommerce.publish import cut

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
    with tempfile.TemporaryFile() as said:
        child = subprocess.Popen(
            [sys.executable, "-P", cut.__file__, str(source)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=said,
        )
        try:
            child.stdin.write("".join(sorted(characters)).encode("utf-8"))
            child.stdin.close()
            yield path
            woff = child.stdout.read()
            if child.wait() != 0:
                said.seek(0)
                last = said.read().decode("utf-8", errors="replace").strip().splitlines()[-1:]
                raise OutputError(
                    f"cannot write {path}: cutting the font failed ({' '.join(last) or child.returncode})"
                )
            with atomic_path(path, root=folder) as tmp:
                tmp.write_bytes(woff)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
