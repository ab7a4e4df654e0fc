"""A report run's parameters (:class:`Parameters`) and their checks, which need neither the notebooks' libraries
nor the inputs read: the command line checks a run with them before it starts the kernels, so that a bad value, a
memory limit too low or an output folder the run may not write is refused at once;
:meth:`livecommerce.report.runs.Run.build` checks them again with the rest."""

import resource
from dataclasses import dataclass, fields, replace
from pathlib import Path

from livecommerce import arguments, words
from livecommerce.analysis.sensitivity import sobol
from livecommerce.data.io import available_memory
from livecommerce.data.paths import default_output_dir
from livecommerce.data.regions import RegionSet, region_set
from livecommerce.errors import ParameterError
from livecommerce.index.impute import check_missing, check_screening
from livecommerce.records.engine import ENGINES
from livecommerce.records.read import BAD_ROWS, check_period
from livecommerce.report.outputs import check_copies, check_folder, resolve
from livecommerce.vocab import LEVEL_SIZES, PUBLISHED_EDITION, RECORD_PERIOD

__all__ = [
    "KERNEL_ADDRESS_SPACE",
    "NOTEBOOKS",
    "OPTIONAL",
    "PARAMETERS",
    "SET_NOTEBOOKS",
    "SOBOL_INPUTS",
    "Parameters",
    "check",
    "check_memory",
    "checked",
    "chosen_notebooks",
    "notebook_names",
    "one_set",
]

NOTEBOOKS = tuple(words.NOTEBOOK_TITLES)
"""The report's notebooks, in order (their titles: :data:`livecommerce.words.NOTEBOOK_TITLES`)."""
SET_NOTEBOOKS = ("03_development_index",)
"""The notebooks that run for a region set other than the report's three (the others word or draw those sets)."""
SOBOL_INPUTS = 7
"""Uncertain inputs of notebook 07's Sobol' analysis on published data (6 weights and the method)."""
KERNEL_ADDRESS_SPACE = 1200 * 2**20
"""About the address space a kernel maps once its libraries are loaded (shared objects, thread stacks, memory
arenas); measured: notebooks 05 and 07 cannot load theirs under 1.12 GiB, 07 at city level with 200 draws runs
under 1.40 GiB."""


@dataclass(frozen=True)
class Parameters:
    """A run's choices, as given (paths relative to the caller's folder); :meth:`Run.build` checks them. ``records``
    is a folder of record files (:func:`livecommerce.records.read.read_records`, with ``period``, ``engine``,
    ``memory_limit`` and ``bad_rows``) from which every level's panel is computed, instead of ``data``."""

    level: str = "all"
    lang: str = "zh"
    registry: str = ""
    data: str = "published"
    records: str = ""
    period: tuple[str, str] = RECORD_PERIOD
    engine: str = "duckdb"
    memory_limit: str = ""
    bad_rows: str = "refuse"
    scheme: str = ""
    missing: str = "error"
    coverage: float = 0.0
    screen: str = "flag"
    edition: str = ""
    previous: str = ""
    n_draws: int = 10_000
    seed: int = 2023
    output_dir: str = ""


PARAMETERS = tuple(f.name for f in fields(Parameters))
OPTIONAL = ("registry", "records", "period", "engine", "memory_limit", "bad_rows")
"""The parameters a run file holds only when they are given (not their defaults): a run of the report's regions
from a panel writes what it wrote before there were registries and records."""


def notebook_names(only=None) -> list[str]:
    """The notebooks to run: all, or those whose name or number prefix is in ``only``."""
    if not only:
        return list(NOTEBOOKS)
    chosen = [n for n in NOTEBOOKS if any(n == o or n.split("_")[0] == str(o).zfill(2) for o in only)]
    unknown = [o for o in only if not any(n == o or n.split("_")[0] == str(o).zfill(2) for n in NOTEBOOKS)]
    if unknown:
        named = ", ".join(map(repr, dict.fromkeys(unknown)))
        such = "such notebooks" if len(set(unknown)) > 1 else "such notebook"
        raise ParameterError(f"--only {named}: no {such} (choose from {', '.join(NOTEBOOKS)})")
    return chosen


def chosen_notebooks(p: Parameters, only=None) -> tuple[list[str], list[str]]:
    """The notebooks a run of ``p`` (checked: :func:`checked`, with ``only``) runs, and what to say of those it
    leaves out: those ``only`` names (:func:`notebook_names`); for a region set other than the report's three, only
    :data:`SET_NOTEBOOKS`, the others named as skipped, or refused if ``only`` chose them."""
    names = notebook_names(only)
    chosen = one_set(p)
    left = [n for n in names if n not in SET_NOTEBOOKS]
    if chosen is None or chosen.named or not left:
        return names, []
    why = f"level={chosen.level!r}: for a region set other than the report's (province, city, prefecture),"
    can = ",".join(n.split("_")[0] for n in SET_NOTEBOOKS)
    if only:
        raise ParameterError(
            f"{why} livecommerce report runs notebook {', '.join(SET_NOTEBOOKS)} (--only {can}); "
            f"{', '.join(left)} word or draw the report's sets"
        )
    skipped = f"{why} notebooks {', '.join(left)} are skipped: they word or draw the report's sets"
    return [n for n in names if n in SET_NOTEBOOKS], [skipped]


