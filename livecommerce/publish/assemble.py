"""Assemble the document: the section texts filled from the studies, 表1–15 where the text places them, the run's
figures, numbered 表N / 图N in reading order."""

from dataclasses import replace
from pathlib import Path

from livecommerce import arguments
from livecommerce.data.edition import Metadata, report_metadata
from livecommerce.data.published import load_table
from livecommerce.errors import ParameterError
from livecommerce.publish import sentences
from livecommerce.publish.claims import check
from livecommerce.publish.document import Chapter, Document, Figure, Section, full_width, labelled, number
from livecommerce.publish.figures import collect
from livecommerce.publish.printed import index_table, top5_table
from livecommerce.publish.text import fill, marker, own_sources, parse, read, unrewritten
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES, TOP5_TABLES
from livecommerce.words import caption, check_lang

__all__ = ["assemble"]


def assemble(
    studies: dict,
    figures: Path | str | None = None,
    lang: str = "zh",
    settings: dict | None = None,
    text: Path | str | None = None,
    top5: dict | None = None,
    label: str = "",
    metadata: Metadata | None = None,
) -> Document:
    """The document in ``lang`` from ``studies`` (a Study per level, by level), the figures in folder ``figures``
    (none if None) and the section texts (``text``: a folder of them; the package's 2023 text by default).
    ``settings`` are the run's settings the text may print (``n_draws``, ``seed`` …). ``top5`` holds an edition's
    lists behind 表10–12 by table number (the report's own by default); ``label`` (e.g. SYNTHETIC), if given,
    heads the title, every chapter and every caption. ``metadata`` is the edition's front matter (title, 委托单位,
    authors, date …; fields left out default from its year), the 2023 report's by default. A section written for
    another edition (marked, or left out, as the metadata choose) says what it says of the 2023 report's own tables,
    as the 2023 rebuild prints it; the edition's own sections say this edition's numbers. Studies of a region set
    other than the report's three get no 2023 prose (it words those sets): their index tables and the figures, in
    one chapter. A figure no section text places is not printed (an author left it out): the document lists it
    (``left_out``), and no chapter is made for it."""
    check_lang(lang)
    metadata = report_metadata(lang) if metadata is None else metadata
    arguments.instance(metadata, "metadata", Metadata, "an edition's Metadata")
    metadata = metadata.completed(lang)
    studies = dict(arguments.mapping(studies, "studies"))
    for level, study in studies.items():
        arguments.instance(study, f"studies[{level!r}]", Study, "a livecommerce Study")
        if study.level != level:
            raise ParameterError(f"studies[{level!r}] is a study of level {study.level!r}")
    phrases = sentences.phrases(lang)
    tables = {n: index_table(s, n, lang) for s in studies.values() for n in s.index_tables}
    lists = {n: None if top5 is None else top5[n] for n in TOP5_TABLES}
    tables.update({n: top5_table(n, lang, lists[n]) for n in TOP5_TABLES})
    frames = {n: s.table(n) for s in studies.values() for n in s.index_tables}
    figure_blocks = collect(figures) if figures is not None else {}
    figure_blocks = {
        k: replace(f, source=str(phrases.computed())) if isinstance(f, Figure) and not f.source else f
        for k, f in figure_blocks.items()
    }
    context = _context(studies, lists, tables, lang, settings)
    blocks = {("table", str(n)): t for n, t in tables.items()}
    blocks.update({("figure", k): f for k, f in figure_blocks.items()})
    named = all(s.members.named for s in studies.values())  # another region set: no 2023 prose, which words those
    templates = read(lang, text) if named else []  # every problem of the text files named first
    stale = unrewritten(lang, text, metadata.year, metadata.given_data) if named else {}
    # a section written for 2023 says what the 2023 report's own tables say, not this edition's names in its words
    earlier = _context(_published(studies), dict.fromkeys(TOP5_TABLES), tables, lang, settings) if stale else {}
    files = fill(templates, context, dict.fromkeys(stale, earlier))
    files = _unrewritten(files, stale, metadata.unrewritten, phrases)
    omitted = [content for name, content in files if name in stale and metadata.unrewritten == "omit"]
    emptied = {line[2:].strip() for content in omitted for line in content.splitlines()}  # their chapters' titles
    if named:  # before anything is built: the author's prose must not say what the tables deny
        check(own_sources(lang, text), frames, lang)
    chapters = parse(files, blocks) if named else ()
    placed = {id(b) for c in chapters for s in c.sections for b in s.blocks}
    left_out = tuple(name for name, f in figure_blocks.items() if id(f) not in placed) if named else ()
    if not named:  # another region set: one chapter, its index tables and every figure of the run
        rest = (*(tables[n] for n in frames), *figure_blocks.values())
        chapters = (Chapter("chapter01", _set_title(studies, lang), (Section("", 1, rest),)),)
    built = Document(
        lang=lang,
        title=metadata.title,
        chapters=tuple(c for c in chapters if c.sections or c.title not in emptied),
        settings=dict(settings or {}),
        metadata=metadata,
        unrewritten=tuple(stale),
        left_out=left_out,
    )
    built = number(full_width(built) if lang == "zh" else built)
    return labelled(built, label) if label else built


