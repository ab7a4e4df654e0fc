"""An index as arrays, for evaluating many weightings at once.

A :class:`Model` holds the leaf scores of every region (one matrix per normalisation method)
and the tree above them (the scheme's nodes, children first, with their nominal weights as arrays).
:func:`evaluate_draws` computes the root score of every region for a batch of draws — weights per
node, an aggregation and a normalisation per draw — as array operations, without a loop over draws.
Two sources give a model: the published sub-index scores of a level (:func:`from_published`)
and a raw panel with a scheme (:func:`from_panel`).
"""

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.published import load_index
from livecommerce.data.regions import check_level
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.aggregate import AGGREGATIONS, LINEAR, check_weights, combine
from livecommerce.index.compose import aggregate_nodes, indicator_scores
from livecommerce.index.normalise import NORMALISATIONS
from livecommerce.index.scheme import Node, Scheme, as_scheme
from livecommerce.index.weights import DERIVED, derive
from livecommerce.vocab import SUB_INDICES

__all__ = [
    "AGGREGATION_CHOICES",
    "VARIANT",
    "Model",
    "WEIGHTING_CHOICES",
    "check_means",
    "check_model",
    "effective_weights",
    "evaluate",
    "evaluate_draws",
    "from_panel",
    "from_published",
    "leaf_weights",
    "named_weights",
    "variant",
    "with_methods",
]

WEIGHTING_CHOICES = ("nominal", *DERIVED)
"""Weighting methods a sensitivity analysis may switch between: ``nominal`` (the scheme's own weights) and
every data-driven method a scheme node may name (:data:`livecommerce.index.weights.DERIVED`)."""


AGGREGATION_CHOICES = ("nominal", *AGGREGATIONS)
"""Aggregations a draw may use at every node: ``nominal`` (each node's own, as the scheme says) or one mean
for all (:data:`livecommerce.index.aggregate.AGGREGATIONS`)."""


@dataclass(frozen=True)
class Model:
    """Leaf scores by normalisation (each regions × leaves) and the scheme's nodes above, children first, with
    ``weights``, each node's nominal weights as an array (data-driven ones derived from the data)."""

    regions: pd.Index
    leaves: tuple[str, ...]
    scores: dict[str, np.ndarray]
    nodes: tuple[Node, ...]
    weights: tuple[np.ndarray, ...]
    names: pd.Series
    published_rank: pd.Series | None = None
    alternatives: dict[str, tuple[np.ndarray, ...]] = field(default_factory=dict)
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Steps whose other choices the model holds leaf scores for, each step's options (its first the nominal): the
    keys of ``scores`` are then :func:`variant` keys, one per normalisation and combination of options."""

    @property
    def normalisations(self) -> list[str]:
        """The normalisations the model holds leaf scores for (the first the nominal)."""
        return list(dict.fromkeys(key.split(VARIANT)[0] for key in self.scores))

    @property
    def root(self) -> str:
        return self.nodes[-1].id

    @property
    def weight_labels(self) -> list[tuple[str, str]]:
        """(node, child) of every weight, in the order of the flat weight vector."""
        return [(node.id, child) for node in self.nodes for child in node.children]

    @property
    def nominal(self) -> np.ndarray:
        """The nominal weights as one flat vector, in the order of :attr:`weight_labels`."""
        return np.concatenate(self.weights)

    def node_scores(self, normalisation: str | None = None) -> pd.DataFrame:
        """Every leaf's and node's nominal score, by region."""
        normalisation = arguments.choice(normalisation, "normalisation", (*self.scores, None)) or next(
            iter(self.scores)
        )
        leaves = pd.DataFrame(self.scores[normalisation], index=self.regions, columns=list(self.leaves))
        weights = {node.id: w for node, w in zip(self.nodes, self.weights)}
        return aggregate_nodes(leaves, self.nodes, weights)[0]


VARIANT = "|"
"""What separates a normalisation and each step's choice in a key of ``Model.scores`` (:func:`variant`)."""


def variant(normalisation: str, choices: dict) -> str:
    """The key of a model's leaf scores under ``normalisation`` and the step ``choices`` ({step: option}, in the
    model's order of steps): ``"minmax|treat=winsorise|missing=median"``; the normalisation alone without steps."""
    return VARIANT.join([normalisation, *(f"{step}={option}" for step, option in choices.items())])


