"""Figures fit for print: no overprinted labels, Chinese-only text in Chinese figures, nothing below 8 pt at the
width of an A4 page's text (16 cm), a caption and 来源 beside every saved figure; and the label layout helpers."""

import json
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from livecommerce import Study, plots  # noqa: E402
from livecommerce.analysis import coherence  # noqa: E402
from livecommerce.analysis.sensitivity import (
    sobol,
    sweeps,
    uncertainty,  # noqa: E402
)
from livecommerce.analysis.whatif import what_if  # noqa: E402
from livecommerce.data import published as data
from livecommerce.data.paths import data_dir  # noqa: E402
from livecommerce.data.regions import region_set  # noqa: E402
from livecommerce.errors import ParameterError  # noqa: E402
from livecommerce.index import (
    model,
    recover,  # noqa: E402
)
from livecommerce.index.scheme import load_scheme  # noqa: E402
from livecommerce.plots.layout import spread  # noqa: E402
from livecommerce.plots.market import MARKET_FACTS, USER_FACTS  # noqa: E402
from livecommerce.plots.theme import PAD, TEXT_WIDTH, wrap  # noqa: E402
from livecommerce.publish.figures import FRAME_CM  # noqa: E402
from livecommerce.vocab import MEASURES  # noqa: E402
from livecommerce.words import period  # noqa: E402

LEVELS = ("province", "city", "prefecture")
PEOPLE_WEIGHTS = pd.Series({"activity": 0.17, "sales": 0.65, "influence": 0.18})
MIN_POINTS = 8.0

LATIN_ALLOWED = {"MCN", "CNNIC", "TOP", "Sobol", "CRITIC", "PCA", "GMV", "UV"}
"""Latin words a Chinese figure may print: proper nouns and names of methods (units and digits are not words)."""


