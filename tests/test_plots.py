"""Every figure, in both languages, at every level it applies to, with warnings as errors."""

import io
import warnings
from dataclasses import replace
from functools import partial

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.collections import PatchCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Wedge  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

from livecommerce import plots  # noqa: E402
from livecommerce.analysis.sensitivity import (
    sobol,
    sweeps,
    uncertainty,  # noqa: E402
)
from livecommerce.data import published as data  # noqa: E402
from livecommerce.data.regions import display_names  # noqa: E402
from livecommerce.errors import DataError, OutputError, ParameterError  # noqa: E402
from livecommerce.index import (
    model,
    recover,  # noqa: E402
)
from livecommerce.index.scheme import load_scheme  # noqa: E402
from livecommerce.plots.framework import framework_weights  # noqa: E402
from livecommerce.plots.maps import NO_DATA, _bundled, _thinned  # noqa: E402
from livecommerce.plots.market import MARKET_FACTS, USER_FACTS  # noqa: E402
from livecommerce.plots.save import _laid_out, png  # noqa: E402
from livecommerce.plots.sensitivity import weight_label  # noqa: E402
from livecommerce.words import measure  # noqa: E402

LEVELS = ("province", "city", "prefecture")
FIRST = {
    "zh": {"province": "广东", "city": "杭州", "prefecture": "成都"},
    "en": {"province": "Guangdong", "city": "Hangzhou", "prefecture": "Chengdu"},
}

PEOPLE_WEIGHTS = pd.Series({"activity": 0.17, "sales": 0.65, "influence": 0.18})  # 表4–6, recovered
CELL = 500.0  # metres: Sichuan's map keeps one point of a boundary per cell of about this size


@pytest.fixture(params=["zh", "en"])
def lang(request):
    plots.set_theme()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield request.param
        plt.close("all")


def drawn(ax):
    ax.figure.canvas.draw()  # renders every glyph: a missing one would warn, and warnings are errors here
    return ax


def ticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


@pytest.mark.parametrize("level", LEVELS)
def test_level_charts(lang, level):
    index = data.load_index(level)
    n = len(index)
    ax = drawn(plots.ranked(index, lang=lang))
    assert len(ax.patches) == n and ticks(ax)[0] == FIRST[lang][level] and ax.get_xlim() == (60, 100)
    ax = drawn(plots.contributions(index, PEOPLE_WEIGHTS, lang=lang))
    assert len(ax.patches) == 3 * n
    ax = drawn(plots.heatmap(index, lang=lang))
    assert ticks(ax)[0] == FIRST[lang][level]
    ax = drawn(plots.scatter(index, lang=lang))
    assert {t.get_text() for t in ax.texts} >= {FIRST[lang][level]} and len(ax.texts) == n
    ax = drawn(plots.slope(index, lang=lang))
    assert len(ax.lines) == 2 * n  # a slope and a leader line per region
    periods = [t.get_text() for t in drawn(plots.slope(index, lang=lang, editions=True)).get_xticklabels()]
    assert periods == {"zh": ["上一版", "本版"], "en": ["Previous edition", "This edition"]}[lang]
    ax = drawn(plots.correlation(index, lang=lang))
    assert len(ax.texts) == 7 * 7


def test_growth_is_a_province_chart(lang):
    ax = drawn(plots.growth(data.load_index("province"), lang=lang))
    assert len(ax.patches) == 31
    with pytest.raises(ParameterError, match="only 表1"):
        plots.growth(data.load_index("city"), lang=lang)


NEW = {"zh": ("四川", "新", "四川（新）"), "en": ("Sichuan", "new", "Sichuan (new)")}


def test_a_region_new_in_this_edition_is_drawn_as_new(lang):
    """四川 not in the previous edition (the README's 新; a previous --missing drop run): no rank change, no growth."""
    name, mark, label = NEW[lang]
    index = data.load_index("province").astype({"rank_change": "Int64"})
    index.loc["510000", ["rank_change", "yoy_growth"]] = pd.NA, np.nan
    ax = drawn(plots.ranked(index, lang=lang))
    marked = [t.get_position()[1] for t in ax.texts if t.get_text() == mark]
    assert marked == [len(index) - 1 - ticks(ax).index(name)]  # beside 四川's bar
    ax = drawn(plots.slope(index, lang=lang, editions=True))
    assert label in [t.get_text() for t in ax.texts] and np.isfinite(ax.get_ylim()).all()
    ax = drawn(plots.growth(index, lang=lang))
    printed = [t.get_text() for t in ax.texts]
    assert ticks(ax)[-1] == name and printed.count(mark) == 1 and not [t for t in printed if "nan" in t]


