"""The one-command report: validate the parameters, run the chapter notebooks with papermill, and
move a complete output folder into place — executed notebooks, an HTML report, tables, figures.

Notebooks are jupytext py:percent sources (``notebooks/*.py``); each has one cell tagged
``parameters``. They run side by side, each in a papermill process and kernel of its own, since none
depends on another. Everything is written to a staging folder beside the output folder and replaces it
only when every notebook has run: a failed, interrupted or killed run leaves the previous output intact.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill
from tqdm import tqdm

from livecommerce import publish as edition
from livecommerce.analysis.sensitivity import sobol
from livecommerce.data import paths
from livecommerce.data.edition import EditionInputs
from livecommerce.data.io import atomic_path, available_memory, folder_mode, refuse_links
from livecommerce.data.panel import load_panel
from livecommerce.errors import DataError, NotebookError, OutputError, ParameterError
from livecommerce.index import model
from livecommerce.index.impute import GAPS, MISSING, check_screening, fill_missing, gaps
from livecommerce.index.scheme import load_scheme
from livecommerce.plots import theme
from livecommerce.plots.captions import METHOD_NAMES, choice_name
from livecommerce.report import chapters
from livecommerce.report import process as notebook_process
from livecommerce.report.outputs import (
    add_to_manifest,
    check_copies,
    check_folder,
    lock,
    resolve,
    staging_folder,
    write_manifest,
)
from livecommerce.report.outputs import replace as replace_folder
from livecommerce.report.pages import write_page
from livecommerce.study.compare import load_previous
from livecommerce.study.study import Study
from livecommerce.vocab import LEVEL_SIZES, LEVELS, PEOPLE_COMPONENTS, PILLARS, PUBLISHED_EDITION

NOTEBOOKS = {
    "01_overview": {"zh": "一、发展概况", "en": "1. Overview"},
    "02_opportunities_challenges": {"zh": "二、机遇与挑战", "en": "2. Opportunities and challenges"},
    "03_development_index": {"zh": "三（一）发展指数", "en": "3. The development index"},
    "04_people_goods_venue": {"zh": "三（二）人货场", "en": "3. People, goods, venue"},
    "05_trends": {"zh": "四、未来趋势", "en": "4. Trends"},
    "06_methodology": {"zh": "方法：权重与方案", "en": "Methodology: weights and schemes"},
    "07_sensitivity": {"zh": "不确定性与敏感性分析", "en": "Uncertainty and sensitivity"},
}
PARAMETERS = (
    "level",
    "lang",
    "data",
    "scheme",
    "missing",
    "coverage",
    "screen",
    "edition",
    "previous",
    "n_draws",
    "seed",
    "output_dir",
)
_STUDY = ("level", "lang", "data", "scheme", "missing", "coverage", "screen", "edition", "seed")
"""What a notebook that builds the run's studies reads (``seed`` seeds a ``mice`` imputation)."""
USES = {
    "01_overview": ("lang", "edition"),
    "02_opportunities_challenges": ("lang", "edition"),
    "05_trends": ("lang",),
    "03_development_index": (*_STUDY, "previous"),
    "04_people_goods_venue": (*_STUDY, "previous"),
    "06_methodology": _STUDY,
    "07_sensitivity": PARAMETERS,
}
"""The parameters each notebook honours (besides ``output_dir``): 01 and 02 show the report's facts updated by an
edition's, 05 the report's own chapter."""
MAX_KERNELS = 2
"""Notebooks run at once, each in its own kernel (at most one per CPU)."""
KERNEL_ADDRESS_SPACE = 1200 * 2**20
"""About the address space a kernel maps once its libraries are loaded (shared objects, thread stacks, memory
arenas); measured: notebooks 05 and 07 cannot load theirs under 1.12 GiB, 07 at city level with 200 draws runs
under 1.40 GiB."""
SOBOL_INPUTS = 7
"""Uncertain inputs of notebook 07's Sobol' analysis on published data (6 weights and the method)."""


