"""Aggregations beyond the means, against their published definitions: hand-computed cases, LP duality for the
Benefit of the Doubt, the Mazziotta–Pareto penalty on constructed rows, and dominance properties."""

import re
import tomllib

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

from livecommerce import Study
from livecommerce.analysis.aggregations import aggregation_rankings, bod_weights
from livecommerce.analysis.sensitivity import sobol
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError, SchemeError
from livecommerce.index import compose as index
from livecommerce.index import frontier, model
from livecommerce.index.aggregate import aggregate, ampi, combine, mpi
from livecommerce.index.ranking import rank
from livecommerce.index.scheme import scheme_from_dict

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"

FRAME = pd.DataFrame({"a": [80.0, 20, 50], "b": [20.0, 80, 50], "c": [60.0, 60, 61]}, index=["x", "y", "z"])
W = pd.Series({"a": 0.5, "b": 0.25, "c": 0.25})

positive = st.integers(3, 9).flatmap(lambda n: arrays(float, (n, 4), elements=st.floats(1, 100)))
simplex = st.lists(st.floats(0.01, 1), min_size=4, max_size=4).map(lambda v: np.array(v) / sum(v))


def test_hand_computed_median_copeland_and_generalised_mean():
    # x: 20 (¼), 60 (¼), 80 (½): the cumulative weight is exactly ½ at 60, so the median is (60 + 80) / 2;
    # z: 50 carries ¾ of the weight
    assert aggregate(FRAME, W, "median").tolist() == [70.0, 40.0, 50.0]
    # x against y: a (½) for, b (¼) against, c tied (⅛ each way): ⅝ > ½, a win; against z: a for, b and c
    # against, exactly ½: a tie; z beats y on a and c (¾)
    assert aggregate(FRAME, W, "copeland").tolist() == [1.0, -2.0, 1.0]
    expected = (0.5 * 80**2 + 0.25 * 20**2 + 0.25 * 60**2) ** 0.5
    assert aggregate(FRAME, W, "generalised", p=2)["x"] == pytest.approx(expected, rel=1e-14)
    for p, mean in ((1, "arithmetic"), (0, "geometric"), (-1, "harmonic")):
        np.testing.assert_allclose(aggregate(FRAME, W, "generalised", p=p), aggregate(FRAME, W, mean), rtol=1e-13)


def test_the_mazziotta_pareto_penalty_is_its_definition():
    rows = pd.DataFrame({"a": [100.0, 90, 120], "b": [100.0, 110, 80], "c": [100.0, 100, 100]})
    equal = pd.Series(1 / 3, index=list("abc"))
    for sign in (-1, 1):
        out = aggregate(rows, equal, "mpi", sign=sign)
        mean, sd = rows.mean(axis=1), rows.std(axis=1, ddof=0)
        np.testing.assert_allclose(out, mean + sign * sd * (sd / mean), rtol=1e-14)
    assert out.iloc[0] == pytest.approx(100.0, rel=1e-15)  # a balanced row is not penalised
    # the full index: each column to 100 ± 10·z (population deviations), then the penalty across a row
    z = 100 + 10 * (FRAME - FRAME.mean()) / FRAME.std(ddof=0)
    m, s = z.mean(axis=1), z.std(axis=1, ddof=0)
    np.testing.assert_allclose(mpi(FRAME), m - s * s / m, rtol=1e-14)
    np.testing.assert_allclose(mpi(FRAME, sign=1), m + s * s / m, rtol=1e-14)
    # Compind's ci_mpi takes sample variances, for the columns and for the rows: M·(1 − cv²)
    z1 = 100 + 10 * (FRAME - FRAME.mean()) / FRAME.std(ddof=1)
    m1, cv = z1.mean(axis=1), z1.std(axis=1, ddof=1) / z1.mean(axis=1)
    np.testing.assert_allclose(mpi(FRAME, ddof=1), m1 * (1 - cv**2), rtol=1e-14)


def test_the_adjusted_index_uses_its_goalposts():
    posts = {"a": (0, 100), "b": (0, 100), "c": (0, 100)}
    r = 70 + 60 * FRAME / 100
    m, s = r.mean(axis=1), r.std(axis=1, ddof=0)
    np.testing.assert_allclose(ampi(FRAME, posts), m - s * s / m, rtol=1e-14)
    # fixed goalposts: a region's score does not depend on the other regions
    assert ampi(FRAME, posts)["x"] == pytest.approx(ampi(FRAME.loc[["x"]], posts)["x"], rel=1e-15)
    with pytest.raises(ParameterError, match=r"posts\['a'\]: need \(low, high\) with low < high"):
        ampi(FRAME, {"a": (5, 5)})


