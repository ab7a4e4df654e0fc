"""The edition's text: one editable Markdown file per section in ``text/<lang>/`` (the 2023 edition's text by
default), read in file-name order and filled in by Jinja2 from the data.

A file may use ``# `` (chapter) to ``#### `` headings, whole-paragraph ``**bold**`` (a section's headline) and
these fields, filled from the data: ``{{ headline(n) }}``, ``{{ focus(n) }}``, ``{{ focus_rank(n) }}``,
``{{ top_names(n) }}`` and ``{{ top5(n) }}`` (sentences about 表n), ``{{ table(n) }}`` and ``{{ figure("name") }}``
(where 表n or a figure of the run's output goes), ``{{ nominal_differs("province") }}``,
``{{ weights_used("province") }}`` (the weights each node gives its children), ``{{ published("province") }}``
(whether the level holds the report's published numbers), ``{{ since("province") }}`` (how growth and rank
change were computed against the previous edition, with the series-break note against the 2023 report),
``{{ records() }}`` (the records a run of records computed its indicators from: files, period, rows read and
dropped by rule; empty otherwise) and ``{{ settings.seed }}`` (the run's settings), and ``{% if … %} … {% else %}
… {% endif %}`` (with ``==``, ``!=``, ``and``, ``or``, ``not``, ``is defined``). A section that needs a table the run
did not make (another level) is left out.

Section texts travel with editions, so they are data, never code: nothing else is allowed (no ``include``, ``for``,
``macro``, filter, operator or attribute other than the settings'), each file is checked and compiled before
anything runs (:func:`read`) and rendered in a Jinja2 sandbox that holds only the fields, its length bounded. What a
field says from the data (a name, a label) is one line without marker brackets: it cannot add a paragraph, a heading
or a block.
"""

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.compiler import operators
from jinja2.sandbox import ImmutableSandboxedEnvironment

from livecommerce.errors import DataError
from livecommerce.publish.document import Chapter, Paragraph, Section
from livecommerce.words import check_lang

__all__ = [
    "ALLOWED",
    "FIELDS",
    "MAX_DEPTH",
    "MAX_SIZE",
    "Marker",
    "TEXT",
    "marker",
    "own_sources",
    "sources",
    "parse",
    "PACKAGE_EDITION",
    "unrewritten",
    "written_for",
    "read",
    "render",
    "fill",
    "text_files",
]

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
    "records",
)
"""The fields a section text may call, as in ``{{ headline(1) }}``; ``settings`` holds the run's settings."""
MAX_SIZE = 2**20
"""Most bytes a section file may hold, and most characters its text may hold once rendered."""
MAX_DEPTH = 32
"""Most levels a section text may nest tags and expressions (``if`` in ``if``, ``a and b and …``)."""
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
    nodes.Compare,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Concat,
)
"""What a section text may use as it is (names, calls and parts of the settings are checked one by one)."""
_TESTS = ("defined", "undefined", "none")
_COMPARISONS = ("eq", "ne")
_TAGS = {"Assign": "set", "AssignBlock": "set", "FromImport": "from", "CallBlock": "call", "FilterBlock": "filter"}


class Marker(str):
    """A field's own paragraph that the parser turns into a block (never text from the data)."""


def marker(kind: str, value="") -> Marker:
    """A paragraph the parser turns into a block: a table (by number), a figure (by name), or a missing part."""
    return Marker(f"\u27e6{kind}:{value}\u27e7")


_ONE_LINE = str.maketrans(
    {**dict.fromkeys("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "), "\u27e6": None, "\u27e7": None}
)


def _field(function):
    """``function`` as the text calls it: what it says from the data on one line, without marker brackets, a
    leading ``#`` full-width (＃), so that it cannot open a heading where it starts a paragraph."""

    def field(*args):
        said = function(*args)
        if isinstance(said, Marker) or not isinstance(said, str):
            return said
        line = said.translate(_ONE_LINE)
        return "\uff03" + line[1:] if line.startswith("#") else line

    return field


def text_files(lang: str, folder: Path | str | None = None) -> list[Path]:
    """The section files of ``lang`` in reading order: the package's (the 2023 edition's text), each replaced by
    the file of the same name in ``folder`` if given, and ``folder``'s other files added (an author's text)."""
    default = TEXT / check_lang(lang)
    own = {p.name: p for p in Path(folder).glob("*.md")} if folder else {}
    if folder and not own:
        raise DataError(f"text folder {folder}: no section files (*.md)")
    files = {**{p.name: p for p in default.glob("*.md")}, **own}
    return [files[n] for n in sorted(files, key=_reading_order)]