@dataclass(frozen=True)
class Parameters:
    """What every notebook is run with; :meth:`check` refuses a bad value before anything runs."""

    level: str = "all"
    lang: str = "zh"
    data: str = "published"
    scheme: str = ""
    missing: str = "error"
    coverage: float = 0.0
    screen: str = "flag"
    edition: str = ""
    previous: str = ""
    n_draws: int = 10_000
    seed: int = 2023
    output_dir: str = ""

    def check(self, only=None) -> "Parameters":
        """The parameters as used, every path made absolute against the caller's working directory;
        a bad value, a scheme the notebooks cannot use, an edition's section text that is not one, too many draws
        for the memory the notebooks chosen by ``only`` (as :func:`run` takes it) may use or an output folder the
        runner may not replace is an error here, before anything runs."""
        return self._checked(notebook_names(only))[0]

    def _checked(self, names=tuple(NOTEBOOKS)) -> tuple["Parameters", pd.DataFrame | EditionInputs | None]:
        """:meth:`check` for the notebooks ``names`` (all by default), and the raw panel or edition it read and
        validated (None for the published data)."""
        if self.level not in (*LEVELS, "all"):
            raise ParameterError(f"level={self.level!r} is not one of {', '.join(LEVELS)} or 'all'")
        if self.lang not in ("zh", "en"):
            raise ParameterError(f"lang={self.lang!r} is not 'zh' or 'en'")
        if not isinstance(self.n_draws, int) or isinstance(self.n_draws, bool) or self.n_draws <= 0:
            raise ParameterError(f"n_draws={self.n_draws!r} must be a positive integer")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed < 2**32:
            raise ParameterError(f"seed={self.seed!r} must be an integer from 0 to 2**32 - 1")
        if self.missing not in MISSING:
            raise ParameterError(f"missing={self.missing!r} is not one of {', '.join(MISSING)}")
        check_screening(self.coverage, self.screen, self.seed)
        screening = {"coverage": self.coverage, "screen": self.screen, "seed": self.seed}
        for name in ("data", "scheme", "edition", "previous", "output_dir"):
            if not isinstance(getattr(self, name), str):
                raise ParameterError(f"{name}={getattr(self, name)!r} must be a path as text")
        data = self.data if self.data == "published" else str(resolve(self.data))
        scheme_path = str(resolve(self.scheme)) if self.scheme else ""
        scheme = load_scheme(scheme_path or None)
        _check_names(scheme)
        frame = None
        edition_path = str(resolve(self.edition)) if self.edition else ""
        if edition_path:
            if data != "published":
                raise ParameterError("give a raw panel (data) or an edition, not both")
            frame = chapters.edition_inputs(edition_path, scheme_path, self.missing != "error")
            frame = replace(  # imputed now, as the notebooks' studies will, so that a fault shows before any runs
                frame,
                panels={
                    lv: fill_missing(p, self.missing, frame.source["parts"][lv]["path"], **screening)
                    for lv, p in frame.panels.items()
                },
            )
            text = edition_text(edition_path, self.lang)
            if text:  # its section texts checked (never run) now, not when the edition is assembled at the end
                edition.text.read(self.lang, text)
        elif data == "published":
            for lv in chapters.levels(self.level):
                _published_model(lv, scheme)
        else:
            if self.level == "all":
                raise ParameterError("a raw panel holds one level: give level='province', 'city' or 'prefecture'")
            frame = load_panel(data, scheme, self.level, self.missing != "error")
            frame = fill_missing(frame, self.missing, data, **screening)
        previous = self.previous if self.previous in ("", PUBLISHED_EDITION) else str(resolve(self.previous))
        if previous not in ("", PUBLISHED_EDITION) and not Path(previous).is_dir():
            raise ParameterError(
                f"previous={self.previous!r}: no such folder; give {PUBLISHED_EDITION} (the published report) or "
                "the output folder of a previous livecommerce report run"
            )
        for lv in chapters.levels(self.level) if previous else ():
            load_previous(chapters.previous_source(previous), lv)
        _check_memory(self.n_draws, self.level, names)
        inputs = [p for p in (None if data == "published" else data, scheme_path, edition_path, previous) if p]
        out = check_folder(self.output_dir or paths.default_output_dir(), inputs)
        checked = replace(self, data=data, scheme=scheme_path, edition=edition_path, previous=previous)
        return replace(checked, output_dir=str(out)), frame


NEEDED_NODES = {"overall": PILLARS, "people": PEOPLE_COMPONENTS}
"""The nodes (and their children) the notebooks draw: 人/货/场 under the index, 人's three sub-indices."""


def _check_names(scheme) -> None:
    """Refuse a scheme without the nodes the notebooks draw, naming what is missing."""
    for node, children in NEEDED_NODES.items():
        if node not in scheme.nodes or set(scheme.nodes[node].children) != set(children):
            raise ParameterError(
                f"scheme {scheme.source}: the notebooks need a node {node!r} with children {', '.join(children)}"
            )


