"""Variance-based (Sobol') sensitivity indices, per region, with bootstrap confidence intervals.

scipy.stats.sobol_indices does the estimation (Saltelli 2010 / Jansen estimators); this module
maps the index's uncertain inputs onto the unit cube and asks for every output at once: each
region's score and rank, and the mean absolute rank shift against the nominal ranking.
"""

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from .. import arguments
from ..errors import ParameterError
from .model import Model, evaluate
from .sampling import Sampler, Uncertainty
from .uncertainty import ranks

COLUMNS = ("first", "first_low", "first_high", "total", "total_low", "total_high")


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
    bootstrap ``*_low``/``*_high`` bounds. An output that never varies has NaN indices.
    """
    if not callable(func):
        raise ParameterError(f"func: expected a function of unit-cube inputs, got {type(func).__name__}")
    inputs = arguments.names(inputs, "inputs")
    if not inputs:
        raise ParameterError("nothing varies: give at least one uncertain input")
    outputs = arguments.names(outputs, "outputs")
    if arguments.integer(n, "n") < 2 or n & (n - 1):
        raise ParameterError(f"n={n!r} must be a power of 2 (Sobol' sampling)")
    arguments.integer(n_resamples, "n_resamples", 0)
    arguments.integer(seed, "seed", 0)
    if not 0 < arguments.number(confidence, "confidence") < 1:
        raise ParameterError(f"confidence={confidence!r} must be between 0 and 1")
    rng = np.random.default_rng(seed)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)  # an output that never varies: NaN
        result = stats.sobol_indices(func=func, n=n, dists=[stats.uniform()] * len(inputs), rng=rng)
        if np.size(result.first_order) != len(outputs) * len(inputs):
            raise ParameterError(
                f"outputs: func gives {np.size(result.first_order) // len(inputs)} outputs, "
                f"but {len(outputs)} are named"
            )
        columns = {"first": result.first_order, "total": result.total_order}
        if n_resamples:
            # SobolResult.bootstrap draws from numpy's global generator: seed it, then put it back as it was
            state = np.random.get_state()
            np.random.seed(seed)
            try:
                interval = result.bootstrap(confidence_level=confidence, n_resamples=n_resamples)
            finally:
                np.random.set_state(state)
            for order, ci in (("first", interval.first_order), ("total", interval.total_order)):
                columns[f"{order}_low"], columns[f"{order}_high"] = (
                    ci.confidence_interval.low,
                    ci.confidence_interval.high,
                )
    index = pd.MultiIndex.from_product([outputs, inputs], names=["output", "input"])
    return pd.DataFrame(
        {k: np.asarray(v).reshape(len(outputs), len(inputs)).ravel() for k, v in columns.items()}, index=index
    )[[c for c in COLUMNS if c in columns]]


def sample_size(n_draws: int, n_inputs: int, smallest: int = 64) -> int:
    """The largest power of 2, at least ``smallest``, whose n·(d + 2) model runs fit in ``n_draws``."""
    arguments.integer(n_draws, "n_draws", 1)
    arguments.integer(n_inputs, "n_inputs", 0)
    arguments.integer(smallest, "smallest", 1)
    return max(smallest, 2 ** int(np.floor(np.log2(max(n_draws / (n_inputs + 2), 1)))))


def peak_bytes(n_regions: int, n: int, n_resamples: int = 199) -> int:
    """About the most memory :func:`index_sobol` takes: scipy's bootstrap holds several arrays of
    resamples × outputs × n floats (measured at n = 8192 with 99 resamples: 2.0 GB for 31 regions,
    1.9 GB for 21), beside some 250 MB for Python and the libraries."""
    return 6 * 8 * max(n_resamples, 1) * (2 * n_regions + 1) * n + 2**28


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
    nominal = ranks(evaluate(model, model.nominal[None]))[0]

    def func(u: np.ndarray) -> np.ndarray:
        params = sampler.from_unit(u)
        scores = evaluate(model, params["weights"], params["aggregation"], params["normalisation"])
        r = ranks(scores)
        return np.vstack([np.abs(r - nominal).mean(axis=1), scores.T, r.T])

    outputs = ["mean_abs_shift"] + [f"score:{r}" for r in model.regions] + [f"rank:{r}" for r in model.regions]
    return sobol_table(func, sampler.inputs, outputs, n, seed, confidence, n_resamples)
