"""Benefit of the Doubt (BoD): each region scored at the weights most favourable to it, by linear programming.

The classic model (Melyn & Moesen 1991; Cherchye et al. 2007) gives region *i* the score
``max_w w·y_i`` subject to ``w·y_j ≤ 1`` for every region *j* and ``w ≥ 0``: a score in (0, 1], 1 for the
regions on the frontier. Weights may be restricted absolutely (``bounds``: ``low ≤ w_k ≤ high``, in the units of
the LP weights) or by a component's share of the region's own score (``shares``: ``low ≤ w_k·y_ik / w·y_i ≤
high``, Cherchye's pie shares). The robust variant (order-m, Cazals, Florens & Simar 2002; Vidoli & Mazziotta
2013) compares each region with ``m`` regions drawn at random, ``draws`` times, and averages: a region better than
its sample scores above 1. Every LP is solved by scipy's HiGHS (``linprog(method="highs")``).

Only frontier regions bind (an inefficient region's constraint is implied by the others'), so the LPs are solved
against a growing set of candidate regions, checked against every region after each solve: the same optimum as
the full LPs. Regions' LPs are solved :data:`CHUNK` at a time as one block-diagonal LP (one HiGHS call each).
"""

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, LivecommerceError, ParameterError

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["TOLERANCE", "bod", "directional_bod", "robust_bod"]

TOLERANCE = 1e-9
"""How far a region's score under another region's weights may exceed 1 before its constraint is added."""
CHUNK = 1024
"""How many regions' LPs are solved together, as one block-diagonal LP."""


def _positive(scores, what: str) -> pd.DataFrame:
    """``scores`` as floats, refused (naming the column) where negative or where a column is all zero."""
    values = arguments.numeric_frame(arguments.frame(scores, "scores"), what)
    negative = values.columns[(values < 0).any()]
    if len(negative):
        raise DataError(f"column {negative[0]!r}: {what} needs non-negative scores")
    empty = values.columns[(values <= 0).all()]
    if len(empty):
        raise DataError(f"column {empty[0]!r}: {what} needs a positive score in some region")
    return values


def _limits(value, columns: pd.Index, name: str, low: float, high: float) -> np.ndarray | None:
    """Per-column (low, high) limits as a 2 × columns array: from a DataFrame with rows ``low`` and ``high`` or a
    dict ``{column: (low, high)}``; columns not given keep (``low``, ``high``)."""
    if value is None:
        return None
    if isinstance(value, pd.DataFrame):
        arguments.columns_of(value.T, ["low", "high"], name)
        value = {column: (value.at["low", column], value.at["high", column]) for column in value.columns}
    given = arguments.mapping(value, name)
    out = np.array([[low] * len(columns), [high] * len(columns)], dtype=float)
    problems = []
    for column, pair in dict(given).items():
        try:
            lo, hi = (float(v) for v in pair)
        except (TypeError, ValueError):
            problems.append(f"{name}[{column!r}]={pair!r}: need (low, high)")
            continue
        if column not in columns:
            problems.append(f"{name}: {column!r} is not a column of scores")
        elif not low <= lo <= hi <= high:
            problems.append(f"{name}[{column!r}]=({lo:g}, {hi:g}): need {low:g} ≤ low ≤ high ≤ {high:g}")
        else:
            out[:, columns.get_loc(column)] = lo, hi
    if problems:
        raise ParameterError("; ".join(problems))
    return out


def _share_rows(rows: np.ndarray, shares: np.ndarray | None) -> np.ndarray:
    """The share restrictions of each region (rows × restrictions × columns) as rows of ``A w ≤ 0``:
    ``w_k y_k − high_k w·y ≤ 0`` and ``low_k w·y − w_k y_k ≤ 0``."""
    if shares is None:
        return np.empty((len(rows), 0, rows.shape[1]))
    own = rows[:, :, None] * np.eye(rows.shape[1])
    upper = own - shares[1][None, :, None] * rows[:, None, :]
    lower = shares[0][None, :, None] * rows[:, None, :] - own
    return np.concatenate([upper[:, shares[1] < 1], lower[:, shares[0] > 0]], axis=1)


def _block_diagonal(blocks: np.ndarray) -> "sparse.csr_matrix":
    """The block-diagonal matrix of ``blocks`` (blocks × rows × columns), built at once, its zeros dropped."""
    from scipy import sparse  # when used: scipy.optimize and its sparse matrices load in about half a second

    n, r, k = blocks.shape
    columns = np.broadcast_to(np.arange(n)[:, None, None] * k + np.arange(k), blocks.shape)
    out = sparse.csr_matrix((blocks.ravel(), columns.ravel(), np.arange(0, n * r * k + 1, k)), shape=(n * r, n * k))
    out.eliminate_zeros()
    return out


