"""Indices over time: compound growth and change by hand and as properties, imputation from a region's other years,
and one study per year, each as Study.build builds it."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.impute import impute_years
from livecommerce.index.scheme import load_scheme
from livecommerce.study.study import Study
from livecommerce.study.years import Timeline, cagr, change, trends

PANEL_2023 = data_dir() / "raw" / "synthetic_panel_province_2023.csv"
PANEL_2024 = data_dir() / "examples" / "synthetic_edition_2024" / "province.csv"


def test_cagr_and_change_by_hand():
    assert cagr(pd.Series({2021: 100.0, 2023: 121.0})) == pytest.approx(0.1)
    assert cagr(pd.Series({2021: 5.0, 2022: np.nan, 2024: 5.0})) == 0 and np.isnan(cagr(pd.Series({2021: 1.0})))
    assert change(pd.Series({2022: 100.0, 2024: 110.0})) == pytest.approx(5)  # 10% over two years
    # three points: the line 100 + 10(t − 2020) is worth 100 at 2020, so 10% a year
    assert change(pd.Series({2020: 100.0, 2021: 110.0, 2022: 120.0})) == pytest.approx(10)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(-0.5, 2.0), st.floats(0.1, 1e6), st.lists(st.integers(2000, 2030), min_size=2, max_size=6, unique=True)
)
def test_a_series_growing_at_a_constant_rate_has_that_cagr(rate, start, years):
    first = min(years)
    values = pd.Series({y: start * (1 + rate) ** (y - first) for y in years})
    assert cagr(values) == pytest.approx(rate, rel=1e-9, abs=1e-9)


def test_trends_by_region_and_measure():
    values = pd.DataFrame(
        {"x": [100.0, 121.0, 10.0, np.nan], "y": [1.0, 1.0, 2.0, 4.0]},
        index=pd.MultiIndex.from_tuples([("a", 2022), ("a", 2024), ("b", 2022), ("b", 2024)]),
    )
    out = trends(values)
    assert out.loc[("a", "x"), "cagr"] == pytest.approx(0.1) and out.loc[("a", "y"), "cagr"] == 0
    assert out.loc[("b", "x"), "years"] == 1 and np.isnan(out.loc[("b", "x"), "cagr"])
    assert out.loc[("b", "y"), ["first_year", "latest_year", "first", "latest"]].tolist() == [2022, 2024, 2, 4]
    with pytest.raises(ParameterError, match="indexed by"):
        trends(values.droplevel(1))


def test_a_regions_empty_cell_is_imputed_from_its_other_years():
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [10.0, 20.0]}, index=["a", "b"])
    panels = {2021: frame, 2022: frame * 2, 2024: frame * 4}
    panels[2024] = panels[2024].assign(x=[np.nan, 8.0])
    panels[2022] = panels[2022].assign(y=[np.nan, 40.0])
    latest = impute_years(panels, "latest")
    assert latest[2024].loc["a", "x"] == 2.0 and latest[2024].attrs["years_imputed"] == [("a", "x", 2022)]
    assert latest[2022].loc["a", "y"] == 10.0
    assert np.isnan(impute_years(panels, "latest", max_years=1)[2024].loc["a", "x"])  # 2022 is two years back
    linear = impute_years(panels, "linear")
    assert linear[2022].loc["a", "y"] == pytest.approx(10 + (40 - 10) / 3)  # between 2021 (10) and 2024 (40)
    assert linear[2024].loc["a", "x"] == 2.0  # beyond its last year: the nearest value
    with pytest.raises(ParameterError, match="two years"):
        impute_years({2021: frame}, "latest")


def test_a_timeline_holds_each_years_study_and_their_trends():
    timeline = Timeline.build("province", {2023: PANEL_2023, 2024: PANEL_2024})
    for year, path in ((2023, PANEL_2023), (2024, PANEL_2024)):
        pd.testing.assert_frame_equal(timeline.studies[year].scores, Study.build("province", path).scores)
    out = timeline.trends("inputs")
    raw = {y: panel.load_panel(p, load_scheme()) for y, p in ((2023, PANEL_2023), (2024, PANEL_2024))}
    expected = raw[2024].loc["510000", "anchor_count"] / raw[2023].loc["510000", "anchor_count"] - 1
    assert out.loc[("510000", "anchor_count"), "cagr"] == pytest.approx(expected, rel=1e-12)
    assert set(timeline.ranks().index.get_level_values(1)) == {2023, 2024}
    mixed = Timeline.build("province", {2023: "published", 2024: PANEL_2024})
    assert mixed.studies[2023].as_printed("overall")
    assert mixed.trends().loc[("510000", "overall"), "years"] == 2


def test_a_gap_is_filled_from_the_previous_year_or_named():
    gaps = panel.load_panel(PANEL_2024, load_scheme())
    gaps.loc["510000", "mcn_count"] = np.nan
    with pytest.raises(DataError, match=r"data\[2024\]: column 'mcn_count', region '510000' is empty"):
        Timeline.build("province", {2023: PANEL_2023, 2024: gaps})
    filled = Timeline.build("province", {2023: PANEL_2023, 2024: gaps}, over_time="latest")
    assert (
        filled.studies[2024].inputs.loc["510000", "mcn_count"]
        == panel.load_panel(PANEL_2023, load_scheme()).loc["510000", "mcn_count"]
    )


REFERENCE = Path(__file__).parent / "reference"  # COINr 1.1.14's outputs, by scripts/coinr_trends.R


def _asem(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"coinr_asem_{name}.csv").set_index(["uCode", "Time"])


def test_trends_equal_coinrs_on_its_example_panel_and_on_the_synthetic_provinces():
    got = trends(_asem("panel"))
    expected = pd.read_csv(REFERENCE / "coinr_asem_trends.csv").set_index(["region", "measure"])
    assert len(expected) == 51 * 5
    for column in ("cagr", "change"):  # R computed on the panel before it was written with 15 digits
        assert np.allclose(got.loc[expected.index, column], expected[column], rtol=1e-9, atol=0, equal_nan=True)
    timeline = Timeline.build("province", {2023: PANEL_2023, 2024: PANEL_2024})
    expected = pd.read_csv(REFERENCE / "coinr_synthetic_province_trends.csv", dtype={"region": str}, comment="#")
    expected = expected.set_index(["region", "measure"])
    got = timeline.trends("inputs")
    for column in ("cagr", "change"):
        assert np.allclose(got.loc[expected.index, column], expected[column], rtol=1e-12, atol=0), column


@pytest.mark.parametrize("method, file", [("latest", "impute_latest"), ("linear", "impute_linear")])
def test_imputation_from_other_years_equals_coinrs_impute_panel(method, file):
    gaps = _asem("gaps")
    panels = {int(year): frame.droplevel("Time") for year, frame in gaps.groupby(level="Time")}
    filled = pd.concat(impute_years(panels, method), names=["Time", "uCode"]).swaplevel()
    expected = _asem(file)
    got = filled.loc[expected.index, expected.columns]
    assert np.allclose(got, expected, rtol=1e-12, atol=0, equal_nan=True)
    assert got.isna().sum().sum() == expected.isna().sum().sum() == (method == "latest")  # CHN's first year, latest


def test_a_timeline_of_a_user_registry_builds_each_year_in_its_region_set(tmp_path):
    folder = data_dir() / "examples" / "synthetic_countries"
    registry = folder / "registry.csv"
    first = panel.load_panel(folder / "panel.csv", load_scheme(), "all", registry=registry)
    second = first.assign(shop_count=first["shop_count"] * 1.1, anchor_count=first["anchor_count"] + 1)
    second.loc["ITA", "anchor_count"] = np.nan  # filled from its 2023 value
    timeline = Timeline.build("all", {2023: folder / "panel.csv", 2024: second}, over_time="latest", registry=registry)
    assert timeline.studies[2024].inputs.at["ITA", "anchor_count"] == first.at["ITA", "anchor_count"]
    assert all(s.members.registry == timeline.studies[2023].members.registry for s in timeline.studies.values())
    assert set(timeline.ranks().index.get_level_values(0)) == set(first.index)
    growth = timeline.trends("inputs").xs("shop_count", level="measure")["cagr"]
    assert np.allclose(growth, 0.1)
