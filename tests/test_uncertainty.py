"""Monte Carlo uncertainty: nominal when nothing varies, the same whatever the workers, seeded, consistent."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from conftest import one_node_model
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats
from threadpoolctl import ThreadpoolController

from livecommerce import Study
from livecommerce.analysis.sensitivity import sobol, uncertainty
from livecommerce.analysis.sensitivity.uncertainty import BLOCK, Uncertainty, monte_carlo
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError
from livecommerce.index import compose as index
from livecommerce.index import model
from livecommerce.index.ranking import rank
from livecommerce.index.scheme import load_scheme

SCHEME = load_scheme()

PROVINCE = model.from_published("province", methods=("nominal", "equal", "entropy"))


def rank_table(result) -> np.ndarray:
    """The draws of each rank (regions × ranks 1..N), from the result's band of ranks."""
    n = len(result.model.regions)
    width = result.rank_counts.shape[1]
    out = np.zeros((n, n + width), np.int64)  # a band may run past the last rank, with zeros
    out[np.arange(n)[:, None], result.rank_low[:, None] - 1 + np.arange(width)] = result.rank_counts
    assert not out[:, n:].any()
    return out[:, :n]


def test_zero_perturbation_returns_the_nominal_ranking():
    result = monte_carlo(PROVINCE, Uncertainty(weights=None), n_draws=1000, seed=3)
    expected = np.zeros((31, 31))
    expected[np.arange(31), result.nominal_rank - 1] = 1000
    assert (rank_table(result) == expected).all() and result.rank_counts.shape == (31, 1)
    assert (result.per_draw["mean_abs_shift"] == 0).all()
    summary = result.summary()
    assert (summary["median_rank"] == summary["nominal_rank"]).all()
    assert (summary["rank_p05"] == summary["rank_p95"]).all()


def test_the_number_of_workers_does_not_change_the_result():
    spec = Uncertainty(
        methods={"nominal": 0.5, "equal": 0.25, "entropy": 0.25}, aggregations={"arithmetic": 0.7, "geometric": 0.3}
    )
    n = 3 * BLOCK + 123
    one = monte_carlo(PROVINCE, spec, n_draws=n, seed=11, workers=1)
    many = monte_carlo(PROVINCE, spec, n_draws=n, seed=11, workers=3)
    for field in ("rank_low", "rank_counts", "ahead", "score_hist", "score_sum", "first_weights"):
        assert np.array_equal(getattr(one, field), getattr(many, field)), field
    pd.testing.assert_frame_equal(one.per_draw, many.per_draw)
    assert one.rank_counts.sum() == n * 31


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b = (monte_carlo(PROVINCE, n_draws=5000, seed=7) for _ in range(2))
    c = monte_carlo(PROVINCE, n_draws=5000, seed=8)
    pd.testing.assert_frame_equal(a.summary(), b.summary())
    assert not np.array_equal(a.per_draw.to_numpy(), c.per_draw.to_numpy())


def test_draw_parameters_are_regenerated_exactly():
    spec = Uncertainty(methods={"nominal": 0.5, "equal": 0.5}, aggregations={"arithmetic": 0.5, "geometric": 0.5})
    result = monte_carlo(PROVINCE, spec, n_draws=2500, seed=5)
    draws = result.draws()
    assert len(draws) == 2500 and draws.index[0] == 0
    weights = draws.filter(like="/").to_numpy()
    scores = model.evaluate_draws(PROVINCE, weights, draws["aggregation"].to_numpy(), draws["normalisation"].to_numpy())
    r = uncertainty.ranks(scores)
    counts = np.stack([np.bincount(r[:, i], minlength=32)[1:] for i in range(31)])
    assert np.array_equal(counts, rank_table(result))
    assert draws.loc[100:102].equals(result.draws(100, 103))
    people = draws[["people/activity", "people/sales", "people/influence"]].sum(axis=1)
    assert np.allclose(people, 1)