def _published_model(level: str, scheme):
    """The model of a level's published sub-indices under ``scheme``, or a ParameterError naming the scheme."""
    try:
        return model.from_published(level, scheme)
    except (ParameterError, KeyError) as exc:
        raise ParameterError(
            f"scheme {scheme.source} cannot weight the published sub-indices "
            f"(activity, sales, influence, goods, venue) through nodes 'people' and 'overall': "
            f"{exc}"
        ) from None


def _check_memory(n_draws: int, level: str, names) -> None:
    """Refuse a run whose kernels would not fit: notebook 07's Sobol' analysis (the largest need; none if 07 is not
    in ``names``) in the memory available now, and a kernel (:data:`KERNEL_ADDRESS_SPACE` and that need beyond the
    libraries) under the address-space limit every kernel inherits (RLIMIT_AS, ``ulimit -v``, ``prlimit --as``)."""
    need = 0
    if "07_sensitivity" in names:
        n = sobol.sample_size(n_draws, SOBOL_INPUTS)
        need = max(sobol.peak_bytes(LEVEL_SIZES[lv], n, SOBOL_INPUTS) for lv in chapters.levels(level)) + 12 * n_draws
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


def notes(params: Parameters, names: list[str]) -> list[str]:
    """What to know before the run: each chosen notebook that does not use a parameter given a non-default value,
    and an edition without its own text (its chapters then print the 2023 prose)."""
    default = Parameters()
    given = [p for p in PARAMETERS if p != "output_dir" and getattr(params, p) != getattr(default, p)]
    notes = []
    for name in names:
        ignored = [p for p in given if p not in USES[name]]
        if ignored and not {"data", "edition"} & set(USES[name]):
            notes.append(
                f"notebook {name} does not use {', '.join(ignored)}: it shows the report's own "
                f"{NOTEBOOKS[name]['en'].split('. ', 1)[-1].lower()} chapter as published"
            )
        elif ignored:
            notes.append(f"notebook {name} does not use {', '.join(ignored)}")
    if params.edition and not edition_text(params.edition, params.lang):
        notes.append(
            f"the edition has no text/{params.lang}/ folder: its chapters print the 2023 edition's prose, which "
            f"quotes 2023 numbers; copy the sections to rewrite from livecommerce/publish/text/{params.lang}/ "
            f"into text/{params.lang}/ beside the edition's files and edit them"
        )
    return notes


def edition_text(edition: str, lang: str) -> Path | None:
    """An edition's own section texts in ``lang``: ``text/<lang>/`` in the edition folder (beside the workbook),
    each file replacing the 2023 section of the same name; None if it has none. A folder linked from elsewhere
    is refused: nothing outside the edition is read."""
    root = Path(edition) if Path(edition).is_dir() else Path(edition).parent
    folder = root / "text" / lang
    if folder.is_dir() and not folder.resolve().is_relative_to(root.resolve()):
        raise DataError(f"{folder}: a link out of the edition; its section texts must be in the edition's folder")
    return folder if folder.is_dir() else None


# --- the runner --------------------------------------------------------------------------------


def notebook_names(only=None) -> list[str]:
    """The notebooks to run: all, or those whose name or number prefix is in ``only``."""
    if not only:
        return list(NOTEBOOKS)
    chosen = [n for n in NOTEBOOKS if any(n == o or n.split("_")[0] == str(o).zfill(2) for o in only)]
    unknown = [o for o in only if not any(n == o or n.split("_")[0] == str(o).zfill(2) for n in NOTEBOOKS)]
    if unknown:
        raise ParameterError(f"--only {unknown[0]!r}: no such notebook (choose from {', '.join(NOTEBOOKS)})")
    return chosen


