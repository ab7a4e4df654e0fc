"""Ranks with the report's tie rule, rank changes and growth."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from livecommerce import data
from livecommerce.errors import DataError, ParameterError
from livecommerce.ranking import rank, rank_change, yoy_growth


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
