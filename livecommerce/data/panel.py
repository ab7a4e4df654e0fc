"""Raw panels: one row per region, one column per raw indicator of a scheme, in raw units.

A panel file is a CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it) or an XLSX
workbook (the sheet named for the level if there is one, else the first) with a ``region`` column (any
name the registry knows, or the six-digit code), an optional ``region_id`` column that, when filled,
must agree with it (and tells apart regions of one name: 市中区 of 内江 and of 乐山), and one column per indicator
of the scheme. Lines (rows) starting with ``#`` above
the header are comments; blank lines are skipped.
``data/raw/README.md`` documents the columns; :func:`template` writes an empty panel.
"""

import os
import re
import unicodedata
from functools import cache, partial
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data import schemas
from livecommerce.data.io import read_table, write_rows
from livecommerce.data.regions import RegionSet, normalise_name, region_set, resolve
from livecommerce.errors import DataError, ParameterError, RegionError

__all__ = ["SCHEME", "check_scheme", "load_panel", "template", "template_rows", "write_template"]

SCHEME = "a Scheme (livecommerce.index.scheme.load_scheme)"
"""What a panel function's ``scheme`` is: the scheme object itself, read by the caller (a panel knows no files of
the index)."""


def check_scheme(scheme, name: str = "scheme"):
    """``scheme`` if it is a scheme object (it has indicators and nodes), else a :class:`ParameterError`."""
    return arguments.having(scheme, name, ("indicators", "nodes"), SCHEME)


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(cell: str) -> str:
    """Fold full-width digits and signs (NFKC), drop spaces and thousands separators (1,234,567)."""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return text.replace(",", "") if _GROUPED.match(text) else text


def load_panel(path: Path | str, scheme, level="province", empty: bool = False, registry=None) -> pd.DataFrame:
    """A raw panel file as a frame of indicators indexed by ``region_id``, checked against ``scheme`` (a Scheme).

    Its regions are those of the region set ``level`` (:func:`livecommerce.data.regions.region_set`: a named set,
    ``county:510000``, a :class:`~livecommerce.data.regions.RegionSet`; with ``registry``, a user registry's).
    Numbers may use full-width digits and thousands separators; region names any form the registry knows. An empty
    cell is an error unless ``empty`` (it is then NaN: :func:`livecommerce.index.impute.fill_missing` screens and
    imputes). ``frame.attrs["source"]`` records what was read (path, format, encoding, sheet; see
    :func:`livecommerce.data.io.read_table`).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    check_scheme(scheme)
    chosen = region_set(level, registry)
    arguments.flag(empty, "empty")
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    region = cache(partial(_region, chosen=chosen))
    frame, lines = read_table(
        path, sheet=chosen.sheet, unique=lambda row: region(row.get("region"), row.get("region_id"))
    )
    source = frame.attrs["source"]
    numeric = [c for c in frame.columns if c not in ("region_id", "region")]
    frame[numeric] = frame[numeric].map(_number_text).replace("", float("nan"))
    if numeric and len(frame) and frame[numeric].isna().all().all():
        raise DataError(f"{path}: no indicator value is filled in (an empty template?): fill in the panel first")
    valid = {id: i.valid for id, i in scheme.indicators.items()}
    schema = schemas.panel_schema(valid, nullable=empty, codes=chosen.registry == "national")
    frame = schemas.validate(frame, schema, path, lines)
    ids = []
    for row, (line, name) in enumerate(zip(lines, frame["region"])):
        where = f"{path}: line {line} (row {row + 1})"
        given = frame["region_id"].iat[row] if "region_id" in frame else ""
        if given in chosen.names.get(normalise_name(name), ()):  # its id tells regions of one name apart (市中区)
            ids.append(given)
            continue
        try:
            region_id = resolve(name, chosen)
        except RegionError as exc:
            raise RegionError(f"{where}: {exc}") from None
        if given and given != region_id:
            raise DataError(f"{where}: region_id {given!r} is not region {name!r} ({region_id})")
        ids.append(region_id)
    frame.index = pd.Index(ids, name="region_id")  # each once: read_table checked
    frame = frame[list(scheme.indicators)].astype(float)
    if len(frame) == 1:
        raise DataError(f"{path}: one region ({frame.index[0]}): the index compares regions, give two or more")
    frame.attrs["source"] = source
    return frame


def _region(name: str | None, given: str | None, chosen: RegionSet) -> str | None:
    """A panel row's region (``region 510000 (四川)``) whatever name it gives; None if the name is unknown or the
    row's ``region_id`` (``given``) is another region's (an error :func:`load_panel` names)."""
    ids = chosen.names.get(normalise_name(name), set()) if name is not None else set()
    if len(ids) != 1 or given not in (None, "", *ids):
        return None
    region_id = next(iter(ids))
    return f"region {region_id} ({chosen.regions.at[region_id, 'name']})"


def template(scheme, level="province", registry=None) -> pd.DataFrame:
    """An empty panel for the region set ``level`` (with ``registry``, a user registry's): every region of the set,
    one blank column per indicator of ``scheme``."""
    check_scheme(scheme)
    registry = region_set(level, registry).regions
    frame = pd.DataFrame({"region_id": registry.index, "region": registry["name"].to_numpy()})
    for id in scheme.indicators:
        frame[id] = ""
    return frame


def template_rows(scheme, level="province", registry=None) -> list[list]:
    """:func:`template` as rows of cells, below ``#`` rows aligned with its columns: each indicator's label (zh),
    unit and direction (1: higher is better, -1: lower is better), which :func:`load_panel` skips."""
    level = region_set(level, registry)
    frame = template(scheme, level)
    indicators = list(scheme.indicators.values())
    notes = [
        [
            f"# livecommerce raw panel of level {level.level} (scheme {scheme.name}): one row per region in raw units",
            "",
        ],
        ["# 指标 (label)", "", *(i.label["zh"] for i in indicators)],
        ["# unit", "", *(i.unit for i in indicators)],
        ["# direction", "", *(i.direction for i in indicators)],
    ]
    notes[0] += [""] * len(indicators)
    return [*notes, list(frame.columns), *frame.to_numpy().tolist()]


def write_template(path: Path | str, scheme, level="province", registry=None) -> Path:
    """Write the empty panel of the region set ``level`` (:func:`template_rows`) as XLSX, on a sheet named for the
    level, if ``path`` ends in ``.xlsx``, else as CSV."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    level = region_set(level, registry)
    return write_rows(path, {level.sheet: template_rows(scheme, level)})
