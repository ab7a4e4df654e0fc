"""The one-command report: validate the parameters, run the chapter notebooks with papermill, and
move a complete output folder into place — executed notebooks, an HTML report, tables, figures.

Notebooks are jupytext py:percent sources (``notebooks/*.py``); each has one cell tagged
``parameters``. They run side by side, each in its own kernel, since none depends on another. Everything is written to a staging folder beside the output folder and replaces
it only when every notebook has run: a failed or killed run leaves the previous output intact.
"""

import html
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill
from nbconvert import HTMLExporter
from tqdm.auto import tqdm

from . import paths
from .data import load_index
from .errors import NotebookError, ParameterError
from .io import atomic_path
from .index import build
from .panel import MISSING, load_panel
from .plots import save
from .ranking import rank
from .regions import regions
from .scheme import load_scheme
from .tables import write_table
from .vocab import INDEX_TABLES, LEVELS

NOTEBOOKS = {
    "01_overview": {"zh": "一、发展概况", "en": "1. Overview"},
    "02_opportunities_challenges": {"zh": "二、机遇与挑战", "en": "2. Opportunities and challenges"},
    "03_development_index": {"zh": "三（一）发展指数", "en": "3. The development index"},
    "04_people_goods_venue": {"zh": "三（二）人货场", "en": "3. People, goods, venue"},
    "05_trends": {"zh": "四、未来趋势", "en": "4. Trends"},
    "06_methodology": {"zh": "方法：权重与方案", "en": "Methodology: weights and schemes"},
    "07_sensitivity": {"zh": "不确定性与敏感性分析", "en": "Uncertainty and sensitivity"},
}
PARAMETERS = ("level", "lang", "data", "scheme", "missing", "n_draws", "seed", "output_dir")
MAX_KERNELS = 2
"""Notebooks run at once, each in its own kernel (at most one per CPU)."""


@dataclass(frozen=True)
class Parameters:
    """What every notebook is run with; :meth:`check` refuses a bad value before anything runs."""

    level: str = "all"
    lang: str = "zh"
    data: str = "published"
    scheme: str = ""
    missing: str = "error"
    n_draws: int = 10_000
    seed: int = 2023
    output_dir: str = ""

    def check(self) -> "Parameters":
        if self.level not in (*LEVELS, "all"):
            raise ParameterError(f"level={self.level!r} is not one of {', '.join(LEVELS)} or 'all'")
        if self.lang not in ("zh", "en"):
            raise ParameterError(f"lang={self.lang!r} is not 'zh' or 'en'")
        if not isinstance(self.n_draws, int) or isinstance(self.n_draws, bool) or self.n_draws <= 0:
            raise ParameterError(f"n_draws={self.n_draws!r} must be a positive integer")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ParameterError(f"seed={self.seed!r} must be a non-negative integer")
        scheme = load_scheme(self.scheme or None)
        if self.data != "published":
            if self.level == "all":
                raise ParameterError("a raw panel holds one level: give level='province', 'city' or 'prefecture'")
            load_panel(self.data, scheme, self.level, self.missing)
        elif self.missing not in MISSING:
            raise ParameterError(f"missing={self.missing!r} is not one of {', '.join(MISSING)}")
        out = output_folder(self.output_dir, create=False)
        if out.resolve().is_relative_to(paths.published_dir().resolve()):
            raise ParameterError(f"output_dir={self.output_dir!r}: data/published is read-only input")
        return self


# --- helpers the notebooks call ----------------------------------------------------------------


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
            (out / sub).mkdir(parents=True, exist_ok=True)
    return out