def check_model(value, name: str = "model") -> Model:
    """``value`` if it is a :class:`Model`, else a :class:`ParameterError` naming ``name``."""
    return arguments.instance(value, name, Model, "a livecommerce model (model.from_published or model.from_panel)")


def evaluate(model: Model, weights: dict | None = None, aggregation: str = "nominal", normalisation=None) -> pd.Series:
    """The root score of every region (a Series by region) with ``weights`` by name, ``{node: {child: weight}}``
    (nodes not given keep their nominal weights; :func:`named_weights`), ``aggregation`` one of
    :data:`AGGREGATION_CHOICES` and ``normalisation`` a key of ``model.scores`` (the first if None)."""
    check_model(model)
    flat = np.concatenate(named_weights(model, {} if weights is None else weights))
    normalisation = next(iter(model.scores)) if normalisation is None else normalisation
    arguments.choice(aggregation, "aggregation", AGGREGATION_CHOICES)
    arguments.choice(normalisation, "normalisation", list(model.scores))
    scores = evaluate_draws(model, flat[None], np.array([aggregation]), np.array([normalisation]))[0]
    return pd.Series(scores, index=model.regions, name=model.root)


def evaluate_draws(
    model: Model, weights: np.ndarray, aggregations: np.ndarray | None = None, normalisations: np.ndarray | None = None
) -> np.ndarray:
    """Root scores (draws × regions) of a batch of draws, as array operations without a loop over them: the
    Monte Carlo's and the sweeps' path. ``weights`` holds one flat weight vector per draw (draws × all weights, in
    the order of ``model.weight_labels``: the sampler's columns); ``aggregations`` (draws,) one of
    :data:`AGGREGATION_CHOICES` per draw (nominal if None); ``normalisations`` (draws,) a key of ``model.scores``
    per draw (the first if None). :func:`evaluate` takes one draw's weights by name."""
    weights = _weights(model, weights)
    if aggregations is None and normalisations is None:
        return _evaluate_group(model, weights, "nominal", next(iter(model.scores.values())))
    draws = len(weights)
    aggregations = np.full(draws, "nominal") if aggregations is None else _labels(aggregations, "aggregations", draws)
    normalisations = (
        np.full(draws, next(iter(model.scores)))
        if normalisations is None
        else _labels(normalisations, "normalisations", draws)
    )
    unknown = set(np.unique(aggregations)) - set(AGGREGATION_CHOICES)
    if unknown:
        raise ParameterError(
            f"aggregations must give one of {', '.join(AGGREGATION_CHOICES)} per draw; got {sorted(unknown)}"
        )
    missing = set(np.unique(normalisations)) - set(model.scores)
    if missing:
        raise ParameterError(
            f"normalisations must name one of {', '.join(model.scores)} per draw; got {sorted(missing)}"
        )
    out = np.empty((draws, len(model.regions)))
    for aggregation in np.unique(aggregations):
        for normalisation in np.unique(normalisations):
            rows = np.flatnonzero((aggregations == aggregation) & (normalisations == normalisation))
            if len(rows):
                out[rows] = _evaluate_group(model, weights[rows], aggregation, model.scores[normalisation])
    return out


def _weights(model, weights) -> np.ndarray:
    """Flat weight vectors of ``model`` as a finite float array (draws × all weights), else an error naming them."""
    weights = np.atleast_2d(np.asarray(arguments.array(weights, "weights"), dtype=float))
    labels = check_model(model).weight_labels
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


def named_weights(model: Model, weights: dict, name: str = "weights") -> tuple[np.ndarray, ...]:
    """Each node's weights, from ``{node: {child: weight}}`` (or a Series by child) checked against the tree;
    nodes not given keep their nominal weights. An unknown node, or a child missing or unknown, is an error."""
    if not isinstance(weights, dict):
        raise ParameterError(f"{name} must be a mapping {{node: {{child: weight}}}}, got {type(weights).__name__}")
    nodes = [node.id for node in model.nodes]
    unknown = [id for id in weights if id not in nodes]
    if unknown:
        raise ParameterError(f"{name}: {unknown[0]!r} is not a node of the model ({', '.join(nodes)})")
    out = []
    for node, nominal in zip(model.nodes, model.weights):
        given = weights.get(node.id)
        if given is None:
            out.append(nominal)
            continue
        try:
            given = pd.Series(given, dtype=float) if isinstance(given, (dict, pd.Series)) else None
        except (TypeError, ValueError):
            given = None
        if given is None or set(given.index) != set(node.children):
            raise ParameterError(
                f"{name}: node {node.id!r} needs a weight for each of its children {', '.join(node.children)}, by name"
            )
        out.append(check_weights(given, f"{name}: node {node.id!r}")[list(node.children)].to_numpy())
    return tuple(out)