@pytest.mark.parametrize("level, n", [("province", 31), ("prefecture", 21)])
def test_maps(lang, level, n):
    ax = drawn(plots.choropleth(data.load_index(level)["overall"], level, lang=lang))
    filled = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_array() is not None]
    assert len(filled[0].get_paths()) == n
    assert FIRST[lang][level] in [t.get_text() for t in ax.texts]
    assert ax.get_legend() is None  # every region has data
    if level == "province":
        grey = [c for c in ax.collections if isinstance(c, PatchCollection) and c.get_array() is None]
        assert len(grey[0].get_paths()) == 3  # 台湾, 香港, 澳门, drawn and marked
        assert len(ax.child_axes) == 1  # the South China Sea inset


NO_DATA_LABEL = {"zh": "无数据", "en": "No data"}
LACKING = {
    "province": ["110000", "460000", "540000"],  # 北京 (inside 河北), 海南 (also in the inset), 西藏
    "prefecture": ["510100", "511100", "511300"],
}  # 成都, 乐山, 南充


@pytest.mark.parametrize("how", ["absent", "nan"])
@pytest.mark.parametrize("level", ["province", "prefecture"])
def test_maps_mark_regions_without_data(lang, level, how):
    values, lacking = data.load_index(level)["overall"], LACKING[level]
    values = values.drop(lacking) if how == "absent" else values.where(~values.index.isin(lacking))
    ax = drawn(plots.choropleth(values, level, lang=lang))
    filled = next(c for c in ax.collections if isinstance(c, PathCollection) and c.get_array() is not None)
    # a region's patch starts at the first point of its first ring: that point tells which region a face colours
    faces = {
        tuple(np.round(path.vertices[0], 3)): tuple(face)
        for path, face in zip(filled.get_paths(), filled.get_facecolors())
    }
    shapes = _bundled(data.load_index(level).index, None)[0]
    start = {region: tuple(np.round(shape.rings[0][0], 3)) for region, shape in shapes.items()}
    assert len(faces) == len(start)
    assert {region for region, point in start.items() if faces[point] == to_rgba(NO_DATA)} == set(lacking)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [NO_DATA_LABEL[lang]]
    assert FIRST[lang][level] in [t.get_text() for t in ax.texts]  # no-data regions keep their names


def test_a_map_with_regions_missing_saves_the_same_bytes(tmp_path):
    plots.set_theme()
    ax = plots.choropleth(data.load_index("province")["overall"].drop(["110000", "460000", "540000"]))
    first = plots.save(ax.figure, "map", tmp_path / "a", formats=("png",))[0]
    assert first.read_bytes() == plots.save(ax.figure, "map", tmp_path / "b", formats=("png",))[0].read_bytes()
    plt.close("all")


def test_map_refusals(lang):
    values = data.load_index("province")["overall"]
    with pytest.raises(ParameterError, match="510100 not a region of level 'province'"):
        plots.choropleth(values.rename({"440000": "510100"}), "province", lang=lang)
    with pytest.raises(ParameterError, match="several division levels"):
        plots.choropleth(values.rename({"440000": "510100"}), lang=lang)
    for bad in (np.inf, "n/a"):
        with pytest.raises(ParameterError, match=r"region 440000 is not a finite number"):
            plots.choropleth(values.astype(object).where(values.index != "440000", bad), lang=lang)
    for empty in (values.iloc[:0], values * np.nan):
        with pytest.raises(ParameterError, match="no score for any region"):
            plots.choropleth(empty, lang=lang)


