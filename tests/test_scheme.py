"""The scheme file: the report's tree loads, agrees with the recovered weights, and bad trees are named."""

import copy
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data import published as data
from livecommerce.data.paths import default_scheme_path
from livecommerce.errors import ParameterError, SchemeError
from livecommerce.index import compose as index
from livecommerce.index import normalise, recover, weights
from livecommerce.index.scheme import MAX_DEPTH, WEIGHTING_METHODS, Node, Scheme, load_scheme, scheme_from_dict

REPORT_INDICATORS = [
    "主播数量",
    "主播粉丝总数",
    "主播GMV",
    "主播直播总场次",
    "主播累计观看人次",
    "主播场均UV",
    "主播平均带货口碑",
    "MCN机构数",
    "店铺产品总销售额",
    "直播供货店铺总数",
    "直播店铺总产品数",
    "店铺产品销量",
    "店铺平均客单价",
    "店铺平均服务评分",
    "MCN数量",
    "直播间数量",
    "主播数量",
]


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
    assert (recover.recover(level).weights.round(2) == scheme.nodes["people"].weights).all()


def test_overall_weights_are_the_province_least_squares_fit():
    fit = recover.recover("province", "overall")
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


@pytest.mark.parametrize(
    "path, value, message",
    [
        ("nodes.top.weights", {"mid": 0.6, "x": 0.6}, "node 'top': weights sum to 1.2, not 1"),
        ("nodes.top.weights", {"mid": 1.5, "x": -0.5}, "node 'top': weights must be finite and non-negative"),
        ("nodes.top.weights", {"mid": "half", "x": 0.5}, "node 'top': weights must be numbers"),
        ("nodes.mid.weights", "votes", "node 'mid': weighting method 'votes' is not one of"),
        ("nodes.mid.children", None, "node 'mid': needs a list of children"),
        ("nodes.mid.children", ["y", "y"], "node 'mid': a child is listed twice"),
        ("nodes.mid.children", ["y", "q"], "node 'mid': child 'q' is neither a node nor an indicator"),
        ("nodes.mid.children", ["y", "x"], "'x' has two parents, 'top' and 'mid'"),
        ("nodes.mid.children", ["y", "top"], "exactly one root node, found none"),
        ("nodes.mid.aggregation", "mode", "node 'mid': aggregation 'mode' is not one of"),
        ("nodes.mid.wieghts", 1, "node 'mid': unknown key 'wieghts'"),
        ("nodes.other", {"children": ["z"], "weights": "equal"}, "'z' has two parents"),
        ("indicators.w", {"unit": "count", "direction": 1}, "'w' is not reached from the root 'top'"),
        ("indicators.x.direction", 0, "indicator 'x': direction must be 1"),
        ("indicators.x.unit", None, "indicator 'x': missing 'unit'"),
        ("indicators.x.transform", "sqrt", "indicator 'x': transform 'sqrt' is not one of"),
        ("indicators.x.valid", [5, 1], "indicator 'x': valid must be [low, high]"),
        ("normalisation", {"method": "softmax"}, "normalisation method 'softmax' is not one of"),
        ("normalisation", {"method": ["efficacy"]}, "normalisation method ['efficacy'] is not one of"),
        (
            "normalisation",
            {"lo": 60},
            "normalisation: unknown key 'lo' for method 'efficacy' (allowed: method, low, high, constant)",
        ),
        (
            "normalisation",
            {"method": "rank_score", "low": 0},
            "unknown key 'low' for method 'rank_score' (allowed: method, constant, ties)",
        ),
        ("normalisation", {"directions": {"x": -1}}, "unknown key 'directions'"),
        ("normalisation", {"low": "60"}, "normalisation: low must be a finite number, got '60'"),
        ("normalisation", {"high": math.inf}, "normalisation: high must be a finite number, got inf"),
        ("normalisation", {"high": True}, "normalisation: high must be a finite number, got True"),
        ("normalisation", {"constant": 0}, "normalisation: constant must be a string, got 0"),
        ("nodes.mid.children", "yz", "node 'mid': needs a list of children, got 'yz'"),
        ("nodes.top.children", 5, "node 'top': needs a list of children, got 5"),
        ("title", "index", "`title` must be a table"),
        ("nodes.x", {"weights": {"y": 1.0}}, "'x' is both a node and an indicator"),
        ("colour", "red", "unknown key 'colour'"),
    ],
)
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


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + default_scheme_path().read_bytes())
    scheme, report = load_scheme(path), load_scheme()
    assert scheme.preorder() == report.preorder() and scheme.indicators == report.indicators
    assert scheme.normalisation == report.normalisation == {"method": "efficacy", "low": 60.0, "high": 100.0}