PACKAGE_EDITION = 2023
"""The edition the package's own section texts were written for: the 2023 report's."""

_DECLARED = re.compile(r"\{#\s*(?:edition|版本)\s*[:：]\s*(\d{4}|any|通用)\s*#\}")


def written_for(lang: str, folder: Path | str | None = None) -> dict[str, int | None]:
    """Each section file's edition, by file name in reading order: the year it declares (a line ``{# edition:
    2024 #}``; None for ``{# edition: any #}``, a text written for every edition, such as the appendices that say
    what the run did); else 2023 for the package's own files and None (the edition it comes with) for an
    author's."""
    editions = {}
    for path in text_files(lang, folder):
        declared = _DECLARED.search(_source(path))
        own = folder is not None and path.parent == Path(folder)
        year = declared.group(1) if declared else None
        editions[path.name] = int(year) if year and year.isdigit() else None if declared or own else PACKAGE_EDITION
    return editions


def unrewritten(lang: str, folder: Path | str | None, year: int | None, given_data: bool = False) -> dict[str, int]:
    """The section files written for an edition other than ``year`` (none if it is unknown), with their edition;
    with ``given_data`` (a run of records or a raw panel, which no author wrote a text for), every file written for
    an edition, whatever its year: the package's 2023 text words the report's numbers, not the data given."""
    if year is None and not given_data:
        return {}
    return {name: y for name, y in written_for(lang, folder).items() if y is not None and (given_data or y != year)}


def sources(lang: str, folder: Path | str | None = None) -> list[tuple[Path, str]]:
    """The section files of ``lang`` (:func:`text_files`), each with its text as written."""
    return [(p, _source(p)) for p in text_files(lang, folder)]


def own_sources(lang: str, folder: Path | str | None) -> list[tuple[Path, str]]:
    """The section files an author's ``folder`` gives (none without one), each with its text as written."""
    if folder is None:
        return []
    return [(p, text) for p, text in sources(lang, folder) if p.parent == Path(folder)]


def _reading_order(name: str) -> list:
    """3-1-2.md before 3-1-10.md: numbers compared as numbers."""
    return [int(k) if k.isdigit() else k for k in re.split(r"(\d+)", name)]


def read(lang: str, folder: Path | str | None = None) -> list[tuple[str, Template]]:
    """The section files of ``lang`` (:func:`text_files`) parsed, checked and compiled, in reading order: (file
    name, template). Every file that is not a section text (a link, not UTF-8, too large, a tag other than ``if``,
    a name that is not a field, nested too deeply …) is named at once, with the line, in one DataError; nothing is
    run."""
    env = _environment()
    parsed, problems = [], []
    for path in text_files(lang, folder):
        try:
            parsed.append((path.name, _compiled(env, path)))
        except DataError as exc:
            problems.append(str(exc))
        except TemplateSyntaxError as exc:
            problems.append(f"text file {path.name}, line {exc.lineno}: {exc.message}")
        except RecursionError:
            problems.append(f"text file {path.name}: nested too deeply")
        except ValueError:  # an integer of more digits than Python converts
            problems.append(f"text file {path.name}: a number too long to read")
    if problems:
        raise DataError("\n".join([*problems, f"({ALLOWED})"]))
    return parsed


def _compiled(env: ImmutableSandboxedEnvironment, path: Path) -> Template:
    """The section file at ``path`` compiled once every node of it is allowed (else a DataError, line by line)."""
    template = env.parse(_source(path), name=path.name)
    found: dict[int, str] = {}
    stack = [(template, None, 0, 1)]
    while stack:  # not recursive: a file nested thousands deep is walked too
        node, parent, depth, line = stack.pop()
        line = node.lineno or line  # a comparison's operand has no line of its own
        refused = f"nested too deeply (more than {MAX_DEPTH} levels)" if depth > MAX_DEPTH else _refusal(node, parent)
        if refused:
            found.setdefault(line, refused)
        if depth <= MAX_DEPTH:
            stack += [(child, node, depth + 1, line) for child in reversed(list(node.iter_child_nodes()))]
    if found:
        raise DataError("\n".join(f"text file {path.name}, line {line}: {why}" for line, why in sorted(found.items())))
    return env.from_string(template)


