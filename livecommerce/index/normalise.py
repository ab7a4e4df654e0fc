"""Normalisation of raw indicators (columns) across regions (rows) onto comparable scales.

Every method takes a DataFrame indexed by region, one column per indicator, and returns a
frame of the same shape. ``directions`` maps an indicator to ``+1`` (higher is better, the
default) or ``-1`` (lower is better); a lower-is-better indicator is reflected first, so that
every output is increasing in performance. A column with no spread cannot be normalised:
that is an error naming it, unless ``constant="midpoint"`` asks for the middle of the scale.
"""

import inspect

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError
from livecommerce.vocab import SCALE

__all__ = [
    "CONSTANT_RULES",
    "NORMALISATIONS",
    "OPTIONS",
    "clip_quantiles",
    "constant_columns",
    "distance_to_leader",
    "efficacy",
    "log_transform",
    "minmax",
    "normalise",
    "percentile",
    "rank_score",
    "zscore",
]

CONSTANT_RULES = ("error", "midpoint")


def _prepare(frame: pd.DataFrame, directions, constant: str) -> pd.DataFrame:
    arguments.choice(constant, "constant", CONSTANT_RULES)
    values = arguments.numeric_frame(frame, "normalisation")
    signs = pd.Series(1.0, index=values.columns)
    for column, sign in ({} if directions is None else dict(arguments.mapping(directions, "directions"))).items():
        if column not in signs.index or sign not in (1, -1):
            raise ParameterError(f"directions[{column!r}]={sign!r}: need a column of frame and +1 or -1")
        signs[column] = sign
    return values * signs


def constant_columns(values: pd.DataFrame) -> pd.Index:
    """The columns of ``values`` with no spread across regions (rows)."""
    return values.columns[(values.max() - values.min()) <= 0]


def _flat(values: pd.DataFrame, constant: str) -> pd.Index:
    """The constant columns; an error naming the first unless ``constant`` allows them."""
    flat = constant_columns(values)
    if len(flat) and constant == "error":
        if len(values) == 1:
            raise DataError(
                f"frame has one region ({values.index[0]!r}): normalising compares regions, give two or more"
            )
        raise DataError(
            f"column {flat[0]!r} is constant across regions; pass constant='midpoint' to score it mid-scale"
        )
    return flat


def _unit(values: pd.DataFrame) -> pd.DataFrame:
    """Each column divided by its largest magnitude: the scale-free methods give the same result,
    and differences and squares of values near the float limit (1e308) stay finite."""
    largest = values.abs().max()
    return values / largest.where(largest > 0, 1.0)


def _scale(values: pd.DataFrame, low: float, high: float, constant: str) -> pd.DataFrame:
    flat = _flat(values, constant)
    values = _unit(values)
    spread = values.max() - values.min()
    scaled = (values - values.min()) / spread.where(spread > 0, 1.0)
    scaled[flat] = 0.5
    return low + (high - low) * scaled


def efficacy(
    frame, directions=None, low: float = SCALE[0], high: float = SCALE[1], constant: str = "error"
) -> pd.DataFrame:
    """Efficacy coefficient method (功效系数法): the worst region scores ``low``, the best ``high``."""
    if not arguments.number(low, "low") < arguments.number(high, "high"):
        raise ParameterError(f"low={low!r} must be below high={high!r}")
    return _scale(_prepare(frame, directions, constant), low, high, constant)


def minmax(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Min–max onto 0–100."""
    return efficacy(frame, directions, 0.0, 100.0, constant)


def zscore(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Standard scores (mean 0, sample standard deviation 1); a constant column scores 0 under ``midpoint``."""
    values = _prepare(frame, directions, constant)
    flat = _flat(values, constant)
    values = _unit(values)
    std = values.std(ddof=1)
    scores = (values - values.mean()) / std.where(std > 0, 1.0)
    scores[flat] = 0.0
    return scores


def rank_score(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Rank scores from 1 (worst) to n (best); ties share their average score.

    A score, not a rank: larger is better, unlike ``ranking.rank`` (1 = best) used everywhere else.
    """
    values = _prepare(frame, directions, constant)
    _flat(values, constant)
    return values.rank(method="average")


def percentile(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Percentile rank onto 0–100: the share of other regions a region beats (ties count half)."""
    scores = rank_score(frame, directions, constant)
    return 100.0 * (scores - 1) / max(len(scores) - 1, 1)


def distance_to_leader(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Each value as a percentage of the best region's (needs positive values after direction)."""
    values = _prepare(frame, directions, constant)
    _flat(values, constant)
    leader = values.max()
    if (values <= 0).any().any():
        column = values.columns[(values <= 0).any()][0]
        raise DataError(f"column {column!r}: distance to the leader needs positive values")
    return 100.0 * values / leader


def log_transform(frame: pd.DataFrame) -> pd.DataFrame:
    """``log(1 + x)`` for skewed non-negative counts; a negative value is an error naming its column."""
    values = _prepare(frame, None, "midpoint")
    negative = values.columns[(values < 0).any()]
    if len(negative):
        raise DataError(f"column {negative[0]!r}: log transform needs non-negative values")
    return np.log1p(values)


def clip_quantiles(frame: pd.DataFrame, lower: float = 0.05, upper: float = 0.95) -> pd.DataFrame:
    """Clip each column to its ``lower`` and ``upper`` quantiles (linear interpolation): the ``clip`` treatment
    (:mod:`livecommerce.index.treat`), not ``winsorise``, which moves one extreme point at a time."""
    if not 0 <= arguments.number(lower, "lower") < arguments.number(upper, "upper") <= 1:
        raise ParameterError(f"need 0 ≤ lower < upper ≤ 1, got lower={lower!r}, upper={upper!r}")
    values = _prepare(frame, None, "midpoint")
    return values.clip(values.quantile(lower), values.quantile(upper), axis=1)


NORMALISATIONS = {
    "efficacy": efficacy,
    "minmax": minmax,
    "zscore": zscore,
    "rank_score": rank_score,
    "percentile": percentile,
    "distance_to_leader": distance_to_leader,
}


def _options(method) -> dict[str, type]:
    parameters = inspect.signature(method, eval_str=True).parameters
    return {
        name: object if p.annotation is p.empty else p.annotation
        for name, p in parameters.items()
        if name not in ("frame", "directions")
    }


OPTIONS = {name: _options(method) for name, method in NORMALISATIONS.items()}
"""The options each method takes besides ``directions``, with their types, read from its signature."""


def normalise(frame: pd.DataFrame, method: str = "efficacy", **options) -> pd.DataFrame:
    """Normalise with the named method (one of :data:`NORMALISATIONS`), given ``directions`` and its :data:`OPTIONS`."""
    arguments.choice(method, "method", NORMALISATIONS)
    unknown = set(options) - {"directions", *OPTIONS[method]}
    if unknown:
        raise ParameterError(
            f"{sorted(unknown)[0]}= is not an option of method {method!r} "
            f"(it takes {', '.join(['directions', *OPTIONS[method]])})"
        )
    return NORMALISATIONS[method](frame, **options)