def test_dirichlet_is_centred_on_the_nominal_weights():
    result = monte_carlo(PROVINCE, Uncertainty(concentration=50), n_draws=40_000, seed=1)
    mean = result.draws().filter(like="/").mean().to_numpy()
    nominal = PROVINCE.nominal
    assert mean == pytest.approx(nominal, abs=0.005)


def test_dirichlet_is_centred_on_each_drawn_methods_weights():
    spec = Uncertainty(concentration=50, methods={"nominal": 0.2, "equal": 0.3, "entropy": 0.5})
    draws = monte_carlo(PROVINCE, spec, n_draws=40_000, seed=6).draws()
    assert draws["method"].value_counts(normalize=True)["entropy"] == pytest.approx(0.5, abs=0.01)
    for method, rows in draws.groupby("method"):
        expected = np.concatenate(PROVINCE.alternatives[method])
        assert rows.filter(like="/").mean().to_numpy() == pytest.approx(expected, abs=0.005), method


def test_a_score_at_the_top_of_the_scale_is_counted_in_the_last_bin():
    top = one_node_model([[100.0, 100.0], [60.0, 80.0]], [0.5, 0.5])
    result = monte_carlo(top, n_draws=3000, seed=1)
    assert result.score_hist.shape == (2, uncertainty.SCORE_BINS)
    assert (result.score_hist.sum(axis=1) == 3000).all()
    assert result.score_hist[0, -1] == 3000
    assert result.summary().loc["a", "score_p50"] == pytest.approx(100, abs=40 / uncertainty.SCORE_BINS)


def test_outranking_probabilities_add_up_with_ties_counting_half():
    twin = one_node_model([[70.0, 80.0], [70.0, 80.0], [90.0, 60.0]], [0.5, 0.5])
    result = monte_carlo(twin, n_draws=4000, seed=2)
    p = result.outranking()
    assert p.loc["a", "b"] == p.loc["b", "a"] == 0.5  # a and b always tie
    off = ~np.eye(3, dtype=bool)
    assert np.allclose((p + p.T).to_numpy()[off], 1)
    assert 0 < p.loc["c", "a"] < 1


def test_rivals_are_the_neighbours_in_rank_with_the_chance_of_staying_above_them():
    scores = [[90.0, 60.0], [80.0, 75.0], [70.0, 85.0], [60.0, 95.0], [50.0, 50.0]]
    result = monte_carlo(one_node_model(scores, [0.6, 0.4]), n_draws=2000, seed=3)
    nominal = pd.Series(result.nominal_rank, index=list("abcde"))
    rivals = result.rivals("c", places=1)
    assert set(rivals.index) == set(nominal[(nominal - nominal["c"]).abs() == 1].index)
    assert rivals.to_dict() == result.outranking().loc["c", rivals.index].to_dict()
    assert "c" not in result.rivals("c", places=4).index and len(result.rivals("c", places=4)) == 4
    with pytest.raises(ParameterError, match="'z' is not among the tracked regions"):
        result.rivals("z")
    with pytest.raises(ParameterError, match="places"):
        result.rivals("c", places=0)


def test_per_draw_correlations_match_scipy():
    panel_model = PROVINCE
    result = monte_carlo(panel_model, Uncertainty(concentration=5), n_draws=300, seed=4)
    draws = result.draws()
    r = uncertainty.ranks(model.evaluate_draws(panel_model, draws.filter(like="/").to_numpy()))
    reference = panel_model.published_rank.to_numpy()
    assert len(set(reference)) == 31  # no ties: tau-a and tau-b agree
    for i in (0, 17, 299):
        assert result.per_draw["spearman"][i] == pytest.approx(stats.spearmanr(r[i], reference)[0], abs=1e-6)
        assert result.per_draw["kendall"][i] == pytest.approx(stats.kendalltau(r[i], reference)[0], abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 20), st.integers(1, 12)),
        elements=st.sampled_from([60.0, 70.5, 70.5, 99.0, 80.25]),
    )
)
def test_ranks_follow_the_report_rule(scores):
    got = uncertainty.ranks(scores)
    with mock.patch.object(uncertainty, "PAIRWISE_REGIONS", 0):  # by sorting, as for large models
        assert np.array_equal(uncertainty.ranks(scores), got)
    for row, values in zip(got, scores):
        assert row.tolist() == rank(pd.Series(values)).tolist()


