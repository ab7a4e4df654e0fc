"""Variance-based (Sobol') sensitivity indices, per region, with bootstrap confidence intervals.

The design and estimators are scipy's ``stats.sobol_indices`` (Saltelli et al. 2010: first order
from their Table 2 (b), total order Jansen's, Table 2 (f); outputs centred on their mean, Sobol' &
Levitan 1999), on the same scrambled Sobol' points, so the point estimates are scipy's. The BCa
bootstrap intervals (Efron & Tibshirani 1993, 14.3 and 15.4) are scipy's too, on the same resamples,
but computed as array operations: every resample's estimator is a weighted sum of the model's
outputs, so one matrix product of resample counts gives them all, and the jackknife of the BCa
acceleration is the full sums minus one observation. scipy evaluates the estimator once per
resample and once per left-out observation (n + resamples times), which took 99% of the time.

This module maps the index's uncertain inputs onto the unit cube (:class:`.Sampler`) and asks for
every output at once: each region's score and rank, and the mean absolute rank shift against the
nominal ranking.
"""

import numpy as np
import pandas as pd
from scipy import special

from livecommerce import arguments
from livecommerce.analysis.sensitivity.sampling import Sampler, Uncertainty
from livecommerce.analysis.sensitivity.uncertainty import ranks
from livecommerce.errors import ParameterError
from livecommerce.index.model import Model, evaluate_draws

__all__ = [
    "BOOTSTRAP_BYTES",
    "COLUMNS",
    "LIBRARY_BYTES",
    "evaluations",
    "index_sobol",
    "indices",
    "inputs",
    "peak_bytes",
    "sample_size",
    "sobol_table",
]

COLUMNS = ("first", "first_low", "first_high", "total", "total_low", "total_high")

BOOTSTRAP_BYTES = 2**26
"""About the most memory one slice of outputs takes in the bootstrap (the outputs are bootstrapped a slice at a
time, so memory does not grow with their number)."""
LIBRARY_BYTES = 2**28
"""About the memory Python and the libraries hold, which :func:`peak_bytes` counts."""


def sobol_table(
    func,
    inputs: list[str],
    outputs: list[str],
    n: int = 2**12,
    seed: int = 0,
    confidence: float = 0.95,
    n_resamples: int = 199,
) -> pd.DataFrame:
    """First- and total-order indices of ``func`` (unit-cube inputs (d, n) → outputs (s, n)), tidy.

    One row per (output, input): ``first``, ``total`` and, unless ``n_resamples`` is 0, their
    bootstrap ``*_low``/``*_high`` bounds. An output that never varies has indices 0 and no interval (NaN).
    """
    inputs = arguments.names(inputs, "inputs")
    if not inputs:
        raise ParameterError("nothing varies: give at least one uncertain input")
    outputs = arguments.names(outputs, "outputs")
    arguments.integer(n_resamples, "n_resamples", 0)
    if not 0 < arguments.number(confidence, "confidence") < 1:
        raise ParameterError(f"confidence={confidence!r} must be between 0 and 1")
    f_A, f_B, f_AB = evaluations(func, len(inputs), n, seed)
    if len(f_A) != len(outputs):
        raise ParameterError(f"outputs: func gives {len(f_A)} outputs, but {len(outputs)} are named")
    columns = indices(f_A, f_B, f_AB, n_resamples, confidence, seed)
    index = pd.MultiIndex.from_product([outputs, inputs], names=["output", "input"])
    return pd.DataFrame({k: v.ravel() for k, v in columns.items()}, index=index)


