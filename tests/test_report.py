"""The one-command report: thin notebooks with a parameters cell, validation first, output moved in whole."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest

from livecommerce import report
from livecommerce.cli import main
from livecommerce.data import load_index, load_table
from livecommerce.errors import DataError, NotebookError, ParameterError, SchemeError
from livecommerce.paths import data_dir, notebooks_dir, published_dir

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


def test_every_notebook_is_a_thin_parameterised_source(tmp_path):
    sources = sorted(p.stem for p in notebooks_dir().glob("*.py"))
    assert sources == sorted(report.NOTEBOOKS)
    for name in sources:
        text = (notebooks_dir() / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"^\s*(def|class|lambda)\b", text, flags=re.M), f"{name}: logic belongs in the library"
        notebook = jupytext.read(notebooks_dir() / f"{name}.py")
        tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in notebook.cells)
        assert all(c.get("outputs", []) == [] for c in notebook.cells if c.cell_type == "code")
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
        assert set(papermill.inspect_notebook(tmp_path / f"{name}.ipynb")) == set(report.PARAMETERS), name


@pytest.mark.parametrize("changes, error, message", [
    ({"level": "county"}, ParameterError, "level='county'"),
    ({"lang": "fr"}, ParameterError, "lang='fr'"),
    ({"n_draws": 0}, ParameterError, "n_draws=0"),
    ({"seed": -1}, ParameterError, "seed=-1"),
    ({"data": str(SYNTHETIC)}, ParameterError, "a raw panel holds one level"),
    ({"data": "missing.csv", "level": "province"}, DataError, "missing.csv: file not found"),
    ({"missing": "zero"}, ParameterError, "missing='zero'"),
    ({"scheme": "missing.toml"}, SchemeError, "missing.toml: file not found"),
    ({"output_dir": str(published_dir() / "out")}, ParameterError, "read-only"),
])
def test_bad_parameters_are_refused_before_anything_runs(tmp_path, changes, error, message):
    changes.setdefault("output_dir", str(tmp_path / "out"))
    with pytest.raises(error, match=re.escape(message)):
        report.run(report.Parameters(**changes), figures_dir=None)
    assert not any(tmp_path.iterdir())  # no staging folder, no output


def test_only_selects_by_name_or_number():
    assert report.notebook_names(["03", "07_sensitivity"]) == ["03_development_index", "07_sensitivity"]
    assert report.notebook_names(None) == list(report.NOTEBOOKS)
    with pytest.raises(ParameterError, match="'99': no such notebook"):
        report.notebook_names(["99"])


def test_raw_index_frame_has_the_published_shape():
    frame = report.index_frame("province", str(SYNTHETIC))
    assert {"name_zh", "name_en", "overall", "overall_rank", "people_rank", "goods_rank", "venue_rank"} <= set(frame.columns)
    assert frame["overall_rank"].iloc[0] == 1 and len(frame) == 31


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """Every notebook, every level, in Chinese, with few draws."""
    out = tmp_path_factory.mktemp("full") / "out"
    report.run(report.Parameters(level="all", lang="zh", n_draws=200, seed=1, output_dir=str(out)), progress=False,
               figures_dir=out.parent / "figures")
    return out


def test_every_chapter_runs_at_every_level(full_run):
    index = (full_run / "index.html").read_text(encoding="utf-8")
    for name in report.NOTEBOOKS:
        assert f'href="{name}.html"' in index
        page = (full_run / f"{name}.html").read_text(encoding="utf-8")
        assert "data:image/png;base64" in page and not re.search(r'(src|href)="(https?:)?//', page), name
    figures = {p.name for p in (full_run / "figures").iterdir()}
    for level in ("province", "city", "prefecture"):
        assert f"{level}_rank_intervals.png" in figures and f"{level}_profile.svg" in figures
    assert {"table01_map.png", "table03_map.png", "figure1_dual_centre.png"} <= figures
    assert {p.name for p in (full_run.parent / "figures").iterdir()} == figures  # copied as well


def test_regenerated_tables_equal_the_published_ones(full_run):
    for number in range(1, 16):
        written = pd.read_csv(full_run / "tables" / f"table{number:02d}.csv", index_col=0,
                              dtype={"region_id": str, "destination_id": str}, keep_default_na=False)
        published = load_table(number)
        pd.testing.assert_frame_equal(written.reset_index(drop=True), published, check_dtype=False)


def test_raw_data_in_english_with_an_imputed_cell(tmp_path):
    raw = tmp_path / "panel.csv"
    raw.write_text(re.sub(r"(?m)^(510000,四川,)[^,]*", r"\1", SYNTHETIC.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "raw"
    report.run(report.Parameters(level="province", lang="en", data=str(raw), missing="median", n_draws=200,
                                 output_dir=str(out)), only=["03", "07"], progress=False, figures_dir=None)
    cells = pd.read_csv(out / "tables" / "missing_cells.csv", dtype={"region_id": str})
    assert cells.to_dict("records") == [{"region_id": "510000", "indicator": "anchor_count", "handled": "median imputed"}]
    recorded = pd.read_csv(out / "tables" / "run_parameters.csv", index_col=0)["value"]
    assert recorded["missing"] == "median" and recorded["data"] == str(raw)
    built = pd.read_csv(out / "tables" / "table01.csv", dtype={"region_id": str}, index_col="region_id")
    published = load_index("province").loc[built.index]
    gaps = (built["people"] - published["people"]).abs()
    assert len(built) == 31 and gaps.drop("510000").max() < 0.05 and gaps["510000"] > 0  # 四川's cell was imputed
    assert (out / "figures" / "province_rank_intervals.png").is_file()
    executed = json.loads((out / "notebooks" / "07_sensitivity.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["data"] == str(raw)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    report.run(report.Parameters(level="city", lang="en", n_draws=200, output_dir=str(out)),
               only=["03", "05"], progress=False, figures_dir=None)
    return out


def test_a_run_writes_pages_notebooks_tables_and_figures(small_run):
    names = {p.name for p in small_run.iterdir()}
    assert names == {"index.html", "03_development_index.html", "05_trends.html", "notebooks", "tables", "figures"}
    index = (small_run / "index.html").read_text(encoding="utf-8")
    assert 'href="03_development_index.html"' in index and 'href="tables/table02.csv"' in index
    for page in small_run.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name  # nothing fetched from another host
    assert "data:image/png;base64" in (small_run / "03_development_index.html").read_text(encoding="utf-8")
    for fmt in ("csv", "xlsx", "md"):
        assert (small_run / "tables" / f"table02.{fmt}").is_file()
    assert (small_run / "figures" / "table02_ranked.png").is_file()
    executed = json.loads((small_run / "notebooks" / "05_trends.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["start_time"] is None
    assert executed["metadata"]["papermill"]["parameters"]["lang"] == "en"


def test_a_failed_run_leaves_the_previous_output_intact(small_run, monkeypatch, tmp_path):
    before = sorted(p.relative_to(small_run) for p in small_run.rglob("*"))
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("killed halfway")

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    with pytest.raises(RuntimeError, match="killed halfway"):
        report.run(report.Parameters(level="city", output_dir=str(small_run)), only=["05"], progress=False,
                   figures_dir=None)
    assert calls and sorted(p.relative_to(small_run) for p in small_run.rglob("*")) == before
    assert not [p.name for p in small_run.parent.iterdir() if p.name.startswith(".")]  # the staging folder is gone


def test_cli_report_refuses_bad_parameters(capsys):
    assert main(["report", "--level", "county"]) == 2
    assert "level='county'" in capsys.readouterr().err


def test_a_failing_notebook_is_named_and_kept(small_run, monkeypatch):
    before = sorted(p.relative_to(small_run) for p in small_run.rglob("*"))

    def failing(source, executed, **kwargs):
        nbformat.write(nbformat.v4.new_notebook(), executed)
        raise papermill.PapermillExecutionError(cell_index=2, exec_count=3, source="1/0", ename="ZeroDivisionError",
                                                evalue="division by zero", traceback=[])

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    with pytest.raises(NotebookError, match=r"notebook 05_trends failed in cell 3: ZeroDivisionError"):
        report.run(report.Parameters(level="city", output_dir=str(small_run)), only=["05"], progress=False,
                   figures_dir=None)
    assert (small_run.parent / "out-failed" / "05_trends.ipynb").is_file()
    assert sorted(p.relative_to(small_run) for p in small_run.rglob("*")) == before


def test_same_seed_same_bytes(tmp_path):
    """Two runs with the same parameters write byte-identical tables, figures, notebooks and pages."""
    out, copies = tmp_path / "out", []
    for k in range(2):
        report.run(report.Parameters(level="city", n_draws=200, seed=3, output_dir=str(out)), only=["04", "07"],
                   progress=False, figures_dir=None)
        copies.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert copies[0].keys() == copies[1].keys() and len(copies[0]) > 40
    different = [str(p) for p in copies[0] if copies[0][p] != copies[1][p]]
    assert not different


def test_a_killed_run_leaves_the_previous_output_intact(small_run):
    """SIGKILL a report run halfway (runner and kernels): the previous complete output is untouched."""
    before = {p.relative_to(small_run): p.read_bytes() for p in small_run.rglob("*") if p.is_file()}
    process = subprocess.Popen([sys.executable, "-m", "livecommerce", "report", "--level", "city", "--only", "07",
                                "--n-draws", "200", "--output-dir", str(small_run)],
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(small_run.parent.glob(f".{small_run.name}.*/notebooks")):
        time.sleep(0.1)  # wait until the run has started writing its staging folder
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = {p.relative_to(small_run): p.read_bytes() for p in small_run.rglob("*") if p.is_file()}
    assert after == before


def test_no_pickle_no_eval_no_unsafe_loading():
    from livecommerce.paths import _PACKAGE
    for path in _PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(pickle|marshal|shelve)\b|\beval\(|\bexec\(|yaml\.load\(|yaml\.unsafe", text), path.name