def test_chapter_1_2_and_4_charts(lang):
    facts = data.load_facts()
    ax = drawn(plots.share_of_online_retail(facts, lang=lang))
    assert len(ax.patches) == 6 and sum(bool(p.get_hatch()) for p in ax.patches) == 1  # the 2025 projection
    ax = drawn(plots.fact_bars(facts, MARKET_FACTS, lang=lang))
    assert len(ax.patches) == len(MARKET_FACTS)
    # at the precision the report prints: 1.98 万亿元 is 19,800 亿元 (not 19,800.00), 2845.8 亿元 keeps its decimal
    assert {t.get_text().strip() for t in ax.texts} == {"34,879", "19,800", "22,000", "2,845.8", "432"}
    cited = plots.fact_sources(facts, MARKET_FACTS, lang)  # F35 cites 艾媒咨询; F11, F13 and F28 cite no source
    assert ("艾媒咨询" if lang == "zh" else "iiMedia Research") in cited
    assert ("一（二）1 直播电商用户规模持续增长" if lang == "zh" else "Ch. 1 (2) 1 Live-commerce users") in cited
    drawn(plots.fact_bars(facts, USER_FACTS, lang=lang))
    with pytest.raises(ParameterError, match="mix units"):
        plots.fact_bars(facts, ["F08", "F11"], lang=lang)
    with pytest.raises(ParameterError, match="single bar"):  # 图4 and 图5 of the 2023 rebuild were
        plots.fact_bars(facts, ["F35"], lang=lang)
    ax = drawn(plots.dual_centre(data.load_trends(), lang=lang))
    labels = {t.get_text() for t in ax.texts}
    assert (
        {"直播平台", "中介机构", "用户"} if lang == "zh" else {"Live platforms", "Intermediaries", "Users"}
    ) <= labels


def test_recovered_weights_and_top5(lang):
    fits = {level: recover.recover(level) for level in LEVELS}
    ax = drawn(plots.recovered_weights(fits, lang=lang))
    assert len(ax.containers) == 3
    fig = plots.top5({n: data.load_table(n) for n in (10, 11, 12)}, lang=lang)
    fig.canvas.draw()
    assert len(fig.axes) == 3
    title = " ".join(fig.axes[0].get_title(loc) for loc in ("left", "center"))  # 表10's category, in ``lang``
    cells = {cell.get_text().get_text() for ax in fig.axes for cell in ax.tables[0].get_celld().values()}
    # 竹叶青's main market, 浙江, by its name in ``lang``
    assert ("川茶" in title and "浙江" in cells) if lang == "zh" else ("Sichuan tea" in title and "Zhejiang" in cells)
    assert "竹叶青" in cells  # a brand is a proper name in both


@pytest.mark.parametrize("level", LEVELS)
def test_sensitivity_charts(lang, level):
    m = model.from_published(level)
    result = uncertainty.monte_carlo(m, n_draws=2000, seed=1)
    ax = drawn(plots.rank_intervals(result.summary(), lang=lang))
    assert len(ax.get_yticks()) == len(m.regions)
    ax = drawn(plots.outranking(result.outranking(), lang=lang))
    assert FIRST[lang][level] in [t.get_text() for t in ax.get_yticklabels()]
    table = sobol.index_sobol(m, n=2**6, n_resamples=10)
    ax = drawn(plots.sobol_bars(table, lang=lang))
    assert len(ax.patches) == 2 * len(m.weight_labels)
    table = sweeps.tornado(m)
    moving = table.loc[table["rank_range"] > 0].index.unique("region")[0]
    ax = drawn(plots.tornado(table, moving, lang=lang))
    assert len(ax.patches) == len(m.weight_labels) and ax.get_title(loc="left") == display_names([moving], lang)[0]
    assert all(float(t).is_integer() for t in ax.get_xticks())  # ranks: integer ticks
    table = sweeps.importance(m)
    ax = drawn(plots.importance(table, lang=lang))
    rows = table.sort_values("share", ascending=False, kind="stable")  # a row each, the largest share first
    assert [t.get_text() for t in ax.get_yticklabels()] == [weight_label(i, lang) for i in rows.index]
    lines, weights, shares = ax.collections  # the line joining a row's two markers, then each marker
    assert len(lines.get_segments()) == len(m.leaves)
    assert np.allclose(weights.get_offsets(), np.column_stack([rows["nominal_weight"], np.arange(len(rows))]))
    assert np.allclose(shares.get_offsets(), np.column_stack([rows["share"], np.arange(len(rows))]))


