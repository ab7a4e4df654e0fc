"""SMAA-2 from the Monte Carlo: hand-computed acceptabilities, central weights and confidence factors, weight bounds
honoured by the sampler, and acceptability rows that sum to 1."""

from dataclasses import replace

import numpy as np
import pytest
from conftest import one_node_model
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from livecommerce.analysis import smaa
from livecommerce.analysis.sensitivity.sampling import Sampler
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.errors import ParameterError

# a = w, b = 1 − w, c = 0.4 with w ~ U(0, 1): a first iff w > 0.5; a, c, b above 0.6, a, b, c between 0.5 and 0.6
THREE = one_node_model([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]], [0.5, 0.5])
SIMPLEX = Uncertainty(weights="simplex")


def test_three_alternatives_have_their_hand_computed_acceptabilities():
    result = monte_carlo(THREE, SIMPLEX, n_draws=200_000, seed=1)
    table = smaa.acceptability(result)
    expected = [[0.5, 0.1, 0.4], [0.5, 0.1, 0.4], [0.0, 0.8, 0.2]]
    assert table.to_numpy() == pytest.approx(np.array(expected), abs=0.005)
    weights = smaa.central_weights(result)
    assert weights.loc["a"].to_numpy() == pytest.approx([0.75, 0.25], abs=0.005)  # E[w | w > 0.5]
    assert weights.loc["b"].to_numpy() == pytest.approx([0.25, 0.75], abs=0.005)
    assert weights.loc["c"].isna().all()
    confidence = smaa.confidence(result)
    assert confidence["a"] == confidence["b"] == 1 and np.isnan(confidence["c"])
    assert smaa.holistic(result).to_numpy() == pytest.approx([0.55, 0.55, 0.4], abs=0.005)  # α = 1, ½, 0
    table = smaa.smaa_table(result)
    assert set(table.index[:2]) == {"a", "b"} and table.index[2] == "c"
    assert list(table.columns) == ["name", "first", "holistic", "confidence", "top/x", "top/y"]


def test_weight_bounds_are_honoured_by_the_draws():
    spec = Uncertainty(weights="simplex", bounds={"top": {"x": (0.0, 0.55)}})
    result = monte_carlo(THREE, spec, n_draws=100_000, seed=2)
    x = result.draws()["top/x"]
    assert x.max() <= 0.55 and x.min() >= 0
    # w ~ U(0, 0.55): a first iff w > 0.5
    assert smaa.acceptability(result).loc["a", 1] == pytest.approx(0.05 / 0.55, abs=0.005)
    assert smaa.central_weights(result).loc["a", "top/x"] == pytest.approx(0.525, abs=0.002)


def test_confidence_factor_is_the_chance_of_first_place_at_the_central_weights():
    # fixed weights ½, ½: a (100, 1) is first under the arithmetic mean (50.5 > 50), b (50, 50) under the geometric
    pair = one_node_model([[100.0, 1.0], [50.0, 50.0]], [0.5, 0.5])
    spec = Uncertainty(weights=None, aggregations={"arithmetic": 0.3, "geometric": 0.7})
    result = monte_carlo(pair, spec, n_draws=20_000, seed=3)
    assert smaa.acceptability(result).loc["a", 1] == pytest.approx(0.3, abs=0.01)
    assert smaa.central_weights(result).to_numpy() == pytest.approx(np.full((2, 2), 0.5))
    assert smaa.confidence(result).to_list() == pytest.approx([0.3, 0.7])


@settings(max_examples=40, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(2, 6), st.integers(2, 4)), elements=st.sampled_from([0.0, 1.0, 2.5, 7.0])),
    st.sampled_from(["simplex", "dirichlet", "uniform"]),
    st.integers(1, 600),
    st.floats(0.0, 0.3),
)
def test_acceptability_rows_sum_to_one_and_central_weights_stay_in_bounds(scores, weights, n_draws, low):
    k = scores.shape[1]
    m = one_node_model(scores, np.full(k, 1 / k))
    spec = Uncertainty(weights=weights, concentration=5, bounds={"top": {"x": (low, 0.9)}})
    result = monte_carlo(m, spec, n_draws=n_draws, seed=0)
    assert smaa.acceptability(result).sum(axis=1).to_numpy() == pytest.approx(1, abs=1e-12)
    central = smaa.central_weights(result).dropna()
    assert len(central) >= 1 and central.sum(axis=1).to_numpy() == pytest.approx(1)
    assert (central["top/x"] >= low - 1e-12).all() and (central["top/x"] <= 0.9 + 1e-12).all()
    confidence = smaa.confidence(result).dropna()
    assert ((confidence >= 0) & (confidence <= 1)).all()


def test_bad_bounds_are_all_named_at_once():
    bounds = {"top": {"x": (0.6, 0.2), "q": (0, 1)}, "nowhere": {"x": (0, 1)}}
    with pytest.raises(ParameterError, match=r"top/x needs 0 ≤ lower.*top/q is not a weight.*nowhere/x is not"):
        monte_carlo(THREE, Uncertainty(bounds=bounds), n_draws=10)
    with pytest.raises(ParameterError, match="no weights sum to 1"):
        monte_carlo(THREE, Uncertainty(bounds={"top": {"x": (0, 0.2), "y": (0, 0.2)}}), n_draws=10)
    with pytest.raises(ParameterError, match="draws fall within them"):
        monte_carlo(THREE, Uncertainty(bounds={"top": {"x": (0.5, 0.50001)}}), n_draws=10)
    with pytest.raises(ParameterError, match="Sobol' design cannot reject"):
        Sampler(THREE, Uncertainty(bounds={"top": {"x": (0, 0.9)}})).from_unit(np.full((2, 4), 0.5))
    with pytest.raises(ParameterError, match="meta must give 3"):
        smaa.holistic(monte_carlo(THREE, SIMPLEX, n_draws=10), meta=[1, 0.8, 0.9])
    with pytest.raises(ParameterError, match="result"):
        smaa.acceptability(THREE)


def test_confidence_factor_runs_over_the_options_of_a_step():
    # under option "a" of step "x" region a leads, under "b" region b: first 30% and 70% of the draws
    pair = one_node_model([[2.0, 2.0], [1.0, 1.0]], [0.5, 0.5])
    flipped = pair.scores["published"][::-1].copy()
    stepped = replace(pair, scores={"published|x=a": pair.scores["published"], "published|x=b": flipped})
    stepped = replace(stepped, variants={"x": ("a", "b")})
    result = monte_carlo(stepped, Uncertainty(weights=None, steps={"x": {"a": 0.3, "b": 0.7}}), n_draws=20_000, seed=4)
    assert result.draws()["x"].value_counts(normalize=True)["b"] == pytest.approx(0.7, abs=0.01)
    assert smaa.acceptability(result).loc["a", 1] == pytest.approx(0.3, abs=0.01)
    assert smaa.confidence(result).to_list() == pytest.approx([0.3, 0.7])
