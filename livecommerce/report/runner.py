"""The one-command report: check the run, run the chapter notebooks with papermill, and move a complete output
folder into place — executed notebooks, the printed document, tables, figures.

Notebooks are jupytext py:percent sources (``notebooks/*.py``); each has one cell tagged ``parameters``, declaring
``run``. They run in two kernels (:mod:`livecommerce.report.process`), each taking the next notebook as it finishes,
since none depends on another. Everything is written to a staging folder beside the output folder and replaces it
only when every notebook has run: a failed, interrupted or killed run leaves the previous output intact.
"""

import re
import shutil
import signal
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill
from tqdm import tqdm

from livecommerce import publish, words
from livecommerce.data import paths
from livecommerce.data.io import atomic_path, folder_mode, refuse_links
from livecommerce.errors import NotebookError, OutputError, ParameterError
from livecommerce.index.impute import GAPS, gaps
from livecommerce.publish.document import Document
from livecommerce.report.outputs import (
    add_to_manifest,
    check_copies,
    check_folder,
    lock,
    staging_folder,
    write_manifest,
)
from livecommerce.report.outputs import replace as replace_folder
from livecommerce.report.pages import write_page
from livecommerce.report.parameters import (
    NOTEBOOKS,
    OPTIONAL,
    PARAMETERS,
    Parameters,
    check,
    checked,
    chosen_notebooks,
    notebook_names,
)
from livecommerce.report.process import Kernels
from livecommerce.report.runs import Run, edition_text
from livecommerce.study.records import record_files, summary
from livecommerce.vocab import LEVELS

_RECORDS = ("records", "period", "engine", "memory_limit", "bad_rows")
_STUDY = (
    "level",
    "registry",
    "lang",
    "data",
    *_RECORDS,
    "scheme",
    "missing",
    "coverage",
    "screen",
    "edition",
    "seed",
    "previous",
)
"""What a run's studies depend on (``seed`` seeds a ``mice`` imputation)."""
DEPENDS = {
    "lang": ("lang",),
    "caption": ("lang",),
    "scope": ("lang", "level", "registry"),
    "settings": ("lang",),
    "levels": ("level", "registry"),
    "study": _STUDY,
    "source": _STUDY,
    "focus": _STUDY,
    "inputs": ("data", *_RECORDS, "edition"),
    "edition": ("edition",),
    "label": ("data", *_RECORDS, "edition"),
    "facts": ("lang", "edition"),
    "top5": ("edition",),
}
"""The parameters each member of a :class:`Run` depends on: a notebook uses those of the members it asks for, and
each parameter it reads itself (``run.parameters.seed``)."""


def uses(name: str) -> set[str]:
    """The parameters notebook ``name`` uses, read from its source."""
    source = "\n".join(cell.source for cell in notebook_source(name).cells if cell.cell_type == "code")
    used = set(re.findall(r"\brun\.parameters\.(\w+)", source))
    for member in re.findall(r"\brun\.(\w+)", source):
        used.update(DEPENDS.get(member, ()))
    return used


FIRST = ("07_sensitivity", "03_development_index", "04_people_goods_venue")
"""The notebooks that take longest, started first (the others follow in reverse order: 06, 05, 02, 01)."""


def notes(params: Parameters, names: list[str]) -> list[str]:
    """What to know before the run: each chosen notebook that does not use a parameter given a non-default value,
    and an edition of the report's sets without its own text (its chapters then print the 2023 prose)."""
    default = Parameters()
    given = [p for p in PARAMETERS if p != "output_dir" and getattr(params, p) != getattr(default, p)]
    notes = []
    for name in names:
        used = uses(name)
        ignored = [p for p in given if p not in used]
        if ignored and not {"data", "records", "edition"} & used:
            notes.append(
                f"notebook {name} does not use {', '.join(ignored)}: it shows the report's own "
                f"{words.NOTEBOOK_TITLES[name]['en'].split('. ', 1)[-1].lower()} chapter as published"
            )
        elif ignored:
            notes.append(f"notebook {name} does not use {', '.join(ignored)}")
    other = bool(params.registry) or params.level not in ("all", *LEVELS)  # a set other than the report's
    if params.edition and not other and not edition_text(params.edition, params.lang):  # another set: no 2023 prose
        notes.append(
            f"the edition has no text/{params.lang}/ folder: its chapters print the 2023 edition's prose, which "
            f"quotes 2023 numbers; copy the sections to rewrite from livecommerce/publish/text/{params.lang}/ "
            f"into text/{params.lang}/ beside the edition's files and edit them"
        )
    return notes


