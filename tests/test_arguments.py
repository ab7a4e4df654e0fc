"""Arguments of the wrong type: every public function answers with a package error that names the argument.

Each function in :data:`CASES` is called with a valid set of arguments, then once per parameter and per value of
:data:`WRONG` with that one argument replaced. A wrong value of the same type as the valid argument is a question of
domain, not of type, and is left to the function's own tests. The call must raise a
:class:`~livecommerce.errors.LivecommerceError` (a :class:`~livecommerce.errors.ParameterError` naming the parameter),
unless the case lists the value under ``accepts``: a value the function legitimately takes, so the call must return.
Not covered here: report, cli, panel, scheme, io and tables.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from livecommerce import (  # noqa: E402
    Study,
    arguments,
    plots,
    words,  # noqa: E402
)
from livecommerce.analysis import audit, coherence  # noqa: E402
from livecommerce.analysis.sensitivity import (
    sampling,
    sobol,
    sweeps,
    uncertainty,  # noqa: E402
)
from livecommerce.data import boundaries, paths, regions, synthetic  # noqa: E402
from livecommerce.data import edition as inputs  # noqa: E402
from livecommerce.data import published as data  # noqa: E402
from livecommerce.errors import DataError, LivecommerceError, ParameterError, RegionError  # noqa: E402
from livecommerce.index import aggregate, denominate, model, normalise, ranking, recover, treat, weights  # noqa: E402
from livecommerce.index import compose as index  # noqa: E402
from livecommerce.index.scheme import load_scheme  # noqa: E402
from livecommerce.plots import layout, maps, market, sources, theme  # noqa: E402
from livecommerce.plots.sensitivity import weight_label  # noqa: E402
from livecommerce.study import compare  # noqa: E402
from livecommerce.vocab import PEOPLE_COMPONENTS  # noqa: E402

WRONG = {
    "None": lambda: None,
    "list": lambda: [1, 2],
    "text": lambda: "text",
    "float": lambda: 3.5,
    "dict": lambda: {"a": 1},
    "Series": lambda: pd.Series([1.0, 2.0]),
    "DataFrame": lambda: pd.DataFrame({"a": [1.0, 2.0]}),
    "object": object,
}
"""The wrong values, each made afresh for every call."""

# Valid arguments, made once.
FRAME = pd.DataFrame({"a": [1.0, 4.0, 2.0, 3.0], "b": [2.0, 1.0, 4.0, 5.0]}, index=["r1", "r2", "r3", "r4"])
HALVES = pd.Series({"a": 0.5, "b": 0.5})
SCORES = pd.Series({"r1": 70.0, "r2": 80.0, "r3": 75.0})
PAIRWISE = pd.DataFrame([[1.0, 3.0], [1 / 3, 1.0]], index=["a", "b"], columns=["a", "b"])
SCHEME = load_scheme()
PROVINCE = data.load_index("province")
FACTS = data.load_facts()
TRENDS = data.load_trends()
PANEL = synthetic.synthetic_panel(scheme=SCHEME).set_index("region_id").drop(columns="region")
MODEL = model.from_published("province", methods=("nominal", "equal"))
NOMINAL = MODEL.nominal
SPEC = uncertainty.Uncertainty(methods={"nominal": 0.5, "equal": 0.5})
SAMPLER = sampling.Sampler(MODEL, SPEC)
RESULT = uncertainty.monte_carlo(MODEL, n_draws=200, seed=1)
RECOVERY = recover.recover("province")
SOBOL = sobol.index_sobol(MODEL, n=2**6, n_resamples=0)
TORNADO = sweeps.tornado(MODEL, steps=3)
REGISTRY = data.regions().droplevel("level")
TABLES = {n: data.load_table(n) for n in range(1, 16)}
CHECKS = audit.run()
FIGURE = plt.figure()
STUDY = Study.build("province")
AXES = plt.figure().add_subplot()
TARGETS = PROVINCE[[id for id, node in SCHEME.nodes.items() if all(c in SCHEME.indicators for c in node.children)]]
CALIBRATED = synthetic.calibrate_scores(TARGETS, SCHEME)
COHERENCE = coherence.coherence(PROVINCE, SCHEME)
SKEWED = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100])
CITY_STUDY = Study.build("city")


def unit_cube(u: np.ndarray) -> np.ndarray:
    """A model of two unit-cube inputs and one output, for sobol_table."""
    return (u[0] + 2 * u[1])[None]


@dataclass(frozen=True)
class Case:
    """One public function: a valid call and the wrong values it legitimately accepts, by parameter."""

    function: Callable
    valid: dict = field(default_factory=dict)
    accepts: dict = field(default_factory=dict)
    """parameter -> space-separated labels of :data:`WRONG` that the function takes, and why."""
    then: Callable | None = None
    """applied to the function's result (a dataclass whose fields are checked by a method)."""

    @property
    def name(self) -> str:
        return f"{self.function.__module__.removeprefix('livecommerce.')}.{self.function.__qualname__}"

    def parameters(self) -> dict:
        """Each parameter tested, with its valid value (given, else its default)."""
        out = {}
        for name, p in inspect.signature(self.function).parameters.items():
            if name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            out[name] = self.valid[name] if name in self.valid else p.default
        return out

    def call(self, **changes):
        result = self.function(**(self.valid | changes))
        return self.then(result) if self.then else result