def _source(path: Path) -> str:
    """The text of a section file: a regular file, not a link, of at most :data:`MAX_SIZE` bytes, in UTF-8."""
    if path.is_symlink() or not path.is_file():
        raise DataError(f"text file {path.name}: not a file (a link or a folder); a section text is a file of its own")
    with path.open("rb") as handle:
        data = handle.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise DataError(f"text file {path.name}: larger than {MAX_SIZE // 2**20} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"text file {path.name}, line {line}: not UTF-8 text; save it as UTF-8") from None


def _refusal(node: nodes.Node, parent: nodes.Node | None) -> str | None:
    """Why ``node`` (a child of ``parent``) may not stand in a section text, or None if it may: a field called with
    literal arguments, a part of the settings, prose, ``if``, ``==``, ``!=`` and ``is defined``."""
    if isinstance(node, nodes.Name):
        called = isinstance(parent, nodes.Call) and parent.node is node
        if node.name == "settings" or (called and node.name in FIELDS):
            return None
        return (
            f"the field {node.name} must be called, as in {{{{ {node.name}(…) }}}}"
            if node.name in FIELDS
            else f"{node.name!r} is not a field"
        )
    if isinstance(node, nodes.Call):
        if not (isinstance(node.node, nodes.Name) and node.node.name in FIELDS):
            return _refusal(node.node, node) or "only a field can be called, as in {{ headline(1) }}"
        if node.kwargs or node.dyn_args or node.dyn_kwargs or not all(isinstance(a, nodes.Const) for a in node.args):
            return f"{node.node.name}() takes numbers or quoted text"
        return None
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        settings = isinstance(node.node, nodes.Name) and node.node.name == "settings"
        if settings and isinstance(key, str) and not key.startswith("_"):
            return None
        return _refusal(node.node, node) or "only the settings have parts, as in {{ settings.seed }}"
    if isinstance(node, nodes.Test) and (node.name not in _TESTS or node.args or node.kwargs):
        return f"the test 'is {node.name}' is not allowed (only 'is defined', 'is undefined', 'is none')"
    if isinstance(node, nodes.Operand) and node.op not in _COMPARISONS:
        return f"the comparison {operators[node.op]!r} is not allowed (only == and !=)"
    if isinstance(node, (*_PLAIN, nodes.Test, nodes.Operand)):
        return None
    kind = type(node).__name__
    if isinstance(node, nodes.Stmt):
        return f"{{% {_TAGS.get(kind, kind.lower())} %}} is not allowed"
    if isinstance(node, nodes.Filter):
        return f"the filter '|{node.name}' is not allowed"
    if isinstance(node, (nodes.BinExpr, nodes.UnaryExpr)):
        return f"the operator {node.operator!r} is not allowed"
    return f"{kind.lower()} is not allowed"


class _Sandbox(ImmutableSandboxedEnvironment):
    """A sandbox whose only parts are the settings' keys (``settings.seed``), not their methods (``items`` …)."""

    def getitem(self, obj, argument):
        if isinstance(obj, Mapping) and argument in obj:
            return obj[argument]
        return self.undefined(f"settings.{argument} is not a setting of the run", obj=obj, name=argument)

    def getattr(self, obj, attribute):
        return self.getitem(obj, attribute)


def _environment() -> _Sandbox:
    """A sandbox with nothing in it but the tests (``is defined`` …): no globals (``range``, ``lipsum`` …), no
    filters, no loader; the fields come with each rendering."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters.clear()
    return env


def render(lang: str, context: dict, folder: Path | str | None = None) -> list[tuple[str, str]]:
    """Each section file (:func:`read`) rendered with ``context`` (:func:`fill`)."""
    return fill(read(lang, folder), context)


def fill(templates: list[tuple[str, Template]], context: dict, others: dict[str, dict] | None = None) -> list:
    """Each section file read (:func:`read`: file name, template) rendered in the sandbox with ``context`` (the
    fields above, each said on one line: :func:`_field`), or with its own if ``others`` holds one under its name:
    (file name, text); a text longer than :data:`MAX_SIZE` characters, or one that fails (a field given the wrong
    arguments …), is a DataError naming the file and line."""
    others = others or {}
    out = []
    for name, template in templates:
        text, size = [], 0
        fields = {k: _field(v) if k in FIELDS else v for k, v in others.get(name, context).items()}
        try:
            for chunk in template.generate(**fields):
                size += len(chunk)
                if size > MAX_SIZE:
                    raise DataError(f"text file {name}: longer than {MAX_SIZE:,} characters once filled in")
                text.append(chunk)
        except DataError:
            raise
        except TemplateError as exc:
            raise DataError(f"text file {name}, line {_line(exc)}: {exc.message}") from None
        except (ArithmeticError, TypeError, ValueError, RecursionError) as exc:
            raise DataError(f"text file {name}, line {_line(exc)}: {exc}") from None
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
