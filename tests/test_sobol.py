"""Sobol' indices: known values on an additive model, and the index's inputs and outputs by name."""

import numpy as np
import pytest

from livecommerce.errors import ParameterError
from livecommerce.sensitivity import model, sobol
from livecommerce.sensitivity.uncertainty import Uncertainty


def test_additive_linear_model_has_known_indices():
    """Y = Σ aᵢ Xᵢ, Xᵢ ~ U(0, 1) independent: first order = total order = aᵢ² / Σ aⱼ² (equal variances)."""
    a = np.array([1.0, 2.0, 3.0])
    table = sobol.sobol_table(lambda x: (a @ x)[None, :], ["x1", "x2", "x3"], ["y"], n=2**13, seed=1, n_resamples=99)
    expected = a**2 / (a**2).sum()
    assert table["first"].to_numpy() == pytest.approx(expected, abs=0.03)
    assert table["total"].to_numpy() == pytest.approx(expected, abs=0.03)
    assert (table["first_low"] <= table["first_high"]).all()


def test_a_term_without_effect_has_zero_indices_and_interactions_show_in_total():
    table = sobol.sobol_table(
        lambda x: (x[0] * x[1])[None, :], ["x1", "x2", "idle"], ["y"], n=2**12, seed=2, n_resamples=0
    )
    assert table.loc[("y", "idle"), "total"] == pytest.approx(0, abs=1e-12)
    assert (
        table.loc[[("y", "x1"), ("y", "x2")], "total"] > table.loc[[("y", "x1"), ("y", "x2")], "first"] + 0.05
    ).all()
    assert list(table.columns) == ["first", "total"]


def test_index_sobol_names_every_input_and_output_and_is_seeded():
    m = model.from_published("city", methods=("nominal", "equal"))
    spec = Uncertainty(methods={"nominal": 0.5, "equal": 0.5})
    table = sobol.index_sobol(m, spec, n=2**8, seed=4, n_resamples=0)
    inputs = [f"{n}/{c}" for n, c in m.weight_labels] + ["methods"]
    outputs = ["mean_abs_shift"] + [f"score:{r}" for r in m.regions] + [f"rank:{r}" for r in m.regions]
    assert list(table.index.get_level_values("input").unique()) == inputs
    assert list(table.index.get_level_values("output").unique()) == outputs
    assert table.loc["score:440100", "total"].notna().all()  # 广州's score varies with every weight
    again = sobol.index_sobol(m, spec, n=2**8, seed=4, n_resamples=0)
    assert table.equals(again)


def test_refusals():
    m = model.from_published("city")
    with pytest.raises(ParameterError, match="nothing varies"):
        sobol.index_sobol(m, Uncertainty(weights=None))
    with pytest.raises(ParameterError, match="power of 2"):
        sobol.index_sobol(m, n=1000)
    with pytest.raises(ParameterError, match="n_resamples=-1"):
        sobol.index_sobol(m, n=2**6, n_resamples=-1)


def test_sample_size_fits_the_budget():
    assert sobol.sample_size(10_000, 8) == 512  # 512 · 10 = 5120 ≤ 10000 < 1024 · 10
    assert sobol.sample_size(100, 8) == 64
    with pytest.raises(ParameterError, match="n_draws=0"):
        sobol.sample_size(0, 3)
