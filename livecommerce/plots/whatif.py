"""The what-if chart: a ranking under new choices, each region's rank change against the study's own weights; as a
matplotlib figure (:func:`what_if`) and as HTML bars the explorer redraws in milliseconds (:func:`what_if_html`)."""

import html

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.regions import display_names
from livecommerce.plots.theme import PALETTE, axes, small
from livecommerce.words import check_lang, text

__all__ = ["what_if", "what_if_html"]


def _shown(table: pd.DataFrame, top: int):
    """The ``top`` rows by new rank, their rank changes, bar colours and the score axis's left end."""
    arguments.frame(table, "table", ["score", "rank", "rank_change"], min_rows=1)
    arguments.integer(top, "top", 1)
    shown = table.sort_values(["rank", "score"], ascending=[True, False], kind="stable").head(top)
    change = shown["rank_change"].fillna(0).astype(int).to_numpy()
    colours = [PALETTE["up"] if c > 0 else PALETTE["down"] if c < 0 else PALETTE["muted"] for c in change]
    low, high = shown["score"].min(), shown["score"].max()
    return shown, change, colours, low - 0.1 * (high - low or 1)


def _label(score: float, change: int) -> str:
    return f"{score:.2f}" + (f"  {'▲' if change > 0 else '▼'}{abs(change)}" if change else "")


def what_if(table: pd.DataFrame, lang: str = "zh", ax=None, top: int = 40):
    """The ``top`` regions of a what-if (:func:`livecommerce.analysis.whatif.what_if`'s ``table``) by new score,
    coloured
    by their rank change (▲ up, ▼ down against the baseline), the change printed beside each bar."""
    lang = check_lang(lang)
    shown, change, colours, left = _shown(table, top)
    ax = axes(ax, 0.22 * len(shown) + 1.2)
    y = np.arange(len(shown))[::-1]
    high = shown["score"].max()
    ax.barh(y, shown["score"] - left, left=left, color=colours, height=0.7)
    ax.set_xlim(left, high + 0.12 * (high - left))
    for yy, score, c in zip(y, shown["score"], change):
        ax.text(score, yy, f" {_label(score, c)}", va="center", fontsize=small())
    ax.set_yticks(y, display_names(shown.index, lang))
    ax.set_xlabel(text("score", lang))
    ax.grid(axis="y", visible=False)
    return ax


def what_if_html(table: pd.DataFrame, lang: str = "zh", top: int = 40) -> str:
    """:func:`what_if` as an HTML table of bars (no image to render, so the explorer redraws it within
    milliseconds): region, a bar from the axis's left end to the new score, the score and the rank change."""
    lang = check_lang(lang)
    shown, change, colours, left = _shown(table, top)
    span = shown["score"].max() - left
    rows = [
        f"<tr><td style='text-align:right;padding-right:6px;white-space:nowrap'>{html.escape(str(name))}</td>"
        f"<td style='width:320px'><div style='width:{100 * (score - left) / span:.1f}%;height:12px;"
        f"background:{colour}'></div></td>"
        f"<td style='white-space:nowrap;padding-left:6px'>{html.escape(_label(score, c))}</td></tr>"
        for name, score, c, colour in zip(display_names(shown.index, lang), shown["score"], change, colours)
    ]
    head = f"<caption style='text-align:left'>{html.escape(text('score', lang))}</caption>"
    return f"<table style='border-collapse:collapse;font-size:12px'>{head}{''.join(rows)}</table>"