def test_a_flat_mean_is_refused_and_mpi_is_not_monotone_outside_its_scale():
    with pytest.raises(DataError, match=r"column 'c': the generalised mean \(p = -2\) needs positive"):
        aggregate(FRAME.assign(c=[0.0, 1, 1]), W, "generalised", p=-2)
    with pytest.raises(ParameterError, match="p= is not an option of 'median'"):
        aggregate(FRAME, W, "median", p=2)
    # one component far above the rest lowers the penalised mean: the method's known limit, stated in its docs
    w = pd.Series(1 / 17, index=range(17))
    low, high = pd.DataFrame([[60.0] * 17]), pd.DataFrame([[100.0] + [60.0] * 16])
    assert aggregate(high, w, "mpi")[0] < aggregate(low, w, "mpi")[0] + 3.0
    assert aggregate(high, w, "mpi")[0] < aggregate(pd.DataFrame([[90.0] + [60.0] * 16]), w, "mpi")[0]


def _dual(rows: np.ndarray, i: int) -> float:
    """The BoD dual: the least total weight of regions whose weighted rows cover region ``i``'s row."""
    result = linprog(np.ones(len(rows)), A_ub=-rows.T, b_ub=-rows[i], bounds=(0, None), method="highs")
    return result.fun


def test_bod_hand_computed_and_dual():
    # two indicators; x and y each best on one, z on the segment between them, w inside
    rows = pd.DataFrame({"a": [4.0, 1, 2.5, 2], "b": [1.0, 4, 2.5, 2]}, index=list("xyzw"))
    scores, weights = frontier.bod(rows)
    np.testing.assert_allclose(scores, [1, 1, 1, 0.8], rtol=1e-9)
    np.testing.assert_allclose((weights * rows).sum(axis=1), scores, rtol=1e-12)  # the score is the weighted sum
    assert (weights.to_numpy() @ rows.to_numpy().T).max() <= 1 + 1e-9  # nobody above 1 at anyone's weights
    for i in range(len(rows)):
        assert _dual(rows.to_numpy(), i) == pytest.approx(scores.iloc[i], abs=1e-9)


def test_bod_weight_restrictions():
    rows = pd.DataFrame({"a": [4.0, 1, 2], "b": [1.0, 4, 2]}, index=list("xyz"))
    scores, weights = frontier.bod(rows, shares={"a": (0.4, 0.6), "b": (0.4, 0.6)})
    shares = weights * rows / scores.to_numpy()[:, None]
    assert ((shares >= 0.4 - 1e-9) & (shares <= 0.6 + 1e-9)).all().all()
    assert scores["x"] < 1  # x can no longer put everything on a
    bounded = frontier.bod(rows, bounds={"b": (0.1, 1)})[1]
    assert (bounded["b"] >= 0.1 - 1e-12).all()
    table = pd.DataFrame({"b": [0.1, 1.0]}, index=["low", "high"])  # the same bounds as a table
    pd.testing.assert_frame_equal(frontier.bod(rows, bounds=table)[1], bounded)
    with pytest.raises(ParameterError, match=r"shares\['a'\]=\(0.7, 0.2\)"):
        frontier.bod(rows, shares={"a": (0.7, 0.2)})
    with pytest.raises(ParameterError, match="the lows sum to 1.2"):
        frontier.bod(rows, shares={"a": (0.6, 1), "b": (0.6, 1)})
    with pytest.raises(DataError, match="column 'b': Benefit of the Doubt needs non-negative"):
        frontier.bod(rows.assign(b=[-1.0, 1, 1]))


def test_robust_bod_is_seeded_and_about_the_classic_score():
    rng = np.random.default_rng(1)
    rows = pd.DataFrame(rng.uniform(1, 10, (12, 3)), columns=list("abc"))
    once, again = frontier.robust_bod(rows, m=6, draws=20, seed=3), frontier.robust_bod(rows, m=6, draws=20, seed=3)
    pd.testing.assert_series_equal(once, again)
    classic = frontier.bod(rows)[0]
    assert (once >= classic - 1e-9).all()  # fewer regions to compare with: never a lower score
    full = frontier.robust_bod(rows, m=12 * 50, draws=3, seed=3)  # a sample that holds every region
    np.testing.assert_allclose(full, classic, atol=1e-9)


