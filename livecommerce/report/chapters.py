"""What the chapter notebooks call: the run's studies built once from the notebook parameters, the edition's
inputs, and the writers of each table, figure and sentence into the run's output folder
(:mod:`livecommerce.report.runner` runs the notebooks; this module is what they share)."""

import functools
import inspect
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.analysis.sensitivity import uncertainty
from livecommerce.data import paths
from livecommerce.data.edition import EditionInputs, load_inputs
from livecommerce.data.export import write_table
from livecommerce.data.io import atomic_path, file_version, refuse_links
from livecommerce.data.published import load_facts, load_table
from livecommerce.errors import ParameterError
from livecommerce.index.scheme import load_scheme
from livecommerce.plots.save import save
from livecommerce.study.compare import load_previous
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES, LEVELS, PUBLISHED_EDITION, TOP5_TABLES

__all__ = [
    "SOBOL_RESAMPLES",
    "UNCERTAINTY",
    "edition_inputs",
    "facts",
    "figure",
    "levels",
    "marked",
    "note",
    "output_folder",
    "previous_source",
    "study",
    "table",
    "table_number",
    "top5",
]

SOBOL_RESAMPLES = 99
"""Bootstrap resamples of the Sobol' intervals in notebook 07."""
UNCERTAINTY = uncertainty.Uncertainty(
    concentration=100, methods={"nominal": 0.6, "equal": 0.1, "entropy": 0.1, "critic": 0.1, "pca": 0.1}
)
"""What varies in the uncertainty analysis (notebook 07) and the edition's appendix states: Dirichlet weights
around the nominal ones, and the weighting method drawn with these probabilities."""


def levels(level: str) -> tuple[str, ...]:
    """The levels a run covers: one, or all three."""
    return LEVELS if level == "all" else (level,)


def table_number(level: str, measure: str) -> int:
    """The report's table of a level's measure: ``table_number("city", "goods")`` is 8 (表8)."""
    for number, measures in INDEX_TABLES[level].items():
        if measures[0] == measure:
            return number
    raise ParameterError(f"no table ranks {measure!r} at level {level!r}")


def output_folder(output_dir: str | Path = "", create: bool = True) -> Path:
    """The output folder (the package's default when empty), with ``tables/`` and ``figures/`` inside."""
    out = Path(output_dir) if str(output_dir) else paths.default_output_dir()
    if create:
        for sub in ("tables", "figures"):
            _inside(out, sub).mkdir(parents=True, exist_ok=True)
    return out


def _inside(out: Path | str, sub: str) -> Path:
    """The folder ``sub`` of the output folder ``out``, if it is no symbolic link."""
    return refuse_links(Path(out) / sub)


def _per_version(function):
    """``function`` cached per process by its arguments and the versions of the files and folders they name (a
    panel, a scheme, an edition's folder): asked again, it gives the same result, unless a file was changed."""
    signature = inspect.signature(function)

    @functools.lru_cache
    def cached(versions: tuple, values: tuple):
        return function(*values)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        values = tuple(bound.arguments.values())
        return cached(tuple(_version(v) for v in values), values)

    wrapper.cache_clear = cached.cache_clear
    return wrapper


def _version(value) -> tuple | None:
    """The version of the file or folder (every file in it) that ``value`` names, if it names one."""
    path = Path(value) if isinstance(value, str) and value else None
    if path is None or not path.exists():
        return None
    if path.is_file():
        return file_version(path)
    return tuple((str(p), file_version(p)) for p in sorted(path.rglob("*")) if p.is_file())