def test_normalisation_keys_come_from_the_methods_signatures():
    assert normalise.OPTIONS["efficacy"] == {"low": float, "high": float, "constant": str}
    panel = pd.DataFrame({"x": [1.0, 2, 3], "y": [3.0, 1, 2], "z": [1.0, 1, 1]}, index=["a", "b", "c"])
    for method, options in normalise.OPTIONS.items():
        raw = minimal()
        raw["normalisation"] = {"method": method, "low": 0, "high": 1.5, "constant": "midpoint"}
        raw["normalisation"] = {k: v for k, v in raw["normalisation"].items() if k in {"method", *options}}
        if normalise.REQUIRED[method]:  # data of its own (a reference region, each indicator's posts or target)
            with pytest.raises(SchemeError, match=f"method {method!r} needs {normalise.REQUIRED[method][0]}"):
                scheme_from_dict(raw)
            continue
        scores = index.build(panel + 1, scheme_from_dict(raw))  # every allowed key reaches normalise
        assert list(scores.columns) == ["top", "mid", "y", "z", "x"]


def chain(depth: int) -> dict:
    """A scheme whose single indicator sits ``depth`` levels below the root."""
    nodes = {f"n{k}": {"children": [f"n{k + 1}" if k + 1 < depth else "x"], "weights": "equal"} for k in range(depth)}
    return {"nodes": nodes, "indicators": {"x": {"unit": "count", "direction": 1}}}


def test_a_tree_too_deep_is_named():
    n = MAX_DEPTH + 1
    message = (
        f"deep.toml: 'n{n}' is {n} levels below the root, deeper than the limit of {MAX_DEPTH}: "
        f"n0 → n1 → n2 → … → n{n - 2} → n{n - 1} → n{n}"
    )
    with pytest.raises(SchemeError, match=f"^{re.escape(message)}$"):
        scheme_from_dict(chain(2000), "deep.toml")
    scheme = scheme_from_dict(chain(MAX_DEPTH))
    assert scheme.preorder() == [f"n{k}" for k in range(MAX_DEPTH)] + ["x"]
    assert index.build(pd.DataFrame({"x": [1.0, 2.0]}), scheme).shape == (2, MAX_DEPTH + 1)


def test_preorder_needs_no_recursion():
    nodes = {f"n{k}": Node(f"n{k}", {}, (f"n{k + 1}",), None, "equal", "arithmetic") for k in range(5000)}
    deep = Scheme("deep", {}, {"method": "efficacy"}, nodes, {}, "n0", "<built>")  # built past the checks
    assert deep.preorder() == [f"n{k}" for k in range(5001)]
    report = load_scheme()

    def recursive(id):
        children = report.nodes[id].children if id in report.nodes else ()
        return [id] + [i for child in children for i in recursive(child)]

    assert report.preorder() == recursive("overall") and report.preorder("goods") == recursive("goods")


