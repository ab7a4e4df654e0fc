"""Build the index from raw indicators: transform, treat outliers, normalise, weight and aggregate up the tree.

:func:`build` takes a raw panel (regions × indicators, in raw units) and a scheme and returns
every node's score for every region; :func:`node_weights` returns the weights each node used
and the method that gave them (:func:`weights_table`, as a study holds them too), which matters where a node
derives them from the data (entropy, CRITIC, PCA …) or from pairwise judgements (AHP, with its consistency ratio).
"""

import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.aggregate import aggregate
from livecommerce.index.denominate import denominate
from livecommerce.index.normalise import OPTIONS as NORMALISATION_OPTIONS
from livecommerce.index.normalise import constant_columns, log_transform, normalise, normalise_each
from livecommerce.index.scheme import Scheme, as_scheme
from livecommerce.index.treat import treat
from livecommerce.index.weights import derive

__all__ = ["aggregate_nodes", "build", "indicator_scores", "node_weights", "prepare", "weights_table"]


def prepare(panel: pd.DataFrame, scheme: Scheme | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scheme's indicators checked against their valid ranges (raw units), divided by their denominators
    (:mod:`livecommerce.index.denominate`), transformed (``transform``) and treated for
    outliers (``treatment``, :mod:`livecommerce.index.treat`), in raw units before normalisation; and one row per
    treated point (region, indicator, method, before, after)."""
    scheme = as_scheme(scheme)
    if arguments.frame(panel, "panel").empty:
        raise ParameterError("panel must be a non-empty DataFrame of raw indicators (columns) by region (rows)")
    missing = [id for id in scheme.indicators if id not in panel]
    if missing:
        raise DataError(f"panel has no column {missing[0]!r} (an indicator of scheme {scheme.name!r})")
    if len(panel) == 1:
        raise DataError(f"panel has one region ({panel.index[0]!r}): the index compares regions, give two or more")
    if not panel.index.is_unique:
        raise DataError(f"panel: region {panel.index[panel.index.duplicated()][0]!r} appears twice")
    raw = panel[list(scheme.indicators)]
    try:
        raw = raw.astype(float)
        raw.attrs = {}  # a panel's record (source, missing cells) would be deep-copied by every operation below
    except (TypeError, ValueError):
        column = next(c for c in raw if pd.to_numeric(raw[c], errors="coerce").isna().any())
        raise DataError(f"panel column {column!r} holds a value that is not a number") from None
    for id, indicator in scheme.indicators.items():
        low, high = indicator.valid
        outside = raw.index[~raw[id].between(low, high)]
        if len(outside):
            region = outside[0]
            raise DataError(
                f"panel column {id!r}, region {region!r}: {raw.at[region, id]:g} is outside "
                f"the valid range [{low:g}, {high:g}] {indicator.unit}"
            )
    raw = denominate(
        raw, {id: scheme.denominators[i.denominator] for id, i in scheme.indicators.items() if i.denominator}
    )
    logged = [id for id, i in scheme.indicators.items() if i.transform == "log"]
    if logged:
        raw[logged] = log_transform(raw[logged])
    return treat(raw, {id: i.treatment for id, i in scheme.indicators.items() if i.treatment["method"] != "none"})


def indicator_scores(panel: pd.DataFrame, scheme: Scheme | str | None = None) -> pd.DataFrame:
    """The scheme's indicators, prepared (:func:`prepare`) and normalised (one column each, regions as rows), each
    by its own normalisation where it has one, else by the scheme's."""
    scheme = as_scheme(scheme)
    raw, _ = prepare(panel, scheme)
    methods = {id: i.normalisation or scheme.normalisation for id, i in scheme.indicators.items()}
    flat = [  # a constant column that its method would compare across regions
        id
        for id in constant_columns(raw)
        if methods[id].get("constant", "error") == "error"
        and "constant" in NORMALISATION_OPTIONS[methods[id]["method"]]
    ]
    if flat:
        raise DataError(
            f"panel column {flat[0]!r} is constant across regions; to score it mid-scale, set "
            f'constant = "midpoint" in the [normalisation] table of scheme {scheme.source}'
        )
    directions = {id: i.direction for id, i in scheme.indicators.items()}
    if any(i.normalisation is not None for i in scheme.indicators.values()):
        return normalise_each(raw, methods, directions)
    options = {k: v for k, v in scheme.normalisation.items() if k != "method"}
    return normalise(raw, scheme.normalisation["method"], directions=directions, **options)


def aggregate_nodes(scores: pd.DataFrame, nodes, weights: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """``scores`` (a column per child) with a column per node of ``nodes`` (children first), each its children's
    weighted mean by its aggregation (:func:`livecommerce.index.aggregate.aggregate`, which refuses a geometric or
    harmonic
    mean of scores ≤ 0), and the weights each node used by id: ``weights[node]`` (in its children's order) where
    given, else its own (fixed or AHP), else derived by its method from its children's scores. The one way from
    scores to nodes: :func:`build`, a study and the sensitivity model all aggregate through it."""
    scores, used = scores.copy(), {}
    for node in nodes:
        children = scores[list(node.children)]
        if weights is not None and node.id in weights:
            used[node.id] = pd.Series(weights[node.id], index=list(node.children), dtype=float)
        else:
            used[node.id] = node.weights if node.weights is not None else derive(node.method, children)
        try:
            scores[node.id] = aggregate(children, used[node.id], node.aggregation, **node.options)
        except DataError as exc:
            raise DataError(f"node {node.id!r}: {exc}") from None
    return scores, used


def _evaluate(panel: pd.DataFrame, scheme) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    scheme = as_scheme(scheme)
    order = scheme.preorder()
    nodes = [scheme.nodes[id] for id in reversed(order) if id in scheme.nodes]
    scores, used = aggregate_nodes(indicator_scores(panel, scheme), nodes)
    return scores[order], {id: used[id] for id in order if id in used}


def build(panel: pd.DataFrame, scheme: Scheme | str | None = None) -> pd.DataFrame:
    """Every node's score (root first, then each subtree) for every region of ``panel``."""
    return _evaluate(panel, scheme)[0]


def node_weights(panel: pd.DataFrame, scheme: Scheme | str | None = None) -> pd.DataFrame:
    """The weight each node gave each child when building ``panel``: columns node, child, weight, the
    ``method`` that gave it ("fixed" for a table of weights) and ``cr``, an AHP node's consistency ratio."""
    scheme = as_scheme(scheme)
    _, used = _evaluate(panel, scheme)
    return weights_table(
        [scheme.nodes[id] for id in used], [w[list(scheme.nodes[id].children)] for id, w in used.items()]
    )


def weights_table(nodes, weights, edited=frozenset()) -> pd.DataFrame:
    """One row per (node, child) of the scheme ``nodes``, each with the ``weights`` it used (in its children's
    order): the ``weight``, the ``method`` that gave it ("fixed" for a table of weights in the scheme, "reweighted"
    for a node of ``edited``, given other weights since) and ``cr``, an AHP node's consistency ratio."""
    rows = []
    for node, used in zip(nodes, weights, strict=True):
        method = "reweighted" if node.id in edited else (node.method or "fixed")
        cr = node.ahp_cr if method == "ahp" else None
        rows += [(node.id, child, float(w), method, cr) for child, w in zip(node.children, used, strict=True)]
    return pd.DataFrame(rows, columns=["node", "child", "weight", "method", "cr"]).astype({"cr": float})
