"""The what-if chart: a ranking under new choices, each region's rank change against the study's own weights."""

import numpy as np
import pandas as pd

from .. import arguments
from .theme import PALETTE, axes, check_lang, names, text


def what_if(table: pd.DataFrame, lang: str | None = None, ax=None, top: int = 40):
    """The ``top`` regions of a what-if (:func:`livecommerce.explore.what_if`'s ``table``) by new score, coloured
    by their rank change (▲ up, ▼ down against the baseline), the change printed beside each bar."""
    lang = check_lang(lang)
    arguments.frame(table, "table", ["score", "rank", "rank_change"], min_rows=1)
    arguments.integer(top, "top", 1)
    shown = table.sort_values(["rank", "score"], ascending=[True, False], kind="stable").head(top)
    ax = axes(ax, (6, 0.22 * len(shown) + 1.2))
    y = np.arange(len(shown))[::-1]
    change = shown["rank_change"].fillna(0).astype(int).to_numpy()
    colours = [PALETTE["up"] if c > 0 else PALETTE["down"] if c < 0 else PALETTE["muted"] for c in change]
    low, high = shown["score"].min(), shown["score"].max()
    left = low - 0.1 * (high - low or 1)
    ax.barh(y, shown["score"] - left, left=left, color=colours, height=0.7)
    ax.set_xlim(left, high + 0.12 * (high - left))
    for yy, score, c in zip(y, shown["score"], change):
        mark = f"  {'▲' if c > 0 else '▼'}{abs(c)}" if c else ""
        ax.text(score, yy, f" {score:.2f}{mark}", va="center", fontsize="x-small")
    ax.set_yticks(y, names(shown.index, lang))
    ax.set_xlabel(text("score", lang))
    ax.grid(axis="y", visible=False)
    return ax