@_per_version
def study(
    level: str,
    data: str = "published",
    scheme: str = "",
    missing: str = "error",
    edition: str = "",
    previous: str = "",
    coverage: float = 0.0,
    screen: str = "flag",
    seed: int = 0,
) -> Study:
    """The run's study of ``level``, from the notebook parameters (an empty ``scheme``: the report's own): from
    the published data, a raw panel, or the level's panel of an ``edition`` (a folder or workbook, see
    :mod:`livecommerce.data.edition`), its empty cells screened (``coverage``, ``screen``) and handled by ``missing``
    (``seed``: a ``mice`` imputation's; :func:`livecommerce.index.impute.fill_missing`), compared with a ``previous``
    edition (``"2023"``, the report's, or a previous run's output folder) if given. Built once per process, choice
    of parameters and version of the files they name: a notebook that asks again gets the same (immutable) study."""
    screening = {"coverage": coverage, "screen": screen, "seed": seed}
    if edition:
        panel = edition_inputs(edition, scheme, missing != "error").panels[level]
        built = Study.build(level, panel, scheme or None, missing, **screening)
        built = replace(built, parameters={**built.parameters, "data": edition})
    else:
        built = Study.build(level, data, scheme or None, missing, **screening)
    return built.since(load_previous(previous_source(previous), level), previous) if previous else built


@_per_version
def edition_inputs(edition: str, scheme: str = "", empty: bool = False) -> EditionInputs:
    """An edition's inputs, read and validated once per process (see :func:`livecommerce.data.edition.load_inputs`;
    ``scheme`` a file, the report's if empty; ``empty``: whether empty cells are allowed)."""
    return load_inputs(edition, load_scheme(scheme or None), empty=empty)


@_per_version
def _edition_lists(edition: str) -> EditionInputs:
    """An edition's top-5 lists, facts and source, without its panels (which need the run's scheme and missing)."""
    return load_inputs(edition, levels=())


def previous_source(previous: str) -> str:
    """What :func:`livecommerce.study.compare.load_previous` takes for ``previous`` (``2023``: the published tables)."""
    return "published" if previous == PUBLISHED_EDITION else previous


def top5(edition: str = "") -> dict[int, pd.DataFrame]:
    """The lists behind 表10–12 by table number: the edition's, or the report's own."""
    if edition:
        return _edition_lists(edition).top5_tables()
    return {number: load_table(number) for number in TOP5_TABLES}


def facts(edition: str = "") -> pd.DataFrame:
    """The facts of chapters 1–2: the report's (``data/published/facts.csv``), each replaced by the edition's
    fact of the same ``fact_id`` and the edition's new ones added, if the edition has facts."""
    published = load_facts()
    given = _edition_lists(edition).facts if edition else None
    if given is None:
        return published
    return pd.concat([published.drop(index=given.index, errors="ignore"), given])


def marked(edition: str = "") -> str:
    """The label every page, table and figure of a run carries: SYNTHETIC for a synthetic edition, else none."""
    return "SYNTHETIC" if edition and _edition_lists(edition).synthetic else ""


def figure(fig, name: str, out: Path, caption: str, source: str, mark: str = "") -> None:
    """Save a figure into the run's ``figures/`` (PNG and SVG) with its caption and 来源 (source) beside it
    (``<name>.json``, which the edition prints under it); ``mark`` (e.g. SYNTHETIC) is printed across it."""
    if mark:
        fig.text(0.5, 0.5, mark, ha="center", va="center", rotation=30, fontsize=40, color="0.5", alpha=0.25)
    save(fig, name, _inside(out, "figures"), caption=caption, source=source)


def note(text: str, name: str, out: Path) -> None:
    """Save a sentence that stands where figure ``name`` would be (a chart with nothing to show, e.g. a rank no
    weight moves) as ``figures/<name>.json`` (``{"text": …}``), which the edition prints as a paragraph."""
    arguments.string(text, "text")
    if not text.strip():
        raise ParameterError(f"note {name!r} is empty")
    with atomic_path(_inside(out, "figures") / f"{arguments.string(name, 'name')}.json") as tmp:
        tmp.write_text(json.dumps({"text": text.strip()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def table(frame, name: str, out: Path) -> None:
    """Save a table into the run's ``tables/`` (CSV, XLSX, Markdown)."""
    write_table(frame, name, _inside(out, "tables"))
