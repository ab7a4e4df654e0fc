"""An index as arrays, for evaluating many weightings at once.

A :class:`Model` holds the leaf scores of every region (one matrix per normalisation method)
and the tree above them (children, nominal weights, aggregation form per node, bottom-up).
:func:`evaluate` computes the root score of every region for a batch of draws — weights per
node, a form and a normalisation per draw — as array operations, without a loop over draws.
Two sources give a model: the published sub-index scores of a level (:func:`from_published`)
and a raw panel with a scheme (:func:`from_panel`).
"""

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import arguments
from .aggregate import LINEAR
from .data import load_index
from .errors import ParameterError
from .index import indicator_scores
from .normalise import METHODS
from .regions import check_level
from .scheme import Scheme
from .vocab import PEOPLE_COMPONENTS
from .weights import DERIVED, derive

WEIGHTING_METHODS = ("nominal", *DERIVED)
"""Weighting methods a sensitivity analysis may switch between: ``nominal`` (the scheme's own weights) and
every data-driven method a scheme node may name (:data:`livecommerce.weights.DERIVED`)."""


@dataclass(frozen=True)
class Node:
    """One aggregate of the tree, with its nominal weights as an array."""

    id: str
    children: tuple[str, ...]
    weights: np.ndarray  # nominal weights of the children
    form: str


@dataclass(frozen=True)
class Model:
    """Leaf scores by normalisation (each regions × leaves) and the nodes above, children first."""

    regions: pd.Index
    leaves: tuple[str, ...]
    scores: dict[str, np.ndarray]
    nodes: tuple[Node, ...]
    names: pd.Series
    published_rank: pd.Series | None = None
    alternatives: dict[str, tuple[np.ndarray, ...]] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return self.nodes[-1].id

    @property
    def weight_labels(self) -> list[tuple[str, str]]:
        """(node, child) of every weight, in the order of the flat weight vector."""
        return [(node.id, child) for node in self.nodes for child in node.children]

    def node_scores(self, normalisation: str | None = None) -> pd.DataFrame:
        """Every leaf's and node's nominal score, by region."""
        normalisation = arguments.choice(normalisation, "normalisation", (*self.scores, None)) or next(
            iter(self.scores)
        )
        values = {leaf: self.scores[normalisation][:, k] for k, leaf in enumerate(self.leaves)}
        for node in self.nodes:
            children = np.column_stack([values[c] for c in node.children])
            forward, back = LINEAR[node.form]
            values[node.id] = back(forward(children) @ node.weights)
        return pd.DataFrame(values, index=self.regions)


def evaluate(
    model: Model, weights: np.ndarray, forms: np.ndarray | None = None, normalisations: np.ndarray | None = None
) -> np.ndarray:
    """Root scores (draws × regions) for flat weight vectors (draws × all weights).

    ``forms`` (draws,) holds "nominal", "arithmetic" or "geometric" per draw (nominal if None);
    ``normalisations`` (draws,) a key of ``model.scores`` per draw (the first if None).
    """
    weights = _weights(model, weights)
    if forms is None and normalisations is None:
        return _evaluate_group(model, weights, "nominal", next(iter(model.scores.values())))
    draws = len(weights)
    forms = np.full(draws, "nominal") if forms is None else _labels(forms, "forms", draws)
    normalisations = (
        np.full(draws, next(iter(model.scores)))
        if normalisations is None
        else _labels(normalisations, "normalisations", draws)
    )
    unknown = set(np.unique(forms)) - {"nominal", *LINEAR}
    if unknown:
        raise ParameterError(f"forms must give one of nominal, {', '.join(LINEAR)} per draw; got {sorted(unknown)}")
    missing = set(np.unique(normalisations)) - set(model.scores)
    if missing:
        raise ParameterError(
            f"normalisations must name one of {', '.join(model.scores)} per draw; got {sorted(missing)}"
        )
    out = np.empty((draws, len(model.regions)))
    for form in np.unique(forms):
        for normalisation in np.unique(normalisations):
            rows = np.flatnonzero((forms == form) & (normalisations == normalisation))
            if len(rows):
                out[rows] = _evaluate_group(model, weights[rows], form, model.scores[normalisation])
    return out


def _weights(model, weights) -> np.ndarray:
    """Flat weight vectors of ``model`` as a finite float array (draws × all weights), else an error naming them."""
    weights = np.atleast_2d(np.asarray(arguments.array(weights, "weights"), dtype=float))
    labels = arguments.model(model).weight_labels
    if weights.shape[1] != len(labels) or not np.isfinite(weights).all():
        raise ParameterError(
            f"weights must be finite, of shape (draws, {len(labels)}): one per "
            f"{', '.join(f'{n}/{c}' for n, c in labels)}; got shape {weights.shape}"
        )
    return weights


def _labels(values, name: str, draws: int) -> np.ndarray:
    """``values`` as an array of one label per draw (an array is taken as it is: it may hold millions)."""
    if not isinstance(values, np.ndarray):
        values = np.asarray(arguments.names(values, name))
    if values.shape != (draws,):
        raise ParameterError(f"{name} must give one label per draw ({draws}), got shape {values.shape}")
    return values


def leaf_weights(model: Model, weights: np.ndarray) -> np.ndarray:
    """Each leaf's weight in the root (draws × leaves): the product of the weights on its path."""
    weights = _weights(model, weights)
    starts = np.cumsum([0] + [len(node.children) for node in model.nodes])
    share = {model.root: np.ones(len(weights))}
    for start, node in zip(starts[::-1][1:], reversed(model.nodes)):  # root first
        for k, child in enumerate(node.children):
            share[child] = share[node.id] * weights[:, start + k]
    return np.column_stack([share[leaf] for leaf in model.leaves])


