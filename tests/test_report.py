"""The one-command report: thin notebooks with a parameters cell, validation first, output moved in whole."""

import html
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import jupytext
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
from pdf_layout import faults, layout
from PIL import Image

from livecommerce import Study, plots
from livecommerce.cli import main
from livecommerce.data import panel
from livecommerce.data.export import write_table
from livecommerce.data.paths import data_dir, default_scheme_path, notebooks_dir, published_dir
from livecommerce.data.published import load_index, load_table
from livecommerce.errors import DataError, NotebookError, OutputError, ParameterError, SchemeError
from livecommerce.index import impute
from livecommerce.index import scheme as scheme_module
from livecommerce.index.ranking import rank
from livecommerce.index.scheme import load_scheme
from livecommerce.publish.figures import LEFT_OUT, fitted, natural_size
from livecommerce.report import runner as report
from livecommerce.report import runs
from livecommerce.report.outputs import staging_folder
from livecommerce.report.parameters import checked
from livecommerce.vocab import LEVELS

SCHEME = load_scheme()

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"
INTERACTIVE = ("08_explore",)
"""Notebooks for a person in JupyterLab (widgets), which the report never runs."""


def tree(folder) -> dict:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def test_every_notebook_is_a_thin_parameterised_source(tmp_path):
    sources = sorted(p.stem for p in notebooks_dir().glob("*.py"))
    assert sources == sorted([*report.NOTEBOOKS, *INTERACTIVE])
    assert not set(report.NOTEBOOKS) & set(INTERACTIVE)  # the report never runs an interactive one
    for name in sources:
        text = (notebooks_dir() / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"^\s*(def|class|lambda)\b", text, flags=re.M), f"{name}: logic belongs in the library"
        notebook = jupytext.read(notebooks_dir() / f"{name}.py")
        tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in notebook.cells)
        assert all(c.get("outputs", []) == [] for c in notebook.cells if c.cell_type == "code")
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
        assert set(papermill.inspect_notebook(tmp_path / f"{name}.ipynb")) == {"run"}, name  # the run, nothing else
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        assert not re.search(r"\b(output_dir|out)\b", code), f"{name}: the run's writers know the output folder"


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({"level": "county"}, ParameterError, "level='county'"),
        ({"lang": "fr"}, ParameterError, "lang='fr'"),
        ({"n_draws": 0}, ParameterError, "n_draws=0"),
        ({"seed": -1}, ParameterError, "seed=-1"),
        ({"data": str(SYNTHETIC)}, ParameterError, "a raw panel holds one level"),
        ({"data": "missing.csv", "level": "province"}, DataError, "missing.csv: file not found"),
        ({"missing": "zero"}, ParameterError, "missing='zero'"),
        ({"scheme": "missing.toml"}, SchemeError, "missing.toml: file not found"),
        ({"seed": 2**32}, ParameterError, "seed=4294967296"),
        ({"n_draws": 10**12}, ParameterError, "n_draws=1000000000000: the Sobol' analysis would need about"),
        ({"data": 7, "level": "province"}, ParameterError, "data: expected a path as text, got int"),
        ({"coverage": 1.5}, ParameterError, "coverage=1.5 must be a share between 0 and 1"),
        ({"coverage": "most"}, ParameterError, "coverage: expected a number, got str"),
        ({"screen": "hide"}, ParameterError, "screen='hide' is not one of flag, drop"),
        ({"output_dir": str(published_dir() / "out")}, OutputError, "inside the bundled data folder"),
        ({"previous": "2022"}, ParameterError, "previous='2022': no such folder; give 2023 (the published report)"),
    ],
)
def test_bad_parameters_are_refused_before_anything_runs(tmp_path, changes, error, message):
    changes.setdefault("output_dir", str(tmp_path / "out"))
    with pytest.raises(error, match=re.escape(message)):
        report.run(report.Parameters(**changes), figures_dir=None)
    assert not any(tmp_path.iterdir())  # no staging folder, no output


def test_every_wrong_value_is_named_in_one_refusal(tmp_path):
    """Each value wrong on its own is named once, in the order of the parameters (the seed with the screening's
    coverage and screen), the notebooks of ``only`` unknown last, before the values are weighed together (a raw
    panel and an edition both given: said only once the values are right); an integer of numpy's is an integer."""
    wrong = {"level": "nation", "lang": "fr", "period": ("2023-09-30", "2023-01-01"), "engine": "sql", "scheme": 7}
    wrong |= {"missing": "zero", "coverage": 1.5, "screen": "hide", "seed": -1, "n_draws": 0, "edition": "e"}
    with pytest.raises(ParameterError) as refused:
        params = report.Parameters(**wrong, data=str(SYNTHETIC), output_dir=str(tmp_path / "out"))
        report.run(params, only=["09", "03", "09", "1x"])
    said = str(refused.value).split("; ")
    expected = ["level='nation'", "lang='fr'", "period=('2023-09-30', '2023-01-01')", "engine='sql'", "scheme: "]
    expected += ["missing='zero'", "coverage=1.5", "screen='hide'", "seed=-1", "n_draws=0"]
    expected += ["--only '09', '1x': no such notebooks"]
    assert len(said) == len(expected) and all(s.startswith(e) for s, e in zip(said, expected)), said
    assert not any(tmp_path.iterdir())
    with pytest.raises(ParameterError, match=r"^--only '09': no such notebook \("):  # before the two values
        report.run(report.Parameters(data=str(SYNTHETIC), edition="e", level="city"), only=["09"])
    given = checked(report.Parameters(seed=np.int64(5), n_draws=np.int32(300)))
    assert type(given.seed) is int and type(given.n_draws) is int and (given.seed, given.n_draws) == (5, 300)


@pytest.mark.parametrize("changes", [{"n_draws": 0}, {"level": "county"}, {"coverage": 1.5}, {"seed": -1}])
def test_a_bad_value_is_refused_before_a_kernel_starts(tmp_path, monkeypatch, changes):
    """From Python as from the command line: no kernel is started (seconds of processor time) for a refusal."""
    started = []
    monkeypatch.setattr(report, "Kernels", lambda *args: started.append(args))
    with pytest.raises(ParameterError):
        report.run(report.Parameters(output_dir=str(tmp_path / "out"), **changes), figures_dir=None)
    assert started == [] and not any(tmp_path.iterdir())


class Started(Exception):
    """Raised where the notebooks would start: the parameters passed every check."""


def test_the_memory_estimate_counts_only_the_notebooks_chosen(tmp_path, monkeypatch):
    """Draws only notebook 07 makes: an --only 05 run with more than any machine holds is not refused for them."""
    monkeypatch.setattr(report, "_run_notebooks", lambda *args: (_ for _ in ()).throw(Started()))
    params = report.Parameters(level="city", n_draws=10**12, output_dir=str(tmp_path / "out"))
    with pytest.raises(Started):
        report.run(params, only=["05"], progress=False)
    with pytest.raises(ParameterError, match="n_draws=1000000000000: the Sobol' analysis would need"):
        report.run(params, only=["05", "07"], progress=False)
    assert report.Run.build(params, ["05_trends"]).parameters.n_draws == 10**12


