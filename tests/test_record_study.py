"""Studies of records: built from a data firm's record files, the same as from the panel `livecommerce indicators`
writes from them, with what they rest on in the log; definition variants as a sensitivity dimension, on constructed
records whose rankings are computed by hand, and drawn by the Monte Carlo."""

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from livecommerce import publish, report
from livecommerce.analysis.sensitivity.steps import step_model
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty, monte_carlo
from livecommerce.analysis.variants import variant_ranks, variant_taus
from livecommerce.cli import main
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir
from livecommerce.data.regions import region_set
from livecommerce.errors import ParameterError, SchemeError
from livecommerce.index.ranking import rank
from livecommerce.index.scheme import load_scheme
from livecommerce.publish.document import front_lines
from livecommerce.publish.workbook import markdown_text
from livecommerce.records.read import read_records
from livecommerce.records.tables import RULES
from livecommerce.report import runs
from livecommerce.study.records import record_files, record_panels
from livecommerce.study.study import Study

PERIOD = ("2023-01-01", "2023-09-30")
SYNTHETIC = data_dir() / "records" / "SYNTHETIC_2023"


@pytest.fixture(scope="module")
def synthetic_panels():
    """The province panels of the bundled SYNTHETIC records under every variant of the report's scheme."""
    records = read_records(SYNTHETIC, PERIOD)
    try:
        return record_panels(records, load_scheme(), "province")
    finally:
        records.close()


def test_a_study_of_records_is_the_study_of_the_panel_the_indicators_command_writes(tmp_path, synthetic_panels):
    panel = tmp_path / "panel.csv"
    assert main(["indicators", str(SYNTHETIC), "--output", str(panel)]) == 0
    from_panel = Study.build("province", panel, missing="median")
    from_records = Study.build("province", synthetic_panels, missing="median")
    pd.testing.assert_frame_equal(from_records.scores, from_panel.scores, rtol=1e-12)
    pd.testing.assert_frame_equal(from_records.raw, from_panel.raw, check_names=False, rtol=1e-12)
    data = from_records.log[0]
    assert data["kind"] == "records" and data["engine"] == "duckdb" and data["variant"] == "default"
    assert data["rows"] == {"anchors": 120, "sessions": 3000, "shops": 100, "sales": 5000}
    assert data["files"]["sessions"] == [str(SYNTHETIC / "sessions_SYNTHETIC.csv")]
    assert data["bad_rows"] == [] and any(line.startswith("locations: ") for line in data["log"])
    assert from_records.parameters["data"] == str(SYNTHETIC)
    # A variant changes only the indicators that declare it.
    median = synthetic_panels.panels["median"]
    changed = [c for c in median if not median[c].equals(synthetic_panels.panels["default"][c])]
    assert changed == ["uv_per_session"]
    assert len(synthetic_panels.panels["warehouse"].compare(synthetic_panels.panels["default"]).columns) > 0


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


# 场均UV: 四川 (1, 1, 100): mean 34, median 1; 北京 (30): 30 both; 广东 (10, 10): 10 both. A bad row dropped.
ANCHORS = "主播ID,所在地,粉丝数\na1,四川成都,1\na2,北京,1\na3,广东深圳,1\n"
SESSIONS = """直播ID,主播ID,开播时间,GMV,观看人次,UV
s1,a1,2023-02-01 20:00:00,1,1,1
s2,a1,2023-02-02 20:00:00,1,1,1
s3,a1,2023-02-03 20:00:00,1,100,100
s4,a2,2023-02-01 20:00:00,1,30,30
s5,a3,2023-02-01 20:00:00,1,10,10
s6,a3,2023-02-02 20:00:00,1,10,10
s7,a3,2022-02-02 20:00:00,1,10,10
"""
SCHEME = """name = "uv"
[normalisation]
method = "efficacy"
low = 60.0
high = 100.0

[nodes.overall]
weights = { uv = 0.6, sessions = 0.4 }

[indicators.uv]
unit = "visitors per session"
direction = 1
record = { table = "sessions", statistic = "mean", measure = "uv" }
variants = { median = { statistic = "median" } }

[indicators.sessions]
unit = "sessions"
direction = 1
record = { table = "sessions", statistic = "count" }
"""
SICHUAN, BEIJING, GUANGDONG = "510000", "110000", "440000"