def test_toml_nested_too_deeply_is_named(tmp_path):
    path = tmp_path / "nested.toml"
    path.write_text("name = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(SchemeError, match="nested.toml: arrays or inline tables nested too deeply"):
        load_scheme(path)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: load_scheme(5), "load_scheme: path must be a file path (str or os.PathLike) or None, got int"),
        (
            lambda: load_scheme(["a.toml"]),
            "load_scheme: path must be a file path (str or os.PathLike) or None, got list",
        ),
        (
            lambda: scheme_from_dict([minimal()]),
            "scheme_from_dict: raw must be a dict (a parsed scheme file), got list",
        ),
        (lambda: scheme_from_dict(None), "scheme_from_dict: raw must be a dict (a parsed scheme file), got NoneType"),
        (lambda: scheme_from_dict(minimal(), 5), "scheme_from_dict: source must be a str, got int"),
    ],
)
def test_wrong_argument_types_are_named(call, message):
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}$"):
        call()


def judged(matrix, **keys) -> dict:
    """The minimal scheme with node 'mid' weighted by pairwise judgements (its children y and z)."""
    raw = minimal()
    raw["nodes"]["mid"] = {"children": ["y", "z"], "weights": "ahp", "ahp": matrix, **keys}
    return raw


def test_an_ahp_node_in_a_scheme_file(tmp_path):
    """The layout of the issue: rows and columns in the order of `children`."""
    text = (
        default_scheme_path()
        .read_text(encoding="utf-8")
        .replace(
            "weights = { people = 0.533, goods = 0.264, venue = 0.203 }",
            'weights = "ahp"\nchildren = ["people", "goods", "venue"]\n'
            "ahp = [[1, 2, 3], [0.5, 1, 2], [0.3333333333, 0.5, 1]]",
        )
    )
    path = tmp_path / "judged.toml"
    path.write_text(text, encoding="utf-8")
    node = load_scheme(path).nodes["overall"]
    matrix = pd.DataFrame([[1, 2, 3], [1 / 2, 1, 2], [1 / 3, 1 / 2, 1]], index=node.children, columns=node.children)
    assert node.method == "ahp" and list(node.ahp.index) == list(node.ahp.columns) == list(node.children)
    assert node.ahp.to_numpy() == pytest.approx(matrix.to_numpy(), rel=1e-9)
    assert node.weights.to_numpy() == pytest.approx(weights.ahp(matrix).to_numpy(), abs=1e-9)
    assert node.weights.round(3).tolist() == [0.540, 0.297, 0.163]
    assert node.ahp_cr == pytest.approx(weights.consistency(matrix)["cr"], abs=1e-9) and 0 < node.ahp_cr < 0.01
    assert load_scheme().nodes["overall"].ahp_cr is None


@settings(max_examples=60, deadline=None)
@given(raw=st.lists(st.floats(0.05, 1), min_size=1, max_size=10))
def test_consistent_judgements_give_back_their_weights(raw):
    w = np.asarray(raw) / sum(raw)
    children = [f"c{i}" for i in range(len(w))]
    scheme = scheme_from_dict(
        {
            "nodes": {"top": {"children": children, "weights": "ahp", "ahp": np.outer(w, 1 / w).tolist()}},
            "indicators": {c: {"unit": "count", "direction": 1} for c in children},
        }
    )
    node = scheme.nodes["top"]
    assert node.weights.to_numpy() == pytest.approx(w, rel=1e-9) and list(node.weights.index) == children
    assert abs(node.ahp_cr) < 1e-9


@settings(max_examples=60, deadline=None)
@given(raw=st.lists(st.floats(0.05, 1), min_size=2, max_size=10), data=st.data())
def test_judgements_that_are_not_reciprocal_are_refused(raw, data):
    w = np.asarray(raw) / sum(raw)
    n = len(w)
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(0, n - 1).filter(lambda j: j != i))
    matrix = np.outer(w, 1 / w)
    matrix[i, j] *= data.draw(st.one_of(st.floats(1.03, 10), st.floats(0.1, 0.97)))
    children = [f"c{k}" for k in range(n)]
    raw_scheme = {
        "nodes": {"top": {"children": children, "weights": "ahp", "ahp": matrix.tolist(), "max_cr": math.inf}},
        "indicators": {c: {"unit": "count", "direction": 1} for c in children},
    }
    with pytest.raises(
        SchemeError,
        match=r"^j\.toml: node 'top': `ahp`: comparison 'c\d' vs 'c\d' = .* is not the "
        r"reciprocal",
    ):
        scheme_from_dict(raw_scheme, "j.toml")


