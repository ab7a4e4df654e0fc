"""Raw panels: one row per region, one column per raw indicator of a scheme, in raw units.

A panel file is a UTF-8 CSV with a ``region`` column (any name the registry knows, or the
six-digit code), an optional ``region_id`` column that, when filled, must agree with it,
and one column per indicator of the scheme. Lines starting with ``#`` above the header are comments.
``data/raw/README.md`` documents the columns; :func:`template` writes an empty panel.
"""

import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import schemas
from .errors import DataError, ParameterError
from .io import read_csv
from .regions import check_level, regions, resolve
from .scheme import Scheme, load_scheme


def _scheme(scheme) -> Scheme:
    return scheme if isinstance(scheme, Scheme) else load_scheme(scheme)


MISSING = ("error", "drop", "median", "mean")
"""What to do with an empty cell: refuse the file (the default), drop the region, or impute the
indicator's median or mean over the other regions. The choice and what it did are kept in
``frame.attrs["missing"]``."""

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(cell: str) -> str:
    """Fold full-width digits and signs (NFKC), drop spaces and thousands separators (1,234,567)."""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return text.replace(",", "") if _GROUPED.match(text) else text


def load_panel(path: Path | str, scheme: Scheme | str | None = None, level: str = "province",
               missing: str = "error") -> pd.DataFrame:
    """A raw panel file as a frame of indicators indexed by ``region_id``, checked against the scheme.

    Numbers may use full-width digits and thousands separators; region names any form the registry
    knows. ``missing`` is one of :data:`MISSING`.
    """
    scheme, path = _scheme(scheme), Path(path)
    check_level(level)
    if missing not in MISSING:
        raise ParameterError(f"missing={missing!r} is not one of {', '.join(MISSING)}")
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    comments = next(n for n, line in enumerate([*path.read_bytes().splitlines(), b""]) if not line.startswith(b"#"))
    text = {"region_id": str, "region": str}
    frame = read_csv(path, skiprows=comments, dtype=str, keep_default_na=False)
    numeric = [c for c in frame.columns if c not in text]
    frame[numeric] = frame[numeric].map(_number_text).replace("", float("nan"))
    first_line = comments + 2
    schema = schemas.panel_schema({id: i.valid for id, i in scheme.indicators.items()}, nullable=missing != "error")
    frame = schemas.validate(frame, schema, path, first_line)
    ids = []
    for row, name in enumerate(frame["region"]):
        region_id = resolve(name, level)
        given = frame["region_id"].iat[row] if "region_id" in frame else ""
        if given and given != region_id:
            raise DataError(f"{path}: line {row + first_line} (row {row + 1}): region_id {given!r} "
                            f"is not region {name!r} ({region_id})")
        ids.append(region_id)
    frame.index = pd.Index(ids, name="region_id")
    repeated = frame.index[frame.index.duplicated()]
    if len(repeated):
        raise DataError(f"{path}: region {repeated[0]} appears twice")
    return _fill(frame[list(scheme.indicators)].astype(float), missing, path)


def _fill(frame: pd.DataFrame, missing: str, path: Path) -> pd.DataFrame:
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
    scheme = _scheme(scheme)
    registry = regions(level)
    frame = pd.DataFrame({"region_id": registry.index, "region": registry["name"].to_numpy()})
    for id in scheme.indicators:
        frame[id] = ""
    return frame