def _solve(rows: np.ndarray, references: np.ndarray, bounds, shares) -> tuple[np.ndarray, np.ndarray]:
    """Each row's score and weights against its own reference regions (rows × regions × columns; a row of zeros
    binds nothing), as one LP: the LPs are independent, so the block-diagonal LP maximising their sum solves each
    (one HiGHS call, not one per region)."""
    from scipy.optimize import linprog  # when used (_block_diagonal says why)

    blocks = np.concatenate([references, _share_rows(rows, shares)], axis=1)
    b = np.tile(np.r_[np.ones(references.shape[1]), np.zeros(blocks.shape[1] - references.shape[1])], len(rows))
    limits = np.tile([[0.0, np.inf]], (rows.size, 1)) if bounds is None else np.tile(bounds.T, (len(rows), 1))
    a = _block_diagonal(blocks)  # independent blocks: presolve finds nothing and costs a solve
    result = linprog(-rows.ravel(), A_ub=a, b_ub=b, bounds=limits, method="highs", options={"presolve": False})
    if result.status != 0:
        raise LivecommerceError(f"the BoD linear programme did not solve: {result.message}")
    weights = result.x.reshape(rows.shape)
    return (weights * rows).sum(axis=1), weights


def _starting_set(reference: np.ndarray) -> np.ndarray:
    """Regions on the frontier for sure: the best on each column, and the best at equal weights."""
    return np.unique([*np.argmax(reference, axis=0), np.argmax(reference.sum(axis=1))])


def _against_frontier(reference: np.ndarray, solve) -> tuple[np.ndarray, np.ndarray]:
    """Each region's LP solved against a growing set of candidate regions: ``solve(chunk, frontier)`` gives the
    chunk's results, weights and ceilings (the most any region may reach at its weights); a region above the
    ceiling joins the candidates and the regions it beat are solved again."""
    frontier, pending = _starting_set(reference), np.arange(len(reference))
    out, weights = np.empty(len(reference)), np.empty(reference.shape)
    while len(pending):
        chunk = pending[:CHUNK]
        out[chunk], weights[chunk], ceiling = solve(chunk, frontier)
        levels = weights[chunk] @ reference.T
        violated = levels.max(axis=1) > ceiling + TOLERANCE  # the frontier so far misses a region that binds
        frontier = np.union1d(frontier, np.argmax(levels[violated], axis=1))
        pending = np.concatenate([chunk[violated], pending[CHUNK:]])
    return out, weights


def bod(scores: pd.DataFrame, bounds=None, shares=None) -> tuple[pd.Series, pd.DataFrame]:
    """Each region's Benefit-of-the-Doubt score in (0, 1] and its optimal weights (regions × columns; the score is
    the row's weighted sum). ``bounds`` restricts each weight to ``(low, high)`` and ``shares`` a column's share of
    the region's score to ``(low, high)`` within [0, 1], each a dict ``{column: (low, high)}`` or a frame with rows
    ``low`` and ``high``. Restrictions that some region cannot meet are an error."""
    values = _positive(scores, "Benefit of the Doubt")
    scale = values.max().to_numpy()  # each column onto (0, 1]: the same scores, better-conditioned LPs
    reference = values.to_numpy() / scale
    bounds = _limits(bounds, values.columns, "bounds", 0.0, np.inf)
    bounds = None if bounds is None else bounds * scale
    shares = _limits(shares, values.columns, "shares", 0.0, 1.0)
    if shares is not None and (shares[0].sum() > 1 + TOLERANCE or shares[1].sum() < 1 - TOLERANCE):
        raise ParameterError(
            f"shares: the lows sum to {shares[0].sum():g} and the highs to {shares[1].sum():g}; need lows ≤ 1 ≤ highs"
        )

    def solve(chunk, frontier):
        try:
            references = np.broadcast_to(reference[frontier], (len(chunk), len(frontier), reference.shape[1]))
            out, weights = _solve(reference[chunk], references, bounds, shares)
        except LivecommerceError as exc:
            raise ParameterError(f"{exc} (check bounds and shares: some region cannot meet them)") from None
        return out, weights, np.ones(len(chunk))

    out, weights = _against_frontier(reference, solve)
    weights /= scale
    return pd.Series(out, index=values.index, name="bod"), pd.DataFrame(weights, values.index, values.columns)


def _growth(growth, values: pd.DataFrame) -> np.ndarray:
    """The growth vector as a regions × columns array: equal (ones) by default, one for every region from a dict or
    Series ``{column: g}``, or each region's own from a frame; refused, naming the region or column, where
    negative or nowhere positive."""
    if growth is None:
        return np.ones(values.shape)
    if isinstance(growth, pd.DataFrame):
        columns = list(values.columns)
        given = arguments.numeric_frame(arguments.columns_of(growth, columns, "growth")[columns], "growth")
        missing = values.index.difference(given.index)
        if len(missing):
            raise ParameterError(f"growth: no row for region {missing[0]!r}")
        out = given.loc[values.index].to_numpy()
    else:
        given = dict(arguments.mapping(growth, "growth"))
        unknown = [c for c in given if c not in values.columns]
        if unknown:
            raise ParameterError(f"growth: {unknown[0]!r} is not a column of scores")
        try:
            row = np.array([float(given.get(c, 0.0)) for c in values.columns])
        except (TypeError, ValueError):
            raise ParameterError(f"growth: need a number for every column, got {given!r}") from None
        out = np.tile(row, (len(values), 1))
    problems = [f"column {c!r} is negative" for c in values.columns[(out < 0).any(axis=0)]]
    problems += [f"region {r!r} has no positive component" for r in values.index[(out <= 0).all(axis=1)]]
    if problems or not np.isfinite(out).all():
        raise ParameterError("growth: " + ("; ".join(problems) or "need finite numbers"))
    return out


