"""Weights toward a target importance, and effective weights beside nominal and optimised ones.

A nominal weight says how much a component should count; its importance says how much it does.
Importance here is the component's share of the correlation ratios S = Var(E[y | x]) / Var(y) of
every component with the index, as :func:`livecommerce.analysis.sensitivity.sweeps.importance` estimates them
(Paruolo, Saisana & Saltelli 2013). :func:`optimise` searches the weights whose importance shares match a
target — equal by default — as Becker, Saisana, Paruolo & Vandecasteele (2017, "Weights and
importance in composite indicators: Closing the gap", Ecological Indicators 80, 12–22) propose and
COINr's ``get_opt_weights`` implements (there with Pearson correlations, ``measure="pearson_r2"`` here).

The effective weight (有效权重) of a component is the product of the weights on its path to the root
(COINr's ``get_eff_wts``, :func:`livecommerce.index.model.effective_weights`): the weight it carries in
the index, which the importance need not follow.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.analysis.sensitivity import sweeps
from livecommerce.errors import ParameterError
from livecommerce.index.model import Model, check_model, effective_weights, with_methods

__all__ = ["IMPORTANCE_MEASURES", "Optimised", "optimise"]

IMPORTANCE_MEASURES = ("correlation_ratio", "pearson_r2")
"""How importance is measured: the LOWESS correlation ratio (Becker et al. 2017) or Pearson's r² (COINr)."""


@dataclass(frozen=True)
class Optimised:
    """Weights optimised toward a target importance: the model under them, and how close they came.

    ``importance`` has one row per component (leaf): target share, nominal and optimised weight in the
    index (effective) and importance share; ``gap`` and ``nominal_gap`` are the largest absolute
    difference between importance share and target under the optimised and the nominal weights. The search
    minimises the sum of squared differences, which never grows; the largest one can (slightly).
    """

    model: Model
    nominal: Model
    importance: pd.DataFrame
    measure: str
    free: tuple[str, ...]
    gap: float
    nominal_gap: float
    evaluations: int
    converged: bool
    message: str

    @property
    def weights(self) -> dict[str, dict[str, float]]:
        """The optimised weights of the free nodes by name, ``{node: {child: weight}}`` (for ``Study.reweight``)."""
        return {
            node.id: dict(zip(node.children, map(float, weights)))
            for node, weights in zip(self.model.nodes, self.model.weights)
            if node.id in self.free
        }

    def table(self) -> pd.DataFrame:
        """Every component and node below the root, tree order: its parent, its weight there and its effective
        weight, nominal and optimised, and (components) the target and both importance shares."""
        nominal, optimised = effective_weights(self.nominal), effective_weights(self.model)
        out = pd.DataFrame(
            {
                "parent": nominal["parent"],
                "nominal": nominal["weight"],
                "optimised": optimised["weight"],
                "nominal_effective": nominal["effective"],
                "optimised_effective": optimised["effective"],
            }
        )
        shares = self.importance[["target", "nominal_share", "optimised_share"]]
        return out.join(shares)


def _in_root(model: Model) -> np.ndarray:
    """Each leaf's effective weight under the model's nominal weights."""
    return effective_weights(model).loc[list(model.leaves), "effective"].to_numpy()


def _target(model: Model, target) -> np.ndarray:
    """The target importance shares by leaf (relative values, rescaled to sum to 1); equal if None."""
    if target is None:
        return np.full(len(model.leaves), 1 / len(model.leaves))
    arguments.mapping(target, "target")
    try:
        target = pd.Series(target, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"target: relative importances must be numbers, got {dict(target)}") from None
    if set(target.index) != set(model.leaves):
        raise ParameterError(f"target needs one relative importance for each of {', '.join(model.leaves)}, by name")
    values = target[list(model.leaves)].to_numpy(float)
    if not np.isfinite(values).all() or (values < 0).any() or values.sum() <= 0:
        raise ParameterError(f"target must be finite, non-negative and not all zero, got {target.to_dict()}")
    return values / values.sum()


def _with_weights(model: Model, per_node: list[np.ndarray]) -> Model:
    return replace(model, weights=tuple(per_node))


def _shares(model: Model, measure: str, frac: float) -> np.ndarray:
    ratios = sweeps.main_effects(model, frac)[measure]
    return ratios / ratios.sum()


