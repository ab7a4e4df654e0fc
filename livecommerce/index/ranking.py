"""Ranks, rank changes and growth, with the report's conventions.

Rank 1 is the highest score; tied scores share the best rank of their group (1, 2, 2, 4),
as in 表1–表15. A rank change is positive when a region moved up (the report's ↑).
"""

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError

__all__ = ["arrow", "kendall", "previous_year", "rank", "rank_change", "rank_within", "year_over_year", "yoy_growth"]


def _series(values, what: str) -> pd.Series:
    if not arguments.series(values, what).index.is_unique:
        raise DataError(f"{what}: region {values.index[values.index.duplicated()][0]!r} appears twice")
    return values.astype(float)


def rank(scores: pd.Series) -> pd.Series:
    """Rank of each region, 1 for the highest score; ties share the best rank; missing stays missing."""
    ranks = _series(scores, "scores").rank(ascending=False, method="min")
    return ranks.astype("Int64").rename("rank")


def rank_within(scores: pd.Series, groups: pd.Series) -> pd.Series:
    """Rank of each region among the regions of its group (``groups``: region → group, e.g. its parent province),
    by the rule of :func:`rank`; a region without a group is an error naming it."""
    scores = _series(scores, "scores")
    groups = arguments.series(groups, "groups").reindex(scores.index)
    lacking = groups.index[groups.isna() | (groups.astype(str) == "")]
    if len(lacking):
        raise DataError(f"groups: region {lacking[0]!r} has no group")
    ranks = scores.groupby(groups, sort=False).rank(ascending=False, method="min")
    return ranks.astype("Int64").rename("rank_within")


def kendall(ranks: pd.DataFrame) -> pd.DataFrame:
    """Kendall's τ-b (ties counted as Kendall 1945 does; scipy's ``kendalltau``) between every pair of rankings, the
    columns of ``ranks`` (regions as rows, e.g. the ranks under several methods), over the regions both rank: 1 the
    same order, −1 the reverse."""
    from scipy import stats  # when used: scipy.stats loads in about a second

    frame = arguments.frame(ranks, "ranks", min_rows=2)
    columns = list(frame.columns)
    out = pd.DataFrame(np.eye(len(columns)), index=columns, columns=columns)
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            both = frame[[a, b]].apply(pd.to_numeric, errors="coerce").dropna()
            tau = stats.kendalltau(both[a], both[b]).statistic if len(both) > 1 else np.nan
            out.loc[a, b] = out.loc[b, a] = tau
    return out


def _aligned(current: pd.Series, previous: pd.Series, names=("current", "previous")) -> tuple[pd.Series, pd.Series]:
    current, previous = _series(current, names[0]), _series(previous, names[1])
    extra = current.index.symmetric_difference(previous.index)
    if len(extra):
        raise DataError(f"current and previous cover different regions; in only one: {', '.join(map(repr, extra[:5]))}")
    return current, previous.reindex(current.index)


def rank_change(current_rank: pd.Series, previous_rank: pd.Series) -> pd.Series:
    """Places gained since the previous year (previous rank − current rank; ↑ is positive)."""
    current, previous = _aligned(current_rank, previous_rank, ("current_rank", "previous_rank"))
    return (previous - current).astype("Int64").rename("rank_change")


def yoy_growth(current: pd.Series, previous: pd.Series) -> pd.Series:
    """Year-on-year growth (同比增长) as a fraction: current / previous − 1."""
    current, previous = _aligned(current, previous)
    if (previous <= 0).any():
        raise DataError(f"previous value of region {previous.index[previous <= 0][0]!r} is not positive")
    return (current / previous - 1).rename("yoy_growth")


NEW, GONE, SAME = "新", "—", "→"
"""Marks of a year-over-year comparison: a region new in this edition, one that is no longer in it, no change."""


def arrow(change) -> str:
    """The report's mark of a rank change: ↑3 (up three places), ↓2, → (unchanged)."""
    arguments.integer(change, "change")
    return SAME if change == 0 else f"↑{change}" if change > 0 else f"↓{-change}"


def year_over_year(current: pd.Series, previous: pd.Series) -> pd.DataFrame:
    """This edition's values against the previous one's, by the report's definitions, one row per region of
    either: ``value`` and ``rank`` now, ``previous`` and ``previous_rank`` (each ranked within its own edition),
    ``growth`` (同比增长, value / previous − 1), ``rank_change`` (位次变化, previous rank − rank, ↑ positive) and
    ``mark`` (↑n, ↓n, →; 新 for a region new in this edition, — for one no longer in it, with no growth or
    change). Ordered by rank, then the regions no longer ranked by their previous rank."""
    current, previous = _series(current, "current").dropna(), _series(previous, "previous").dropna()
    out = pd.DataFrame(index=current.index.append(previous.index.difference(current.index)))
    out["value"], out["rank"] = current, rank(current)
    out["previous"], out["previous_rank"] = previous, rank(previous)
    both = current.index.intersection(previous.index)
    out["growth"] = yoy_growth(current[both], previous[both]).reindex(out.index)
    out["rank_change"] = rank_change(out.loc[both, "rank"], out.loc[both, "previous_rank"]).reindex(out.index)
    out["mark"] = [
        NEW if pd.isna(before) else GONE if pd.isna(now) else arrow(int(change))
        for now, before, change in zip(out["rank"], out["previous_rank"], out["rank_change"].fillna(0))
    ]
    out.index.name = current.index.name or previous.index.name
    return out.sort_values(["rank", "previous_rank"], kind="stable")


def previous_year(index: pd.DataFrame) -> pd.DataFrame:
    """The previous year's standing implied by one level's published index.

    ``prev_rank`` is the current rank plus the printed rank change (↑5 means five places
    up). Where ``yoy_growth`` is printed (表1), ``prev_overall`` = overall / (1 + growth)
    and ``prev_rank_from_value`` ranks those derived values (ties share the best rank).
    """
    arguments.frame(index, "index", ["overall_rank", "rank_change"])
    out = pd.DataFrame(index=index.index)
    out["prev_rank"] = index["overall_rank"] + index["rank_change"]
    if "yoy_growth" in index:
        out["prev_overall"] = index["overall"] / (1 + index["yoy_growth"])
        out["prev_rank_from_value"] = rank(out["prev_overall"])
    return out
