"""Benchmark of the sensitivity analyses at county scale (make bench). Prints figures; asserts nothing.

A SYNTHETIC model of 3,000 regions (users build county-level indices, about 2,900 counties): the province
model's tree and nominal weights over leaf scores drawn from the 31 provinces' published sub-indices
plus seeded noise (sd 2 points, clipped to the 60–100 scale). The regions and their scores are made up.
1. Monte Carlo, 100,000 Dirichlet draws (outranking among the nominal top 100), in a child process with the
   default workers (one thread per processor, at most 4): draws per second and the process's peak memory,
   its threads included;
2. tornado and switching points, time of each.
"""

import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from livecommerce.analysis.sensitivity import sweeps
from livecommerce.index import model

REGIONS = 3000
DRAWS = 100_000


def synthetic_model(n: int = REGIONS, seed: int = 0) -> model.Model:
    """``n`` made-up regions under the province model's tree (see the module's docstring)."""
    m = model.from_published("province")
    rng = np.random.default_rng(seed)
    leaves = m.scores["published"][rng.integers(0, len(m.regions), n)] + rng.normal(0, 2, (n, len(m.leaves)))
    regions = pd.Index([f"S{k:05d}" for k in range(n)], name="region_id")
    return replace(
        m,
        regions=regions,
        scores={"published": np.clip(leaves, 60, 100)},
        names=pd.Series(regions, index=regions),
        published_rank=None,
    )


def monte_carlo_in_child() -> tuple[float, float]:
    """Draws per second and peak MB of a 100,000-draw run in a fresh process."""
    code = (
        "import resource, sys, time; sys.path.insert(0, 'benchmarks'); from bench_scale import synthetic_model;"
        "from livecommerce.analysis.sensitivity import monte_carlo; m = synthetic_model(); start = time.perf_counter();"
        f"monte_carlo(m, n_draws={DRAWS}, seed=1); took = time.perf_counter() - start;"
        "print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    took, peak = out.stdout.split()
    return DRAWS / float(took), int(peak) / 1024  # ru_maxrss is in KiB on Linux


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    m = synthetic_model()
    print(f"tornado, {REGIONS:,} synthetic regions:           {timed(sweeps.tornado, m):.2f} s")
    print(f"switching points, {REGIONS:,} synthetic regions:  {timed(sweeps.switching_points, m):.2f} s")
    rate, peak = monte_carlo_in_child()
    print(f"Monte Carlo, {REGIONS:,} synthetic regions, {DRAWS:,} draws: {rate:,.0f} draws/s, peak {peak:,.0f} MB")
    print(f"regions: {REGIONS}  draws/s: {rate:.0f}  peak MB: {peak:.0f}")


if __name__ == "__main__":
    main()
