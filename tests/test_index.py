"""Building the index from raw panels: by hand on a small tree, and back to the report's numbers."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data import published as data
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError
from livecommerce.index import compose as index
from livecommerce.index.scheme import load_scheme, scheme_from_dict

SCHEME = load_scheme()

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


def small_scheme(**changes) -> dict:
    raw = {
        "normalisation": {"method": "efficacy", "low": 60.0, "high": 100.0},
        "nodes": {
            "top": {"weights": {"mid": 0.25, "price": 0.75}},
            "mid": {"children": ["count", "score"], "weights": "equal"},
        },
        "indicators": {
            "count": {"unit": "shops", "direction": 1, "transform": "log", "valid": [0, 1e6]},
            "score": {"unit": "score", "direction": 1, "valid": [0, 5]},
            "price": {"unit": "yuan", "direction": -1, "valid": [0, 1e4]},
        },
    }
    for path, value in changes.items():
        node, key = path.split("__")
        (raw["nodes"].get(node) or raw[node])[key] = value
    return scheme_from_dict(raw, "small.toml")


PANEL = pd.DataFrame(
    {"count": [0.0, np.e - 1, np.e**2 - 1], "score": [3.0, 5.0, 4.0], "price": [10.0, 30.0, 20.0]},
    index=["a", "b", "c"],
)


def test_a_small_tree_by_hand():
    scores = index.build(PANEL, small_scheme())
    assert list(scores.columns) == ["top", "mid", "count", "score", "price"]
    # log1p(count) = 0, 1, 2 → 60, 80, 100; score 3, 5, 4 → 60, 100, 80; price is lower-is-better → 100, 60, 80
    expected = pd.DataFrame(
        {"count": [60.0, 80, 100], "score": [60.0, 100, 80], "price": [100.0, 60, 80]}, index=PANEL.index
    )
    expected["mid"] = (expected["count"] + expected["score"]) / 2
    expected["top"] = 0.25 * expected["mid"] + 0.75 * expected["price"]
    pd.testing.assert_frame_equal(scores, expected[scores.columns])


def test_data_driven_weights_are_reported():
    scheme = small_scheme(mid__weights="entropy")
    used = index.node_weights(PANEL, scheme)
    assert used["node"].tolist() == ["top", "top", "mid", "mid"]
    mid = used[used["node"] == "mid"].set_index("child")["weight"]
    assert mid.sum() == pytest.approx(1)
    scores = index.build(PANEL, scheme)
    assert scores["mid"].to_numpy() == pytest.approx(scores[["count", "score"]].to_numpy() @ mid.to_numpy())


@settings(max_examples=40, deadline=None)
@given(
    aggregation=st.sampled_from(["arithmetic", "geometric", "harmonic"]),
    values=st.lists(st.tuples(st.floats(1, 1e5), st.floats(0, 5), st.floats(1, 1e4)), min_size=3, max_size=20),
)
def test_every_node_stays_on_the_scale(aggregation, values):
    panel = pd.DataFrame(values, columns=["count", "score", "price"], index=[f"r{i}" for i in range(len(values))])
    try:
        scores = index.build(panel, small_scheme(mid__aggregation=aggregation, top__aggregation=aggregation))
    except DataError as exc:  # a constant column is the only refusal possible here
        assert "is constant across regions" in str(exc)
        return
    assert ((scores >= 60 - 1e-9) & (scores <= 100 + 1e-9)).all().all()


@pytest.mark.parametrize(
    "panel, message",
    [
        (PANEL.drop(columns="score"), "panel has no column 'score'"),
        (PANEL.assign(score=[3.0, 6.0, 4.0]), "column 'score', region 'b': 6 is outside the valid range [0, 5] score"),
        (PANEL.assign(score=["3", "x", "4"]), "column 'score' holds a value that is not a number"),
        (pd.concat([PANEL, PANEL.iloc[[0]]]), "region 'a' appears twice"),
    ],
)
def test_bad_panels_are_named(panel, message):
    with pytest.raises(DataError, match=re.escape(message)):
        index.build(panel, small_scheme())


def test_a_form_the_scores_cannot_take_is_named_with_its_node():
    scheme = scheme_from_dict(
        {
            "normalisation": {"method": "zscore"},
            "nodes": {"top": {"children": ["x", "y"], "weights": "equal", "aggregation": "geometric"}},
            "indicators": {"x": {"unit": "u", "direction": 1}, "y": {"unit": "u", "direction": 1}},
        }
    )
    with pytest.raises(DataError, match="node 'top': column 'x': the geometric mean needs positive scores"):
        index.build(pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [3.0, 1.0, 2.0]}), scheme)


def test_the_synthetic_panel_gives_back_the_published_scores():
    """The whole raw-to-index path against the report: 表4 (人 and its sub-indices), 表7 (货), 表13 (场)."""
    built = index.build(load_panel(SYNTHETIC, SCHEME))
    published = data.load_index("province").loc[built.index]
    for measure in ("activity", "sales", "influence", "people", "goods", "venue"):
        assert (built[measure] - published[measure]).abs().max() < 0.05, measure


def test_an_ahp_node_builds_with_its_judged_weights_and_logs_its_consistency():
    scheme = small_scheme(mid__weights="ahp", mid__ahp=[[1, 3], [1 / 3, 1]])
    scores = index.build(PANEL, scheme)
    assert scores["mid"].to_numpy() == pytest.approx(0.75 * scores["count"] + 0.25 * scores["score"])
    used = index.node_weights(
        PANEL,
        small_scheme(
            mid__weights="ahp", mid__ahp=[[1, 3], [1 / 3, 1]], top__weights="entropy", top__children=["mid", "price"]
        ),
    )
    assert used.columns.tolist() == ["node", "child", "weight", "method", "cr"]
    assert used["method"].tolist() == ["entropy", "entropy", "ahp", "ahp"]
    assert used["cr"].iloc[:2].isna().all() and (used["cr"].iloc[2:] == 0).all()
    assert used["weight"].iloc[2:].tolist() == pytest.approx([0.75, 0.25])
    assert index.node_weights(PANEL, small_scheme())["method"].tolist() == ["fixed", "fixed", "equal", "equal"]


def test_the_weights_table_marks_a_node_given_other_weights():
    scheme = small_scheme(mid__weights="ahp", mid__ahp=[[1, 3], [1 / 3, 1]])
    nodes = [scheme.nodes["top"], scheme.nodes["mid"]]
    table = index.weights_table(nodes, [[0.25, 0.75], [0.5, 0.5]], edited={"mid"})
    assert table["method"].tolist() == ["fixed", "fixed", "reweighted", "reweighted"] and table["cr"].isna().all()
    assert table["weight"].tolist() == [0.25, 0.75, 0.5, 0.5]
    judged = index.weights_table(nodes[1:], [[0.75, 0.25]])
    assert judged["method"].tolist() == ["ahp", "ahp"] and (judged["cr"] == 0).all()


def test_a_one_region_panel_is_named_as_such_not_as_constant_columns():
    with pytest.raises(DataError, match=re.escape("panel has one region ('a'): the index compares regions")):
        index.build(PANEL.iloc[[0]], small_scheme())


def test_a_constant_column_names_the_scheme_setting_that_scores_it_not_an_api_argument():
    flat = PANEL.assign(score=4.0)
    with pytest.raises(
        DataError, match=re.escape('set constant = "midpoint" in the [normalisation] table of scheme small.toml')
    ) as caught:
        index.build(flat, small_scheme())
    assert "column 'score' is constant" in str(caught.value) and "constant='midpoint'" not in str(caught.value)
    assert (
        index.build(flat, small_scheme(normalisation__constant="midpoint"))["score"] == 80.0
    ).all()  # mid-scale, as the message says
