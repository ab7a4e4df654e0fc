"""Aggregation of component scores (columns) into one score per region (row).

The weighted power means — arithmetic (compensatory: a weak component is fully offset by a strong one),
geometric and harmonic (less and less compensatory) and the generalised mean of any power ``p`` (COINr's
a_genmean) — are each a weighted arithmetic mean of transformed scores (:data:`LINEAR`). The others are not:

- ``median``: the weighted median (the smallest score whose cumulative weight passes one half; the mean of two
  scores where it is exactly one half), insensitive to a single extreme component.
- ``copeland``: the weighted Copeland rule (COINr's a_copeland): region *i* beats region *j* when the weights of the
  components on which it scores higher (ties count half) exceed one half; its score is its wins minus its losses.
  Fully non-compensatory, and relative: a region's score depends on the others.
- ``mpi``: the Mazziotta–Pareto penalised mean ``M + sign·S·cv = M + sign·S²/M`` (weighted mean ``M``, weighted
  population deviation ``S``): ``sign = -1`` (the default) lowers the score of an unbalanced region, for an index
  where higher is better; ``+1`` raises it, for one where lower is better. :func:`mpi` and :func:`ampi` are the
  complete indices, with their own standardisation. The penalised mean is increasing in each score only while the
  scores lie within a span of half the smallest, as they do on the MPI's own scales; outside it a very high
  component can lower the score.
- ``bod``: the Benefit of the Doubt (:mod:`livecommerce.index.frontier`): the node's weights are not used, each
  region takes the weights most favourable to it; scores in (0, 1].

:func:`combine` evaluates any of them for a batch of weight vectors at once (the Monte Carlo's path);
:func:`aggregate` is one weighting on a frame.
"""

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.frontier import bod
from livecommerce.index.normalise import goalposts

__all__ = [
    "AGGREGATIONS",
    "LINEAR",
    "MEANS",
    "OPTIONS",
    "TIE",
    "WEIGHT_TOLERANCE",
    "aggregate",
    "ampi",
    "check_options",
    "check_weights",
    "combine",
    "mpi",
]

MEANS = ("arithmetic", "geometric", "harmonic")
"""The three classic weighted means, each a weighted arithmetic mean of transformed scores (:data:`LINEAR`)."""
AGGREGATIONS = (*MEANS, "generalised", "median", "copeland", "mpi", "bod")
"""How a node may combine its children (合成方式)."""
OPTIONS = {"generalised": {"p": 2.0}, "mpi": {"sign": -1}}
"""The options an aggregation takes, with their defaults: the generalised mean's power ``p`` (0 is the geometric
mean, its limit) and the Mazziotta–Pareto penalty's ``sign``."""
LINEAR = {
    "arithmetic": (np.asarray, np.asarray),
    "geometric": (np.log, np.exp),
    "harmonic": (np.reciprocal, np.reciprocal),
}
"""Each mean of :data:`MEANS` as a weighted arithmetic mean of transformed scores: (transform, inverse)."""
WEIGHT_TOLERANCE = 1e-6
"""How far weights may sum from 1 before they are refused rather than used."""
TIE = 1e-12
"""How close to one half a Copeland comparison or a median's cumulative weight counts as exactly one half."""


def check_weights(weights: pd.Series, what: str = "weights") -> pd.Series:
    """``weights`` as floats, refused unless finite, non-negative and summing to 1 within tolerance."""
    if arguments.series(weights, what).empty:
        raise ParameterError(f"{what} must be a non-empty Series indexed by component")
    values = pd.to_numeric(weights, errors="coerce").astype(float)  # text: NaN, refused below
    if not np.isfinite(values).all() or (values < 0).any():
        raise ParameterError(f"{what} must be finite and non-negative, got {values.to_dict()}")
    if abs(values.sum() - 1) > WEIGHT_TOLERANCE:
        raise ParameterError(f"{what} sum to {values.sum():.6g}, not 1 (tolerance {WEIGHT_TOLERANCE:g})")
    return values


