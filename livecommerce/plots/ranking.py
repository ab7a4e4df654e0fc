"""Chapter 3 charts of one level: ranked scores with rank changes, previous year against current, growth."""

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from livecommerce import arguments
from livecommerce.data.regions import display_names
from livecommerce.errors import ParameterError
from livecommerce.index.ranking import previous_year
from livecommerce.plots.layout import LEADER, spread
from livecommerce.plots.theme import PALETTE, axes, rank_ticks, rows_height, small
from livecommerce.vocab import MEASURES, SCALE
from livecommerce.words import check_lang, measure, text

__all__ = ["growth", "ranked", "slope"]


def ranked(index: pd.DataFrame, measure_name: str = "overall", lang: str = "zh", ax=None):
    """Horizontal bars of one measure on the 60–100 axis, best at the top; printed rank changes as ▲/▼, and 新 (new)
    for a region new in this edition (no rank change)."""
    lang = check_lang(lang)
    arguments.choice(measure_name, "measure_name", MEASURES)
    arguments.frame(index, "index", [measure_name], min_rows=1)
    ax = axes(ax, rows_height(len(index)))
    ordered = index.sort_values(measure_name, ascending=False, kind="stable")
    y = np.arange(len(ordered))[::-1]
    ax.barh(
        y,
        ordered[measure_name] - SCALE[0],
        left=SCALE[0],
        color=PALETTE.get(measure_name, PALETTE["overall"]),
        height=0.7,
    )
    ax.set_yticks(y, display_names(ordered.index, lang))
    ax.set_xlim(*SCALE)
    ax.set_ylim(-0.6, len(ordered) - 0.4)
    ax.set_xlabel(measure(measure_name, lang))
    for yy, value in zip(y, ordered[measure_name]):  # inside the bar where the bar nearly reaches 100
        inside = value > SCALE[1] - 3
        ax.text(
            value + (-0.3 if inside else 0.3),
            yy,
            f"{value:.2f}",
            va="center",
            ha="right" if inside else "left",
            color="white" if inside else "#222222",
            fontsize=small(),
        )
    if "rank_change" in ordered and measure_name == "overall":
        for yy, change in zip(y, ordered["rank_change"]):
            if pd.isna(change) or change:
                ax.text(
                    1.01,
                    yy,
                    text("new", lang) if pd.isna(change) else f"{'▲' if change > 0 else '▼'}{abs(int(change))}",
                    va="center",
                    ha="left",
                    transform=ax.get_yaxis_transform(),
                    fontsize=small(),
                    color=PALETTE[_moved(change)],
                )
    ax.grid(axis="y", visible=False)
    return ax


def slope(index: pd.DataFrame, lang: str = "zh", ax=None, editions: bool = False):
    """Previous year against now: derived index values where growth is printed (表1), else derived ranks, each line
    coloured by the printed rank change (green up, red down, grey unchanged); the region names at the right,
    spread so that none overprints another, with a leader line where one moved. ``editions``: the two columns
    are a previous edition and this one (上一版, 本版) rather than the 2023 report's periods. A region new in this
    edition (no rank change) is its current point only, named as new."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["overall", "overall_rank", "rank_change"], min_rows=1)
    ax = axes(ax, rows_height(len(index), 0.18, 1.2), width=4.5)
    prev = previous_year(index)
    by_value = "prev_overall" in prev
    before = (prev["prev_overall"] if by_value else prev["prev_rank"]).to_numpy(dtype=float)
    after = (index["overall"] if by_value else index["overall_rank"]).to_numpy(dtype=float)
    for b, a, change in zip(before, after, index["rank_change"], strict=True):
        ax.plot([0, 1], [b, a], color=PALETTE[_moved(change)], marker="o", markersize=3, linewidth=1)
    periods = ("previous_edition", "this_edition") if arguments.flag(editions, "editions") else ("previous", "current")
    ax.set_xticks([0, 1], [text(period, lang) for period in periods])
    ax.set_xlim(-0.1, 1.45)
    low, high = np.nanmin([*before, *after]), np.nanmax([*before, *after])
    margin = 0.03 * (high - low) + (0 if by_value else 0.5)
    ax.set_ylim(low - margin, high + margin)
    ax.set_ylabel(measure("overall", lang) if by_value else text("rank", lang))
    if not by_value:
        ax.invert_yaxis()
        ax.set_yticks(rank_ticks(len(index)))
    ax.grid(axis="x", visible=False)
    new = index["rank_change"].isna()
    labels = [
        text("new_region", lang, region=n) if is_new else n for n, is_new in zip(display_names(index.index, lang), new)
    ]
    _end_labels(ax, after, labels)
    moves = {_moved(change) for change in index["rank_change"]}  # the key: the colours drawn
    key = [
        Line2D([], [], color=PALETTE[colour], marker="o", markersize=3, linewidth=1, label=text(_KEY[colour], lang))
        for colour in ("up", "down", "muted")
        if colour in moves
    ]
    ax.figure.legend(handles=key, loc="outside upper center", ncol=3, frameon=False)  # above names that rise higher
    return ax


_KEY = {"up": "rank_up", "down": "rank_down", "muted": "rank_same"}
"""The catalogue's word for each colour of a slope chart's lines."""


def _moved(change) -> str:
    """The palette's colour of a rank change: up, down, or muted (unchanged, or a region new in this edition)."""
    return "muted" if pd.isna(change) or change == 0 else "up" if change > 0 else "down"


