"""The audit's checks on constructed inputs, and its run on the real report."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from livecommerce.analysis import audit
from livecommerce.data import published as data
from livecommerce.index import ranking


def level_frame(overall, growth=None, change=None):
    """A constructed level: overall scores, optional growth and rank changes."""
    frame = pd.DataFrame(
        {"overall": overall, "name_zh": [f"r{i}" for i in range(len(overall))]},
        index=[f"{i + 11}0000" for i in range(len(overall))],
    )
    frame["overall_rank"] = frame["overall"].rank(ascending=False, method="min").astype(int)
    frame["rank_change"] = change if change is not None else 0
    if growth is not None:
        frame["yoy_growth"] = growth
    return frame


@given(st.permutations(range(1, 8)), st.lists(st.floats(61, 99), min_size=7, max_size=7, unique=True))
def test_arrows_from_a_permutation_pass_and_a_duplicate_fails(previous, values):
    frame = level_frame(sorted(values, reverse=True))
    frame["rank_change"] = [p - r for p, r in zip(previous, frame["overall_rank"])]
    (arrows,) = audit.check_rank_changes(frame, "city")
    assert arrows["verdict"] == "consistent"
    frame.iloc[0, frame.columns.get_loc("rank_change")] += 1
    (arrows,) = audit.check_rank_changes(frame, "city")
    assert arrows["verdict"] == "inconsistent"


def test_previous_year_values_and_ranks():
    frame = level_frame([90.0, 80.0, 70.0], growth=[0.5, 0.0, 0.4], change=[1, 1, -2])
    prev = ranking.previous_year(frame)
    assert prev["prev_overall"].tolist() == pytest.approx([60.0, 80.0, 50.0])
    assert prev["prev_rank"].tolist() == [2, 3, 1]
    assert prev["prev_rank_from_value"].tolist() == [2, 1, 3]
    checks = {c["check_id"]: c for c in audit.check_rank_changes(frame, "province")}
    assert checks["T1-arrows"]["verdict"] == "consistent"
    assert checks["T1-growth-vs-arrows"]["verdict"] == "inconsistent"
    assert "2 disagreements: r1, r2" == checks["T1-growth-vs-arrows"]["found"]
    assert checks["T1-previous-scale"]["verdict"] == "inconsistent"  # 50.0 is off the 60–100 scale


@given(
    st.lists(st.tuples(st.floats(60, 100), st.floats(60, 100), st.floats(60, 100)), min_size=2, max_size=10),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_weighted_means_always_pass_the_bounds_check(pillars, a, b):
    frame = pd.DataFrame(pillars, columns=["people", "goods", "venue"])
    weights = pd.Series([a + 0.01, b + 0.01, 1.0])
    frame["overall"] = (frame @ (weights / weights.sum()).to_numpy()).round(2)
    frame["name_zh"] = "r"
    assert audit.check_bounds(frame, "province", "overall", ("people", "goods", "venue"))["verdict"] == "consistent"
    frame.loc[0, "overall"] = frame.loc[0, ["people", "goods", "venue"]].min() - 0.01
    assert audit.check_bounds(frame, "province", "overall", ("people", "goods", "venue"))["verdict"] == "inconsistent"


def claim(**kw):
    base = {"table": 1, "section": "s", "region": "", "expected": "", "quote": "q", "claim": "rank"}
    return pd.Series(base | kw)


@pytest.fixture(scope="module")
def real():
    tables = {n: data.load_table(n) for n in range(1, 16)}
    registry = data.regions().droplevel("level")
    return tables, registry[~registry.index.duplicated()]


@pytest.mark.parametrize(
    ("kw", "verdict"),
    [
        ({"claim": "rank", "region": "四川", "expected": "8"}, True),
        ({"claim": "rank", "region": "四川", "expected": "7"}, False),
        ({"claim": "value", "region": "广东", "expected": "98.36"}, True),
        ({"claim": "value", "region": "广东", "expected": "98.37"}, False),
        ({"claim": "rank_up", "region": "广东"}, True),
        ({"claim": "rank_up", "region": "上海"}, False),
        ({"claim": "top", "expected": "广东;浙江;上海"}, True),
        ({"claim": "top", "expected": "广东;上海;浙江"}, False),
        ({"claim": "previous_top", "expected": "上海;北京;浙江"}, True),
        ({"claim": "previous_top", "expected": "上海;北京;江苏"}, False),
        ({"claim": "first_in_group", "region": "四川", "expected": "central;west"}, True),
        ({"claim": "first_in_group", "region": "四川", "expected": "east;west"}, False),
        ({"claim": "growth_above_median", "region": "河南"}, True),
        ({"claim": "growth_above_median", "region": "上海"}, False),
        ({"table": 4, "claim": "weakest_subindex", "region": "四川", "expected": "sales"}, True),
        ({"table": 4, "claim": "weakest_subindex", "region": "四川", "expected": "activity"}, False),
        ({"table": 10, "claim": "list:destination", "expected": "浙江;重庆;广东;江苏;北京"}, True),
        ({"table": 10, "claim": "list:brand", "expected": "竹叶青;三匠;碧潭飘雪;环太;赋雅"}, False),
    ],
)
def test_claim_kinds(real, kw, verdict):
    tables, registry = real
    c = claim(**kw)
    (row,) = audit.check_claims(pd.DataFrame([c], index=["C99"]), tables, registry)
    assert row["verdict"] == ("consistent" if verdict else "inconsistent")


def test_fact_checks_follow_the_numbers():
    facts = data.load_facts()
    before = {c["check_id"]: c["verdict"] for c in audit.check_facts(facts)}
    assert before["F-share-trend"] == "inconsistent"
    fixed = facts.copy()
    fixed.loc["F33", "value_base"] = 0.18 * 1.112 / 1.589  # a 2022 share that fits 2023's growth
    after = {c["check_id"]: c["verdict"] for c in audit.check_facts(fixed)}
    assert after["F-share-trend"] == "consistent"
    fixed.loc["F28", "value_base"] = 2.5e12  # 2.5万亿 no longer 18% of 12.3万亿
    assert {c["check_id"]: c["verdict"] for c in audit.check_facts(fixed)}["F-share-jan-oct"] == "inconsistent"
    assert {c["check_id"]: c["verdict"] for c in audit.check_facts(facts, period_tolerance=1.5)}[
        "F-share-trend"
    ] == "consistent"


def test_run_on_the_report_returns_every_check():
    checks = audit.run()
    claims = data.load_claims()
    assert list(checks.columns) == audit.COLUMNS[1:]
    assert set(claims.index) <= set(checks.index)
    # per level: arrows, bounds of overall and people; 表1 adds growth-vs-arrows and scale; each of the 12 index
    # tables, its rank order
    assert len(checks) == len(claims) + 3 * 3 + 2 + 12 + len(audit.check_facts(data.load_facts()))
    assert (checks.filter(like="rank-order", axis=0)["verdict"] == "consistent").all()
    assert set(checks["verdict"]) <= {"consistent", "inconsistent", "note"}
    assert checks.loc["T1-growth-vs-arrows", "verdict"] == "consistent"
    assert "河南 91.09" in checks.loc["province-overall-within-components", "found"]
    assert checks.loc["C10", "verdict"] == "inconsistent"  # 四川's growth is 26th of 31
    assert "inconsistent" in audit.summary(checks)