def leaf_weights(model: Model, weights: np.ndarray) -> np.ndarray:
    """Each leaf's weight in the root (draws × leaves): the product of the weights on its path."""
    weights = _weights(model, weights)
    starts = np.cumsum([0] + [len(node.children) for node in model.nodes])
    share = {model.root: np.ones(len(weights))}
    for start, node in zip(starts[::-1][1:], reversed(model.nodes)):  # root first
        for k, child in enumerate(node.children):
            share[child] = share[node.id] * weights[:, start + k]
    return np.column_stack([share[leaf] for leaf in model.leaves])


def _paths(model: Model) -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    """Every element below the root in tree order, its parent, and each node's leaves."""
    children = {node.id: node.children for node in model.nodes}
    order, parent, leaves = [], {}, {}

    def walk(id: str) -> list[str]:
        below = []
        for child in children.get(id, ()):
            order.append(child)
            parent[child] = id
            below += walk(child) if child in children else [child]
        leaves[id] = below
        return below

    walk(model.root)
    return order, parent, leaves


def effective_weights(model: Model) -> pd.DataFrame:
    """Each component and node below the root, in tree order: its ``parent``, its nominal ``weight`` there and its
    ``effective`` weight in the index (有效权重: the product of the weights on its path, COINr's get_eff_wts; a
    node's is the sum of its leaves')."""
    check_model(model)
    order, parent, leaves = _paths(model)
    in_root = dict(zip(model.leaves, leaf_weights(model, model.nominal[None])[0]))
    weight = dict(zip([child for _, child in model.weight_labels], model.nominal))
    effective = [sum(in_root[leaf] for leaf in leaves.get(id, [id])) for id in order]
    return pd.DataFrame(
        {"parent": [parent[i] for i in order], "weight": [weight[i] for i in order], "effective": effective},
        index=pd.Index(order, name="component"),
    )


def check_means(model: Model, aggregations, normalisations) -> None:
    """Refuse, as :func:`livecommerce.index.build` does (a DataError naming the node and the child), a geometric or
    harmonic mean of scores ≤ 0 under any of ``aggregations`` (of :data:`AGGREGATION_CHOICES`) with any of
    ``normalisations`` (keys of ``model.scores``), with the nominal weights: :func:`evaluate` does not check, so
    this is done once, before the draws."""
    weights = {node.id: w for node, w in zip(model.nodes, model.weights)}
    for normalisation in normalisations:
        if not (model.scores[normalisation] <= 0).any():
            continue
        leaves = pd.DataFrame(model.scores[normalisation], index=model.regions, columns=list(model.leaves))
        for aggregation in aggregations:
            nodes = [node if aggregation == "nominal" else node.aggregated_by(aggregation) for node in model.nodes]
            if all(node.aggregation == "arithmetic" for node in nodes):
                continue
            try:
                aggregate_nodes(leaves, nodes, weights)
            except DataError as exc:
                raise DataError(f"aggregation {aggregation!r}, normalisation {normalisation!r}: {exc}") from None


def _evaluate_group(model: Model, weights: np.ndarray, aggregation: str, leaves: np.ndarray) -> np.ndarray:
    """Root scores of draws sharing an aggregation and a normalisation.

    Nested means of one form compose (a mean of arithmetic means is an arithmetic mean of the leaves,
    likewise geometric and harmonic), so one product with the leaves' path weights does; mixed forms
    and the other aggregations (:func:`livecommerce.index.aggregate.combine`) go node by node, children first.
    """
    nodes = [node if aggregation == "nominal" else node.aggregated_by(aggregation) for node in model.nodes]
    used = {node.aggregation for node in nodes}
    if len(used) == 1 and next(iter(used)) in LINEAR:
        forward, back = LINEAR[used.pop()]
        return back(leaf_weights(model, weights) @ forward(leaves).T)
    leaf_index = {leaf: k for k, leaf in enumerate(model.leaves)}
    values, start = {}, 0
    for node in nodes:
        w = weights[:, start : start + len(node.children)]
        start += len(node.children)
        if node.aggregation not in LINEAR:
            children = [leaves[None, :, leaf_index[c]] if c in leaf_index else values[c] for c in node.children]
            stacked = np.stack(np.broadcast_arrays(*children), axis=-1)
            values[node.id] = combine(stacked, w, node.aggregation, node.children, **node.options)
            continue
        forward, back = LINEAR[node.aggregation]
        on_leaves = [k for k, c in enumerate(node.children) if c in leaf_index]
        total = w[:, on_leaves] @ forward(leaves[:, [leaf_index[node.children[k]] for k in on_leaves]]).T
        for k, child in enumerate(node.children):
            if child not in leaf_index:
                total += w[:, [k]] * forward(values[child])
        values[node.id] = back(total)
    return values[model.root]