@pytest.fixture
def uv_study(tmp_path):
    """A province study of three provinces' records (the others, without a session, dropped) under the scheme."""
    folder = tmp_path / "records"
    _write(folder, "anchors.csv", ANCHORS)
    _write(folder, "sessions.csv", SESSIONS)
    _write(tmp_path, "uv.toml", SCHEME)
    records = read_records(folder, PERIOD, bad_rows="drop")
    try:
        return Study.build("province", records, tmp_path / "uv.toml", missing="drop")
    finally:
        records.close()


def test_each_command_says_what_the_records_gave_and_the_log_counts_drops_per_rule(tmp_path, uv_study, capsys):
    folder, scheme = tmp_path / "records", tmp_path / "uv.toml"  # written by uv_study: s7 is of 2022
    said = "records: 10 rows read from 2 file(s) of anchors, sessions, 2023-01-01 to 2023-09-30; 1 rows dropped"
    for command in (["indicators", str(folder)], ["build", "--records", str(folder), "--missing", "drop"]):
        out = tmp_path / f"{command[0]}.csv"
        assert main([*command, "--scheme", str(scheme), "--bad-rows", "drop", "--output", str(out)]) == 0
        assert f"livecommerce: note: {said} (outside_period 1)\n" in capsys.readouterr().err
    files = record_files(uv_study.log[0])
    assert files.loc[
        "sessions", ["rows", "bad_rows_dropped", "dropped_outside_period", "dropped_negative"]
    ].tolist() == [
        7,
        1,
        1,
        0,
    ]
    assert files.loc["anchors", "bad_rows_dropped"] == 0


def test_the_ranking_moves_under_the_median_as_computed_by_hand(uv_study):
    """Efficacy scores (60 + 40·(x − min)/(max − min)); sessions 四川 3 → 100, 广东 2 → 80, 北京 1 → 60.
    Mean UV 四川 34 → 100, 北京 30 → 93.33, 广东 10 → 60: overall 100, 80, 68.
    Median UV 四川 1 → 60, 北京 30 → 100, 广东 10 → 72.41: overall 76, 84, 75.45."""
    assert uv_study.log[0]["bad_rows"] == [
        {
            "table": "sessions",
            "file": str(uv_study.records.provenance["files"]["sessions"][0]),
            "rule": "outside_period",
            "rows": 1,
        }
    ]
    assert list(uv_study.regions) == [BEIJING, GUANGDONG, SICHUAN]
    ranks = variant_ranks(uv_study)
    assert list(ranks.columns) == ["default", "median"]
    assert ranks.loc[[SICHUAN, BEIJING, GUANGDONG]].to_dict("list") == {"default": [1, 2, 3], "median": [2, 1, 3]}
    median = uv_study.rebuild(variant="median")
    assert median.scores.loc[[SICHUAN, BEIJING, GUANGDONG], "overall"].tolist() == pytest.approx(
        [76, 84, 0.6 * (60 + 40 * 9 / 29) + 0.4 * 80]
    )
    assert median.parameters["variant"] == "median" and median.log[0]["variant"] == "median"
    assert median.rebuild(variant="default").scores.equals(uv_study.scores)
    # One discordant pair of three: τ = (2 − 1) / 3.
    assert variant_taus(ranks).to_dict() == pytest.approx({"default": 1.0, "median": 1 / 3})
    assert uv_study.scheme.variants == ("default", "median")
    assert uv_study.scheme.variant("median").indicators["uv"].record.statistic == "median"
    built = Study.build("province", uv_study.records, uv_study.scheme, missing="drop", variant="median")
    assert built.scores.equals(median.scores)