def check(parameters: Parameters, notebooks=(), figures_dir=None) -> Parameters:
    """``parameters`` checked (:func:`checked`), the memory the ``notebooks`` (their names) need
    (:func:`check_memory`), and the output folder (resolved in the result; the default if none) and ``figures_dir``
    (if given) as folders the run may write (:mod:`livecommerce.report.outputs`)."""
    if not isinstance(parameters, Parameters):
        raise ParameterError(f"parameters must be report.Parameters, got {type(parameters).__name__}")
    p = checked(parameters)
    check_memory(p.n_draws, one_set(p), notebooks)
    inputs = [x for x in (None if p.data == "published" else p.data, p.records, p.scheme, p.edition, p.previous) if x]
    out = check_folder(p.output_dir or default_output_dir(), inputs)
    if figures_dir is not None:
        check_copies(figures_dir, out)
    return replace(p, output_dir=str(out))


def one_set(p: Parameters) -> RegionSet | None:
    """The run's one region set, or None for all three of the report's."""
    return None if p.level == "all" and not p.registry else region_set(p.level, p.registry or None)


def checked(p: Parameters, only=None) -> Parameters:
    """``p`` with every value checked and every path absolute (the folders' and files' own checks are done where
    they are read): each value wrong on its own named, and the notebooks of ``only`` unknown
    (:func:`notebook_names`), all of them in one error (:func:`~livecommerce.arguments.each`, in the order of the
    fields, ``only`` last), then what two values say together."""

    def text(name: str, what: str = "a path as text"):
        return lambda: arguments.instance(getattr(p, name), name, str, what)

    registry = str(resolve(p.registry)) if isinstance(p.registry, str) and p.registry else ""
    given = arguments.each(
        # a region set, else the error naming what one is (a registry that is no text is named below)
        level=lambda: one_set(replace(p, registry=registry)) if isinstance(p.registry, str) else None,
        lang=lambda: words.check_lang(p.lang),
        **{name: text(name) for name in ("registry", "data", "records")},
        memory_limit=text("memory_limit", "text"),
        period=lambda: _checked_period(p.period),
        engine=lambda: arguments.choice(p.engine, "engine", ENGINES),
        bad_rows=lambda: arguments.choice(p.bad_rows, "bad_rows", BAD_ROWS),
        scheme=text("scheme"),
        missing=lambda: check_missing(p.missing),
        screening=lambda: check_screening(p.coverage, p.screen, p.seed),  # coverage, screen and the seed
        **{name: text(name) for name in ("edition", "previous")},
        n_draws=lambda: arguments.integer(p.n_draws, "n_draws", low=1),
        output_dir=text("output_dir"),
        only=lambda: notebook_names(only),
    )
    chosen = given["level"]
    data = p.data if p.data == "published" else str(resolve(p.data))
    records = str(resolve(p.records)) if p.records else ""
    if p.memory_limit and p.engine != "duckdb":
        raise ParameterError("memory_limit: only DuckDB's memory is limited here (Spark's is the session's)")
    if p.edition and data != "published":
        raise ParameterError("give a raw panel (data) or an edition, not both")
    if records and (p.edition or data != "published"):
        raise ParameterError("give records, a raw panel (data) or an edition, one of them")
    if data == "published" and not p.edition and not records and chosen is not None and not chosen.named:
        raise ParameterError(
            f"level={p.level!r}: the published data are the report's sets province, city and prefecture; "
            "give a raw panel (data) or an edition for another region set"
        )
    if data != "published" and p.level == "all" and not registry:
        raise ParameterError("a raw panel holds one level: give level='province', 'city' or 'prefecture'")
    previous = p.previous if p.previous in ("", PUBLISHED_EDITION) else str(resolve(p.previous))
    if previous not in ("", PUBLISHED_EDITION) and not Path(previous).is_dir():
        raise ParameterError(
            f"previous={p.previous!r}: no such folder; give {PUBLISHED_EDITION} (the published report) or "
            "the output folder of a previous livecommerce report run"
        )
    return replace(
        p,
        data=data,
        records=records,
        period=given["period"],
        registry=registry,
        scheme=str(resolve(p.scheme)) if p.scheme else "",
        edition=str(resolve(p.edition)) if p.edition else "",
        previous=previous,
        n_draws=int(p.n_draws),  # an integer of numpy's too, as the run file (JSON) holds it
        seed=int(p.seed),
    )


def _checked_period(period) -> tuple[str, str]:
    """The period as two ISO dates, the first not after the last."""
    return tuple(day.isoformat() for day in check_period(period))


def check_memory(n_draws: int, chosen: RegionSet | None, notebooks) -> None:
    """Refuse a run whose kernels would not fit: notebook 07's Sobol' analysis (the largest need; none if 07 is not
    among ``notebooks``) in the memory available now, and a kernel (:data:`KERNEL_ADDRESS_SPACE` and that need
    beyond the libraries) under the address-space limit every kernel inherits (RLIMIT_AS, ``ulimit -v``)."""
    need = 0
    if "07_sensitivity" in notebooks:
        n = sobol.sample_size(n_draws, SOBOL_INPUTS)
        sizes = LEVEL_SIZES.values() if chosen is None else [len(chosen)]
        need = max(sobol.peak_bytes(size, n, SOBOL_INPUTS) for size in sizes) + 12 * n_draws
    free = available_memory()
    if free is not None and need > free:
        raise ParameterError(
            f"n_draws={n_draws}: the Sobol' analysis would need about {need / 2**30:.1f} GiB, "
            f"and this machine has {free / 2**30:.1f} GiB available; give fewer draws"
        )
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    mapped = KERNEL_ADDRESS_SPACE + max(0, need - sobol.LIBRARY_BYTES)
    if limit != resource.RLIM_INFINITY and mapped > limit:
        raise ParameterError(
            f"the process's memory limit (ulimit -v) of {limit / 2**30:.2f} GiB is below the "
            f"{mapped / 2**30:.2f} GiB a notebook's kernel would map"
            + (f" with n_draws={n_draws}; give fewer draws or raise the limit" if need else "; raise the limit")
        )
