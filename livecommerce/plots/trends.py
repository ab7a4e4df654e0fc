"""Chapter 4, Figure 1: the dual-centre model (直播电商的双中心模型), drawn from the trends table."""

import re

from livecommerce import arguments
from livecommerce.plots.theme import PALETTE, axes, small, wrap
from livecommerce.words import HEADLINE_COLUMNS, MODULE_LABELS, check_lang, word

__all__ = ["LAYOUT", "dual_centre"]

LAYOUT = {
    "users": (0.1, 0.8),
    "anchors": (0.9, 0.8),
    "content": (0.7, 0.15),
    "brands": (-0.1, 0.15),
    "platforms": (0.27, 0.48),
    "intermediaries": (0.53, 0.48),
}
"""Participants at the corners of a parallelogram, the two centres inside it."""


def dual_centre(trends, lang: str = "zh", ax=None):
    """The two centres (live platforms, intermediaries) linked to each other and to the four participants,
    each module with its trend headline from chapter 4."""
    lang = check_lang(lang)
    arguments.frame(trends, "trends", ["module", "headline"])
    ax = axes(ax, 4.6)
    corners = ["users", "anchors", "content", "brands"]
    outline = [LAYOUT[m] for m in corners + corners[:1]]
    ax.plot(*zip(*outline), color=PALETTE["muted"], linewidth=1.2, zorder=1)
    for centre in ("platforms", "intermediaries"):
        for corner in corners:
            ax.plot(
                *zip(LAYOUT[centre], LAYOUT[corner]), color=PALETTE["muted"], linewidth=0.8, linestyle="--", zorder=1
            )
    ax.plot(*zip(LAYOUT["platforms"], LAYOUT["intermediaries"]), color=PALETTE["highlight"], linewidth=2, zorder=1)
    column = HEADLINE_COLUMNS[lang]  # the report prints its headlines in Chinese only: drawn where the table has them
    headlines = trends.drop_duplicates("module").set_index("module")[column] if column in trends else {}
    for module, (x, y) in LAYOUT.items():
        centre = module in ("platforms", "intermediaries")
        ax.scatter(
            [x],
            [y],
            s=4200 if centre else 2600,
            color=PALETTE["highlight"] if centre else PALETTE["people"],
            zorder=2,
            edgecolor="white",
        )
        ax.text(
            x, y, word(MODULE_LABELS, module, lang), ha="center", va="center", color="white", fontsize=small(), zorder=3
        )
        if module in headlines:
            lines = "\n".join(wrap(clause, 16) for clause in re.split(r"(?<=，)", headlines[module]) if clause)
            ax.text(
                x,
                y - 0.11,
                lines,
                ha="center",
                va="top",
                fontsize=small(),
                zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
    ax.set_xlim(-0.3, 1.1)
    ax.set_ylim(-0.1, 1.0)
    ax.set_axis_off()
    return ax
