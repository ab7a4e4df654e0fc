"""Methodology and sensitivity charts: recovered weights, rank intervals, outranking, Sobol', tornado, importance.

The charts that name weights (``node/child``) take ``labels``, a scheme's id → label in the chart's language
(:meth:`livecommerce.index.scheme.Scheme.labels`), so that a raw panel's indicators print in words, not as ids."""

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from livecommerce import arguments
from livecommerce.analysis.sensitivity.sampling import CHOICES
from livecommerce.analysis.sensitivity.sweeps import fixed_rank
from livecommerce.data.regions import display_names
from livecommerce.errors import ParameterError
from livecommerce.index.recover import Recovery
from livecommerce.plots.theme import PALETTE, axes, legend_above, rank_ticks, rows_height, upright
from livecommerce.vocab import LEVELS
from livecommerce.words import LEVEL_LABELS, MEASURE_LABELS, check_lang, measure, text, word

__all__ = [
    "importance",
    "outranking",
    "rank_intervals",
    "recovered_weights",
    "sobol_bars",
    "tornado",
    "tornado_note",
    "weight_label",
]


def weight_label(label: str, lang: str = "zh", labels: Mapping | None = None) -> str:
    """``node/child`` (as in the sensitivity tables) in words: 人/主播活跃度, Overall/Goods …, each part
    from ``labels`` (a scheme's id → label in ``lang``, :meth:`livecommerce.index.scheme.Scheme.labels`) or else the
    measures' names; the switchable choices (:data:`livecommerce.analysis.sensitivity.sampling.CHOICES`) by name."""
    if arguments.string(label, "label") in CHOICES:
        return text(label, lang)
    given = {} if labels is None else arguments.mapping(labels, "labels")
    named = {**{k: word(MEASURE_LABELS, k, lang) for k in MEASURE_LABELS}, **given}
    return "/".join(named.get(p, p) for p in label.split("/"))


def recovered_weights(fits: dict, lang: str = "zh", ax=None):
    """Recovered weights with 95% intervals, one group per component, one marker per level (a Recovery each)."""
    lang = check_lang(lang)
    for level, fit in arguments.mapping(fits, "fits").items():
        arguments.choice(level, "fits", LEVELS)
        arguments.instance(fit, "fits", Recovery, "a recover.Recovery per level")
    if not len(fits):
        raise ParameterError("fits: give the recovered weights of one level or more")
    ax = axes(ax, 3.2)
    levels = list(fits)
    components = list(next(iter(fits.values())).weights.index)
    offsets = np.linspace(-0.2, 0.2, len(levels))
    for offset, level in zip(offsets, levels):
        fit = fits[level]
        x = np.arange(len(components)) + offset
        error = np.vstack([fit.weights - fit.conf_int["lower"], fit.conf_int["upper"] - fit.weights]).clip(0)
        ax.errorbar(x, fit.weights, yerr=error, fmt="o", capsize=3, label=word(LEVEL_LABELS, level, lang))
    ax.set_xticks(np.arange(len(components)), [measure(c, lang) for c in components])
    ax.set_ylabel(text("weight", lang))
    ax.set_ylim(0, 1)
    legend_above(ax)
    return ax


def rank_intervals(summary: pd.DataFrame, lang: str = "zh", ax=None):
    """Per region: the 5–95% rank interval, the median rank and the nominal and published ranks."""
    lang = check_lang(lang)
    arguments.frame(summary, "summary", ["nominal_rank", "mean_rank", "median_rank", "rank_p05", "rank_p95"])
    ax = axes(ax, rows_height(len(summary), extra=1.3))
    ordered = summary.sort_values(["nominal_rank", "mean_rank"], kind="stable")
    y = np.arange(len(ordered))
    ax.hlines(
        y, ordered["rank_p05"], ordered["rank_p95"], color=PALETTE["people"], linewidth=3, label=text("interval", lang)
    )
    ax.scatter(ordered["median_rank"], y, color="black", s=12, zorder=3, label=text("median_rank", lang))
    ax.scatter(
        ordered["nominal_rank"], y, marker="|", color=PALETTE["highlight"], s=80, zorder=3, label=text("nominal", lang)
    )
    if "published_rank" in ordered:
        ax.scatter(
            ordered["published_rank"],
            y,
            marker="x",
            color=PALETTE["goods"],
            s=20,
            zorder=3,
            label=text("published", lang),
        )
    ax.set_yticks(y, display_names(ordered.index, lang))
    ax.invert_yaxis()
    ax.set_xlabel(text("rank", lang))
    ax.set_xlim(0.5, len(ordered) + 0.5)
    ax.set_xticks(rank_ticks(len(ordered)))
    legend_above(ax, ncol=4)
    return ax


def outranking(probabilities: pd.DataFrame, lang: str = "zh", ax=None):
    """Heatmap of P(row region ranks above column region)."""
    lang = check_lang(lang)
    labels = display_names(arguments.frame(probabilities, "probabilities").index, lang)
    frame = pd.DataFrame(probabilities.to_numpy(), index=labels, columns=labels)
    ax = axes(ax, rows_height(len(frame), 0.17, 1.6))
    import seaborn as sns  # when drawn (plots.theme.set_theme says why)

    sns.heatmap(
        frame,
        ax=ax,
        cmap="RdBu_r",
        vmin=0,
        vmax=1,
        square=True,
        linewidths=0.2,
        cbar_kws={"label": text("probability", lang), "shrink": 0.6},
        xticklabels=True,
        yticklabels=True,
    )
    columns = upright(labels)
    ax.set_xticks(ax.get_xticks(), columns, rotation=0 if columns != labels else 90, va="top", linespacing=1.0)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(length=0)
    return ax