def _solve_directional(rows, growths, reference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's directional distance β against the reference regions, from the LP ``max β`` subject to
    ``Σ λ_j y_j − β g_i ≥ y_i``, ``Σ λ_j ≤ 1``, ``λ ≥ 0``, and from its duals the weights w and the best level v
    (``w·y_j ≤ v``, ``w·g_i = 1``, ``β = v − w·y_i``); block-diagonal, one HiGHS call. This form has a row per
    column of the scores, not per reference region: about half the work of the weights' LP."""
    from scipy.optimize import linprog  # when used (_block_diagonal says why)

    (n, k), m = rows.shape, len(reference)
    blocks = np.zeros((n, k + 1, m + 1))
    blocks[:, :k, :m], blocks[:, :k, m], blocks[:, k, :m] = -reference.T, growths, 1.0
    result = linprog(
        np.tile(np.r_[np.zeros(m), -1.0], n),
        A_ub=_block_diagonal(blocks),
        b_ub=np.hstack([-rows, np.ones((n, 1))]).ravel(),
        bounds=np.tile([[0.0, np.inf]] * m + [[-np.inf, np.inf]], (n, 1)),
        method="highs",
        options={"presolve": False},
    )
    if result.status != 0:
        raise LivecommerceError(f"the directional BoD linear programme did not solve: {result.message}")
    duals = -result.ineqlin.marginals.reshape(n, k + 1)
    return result.x.reshape(n, m + 1)[:, m], duals[:, :k], duals[:, k]


def directional_bod(scores: pd.DataFrame, growth=None) -> tuple[pd.Series, pd.DataFrame]:
    """Each region's directional BoD score ``1 / (1 + β)`` in (0, 1] and its optimal weights (Fusco 2015;
    Compind's ``ci_bod_dir``). β is the directional distance: the most a region's row can grow along the
    growth vector ``g`` and stay within the frontier (``Σ λ_j y_j ≥ y_i + β g``, ``Σ λ_j ≤ 1``, ``λ ≥ 0``); its dual
    gives the weights, scaled so that ``w·g = 1``, with ``β = max_j w·y_j − w·y_i``. ``growth`` is in the units
    of the scores: ones by default, ``{column: g}`` for every region, or a frame with each region's own row (the
    region's own scores give the classic BoD score)."""
    values = _positive(scores, "directional Benefit of the Doubt")
    scale = values.max().to_numpy()  # each column and the growth vector onto the same units: the same β
    reference = values.to_numpy() / scale
    growths = _growth(growth, values) / scale
    beta, weights = _against_frontier(
        reference, lambda chunk, frontier: _solve_directional(reference[chunk], growths[chunk], reference[frontier])
    )
    weights /= scale
    return pd.Series(1 / (1 + np.maximum(beta, 0.0)), index=values.index, name="directional_bod"), pd.DataFrame(
        weights, values.index, values.columns
    )


def robust_bod(scores: pd.DataFrame, m: int = 20, draws: int = 100, seed: int = 0) -> pd.Series:
    """The robust (order-m) BoD score: each region's classic score against ``m`` regions drawn with replacement
    (seeded), averaged over ``draws`` samples. Not bounded by 1: a region better than its sample scores above it."""
    values = _positive(scores, "robust Benefit of the Doubt")
    m = arguments.integer(m, "m", 1)
    draws = arguments.integer(draws, "draws", 1)
    reference = values.to_numpy() / values.max().to_numpy()
    rng = np.random.default_rng(arguments.integer(seed, "seed", 0))
    samples = rng.integers(0, len(values), (len(values), draws, m))
    peers = reference[samples.reshape(-1, m)]
    rows = np.repeat(reference, draws, axis=0)
    lacking = ((peers.max(axis=1) <= 0) & (rows > 0)).any(axis=1)  # a peer set that bounds no weight of the
    peers = np.concatenate([peers, np.where(lacking[:, None, None], rows[:, None, :], 0.0)], axis=1)  # region: it too
    scores = np.concatenate(
        [_solve(rows[k : k + CHUNK], peers[k : k + CHUNK], None, None)[0] for k in range(0, len(rows), CHUNK)]
    )
    return pd.Series(scores.reshape(len(values), draws).mean(axis=1), index=values.index, name="robust_bod")
