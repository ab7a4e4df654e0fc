"""A study rebuilt with some choices changed (Study.rebuild, index.edit): unchanged, it equals the original; changed,
it equals a study built from the start with those choices."""

import re
import tomllib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError, SchemeError
from livecommerce.index.aggregate import AGGREGATIONS
from livecommerce.index.normalise import NORMALISATIONS
from livecommerce.index.scheme import load_scheme, scheme_from_dict
from livecommerce.index.treat import TREATMENTS
from livecommerce.study.study import Study

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"
SCHEME = load_scheme()
STUDY = Study.build("province", SYNTHETIC)
FULL = panel.load_panel(SYNTHETIC, SCHEME)
GAPS = FULL.copy()
GAPS.loc[["110000", "510000"], "mcn_count"] = np.nan
GAPS.loc["540000", "shop_count"] = np.nan
WITH_GAPS = Study.build("province", GAPS, missing="mean")


def _scheme(change) -> object:
    """The report's scheme, its raw table changed by ``change``."""
    raw = tomllib.loads((data_dir() / "schemes" / "report2023.toml").read_text(encoding="utf-8"))
    change(raw)
    return scheme_from_dict(raw, "changed.toml")


def _same(a: Study, b: Study) -> None:
    pd.testing.assert_frame_equal(a.scores, b.scores, check_exact=True)
    pd.testing.assert_frame_equal(a.weights, b.weights, check_exact=True)
    pd.testing.assert_frame_equal(a.inputs, b.inputs, check_exact=True)
    assert a.log == b.log and a.parameters == b.parameters and a.source == b.source
    for normalisation, scores in a.nominal.scores.items():
        assert np.array_equal(scores, b.nominal.scores[normalisation])


@pytest.mark.parametrize("study", [STUDY, WITH_GAPS], ids=["file", "frame with gaps"])
def test_a_rebuild_with_no_change_equals_the_study(study):
    rebuilt = study.rebuild()
    _same(rebuilt, study)
    pd.testing.assert_frame_equal(rebuilt.raw, study.raw, check_exact=True)
    assert rebuilt.scheme.indicators == study.scheme.indicators
    assert all(rebuilt.scheme.nodes[id] is node for id, node in study.scheme.nodes.items())


def test_a_rebuilt_treatment_equals_a_scheme_that_declares_it():
    def winsorise(raw):
        raw["treatment"] = {"method": "winsorise", "skew": 0.5, "kurtosis": 0.0}

    rebuilt = STUDY.rebuild(treat={"method": "winsorise", "skew": 0.5, "kurtosis": 0.0})
    built = Study.build("province", SYNTHETIC, _scheme(winsorise))
    pd.testing.assert_frame_equal(rebuilt.scores, built.scores, check_exact=True)
    assert rebuilt.log[4] == built.log[4] and rebuilt.log[4]["points"]  # something was treated
    assert not rebuilt.scores["overall"].equals(STUDY.scores["overall"])


def test_an_indicator_left_out_equals_a_scheme_without_it():
    def without(raw):
        del raw["indicators"]["anchor_gmv"]
        raw["nodes"]["sales"]["children"] = ["anchor_reputation"]

    rebuilt = STUDY.rebuild(drop=["anchor_gmv"])
    built = Study.build("province", FULL.drop(columns="anchor_gmv"), _scheme(without))
    assert "anchor_gmv" not in rebuilt.scores and rebuilt.node_weights("sales").to_dict() == {"anchor_reputation": 1}
    pd.testing.assert_frame_equal(rebuilt.scores, built.scores, check_exact=True)
    pd.testing.assert_frame_equal(rebuilt.weights, built.weights, check_exact=True)


def test_a_node_left_out_goes_with_its_indicators_and_its_siblings_weights_are_rescaled():
    def without(raw):
        for id in raw["nodes"].pop("activity")["children"]:
            del raw["indicators"][id]
        raw["nodes"]["people"]["weights"] = {"sales": 0.65 / 0.83, "influence": 0.18 / 0.83}

    rebuilt = STUDY.rebuild(drop=["activity"])
    built = Study.build("province", FULL.drop(columns=["anchor_count", "session_count", "mcn_count"]), _scheme(without))
    assert {"activity", "anchor_count", "mcn_count"}.isdisjoint(rebuilt.scores)
    assert rebuilt.node_weights("people").to_numpy() == pytest.approx([0.65 / 0.83, 0.18 / 0.83], abs=1e-15)
    assert rebuilt.scores["overall"].to_numpy() == pytest.approx(built.scores["overall"].to_numpy(), abs=1e-12)


