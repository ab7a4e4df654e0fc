"""Outlier treatment: COINr's skewness–kurtosis rule applied exactly, declared in the scheme, logged in the study."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from livecommerce import Study
from livecommerce.data import panel
from livecommerce.data.paths import data_dir, default_scheme_path
from livecommerce.errors import DataError, SchemeError
from livecommerce.index import compose as index
from livecommerce.index import treat
from livecommerce.index.scheme import load_scheme, scheme_from_dict

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


def excel_skew(x):
    """Excel's SKEW, written out: n / ((n−1)(n−2)) · Σ((x − mean)/s)³."""
    x = np.asarray(x, float)
    n, z = len(x), (x - x.mean()) / x.std(ddof=1)
    return n / ((n - 1) * (n - 2)) * (z**3).sum()


def excel_kurt(x):
    """Excel's KURT, written out: n(n+1)/((n−1)(n−2)(n−3)) · Σz⁴ − 3(n−1)²/((n−2)(n−3))."""
    x = np.asarray(x, float)
    n, z = len(x), (x - x.mean()) / x.std(ddof=1)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * (z**4).sum() - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))


def test_moments_are_excels_skew_and_kurt():
    x = np.random.default_rng(0).lognormal(size=31)
    assert treat.skewness(x) == pytest.approx(excel_skew(x), rel=1e-12)
    assert treat.kurtosis(x) == pytest.approx(excel_kurt(x), rel=1e-12)


def test_the_rule_needs_both_skew_and_kurtosis():
    skewed = np.r_[np.arange(1.0, 21), 100, 200, 500]
    assert abs(excel_skew(skewed)) > 2 and excel_kurt(skewed) > 3.5 and treat.fails(skewed)
    assert not treat.fails(skewed, skew=10) and not treat.fails(skewed, kurt=100)
    assert not treat.fails(np.arange(30.0)) and not treat.fails([5.0] * 10) and not treat.fails([1.0, 2, 90])


skewed_columns = st.builds(
    lambda seed, n, sign, scale: pd.Series(sign * np.random.default_rng(seed).lognormal(0, 1.5, n) * scale),
    st.integers(0, 10_000),
    st.integers(8, 60),
    st.sampled_from([1, -1]),
    st.floats(1e-3, 1e6),
)


@settings(max_examples=80, deadline=None)
@given(x=skewed_columns, max_points=st.integers(1, 8))
def test_winsorisation_follows_the_rule_point_by_point(x, max_points):
    out = treat.winsorise_outliers(x, max_points)
    changed = out.index[out != x]
    assert len(changed) <= max_points
    if not treat.fails(x):
        assert changed.empty  # a column that passes is not touched
        return
    # replay the rule independently: each step moves the extreme (tied) point(s) on the side of the skew inward
    y, moved = x.copy(), set()
    while abs(excel_skew(y)) > 2 and excel_kurt(y) > 3.5:
        high = excel_skew(y) >= 0
        at = y == (y.max() if high else y.min())
        if len(moved | set(y.index[at])) > max_points or at.all():
            break
        y[at] = y[~at].max() if high else y[~at].min()
        moved |= set(y.index[at])
    assert out.to_numpy() == pytest.approx(y.to_numpy(), rel=1e-15)
    assert set(changed) == moved
    # the treated points were the most extreme on one side, and every value stays within the original range
    assert out.between(x.min(), x.max()).all()
    if len(changed):
        side = x[changed]
        rest = x.drop(changed)
        assert (side.min() >= rest.max()) or (side.max() <= rest.min())


def test_a_constructed_column_is_winsorised_exactly():
    x = pd.Series(np.r_[np.arange(1.0, 21), 100, 200, 500], index=[f"r{i}" for i in range(23)])
    # step 1: 500 → 200 (still fails); step 2: both 200s → 100 (passes): three points would be allowed, two used
    out = treat.winsorise_outliers(x, max_points=5)
    assert out["r22"] == out["r21"] == 100 and out.drop(["r21", "r22"]).equals(x.drop(["r21", "r22"]))
    assert not treat.fails(out)
    # with one point allowed only the first step runs, and the column is left failing
    once = treat.winsorise_outliers(x, max_points=1)
    assert once["r22"] == 200 and once["r21"] == 200 and treat.fails(once)
    # a fallback then replaces winsorisation by the log of the original values (COINr's log_CT)
    frame, points = treat.treat(x.to_frame("v"), {"v": {"method": "winsorise", "max_points": 1, "fallback": "log"}})
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    assert frame["v"].to_numpy() == pytest.approx(expected.to_numpy()) and set(points["method"]) == {"log"}
    assert len(points) == 23


