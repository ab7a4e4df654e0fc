"""A region's profile (COINr's unit summary, strengths and weaknesses): where it stands at every node of the
index, what each component contributes to its parent, its strongest and weakest components by rank among the
level's regions within one tier of the tree (the indicators by default, as COINr's ``get_str_weak``), and the
regions whose components look most like its own.

Reference: Becker, Caperna, Del Sorbo, Norlén, Papadimitriou & Saisana (2022), "COINr: An R package for developing
composite indicators", *Journal of Open Source Software* 7(78), 4567 (``get_unit_summary``, ``get_str_weak``).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from livecommerce import arguments, words
from livecommerce.errors import ParameterError
from livecommerce.index.aggregate import LINEAR
from livecommerce.vocab import LANGS

__all__ = ["PEERS", "Profile", "STRENGTHS", "TIER", "build", "contributions", "tiers"]

STRENGTHS = 3
"""Strongest and weakest components a profile lists (COINr's ``get_str_weak`` lists five of 40-odd indicators)."""
PEERS = 3
"""Nearest regions a profile lists."""
TIER = 1
"""The tier strengths and weaknesses are ranked within by default: the indicators (the tree's leaves)."""


@dataclass(frozen=True)
class Profile:
    """One region of a study: ``nodes`` (score, rank, parent, weight, contribution, share and :func:`tiers` tier
    at every node and component, tree order), its ``strengths`` and ``weaknesses`` (the components of one
    ``tier`` by rank) and its nearest ``peers``."""

    region: str
    name: str
    level: str
    regions: int
    nodes: pd.DataFrame
    strengths: pd.DataFrame
    weaknesses: pd.DataFrame
    peers: pd.DataFrame
    labels: dict[str, dict[str, str]]
    tier: int = TIER

    def table(self, lang: str = "zh") -> pd.DataFrame:
        """The profile as one table: every node with its score, rank and contribution, and a ``note`` marking
        strengths and weaknesses in ``lang`` (强项/弱项, Strength/Weakness)."""
        note = pd.Series("", index=self.nodes.index, name="note")
        note[self.strengths.index] = words.text("strength", lang)
        note[self.weaknesses.index] = words.text("weakness", lang)
        return self.nodes.join(note)


def tiers(weights: pd.DataFrame) -> dict[str, int]:
    """Each node's and component's tier, counted from the bottom as COINr's levels are, from ``weights`` (node,
    child): 1 for a leaf (an indicator, or a sub-index of the published data), a node one above its highest
    child. Components of one tier never include a node and its own children."""
    weights = arguments.frame(weights, "weights", ["node", "child"])
    children: dict[str, list[str]] = {}
    for node, child in zip(weights["node"], weights["child"]):
        children.setdefault(node, []).append(child)
    tier: dict[str, int] = {}

    def height(id: str) -> int:
        if id not in tier:
            tier[id] = 1 + max((height(child) for child in children.get(id, ())), default=0)
        return tier[id]

    for id in [*children, *weights["child"]]:
        height(id)
    return tier


def contributions(scores: pd.Series, weights: pd.DataFrame, aggregations: dict[str, str]) -> pd.DataFrame:
    """Each child's contribution to its parent for one region: ``weight`` × the child's score on the parent's
    aggregation scale (the score itself for the arithmetic mean, its log for the geometric, its reciprocal for
    the harmonic), and its ``share`` of the parent's weighted sum (the shares of a node's children sum to 1); NaN
    under an aggregation that is no weighted mean of the three (generalised, median, Copeland, MPI, BoD)."""
    weights = arguments.frame(weights, "weights", ["node", "child", "weight"])
    forward = np.array(
        [
            LINEAR[aggregations[node]][0](scores[child]) if aggregations[node] in LINEAR else np.nan
            for node, child in zip(weights["node"], weights["child"])
        ]
    )
    contribution = pd.Series(weights["weight"].to_numpy() * forward, index=weights["child"].to_numpy())
    total = contribution.groupby(weights["node"].to_numpy()).transform("sum")
    return pd.DataFrame({"contribution": contribution, "share": contribution / total.to_numpy()})


def build(
    region: str,
    name: str,
    level: str,
    scores: pd.DataFrame,
    ranks: pd.DataFrame,
    weights: pd.DataFrame,
    aggregations: dict[str, str],
    order: list[str],
    leaves: list[str],
    n: int = STRENGTHS,
    peers: int = PEERS,
    names: pd.Series | None = None,
    labels: dict[str, dict[str, str]] | None = None,
    tier: int = TIER,
) -> Profile:
    """The profile of ``region`` from a study's ``scores`` and ``ranks`` (regions × nodes), its ``weights`` (node,
    child, weight) and each node's aggregation, ``order`` being the tree order (root first); ``names`` of
    the regions and ``labels`` of the nodes (by language) are what the profile shows them as.

    Strengths and weaknesses are the ``n`` components of one ``tier`` of the tree (:func:`tiers`: 1, the
    default, the indicators; 2 the nodes just above them …; never a node beside its own children) where the
    region ranks best and worst among the level's regions (ties in tree order), at most half the tier's
    components each; a weakness ranks below every strength, so a region ranked alike everywhere has none. As
    COINr's ``get_str_weak`` (Becker et al. 2022, JOSS 7(78), 4567), which ranks within one level, the
    indicators by default.
    Peers are the ``peers`` regions nearest to it in Euclidean distance over the ``leaves``' scores (one
    common normalised scale), ties in region order.
    """
    arguments.integer(n, "n", 1)
    arguments.integer(peers, "peers", 1, len(scores) - 1)
    arguments.integer(tier, "tier", 1)
    height = tiers(weights)
    top = height.get(order[0], 1)
    if tier >= top:
        raise ParameterError(
            f"tier={tier!r}: strengths are ranked within a tier below the index, 1 (the indicators) to {top - 1}"
        )
    parent = dict(zip(weights["child"], weights["node"]))
    weight = dict(zip(weights["child"], weights["weight"]))
    parts = contributions(scores.loc[region], weights, aggregations)
    nodes = pd.DataFrame(
        {
            "score": scores.loc[region, order],
            "rank": ranks.loc[region].reindex(order),
            "parent": [parent.get(i, "") for i in order],
            "weight": [weight.get(i, np.nan) for i in order],
        },
        index=pd.Index(order, name="node"),
    ).join(parts)
    nodes["tier"] = [height.get(i, 1) for i in order]
    below = nodes.assign(position=np.arange(len(order)))
    below = below[below["tier"] == tier]
    n = min(n, len(below) // 2) or 1
    strengths = below.sort_values(["rank", "position"], kind="stable").head(n)
    weaker = below[below["rank"] > strengths["rank"].max()]  # a rank shared with a strength is no weakness
    weaknesses = weaker.sort_values(["rank", "position"], ascending=[False, True], kind="stable").head(n)
    values = scores[leaves].to_numpy(float)
    distance = pd.Series(
        np.sqrt(((values - scores.loc[region, leaves].to_numpy(float)) ** 2).sum(axis=1)), scores.index
    )
    nearest = distance.drop(region).sort_values(kind="stable").head(peers)
    root = order[0]
    near = pd.DataFrame(
        {"distance": nearest, "score": scores.loc[nearest.index, root], "rank": ranks.loc[nearest.index, root]},
        index=nearest.index,
    )
    if names is not None:
        near.insert(0, "name", names.reindex(nearest.index))
    columns = ["score", "rank", "parent"]
    return Profile(
        region=region,
        name=name,
        level=level,
        regions=len(scores),
        nodes=nodes,
        strengths=strengths[columns],
        weaknesses=weaknesses[columns],
        peers=near,
        labels={i: dict.fromkeys(LANGS, i) for i in order} if labels is None else labels,
        tier=tier,
    )