def check_options(aggregation: str, options: dict, what: str = "aggregation") -> dict:
    """``aggregation``'s options (:data:`OPTIONS`) with its defaults filled in; an unknown or bad one is an error."""
    arguments.choice(aggregation, what, AGGREGATIONS)
    allowed = OPTIONS.get(aggregation, {})
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ParameterError(
            f"{what}: {unknown[0]}= is not an option of {aggregation!r} (it takes {', '.join(allowed) or 'none'})"
        )
    options = {**allowed, **options}
    if aggregation == "generalised":
        options["p"] = float(arguments.number(options["p"], f"{what}: p"))
    if aggregation == "mpi" and options["sign"] not in (-1, 1):
        raise ParameterError(f"{what}: sign must be -1 (penalise imbalance) or 1, got {options['sign']!r}")
    return options


def _power(p: float):
    """The generalised mean of power ``p`` as (transform, inverse); ``p = 0`` is the geometric mean."""
    if p == 0:
        return LINEAR["geometric"]
    return (lambda x: x**p), (lambda x: x ** (1 / p))


def _check_domain(values: np.ndarray, columns, aggregation: str, options: dict) -> None:
    """Refuse, naming the first column, scores a mean cannot take (≤ 0 for a log or a negative power)."""
    p = options.get("p", 1.0)
    if aggregation in ("geometric", "harmonic") or (aggregation == "generalised" and p <= 0):
        bad = (values <= 0).reshape(-1, values.shape[-1]).any(axis=0)
        need = "positive"
    elif aggregation == "generalised" and p != int(p):
        bad = (values < 0).reshape(-1, values.shape[-1]).any(axis=0)
        need = "non-negative"
    else:
        return
    if bad.any():
        name = {"generalised": f"generalised mean (p = {p:g})"}.get(aggregation, f"{aggregation} mean")
        raise DataError(f"column {list(columns)[int(np.argmax(bad))]!r}: the {name} needs {need} scores")


def _median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    order = np.argsort(values, axis=-1, kind="stable")
    ranked = np.take_along_axis(values, order, -1)
    cumulative = np.cumsum(np.take_along_axis(np.broadcast_to(weights[:, None, :], values.shape), order, -1), -1)
    cumulative /= cumulative[..., -1:]
    low = np.take_along_axis(ranked, np.argmax(cumulative >= 0.5 - TIE, axis=-1)[..., None], -1)
    high = np.take_along_axis(ranked, np.argmax(cumulative > 0.5 + TIE, axis=-1)[..., None], -1)
    return ((low + high) / 2)[..., 0]


