"""A region set other than the report's three (Sichuan's 183 county-level divisions, a user registry) through the
edition's routes: its edition template, a previous run of it to compare with, and the report's refusal naming the
notebooks that run for it. The data are the SYNTHETIC county edition and eight-country example."""

import csv
import shutil

import openpyxl
import pandas as pd
import pytest

from livecommerce import publish
from livecommerce.analysis import audit
from livecommerce.cli import main
from livecommerce.data import edition as inputs
from livecommerce.data.export import write_table
from livecommerce.data.io import write_rows
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.index.scheme import load_scheme
from livecommerce.report import runner
from livecommerce.report.parameters import Parameters
from livecommerce.report.runs import Run
from livecommerce.study import compare
from livecommerce.study.study import Study

SCHEME = load_scheme()
COUNTIES = data_dir() / "examples" / "synthetic_counties_sichuan"
COUNTRIES = data_dir() / "examples" / "synthetic_countries"
SET = "county:510000"


@pytest.fixture(scope="module")
def county() -> Study:
    return Study.build(SET, inputs.load_inputs(COUNTIES, SCHEME, SET).panels[SET])


def previous_run(study: Study, folder):
    """The tables a report run of ``study``'s set writes (表1, 4, 7 and 13 for a set other than the report's)."""
    for number in study.index_tables:
        write_table(study.table(number), f"table{number:02d}", folder / "tables", formats=("csv",))
    return folder


def test_a_previous_run_of_a_county_set_is_read_back_and_compared(county, tmp_path):
    folder = previous_run(county, tmp_path / "run")
    assert sorted(p.name for p in (folder / "tables").iterdir()) == [f"table{n:02d}.csv" for n in (1, 4, 7, 13)]
    previous = compare.load_previous(folder, SET)
    expected = county.scores[["overall", "people", "goods", "venue"]].round(2)
    pd.testing.assert_frame_equal(previous.sort_index(), expected.sort_index())
    assert compare.load_previous(folder, county.members).equals(previous)  # by its RegionSet as well
    dropped = county.inputs.index[0]
    compared = compare.compare_editions(Study.build(SET, county.inputs.drop(index=dropped)), folder)
    overall = compared["overall"]
    assert overall.at[dropped, "mark"] == "—" and pd.isna(overall.at[dropped, "rank"])
    assert overall.drop(index=dropped)["rank_change"].notna().all()


def test_a_previous_run_of_another_set_or_the_published_report_is_refused(county, tmp_path):
    folder = previous_run(county, tmp_path / "run")
    with pytest.raises(RegionError, match=r"table01.csv: line 2, column 'region_id': '5\d{5}' is not a county:410000"):
        compare.load_previous(folder, "county:410000")  # 四川's counties are not 河南's
    with pytest.raises(ParameterError, match="previous='published': the published report has the sets"):
        compare.load_previous("published", SET)
    with pytest.raises(DataError, match="no tables/table01.csv; is it the output folder of a county:510000 report"):
        compare.load_previous(tmp_path, SET)


def test_a_run_of_a_county_set_compares_with_its_previous_run(county, tmp_path):
    folder = previous_run(county, tmp_path / "previous")
    run = Run.build(Parameters(level=SET, edition=str(COUNTIES), previous=str(folder), output_dir=str(tmp_path / "o")))
    table = run.study(SET).table(1)
    assert (table["rank_change"] == 0).all() and (table["yoy_growth"] == 0).all()


@pytest.mark.parametrize("name", ["edition", "edition.xlsx"])
def test_an_edition_template_of_a_county_set_filled_in_reads_back(county, tmp_path, name):
    path = tmp_path / name
    written = inputs.write_inputs_template(path, SCHEME, SET)
    assert written == inputs.template_paths(path, SET)
    assert [p.name for p in written] == ([name] if name.endswith(".xlsx") else ["county-510000.csv", "封面信息.csv"])
    with pytest.raises(DataError, match="no indicator value is filled in"):
        inputs.load_inputs(path, SCHEME, SET)
    target = path if path.suffix == ".xlsx" else path / "county-510000.csv"
    if path.suffix == ".xlsx":
        body = [[c.value for c in row] for row in openpyxl.load_workbook(path)["county-510000"].iter_rows()]
    else:
        with open(target, encoding="utf-8", newline="") as handle:
            body = list(csv.reader(handle))
    assert len([row for row in body if row[0] in county.inputs.index]) == 183
    for row in body:
        if row[0] in county.inputs.index:
            row[2:] = [float(v) for v in county.inputs.loc[row[0]]]
    write_rows(target, {"county-510000": body})
    loaded = inputs.load_inputs(path, SCHEME, SET).panels[SET]
    pd.testing.assert_frame_equal(loaded, county.inputs.loc[loaded.index, list(loaded.columns)], check_names=False)


