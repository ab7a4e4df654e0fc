"""The scheme file: the report's tree loads, agrees with the recovered weights, and bad trees are named."""

import copy
import re

import pytest

from livecommerce import data, weights
from livecommerce.errors import SchemeError
from livecommerce.paths import default_scheme_path
from livecommerce.scheme import load_scheme, scheme_from_dict

REPORT_INDICATORS = ["主播数量", "主播粉丝总数", "主播GMV", "主播直播总场次", "主播累计观看人次", "主播场均UV",
                     "主播平均带货口碑", "MCN机构数", "店铺产品总销售额", "直播供货店铺总数", "直播店铺总产品数",
                     "店铺产品销量", "店铺平均客单价", "店铺平均服务评分", "MCN数量", "直播间数量", "主播数量"]


def test_the_report_tree():
    scheme = load_scheme()
    assert scheme.root == "overall"
    assert scheme.nodes["overall"].children == ("people", "goods", "venue")
    assert scheme.nodes["people"].children == ("activity", "sales", "influence")
    assert sorted(i.label["zh"] for i in scheme.indicators.values()) == sorted(REPORT_INDICATORS)
    preorder = scheme.preorder()
    assert len(preorder) == len(set(preorder)) == len(scheme.nodes) + len(scheme.indicators)
    assert all(preorder.index(n) < preorder.index(c) for n in scheme.nodes for c in scheme.nodes[n].children)


@pytest.mark.parametrize("level", ["province", "city", "prefecture"])
def test_people_weights_are_the_recovered_ones(level):
    scheme = load_scheme()
    assert (weights.recover(level).weights.round(2) == scheme.nodes["people"].weights).all()


def test_overall_weights_are_the_province_least_squares_fit():
    fit = weights.recover("province", "overall")
    assert (fit.weights.round(3) == load_scheme().nodes["overall"].weights).all()


def test_venue_cannot_share_two_columns_with_activity():
    """The scheme's comment argues separate 场 columns from 表4 and 表13; the numbers it quotes hold."""
    index = data.load_index("province")
    gap = (index["activity"] - index["venue"]).abs().sort_values(ascending=False)
    assert gap.round(2).head(4).tolist() == [21.81, 21.06, 18.04, 14.61]
    assert index.loc[gap.index[:4], "name_zh"].tolist() == ["西藏", "青海", "宁夏", "海南"]
    assert (gap.head(4) > 40 / 3).all()


def minimal() -> dict:
    return {
        "nodes": {"top": {"weights": {"mid": 0.5, "x": 0.5}}, "mid": {"children": ["y", "z"], "weights": "equal"}},
        "indicators": {k: {"unit": "count", "direction": 1} for k in "xyz"},
    }


def broken(path: str, value) -> dict:
    raw = copy.deepcopy(minimal())
    *keys, last = path.split(".")
    target = raw
    for key in keys:
        target = target[key]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return raw


@pytest.mark.parametrize("path, value, message", [
    ("nodes.top.weights", {"mid": 0.6, "x": 0.6}, "node 'top': weights sum to 1.2, not 1"),
    ("nodes.top.weights", {"mid": 1.5, "x": -0.5}, "node 'top': weights must be finite and non-negative"),
    ("nodes.top.weights", {"mid": "half", "x": 0.5}, "node 'top': weights must be numbers"),
    ("nodes.mid.weights", "votes", "node 'mid': weighting method 'votes' is not one of"),
    ("nodes.mid.children", None, "node 'mid': needs a list of children"),
    ("nodes.mid.children", ["y", "y"], "node 'mid': a child is listed twice"),
    ("nodes.mid.children", ["y", "q"], "node 'mid': child 'q' is neither a node nor an indicator"),
    ("nodes.mid.children", ["y", "x"], "'x' has two parents, 'top' and 'mid'"),
    ("nodes.mid.children", ["y", "top"], "exactly one root node, found none"),
    ("nodes.mid.aggregation", "median", "node 'mid': aggregation 'median' is not one of"),
    ("nodes.mid.wieghts", 1, "node 'mid': unknown key 'wieghts'"),
    ("nodes.other", {"children": ["z"], "weights": "equal"}, "'z' has two parents"),
    ("indicators.w", {"unit": "count", "direction": 1}, "'w' is not reached from the root 'top'"),
    ("indicators.x.direction", 0, "indicator 'x': direction must be 1"),
    ("indicators.x.unit", None, "indicator 'x': missing 'unit'"),
    ("indicators.x.transform", "sqrt", "indicator 'x': transform 'sqrt' is not one of"),
    ("indicators.x.valid", [5, 1], "indicator 'x': valid must be [low, high]"),
    ("normalisation", {"method": "softmax"}, "normalisation method 'softmax' is not one of"),
    ("nodes.x", {"weights": {"y": 1.0}}, "'x' is both a node and an indicator"),
    ("colour", "red", "unknown key 'colour'"),
])
def test_a_broken_tree_is_named(path, value, message):
    with pytest.raises(SchemeError, match=f"^test.toml: .*{re.escape(message)}"):
        scheme_from_dict(broken(path, value), "test.toml")


def test_cycle_is_caught():
    raw = minimal()
    raw["nodes"]["a"] = {"weights": {"b": 1.0}}
    raw["nodes"]["b"] = {"weights": {"a": 1.0}}
    with pytest.raises(SchemeError, match="not reached from the root 'top' \\(unused, or in a cycle\\)"):
        scheme_from_dict(raw)


def test_two_roots_are_caught():
    raw = minimal()
    raw["nodes"]["lone"] = {"weights": {"w": 1.0}}
    raw["indicators"]["w"] = {"unit": "count", "direction": 1}
    with pytest.raises(SchemeError, match=re.escape("exactly one root node, found ['top', 'lone']")):
        scheme_from_dict(raw)


def test_the_minimal_scheme_loads_with_defaults():
    scheme = scheme_from_dict(minimal(), "mini.toml")
    assert scheme.name == "mini" and scheme.root == "top"
    assert scheme.normalisation == {"method": "efficacy"}
    assert scheme.nodes["mid"].method == "equal" and scheme.nodes["mid"].weights is None
    assert scheme.indicators["x"].transform == "none" and scheme.label("x", "en") == "x"


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(SchemeError, match="missing.toml: file not found"):
        load_scheme(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[nodes\n", encoding="utf-8")
    with pytest.raises(SchemeError, match="bad.toml: not valid TOML"):
        load_scheme(bad)
    assert load_scheme(default_scheme_path()).name == "report2023"