def _context(studies: dict, lists: dict, tables: dict, lang: str, settings: dict | None) -> dict:
    """The fields a section text calls (:data:`livecommerce.publish.text.FIELDS`), said from ``studies`` (a Study
    per level) and ``lists`` (表10–12's lists by number, None for the report's own); ``tables`` are the tables the
    document prints (``table`` places them)."""
    frames = {n: s.table(n) for s in studies.values() for n in s.index_tables}
    level_of = {n: lv for lv, numbers in INDEX_TABLES.items() for n in numbers}

    def top5_list(n: int):
        return load_table(n) if lists[n] is None else lists[n]

    def about(n: int, sentence) -> str:
        return sentence(frames[n]) if n in frames else marker("missing", n)

    return {
        "headline": lambda n: about(n, lambda t: sentences.headline(t, level_of[n], lang)),
        "focus": lambda n: about(n, lambda t: sentences.focus(t, level_of[n], lang)),
        "focus_rank": lambda n: about(n, lambda t: sentences.focus(t, level_of[n], lang, named=False)),
        "top_names": lambda n: about(n, lambda t: sentences.top_names(t, lang)),
        "top5": lambda n: sentences.top5(top5_list(n), lang) if n in lists else marker("missing", n),
        "table": lambda n: marker("table", n) if n in tables else marker("missing", n),
        "figure": lambda name: marker("figure", name),
        "nominal_differs": lambda level: _nominal_differs(studies.get(level), lang),
        "weights_used": lambda level: sentences.weights_used(studies[level], lang) if level in studies else "",
        "published": lambda level: level in studies and studies[level].published is not None,
        "since": lambda level: sentences.comparison(studies[level], lang) if level in studies else "",
        "records": lambda: next((sentences.records(s, lang) for s in studies.values()), ""),
        "settings": dict(settings or {}),
    }


def _published(studies: dict) -> dict:
    """The 2023 report's own studies (:meth:`Study.build` on the published data) of the levels of ``studies``, as
    the 2023 rebuild prints them."""
    return {level: Study.build(level) for level in studies}


def _unrewritten(files: list[tuple[str, str]], stale: dict[str, int], choice: str, phrases) -> list[tuple[str, str]]:
    """The rendered section files with those written for another edition (``stale``: their edition by name)
    marked under their first heading (``choice`` mark) or left out but for a chapter heading they open (omit)."""
    out = []
    for name, content in files:
        if name not in stale:
            out.append((name, content))
        elif choice == "omit":
            out.append((name, "\n\n".join(line for line in content.splitlines() if line.startswith("# "))))
        else:
            lines = content.splitlines()
            at = next((k + 1 for k, line in enumerate(lines) if line.startswith("#")), 0)
            lines[at:at] = ["", str(phrases.unrewritten(stale[name])), ""]
            out.append((name, "\n".join(lines)))
    return out


def _set_title(studies: dict, lang: str) -> str:
    """The title of the one chapter of a region set other than the report's three: the set's index
    (四川省183个县（市、区）直播电商发展指数)."""
    other = next(s.members for s in studies.values() if not s.members.named)
    return caption("ranked", lang, scope=other.scope(lang))


def _nominal_differs(study: Study | None, lang: str) -> str:
    """The regions the study's nominal model ranks otherwise than the report (none for a raw-panel study)."""
    if study is None or study.published is None:
        return ""
    compared = study.against_published()
    moved = list(compared.index[compared["moved"]])
    return str(sentences.phrases(lang).names(sentences.names(moved, lang))) if moved else ""
