"""Write a regenerated table as CSV, XLSX and Markdown, each file atomically and byte for byte reproducibly."""

import re
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.io import atomic_path, csv_text, map_text, neutralise, reproducible_zip
from livecommerce.errors import ParameterError

__all__ = ["FORMATS", "markdown", "markdown_literal", "write_table"]

FORMATS = ("csv", "xlsx", "md")


def write_table(frame: pd.DataFrame, name: str, folder: Path | str, formats=FORMATS) -> list[Path]:
    """``folder/name.csv``, ``.xlsx`` and ``.md`` of ``frame`` (its index included); return the paths.

    Text that a spreadsheet would run as a formula is neutralised first (:func:`livecommerce.data.io.neutralise`);
    the Markdown shows every text literally (:func:`markdown`).
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"write_table needs a DataFrame, got {type(frame).__name__}")
    if not name or Path(name).name != name:
        raise ParameterError(f"name={name!r} must be a plain file name without folders")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ParameterError(f"formats: {unknown[0]!r} is not one of {', '.join(FORMATS)}")
    frame = neutralise(frame)
    paths = []
    for fmt in formats:
        path = Path(folder) / f"{name}.{fmt}"
        with atomic_path(path) as tmp:
            if fmt == "csv":
                tmp.write_text(csv_text(frame), encoding="utf-8", newline="")
            elif fmt == "xlsx":
                _write_xlsx(frame, tmp, name[:31])
            else:
                tmp.write_text(markdown(frame), encoding="utf-8")
        paths.append(path)
    return paths


_MARKDOWN_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: f"\\{c}" for c in "\\|[]*`"}})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EMPHASIS = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
"""An underscore that could open or close emphasis: not between two letters or digits (region_id stays as it is)."""


def markdown_literal(value):
    """Text as Markdown (a table cell, a heading, a paragraph) shows it literally: backslash, ``|``, brackets,
    ``*``, ``_`` (but inside a word), the backquote and a leading ``#`` backslash-escaped (no link, image,
    emphasis, code span or heading), HTML inert (``&lt;`` …), a line break as ``<br>`` (so a row stays one line);
    anything else as it is."""
    if not isinstance(value, str):
        return value
    text = _EMPHASIS.sub(r"\\_", _LINE_BREAK.sub("<br>", value.translate(_MARKDOWN_ESCAPES)))
    return "\\" + text if text.startswith("#") else text


def _flat(index: pd.Index) -> pd.Index:
    """A MultiIndex as the labels ``to_markdown`` shows, ``('a', 1)``; any other index as it is."""
    return pd.Index([str(label) for label in index]) if isinstance(index, pd.MultiIndex) else index


def markdown(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown (pipe) table whose text cannot add a column or a row, nor inject HTML."""
    arguments.frame(frame, "frame")
    flat = frame.set_axis(_flat(frame.index), axis=0).set_axis(_flat(frame.columns), axis=1)
    return map_text(flat, markdown_literal).to_markdown() + "\n"


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """An XLSX without the volatile parts (:func:`livecommerce.data.io.reproducible_zip`)."""
    frame.to_excel(path, sheet_name=sheet, engine="openpyxl")
    reproducible_zip(path)