def _end_labels(ax, values, labels):
    """Labels right of x = 1, at their values where there is room, spread apart (leader lines) where not."""
    fig = ax.figure
    fig.draw_without_rendering()  # the spread is in display units: settle the layout first
    to_display = ax.transData
    heights = small() * fig.dpi / 72 * 1.25  # one line of text, with a little space
    targets = to_display.transform(np.column_stack([np.ones(len(values)), values]))[:, 1]
    placed = spread(targets, heights)
    x_text = 1.08
    for value, y_display, label in zip(values, placed, labels):
        y = to_display.inverted().transform((0, y_display))[1]
        ax.text(x_text, y, label, va="center", ha="left", fontsize=small())
        ax.plot([1.0, 1.02, x_text - 0.01], [value, y, y], clip_on=False, **LEADER)


_GAP = 2.0
"""Points between a bar's end and its value label."""


def _clear_of(ax, labels, values, line: float):
    """Move each value label that would cross the vertical line at ``line`` (data units) off it: inside its bar
    (white) where the bar is long enough, else just past the line."""
    fig = ax.figure
    fig.draw_without_rendering()  # the label widths and the axis scale, as laid out
    points = ax.get_window_extent().width / np.diff(ax.get_xlim())[0] * 72 / fig.dpi  # per data unit
    for label, value in zip(labels, values):
        side = 1.0 if value >= 0 else -1.0  # which way the label runs from the bar's end
        width = label.get_window_extent().width * 72 / fig.dpi + 2 * _GAP  # with a margin
        ahead = side * (line - value) * points  # points from the bar's end to the line, in the label's way
        if not 0 < ahead < width:
            continue
        if abs(value) * points >= width + _GAP:
            label.set(color="white", ha="right" if side > 0 else "left")
            label.set_position((-side * _GAP, 0))
        else:
            label.xy = (line, label.xy[1])


def growth(index: pd.DataFrame, lang: str = "zh", ax=None):
    """Year-on-year growth of the index (同比增长), sorted, with the median marked (provinces: 表1); a region new in
    this edition (no growth) comes last, marked 新 (new)."""
    lang = check_lang(lang)
    arguments.frame(index, "index", min_rows=1)
    if "yoy_growth" not in index:
        raise ParameterError("growth needs the yoy_growth column, which only 表1 (provinces) prints")
    ax = axes(ax, rows_height(len(index)))
    ordered = index.sort_values("yoy_growth", ascending=False, kind="stable")
    y = np.arange(len(ordered))[::-1]
    ax.barh(y, 100 * ordered["yoy_growth"], color=PALETTE["overall"], height=0.7)
    median = 100 * ordered["yoy_growth"].median()
    ax.axvline(median, color=PALETTE["highlight"], linestyle="--", linewidth=1)
    ax.text(
        median,
        1.0,
        f" {text('median_value', lang, value=median)}",
        transform=ax.get_xaxis_transform(),
        va="bottom",
        ha="left",
        fontsize=small(),
        color=PALETTE["highlight"],
    )
    values = 100 * ordered["yoy_growth"]
    labels = []
    for yy, value in zip(y, values):  # beside the bar's end, outside it: right of a rise, left of a fall
        new = pd.isna(value)
        value = 0.0 if new else value
        labels.append(
            ax.annotate(
                text("new", lang) if new else f"{value:.2f}%",
                (value, yy),
                xytext=(_GAP if value >= 0 else -_GAP, 0),
                textcoords="offset points",
                ha="left" if value >= 0 else "right",
                va="center",
                fontsize=small(),
            )
        )
    ax.set_yticks(y, display_names(ordered.index, lang))
    ax.set_ylim(-0.6, len(ordered) - 0.4)
    low, high = min(0.0, values.min()), max(0.0, values.max())
    room = 0.22 * (high - low or 1.0)  # for the labels beside the longest bars
    ax.set_xlim(low - (room if low < 0 else 0), high + room)
    if low < 0:
        ax.axvline(0, color=PALETTE["muted"], linewidth=0.8)
    ax.set_xlabel(text("growth", lang))
    ax.grid(axis="y", visible=False)
    _clear_of(ax, labels, values.fillna(0.0).to_numpy(), median)
    return ax
