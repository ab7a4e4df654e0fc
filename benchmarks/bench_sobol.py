"""Benchmark of the Sobol' indices with bootstrap intervals (make bench). Prints figures; asserts nothing.

31 provinces, Dirichlet weights (6 inputs), n = 2^12, 199 resamples, 95% intervals, all in one run:
1. :func:`livecommerce.analysis.sensitivity.sobol.index_sobol`, the whole analysis (design, model, indices, intervals);
2. scipy's ``sobol_indices`` and its BCa ``bootstrap`` on the very same model outputs (the estimation alone);
3. SALib's ``sobol.sample`` and ``sobol.analyze`` (same model, same n and resamples, one output at a time, as
   SALib analyses them), sampling and model included as in 1. SALib is a benchmark-only dependency
   (``pip install -e '.[bench]'``).
"""

import time
import warnings

import numpy as np
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample
from scipy import stats

from livecommerce.analysis.sensitivity import Sampler, evaluate_draws, sobol
from livecommerce.analysis.sensitivity.uncertainty import ranks
from livecommerce.index import model

N = 2**12
RESAMPLES = 199
CONFIDENCE = 0.95


def outputs(m: model.Model):
    """The function index_sobol analyses: unit-cube points → mean shift, every region's score and rank."""
    sampler = Sampler(m)
    nominal = ranks(evaluate_draws(m, m.nominal[None]))[0]

    def func(u: np.ndarray) -> np.ndarray:
        scores = evaluate_draws(m, sampler.from_unit(u)["weights"])
        r = ranks(scores)
        return np.vstack([np.abs(r - nominal).mean(axis=1), scores.T, r.T])

    return sampler, func


def ours(m: model.Model) -> float:
    start = time.perf_counter()
    sobol.index_sobol(m, n=N, n_resamples=RESAMPLES, confidence=CONFIDENCE)
    return time.perf_counter() - start


def scipy_bootstrap(m: model.Model) -> float:
    sampler, func = outputs(m)
    f_A, f_B, f_AB = sobol.evaluations(func, len(sampler.inputs), N)
    start = time.perf_counter()
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.sobol_indices(func={"f_A": f_A, "f_B": f_B, "f_AB": f_AB}, n=N)
        np.random.seed(0)
        result.bootstrap(confidence_level=CONFIDENCE, n_resamples=RESAMPLES)
    return time.perf_counter() - start


def salib(m: model.Model) -> float:
    sampler, func = outputs(m)
    problem = {"num_vars": len(sampler.inputs), "names": sampler.inputs, "bounds": [[0.0, 1.0]] * len(sampler.inputs)}
    start = time.perf_counter()
    x = salib_sample.sample(problem, N, calc_second_order=False, seed=0)
    y = func(x.T)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in y:
            salib_analyze.analyze(
                problem, row, calc_second_order=False, num_resamples=RESAMPLES, conf_level=CONFIDENCE, seed=0
            )
    return time.perf_counter() - start


def main() -> None:
    m = model.from_published("province")
    ours(m)  # warm-up (imports, caches)
    x = ours(m)
    print(f"Sobol' indices with {RESAMPLES}-resample BCa intervals, 31 provinces, n = {N}: {x:.2f} s")
    y = scipy_bootstrap(m)
    print(f"scipy sobol_indices + bootstrap on the same outputs:              {y:.2f} s")
    z = salib(m)
    print(f"SALib sobol.sample + analyze, same model, n and resamples:       {z:.2f} s")
    print(f"sobol s: {x:.2f}  scipy bootstrap s: {y:.2f}  SALib s: {z:.2f}  speedup: {y / x:.0f}")


if __name__ == "__main__":
    main()