def _nodes(scheme: Scheme, leaves: set[str]) -> tuple[Node, ...]:
    """The scheme's nodes, children first, cut at ``leaves``."""
    return tuple(scheme.nodes[id] for id in reversed(scheme.preorder()) if id in scheme.nodes and id not in leaves)


def _nominal(nodes: tuple[Node, ...], scores: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Each node's nominal weights: fixed and AHP ones as the scheme gives them, data-driven ones (entropy,
    PCA …) derived from ``scores`` and the node scores computed on the way up (as :func:`livecommerce.index.build`
    does: :func:`livecommerce.index.aggregate_nodes`)."""
    used = aggregate_nodes(scores, nodes)[1]
    return tuple(used[node.id][list(node.children)].to_numpy(float) for node in nodes)


def _alternatives(model: Model, methods) -> dict[str, tuple[np.ndarray, ...]]:
    """Each node's weights under each weighting method, derived from the nominal child scores."""
    scores = model.node_scores()
    out = {}
    for method in arguments.names(methods, "methods"):
        arguments.choice(method, "methods", WEIGHTING_CHOICES)
        out[method] = tuple(
            weights if method == "nominal" else derive(method, scores[list(node.children)]).to_numpy()
            for node, weights in zip(model.nodes, model.weights)
        )
    return out


def from_published(level: str, scheme: Scheme | str | None = None, methods=("nominal",)) -> Model:
    """The published sub-indices of ``level`` (activity, sales, influence, goods, venue).

    They sit under the scheme's top two levels.
    """
    check_level(level)
    scheme = as_scheme(scheme)
    index = load_index(level)
    leaves = SUB_INDICES
    missing = [n for n in ("overall", "people") if n not in scheme.nodes]
    if missing:
        raise ParameterError(f"scheme {scheme.name!r} has no node {missing[0]!r} to weight the published scores")
    nodes = _nodes(scheme, set(leaves))
    scores = index[list(leaves)]
    model = Model(
        regions=index.index,
        leaves=leaves,
        scores={"published": scores.to_numpy(float)},
        nodes=nodes,
        weights=_nominal(nodes, scores),
        names=index["name_zh"],
        published_rank=index["overall_rank"],
    )
    return with_methods(model, methods)


def from_panel(
    panel: pd.DataFrame,
    scheme: Scheme | str | None = None,
    normalisations=None,
    methods=("nominal",),
    names: pd.Series | None = None,
) -> Model:
    """A raw panel under a scheme, its indicators normalised by each of ``normalisations`` (by default the scheme's
    own ``[normalisation]``, with its options); the first gives the nominal weights, and its node scores are
    :func:`livecommerce.index.build`'s."""
    scheme = as_scheme(scheme)
    own = scheme.normalisation["method"]
    normalisations = (own,) if normalisations is None else arguments.names(normalisations, "normalisations")
    if not normalisations:
        raise ParameterError("normalisations must name at least one method")
    for method in normalisations:
        arguments.choice(method, "normalisations", NORMALISATIONS)
    arguments.optional(arguments.series, names, "names")
    scores = {}
    for method in normalisations:  # the scheme's options (e.g. 60–100) go with its own method only
        scores[method] = indicator_scores(panel, scheme.normalised_by(method))
    leaves = tuple(scheme.indicators)
    nominal = scores[normalisations[0]]
    nodes = _nodes(scheme, set())
    model = Model(
        regions=nominal.index,
        leaves=leaves,
        scores={m: s[list(leaves)].to_numpy(float) for m, s in scores.items()},
        nodes=nodes,
        weights=_nominal(nodes, nominal),
        names=names if names is not None else pd.Series(nominal.index, index=nominal.index),
    )
    return with_methods(model, methods)


def with_methods(model: Model, methods) -> Model:
    """``model`` with each node's weights under every weighting method of ``methods`` as alternatives."""
    return replace(check_model(model), alternatives=_alternatives(model, methods))
