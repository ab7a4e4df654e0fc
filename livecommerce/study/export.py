"""A whole study in one workbook (COINr's ``export_to_excel``): every stage of the data, the scores, ranks, the
weights used and the log, one sheet each, no text able to run as a formula (:func:`livecommerce.data.io.defuse`)."""

import json
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.io import neutralise, write_office
from livecommerce.index.compose import indicator_scores, prepare
from livecommerce.study.study import Study

__all__ = ["SHEETS", "stages", "write_workbook"]

SHEETS = ("raw", "inputs", "prepared", "normalised", "scores", "ranks", "weights", "log")
"""The workbook's sheets in order; a study of the published data has no raw, prepared or normalised stage."""


def _log(study: Study) -> pd.DataFrame:
    """The log as rows: each step and each of its entries, the value as JSON text."""
    rows = [
        (k, entry["step"], key, json.dumps(value, ensure_ascii=False, default=str))
        for k, entry in enumerate(study.log, 1)
        for key, value in entry.items()
        if key != "step"
    ]
    return pd.DataFrame(rows, columns=["entry", "step", "key", "value"]).set_index("entry")


def stages(study: Study) -> dict[str, pd.DataFrame]:
    """The frames of :data:`SHEETS` that ``study`` has, by name: the panel as read (``raw``), its empty cells
    handled (``inputs``), divided, transformed and treated (``prepared``), normalised, then every node's score, ranks,
    the weights used and the log."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    out = {}
    if study.raw is not None:
        out["raw"] = study.raw
    out["inputs"] = study.inputs
    if study.raw is not None:
        out["prepared"] = prepare(study.inputs, study.scheme)[0]
        out["normalised"] = indicator_scores(study.inputs, study.scheme)
    out |= {"scores": study.scores, "ranks": study.ranks(), "weights": study.weights.set_index(["node", "child"])}
    out["log"] = _log(study)
    return out


def write_workbook(study: Study, path: Path | str) -> Path:
    """``study`` as one XLSX at ``path`` (atomically, the same bytes for the same study): a sheet per stage
    (:func:`stages`), its index included."""
    frames = {name: neutralise(frame) for name, frame in stages(study).items()}

    def save(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name)

    return write_office(arguments.path(path, "path"), save)
