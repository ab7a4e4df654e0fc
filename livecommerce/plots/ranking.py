"""Chapter 3 charts of one level: ranked scores with rank changes, previous year against current, growth."""

import numpy as np
import pandas as pd

from .. import arguments
from ..errors import ParameterError
from ..ranking import previous_year
from ..vocab import MEASURES
from .theme import PALETTE, axes, check_lang, measure, names, source_line, text

SCALE = (60, 100)


def _report(ax, table: str, lang):
    return source_line(
        ax, [f"{text('report', lang)}，{table}" if lang == "zh" else f"{text('report', lang)}, {table}"], lang
    )


def ranked(index: pd.DataFrame, measure_name: str = "overall", lang: str | None = None, ax=None, table: str = ""):
    """Horizontal bars of one measure on the 60–100 axis, best at the top; printed rank changes as ▲/▼."""
    lang = check_lang(lang)
    arguments.choice(measure_name, "measure_name", MEASURES)
    arguments.frame(index, "index", [measure_name], min_rows=1)
    arguments.string(table, "table")
    ax = axes(ax, (6, 0.22 * len(index) + 1.2))
    ordered = index.sort_values(measure_name, ascending=False, kind="stable")
    y = np.arange(len(ordered))[::-1]
    ax.barh(
        y,
        ordered[measure_name] - SCALE[0],
        left=SCALE[0],
        color=PALETTE.get(measure_name, PALETTE["overall"]),
        height=0.7,
    )
    ax.set_yticks(y, names(ordered.index, lang))
    ax.set_xlim(*SCALE)
    ax.set_xlabel(measure(measure_name, lang))
    for yy, value in zip(y, ordered[measure_name]):
        ax.text(value + 0.3, yy, f"{value:.2f}", va="center", fontsize="x-small")
    if "rank_change" in ordered and measure_name == "overall":
        for yy, change in zip(y, ordered["rank_change"]):
            if change:
                ax.text(
                    1.01,
                    yy,
                    f"{'▲' if change > 0 else '▼'}{abs(int(change))}",
                    va="center",
                    ha="left",
                    transform=ax.get_yaxis_transform(),
                    fontsize="x-small",
                    color=PALETTE["up" if change > 0 else "down"],
                )
    ax.grid(axis="y", visible=False)
    return _report(ax, table, lang) if table else ax


def slope(index: pd.DataFrame, lang: str | None = None, ax=None, table: str = ""):
    """Previous year against now: derived index values where growth is printed (表1), else derived ranks."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["overall", "overall_rank", "rank_change"], min_rows=1)
    arguments.string(table, "table")
    ax = axes(ax, (5, 0.22 * len(index) + 1.2))
    prev = previous_year(index)
    by_value = "prev_overall" in prev
    before = prev["prev_overall"] if by_value else prev["prev_rank"]
    after = index["overall"] if by_value else index["overall_rank"]
    labels = names(index.index, lang)
    for b, a, label in zip(before, after, labels, strict=True):
        colour = (
            PALETTE["up"]
            if (a > b if by_value else a < b)
            else PALETTE["down"]
            if (a < b if by_value else a > b)
            else PALETTE["muted"]
        )
        ax.plot([0, 1], [b, a], color=colour, marker="o", markersize=3, linewidth=1)
        ax.text(1.04, a, label, va="center", fontsize="x-small")
    ax.set_xticks([0, 1], [text("previous", lang), text("current", lang)])
    ax.set_xlim(-0.1, 1.4)
    ax.set_ylabel(measure("overall", lang) if by_value else text("rank", lang))
    if not by_value:
        ax.invert_yaxis()
    return _report(ax, table, lang) if table else ax


def growth(index: pd.DataFrame, lang: str | None = None, ax=None, table: str = "表1"):
    """Year-on-year growth of the index (同比增长), sorted, with the median marked (provinces: 表1)."""
    lang = check_lang(lang)
    arguments.frame(index, "index", min_rows=1)
    if "yoy_growth" not in index:
        raise ParameterError("growth needs the yoy_growth column, which only 表1 (provinces) prints")
    arguments.string(table, "table")
    ax = axes(ax, (6, 0.22 * len(index) + 1.2))
    ordered = index.sort_values("yoy_growth", kind="stable")
    y = np.arange(len(ordered))
    ax.barh(y, 100 * ordered["yoy_growth"], color=PALETTE["overall"], height=0.7)
    median = 100 * ordered["yoy_growth"].median()
    ax.axvline(
        median, color=PALETTE["highlight"], linestyle="--", linewidth=1, label=f"{text('median', lang)} {median:.2f}%"
    )
    ax.set_yticks(y, names(ordered.index, lang))
    ax.set_xlabel(f"{text('growth', lang)} (%)")
    ax.legend(loc="lower right", fontsize="x-small")
    ax.grid(axis="y", visible=False)
    return _report(ax, table, lang)