def test_save_gives_the_same_bytes_twice(tmp_path):
    plots.set_theme()
    ax = plots.ranked(data.load_index("city"))
    first = plots.save(ax.figure, "ranked", tmp_path / "a", formats=("png", "svg", "pdf"))
    second = plots.save(ax.figure, "ranked", tmp_path / "b", formats=("png", "svg", "pdf"))
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.suffix
    assert b"Date" not in first[1].read_bytes() and b"CreationDate" not in first[2].read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["ranked.pdf", "ranked.png", "ranked.svg"]
    with pytest.raises(ParameterError, match="formats"):
        plots.save(ax.figure, "x", tmp_path, formats=("gif",))
    with pytest.raises(ParameterError, match="plain file name"):
        plots.save(ax.figure, "../x", tmp_path)
    plt.close("all")


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda w: st.lists(st.binary(min_size=4 * w, max_size=4 * w), min_size=1, max_size=30).map(
            lambda rows: np.frombuffer(b"".join(rows), np.uint8).reshape(len(rows), w, 4)
        )
    ),
    st.sampled_from([72, 100, 300, 600]),
    st.booleans(),
)
def test_the_png_writer_gives_pillow_the_same_pixels_and_resolution(pixels, dpi, opaque):
    """The same pixels, RGB if every pixel is opaque (as a figure on its face), else RGBA."""
    if opaque:
        pixels = pixels.copy()
        pixels[..., 3] = 255
    written = png(pixels, dpi)
    with Image.open(io.BytesIO(written)) as read:
        assert read.mode == ("RGB" if (pixels[..., 3] == 255).all() else "RGBA") and read.format == "PNG"
        assert np.array_equal(np.asarray(read.convert("RGBA")), pixels)
        assert read.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    assert written == png(pixels.copy(), dpi)


def test_the_png_writer_refuses_what_is_not_rgba_bytes():
    for bad in (np.zeros((2, 3, 3), np.uint8), np.zeros((2, 3, 4), np.float64), np.zeros((2, 3), np.uint8)):
        with pytest.raises(ParameterError, match="8-bit RGBA"):
            png(bad)


def test_a_saved_png_is_what_the_figure_draws_and_prints_at_its_size(tmp_path):
    """The PNG holds the pixels savefig would write for the same box, at 300 dpi; a figure of no backend's canvas
    (a bare Figure) is saved as well, and keeps its own canvas."""
    plots.set_theme()
    ax = plots.ranked(data.load_index("city"))
    written = plots.save(ax.figure, "ranked", tmp_path, formats=("png",))[0]
    drawn = io.BytesIO()
    with matplotlib.rc_context({"figure.constrained_layout.use": False}):
        ax.figure.savefig(drawn, format="png", dpi=300, bbox_inches=_laid_out(ax.figure))  # held still: the same box
    with Image.open(written) as mine, Image.open(drawn) as theirs:
        assert mine.mode == "RGB"  # opaque: its white face everywhere behind it
        assert mine.size == theirs.size and np.array_equal(np.asarray(mine.convert("RGBA")), np.asarray(theirs))
        assert mine.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    bare = Figure(figsize=(3, 2))
    bare.add_subplot().plot([1, 2], [2, 1])
    canvas = bare.canvas
    with Image.open(plots.save(bare, "bare", tmp_path, formats=("png",))[0]) as saved:
        assert saved.size[0] > 800 and np.asarray(saved)[..., :3].min() < 128  # drawn at 300 dpi, lines and all
    assert bare.canvas is canvas
    plt.close("all")


def test_save_never_writes_through_a_symbolic_link(tmp_path):
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"my own figure")
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "ranked.png").symlink_to(mine)
    fig = plt.figure()
    with pytest.raises(OutputError, match=f"{tmp_path / 'figs' / 'ranked.png'} is a symbolic link"):
        plots.save(fig, "ranked", tmp_path / "figs")
    assert mine.read_bytes() == b"my own figure" and [p.name for p in (tmp_path / "figs").iterdir()] == ["ranked.png"]
    plt.close("all")