def overlaps(texts, renderer) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts whose rendered boxes overlap (touching edges do not count)."""
    boxes = [
        (t.get_text(), t.get_window_extent(renderer).shrunk(0.98, 0.9))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]
    return [(a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1 :] if box.overlaps(other)]


def rendered(ax):
    fig = ax.figure
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_the_overlap_check_sees_overprinted_labels(zh):
    ax = plt.figure().add_subplot()
    texts = [ax.text(0.5, 0.5, "北京"), ax.text(0.51, 0.5, "天津"), ax.text(0.1, 0.1, "上海")]
    assert overlaps(texts, rendered(ax)) == [("北京", "天津")]


@pytest.mark.parametrize("level", ["province", "prefecture"])
def test_map_labels_never_overprint(zh, level):
    ax = plots.choropleth(data.load_index(level)["overall"], level)
    renderer = rendered(ax)
    assert len(ax.texts) >= {"province": 31, "prefecture": 21}[level]
    assert overlaps(ax.texts, renderer) == []
    inset = [c.get_window_extent(renderer) for c in ax.child_axes]  # the South China Sea
    for t in ax.texts:
        assert not any(t.get_window_extent(renderer).overlaps(box) for box in inset), t.get_text()


def sichuan_counties() -> pd.Series:
    """A score for each of Sichuan's 183 county-level divisions (made up: a map's layout does not depend on it)."""
    ids = region_set("county:510000").ids
    return pd.Series(np.linspace(60, 100, len(ids)), index=ids.to_numpy())


def test_a_county_map_draws_every_county_and_never_overprints(zh):
    ax = plots.choropleth(sichuan_counties())
    renderer = rendered(ax)
    assert len(next(c for c in ax.collections if c.get_array() is not None).get_paths()) == 183
    assert ax.texts and overlaps(ax.texts, renderer) == []


@pytest.mark.parametrize("level", LEVELS)
def test_slope_labels_never_overprint(zh, level):
    ax = plots.slope(data.load_index(level))
    names = [t for t in ax.texts if t.get_text()]
    assert len(names) == len(data.load_index(level))
    assert overlaps(names, rendered(ax)) == []


@pytest.mark.parametrize("level", LEVELS)
def test_profile_labels_are_horizontal_apart_and_two_decimal(zh, level):
    index = data.load_index(level)
    ax = plots.heatmap(index)
    renderer = rendered(ax)
    rows, columns = ax.get_yticklabels(), ax.get_xticklabels()
    assert len(rows) == len(index) and all(t.get_rotation() == 0 for t in [*rows, *columns])
    for group in (rows, columns, ax.texts):
        assert overlaps(group, renderer) == []
    # 大连 82.12 and 哈尔滨 82.07 no longer both print 82.1
    assert all(re.fullmatch(r"\d+\.\d\d", t.get_text()) for t in ax.texts)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-0.2, 0.6), min_size=31, max_size=31))
def test_growth_bars_and_labels_stay_in_the_chart_whatever_the_sign(growth):
    """A fall is drawn left of zero with its label left of the bar, a rise right of it; nothing leaves the axes,
    overprints a region name or crosses the median's line (a raw-data edition compared with the previous one has
    rises and falls)."""
    plots.set_theme()
    index = data.load_index("province").assign(yoy_growth=growth)
    ax = plots.growth(index)
    renderer = rendered(ax)
    frame = ax.get_window_extent(renderer)
    low, high = ax.get_xlim()
    assert low <= 100 * min(growth + [0]) and 100 * max(growth + [0]) <= high
    median = ax.transData.transform((100 * np.median(growth), 0))[0]
    for label in ax.texts[1:]:  # the first is the median's
        box = label.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, label.get_text()
        assert not box.x0 < median < box.x1, f"{label.get_text()} crosses the median's line"
    assert overlaps([*ax.get_yticklabels(), *ax.texts[1:]], renderer) == []
    plt.close(ax.figure)


def test_a_slope_chart_with_tied_values_spreads_its_labels(zh):
    index = data.load_index("city").copy()
    index["overall_rank"] = 1  # every city at the same rank: every label wants the same spot
    ax = plots.slope(index)
    assert overlaps([t for t in ax.texts if t.get_text()], rendered(ax)) == []


def _distribution(index: pd.DataFrame):
    return plots.distribution(index[list(MEASURES)], focus=index.index[0])


def test_framework_and_distribution_labels_never_overprint(zh):
    """The labels inside wedges apart (boxes); each indicator's radial label at least its lines' height from its
    neighbours' where they start (their boxes, tilted, would always meet)."""
    scheme = load_scheme()
    ax = plots.framework(scheme)
    renderer = rendered(ax)
    radial = [t for t in ax.texts if t.get_rotation_mode() == "anchor"]
    inside = [t for t in ax.texts if t not in radial]
    assert len(radial) == len(scheme.indicators) and len(inside) == 1 + 6 and overlaps(inside, renderer) == []
    centre = ax.transData.transform((0, 0))
    starts = []
    for t in radial:
        x, y = ax.transData.transform(t.get_position()) - centre  # pixels
        lines = t.get_text().count("\n") + 1
        height = lines * t.get_fontsize() * 1.2 * ax.figure.dpi / 72
        starts.append((np.arctan2(y, x) % (2 * np.pi), np.hypot(x, y), height))
    starts.sort()
    for (a1, r, h1), (a2, _, h2) in zip(starts, starts[1:] + [(starts[0][0] + 2 * np.pi, 0, starts[0][2])]):
        assert (a2 - a1) * r >= (h1 + h2) / 2, (a1, a2, r)
    ax = _distribution(data.load_index("province"))
    assert overlaps([*ax.get_yticklabels(), *ax.get_xticklabels()], rendered(ax)) == []