# --- the runner --------------------------------------------------------------------------------


def notebook_source(name: str):
    """Notebook ``name`` of ``notebooks/`` read from its jupytext source, its cells' ids numbered (``NAME-0`` …)."""
    path = paths.notebooks_dir() / f"{name}.py"
    if not path.is_file():
        raise ParameterError(f"notebook source {path} is missing")
    notebook = jupytext.read(path)
    for k, cell in enumerate(notebook.cells):  # jupytext makes random cell ids; number them instead
        cell.id = f"{name}-{k}"
    return notebook


STOPS = (signal.SIGINT, signal.SIGTERM)
"""The signals that stop a run: Ctrl-C and ``kill``."""


@contextmanager
def _handled(handler):
    """While in it, :data:`STOPS` go to ``handler``, and the previous handlers come back after; only the main
    thread may set handlers, so elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handler) for s in STOPS}
    try:
        yield
    finally:
        for s, before in previous.items():
            signal.signal(s, signal.SIG_DFL if before is None else before)


def _interrupt(signum: int, frame) -> None:
    """SIGINT and SIGTERM as KeyboardInterrupt, whatever the process inherited (a shell's background job ignores
    SIGINT, and SIGTERM would end the runner without stopping its notebooks)."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def _held():
    """While in it, SIGINT and SIGTERM wait: one that comes is raised again as it ends, to the handlers in place
    before. Not a signal mask (``pthread_sigmask``): that holds one thread's, and the kernel gives a signal to any
    thread that does not hold it (numpy's among them)."""
    came = []
    try:
        with _handled(lambda signum, frame: came.append(signum)):
            yield
    finally:
        for signum in came:
            signal.raise_signal(signum)