def test_the_font_is_noto_sans_cjk_sc_and_never_simhei():
    plots.set_theme()
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    assert "SimHei" not in {f.name for f in font_manager.fontManager.ttflist}
    with pytest.raises(ParameterError, match="lang='fr'"):
        plots.ranked(data.load_index("city"), lang="fr")


@given(st.text(alphabet="$\\^_{}ab5 ", min_size=1, max_size=12).filter(lambda s: s.strip()))
@settings(max_examples=30, deadline=None)
def test_a_users_text_prints_as_written_never_as_mathtext(written):
    """A scheme's or registry's label with dollar signs (cost $5 per $) prints its characters, as any text of a user's:
    matplotlib reads no mathtext in it, so it never drops the dollars, sets what is between them in italic, nor fails
    on an unbalanced brace."""
    plots.set_theme()
    t = pd.DataFrame({"nominal_weight": [0.5, 0.5], "share": [0.4, 0.6]}, index=["a", "b"])
    ax = plots.importance(t, labels={"a": written, "b": "b"})
    ax.figure.canvas.draw()
    label = next(t for t in ax.get_yticklabels() if t.get_text() == written)
    literal = Text(text=written, fontproperties=label.get_fontproperties(), parse_math=False)
    literal.set_figure(ax.figure)
    assert label.get_window_extent().width == pytest.approx(literal.get_window_extent().width)
    plt.close("all")


@pytest.mark.parametrize(
    "draw",
    [
        plots.ranked,
        plots.slope,
        plots.growth,
        plots.heatmap,
        plots.scatter,
        plots.correlation,
        partial(plots.contributions, weights=None),
    ],
)
def test_level_charts_name_a_bad_frame(draw):
    with pytest.raises(ParameterError, match="non-empty frame"):
        draw(data.load_index("city").iloc[:0])
    with pytest.raises(ParameterError, match="no column|yoy_growth"):
        draw(data.load_index("city").drop(columns=["overall", "people", "yoy_growth"], errors="ignore"))


def test_sensitivity_inputs_are_named_in_words():
    from livecommerce.plots.sensitivity import weight_label

    assert (
        weight_label("people/sales", "zh") == "人/主播带货力"
        and weight_label("overall/goods", "en") == "Development index/Goods"
    )
    assert weight_label("methods", "zh") == "权重方法" and weight_label("aggregations", "en") == "Aggregation"


@pytest.mark.parametrize("level", LEVELS)
def test_unit_profile(lang, level):
    from livecommerce import Study

    study = Study.build(level)
    region = study.frame().index[0]
    profile = study.profile(region)
    ax = drawn(plots.unit_profile(profile, lang=lang))
    assert len(ax.patches) == len(profile.nodes) and ax.get_title(loc="left").startswith(FIRST[lang][level])
    strength = to_rgba(plots.theme.PALETTE["up"])
    coloured = [ticks(ax)[k] for k, bar in enumerate(ax.patches) if bar.get_facecolor() == strength]
    assert len(coloured) == len(profile.strengths)
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(legend.overlaps(bar.get_window_extent(renderer)) for bar in ax.patches)  # the legend off the data
    with pytest.raises(ParameterError, match="profile"):
        plots.unit_profile(profile.nodes, lang=lang)


@pytest.mark.parametrize("method", model.WEIGHTING_CHOICES)
def test_every_weighting_method_has_a_name_in_both_languages(method):
    from livecommerce.vocab import LANGS
    from livecommerce.words import METHOD_NAMES

    assert set(METHOD_NAMES[method]) == set(LANGS) and all(METHOD_NAMES[method].values())
    line = plots.settings("monte_carlo", "zh", draws=100, seed=1, concentration=50, methods=[method])
    assert line.endswith(f"权重方法：{METHOD_NAMES[method]['zh']}）") and method not in line


