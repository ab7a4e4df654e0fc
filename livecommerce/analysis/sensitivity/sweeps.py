"""One weight at a time: tornado ranges, exact switching points, and importance versus weight.

Moving one weight ``t`` of a node rescales its siblings proportionally, ``w_j (1 − t) / (1 − w)``,
so the node's weights still sum to 1. Where every node on the way to the root is arithmetic,
each region's index is then an affine function of ``t``, and two regions swap places exactly
where their lines cross: :func:`switching_points` solves for it instead of searching.
"""

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.analysis.sensitivity.lowess import lowess_columns
from livecommerce.analysis.sensitivity.uncertainty import ranks
from livecommerce.errors import ParameterError
from livecommerce.index.model import Model, check_model, effective_weights, evaluate_draws

__all__ = ["fixed_rank", "importance", "main_effects", "moved", "switching_points", "tornado"]


def moved(model: Model, position: int, values: np.ndarray) -> np.ndarray:
    """Flat weight vectors with weight ``position`` set to each of ``values``, its siblings rescaled."""
    nominal = check_model(model).nominal
    arguments.integer(position, "position", 0, len(nominal) - 1)
    values = arguments.array(values, "values", (1,))
    start = 0
    for node in model.nodes:
        if start <= position < start + len(node.children):
            break
        start += len(node.children)
    siblings = slice(start, start + len(node.children))
    w = nominal[position]
    if w >= 1:
        raise ParameterError(
            f"weight {model.weight_labels[position]} is the only non-zero one of its node; it cannot move"
        )
    out = np.tile(nominal, (len(values), 1))
    out[:, siblings] = nominal[siblings] * ((1 - values) / (1 - w))[:, None]
    out[:, position] = values
    return out


def _range(w: float, span: float | None) -> tuple[float, float]:
    return (0.0, 1.0) if span is None else (max(0.0, w * (1 - span)), min(1.0, w * (1 + span)))


def tornado(model: Model, span: float | None = 0.5, steps: int = 41) -> pd.DataFrame:
    """Rank and score range of every region as each weight moves over ±``span`` of itself (all of [0, 1] if None).

    One row per (region, weight): nominal rank, lowest and highest rank reached, score range.
    """
    if span is not None and not 0 < arguments.number(span, "span"):
        raise ParameterError(f"span={span!r} must be positive (or None for the whole of [0, 1])")
    arguments.integer(steps, "steps", 2)
    nominal = check_model(model).nominal
    nominal_rank = ranks(evaluate_draws(model, nominal[None]))[0]
    rows = []
    for position, (node, child) in enumerate(model.weight_labels):
        if nominal[position] >= 1:
            continue
        low, high = _range(nominal[position], span)
        grid = np.union1d(np.linspace(low, high, steps), [nominal[position]])
        scores = evaluate_draws(model, moved(model, position, grid))
        r = ranks(scores)
        rows.append(
            pd.DataFrame(
                {
                    "region": model.regions,
                    "weight": f"{node}/{child}",
                    "nominal_weight": nominal[position],
                    "weight_low": low,
                    "weight_high": high,
                    "nominal_rank": nominal_rank,
                    "rank_best": r.min(axis=0),
                    "rank_worst": r.max(axis=0),
                    "score_low": scores.min(axis=0),
                    "score_high": scores.max(axis=0),
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out["rank_range"] = out["rank_worst"] - out["rank_best"]
    return out.set_index(["region", "weight"])


def fixed_rank(table: pd.DataFrame, region: str) -> int | None:
    """``region``'s rank if no weight of the :func:`tornado` ``table`` moves it, else None."""
    columns = ["rank_range", "nominal_rank"]
    arguments.choice(region, "region", arguments.frame(table, "table", columns).index.unique("region"))
    rows = table.loc[region]
    return None if (rows["rank_range"] > 0).any() else int(rows["nominal_rank"].iloc[0])


def switching_points(model: Model) -> pd.DataFrame:
    """Every weight value at which two regions adjacent in the nominal ranking swap places.

    Needs the arithmetic aggregation at every node. One row per swap: the weight, its nominal
    value, the regions ranked just above (``upper``) and below (``lower``) at nominal, and
    ``switch_at``, the exact weight at which their indices are equal.
    """
    other = {node.id: node.aggregation for node in check_model(model).nodes if node.aggregation != "arithmetic"}
    if other:
        raise ParameterError(f"switching points need the arithmetic aggregation at every node; {other} is not")
    nominal = check_model(model).nominal
    score = evaluate_draws(model, nominal[None])[0]
    order = np.argsort(-score, kind="stable")
    upper, lower = order[:-1], order[1:]
    rows = []
    for position, (node, child) in enumerate(model.weight_labels):
        if nominal[position] >= 1:
            continue
        at0, at1 = evaluate_draws(model, moved(model, position, np.array([0.0, 1.0])))
        slope = at1 - at0
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (at0[lower] - at0[upper]) / (slope[upper] - slope[lower])
        hit = np.isfinite(t) & (t >= 0) & (t <= 1)
        for a, b, value in zip(upper[hit], lower[hit], t[hit]):
            rows.append(
                {
                    "weight": f"{node}/{child}",
                    "nominal_weight": nominal[position],
                    "upper": model.regions[a],
                    "lower": model.regions[b],
                    "upper_name": model.names.iloc[a],
                    "lower_name": model.names.iloc[b],
                    "switch_at": value,
                    "change": value - nominal[position],
                }
            )
    columns = ["weight", "nominal_weight", "upper", "lower", "upper_name", "lower_name", "switch_at", "change"]
    out = pd.DataFrame(rows, columns=columns)
    return out.reindex(out["change"].abs().sort_values(kind="stable").index).reset_index(drop=True)


def importance(model: Model, frac: float = 2 / 3) -> pd.DataFrame:
    """Each component's main effect on the index beside its nominal weight (Paruolo, Saisana & Saltelli 2013).

    The correlation ratio S = Var(E[y | x]) / Var(y), with E[y | x] smoothed by LOWESS (``frac``) across regions;
    ``share`` rescales S to sum to 1, comparable with ``nominal_weight``, each component's effective weight
    (:func:`~livecommerce.index.model.effective_weights`).
    """
    out = pd.DataFrame(main_effects(model, frac), index=list(model.leaves))
    out.insert(0, "nominal_weight", effective_weights(model)["effective"])
    out["share"] = out["correlation_ratio"] / out["correlation_ratio"].sum()
    return out


def main_effects(model: Model, frac: float = 2 / 3) -> dict[str, np.ndarray]:
    """Each component's ``correlation_ratio`` (as :func:`importance` has it) and ``pearson_r2`` with the index, as
    arrays in the order of ``model.leaves``: what :func:`importance` tabulates, for a caller that asks many times."""
    if not 0 < arguments.number(frac, "frac") <= 1:
        raise ParameterError(f"frac={frac!r} must be in (0, 1]")
    y = evaluate_draws(model, check_model(model).nominal[None])[0]
    leaves = next(iter(model.scores.values()))
    smooth = lowess_columns(y, leaves, frac=frac)
    ratio, r2 = np.empty(len(model.leaves)), np.empty(len(model.leaves))
    for k in range(len(model.leaves)):
        ratio[k] = np.var(smooth[:, k]) / np.var(y)
        r2[k] = np.corrcoef(leaves[:, k], y)[0, 1] ** 2
    return {"correlation_ratio": ratio, "pearson_r2": r2}
