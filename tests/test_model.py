"""The index as arrays: the same numbers as the pandas build, for published and raw sources."""

import tomllib
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from livecommerce.data import published as data
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir, default_scheme_path
from livecommerce.errors import ParameterError
from livecommerce.index import compose as index
from livecommerce.index import model, weights
from livecommerce.index.scheme import WEIGHTING_METHODS, load_scheme, scheme_from_dict

SCHEME = load_scheme()

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


@pytest.mark.parametrize("level", ["province", "city", "prefecture"])
def test_published_model_reproduces_people_within_rounding(level):
    m = model.from_published(level)
    scores = m.node_scores()
    published = data.load_index(level)
    assert m.leaves == ("activity", "sales", "influence", "goods", "venue")
    assert (scores["people"] - published["people"]).abs().max() <= 0.0101
    assert m.published_rank.equals(published["overall_rank"])


def test_raw_model_equals_the_pandas_build():
    panel = load_panel(SYNTHETIC, SCHEME)
    m = model.from_panel(panel)
    built = index.build(panel)
    pd.testing.assert_frame_equal(m.node_scores()[built.columns], built, check_exact=False, rtol=1e-12)


def test_evaluate_takes_weights_by_name_and_agrees_with_the_draws():
    m = model.from_panel(load_panel(SYNTHETIC, SCHEME), normalisations=("efficacy", "minmax"))
    nominal = model.evaluate(m)
    assert list(nominal.index) == list(m.regions) and nominal.name == "overall"
    np.testing.assert_array_equal(nominal.to_numpy(), model.evaluate_draws(m, m.nominal[None])[0])
    equal = {"people": {"activity": 1 / 3, "sales": 1 / 3, "influence": 1 / 3}}
    flat = np.concatenate(model.named_weights(m, equal))
    for aggregation, normalisation in (("geometric", "efficacy"), ("nominal", "minmax")):
        by_name = model.evaluate(m, equal, aggregation, normalisation)
        by_draw = model.evaluate_draws(m, flat[None], np.array([aggregation]), np.array([normalisation]))[0]
        np.testing.assert_array_equal(by_name.to_numpy(), by_draw)
        assert not np.allclose(by_name, nominal)
    with pytest.raises(ParameterError, match="'nowhere' is not a node"):
        model.evaluate(m, {"nowhere": {"a": 1.0}})
    with pytest.raises(ParameterError, match="node 'people' needs a weight for each of its children"):
        model.evaluate(m, {"people": {"activity": 1.0}})
    with pytest.raises(ParameterError, match="aggregation='cubic'"):
        model.evaluate(m, aggregation="cubic")
    with pytest.raises(ParameterError, match="normalisation='zscore'"):
        model.evaluate(m, normalisation="zscore")


def test_evaluate_aggregations_and_normalisations_per_draw():
    panel = load_panel(SYNTHETIC, SCHEME)
    m = model.from_panel(panel, normalisations=("efficacy", "distance_to_leader"))
    weights = np.tile(m.nominal, (3, 1))
    out = model.evaluate_draws(
        m,
        weights,
        np.array(["nominal", "geometric", "arithmetic"]),
        np.array(["efficacy", "efficacy", "distance_to_leader"]),
    )
    scheme = load_scheme()
    geometric = replace(scheme, nodes={k: replace(n, aggregation="geometric") for k, n in scheme.nodes.items()})
    leader = replace(scheme, normalisation={"method": "distance_to_leader"})
    assert out[0] == pytest.approx(index.build(panel, scheme)["overall"].to_numpy(), rel=1e-12)
    assert out[1] == pytest.approx(index.build(panel, geometric)["overall"].to_numpy(), rel=1e-12)
    assert out[2] == pytest.approx(index.build(panel, leader)["overall"].to_numpy(), rel=1e-12)