def index_frame(level: str, data: str = "published", scheme: str = "", missing: str = "error") -> pd.DataFrame:
    """A level's index as ``load_index`` gives it: published, or built from a raw panel with ranks added."""
    if data == "published":
        return load_index(level)
    built = build(load_panel(data, scheme or None, level, missing), scheme or None)
    registry = regions(level)
    frame = built.copy()
    frame.insert(0, "name_en", registry.loc[frame.index, "name_en"])
    frame.insert(0, "name_zh", registry.loc[frame.index, "name"])
    for measure in ("overall", "people", "goods", "venue"):
        if measure in frame:
            frame[f"{measure}_rank"] = rank(frame[measure])
    return frame.sort_values("overall", ascending=False, kind="stable")


def figure(fig, name: str, out: Path) -> None:
    """Save a figure into the run's ``figures/`` (PNG and SVG)."""
    save(fig, name, Path(out) / "figures")


def table(frame, name: str, out: Path) -> None:
    """Save a table into the run's ``tables/`` (CSV, XLSX, Markdown)."""
    write_table(frame, name, Path(out) / "tables")


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


def run(params: Parameters | None = None, only=None, progress: bool = True,
        figures_dir: Path | str | None = "") -> Path:
    """Run the chosen notebooks and move the complete output folder into place; return its path.

    The figures are also copied to ``figures_dir``: by default the checkout's ``figures/`` (none for
    an installed package); None copies nothing.
    """
    params = (params or Parameters()).check()
    names = notebook_names(only)
    out = output_folder(params.output_dir, create=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        sources = staging / "sources"
        sources.mkdir()
        for name in names:  # every notebook must take every parameter, checked before anything runs
            nbformat.write(_source(name), sources / f"{name}.ipynb")
            declared = set(papermill.inspect_notebook(sources / f"{name}.ipynb"))
            missing = [p for p in PARAMETERS if p not in declared]
            if missing:
                raise ParameterError(f"notebook {name} has no parameter {missing[0]!r} in its parameters cell")
        values = {**asdict(params), "output_dir": str(staging)}
        (staging / "notebooks").mkdir()
        workers = max(1, min(len(names), os.cpu_count() or 1, MAX_KERNELS))
        with ThreadPoolExecutor(max_workers=workers) as pool, \
                tqdm(total=len(names), desc="notebooks", unit="nb", disable=not progress) as bar:
            # the later chapters (methodology, sensitivity) take longest: start them first
            running = [pool.submit(_execute, name, sources, staging, values, out, params.lang)
                       for name in reversed(names)]
            for done in as_completed(running):
                bar.set_postfix_str(done.result() if done.exception() is None else "failed")
                bar.update()
            for future in reversed(running):  # the first failure, in notebook order, once every kernel has stopped
                future.result()
        shutil.rmtree(sources)
        _record(params, staging)
        _index(staging, names, params.lang)
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if figures_dir == "":
        root = paths.checkout_dir()
        figures_dir = root / "figures" if root else None
    if figures_dir is not None:
        _copy_figures(out, Path(figures_dir))
    return out


def _execute(name: str, sources: Path, staging: Path, values: dict, out: Path, lang: str) -> str:
    """Run one notebook in its own kernel and write its page; a failure names the notebook and cell and
    keeps what ran."""
    executed = staging / "notebooks" / f"{name}.ipynb"
    try:
        papermill.execute_notebook(sources / f"{name}.ipynb", executed, parameters=values, kernel_name="python3",
                                   progress_bar=False, cwd=str(staging))
    except papermill.PapermillExecutionError as exc:
        kept = _keep_failed(executed, out)
        raise NotebookError(f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue} "
                            f"(executed notebook kept in {kept}; the previous output is untouched)") from None
    _normalise(executed, staging, out)
    _html(executed, staging / f"{name}.html", NOTEBOOKS[name][lang])
    return name


def _record(params: Parameters, staging: Path) -> None:
    """Keep the run's parameters, and for a raw panel every empty cell and what was done with it."""
    table(pd.DataFrame([asdict(params)]).drop(columns="output_dir").T.rename(columns={0: "value"}), "run_parameters",
          staging)
    if params.data != "published":
        frame = load_panel(params.data, params.scheme or None, params.level, params.missing)
        record = frame.attrs["missing"]
        cells = pd.DataFrame(record["cells"], columns=["region_id", "indicator"])
        cells["handled"] = ["dropped the region" if r in record["dropped"] else f"{record['policy']} imputed"
                            for r in cells["region_id"]]
        table(cells.set_index("region_id"), "missing_cells", staging)


