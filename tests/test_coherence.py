"""Coherence statistics against independent computations on constructed data and on the report's sub-indices."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from scipy import stats  # noqa: E402

from livecommerce import Study, plots  # noqa: E402
from livecommerce.analysis import coherence
from livecommerce.data.paths import data_dir  # noqa: E402
from livecommerce.data.published import load_index  # noqa: E402
from livecommerce.errors import DataError, ParameterError  # noqa: E402
from livecommerce.index.scheme import load_scheme, scheme_from_dict  # noqa: E402
from livecommerce.study.study import SUB_INDICES  # noqa: E402


def orthogonal(n: int, k: int, seed: int = 0) -> pd.DataFrame:
    """k centred columns of n rows, exactly orthogonal (an identity correlation matrix)."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(size=(n, k))
    q, _ = np.linalg.qr(raw - raw.mean(axis=0))
    return pd.DataFrame(q * 10 + 50, columns=[f"x{i}" for i in range(k)])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(2, 6), scale=st.floats(0.01, 1e4))
def test_alpha_of_identical_columns_is_one(seed, k, scale):
    column = np.random.default_rng(seed).normal(size=20) * scale
    frame = pd.DataFrame({f"c{i}": column for i in range(k)})
    assert coherence.cronbach_alpha(frame) == pytest.approx(1.0, abs=1e-9)


def test_alpha_of_uncorrelated_columns_is_zero():
    # var(sum) = sum of variances when the columns are orthogonal: alpha = k/(k−1)·(1 − 1) = 0
    assert coherence.cronbach_alpha(orthogonal(30, 4)) == pytest.approx(0.0, abs=1e-12)


def test_alpha_of_the_reports_five_province_sub_indices_by_hand():
    frame = load_index("province")[list(SUB_INDICES)]
    columns = [frame[c].tolist() for c in SUB_INDICES]
    n, k = len(frame), len(columns)

    def variance(values):
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / (len(values) - 1)

    totals = [sum(column[i] for column in columns) for i in range(n)]
    by_hand = k / (k - 1) * (1 - sum(variance(c) for c in columns) / variance(totals))
    assert coherence.cronbach_alpha(frame) == pytest.approx(by_hand, rel=1e-12)
    assert 0.9 < by_hand < 1  # the five sub-indices move together


@pytest.mark.parametrize("k", [2, 3, 5])
def test_kmo_of_an_identity_correlated_set_is_one_half(k):
    overall, per_column = coherence.kmo(orthogonal(40, k))
    assert overall == pytest.approx(0.5)
    assert per_column.to_numpy() == pytest.approx(np.full(k, 0.5))


def test_kmo_equals_partial_correlations_from_regression_residuals():
    rng = np.random.default_rng(3)
    f = rng.normal(size=50)
    frame = pd.DataFrame({f"x{i}": f * (i + 1) / 3 + rng.normal(size=50) for i in range(4)})
    # independent route: partial correlation of i and j given the others = correlation of their residuals
    r = frame.corr().to_numpy().copy()
    q = np.zeros_like(r)
    for i in range(4):
        for j in range(4):
            if i != j:
                rest = np.column_stack([np.ones(50), frame.drop(columns=[f"x{i}", f"x{j}"]).to_numpy()])
                ri = frame[f"x{i}"] - rest @ np.linalg.lstsq(rest, frame[f"x{i}"], rcond=None)[0]
                rj = frame[f"x{j}"] - rest @ np.linalg.lstsq(rest, frame[f"x{j}"], rcond=None)[0]
                q[i, j] = np.corrcoef(ri, rj)[0, 1]
    np.fill_diagonal(r, 0)
    expected = (r**2).sum() / ((r**2).sum() + (q**2).sum())
    per_column = (r**2).sum(axis=0) / ((r**2).sum(axis=0) + (q**2).sum(axis=0))
    overall, columns = coherence.kmo(frame)
    assert overall == pytest.approx(expected, rel=1e-10)
    assert columns.to_numpy() == pytest.approx(per_column, rel=1e-10)