def check_spec(spec):
    return spec.check(MODEL)


def drawing(function, valid=None, accepts=None) -> Case:
    """A case of a function with a ``lang``: English in the valid call; None refused (no function keeps a language)."""
    return Case(function, {**(valid or {}), "lang": "en"}, accepts or {})


LABELS = {"labels": "dict Series"}  # a scheme's labels: any mapping of id to label (an unknown id is printed as it is)
ANY = " ".join(WRONG)  # a label that only words the messages takes any value
ARRAY = "list Series DataFrame"  # array-likes of numbers
NORMALISING = (
    normalise.efficacy,
    normalise.minmax,
    normalise.zscore,
    normalise.rank_score,
    normalise.percentile,
    normalise.distance_to_leader,
)

TOP5 = {n: data.load_table(n) for n in (10, 11, 12)}

CASES = [
    # aggregate
    Case(aggregate.check_weights, {"weights": HALVES}, {"what": ANY}),
    Case(aggregate.aggregate, {"scores": FRAME, "weights": HALVES}),
    # normalise: {"a": 1} is a valid direction (column a, higher is better)
    *[Case(f, {"frame": FRAME}, {"directions": "dict"}) for f in NORMALISING],
    *[Case(f, {"frame": FRAME}) for f in (normalise.log_transform, normalise.clip_quantiles, normalise.normalise)],
    # weights
    Case(weights.equal, {"indicators": ["a", "b"]}, {"indicators": "Series"}),  # a Series of names
    *[
        Case(f, {"frame": FRAME})
        for f in (weights.entropy, weights.critic, weights.coefficient_of_variation, weights.factor_weights)
    ],
    Case(weights.consistency, {"matrix": PAIRWISE}),
    Case(weights.ahp, {"matrix": PAIRWISE}),
    Case(weights.derive, {"method": "entropy", "frame": FRAME}),
    # recover
    Case(recover.fit_weights, {"frame": PROVINCE, "target": "people", "components": PEOPLE_COMPONENTS}),
    Case(recover.recover, {"level": "city"}),
    Case(recover.compare_levels),
    Case(recover.Recovery.misses, {"self": RECOVERY}),
    # ranking
    Case(ranking.rank, {"scores": SCORES}),
    Case(ranking.rank_change, {"current_rank": SCORES, "previous_rank": SCORES}),
    Case(ranking.yoy_growth, {"current": SCORES, "previous": SCORES}),
    Case(ranking.previous_year, {"index": PROVINCE}),
    Case(ranking.arrow, {"change": 2}),
    Case(ranking.year_over_year, {"current": SCORES, "previous": SCORES}),
    # regions
    Case(regions.regions),
    Case(regions.check_level, {"level": "city"}),
    Case(regions.normalise_name, {"text": "凉山州"}),
    Case(regions.resolve, {"name": "凉山州"}),
    Case(regions.display_names, {"ids": ["510000"], "lang": "en"}, {"ids": "Series"}),  # a Series of ids
    # index
    *[Case(f, {"panel": PANEL}) for f in (index.indicator_scores, index.build, index.node_weights)],
    Case(index.prepare, {"panel": PANEL}),
    # coherence
    *[
        Case(f, {"frame": PROVINCE[["activity", "sales", "influence"]]})
        for f in (coherence.cronbach_alpha, coherence.kmo, coherence.bartlett, coherence.pca, coherence.summary)
    ],
    Case(coherence.correlations, {"frame": FRAME}),
    Case(coherence.coherence, {"data": PROVINCE, "scheme": SCHEME}, {"scheme": "None"}),  # the report's scheme
    Case(coherence.Coherence.table, {"self": COHERENCE}),
    Case(denominate.denominate, {"frame": FRAME, "per": {}}),
    # treat
    *[Case(f, {"values": SKEWED.to_numpy()}, {"values": "list Series"}) for f in (treat.skewness, treat.kurtosis)],
    Case(treat.fails, {"values": SKEWED.to_numpy()}, {"values": "list Series"}),
    Case(treat.winsorise_outliers, {"column": SKEWED}),
    Case(treat.treat_column, {"column": SKEWED, "spec": {"method": "winsorise"}}),
    Case(treat.treat, {"frame": FRAME, "specs": {"a": {"method": "log"}}}),
    # model
    Case(model.evaluate, {"model": MODEL}, {"weights": "None", "normalisation": "None"}),  # None: nominal, first
    Case(model.evaluate_draws, {"model": MODEL, "weights": NOMINAL}),
    Case(model.leaf_weights, {"model": MODEL, "weights": NOMINAL[None]}),
    Case(model.from_published, {"level": "city"}),
    Case(model.from_panel, {"panel": PANEL}, {"names": "Series"}),  # the regions' display names
    Case(model.Model.node_scores, {"self": MODEL}),
    # uncertainty: None is a valid perturbation (fixed weights), spec and stop
    Case(uncertainty.Uncertainty, then=check_spec, accepts={"weights": "None"}),
    Case(uncertainty.Uncertainty.check, {"self": SPEC, "model": MODEL}),
    # sampling
    Case(sampling.as_uncertainty, {"spec": SPEC}, {"spec": "None"}),
    Case(sampling.Sampler, {"model": MODEL, "spec": SPEC}, {"spec": "None"}),
    Case(sampling.Sampler.draw, {"self": SAMPLER, "rng": np.random.default_rng(0), "size": 4}),
    Case(sampling.Sampler.from_unit, {"self": SAMPLER, "u": np.full((len(SAMPLER.inputs), 4), 0.5)}),
    Case(uncertainty.draw_block, {"model": MODEL, "spec": SPEC, "seed": 0, "block": 0}, {"spec": "None"}),
    Case(uncertainty.column_reduce, {"ufunc": np.add, "values": np.ones((100, 3))}, {"values": "DataFrame"}),
    Case(uncertainty.compare, {"scores": np.eye(3)}, {"scores": "DataFrame"}),
    Case(uncertainty.ranks, {"scores": np.eye(3)}, {"scores": ARRAY}),
    Case(uncertainty.monte_carlo, {"model": MODEL, "n_draws": 100}),
    Case(uncertainty.method_rankings, {"model": MODEL}),
    Case(uncertainty.Result.draws, {"self": RESULT, "stop": 5}, {"stop": "None"}),
    # sobol
    Case(
        sobol.sobol_table,
        {"func": unit_cube, "inputs": ["x", "y"], "outputs": ["z"], "n": 2**6, "n_resamples": 0},
        {"inputs": "Series"},
    ),  # a Series of two names
    Case(sobol.evaluations, {"func": unit_cube, "d": 2, "n": 8}),
    Case(sobol.indices, {"f_A": np.eye(2, 8), "f_B": np.eye(2, 8)[::-1], "f_AB": np.ones((3, 2, 8)), "n_resamples": 3}),
    Case(sobol.peak_bytes, {"n_regions": 31, "n": 4096, "n_inputs": 7}),
    Case(sobol.sample_size, {"n_draws": 1000, "n_inputs": 3}),
    Case(sobol.inputs, {"model": MODEL, "spec": SPEC}, {"spec": "None"}),
    Case(sobol.index_sobol, {"model": MODEL, "n": 2**6, "n_resamples": 0}),
    # sweeps
    Case(sweeps.moved, {"model": MODEL, "position": 0, "values": np.array([0.2, 0.4])}, {"values": "list Series"}),
    Case(sweeps.tornado, {"model": MODEL, "steps": 3}, {"span": "None"}),  # None: the whole of [0, 1]
    Case(sweeps.switching_points, {"model": MODEL}),
    Case(model.effective_weights, {"model": MODEL}),
    Case(sweeps.importance, {"model": MODEL}),
    Case(sweeps.fixed_rank, {"table": TORNADO, "region": MODEL.regions[0]}),
    # audit
    Case(audit.check_rank_changes, {"index": PROVINCE, "level": "province"}),
    Case(
        audit.check_bounds,
        {"index": PROVINCE, "level": "province", "target": "people", "components": PEOPLE_COMPONENTS},
    ),
    Case(
        audit.check_claims,
        {"claims": data.load_claims(), "tables": TABLES, "registry": REGISTRY[~REGISTRY.index.duplicated()]},
    ),
    Case(audit.check_facts, {"facts": FACTS}),
    Case(audit.run),
    Case(audit.summary, {"checks": CHECKS}),
    Case(audit.check_edition, {"studies": {"city": CITY_STUDY}}),
    # data: a folder that does not exist is a DataError naming the file
    Case(data.table_path, {"number": 4}, {"folder": "text"}),  # a path, which need not exist yet
    Case(data.load_table, {"number": 4}),
    Case(data.load_index, {"level": "city"}),
    Case(data.check_shared_regions),
    Case(data.load_facts),
    Case(data.chapter_facts, {"facts": FACTS, "chapter": "一"}),
    Case(data.load_claims),
    Case(data.load_trends),
    # synthetic: the scheme is a Scheme object (the data layer reads no scheme file)
    Case(synthetic.calibrate_scores, {"targets": TARGETS, "scheme": SCHEME}, {"steady": "list Series"}),
    Case(synthetic.reachable_targets, {"targets": TARGETS, "scheme": SCHEME}),
    Case(synthetic.unreachable, {"level": "city", "scheme": SCHEME}),
    Case(synthetic.grown, {"panel": PANEL, "level": "province", "scheme": SCHEME}),
    Case(synthetic.synthetic_top5),
    Case(synthetic.write_synthetic_edition, {"folder": "edition", "scheme": SCHEME}),
    # inputs: the scheme is a Scheme object
    Case(inputs.load_inputs, {"path": str(paths.data_dir() / "examples" / "synthetic_edition_2024"), "scheme": SCHEME}),
    Case(inputs.write_inputs_template, {"path": "edition.xlsx", "scheme": SCHEME}),
    Case(inputs.previous_tables, {"folder": "run", "level": "city"}),
    Case(compare.load_previous, {"previous": "published", "level": "city"}),
    Case(compare.compare_editions, {"current": CITY_STUDY, "previous": "published"}, {"decimals": "None"}),
    Case(Study.compare, {"self": CITY_STUDY, "previous": CITY_STUDY}, {"decimals": "None"}),
    Case(Study.table, {"self": STUDY, "number": 1}),
    Case(Study.node_weights, {"self": STUDY, "node": "people"}),
    Case(Study.against_published, {"self": STUDY}),
    Case(model.with_methods, {"model": MODEL, "methods": ["nominal"]}),
    Case(inputs.check_levels_agree, {"panels": {"province": PANEL}}, {"files": "None dict"}),  # None: no files named
    Case(synthetic.to_raw, {"scores": CALIBRATED, "scheme": SCHEME}),
    Case(synthetic.synthetic_panel, {"scheme": SCHEME}),
    Case(synthetic.write_synthetic_panel, {"path": "panel.csv", "scheme": SCHEME}),
    # helpers
    Case(arguments.numeric_frame, {"frame": FRAME, "what": "test"}, {"what": ANY}),
    Case(paths.installed_file, {"distribution": "mplfonts", "relative": theme.FONT_FILE}),
    drawing(words.check_lang),
    drawing(words.text, {"key": "score"}),
    drawing(words.measure, {"name": "people"}),
    drawing(words.choice_name, {"names": words.METHOD_NAMES, "key": "entropy"}),
    drawing(weight_label, {"label": "people/sales"}, LABELS),
    drawing(words.period, {"value": "2023-01 to 2023-10"}),
    Case(theme.wrap, {"label": "来源：本报告计算", "width": 10}),
    drawing(sources.sources_text, {"sources": ["a", "b"]}),
    drawing(sources.report_source, {"where": "表1"}),
    drawing(sources.table_source, {"numbers": [1, 4]}),
    drawing(sources.figure_source, {"number": 1}),
    drawing(sources.computed, {"settings": "n = 10"}),
    Case(theme.rows_height, {"n": 31}),
    Case(theme.figure, {"height": 2.0}),
    Case(theme.axes, {"ax": AXES, "height": 2.0}, {"ax": "None"}),
    Case(layout.spread, {"targets": np.array([1.0, 1.5, 4.0]), "gap": 1.0}, {"targets": "list Series"}),
    Case(
        layout.place,
        {"ax": AXES, "points": np.array([[0.5, 0.5]]), "labels": ["a"]},
        {"fontsize": "float", "beside": "float"},
    ),
    drawing(words.caption, {"key": "ranked", "level": "province"}),
    drawing(sources.settings, {"keys": "sweep"}),
    drawing(sources.study_source, {"study": STUDY, "numbers": 1}),
    drawing(market.fact_label, {"measure": "live-commerce sales (直播电商交易额)"}),
    drawing(market.fact_sources, {"facts": FACTS, "ids": ["F13"]}, {"ids": "None"}),
    # plots
    Case(plots.set_theme),
    drawing(plots.choropleth, {"values": PROVINCE["overall"]}, {"label": "text", "vmin": "float"}),
    drawing(maps.no_map, {"ids": ["AUT"]}, {"ids": "list Series", "boundaries": "dict Series"}),  # ids with one
    Case(boundaries.boundary_rings, {"file": "administrative/amap/land/110000.geojson"}),
    Case(boundaries.boundary_file, {"region_id": "110000"}),
    drawing(plots.fact_bars, {"facts": FACTS, "ids": market.MARKET_FACTS}),
    drawing(plots.share_of_online_retail, {"facts": FACTS}),
    *[
        drawing(f, {"index": PROVINCE})
        for f in (plots.heatmap, plots.scatter, plots.correlation, plots.ranked, plots.slope, plots.growth)
    ],
    drawing(
        plots.contributions,
        {"index": PROVINCE, "weights": pd.Series({"activity": 0.17, "sales": 0.65, "influence": 0.18})},
    ),
    Case(plots.save, {"fig": FIGURE, "name": "f", "formats": ("png",)}),
    drawing(plots.recovered_weights, {"fits": {"province": RECOVERY}}),
    drawing(plots.rank_intervals, {"summary": RESULT.summary()}),
    drawing(plots.outranking, {"probabilities": RESULT.outranking()}),
    drawing(plots.sobol_bars, {"table": SOBOL}, LABELS),
    drawing(plots.tornado, {"table": TORNADO, "region": MODEL.regions[0], "scope": "S"}, LABELS | {"scope": "None"}),
    Case(plots.tornado_note, {"table": TORNADO, "region": MODEL.regions[0], "scope": "S"}, {"scope": "None"}),
    drawing(plots.importance, {"table": sweeps.importance(MODEL)}, LABELS),
    drawing(plots.top5, {"tables": TOP5}),
    drawing(plots.dual_centre, {"trends": TRENDS}),
    drawing(plots.coherence, {"result": COHERENCE}),
    drawing(
        plots.framework,
        {"scheme": SCHEME, "weights": {"people": {"sales": 1, "activity": 0, "influence": 0}}},
        {"weights": "None"},
    ),
    drawing(plots.distribution, {"frame": FRAME, "labels": {"a": "A", "b": "B"}, "focus": "r1"}, {"focus": "None"}),
]