def _keep_failed(executed: Path, out: Path) -> Path:
    """Keep a failed notebook, as executed up to its error, beside the output folder for inspection."""
    kept = out.parent / f"{out.name}-failed" / executed.name
    with atomic_path(kept) as tmp:
        shutil.copyfile(executed, tmp)
    return kept


def _normalise(path: Path, staging: Path, out: Path) -> None:
    """Drop what changes from run to run: timings, and the staging folder's random name (the notebook
    shows the output folder it ends up in)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.get("papermill", {}).update(start_time=None, end_time=None, duration=None,
                                                  input_path=f"{path.stem}.py", output_path=f"notebooks/{path.name}")
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    if "output_dir" in parameters:
        parameters["output_dir"] = str(out)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).update(start_time=None, end_time=None, duration=None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = f"{path.stem}-injected-parameters"
            cell.source = cell.source.replace(repr(str(staging)), repr(str(out))).replace(f'"{staging}"', f'"{out}"')
    nbformat.write(notebook, path)


_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 980px;
       margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.55; }}
img {{ max-width: 100%; }} table {{ border-collapse: collapse; font-size: 0.85em; }}
td, th {{ border: 1px solid #ddd; padding: 2px 6px; }} a {{ color: #3b6ea8; }}
details.code {{ margin: 0.5em 0; }} pre {{ background: #f6f6f6; padding: 0.5em; overflow-x: auto; }}
</style></head><body>
<p><a href="index.html">{home}</a></p>
{body}
</body></html>
"""


def _html(executed: Path, target: Path, title: str) -> None:
    """A self-contained page of the notebook's outputs (code hidden, images embedded, no external requests)."""
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in title) else "en"
    target.write_text(_PAGE.format(lang=lang, title=html.escape(title), home="目录" if lang == "zh" else "Contents",
                                   body=body), encoding="utf-8")


def _index(staging: Path, names: list[str], lang: str) -> None:
    title = "中国直播电商行业发展趋势报告（2023）" if lang == "zh" else "China Live-Streaming E-commerce Trends Report 2023"
    items = "\n".join(f'<li><a href="{n}.html">{html.escape(NOTEBOOKS[n][lang])}</a></li>' for n in names)
    tables = sorted(p.name for p in (staging / "tables").glob("*.csv")) if (staging / "tables").is_dir() else []
    listing = "\n".join(f'<li><a href="tables/{t}">{html.escape(t)}</a></li>' for t in tables)
    body = f"<h1>{title}</h1>\n<h2>{'章节' if lang == 'zh' else 'Chapters'}</h2>\n<ul>\n{items}\n</ul>\n" \
           f"<h2>{'表格' if lang == 'zh' else 'Tables'}</h2>\n<ul>\n{listing}\n</ul>"
    (staging / "index.html").write_text(_PAGE.format(lang=lang, title=title, home="", body=body), encoding="utf-8")


def _replace(staging: Path, out: Path) -> None:
    """Swap the staging folder in for ``out``; the old output is removed only once the new one is in place."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        old.rmdir()
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _copy_figures(out: Path, target: Path) -> None:
    """Copy the run's figures to ``target``, each file atomically."""
    if not (out / "figures").is_dir():
        return
    for figure_file in sorted((out / "figures").iterdir()):
        with atomic_path(target / figure_file.name) as tmp:
            shutil.copyfile(figure_file, tmp)


__all__ = ["NOTEBOOKS", "PARAMETERS", "Parameters", "figure", "index_frame", "levels",
           "notebook_names", "output_folder", "run", "table", "table_number"]