def test_negative_skew_is_winsorised_at_the_bottom():
    x = pd.Series(-np.r_[np.arange(1.0, 21), 100, 200, 500])
    out = treat.winsorise_outliers(x)
    assert out.min() == -100 and (out != x).sum() == 2


def test_box_cox_and_clip():
    x = pd.Series(np.r_[np.arange(1.0, 21), 100, 200, 500])
    boxed, method = treat.treat_column(x, {"method": "boxcox"})
    expected, _ = stats.boxcox((x - x.min() + 1).to_numpy())
    assert method == "boxcox" and boxed.to_numpy() == pytest.approx(expected)
    fixed, _ = treat.treat_column(x, {"method": "boxcox", "lambda": 0})
    assert fixed.to_numpy() == pytest.approx(np.log(x - x.min() + 1))
    clipped, _ = treat.treat_column(x, {"method": "clip", "lower": 0.1, "upper": 0.9})
    assert clipped.max() == pytest.approx(x.quantile(0.9)) and clipped.min() == pytest.approx(x.quantile(0.1))
    untouched, method = treat.treat_column(pd.Series(np.arange(30.0)), {"method": "boxcox"})
    assert method == "none" and untouched.equals(pd.Series(np.arange(30.0)))


def scheme_with(default=None, **indicator):
    """A two-indicator scheme with ``default`` as its [treatment] and ``indicator`` as indicator a's keys."""
    raw = {
        "nodes": {"top": {"children": ["a", "b"], "weights": "equal"}},
        "indicators": {"a": {"unit": "u", "direction": 1, **indicator}, "b": {"unit": "u", "direction": 1}},
    }
    if default is not None:
        raw["treatment"] = default
    return scheme_from_dict(raw)


def test_the_scheme_declares_treatment_per_indicator_over_its_defaults():
    scheme = scheme_with({"method": "winsorise", "max_points": 3}, treatment={"fallback": "boxcox", "skew": 1.5})
    a, b = scheme.indicators["a"].treatment, scheme.indicators["b"].treatment
    assert (a["method"], a["max_points"], a["fallback"], a["skew"], a["kurtosis"]) == (
        "winsorise",
        3,
        "boxcox",
        1.5,
        3.5,
    )
    assert (b["method"], b["fallback"]) == ("winsorise", "none")
    assert scheme_with(treatment="log").indicators["a"].treatment["method"] == "log"
    assert all(i.treatment["method"] == "none" for i in load_scheme().indicators.values())


@pytest.mark.parametrize(
    "treatment, message",
    [
        ("trim", "method 'trim' is not one of"),
        ({"method": "winsorise", "fallback": "sqrt"}, "fallback 'sqrt'"),
        ({"max_points": 0}, "max_points must be a whole number"),
        ({"max_points": 2.5}, "max_points must be a whole number"),
        ({"skew": -1}, "skew must be a number"),
        ({"lower": 0.9, "upper": 0.1}, "lower < upper"),
        ({"lambda": "auto"}, "lambda must be a number"),
        ({"points": 3}, "unknown key 'points'"),
        (3, "must be a method name or a table"),
    ],
)
def test_a_bad_treatment_is_named(treatment, message):
    with pytest.raises(SchemeError, match=f"indicator 'a': treatment.*{message}"):
        scheme_with(treatment=treatment)


def test_the_study_logs_every_treated_point(tmp_path):
    frame = panel.load_panel(SYNTHETIC, load_scheme())
    frame.loc["540000", "order_value"] = frame["order_value"].max() * 50  # one far outlier (西藏)
    text = default_scheme_path().read_text(encoding="utf-8")
    text = text.replace("[indicators.order_value]\n", '[indicators.order_value]\ntreatment = "winsorise"\n')
    path = tmp_path / "treated.toml"
    path.write_text(text, encoding="utf-8")
    study = Study.build("province", frame, scheme=path)
    entry = next(e for e in study.log if e["step"] == "treat")
    assert list(entry["treatments"]) == ["order_value"]
    points = pd.DataFrame(entry["points"])
    expected = treat.winsorise_outliers(frame["order_value"])
    changed = frame.index[expected != frame["order_value"]]
    assert "540000" in set(points["region"]) and set(points["region"]) == set(changed)
    assert points.set_index("region")["after"].to_dict() == expected[changed].to_dict()
    values, _ = index.prepare(frame, path)
    assert values["order_value"].equals(expected.rename("order_value"))
    untreated = Study.build("province", frame).scores["goods"]
    assert not study.scores["goods"].equals(untreated)  # the outlier no longer squeezes every other region


def test_treating_a_column_the_data_lack_is_named():
    with pytest.raises(DataError, match="'z'"):
        treat.treat(pd.DataFrame({"a": [1.0, 2.0]}), {"z": {"method": "log"}})
