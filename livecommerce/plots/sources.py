"""The 来源 (source) line under a figure: the report's tables and figures, the facts' sources, or 本报告计算
(Computed for this report) with the settings that produced it; in ``lang`` (default ``"zh"``)."""

from collections.abc import Mapping

from livecommerce import arguments, words
from livecommerce.errors import ParameterError
from livecommerce.study.study import Study


def sources_text(sources, lang: str = "zh") -> str:
    """Distinct sources joined in ``lang`` (the 来源 line's text without its 来源： prefix)."""
    sources = [arguments.string(s, "sources") for s in arguments.names(sources, "sources")]
    if not sources:
        raise ParameterError("sources: name at least one source")
    return words.text("source_sep", lang).join(dict.fromkeys(sources))


def report_source(where: str, lang: str = "zh") -> str:
    """The report as a source, at ``where`` (a table or section): 《中国直播电商行业发展趋势报告（2023）》表1."""
    return words.text("report_at", lang, where=arguments.string(where, "where"))


def table_source(numbers, lang: str = "zh") -> str:
    """The report's 表``numbers`` (one number or several) as one source: 《…（2023）》表2、表5."""
    numbers = [numbers] if isinstance(numbers, int) else arguments.names(numbers, "numbers")
    if not numbers:
        raise ParameterError("numbers: name at least one table")
    tables = [words.text("table_ref", lang, number=arguments.integer(n, "numbers", 1)) for n in numbers]
    return report_source(words.text("list_sep", lang).join(tables), lang)


def figure_source(number: int, lang: str = "zh") -> str:
    """The report's 图``number`` as a source (the figures the report prints itself)."""
    return report_source(words.text("figure_ref", lang, number=arguments.integer(number, "number", 1)), lang)


def computed(settings: str = "", lang: str = "zh") -> str:
    """本报告计算 (Computed for this report), with the settings that produced the figure if given."""
    if arguments.string(settings, "settings"):
        return words.text("computed_from", lang, settings=settings)
    return words.text("computed", lang)


def settings(keys, lang: str = "zh", **fields) -> str:
    """本报告计算 (Computed for this report) with the settings ``SETTINGS[key]`` of each of ``keys`` (one or a list)
    filled in; ``methods`` (names, or a mapping of method to probability) and ``weights`` (a Series of weight by
    measure) are written out in words."""
    lang = words.check_lang(lang)
    keys = [keys] if isinstance(keys, str) else arguments.names(keys, "keys")
    if "methods" in fields:
        fields["methods"] = words.text("list_sep", lang).join(
            words.choice_name(words.METHOD_NAMES, m, lang) for m in _names(fields["methods"])
        )
    if "weights" in fields:
        weights = arguments.series(fields["weights"], "weights")
        fields["weights"] = words.text("list_sep", lang).join(
            f"{words.measure(k, lang)} {w:.2f}" for k, w in weights.items()
        )
    parts = [words.word(words.SETTINGS, key, lang, "keys").format(**fields) for key in keys]
    return computed(words.text("source_sep", lang).join(parts), lang)


def _names(methods) -> list:
    return list(methods) if isinstance(methods, Mapping) else arguments.names(methods, "methods")


def study_source(study, numbers, lang: str = "zh") -> str:
    """The 来源 of a chart of 表``numbers`` (one or several) drawn from ``study``: the report's tables where the
    study's numbers are the printed ones, else 本报告计算 with the study's data and scheme by name
    (:func:`named_inputs`)."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    listed = [numbers] if isinstance(numbers, int) else arguments.names(numbers, "numbers")
    wrong = [n for n in listed if n not in study.index_tables]
    if wrong or not listed:
        raise ParameterError(f"numbers={numbers!r}: name index tables of level {study.level!r}")
    if all(study.as_printed(study.index_tables[n][0]) for n in listed):
        return table_source(numbers, lang)
    data, scheme = named_inputs(study, lang)
    return settings("study", lang, data=data, scheme=scheme)


_DATA = {"published": "published_data", "DataFrame": "caller_data"}
"""The data a study was built from, when not a file: its words (:data:`livecommerce.words.TEXT`)."""


def named_inputs(study, lang: str = "zh") -> tuple[str, str]:
    """What ``study`` was computed from, by name, never by a file name or path: its data (an edition's by the name
    its metadata declare, given as the study's ``data_name`` parameter; the report's sub-indices, a caller's frame,
    records or a raw panel otherwise) and its scheme (by its title; a scheme without one as custom)."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    kind = "record_data" if study.source.get("kind") == "records" else "raw_panel"
    data = study.parameters.get("data_name") or words.text(_DATA.get(study.parameters["data"], kind), lang)
    title = study.scheme.title.get(words.check_lang(lang))
    scheme = words.text("scheme_named", lang, title=title) if title else words.text("custom_scheme", lang)
    return data, scheme


__all__ = [
    "computed",
    "figure_source",
    "named_inputs",
    "report_source",
    "settings",
    "sources_text",
    "study_source",
    "table_source",
]