@pytest.mark.parametrize("method", model.WEIGHTING_CHOICES)
def test_alternative_weights_are_distributions(method):
    m = model.from_published("city", methods=(method,))
    for w in m.alternatives[method]:
        assert (w >= 0).all() and w.sum() == pytest.approx(1)


def test_bad_arguments():
    with pytest.raises(ParameterError, match="'votes' is not one of"):
        model.from_published("province", methods=("votes",))
    with pytest.raises(ParameterError, match="level='county'"):
        model.from_published("county")
    with pytest.raises(ParameterError, match="at least one"):
        model.from_panel(load_panel(SYNTHETIC, SCHEME), normalisations=())


def test_evaluate_checks_its_arguments():
    m = model.from_published("city")
    with pytest.raises(ParameterError, match=r"shape \(draws, 6\)"):
        model.evaluate_draws(m, np.ones((2, 5)))
    with pytest.raises(ParameterError, match="finite"):
        model.evaluate_draws(m, np.full((1, 6), np.nan))
    with pytest.raises(ParameterError, match="aggregations must give one of"):
        model.evaluate_draws(m, np.full((1, 6), 0.5), np.array(["cubic"]))
    with pytest.raises(ParameterError, match="normalisations must name one of published"):
        model.evaluate_draws(m, np.full((1, 6), 0.5), None, np.array(["minmax"]))


def test_mixed_aggregations_go_node_by_node_and_agree_with_the_build():
    panel = load_panel(SYNTHETIC, SCHEME)
    scheme = load_scheme()
    mixed = replace(
        scheme,
        nodes={
            **scheme.nodes,
            "people": replace(scheme.nodes["people"], aggregation="harmonic"),
            "goods": replace(scheme.nodes["goods"], aggregation="geometric"),
        },
    )
    m = model.from_panel(panel, mixed)
    weights = m.nominal[None]
    assert model.evaluate_draws(m, weights)[0] == pytest.approx(
        index.build(panel, mixed)["overall"].to_numpy(), rel=1e-12
    )
    paths = model.leaf_weights(m, weights)[0]
    assert paths.sum() == pytest.approx(1) and len(paths) == len(m.leaves)


def test_every_data_driven_method_of_a_scheme_is_a_sensitivity_alternative():
    assert model.WEIGHTING_CHOICES == ("nominal", *weights.DERIVED)
    assert {"coefficient_of_variation", "entropy_raw"} <= set(model.WEIGHTING_CHOICES)
    assert set(model.WEIGHTING_CHOICES) - {"nominal"} == set(WEIGHTING_METHODS) - {"ahp"}


def judged_overall() -> tuple:
    """The report's scheme with 人/货/场 weighted by pairwise judgements."""
    raw = tomllib.loads(default_scheme_path().read_text(encoding="utf-8"))
    matrix = [[1, 2, 3], [1 / 2, 1, 2], [1 / 3, 1 / 2, 1]]
    raw["nodes"]["overall"] = {"children": ["people", "goods", "venue"], "weights": "ahp", "ahp": matrix}
    labels = ["people", "goods", "venue"]
    return scheme_from_dict(raw, "judged.toml"), weights.ahp(pd.DataFrame(matrix, labels, labels))


def test_ahp_weights_reach_the_published_and_raw_models():
    scheme, expected = judged_overall()
    published = model.from_published("province", scheme, methods=("nominal", "entropy"))
    assert published.nodes[-1].id == "overall"
    assert published.weights[-1] == pytest.approx(expected.to_numpy())
    assert published.alternatives["nominal"][-1] == pytest.approx(expected.to_numpy())
    panel = load_panel(SYNTHETIC, SCHEME)
    raw = model.from_panel(panel, scheme)
    built = index.build(panel, scheme)
    assert raw.weights[-1] == pytest.approx(expected.to_numpy())
    pd.testing.assert_frame_equal(raw.node_scores()[built.columns], built, check_exact=False, rtol=1e-12)