def test_a_rebuilt_imputation_and_normalisation_equal_a_study_built_with_them():
    rebuilt = WITH_GAPS.rebuild(missing="median", normalisation="minmax")
    built = Study.build("province", GAPS, _scheme(lambda raw: raw.update(normalisation={"method": "minmax"})), "median")
    _same(rebuilt, built.__class__(**{**built.__dict__, "parameters": rebuilt.parameters}))
    assert (
        rebuilt.log[1]["policy"] == "median"
        and rebuilt.inputs.loc["540000", "shop_count"] == GAPS["shop_count"].median()
    )


def test_rebuild_names_every_problem_at_once():
    with pytest.raises(ParameterError, match=r"treat: anchor_gmv: method 'trim'.*drop: 'nothing' is not.*'cubic'"):
        STUDY.rebuild(treat={"anchor_gmv": "trim"}, drop=["nothing"], normalisation="cubic")
    with pytest.raises(ParameterError, match="node 'sales' would have no child left"):
        STUDY.rebuild(drop=["anchor_gmv", "anchor_reputation"])
    with pytest.raises(ParameterError, match="empty cells"):
        WITH_GAPS.rebuild(missing="error")
    with pytest.raises(ParameterError, match="denominators: 'x' is not an indicator"):
        STUDY.rebuild(denominators={"x": None})
    with pytest.raises(ParameterError, match="rebuild needs a study of a raw panel"):
        Study.build("province").rebuild()


@settings(max_examples=8, deadline=None)
@given(
    st.sampled_from(list(NORMALISATIONS)),
    st.dictionaries(
        st.sampled_from(["anchor_gmv", "shop_sales", "view_count"]), st.sampled_from(TREATMENTS), max_size=2
    ),
)
def test_any_normalisation_and_treatments_by_indicator_equal_a_scheme_that_declares_them(normalisation, treatments):
    def declared(raw):
        raw["normalisation"] = {"method": normalisation}
        for id, method in treatments.items():
            raw["indicators"][id]["treatment"] = {"method": method, "skew": 0.5, "kurtosis": 0.0}

    given = {id: {"method": method, "skew": 0.5, "kurtosis": 0.0} for id, method in treatments.items()}
    try:
        scheme = _scheme(declared)
    except SchemeError as exc:  # e.g. goalposts, each indicator's own: the rebuild refuses it with the same words
        with pytest.raises(ParameterError, match=re.escape(str(exc).removeprefix("changed.toml: "))):
            STUDY.rebuild(treat=given or None, normalisation=normalisation)
        return
    try:
        built = Study.build("province", SYNTHETIC, scheme)
    except DataError as exc:  # e.g. distance to the leader of a log-treated column: the rebuild says the same
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            STUDY.rebuild(treat=given or None, normalisation=normalisation)
        return
    rebuilt = STUDY.rebuild(treat=given or None, normalisation=normalisation)
    pd.testing.assert_frame_equal(rebuilt.scores, built.scores, check_exact=True)
    assert rebuilt.log[4] == built.log[4] and rebuilt.log[5]["method"] == normalisation  # as logged


@settings(max_examples=4, deadline=None)
@given(st.sampled_from(AGGREGATIONS), st.sampled_from([None, "people", "sales"]))
def test_a_rebuilt_aggregation_equals_a_scheme_that_declares_it(aggregation, node):
    def declared(raw):
        for id in [node] if node else raw["nodes"]:
            raw["nodes"][id]["aggregation"] = aggregation

    rebuilt = STUDY.rebuild(aggregation=aggregation if node is None else {node: aggregation})
    built = Study.build("province", SYNTHETIC, _scheme(declared))
    pd.testing.assert_frame_equal(rebuilt.scores, built.scores, check_exact=True)
    pd.testing.assert_frame_equal(rebuilt.weights, built.weights, check_exact=True)
    assert rebuilt.log[2:] == built.log[2:]  # every step after the data and the source, the aggregation as logged


def test_a_rebuilt_aggregation_takes_options_and_names_every_problem():
    rebuilt = STUDY.rebuild(aggregation={"people": {"method": "generalised", "p": 0.5}})
    assert rebuilt.scheme.nodes["people"].options == {"p": 0.5} and rebuilt.scheme.nodes["people"].aggregation == (
        "generalised"
    )
    assert not rebuilt.scores["people"].equals(STUDY.scores["people"])
    with pytest.raises(ParameterError, match=r"(?=.*'nowhere' is not a node)(?=.*aggregation 'cubic' is not one of)"):
        STUDY.rebuild(aggregation={"people": "cubic", "nowhere": "median"})
