"""Normalisations keep order, respect direction, and ignore the units of the raw data where they should."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from livecommerce.errors import DataError, ParameterError
from livecommerce.index import normalise as nm

columns = arrays(
    float,
    st.tuples(st.integers(3, 25), st.just(2)),
    elements=st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)),
)


def frame_of(values):
    return pd.DataFrame(values, columns=["x", "y"], index=[f"r{i}" for i in range(len(values))])


def spread(values):
    return (np.ptp(values, axis=0) > 1e-3 * (1 + np.abs(values).max())).all()


@settings(max_examples=80, deadline=None)
@given(
    values=columns,
    method=st.sampled_from(["efficacy", "minmax", "zscore", "rank_score", "percentile"]),
    a=st.floats(0.01, 100),
    b=st.floats(-1e3, 1e3),
)
def test_invariant_to_positive_affine_rescaling(values, method, a, b):
    assume(spread(values))
    frame = frame_of(values)
    assert np.allclose(nm.normalise(frame * a + b, method), nm.normalise(frame, method), atol=1e-6)


@settings(max_examples=80, deadline=None)
@given(values=columns, method=st.sampled_from(list(nm.NORMALISATIONS)), flip=st.booleans())
def test_monotone_in_the_indicators_direction(values, method, flip):
    assume(spread(values))
    frame = frame_of(np.abs(values) + 1 if method == "distance_to_leader" and not flip else values)
    assume(method not in ("distance_to_leader", "distance_to_reference") or not flip)
    assume(method != "distance_to_reference" or frame["y"][frame["x"].idxmax()] > frame["y"].min())
    out = nm.normalise(frame, method, directions={"x": -1} if flip else None, **_options(method, frame, flip))
    order = frame["x"].sort_values(ascending=not flip).index
    assert out.loc[order, "x"].is_monotonic_increasing


def _options(method: str, frame: pd.DataFrame, flip: bool) -> dict:
    """What a method that needs more than the data is given: posts around the data, a target past its best value,
    the best region as the reference."""
    (x, y), low, high = frame.columns, frame.min() - 1, frame.max() + 1
    if method == "goalposts":
        return {"posts": {c: (low[c], high[c]) for c in frame}}
    if method == "distance_to_target":
        return {"targets": {x: low[x] if flip else high[x], y: high[y]}}
    if method == "distance_to_reference":
        return {"reference": frame[x].idxmax()}
    return {}


def test_efficacy_is_the_60_to_100_scale():
    out = nm.efficacy(
        pd.DataFrame({"gmv": [10.0, 20.0, 50.0], "complaints": [5.0, 1.0, 3.0]}), directions={"complaints": -1}
    )
    assert out["gmv"].tolist() == [60.0, 70.0, 100.0]
    assert out["complaints"].tolist() == [60.0, 100.0, 80.0]


def test_percentile_rank_and_distance():
    frame = pd.DataFrame({"v": [1.0, 2.0, 2.0, 4.0]})
    assert nm.rank_score(frame)["v"].tolist() == [1.0, 2.5, 2.5, 4.0]
    assert nm.percentile(frame)["v"].tolist() == [0.0, 50.0, 50.0, 100.0]
    assert nm.distance_to_leader(frame)["v"].tolist() == [25.0, 50.0, 50.0, 100.0]
    z = nm.zscore(frame)["v"]
    assert z.mean() == pytest.approx(0) and z.std() == pytest.approx(1)


@settings(max_examples=60, deadline=None)
@given(
    values=arrays(float, st.tuples(st.integers(3, 25), st.just(2)), elements=st.integers(0, 10**6).map(float)),
    zeros=st.integers(1, 2),
)
def test_distance_to_the_leader_scores_a_zero_as_nothing_of_the_leader(values, zeros):
    values[:zeros] = 0.0  # regions with none (山西's 0 anchors): 0% of the leader, not an error
    assume(spread(values))
    out = nm.distance_to_leader(frame_of(values))
    assert (out.iloc[:zeros] == 0).all().all()
    assert out.max().tolist() == [100.0, 100.0]
    assert np.allclose(out, 100 * values / values.max(axis=0))
    with pytest.raises(DataError, match="column 'x': distance to the leader needs values of zero or more"):
        nm.distance_to_leader(frame_of(values), directions={"x": -1})


def test_constant_column_is_named_unless_a_rule_is_chosen():
    frame = pd.DataFrame({"shops": [3.0, 3.0, 3.0], "gmv": [1.0, 2.0, 3.0]})
    for method in set(nm.NORMALISATIONS) - {"goalposts", "scaled"}:  # the two that compare no regions
        with pytest.raises(DataError, match="column 'shops' is constant"):
            nm.normalise(frame, method, **_options(method, frame[["gmv", "shops"]], False))
    assert nm.efficacy(frame, constant="midpoint")["shops"].tolist() == [80.0] * 3
    assert nm.zscore(frame, constant="midpoint")["shops"].tolist() == [0.0] * 3


def test_bad_input_names_the_fault():
    with pytest.raises(DataError, match="column 'gmv', region 'b'"):
        nm.minmax(pd.DataFrame({"gmv": [1.0, np.nan, 2.0]}, index=["a", "b", "c"]))
    with pytest.raises(ParameterError, match="method='softmax'"):
        nm.normalise(pd.DataFrame({"v": [1.0, 2.0]}), "softmax")
    with pytest.raises(ParameterError, match=r"^low= is not an option of method 'rank_score' \(it takes directions"):
        nm.normalise(pd.DataFrame({"v": [1.0, 2.0]}), "rank_score", low=0.0)
    with pytest.raises(ParameterError, match=r"directions\['w'\]"):
        nm.minmax(pd.DataFrame({"v": [1.0, 2.0]}), directions={"w": -1})
    with pytest.raises(ParameterError, match="at least 1 region"):
        nm.minmax(pd.DataFrame())
    with pytest.raises(DataError, match="column 'v', region 1: 'x' is not a finite number"):
        nm.minmax(pd.DataFrame({"v": [1.0, "x"]}))
    with pytest.raises(DataError, match="column 'v': log transform"):
        nm.log_transform(pd.DataFrame({"v": [-1.0, 2.0]}))


def test_log_and_clip_quantiles():
    frame = pd.DataFrame({"fans": [0.0, 9.0, 99.0, 999.0]})
    assert nm.log_transform(frame)["fans"].to_numpy() == pytest.approx(np.log([1, 10, 100, 1000]))
    clipped = nm.clip_quantiles(pd.DataFrame({"v": np.arange(101.0)}), 0.1, 0.9)["v"]
    assert (clipped.min(), clipped.max()) == (10.0, 90.0)
    with pytest.raises(ParameterError, match="lower=0.9"):
        nm.clip_quantiles(frame, 0.9, 0.1)


def test_methods_with_data_of_their_own_name_what_is_missing():
    frame = pd.DataFrame({"gmv": [1.0, 2.0, 4.0], "fans": [3.0, 1.0, 2.0]}, index=["a", "b", "c"])
    with pytest.raises(DataError, match="column 'fans': the reference 'b' is the worst region"):
        nm.distance_to_reference(frame, "b")
    with pytest.raises(ParameterError, match="reference='z' is not a region"):
        nm.distance_to_reference(frame, "z")
    with pytest.raises(ParameterError, match=r"posts: no value for column 'fans'; posts\['gmv'\]=5: need 2"):
        nm.goalposts(frame, {"gmv": 5})
    with pytest.raises(ParameterError, match="method 'goalposts' needs posts="):
        nm.normalise(frame, "goalposts")
    with pytest.raises(ParameterError, match="spread=0"):
        nm.zscore(frame, spread=0)


def test_each_indicator_its_own_method():
    frame = pd.DataFrame({"gmv": [1.0, 2.0, 4.0], "fans": [3.0, 1.0, 2.0], "shops": [5.0, 9.0, 7.0]})
    methods = {
        "gmv": {"method": "goalposts", "posts": (0, 8)},
        "fans": {"method": "minmax"},
        "shops": {"method": "goalposts", "posts": (5, 10)},
    }
    out = nm.normalise_each(frame, methods, directions={"fans": -1})
    assert list(out.columns) == ["gmv", "fans", "shops"]
    assert out["gmv"].tolist() == [12.5, 25.0, 50.0] and out["shops"].tolist() == [0.0, 80.0, 40.0]
    pd.testing.assert_series_equal(out["fans"], nm.minmax(frame[["fans"]], directions={"fans": -1})["fans"])
