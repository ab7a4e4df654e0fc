"""Raw panels: one row per region, one column per raw indicator of a scheme, in raw units.

A panel file is a UTF-8 CSV with a ``region`` column (any name the registry knows, or the
six-digit code), an optional ``region_id`` column that, when filled, must agree with it,
and one column per indicator of the scheme. Lines starting with ``#`` above the header are comments.
``data/raw/README.md`` documents the columns; :func:`template` writes an empty panel.
"""

from pathlib import Path

import pandas as pd

from . import schemas
from .errors import DataError
from .regions import check_level, regions, resolve
from .scheme import Scheme, load_scheme


def _scheme(scheme) -> Scheme:
    return scheme if isinstance(scheme, Scheme) else load_scheme(scheme)


def load_panel(path: Path | str, scheme: Scheme | str | None = None, level: str = "province") -> pd.DataFrame:
    """A raw panel file as a frame of indicators indexed by ``region_id``, checked against the scheme."""
    scheme, path = _scheme(scheme), Path(path)
    check_level(level)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    with path.open(encoding="utf-8") as handle:
        comments = next(n for n, line in enumerate([*handle, ""]) if not line.startswith("#"))
    text = {"region_id": str, "region": str}
    frame = pd.read_csv(path, skiprows=comments, dtype=text, keep_default_na=False, encoding="utf-8")
    numeric = [c for c in frame.columns if c not in text]
    frame[numeric] = frame[numeric].replace("", float("nan"))
    first_line = comments + 2
    schema = schemas.panel_schema({id: i.valid for id, i in scheme.indicators.items()})
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
    return frame[list(scheme.indicators)]


def template(scheme: Scheme | str | None = None, level: str = "province") -> pd.DataFrame:
    """An empty panel for ``level``: every region of the registry, one blank column per indicator."""
    scheme = _scheme(scheme)
    registry = regions(level)
    frame = pd.DataFrame({"region_id": registry.index, "region": registry["name"].to_numpy()})
    for id in scheme.indicators:
        frame[id] = ""
    return frame
