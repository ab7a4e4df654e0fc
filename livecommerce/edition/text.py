"""The edition's text: one editable Markdown file per section in ``text/<lang>/`` (the 2023 edition's text by
default), read in file-name order and filled in by Jinja2 from the data.

A file may use ``# `` (chapter) to ``#### `` headings, whole-paragraph ``**bold**`` (a section's headline) and
these fields, filled from the data: ``{{ headline(n) }}``, ``{{ focus(n) }}``, ``{{ focus_rank(n) }}``,
``{{ top_names(n) }}`` and ``{{ top5(n) }}`` (sentences about 表n), ``{{ table(n) }}`` and ``{{ figure("name") }}``
(where 表n or a figure of the run's output goes), ``{{ nominal_differs("province") }}``,
``{{ weights_used("province") }}`` (the weights each node gives its children), ``{{ published("province") }}``
(whether the level holds the report's published numbers), ``{{ since("province") }}`` (how growth and rank
change were computed against the previous edition, with the series-break note against the 2023 report) and
``{{ settings.seed }}`` (the run's settings). A section that needs a table the run did not make (another level)
is left out.
"""

import re
from dataclasses import replace
from pathlib import Path

from jinja2 import Environment, StrictUndefined, TemplateError

from .. import arguments
from ..errors import DataError
from .document import Chapter, Paragraph, Section

TEXT = Path(__file__).resolve().parent / "text"

_MARKER = re.compile(r"^\u27e6(table|figure|missing):?(.*)\u27e7$")
_HEADING = re.compile(r"^(#{1,4}) +(.+)$")


def marker(kind: str, value="") -> str:
    """A paragraph the parser turns into a block: a table (by number), a figure (by name), or a missing part."""
    return f"\u27e6{kind}:{value}\u27e7"


def text_files(lang: str, folder: Path | str | None = None) -> list[Path]:
    """The section files of ``lang`` in reading order: the package's (the 2023 edition's text), each replaced by
    the file of the same name in ``folder`` if given, and ``folder``'s other files added (an author's text)."""
    default = TEXT / arguments.choice(lang, "lang", ("zh", "en"))
    own = {p.name: p for p in Path(folder).glob("*.md")} if folder else {}
    if folder and not own:
        raise DataError(f"text folder {folder}: no section files (*.md)")
    files = {**{p.name: p for p in default.glob("*.md")}, **own}
    return [files[n] for n in sorted(files, key=_reading_order)]


def _reading_order(name: str) -> list:
    """3-1-2.md before 3-1-10.md: numbers compared as numbers."""
    return [int(k) if k.isdigit() else k for k in re.split(r"(\d+)", name)]


def render(lang: str, context: dict, folder: Path | str | None = None) -> list[tuple[str, str]]:
    """Each section file rendered with ``context`` (the fields above): (file name, text)."""
    env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    out = []
    for path in text_files(lang, folder):
        try:
            out.append((path.name, env.from_string(path.read_text(encoding="utf-8")).render(**context)))
        except TemplateError as exc:
            raise DataError(f"text file {path.name}: {exc}") from None
    return out


def parse(files: list[tuple[str, str]], blocks: dict) -> tuple[Chapter, ...]:
    """Chapters from rendered section files: headings open sections, ``# `` a chapter; markers become the
    tables and figures of ``blocks`` (``("table", "1")`` → Table …); a section with a missing part is left out."""
    chapters: list[list] = []
    for name, content in files:
        for para in (p.strip() for p in re.split(r"\n\s*\n", content)):
            if not para:
                continue
            heading = _HEADING.match(para)
            if heading and len(heading.group(1)) == 1:
                chapters.append([heading.group(2).strip(), [Section("", 1, ())]])
                continue
            if not chapters:
                raise DataError(f"text file {name}: the first file must open a chapter with a '# ' heading")
            sections = chapters[-1][1]
            if heading:
                sections.append(Section(heading.group(2).strip(), len(heading.group(1)), ()))
                continue
            sections[-1] = _add(sections[-1], para, blocks)
    return tuple(
        Chapter(f"chapter{k + 1:02d}", title, tuple(s for s in sections if s is not None and (s.title or s.blocks)))
        for k, (title, sections) in enumerate(chapters)
    )


def _add(section: Section | None, para: str, blocks: dict) -> Section | None:
    if section is None:
        return None
    if "\u27e6missing:" in para:
        return None
    found = _MARKER.match(para)
    if found:
        block = blocks.get((found.group(1), found.group(2)))
        return section if block is None else replace(section, blocks=(*section.blocks, block))
    strong = para.startswith("**") and para.endswith("**") and len(para) > 4
    text = " ".join(line.strip() for line in (para[2:-2] if strong else para).splitlines())
    return replace(section, blocks=(*section.blocks, Paragraph(text, strong)))
