"""A study is built once and carries every choice: scores, weights by name, tables, profiles, comparisons."""

import tomllib

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.data.published import load_index, load_table
from livecommerce.errors import DataError, LivecommerceError, ParameterError, RegionError
from livecommerce.index import compose as index
from livecommerce.index import weights
from livecommerce.index.aggregate import AGGREGATIONS
from livecommerce.index.normalise import NORMALISATIONS, REQUIRED
from livecommerce.index.ranking import rank
from livecommerce.index.scheme import load_scheme, scheme_from_dict
from livecommerce.index.weights import DERIVED
from livecommerce.study import compare
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES, LEVELS

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


@pytest.fixture(scope="module")
def published():
    return {level: Study.build(level) for level in LEVELS}


SCHEME = load_scheme()


def test_published_studies_give_the_report_tables_as_printed(published):
    for level, study in published.items():
        for number in INDEX_TABLES[level]:
            pd.testing.assert_frame_equal(study.table(number), load_table(number))
        frame, expected = study.frame(), load_index(level)
        assert set(frame.columns) == set(expected.columns) and list(frame.index) == list(expected.index)
        pd.testing.assert_frame_equal(frame[expected.columns], expected, check_dtype=False)


def test_weights_are_given_by_name_in_any_order(published):
    study = published["province"]
    ordered = study.reweight({"people": {"activity": 0.2, "sales": 0.5, "influence": 0.3}})
    shuffled = study.reweight({"people": pd.Series({"influence": 0.3, "activity": 0.2, "sales": 0.5})})
    pd.testing.assert_frame_equal(ordered.scores, shuffled.scores)
    components = study.scores[["activity", "sales", "influence"]]
    assert np.allclose(ordered.scores["people"], components @ np.array([0.2, 0.5, 0.3]))
    assert ordered.node_weights("people").to_dict() == {"activity": 0.2, "sales": 0.5, "influence": 0.3}
    assert ordered.log[-1]["step"] == "reweight" and set(ordered.weights["method"]) == {"fixed", "reweighted"}
    for bad, message in [
        ({"peeple": {"activity": 1}}, "'peeple' is not a node"),
        ({"people": {"activity": 0.5, "sales": 0.5}}, "needs a weight for each of its children"),
        ({"people": {"activity": 0.5, "sales": 0.3, "reach": 0.2}}, "needs a weight for each"),
        ({"people": {"activity": 0.5, "sales": 0.5, "influence": 0.5}}, "sum to 1.5"),
        ({"people": [0.2, 0.5, 0.3]}, "by name"),
    ]:
        with pytest.raises(ParameterError, match=message):
            study.reweight(bad)


def test_a_raw_study_equals_the_build_and_records_its_steps():
    study = Study.build("province", SYNTHETIC)
    built = index.build(panel.load_panel(SYNTHETIC, SCHEME))
    assert np.allclose(study.scores[built.columns], built, atol=1e-9)
    used = index.node_weights(panel.load_panel(SYNTHETIC, SCHEME))
    key = ["node", "child"]
    pd.testing.assert_frame_equal(  # one table, the build's and the study's: weight, method and AHP's CR
        used.sort_values(key, ignore_index=True), study.weights.sort_values(key, ignore_index=True), atol=1e-9
    )
    steps = ["data", "missing", "denominate", "transform", "treat", "normalise", "weights", "aggregate"]
    assert [entry["step"] for entry in study.log] == steps
    assert study.log[2] == {"step": "denominate", "indicators": {}, "denominators": {}}
    assert study.log[3]["indicators"]["anchor_count"] == "log" and study.log[3]["indicators"]["service_score"] == "none"
    assert study.log[4] == {"step": "treat", "treatments": {}, "points": []}  # the report's scheme treats nothing
    assert study.log[-2]["nodes"]["overall"] == {"method": "fixed"} and study.weights["cr"].isna().all()
    assert study.log[-1] == {
        "step": "aggregate",
        "nodes": {n: "arithmetic" for n in study.scheme.preorder()[::-1] if n in study.scheme.nodes},
    }
    assert study.log[0]["encoding"] == "utf-8" and study.table(1)["overall"].equals(study.table(1)["overall"].round(2))


def _report_scheme(normalisation: dict, aggregations: dict, methods: dict | None = None):
    """The report's scheme with another ``[normalisation]``, and other aggregations and weighting methods by node."""
    raw = tomllib.loads((data_dir() / "schemes" / "report2023.toml").read_text(encoding="utf-8"))
    raw["normalisation"] = normalisation
    for id, node in raw["nodes"].items():
        node["aggregation"] = aggregations.get(id, node.get("aggregation", "arithmetic"))
        if id in (methods or {}):
            node["weights"] = methods[id]
    return scheme_from_dict(raw, "drawn.toml")


def _outcome(call):
    """What ``call`` gives: its result, or the package error it raised (type and message)."""
    try:
        return call()
    except LivecommerceError as exc:
        return type(exc), str(exc)


