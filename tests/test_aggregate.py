"""Aggregations: means that behave as means, and refusals that name what is wrong."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from livecommerce.errors import DataError, ParameterError
from livecommerce.index.aggregate import MEANS, aggregate, check_weights

AVERAGES = (*MEANS, "generalised", "median", "mpi")
"""The aggregations that give equal scores their common value."""

scores = st.integers(2, 12).flatmap(lambda n: arrays(float, (n, 3), elements=st.floats(60, 100)))
simplex = st.lists(st.floats(0.01, 1), min_size=3, max_size=3).map(lambda v: pd.Series(v, index=list("abc")) / sum(v))


@settings(max_examples=100, deadline=None)
@given(values=scores, w=simplex)
def test_forms_are_ordered_means_between_min_and_max(values, w):
    frame = pd.DataFrame(values, columns=list("abc"))
    a, g, h = (aggregate(frame, w, aggregation) for aggregation in ("arithmetic", "geometric", "harmonic"))
    tol = 1e-9
    assert (h <= g + tol).all() and (g <= a + tol).all()  # power-mean inequality
    assert (a <= frame.max(axis=1) + tol).all() and (h >= frame.min(axis=1) - tol).all()


@settings(max_examples=50, deadline=None)
@given(score=st.floats(60, 100), w=simplex, aggregation=st.sampled_from(AVERAGES))
def test_equal_scores_aggregate_to_that_score(score, w, aggregation):
    frame = pd.DataFrame({c: [score, score] for c in "abc"})
    assert aggregate(frame, w, aggregation).to_numpy() == pytest.approx([score, score], rel=1e-12)


def test_a_hand_computed_example():
    frame = pd.DataFrame({"x": [80.0], "y": [20.0]}, index=["r"])
    w = pd.Series({"x": 0.5, "y": 0.5})
    assert aggregate(frame, w, "arithmetic")["r"] == pytest.approx(50)
    assert aggregate(frame, w, "geometric")["r"] == pytest.approx(40)
    assert aggregate(frame, w, "harmonic")["r"] == pytest.approx(32)


@pytest.mark.parametrize(
    "weights, message",
    [
        (pd.Series({"a": 0.6, "b": 0.6}), "sum to 1.2, not 1"),
        (pd.Series({"a": 1.5, "b": -0.5}), "non-negative"),
        (pd.Series({"a": np.nan, "b": 1.0}), "finite"),
        (pd.Series(dtype=float), "non-empty"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ParameterError, match=message):
        check_weights(weights)


def test_bad_scores_and_forms_are_named():
    frame = pd.DataFrame({"a": [70.0, 0.0], "b": [80.0, 90.0]}, index=["r1", "r2"])
    w = pd.Series({"a": 0.5, "b": 0.5})
    with pytest.raises(DataError, match="column 'a': the geometric mean needs positive scores"):
        aggregate(frame, w, "geometric")
    with pytest.raises(ParameterError, match="aggregation='mode'"):
        aggregate(frame, w, "mode")
    with pytest.raises(ParameterError, match="no column 'c'"):
        aggregate(frame, pd.Series({"a": 0.5, "c": 0.5}))
    with pytest.raises(DataError, match="column 'b', region 'r1'"):
        aggregate(frame.assign(b=[np.inf, 1.0]), w)
