"""Uncertainty over the steps before the weights: a step model holds the rebuilt studies' scores, the Monte Carlo
draws them (and leaves components out) as the rebuilt studies score, and Sobol' gives each step its index."""

import numpy as np
import pytest

from livecommerce.analysis.sensitivity import sobol
from livecommerce.analysis.sensitivity.steps import step_model
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo, ranks
from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import ParameterError
from livecommerce.index import model
from livecommerce.index.scheme import load_scheme
from livecommerce.study.study import Study

GAPS = panel.load_panel(data_dir() / "raw" / "synthetic_panel_province_2023.csv", load_scheme())
GAPS.loc[["110000", "510000", "650000"], "mcn_count"] = np.nan
GAPS.loc[["540000", "630000"], "shop_count"] = np.nan
STUDY = Study.build("province", GAPS, missing="mean")
STEPS = {"missing": ["mean", "median", "row_mean"], "treat": {"own": None, "winsorise": "winsorise"}}
MODEL = step_model(STUDY, STEPS)


def test_a_step_model_holds_each_rebuilt_studys_scores():
    assert MODEL.variants == {"missing": ("mean", "median", "row_mean"), "treat": ("own", "winsorise")}
    assert len(MODEL.scores) == 6 and next(iter(MODEL.scores)) == "efficacy|missing=mean|treat=own"
    assert np.array_equal(MODEL.scores["efficacy|missing=mean|treat=own"], STUDY.nominal.scores["efficacy"])
    rebuilt = STUDY.rebuild(missing="median", treat="winsorise")
    assert np.array_equal(MODEL.scores["efficacy|missing=median|treat=winsorise"], rebuilt.nominal.scores["efficacy"])


def test_the_monte_carlo_draws_each_policy_as_the_rebuilt_study_ranks_it():
    spec = Uncertainty(weights=None, steps={"missing": {"mean": 0.5, "median": 0.2, "row_mean": 0.3}})
    result = monte_carlo(MODEL, spec, n_draws=4000, seed=3)
    draws = result.draws()
    assert draws["missing"].value_counts(normalize=True)["row_mean"] == pytest.approx(0.3, abs=0.03)
    expected = np.zeros((31, 31), np.int64)
    for policy, count in draws["missing"].value_counts().items():
        overall = STUDY.rebuild(missing=policy).scores["overall"].reindex(MODEL.regions).to_numpy()
        expected[np.arange(31), ranks(overall)[0] - 1] += count
    table = np.zeros((31, 31 + result.rank_counts.shape[1]), np.int64)
    table[np.arange(31)[:, None], result.rank_low[:, None] - 1 + np.arange(result.rank_counts.shape[1])] = (
        result.rank_counts
    )
    assert np.array_equal(table[:, :31], expected)


def test_a_component_left_out_of_a_draw_scores_as_the_study_rebuilt_without_it():
    spec = Uncertainty(weights=None, steps={"drop": {"none": 0.5, "anchor_gmv": 0.3, "activity": 0.2}})
    draws = monte_carlo(MODEL, spec, n_draws=500, seed=1).draws()
    scores = model.evaluate_draws(MODEL, draws.filter(like="/").to_numpy(), None, draws["normalisation"].to_numpy())
    for left_out in ("anchor_gmv", "activity"):
        rows = np.flatnonzero(draws["drop"] == left_out)
        expected = STUDY.rebuild(drop=[left_out]).scores["overall"].reindex(MODEL.regions).to_numpy()
        assert len(rows) > 50 and np.allclose(scores[rows], expected, rtol=0, atol=1e-9)
    assert (draws.loc[draws["drop"] == "activity", "people/activity"] == 0).all()


def test_each_step_has_its_own_sobol_index_and_a_step_that_changes_nothing_has_none():
    # the report's scheme treats nothing: "own" and "none" are the same treatment, winsorising changes scores
    null = step_model(STUDY, {"missing": ["mean", "median"], "treat": {"own": None, "none": "none"}})
    spec = Uncertainty(
        weights=None, steps={"missing": {"mean": 0.5, "median": 0.5}, "treat": {"own": 0.5, "none": 0.5}}
    )
    table = sobol.index_sobol(null, spec, n=64, n_resamples=0)
    assert set(table.index.get_level_values("input")) == {"missing", "treat"}
    gap = table.loc["score:510000"]  # 四川's mcn_count is imputed
    assert gap.loc["missing", "total"] > 0.5 and (table.xs("treat", level="input")[["first", "total"]] == 0).all().all()
    spec = Uncertainty(
        weights=None, steps={"treat": {"own": 0.5, "winsorise": 0.5}, "drop": {"none": 0.5, "goods": 0.5}}
    )
    table = sobol.index_sobol(MODEL, spec, n=64, n_resamples=0)
    assert table.loc[("mean_abs_shift", "treat"), "total"] > 0 and table.loc[("mean_abs_shift", "drop"), "total"] > 0


def test_bad_steps_are_named():
    with pytest.raises(ParameterError, match="'normalise' is not a step the model varies"):
        monte_carlo(MODEL, Uncertainty(steps={"normalise": {"minmax": 1.0}}), n_draws=10)
    with pytest.raises(ParameterError, match="steps: drop: 'overall' is not available"):
        monte_carlo(MODEL, Uncertainty(steps={"drop": {"overall": 1.0}}), n_draws=10)
    with pytest.raises(ParameterError, match="missing='drop'.*leaves out region"):
        step_model(STUDY, {"missing": ["mean", "drop"]})
    with pytest.raises(ParameterError, match="study must be a Study of a raw panel"):
        step_model(Study.build("province"), {"missing": ["mean"]})


def test_draws_over_steps_normalisations_and_aggregations_score_as_the_rebuilt_study():
    grouped = step_model(
        STUDY, {"missing": ["mean", "group_median:macro_region"]}, normalisations=["efficacy", "minmax"]
    )
    spec = Uncertainty(
        weights=None,
        steps={"missing": {"mean": 0.5, "group_median:macro_region": 0.5}},
        normalisations={"efficacy": 0.5, "minmax": 0.5},
        aggregations={"nominal": 0.4, "copeland": 0.3, "median": 0.3},
    )
    draws = monte_carlo(grouped, spec, n_draws=400, seed=2).draws()
    scores = model.evaluate_draws(
        grouped, draws.filter(like="/").to_numpy(), draws["aggregation"].to_numpy(), draws["normalisation"].to_numpy()
    )
    combinations = draws.groupby(["missing", "normalisation", "aggregation"]).indices
    assert len(combinations) == 12
    for (policy, key, aggregation), rows in combinations.items():
        normalisation = key.split(model.VARIANT)[0]
        rebuilt = STUDY.rebuild(
            missing=policy, normalisation=normalisation, aggregation=None if aggregation == "nominal" else aggregation
        )
        expected = rebuilt.scores["overall"].reindex(grouped.regions).to_numpy()
        assert np.allclose(scores[rows], expected, rtol=0, atol=1e-9), (policy, normalisation, aggregation)
