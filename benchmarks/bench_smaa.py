"""Benchmark of SMAA-2 (make bench). Prints figures; asserts nothing.

Rank acceptability, central weights and confidence factors of the 31 provinces from 1,000,000 draws of weights
uniform over each node's simplex (SMAA's no preference information), and within weight bounds (rejected draws are
drawn again): the Monte Carlo run that gathers them, then the SMAA-2 tables from its result, against the Monte
Carlo's default Dirichlet weights; the median of ``REPEATS`` runs each. Uniform weights move every region, so nearly
every pair of regions overlaps and is compared draw by draw: slower per draw than Dirichlet weights near the nominal
ones, which leave most pairs apart.
"""

import time

import numpy as np

from livecommerce.analysis import smaa
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.index import model

DRAWS = 1_000_000
REPEATS = 3
BOUNDS = {"overall": {"people": (0.2, 0.6), "goods": (0.1, 0.5), "venue": (0.1, 0.5)}}


def timed(spec: Uncertainty) -> tuple[float, float]:
    """Seconds of the Monte Carlo run and of the SMAA-2 tables from it."""
    m = model.from_published("province")
    start = time.perf_counter()
    result = monte_carlo(m, spec, n_draws=DRAWS, seed=1)
    drawn = time.perf_counter()
    smaa.smaa_table(result)
    smaa.acceptability(result)
    return drawn - start, time.perf_counter() - drawn


def main() -> None:
    timed(Uncertainty(weights="simplex"))  # warm-up
    for label, spec in (
        ("Dirichlet weights (the Monte Carlo's default)", Uncertainty()),
        ("simplex weights", Uncertainty(weights="simplex")),
        ("simplex weights within bounds", Uncertainty(weights="simplex", bounds=BOUNDS)),
    ):
        runs = np.array([timed(spec) for _ in range(REPEATS)])
        draw, tables = np.median(runs, axis=0)
        print(
            f"SMAA-2, 31 provinces, {DRAWS:,} draws, {label}: {DRAWS / (draw + tables):,.0f} draws/s "
            f"(Monte Carlo {draw:.2f} s, SMAA-2 tables {tables:.3f} s)"
        )


if __name__ == "__main__":
    main()