INCONSISTENT = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]  # a > b > c > a


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            broken("nodes.mid.weights", "ahp"),
            "node 'mid': weights = \"ahp\" needs `ahp`, a matrix of pairwise judgements",
        ),
        (judged([[1, 2]]), "node 'mid': `ahp` must be a square matrix with a row and a column per child, 2 × 2 (y, z)"),
        (judged([[1, 2, 3], [0.5, 1, 2], [1 / 3, 0.5, 1]]), "node 'mid': `ahp` must be a square matrix"),
        (judged([[1, 2], [0.5]]), "node 'mid': `ahp` must be a square matrix"),
        (judged([1, 2]), "node 'mid': `ahp` must be a square matrix"),
        (judged([[1, "2"], [0.5, 1]]), "node 'mid': `ahp` judgements must be finite numbers"),
        (judged([[1, True], [1, 1]]), "node 'mid': `ahp` judgements must be finite numbers"),
        (judged([[1, math.inf], [0, 1]]), "node 'mid': `ahp` judgements must be finite numbers"),
        (judged([[1, -2], [-0.5, 1]]), "node 'mid': `ahp`: pairwise comparisons must be finite positive numbers"),
        (
            judged([[1, 2], [0.4, 1]]),
            "node 'mid': `ahp`: comparison 'y' vs 'z' = 2 is not the reciprocal of 'z' vs 'y' = 0.4",
        ),
        (judged([[1, 2], [0.5, 1]], max_cr=-0.1), "node 'mid': max_cr must be a number ≥ 0, got -0.1"),
        (judged([[1, 2], [0.5, 1]], max_cr="0.2"), "node 'mid': max_cr must be a number ≥ 0, got '0.2'"),
        (broken("nodes.mid.ahp", [[1, 2], [0.5, 1]]), "node 'mid': `ahp` needs weights = \"ahp\""),
        (broken("nodes.mid.max_cr", 0.2), "node 'mid': `max_cr` needs weights = \"ahp\""),
    ],
)
def test_a_broken_ahp_node_is_named(raw, message):
    with pytest.raises(SchemeError, match=f"^test.toml: {re.escape(message)}"):
        scheme_from_dict(raw, "test.toml")


def test_inconsistent_judgements_need_max_cr():
    three = minimal()
    three["nodes"]["mid"] = {"children": ["y", "z", "w"], "weights": "ahp", "ahp": INCONSISTENT}
    three["indicators"]["w"] = {"unit": "count", "direction": 1}
    cr = weights.consistency(pd.DataFrame(INCONSISTENT))["cr"]
    with pytest.raises(
        SchemeError,
        match=re.escape(f"test.toml: node 'mid': `ahp`: consistency ratio CR = {cr:.3f} exceeds max_cr=0.1"),
    ):
        scheme_from_dict(three, "test.toml")
    three["nodes"]["mid"]["max_cr"] = 10
    node = scheme_from_dict(three, "test.toml").nodes["mid"]
    assert node.ahp_cr == pytest.approx(cr) and node.weights.to_numpy() == pytest.approx([1 / 3] * 3)


def test_every_method_name_a_node_may_use():
    assert set(WEIGHTING_METHODS) == {*weights.DERIVED, "ahp"}
    with pytest.raises(SchemeError, match=re.escape(f"is not one of {', '.join(WEIGHTING_METHODS)}")):
        scheme_from_dict(broken("nodes.mid.weights", "votes"))
    for method in weights.DERIVED:
        assert scheme_from_dict(broken("nodes.mid.weights", method)).nodes["mid"].method == method
