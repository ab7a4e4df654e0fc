"""The edition's text: one editable Markdown file per section in ``text/<lang>/`` (the 2023 edition's text by
default), read in file-name order and filled in by Jinja2 from the data.

A file may use ``# `` (chapter) to ``#### `` headings, whole-paragraph ``**bold**`` (a section's headline) and
these fields, filled from the data: ``{{ headline(n) }}``, ``{{ focus(n) }}``, ``{{ focus_rank(n) }}``,
``{{ top_names(n) }}`` and ``{{ top5(n) }}`` (sentences about 表n), ``{{ table(n) }}`` and ``{{ figure("name") }}``
(where 表n or a figure of the run's output goes), ``{{ nominal_differs("province") }}``,
``{{ weights_used("province") }}`` (the weights each node gives its children), ``{{ published("province") }}``
(whether the level holds the report's published numbers), ``{{ since("province") }}`` (how growth and rank
change were computed against the previous edition, with the series-break note against the 2023 report) and
``{{ settings.seed }}`` (the run's settings), and ``{% if … %} … {% else %} … {% endif %}``. A section that needs
a table the run did not make (another level) is left out.

Section texts travel with editions, so they are data, never code: nothing else is allowed (no ``include``, ``for``,
``macro``, filter, operator or attribute other than the settings'), each file is checked before anything runs
(:func:`read`) and rendered in a Jinja2 sandbox that holds only the fields, its length bounded.
"""

import re
from dataclasses import replace
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import arguments
from ..errors import DataError
from .document import Chapter, Paragraph, Section

TEXT = Path(__file__).resolve().parent / "text"
FIELDS = (
    "headline",
    "focus",
    "focus_rank",
    "top_names",
    "top5",
    "table",
    "figure",
    "nominal_differs",
    "weights_used",
    "published",
    "since",
)
"""The fields a section text may call, as in ``{{ headline(1) }}``; ``settings`` holds the run's settings."""
MAX_SIZE = 2**20
"""Most bytes a section file may hold, and most characters its text may hold once rendered."""
ALLOWED = (
    'a section text holds prose, the fields {{ headline(1) }}, {{ table(1) }}, {{ figure("name") }} … and '
    "{{ settings.seed }}, and {% if … %} … {% else %} … {% endif %}"
)

_MARKER = re.compile(r"^\u27e6(table|figure|missing):?(.*)\u27e7$")
_HEADING = re.compile(r"^(#{1,4}) +(.+)$")
_PLAIN = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.Const,
    nodes.Test,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Concat,
)
"""What a section text may use as it is (names, calls and parts of the settings are checked one by one)."""
_TAGS = {"Assign": "set", "AssignBlock": "set", "FromImport": "from", "CallBlock": "call", "FilterBlock": "filter"}


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


def read(lang: str, folder: Path | str | None = None) -> list[tuple[str, nodes.Template]]:
    """The section files of ``lang`` (:func:`text_files`) parsed and checked, in reading order: (file name,
    template). Every file that is not a section text (a link, not UTF-8, too large, a tag other than ``if``, a
    name that is not a field …) is named at once, with the line, in one DataError; nothing is run."""
    env = _environment()
    parsed, problems = [], []
    for path in text_files(lang, folder):
        try:
            template = env.parse(_source(path), name=path.name)
        except DataError as exc:
            problems.append(str(exc))
            continue
        except TemplateSyntaxError as exc:
            problems.append(f"text file {path.name}, line {exc.lineno}: {exc.message}")
            continue
        except RecursionError:
            problems.append(f"text file {path.name}: nested too deeply")
            continue
        except ValueError:  # an integer of more digits than Python converts
            problems.append(f"text file {path.name}: a number too long to read")
            continue
        found = {}
        for node in template.find_all(nodes.Node):
            refused = _refusal(node)
            if refused:
                found.setdefault(node.lineno, refused)
        problems += [f"text file {path.name}, line {line}: {why}" for line, why in sorted(found.items())]
        parsed.append((path.name, template))
    if problems:
        raise DataError("\n".join([*problems, f"({ALLOWED})"]))
    return parsed


def _source(path: Path) -> str:
    """The text of a section file: a regular file, not a link, of at most :data:`MAX_SIZE` bytes, in UTF-8."""
    if path.is_symlink() or not path.is_file():
        raise DataError(f"text file {path.name}: not a file (a link or a folder); a section text is a file of its own")
    if path.stat().st_size > MAX_SIZE:
        raise DataError(f"text file {path.name}: larger than {MAX_SIZE // 2**20} MiB")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"text file {path.name}, line {line}: not UTF-8 text; save it as UTF-8") from None


def _refusal(node: nodes.Node) -> str | None:
    """Why ``node`` may not stand in a section text, or None if it may: a field called with literal arguments, a
    part of the settings, prose, ``if`` and tests."""
    if isinstance(node, nodes.Name):
        return None if node.name in (*FIELDS, "settings") else f"{node.name!r} is not a field"
    if isinstance(node, nodes.Call):
        if not (isinstance(node.node, nodes.Name) and node.node.name in FIELDS):
            return _refusal(node.node) or "only a field can be called, as in {{ headline(1) }}"
        if node.kwargs or node.dyn_args or node.dyn_kwargs or not all(isinstance(a, nodes.Const) for a in node.args):
            return f"{node.node.name}() takes numbers or quoted text"
        return None
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        settings = isinstance(node.node, nodes.Name) and node.node.name == "settings"
        if settings and isinstance(key, str) and not key.startswith("_"):
            return None
        return _refusal(node.node) or "only the settings have parts, as in {{ settings.seed }}"
    if isinstance(node, _PLAIN):
        return None
    kind = type(node).__name__
    if isinstance(node, nodes.Stmt):
        return f"{{% {_TAGS.get(kind, kind.lower())} %}} is not allowed"
    if isinstance(node, nodes.Filter):
        return f"the filter '|{node.name}' is not allowed"
    if isinstance(node, (nodes.BinExpr, nodes.UnaryExpr)):
        return f"the operator {node.operator!r} is not allowed"
    return f"{kind.lower()} is not allowed"


def _environment() -> ImmutableSandboxedEnvironment:
    """A sandbox with nothing in it but the tests (``is defined`` …): no globals (``range``, ``lipsum`` …), no
    filters, no loader; the fields come with each rendering."""
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters.clear()
    return env


def render(lang: str, context: dict, folder: Path | str | None = None) -> list[tuple[str, str]]:
    """Each section file (:func:`read`) rendered in the sandbox with ``context`` (the fields above): (file name,
    text); a text longer than :data:`MAX_SIZE` characters is refused."""
    env = _environment()
    out = []
    for name, template in read(lang, folder):
        text, size = [], 0
        try:
            for chunk in env.from_string(template).generate(**context):
                size += len(chunk)
                if size > MAX_SIZE:
                    raise DataError(f"text file {name}: longer than {MAX_SIZE:,} characters once filled in")
                text.append(chunk)
        except TemplateError as exc:
            raise DataError(f"text file {name}, line {_line(exc)}: {exc.message}") from None
        out.append((name, "".join(text)))
    return out


def _line(exc: Exception) -> int | None:
    """The template line a rendering error was raised on (Jinja maps its frames to template lines)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


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