def test_the_cli_writes_an_edition_template_of_a_county_set_or_a_user_registry(tmp_path, capsys):
    assert main(["template", "--edition", "--level", SET, "--output", str(tmp_path / "county")]) == 0
    assert sorted(p.name for p in (tmp_path / "county").iterdir()) == ["county-510000.csv", "封面信息.csv"]
    registry = str(COUNTRIES / "registry.csv")
    assert main(["template", "--edition", "--registry", registry, "--output", str(tmp_path / "countries")]) == 0
    assert sorted(p.name for p in (tmp_path / "countries").iterdir()) == ["registry.csv", "封面信息.csv"]
    assert "empty edition (registry.csv, 封面信息.csv)" in capsys.readouterr().out
    assert main(["template", "--edition", "--level", "province", "--output", str(tmp_path / "report")]) == 0
    assert len(list((tmp_path / "report").iterdir())) == 5  # the report's three sets, the top-5 lists, metadata


def test_the_report_of_another_set_refuses_a_chosen_notebook_that_words_the_reports_sets(tmp_path, no_kernels):
    given = Parameters(level=SET, edition=str(COUNTIES), output_dir=str(tmp_path / "out"))
    with pytest.raises(
        ParameterError, match=r"level='county:510000': .* runs notebook 03_development_index \(--only 03\); 01_"
    ):
        runner.run(given, only=["01", "03"], figures_dir=None, kernels=no_kernels)
    assert no_kernels.stopped and not any(tmp_path.iterdir())


def test_the_printed_document_of_a_county_set_names_the_set_and_prints_no_2023_prose(county):
    for lang, title, region in (
        ("zh", "四川省183个县（市、区）直播电商发展指数", "县（市、区）"),
        ("en", "Live-commerce development index of the 183 county-level divisions of Sichuan", "County-level division"),
    ):
        document = publish.assemble({SET: county}, None, lang)
        (chapter,) = document.chapters  # its tables (and figures) alone: the 2023 chapters word the report's sets
        tables = [b for s in chapter.sections for b in s.blocks]
        assert chapter.title == title and [t.caption for t in tables][0].endswith(title)
        assert len(tables) == 4 and all(t.header[1] == region and len(t.rows) == 183 for t in tables)
    assert "省/直辖市/自治区" not in str(publish.assemble({SET: county}, None, "zh"))


def test_a_county_edition_without_its_own_text_is_not_told_it_prints_the_2023_prose(tmp_path):
    edition = shutil.copytree(data_dir() / "examples" / "synthetic_edition_2024", tmp_path / "edition")
    shutil.rmtree(edition / "text")
    told = "its chapters print the 2023 edition's prose"
    assert any(told in note for note in runner.notes(Parameters(edition=str(edition)), []))
    county = runner.notes(Parameters(level=SET, edition=str(COUNTIES)), ["03_development_index"])
    assert not any(told in note for note in county)


def test_the_edition_audit_checks_a_county_set_against_its_previous_run(county):
    checks = audit.check_edition({SET: county.since(county)})
    assert set(checks.index) == {"T1-rank-order", "T1-arrows", "T1-growth"}
    assert (checks["verdict"] == "consistent").all()
    with pytest.raises(ParameterError, match=r"studies\['province'\] is a study of level 'county:510000'"):
        audit.check_edition({"province": county})


@pytest.mark.slow
def test_the_report_of_the_county_example_prints_its_tables_its_map_and_its_edition(tmp_path, kernels):
    """The SYNTHETIC county example as ``make example-counties`` runs it (notebook 03 and the document)."""
    told = []
    given = Parameters(level=SET, edition=str(COUNTIES), output_dir=str(tmp_path / "out"))
    out = runner.run(given, told=told.append, kernels=kernels)
    assert any("are skipped" in note and "01_overview" in note and "03_" not in note for note in told), told
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == ["03_development_index.ipynb"]
    tables = sorted(p.name for p in (out / "tables").glob("table*.csv"))
    assert tables == ["table01.csv", "table04.csv", "table07.csv", "table13.csv"]
    assert {"table01_map.png", "table01_ranked.png"} <= {p.name for p in (out / "figures").iterdir()}
    page = (out / "chapter01.html").read_text(encoding="utf-8")
    assert "四川省183个县（市、区）直播电商发展指数分布" in page and "省/直辖市/自治区" not in page
    assert (out / "report.pdf").is_file() and "SYNTHETIC" in page
