"""Benchmark of SMAA-2 (make bench). Prints figures; asserts nothing.

Rank acceptability, central weights and confidence factors of the 31 provinces from 1,000,000 draws of weights
uniform over each node's simplex (SMAA's no preference information), and with weight bounds (rejected draws are
drawn again), against the Monte Carlo alone on the same draws: the median of ``REPEATS`` runs each.
"""

import time

import numpy as np

from livecommerce.analysis import smaa
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.index import model

DRAWS = 1_000_000
REPEATS = 3
BOUNDS = {"overall": {"people": (0.2, 0.6), "goods": (0.1, 0.5), "venue": (0.1, 0.5)}}


def timed(spec: Uncertainty, with_smaa: bool) -> float:
    m = model.from_published("province")
    start = time.perf_counter()
    result = monte_carlo(m, spec, n_draws=DRAWS, seed=1)
    if with_smaa:
        smaa.smaa_table(result)
    return time.perf_counter() - start


def main() -> None:
    timed(Uncertainty(weights="simplex"), True)  # warm-up
    for label, spec in (
        ("simplex weights", Uncertainty(weights="simplex")),
        ("simplex weights within bounds", Uncertainty(weights="simplex", bounds=BOUNDS)),
    ):
        mc = float(np.median([timed(spec, False) for _ in range(REPEATS)]))
        both = float(np.median([timed(spec, True) for _ in range(REPEATS)]))
        print(
            f"SMAA-2, 31 provinces, {DRAWS:,} draws, {label}: {DRAWS / both:,.0f} draws/s ({both:.2f} s; "
            f"the Monte Carlo alone {DRAWS / mc:,.0f} draws/s)"
        )


if __name__ == "__main__":
    main()
