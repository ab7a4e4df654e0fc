"""Benchmark of uncertainty over the steps before the weights (make bench). Prints figures; asserts nothing.

The 31 provinces of the SYNTHETIC panel with some cells blanked: the step model under four imputation policies and
four outlier treatments (16 rebuilt studies), then 10,000 Monte Carlo draws of Dirichlet weights, policy, treatment
and one component left out, then the Sobol' indices of every weight and step (n = 512, 99 resamples).
"""

import time

import numpy as np

from livecommerce.analysis.sensitivity import sobol
from livecommerce.analysis.sensitivity.steps import step_model
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.index.scheme import load_scheme
from livecommerce.study.study import Study

STEPS = {
    "missing": ["mean", "median", "macro_mean", "row_mean"],
    "treat": {"own": None, "winsorise": "winsorise", "clip": "clip", "log": "log"},
}
SPEC = Uncertainty(
    steps={
        "missing": dict.fromkeys(STEPS["missing"], 0.25),
        "treat": dict.fromkeys(STEPS["treat"], 0.25),
        "drop": {"none": 0.5, "activity": 0.25, "goods": 0.25},
    }
)


def main() -> None:
    raw = panel.load_panel(data_dir() / "raw" / "synthetic_panel_province_2023.csv", load_scheme())
    rng = np.random.default_rng(0)
    for column in rng.choice(raw.columns, 6, replace=False):
        raw.loc[rng.choice(raw.index, 2, replace=False), column] = np.nan
    start = time.perf_counter()
    study = Study.build("province", raw, missing="mean")
    model = step_model(study, STEPS)
    built = time.perf_counter()
    monte_carlo(model, SPEC, n_draws=10_000, seed=1)
    drawn = time.perf_counter()
    table = sobol.index_sobol(model, SPEC, n=512, n_resamples=99)
    done = time.perf_counter()
    inputs = table.index.get_level_values("input").unique()
    print(
        f"steps at 31 provinces (4 imputation policies × 4 treatments, 16 rebuilt studies): step model "
        f"{built - start:.2f} s, 10,000 Monte Carlo draws {drawn - built:.2f} s (total {drawn - start:.2f} s); "
        f"Sobol' indices of {len(inputs) - 3} weights and 3 steps, n = 512: {done - drawn:.2f} s"
    )


if __name__ == "__main__":
    main()
