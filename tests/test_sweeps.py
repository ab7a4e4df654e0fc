"""One-at-a-time sweeps: analytic switching points agree with brute force; tornado and importance behave."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from livecommerce.analysis.sensitivity import sweeps
from livecommerce.errors import ParameterError
from livecommerce.index import model
from livecommerce.index.scheme import Node


@pytest.mark.parametrize("level", ["province", "city", "prefecture"])
def test_switching_points_agree_with_a_brute_force_sweep(level):
    m = model.from_published(level)
    analytic = sweeps.switching_points(m)
    grid = np.linspace(0, 1, 20001)
    nominal = m.nominal
    order = np.argsort(-model.evaluate_draws(m, nominal[None])[0], kind="stable")
    position = {r: k for k, r in enumerate(m.regions)}
    for k, (node, child) in enumerate(m.weight_labels):
        scores = model.evaluate_draws(m, sweeps.moved(m, k, grid))
        found = analytic[analytic["weight"] == f"{node}/{child}"]
        for a, b in zip(order[:-1], order[1:]):  # adjacent at nominal
            gap = scores[:, a] - scores[:, b]
            crossings = grid[np.flatnonzero(np.diff(np.sign(gap)) != 0)]
            rows = found[(found["upper"] == m.regions[a]) & (found["lower"] == m.regions[b])]
            assert len(rows) == len(crossings) <= 1
            if len(crossings):
                assert abs(rows["switch_at"].iloc[0] - crossings[0]) <= grid[1] + 1e-12
                assert position[rows["upper"].iloc[0]] == a


def test_moved_keeps_each_node_summing_to_one():
    m = model.from_published("province")
    weights = sweeps.moved(m, 1, np.array([0.0, 0.3, 1.0]))
    assert weights[:, 1].tolist() == [0.0, 0.3, 1.0]
    assert np.allclose(weights[:, :3].sum(axis=1), 1) and np.allclose(weights[:, 3:].sum(axis=1), 1)
    assert (weights[:, 3:] == np.concatenate([n.weights for n in m.nodes])[3:]).all()  # other nodes untouched


def test_tornado_brackets_the_nominal_rank():
    m = model.from_published("prefecture")
    table = sweeps.tornado(m, span=0.5)
    assert ((table["rank_best"] <= table["nominal_rank"]) & (table["nominal_rank"] <= table["rank_worst"])).all()
    assert (table["score_low"] <= table["score_high"]).all()
    still = sweeps.tornado(m, span=1e-9)
    assert (still["rank_range"] == 0).all()
    assert len(table) == 21 * len(m.weight_labels)
    with pytest.raises(ParameterError, match="span=0"):
        sweeps.tornado(m, span=0)


def one_leaf_model(weights) -> model.Model:
    rng = np.random.default_rng(0)
    x = rng.uniform(60, 100, size=(40, 2))
    regions = pd.Index([f"r{i}" for i in range(40)])
    return model.Model(
        regions,
        ("x", "z"),
        {"raw": x},
        (Node("top", {}, ("x", "z"), None, None, "arithmetic"),),
        (np.asarray(weights),),
        pd.Series(regions, index=regions),
        alternatives={"nominal": (np.asarray(weights),)},
    )


def test_importance_finds_the_only_component_that_counts():
    table = sweeps.importance(one_leaf_model([1.0, 0.0]))
    assert table.loc["x", "correlation_ratio"] == pytest.approx(1, abs=1e-6)
    assert table.loc["z", "correlation_ratio"] < 0.2
    assert table["nominal_weight"].tolist() == [1.0, 0.0]
    assert table["share"].sum() == pytest.approx(1)


def test_importance_stands_beside_the_effective_weights():
    m = model.from_published("province")
    w = sweeps.importance(m)["nominal_weight"]
    assert w["sales"] == pytest.approx(0.65 * 0.533) and w["goods"] == pytest.approx(0.264)
    assert list(w.index) == list(m.leaves) and w.sum() == pytest.approx(1)
    assert w.to_dict() == model.effective_weights(m).loc[list(m.leaves), "effective"].to_dict()


def test_switching_points_need_the_arithmetic_aggregation():
    m = one_leaf_model([0.5, 0.5])
    geometric = replace(m, nodes=(replace(m.nodes[0], aggregation="geometric"),))
    with pytest.raises(ParameterError, match="arithmetic aggregation at every node"):
        sweeps.switching_points(geometric)
