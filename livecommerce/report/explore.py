"""The what-if notebook (``notebooks/08_explore.py``) for a person in JupyterLab: :func:`write_explorer` writes a run's
file and the notebook, its one parameter set to that file, into a folder the user names; ``livecommerce explore
FOLDER`` does so and opens it in JupyterLab (:func:`open_in_lab`).

The notebook's source opens as a notebook in JupyterLab too: the package sets jupytext's notebook as JupyterLab's
default viewer of Python files (``jupyter/livecommerce-overrides.json``, installed into JupyterLab's settings folder).
"""

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat

from livecommerce.data.io import atomic_path, refuse_links
from livecommerce.report.outputs import add_to_manifest, lock
from livecommerce.report.parameters import Parameters
from livecommerce.report.runner import notebook_source
from livecommerce.report.runs import RUN_FILE, Run

__all__ = ["EXPLORER", "open_in_lab", "write_explorer"]

EXPLORER = "08_explore"
"""The what-if notebook, which the report runner never runs (it needs a person at the sliders)."""


def write_explorer(params: Parameters | None = None, folder: Path | str = "explore") -> Path:
    """Check the run of ``params`` (the report's defaults if None; its ``output_dir`` is ``folder``, a folder the
    package may write, as a report's output folder), write its run file and the what-if notebook taking it
    (``08_explore.ipynb``: the script's cells, and after its parameters cell one giving the run, as papermill
    injects it) into ``folder``;
    return the notebook's path. The notebook names the run file by its name alone: the folder may be moved."""
    run = Run.build(replace(params or Parameters(), output_dir=str(folder)))
    out = run.output
    out.parent.mkdir(parents=True, exist_ok=True)
    with lock(out):
        out.mkdir(exist_ok=True)
        run.store(out)
        add_to_manifest(out, [RUN_FILE])
        notebook = notebook_source(EXPLORER)
        at = next(k for k, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))
        given = nbformat.v4.new_code_cell(f"run = {RUN_FILE!r}", metadata={"tags": ["injected-parameters"]})
        given.id = f"{EXPLORER}-injected-parameters"  # as the runner names it: same run, same bytes
        notebook.cells.insert(at + 1, given)
        nbformat.validate(notebook)
        path = refuse_links(out / f"{EXPLORER}.ipynb")
        with atomic_path(path) as tmp:
            nbformat.write(notebook, tmp)
        add_to_manifest(out, [path.name])
    return path


def open_in_lab(notebook: Path | str) -> int:
    """Open ``notebook`` in JupyterLab (this environment's), until the server is stopped; its exit status."""
    return subprocess.call([sys.executable, "-m", "jupyterlab", str(notebook)])