def test_bod_with_many_frontier_regions_matches_the_full_lp():
    rng = np.random.default_rng(7)
    rows = rng.uniform(0.1, 1, (300, 5))
    scores = frontier.bod(pd.DataFrame(rows))[0].to_numpy()
    for i in rng.integers(0, 300, 15):
        full = linprog(-rows[i], A_ub=rows, b_ub=np.ones(300), bounds=(0, None), method="highs")
        assert -full.fun == pytest.approx(scores[i], abs=1e-9)


def _directional_primal(rows: np.ndarray, i: int, g: np.ndarray) -> float:
    """The directional distance of region ``i``: the most β with ``Σ λ_j y_j ≥ y_i + β g``, ``Σ λ_j ≤ 1``."""
    n = len(rows)
    a_ub = np.vstack([np.hstack([-rows.T, g[:, None]]), np.r_[np.ones(n), 0.0][None, :]])
    bounds = [(0, None)] * n + [(None, None)]
    result = linprog(np.r_[np.zeros(n), -1.0], A_ub=a_ub, b_ub=np.r_[-rows[i], 1.0], bounds=bounds, method="highs")
    return -result.fun


def test_directional_bod_hand_computed():
    # x and y each best on one indicator; z = (0.5, 0.1) grows along (1, 1) by 0.2 before x and y's segment
    # (λ_x ≥ 0.5 + β, λ_y ≥ 0.1 + β, λ_x + λ_y ≤ 1), along (1, 0) by 0.4; w = (0.25, 0.25) by 0.25 along (1, 1)
    rows = pd.DataFrame({"a": [1.0, 0, 0.5, 0.25], "b": [0.0, 1, 0.1, 0.25]}, index=list("xyzw"))
    scores, weights = frontier.directional_bod(rows)
    np.testing.assert_allclose(scores, [1, 1, 1 / 1.2, 1 / 1.25], rtol=1e-9)
    np.testing.assert_allclose(weights.sum(axis=1), 1, rtol=1e-9)  # scaled to w·g = 1
    np.testing.assert_allclose(weights.loc["w"], [0.5, 0.5], rtol=1e-9)
    along_a, at = frontier.directional_bod(rows, growth={"a": 1.0, "b": 0.0})
    assert along_a["z"] == pytest.approx(1 / 1.4, rel=1e-9)
    np.testing.assert_allclose(at.loc["z"], [1, 1], rtol=1e-9)  # the only weights with max w·y − w·y_z = 0.4
    assert frontier.bod(rows)[0]["w"] == pytest.approx(0.5)  # radially w is half-way: the two models differ


def test_directional_bod_along_each_regions_own_row_is_the_classic_score():
    # the directional distance's relation to the radial one (Chambers, Chung & Färe 1996), which Fusco's (2015)
    # model inherits: along g_i = y_i the directional distance is the radial one,
    # β = 1/θ − 1, so 1 / (1 + β) is the classic BoD score θ, and the weights are the classic ones times 1/θ
    rng = np.random.default_rng(4)
    rows = pd.DataFrame(rng.uniform(0.5, 10, (40, 4)), columns=list("abcd"))
    classic, classic_weights = frontier.bod(rows)
    scores, weights = frontier.directional_bod(rows, growth=rows)
    np.testing.assert_allclose(scores, classic, rtol=1e-8)
    np.testing.assert_allclose((weights * rows).sum(axis=1), 1, rtol=1e-8)
    g = np.array([1.0, 2.0, 0.0, 0.5])
    along = frontier.directional_bod(rows, growth=dict(zip("abcd", g)))[0]
    for i in rng.integers(0, 40, 8):  # the weights' LP (the dual) agrees with the directional distance itself
        assert 1 / along.iloc[i] - 1 == pytest.approx(_directional_primal(rows.to_numpy(), i, g), abs=1e-8)


def test_directional_bod_refuses_bad_growth_vectors():
    rows = pd.DataFrame({"a": [4.0, 1, 2], "b": [1.0, 4, 2]}, index=list("xyz"))
    with pytest.raises(ParameterError, match="growth: column 'b' is negative"):
        frontier.directional_bod(rows, growth={"a": 1, "b": -1})
    with pytest.raises(ParameterError, match="'c' is not a column"):
        frontier.directional_bod(rows, growth={"c": 1})
    own = rows.copy()
    own.loc["y"] = 0.0
    with pytest.raises(ParameterError, match="region 'y' has no positive component"):
        frontier.directional_bod(rows, growth=own)
    with pytest.raises(ParameterError, match="no row for region 'z'"):
        frontier.directional_bod(rows, growth=rows.iloc[:2])