def test_bartlett_is_zero_for_an_identity_and_follows_the_determinant():
    test = coherence.bartlett(orthogonal(40, 3))
    assert test["statistic"] == pytest.approx(0.0, abs=1e-9) and test["df"] == 3 and test["p"] == pytest.approx(1)
    frame = load_index("province")[list(SUB_INDICES)]
    n, k = frame.shape
    chi2 = -(n - 1 - (2 * k + 5) / 6) * np.log(np.linalg.det(frame.corr().to_numpy()))
    test = coherence.bartlett(frame)
    assert test["statistic"] == pytest.approx(chi2, rel=1e-10) and test["df"] == 10
    assert test["p"] == pytest.approx(stats.chi2.sf(chi2, 10))


def test_pca_of_two_blocks_finds_two_components():
    base = orthogonal(60, 2, seed=5)
    rng = np.random.default_rng(6)
    frame = pd.DataFrame(
        {
            **{f"a{i}": base["x0"] + rng.normal(0, 1e-3, 60) for i in range(3)},
            **{f"b{i}": -base["x1"] + rng.normal(0, 1e-3, 60) for i in range(2)},
        }
    )
    loadings, variance = coherence.pca(frame)
    assert variance["eigenvalue"].iloc[:2].to_numpy() == pytest.approx([3, 2], abs=1e-3)
    assert variance["share"].iloc[:2].to_numpy() == pytest.approx([0.6, 0.4], abs=1e-3)
    assert variance["cumulative"].iloc[-1] == pytest.approx(1)
    assert loadings.loc[["a0", "a1", "a2"], "PC1"].to_numpy() == pytest.approx([1, 1, 1], abs=1e-3)
    assert loadings.loc[["b0", "b1"], "PC1"].to_numpy() == pytest.approx([0, 0], abs=1e-3)
    assert loadings.loc[["b0", "b1"], "PC2"].to_numpy() == pytest.approx([1, 1], abs=1e-3)  # signed positive
    assert loadings.loc[["a0", "a1", "a2"], "PC2"].to_numpy() == pytest.approx([0, 0, 0], abs=1e-3)
    # loadings² summed over components give back each column's unit variance
    assert (loadings**2).sum(axis=1).to_numpy() == pytest.approx(np.ones(5))


def slightly_correlated(parent: pd.Series, r: float, seed: int = 0) -> pd.Series:
    """A column whose Pearson correlation with ``parent`` is exactly ``r``: r·p + √(1 − r²)·q for p the
    standardised parent and q a centred unit column orthogonal to it."""
    n = len(parent)
    centred = parent.to_numpy() - parent.mean()
    basis = np.column_stack([np.ones(n), centred, np.random.default_rng(seed).normal(size=n)])
    q, _ = np.linalg.qr(basis)  # q[:, 2] is orthogonal to the constant (centred) and to the parent
    column = r * centred / np.linalg.norm(centred) + np.sqrt(1 - r**2) * q[:, 2]
    return pd.Series(column * 10 + 50, index=parent.index)


def test_correlations_match_scipy_and_flag_components_against_their_parent():
    rng = np.random.default_rng(1)
    parent = pd.Series(rng.normal(size=25), name="node")
    frame = pd.DataFrame(
        {
            "good": parent + rng.normal(0, 0.1, 25),
            "against": -parent,
            "slight": slightly_correlated(parent, 0.2, seed=5),
        }
    )
    table = coherence.correlations(frame, parent)
    row = table[(table["x"] == "good") & (table["y"] == "against") & (table["method"] == "spearman")].iloc[0]
    expected = stats.spearmanr(frame["good"], frame["against"])
    assert (row["r"], row["p"], row["n"]) == pytest.approx((expected.statistic, expected.pvalue, 25))
    flags = table.set_index(["x", "y", "method"])["flag"]
    assert flags["against", "node", "pearson"] == "negative" and flags["against", "node", "spearman"] == "negative"
    assert stats.pearsonr(frame["slight"], parent).statistic == pytest.approx(0.2, abs=1e-12)
    assert flags["slight", "node", "pearson"] == "weak"  # 0 < r = 0.2 < 0.3
    assert 0 < stats.spearmanr(frame["slight"], parent).statistic < 0.3  # 0.198
    assert flags["slight", "node", "spearman"] == "weak"
    assert flags["good", "node", "pearson"] == flags["good", "node", "spearman"] == ""
    assert (flags.xs("against", level="y") == "").all()  # pairs of components are never flagged
    assert len(table) == 3 * 2 + 3 * 2  # three pairs and three parent links, two coefficients each


