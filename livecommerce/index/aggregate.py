"""Aggregation of component scores (columns) into one score per region (row).

All three aggregations are weighted power means: arithmetic (compensatory: a weak component is
fully offset by a strong one), geometric and harmonic (less and less compensatory). The
geometric and harmonic means need positive scores, which the 60–100 scale guarantees.
"""

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError

__all__ = ["AGGREGATIONS", "LINEAR", "WEIGHT_TOLERANCE", "aggregate", "check_weights"]

AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
"""How a node may combine its children (合成方式): a weighted arithmetic, geometric or harmonic mean."""
LINEAR = {
    "arithmetic": (np.asarray, np.asarray),
    "geometric": (np.log, np.exp),
    "harmonic": (np.reciprocal, np.reciprocal),
}
"""Each aggregation as a weighted arithmetic mean of transformed scores: (transform, inverse)."""
WEIGHT_TOLERANCE = 1e-6
"""How far weights may sum from 1 before they are refused rather than used."""


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


def aggregate(scores: pd.DataFrame, weights: pd.Series, aggregation: str = "arithmetic") -> pd.Series:
    """Weighted ``aggregation`` mean of the columns of ``scores`` named by ``weights``, per region."""
    arguments.choice(aggregation, "aggregation", AGGREGATIONS)
    weights = check_weights(weights)
    arguments.columns_of(arguments.frame(scores, "scores"), weights.index, "weights")
    values = arguments.numeric_frame(scores[weights.index], "aggregate")
    if aggregation != "arithmetic" and (values <= 0).any().any():
        column = values.columns[(values <= 0).any()][0]
        raise DataError(f"column {column!r}: the {aggregation} mean needs positive scores")
    forward, back = LINEAR[aggregation]
    return pd.Series(back(forward(values.to_numpy()) @ weights.to_numpy()), index=scores.index)