def sobol_bars(
    table: pd.DataFrame, output: str = "mean_abs_shift", lang: str = "zh", ax=None, labels: dict | None = None
):
    """First- and total-order Sobol' indices of one output, with their bootstrap intervals where computed."""
    lang = check_lang(lang)
    arguments.choice(output, "output", arguments.frame(table, "table", ["first", "total"]).index.unique("output"))
    rows = table.loc[output]
    ax = axes(ax, rows_height(len(rows), 0.26, 1.2))
    y = np.arange(len(rows))
    for shift, order, colour in ((-0.18, "first", PALETTE["people"]), (0.18, "total", PALETTE["goods"])):
        error = None
        if f"{order}_low" in rows:
            error = np.vstack([rows[order] - rows[f"{order}_low"], rows[f"{order}_high"] - rows[order]]).clip(0)
        ax.barh(
            y + shift,
            rows[order],
            height=0.35,
            xerr=error,
            color=colour,
            label=text(f"{order}_order", lang),
            error_kw={"elinewidth": 0.8, "capsize": 2},
        )
    ax.set_yticks(y, [weight_label(i, lang, labels) for i in rows.index])
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel(text("sobol", lang))
    legend_above(ax)
    return ax


def tornado(
    table: pd.DataFrame, region: str, lang: str = "zh", ax=None, labels: dict | None = None, scope: str | None = None
):
    """Rank range of one region as each weight moves (from :func:`livecommerce.analysis.sensitivity.sweeps.tornado`); a
    region whose rank never moves gets that sentence (:func:`tornado_note`, naming ``scope``) instead of empty
    bars."""
    lang = check_lang(lang)
    columns = ["rank_range", "rank_best", "rank_worst", "nominal_rank"]
    arguments.choice(region, "region", arguments.frame(table, "table", columns).index.unique("region"))
    rows = table.loc[region].sort_values("rank_range", kind="stable")
    if labels is not None:  # checked even where no bar is labelled
        arguments.mapping(labels, "labels")
    arguments.optional(arguments.string, scope, "scope")  # and the scope where no sentence names it
    note = tornado_note(table, region, lang, scope)
    if note:
        ax = axes(ax, 1.0)
        ax.set_axis_off()
        ax.text(0, 0.5, note, va="center", ha="left")
        return ax
    ax = axes(ax, rows_height(len(rows), 0.26, 1.2))
    y = np.arange(len(rows))
    ax.barh(
        y,
        rows["rank_worst"] - rows["rank_best"] + 0.2,
        left=rows["rank_best"] - 0.1,
        color=PALETTE["people"],
        height=0.6,
    )
    ax.axvline(rows["nominal_rank"].iloc[0], color=PALETTE["highlight"], linestyle="--", linewidth=1)
    ax.set_yticks(y, [weight_label(w, lang, labels) for w in rows.index])
    ax.set_xlabel(text("rank", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(display_names([region], lang)[0])
    return ax


def tornado_note(table: pd.DataFrame, region: str, lang: str = "zh", scope: str | None = None) -> str:
    """The sentence that stands for :func:`tornado`'s chart when no weight moves ``region``'s rank (the
    edition prints it instead of an empty chart), naming the regions it ranks among if ``scope`` gives them
    (全国15个副省级城市: 成都 has a rank among the cities and one among Sichuan's prefectures); empty if a weight
    moves it."""
    lang = check_lang(lang)
    among = "" if arguments.optional(arguments.string, scope, "scope") is None else text("among", lang, scope=scope)
    rank = fixed_rank(table, region)
    name = display_names([region], lang)[0]
    return "" if rank is None else text("no_change", lang, region=name, among=among, rank=rank)


def importance(table: pd.DataFrame, lang: str = "zh", ax=None, labels: dict | None = None):
    """Each component's share of main effects beside its nominal (effective) weight, a row each, the largest share
    first; where the two stand apart, the stated weight is not the effective one."""
    lang = check_lang(lang)
    rows = arguments.frame(table, "table", ["nominal_weight", "share"]).sort_values(
        "share", ascending=False, kind="stable"
    )
    ax = axes(ax, rows_height(len(rows), 0.26, 1.2))
    y = np.arange(len(rows))
    colour = PALETTE["people"]
    ax.hlines(y, rows["nominal_weight"], rows["share"], color=PALETTE["muted"], linewidth=1.5, zorder=2)
    ax.scatter(
        rows["nominal_weight"],
        y,
        s=30,
        facecolor="white",
        edgecolor=colour,
        label=text("nominal_weight", lang),
        zorder=3,
    )
    ax.scatter(rows["share"], y, s=30, color=colour, label=text("share", lang), zorder=3)
    ax.set_yticks(y, [weight_label(leaf, lang, labels) for leaf in rows.index])
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel(text("weight_and_share", lang))
    legend_above(ax)
    return ax