@settings(max_examples=40, deadline=None)
@given(r=st.floats(-0.95, 0.95), seed=st.integers(0, 1000), weak=st.floats(0.05, 0.9))
def test_the_flag_follows_the_correlation_with_the_parent(r, seed, weak):
    parent = pd.Series(np.random.default_rng(seed).normal(size=30), name="top")
    frame = pd.DataFrame({"c": slightly_correlated(parent, r, seed), "d": parent * 2 + 1})
    row = coherence.correlations(frame, parent, weak).set_index(["x", "y", "method"]).loc["c", "top", "pearson"]
    assert row["r"] == pytest.approx(r, abs=1e-9)
    if abs(row["r"] - weak) > 1e-9 and abs(row["r"]) > 1e-9:  # away from the thresholds' rounding
        assert row["flag"] == ("negative" if r < 0 else "weak" if r < weak else "")


def test_coherence_of_a_study_per_node():
    study = Study.build("province")
    c = coherence.coherence(study)
    assert list(c.summary["node"]) == ["overall", "people"]
    people = c.summary.set_index("node").loc["people"]
    assert people["alpha"] == pytest.approx(coherence.cronbach_alpha(study.scores[["activity", "sales", "influence"]]))
    assert people["components"] == 3 and people["regions"] == 31 and people["bartlett_df"] == 3
    assert set(c.loadings["node"]) == {"overall", "people"} and len(c.variance) == 6
    assert c.flags.empty  # the report's sub-indices all move with their parents
    same = coherence.coherence(study.scores, load_scheme())
    pd.testing.assert_frame_equal(same.summary, c.summary)


def test_coherence_flags_a_component_built_against_its_parent():
    rng = np.random.default_rng(2)
    scores = pd.DataFrame({"a": rng.normal(size=20), "b": rng.normal(size=20)})
    scores["c"] = -scores["a"]
    scores["top"] = scores[["a", "b"]].mean(axis=1)
    scheme = scheme_from_dict(
        {
            "nodes": {"top": {"children": ["a", "b", "c"], "weights": "equal"}},
            "indicators": {i: {"unit": "u", "direction": 1} for i in "abc"},
        }
    )
    flags = coherence.coherence(scores, scheme).flags
    assert set(flags["x"]) >= {"c"} and set(flags.loc[flags["x"] == "c", "flag"]) == {"negative"}


def test_bad_input_names_the_column():
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "flat": [5.0, 5, 5, 5]})
    with pytest.raises(DataError, match="'flat' is constant"):
        coherence.cronbach_alpha(frame)
    with pytest.raises(DataError, match="needs 2 components"):
        coherence.kmo(frame[["a"]])
    with pytest.raises(DataError, match="'a'"):
        coherence.pca(frame.assign(a=[1.0, np.nan, 3, 4]))
    with pytest.raises(ParameterError, match="weak"):
        coherence.correlations(frame.assign(flat=[1.0, 0, 2, 1]), weak="high")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coherence_chart_draws_one_bar_per_component_in_the_editions_language(lang):
    plots.set_theme()
    c = coherence.coherence(Study.build("city"))
    ax = plots.coherence(c, "spearman", lang=lang)
    ax.figure.canvas.draw()
    assert len(ax.patches) == 6
    labels = [t.get_text() for t in ax.get_yticklabels()]
    alpha = c.summary.set_index("node").loc["people", "alpha"]
    assert (
        f"人 (α {alpha:.2f}) · 主播活跃度" if lang == "zh" else f"People (α {alpha:.2f}) · Anchor activity"
    ) in labels
    assert ("Spearman" in ax.get_xlabel()) and ((lang == "zh") == ("上级" in ax.get_xlabel()))
    with pytest.raises(ParameterError, match="method"):
        plots.coherence(c, "kendall")
    plt.close("all")


