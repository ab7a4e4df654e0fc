"""The document as HTML pages: ``index.html`` (the table of contents: chapters, 表 and 图 lists, downloads) and one
page per chapter with previous/next links. Plain HTML and CSS, A4 when printed, nothing fetched from elsewhere."""

import html
from pathlib import Path

from livecommerce.data.io import atomic_path
from livecommerce.publish.document import (
    Document,
    Figure,
    Paragraph,
    Table,
    caption_line,
    front_lines,
    label,
    note_lines,
    source_line,
)
from livecommerce.publish.fonts import font_face
from livecommerce.publish.printed import rows_text

__all__ = ["DOWNLOADS", "write_pages"]

DOWNLOADS = ("docx", "pdf", "xlsx", "md")
"""The document's files index.html offers, by extension (``report.<ext>``)."""

_STYLE = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "livecommerce-cjk", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 46em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.7; }
nav { font-size: 0.9em; display: flex; gap: 1.5em; border-bottom: 1px solid #ddd; padding-bottom: 0.4em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.1em; } h4 { font-size: 1em; }
p.headline { font-weight: bold; }
figure { margin: 1.2em 0; break-inside: avoid; }
figcaption { font-weight: bold; text-align: center; margin: 0.3em 0; }
img { max-width: 100%; display: block; margin: 0 auto; }
table { border-collapse: collapse; margin: 0 auto; font-size: 0.85em; }
th, td { border: 1px solid #999; padding: 2px 8px; }
th { background: #f0f0f0; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
div.front { text-align: center; margin: 2em 0 3em; } div.front p { margin: 0.3em 0; }
p.source { font-size: 0.8em; color: #555; text-align: left; margin: 0.3em 0 0; }
a { color: #3b6ea8; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{meta}<style>{font}{style}</style></head>
<body>
{nav}
{body}
{nav}
</body></html>
"""


def _e(text) -> str:
    return html.escape(str(text))


def _meta(document: Document) -> str:
    """The page's ``<meta>`` lines: the document's authors, date and subject (the period its data cover)."""
    meta = document.metadata
    fields = {
        "author": label("list_sep", document.lang).join(meta.authors),
        "date": meta.date,
        "description": meta.period,
    }
    return "".join(f'<meta name="{k}" content="{_e(v)}">' for k, v in fields.items() if v)


def _table(block: Table, lang: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in block.header)
    rows = "\n".join(
        "<tr>"
        + "".join(f"<td{'' if k == 'text' else ' class=n'}>{_e(c)}</td>" for c, k in zip(row, block.kinds))
        + "</tr>"
        for row in rows_text(block)
    )
    return (
        f'<figure class="table" id="table-{block.number}">\n<figcaption>{_e(caption_line(block, lang))}</figcaption>\n'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
        f'<p class="source">{_e(source_line(block, lang))}</p>\n'
        + "".join(f'<p class="source">{_e(line)}</p>\n' for line in note_lines(block, lang))
        + "</figure>"
    )


def _figure(block: Figure, lang: str) -> str:
    return (
        f'<figure id="figure-{block.number}">\n<img src="figures/{_e(block.path.name)}" alt="{_e(block.caption)}">\n'
        f"<figcaption>{_e(caption_line(block, lang))}</figcaption>\n"
        f'<p class="source">{_e(source_line(block, lang))}</p>\n</figure>'
    )


def _block(block, lang: str) -> str:
    if isinstance(block, Table):
        return _table(block, lang)
    if isinstance(block, Figure):
        return _figure(block, lang)
    if isinstance(block, Paragraph):
        return f'<p class="headline">{_e(block.text)}</p>' if block.strong else f"<p>{_e(block.text)}</p>"
    raise TypeError(f"not a document block: {block!r}")


def _nav(document: Document, k: int) -> str:
    lang, chapters = document.lang, document.chapters
    colon = label("colon", lang)
    links = [f'<a href="index.html">{_e(label("contents", lang))}</a>']
    if k > 0:
        links.append(
            f'<a href="{chapters[k - 1].key}.html">{_e(label("previous", lang))}{colon}{_e(chapters[k - 1].title)}</a>'
        )
    if k + 1 < len(chapters):
        links.append(
            f'<a href="{chapters[k + 1].key}.html">{_e(label("next", lang))}{colon}{_e(chapters[k + 1].title)}</a>'
        )
    return "<nav>" + "".join(links) + "</nav>"


def _chapter_page(document: Document, k: int) -> str:
    """Chapter ``k``'s page: its heading, sections, tables and figures."""
    chapter, lang = document.chapters[k], document.lang
    parts = [f"<h1>{_e(chapter.title)}</h1>"]
    for j, section in enumerate(chapter.sections):
        if section.title:
            parts.append(f'<h{section.level} id="section-{j}">{_e(section.title)}</h{section.level}>')
        parts += [_block(b, lang) for b in section.blocks]
    return _PAGE.format(
        lang=lang,
        title=_e(f"{chapter.title} · {document.title}"),
        meta=_meta(document),
        font=font_face(),
        style=_STYLE,
        nav=_nav(document, k),
        body="\n".join(parts),
    )


def _contents_entry(chapter) -> str:
    """A chapter's line of the 目录, with its （一）-level sections under it."""
    sections = "".join(
        f'<li><a href="{chapter.key}.html#section-{j}">{_e(s.title)}</a></li>'
        for j, s in enumerate(chapter.sections)
        if s.title and s.level == 2
    )
    inner = f"<ul>{sections}</ul>" if sections else ""
    return f'<li><a href="{chapter.key}.html">{_e(chapter.title)}</a>{inner}</li>'


def _index_page(document: Document, downloads=DOWNLOADS, notebooks: dict | None = None) -> str:
    """The table of contents: chapters, every 表 and 图 with its page, the downloads, and the notebook pages
    (``notebooks``: title by file path relative to the output folder)."""
    lang = document.lang
    where = {
        id(b): c.key for c in document.chapters for s in c.sections for b in s.blocks if isinstance(b, (Table, Figure))
    }
    chapters = "\n".join(_contents_entry(c) for c in document.chapters)
    tables = "\n".join(
        f'<li><a href="{where[id(t)]}.html#table-{t.number}">{_e(caption_line(t, lang))}</a></li>'
        for t in document.blocks(Table)
    )
    figures = "\n".join(
        f'<li><a href="{where[id(f)]}.html#figure-{f.number}">{_e(caption_line(f, lang))}</a></li>'
        for f in document.blocks(Figure)
    )
    files = "\n".join(f'<li><a href="report.{ext}">{_e(label(ext, lang))}</a></li>' for ext in downloads)
    front = "".join(f"<p>{_e(line)}</p>" for line in front_lines(document)[1:])
    body = [
        f"<h1>{_e(document.title)}</h1>",
        f'<div class="front">{front}</div>',
        f"<h2>{_e(label('contents', lang))}</h2>\n<ol>\n{chapters}\n</ol>",
        f"<h2>{_e(label('downloads', lang))}</h2>\n<ul>\n{files}\n</ul>",
        f"<h2>{_e(label('tables', lang))}</h2>\n<ul>\n{tables}\n</ul>",
        f"<h2>{_e(label('figures', lang))}</h2>\n<ul>\n{figures}\n</ul>",
    ]
    if notebooks:
        listing = "\n".join(f'<li><a href="{_e(p)}">{_e(t)}</a></li>' for p, t in notebooks.items())
        body.append(f"<h2>{_e(label('notebooks', lang))}</h2>\n<ul>\n{listing}\n</ul>")
    return _PAGE.format(
        lang=lang,
        title=_e(document.title),
        meta=_meta(document),
        font=font_face(),
        style=_STYLE,
        nav="",
        body="\n".join(body),
    )


def write_pages(document: Document, folder: Path | str, notebooks: dict | None = None) -> list[Path]:
    """``index.html`` and each chapter's page in ``folder``, each written atomically; return the paths."""
    pages = {"index.html": _index_page(document, notebooks=notebooks)}
    pages.update({f"{c.key}.html": _chapter_page(document, k) for k, c in enumerate(document.chapters)})
    paths = []
    for name, content in pages.items():
        with atomic_path(Path(folder) / name) as tmp:
            tmp.write_text(content, encoding="utf-8")
        paths.append(Path(folder) / name)
    return paths