@st.composite
def _panels(draw):
    """Some provinces of the bundled panel, each value scaled by a random factor from ``low`` to 1 (within the
    valid ranges; low = 1 keeps the values)."""
    base = panel.load_panel(SYNTHETIC, SCHEME)
    ids = draw(st.lists(st.sampled_from(list(base.index)), min_size=3, max_size=len(base), unique=True))
    low, seed = draw(st.sampled_from([0.01, 0.5, 1.0])), draw(st.integers(0, 2**32 - 1))
    return base.loc[ids] * np.random.default_rng(seed).uniform(low, 1, (len(ids), base.shape[1]))


_LOWER = ("activity", "sales", "influence", "goods", "venue")


@settings(max_examples=40, deadline=None)
@given(
    data=_panels(),
    normalisation=st.sampled_from([m for m in NORMALISATIONS if not REQUIRED[m]]),  # posts etc.: test_methods
    # all arithmetic as often as any mix: outside 60–100 a geometric or harmonic node is refused (a score of 0)
    aggregations=st.one_of(
        st.just(dict.fromkeys(("overall", "people", *_LOWER), "arithmetic")),
        st.fixed_dictionaries({n: st.sampled_from(AGGREGATIONS) for n in ("overall", "people", *_LOWER)}),
    ),
    methods=st.fixed_dictionaries({n: st.sampled_from(["equal", *DERIVED]) for n in _LOWER}),
)
def test_a_raw_study_scores_what_the_build_scores_under_every_scheme_choice(data, normalisation, aggregations, methods):
    scheme = _report_scheme({"method": normalisation}, aggregations, methods)
    built = _outcome(lambda: index.build(data, scheme))
    study = _outcome(lambda: Study.build("province", data, scheme))
    event(f"{normalisation}: {'refused' if isinstance(built, tuple) else 'scored'}")
    if isinstance(built, tuple):  # refused: the study refuses it too, with the same error
        assert study == built
        return
    pd.testing.assert_frame_equal(study.scores[built.columns], built, check_exact=True)
    log = {entry["step"]: entry for entry in study.log}
    assert log["normalise"] == {"step": "normalise", **scheme.normalisation}
    assert log["aggregate"]["nodes"] == {id: node.aggregation for id, node in scheme.nodes.items()}
    assert {n: e["method"] for n, e in log["weights"]["nodes"].items()} == {
        id: node.method or "fixed" for id, node in scheme.nodes.items()
    }


def test_a_raw_study_normalises_as_its_scheme_says():
    minmax = _report_scheme({"method": "minmax"}, {})
    study, built = Study.build("province", SYNTHETIC, minmax), index.build(panel.load_panel(SYNTHETIC, SCHEME), minmax)
    assert (study.scores["overall"].min().round(2), study.scores["overall"].max().round(2)) == (
        20.37,
        96.18,
    )  # 68.15–98.47 before: rescaled 60–100
    assert study.scores["overall"].equals(built["overall"])
    assert (
        study.scores[list(minmax.indicators)].min().min() == 0
        and study.scores[list(minmax.indicators)].max().max() == 100
    )
    geometric = _report_scheme({"method": "zscore"}, {"overall": "geometric"})
    with pytest.raises(DataError, match="node 'overall'.*the geometric mean needs positive scores"):
        Study.build("province", SYNTHETIC, geometric)


def test_a_frame_of_raw_indicators_with_a_gap_is_imputed_and_logged():
    frame = panel.load_panel(SYNTHETIC, SCHEME)
    frame.loc["510000", "anchor_count"] = np.nan
    study = Study.build("province", frame, missing="median")
    assert study.log[1] == {
        "step": "missing",
        "policy": "median",
        "cells": [("510000", "anchor_count")],
        "dropped": [],
        "imputed_share": {"510000": 1 / 17},
        "coverage": {"threshold": 0.0, "action": "flag", "regions": {}},
        "available": {"510000": 16 / 17},
    }
    assert study.inputs.loc["510000", "anchor_count"] == frame["anchor_count"].median()
    with pytest.raises(ParameterError, match="missing='zero'"):
        Study.build("province", frame, missing="zero")


@settings(max_examples=25, deadline=None)
@given(level=st.sampled_from(LEVELS), k=st.integers(0, 14))
def test_a_profile_agrees_with_ranks_computed_directly(published, level, k):
    study = published[level]
    region = study.regions[k % len(study.regions)]
    profile = study.profile(region).nodes
    for node, row in profile.iterrows():
        assert row["score"] == study.scores.at[region, node]
        assert row["rank"] == rank(study.scores[node])[region]
    assert profile.loc["people", "parent"] == "overall" and profile.loc["sales", "weight"] == pytest.approx(0.65)
    assert study.profile(study.frame().at[region, "name_zh"]).nodes.equals(profile)  # by name as by code


def test_a_profile_of_an_unknown_region_is_refused(published):
    with pytest.raises(RegionError):
        published["province"].profile("Atlantis")