@_handled(_interrupt)
def run(
    params: Parameters | Run | None = None,
    only=None,
    progress: bool = True,
    figures_dir: Path | str | None = None,
    told=None,
    kernels: Kernels | None = None,
) -> Path:
    """Run the chosen notebooks and move the complete output folder into place; return its path.

    ``params`` is a :class:`Parameters` (checked here: every value, every path resolved against the current folder,
    the inputs read) or a :class:`Run` already built from them. The output folder is replaced only if the package
    wrote it (see :mod:`livecommerce.report.outputs`), while a lock keeps other runs out; a failed or interrupted
    run leaves the previous output as it was. The figures are also copied to ``figures_dir`` if given (each file
    replaced atomically). Ctrl-C (SIGINT) or SIGTERM stops the run (KeyboardInterrupt, its argument the signal's
    name) whatever signal handling the process inherited, and with it every notebook and kernel; one that comes
    while the new output is moved in waits until it is in place, and one after that carries what was done as a
    second argument (the report was replaced, its figures not all copied). ``told``, if given, is called with
    each of :func:`notes` once the run is checked (the command line prints them). The parameters' values are
    checked first (:func:`~livecommerce.report.parameters.check`: the output and figures folders too); then the
    kernels start and warm up while the inputs are read. ``kernels``: started by the caller, as the command line does
    once it has checked the values and before it loads this module, and stopped here; or kept
    (:class:`~livecommerce.report.process.Kernels` with ``keep``), which serve one run after another and are the
    caller's to stop.
    """
    try:
        if params is not None and not isinstance(params, (Parameters, Run)):
            raise ParameterError(f"params must be report.Parameters or report.Run, got {type(params).__name__}")
        given = params.parameters if isinstance(params, Run) else checked(params or Parameters(), only)
        names, skipped = chosen_notebooks(given, only)  # as many kernels as notebooks, at most two
        if kernels is None and not isinstance(params, Run):  # checked before the kernels start
            check(given, names, figures_dir)
    except BaseException:
        if kernels is not None and not kernels.keep:
            kernels.stop()
        raise
    kernels = Kernels(len(names)) if kernels is None else kernels  # they warm up while the run is checked
    replaced = False
    try:
        built = params if isinstance(params, Run) else Run.build(params, names)
        for note in [*skipped, *notes(built.parameters, names)] if told is not None else ():
            told(note)
        if told is not None and built.parameters.records:  # what the records gave: rows read and dropped by rule
            told(summary(built.study(built.levels[0]).source))
        stale = built.unrewritten() if told is not None else {}
        if stale:
            done = "left out" if built.metadata.unrewritten == "omit" else "printed with a marker"
            told(f"{len(stale)} section texts were written for another edition and are {done}: {', '.join(stale)}")
            for fault in built.unrewritten_claims():  # printed, marked: the author sees what to rewrite first
                told(f"a section printed with a marker states what this edition's tables deny: {fault}")
        out = Path(built.parameters.output_dir)
        target = None if figures_dir is None else check_copies(figures_dir, out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with lock(out):
            staging = staging_folder(out)
            try:
                staged = built.writing_to(staging)
                _run_notebooks(names, staged, out, progress, kernels)
                _record(staged)
                left_out = _document(staged, names).left_out
                if left_out and told is not None:
                    told(f"{len(left_out)} figures no section text places are not printed: {', '.join(left_out)}")
                write_manifest(staging)
                with _held():  # never between the two renames, when there is no output
                    replace_folder(staging, out)
                    replaced = True
            except OSError as exc:
                raise OutputError(
                    f"cannot write the report beside {out}: {exc.strerror or exc}; the previous output is untouched"
                ) from None
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        if target is not None:
            _copy_figures(out, target)
    except KeyboardInterrupt as exc:
        if not replaced:
            raise
        copied = (
            ""
            if target is None
            else f"; copying its figures to {target} was interrupted (some there may be missing or from the "
            "previous run)"
        )
        stopped = exc.args[0] if exc.args else "SIGINT"
        raise KeyboardInterrupt(stopped, f"the report in {out} was replaced{copied}") from None
    finally:
        if not kernels.keep:  # at once if the run stopped before its notebooks; they have ended if it got through them
            kernels.stop()
    return out


def _run_notebooks(names: list[str], run: Run, out: Path, progress: bool, kernels: Kernels) -> None:
    """Run the notebooks in the run's ``kernels`` (:class:`~livecommerce.report.process.Kernels`), longest first,
    each given the run's file (:meth:`Run.store`) in the staging folder they run in.

    On Ctrl-C or any failure every running notebook is stopped (its kernel shuts down) before this returns.
    """
    staging = run.output
    sources = staging / "sources"
    for folder in (sources, staging / "notebooks"):
        folder.mkdir(mode=folder_mode())
    for name in names:  # every notebook must take the run as its one parameter, checked before anything runs
        nbformat.write(notebook_source(name), sources / f"{name}.ipynb")
        declared = set(papermill.inspect_notebook(sources / f"{name}.ipynb"))
        if declared != {"run"}:
            raise ParameterError(f"notebook {name} must take one parameter, run (it declares {sorted(declared)})")
    run.store(staging)
    count = kernels.count
    queue = sorted(names, key=lambda n: (n not in FIRST, FIRST.index(n) if n in FIRST else -names.index(n)))
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        kernels.open(staging)
        with tqdm(total=len(names), desc="notebooks", unit="nb", disable=not progress) as bar:

            def finished(name: str) -> None:  # its page written while the other kernel works
                executed = staging / "notebooks" / f"{name}.ipynb"
                _normalise(executed)
                title = words.word(words.NOTEBOOK_TITLES, name, run.lang)
                write_page(executed, staging / "notebooks" / f"{name}.html", title)
                bar.set_postfix_str(name)
                bar.update()

            done = [pool.submit(kernels.work, k, queue, finished) for k in range(count)]
            for future in as_completed(done):
                future.result()
                if kernels.failed:  # stop the other kernels now, not when their notebooks are done
                    break
        if kernels.failed:  # the others are stopped on the way out
            first = min(kernels.failed)
            error = kernels.error(first)
            try:
                kept = f"executed notebook kept in {_keep_failed(staging / 'notebooks' / f'{first}.ipynb', out)}"
            except OutputError as exc:
                kept = f"executed notebook not kept: {exc}"
            raise NotebookError(f"notebook {first} failed {error} ({kept}; the previous output is untouched)")
    except BaseException:
        kernels.stop()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        kernels.end()
    shutil.rmtree(sources)


def _record(run: Run) -> None:
    """Keep the run's parameters as used (absolute paths, the scheme file actually read), and for a raw panel or
    each level's panel of an edition every empty cell and what was done with it (``missing_cells``), and each
    region's share of indicators filled in and imputed, below the coverage threshold or not, dropped or not
    (``imputed_share``; :func:`livecommerce.index.impute.gaps`), by level, from the run's studies."""
    params, default = run.parameters, Parameters()
    # an optional parameter at its default left out: the record as before there were registries and records
    used = {k: v for k, v in asdict(params).items() if k not in OPTIONAL or v != getattr(default, k)}
    used["scheme"] = params.scheme or str(paths.default_scheme_path().resolve())
    if params.records:
        run.table(record_files(run.study(run.levels[0]).log[0]), "record_files")
    if params.data != "published":
        source = run.study(run.levels[0]).source  # a raw panel: the run's one region set
        used.update(
            data_format=source["format"], data_encoding=source["encoding"] or "", data_sheet=source["sheet"] or ""
        )
    if run.inputs is not None:
        cells, shares = [], []
        for lv in run.levels:
            record = next(entry for entry in run.study(lv).log if entry["step"] == "missing")
            found = pd.DataFrame(record["cells"], columns=["region_id", "indicator"], dtype=object)
            found["handled"] = [
                "dropped the region" if r in record["dropped"] else f"{record['policy']} imputed"
                for r in found["region_id"]
            ]
            cells.append(found.assign(level=lv))
            shares.append(gaps(record).reset_index().assign(level=lv))
        order = ["level", "region_id"]
        cells = pd.concat(cells, ignore_index=True)
        shares = pd.concat(shares, ignore_index=True)
        run.table(cells[[*order, "indicator", "handled"]].set_index("region_id"), "missing_cells")
        run.table(shares[[*order, *GAPS]].set_index("region_id"), "imputed_share")
    run.table(pd.DataFrame([used]).drop(columns="output_dir").T.rename(columns={0: "value"}), "run_parameters")


def _keep_failed(executed: Path, out: Path) -> Path:
    """Keep a failed notebook, as executed up to its error, in ``<out>-failed/`` (a folder the package owns, never
    a symbolic link nor holding one)."""
    kept = refuse_links(out.parent / f"{out.name}-failed")
    check_folder(kept)
    if executed.is_file():
        with atomic_path(kept / executed.name) as tmp:
            shutil.copyfile(executed, tmp)
        write_manifest(kept)
    return kept / executed.name


def _normalise(path: Path) -> None:
    """Drop what changes from run to run: timings and papermill's record of the staging folder's random name."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.get("papermill", {}).update(
        start_time=None,
        end_time=None,
        duration=None,
        input_path=f"{path.stem}.py",
        output_path=f"notebooks/{path.name}",
    )
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).update(start_time=None, end_time=None, duration=None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = f"{path.stem}-injected-parameters"
    with atomic_path(path) as tmp:
        nbformat.write(notebook, tmp)


def _document(run: Run, names: list[str]) -> Document:
    """The printed document of the run (:mod:`livecommerce.publish`): index.html and the chapter pages,
    report.docx, .pdf, .xlsx and .md, from the run's own studies and the figures its notebooks wrote; index.html
    also links the notebook pages. Returns the document."""
    params = run.parameters
    methods = words.text("list_sep", run.lang).join(
        f"{words.choice_name(words.METHOD_NAMES, m, run.lang)} {p:g}" for m, p in run.uncertainty.methods.items()
    )
    settings = {
        "n_draws": params.n_draws,
        "seed": params.seed,
        "concentration": f"{run.uncertainty.concentration:g}",
        "methods": methods,
    }
    document = publish.assemble(
        {level: run.study(level) for level in run.levels},
        run.output / "figures",
        run.lang,
        settings,
        text=edition_text(params.edition, run.lang) if params.edition else None,
        top5=run.top5() if run.edition is not None else None,
        label=run.label,
        metadata=run.metadata,
    )
    pages = {f"notebooks/{n}.html": words.word(words.NOTEBOOK_TITLES, n, run.lang) for n in names}
    publish.write(document, run.output, pages)
    return document


def _copy_figures(out: Path, target: Path) -> None:
    """Copy the run's figures to ``target``, each file atomically (a symbolic link there is refused)."""
    if not (out / "figures").is_dir():
        return
    copied = sorted((out / "figures").iterdir())
    target.mkdir(parents=True, exist_ok=True)
    check_copies(target, out)  # again: the folder may have changed while the notebooks ran
    for figure_file in copied:
        with atomic_path(target / figure_file.name) as tmp:
            shutil.copyfile(figure_file, tmp)
    add_to_manifest(target, [f.name for f in copied])


__all__ = [
    "NOTEBOOKS",
    "PARAMETERS",
    "Kernels",
    "Parameters",
    "Run",
    "notebook_names",
    "notebook_source",
    "notes",
    "run",
    "uses",
]