def test_records_for_a_user_registry_in_a_study_a_run_and_the_indicators_command(tmp_path, uv_study):
    """A registry's regions named as a data firm's places are: the ranks of the provinces holding them (the only
    regions with records), under each variant; the run and `livecommerce indicators --registry` give the same."""
    registry = tmp_path / "metro.csv"
    _write(tmp_path, "metro.csv", "id,name\nCD,四川省成都市\nBJ,北京市\nSZ,深圳\n")
    folder, scheme = tmp_path / "records", tmp_path / "uv.toml"  # written by uv_study
    records = read_records(folder, PERIOD, bad_rows="drop")
    try:
        study = Study.build("all", records, scheme, missing="drop", registry=registry)
    finally:
        records.close()
    provinces = variant_ranks(uv_study).loc[[SICHUAN, BEIJING, GUANGDONG]]
    assert variant_ranks(study).loc[["CD", "BJ", "SZ"]].to_numpy().tolist() == provinces.to_numpy().tolist()
    assert study.level == "metro" and study.parameters["registry"] == str(registry)
    out = tmp_path / "panel.csv"
    command = ["indicators", str(folder), "--registry", str(registry), "--scheme", str(scheme), "--bad-rows", "drop"]
    assert main([*command, "--output", str(out)]) == 0
    panel = load_panel(out, load_scheme(scheme), region_set("all", registry), empty=True)
    pd.testing.assert_frame_equal(panel, study.raw, check_names=False, check_dtype=False)


def test_a_run_of_records_for_a_user_registry(tmp_path):
    """The report's scheme on the SYNTHETIC records for five cities of a registry, named as a data firm's places
    are: the run's study is the study of the records for that registry."""
    registry = tmp_path / "cities.csv"
    _write(tmp_path, "cities.csv", "id,name\nYA,陕西延安\nHZ,汉中市\nSZ,广东省深圳市\nCC,长春\nJX,浙江嘉兴\n")
    given = report.Parameters(
        level="all", registry=str(registry), records=str(SYNTHETIC), missing="median", output_dir=str(tmp_path / "o")
    )
    run = report.Run.build(given)
    assert run.levels == ("cities",)
    records = read_records(SYNTHETIC, PERIOD)
    try:
        expected = Study.build("all", records, missing="median", registry=registry)
        prefectures = record_panels(records, load_scheme(), "prefectural").panels["default"]
    finally:
        records.close()
    pd.testing.assert_frame_equal(run.study("cities").scores, expected.scores)
    assert list(expected.regions) == ["YA", "HZ", "SZ", "CC", "JX"] and expected.raw.notna().all().all()
    assert expected.raw.loc["SZ"].tolist() == prefectures.loc["440300"].tolist()


def test_the_indicators_command_writes_the_panel_of_a_variant(tmp_path, uv_study, capsys):
    """--variant median: 场均UV as each province's median (四川 1, 北京 30, 广东 10; the mean by default: 34, 30,
    10), the indicators without the variant as they are, the variant named in the panel's provenance; an unknown
    name is refused with the declared ones, before any record is read."""
    folder, scheme = tmp_path / "records", tmp_path / "uv.toml"  # written by uv_study
    command = ["indicators", str(folder), "--scheme", str(scheme), "--bad-rows", "drop"]
    provinces = [SICHUAN, BEIJING, GUANGDONG]
    for variant, uv in (("median", [1, 30, 10]), ("default", [34, 30, 10])):
        out = tmp_path / f"{variant}.csv"
        assert main([*command, "--variant", variant, "--output", str(out)]) == 0
        panel = load_panel(out, load_scheme(scheme), "province", empty=True)
        assert panel.loc[provinces, "uv"].tolist() == uv and panel.loc[provinces, "sessions"].tolist() == [3, 1, 2]
        pd.testing.assert_frame_equal(panel, uv_study.records.panels[variant], check_names=False)
        assert f"# variant: {variant}" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main([*command, "--variant", "mode", "--output", str(tmp_path / "mode.csv")]) == 2
    said = capsys.readouterr().err
    assert "variant='mode' is not one of default, median\n" in said and "records:" not in said
    assert not (tmp_path / "mode.csv").exists()


