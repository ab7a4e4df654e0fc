"""People, goods and venue of one level: weighted contributions, a heatmap of every measure and a labelled scatter."""

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.regions import display_names
from livecommerce.plots.layout import place
from livecommerce.plots.theme import PALETTE, SCORE_CMAP, axes, legend_above, rows_height, small, wrap, y_title
from livecommerce.vocab import MEASURES, PEOPLE_COMPONENTS, SCALE
from livecommerce.words import check_lang, measure, text

__all__ = ["contributions", "correlation", "heatmap", "scatter"]


def contributions(index: pd.DataFrame, weights: pd.Series, lang: str = "zh", ax=None):
    """人 as stacked weight × score of its sub-indices, with ``weights`` by sub-index (a study's
    ``node_weights("people")``)."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["people", *PEOPLE_COMPONENTS], min_rows=1)
    weights = arguments.series(weights, "weights", PEOPLE_COMPONENTS)
    ax = axes(ax, rows_height(len(index), extra=1.3))
    ordered = index.sort_values("people", ascending=False, kind="stable")
    y = np.arange(len(ordered))[::-1]
    left = np.zeros(len(ordered))
    for part in PEOPLE_COMPONENTS:
        width = weights[part] * ordered[part].to_numpy()
        ax.barh(
            y,
            width,
            left=left,
            color=PALETTE[part],
            height=0.7,
            label=text("weight_times", lang, measure=measure(part, lang), weight=weights[part]),
        )
        left += width
    ax.scatter(ordered["people"], y, marker="|", color="black", s=60, zorder=3, label=measure("people", lang))
    ax.set_yticks(y, display_names(ordered.index, lang))
    ax.set_ylim(-0.6, len(ordered) - 0.4)
    ax.set_xlabel(text("contribution", lang))
    legend_above(ax, ncol=4)
    ax.grid(axis="y", visible=False)
    return ax


def heatmap(index: pd.DataFrame, lang: str = "zh", ax=None):
    """Heatmap of every measure by region (rows in overall order), on the 60–100 scale."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["overall"], min_rows=1)
    columns = [c for c in MEASURES if c in index]
    frame = index.sort_values("overall", ascending=False, kind="stable")[columns]
    frame = pd.DataFrame(
        frame.to_numpy(), index=display_names(frame.index, lang), columns=[measure(c, lang) for c in columns]
    )
    ax = axes(ax, rows_height(len(frame), 0.24, 1.2))
    import seaborn as sns  # when drawn (plots.theme.set_theme says why)

    sns.heatmap(
        frame,
        ax=ax,
        cmap=SCORE_CMAP,
        vmin=SCALE[0],
        vmax=SCALE[1],
        annot=True,
        fmt=".2f",
        annot_kws={"fontsize": small()},
        cbar_kws={"label": text("score", lang), "shrink": 0.5},
        linewidths=0.3,
        xticklabels=True,
        yticklabels=True,
    )
    ax.set(xlabel="", ylabel="")
    ax.xaxis.tick_top()
    ax.set_xticks(ax.get_xticks(), [wrap(c, 12) for c in frame.columns], rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(length=0)
    return ax


def scatter(index: pd.DataFrame, x: str = "people", y: str = "goods", colour: str = "venue", lang: str = "zh", ax=None):
    """One measure against another, coloured by a third, every region labelled without overlaps."""
    lang = check_lang(lang)
    for name, value in (("x", x), ("y", y), ("colour", colour)):
        arguments.choice(value, name, MEASURES)
    arguments.frame(index, "index", [x, y, colour], min_rows=1)
    ax = axes(ax, 5.0)
    points = ax.scatter(
        index[x],
        index[y],
        c=index[colour],
        cmap=SCORE_CMAP,
        vmin=SCALE[0],
        vmax=SCALE[1],
        s=36,
        edgecolor="black",
        linewidth=0.4,
    )
    y_title(ax.figure.colorbar(points, ax=ax).ax, measure(colour, lang))
    ax.set_xlabel(measure(x, lang))
    y_title(ax, measure(y, lang))
    ax.margins(0.08)
    ax.autoscale_view()
    place(ax, list(zip(index[x], index[y])), display_names(index.index, lang), fontsize=small(), beside=4)
    return ax


def correlation(index: pd.DataFrame, lang: str = "zh", ax=None):
    """Pearson correlations between the measures across regions."""
    lang = check_lang(lang)
    arguments.frame(index, "index", ["overall"], min_rows=1)
    columns = [c for c in MEASURES if c in index]
    corr = index[columns].corr()
    corr.index = corr.columns = [measure(c, lang) for c in columns]
    ax = axes(ax, 4.6)
    import seaborn as sns  # when drawn (plots.theme.set_theme says why)

    sns.heatmap(
        corr,
        ax=ax,
        cmap="RdBu_r",
        vmin=-1,
        vmax=1,
        annot=True,
        fmt=".2f",
        annot_kws={"fontsize": small()},
        square=True,
        cbar_kws={"shrink": 0.7},
        xticklabels=True,
        yticklabels=True,
    )
    ax.set_xticks(ax.get_xticks(), [wrap(c, 12) for c in corr.columns], rotation=0)
    ax.tick_params(axis="y", rotation=0)
    return ax
