"""Chapter 4, Figure 1: the dual-centre model (直播电商的双中心模型), drawn from the trends table."""

import textwrap

from .. import arguments
from ..vocab import MODULES
from .theme import PALETTE, axes, check_lang, source_line, text

LAYOUT = {
    "users": (0.1, 0.8),
    "anchors": (0.9, 0.8),
    "content": (0.7, 0.15),
    "brands": (-0.1, 0.15),
    "platforms": (0.27, 0.48),
    "intermediaries": (0.53, 0.48),
}
"""Participants at the corners of a parallelogram, the two centres inside it."""


def dual_centre(trends, lang: str | None = None, ax=None):
    """The two centres (live platforms, intermediaries) linked to each other and to the four participants,
    each module with its trend headline from chapter 4."""
    lang = check_lang(lang)
    arguments.frame(trends, "trends", ["module", "headline"])
    ax = axes(ax, (8, 5.5))
    corners = ["users", "anchors", "content", "brands"]
    outline = [LAYOUT[m] for m in corners + corners[:1]]
    ax.plot(*zip(*outline), color=PALETTE["muted"], linewidth=1.2, zorder=1)
    for centre in ("platforms", "intermediaries"):
        for corner in corners:
            ax.plot(
                *zip(LAYOUT[centre], LAYOUT[corner]), color=PALETTE["muted"], linewidth=0.8, linestyle="--", zorder=1
            )
    ax.plot(*zip(LAYOUT["platforms"], LAYOUT["intermediaries"]), color=PALETTE["highlight"], linewidth=2, zorder=1)
    headlines = trends.drop_duplicates("module").set_index("module")["headline"]
    for module, (x, y) in LAYOUT.items():
        centre = module in ("platforms", "intermediaries")
        ax.scatter(
            [x],
            [y],
            s=2600 if centre else 1800,
            color=PALETTE["highlight"] if centre else PALETTE["people"],
            zorder=2,
            edgecolor="white",
        )
        ax.text(x, y, MODULES[module][lang], ha="center", va="center", color="white", fontsize="small", zorder=3)
        if lang == "zh" and module in headlines:
            ax.text(
                x, y - 0.11, textwrap.fill(headlines[module], 9), ha="center", va="top", fontsize="xx-small", zorder=3
            )
    ax.set_xlim(-0.3, 1.1)
    ax.set_ylim(-0.1, 1.0)
    ax.set_axis_off()
    ax.set_title("图1 直播电商的双中心模型" if lang == "zh" else "Figure 1. The dual-centre model of live commerce")
    return source_line(
        ax, [f"{text('report', lang)}，四、未来趋势" if lang == "zh" else f"{text('report', lang)}, chapter 4"], lang
    )