def _charts():
    """Every chart the package draws, in Chinese (the default), as (name, a function drawing its figure): those the
    notebooks publish, of the published data and of a raw panel (an edition's, with every indicator), the what-if."""
    facts = data.load_facts()
    raw = Study.build("province", data_dir() / "raw" / "synthetic_panel_province_2023.csv")
    raw_model = raw.model(model.WEIGHTING_CHOICES)  # every indicator's weight: the tallest sensitivity charts
    named = raw.scheme.labels("zh")  # as notebook 07 names the weights
    charts = [
        ("market", lambda: plots.fact_bars(facts, MARKET_FACTS).figure),
        ("users", lambda: plots.fact_bars(facts, USER_FACTS).figure),
        ("share", lambda: plots.share_of_online_retail(facts).figure),
        ("dual_centre", lambda: plots.dual_centre(data.load_trends()).figure),
        ("top5", lambda: plots.top5({n: data.load_table(n) for n in (10, 11, 12)})),
        ("recovered", lambda: plots.recovered_weights({lv: recover.recover(lv) for lv in LEVELS}).figure),
        ("growth", lambda: plots.growth(data.load_index("province")).figure),
        ("framework", lambda: plots.framework(load_scheme()).figure),
        ("raw unit profile", lambda: plots.unit_profile(raw.profile("510000")).figure),
        ("raw coherence", lambda: plots.coherence(coherence.coherence(raw)).figure),
        (
            "raw sobol",
            lambda: plots.sobol_bars(sobol.index_sobol(raw_model, n=2**6, n_resamples=10), labels=named).figure,
        ),
        ("raw tornado", lambda: plots.tornado(sweeps.tornado(raw_model, steps=5), "510000", labels=named).figure),
        ("raw importance", lambda: plots.importance(sweeps.importance(raw_model), labels=named).figure),
        (
            "what-if",
            lambda: (
                plots.what_if(
                    what_if(model.from_published("province", methods=("nominal", "equal")), method="equal").table
                ).figure
            ),
        ),
    ]
    for level in LEVELS:
        index = data.load_index(level)
        study = Study.build(level)
        m = model.from_published(level, methods=("nominal", "equal"))
        result = uncertainty.monte_carlo(m, uncertainty.Uncertainty(methods={"nominal": 0.5, "equal": 0.5}), 500, 1)
        table = sweeps.tornado(m, steps=5)
        charts += [
            (f"{level} ranked", lambda index=index: plots.ranked(index).figure),
            (f"{level} slope", lambda index=index: plots.slope(index).figure),
            (f"{level} contributions", lambda index=index: plots.contributions(index, PEOPLE_WEIGHTS).figure),
            (f"{level} heatmap", lambda index=index: plots.heatmap(index).figure),
            (f"{level} scatter", lambda index=index: plots.scatter(index).figure),
            (f"{level} correlation", lambda index=index: plots.correlation(index).figure),
            (f"{level} distribution", lambda index=index: _distribution(index).figure),
            (f"{level} unit profile", lambda s=study: plots.unit_profile(s.profile(s.frame().index[0])).figure),
            (f"{level} coherence", lambda s=study: plots.coherence(coherence.coherence(s)).figure),
            (f"{level} intervals", lambda result=result: plots.rank_intervals(result.summary()).figure),
            (f"{level} outranking", lambda result=result: plots.outranking(result.outranking()).figure),
            (f"{level} sobol", lambda m=m: plots.sobol_bars(sobol.index_sobol(m, n=2**6, n_resamples=10)).figure),
            (f"{level} tornado", lambda table=table, m=m: plots.tornado(table, m.regions[0]).figure),
            (f"{level} importance", lambda m=m: plots.importance(sweeps.importance(m)).figure),
        ]
        if level != "city":
            charts.append(
                (f"{level} map", lambda index=index, level=level: plots.choropleth(index["overall"], level).figure)
            )
    charts.append(("county map", lambda: plots.choropleth(sichuan_counties()).figure))
    return charts


@pytest.fixture(scope="module")
def printed() -> dict:
    """Every chart of :func:`_charts`, drawn once with every warning an error and laid out as saved: name → Figure
    (closed to pyplot, still measurable)."""
    plots.set_theme()
    figures = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, draw in _charts():
            fig = draw()
            plt.close(fig)
            FigureCanvasAgg(fig).draw()  # its own canvas again, which closing took
            figures[name] = fig
    return figures


def printed_scale(fig) -> float:
    """The scale the edition prints a figure at: its saved size fitted into an A4 page's text block (16 × 22 cm,
    :data:`livecommerce.publish.figures.FRAME_CM`), never enlarged."""
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = box.width + 2 * PAD, box.height + 2 * PAD  # inches, as saved
    return min(1.0, FRAME_CM[0] / 2.54 / width, FRAME_CM[1] / 2.54 / height)


