"""A user's own registry (ids of any form, a group column) through every route: a panel file by ids or by names, a
denominator file, group-mean imputation, index.build and Study.build, tables, profiles and the CLI. The data are
the SYNTHETIC eight-country example (data/examples/synthetic_countries/)."""

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import assert_regenerated
from hypothesis import given
from hypothesis import strategies as st

from livecommerce import cli
from livecommerce.data.edition import load_inputs
from livecommerce.data.io import write_rows
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir, default_scheme_path
from livecommerce.data.regions import load_registry, region_set, resolve
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.index import compose
from livecommerce.index.scheme import load_scheme
from livecommerce.plots.sources import study_source
from livecommerce.report import runner
from livecommerce.report.parameters import Parameters
from livecommerce.report.runs import Run
from livecommerce.study.study import Study

ROOT = Path(__file__).resolve().parents[1]
FOLDER = data_dir() / "examples" / "synthetic_countries"
REGISTRY, PANEL = FOLDER / "registry.csv", FOLDER / "panel.csv"
SCHEME = load_scheme()
IDS = ["AUT", "BEL", "DEU", "FRA", "NLD", "ITA", "ESP", "PRT"]


def test_the_example_is_regenerated_from_its_seed(tmp_path):
    spec = importlib.util.spec_from_file_location("regions", ROOT / "scripts" / "make_synthetic_regions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    counties = "synthetic_counties_sichuan/county-510000.csv"
    for name in ("registry.csv", "panel.csv", "population.csv"):
        assert_regenerated(tmp_path / FOLDER.name / name, FOLDER / name)
        assert (FOLDER / name).read_text(encoding="utf-8").startswith("# SYNTHETIC DATA")
    assert_regenerated(tmp_path / counties, FOLDER.parent / counties)


def test_the_synthetic_county_edition_builds_a_county_study():
    inputs = load_inputs(FOLDER.parent / "synthetic_counties_sichuan", SCHEME, "county:四川")
    study = Study.build("county:510000", inputs.panels["county:510000"])
    assert inputs.synthetic and len(study.regions) == 183 and study.table(1)["region"].iloc[0]
    assert {"511002", "511102"} <= set(study.regions)  # two 市中区, told apart by their region_id


def test_the_registry_and_its_set():
    registry = load_registry(REGISTRY)
    assert list(registry.index) == IDS and registry.at["ITA", "subregion"] == "Southern Europe"
    chosen = region_set("all", REGISTRY)
    assert chosen.level == "registry" and chosen.groups == ["parent_id", "subregion"] and not chosen.named
    southern = region_set("subregion:Southern Europe", REGISTRY)
    assert list(southern.ids) == ["ITA", "ESP", "PRT"] and southern.level == "registry:subregion:Southern Europe"
    assert region_set(southern.level, REGISTRY).ids.equals(southern.ids)
    assert resolve("Italy", "all", REGISTRY) == resolve("意大利", None, REGISTRY) == resolve("ita", None, REGISTRY)
    with pytest.raises(ParameterError, match="with the registry .*level is 'all'"):
        region_set("province", REGISTRY)


def test_every_problem_of_a_registry_is_named_at_once(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,name,parent\nAUT,Austria,\n,Nowhere,\nAUT,Again,\nBEL,Belgium,EU\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_registry(path)
    message = str(error.value)
    assert "line 3: empty region_id" in message and "line 4: id 'AUT' appears twice (first on line 2)" in message
    assert "line 5: parent 'EU' is not an id of the registry" in message
    (tmp_path / "short.csv").write_text("code,label\nAUT,Austria\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs the columns id and name"):
        load_registry(tmp_path / "short.csv")


def test_a_panel_with_ids_and_one_with_names_only(tmp_path):
    by_id = load_panel(PANEL, SCHEME, "all", registry=REGISTRY)
    assert list(by_id.index) == IDS
    names = tmp_path / "names.csv"
    pd.read_csv(PANEL, comment="#").drop(columns="region_id").to_csv(names, index=False)
    assert load_panel(names, SCHEME, "all", registry=REGISTRY).equals(by_id)
    wrong = tmp_path / "wrong.csv"
    pd.read_csv(PANEL, comment="#").assign(region_id=["BEL", *IDS[1:]]).to_csv(wrong, index=False)
    with pytest.raises(DataError, match="region_id 'BEL' is not region 'Austria' \\(AUT\\)"):
        load_panel(wrong, SCHEME, "all", registry=REGISTRY)


def test_file_and_frame_routes_agree_and_tables_and_profiles_name_the_regions():
    study = Study.build("all", PANEL, registry=REGISTRY)
    frame = load_panel(PANEL, SCHEME, "all", registry=REGISTRY)
    same = Study.build("all", frame, registry=REGISTRY)
    pd.testing.assert_frame_equal(study.scores, same.scores)
    pd.testing.assert_frame_equal(study.scores, compose.build(frame, SCHEME)[study.scores.columns])
    table = study.table(1)
    assert table["region"].tolist() == [dict(zip(IDS, load_registry(REGISTRY)["name"]))[r] for r in table["region_id"]]
    assert table["rank"].tolist() == sorted(table["rank"]) and table["level"].eq("registry").all()
    assert study.profile("Austria").region == study.profile("AUT").region == "AUT"
    with pytest.raises(RegionError, match="unknown region 'Austri' at level 'registry'; did you mean Austria"):
        study.profile("Austri")
    with pytest.raises(ParameterError, match="the published data are the report's sets"):
        Study.build("all", registry=REGISTRY)


def test_a_denominator_file_by_names(tmp_path):
    text = default_scheme_path().read_text(encoding="utf-8")
    scheme = tmp_path / "scheme.toml"
    declaration = (
        f'\n[denominators.population]\nfile = "{(FOLDER / "population.csv").as_posix()}"\nsource = "SYNTHETIC"\n'
    )
    text = text.replace("[indicators.shop_count]\n", '[indicators.shop_count]\ndenominator = "population"\n')
    scheme.write_text(text + declaration, encoding="utf-8")
    study = Study.build("all", PANEL, scheme, registry=REGISTRY)
    population = pd.read_csv(FOLDER / "population.csv", comment="#").set_axis(IDS)["population"]
    prepared, _ = compose.prepare(study.inputs, study.scheme)
    np.testing.assert_allclose(prepared["shop_count"], np.log1p(study.inputs["shop_count"] / population))  # then log
    assert study.scores["shop_count"].ne(Study.build("all", PANEL, registry=REGISTRY).scores["shop_count"]).any()


def test_group_mean_imputation_by_a_user_column(tmp_path):
    gapped = tmp_path / "gapped.csv"
    frame = pd.read_csv(PANEL, comment="#", dtype=str)
    frame.loc[frame["region_id"] == "ITA", "anchor_count"] = ""
    frame.to_csv(gapped, index=False)
    study = Study.build("all", gapped, missing="group_mean:subregion", registry=REGISTRY)
    full = load_panel(PANEL, SCHEME, "all", registry=REGISTRY)
    assert study.inputs.at["ITA", "anchor_count"] == pytest.approx(full.loc[["ESP", "PRT"], "anchor_count"].mean())
    assert "subregion" in study.gaps_note("en")
    with pytest.raises(DataError, match="missing='macro_mean': the registry has no column 'macro_region'"):
        Study.build("all", gapped, missing="macro_mean", registry=REGISTRY)
    with pytest.raises(ParameterError, match="group_mean:<column>"):
        Study.build("all", gapped, missing="group_mean", registry=REGISTRY)


def test_a_user_registry_study_rebuilds_with_a_group_median(tmp_path):
    gapped = tmp_path / "gapped.csv"
    frame = pd.read_csv(PANEL, comment="#", dtype=str)
    frame.loc[frame["region_id"].isin(["ITA", "DEU"]), "anchor_count"] = ""
    frame.to_csv(gapped, index=False)
    study = Study.build("all", gapped, missing="group_mean:subregion", registry=REGISTRY)
    rebuilt = study.rebuild(missing="group_median:subregion", normalisation="minmax", aggregation="median")
    built = Study.build("all", gapped, missing="group_median:subregion", registry=REGISTRY).rebuild(
        normalisation="minmax", aggregation="median"
    )
    pd.testing.assert_frame_equal(rebuilt.scores, built.scores, check_exact=True)
    full = load_panel(PANEL, SCHEME, "all", registry=REGISTRY)
    western = full.loc[["AUT", "BEL", "FRA", "NLD"], "anchor_count"]
    assert western.median() != pytest.approx(western.mean())  # the two policies differ here
    assert rebuilt.inputs.at["DEU", "anchor_count"] == pytest.approx(western.median())
    assert study.inputs.at["DEU", "anchor_count"] == pytest.approx(western.mean())
    assert rebuilt.members.registry == study.members.registry and list(rebuilt.regions) == list(study.regions)
    pd.testing.assert_frame_equal(study.rebuild().scores, study.scores, check_exact=True)


def test_livecommerce_build_with_a_registry(tmp_path, capsys):
    out = tmp_path / "scores.csv"
    code = cli.main(["build", str(PANEL), "--registry", str(REGISTRY), "--output", str(out)])
    assert code == 0 and "for 8 regions" in capsys.readouterr().out
    scores = pd.read_csv(out, index_col="region_id")
    assert list(scores.index) == IDS
    assert scores["overall"].to_numpy() == pytest.approx(Study.build("all", PANEL, registry=REGISTRY).scores["overall"])
    code = cli.main(["build", str(PANEL), "--registry", str(REGISTRY), "--level", "subregion:Southern Europe",
                     "--output", str(tmp_path / "south.csv")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "line 4 (row 1), column 'region': unknown region 'Austria' at level" in err
    # every region outside the set is told in the one error, each with its line
    for line, name in ((5, "Belgium"), (6, "Germany"), (7, "France"), (8, "Netherlands")):
        assert f"line {line} (row {line - 3}), column 'region': unknown region {name!r}" in err
    assert "Italy" not in err


def test_an_edition_and_a_run_of_a_user_registry(tmp_path):
    edition = tmp_path / "edition"
    edition.mkdir()
    shutil.copy(PANEL, edition / "registry.csv")  # the panel of the set named 'registry' (its sheet)
    inputs = load_inputs(edition, SCHEME, "all", registry=REGISTRY)
    assert list(inputs.panels) == ["registry"] and inputs.top5.empty and inputs.facts is None
    assert inputs.panels["registry"].equals(load_panel(PANEL, SCHEME, "all", registry=REGISTRY))
    expected = Study.build("all", PANEL, registry=REGISTRY).table(1)
    for source in ({"data": str(PANEL)}, {"edition": str(edition)}):
        run = Run.build(Parameters(registry=str(REGISTRY), output_dir=str(tmp_path / "out"), **source))
        assert run.levels == ("registry",) and run.focus("registry") is None
        assert "8个地区" in run.caption("ranked", level="registry")
        pd.testing.assert_frame_equal(run.study("registry").table(1), expected)
    with pytest.raises(ParameterError, match="the published data are the report's sets"):
        Run.build(Parameters(registry=str(REGISTRY), output_dir=str(tmp_path / "out")))
    with pytest.raises(ParameterError, match="level='township'"):
        Run.build(Parameters(level="township", output_dir=str(tmp_path / "out")))


def test_an_edition_of_a_user_registry_has_its_metadata_and_names_its_data(tmp_path):
    """An edition of a set other than the report's three has its front matter (by Chinese names, the year from the
    folder's name), its run prints that title and names the data by the metadata, never by a file; its faults
    (an empty cell, a bad field) are told together."""
    edition = tmp_path / "edition_2031"
    edition.mkdir()
    shutil.copy(PANEL, edition / "registry.csv")
    front = [["项目", "内容"], ["数据提供方", "合成数据提供方乙"], ["数据期间", "2031年上半年"]]
    write_rows(edition / "封面信息.csv", {"封面信息": front})
    inputs = load_inputs(edition, SCHEME, "all", registry=REGISTRY)
    assert (inputs.metadata.year, inputs.metadata.provider) == (2031, "合成数据提供方乙")
    assert inputs.source["parts"]["metadata"]["path"] == str(edition / "封面信息.csv")
    run = Run.build(Parameters(registry=str(REGISTRY), edition=str(edition), output_dir=str(tmp_path / "out")))
    assert run.metadata.title == "中国直播电商行业发展趋势报告（2031）" and run.metadata.client == ""
    study = run.study("registry")
    assert (
        study.parameters["registry"] == str(REGISTRY)
        and study.parameters["data_name"] == "合成数据提供方乙2031年上半年数据"
    )
    said = study_source(study, 1)
    assert "合成数据提供方乙2031年上半年数据" in said and "edition_2031" not in said and ".csv" not in said
    assert "合成数据提供方乙" in study_source(study, [4, 7], "en")
    body = (edition / "registry.csv").read_text(encoding="utf-8").splitlines()
    cells = body[4].split(",")  # line 5: Belgium
    body[4] = ",".join([*cells[:2], "", *cells[3:]])
    (edition / "registry.csv").write_text("\n".join(body) + "\n", encoding="utf-8")
    write_rows(edition / "封面信息.csv", {"封面信息": [*front, ["作者", "某人"]]})
    with pytest.raises(DataError) as raised:
        load_inputs(edition, SCHEME, "all", registry=REGISTRY)
    lines = str(raised.value).split("\n")
    assert lines[0] == f"{edition}: 2 faults"
    assert lines[1].startswith(f"{edition / 'registry.csv'}: line 5 (row 2), column 'anchor_count' (主播数量), ")
    assert "region Belgium: empty cell" in lines[1]
    assert lines[2].startswith(f"{edition / '封面信息.csv'}: line 4, column '项目': '作者' is not a field")


def test_livecommerce_report_refuses_another_set_before_anything_runs(tmp_path, no_kernels):
    given = Parameters(registry=str(REGISTRY), data=str(PANEL), output_dir=str(tmp_path / "out"))
    with pytest.raises(ParameterError, match=r"level='registry': .* runs notebook 03_development_index \(--only 03\)"):
        runner.run(given, only=["03", "07"], figures_dir=None, kernels=no_kernels)
    assert no_kernels.stopped and not any(tmp_path.iterdir())


@given(
    row=st.sampled_from(list(load_registry(REGISTRY).reset_index().itertuples())),
    column=st.sampled_from(["region_id", "name", "full_name_zh"]),
    pad=st.sampled_from(["", " ", "\u3000", "\t"]),
    upper=st.booleans(),
)
def test_a_user_registry_resolves_any_name_whatever_its_spacing_and_case(row, column, pad, upper):
    name = getattr(row, column)
    assert resolve(pad + (name.upper() if upper else name.lower()) + pad, "all", REGISTRY) == row.region_id
