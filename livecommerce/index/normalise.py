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
    "PER_COLUMN",
    "REQUIRED",
    "RANK_TIES",
    "clip_quantiles",
    "constant_columns",
    "distance_to_leader",
    "distance_to_reference",
    "distance_to_target",
    "efficacy",
    "goalposts",
    "log_transform",
    "minmax",
    "normalise",
    "normalise_each",
    "percentile",
    "rank_score",
    "scaled",
    "zscore",
]

CONSTANT_RULES = ("error", "midpoint")
PER_COLUMN = {"posts": 2, "targets": 1}
"""Options given per column, ``{column: value}``, with how many numbers each value holds: goalposts' (low, high)
and a distance's target. An indicator's own normalisation in a scheme gives its value alone."""


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


def zscore(frame, directions=None, constant: str = "error", mean: float = 0.0, spread: float = 1.0) -> pd.DataFrame:
    """Standard scores with the given ``mean`` and ``spread`` (by default 0 and 1: each column's mean and sample
    standard deviation mapped to them); a constant column scores ``mean`` under ``midpoint``."""
    if not arguments.number(spread, "spread") > 0:
        raise ParameterError(f"spread={spread!r} must be positive")
    mean = arguments.number(mean, "mean")
    values = _prepare(frame, directions, constant)
    flat = _flat(values, constant)
    values = _unit(values)
    std = values.std(ddof=1)
    scores = (values - values.mean()) / std.where(std > 0, 1.0)
    scores[flat] = 0.0
    return mean + spread * scores


RANK_TIES = ("average", "min")


def rank_score(frame, directions=None, constant: str = "error", ties: str = "average") -> pd.DataFrame:
    """Rank scores from 1 (worst) to n (best); tied regions share their average score, or the lowest (``ties =
    "min"``, COINr's n_rank; minus 1 it is the Borda score).

    A score, not a rank: larger is better, unlike ``ranking.rank`` (1 = best) used everywhere else.
    """
    arguments.choice(ties, "ties", RANK_TIES)
    values = _prepare(frame, directions, constant)
    _flat(values, constant)
    return values.rank(method=ties)