def test_summary_and_the_table_in_each_language():
    frame = load_index("prefecture")[list(SUB_INDICES)]
    row = coherence.summary(frame)
    assert row["alpha"] == coherence.cronbach_alpha(frame) and row["kmo"] == coherence.kmo(frame)[0]
    assert row["bartlett_p"] == coherence.bartlett(frame)["p"] and (row["components"], row["regions"]) == (5, 21)
    c = coherence.coherence(Study.build("prefecture"))
    assert list(c.table("zh")["节点"]) == ["直播发展指数", "人"] and "Cronbach α" in c.table("zh")
    assert list(c.table("en")["Node"]) == ["Development index", "People"]
    with pytest.raises(ParameterError, match="lang"):
        c.table("fr")


def test_a_raw_study_is_labelled_by_its_scheme():
    study = Study.build("province", data_dir() / "raw" / "synthetic_panel_province_2023.csv")
    c = coherence.coherence(study)
    assert list(c.summary["node"]) == ["overall", "people", "activity", "sales", "influence", "goods", "venue"]
    assert c.label("anchor_count", "zh") == "主播数量" and c.label("anchor_count", "en") == "Active anchors"
    plots.set_theme()
    ax = plots.coherence(c, lang="en")
    assert any(t.get_text().endswith("· Active anchors") for t in ax.get_yticklabels())
    assert len(ax.patches) == 3 + 3 + 3 + 2 + 3 + 6 + 3
    plt.close("all")


def test_labelled_frames_name_nodes_and_components_in_the_runs_language():
    c = coherence.coherence(Study.build("province"))
    zh = c.labelled("loadings", "zh")
    assert list(zh["node"].unique()) == ["直播发展指数", "人"] and set(zh["component"]) >= {"主播活跃度", "货", "场"}
    pd.testing.assert_frame_equal(
        zh.drop(columns=["node", "component"]), c.loadings.drop(columns=["node", "component"])
    )
    en = c.labelled("correlations", "en")
    assert {"People", "Development index"} <= set(en["y"]) and "Anchor sales power" in set(en["x"])
    assert list(c.labelled("variance", "en")["node"].unique()) == ["Development index", "People"]
    assert c.labelled("flags", "en").empty  # as c.flags
    with pytest.raises(ParameterError, match="name='summary'"):
        c.labelled("summary", "en")  # the summary in a language is c.table(lang)
    with pytest.raises(ParameterError, match="lang='fr'"):
        c.labelled("loadings", "fr")


def test_collinear_components_are_flagged_above_the_threshold_by_either_coefficient():
    rng = np.random.default_rng(2)
    base = pd.Series(rng.normal(size=30))
    frame = pd.DataFrame({"x": base, "twin": base * 2 + rng.normal(0, 0.01, 30), "other": rng.normal(size=30)})
    pairs = coherence.collinear(frame)
    assert set(zip(pairs["x"], pairs["y"])) == {("x", "twin")} and set(pairs["method"]) == {"pearson", "spearman"}
    assert (pairs["r"] > coherence.COLLINEAR).all()
    assert coherence.collinear(frame, threshold=1.0).empty
    scores = frame.assign(node=frame.mean(axis=1))
    scheme = scheme_from_dict(
        {
            "indicators": {c: {"unit": "", "direction": 1, "valid": [-100, 100]} for c in frame},
            "nodes": {"node": {"children": list(frame), "weights": "equal"}},
        },
        "three.toml",
    )
    found = coherence.coherence(scores, scheme).collinear()
    assert set(zip(found["x"], found["y"])) == {("x", "twin")} and (found["node"] == "node").all()
