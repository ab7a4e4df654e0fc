"""Recovery of the report's weights: exact on constructed data, honest on the published tables."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data.published import load_index
from livecommerce.errors import ParameterError
from livecommerce.index import recover
from livecommerce.index.aggregate import MEANS, aggregate

COMPONENTS = ["a", "b", "c"]


def constructed(w, aggregation="arithmetic", n=31, seed=0, noise=0.0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(60, 100, size=(n, 3)), columns=COMPONENTS)
    y = aggregate(x, pd.Series(w, index=COMPONENTS), aggregation)
    return x.assign(y=y + rng.normal(0, noise, n) if noise else y)


simplex = (
    st.lists(st.floats(0, 1), min_size=3, max_size=3)
    .filter(lambda v: sum(v) > 0.05)
    .map(lambda v: [e / sum(v) for e in v])
)


@settings(max_examples=60, deadline=None)
@given(w=simplex, aggregation=st.sampled_from(MEANS), seed=st.integers(0, 1000))
def test_known_weights_are_recovered(w, aggregation, seed):
    fit = recover.fit_weights(constructed(w, aggregation, seed=seed), "y", COMPONENTS, aggregation)
    assert fit.weights.to_numpy() == pytest.approx(w, abs=1e-7)
    assert (fit.weights >= 0).all() and fit.weights.sum() == pytest.approx(1)
    assert fit.max_abs_residual < 1e-6 and fit.within_rounding


def test_noise_is_reported_and_intervals_cover_the_truth():
    truth = [0.2, 0.5, 0.3]
    fit = recover.fit_weights(constructed(truth, noise=0.5, n=200), "y", COMPONENTS)
    assert ((fit.conf_int["lower"] < truth) & (np.asarray(truth) < fit.conf_int["upper"])).all()
    assert (fit.std_errors > 0).all()
    assert not fit.within_rounding and fit.misses(3)["beyond_rounding"].all()


def test_a_weight_at_zero_is_found_on_the_boundary():
    fit = recover.fit_weights(constructed([0.0, 0.4, 0.6], noise=0.05, n=100, seed=3), "y", COMPONENTS)
    assert fit.weights.min() >= 0
    assert fit.weights["b"] == pytest.approx(0.4, abs=0.02) and fit.weights["c"] == pytest.approx(0.6, abs=0.02)


def test_people_weights_of_the_report():
    """人 = 0.17·活跃度 + 0.65·带货力 + 0.18·影响力 at every level, within the tables' rounding."""
    table = recover.compare_levels("people", "arithmetic")
    assert table["within_rounding"].all()
    assert table[["activity", "sales", "influence"]].to_numpy() == pytest.approx(
        np.tile([0.17, 0.65, 0.18], (3, 1)), abs=0.002
    )
    fit = recover.recover("city", "people")
    assert fit.conf_int.loc["sales", "lower"] < 0.651 and fit.conf_int.loc["sales", "upper"] > 0.650
    assert not recover.recover("province", "people", "geometric").within_rounding


def test_overall_is_not_a_weighted_mean_of_the_pillars():
    fit = recover.recover("province", "overall")
    assert not fit.within_rounding and fit.max_abs_residual > 0.5
    assert fit.misses(1).index[0] == "540000"  # 西藏 misses most
    assert set(fit.residuals.index) == set(load_index("province").index)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "county"}, "level='county'"),
        ({"level": "city", "target": "goods"}, "target='goods'"),
        ({"level": "city", "aggregation": "quadratic"}, "aggregation='quadratic'"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        recover.recover(**kwargs)


def test_fit_needs_columns_rows_and_positive_scores():
    frame = constructed([0.3, 0.3, 0.4])
    with pytest.raises(ParameterError, match="no column 'd'"):
        recover.fit_weights(frame, "y", ["a", "b", "d"])
    with pytest.raises(ParameterError, match="more regions than components"):
        recover.fit_weights(frame.head(3), "y", COMPONENTS)
    with pytest.raises(ParameterError, match="positive"):
        recover.fit_weights(frame.assign(a=-1.0), "y", COMPONENTS, "geometric")
    with pytest.raises(ParameterError, match="n=0"):
        recover.fit_weights(frame, "y", COMPONENTS).misses(0)