def test_year_on_year_follows_the_report_definitions(published):
    now = Study.build("province", SYNTHETIC)
    before = published["province"]
    table = now.compare(before)
    assert np.allclose(table["growth"], table["value"] / table["previous"] - 1)
    assert (table["rank_change"] == table["previous_rank"] - table["rank"]).all()
    same = before.compare(before)
    assert (same["growth"] == 0).all() and (same["rank_change"] == 0).all()
    with pytest.raises(ParameterError, match="previous is a study of level 'city', not 'province'"):
        now.compare(published["city"])
    with pytest.raises(ParameterError, match="measure='activity' is not one of overall, people, goods, venue"):
        now.compare(before, "activity")


def test_year_on_year_compares_the_values_as_printed_one_rule_for_studies_and_editions(published):
    """Study.compare, the tables' growth and rank change (Study.since) and inputs.compare_editions round both
    editions' values to two decimals before comparing, so that growth and arrows agree with what is printed."""
    now = Study.build("province", SYNTHETIC)
    before = published["province"].scores[["overall", "people"]] + 0.004  # printed the same as without
    table = now.compare(before)
    assert (table["value"] == now.scores["overall"].round(2).reindex(table.index)).all()
    assert (table["previous"] == before["overall"].round(2).reindex(table.index)).all()
    raw = now.compare(before, decimals=None)
    assert (raw["previous"] == before["overall"].reindex(raw.index)).all()
    edition = compare.compare_editions(now, published["province"])
    pd.testing.assert_frame_equal(edition["overall"], now.compare(published["province"]))
    pd.testing.assert_frame_equal(edition["people"], now.compare(published["province"], "people"))
    printed = now.since(before).table(1).set_index("region_id")
    assert (printed["rank_change"] == table["rank_change"].reindex(printed.index)).all()
    assert np.allclose(printed["yoy_growth"], table["growth"].reindex(printed.index))


def test_a_scheme_makes_the_published_overall_its_own(published):
    study = Study.build("province", scheme=data_dir() / "schemes" / "report2023.toml")
    assert not study.table(1).equals(load_table(1)) and study.table(7).equals(load_table(7))
    assert study.log[:1] == published["province"].log[:1] and study.log[1]["step"] == "weights"


def test_an_ahp_node_gives_its_weights_and_consistency_ratio_to_the_log(tmp_path):
    matrix = [[1, 2, 3], [0.5, 1, 2], [1 / 3, 0.5, 1]]
    text = (
        (data_dir() / "schemes" / "report2023.toml")
        .read_text(encoding="utf-8")
        .replace(
            "weights = { people = 0.533, goods = 0.264, venue = 0.203 }",
            f'weights = "ahp"\nchildren = ["people", "goods", "venue"]\nahp = {matrix}',
        )
    )
    path = tmp_path / "judged.toml"
    path.write_text(text, encoding="utf-8")
    study = Study.build("province", SYNTHETIC, scheme=path)
    judged = pd.DataFrame(matrix, index=["people", "goods", "venue"], columns=["people", "goods", "venue"])
    cr = weights.consistency(judged)["cr"]
    entry = study.log[-2]
    assert entry["step"] == "weights" and entry["nodes"]["overall"]["method"] == "ahp"
    assert entry["nodes"]["overall"]["cr"] == pytest.approx(cr, abs=1e-12) and "cr" not in entry["nodes"]["people"]
    overall = study.weights[study.weights["node"] == "overall"]
    assert overall["weight"].to_numpy() == pytest.approx(weights.ahp(judged).to_numpy(), abs=1e-9)
    assert overall["cr"].to_numpy() == pytest.approx([cr] * 3, abs=1e-12)


def test_the_model_at_the_centre_of_the_analyses_is_compared_with_the_report(published):
    for level, study in published.items():
        gap = study.against_published()
        model = study.nominal.node_scores()["overall"]
        assert (gap["published"] == load_index(level)["overall"].loc[gap.index]).all()
        assert (gap["model_rank"] == rank(model).loc[gap.index]).all()
        assert gap["moved"].tolist() == (gap["model_rank"] != gap["published_rank"]).tolist()
        assert gap["published_rank"].is_monotonic_increasing
    province = published["province"].against_published()
    assert province.loc["510000", ["published_rank", "model_rank"]].tolist() == [8, 9]
    people = published["province"].against_published("people")
    assert people.loc["510000", "published_rank"] == load_index("province").loc["510000", "people_rank"]
    with pytest.raises(ParameterError, match="measure='sales' is not one of overall, people, goods, venue"):
        published["province"].against_published("sales")
    with pytest.raises(ParameterError, match="needs a study of the published data"):
        Study.build("province", SYNTHETIC).against_published()


def test_a_frame_whose_ids_are_not_the_levels_is_refused_naming_them():
    frame = panel.load_panel(SYNTHETIC, SCHEME).rename(index={"110000": "999999", "120000": "天津"})
    with pytest.raises(RegionError, match="data: '999999', '天津' are not region ids of level 'province'"):
        Study.build("province", frame)  # a bare KeyError from Study.table before
    with pytest.raises(ParameterError, match="data: the frame has no region"):
        Study.build("province", frame.iloc[:0])