@settings(max_examples=40, deadline=None)
@given(values=positive, w=simplex, better=st.floats(0.5, 10), data=st.data())
def test_a_dominating_region_never_ranks_below(values, w, better, data):
    i, k = data.draw(st.sampled_from([(a, b) for a in range(len(values)) for b in range(len(values)) if a != b]))
    values = values.copy()
    values[i] = np.maximum(values[i], values[k]) + better  # i above k on every component
    frame = pd.DataFrame(values, columns=list("abcd"))
    weights = pd.Series(w, index=list("abcd"))
    for aggregation, options in (("generalised", {"p": 2.0}), ("generalised", {"p": -0.5}), ("copeland", {})):
        out = aggregate(frame, weights, aggregation, **options)
        assert out[i] >= out[k] - 1e-9
    for scores in (frontier.bod(frame)[0], frontier.directional_bod(frame, dict(zip("abcd", w)))[0]):
        assert scores[i] >= scores[k] - 1e-9
        assert ((scores > 0) & (scores <= 1 + 1e-9)).all() and scores.max() == pytest.approx(1, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(values=arrays(float, (6, 4), elements=st.floats(80, 120)), w=simplex, better=st.floats(0, 20))
def test_mpi_is_monotone_on_its_scale(values, w, better):
    """Within a span of half the smallest score (80–120) the penalised mean never drops as a score rises."""
    raised = values.copy()
    raised[0, 0] = min(raised[0, 0] + better, 120)
    before, after = combine(values, w, "mpi")[0], combine(raised, w, "mpi")[0]
    assume(raised[0, 0] > values[0, 0])
    assert after[0] >= before[0] - 1e-12


@settings(max_examples=30, deadline=None)
@given(values=positive, w=simplex)
def test_many_weightings_at_once_are_each_weighting(values, w):
    draws = np.vstack([w, w[::-1], np.full(4, 0.25)])
    frame = pd.DataFrame(values, columns=list("abcd"))
    for aggregation in ("median", "copeland", "mpi", "generalised"):
        batch = combine(values, draws, aggregation)
        for d, row in enumerate(draws):
            np.testing.assert_allclose(batch[d], aggregate(frame, pd.Series(row, index=list("abcd")), aggregation))


def _declared_scheme():
    """The report's scheme with a generalised mean at 人, a median at 货, an MPI at the root and goalposts for the
    anchors' GMV (log units, around the SYNTHETIC panel's range)."""
    raw = tomllib.loads((data_dir() / "schemes" / "report2023.toml").read_text(encoding="utf-8"))
    raw["nodes"]["people"]["aggregation"] = {"method": "generalised", "p": 0.5}
    raw["nodes"]["goods"]["aggregation"] = "median"
    raw["nodes"]["overall"]["aggregation"] = {"method": "mpi", "sign": -1}
    raw["indicators"]["anchor_gmv"]["normalisation"] = {"method": "goalposts", "posts": [0.0, 30.0]}
    return scheme_from_dict(raw, "declared.toml")


def test_the_scheme_declares_them_and_the_study_logs_them():
    scheme = _declared_scheme()
    assert scheme.nodes["people"].options == {"p": 0.5} and scheme.nodes["goods"].aggregation == "median"
    data = load_panel(SYNTHETIC, scheme)
    built = index.build(data, scheme)
    scores = index.indicator_scores(data, scheme)
    raw, _ = index.prepare(data, scheme)
    np.testing.assert_allclose(scores["anchor_gmv"], 100 * raw["anchor_gmv"].clip(0, 30) / 30)
    people = scheme.nodes["people"]
    expected = aggregate(built[list(people.children)], people.weights, "generalised", p=0.5)
    np.testing.assert_allclose(built["people"], expected, rtol=1e-12)
    study = Study.build("province", SYNTHETIC, scheme=scheme)
    np.testing.assert_allclose(study.scores[built.columns], built, rtol=1e-12)
    log = {entry["step"]: entry for entry in study.log}
    assert log["aggregate"]["nodes"]["people"] == {"method": "generalised", "p": 0.5}
    assert log["aggregate"]["nodes"]["goods"] == "median"
    assert log["normalise"]["indicators"] == {"anchor_gmv": {"method": "goalposts", "posts": [0.0, 30.0]}}
    profile = study.profile(study.regions[0]).nodes
    assert np.isnan(profile.loc["activity", "contribution"]) and profile.loc["anchor_count", "contribution"] > 0


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("aggregation", {"method": "generalised", "q": 1}, "q= is not an option of 'generalised'"),
        ("aggregation", {"method": "mpi", "sign": 2}, "sign must be -1"),
        ("aggregation", {"method": "generalised", "p": "2"}, "option p must be a number"),
        ("normalisation", {"method": "goalposts"}, "method 'goalposts' needs posts"),
        ("normalisation", {"method": "goalposts", "posts": [1.0]}, "posts is an indicator's own, [low, high]"),
        ("normalisation", {"method": "distance_to_target", "targets": "high"}, "targets is an indicator's own"),
    ],
)
def test_a_bad_declaration_is_named(where, value, message):
    raw = tomllib.loads((data_dir() / "schemes" / "report2023.toml").read_text(encoding="utf-8"))
    (raw["nodes"]["people"] if where == "aggregation" else raw["indicators"]["anchor_gmv"])[where] = value
    with pytest.raises(SchemeError, match=re.escape(message)):
        scheme_from_dict(raw, "bad.toml")


