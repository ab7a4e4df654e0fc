"""Stochastic multicriteria acceptability analysis, SMAA-2 (Lahdelma & Salminen 2001), from a Monte Carlo run.

The Monte Carlo (:func:`livecommerce.analysis.sensitivity.monte_carlo`) draws the weights — with no preference
information, uniformly over each node's simplex (``Uncertainty(weights="simplex")``), and within weight bounds if
given (``Uncertainty(bounds=...)``) — and keeps what SMAA-2 needs: each region's draws of every rank and the sum of
the weights of the draws in which it ranks first. From these:

- the rank acceptability index b_i^r: the share of draws in which region i ranks r (ties share the best rank, so a
  region's row sums to 1);
- the central weights w_i^c: the mean weights of the draws in which i ranks first (undefined if it never does);
- the confidence factor p_i^c: the probability that i ranks first at its central weights, over the choices the
  draws switch (aggregation, normalisation, the options of a step model's steps; a component left out, ``drop``,
  shows in the central weights); with nothing else uncertain it is 1 or 0;
- the holistic acceptability a_i^h = Σ_r α_r b_i^r, with meta-weights α_1 = 1 ≥ α_2 ≥ … ≥ α_n = 0.
"""

from itertools import product

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.analysis.sensitivity.sampling import Sampler
from livecommerce.analysis.sensitivity.uncertainty import Result, ranks
from livecommerce.errors import ParameterError
from livecommerce.index.model import evaluate_draws, variant

__all__ = ["acceptability", "central_weights", "confidence", "holistic", "smaa_table"]


def _result(value) -> Result:
    return arguments.instance(value, "result", Result, "a Monte Carlo result (sensitivity.monte_carlo)")


def acceptability(result: Result) -> pd.DataFrame:
    """Rank acceptability indices b_i^r (regions × ranks 1..n): the share of draws in which each region ranks r."""
    result = _result(result)
    n = len(result.model.regions)
    table = np.zeros((n, n + result.rank_counts.shape[1]))
    columns = result.rank_low[:, None] - 1 + np.arange(result.rank_counts.shape[1])
    table[np.arange(n)[:, None], columns] = result.rank_counts
    return pd.DataFrame(
        table[:, :n] / result.n_draws, index=result.model.regions, columns=pd.RangeIndex(1, n + 1, name="rank")
    )


def central_weights(result: Result) -> pd.DataFrame:
    """Each region's central weights w_i^c (regions × ``node/child``): the mean weights of the draws in which it ranks
    first; NaN for a region that never does."""
    result = _result(result)
    firsts = acceptability(result)[1].to_numpy() * result.n_draws
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(firsts[:, None] > 0, result.first_weights / firsts[:, None], np.nan)
    labels = [f"{node}/{child}" for node, child in result.model.weight_labels]
    return pd.DataFrame(mean, index=result.model.regions, columns=labels)


def _settings(result: Result) -> list[tuple[str, str, float]]:
    """Every (aggregation, key of ``model.scores``) the run may draw, with its probability: its aggregations,
    normalisations and options of the model's steps (the nominal one of each the run does not vary)."""
    model, sampler = result.model, Sampler(result.model, result.spec)
    axes = [
        sampler.choices.get("aggregations", (["nominal"], np.ones(1))),
        sampler.choices.get("normalisations", (model.normalisations[:1], np.ones(1))),
        *(sampler.steps.get(step, (list(options[:1]), np.ones(1))) for step, options in model.variants.items()),
    ]
    out = []
    for combination in product(*(list(zip(*axis)) for axis in axes)):
        (aggregation, _), (normalisation, _), *options = combination
        key = variant(normalisation, {step: o for step, (o, _) in zip(model.variants, options)})
        p = float(np.prod([chance for _, chance in combination]))
        if p > 0:
            out.append((aggregation, key, p))
    return out


def confidence(result: Result) -> pd.Series:
    """Each region's confidence factor p_i^c: the probability that it ranks first with its central weights, over the
    run's aggregations and normalisations (their probabilities); NaN for a region that never ranks first."""
    weights = central_weights(result)
    model = result.model
    live = np.flatnonzero(weights.notna().all(axis=1).to_numpy())
    out = np.full(len(model.regions), np.nan)
    out[live] = 0.0
    if len(live):
        w = weights.to_numpy()[live]
        for aggregation, normalisation, p in _settings(result):
            scores = evaluate_draws(
                model, w, np.full(len(live), aggregation), np.full(len(live), normalisation)
            )  # row k: every region at the central weights of region live[k]
            out[live] += p * (ranks(scores)[np.arange(len(live)), live] == 1)
    return pd.Series(out, index=model.regions, name="confidence")


def holistic(result: Result, meta=None) -> pd.Series:
    """Holistic acceptability a_i^h = Σ_r α_r b_i^r; ``meta`` the meta-weights α_1..α_n (non-increasing, α_1 = 1),
    by default linear, α_r = (n − r)/(n − 1)."""
    table = acceptability(result)
    n = table.shape[1]
    if meta is None:
        alpha = np.linspace(1, 0, n) if n > 1 else np.ones(1)
    else:
        alpha = np.asarray(arguments.array(meta, "meta", (1,)), dtype=float)
        if alpha.shape != (n,) or not np.isfinite(alpha).all() or alpha[0] != 1 or (np.diff(alpha) > 0).any():
            raise ParameterError(f"meta must give {n} non-increasing weights from α_1 = 1, got {meta!r}")
    return pd.Series(table.to_numpy() @ alpha, index=table.index, name="holistic")


def smaa_table(result: Result) -> pd.DataFrame:
    """SMAA-2 by region: name, first-rank acceptability, holistic acceptability, confidence factor and central
    weights, best holistic acceptability first."""
    out = pd.DataFrame({"name": _result(result).model.names})
    out["first"] = acceptability(result)[1]
    out["holistic"] = holistic(result)
    out["confidence"] = confidence(result)
    return out.join(central_weights(result)).sort_values(["holistic", "first"], ascending=False)
