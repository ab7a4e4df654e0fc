"""Ranks with the report's tie rule, rank changes and growth."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from livecommerce.data import published as data
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.ranking import (
    GONE,
    NEW,
    SAME,
    arrow,
    kendall,
    rank,
    rank_change,
    rank_within,
    year_over_year,
    yoy_growth,
)


def test_ties_share_the_best_rank():
    scores = pd.Series({"a": 90.0, "b": 95.0, "c": 95.0, "d": 80.0, "e": None})
    assert rank(scores).tolist() == [3, 1, 1, 4, pd.NA]


@given(st.lists(st.floats(60, 100), min_size=1, max_size=40))
def test_ranks_follow_the_scores(values):
    scores = pd.Series(values, index=[f"r{i}" for i in range(len(values))])
    ranks = rank(scores)
    assert ranks.min() == 1 and ranks.max() <= len(values)
    for i in scores.index:  # a region's rank is one plus the number of regions strictly above it
        assert ranks[i] == 1 + (scores > scores[i]).sum()


def test_reproduces_every_published_overall_rank():
    for level in ("province", "city", "prefecture"):
        index = data.load_index(level)
        assert (rank(index["overall"]) == index["overall_rank"]).all()


def test_rank_change_and_growth_align_by_region():
    current = pd.Series({"a": 1, "b": 2, "c": 3})
    previous = pd.Series({"c": 1, "a": 2, "b": 3})
    assert rank_change(current, previous).to_dict() == {"a": 1, "b": 1, "c": -2}
    growth = yoy_growth(pd.Series({"a": 110.0, "b": 90.0}), pd.Series({"b": 100.0, "a": 100.0}))
    assert growth.to_dict() == pytest.approx({"a": 0.1, "b": -0.1})


def test_round_trip_through_the_published_growth():
    index = data.load_index("province")
    previous = index["overall"] / (1 + index["yoy_growth"])
    assert yoy_growth(index["overall"], previous).to_numpy() == pytest.approx(index["yoy_growth"].to_numpy())


def test_mismatches_are_named():
    with pytest.raises(DataError, match="in only one: 'b', 'c'"):
        rank_change(pd.Series({"a": 1, "b": 2}), pd.Series({"a": 1, "c": 2}))
    with pytest.raises(DataError, match="region 'b' is not positive"):
        yoy_growth(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 1.0, "b": 0.0}))
    with pytest.raises(DataError, match="region 'a' appears twice"):
        rank(pd.Series([1.0, 2.0], index=["a", "a"]))
    with pytest.raises(ParameterError, match="Series"):
        rank([1, 2])


@st.composite
def two_editions(draw):
    """Values of two editions over overlapping sets of regions (some only in one of them)."""
    regions = [f"r{k}" for k in range(draw(st.integers(1, 25)))]
    values = st.floats(60, 100, allow_nan=False)
    now = {r: draw(values) for r in regions if draw(st.booleans()) or r == regions[0]}
    before = {r: draw(values) for r in regions if draw(st.booleans()) or r == regions[0]}
    return pd.Series(now, dtype=float), pd.Series(before, dtype=float)


@given(two_editions())
def test_year_over_year_follows_the_report_definitions(editions):
    now, before = editions
    table = year_over_year(now, before)
    assert set(table.index) == set(now.index) | set(before.index)
    both = now.index.intersection(before.index)
    assert (table.loc[both, "growth"] == now[both] / before[both] - 1).all()
    assert (table.loc[both, "rank_change"] == rank(before)[both] - rank(now)[both]).all()
    assert (table.loc[both, "mark"] == [arrow(c) for c in table.loc[both, "rank_change"]]).all()
    new, gone = now.index.difference(before.index), before.index.difference(now.index)
    assert (table.loc[new, "mark"] == NEW).all() and (table.loc[gone, "mark"] == GONE).all()
    assert table.loc[new.append(gone), "growth"].isna().all()
    assert table.loc[new.append(gone), "rank_change"].isna().all()
    ranked = table["rank"].iloc[: len(now)]  # by rank, then those no longer ranked by their previous rank
    assert set(ranked.index) == set(now.index) and ranked.is_monotonic_increasing
    assert table["previous_rank"].iloc[len(now) :].is_monotonic_increasing


@given(st.lists(st.floats(60, 100, allow_nan=False), min_size=1, max_size=30))
def test_an_edition_against_itself_has_no_growth_and_no_change(values):
    scores = pd.Series(values, index=[f"r{k}" for k in range(len(values))])
    table = year_over_year(scores, scores)
    assert (table["growth"] == 0).all() and (table["rank_change"] == 0).all() and (table["mark"] == SAME).all()


def test_arrows_read_as_printed():
    assert [arrow(c) for c in (3, -2, 0)] == ["↑3", "↓2", "→"]


@given(
    values=st.lists(st.integers(0, 5), min_size=1, max_size=20),
    labels=st.lists(st.sampled_from("abc"), min_size=20, max_size=20),
)
def test_rank_within_ranks_each_group_on_its_own(values, labels):
    scores = pd.Series(values, index=[f"r{i}" for i in range(len(values))], dtype=float)
    groups = pd.Series(labels[: len(values)], index=scores.index)
    within = rank_within(scores, groups)
    for label in set(groups):
        members = groups.index[groups == label]
        assert within[members].tolist() == rank(scores[members]).tolist()
    assert rank_within(scores, pd.Series("x", index=scores.index)).tolist() == rank(scores).tolist()
    with pytest.raises(DataError, match="region 'r0' has no group"):
        rank_within(scores, groups.drop("r0"))


def test_kendall_between_rankings_by_hand_and_against_scipy():
    ranks = pd.DataFrame(
        {"a": [1, 2, 3, 4], "same": [1, 2, 3, 4], "reverse": [4, 3, 2, 1], "one_swap": [2, 1, 3, 4]},
        index=["r1", "r2", "r3", "r4"],
    )
    tau = kendall(ranks)
    assert tau.loc["a", "same"] == 1 and tau.loc["a", "reverse"] == -1
    assert tau.loc["a", "one_swap"] == pytest.approx(4 / 6)  # 5 concordant pairs, 1 discordant, of 6
    assert (tau.to_numpy() == tau.to_numpy().T).all() and (np.diag(tau) == 1).all()
    ties = pd.DataFrame({"x": [1, 1, 3, 4, 5], "y": [1, 2, 3, 3, 5]})
    assert kendall(ties).loc["x", "y"] == pytest.approx(stats.kendalltau(ties["x"], ties["y"]).statistic)


@given(st.permutations(range(1, 9)), st.permutations(range(1, 9)))
def test_kendall_is_symmetric_within_one_and_one_on_itself(a, b):
    tau = kendall(pd.DataFrame({"a": a, "b": b}))
    assert -1 <= tau.loc["a", "b"] <= 1 and tau.loc["a", "b"] == tau.loc["b", "a"]
    assert kendall(pd.DataFrame({"a": a, "again": a})).loc["a", "again"] == pytest.approx(1)
