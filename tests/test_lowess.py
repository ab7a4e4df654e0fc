"""The library's LOWESS equals statsmodels' to the last bit, for every column, ties and flat data included."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.nonparametric.smoothers_lowess import lowess

from livecommerce.analysis.sensitivity import sweeps
from livecommerce.analysis.sensitivity.lowess import lowess_columns
from livecommerce.errors import ParameterError
from livecommerce.index import model


def statsmodels_fits(y, x, frac, it):
    with warnings.catch_warnings():  # statsmodels divides 0 by 0 in a window of ties (and keeps the point's y)
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.column_stack([lowess(y, x[:, c], frac=frac, it=it, return_sorted=False) for c in range(x.shape[1])])


@st.composite
def data(draw):
    n = draw(st.integers(1, 40))
    m = draw(st.integers(1, 4))
    decimals = draw(st.sampled_from([0, 1, 2, 6]))  # few decimals: many ties, as printed scores have
    values = st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, decimals))
    x = np.array(draw(st.lists(values, min_size=n * m, max_size=n * m))).reshape(n, m)
    y = np.array(draw(st.lists(values | st.just(1.0), min_size=n, max_size=n)))
    return y, x


@settings(max_examples=300, deadline=None)
@given(data(), st.sampled_from([0.0, 0.2, 0.5, 2 / 3, 1.0]), st.integers(0, 4))
def test_every_column_is_what_statsmodels_fits(given_data, frac, it):
    y, x = given_data
    assert np.array_equal(lowess_columns(y, x, frac, it), statsmodels_fits(y, x, frac, it), equal_nan=True)


@pytest.mark.parametrize("n", [7, 8, 9, 16, 17, 130, 300])  # the window's sum: sequential below 8, in blocks of 128
def test_windows_of_every_size_sum_as_numpy_does(n, monkeypatch):
    from livecommerce.analysis.sensitivity import lowess as module

    monkeypatch.setattr(module, "_LOOPED", n * n)  # the array passes, however large the windows
    rng = np.random.default_rng(n)
    y, x = rng.normal(size=n), rng.lognormal(size=(n, 2))
    assert np.array_equal(lowess_columns(y, x, 1.0), statsmodels_fits(y, x, 1.0, 3))


def test_many_points_are_fitted_by_statsmodels_column_by_column():
    rng = np.random.default_rng(5)
    y, x = rng.normal(size=400), np.round(rng.normal(size=(400, 2)), 1)  # ties: no warning either
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fits = lowess_columns(y, x)
    assert np.array_equal(fits, statsmodels_fits(y, x, 2 / 3, 3))


def test_large_inputs_are_fitted_a_block_at_a_time(monkeypatch):
    from livecommerce.analysis.sensitivity import lowess as module

    rng = np.random.default_rng(1)
    y, x = rng.normal(size=60), rng.normal(size=(60, 3))
    whole = lowess_columns(y, x)
    monkeypatch.setattr(module, "_CELLS", 50)  # a block of one or two points
    assert np.array_equal(lowess_columns(y, x), whole)
    assert np.array_equal(whole, statsmodels_fits(y, x, 2 / 3, 3))


def test_the_report_s_importance_is_statsmodels_lowess():
    m = model.from_published("province")
    y = model.evaluate_draws(m, m.nominal[None])[0]
    leaves = next(iter(m.scores.values()))
    expected = [np.var(f) / np.var(y) for f in statsmodels_fits(y, leaves, 2 / 3, 3).T]
    assert sweeps.main_effects(m)["correlation_ratio"].tolist() == expected


@pytest.mark.parametrize(
    "y, x, frac",
    [
        ([1.0, 2.0], [[1.0], [2.0], [3.0]], 0.5),
        ([1.0, np.nan], [[1.0], [2.0]], 0.5),
        ([1.0, 2.0], [1.0, 2.0], 0.5),
        ([1.0, 2.0], [[1.0], [2.0]], 1.5),
        ([], np.empty((0, 1)), 0.5),
    ],
)
def test_bad_input_is_refused(y, x, frac):
    with pytest.raises(ParameterError):
        lowess_columns(y, x, frac)
