"""A region's profile: strengths, weaknesses, contributions and peers agree with what the scores say directly."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data.paths import data_dir
from livecommerce.errors import ParameterError
from livecommerce.index.ranking import rank
from livecommerce.study.profile import contributions
from livecommerce.study.study import Study
from livecommerce.vocab import LEVELS

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


@pytest.fixture(scope="module")
def studies():
    return {**{level: Study.build(level) for level in LEVELS}, "raw": Study.build("province", SYNTHETIC)}


@settings(max_examples=30, deadline=None)
@given(which=st.sampled_from([*LEVELS, "raw"]), k=st.integers(0, 30), tier=st.sampled_from([1, 2]))
def test_strengths_and_weaknesses_agree_with_ranks_computed_directly(studies, which, k, tier):
    """Within one tier: 1, the leaves (the raw panel's indicators, the published sub-indices), or 2, the nodes whose
    children are all leaves (the raw panel's sub-indices, the published 人) — never a node beside its children."""
    study = studies[which]
    region = study.regions[k % len(study.regions)]
    profile = study.profile(region, tier=tier)
    leaves = set(study.nominal.leaves)
    tiered = leaves if tier == 1 else {node.id for node in study.nominal.nodes if set(node.children) <= leaves}
    below = [c for c in study.scheme.preorder() if c in tiered]  # tree order
    direct = pd.Series({c: int(rank(study.scores[c])[region]) for c in below})
    n = max(1, min(3, len(below) // 2))
    strengths, weaknesses = profile.strengths["rank"].astype(int), profile.weaknesses["rank"].astype(int)
    assert len(strengths) == n and (strengths == direct[strengths.index]).all()
    others = direct.drop(strengths.index)
    assert others.empty or strengths.max() <= others.min()  # none left out ranks better
    weaker = direct[direct > strengths.max()]  # a rank shared with a strength is no weakness
    assert len(weaknesses) == min(n, len(weaker)) and (weaknesses == direct[weaknesses.index]).all()
    assert set(weaknesses.index) <= set(weaker.index)
    left = weaker.drop(weaknesses.index)
    assert left.empty or weaknesses.min() >= left.max()  # none left out ranks worse
    assert list(profile.strengths["rank"]) == sorted(profile.strengths["rank"])
    listed = [*strengths.index, *weaknesses.index]
    assert not {profile.nodes.at[c, "parent"] for c in listed} & set(listed)  # no parent beside its own child
    assert (profile.nodes.loc[listed, "tier"] == tier).all() and profile.tier == tier


def test_sichuans_strengths_and_weaknesses_are_indicators_by_default(studies):
    """The reviewer's case: 四川's weaknesses were 人, 带货力 and 影响力, a parent beside its own children."""
    raw, published = studies["raw"].profile("四川"), studies["province"].profile("四川")
    assert set(raw.strengths.index) | set(raw.weaknesses.index) <= set(studies["raw"].nominal.leaves)
    assert set(published.weaknesses.index) == {"sales", "influence"}  # 人 (people) is their parent: not listed
    assert set(published.strengths.index) == {"goods", "venue"}
    with pytest.raises(ParameterError, match=r"tier=3: .* 1 \(the indicators\) to 2"):
        studies["province"].profile("四川", tier=3)
    with pytest.raises(ParameterError, match="tier=0 must be an integer"):
        studies["province"].profile("四川", tier=0)


@settings(max_examples=20, deadline=None)
@given(which=st.sampled_from([*LEVELS, "raw"]), k=st.integers(0, 30))
def test_contributions_add_up_to_each_parent(studies, which, k):
    study = studies[which]
    region = study.regions[k % len(study.regions)]
    nodes = study.profile(region).nodes
    for node, children in nodes.groupby("parent"):
        if not node:
            continue
        assert children["share"].sum() == pytest.approx(1)
        weights = study.node_weights(node)[children.index]
        assert np.allclose(children["contribution"], weights * study.scores.loc[region, children.index])
        if which == "raw" or node == "people":  # the published overall is not a weighted mean of its pillars
            tolerance = 1e-9 if which == "raw" else 0.006  # the tables' two-decimal rounding (README)
            assert children["contribution"].sum() == pytest.approx(study.scores.at[region, node], abs=tolerance)


def test_contributions_on_the_geometric_scale_are_logs():
    scores = pd.Series({"a": 80.0, "b": 90.0, "top": 80.0**0.25 * 90.0**0.75})
    weights = pd.DataFrame({"node": ["top", "top"], "child": ["a", "b"], "weight": [0.25, 0.75]})
    parts = contributions(scores, weights, {"top": "geometric"})
    assert parts.loc["a", "contribution"] == pytest.approx(0.25 * np.log(80))
    assert parts["contribution"].sum() == pytest.approx(np.log(scores["top"]))


def test_peers_are_the_nearest_regions_over_the_components(studies):
    study = studies["province"]
    profile = study.profile("四川")
    assert profile.region == "510000" and profile.name == "四川" and study.profile("510000").peers.equals(profile.peers)
    leaves = study.scores[list(study.nominal.leaves)]
    distance = np.sqrt(((leaves - leaves.loc["510000"]) ** 2).sum(axis=1)).drop("510000").sort_values(kind="stable")
    assert list(profile.peers.index) == list(distance.index[:3])
    assert profile.peers["distance"].to_numpy() == pytest.approx(distance.iloc[:3].to_numpy())
    assert list(profile.peers["name"]) == list(study.frame().loc[distance.index[:3], "name_zh"])
    for lang, strength, weakness in (("zh", "强项", "弱项"), ("en", "Strength", "Weakness")):
        table = profile.table(lang)
        assert set(table.index[table["note"] == strength]) == set(profile.strengths.index)
        assert set(table.index[table["note"] == weakness]) == set(profile.weaknesses.index)
        assert set(table["note"]) <= {"", strength, weakness}
    with pytest.raises(ParameterError, match="peers=31"):
        study.profile("四川", peers=31)