def _source(name: str):
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
    params: Parameters | None = None, only=None, progress: bool = True, figures_dir: Path | str | None = None
) -> Path:
    """Run the chosen notebooks and move the complete output folder into place; return its path.

    Every parameter is checked first and every path resolved against the current folder. The output
    folder is replaced only if the package wrote it (see :mod:`livecommerce.report.outputs`), while a lock keeps
    other runs out; a failed or interrupted run leaves the previous output as it was. The figures are
    also copied to ``figures_dir`` if given (each file replaced atomically). Ctrl-C (SIGINT) or SIGTERM stops the
    run (KeyboardInterrupt, its argument the signal's name) whatever signal handling the process inherited, and with
    it every notebook and kernel; one that comes while the new output is moved in waits until it is in place, and
    one after that carries what was done as a second argument (the report was replaced, its figures not all copied).
    """
    if params is not None and not isinstance(params, Parameters):
        raise ParameterError(f"params must be report.Parameters, got {type(params).__name__}")
    names = notebook_names(only)
    params, frame = (params or Parameters())._checked(names)
    out = Path(params.output_dir)
    target = None if figures_dir is None else check_copies(figures_dir, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    replaced = False
    try:
        with lock(out):
            staging = staging_folder(out)
            try:
                _run_notebooks(names, params, staging, out, progress)
                _record(params, frame, staging)
                _edition(staging, names, params, frame)
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
    return out


def _run_notebooks(names: list[str], params: Parameters, staging: Path, out: Path, progress: bool) -> None:
    """Run each notebook in a papermill process of its own, at most :data:`MAX_KERNELS` at once.

    On Ctrl-C or any failure every running notebook is stopped (its kernel shuts down) before this returns.
    """
    sources = staging / "sources"
    for folder in (sources, staging / "notebooks", staging / "logs"):
        folder.mkdir(mode=folder_mode())
    for name in names:  # every notebook must take every parameter, checked before anything runs
        nbformat.write(_source(name), sources / f"{name}.ipynb")
        declared = set(papermill.inspect_notebook(sources / f"{name}.ipynb"))
        missing = [p for p in PARAMETERS if p not in declared]
        if missing:
            raise ParameterError(f"notebook {name} has no parameter {missing[0]!r} in its parameters cell")
    values = {**asdict(params), "output_dir": str(staging)}
    runner = _Notebooks(staging, values)
    workers = max(1, min(len(names), os.cpu_count() or 1, MAX_KERNELS))
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        with tqdm(total=len(names), desc="notebooks", unit="nb", disable=not progress) as bar:
            # the later chapters (methodology, sensitivity) take longest: start them first
            running = {pool.submit(runner.execute, name): name for name in reversed(names)}
            for done in as_completed(running):
                if done.exception() is not None:
                    break
                bar.set_postfix_str(running[done])
                bar.update()
        failed = [running[f] for f in running if f.done() and f.exception() is not None]
        if failed:  # the others are stopped on the way out
            first = min(failed)
            error = runner.error(first)
            try:
                kept = f"executed notebook kept in {_keep_failed(staging / 'notebooks' / f'{first}.ipynb', out)}"
            except OutputError as exc:
                kept = f"executed notebook not kept: {exc}"
            raise NotebookError(f"notebook {first} failed {error} ({kept}; the previous output is untouched)")
    except BaseException:
        runner.stop()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for name in names:
        executed = staging / "notebooks" / f"{name}.ipynb"
        _normalise(executed, staging, out)
        write_page(executed, staging / "notebooks" / f"{name}.html", NOTEBOOKS[name][params.lang])
    for folder in (sources, staging / "logs"):
        shutil.rmtree(folder)


class _Notebooks:
    """Runs notebooks as child processes (papermill's command line, through :mod:`livecommerce.report.process`,
    which ends with the runner), and stops them all on demand.

    A child process, not a thread: papermill's ``cwd`` changes the whole process's working folder, and
    a thread cannot be stopped; a child runs in its own folder and shuts its kernel down when interrupted.
    """

    def __init__(self, staging: Path, values: dict):
        self.staging, self.values = staging, values
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = threading.Event()
        self.guard = threading.Lock()

    def execute(self, name: str) -> None:
        command = [
            sys.executable,
            "-P",
            str(Path(notebook_process.__file__)),
            str(os.getpid()),
            str(self.staging / "sources" / f"{name}.ipynb"),
            str(self.staging / "notebooks" / f"{name}.ipynb"),
            "-y",
            json.dumps(self.values),
            "-k",
            "python3",
            "--no-progress-bar",
            "--cwd",
            str(self.staging),
        ]
        with open(self.staging / "logs" / f"{name}.log", "wb") as log, self.guard:
            if self.stopping.is_set():
                raise NotebookError(f"notebook {name} was not started: the run is stopping")
            self.children[name] = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        if self.children[name].wait() != 0:
            raise NotebookError(f"notebook {name} failed")

    def stop(self, grace: float = 5.0) -> None:
        """Interrupt every running notebook (papermill then shuts its kernel down); kill what outlives ``grace``."""
        with self.guard:
            self.stopping.set()
        alive = [c for c in self.children.values() if c.poll() is None]
        for child in alive:
            child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + grace
        for child in alive:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def error(self, name: str) -> str:
        """Where and how notebook ``name`` failed: its failing cell and error, else the end of its log."""
        executed = self.staging / "notebooks" / f"{name}.ipynb"
        if executed.is_file():
            for cell in nbformat.read(executed, as_version=4).cells:
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        return f"in cell {cell.get('execution_count')}: {output['ename']}: {output['evalue']}"
        log = (self.staging / "logs" / f"{name}.log").read_text(encoding="utf-8", errors="replace").strip()
        return "before its first cell: " + (log.splitlines()[-1] if log else "no output")


def _record(params: Parameters, frame: pd.DataFrame | EditionInputs | None, staging: Path) -> None:
    """Keep the run's parameters as used (absolute paths, the scheme file actually read), and for a raw
    panel or each level's panel of an edition (``frame``, as checked) every empty cell and what was done with it
    (``missing_cells``), and each region's share of indicators filled in and imputed, below the coverage threshold
    or not, dropped or not (``imputed_share``; :func:`livecommerce.index.impute.gaps`), by level."""
    used = {**asdict(params), "scheme": params.scheme or str(paths.default_scheme_path().resolve())}
    panels = {}
    if isinstance(frame, pd.DataFrame):
        source = frame.attrs["source"]
        used.update(
            data_format=source["format"], data_encoding=source["encoding"] or "", data_sheet=source["sheet"] or ""
        )
        panels = {params.level: frame}
    elif isinstance(frame, EditionInputs):
        panels = {lv: frame.panels[lv] for lv in chapters.levels(params.level)}
    if panels:
        cells, shares = [], []
        for lv, panel in panels.items():
            record = panel.attrs["missing"]
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
        chapters.table(cells[[*order, "indicator", "handled"]].set_index("region_id"), "missing_cells", staging)
        chapters.table(shares[[*order, *GAPS]].set_index("region_id"), "imputed_share", staging)
    chapters.table(
        pd.DataFrame([used]).drop(columns="output_dir").T.rename(columns={0: "value"}), "run_parameters", staging
    )


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


def _normalise(path: Path, staging: Path, out: Path) -> None:
    """Drop what changes from run to run: timings, and the staging folder's random name (the notebook
    shows the output folder it ends up in)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.get("papermill", {}).update(
        start_time=None,
        end_time=None,
        duration=None,
        input_path=f"{path.stem}.py",
        output_path=f"notebooks/{path.name}",
    )
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    if "output_dir" in parameters:
        parameters["output_dir"] = str(out)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).update(start_time=None, end_time=None, duration=None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = f"{path.stem}-injected-parameters"
            cell.source = cell.source.replace(repr(str(staging)), repr(str(out))).replace(f'"{staging}"', f'"{out}"')
    with atomic_path(path) as tmp:
        nbformat.write(notebook, tmp)


def _edition(staging: Path, names: list[str], params: Parameters, frame: pd.DataFrame | EditionInputs | None) -> None:
    """The print edition of the run (:mod:`livecommerce.publish`): index.html and the chapter pages, report.docx,
    .pdf, .xlsx and .md, from the run's studies (a raw panel's from ``frame``, the panel as checked: it is not
    read again; an edition's from its inputs, read once per process) and figures; index.html also links the
    notebook pages."""
    screening = {"coverage": params.coverage, "screen": params.screen, "seed": params.seed}
    if isinstance(frame, pd.DataFrame):
        built = Study.build(params.level, frame, params.scheme or None, params.missing, **screening)
        studies = {params.level: replace(built, parameters={**built.parameters, "data": params.data})}
        if params.previous:
            studies = {
                lv: s.since(load_previous(chapters.previous_source(params.previous), lv), params.previous)
                for lv, s in studies.items()
            }
    else:
        studies = {
            lv: chapters.study(
                lv, params.data, params.scheme, params.missing, params.edition, params.previous, **screening
            )
            for lv in chapters.levels(params.level)
        }
    methods = theme.text("list_sep", params.lang).join(
        f"{choice_name(METHOD_NAMES, m, params.lang)} {p:g}" for m, p in chapters.UNCERTAINTY.methods.items()
    )
    settings = {
        "n_draws": params.n_draws,
        "seed": params.seed,
        "concentration": f"{chapters.UNCERTAINTY.concentration:g}",
        "methods": methods,
    }
    lists = chapters.top5(params.edition) if params.edition else None
    document = edition.assemble(
        studies,
        staging / "figures",
        params.lang,
        settings,
        text=edition_text(params.edition, params.lang) if params.edition else None,
        top5=lists,
        mark=chapters.marked(params.edition),
    )
    pages = {f"notebooks/{n}.html": NOTEBOOKS[n][params.lang] for n in names}
    edition.write(document, staging, pages)


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


__all__ = ["NOTEBOOKS", "PARAMETERS", "Parameters", "edition_text", "notebook_names", "notes", "run"]
