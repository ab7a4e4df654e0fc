"""Denominators: an indicator divided by a per-region quantity (population, GDP …) so that regions of different
size compare (OECD/JRC Handbook 2008, Part 1 §2, data selection: scaling by size; COINr's ``Denominate``).

The figures come from a file the user supplies and cites: the scheme declares each denominator with its file,
column, unit and source, and names it on the indicators it divides. The package bundles no denominator figure.

.. code-block:: toml

    [denominators.population]
    file = "population_2022.csv"   # a `region` (any name the registry knows) or `region_id` column, and `column`
    column = "population"          # default: the denominator's id
    unit = "10,000 persons"
    source = "国家统计局《中国统计年鉴2023》表2-7"

    [indicators.shop_count]
    denominator = "population"     # shops per 10,000 persons
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.io import read_table
from livecommerce.data.regions import resolve
from livecommerce.errors import DataError, RegionError

__all__ = ["Denominator", "KEYS", "denominate", "load_denominator"]

KEYS = {"file", "column", "unit", "source"}
"""The keys of a ``[denominators.<id>]`` table."""


@dataclass(frozen=True)
class Denominator:
    """A per-region quantity read from a cited file: positive values by region id."""

    id: str
    values: pd.Series
    unit: str
    source: str
    path: str


def load_denominator(id: str, spec: dict, folder: Path, where: str) -> Denominator:
    """The denominator ``id`` declared by ``spec`` (keys :data:`KEYS`), its file read against ``folder``;
    ``where`` names the scheme in errors (a :class:`DataError` naming file, line and region)."""
    unknown = set(spec) - KEYS
    if unknown:
        raise DataError(f"{where}: denominator {id!r}: unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(KEYS)})")
    for key in ("file", "source"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise DataError(
                f"{where}: denominator {id!r} needs `{key}`"
                + (", where its figures come from (no figure without a cited source)" if key == "source" else "")
            )
    path = Path(spec["file"]) if Path(spec["file"]).is_absolute() else folder / spec["file"]
    if not path.is_file():
        raise DataError(f"{where}: denominator {id!r}: file {path} not found")
    column = spec.get("column", id)
    frame, lines = read_table(path)
    key = "region_id" if "region_id" in frame else "region"
    if key not in frame or column not in frame:
        raise DataError(f"{path}: needs a `region` or `region_id` column and the column {column!r}")
    values = {}
    for line, name, text in zip(lines, frame[key], frame[column]):
        try:
            region = resolve(name)
        except RegionError as exc:
            raise DataError(f"{path}: line {line}: {exc}") from None
        value = pd.to_numeric(text.strip(), errors="coerce")
        if not (np.isfinite(value) and value > 0):
            raise DataError(
                f"{path}: line {line}, region {name!r}, column {column!r}: {text!r} is not a positive number"
            )
        if region in values:
            raise DataError(f"{path}: line {line}: region {name!r} ({region}) appears twice")
        values[region] = float(value)
    return Denominator(
        id=id,
        values=pd.Series(values, name=id).rename_axis("region_id"),
        unit=str(spec.get("unit", "")),
        source=spec["source"].strip(),
        path=str(path.resolve()),
    )


def denominate(frame: pd.DataFrame, per: dict[str, Denominator]) -> pd.DataFrame:
    """``frame`` with each column of ``per`` ({column: denominator}) divided by its denominator, region by region;
    a region of ``frame`` the denominator's file lacks is an error naming both."""
    out = arguments.frame(frame, "frame").copy()
    for column, denominator in arguments.mapping(per, "per").items():
        arguments.instance(denominator, "per", Denominator, "a Denominator per column (from a scheme's denominators)")
        lacking = out.index.difference(denominator.values.index)
        if len(lacking):
            raise DataError(
                f"indicator {column!r}: denominator {denominator.id!r} ({denominator.path}) has no value "
                f"for region {lacking[0]!r}"
            )
        out[column] = out[column] / denominator.values[out.index].to_numpy()
    return out
