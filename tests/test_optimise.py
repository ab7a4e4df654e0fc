"""Optimised weights reach a target importance where it is reachable; effective weights multiply down the tree."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.analysis import optimise
from livecommerce.analysis.sensitivity import sweeps
from livecommerce.errors import ParameterError
from livecommerce.index import model as models
from livecommerce.index.model import Model
from livecommerce.index.scheme import Node
from livecommerce.vocab import LEVELS

SPREADS = (1.0, 2.0, 4.0)


def node(id: str, children: tuple[str, ...]) -> Node:
    """An arithmetic node whose weights the model holds."""
    return Node(id, {"zh": id, "en": id}, children, None, "equal", "arithmetic")


def independent(spreads, n: int = 240, seed: int = 0) -> Model:
    """Leaves x1, x2 under node a, and x3 beside a under the root; the leaves' sample covariance is exactly
    diagonal with variances ``spreads``², so with an arithmetic index y = Σ e_i x_i a leaf's Pearson r² is
    e_i² σ_i² / Σ_j e_j² σ_j²: equal importance needs effective weights e_i ∝ 1 / σ_i."""
    raw = np.random.default_rng(seed).normal(size=(n, 3))
    q, _ = np.linalg.qr(raw - raw.mean(axis=0))
    leaves = q * np.sqrt(n) * np.asarray(spreads)
    regions = pd.Index([f"r{k:03d}" for k in range(n)], name="region_id")
    return Model(
        regions=regions,
        leaves=("x1", "x2", "x3"),
        scores={"constructed": leaves},
        nodes=(node("a", ("x1", "x2")), node("root", ("a", "x3"))),
        weights=(np.array([0.5, 0.5]), np.array([0.5, 0.5])),
        names=pd.Series(regions, index=regions),
    )


@settings(max_examples=10, deadline=None)
@given(
    level=st.sampled_from(LEVELS),
    measure=st.sampled_from(optimise.IMPORTANCE_MEASURES),
    relative=st.tuples(*[st.floats(0.2, 5.0)] * 5),
    free=st.sampled_from([None, ("people",), ("overall",)]),
)
def test_optimised_weights_are_weights_and_close_the_gap_sweeps_measures(level, measure, relative, free):
    """On the report's sub-indices, whatever the target: every node's weights are non-negative and sum to 1, the
    nodes not set free keep theirs, both gaps are the ones ``sensitivity.sweeps.importance`` gives, computed
    apart from the optimiser, at the weights returned, and the squared misses never add up to more."""
    m = models.from_published(level)
    result = optimise.optimise(m, dict(zip(m.leaves, relative)), nodes=free, measure=measure)
    assert set(result.weights) == set(free or ("overall", "people"))
    for node, weights, nominal in zip(result.model.nodes, result.model.weights, m.weights):
        assert (weights >= 0).all() and weights.sum() == pytest.approx(1, abs=1e-12)
        if node.id not in result.free:
            assert np.array_equal(weights, nominal)
        else:
            assert list(result.weights[node.id].values()) == pytest.approx(weights, abs=0)
    goal = np.asarray(relative) / sum(relative)
    misses = []
    for weighted, gap in ((result.model, result.gap), (m, result.nominal_gap)):
        ratios = sweeps.importance(weighted).loc[list(m.leaves), measure].to_numpy()
        misses.append(ratios / ratios.sum() - goal)
        assert gap == pytest.approx(np.abs(misses[-1]).max(), abs=1e-12)
    # least squares: the sum of squared misses never grows (the largest miss, ``gap``, may: hypothesis found
    # 0.24168 against 0.24159 at the province level, people set free, target 1:2:2:1:5)
    optimised, nominal = misses
    assert (optimised**2).sum() <= (nominal**2).sum() + 1e-15
    w = {node.id: dict(zip(node.children, weights)) for node, weights in zip(result.model.nodes, result.model.weights)}
    by_hand = {leaf: w["overall"]["people"] * w["people"][leaf] for leaf in ("activity", "sales", "influence")}
    by_hand |= {leaf: w["overall"][leaf] for leaf in ("goods", "venue")}  # the product of the weights on the path
    assert result.importance["optimised_weight"].to_dict() == pytest.approx(by_hand, abs=1e-12)


@settings(max_examples=10, deadline=None)
@given(spreads=st.tuples(*[st.floats(0.5, 5.0)] * 3), relative=st.tuples(*[st.floats(0.5, 3.0)] * 3))
def test_the_optimiser_recovers_weights_of_known_importance(spreads, relative):
    """Pearson importance: e_i² σ_i² ∝ t_i, so e_i ∝ √t_i / σ_i; recovered to 1e-4 in every weight."""
    m = independent(spreads, n=60)
    target = dict(zip(m.leaves, relative))
    result = optimise.optimise(m, target, measure="pearson_r2")
    e = np.sqrt(relative) / np.asarray(spreads)
    e /= e.sum()
    expected = {"a": {"x1": e[0] / (e[0] + e[1]), "x2": e[1] / (e[0] + e[1])}, "root": {"a": e[0] + e[1], "x3": e[2]}}
    for node, weights in expected.items():
        assert result.weights[node] == pytest.approx(weights, abs=1e-4)
    assert result.gap < 1e-6 and result.importance["optimised_weight"].to_numpy() == pytest.approx(e, abs=1e-4)


def test_equal_correlation_ratios_are_reached_within_a_stated_tolerance():
    """The LOWESS correlation ratio of a linear index is close to Pearson's r²: equal importance within 0.01 of
    each share, weights within 0.03 of the exact 1/σ rule."""
    m = independent(SPREADS)
    result = optimise.optimise(m)
    assert result.converged and result.gap < 0.01 < result.nominal_gap
    e = 1 / np.asarray(SPREADS)
    e /= e.sum()
    assert result.importance["optimised_weight"].to_numpy() == pytest.approx(e, abs=0.03)
    assert np.abs(result.importance["optimised_share"] - 1 / 3).max() == pytest.approx(result.gap)


def test_only_the_free_nodes_move_and_the_study_takes_the_weights():
    m = models.from_published("province")
    result = optimise.optimise(m, nodes=["people"], measure="pearson_r2")
    assert set(result.weights) == {"people"} and sum(result.weights["people"].values()) == pytest.approx(1)
    assert np.array_equal(result.model.weights[1], m.weights[1])
    assert result.gap <= result.nominal_gap
    assert set(result.model.alternatives) == set(m.alternatives)


def test_effective_weights_multiply_down_the_tree():
    m = models.from_published("province")
    table = models.effective_weights(m)
    assert list(table.index) == ["people", "activity", "sales", "influence", "goods", "venue"]
    assert table.loc["sales", "effective"] == pytest.approx(0.65 * 0.533)
    assert table.loc["people", "effective"] == pytest.approx(
        table.loc[["activity", "sales", "influence"], "effective"].sum()
    )
    assert table.loc[list(m.leaves), "effective"].sum() == pytest.approx(1)
    result = optimise.optimise(m, nodes=["people"], measure="pearson_r2")
    both = result.table()
    assert both.loc["goods", "nominal"] == both.loc["goods", "optimised"] == 0.264
    assert both.loc["sales", "optimised_effective"] == pytest.approx(both.loc["sales", "optimised"] * 0.533)
    assert np.isnan(both.loc["people", "target"]) and both.loc["sales", "target"] == pytest.approx(0.2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"target": {"x1": 1, "x2": 1}}, "target needs one relative importance for each of x1, x2, x3"),
        ({"target": {"x1": 1, "x2": -1, "x3": 1}}, "non-negative"),
        ({"target": {"x1": "a", "x2": 1, "x3": 1}}, "must be numbers"),
        ({"target": [1, 1, 1]}, "target"),
        ({"nodes": ["b"]}, "'b' is not a node of the model (a, root)"),
        ({"measure": "spearman"}, "measure='spearman'"),
        ({"frac": 0}, "frac=0"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        optimise.optimise(independent(SPREADS, n=40), **kwargs)


def test_weights_already_on_target_are_kept():
    m = independent((1.0, 1.0, 1.0), n=60)  # e = (1/3, 1/3, 1/3) already equalises Pearson importance
    m = replace(m, weights=(m.weights[0], np.array([2 / 3, 1 / 3])))
    result = optimise.optimise(m, measure="pearson_r2")
    assert result.nominal_gap < 1e-12 and result.gap == result.nominal_gap
    assert "kept them" in result.message and not result.converged
    assert result.weights == {"a": {"x1": 0.5, "x2": 0.5}, "root": {"a": 2 / 3, "x3": 1 / 3}}
