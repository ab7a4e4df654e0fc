"""Fuzzing every public entry point: the only acceptable outcomes are a correct result or a package error.

Each target's example count is its ``max_examples`` (``pytest --hypothesis-show-statistics`` prints what ran).
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from livecommerce.analysis.sensitivity import sobol, sweeps, uncertainty
from livecommerce.data import regions
from livecommerce.data.panel import load_panel
from livecommerce.errors import LivecommerceError
from livecommerce.index import aggregate, normalise, ranking, weights
from livecommerce.index import compose as index
from livecommerce.index.model import from_published
from livecommerce.index.scheme import load_scheme, scheme_from_dict
from livecommerce.report import runner as report

SCHEME = load_scheme()

EXTREME = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1e300, -1e300, 1e-300, -1.0]),
    st.integers(-(10**6), 10**6).map(float),
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # overflow on extreme values is the point here


def frames(min_rows=0, max_rows=8, max_cols=4, elements=EXTREME):
    return st.integers(min_rows, max_rows).flatmap(
        lambda n: st.lists(st.lists(elements, min_size=n, max_size=n), min_size=0, max_size=max_cols).map(
            lambda cols: pd.DataFrame({f"c{k}": c for k, c in enumerate(cols)}, index=[f"r{i}" for i in range(n)])
        )
    )


def accept(call):
    """Run ``call``; a package error is an acceptable outcome (returned as None), anything else propagates."""
    try:
        return call()
    except LivecommerceError:
        return None


@FUZZ
@example(frame=pd.DataFrame({"c0": [1e300, -1e300, 0.0]}), method="zscore", constant="error")
@given(
    frame=frames(),
    method=st.sampled_from([*normalise.NORMALISATIONS, "softmax"]),
    constant=st.sampled_from(["error", "midpoint"]),
)
def test_normalise(frame, method, constant):
    out = accept(lambda: normalise.normalise(frame, method, constant=constant))
    if out is not None:
        assert out.shape == frame.shape and np.isfinite(out.to_numpy()).all()
        if method == "efficacy":
            assert ((out >= 60 - 1e-9) & (out <= 100 + 1e-9)).all().all()
        if method == "zscore" and len(out) > 1:
            moving = out.columns[frame.nunique() > 1]
            assert (out[moving].mean().abs() < 1e-6).all() and np.allclose(out[moving].std(ddof=1), 1)


@FUZZ
@given(frame=frames(), method=st.sampled_from(["entropy", "critic", "coefficient_of_variation", "factor_weights"]))
def test_weights(frame, method):
    w = accept(lambda: getattr(weights, method)(frame))
    if w is not None:
        assert list(w.index) == list(frame.columns) and (w >= 0).all() and w.sum() == pytest.approx(1)


@FUZZ
@given(values=st.lists(EXTREME, min_size=0, max_size=25), max_cr=st.sampled_from([0.1, math.inf, -1.0]))
def test_ahp(values, max_cr):
    n = int(math.isqrt(len(values)))
    matrix = pd.DataFrame(np.reshape(values[: n * n], (n, n)) if n else np.empty((0, 0)))
    w = accept(lambda: weights.ahp(matrix, max_cr))
    if w is not None:
        assert (w >= 0).all() and w.sum() == pytest.approx(1)


@FUZZ
@given(
    frame=frames(min_rows=1),
    raw=st.lists(EXTREME, min_size=0, max_size=5),
    aggregation=st.sampled_from([*aggregate.AGGREGATIONS, "mode"]),
)
def test_aggregate(frame, raw, aggregation):
    w = pd.Series(raw[: frame.shape[1]], index=frame.columns[: len(raw)], dtype=float)
    out = accept(lambda: aggregate.aggregate(frame, w, aggregation))
    if out is None:
        return
    used = frame[w.index]
    if aggregation == "copeland":  # wins minus losses against the other regions
        assert (out.abs() <= len(frame) - 1).all()
    elif aggregation == "bod":
        assert ((out >= 0) & (out <= 1 + 1e-9)).all()
    elif aggregation != "mpi":  # a mean: between the smallest and the largest score
        assert (
            (out >= used.min(axis=1) - 1e-6 * used.abs().max(axis=1))
            & (out <= used.max(axis=1) + 1e-6 * used.abs().max(axis=1))
        ).all()


@FUZZ
@given(values=st.lists(EXTREME, max_size=30))
def test_rank(values):
    out = accept(lambda: ranking.rank(pd.Series(values, dtype=float)))
    if out is not None:
        assert out.isna().equals(pd.Series(values, dtype=float).isna().rename("rank"))


def trees():
    """Random scheme dicts: up to six indicators, nodes grouping them, sometimes broken on purpose."""
    leaf = st.sampled_from(["a", "b", "c", "d", "e", "f"])
    node = st.fixed_dictionaries(
        {"children": st.lists(leaf, min_size=0, max_size=4)},
        optional={
            "weights": st.one_of(
                st.sampled_from(["equal", "entropy", "pca", "vote"]), st.dictionaries(leaf, EXTREME, max_size=4)
            ),
            "aggregation": st.sampled_from(["arithmetic", "geometric", "harmonic", "max"]),
        },
    )
    indicator = st.fixed_dictionaries(
        {"unit": st.just("count"), "direction": st.sampled_from([1, -1, 0])},
        optional={
            "transform": st.sampled_from(["none", "log", "sqrt"]),
            "valid": st.lists(EXTREME, min_size=2, max_size=2),
        },
    )
    return st.fixed_dictionaries(
        {
            "nodes": st.dictionaries(st.sampled_from(["top", "mid", "low"]), node, min_size=1),
            "indicators": st.dictionaries(leaf, indicator, min_size=1),
        }
    )


@FUZZ
@given(tree=trees(), panel=frames(min_rows=1, max_rows=6, max_cols=6))
def test_scheme_and_build(tree, panel):
    scheme = accept(lambda: scheme_from_dict(tree, "fuzz.toml"))
    if scheme is None:
        return
    panel.columns = list("abcdef")[: panel.shape[1]]
    scores = accept(lambda: index.build(panel, scheme))
    if scores is not None:
        assert list(scores.columns) == scheme.preorder() and np.isfinite(scores.to_numpy()).all()


@FUZZ
@given(
    name=st.text(max_size=12),
    level=st.sampled_from([None, "province", "city", "prefecture", "county", "county:510000", "township"])
    | st.text(max_size=8),
)
def test_resolve(name, level):
    region = accept(lambda: regions.resolve(name, level))
    if region is not None:
        known = regions.regions().index.get_level_values("region_id") if level is None else regions.divisions().index
        assert region in set(known)


CITY = from_published("city")


@settings(max_examples=100, deadline=None)
@given(
    n_draws=st.integers(-5, 3000),
    concentration=EXTREME,
    spread=EXTREME,
    perturbation=st.sampled_from(["dirichlet", "uniform", None, "normal"]),
    aggregations=st.one_of(
        st.none(), st.dictionaries(st.sampled_from(["arithmetic", "geometric", "cubic"]), EXTREME, max_size=2)
    ),
)
def test_monte_carlo(n_draws, concentration, spread, perturbation, aggregations):
    spec = uncertainty.Uncertainty(
        weights=perturbation, concentration=concentration, spread=spread, aggregations=aggregations
    )
    result = accept(lambda: uncertainty.monte_carlo(CITY, spec, n_draws=n_draws, seed=0))
    if result is not None:
        assert result.rank_counts.sum() == n_draws * 15 and np.isfinite(result.summary()["mean_rank"]).all()


@FUZZ
@given(
    level=st.text(max_size=10) | st.sampled_from(["all", "province"]),
    lang=st.sampled_from(["zh", "en", "fr", ""]),
    data=st.sampled_from(["published", "", "nope.csv"]),
    n_draws=st.integers(-3, 10**6) | st.floats() | st.text(max_size=3),
    seed=st.integers(-3, 10) | st.text(max_size=3),
    missing=st.sampled_from(["error", "drop", "zero"]),
)
def test_report_parameters(level, lang, data, n_draws, seed, missing, tmp_path_factory):
    params = report.Parameters(
        level=level,
        lang=lang,
        data=data,
        n_draws=n_draws,
        seed=seed,
        missing=missing,
        output_dir=str(tmp_path_factory.getbasetemp() / "fuzz-out"),
    )
    checked = accept(lambda: report.Run.build(params).parameters)
    if checked is not None:
        assert checked.level in ("all", "province") and checked.n_draws > 0 and checked.data == "published"


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8), min_size=17, max_size=17),
    region=st.text(max_size=6) | st.sampled_from(["四川", "510000", "Sichuan", "四川省"]),
)
def test_load_panel(cells, region, tmp_path_factory):
    from livecommerce.index.impute import fill_missing
    from livecommerce.index.scheme import load_scheme

    columns = list(load_scheme().indicators)
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    pd.DataFrame([[region, *cells]], columns=["region", *columns]).to_csv(path, index=False)
    frame = accept(lambda: fill_missing(load_panel(path, SCHEME, empty=True), "drop", path))
    if frame is not None:
        assert list(frame.columns) == columns and frame.notna().all().all()


@pytest.fixture(scope="module")
def published_tables(tmp_path_factory) -> Path:
    """A copy of the published tables, whose table04.csv each example replaces (the other tables are read once)."""
    from livecommerce.data.paths import published_dir

    folder = tmp_path_factory.mktemp("published")
    for path in published_dir().glob("table*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@settings(max_examples=100, deadline=None)
@example(cell='"', column=0, row=0)  # an unbalanced quote once escaped as a pandas ParserError
@given(cell=st.text(max_size=10), column=st.integers(0, 8), row=st.integers(0, 31))
def test_published_loaders(cell, column, row, published_tables):
    from livecommerce.data.paths import published_dir
    from livecommerce.data.published import load_index

    lines = (published_dir() / "table04.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[min(row, len(lines) - 1)].split(",")
    cells[min(column, len(cells) - 1)] = cell.replace(",", "").replace("\n", "").replace("\r", "")
    lines[min(row, len(lines) - 1)] = ",".join(cells)
    changed = published_tables / "table04.new"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed.replace(published_tables / "table04.csv")  # a new file (another inode): read afresh, never a cached one
    frame = accept(lambda: load_index("province", published_tables))
    if frame is not None:
        assert len(frame) == 31 and frame["people"].between(60, 100).all()


@settings(max_examples=60, deadline=None)
@given(
    span=st.one_of(st.none(), EXTREME), steps=st.integers(-2, 60), n=st.integers(-4, 300), resamples=st.integers(-2, 30)
)
def test_sweeps_and_sobol(span, steps, n, resamples):
    table = accept(lambda: sweeps.tornado(CITY, span, steps))
    if table is not None:
        assert ((table["rank_best"] <= table["nominal_rank"]) & (table["nominal_rank"] <= table["rank_worst"])).all()
    indices = accept(lambda: sobol.index_sobol(CITY, n=n, n_resamples=resamples))
    if indices is not None:
        assert len(indices) == (1 + 2 * 15) * len(CITY.weight_labels)