def percentile(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Percentile rank onto 0–100: the share of other regions a region beats (ties count half)."""
    scores = rank_score(frame, directions, constant)
    return 100.0 * (scores - 1) / max(len(scores) - 1, 1)


def distance_to_leader(frame, directions=None, constant: str = "error") -> pd.DataFrame:
    """Each value as a percentage of the best region's (needs values of zero or more after direction, a zero
    scoring 0: a region with no anchors is 0% of the leader)."""
    values = _prepare(frame, directions, constant)
    _flat(values, constant)
    leader = values.max()
    wrong = (values < 0).any() | (leader <= 0)
    if wrong.any():
        column = values.columns[wrong][0]
        raise DataError(f"column {column!r}: distance to the leader needs values of zero or more and a positive leader")
    return 100.0 * values / leader


def _per_column(frame: pd.DataFrame, given, name: str, size: int = 1) -> pd.DataFrame:
    """``given`` ``{column: value}`` (``size`` numbers each: a number, or a pair such as (low, high)) for every
    column of ``frame`` as a frame (a row per number), all problems in one error."""
    given = dict(arguments.mapping(given, name))
    problems = [f"{name}: no value for column {c!r}" for c in frame.columns if c not in given]
    problems += [f"{name}: {c!r} is not a column of frame" for c in given if c not in frame.columns]
    rows = {}
    for column in frame.columns.intersection(list(given)):
        value = np.atleast_1d(np.asarray(given[column], dtype=object))
        try:
            rows[column] = value.astype(float)
        except (TypeError, ValueError):
            problems.append(f"{name}[{column!r}]={given[column]!r}: not a number")
            continue
        if len(rows[column]) != size or not np.isfinite(rows[column]).all():
            problems.append(f"{name}[{column!r}]={given[column]!r}: need {size} finite number{'s' * (size > 1)}")
            del rows[column]
    if problems:
        raise ParameterError("; ".join(problems))
    return pd.DataFrame(rows)[frame.columns]


def goalposts(frame, posts: dict, directions=None, scale: float = 100.0, truncate: bool = True) -> pd.DataFrame:
    """Goalposts (COINr's n_goalposts): ``scale·(x − low)/(high − low)`` with fixed ``posts`` ``{column: (low,
    high)}`` in raw units (for a lower-is-better column, ``scale·(high − x)/(high − low)``), cut to 0–``scale``
    unless ``truncate`` is false. Scores comparable across editions as long as the posts stay."""
    values = _prepare(frame, directions, "midpoint")
    limits = _per_column(values, posts, "posts", 2)
    low, high = limits.iloc[0], limits.iloc[1]
    if not (high > low).all():
        raise ParameterError(f"posts[{high.index[~(high > low)][0]!r}]: need (low, high) with low < high")
    reflected = _reflected(frame.columns, directions)
    low, high = low.where(~reflected, -high), high.where(~reflected, -low)
    scores = (values - low) / (high - low)
    return scale * (scores.clip(0, 1) if arguments.flag(truncate, "truncate") else scores)


def _reflected(columns: pd.Index, directions) -> pd.Series:
    """Whether each column is lower-is-better (reflected by :func:`_prepare`)."""
    given = {} if directions is None else dict(directions)
    return pd.Series([given.get(c, 1) == -1 for c in columns], index=columns)


def distance_to_reference(
    frame, reference: str, directions=None, cap: bool = False, scale: float = 100.0, constant: str = "error"
) -> pd.DataFrame:
    """Distance to a reference region (COINr's n_dist2ref): ``scale·(1 − (x_ref − x)/(x_ref − min))``, ``scale``
    at the reference and 0 at the worst region; above ``scale`` for a region better than the reference unless
    ``cap``."""
    values = _prepare(frame, directions, constant)
    _flat(values, constant)
    if reference not in values.index:
        raise ParameterError(f"reference={reference!r} is not a region (row) of frame")
    best = values.loc[reference]
    gap = best - values.min()
    if (gap <= 0).any():
        raise DataError(
            f"column {gap.index[gap <= 0][0]!r}: the reference {reference!r} is the worst region, "
            "no distance to it can be scaled"
        )
    scores = 1 - (best - values) / gap
    return scale * (scores.clip(upper=1) if arguments.flag(cap, "cap") else scores)


def distance_to_target(
    frame, targets: dict, directions=None, cap: bool = False, scale: float = 100.0, constant: str = "error"
) -> pd.DataFrame:
    """Distance to a target (COINr's n_dist2targ): ``scale·(x − min)/(target − min)`` with ``targets``
    ``{column: value}`` in raw units (``scale·(max − x)/(max − target)`` for a lower-is-better column), ``scale`` at
    the target; above it past the target unless ``cap``."""
    values = _prepare(frame, directions, constant)
    _flat(values, constant)
    target = _per_column(values, targets, "targets").iloc[0]
    target = target.where(~_reflected(frame.columns, directions), -target)
    gap = target - values.min()
    if (gap <= 0).any():
        raise DataError(f"column {gap.index[gap <= 0][0]!r}: its target is not above its worst region")
    scores = (values - values.min()) / gap
    return scale * (scores.clip(upper=1) if arguments.flag(cap, "cap") else scores)


def scaled(frame, directions=None, low: float = 0.0, high: float = 100.0, factor: float = 100.0) -> pd.DataFrame:
    """Scaled by fixed numbers (COINr's n_scaled): ``factor·(x − low)/(high − low)``, the same ``low`` and ``high``
    for every column (after a lower-is-better column is negated)."""
    if not arguments.number(low, "low") < arguments.number(high, "high"):
        raise ParameterError(f"low={low!r} must be below high={high!r}")
    return (_prepare(frame, directions, "midpoint") - low) / (high - low) * arguments.number(factor, "factor")


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
    "goalposts": goalposts,
    "distance_to_reference": distance_to_reference,
    "distance_to_target": distance_to_target,
    "scaled": scaled,
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
REQUIRED = {
    name: [k for k, p in inspect.signature(method).parameters.items() if p.default is p.empty and k != "frame"]
    for name, method in NORMALISATIONS.items()
}
"""The options a method cannot do without (goalposts' posts, a distance's reference or targets)."""


def normalise(frame: pd.DataFrame, method: str = "efficacy", **options) -> pd.DataFrame:
    """Normalise with the named method (one of :data:`NORMALISATIONS`), given ``directions`` and its :data:`OPTIONS`."""
    arguments.choice(method, "method", NORMALISATIONS)
    unknown = set(options) - {"directions", *OPTIONS[method]}
    if unknown:
        raise ParameterError(
            f"{sorted(unknown)[0]}= is not an option of method {method!r} "
            f"(it takes {', '.join(['directions', *OPTIONS[method]])})"
        )
    required = [k for k in REQUIRED[method] if k not in options]
    if required:
        raise ParameterError(f"method {method!r} needs {required[0]}= (such as its {required[0]} per indicator)")
    return NORMALISATIONS[method](frame, **options)


def normalise_each(frame: pd.DataFrame, methods: dict, directions=None) -> pd.DataFrame:
    """Each column normalised by its own method: ``methods`` maps every column to ``{"method": name, **options}``,
    a per-column option (:data:`PER_COLUMN`) given as that column's value alone; columns sharing a method and
    options are normalised together (each method treats columns one by one, so grouping changes nothing). Columns
    keep their order."""
    methods = dict(arguments.mapping(methods, "methods"))
    missing = [c for c in frame.columns if c not in methods]
    if missing:
        raise ParameterError(f"methods: no normalisation for column {missing[0]!r}")
    directions = {} if directions is None else dict(arguments.mapping(directions, "directions"))
    groups: dict[str, list] = {}
    for column in frame.columns:
        shared = sorted((k, v) for k, v in methods[column].items() if k not in PER_COLUMN)
        groups.setdefault(repr(shared), []).append(column)
    parts = []
    for columns in groups.values():
        options = {k: v for k, v in methods[columns[0]].items() if k not in PER_COLUMN}
        options.update({k: {c: methods[c][k] for c in columns} for k in PER_COLUMN if k in methods[columns[0]]})
        method = options.pop("method")
        own = {c: directions[c] for c in columns if c in directions}
        parts.append(normalise(frame[columns], method, directions=own, **options))
    return pd.concat(parts, axis=1)[frame.columns]
