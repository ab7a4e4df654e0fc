"""Outlier treatment of raw indicators, declared per indicator in the scheme (COINr's ``Treat``).

An indicator is treated only if it fails the skewness–kurtosis check: it fails when |skewness| > ``skew`` and
kurtosis > ``kurtosis`` (COINr's default rule, 2 and 3.5; sample skewness and excess kurtosis with the
small-sample correction, as Excel's SKEW and KURT and COINr's ``skew``/``kurt``). Methods:

- ``winsorise``: the most extreme point on the side of the skew is set to the next value inward, one step at a
  time (tied points together), re-checking after each, until the column passes or ``max_points`` points are
  treated (COINr's ``winsorise``: Becker et al. 2022, *COINr: An R package for developing composite
  indicators*, JOSS 7(78), 4567; the Handbook, OECD/JRC 2008, Part 1 §5, on extreme values and skewed
  indicators before normalisation). If it still fails, ``fallback`` (``log`` or ``boxcox``) is applied to the original
  values instead, as COINr does by default.
- ``clip``: every value clipped to the ``lower`` and ``upper`` quantiles
  (:func:`livecommerce.index.normalise.clip_quantiles`).
- ``log``: log(x − min + 0.01 (max − min)), COINr's ``log_CT`` (a log that accepts zeros and keeps the order).
- ``boxcox``: Box–Cox (Box and Cox 1964) of x − min + 1, with ``lambda`` given or estimated by maximum
  likelihood (:func:`scipy.stats.boxcox`).

Every treated point is returned in a tidy frame (region, indicator, method, before, after) for the study's log.
"""

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.normalise import clip_quantiles

__all__ = [
    "DEFAULTS",
    "FALLBACKS",
    "POINTS",
    "TREATMENTS",
    "fails",
    "kurtosis",
    "skewness",
    "treat",
    "treat_column",
    "winsorise_outliers",
]

TREATMENTS = ("none", "winsorise", "clip", "log", "boxcox")
"""Treatments an indicator may declare."""

FALLBACKS = ("none", "log", "boxcox")
"""What ``winsorise`` and ``clip`` do with a column that still fails the check."""

DEFAULTS = {
    "method": "none",
    "skew": 2.0,
    "kurtosis": 3.5,
    "max_points": 5,
    "fallback": "none",
    "lower": 0.05,
    "upper": 0.95,
    "lambda": None,
}
"""A treatment's settings and their defaults (COINr's: |skew| 2, kurtosis 3.5, at most 5 points)."""

POINTS = ["region", "indicator", "method", "before", "after"]
"""The columns of the treated-points record."""


def _values(values) -> np.ndarray:
    return arguments.array(values, "values", ndim=(1,)).astype(float)


def skewness(values) -> float:
    """Sample skewness with the small-sample correction (Excel SKEW, COINr ``skew``, e1071 type 2)."""
    from scipy import stats  # when used: scipy.stats loads in about a second

    return float(stats.skew(_values(values), bias=False))


def kurtosis(values) -> float:
    """Sample excess kurtosis with the small-sample correction (Excel KURT, COINr ``kurt``, e1071 type 2)."""
    from scipy import stats  # when used: scipy.stats loads in about a second

    return float(stats.kurtosis(_values(values), fisher=True, bias=False))


def fails(values, skew: float = DEFAULTS["skew"], kurt: float = DEFAULTS["kurtosis"]) -> bool:
    """Whether a column needs treatment: |skewness| > ``skew`` and kurtosis > ``kurt`` (COINr's rule).
    A column of fewer than four values, or with no spread, never does (its moments are undefined)."""
    values = _values(values)
    arguments.number(skew, "skew"), arguments.number(kurt, "kurt")
    if len(values) < 4 or np.ptp(values) == 0:
        return False
    return abs(skewness(values)) > skew and kurtosis(values) > kurt


def winsorise_outliers(column: pd.Series, max_points: int = 5, skew: float = 2.0, kurt: float = 3.5) -> pd.Series:
    """``column`` winsorised by COINr's rule: while it :func:`fails`, the extreme point(s) on the side of the
    skew take the next value inward, never more than ``max_points`` points in all (a tied group that would
    exceed it is left)."""
    max_points = arguments.integer(max_points, "max_points", 1)
    arguments.number(skew, "skew"), arguments.number(kurt, "kurt")
    values = arguments.series(column, "column").astype(float).copy()
    treated = pd.Series(False, index=values.index)
    while fails(values, skew, kurt):
        high = skewness(values) >= 0
        extreme = values.max() if high else values.min()
        at = values == extreme
        rest = values[~at]
        if rest.empty or (treated | at).sum() > max_points:
            break
        values[at] = rest.max() if high else rest.min()
        treated |= at
    return values


def _log(values: pd.Series) -> pd.Series:
    spread = values.max() - values.min()
    return np.log(values - values.min() + 0.01 * spread)


def _boxcox(values: pd.Series, lam: float | None) -> pd.Series:
    from scipy import stats  # when used: scipy.stats loads in about a second

    shifted = (values - values.min() + 1).to_numpy()
    out = stats.boxcox(shifted) if lam is None else stats.boxcox(shifted, lmbda=lam)
    return pd.Series(out[0] if lam is None else out, index=values.index)


def _transformed(values: pd.Series, method: str, spec: dict) -> pd.Series:
    if method == "log":
        return _log(values)
    if method == "boxcox":
        return _boxcox(values, spec["lambda"])
    if method == "clip":
        return clip_quantiles(values.to_frame(), spec["lower"], spec["upper"]).iloc[:, 0]
    return winsorise_outliers(values, spec["max_points"], spec["skew"], spec["kurtosis"])


def treat_column(column: pd.Series, spec: dict) -> tuple[pd.Series, str]:
    """``column`` treated as ``spec`` (keys of :data:`DEFAULTS`) says, and the method that was applied
    (``"none"`` if it passed the check, or nothing helped)."""
    unknown = set(arguments.mapping(spec, "spec").keys()) - set(DEFAULTS)
    if unknown:
        raise ParameterError(f"spec: unknown key {sorted(map(str, unknown))[0]!r} (allowed: {', '.join(DEFAULTS)})")
    spec = {**DEFAULTS, **spec}
    arguments.choice(spec["method"], "method", TREATMENTS)
    arguments.choice(spec["fallback"], "fallback", FALLBACKS)
    column = arguments.series(column, "column").astype(float)
    if spec["method"] == "none" or not fails(column, spec["skew"], spec["kurtosis"]):
        return column, "none"
    treated = _transformed(column, spec["method"], spec)
    if spec["method"] in ("winsorise", "clip") and spec["fallback"] != "none":
        if fails(treated, spec["skew"], spec["kurtosis"]):
            return _transformed(column, spec["fallback"], spec), spec["fallback"]
    return treated, spec["method"]


def treat(frame: pd.DataFrame, specs: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every column of ``frame`` named in ``specs`` ({column: spec}) treated; the treated frame and one row per
    changed point (:data:`POINTS`)."""
    out = arguments.frame(frame, "frame").astype(float).copy()
    rows = []
    for column, spec in arguments.mapping(specs, "specs").items():
        if column not in out:
            raise DataError(f"treatment of {column!r}: the data have no such column")
        treated, method = treat_column(out[column], spec)
        changed = out.index[treated != out[column]]
        rows += [(region, column, method, out.at[region, column], float(treated[region])) for region in changed]
        out[column] = treated
    return out, pd.DataFrame(rows, columns=POINTS)