def test_the_monte_carlo_draws_the_new_choices():
    scheme = _declared_scheme()
    data = load_panel(SYNTHETIC, scheme)
    own = model.from_panel(data, scheme, normalisations=("efficacy", "minmax"))
    with pytest.raises(ParameterError, match="method 'goalposts' needs posts="):  # only anchor_gmv has posts
        model.from_panel(data, scheme, normalisations=("efficacy", "goalposts"))
    nominal = own.nominal[None]
    for aggregation in ("median", "copeland", "mpi", "generalised", "bod"):
        drawn = model.evaluate_draws(own, np.repeat(nominal, 2, 0), np.array([aggregation] * 2))
        nodes = [node.aggregated_by(aggregation) for node in own.nodes]
        leaves = pd.DataFrame(own.scores["efficacy"], index=own.regions, columns=list(own.leaves))
        expected = index.aggregate_nodes(leaves, nodes)[0][own.root]
        np.testing.assert_allclose(drawn, [expected, expected], rtol=1e-12, err_msg=aggregation)
    result = monte_carlo(
        own,
        Uncertainty(
            aggregations={"nominal": 0.4, "copeland": 0.3, "median": 0.3},
            normalisations={"efficacy": 0.5, "minmax": 0.5},
        ),
        n_draws=200,
    )
    assert result.rank_counts.sum(axis=1).tolist() == [200] * len(own.regions)


def test_rankings_under_every_aggregation():
    province = model.from_published("province")
    table = aggregation_rankings(province)
    assert list(table.columns) == ["name", "published", *model.AGGREGATION_CHOICES, "largest_move"]
    assert table["nominal"].equals(rank(model.evaluate(province)).rename("nominal"))
    assert table["copeland"].equals(rank(model.evaluate(province, aggregation="copeland")).rename("copeland"))
    assert (table["bod"] == 1).sum() >= 1 and (table["largest_move"] >= 0).all()
    moved = table[list(model.AGGREGATION_CHOICES)].sub(table["nominal"], axis=0).abs().max(axis=1)
    assert table["largest_move"].equals(moved.rename("largest_move"))
    named = aggregation_rankings(province, ("nominal", "mpi"), lang="en")
    assert list(named.columns) == ["name", "published", "as the scheme says", "Mazziotta–Pareto index", "largest_move"]
    with pytest.raises(ParameterError, match="aggregations='mode'"):
        aggregation_rankings(province, ("mode",))


def test_bod_weights_of_every_region():
    province = model.from_published("province")
    table = bod_weights(province)
    leaves = list(province.leaves)
    assert list(table.columns) == ["name", "bod", "rank", *leaves]
    scores, weights = frontier.bod(province.node_scores()[leaves])
    pd.testing.assert_series_equal(table["bod"], scores)
    np.testing.assert_allclose(table[leaves].sum(axis=1), 1, rtol=1e-9)  # each row's shares of its own score
    np.testing.assert_allclose(table[leaves], weights * province.node_scores()[leaves] / scores.to_numpy()[:, None])
    assert table.loc[table["bod"] > 1 - 1e-9, "rank"].eq(1).all() and table["rank"].max() > 1
    three = bod_weights(province, ("people", "goods", "venue"), lang="en")
    assert list(three.columns) == ["name", "Benefit of the Doubt", "rank", "People", "Goods", "Venue"]
    with pytest.raises(ParameterError, match="no column 'market'"):
        bod_weights(province, ("people", "market"))


def test_sobol_takes_the_new_aggregations_as_a_dimension():
    province = model.from_published("province")
    spec = Uncertainty(weights=None, aggregations={"arithmetic": 0.25, "copeland": 0.25, "median": 0.25, "bod": 0.25})
    table = sobol.index_sobol(province, spec, n=2**6, n_resamples=0)
    shift = table.loc[("mean_abs_shift", "aggregations")]
    assert shift["first"] == pytest.approx(1) and shift["total"] == pytest.approx(1)  # the only input explains all