def _copeland(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    out = np.empty(values.shape[:2])
    for d in range(len(out)):  # regions × regions × components per draw
        x, w = values[d], weights[d] / weights[d].sum()
        beats = (x[:, None, :] > x[None, :, :]) @ w + 0.5 * ((x[:, None, :] == x[None, :, :]) @ w)
        out[d] = (np.where(beats > 0.5 + TIE, 1, 0) - np.where(beats < 0.5 - TIE, 1, 0)).sum(axis=1)
    return out


def _penalised(values: np.ndarray, weights: np.ndarray, sign: int, scale: float = 1.0) -> np.ndarray:
    """``M + sign·scale·S²/M`` of each row (the weighted mean and population variance; ``scale`` m / (m − 1) makes
    an equally weighted one the sample variance)."""
    w = weights[:, None, :] / weights.sum(axis=-1)[:, None, None]
    mean = (values * w).sum(-1)
    if (mean <= 0).any():
        raise DataError("the Mazziotta–Pareto penalty needs a positive mean score in every region")
    variance = (((values - mean[..., None]) ** 2) * w).sum(-1)
    return mean + sign * scale * variance / mean


def _frontier(values: np.ndarray, columns) -> np.ndarray:
    """BoD of every draw's scores: computed once where all draws share their scores (the weights are not used)."""
    if all(np.array_equal(values[0], v) for v in values[1:]):
        return np.broadcast_to(bod(pd.DataFrame(values[0], columns=list(columns)))[0].to_numpy(), values.shape[:2])
    return np.stack([bod(pd.DataFrame(v, columns=list(columns)))[0].to_numpy() for v in values])


def combine(values: np.ndarray, weights: np.ndarray, aggregation: str, columns=None, **options) -> np.ndarray:
    """The ``aggregation`` of ``values`` (regions × components, or draws × regions × components) under each row of
    ``weights`` (draws × components): draws × regions. ``columns`` names the components in errors; ``options`` are
    the aggregation's (:data:`OPTIONS`). Scores outside a mean's domain are refused."""
    options = check_options(aggregation, options)
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    values = np.broadcast_to(np.asarray(values, dtype=float), (len(weights), *np.shape(values)[-2:]))
    columns = range(values.shape[-1]) if columns is None else columns
    _check_domain(values, columns, aggregation, options)
    if aggregation in LINEAR:  # draw by draw, one matrix product each: the same bits as ever for one weighting
        forward, back = LINEAR[aggregation]
        return np.stack([back(forward(v) @ w) for v, w in zip(values, weights)])
    if aggregation == "generalised":  # homogeneous: each row divided by its largest magnitude, so powers stay finite
        forward, back = _power(options["p"])
        largest = np.abs(values).max(axis=-1)
        largest = np.where(largest > 0, largest, 1.0)
        return largest * back(np.einsum("drc,dc->dr", forward(values / largest[..., None]), weights))
    if aggregation == "median":
        return _median(values, weights)
    if aggregation == "copeland":
        return _copeland(values, weights)
    if aggregation == "mpi":
        return _penalised(values, weights, options["sign"])
    return _frontier(values, columns)


def aggregate(scores: pd.DataFrame, weights: pd.Series, aggregation: str = "arithmetic", **options) -> pd.Series:
    """The weighted ``aggregation`` of the columns of ``scores`` named by ``weights``, per region; ``options`` are
    the aggregation's (:data:`OPTIONS`)."""
    arguments.choice(aggregation, "aggregation", AGGREGATIONS)
    weights = check_weights(weights)
    arguments.columns_of(arguments.frame(scores, "scores"), weights.index, "weights")
    values = arguments.numeric_frame(scores[weights.index], "aggregate")
    out = combine(values.to_numpy(), weights.to_numpy(), aggregation, weights.index, **options)[0]
    return pd.Series(out, index=scores.index)


def _standardised_mpi(standard: pd.DataFrame, sign: int, ddof: int = 0) -> pd.Series:
    m = standard.shape[1]
    penalised = _penalised(standard.to_numpy()[None], np.ones((1, m)), sign, m / (m - ddof))
    return pd.Series(penalised[0], index=standard.index)


def mpi(frame: pd.DataFrame, sign: int = -1, ddof: int = 0) -> pd.Series:
    """The Mazziotta–Pareto index (De Muro, Mazziotta & Pareto 2011) of raw indicators (columns, higher is better):
    each standardised to ``100 + 10·z`` (``ddof`` 0: population deviations, the published definition; Compind's
    ci_mpi uses 1, sample deviations, for the rows, and before its version 3.2 for the columns too), then penalised
    by ``sign``·S·cv across them."""
    check_options("mpi", {"sign": sign})
    ddof = arguments.integer(ddof, "ddof", 0, 1)
    values = arguments.numeric_frame(arguments.frame(frame, "frame"), "mpi", min_rows=2)
    if values.shape[1] < 2:
        raise ParameterError("mpi: frame needs two indicators or more (the penalty is their spread)")
    spread = values.std(ddof=ddof)
    if (spread <= 0).any():
        raise DataError(f"column {spread.index[spread <= 0][0]!r} is constant: the MPI cannot standardise it")
    standard = 100 + 10 * (values - values.mean()) / spread
    return _standardised_mpi(standard, sign, ddof)


def ampi(frame: pd.DataFrame, posts=None, sign: int = -1) -> pd.Series:
    """The adjusted Mazziotta–Pareto index (Mazziotta & Pareto 2016) of raw indicators (columns, higher is
    better): each rescaled by its goalposts to ``70 + 60·(x − low)/(high − low)`` (``posts`` ``{column: (low,
    high)}`` as :func:`livecommerce.index.normalise.goalposts` takes them, by default each column's minimum and
    maximum), then penalised by ``sign``·S·cv with population deviations. Scores comparable across time when the
    goalposts are held fixed."""
    check_options("mpi", {"sign": sign})
    values = arguments.numeric_frame(arguments.frame(frame, "frame"), "ampi", min_rows=1)
    given = dict(arguments.optional(arguments.mapping, posts, "posts") or {})
    posts = {c: given.get(c, (values[c].min(), values[c].max())) for c in values} | given
    return _standardised_mpi(70 + 60 * goalposts(values, posts, scale=1.0, truncate=False), sign)