def wrong_calls() -> list:
    """Every (case, parameter, wrong value) whose value differs in type from the valid argument."""
    calls = []
    for case in CASES:
        for parameter, valid in case.parameters().items():
            accepted = case.accepts.get(parameter, "").split()
            for label, make in WRONG.items():
                if type(make()) is not type(valid):
                    calls.append(
                        pytest.param(case, parameter, label, label in accepted, id=f"{case.name}-{parameter}-{label}")
                    )
    return calls


@pytest.fixture(autouse=True)
def scratch(tmp_path, monkeypatch):
    """Run in a scratch folder (functions that write take relative paths) and close every figure drawn."""
    monkeypatch.chdir(tmp_path)
    yield
    plt.close("all")


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("case, parameter, label, accepted", wrong_calls())
def test_a_wrong_type_is_a_package_error_naming_the_argument(case, parameter, label, accepted):
    value = WRONG[label]()
    if accepted:
        case.call(**{parameter: value})
        return
    with pytest.raises(LivecommerceError) as caught:
        case.call(**{parameter: value})
    if isinstance(caught.value, ParameterError):
        assert re.search(rf"\b{parameter}\b", str(caught.value)), f"the message does not name {parameter!r}"


@pytest.mark.parametrize(
    "call",
    [
        lambda frame: normalise.normalise(frame),
        lambda frame: weights.derive("entropy", frame),
        lambda frame: coherence.correlations(frame),
        lambda frame: aggregate.aggregate(frame, HALVES),
    ],
    ids=["normalise", "weights", "coherence", "aggregate"],
)
def test_a_region_given_twice_is_refused_naming_it(call):
    twice = FRAME.rename(index={"r3": "r1", "r4": "r2"})
    with pytest.raises(DataError, match="region r1, r2 appears more than once"):
        call(twice)  # scored twice, and weighed twice, before


def test_each_runs_every_check_and_names_every_fault_at_once():
    assert arguments.each(a=lambda: 1, b=lambda: "x") == {"a": 1, "b": "x"}
    ran = []

    def fault(name, error=ParameterError):
        ran.append(name)
        raise error(f"{name} is wrong")

    with pytest.raises(ParameterError, match="^a is wrong; b is wrong; c is wrong$"):
        arguments.each(
            a=lambda: fault("a"),
            ok=lambda: ran.append("ok"),
            b=lambda: fault("b", RegionError),
            c=lambda: fault("c", DataError),
        )
    assert ran == ["a", "ok", "b", "c"]
    with pytest.raises(RegionError, match="^d is wrong$"):  # one fault: as it was raised
        arguments.each(ok=lambda: 1, d=lambda: fault("d", RegionError))
    with pytest.raises(ZeroDivisionError):  # not a wrong value but a bug: at once
        arguments.each(e=lambda: 1 / 0, f=lambda: fault("f"))
    assert ran == ["a", "ok", "b", "c", "d"]