def _evaluate_group(model: Model, weights: np.ndarray, form: str, leaves: np.ndarray) -> np.ndarray:
    """Root scores of draws sharing a form and a normalisation.

    Nested means of one form compose (a mean of arithmetic means is an arithmetic mean of the leaves,
    likewise geometric and harmonic), so one product with the leaves' path weights does; mixed forms
    go node by node, children first.
    """
    forms = {node.form if form == "nominal" else form for node in model.nodes}
    if len(forms) == 1:
        forward, back = LINEAR[forms.pop()]
        return back(leaf_weights(model, weights) @ forward(leaves).T)
    leaf_index = {leaf: k for k, leaf in enumerate(model.leaves)}
    values, start = {}, 0
    for node in model.nodes:
        w = weights[:, start : start + len(node.children)]
        start += len(node.children)
        forward, back = LINEAR[node.form if form == "nominal" else form]
        on_leaves = [k for k, c in enumerate(node.children) if c in leaf_index]
        total = w[:, on_leaves] @ forward(leaves[:, [leaf_index[node.children[k]] for k in on_leaves]]).T
        for k, child in enumerate(node.children):
            if child not in leaf_index:
                total += w[:, [k]] * forward(values[child])
        values[node.id] = back(total)
    return values[model.root]


def _nodes(scheme: Scheme, top: str, leaves: set[str]) -> list[Node]:
    """``top``'s subtree as nodes, children first, cut at ``leaves``."""
    nodes = []
    for id in reversed(scheme.preorder(top)):
        if id in scheme.nodes and id not in leaves:
            node = scheme.nodes[id]
            weights = node.weights[list(node.children)].to_numpy() if node.weights is not None else None
            nodes.append(Node(id, node.children, weights, node.aggregation))
    return nodes


def _with_nominal(nodes: list[Node], scores: pd.DataFrame, method_of: dict[str, str | None]) -> list[Node]:
    """Fill the weights of nodes that derive them from the data (entropy, PCA …) from ``scores``; fixed and
    AHP weights stay as the scheme gives them."""
    out = []
    values = scores.copy()
    for node in nodes:
        weights = node.weights
        if weights is None:
            weights = derive(method_of[node.id], values[list(node.children)]).to_numpy()
        node = Node(node.id, node.children, weights, node.form)
        forward, back = LINEAR[node.form]
        values[node.id] = back(forward(values[list(node.children)].to_numpy()) @ weights)
        out.append(node)
    return out


def _alternatives(model: Model, methods) -> dict[str, tuple[np.ndarray, ...]]:
    """Each node's weights under each weighting method, derived from the nominal child scores."""
    scores = model.node_scores()
    out = {}
    for method in arguments.names(methods, "methods"):
        arguments.choice(method, "methods", WEIGHTING_METHODS)
        out[method] = tuple(
            node.weights if method == "nominal" else derive(method, scores[list(node.children)]).to_numpy()
            for node in model.nodes
        )
    return out


def from_published(level: str, scheme: Scheme | str | None = None, methods=("nominal",)) -> Model:
    """The published sub-indices of ``level`` (activity, sales, influence, goods, venue).

    They sit under the scheme's top two levels.
    """
    check_level(level)
    scheme = arguments.scheme(scheme)
    index = load_index(level)
    leaves = (*PEOPLE_COMPONENTS, "goods", "venue")
    missing = [n for n in ("overall", "people") if n not in scheme.nodes]
    if missing:
        raise ParameterError(f"scheme {scheme.name!r} has no node {missing[0]!r} to weight the published scores")
    nodes = _nodes(scheme, scheme.root, set(leaves))
    scores = index[list(leaves)]
    nodes = _with_nominal(nodes, scores, {id: n.method for id, n in scheme.nodes.items()})
    model = Model(
        regions=index.index,
        leaves=leaves,
        scores={"published": scores.to_numpy(float)},
        nodes=tuple(nodes),
        names=index["name_zh"],
        published_rank=index["overall_rank"],
    )
    return with_methods(model, methods)


def from_panel(
    panel: pd.DataFrame,
    scheme: Scheme | str | None = None,
    normalisations=("efficacy",),
    methods=("nominal",),
    names: pd.Series | None = None,
) -> Model:
    """A raw panel under a scheme, its indicators normalised by each of ``normalisations``."""
    scheme = arguments.scheme(scheme)
    normalisations = arguments.names(normalisations, "normalisations")
    if not normalisations:
        raise ParameterError("normalisations must name at least one method")
    for method in normalisations:
        arguments.choice(method, "normalisations", METHODS)
    arguments.optional(arguments.series, names, "names")
    scores = {}
    for method in normalisations:  # the scheme's options (e.g. 60–100) go with its own method only
        options = dict(scheme.normalisation) if method == scheme.normalisation["method"] else {}
        scores[method] = indicator_scores(panel, replace(scheme, normalisation={**options, "method": method}))
    leaves = tuple(scheme.indicators)
    nominal = scores[normalisations[0]]
    nodes = _with_nominal(_nodes(scheme, scheme.root, set()), nominal, {id: n.method for id, n in scheme.nodes.items()})
    model = Model(
        regions=nominal.index,
        leaves=leaves,
        scores={m: s[list(leaves)].to_numpy(float) for m, s in scores.items()},
        nodes=tuple(nodes),
        names=names if names is not None else pd.Series(nominal.index, index=nominal.index),
    )
    return with_methods(model, methods)


def with_methods(model: Model, methods) -> Model:
    """``model`` with each node's weights under every weighting method of ``methods`` as alternatives."""
    return replace(model, alternatives=_alternatives(model, methods))