def test_a_study_source_names_the_report_tables_only_for_the_published_numbers():
    from livecommerce import Study

    published = Study.build("city")
    assert plots.study_source(published, [2, 5], "zh") == plots.table_source([2, 5], "zh")
    what_if = published.reweight({"overall": {"people": 0.5, "goods": 0.25, "venue": 0.25}})
    assert what_if.as_printed("goods") and not what_if.as_printed("overall")
    assert plots.study_source(what_if, 8, "en") == plots.table_source(8, "en")  # 表8: 货, an input, as printed
    computed = plots.study_source(what_if, [2, 8], "en")
    assert computed == (
        "Computed for this report (data: the report's published sub-indices; "
        "scheme: the “Live-commerce development index (2023)” scheme)"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-3e6, 3e6), st.floats(-3e6, 3e6)).map(lambda p: (round(p[0]), round(p[1]))),
        min_size=3,
        max_size=60,
    )
)
def test_a_thinned_boundary_keeps_its_ends_and_one_point_a_cell(points):
    """What a map draws of a boundary: its first and last points, then only points in another cell than the
    point before; every point dropped lies in the cell of the last one kept (never more than a cell's diagonal
    away), and a ring too small to keep four points is kept whole."""
    ring = np.array([*points, points[0]], dtype=float)
    thinned = _thinned(ring, CELL)
    if len(thinned) == len(ring):
        return
    assert len(thinned) >= 4 and (thinned[0] == ring[0]).all() and (thinned[-1] == ring[-1]).all()
    cells = np.floor(thinned[:-1] / CELL)
    assert (np.diff(cells, axis=0) != 0).any(axis=1).all()
    kept = 0
    for point in ring[1:-1]:
        if kept + 1 < len(thinned) and (point == thinned[kept + 1]).all():
            kept += 1
        else:
            assert (np.floor(point / CELL) == np.floor(thinned[kept] / CELL)).all()


def test_a_surveyed_boundary_thins_to_about_one_point_a_cell():
    """A square of 20 km a side surveyed every 10 m (8,000 points) keeps about one point per 500 m: 160."""
    side = np.arange(0, 20_000, 10.0)
    ring = np.concatenate(
        [
            np.column_stack([side, np.zeros_like(side)]),
            np.column_stack([np.full_like(side, 20_000), side]),
            np.column_stack([20_000 - side, np.full_like(side, 20_000)]),
            np.column_stack([np.zeros_like(side), 20_000 - side]),
            [[0.0, 0.0]],
        ]
    )
    thinned = _thinned(ring, CELL)
    assert len(ring) == 8_001 and 155 <= len(thinned) <= 165 and (thinned[0] == thinned[-1]).all()


def _wedges(ax) -> list:
    return [p for p in ax.patches if isinstance(p, Wedge)]


def _span(wedge) -> float:
    return (wedge.theta2 - wedge.theta1) / 360


def test_framework_draws_every_node_and_indicator_at_its_effective_weight(lang, tmp_path):
    scheme = load_scheme()
    ax = drawn(plots.framework(scheme, lang=lang))
    plots.save(ax.figure, "framework", tmp_path, formats=("png", "svg"))  # laid out and saved without a warning
    wedges = _wedges(ax)
    assert len(wedges) == len(scheme.preorder()) - 1 == 3 + 3 + 17
    spans = dict(zip(scheme.preorder()[1:], map(_span, wedges)))
    assert spans["people"] == pytest.approx(0.533) and spans["activity"] == pytest.approx(0.533 * 0.17)
    assert spans["anchor_gmv"] == pytest.approx(0.533 * 0.65 / 2) and spans["shop_sales"] == pytest.approx(0.264 / 6)
    assert sum(spans[i] for i in scheme.indicators) == pytest.approx(1)
    assert wedges[0].theta2 == pytest.approx(90)  # clockwise from the top, the scheme's first pillar first
    printed = {t.get_text() for t in ax.texts}
    people, gmv = {"zh": ("人\n53.3%", "主播GMV 17.3%"), "en": ("People\n53.3%", "Anchor GMV 17.3%")}[lang]
    assert {people, gmv} <= printed
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.figure.bbox
    for t in ax.texts:  # no label leaves the figure
        box = t.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1


