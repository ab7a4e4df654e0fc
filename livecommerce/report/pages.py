"""A notebook's page: the executed notebook's outputs as one self-contained HTML page (code hidden, images
embedded, no external requests), linked from the edition's table of contents."""

import html
import threading
from functools import cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from livecommerce.data.io import atomic_path
from livecommerce.publish.document import label
from livecommerce.publish.fonts import font_face

__all__ = ["write_page"]

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
{font}
body {{ font-family: "livecommerce-cjk", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.55; }}
img {{ max-width: 100%; }} table {{ border-collapse: collapse; font-size: 0.85em; }}
td, th {{ border: 1px solid #ddd; padding: 2px 6px; }} a {{ color: #3b6ea8; }}
details.code {{ margin: 0.5em 0; }} pre {{ background: #f6f6f6; padding: 0.5em; overflow-x: auto; }}
pre, code {{ font-family: monospace, "livecommerce-cjk"; }}
</style></head><body>
<p><a href="../index.html">{home}</a></p>
{body}
</body></html>
"""


_CONVERTING = threading.Lock()
"""Held while the exporter converts a notebook: it keeps each notebook's metadata while it works, and the runner
writes a page from the thread of each kernel."""


@cache  # its templates compiled once a process (a third of a page's time), not once a page
def _exporter() -> HTMLExporter:
    return HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )


def write_page(executed: Path, target: Path, title: str) -> None:
    """A self-contained page of the notebook's outputs (code hidden, images embedded, no external requests)."""
    with _CONVERTING:
        body, _ = _exporter().from_notebook_node(nbformat.read(executed, as_version=4))
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in title) else "en"
    page = _PAGE.format(
        lang=lang, title=html.escape(title), font=font_face(depth=1), home=label("contents", lang), body=body
    )
    with atomic_path(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