@settings(max_examples=100, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 9), st.integers(2, 7)),
        elements=st.sampled_from([-3.5, -1e-12, 0.0, 2.0, 2.0 + 1e-12, 1e6]),
    ),
    st.integers(1, 4),
)
def test_compare_counts_every_pair_as_a_loop_over_draws_would(scores, slice_rows):
    draws, n = scores.shape
    reference = np.arange(1, n + 1)[::-1].copy()
    with mock.patch.object(uncertainty, "PAIR_ROWS", slice_rows):
        ranks, ahead, kendall = uncertainty.compare(scores, reference)
    above = scores[:, :, None] > scores[:, None, :]  # draw, i, j: i strictly above j
    assert np.array_equal(ranks, 1 + above.sum(axis=1))
    assert np.array_equal(ahead, above.sum(axis=0))
    pairs = np.triu_indices(n, 1)
    expected = [
        np.mean(np.sign(row[:, None] - row[None, :])[pairs] * np.sign(reference[pairs[1]] - reference[pairs[0]]))
        for row in scores
    ]
    assert kendall == pytest.approx(expected, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(1, 300), st.integers(1, 9)), elements=st.floats(-1e6, 1e6)),
    st.sampled_from([np.minimum, np.maximum, np.add]),
)
def test_column_reduce_is_the_reduction_down_the_columns(values, ufunc):
    got = uncertainty.column_reduce(ufunc, values, fold=8)
    assert got == pytest.approx(ufunc.reduce(values, axis=0), rel=1e-12, abs=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"spec": Uncertainty(concentration=0)}, "concentration=0"),
        ({"spec": Uncertainty(weights="normal")}, "weights='normal'"),
        ({"spec": Uncertainty(spread=1.5, weights="uniform")}, "spread=1.5"),
        ({"spec": Uncertainty(methods={"critic": 1.0})}, "methods: 'critic' is not available"),
        ({"spec": Uncertainty(aggregations={"arithmetic": 0.5, "geometric": 0.6})}, "sum to 1"),
        ({"n_draws": 0}, "n_draws=0"),
        ({"workers": 0}, "workers=0"),
        ({"outranking": 1}, "outranking=1"),
        ({"outranking": ["510000", "999999"]}, "outranking must be"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        monte_carlo(PROVINCE, **kwargs)
    with pytest.raises(ParameterError, match="outside"):
        monte_carlo(PROVINCE, n_draws=10).draws(5, 20)


def test_method_rankings_rank_every_region_under_every_scheme():
    ranks = uncertainty.method_rankings(PROVINCE, {"people_only": {"overall": {"venue": 0, "people": 1, "goods": 0}}})
    assert list(ranks.columns) == ["name", "published", "nominal", "equal", "entropy", "people_only"]
    for column in ("nominal", "equal", "entropy", "people_only"):
        assert sorted(ranks[column]) == list(range(1, 32))
    people = PROVINCE.node_scores()["people"]
    assert (ranks["people_only"] == rank(people)).all()
    for bad, message in [
        ((np.array([1.0]),), "must be a mapping"),
        ({"overall": [1, 0, 0]}, "by name"),
        ({"overall": {"people": 1, "goods": 0}}, "needs a weight for each of its children"),
        ({"total": {"people": 1}}, "'total' is not a node"),
    ]:
        with pytest.raises(ParameterError, match=message):  # positional weights silently reordered ranks once
            uncertainty.method_rankings(PROVINCE, {"bad": bad})


def test_large_models_rank_by_sorting_and_count_outranking_among_the_tracked_regions_only():
    """Above PAIRWISE_REGIONS the ranks come from sorting and outranking from the tracked regions: the same
    numbers as the pairwise path, Kendall's tau aside (NaN), and nothing regions × regions is kept."""
    spec = Uncertainty(concentration=20, methods={"nominal": 0.5, "equal": 0.5})
    tracked = ["510000", "410000", "440000"]
    pairwise = monte_carlo(PROVINCE, spec, n_draws=700, seed=9, outranking=tracked)
    with mock.patch.object(uncertainty, "PAIRWISE_REGIONS", 10), mock.patch.object(uncertainty, "SLICE_CELLS", 31 * 64):
        sorted_ = monte_carlo(PROVINCE, spec, n_draws=700, seed=9, outranking=tracked)
    for field in ("rank_low", "rank_counts", "ahead", "score_hist"):
        assert np.array_equal(getattr(pairwise, field), getattr(sorted_, field)), field
    assert pairwise.score_sum == pytest.approx(sorted_.score_sum, rel=1e-12)  # summed a slice at a time
    pd.testing.assert_frame_equal(pairwise.per_draw.drop(columns="kendall"), sorted_.per_draw.drop(columns="kendall"))
    assert sorted_.per_draw["kendall"].isna().all() and pairwise.per_draw["kendall"].notna().all()
    p = sorted_.outranking()
    assert set(p.index) == set(tracked) and p.shape == (3, 3)
    draws = pairwise.draws()
    scores = model.evaluate_draws(PROVINCE, draws.filter(like="/").to_numpy(), None, None)
    sichuan, henan = PROVINCE.regions.get_indexer(["510000", "410000"])
    wins = (scores[:, sichuan] > scores[:, henan]).mean() + (scores[:, sichuan] == scores[:, henan]).mean() / 2
    assert p.loc["510000", "410000"] == pytest.approx(wins)


def test_outranking_defaults_to_the_nominal_top_regions():
    result = monte_carlo(PROVINCE, n_draws=200, seed=1, outranking=5)
    top = PROVINCE.regions[np.argsort(result.nominal_rank, kind="stable")[:5]]
    assert set(result.outranking().index) == set(top) and result.ahead.shape == (5, 5)
    assert monte_carlo(PROVINCE, n_draws=200, seed=1).outranking().shape == (31, 31)  # the default: all 31


def brute_ranks(scores: np.ndarray) -> np.ndarray:
    """1 plus the number of strictly higher scores in the row, region by region."""
    return 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)