def test_the_monte_carlo_draws_the_variant_as_a_step(uv_study):
    """Weights fixed, the variant drawn half the time: 四川 and 北京 swap first and second, 广东 stays third."""
    model = step_model(uv_study, {"variant": ["default", "median"]})
    assert model.variants == {"variant": ("default", "median")}
    spec = Uncertainty(weights=None, steps={"variant": {"default": 0.5, "median": 0.5}})
    result = monte_carlo(model, spec, n_draws=400, seed=1)
    draws = result.draws()
    share = (draws["variant"] == "median").mean()
    assert 0.4 < share < 0.6
    summary = result.summary()
    assert summary.loc[SICHUAN, "mean_rank"] == pytest.approx(1 + share)
    assert summary.loc[BEIJING, "mean_rank"] == pytest.approx(2 - share)
    assert summary.loc[GUANGDONG, ["rank_p05", "rank_p95"]].tolist() == [3, 3]
    assert np.isclose(result.per_draw["mean_abs_shift"].mean(), share * 2 / 3)


def test_variants_are_refused_where_they_cannot_be(tmp_path, uv_study):
    with pytest.raises(ParameterError, match="variant='median': a definition variant needs records"):
        Study.build("province", uv_study.raw.dropna(), uv_study.scheme, variant="median")
    with pytest.raises(ParameterError, match="variant"):
        uv_study.rebuild(variant="mode")
    with pytest.raises(ParameterError, match="a study of records"):
        variant_ranks(Study.build("province", uv_study.raw.dropna(), uv_study.scheme))
    for variants, problem in (
        ('{ default = { statistic = "median" } }', "variant 'default': a name other than 'default'"),
        ('{ median = { statistic = "mode" } }', "variant 'median': statistic 'mode'"),
        ('{ median = { where = "x" } }', "variant 'median': unknown key"),
    ):
        _write(tmp_path, "bad.toml", SCHEME.replace('{ median = { statistic = "median" } }', variants))
        with pytest.raises(SchemeError, match=f"indicator 'uv': {problem}"):
            load_scheme(tmp_path / "bad.toml")
    _write(
        tmp_path,
        "bad.toml",
        SCHEME.replace('record = { table = "sessions", statistic = "count" }', "variants = { x = {} }"),
    )
    with pytest.raises(SchemeError, match="indicator 'sessions': variants need a record definition"):
        load_scheme(tmp_path / "bad.toml")


