"""One region on one page (COINr's unit summary): its rank at every node, strengths and weaknesses, nearest peers."""

import numpy as np
from matplotlib.patches import Patch

from livecommerce import arguments
from livecommerce.data.regions import display_names
from livecommerce.plots.theme import PALETTE, axes, rows_height, small
from livecommerce.study.profile import Profile
from livecommerce.words import check_lang, text

__all__ = ["unit_profile"]


def unit_profile(profile: Profile, lang: str = "zh", ax=None):
    """A region's rank at every node and component (tree order, sub-components marked └; the longer the bar the
    better the rank), its strengths and weaknesses (within the profile's tier) coloured, score and rank beside each
    bar, its nearest peers under the title, the legend right of the bars (they reach the worst rank on the left)."""
    lang = check_lang(lang)
    arguments.instance(profile, "profile", Profile, "a Profile (Study.profile)")
    nodes = profile.nodes
    ax = axes(ax, rows_height(len(nodes), 0.22, 1.9))  # a raw panel's 24 components print at full size
    depth = {nodes.index[0]: 0}
    for node, parent in zip(nodes.index[1:], nodes["parent"].iloc[1:]):
        depth[node] = depth[parent] + 1
    colour = {node: PALETTE["muted"] for node in nodes.index}
    colour |= {node: PALETTE["up"] for node in profile.strengths.index}
    colour |= {node: PALETTE["down"] for node in profile.weaknesses.index}
    colour[nodes.index[0]] = PALETTE["overall"]
    n = profile.regions
    y = np.arange(len(nodes))[::-1]
    ranks = nodes["rank"].astype(float).to_numpy()
    ax.barh(y, n + 1 - ranks, left=ranks, color=[colour[i] for i in nodes.index], height=0.65)
    for yy, (score, rank) in zip(y, zip(nodes["score"], ranks)):
        ax.text(rank - 0.3, yy, f"{score:.2f} · {rank:.0f}", va="center", ha="left", fontsize=small())
    labels = [("└ " if depth[i] > 1 else "") + profile.labels[i][lang] for i in nodes.index]
    ax.set_yticks(y, labels)
    ax.set_xticks(sorted({1, *range(5, n - 2, 5), n}))
    ax.set_xlim(n + 0.5, 0.5 - 0.25 * n)  # rank 1 at the right, room for its label
    ax.set_xlabel(text("rank_of", lang, rank=text("rank", lang), regions=text("of_regions", lang, n=n)))
    ax.grid(axis="y", visible=False)
    (name,) = display_names([profile.region], lang)
    peers = text("peers_named", lang, peers=text("list_sep", lang).join(display_names(profile.peers.index, lang)))
    ax.set_title(f"{name} · {profile.labels[nodes.index[0]][lang]} {nodes['score'].iloc[0]:.2f}\n{peers}")
    handles = [Patch(color=PALETTE[c], label=text(k, lang)) for c, k in (("up", "strength"), ("down", "weakness"))]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=small(), frameon=False)
    return ax