def test_framework_takes_a_study_s_weights_and_names_what_is_wrong():
    scheme = load_scheme()
    ax = plots.framework(scheme, {"overall": {"people": 1, "goods": 1, "venue": 2}}, lang="en")
    spans = dict(zip(scheme.preorder()[1:], map(_span, _wedges(ax))))
    assert spans["venue"] == pytest.approx(0.5) and spans["live_room_count"] == pytest.approx(0.5 / 3)
    plt.close("all")
    derived = replace(scheme, nodes={**scheme.nodes, "goods": replace(scheme.nodes["goods"], method="entropy")})
    with pytest.raises(ParameterError, match=r"node 'goods' takes its weights from the data \(entropy\)"):
        plots.framework(derived)
    with pytest.raises(ParameterError, match=r"weights\['people'\] must give each of activity, sales, influence"):
        plots.framework(scheme, {"people": {"activity": 1, "sales": 1}})
    with pytest.raises(ParameterError, match="'nowhere' is not a node"):
        plots.framework(scheme, {"nowhere": {"a": 1}})
    with pytest.raises(ParameterError, match="scheme"):
        plots.framework(scheme.nodes)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.01, 10), min_size=3, max_size=3), st.lists(st.floats(0.01, 10), min_size=6, max_size=6))
def test_effective_weights_of_the_framework_add_up_down_the_tree(top, goods):
    """Any weights: a node's effective weight is its children's sum, the indicators' sum to 1."""
    scheme = load_scheme()
    weights = {"overall": dict(zip(scheme.nodes["overall"].children, top))}
    weights["goods"] = dict(zip(scheme.nodes["goods"].children, goods))
    table = framework_weights(scheme, weights)
    assert table.loc[list(scheme.indicators), "effective"].sum() == pytest.approx(1)
    for node in scheme.nodes:
        if node != scheme.root:
            below = table.loc[table["parent"] == node, "effective"].sum()
            assert below == pytest.approx(table.at[node, "effective"])
    assert table.at["venue", "effective"] == pytest.approx(top[2] / sum(top))
    assert table.at["shop_sales", "effective"] == pytest.approx(top[1] / sum(top) * goods[0] / sum(goods))


@pytest.mark.parametrize("kind", plots.DISTRIBUTION_KINDS)
def test_distribution_one_row_per_column_the_focus_highlighted(lang, kind):
    columns = ["overall", "people", "goods", "venue"]
    index = data.load_index("province")[columns]
    focus = index.index[5]
    ax = drawn(plots.distribution(index, focus=focus, kind=kind, lang=lang))
    assert ticks(ax) == [measure(c, lang) for c in columns]
    bodies = ax.patches if kind == "box" else [c for c in ax.collections if not isinstance(c, PathCollection)]
    assert len(bodies) == len(columns)
    highlight = to_rgba(plots.theme.PALETTE["highlight"])
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    marked = [c for c in points if len(c.get_offsets()) and tuple(c.get_facecolor()[0]) == highlight]
    assert len(marked) == 1
    offsets = np.asarray(marked[0].get_offsets())
    assert offsets[:, 0].tolist() == index.loc[focus].tolist()  # the focus region's values, one a row, top first
    assert offsets[:, 1].tolist() == [3, 2, 1, 0]
    others = sum(len(c.get_offsets()) for c in points if c not in marked)
    assert others == len(columns) * (len(index) - 1)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == display_names([focus], lang)


def test_distribution_labels_indicators_by_the_scheme_and_names_bad_arguments():
    scheme = load_scheme()
    frame = pd.DataFrame({"anchor_gmv": [60.0, 80, 100], "shop_sales": [70.0, 90, 65]}, index=["a", "b", "c"])
    ax = plots.distribution(frame, labels=scheme.labels("en"), lang="en")
    assert ticks(ax) == ["Anchor GMV", "Shop sales"] and ax.get_legend() is None
    plt.close("all")
    with pytest.raises(ParameterError, match="no label for column.*'anchor_gmv', 'shop_sales'"):
        plots.distribution(frame)
    with pytest.raises(ParameterError, match="focus='z' is not a region"):
        plots.distribution(frame, scheme.labels("zh"), focus="z")
    with pytest.raises(ParameterError, match="kind"):
        plots.distribution(frame, scheme.labels("zh"), kind="bars")
    with pytest.raises(DataError, match="column 'shop_sales', region 'b'"):
        plots.distribution(frame.assign(shop_sales=[1.0, np.nan, 2]), scheme.labels("zh"))