BIG = np.finfo(float).max
CLOSE = [-np.inf, -BIG, -1e300, -2.0, -1e-300, -5e-324, -0.0, 0.0, 5e-324, 1.0, np.nextafter(1.0, 2), 1.0 + 2**-40]
CLOSE += [99.5, 1e300, BIG, np.inf]


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 6), st.integers(1, 40)),
        elements=st.one_of(st.sampled_from(CLOSE), st.floats(-1e3, 1e3)),
    )
)
@example(np.array([[-0.0, 0.0, 1.0]]))  # keys one apart, and no bits dropped to hide it
@example(np.array([[0.0, -0.0, -1.0]]))
def test_sorting_ranks_as_counting_the_scores_above_does(scores):
    """Packed keys keep the order of any scores but NaN, −0 and 0 tie, and scores one unit in the last place
    apart (or too close for the bits kept beside a region's position) are told apart exactly."""
    expected = brute_ranks(scores)
    assert np.array_equal(uncertainty._sorted_ranks(scores), expected)
    transposed = np.zeros(scores.shape[::-1], np.int32)  # a region-by-region layout, as a block keeps them
    uncertainty._sorted_ranks(scores, transposed.T)
    assert np.array_equal(transposed.T, expected)


def test_sorting_ranks_thousands_of_regions_whose_keys_lose_bits():
    """5,000 regions need 13 bits for their positions; scores over the whole float range leave too few for the
    order, so near neighbours collide in the kept bits and their rows are ranked again exactly."""
    rng = np.random.default_rng(3)
    scores = rng.choice([-1.0, 1.0], (4, 5000)) * 10.0 ** rng.uniform(-300, 300, (4, 5000))
    scores[0, :2] = [np.nextafter(7.0, 8), 7.0]  # one unit in the last place apart: by region, the wrong way
    scores[1, 10:13] = 3.0  # a tie
    assert np.array_equal(uncertainty._sorted_ranks(scores), brute_ranks(scores))


