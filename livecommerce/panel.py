"""Raw panels: one row per region, one column per raw indicator of a scheme, in raw units.

A panel file is a CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it) or an XLSX
workbook (the sheet named for the level if there is one, else the first) with a ``region`` column (any
name the registry knows, or the six-digit code), an optional ``region_id`` column that, when filled,
must agree with it, and one column per indicator of the scheme. Lines (rows) starting with ``#`` above
the header are comments; blank lines are skipped.
``data/raw/README.md`` documents the columns; :func:`template` writes an empty panel.
"""

import os
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import schemas
from .errors import DataError, ParameterError, RegionError
from .io import read_table, write_rows
from .regions import check_level, regions, resolve
from .scheme import Scheme, load_scheme


def _scheme(scheme) -> Scheme:
    if isinstance(scheme, Scheme):
        return scheme
    if scheme is None or isinstance(scheme, (str, os.PathLike)):
        return load_scheme(scheme)
    raise ParameterError(f"scheme={scheme!r} is neither a Scheme nor the path of a scheme file")


MISSING = ("error", "drop", "median", "mean")
"""What to do with an empty cell: refuse the file (the default), drop the region, or impute the
indicator's median or mean over the other regions. The choice and what it did are kept in
``frame.attrs["missing"]``."""

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(cell: str) -> str:
    """Fold full-width digits and signs (NFKC), drop spaces and thousands separators (1,234,567)."""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return text.replace(",", "") if _GROUPED.match(text) else text


def load_panel(
    path: Path | str, scheme: Scheme | str | None = None, level: str = "province", missing: str = "error"
) -> pd.DataFrame:
    """A raw panel file as a frame of indicators indexed by ``region_id``, checked against the scheme.

    Numbers may use full-width digits and thousands separators; region names any form the registry
    knows. ``missing`` is one of :data:`MISSING`. ``frame.attrs["source"]`` records what was read (path,
    format, encoding, sheet; see :func:`livecommerce.io.read_table`), ``frame.attrs["missing"]`` the gaps.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    check_level(level)
    if not isinstance(missing, str) or missing not in MISSING:
        raise ParameterError(f"missing={missing!r} is not one of {', '.join(MISSING)}")
    scheme, path = _scheme(scheme), Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    frame, lines = read_table(path, sheet=level)
    source = frame.attrs["source"]
    numeric = [c for c in frame.columns if c not in ("region_id", "region")]
    frame[numeric] = frame[numeric].map(_number_text).replace("", float("nan"))
    if numeric and len(frame) and frame[numeric].isna().all().all():
        raise DataError(f"{path}: no indicator value is filled in (an empty template?): fill in the panel first")
    schema = schemas.panel_schema({id: i.valid for id, i in scheme.indicators.items()}, nullable=missing != "error")
    frame = schemas.validate(frame, schema, path, lines)
    ids = []
    for row, (line, name) in enumerate(zip(lines, frame["region"])):
        where = f"{path}: line {line} (row {row + 1})"
        try:
            region_id = resolve(name, level)
        except RegionError as exc:
            raise RegionError(f"{where}: {exc}") from None
        given = frame["region_id"].iat[row] if "region_id" in frame else ""
        if given and given != region_id:
            raise DataError(f"{where}: region_id {given!r} is not region {name!r} ({region_id})")
        ids.append(region_id)
    frame.index = pd.Index(ids, name="region_id")
    repeated = frame.index[frame.index.duplicated()]
    if len(repeated):
        raise DataError(f"{path}: region {repeated[0]} appears twice")
    frame = fill_missing(frame[list(scheme.indicators)].astype(float), missing, path)
    frame.attrs["source"] = source
    return frame


def fill_missing(frame: pd.DataFrame, missing: str, path: Path | str) -> pd.DataFrame:
    """``frame`` with its empty cells handled by the policy ``missing``, recorded in ``frame.attrs["missing"]``;
    ``path`` names the data in messages."""
    gaps = frame.isna()
    cells = [(region, column) for column in frame for region in frame.index[gaps[column]]]
    dropped = []
    if missing == "drop":
        dropped = list(frame.index[gaps.any(axis=1)])
        frame = frame.drop(index=dropped)
    elif missing in ("median", "mean"):
        empty = frame.columns[gaps.all()]
        if len(empty):
            raise DataError(f"{path}: column {empty[0]!r} is empty: nothing to impute its {missing} from")
        frame = frame.fillna(getattr(frame, missing)())
    if frame.empty:
        raise DataError(f"{path}: no region is left once those with an empty cell are dropped")
    frame.attrs["missing"] = {"policy": missing, "cells": cells, "dropped": dropped}
    return frame


def template(scheme: Scheme | str | None = None, level: str = "province") -> pd.DataFrame:
    """An empty panel for ``level``: every region of the registry, one blank column per indicator."""
    check_level(level)
    scheme = _scheme(scheme)
    registry = regions(level)
    frame = pd.DataFrame({"region_id": registry.index, "region": registry["name"].to_numpy()})
    for id in scheme.indicators:
        frame[id] = ""
    return frame


def template_rows(scheme: Scheme | str | None = None, level: str = "province") -> list[list]:
    """:func:`template` as rows of cells, below ``#`` rows aligned with its columns: each indicator's label (zh),
    unit and direction (1: higher is better, -1: lower is better), which :func:`load_panel` skips."""
    scheme = _scheme(scheme)
    frame = template(scheme, level)
    indicators = list(scheme.indicators.values())
    notes = [
        [f"# livecommerce raw panel of level {level} (scheme {scheme.name}): one row per region in raw units", ""],
        ["# 指标 (label)", "", *(i.label["zh"] for i in indicators)],
        ["# unit", "", *(i.unit for i in indicators)],
        ["# direction", "", *(i.direction for i in indicators)],
    ]
    notes[0] += [""] * len(indicators)
    return [*notes, list(frame.columns), *frame.to_numpy().tolist()]


def write_template(path: Path | str, scheme: Scheme | str | None = None, level: str = "province") -> Path:
    """Write the empty panel of ``level`` (:func:`template_rows`) as XLSX, on a sheet named for the level, if
    ``path`` ends in ``.xlsx``, else as CSV."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    return write_rows(path, {level: template_rows(scheme, level)})