def evaluations(func, d: int, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``func`` at scipy's design: matrices A and B (d × n) from one scrambled Sobol' sequence of 2d dimensions
    seeded by ``seed``, and each AB⁽ⁱ⁾ (A with row i of B). Returns f(A), f(B) (s × n) and f(AB) (d × s × n)."""
    if not callable(func):
        raise ParameterError(f"func: expected a function of unit-cube inputs, got {type(func).__name__}")
    arguments.integer(d, "d", 1)
    arguments.integer(seed, "seed", 0)
    if arguments.integer(n, "n") < 2 or n & (n - 1):
        raise ParameterError(f"n={n!r} must be a power of 2 (Sobol' sampling)")
    from scipy.stats import qmc  # when used: scipy.stats loads in about a second

    a_b = qmc.Sobol(d=2 * d, rng=np.random.default_rng(seed), bits=64).random(n).T.reshape(2, d, n)
    a, b = a_b
    ab = np.tile(a, (d, 1, 1))
    ab[np.arange(d), np.arange(d)] = b[np.arange(d)]
    points = np.hstack([a, b, np.moveaxis(ab, 0, -1).reshape(d, n * d)])  # AB point by point, as scipy lays it out
    values = np.atleast_2d(np.asarray(func(points), dtype=float))  # one call: the sampler sees every point at once
    if values.ndim != 2 or values.shape[1] != points.shape[1]:
        raise ParameterError(
            f"func must give an array (outputs, points) for unit-cube points (inputs, points), got shape {values.shape}"
        )
    f_ab = values[:, 2 * n :]
    return values[:, :n], values[:, n : 2 * n], np.moveaxis(f_ab.reshape(-1, n, d), -1, 0)


def _centred(f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outputs less their mean over A and B, per output (as scipy does before estimating)."""
    mean = np.mean([f_A, f_B], axis=(0, -1)).reshape(-1, 1)
    return f_A - mean, f_B - mean, f_AB - mean


def _saltelli(f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and total indices (outputs × inputs) from centred outputs, as scipy's ``saltelli_2010`` computes
    them: first = mean(f(B)·(f(AB⁽ⁱ⁾) − f(A))) / V, total = mean((f(A) − f(AB⁽ⁱ⁾))²) / 2V, with V the variance
    of f(A) and f(B) together. An output that never varies gives NaN."""
    var = np.var([f_A, f_B], axis=(0, -1))
    first = np.mean(f_B * (f_AB - f_A), axis=-1) / var
    total = 0.5 * np.mean((f_A - f_AB) ** 2, axis=-1) / var
    return first.T, total.T


def indices(
    f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray, n_resamples: int = 199, confidence: float = 0.95, seed: int = 0
) -> dict[str, np.ndarray]:
    """First and total indices (outputs × inputs) from the outputs at A, B and AB (:func:`evaluations`) and,
    unless ``n_resamples`` is 0, their BCa bootstrap bounds, by the names of :data:`COLUMNS`. An output that never
    varies has indices 0 (as scipy gives them) and no interval (NaN).

    The same numbers as ``scipy.stats.sobol_indices`` and its ``.bootstrap(confidence, n_resamples)`` after
    ``np.random.seed(seed)``: the resamples are drawn as scipy draws them (``RandomState(seed).randint``),
    without touching numpy's global generator. The outputs go a slice at a time (:data:`BOOTSTRAP_BYTES`).
    """
    arguments.integer(n_resamples, "n_resamples", 0)
    if not 0 < arguments.number(confidence, "confidence") < 1:
        raise ParameterError(f"confidence={confidence!r} must be between 0 and 1")
    d, s, n = arguments.array(f_AB, "f_AB", (3,)).shape
    if arguments.array(f_A, "f_A", (2,)).shape != (s, n) or arguments.array(f_B, "f_B", (2,)).shape != (s, n):
        raise ParameterError(f"f_A and f_B must be outputs × points {(s, n)} as f_AB is inputs × outputs × points")
    f_A, f_B, f_AB = _centred(f_A, f_B, f_AB)
    picks = np.random.RandomState(arguments.integer(seed, "seed", 0)).randint(0, n, (n_resamples, n))
    counts = np.bincount((picks + n * np.arange(n_resamples)[:, None]).ravel(), minlength=n_resamples * n)
    counts = counts.reshape(n_resamples, n).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.stack(_saltelli(f_A, f_B, f_AB))  # 2 × outputs × inputs: scipy's statistic on the whole sample
    out = dict(zip(("first", "total"), np.where(np.isfinite(estimate), estimate, 0.0)))
    if not n_resamples:
        return out
    out |= {name: np.empty((s, d)) for name in COLUMNS if name not in out}
    step = max(1, BOOTSTRAP_BYTES // (8 * (n + n_resamples) * (4 + 2 * d) * 4))
    for start in range(0, s, step):
        rows = slice(start, start + step)
        low, high = _bca(f_A[rows], f_B[rows], f_AB[:, rows], estimate[:, rows], counts, confidence)
        for k, order in enumerate(("first", "total")):
            out[f"{order}_low"][rows], out[f"{order}_high"][rows] = low[k], high[k]
    return {name: out[name] for name in COLUMNS}


def _terms(f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray) -> np.ndarray:
    """Per observation (columns), the terms whose sums give the estimators (rows): f(A), f(B), their squares
    (outputs each), then per input the first- and total-order terms (inputs × outputs each)."""
    d, s, n = f_AB.shape
    return np.vstack(
        [f_A, f_B, f_A * f_A, f_B * f_B, (f_B * (f_AB - f_A)).reshape(d * s, n), ((f_A - f_AB) ** 2).reshape(d * s, n)]
    )


def _from_sums(sums: np.ndarray, size: int, d: int, s: int) -> np.ndarray:
    """The indices (2 × outputs × inputs × columns of ``sums``) of ``size`` observations summed as in
    :func:`_terms`. A variance lost to rounding (a resample in which the output never varies) is zero."""
    a, b, a2, b2 = (sums[k * s : (k + 1) * s] for k in range(4))
    first = sums[4 * s : (4 + d) * s].reshape(d, s, -1).transpose(1, 0, 2)
    total = sums[(4 + d) * s :].reshape(d, s, -1).transpose(1, 0, 2)
    square = (a2 + b2) / (2 * size)
    var = square - ((a + b) / (2 * size)) ** 2
    var[var <= 1e-12 * square] = 0.0
    var = var[:, None, :] * size
    return np.stack([first / var, 0.5 * total / var])


def _bca(f_A, f_B, f_AB, estimate, counts: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """BCa bounds (each 2 × outputs × inputs) of a slice of outputs, from resample ``counts`` (resamples × n)."""
    from scipy import stats  # when used: scipy.stats loads in about a second

    d, s, n = f_AB.shape
    terms = _terms(f_A, f_B, f_AB)
    with np.errstate(divide="ignore", invalid="ignore"):
        resampled = _from_sums(terms @ counts.T, n, d, s)  # … × resamples
        jackknife = _from_sums(terms.sum(axis=1, keepdims=True) - terms, n - 1, d, s)  # … × n, one left out each
        below = (resampled < estimate[..., None]).sum(axis=-1) + (resampled <= estimate[..., None]).sum(axis=-1)
        z0 = special.ndtri(below / (2 * len(counts)))
        u = jackknife.mean(axis=-1, keepdims=True) - jackknife
        u *= n - 1
        square = u * u
        accel = 1 / 6 * ((square * u).sum(axis=-1) / n**3) / (square.sum(axis=-1) / n**2) ** 1.5
        z = float(special.ndtri((1 - confidence) / 2))
        bounds = [special.ndtr(z0 + (z0 + q) / (1 - accel * (z0 + q))) for q in (z, -z)]
        interval = stats.quantile(resampled, np.stack(bounds, axis=-1), axis=-1)
    return interval[..., 0], interval[..., 1]


def sample_size(n_draws: int, n_inputs: int, smallest: int = 64) -> int:
    """The largest power of 2, at least ``smallest``, whose n·(d + 2) model runs fit in ``n_draws``."""
    arguments.integer(n_draws, "n_draws", 1)
    arguments.integer(n_inputs, "n_inputs", 0)
    arguments.integer(smallest, "smallest", 1)
    return max(smallest, 2 ** int(np.floor(np.log2(max(n_draws / (n_inputs + 2), 1)))))


def peak_bytes(n_regions: int, n: int, n_inputs: int) -> int:
    """About the most memory :func:`index_sobol` takes: the outputs (2 per region and the mean shift) at the
    n·(d + 2) points and about three arrays of their size while the indices are estimated, one bootstrap slice
    (:data:`BOOTSTRAP_BYTES`; the resamples do not add to it) and some 250 MB for Python and the libraries
    (measured with 99 resamples and 7 inputs: 330–350 MB at n = 8192 for 21 and 31 regions, 750 MB at n = 32768)."""
    arguments.integer(n_regions, "n_regions", 1)
    arguments.integer(n, "n", 1)
    arguments.integer(n_inputs, "n_inputs", 1)
    return 4 * 8 * n * (n_inputs + 2) * (2 * n_regions + 1) + 2 * BOOTSTRAP_BYTES + LIBRARY_BYTES


def inputs(model: Model, spec: Uncertainty) -> list[str]:
    """Names of the uncertain inputs: one per weight (``node/child``), one per varying choice."""
    return Sampler(model, spec).inputs


def index_sobol(
    model: Model,
    spec: Uncertainty | None = None,
    n: int = 2**12,
    seed: int = 0,
    confidence: float = 0.95,
    n_resamples: int = 199,
) -> pd.DataFrame:
    """Sobol' indices of every uncertain input for each region's score and rank and the mean rank shift.

    Rows are indexed by (output, input); ``output`` is ``mean_abs_shift``, ``score:<region>``
    or ``rank:<region>``.
    """
    sampler = Sampler(model, spec)
    nominal = ranks(evaluate_draws(model, model.nominal[None]))[0]

    def func(u: np.ndarray) -> np.ndarray:
        params = sampler.from_unit(u)
        scores = evaluate_draws(model, params["weights"], params["aggregation"], params["normalisation"])
        r = ranks(scores)
        return np.vstack([np.abs(r - nominal).mean(axis=1), scores.T, r.T])

    outputs = ["mean_abs_shift"] + [f"score:{r}" for r in model.regions] + [f"rank:{r}" for r in model.regions]
    return sobol_table(func, sampler.inputs, outputs, n, seed, confidence, n_resamples)
