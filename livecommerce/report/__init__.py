"""The report: one run from the command line or Python to the printed page — the run (its parameters checked, its
inputs read, its studies and writers), the runner of the chapter notebooks, output ownership and the notebook pages.

>>> from livecommerce import report
>>> report.run(report.Parameters(level="province", data="panel_2024.csv", output_dir="report-2024"))

Runs one after another keep their kernels, which load the notebooks' libraries once, not for every run:

>>> with report.Kernels(keep=True) as kernels:
...     for scheme in ("mine.toml", "equal.toml"):
...         report.run(report.Parameters(scheme=scheme, output_dir=f"report-{scheme[:-5]}"), kernels=kernels)

The runner loads papermill and jupytext, which take seconds: it is imported when first asked for, so that the
command line's other commands start at once.
"""

from importlib import import_module

__all__ = ["NOTEBOOKS", "PARAMETERS", "Kernels", "Parameters", "Run", "notebook_names", "notes", "run"]


def __getattr__(name: str):
    if name == "Kernels":  # the standard library only: kernels start before the runner loads
        return import_module("livecommerce.report.process").Kernels
    if name in __all__:
        return getattr(import_module("livecommerce.report.runner"), name)
    raise AttributeError(f"module 'livecommerce.report' has no attribute {name!r}")