@pytest.mark.slow
def test_a_run_under_a_memory_limit_too_low_for_a_kernel_is_refused_before_it_starts(tmp_path):
    """Under ``prlimit --as`` (``ulimit -v``), which every kernel inherits: refused up front, naming the limit."""
    limit = 1_000_000_000  # a kernel cannot even load its libraries (about 1.1 GiB)

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))

    for only, advice in (("07", " with n_draws=200; give fewer draws or raise the limit"), ("05", "; raise the limit")):
        done = subprocess.run(
            [sys.executable, "-m", "livecommerce", "report", "--level", "city", "--n-draws", "200", "--only", only]
            + ["--output-dir", str(tmp_path / "out")],
            preexec_fn=limited,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 2, done.stderr
        assert "the process's memory limit (ulimit -v) of 0.93 GiB is below the" in done.stderr
        assert done.stderr.strip().endswith(f"GiB a notebook's kernel would map{advice}")
    assert not any(tmp_path.iterdir())


def test_every_notebook_says_which_parameters_it_uses():
    """Read from its source: the members of the run it asks for, and the parameters it reads itself."""
    assert report.uses("05_trends") == {"lang"}
    assert report.uses("01_overview") == {"lang", "edition"}  # the report's facts, updated by an edition's
    assert {"n_draws", "seed", "previous", "scheme"} <= report.uses("07_sensitivity")
    assert "n_draws" not in report.uses("06_methodology")
    notes = report.notes(report.Parameters(scheme="mine.toml", n_draws=500), ["01_overview", "07_sensitivity"])
    assert notes == ["notebook 01_overview does not use scheme, n_draws"]
    notes = report.notes(report.Parameters(n_draws=500), ["05_trends"])
    assert notes == ["notebook 05_trends does not use n_draws: it shows the report's own trends chapter as published"]
    example = data_dir() / "examples" / "synthetic_edition_2024"
    assert report.edition_text(str(example), "zh") == example / "text" / "zh"
    assert not report.notes(report.Parameters(edition=str(example)), ["03_development_index"])
    english = report.notes(report.Parameters(edition=str(example), lang="en"), ["03_development_index"])
    assert english == [
        "the edition has no text/en/ folder: its chapters print the 2023 edition's prose, which quotes 2023 numbers; "
        "copy the sections to rewrite from livecommerce/publish/text/en/ into text/en/ beside the edition's files "
        "and edit them"
    ]


def test_only_selects_by_name_or_number():
    assert report.notebook_names(["03", "07_sensitivity"]) == ["03_development_index", "07_sensitivity"]
    assert report.notebook_names(None) == list(report.NOTEBOOKS)
    with pytest.raises(ParameterError, match="'99': no such notebook"):
        report.notebook_names(["99"])


def test_raw_index_frame_has_the_published_shape():
    frame = Study.build("province", SYNTHETIC).frame()
    assert {"name_zh", "name_en", "overall", "overall_rank", "people_rank", "goods_rank", "venue_rank"} <= set(
        frame.columns
    )
    assert frame["overall_rank"].iloc[0] == 1 and len(frame) == 31


@pytest.fixture(scope="module")
def full_run(readme_report):
    """Every notebook, every level, in Chinese: ``make report`` as a user types it in a fresh copy."""
    return readme_report


@pytest.mark.slow
def test_every_chapter_runs_at_every_level(full_run):
    index = (full_run / "index.html").read_text(encoding="utf-8")
    for name in report.NOTEBOOKS:
        assert f'href="notebooks/{name}.html"' in index
        page = (full_run / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert "data:image/png;base64" in page and not re.search(r'(src|href)="(https?:)?//', page), name
        assert not re.search(r"Warning|Traceback|dtype:", page), name  # no warning, traceback or pandas repr
        assert str(full_run.parent) not in page and str(Path.home()) not in page, name  # no local path
    figures = {p.name for p in (full_run / "figures").iterdir()}
    for level in ("province", "city", "prefecture"):
        assert f"{level}_rank_intervals.png" in figures and f"{level}_profile.svg" in figures
    assert {"table01_map.png", "table03_map.png", "figure1_dual_centre.png"} <= figures
    for png in (full_run / "figures").glob("*.png"):  # every figure: a caption and a 来源 for the edition
        sidecar = json.loads(png.with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["caption"] and sidecar["source"], png
        assert set(re.findall(r"[A-Za-z]{2,}", sidecar["caption"])) <= {"Sobol", "TOP"}, png  # Chinese captions
        assert set(re.findall(r"[A-Za-z]{2,}", sidecar["source"])) <= {"Sobol", "CRITIC", "CNNIC"}, png  # and sources
    copied = {p.name for p in (full_run.parent / "figures").iterdir()}
    assert copied == figures | {".gitkeep", "livecommerce-manifest.json"}  # copied as well, and listed


@pytest.mark.slow
def test_the_edition_prints_every_figure_in_its_section_once_and_never_below_7_points(full_run):
    """Every figure of the run has a place in the text (no catch-all chapter) and a print size that keeps its
    8-point text at 7 points or more; a rank no weight moves is a sentence, not a chart."""
    edition_md = (full_run / "report.md").read_text(encoding="utf-8")
    assert "其他图" not in edition_md
    for png in sorted((full_run / "figures").glob("*.png")):
        if png.stem in LEFT_OUT:
            continue
        assert edition_md.count(f"(figures/{png.name})") == 1, png.name
        width, _ = fitted(png)
        assert width >= natural_size(png)[0] * 7 / 8, f"{png.name} printed at {width / natural_size(png)[0]:.0%}"
    for note in (p for p in (full_run / "figures").glob("*.json") if not p.with_suffix(".png").exists()):
        sentence = json.loads(note.read_text(encoding="utf-8"))["text"]
        assert "排名均保持第" in sentence and sentence in edition_md, note.name


@pytest.mark.slow
def test_the_printed_document_names_no_notebook_or_file_and_no_two_figures_share_a_caption(full_run):
    """What a reader of ``make report``'s document sees (report.md, the HTML pages' text) cites no notebook and no
    code or data file, and every figure's caption is its own (图13 and 图17 once shared one)."""
    printed = {"report.md": (full_run / "report.md").read_text(encoding="utf-8")}
    for page in full_run.glob("*.html"):
        visible = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", page.read_text(encoding="utf-8"), flags=re.S)
        printed[page.name] = html.unescape(visible)
    words = ("笔记本", "notebook", ".py", ".ipynb", ".csv", ".toml")
    assert [(name, w) for name, text in printed.items() for w in words if w in text.lower()] == []
    captions = re.findall(r"^\*\*图\d+ (.+)\*\*$", printed["report.md"], flags=re.M)
    assert len(captions) > 40 and len(set(captions)) == len(captions)


@pytest.mark.slow
def test_regenerated_tables_equal_the_published_ones(full_run):
    for number in range(1, 16):
        written = pd.read_csv(
            full_run / "tables" / f"table{number:02d}.csv",
            index_col=0,
            dtype={"region_id": str, "destination_id": str},
            keep_default_na=False,
        )
        published = load_table(number)
        pd.testing.assert_frame_equal(written.reset_index(drop=True), published, check_dtype=False)


@pytest.mark.slow
def test_raw_data_in_english_with_an_imputed_cell(raw_report):
    """The whole report on a raw panel with 四川's anchor_count empty: --missing median --coverage 0.9 --lang en."""
    raw, out = raw_report / "panels" / "panel_2024.csv", raw_report / "out" / "2024"
    cells = pd.read_csv(out / "tables" / "missing_cells.csv", dtype={"region_id": str})
    assert cells.to_dict("records") == [
        {"region_id": "510000", "level": "province", "indicator": "anchor_count", "handled": "median imputed"}
    ]
    share = pd.read_csv(out / "tables" / "imputed_share.csv", dtype={"region_id": str})
    assert share.to_dict("records") == [
        {
            "region_id": "510000",
            "level": "province",
            "available": pytest.approx(16 / 17),
            "imputed_share": pytest.approx(1 / 17),
            "below_coverage": False,
            "dropped": False,
        }
    ]
    # notebook 06 shows them, with names and headings in the run's language, and says so in a sentence
    shown = pd.read_csv(out / "tables" / "province_imputation.csv", dtype={"region_id": str})
    assert shown.to_dict("records") == [
        {
            "region_id": "510000",
            "Region": "Sichuan",
            "Share of indicators filled in": pytest.approx(16 / 17),
            "Share of indicators imputed": pytest.approx(1 / 17),
            "Below the coverage threshold": False,
            "Dropped": False,
        }
    ]
    page = html.unescape((out / "notebooks" / "06_methodology.html").read_text(encoding="utf-8"))
    assert (
        "1 region(s) had empty cells, handled by the median of the other regions; the largest imputed share is "
        "Sichuan's (6%). No region had less than the coverage threshold of 90%" in page
    )
    nodes = ["overall", "people", "activity", "sales", "influence", "goods", "venue"]
    labels = [load_scheme().label(node, "en") for node in nodes]
    assert list(pd.read_csv(out / "tables" / "province_coherence.csv")["Node"]) == labels  # not ids
    loadings = pd.read_csv(out / "tables" / "province_pca_loadings.csv")
    variance = pd.read_csv(out / "tables" / "province_pca_variance.csv")
    assert list(loadings["node"].unique()) == labels and "Anchor activity" in set(loadings["component"])
    assert variance.groupby("node")["share"].sum().to_numpy() == pytest.approx(1)
    assert page.count("pc1_share") == 1  # the sub-indices' summary shown once
    recorded = pd.read_csv(out / "tables" / "run_parameters.csv", index_col=0)["value"]
    assert recorded["missing"] == "median" and recorded["data"] == str(raw) and recorded["data_encoding"] == "utf-8"
    built = pd.read_csv(out / "tables" / "table04.csv", dtype={"region_id": str}, index_col="region_id")
    published = load_index("province").loc[built.index]
    gaps = (built["people"] - published["people"]).abs()
    assert len(built) == 31 and gaps.drop("510000").max() < 0.05 and gaps["510000"] > 0  # 四川's cell was imputed
    assert list(built.columns)[1:] == ["table", "level", "rank", "region", "people", "activity", "sales", "influence"]
    assert (built["rank"] == rank(built["people"])).all() and (built["people"] == built["people"].round(2)).all()
    assert (out / "figures" / "province_rank_intervals.png").is_file()
    executed = json.loads((out / "notebooks" / "07_sensitivity.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"] == {"run": "../run.json"}  # the run the runner checked,
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["data"] == str(raw)  # kept: it runs again


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, kernels):
    out = tmp_path_factory.mktemp("run") / "out"
    mask = os.umask(0o022)
    try:
        report.run(
            report.Parameters(level="city", lang="en", n_draws=200, output_dir=str(out)),
            only=["03", "05"],
            progress=False,
            kernels=kernels,
        )
    finally:
        os.umask(mask)
    return out


@pytest.mark.slow
def test_a_run_writes_pages_notebooks_tables_and_figures(small_run):
    names = {p.name for p in small_run.iterdir()}
    chapters = {p.name for p in small_run.glob("chapter*.html")}
    assert len(chapters) >= 4
    assert names == {
        "index.html",
        *chapters,
        "report.docx",
        "report.pdf",
        "report.xlsx",
        "report.md",
        "notebooks",
        "tables",
        "figures",
        "fonts",
        "livecommerce-manifest.json",
        "run.json",
    }
    index = (small_run / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/03_development_index.html"' in index and 'href="report.pdf"' in index
    for page in [*small_run.glob("*.html"), *small_run.glob("notebooks/*.html")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name  # nothing fetched from another host
    notebook_page = (small_run / "notebooks" / "03_development_index.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in notebook_page
    for fmt in ("csv", "xlsx", "md"):
        assert (small_run / "tables" / f"table02.{fmt}").is_file()
    assert (small_run / "figures" / "table02_ranked.png").is_file()
    executed = json.loads((small_run / "notebooks" / "05_trends.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["start_time"] is None
    modes = {p.relative_to(small_run): p.stat().st_mode & 0o777 for p in [small_run, *small_run.rglob("*")]}
    assert {m for p, m in modes.items() if (small_run / p).is_dir()} == {0o755}  # readable by others (umask 022)
    assert {m for p, m in modes.items() if (small_run / p).is_file()} == {0o644}
    listed = json.loads((small_run / "livecommerce-manifest.json").read_text(encoding="utf-8"))["files"]
    assert set(listed) | {"livecommerce-manifest.json"} == {
        p.relative_to(small_run).as_posix() for p in small_run.rglob("*") if p.is_file()
    }
    assert executed["metadata"]["papermill"]["parameters"] == {"run": "../run.json"}  # the run, in English:
    caption = json.loads((small_run / "figures" / "table02_ranked.json").read_text(encoding="utf-8"))["caption"]
    assert caption == "Live-commerce development index of the 15 sub-provincial cities"  # in the run's language


@pytest.fixture
def broken_notebooks(tmp_path, monkeypatch):
    """The notebook sources, with 05's last cell dividing by zero."""
    folder = tmp_path / "sources"
    shutil.copytree(notebooks_dir(), folder)
    source = folder / "05_trends.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# %%\n1 / 0\n", encoding="utf-8")
    monkeypatch.setattr(report.paths, "notebooks_dir", lambda: folder)
    return folder


@pytest.mark.slow
def test_a_failing_notebook_is_named_and_kept_and_the_previous_output_stays(small_run, broken_notebooks, short_tmp):
    """A failing notebook is named and kept beside the output, the previous output untouched; the other notebook,
    stopped with it (Ctrl-C in papermill), leaves no kernel folder."""
    before = tree(small_run)
    with pytest.raises(NotebookError, match=r"notebook 05_trends failed in cell \d+: ZeroDivisionError"):
        report.run(report.Parameters(level="city", output_dir=str(small_run)), only=["03", "05"], progress=False)
    assert list(short_tmp.glob("livecommerce-kernel-*")) == []
    kept = small_run.parent / "out-failed"
    assert (kept / "05_trends.ipynb").is_file() and (kept / "livecommerce-manifest.json").is_file()
    assert tree(small_run) == before
    assert not [p.name for p in small_run.parent.iterdir() if p.name.startswith(".")]  # no staging folder, no lock


def test_cli_report_refuses_bad_parameters(capsys):
    assert main(["report", "--level", "county"]) == 2
    assert "level='county'" in capsys.readouterr().err


def test_an_editions_section_texts_are_checked_before_any_notebook_runs(tmp_path, monkeypatch, capsys):
    """A section text that is not one (an include, a macro, a file in another encoding) is named with its file and
    line by ``livecommerce report --edition`` before any notebook runs; a text folder linked from elsewhere too."""
    edition = shutil.copytree(data_dir() / "examples" / "synthetic_edition_2024", tmp_path / "edition")
    text = edition / "text" / "zh"
    (text / "9-1.md").write_text("# 后记\n\n{% include '/etc/passwd' %}\n", encoding="utf-8")
    (text / "9-2.md").write_bytes("# 附录\n\n".encode() + "乱码".encode("gb18030"))
    monkeypatch.setattr(report, "_run_notebooks", lambda *_: pytest.fail("a notebook ran"))
    out = tmp_path / "out"
    assert main(["report", "--edition", str(edition), "--output-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert err[err.index("livecommerce: error:") :].splitlines()[:2] == [
        "livecommerce: error: text file 9-1.md, line 3: {% include %} is not allowed",
        "text file 9-2.md, line 3: not UTF-8 text; save it as UTF-8",
    ]
    shutil.rmtree(edition / "text")
    (edition / "text").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere" / "zh").mkdir(parents=True)
    with pytest.raises(DataError, match=r"text/zh: a link out of the edition"):
        report.Run.build(report.Parameters(edition=str(edition), output_dir=str(out)))
    assert not out.exists()


def start_run(out, log, *options, sigint=signal.SIG_DFL):
    """A report run in a child process (its own process group, as a shell starts it) that inherits ``sigint`` as
    its handling of SIGINT (a shell's background job inherits SIG_IGN), once a notebook of it runs; returns the
    process and its staging folder."""
    logs = f".{out.name}.*/run.json"  # written when the kernels are given the staging folder
    stale = set(out.parent.glob(logs))  # a killed run leaves its staging folder, which the next run removes
    process = subprocess.Popen(
        [sys.executable, "-m", "livecommerce", "report", "--output-dir", str(out), *options],
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, sigint),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        started = set(out.parent.glob(logs)) - stale
        if started:
            return process, started.pop().parent
        time.sleep(0.05)
    log.seek(0)
    pytest.fail(f"the run ended (exit {process.poll()}) or never started a notebook:\n{log.read().decode()}")


@pytest.mark.slow
def test_a_killed_run_leaves_the_previous_output_intact(small_run, tmp_path, short_tmp):
    """SIGKILL a report run halfway (runner, papermill and kernels): the previous complete output is untouched (the
    kernels' folders, which no process is left alive to remove, are made in ``short_tmp``)."""
    before = tree(small_run)
    with open(tmp_path / "log", "w+b") as log:
        process, staging = start_run(small_run, log, "--level", "all", "--only", "07", "--n-draws", "20000")
        assert kernels_working(process, staging), "no kernel started"  # killed while they work
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert tree(small_run) == before


@pytest.mark.slow
@pytest.mark.parametrize("inherited", [signal.SIG_DFL, signal.SIG_IGN], ids=["default", "ignored"])
def test_ctrl_c_stops_promptly_and_leaves_the_previous_output_intact(small_run, tmp_path, inherited):
    """Ctrl-C (SIGINT to the run's process group) stops every notebook within seconds and exits non-zero, also when
    the run inherited SIGINT ignored (started as a shell's background job, or by nohup)."""
    before = tree(small_run)
    with open(tmp_path / "log", "w+b") as log:
        process, staging = start_run(
            small_run, log, "--level", "all", "--only", "06,07", "--n-draws", "20000", sigint=inherited
        )
        time.sleep(1)
        os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("the run did not stop within 20 s of Ctrl-C")
        log.seek(0)
        printed = log.read().decode()
    assert code == 130 and "interrupted" in printed, printed
    assert tree(small_run) == before and not staging.exists()
    # a kernel whose papermill process ended stops within a second
    assert not still_working_in(staging, seconds=2), "a process still works in the staging folder"


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_notebooks_and_kernels_end_with_the_runner(small_run, tmp_path, stop):
    """SIGTERM or SIGKILL to the runner alone (not its process group): its papermill processes and their kernels
    end within seconds, and the previous output stays; SIGTERM stops the run as Ctrl-C does."""
    before = tree(small_run)
    with open(tmp_path / "log", "w+b") as log:
        process, staging = start_run(small_run, log, "--level", "all", "--only", "07", "--n-draws", "20000")
        assert kernels_working(process, staging), "no kernel started"
        sockets = [kernel_folder(pid) for pid in kernels_in(staging)]  # each kernel's sockets and connection file
        process.send_signal(stop)
        code = process.wait(timeout=30)
        left = still_working_in(staging, seconds=10)
        for pid in left:  # not to leave them running if the test fails
            os.kill(pid, signal.SIGKILL)
        log.seek(0)
        printed = log.read().decode()
    assert not left, f"{len(left)} processes still work in the staging folder 10 s after the runner ended"
    assert sockets and not any(folder.exists() for folder in sockets)
    assert code == (128 + signal.SIGTERM if stop == signal.SIGTERM else -signal.SIGKILL), printed
    assert tree(small_run) == before
    if stop == signal.SIGTERM:
        assert "interrupted (SIGTERM)" in printed and not staging.exists()


def test_the_notebooks_a_kernel_runs_share_the_runs_inputs_and_studies(tmp_path):
    """A run file in a runner's staging folder is read once in a process while the files it reads stay the same
    (the notebooks of one kernel share the inputs read and the studies built); the next run's, in a new staging
    folder, is read anew, and so is a run file elsewhere (a notebook opened in JupyterLab reads its inputs again)."""
    out, panel = tmp_path / "out", tmp_path / "panel.csv"
    shutil.copy(SYNTHETIC, panel)
    built = runs.Run.build(report.Parameters(level="province", data=str(panel), output_dir=str(out)))

    def staged() -> Path:  # the next run's folder (the runner's way: the last run's is removed as stale)
        run = built.writing_to(staging_folder(out))
        return run.store(run.output)

    first = staged()
    opened = runs.Run.open(first)
    assert runs.Run.open(first) is opened and opened.output == first.parent
    assert opened.study("province") is runs.Run.open(first).study("province")  # built once
    text = panel.read_text(encoding="utf-8")
    panel.write_text(text.replace("四川", "四川 "), encoding="utf-8")  # the same values, a new version of the file
    again = runs.Run.open(first)
    assert again is not opened  # read again: a change of a file it reads is seen
    second = staged()
    assert runs.Run.open(second) is not again and runs.Run.open(second).output == second.parent
    elsewhere = tmp_path / "elsewhere" / "run.json"
    elsewhere.parent.mkdir()
    shutil.copy(second, elsewhere)
    assert runs.Run.open(elsewhere) is not runs.Run.open(elsewhere)


@pytest.fixture
def short_tmp(monkeypatch):
    """The temporary folder while the test runs, for this process and the processes it starts: a new folder of a
    short path, removed after. A runner makes its kernels' folders in it, for their Unix sockets, whose paths must
    stay under 108 characters (a worker's tmp_path is too deep)."""
    folder = tempfile.mkdtemp(prefix="lc-")
    monkeypatch.setenv("TMPDIR", folder)
    monkeypatch.setattr(tempfile, "tempdir", folder)  # this process read TMPDIR once, before
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_a_kernels_folder_goes_with_its_process_stopped_as_it_starts_or_killed(short_tmp):
    """A kernel's folder, made by the runner as it starts the process, is removed however the process ends: stopped
    as it starts (a refusal, Ctrl-C as the command line begins), or killed once its kernel runs because it did not
    stop within the grace it was given (a process stuck or slow on a loaded machine: it removes its folder itself
    only as it ends)."""
    kernels = report.Kernels(1)
    made = list(short_tmp.glob("livecommerce-kernel-*"))
    kernels.stop()
    assert len(made) == 1 and not made[0].exists()
    kernels = report.Kernels(1)
    (made,) = short_tmp.glob("livecommerce-kernel-*")
    deadline = time.monotonic() + 60
    while not (made / "kernel1.json").exists() and time.monotonic() < deadline:  # its kernel has started
        time.sleep(0.01)
    assert (made / "kernel1.json").exists(), "the kernel did not start"
    child = kernels.children[0]
    os.kill(child.pid, signal.SIGSTOP)  # deaf to the interrupt until killed
    kernels.stop(grace=0.5)
    assert child.returncode == -signal.SIGKILL and not made.exists()
    assert list(short_tmp.glob("livecommerce-kernel-*")) == []


def test_kernels_that_cannot_all_start_stop_those_started_and_leave_no_folder(short_tmp, monkeypatch):
    """A second process that cannot start (the machine out of processes) stops the first, and no folder stays."""
    started, popen = [], subprocess.Popen

    def second_fails(*args, **kwargs):
        if started:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        started.append(popen(*args, **kwargs))
        return started[0]

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(subprocess, "Popen", second_fails)
    with pytest.raises(BlockingIOError):
        report.Kernels(2)
    assert started[0].poll() is not None and list(short_tmp.glob("livecommerce-kernel-*")) == []


def test_kept_kernels_serve_one_run_after_another_each_in_its_folder_with_its_umask(tmp_path):
    """Kept kernels (started here under umask 077) run a second run in the same processes, each run in its own
    folder and writing with the umask its runner has then (through the package's writers too), and wait in a
    neutral folder between runs; a run refused before its notebooks leaves them running; a kernel that died
    between runs is started again by its process; a run opened and never ended (an interrupt) has the next run
    start new processes."""
    kernelspec = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernelspec})
    notebook.cells = [
        nbformat.v4.new_code_cell('run = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import os\nfrom pathlib import Path\nfrom livecommerce.data.io import atomic_path\n"
            'Path("cwd.txt").write_text(os.getcwd())\n'
            'with atomic_path(Path("atomic.txt")) as tmp:\n    tmp.write_text("written as a table is")'
        ),
    ]

    def prepared(folder) -> Path:
        (folder / "sources").mkdir(parents=True)
        (folder / "notebooks").mkdir()
        nbformat.write(notebook, folder / "sources" / "n.ipynb")
        return folder

    def one_run(kept, folder, umask) -> Path:
        prepared(folder)
        done, mask = [], os.umask(umask)
        try:
            kept.open(folder)
            kept.work(0, ["n"], done.append)
            failed = kept.failed and kept.error("n")
            kept.end()
        finally:
            os.umask(mask)
        assert done == ["n"] and not failed, failed
        written = folder / "notebooks"
        assert (written / "cwd.txt").read_text(encoding="utf-8") == str(written)
        for name in ("cwd.txt", "atomic.txt", "n.ipynb"):  # by the kernel, its writers, its process (papermill)
            assert (written / name).stat().st_mode & 0o777 == 0o666 & ~umask, (folder.name, name)
        return written

    def kernel_of(child) -> int:
        (pid,) = [p for p in map(int, filter(str.isdigit, os.listdir("/proc"))) if _parent(p) == child.pid]
        return pid

    mask = os.umask(0o077)
    try:
        kept = report.Kernels(1, keep=True)
    finally:
        os.umask(mask)

    def logged() -> bytes:
        kept.logs[0].seek(0)
        return kept.logs[0].read()

    with kept:
        started = [child.pid for child in kept.children]
        kept.logs[0].seek(0, os.SEEK_END)
        kept.logs[0].write(b"what a kernel said as it started\n")  # kept for the first run's error, if any
        kept.logs[0].flush()
        one_run(kept, tmp_path / "run0", 0o022)
        assert b"what a kernel said as it started" in logged()
        one_run(kept, tmp_path / "run1", 0o027)
        assert b"what a kernel said as it started" not in logged()  # each later run's log its own
        assert [child.pid for child in kept.children] == started
        kernel = kernel_of(kept.children[0])
        assert Path(f"/proc/{kernel}/cwd").resolve() == Path(tempfile.gettempdir()).resolve()  # between runs
        with pytest.raises(ParameterError, match="level='county'"):
            report.run(report.Parameters(level="county"), kernels=kept)
        assert all(child.poll() is None for child in kept.children) and not kept.stopping.is_set()
        sockets = kernel_folder(kernel)
        os.kill(kernel, signal.SIGKILL)
        while _parent(kernel) is not None:  # until it is dead
            time.sleep(0.05)
        one_run(kept, tmp_path / "after a dead kernel", 0o022)
        assert [child.pid for child in kept.children] == started
        assert kernel_of(kept.children[0]) != kernel and not list(sockets.glob("kernel1*"))  # its files removed
        kept.open(prepared(tmp_path / "interrupted"))
        kept._send(kept.children[0], "n")  # a notebook started, then the run interrupted: its answer never read
        one_run(kept, tmp_path / "after an interrupt", 0o022)
        assert [child.pid for child in kept.children] != started
    assert all(child.poll() is not None for child in kept.children)  # closed with the block


def _parent(pid: int) -> int | None:
    """The parent of process ``pid``, or None once it is gone (or a zombie)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[1])


def kernels_working(process, staging, seconds: float = 120) -> list[int]:
    """The kernels of run ``process`` working in its ``staging`` folder once one is, or none if it ends first or
    ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while not (found := kernels_in(staging)) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def kernels_in(folder) -> list[int]:
    """The kernels working in ``folder``."""
    found = []
    for pid in working_in(folder):
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def kernel_folder(pid: int) -> Path:
    """The folder of kernel ``pid``'s sockets and connection file (``-f FILE`` on its command line)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return Path(os.fsdecode(command[command.index(b"-f") + 1])).parent


def still_working_in(folder, seconds: float) -> list[int]:
    """The processes working in ``folder`` (:func:`working_in`) once none is, or ``seconds`` after the call."""
    deadline = time.monotonic() + seconds
    while (found := working_in(folder)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def working_in(folder) -> list[int]:
    """Processes whose working folder is ``folder`` or one inside it (or was, before it was removed)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc / "cwd").removesuffix(" (deleted)")
            if cwd == str(folder) or cwd.startswith(f"{folder}/"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_no_pickle_no_eval_no_unsafe_loading():
    from livecommerce.data.paths import PACKAGE as _PACKAGE

    for path in _PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(pickle|marshal|shelve)\b|\beval\(|\bexec\(|yaml\.load\(|yaml\.unsafe", text), (
            path.name
        )


def test_the_runner_reads_a_raw_panel_once(raw_run):
    """Checked, recorded and its gaps listed from one read; each notebook reads it once in its own process."""
    out, reads = raw_run
    assert reads == [SYNTHETIC] and (out / "tables" / "run_parameters.csv").is_file()


def test_a_run_reads_each_file_once_and_builds_each_study_once(tmp_path, monkeypatch):
    """What notebooks 03, 06 and 07 do, asking for every level's study several times: the edition's panels and
    each scheme file are read once by the run (the published tables' reads are counted in test_data), and a
    notebook's kernel opening the run's file reads them once more, in its own process."""
    edition = tmp_path / "edition"
    shutil.copytree(data_dir() / "examples" / "synthetic_edition_2024", edition)
    monkeypatch.setattr(scheme_module, "_SCHEMES", {})  # as in a new process
    reads = []
    read_table, read_bytes = panel.read_table, Path.read_bytes

    def counting_table(path, *args, **kwargs):
        reads.append(Path(path).name)
        return read_table(path, *args, **kwargs)

    def counting_bytes(path):
        if path.suffix == ".toml":  # the panels' bytes are read by read_table, counted above
            reads.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(panel, "read_table", counting_table)
    monkeypatch.setattr(Path, "read_bytes", counting_bytes)
    scheme = str(tmp_path / "mine.toml")
    shutil.copy(default_scheme_path(), scheme)  # a scheme file no other test has read in this process
    params = report.Parameters(scheme=scheme, edition=str(edition), previous="2023", output_dir=str(tmp_path / "out"))
    run = report.Run.build(params)
    first = {level: run.study(level) for level in LEVELS}
    for _ in range(3):
        assert all(run.study(level) is first[level] for level in LEVELS)
    counted = {name: reads.count(name) for name in set(reads)}
    # the report's own scheme too: the 2023 edition compared with is built with it
    assert counted == {"mine.toml": 1, "report2023.toml": 1, "province.csv": 1, "city.csv": 1, "prefecture.csv": 1}
    monkeypatch.setattr(scheme_module, "_SCHEMES", {})  # a kernel: a new process
    reads.clear()
    opened = report.Run.open(run.store(tmp_path))
    assert opened.parameters == replace(run.parameters, output_dir=str(tmp_path)) and opened.output == tmp_path
    pd.testing.assert_frame_equal(opened.study("city").scores, first["city"].scores)
    assert sorted(reads) == ["city.csv", "mine.toml", "prefecture.csv", "province.csv", "report2023.toml"]


def test_a_run_file_is_data_checked_as_the_command_line_checks_it(tmp_path):
    """run.json holds exactly the parameters, as JSON; anything else, or a bad value, is refused by name."""
    (tmp_path / "run.json").write_text('{"level": "province"}', encoding="utf-8")
    with pytest.raises(DataError, match="run.json: a run file holds exactly coverage, data, edition"):
        report.Run.open(tmp_path / "run.json")
    stored = report.Run.build(report.Parameters(level="city", output_dir=str(tmp_path / "out"))).store(tmp_path)
    given = json.loads(stored.read_text(encoding="utf-8"))
    stored.write_text(json.dumps({**given, "lang": "fr"}), encoding="utf-8")
    with pytest.raises(ParameterError, match="lang='fr'"):
        report.Run.open(stored)
    stored.write_text("import os", encoding="utf-8")
    with pytest.raises(DataError, match="not a run file"):
        report.Run.open(stored)


def test_a_notebook_shows_each_figure_as_saved_at_a_third_of_its_size(tmp_path, monkeypatch):
    """In a notebook, run.figure shows the PNG it saved, each pixel the mean of a 3×3 block of the file's (made from
    the pixels the figure's canvas holds, or from the file for a figure whose canvas holds none)."""
    shown = []
    monkeypatch.setattr(runs, "get_ipython", lambda: object())  # as in a notebook
    monkeypatch.setattr(runs, "display", shown.append)
    plots.set_theme()
    run = report.Run.build(report.Parameters(level="city", output_dir=str(tmp_path / "out")))
    run.figure(plots.ranked(run.study("city").frame()), "ranked", "caption", "source")
    png = tmp_path / "out" / "figures" / "ranked.png"
    with Image.open(png) as saved:
        expected = np.asarray(saved.reduce(3))
    for preview in (shown[0].data, runs._preview(plt.figure(), png)):
        with Image.open(io.BytesIO(preview)) as image:
            np.testing.assert_array_equal(np.asarray(image), expected)
    plt.close("all")


SCHEME_RUN = report.Parameters(level="province", n_draws=300, seed=5)
SCHEME_NOTEBOOKS = ["03", "04", "06", "07"]
"""The scheme runs' parameters but the scheme, and their notebooks."""


@pytest.fixture(scope="module")
def scheme_runs(tmp_path_factory, kernels):
    """Notebooks 03, 04, 06 and 07 on the published provinces, with the report's scheme (in kernels of its own) and
    with another one (in the kept kernels)."""
    folder = tmp_path_factory.mktemp("schemes")
    other = folder / "equal.toml"
    text = (data_dir() / "schemes" / "report2023.toml").read_text(encoding="utf-8")
    other.write_text(
        text.replace(
            "weights = { people = 0.533, goods = 0.264, venue = 0.203 }",
            "weights = { people = 0.4, goods = 0.3, venue = 0.3 }",
        ).replace(
            "weights = { activity = 0.17, sales = 0.65, influence = 0.18 }",
            "weights = { activity = 0.34, sales = 0.33, influence = 0.33 }",
        ),
        encoding="utf-8",
    )
    runs = {}
    for name, scheme in (("default", ""), ("other", str(other))):
        runs[name] = folder / name
        params = replace(SCHEME_RUN, scheme=scheme, output_dir=str(runs[name]))
        report.run(params, only=SCHEME_NOTEBOOKS, progress=False, kernels=kernels if scheme else None)
    return runs, other


@pytest.mark.slow
def test_same_seed_same_bytes(scheme_runs, tmp_path, kernels):
    """A second run with the same parameters as the report's scheme run writes byte-identical tables, figures,
    notebooks and pages: in kept kernels that ran another scheme's run before, as in the first run's own."""
    out = tmp_path / "out"
    served = [child.pid for child in kernels.children]
    given = replace(SCHEME_RUN, output_dir=str(out))
    report.run(given, only=SCHEME_NOTEBOOKS, progress=False, figures_dir=None, kernels=kernels)
    assert [child.pid for child in kernels.children] == served  # the same processes
    first, second = tree(scheme_runs[0]["default"]), tree(out)
    assert first.keys() == second.keys() and len(first) > 40
    different = [str(p) for p in first if first[p] != second[p]]
    assert not different


@pytest.mark.slow
def test_a_scheme_with_published_data_reaches_every_analysis(scheme_runs):
    runs, other = scheme_runs
    default, changed = tree(runs["default"] / "tables"), tree(runs["other"] / "tables")
    for name in (
        "province_rank_uncertainty",
        "province_sobol",
        "province_tornado",
        "province_switching_points",
        "province_importance",
        "province_rankings_by_method",
        "table01",
        "table04",
    ):
        assert default[Path(f"{name}.csv")] != changed[Path(f"{name}.csv")], name
    for name in ("table07", "table13", "audit"):  # the published goods and venue tables, the report's audit
        assert default[Path(f"{name}.csv")] == changed[Path(f"{name}.csv")], name
    figures = tree(runs["default"] / "figures"), tree(runs["other"] / "figures")
    assert (
        figures[0][Path("province_people_contributions.png")] != figures[1][Path("province_people_contributions.png")]
    )
    recorded = {k: pd.read_csv(runs[k] / "tables" / "run_parameters.csv", index_col=0)["value"] for k in runs}
    assert recorded["other"]["scheme"] == str(other)
    assert recorded["default"]["scheme"] == str((data_dir() / "schemes" / "report2023.toml").resolve())
    table01 = pd.read_csv(runs["other"] / "tables" / "table01.csv", dtype={"region_id": str}, index_col="region_id")
    assert list(table01.columns)[1:] == ["table", "level", "rank", "region", "overall"]
    published = load_index("province")
    expected = (
        0.4 * (0.34 * published["activity"] + 0.33 * published["sales"] + 0.33 * published["influence"])
        + 0.3 * published["goods"]
        + 0.3 * published["venue"]
    )
    assert np.allclose(table01["overall"], expected.loc[table01.index].round(2))


def test_a_scheme_without_the_nodes_the_notebooks_draw_is_refused(tmp_path):
    text = (data_dir() / "schemes" / "report2023.toml").read_text(encoding="utf-8")
    broken = tmp_path / "flat.toml"
    broken.write_text(
        text.replace(
            "weights = { people = 0.533, goods = 0.264, venue = 0.203 }",
            "weights = { activity = 0.2, sales = 0.2, influence = 0.2, goods = 0.2, venue = 0.2 }",
        ).replace(
            '[nodes.people]\nlabel = { zh = "人", en = "People" }\naggregation = "arithmetic"\n'
            "weights = { activity = 0.17, sales = 0.65, influence = 0.18 }",
            "",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match="the notebooks need a node 'overall' with children people, goods, venue"):
        report.run(report.Parameters(scheme=str(broken), output_dir=str(tmp_path / "out")), progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flat.toml"]


@pytest.mark.slow
def test_dropped_regions_are_drawn_as_no_data(tmp_path, kernels):
    raw = tmp_path / "panel.csv"
    raw.write_text(re.sub(r"(?m)^(510000,四川,)[^,]*", r"\1", SYNTHETIC.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    report.run(
        report.Parameters(level="province", data=str(raw), missing="drop", n_draws=200, output_dir=str(out)),
        only=["03", "04"],
        progress=False,
        kernels=kernels,
    )
    built = pd.read_csv(out / "tables" / "table01.csv", dtype={"region_id": str}, index_col="region_id")
    assert len(built) == 30 and "510000" not in built.index
    assert (out / "figures" / "table01_map.png").is_file()
    cells = pd.read_csv(out / "tables" / "missing_cells.csv", dtype={"region_id": str})
    assert cells["handled"].tolist() == ["dropped the region"]


@pytest.fixture(scope="module")
def raw_run(tmp_path_factory, kernels):
    """Notebooks 03 and 05 on the raw synthetic provinces against a previous run without 四川 (what a --missing
    drop run writes); the output folder and the raw panels the runner read (in this process)."""
    folder = tmp_path_factory.mktemp("raw")
    dropped = Study.build("province", panel.load_panel(SYNTHETIC, SCHEME).drop(index="510000"))
    for number in (1, 4, 7, 13):
        write_table(dropped.table(number), f"table{number:02d}", folder / "previous" / "tables", formats=("csv",))
    reads = []
    read_table = panel.read_table

    def counting(path, *args, **kwargs):
        reads.append(Path(path))
        return read_table(path, *args, **kwargs)

    out = folder / "out"
    params = report.Parameters(
        level="province", data=str(SYNTHETIC), previous=str(folder / "previous"), n_draws=200, output_dir=str(out)
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(panel, "read_table", counting)
        report.run(params, only=["03", "05"], progress=False, kernels=kernels)
    return out, reads


@pytest.mark.slow
def test_a_region_the_previous_edition_lacks_is_new(raw_run):
    """Against a previous run without 四川 (what a --missing drop run writes): chapter 3 runs, 四川 has no growth or
    rank change (printed 新)."""
    out, _ = raw_run
    built = pd.read_csv(out / "tables" / "table01.csv", dtype={"region_id": str}, index_col="region_id")
    assert built.loc["510000", ["yoy_growth", "rank_change"]].isna().all() and built["rank_change"].notna().sum() == 30
    assert (out / "figures" / "table01_previous_year.png").is_file()
    printed = (out / "report.md").read_text(encoding="utf-8")  # 表1: no growth, 新 for its rank change
    assert re.search(r"\|\s+四川\s+\|\s+[\d.]+\s+\|\s+\|\s+新\s+\|", printed)


EDITION = data_dir() / "examples" / "synthetic_edition_2024"


def blank(path: Path, cells: dict[str, range]) -> None:
    """Empty, in the CSV panel at ``path``, the given indicator positions (0 the first) of each region's row."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for k, line in enumerate(lines):
        fields = line.rstrip("\n").split(",")
        if fields[0] in cells:
            for position in cells[fields[0]]:
                fields[2 + position] = ""
            lines[k] = ",".join(fields) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


GAPS = {"510000": range(0, 1), "540000": range(0, 10)}
"""四川 without anchor_count; 西藏 with 7 of its 17 indicators (41%)."""


@pytest.fixture
def gappy_panel(tmp_path) -> Path:
    raw = tmp_path / "panel.csv"
    shutil.copy(SYNTHETIC, raw)
    blank(raw, GAPS)
    return raw


@pytest.fixture
def gappy_edition(tmp_path) -> Path:
    edition = shutil.copytree(EDITION, tmp_path / "synthetic_edition")
    blank(edition / "province.csv", GAPS)  # not the cities: 15 of them are too few for mice's 17 indicators
    return edition


def test_coverage_screen_and_seed_reach_the_runs_panel_and_every_study(gappy_panel, tmp_path):
    """The run's parameters screen and impute the panel as Study.build does with them (what the notebooks and the
    document draw is the run's study); the run's seed is MICE's."""
    options = {"missing": "mice", "coverage": 0.5, "screen": "drop", "seed": 7}
    params = report.Parameters(level="province", data=str(gappy_panel), output_dir=str(tmp_path / "out"), **options)
    study = report.Run.build(params).study("province")
    direct = Study.build("province", gappy_panel, **options)
    assert study.inputs.equals(direct.inputs) and "540000" not in study.inputs.index
    assert study.inputs.notna().all().all() and study.parameters == direct.parameters
    assert study.parameters["seed"] == 7 and study.source == direct.source  # the file it was read from
    other = report.Run.build(replace(params, seed=8)).study("province")
    assert not other.inputs.equals(direct.inputs)  # another seed, another chained-equations draw
    table = study.gaps()
    assert list(table.index) == ["510000", "540000"]
    assert table.loc["540000"].to_dict() == {
        "available": pytest.approx(7 / 17),
        "imputed_share": 0.0,
        "below_coverage": True,
        "dropped": True,
    }
    assert table.loc["510000", "imputed_share"] == pytest.approx(1 / 17) and not table.loc["510000", "dropped"]
    assert study.gaps("en").loc["540000", "Region"] == "Tibet"
    assert study.gaps_note("en") == (
        "2 region(s) had empty cells, handled by chained equations (MICE); the largest imputed share is "
        "Sichuan's (6%). 1 region(s) had less than 50% of their indicators filled in (Tibet) and were dropped."
    )


def test_an_editions_studies_keep_what_was_done_to_each_panel(gappy_edition, tmp_path):
    options = {"coverage": 0.5, "screen": "flag", "seed": 7}
    params = report.Parameters(edition=str(gappy_edition), missing="mice", output_dir=str(tmp_path / "out"), **options)
    run = report.Run.build(params)
    for level, gapped in (("province", ["510000", "540000"]), ("city", []), ("prefecture", [])):
        study = run.study(level)
        built = Study.build(level, gappy_edition / f"{level}.csv", missing="mice", **options)
        assert study.inputs.equals(built.inputs)
        pd.testing.assert_frame_equal(study.gaps(), built.gaps())  # the record is the panel's, not lost on the way
        assert list(study.gaps().index) == gapped
    assert study.parameters["data"] == str(gappy_edition)
    assert run.study("province").gaps().loc["540000", "below_coverage"]
    assert run.label == "SYNTHETIC" and sorted(run.top5()) == [10, 11, 12]
    with pytest.raises(DataError, match=r"column .anchor_count. \(主播数量\), region \w+: empty cell"):
        report.Run.build(replace(params, missing="error"))  # refuses the gaps before anything runs


def test_the_run_records_each_levels_gaps_for_an_edition(gappy_edition, tmp_path):
    blank(gappy_edition / "city.csv", {"210100": range(2, 4)})  # 沈阳, a city only (成都 must agree at two levels)
    params = report.Parameters(
        edition=str(gappy_edition), missing="median", coverage=0.5, output_dir=str(tmp_path / "out")
    )
    staging = tmp_path / "staging"
    report._record(report.Run.build(params).writing_to(staging))
    shares = pd.read_csv(staging / "tables" / "imputed_share.csv", dtype={"region_id": str})
    assert list(shares.columns) == ["region_id", "level", *impute.GAPS]
    assert list(zip(shares["level"], shares["region_id"])) == [
        ("province", "510000"),
        ("province", "540000"),
        ("city", "210100"),
    ]
    tibet = shares.set_index("region_id").loc["540000"]
    assert tibet["available"] == pytest.approx(7 / 17) and tibet["imputed_share"] == pytest.approx(10 / 17)
    assert tibet["below_coverage"] and not tibet["dropped"]  # flagged, the default screen
    cells = pd.read_csv(staging / "tables" / "missing_cells.csv", dtype={"region_id": str})
    assert len(cells) == 1 + 10 + 2 and set(cells["handled"]) == {"median imputed"}
    assert cells.loc[cells["level"] == "city", "indicator"].tolist() == ["mcn_count", "anchor_gmv"]


@pytest.fixture(scope="module")
def edition_run(tmp_path_factory, kernels) -> Path:
    """Notebooks 01 and 06 on the SYNTHETIC edition with gaps in its provinces (mice seeded 7, regions below 50%
    of their indicators dropped) and its own facts.csv, F01 updated; the output folder."""
    root = tmp_path_factory.mktemp("edition")
    edition = shutil.copytree(EDITION, root / "edition")
    blank(edition / "province.csv", GAPS)
    facts = pd.read_csv(published_dir() / "facts.csv", dtype=str, keep_default_na=False)
    facts[facts["fact_id"] == "F01"].assign(value="8.25", period="2024H1").to_csv(edition / "facts.csv", index=False)
    out = root / "out"
    params = report.Parameters(
        edition=str(edition), missing="mice", coverage=0.5, screen="drop", seed=7, output_dir=str(out)
    )
    report.run(params, only=["01", "06"], progress=False, kernels=kernels)
    return out


@pytest.mark.slow
def test_an_editions_facts_update_the_reports_in_chapters_1_and_2(edition_run, tmp_path):
    """An edition's facts.csv replaces the report's facts of the same id (and they are validated like them)."""
    chapter = pd.read_csv(edition_run / "tables" / "chapter1_facts.csv", index_col="fact_id")
    assert chapter.loc["F01", "value"] == 8.25 and chapter.loc["F01", "period"] == "2024H1"
    published, others = pd.read_csv(published_dir() / "facts.csv", index_col="fact_id"), chapter.index.drop("F01")
    assert (chapter.loc[others, "value"] == published.loc[others, "value"]).all()
    without = report.Run.build(report.Parameters(output_dir=str(tmp_path / "other")))
    assert without.facts().loc["F01", "value"] != 8.25  # the report's own facts, without an edition


@pytest.mark.slow
def test_an_edition_run_screens_imputes_and_shows_each_levels_gaps(edition_run):
    """An edition with gaps, mice seeded by the run's seed after coverage screening: every level's record in
    imputed_share.csv, notebook 06's table and sentence per level (in Chinese), and the print edition built from
    the screened studies."""
    out = edition_run
    shares = pd.read_csv(out / "tables" / "imputed_share.csv", dtype={"region_id": str})
    assert list(zip(shares["level"], shares["region_id"], shares["dropped"])) == [
        ("province", "510000", False),
        ("province", "540000", True),
    ]
    province = pd.read_csv(out / "tables" / "province_imputation.csv", dtype={"region_id": str}, index_col=0)
    assert province.loc["540000", "地区"] == "西藏" and province.loc["540000", "已剔除"]
    assert province.loc["540000", "已填指标占比"] == pytest.approx(7 / 17)
    for level in ("city", "prefecture"):
        assert pd.read_csv(out / "tables" / f"{level}_imputation.csv").empty
    page = (out / "notebooks" / "06_methodology.html").read_text(encoding="utf-8")
    assert (
        "2个地区有缺失值，处理方式：链式方程多重插补（MICE）" in page
        and "已填指标占比低于50%的地区1个（西藏），已剔除" in page
    )
    assert page.count("数据无缺失值，未作插补或筛选。") == 2  # the cities and the prefectures
    assert (out / "report.md").is_file() and (out / "report.docx").is_file()  # the edition, from screened studies


INPUT_NAMES = ("province.csv", "city.csv", "prefecture.csv", "top5.csv", "metadata.csv", "facts.csv", ".toml")
"""The names of an edition's files and of a scheme file, which no printed line may carry."""


@pytest.mark.slow
def test_an_edition_prints_its_own_title_and_names_its_data_never_a_file(edition_run):
    """The SYNTHETIC 2024 edition's title (from its metadata.csv) heads every format; the 2023 report's title is
    no title of it; its 来源 lines name the data by the provider and period its metadata declare, the scheme by its
    title, and no page, document or figure caption names an input file or folder."""
    import docx
    import pypdf

    out = edition_run
    title, old = "中国直播电商行业发展趋势报告（2024）", "中国直播电商行业发展趋势报告（2023）"  # copied: no label
    reader, document = pypdf.PdfReader(out / "report.pdf"), docx.Document(out / "report.docx")
    pdf = "\n".join(p.extract_text() for p in reader.pages)
    word = "\n".join([*(p.text for p in document.paragraphs), *(c.text for t in document.tables for c in t._cells)])
    pages = {p: html.unescape(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8"))) for p in out.rglob("*.html")}
    markdown = (out / "report.md").read_text(encoding="utf-8")
    captions = "\n".join(p.read_text(encoding="utf-8") for p in (out / "figures").glob("*.json"))
    assert reader.metadata.title == title and document.core_properties.title == title
    assert title in re.sub(r"\s+", " ", reader.pages[0].extract_text()) and document.paragraphs[1].text == title
    assert f"<title>{title}</title>" in (out / "index.html").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {title}\n")
    for text in (pdf, word, markdown, *pages.values()):
        assert old not in text.replace(f"《{old}》", "")  # the 2023 report may be cited as a fact's source only
    named = "本报告计算（数据：合成数据提供方甲2024年前三季度数据；指标体系：“直播电商发展指数（2023）”指标体系）"
    imputed = "经链式方程多重插补（MICE）后计入本表"  # the note under each province table (GAPS blanked)
    for text in (re.sub(r"\s+", "", pdf), word, markdown, pages[out / "chapter03.html"]):
        assert named in text and imputed in text
    for text in (pdf, word, markdown, captions, *pages.values()):
        assert not [n for n in INPUT_NAMES if n in text]
        assert str(out.parent / "edition") not in text and "edition_2024" not in text


@pytest.mark.slow
def test_the_2023_rebuild_prints_without_a_layout_fault(full_run):
    """Every page of the 2023 rebuild's PDF passes the layout checks (tests/pdf_layout.py: three rows or more of a
    table on each page, its header repeated, captions with their tables and figures, no heading last on a page, no
    half-empty page mid-chapter), and every row of 表1–15 is printed once, under its own number."""
    pages = layout(full_run / "report.pdf")
    assert faults(pages) == []
    printed = {n: sum(len(page.rows(n)) for page in pages) for n in range(1, 16)}
    assert printed == {n: len(load_table(n)) for n in range(1, 16)}


@pytest.mark.slow
def test_an_edition_prints_without_a_layout_fault(edition_run):
    """The SYNTHETIC 2024 edition's PDF passes the same checks; its 表1 prints the 30 provinces the screen kept."""
    pages = layout(edition_run / "report.pdf")
    assert faults(pages) == []
    assert sum(len(page.rows(1)) for page in pages) == 30  # 西藏 dropped


def test_report_run_stays_the_runner_after_the_run_module_loads():
    """``report.run`` is the function, before and after everything under livecommerce.report is loaded."""
    import livecommerce.report as package
    import livecommerce.report.runs  # noqa: F401

    assert package.run is report.run and callable(package.run) and package.Run is report.Run


def test_a_run_writing_straight_into_its_folder_keeps_it_one_the_package_may_replace(tmp_path):
    """A notebook opened in JupyterLab (run = "") writes straight into the output folder: what it writes is listed in
    the folder's manifest, so that the next notebook, and the next report, may still use the folder."""
    params = report.Parameters(level="city", output_dir=str(tmp_path / "out"))
    report.Run.build(params).table(pd.DataFrame({"a": [1]}, index=pd.Index(["x"], name="region_id")), "first")
    again = report.Run.build(params)  # refused if the first notebook's files were not the package's
    again.note("nothing moves", "second")
    listed = json.loads((tmp_path / "out" / "livecommerce-manifest.json").read_text(encoding="utf-8"))["files"]
    assert listed == ["figures/second.json", "tables/first.csv", "tables/first.md", "tables/first.xlsx"]
