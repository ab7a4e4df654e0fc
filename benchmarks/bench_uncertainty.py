"""Benchmark of the Monte Carlo uncertainty analysis (make bench). Prints figures; asserts nothing.

1. Vectorised draws per second at 31 provinces × 5 components (6 weights) (Dirichlet weights, ranks, rank and
   score distributions, outranking matrix, per-draw shift and correlations), the median of ``REPEATS`` runs
   (this 2-core VM's speed varies from run to run, so one run says little), against
   2. the per-draw pandas loop a researcher would write for the same analysis;
3. a 100,000-draw analysis of all three levels; 4. peak memory of a 10,000,000-draw run,
measured in a child process (its maximum resident set size).
"""

import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.index import model

CONCENTRATION = 100.0
REPEATS = 5


def vectorised(n_draws: int, level: str = "province") -> float:
    m = model.from_published(level)
    start = time.perf_counter()
    monte_carlo(m, Uncertainty(concentration=CONCENTRATION), n_draws=n_draws, seed=1)
    return time.perf_counter() - start


def baseline(n_draws: int) -> float:
    """The straightforward version: one pandas evaluation and ranking per draw."""
    m = model.from_published("province")
    frame = pd.DataFrame(m.scores["published"], index=m.regions, columns=m.leaves)
    people_w, overall_w = m.weights
    rng = np.random.default_rng(1)
    counts = pd.DataFrame(0, index=m.regions, columns=range(1, len(m.regions) + 1))
    ahead = pd.DataFrame(0, index=m.regions, columns=m.regions)
    start = time.perf_counter()
    for _ in range(n_draws):
        wp = rng.dirichlet(CONCENTRATION * people_w)
        wo = rng.dirichlet(CONCENTRATION * overall_w)
        people = frame[["activity", "sales", "influence"]] @ wp
        overall = wo[0] * people + wo[1] * frame["goods"] + wo[2] * frame["venue"]
        rank = overall.rank(ascending=False, method="min").astype(int)
        for region, r in rank.items():
            counts.loc[region, r] += 1
        ahead += (rank.to_numpy()[:, None] < rank.to_numpy()[None, :]).astype(int)
    return time.perf_counter() - start


def peak_mb(n_draws: int) -> float:
    code = (
        "import resource; from livecommerce.analysis.sensitivity import monte_carlo;"
        "from livecommerce.index import model;"
        f"monte_carlo(model.from_published('province'), n_draws={n_draws}, seed=1);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    vectorised(50_000)  # warm-up
    n_fast, n_slow = 2_000_000, 2_000
    runs = [n_fast / vectorised(n_fast) for _ in range(REPEATS)]
    fast = float(np.median(runs))
    slow = n_slow / baseline(n_slow)
    print(
        f"vectorised Monte Carlo, 31 provinces, 5 components (6 weights): {fast:,.0f} draws/s ({n_fast:,} draws, "
        f"median of {REPEATS} runs, range {min(runs):,.0f}–{max(runs):,.0f})"
    )
    print(f"per-draw pandas baseline:                                       {slow:,.0f} draws/s ({n_slow:,} draws)")
    levels = time.perf_counter()
    for level in ("province", "city", "prefecture"):
        vectorised(100_000, level)
    print(f"100,000 draws at each of the three levels:        {time.perf_counter() - levels:.2f} s")
    peak = peak_mb(10_000_000)
    print(f"peak memory, 10,000,000 draws (child process):    {peak:,.0f} MB")
    print(f"this process's peak so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    print(f"draws/s: {fast:.0f}  baseline draws/s: {slow:.0f}  speedup: {fast / slow:.0f}  peak MB: {peak:.0f}")


if __name__ == "__main__":
    main()
