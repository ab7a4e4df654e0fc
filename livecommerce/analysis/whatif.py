"""What-if: a level's ranking under other weights, weighting method, normalisation or aggregation, against the
study's own (COINr's re-weighting app ``rew8r``, as a function).

:func:`what_if` is the whole calculation, a plain function of the choices (a test or a script calls it without a
browser); :class:`livecommerce.plots.explorer.Explorer` puts widgets on it for notebook 08.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.index import model as models
from livecommerce.index.model import check_model
from livecommerce.index.normalise import NORMALISATIONS, REQUIRED
from livecommerce.index.ranking import rank
from livecommerce.study.study import Study

__all__ = ["WhatIf", "explorer_model", "method_weights", "what_if"]


@dataclass(frozen=True)
class WhatIf:
    """One what-if: every region's score and rank under the choices, its rank under the study's own weights
    (``baseline_rank``) and the change (baseline − new, the report's ↑); ``changed`` keeps the regions that moved,
    by new rank."""

    table: pd.DataFrame
    choices: dict

    @property
    def changed(self) -> pd.DataFrame:
        moved = self.table[self.table["rank_change"] != 0]
        return moved.sort_values(["rank", "baseline_rank"], kind="stable")


def explorer_model(study: Study) -> models.Model:
    """The study's model with every weighting method as an alternative and, for raw data, every normalisation that
    needs nothing but the data (goalposts, targets and a reference region are the scheme's to declare)."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    if study.source["kind"] == "published":
        return study.model(models.WEIGHTING_CHOICES)
    own = study.scheme.normalisation["method"]
    others = tuple(m for m in NORMALISATIONS if m != own and not REQUIRED[m])
    built = models.from_panel(study.inputs, study.scheme, (own, *others), names=study.nominal.names)
    return models.with_methods(replace(built, weights=study.nominal.weights), models.WEIGHTING_CHOICES)


def method_weights(model: models.Model, method: str = "nominal") -> dict[str, dict[str, float]]:
    """The weights ``method`` gives each node, by name (where a what-if starts from)."""
    arguments.choice(method, "method", check_model(model).alternatives)
    return {
        node.id: dict(zip(node.children, map(float, weights)))
        for node, weights in zip(model.nodes, model.alternatives[method])
    }


def _flat(model: models.Model, weights: dict | None, method: str) -> np.ndarray:
    """The flat weight vector: ``method``'s weights, with any node of ``weights`` replaced by its relative
    weights (slider positions) rescaled to sum to 1."""
    start = method_weights(model, method)
    nodes = {node.id: node for node in model.nodes}
    for node, given in ({} if weights is None else arguments.mapping(weights, "weights")).items():
        if node not in nodes:
            raise ParameterError(f"weights: {node!r} is not a node of the model ({', '.join(nodes)})")
        arguments.mapping(given, f"weights[{node!r}]")
        if set(given) != set(nodes[node].children):
            raise ParameterError(
                f"weights: node {node!r} needs a weight for each of its children {', '.join(nodes[node].children)}"
            )
        values = np.array([arguments.number(given[c], f"weights[{node!r}][{c!r}]") for c in nodes[node].children])
        if not np.isfinite(values).all() or (values < 0).any() or values.sum() <= 0:
            raise ParameterError(f"weights: node {node!r} needs non-negative weights, not all zero; got {dict(given)}")
        start[node] = dict(zip(nodes[node].children, values / values.sum()))
    return np.array([start[node.id][child] for node in model.nodes for child in node.children])


def what_if(
    model: models.Model,
    weights: dict | None = None,
    method: str = "nominal",
    normalisation: str | None = None,
    aggregation: str = "nominal",
    baseline: pd.Series | None = None,
) -> WhatIf:
    """Every region's score and rank under ``method``'s weights (any node of ``weights``, ``{node: {child: w}}``,
    taking those relative weights instead), ``normalisation`` (a key of ``model.scores``; the first if None) and
    ``aggregation`` (:data:`livecommerce.index.model.AGGREGATION_CHOICES`: each node's own, or one mean for
    all), against the ``baseline`` ranks (the model's nominal ranking if None)."""
    check_model(model)
    normalisation = arguments.choice(normalisation, "normalisation", (*model.scores, None)) or next(iter(model.scores))
    arguments.choice(aggregation, "aggregation", models.AGGREGATION_CHOICES)
    flat = _flat(model, weights, method)
    used = {node.aggregation if aggregation == "nominal" else aggregation for node in model.nodes} - {"arithmetic"}
    if used and (model.scores[normalisation] <= 0).any():
        raise ParameterError(
            f"aggregation={aggregation!r} needs positive scores (the {'/'.join(sorted(used))} mean); "
            f"normalisation={normalisation!r} gives some that are not"
        )
    scores = models.evaluate_draws(model, flat[None], np.array([aggregation]), np.array([normalisation]))[0]
    scores = pd.Series(scores, index=model.regions, name="score")
    if baseline is None:
        baseline = rank(pd.Series(models.evaluate_draws(model, model.nominal[None])[0], index=model.regions))
    new = rank(scores)
    table = pd.DataFrame({"name": model.names, "score": scores, "rank": new, "baseline_rank": baseline})
    table["rank_change"] = (table["baseline_rank"] - table["rank"]).astype("Int64")
    choices = {"weights": weights or {}, "method": method, "normalisation": normalisation, "aggregation": aggregation}
    return WhatIf(table.sort_values(["rank", "baseline_rank"], kind="stable"), choices)
