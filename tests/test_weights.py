"""Recovery of the report's weights: exact on constructed data, honest on the published tables."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce import weights
from livecommerce.errors import ParameterError

COMPONENTS = ["a", "b", "c"]


def constructed(w, form="arithmetic", n=31, seed=0, noise=0.0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(60, 100, size=(n, 3)), columns=COMPONENTS)
    y = x.to_numpy() @ np.asarray(w) if form == "arithmetic" else np.exp(np.log(x.to_numpy()) @ np.asarray(w))
    return x.assign(y=y + rng.normal(0, noise, n) if noise else y)


simplex = st.lists(st.floats(0, 1), min_size=3, max_size=3).filter(lambda v: sum(v) > 0.05).map(
    lambda v: [e / sum(v) for e in v])


@settings(max_examples=60, deadline=None)
@given(w=simplex, form=st.sampled_from(weights.FORMS), seed=st.integers(0, 1000))
def test_known_weights_are_recovered(w, form, seed):
    fit = weights.fit_weights(constructed(w, form, seed=seed), "y", COMPONENTS, form)
    assert fit.weights.to_numpy() == pytest.approx(w, abs=1e-7)
    assert (fit.weights >= 0).all() and fit.weights.sum() == pytest.approx(1)
    assert fit.max_abs_residual < 1e-6 and fit.within_rounding


def test_noise_is_reported_and_intervals_cover_the_truth():
    truth = [0.2, 0.5, 0.3]
    fit = weights.fit_weights(constructed(truth, noise=0.5, n=200), "y", COMPONENTS)
    assert ((fit.conf_int["lower"] < truth) & (np.asarray(truth) < fit.conf_int["upper"])).all()
    assert (fit.std_errors > 0).all()
    assert not fit.within_rounding and fit.misses(3)["beyond_rounding"].all()


def test_a_weight_at_zero_is_found_on_the_boundary():
    fit = weights.fit_weights(constructed([0.0, 0.4, 0.6], noise=0.05, n=100, seed=3), "y", COMPONENTS)
    assert fit.weights.min() >= 0
    assert fit.weights["b"] == pytest.approx(0.4, abs=0.02) and fit.weights["c"] == pytest.approx(0.6, abs=0.02)


def test_people_weights_of_the_report():
    """人 = 0.17·活跃度 + 0.65·带货力 + 0.18·影响力 at every level, within the tables' rounding."""
    table = weights.compare_levels("people", "arithmetic")
    assert table["within_rounding"].all()
    assert table[["activity", "sales", "influence"]].to_numpy() == pytest.approx(
        np.tile([0.17, 0.65, 0.18], (3, 1)), abs=0.002)
    fit = weights.recover("city", "people")
    assert fit.conf_int.loc["sales", "lower"] < 0.651 and fit.conf_int.loc["sales", "upper"] > 0.650
    assert not weights.recover("province", "people", "geometric").within_rounding


def test_overall_is_not_a_weighted_mean_of_the_pillars():
    fit = weights.recover("province", "overall")
    assert not fit.within_rounding and fit.max_abs_residual > 0.5
    assert fit.misses(1).index[0] == "540000"  # 西藏 misses most
    assert set(fit.residuals.index) == set(weights.load_index("province").index)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"level": "county"}, "level='county'"),
    ({"level": "city", "target": "goods"}, "target='goods'"),
    ({"level": "city", "form": "harmonic"}, "form='harmonic'"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        weights.recover(**kwargs)


def test_fit_needs_columns_rows_and_positive_scores():
    frame = constructed([0.3, 0.3, 0.4])
    with pytest.raises(ParameterError, match="no column 'd'"):
        weights.fit_weights(frame, "y", ["a", "b", "d"])
    with pytest.raises(ParameterError, match="more regions than components"):
        weights.fit_weights(frame.head(3), "y", COMPONENTS)
    with pytest.raises(ParameterError, match="positive"):
        weights.fit_weights(frame.assign(a=-1.0), "y", COMPONENTS, "geometric")
    with pytest.raises(ParameterError, match="n=0"):
        weights.fit_weights(frame, "y", COMPONENTS).misses(0)


indicator_frames = st.integers(3, 30).flatmap(lambda n: st.lists(
    st.lists(st.floats(0, 1e4, allow_nan=False), min_size=n, max_size=n), min_size=1, max_size=6))


@settings(max_examples=60, deadline=None)
@given(columns=indicator_frames, method=st.sampled_from(["entropy", "critic", "coefficient_of_variation"]))
def test_data_driven_weights_are_a_distribution_or_a_named_refusal(columns, method):
    frame = pd.DataFrame({f"i{k}": c for k, c in enumerate(columns)})
    try:
        w = getattr(weights, method)(frame)
    except ParameterError as exc:
        assert method in str(exc)
        return
    assert list(w.index) == list(frame.columns)
    assert (w >= 0).all() and w.sum() == pytest.approx(1)


@given(values=st.lists(st.floats(0.1, 100), min_size=3, max_size=20, unique=True), seed=st.integers(0, 99))
def test_entropy_weights_equal_for_identically_distributed_columns(values, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({k: rng.permutation(values) for k in "abc"})
    assert weights.entropy(frame).to_numpy() == pytest.approx([1 / 3] * 3)


def test_entropy_favours_the_uneven_indicator():
    frame = pd.DataFrame({"even": [10.0, 10.0, 10.0, 11.0], "uneven": [0.0, 0.0, 1.0, 30.0]})
    w = weights.entropy(frame)
    assert w["uneven"] > 0.9 > w["even"]


def test_critic_rewards_contrast_and_conflict():
    base = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])
    frame = pd.DataFrame({"a": base, "twin": base * 1.0, "opposite": 6 - base})
    w = weights.critic(frame)
    # a and its twin agree (r = 1) and oppose "opposite" (r = −1): conflict 2, 2, 4; equal spread
    assert w.to_numpy() == pytest.approx([0.25, 0.25, 0.5])


def test_equal_and_fixed():
    assert weights.equal(["x", "y", "z", "w"]).tolist() == [0.25] * 4
    assert weights.fixed({"activity": 17, "sales": 65, "influence": 18}).tolist() == pytest.approx([0.17, 0.65, 0.18])
    with pytest.raises(ParameterError, match="non-negative"):
        weights.fixed({"a": -1, "b": 2})
    with pytest.raises(ParameterError, match="distinct"):
        weights.equal(["a", "a"])