def optimise(
    model: Model,
    target=None,
    nodes=None,
    measure: str = "correlation_ratio",
    frac: float = 2 / 3,
    max_evaluations: int = 100,
) -> Optimised:
    """The weights of ``nodes`` (every node if None) whose importance shares come closest to ``target``.

    ``target`` gives each component (leaf) a relative importance by name (equal if None); importance is the
    component's ``measure`` (:data:`IMPORTANCE_MEASURES`) with the index as
    :func:`livecommerce.analysis.sensitivity.sweeps.importance` computes it (LOWESS span ``frac``), rescaled to sum to 1
    (Becker et al. 2017). Least squares on the differences (scipy's trust-region ``least_squares``), from the
    nominal weights, over each free node's weights as a softmax (so they stay positive and sum to 1), with at
    most ``max_evaluations`` importance estimates; the other nodes keep theirs. If the search ends no closer
    (in squares) than it started, the nominal weights are returned. Where components correlate strongly, as the
    report's sub-indices do, importance moves little with the weights: the optimum is flat, the target may be
    out of reach, and weights far apart can come equally close — read ``gap`` (the largest share's miss) against
    ``nominal_gap``.
    """
    from scipy import optimize as scipy_optimize  # when used: it loads in about half a second

    check_model(model)
    arguments.choice(measure, "measure", IMPORTANCE_MEASURES)
    if not 0 < arguments.number(frac, "frac") <= 1:
        raise ParameterError(f"frac={frac!r} must be in (0, 1]")
    arguments.integer(max_evaluations, "max_evaluations", 1)
    goal = _target(model, target)
    ids = [node.id for node in model.nodes]
    free = ids if nodes is None else arguments.names(nodes, "nodes")
    unknown = [n for n in free if n not in ids]
    if unknown:
        raise ParameterError(f"nodes: {unknown[0]!r} is not a node of the model ({', '.join(ids)})")
    free = [node.id for node in model.nodes if node.id in free and len(node.children) > 1]
    if not free:
        raise ParameterError("nodes: name at least one node with two children or more, whose weights can move")
    start = dict(zip(ids, model.weights))
    if any((start[n] <= 0).any() for n in free):
        zero = next(n for n in free if (start[n] <= 0).any())
        raise ParameterError(f"node {zero!r} has a zero weight: its nominal weights cannot start a softmax search")
    sizes = [len(start[n]) for n in free]
    splits = np.cumsum([s - 1 for s in sizes])[:-1]

    def weights_of(theta: np.ndarray) -> list[np.ndarray]:
        logits = dict(zip(free, np.split(theta, splits)))
        out = []
        for node in model.nodes:
            if node.id not in logits:
                out.append(start[node.id])
                continue
            z = np.concatenate([[0.0], logits[node.id]])
            e = np.exp(z - z.max())
            out.append(e / e.sum())
        return out

    def residuals(theta: np.ndarray) -> np.ndarray:
        return _shares(_with_weights(model, weights_of(theta)), measure, frac) - goal

    theta0 = np.concatenate([np.log(start[n][1:] / start[n][0]) for n in free])
    fit = scipy_optimize.least_squares(residuals, theta0, xtol=1e-10, ftol=1e-12, max_nfev=max_evaluations)
    closer = fit.cost < 0.5 * float(np.sum(residuals(theta0) ** 2))
    best = with_methods(_with_weights(model, weights_of(fit.x if closer else theta0)), tuple(model.alternatives))
    nominal_shares = _shares(model, measure, frac)
    shares = _shares(best, measure, frac)
    importance = pd.DataFrame(
        {
            "target": goal,
            "nominal_weight": _in_root(model),
            "nominal_share": nominal_shares,
            "optimised_weight": _in_root(best),
            "optimised_share": shares,
        },
        index=pd.Index(model.leaves, name="component"),
    )
    return Optimised(
        model=best,
        nominal=model,
        importance=importance,
        measure=measure,
        free=tuple(free),
        gap=float(np.abs(shares - goal).max()),
        nominal_gap=float(np.abs(nominal_shares - goal).max()),
        evaluations=int(fit.nfev),
        converged=bool(fit.success and closer),
        message=str(fit.message) if closer else f"{fit.message} No closer than the nominal weights: kept them.",
    )