@settings(max_examples=100, deadline=None)
@given(arrays(np.int16, st.tuples(st.integers(1, 8), st.integers(1, 50)), elements=st.integers(0, 300)), st.data())
def test_bands_count_each_regions_values_and_add_up(values, data):
    """A band (lowest value, counts from there) holds every region's counts, the sum of two bands is the band
    of both, and unbanding lays them back on the full scale."""
    cut = data.draw(st.integers(0, values.shape[1]))
    full = np.stack([np.bincount(row, minlength=301) for row in values])
    band = uncertainty._band(values)
    assert np.array_equal(uncertainty._unband(band, 301), full)
    if 0 < cut < values.shape[1]:
        halves = uncertainty._add_bands(uncertainty._band(values[:, :cut]), uncertainty._band(values[:, cut:]))
        assert np.array_equal(uncertainty._unband(halves, 301), full)


def test_a_score_that_is_not_finite_is_named():
    with pytest.raises(DataError, match="node 'top': aggregate: column 'y', region 'a': nan is not a finite number"):
        one_node_model([[70.0, np.nan], [60.0, 80.0]], [0.5, 0.5])  # its node scores, as index.build's, refuse it
    good = one_node_model([[70.0, 90.0], [60.0, 80.0]], [0.5, 0.5])
    bad = replace(good, scores={"published": np.array([[70.0, np.nan], [60.0, 80.0]])})
    with pytest.raises(ParameterError, match="score of 'y' in region 'a' is nan"):
        monte_carlo(bad, n_draws=10)


def test_a_geometric_or_harmonic_mean_of_scores_at_zero_is_refused_before_any_draw_as_the_build_refuses_it():
    """On a min–max study (scores 0–100) draws of the geometric or harmonic mean are refused up front with the
    message index.build gives for that mean, naming the node; arithmetic draws run."""
    synthetic = data_dir() / "raw" / "synthetic_panel_province_2023.csv"
    minmax = replace(load_scheme(), normalisation={"method": "minmax"})
    study = Study.build("province", synthetic, minmax)
    for mean in ("geometric", "harmonic"):
        every = replace(minmax, nodes={k: replace(n, aggregation=mean) for k, n in minmax.nodes.items()})
        with pytest.raises(DataError) as built:
            index.build(load_panel(synthetic, SCHEME), every)
        spec = Uncertainty(aggregations={"arithmetic": 0.5, mean: 0.5})
        for analysis in (monte_carlo, sobol.inputs):
            with pytest.raises(DataError, match="node '") as drawn:
                analysis(study.model(), spec)
            assert str(drawn.value) == f"aggregation {mean!r}, normalisation 'minmax': {built.value}"
    arithmetic = monte_carlo(study.model(), Uncertainty(aggregations={"arithmetic": 1.0}), n_draws=100)
    assert np.isfinite(arithmetic.score_sum).all()


def test_sorting_ranks_more_regions_than_int16_holds():
    n = 2**15 + 3
    scores = np.random.default_rng(4).permutation(n).astype(float)[None]
    scores[0, :2] = n  # a tie at the top
    r = uncertainty.ranks(scores)
    assert r.dtype == np.int32 and r[0, 0] == r[0, 1] == 1
    below = np.argsort(-scores[0], kind="stable")[2:]  # the other regions, best first: ranks 3, 4, …
    assert np.array_equal(r[0, below], np.arange(3, n + 1))
    assert uncertainty.ranks(np.empty((0, 400))).shape == (0, 400)


