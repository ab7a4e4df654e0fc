"""People, goods and venue of one level: weighted contributions, a profile heatmap and a labelled scatter."""

import numpy as np
import pandas as pd
import seaborn as sns
from adjustText import adjust_text

from .. import arguments
from ..vocab import MEASURES, PEOPLE_COMPONENTS
from .theme import PALETTE, SCORE_CMAP, axes, check_lang, measure, names, text


def contributions(index: pd.DataFrame, weights: pd.Series, lang: str | None = None, ax=None):
    """人 as stacked weight × score of its sub-indices, with ``weights`` by sub-index (a study's
    ``node_weights("people")``)."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["people", *PEOPLE_COMPONENTS], min_rows=1)
    weights = arguments.series(weights, "weights", PEOPLE_COMPONENTS)
    ax = axes(ax, (6, 0.22 * len(index) + 1.2))
    ordered = index.sort_values("people", ascending=False, kind="stable")
    y = np.arange(len(ordered))[::-1]
    left = np.zeros(len(ordered))
    for part in PEOPLE_COMPONENTS:
        width = weights[part] * ordered[part].to_numpy()
        ax.barh(
            y, width, left=left, color=PALETTE[part], height=0.7, label=f"{measure(part, lang)} × {weights[part]:.2f}"
        )
        left += width
    ax.scatter(ordered["people"], y, marker="|", color="black", s=60, zorder=3, label=measure("people", lang))
    ax.set_yticks(y, names(ordered.index, lang))
    ax.set_xlabel(text("contribution", lang))
    ax.legend(loc="lower right", fontsize="x-small", framealpha=0.9)
    ax.grid(axis="y", visible=False)
    return ax


def profile(index: pd.DataFrame, lang: str | None = None, ax=None):
    """Heatmap of every measure by region (rows in overall order), on the 60–100 scale."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["overall"], min_rows=1)
    columns = [c for c in MEASURES if c in index]
    frame = index.sort_values("overall", ascending=False, kind="stable")[columns]
    frame = pd.DataFrame(frame.to_numpy(), index=names(frame.index, lang), columns=[measure(c, lang) for c in columns])
    ax = axes(ax, (6.5, 0.25 * len(frame) + 1.5))
    sns.heatmap(
        frame,
        ax=ax,
        cmap=SCORE_CMAP,
        vmin=60,
        vmax=100,
        annot=True,
        fmt=".1f",
        annot_kws={"fontsize": 6},
        cbar_kws={"label": text("score", lang)},
        linewidths=0.3,
    )
    ax.tick_params(axis="x", rotation=30)
    return ax


def scatter(
    index: pd.DataFrame, x: str = "people", y: str = "goods", colour: str = "venue", lang: str | None = None, ax=None
):
    """One measure against another, coloured by a third, every region labelled without overlaps."""
    lang = check_lang(lang)
    for name, value in (("x", x), ("y", y), ("colour", colour)):
        arguments.choice(value, name, MEASURES)
    arguments.frame(index, "index", [x, y, colour], min_rows=1)
    ax = axes(ax, (6.5, 5.5))
    points = ax.scatter(
        index[x], index[y], c=index[colour], cmap=SCORE_CMAP, vmin=60, vmax=100, s=36, edgecolor="black", linewidth=0.4
    )
    ax.figure.colorbar(points, ax=ax, label=measure(colour, lang))
    labels = [
        ax.text(a, b, label, fontsize="x-small") for a, b, label in zip(index[x], index[y], names(index.index, lang))
    ]
    # a fixed number of iterations, not adjustText's default time limit, so the layout is reproducible
    adjust_text(labels, ax=ax, iter_lim=250, arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5})
    ax.set_xlabel(measure(x, lang))
    ax.set_ylabel(measure(y, lang))
    return ax


def correlation(index: pd.DataFrame, lang: str | None = None, ax=None):
    """Pearson correlations between the measures across regions."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["overall"], min_rows=1)
    columns = [c for c in MEASURES if c in index]
    corr = index[columns].corr()
    corr.index = corr.columns = [measure(c, lang) for c in columns]
    ax = axes(ax, (5.5, 4.5))
    sns.heatmap(
        corr,
        ax=ax,
        cmap="RdBu_r",
        vmin=-1,
        vmax=1,
        annot=True,
        fmt=".2f",
        annot_kws={"fontsize": 7},
        square=True,
        cbar_kws={"shrink": 0.7},
    )
    return ax