def test_build_from_records_in_one_command(tmp_path, synthetic_panels):
    out = tmp_path / "scores.csv"
    assert main(["build", "--records", str(SYNTHETIC), "--missing", "median", "--output", str(out)]) == 0
    scores = pd.read_csv(out, dtype={"region_id": str}, index_col="region_id")
    expected = Study.build("province", synthetic_panels, missing="median").scores
    pd.testing.assert_frame_equal(scores[expected.columns], expected, rtol=1e-12, check_names=False)
    assert main(["build", "--records", str(SYNTHETIC), str(out), "--output", str(tmp_path / "x.csv")]) == 2
    assert (
        main(
            [
                "build",
                "--records",
                str(SYNTHETIC),
                "--period",
                "2023-09-30",
                "2023-01-01",
                "--output",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )


def test_records_with_empty_cells_are_refused_as_a_panel_with_them_is(tmp_path, capsys, synthetic_panels):
    # no --missing: each of the panel's empty cells named by column and region, and the policies that handle them
    assert main(["build", "--records", str(SYNTHETIC), "--output", str(tmp_path / "x.csv")]) == 2
    said = capsys.readouterr().err
    empty = synthetic_panels.panels["default"].isna()
    assert empty.to_numpy().sum() > 0 and f"{empty.to_numpy().sum()} empty cell(s)" in said
    for column in empty.columns[empty.any()]:
        for region in empty.index[empty[column]]:
            assert f"column {column!r}, region {region} (" in said
    assert "--missing median" in said and "outside the valid range" not in said
    assert not (tmp_path / "x.csv").exists()


def test_a_run_of_records_reads_them_once_and_stores_what_was_given(tmp_path, synthetic_panels, monkeypatch):
    given = report.Parameters(
        level="province", records=str(SYNTHETIC), missing="median", bad_rows="drop", output_dir=str(tmp_path / "out")
    )
    run = report.Run.build(given)
    expected = Study.build("province", synthetic_panels, missing="median")
    pd.testing.assert_frame_equal(run.study("province").scores, expected.scores)
    assert run.study("province").parameters["data"] == str(SYNTHETIC)
    stored = json.loads(run.store(tmp_path).read_text(encoding="utf-8"))
    assert stored["records"] == str(SYNTHETIC) and stored["bad_rows"] == "drop"
    assert not {"period", "engine", "memory_limit", "registry"} & set(stored)  # at their defaults: left out
    # A kernel opening the run file reads the record panels stored beside it, not the records.
    monkeypatch.setattr(runs, "read_records", lambda *args, **kwargs: pytest.fail("the records were read again"))
    opened = report.Run.open(tmp_path / "run.json")
    for name, panel in synthetic_panels.panels.items():
        pd.testing.assert_frame_equal(opened.inputs["province"].panels[name], panel, check_exact=True)
    pd.testing.assert_frame_equal(opened.study("province").scores, expected.scores)
    assert opened.study("province").log[0]["rows"] == expected.log[0]["rows"]
    edited = json.loads((tmp_path / "run.json").read_text(encoding="utf-8")) | {"bad_rows": "refuse"}
    (tmp_path / "run.json").write_text(json.dumps(edited), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="read again"):  # other options than the stored panels'
        report.Run.open(tmp_path / "run.json")
    for wrong, message in (
        ({"data": str(SYNTHETIC)}, "give records, a raw panel"),
        ({"engine": "sqlite"}, "engine"),
        ({"period": ("2023-13-01", "2023-09-30")}, "period="),
        ({"memory_limit": "1GB", "engine": "spark"}, "memory_limit"),
    ):
        with pytest.raises(ParameterError, match=message):
            report.Run.build(replace(given, **wrong))


def test_a_run_of_records_prints_an_edition_of_its_own(tmp_path):
    given = report.Parameters(
        level="province", records=str(SYNTHETIC), missing="median", bad_rows="drop", output_dir=str(tmp_path / "o")
    )
    run = report.Run.build(given)
    meta = run.metadata  # from the period and the records, never the 2023 report's cover
    assert (meta.year, meta.period, meta.provider, meta.client, meta.authors) == (
        2023,
        "2023年前三季度",
        "所给记录数据",
        "",
        (),
    )
    assert run.label == "SYNTHETIC"  # records/SYNTHETIC_2023/*_SYNTHETIC.csv
    stale = run.unrewritten()  # the 2023 prose words the report's numbers, not these, although both are of 2023
    assert "3-1-1.md" in stale and "5-0.md" not in stale  # the appendices are written for any edition
    assert any(c.startswith("text file 3-1-0.md") and "but 表1 ranks" in c for c in run.unrewritten_claims())
    document = publish.assemble({"province": run.study("province")}, None, "zh", label=run.label, metadata=run.metadata)
    text, cover = markdown_text(document), "\n".join(front_lines(document))
    for name in ("委托单位", "四川省商务厅", "成都映潮", "四川大学商学院"):
        assert name not in cover
    assert "SYNTHETIC" in text.splitlines()[0] and "数据提供方：所给记录数据" in cover and "2023年前三季度" in cover
    assert 0 < text.count("【本节沿用2023年版的文字") <= len(document.unrewritten)  # those of other levels left out
    rows = run.study("province").source["rows"]
    assert f"本版指标由所给记录计算，数据期间2023年前三季度：主播表{rows['anchors']:,}行（1个文件）" in text
    assert ".csv" not in text  # the print names no file
    english = markdown_text(publish.assemble({"province": run.study("province")}, None, "en", metadata=run.metadata))
    assert f"computed from the records given, Q1–Q3 2023: anchors, {rows['anchors']:,} rows in 1 file;" in english
    panel = report.Run.build(
        replace(given, records="", data=str(data_dir() / "raw" / "synthetic_panel_province_2023.csv"))
    )
    assert (panel.label, panel.metadata.provider, panel.metadata.year, panel.metadata.client) == (
        "SYNTHETIC",
        "所给原始面板数据",
        2023,
        "",
    )
    assert report.Run.build(report.Parameters(level="province", output_dir=str(tmp_path / "p"))).unrewritten() == {}


@pytest.mark.slow  # one notebook of a report run, and the printed document
def test_a_report_from_records_in_one_command(tmp_path, synthetic_panels, capsys):
    out = tmp_path / "out"
    command = ["report", "--records", str(SYNTHETIC), "--level", "province", "--missing", "median"]
    assert main([*command, "--only", "03", "--output-dir", str(out)]) == 0
    told = capsys.readouterr().err
    assert "livecommerce: note: records: " in told and "section texts were written for another edition" in told
    printed = pd.read_csv(out / "tables" / "table01.csv", dtype={"region_id": str})
    expected = Study.build("province", synthetic_panels, missing="median").table(1)
    assert printed["region_id"].tolist() == expected["region_id"].tolist()
    assert printed["overall"].tolist() == pytest.approx(expected["overall"].tolist())
    files = pd.read_csv(out / "tables" / "record_files.csv", index_col="table")
    assert files["rows"].to_dict() == {"anchors": 120, "sales": 5000, "sessions": 3000, "shops": 100}
    assert list(files.columns[files.columns.str.startswith("dropped_")]) == [f"dropped_{r}" for r in RULES]
    printed = (out / "report.md").read_text(encoding="utf-8")
    assert "所给记录数据" in printed and "本版指标由所给记录计算，数据期间2023年前三季度" in printed
    assert printed.startswith("# SYNTHETIC") and "四川省商务厅" not in printed.split("## ")[0]
    assert set(json.loads((out / "record_panels.json").read_text(encoding="utf-8"))["levels"]) == {"province"}


ONE_SCHEME = """name = "uv"
[nodes.overall]
weights = { uv = 1.0 }

[indicators.uv]
unit = "visitors per session"
direction = 1
record = { table = "sessions", statistic = "mean", measure = "uv" }
variants = { median = { statistic = "median" } }
"""


@settings(max_examples=8, deadline=None)
@given(st.lists(st.lists(st.integers(0, 1000), min_size=1, max_size=6), min_size=3, max_size=3))
def test_the_variant_ranks_are_the_ranks_of_the_mean_and_median_uv(uvs):
    """Three provinces' sessions with any UVs: under the default, regions rank by their mean UV, under the variant by
    their median (the index is monotone in its one indicator; ties share the best rank)."""
    means = [float(np.mean(u)) for u in uvs]
    medians = [float(np.median(u)) for u in uvs]
    assume(len(set(means)) > 1 and len(set(medians)) > 1)
    provinces = [SICHUAN, BEIJING, GUANGDONG]
    rows = [f"s{k}_{i},a{k},2023-03-01 10:00:00,1,{uv},{uv}" for k, u in enumerate(uvs, 1) for i, uv in enumerate(u)]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        _write(folder / "records", "anchors.csv", ANCHORS)
        _write(folder / "records", "sessions.csv", "直播ID,主播ID,开播时间,GMV,观看人次,UV\n" + "\n".join(rows) + "\n")
        _write(folder, "uv.toml", ONE_SCHEME)
        records = read_records(folder / "records", PERIOD)
        try:
            study = Study.build("province", records, folder / "uv.toml", missing="drop")
        finally:
            records.close()
    ranks = variant_ranks(study).loc[provinces]
    assert ranks["default"].tolist() == rank(pd.Series(means, index=provinces)).tolist()
    assert ranks["median"].tolist() == rank(pd.Series(medians, index=provinces)).tolist()