def many_regions(n: int = 120, seed: int = 0) -> model.Model:
    """``n`` made-up regions over three leaves, every tenth a twin of the one before (they always tie)."""
    scores = np.random.default_rng(seed).uniform(60, 100, (n, 3))
    scores[1::10] = scores[0::10]
    return one_node_model(scores, [0.5, 0.3, 0.2], [f"r{k:04d}" for k in range(n)], ("nominal", "equal"))


def test_sorted_ranks_give_the_same_result_whatever_the_workers_and_as_pairwise_comparison_does():
    """Ranked by sorting (as above PAIRWISE_REGIONS), in threads, over two blocks and many slices, twins tying:
    every field is the same for 1 or 3 workers, and the bands, outranking and histograms are those of comparing
    every pair."""
    m, n, tracked = many_regions(), BLOCK + 700, [f"r{k:04d}" for k in range(40)]
    spec = Uncertainty(concentration=30, methods={"nominal": 0.5, "equal": 0.5})
    with mock.patch.object(uncertainty, "PAIRWISE_REGIONS", 50), mock.patch.object(uncertainty, "SLICE_CELLS", 120_000):
        one, three = (monte_carlo(m, spec, n_draws=n, seed=3, workers=w, outranking=tracked) for w in (1, 3))
    for field in ("rank_low", "rank_counts", "ahead", "score_hist", "score_sum"):
        assert np.array_equal(getattr(one, field), getattr(three, field)), field
    pd.testing.assert_frame_equal(one.per_draw, three.per_draw, check_exact=True)
    pairwise = monte_carlo(m, spec, n_draws=n, seed=3, outranking=tracked)
    for field in ("rank_low", "rank_counts", "ahead", "score_hist"):
        assert np.array_equal(getattr(pairwise, field), getattr(one, field)), field
    assert one.outranking().loc["r0000", "r0001"] == 0.5


def blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in ThreadpoolController().select(user_api="blas").info()]


def test_runs_in_threads_hold_blas_to_one_thread_and_give_its_setting_back():
    """Two runs at once: BLAS uses one thread while either is on, and its own setting once both have ended."""
    before, during = blas_threads(), []
    block = uncertainty._block

    def spy(*args):
        during.append(blas_threads())
        return block(*args)

    with mock.patch.object(uncertainty, "_block", spy), ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda seed: monte_carlo(PROVINCE, n_draws=3 * BLOCK, seed=seed, workers=2), (1, 2)))
    assert during == [[1] * len(before)] * 6
    assert blas_threads() == before


def test_draws_beyond_memory_are_refused_up_front_naming_n_draws():
    with pytest.raises(ParameterError, match=r"n_draws=1000000000000: its per-draw results need 11175\.9 GiB"):
        monte_carlo(PROVINCE, n_draws=10**12)
    with mock.patch.object(uncertainty, "available_memory", return_value=None):  # not Linux: the allocation says
        with pytest.raises(ParameterError, match="n_draws=1000000000000: .* more than this process may allocate"):
            monte_carlo(PROVINCE, n_draws=10**12)


def test_ranks_of_no_region_and_a_comparison_of_no_draw_are_refused():
    for function, scores in [
        (uncertainty.ranks, np.empty((3, 0))),
        (uncertainty.ranks, np.empty((0, 0))),
        (uncertainty.compare, np.empty((0, 3))),
        (uncertainty.compare, np.empty((3, 0))),
    ]:
        with pytest.raises(ParameterError, match=r"scores needs \d draw\(s\) \(rows\) or more and one region"):
            function(scores)
    assert uncertainty.ranks(np.empty((0, 3))).shape == (0, 3)  # no draw: no ranks
