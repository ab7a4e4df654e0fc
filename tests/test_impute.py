"""Imputation beyond drop/mean/median: group means from the registry, chained equations (seeded), coverage screening."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from livecommerce import Study
from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.data.published import regions
from livecommerce.errors import DataError, ParameterError
from livecommerce.index import impute
from livecommerce.index.scheme import load_scheme

SCHEME = load_scheme()

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"
FULL = panel.load_panel(SYNTHETIC, SCHEME)
MACRO = regions("province")["macro_region"]


def with_gaps(cells) -> pd.DataFrame:
    frame = FULL.copy()
    for region, column in cells:
        frame.loc[region, column] = np.nan
    return frame


@settings(max_examples=40, deadline=None)
@example(cells=[(r, "mcn_count") for r in MACRO.index[MACRO == "northeast"]], policy="macro_median")  # a group blanked
@given(
    cells=st.lists(
        st.tuples(st.sampled_from(list(FULL.index)), st.sampled_from(list(FULL.columns))), min_size=1, max_size=12
    ),
    policy=st.sampled_from(["macro_mean", "group_mean:macro_region", "macro_median", "group_median:macro_region"]),
)
def test_macro_group_imputation_equals_the_groups_mean_or_median(cells, policy):
    statistic = "median" if "median" in policy else "mean"
    frame = with_gaps(cells)
    blank = frame.isna() & frame.groupby(MACRO[frame.index]).transform(lambda c: c.isna().all())
    if blank.any().any():  # hypothesis blanked a whole group's column: nothing to impute it from, and said so
        column = frame.columns[blank.any()][0]
        region = frame.index[blank[column]][0]
        message = f"column '{column}', region '{region}': no other region of its group"
        with pytest.raises(DataError, match=message):
            impute.fill_missing(frame.copy(), policy, "data")
        return
    out = impute.fill_missing(frame.copy(), policy, "data")
    for region, column in set(cells):
        group = frame.loc[MACRO.index[MACRO == MACRO[region]], column].dropna()
        assert out.loc[region, column] == pytest.approx(getattr(group, statistic)(), rel=1e-12)
    assert out.notna().all().all()
    assert out[frame.notna()].equals(frame[frame.notna()])  # observed cells are untouched
    assert out.attrs["missing"]["policy"] == policy
    share = out.attrs["missing"]["imputed_share"]
    assert share == {r: n / 17 for r, n in pd.Series([r for r, _ in set(cells)]).value_counts().items()}


def test_macro_group_mean_of_one_cell_by_hand():
    frame = with_gaps([("540000", "shop_count")])  # 西藏, in the west
    west = [r for r in FULL.index if MACRO[r] == "west" and r != "540000"]
    out = impute.fill_missing(frame, "macro_mean", "data")
    assert out.loc["540000", "shop_count"] == pytest.approx(sum(FULL.loc[west, "shop_count"]) / len(west))
    assert len(west) == 11


def test_a_group_without_any_value_is_named():
    northeast = list(MACRO.index[MACRO == "northeast"])
    with pytest.raises(DataError, match=r"column 'mcn_count', region '2[123]0000'.*macro_region 'northeast'"):
        impute.fill_missing(with_gaps([(r, "mcn_count") for r in northeast]), "macro_mean", "data")


def test_parent_mean_for_cities_and_none_for_provinces():
    cities = regions("city")
    frame = pd.DataFrame({"a": np.arange(15.0), "b": np.arange(15.0) ** 2}, index=cities.index)
    frame.loc["210200", "a"] = np.nan  # 大连: its province 辽宁 also holds 沈阳
    out = impute.fill_missing(frame.copy(), "parent_mean", "data")
    assert out.loc["210200", "a"] == frame.loc["210100", "a"]
    frame.loc["220100", "a"] = np.nan  # 长春: alone in 吉林
    with pytest.raises(DataError, match=r"region '220100'.*parent_id '220000'"):
        impute.fill_missing(frame, "parent_mean", "data")
    with pytest.raises(DataError, match="no parent province"):
        impute.fill_missing(with_gaps([("510000", "mcn_count")]), "parent_mean", "data")


def test_mice_is_seeded_and_reproducible():
    cells = [("510000", "anchor_count"), ("440000", "shop_sales"), ("540000", "service_score"), ("110000", "mcn_count")]
    frame = with_gaps(cells)
    first = impute.fill_missing(frame.copy(), "mice", "data", seed=7)
    again = Study.build("province", frame, missing="mice", seed=7)  # the same seed again, through the study
    other = impute.fill_missing(frame.copy(), "mice", "data", seed=8)
    assert again.inputs.equals(first) and again.parameters["seed"] == 7
    assert not first.equals(other)
    assert first.notna().all().all() and first[frame.notna()].equals(frame[frame.notna()])
    for region, column in cells:  # predictive mean matching draws an observed value of the same indicator
        nearest = (frame[column].dropna() - first.loc[region, column]).abs().min()
        assert nearest <= 1e-12 * abs(first.loc[region, column])  # to the rounding of standard scores


@settings(max_examples=10, deadline=None)
@given(
    columns=st.integers(2, 5),
    gaps=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 5)), min_size=1, max_size=8),
    seed=st.integers(0, 2**32 - 1),
)
def test_mice_draws_what_statsmodels_draws_from_its_formulas(columns, gaps, seed):
    """The chained equations' matrices taken from the columns are the formulas' own: the same regressions, the
    same draws, the same imputed values to the last bit."""
    from statsmodels.imputation.mice import MICEData

    values = np.random.default_rng(seed).normal(size=(15, columns))
    for row, column in gaps:
        values[row, column % columns] = np.nan
    scores = pd.DataFrame(values, columns=[f"x{k}" for k in range(columns)])
    ours, theirs = (
        chained(scores.copy(), rng=np.random.default_rng(seed)) for chained in (impute._mice_data(), MICEData)
    )
    for name in scores.columns:
        for got, expected in zip(
            ours.get_fitting_data(name) + ours.get_split_data(name),
            theirs.get_fitting_data(name) + theirs.get_split_data(name),
        ):
            if isinstance(expected, np.ndarray):
                assert got.shape == expected.shape and np.array_equal(got, expected)
            else:
                assert got == expected  # the keywords, none
    ours.update_all(1)
    theirs.update_all(1)
    assert np.array_equal(ours.data.to_numpy(), theirs.data.to_numpy())


def test_coverage_screening_flags_or_drops_and_is_logged():
    frame = with_gaps([("540000", c) for c in FULL.columns[:9]] + [("630000", "mcn_count")])
    flagged = impute.fill_missing(frame.copy(), "median", "data", coverage=0.6)
    record = flagged.attrs["missing"]
    assert record["coverage"] == {"threshold": 0.6, "action": "flag", "regions": {"540000": 8 / 17}}
    assert "540000" in flagged.index and record["imputed_share"] == {"540000": 9 / 17, "630000": 1 / 17}
    dropped = impute.fill_missing(frame.copy(), "median", "data", coverage=0.6, screen="drop")
    assert "540000" not in dropped.index and dropped.attrs["missing"]["dropped"] == ["540000"]
    # the screened-out region does not feed the imputation of the others
    assert dropped.loc["630000", "mcn_count"] == FULL["mcn_count"].drop(["540000", "630000"]).median()
    study = Study.build("province", frame, missing="mean", coverage=0.6, screen="drop")
    assert "540000" not in study.regions
    entry = next(e for e in study.log if e["step"] == "missing")
    assert entry["coverage"]["regions"] == {"540000": 8 / 17} and entry["imputed_share"] == {"630000": 1 / 17}


@pytest.mark.parametrize(
    "options, message",
    [
        ({"coverage": 1.5}, "coverage=1.5 must be a share"),
        ({"coverage": "most"}, "coverage: expected a number"),
        ({"screen": "hide"}, "screen"),
        ({"seed": -1}, "seed=-1 must be an integer"),
    ],
)
def test_screening_refusals(options, message):
    with pytest.raises(ParameterError, match=message):
        impute.fill_missing(FULL.copy(), "median", "data", **options)
    with pytest.raises(ParameterError, match=message):
        Study.build("province", FULL, missing="median", **options)


def test_mice_needs_a_value_per_region():
    with pytest.raises(DataError, match="region '540000' has no value at all"):
        impute.fill_missing(with_gaps([("540000", c) for c in FULL.columns]), "mice", "data")


def test_mice_needs_more_regions_than_indicators():
    """15 cities, 17 indicators: each regression has more parameters than observations (statsmodels then fails in
    its draw with a raw LinAlgError); refused, naming the column and the counts."""
    cities = panel.load_panel(data_dir() / "raw" / "synthetic_panel_city_2023.csv", SCHEME, level="city")
    cities.loc["210100", "mcn_count"] = np.nan
    with pytest.raises(
        DataError,
        match="column 'mcn_count': mice regresses it on the other 16 indicators, which "
        "needs more than 17 regions with a value, and it has 14",
    ):
        impute.fill_missing(cities, "mice", "data")
    assert impute.fill_missing(cities, "median", "data").notna().all().all()


def test_fill_missing_names_a_wrong_argument():
    frame = panel.load_panel(SYNTHETIC, SCHEME)
    for call, message in [
        (lambda: impute.fill_missing(None, "median", "p"), "frame: expected a pandas DataFrame, got NoneType"),
        (lambda: impute.fill_missing(frame.to_dict(), "median", "p"), "frame: expected a pandas DataFrame, got dict"),
        (lambda: impute.fill_missing(frame, "zero", "p"), "missing='zero' is not one of"),
        (lambda: impute.fill_missing(frame, "median", None), "path: expected a path, got NoneType"),
    ]:
        with pytest.raises(ParameterError, match=re.escape(message)):
            call()


def test_group_median_of_one_cell_by_hand():
    frame = with_gaps([("540000", "shop_count")])  # 西藏, in the west
    west = [r for r in FULL.index if MACRO[r] == "west" and r != "540000"]
    out = impute.fill_missing(frame, "macro_median", "data")
    assert out.loc["540000", "shop_count"] == sorted(FULL.loc[west, "shop_count"])[len(west) // 2]  # 11: the 6th


def test_row_mean_puts_the_regions_mean_standard_score_on_the_columns_scale():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan], "b": [10.0, 20.0, 30.0, 25.0], "c": [0.0, 0.0, 6.0, 3.0]})
    out = impute.fill_missing(frame.copy(), "row_mean", "data")
    # region 3: b is (25 − 21.25)/std(b), c is (3 − 2.25)/std(c); a's mean 2, std 1
    z = ((25 - 21.25) / np.std([10, 20, 30, 25], ddof=1) + (3 - 2.25) / np.std([0, 0, 6, 3], ddof=1)) / 2
    assert 0 < z < 1 and out.loc[3, "a"] == pytest.approx(2 + z)
    assert out.iloc[:3].equals(frame.iloc[:3])
    high = impute.fill_missing(frame.assign(b=[10.0, 20.0, 30.0, 1000.0], c=[0.0, 0.0, 6.0, 6.0]), "row_mean", "data")
    assert high.loc[3, "a"] == 3.0  # 2 + z would be above a's largest value: kept within its observed range
    with pytest.raises(DataError, match="region 0 has no value at all"):
        impute.fill_missing(
            frame.assign(a=[np.nan, 1, 2, 3], b=[np.nan, 1, 2, 3], c=[np.nan, 1, 2, 3]), "row_mean", "d"
        )


def test_a_group_policy_names_its_column_and_its_form():
    with pytest.raises(ParameterError, match=r"group_mean:<column> or group_median:<column>"):
        impute.check_missing("group_median")
    assert impute.check_missing("group_median:province_id") == "group_median:province_id"
    with pytest.raises(DataError, match=r"missing='group_median:nowhere': the registry has no column 'nowhere'"):
        impute.fill_missing(with_gaps([("540000", "shop_count")]), "group_median:nowhere", "data")
    note = impute.gaps_note(
        impute.fill_missing(with_gaps([("540000", "shop_count")]), "group_median:macro_region", "d").attrs["missing"],
        "en",
    )
    assert "the median of the region's group (by macro_region)" in note
