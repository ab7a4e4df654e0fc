"""Benchmark of the aggregations beyond the means (make bench). Prints figures; asserts nothing.

1. Benefit of the Doubt for 3,000 SYNTHETIC regions × 17 indicators: log-normal scores sharing one common factor
   (seeded; the regions and their scores are made up), the classic model with each region's optimal weights, and
   again with every indicator's share of a score bounded to 1–30 %, and the directional model along (1, …, 1);
2. robust (order-m) BoD of the 31 provinces' published sub-indices, m = 10, 100 samples each;
3. the weighted Copeland rule and the MPI penalised mean for 1,000 weightings of the 31 provinces at once.
"""

import time
from functools import partial

import numpy as np
import pandas as pd

from livecommerce.index import frontier, model
from livecommerce.index.aggregate import combine

REGIONS, INDICATORS, SEED = 3000, 17, 0


def synthetic_scores(n: int = REGIONS, k: int = INDICATORS, seed: int = SEED) -> pd.DataFrame:
    """``n`` made-up regions' positive scores on ``k`` indicators that share one common factor."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    return pd.DataFrame(np.exp(0.5 * common + 0.5 * rng.normal(size=(n, k))), columns=[f"i{j}" for j in range(k)])


def timed(label: str, call):
    """``call()``, its wall-clock and its processor time printed (on a shared machine the two differ)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = call()
    print(f"{label}: {time.perf_counter() - start:.2f} s ({time.process_time() - cpu:.2f} s of processor time)")
    return out


if __name__ == "__main__":
    scores = synthetic_scores()
    values, weights = timed(f"BoD, {REGIONS} regions x {INDICATORS} indicators", lambda: frontier.bod(scores))
    print(f"  frontier: {int((values > 1 - 1e-9).sum())} regions at 1; lowest score {values.min():.4f}")
    shares = dict.fromkeys(scores.columns, (0.01, 0.30))
    timed("BoD with every share bounded to 1-30 %", lambda: frontier.bod(scores, shares=shares))
    timed("directional BoD along (1, ..., 1)", lambda: frontier.directional_bod(scores))
    province = model.from_published("province")
    published = pd.DataFrame(province.scores["published"], index=province.regions, columns=list(province.leaves))
    timed("robust BoD, 31 provinces, m = 10, 100 samples", lambda: frontier.robust_bod(published, 10, 100))
    draws = np.random.default_rng(SEED).dirichlet(np.ones(published.shape[1]), 1000)
    for aggregation in ("copeland", "mpi"):
        timed(
            f"{aggregation}, 31 provinces, 1,000 weightings", partial(combine, published.to_numpy(), draws, aggregation)
        )