def shown_texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.slow
def test_chinese_figures_print_no_latin_words_and_nothing_below_8_points_at_their_printed_size(printed):
    """Printed at the size the edition gives it (shrunk to the page's width or height if larger), no figure has
    text below 8 pt: a unit profile of a raw panel's 24 components included."""
    for name, fig in printed.items():
        scale = printed_scale(fig)
        for t in shown_texts(fig):
            latin = set(re.findall(r"[A-Za-z]{2,}", t.get_text())) - LATIN_ALLOWED
            assert not latin, f"{name}: {t.get_text()!r} prints {sorted(latin)}"
            size = t.get_fontsize() * scale
            assert size >= MIN_POINTS - 1e-6, f"{name}: {t.get_text()!r} prints at {size:.1f} pt"
        width = fig.get_tightbbox(fig.canvas.get_renderer()).width + 2 * PAD
        assert width <= TEXT_WIDTH + 1e-6, f"{name} is {width * 2.54:.1f} cm wide"


def bars(fig) -> list:
    """The bars of every axes of ``fig`` (rectangles with an area, not the axes' background)."""
    return [
        p
        for ax in fig.axes
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_visible() and p.get_width() and p.get_height()
    ]


@pytest.mark.slow
def test_no_legend_covers_a_bar(printed):
    renderer = None
    for name, fig in printed.items():
        renderer = fig.canvas.get_renderer()
        for legend in [ax.get_legend() for ax in fig.axes if ax.get_legend()] + fig.legends:
            box = legend.get_window_extent(renderer)
            covered = [p for p in bars(fig) if box.overlaps(p.get_window_extent(renderer))]
            assert not covered, f"{name}: the legend covers {len(covered)} bar(s)"
    assert renderer is not None


@pytest.mark.slow
def test_one_character_axis_titles_print_horizontally(printed):
    """A one-character axis title (人, 货, 场) reads across, not turned on its side."""
    titles = [
        (name, axis.label)
        for name, fig in printed.items()
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        if len(axis.label.get_text().strip()) == 1
    ]
    assert titles  # the scatter charts' 货 and 场
    assert [(name, t.get_text()) for name, t in titles if t.get_rotation() != 0] == []


def test_legends_stay_off_the_data(zh):
    for ax in (
        plots.contributions(data.load_index("city"), PEOPLE_WEIGHTS),
        plots.rank_intervals(uncertainty.monte_carlo(model.from_published("province"), n_draws=200, seed=1).summary()),
    ):
        renderer = rendered(ax)
        assert not ax.get_legend().get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))


def test_rank_axes_have_integer_ticks(zh):
    m = model.from_published("city")
    ax = plots.rank_intervals(uncertainty.monte_carlo(m, n_draws=200, seed=1).summary())
    rendered(ax)
    assert all(float(t).is_integer() for t in ax.get_xticks())
    ax = plots.slope(data.load_index("city"))
    rendered(ax)
    assert all(float(t).is_integer() for t in ax.get_yticks())


def test_a_rank_that_never_moves_gets_a_sentence_not_an_empty_chart(zh):
    m = model.from_published("city")
    table = sweeps.tornado(m)
    table["rank_best"] = table["rank_worst"] = table["nominal_rank"]
    table["rank_range"] = 0
    ax = plots.tornado(table, "510100")
    assert not ax.patches and not ax.axison
    assert [t.get_text() for t in ax.texts] == [
        "成都：任一权重在其范围内变动，排名均保持第" + str(int(table.loc["510100", "nominal_rank"].iloc[0])) + "名不变"
    ]
    ax = plots.tornado(table, "510100", scope="全国15个副省级城市")
    assert ax.texts[0].get_text().startswith("成都在全国15个副省级城市中：")


def test_dates_and_units_are_chinese_on_chinese_charts(zh):
    assert period("2023-01 to 2023-10") == "2023年1—10月"
    assert period("2023Q1-Q3") == "2023年前三季度" and period("2023H1") == "2023年上半年"
    assert period("2022-12 to 2023-06") == "2022年12月至2023年6月"
    assert period("2023-01 to 2023-10", "en") == "Jan–Oct 2023"
    with pytest.raises(ParameterError, match="period='last year'"):
        period("last year")
    ax = plots.share_of_online_retail(data.load_facts())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "2023年1—10月" in labels and not any(" to " in label for label in labels)


