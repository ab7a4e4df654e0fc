"""Denominators: an indicator divided by a per-region quantity (population, GDP …) so that regions of different
size compare (OECD/JRC Handbook 2008, Part 1 §2, data selection: scaling by size; COINr's ``Denominate``).

The figures come from a file the user supplies and cites: the scheme declares each denominator with its file,
column, unit and source, and names it on the indicators it divides. The package bundles no denominator figure.

.. code-block:: toml

    [denominators.population]
    file = "population_2022.csv"   # a `region` (any name of the study's regions) or `region_id` column, and `column`
    column = "population"          # default: the denominator's id
    unit = "10,000 persons"
    source = "国家统计局《中国统计年鉴2023》表2-7"

    [indicators.shop_count]
    denominator = "population"     # shops per 10,000 persons

A name of the file is resolved against the report's registry when it is read, and against the study's region set
(a county, a user registry's country) when a study uses it (:func:`for_regions`).
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.io import read_table
from livecommerce.data.regions import matches, region_set, resolve
from livecommerce.errors import DataError, RegionError

__all__ = ["Denominator", "KEYS", "denominate", "for_regions", "load_denominator"]

KEYS = {"file", "column", "unit", "source"}
"""The keys of a ``[denominators.<id>]`` table."""


@dataclass(frozen=True)
class Denominator:
    """A per-region quantity read from a cited file: positive values by region id (by the file's own name where
    the report's registry does not know it: :func:`for_regions` resolves it in a region set); ``lines`` gives the
    file line of each."""

    id: str
    values: pd.Series
    unit: str
    source: str
    path: str
    lines: dict = field(default_factory=dict, repr=False)


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
    values, where = {}, {}
    for line, name, text in zip(lines, frame[key], frame[column]):
        known = matches(name) if name.strip() else set()
        region = next(iter(known)) if len(known) == 1 else name.strip()
        if not region:
            raise DataError(f"{path}: line {line}: no region")
        value = pd.to_numeric(text.strip(), errors="coerce")
        if not (np.isfinite(value) and value > 0):
            raise DataError(
                f"{path}: line {line}, region {name!r}, column {column!r}: {text!r} is not a positive number"
            )
        if region in values:
            raise DataError(f"{path}: line {line}: region {name!r} ({region}) appears twice")
        values[region], where[region] = float(value), line
    return Denominator(
        id=id,
        values=pd.Series(values, name=id, dtype=float).rename_axis("region_id"),
        unit=str(spec.get("unit", "")),
        source=spec["source"].strip(),
        path=str(path.resolve()),
        lines=where,
    )


def for_regions(denominator: Denominator, regions) -> Denominator:
    """``denominator`` by the ids of the region set ``regions`` (a :class:`~livecommerce.data.regions.RegionSet` or
    its name): each of its file's regions resolved in the set, those of other sets left out (a region of the set
    that has no value is :func:`denominate`'s error); if none resolves, every line is named."""
    arguments.instance(denominator, "denominator", Denominator, "a Denominator (from a scheme's denominators)")
    chosen = region_set(regions)
    values, lines, problems = {}, {}, []
    for key, value in denominator.values.items():
        line = denominator.lines.get(key, "?")
        if key in chosen.ids:
            region = key
        else:
            try:
                region = resolve(key, chosen)
            except RegionError as exc:  # a region of another set (a file for every level), or a typo
                problems.append((line, str(exc)))
                continue
        if region in values:
            raise DataError(f"{denominator.path}: line {line}: region {key!r} ({region}) appears twice")
        values[region], lines[region] = value, line
    if problems and not values:
        raise DataError(f"{denominator.path}: " + "; ".join(f"line {line}: {message}" for line, message in problems))
    series = pd.Series(values, name=denominator.id, dtype=float).rename_axis("region_id")
    return replace(denominator, values=series, lines=lines)


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
