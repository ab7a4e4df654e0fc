"""Coherence chart: how each component correlates with its parent, node by node, with the node's Cronbach's alpha."""

import numpy as np

from livecommerce import arguments
from livecommerce.analysis.coherence import CORRELATIONS, WEAK, Coherence
from livecommerce.plots.theme import PALETTE, axes, legend_above
from livecommerce.words import check_lang, text

__all__ = ["coherence"]


def coherence(result: Coherence, method: str = "pearson", lang: str = "zh", ax=None):
    """One bar per component: its ``method`` correlation with its parent, grouped by node, the node's alpha in
    the label and the scheme's labels in ``lang``; the weak threshold dashed; a component flagged weak or
    negative drawn in the warning colour."""
    lang = check_lang(lang)
    arguments.instance(result, "result", Coherence, "a coherence.Coherence (from coherence.coherence)")
    arguments.choice(method, "method", CORRELATIONS)
    links = result.correlations[(result.correlations["y"] == result.correlations["node"])]
    links = links[links["method"] == method].reset_index(drop=True)
    alpha = result.summary.set_index("node")["alpha"]
    ax = axes(ax, 0.32 * len(links) + 1.2)
    y = np.arange(len(links))[::-1]
    colours = [
        PALETTE["down"] if flag else PALETTE.get(node, PALETTE["people"])
        for node, flag in zip(links["node"], links["flag"])
    ]
    ax.barh(y, links["r"], color=colours)
    ax.set_yticks(
        y,
        [
            f"{result.label(node, lang)} (α {alpha[node]:.2f}) · {result.label(x, lang)}"
            for node, x in zip(links["node"], links["x"])
        ],
    )
    ax.axvline(WEAK, color=PALETTE["muted"], linestyle="--", linewidth=1, label=text("weak", lang))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(min(-0.05, links["r"].min() - 0.05), 1)
    ax.set_xlabel(text(f"parent_{method}", lang))
    legend_above(ax, ncol=1)
    return ax