def test_save_writes_the_caption_and_source_for_the_edition(tmp_path, zh):
    ax = plots.ranked(data.load_index("city"))
    source = plots.table_source(2)
    paths = plots.save(
        ax.figure, "table02_ranked", tmp_path, caption=plots.caption("ranked", level="city"), source=source
    )
    assert [p.name for p in paths] == ["table02_ranked.png", "table02_ranked.svg", "table02_ranked.json"]
    sidecar = json.loads((tmp_path / "table02_ranked.json").read_text(encoding="utf-8"))
    assert sidecar == {
        "caption": "全国15个副省级城市直播电商发展指数",
        "source": "《中国直播电商行业发展趋势报告（2023）》表2",
    }
    texts = [t.get_text() for t in ax.figure.findobj(Text)]
    assert not any("来源" in t or "趋势报告" in t for t in texts)  # the edition prints the 来源 line, once
    with pytest.raises(ParameterError, match="caption and source"):
        plots.save(ax.figure, "x", tmp_path, caption="a caption")
    with pytest.raises(ParameterError, match="source is empty"):
        plots.save(ax.figure, "x", tmp_path, caption="a caption", source=" ")


def test_sources_name_each_table_and_fact_once(zh):
    assert plots.table_source([4, 7, 13]) == "《中国直播电商行业发展趋势报告（2023）》表4、表7、表13"
    assert plots.table_source(1, "en") == "China Live-Streaming E-commerce Development Trends Report 2023, table 1"
    facts = data.load_facts()
    text = plots.fact_sources(facts, MARKET_FACTS)
    assert text.count("中国直播电商行业发展趋势报告") == 1 and "艾媒咨询" in text
    assert plots.computed() == "本报告计算" and plots.computed("", "en") == "Computed for this report"


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=40), st.floats(0, 50))
def test_spread_keeps_order_and_gap_and_moves_only_what_it_must(targets, gap):
    targets = np.array(targets)
    placed = spread(targets, gap)
    order = np.argsort(targets, kind="stable")
    assert np.all(np.diff(placed[order]) >= gap - 1e-6 * (1 + gap))
    assert np.isclose(placed.mean(), targets.mean(), atol=1e-6 * (1 + np.abs(targets).max() + gap * len(targets)))
    if np.all(np.diff(targets[order]) >= gap):
        assert np.allclose(placed, targets)


@given(st.text(alphabet="直播电商发展指数，；（）CNNIC 2023年 abc", max_size=80), st.integers(4, 40))
@example(label="000） ）", width=4)  # found by hypothesis: two closing marks after a word that fills the line
def test_wrap_keeps_every_character_within_the_width(label, width):
    wrapped = wrap(label, width)
    assert re.sub(r"\s", "", wrapped) == re.sub(r"\s", "", label)
    for line in wrapped.split("\n"):
        body = re.sub(r"[，；）\s]+$", "", line)  # closing punctuation may end a full line rather than begin the next
        units = sum(2 if "\u4e00" <= c <= "\u9fff" or c in "，；（）" else 1 for c in body)
        assert units <= width or " " not in body and body.isascii()  # a Latin word is never split


@pytest.mark.parametrize("level", LEVELS)
def test_a_slope_chart_keys_its_colours(zh, level):
    """Each colour of a slope chart's lines (rank up, down, unchanged) is named in a key above the chart, clear of
    the chart and of every name."""
    ax = plots.slope(data.load_index(level))
    drawn = {to_hex(line.get_color()) for line in ax.get_lines() if line.get_marker() == "o" and len(line.get_xdata())}
    (legend,) = ax.figure.legends
    keyed = dict(zip((to_hex(h.get_color()) for h in legend.legend_handles), (t.get_text() for t in legend.texts)))
    assert set(keyed) == drawn and set(keyed.values()) <= {"排名上升", "排名下降", "排名不变"}
    renderer = rendered(ax)
    box = legend.get_window_extent(renderer)
    assert not box.overlaps(ax.get_window_extent(renderer))
    assert not [t.get_text() for t in ax.texts if box.overlaps(t.get_window_extent(renderer))]
