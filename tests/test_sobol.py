"""Sobol' indices: known values on an additive model, scipy's numbers on the same samples (the vectorised
bootstrap included), and the index's inputs and outputs by name."""

import warnings
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from livecommerce.analysis.sensitivity import sobol
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty
from livecommerce.errors import ParameterError
from livecommerce.index import model


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


def scipy_indices(f_A, f_B, f_AB, n_resamples, seed, confidence=0.95):
    """scipy's point estimates and BCa bounds on the same outputs, its bootstrap seeded as the docs say."""
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.sobol_indices(func={"f_A": f_A, "f_B": f_B, "f_AB": f_AB}, n=f_A.shape[1])
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            boot = result.bootstrap(confidence_level=confidence, n_resamples=n_resamples)
        finally:
            np.random.set_state(state)
    out = {"first": result.first_order, "total": result.total_order}
    for order, ci in (("first", boot.first_order), ("total", boot.total_order)):
        out[f"{order}_low"], out[f"{order}_high"] = ci.confidence_interval.low, ci.confidence_interval.high
    return {k: np.reshape(v, (f_A.shape[0], -1)) for k, v in out.items()}


def nonlinear(x: np.ndarray) -> np.ndarray:
    """Four outputs: interacting, additive, constant, and a step that only x1 moves."""
    return np.vstack(
        [x[0] + 2 * x[1] ** 2 + x[0] * x[2], np.sin(3 * x[1]) + x[2], np.full(x.shape[1], 3.0), x[0] > 0.5]
    )


def assert_same(ours: dict, theirs: dict, atol: float = 1e-12) -> None:
    assert list(ours) == list(sobol.COLUMNS)
    for column in sobol.COLUMNS:
        assert np.array_equal(np.isnan(ours[column]), np.isnan(theirs[column])), column  # no interval alike
        np.testing.assert_allclose(ours[column], theirs[column], rtol=0, atol=atol, err_msg=column)


def test_the_vectorised_bootstrap_gives_scipys_estimates_and_intervals_on_the_same_samples():
    before = np.random.get_state()[1].copy()
    f_A, f_B, f_AB = sobol.evaluations(nonlinear, 3, 2**7, seed=5)
    ours = sobol.indices(f_A, f_B, f_AB, n_resamples=59, confidence=0.9, seed=7)
    assert_same(ours, scipy_indices(f_A, f_B, f_AB, 59, seed=7, confidence=0.9))
    assert np.isnan(ours["first_low"][2]).all() and (ours["first"][2] == 0).all()  # the constant output
    assert np.array_equal(np.random.get_state()[1], before)  # numpy's global generator untouched


def test_the_design_is_scipys():
    table = sobol.sobol_table(nonlinear, ["x1", "x2", "x3"], list("abcd"), n=2**6, seed=3, n_resamples=0)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.sobol_indices(func=nonlinear, n=2**6, dists=[stats.uniform()] * 3, rng=np.random.default_rng(3))
    assert np.array_equal(table["first"].to_numpy(), result.first_order.ravel())
    assert np.array_equal(table["total"].to_numpy(), result.total_order.ravel())


def test_outputs_bootstrapped_a_slice_at_a_time_give_the_same_numbers():
    f = sobol.evaluations(nonlinear, 3, 2**6, seed=1)
    whole = sobol.indices(*f, n_resamples=19, seed=2)
    with mock.patch.object(sobol, "BOOTSTRAP_BYTES", 1):  # one output per slice
        sliced = sobol.indices(*f, n_resamples=19, seed=2)
    assert_same(whole, sliced)  # to rounding: the sums are taken over other blocks
    assert np.array_equal(whole["first"], sliced["first"]) and np.array_equal(whole["total"], sliced["total"])


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    exponent=st.integers(4, 7),
    shape=st.tuples(st.integers(2, 3), st.integers(1, 4)),  # scipy squeezes one input and one output to a scalar
    n_resamples=st.integers(2, 40),
    confidence=st.floats(0.5, 0.99),
)
def test_any_outputs_get_scipys_numbers(seed, exponent, shape, n_resamples, confidence):
    """Random (heavy-tailed, sometimes tied) outputs: the same estimates as scipy, and bounds within rounding."""
    rng = np.random.default_rng(seed)
    d, s, n = (*shape, 2**exponent)
    f_A, f_B = rng.standard_t(3, (s, n)), rng.standard_t(3, (s, n))
    f_AB = f_A + rng.choice([0.0, 1.0], (d, s, n)) * rng.standard_normal((d, s, n))
    ours = sobol.indices(f_A, f_B, f_AB, n_resamples=n_resamples, confidence=confidence, seed=seed)
    assert_same(ours, scipy_indices(f_A, f_B, f_AB, n_resamples, seed, confidence), atol=1e-9)


def test_indices_refuse_misshapen_outputs():
    with pytest.raises(ParameterError, match="f_A and f_B"):
        sobol.indices(np.ones((2, 8)), np.ones((2, 8)), np.ones((3, 1, 8)))
    with pytest.raises(ParameterError, match="confidence=1.5"):
        sobol.indices(np.ones((1, 8)), np.ones((1, 8)), np.ones((3, 1, 8)), confidence=1.5)
