"""The README's commands as a user types them: relative paths, from any folder; and nothing the package did not
write is ever deleted or overwritten (each refused case leaves every file as it was)."""

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import docx
import numpy as np
import pandas as pd
import pypdf
import pytest
from conftest import make_recipe
from pdf_layout import faults, layout

from livecommerce.cli import main
from livecommerce.data.paths import checkout_dir, data_dir
from livecommerce.data.published import load_table
from livecommerce.errors import OutputError
from livecommerce.report import outputs
from livecommerce.report import runner as report
from livecommerce.vocab import CHANGE_COLUMNS

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


def tree(folder) -> dict:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def livecommerce(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "livecommerce", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.slow
def test_make_report_as_typed_writes_the_whole_report_in_the_copy(readme_report, fresh_copy):
    assert (readme_report / "index.html").is_file() and (readme_report / "livecommerce-manifest.json").is_file()
    assert {p.stem for p in readme_report.glob("notebooks/*.html")} == set(report.NOTEBOOKS)
    assert {"report.docx", "report.pdf", "report.xlsx", "report.md"} <= {p.name for p in readme_report.iterdir()}
    assert not list(readme_report.parent.glob(".build.*"))  # no staging folder or lock left
    figures = {p.name for p in (readme_report / "figures").iterdir()}
    copied = {p.name for p in (fresh_copy / "figures").iterdir()}
    assert len(figures) > 40 and copied == figures | {".gitkeep", "livecommerce-manifest.json"}


@pytest.mark.slow
def test_relative_data_and_scheme_from_another_folder(raw_report):
    """``livecommerce report --data <relative> --scheme <relative>`` run from a folder that is not the checkout."""
    out = raw_report / "out" / "2024"
    assert {p.stem for p in out.glob("notebooks/*.html")} == set(report.NOTEBOOKS)
    assert "chapter03.html" in {p.name for p in out.glob("*.html")}
    used = pd.read_csv(out / "tables" / "run_parameters.csv", index_col=0)["value"]
    assert used["data"] == str(raw_report / "panels" / "panel_2024.csv")
    assert used["scheme"] == str(raw_report / "schemes" / "mine.toml")
    assert sorted(p.name for p in raw_report.iterdir()) == ["out", "panels", "schemes"]


@pytest.fixture(scope="module")
def trends_run(tmp_path_factory) -> Path:
    """``livecommerce report --only 05 --output-dir out --figures-dir figs`` typed in a folder holding only figs/
    (with a .gitkeep, as a checkout's has); that folder."""
    folder = tmp_path_factory.mktemp("trends")
    (folder / "figs").mkdir()
    (folder / "figs" / ".gitkeep").touch()
    result = livecommerce("report", "--only", "05", "--output-dir", "out", "--figures-dir", "figs", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.slow
def test_only_one_notebook_into_a_relative_folder_is_not_hidden(trends_run):
    written = sorted(p.name for p in (trends_run / "out").iterdir() if not p.name.startswith("chapter"))
    assert written == [
        "figures",
        "fonts",
        "index.html",
        "livecommerce-manifest.json",
        "notebooks",
        "report.docx",
        "report.md",
        "report.pdf",
        "report.xlsx",
        "run.json",
        "tables",
    ]
    assert (trends_run / "out" / "notebooks" / "05_trends.html").is_file()
    assert sorted(p.name for p in trends_run.iterdir()) == ["figs", "out"]


def refused_folders(tmp_path) -> dict:
    """Output folders the runner must refuse, each with a fragment of its reason."""
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.md").write_text("my thesis", encoding="utf-8")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SYNTHETIC, inputs / "panel.csv")
    cases = {
        "data": (data_dir(), "bundled data"),
        "data/published": (data_dir() / "published", "bundled data"),
        "home": (Path.home(), "home folder"),
        "thesis": (thesis, "was not written by livecommerce"),
        "input's folder": (inputs, "holds the input file"),
        "a file": (inputs / "panel.csv", "existing file"),
    }
    if checkout_dir():
        cases["checkout"] = (checkout_dir(), "checkout")
        cases["above the checkout"] = (checkout_dir().parent, "checkout")
    return cases


RUN_WRITES = ("run.json", outputs.MANIFEST, "index.html", "chapter*.html", "report.*", "notebooks", "tables")
RUN_WRITES += ("figures", "fonts", f"*{outputs.STAGING}")
"""What a run writes in an output folder: its files and folders, and the staging folder of an output inside it. All
that a refused run could leave in a folder that other processes write to as well."""


def listing(folder: Path, deep: bool, shared: bool = False) -> dict:
    """Name, size and modification time of every file and folder in ``folder`` (recursively if ``deep``); of a
    ``shared`` folder, only of the names a run writes (:data:`RUN_WRITES`)."""
    if shared:
        paths = (p for pattern in RUN_WRITES for p in folder.glob(pattern))
    else:
        paths = folder.rglob("*") if deep else folder.iterdir()
    return {p: (p.lstat().st_size, p.lstat().st_mtime_ns) for p in paths}


def test_dangerous_output_folders_are_refused_and_nothing_changes(tmp_path):
    for name, (folder, reason) in refused_folders(tmp_path).items():
        big = name in ("home", "checkout", "above the checkout")  # watch their top level, and the data below
        # others write in the home folder, and in the checkout's parent when it is the temporary folder (the
        # guide's fresh clone: mktemp -d): the tests' other worker, its kernels' socket folders, pytest's log
        shared = name in ("home", "above the checkout")
        watched = [(folder if folder.is_dir() else folder.parent, not big, shared), (data_dir(), True, False)]
        before = [listing(*w) for w in watched]
        data = str(tmp_path / "inputs" / "panel.csv") if name == "input's folder" else "published"
        params = report.Parameters(level="province", data=data, output_dir=str(folder))
        with pytest.raises(OutputError, match=reason):
            report.run(params, only=["05"], progress=False)
        assert [listing(*w) for w in watched] == before, name
    assert not list(tmp_path.rglob(".*livecommerce*"))


def test_a_folder_of_ours_with_a_foreign_file_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    outputs.write_manifest(out)  # the package wrote notes.txt, say
    (out / "later.txt").write_text("added by the user", encoding="utf-8")
    with pytest.raises(OutputError, match="holds later.txt, which livecommerce did not write"):
        outputs.check_folder(out)
    (out / "later.txt").unlink()
    assert outputs.check_folder(out) == out.resolve()
    with pytest.raises(OutputError, match="is inside the report folder"):  # the next report there would replace it
        outputs.check_folder(out / "2024")


def test_cli_refuses_to_overwrite_inputs_and_existing_files(tmp_path, capsys):
    panel = tmp_path / "p.csv"
    shutil.copy(SYNTHETIC, panel)
    regions = data_dir() / "regions.csv"
    before, registry = panel.read_bytes(), regions.read_bytes()
    assert main(["build", str(panel), "--output", str(panel)]) == 2
    assert main(["build", str(panel), "--output", str(panel), "--overwrite"]) == 2
    assert "is an input of this command" in capsys.readouterr().err
    assert main(["template", "--output", str(regions), "--overwrite"]) == 2
    assert "is inside the bundled data folder" in capsys.readouterr().err
    out = tmp_path / "index.csv"
    out.write_text("keep me", encoding="utf-8")
    assert main(["build", str(panel), "--output", str(out)]) == 2
    assert "exists: give --overwrite" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["build", str(panel), "--output", str(out), "--overwrite"]) == 0
    assert panel.read_bytes() == before and regions.read_bytes() == registry
    assert main(["template", "--output", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.slow
def test_no_single_file_command_writes_into_the_package_its_data_or_git(tmp_path, capsys):
    shutil.copy(SYNTHETIC, tmp_path / "p.csv")
    places = [Path(outputs.__file__), data_dir() / "schemes" / "new.toml", data_dir() / "regions.csv"]
    if checkout_dir():
        places += [checkout_dir() / ".git" / "config", checkout_dir() / "notebooks" / "new.py"]
    for place in places:
        before = place.read_bytes() if place.exists() else None
        assert main(["template", "--output", str(place), "--overwrite"]) == 2, place
        assert "is inside" in capsys.readouterr().err
        assert (place.read_bytes() if place.exists() else None) == before
    assert main(["build", str(tmp_path / "p.csv"), "--output", f"{tmp_path / 'new'}/"]) == 2
    assert "names a folder" in capsys.readouterr().err and not (tmp_path / "new").exists()


def test_figures_are_copied_only_where_nothing_else_would_be_overwritten(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "figure1_dual_centre.png").write_bytes(b"my own figure")
    out = tmp_path / "out"
    for folder, reason in [
        (mine, "holds figure1_dual_centre.png, which livecommerce did not write"),
        (out / "figs", "inside a report folder"),
        (data_dir(), "inside the bundled data"),
        (data_dir() / "published", "inside the bundled data"),
    ]:
        with pytest.raises(OutputError, match=reason):
            report.run(
                report.Parameters(level="city", output_dir=str(out)), only=["05"], progress=False, figures_dir=folder
            )
    assert (mine / "figure1_dual_centre.png").read_bytes() == b"my own figure" and not out.exists()


def test_build_and_template_read_relative_paths_from_the_callers_folder(tmp_path, trends_run, monkeypatch):
    shutil.copy(SYNTHETIC, tmp_path / "p.csv")
    monkeypatch.chdir(tmp_path)  # the command line in this process (an interpreter's start saved), typed there
    assert main(["build", "p.csv", "--output", "scores.csv"]) == 0
    assert main(["template", "--level", "city", "--output", "t/city.csv"]) == 0
    assert (tmp_path / "scores.csv").is_file() and (tmp_path / "t" / "city.csv").is_file()
    # the shared run copied figures into a new folder; once more into the one it wrote: each figure replaced,
    # nothing else touched
    again = shutil.copytree(trends_run, tmp_path / "again", symlinks=True)
    expected = {
        ".gitkeep",
        "livecommerce-manifest.json",
        "figure1_dual_centre.png",
        "figure1_dual_centre.svg",
        "figure1_dual_centre.json",  # its caption and source, for the edition
    }
    assert {p.name for p in (again / "figs").iterdir()} == expected
    monkeypatch.chdir(again)  # typed there, in this process too
    assert main(["report", "--only", "05", "--output-dir", "out", "--figures-dir", "figs"]) == 0
    assert {p.name for p in (again / "figs").iterdir()} == expected


def test_a_second_run_into_a_locked_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with outputs.lock(out.resolve()):
        with pytest.raises(OutputError, match="being written by another livecommerce run"):
            report.run(report.Parameters(level="city", output_dir=str(out)), only=["05"], progress=False)
    assert not out.exists()
    assert not list(tmp_path.iterdir())  # the lock is gone with its holder


@pytest.mark.slow
def test_a_full_disk_is_named_and_the_previous_output_stays(tmp_path, monkeypatch, trends_run, kernels):
    out = shutil.copytree(trends_run / "out", tmp_path / "out", symlinks=True)  # a previous run's output
    before = tree(out)

    def full(folder):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(report, "write_manifest", full)
    with pytest.raises(OutputError, match="No space left on device; the previous output is untouched"):
        report.run(report.Parameters(level="city", output_dir=str(out)), only=["05"], progress=False, kernels=kernels)
    assert tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_run_removes_only_its_own_stale_staging_folders(tmp_path):
    """A killed run's staging folder is removed by the next run into the same folder; a concurrent run's into a
    sibling folder whose name starts the same (report.v2, report.old) is left alone."""
    killed = outputs.staging_folder(tmp_path / "report")
    siblings = [outputs.staging_folder(tmp_path / name) for name in ("report.v2", "report.old")]
    staging = outputs.staging_folder(tmp_path / "report")
    assert sorted(tmp_path.iterdir()) == sorted([staging, *siblings]) and not killed.exists()


def quick_notebooks(monkeypatch, text: str) -> None:
    """The runner's notebooks, record and edition replaced by a page and a figure holding ``text``, made at once."""

    def run_notebooks(names, run, out, progress, kernels):
        (run.output / "figures").mkdir()
        for name in ("index.html", "figures/figure1.png"):
            (run.output / name).write_text(text, encoding="utf-8")

    monkeypatch.setattr(report, "_run_notebooks", run_notebooks)
    monkeypatch.setattr(report, "_record", lambda *_: None)
    monkeypatch.setattr(report, "_document", lambda *_: SimpleNamespace(left_out=()))  # a document, no figure left out


def interrupted_after(monkeypatch, owner, name: str, when=lambda *args: True) -> None:
    """``owner.name`` sending this process SIGINT (Ctrl-C) once done, each time ``when`` accepts its arguments."""
    real = getattr(owner, name)

    def interrupting(*args, **kwargs):
        result = real(*args, **kwargs)
        if when(*args):
            os.kill(os.getpid(), signal.SIGINT)
        return result

    monkeypatch.setattr(owner, name, interrupting)


@pytest.mark.parametrize("moment", ["between the renames", "while the figures are copied"])
def test_an_interrupt_never_leaves_the_report_folder_missing_and_is_reported_truly(
    tmp_path, monkeypatch, capsys, moment
):
    """Ctrl-C once the previous output is moved aside waits until the new one is in place; then, and while the
    figures are copied, the command says that the report was replaced and the figures' copy interrupted."""
    out, figures = tmp_path / "report", tmp_path / "figures"
    command = ["report", "--level", "city", "--only", "05", "--output-dir", str(out), "--figures-dir", str(figures)]
    quick_notebooks(monkeypatch, "first")
    assert main(command) == 0
    quick_notebooks(monkeypatch, "second")
    if moment == "between the renames":
        interrupted_after(monkeypatch, Path, "rename", lambda path, target: path == out)  # moved aside
    else:
        interrupted_after(monkeypatch, shutil, "copyfile")
    assert main(command) == 130
    assert (out / "index.html").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "report"]  # nothing hidden left
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"livecommerce: interrupted (SIGINT); the report in {out} was replaced; copying its figures to {figures} "
        "was interrupted (some there may be missing or from the previous run)"
    )


def test_a_file_that_cannot_be_written_is_named_and_the_old_one_stays(tmp_path, monkeypatch):
    from livecommerce.data import io

    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(io.tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError, match=f"cannot write {target}: Read-only file system"):
        io.write_csv(pd.DataFrame({"a": [1]}), target)
    assert target.read_text(encoding="utf-8") == "old"


def test_a_read_only_output_folder_is_refused(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    real = os.access
    monkeypatch.setattr(outputs.os, "access", lambda path, mode: False if Path(path) == out else real(path, mode))
    with pytest.raises(OutputError, match="is read-only"):
        outputs.check_folder(out)


def linked(link: Path, target: Path) -> Path:
    """``link`` made a symbolic link to ``target`` (replacing a file there); return the link."""
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    return link


def refused_link(link: Path) -> str:
    """The start of the message that refuses the symbolic link ``link``."""
    return re.escape(f"{link} is a symbolic link")


def refuses_a_listed_file_and_the_manifest_as_links(write, folder: Path, listed: str, thesis: Path) -> Path:
    """``write`` refuses ``folder``'s listed file ``listed``, then its manifest, each replaced by a link into
    ``thesis``; return the manifest's link (left in place)."""
    link = linked(folder / listed, thesis / "chapter1.md")
    with pytest.raises(OutputError, match=refused_link(link)):
        write()
    link.unlink()
    manifest = linked(folder / outputs.MANIFEST, thesis / "manifest.json")
    with pytest.raises(OutputError, match=refused_link(manifest)):
        write()
    return manifest


@pytest.fixture
def thesis(tmp_path) -> Path:
    """A folder of the user's own, outside any output folder, that links may point into."""
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.md").write_bytes(b"my thesis")
    return folder


def test_no_write_goes_through_a_symbolic_link(tmp_path, thesis, capsys):
    from livecommerce.data import io

    out = tmp_path / "out"
    out.mkdir()
    frame = pd.DataFrame({"a": [1]})
    to_a_file = linked(out / "scores.csv", thesis / "chapter1.md")
    dangling = linked(out / "new.csv", thesis / "new.csv")
    to_a_folder = linked(out / "sub", thesis)
    for write, link in [
        (lambda: io.write_csv(frame, to_a_file), to_a_file),
        (lambda: io.write_csv(frame, dangling), dangling),
    ]:
        with pytest.raises(OutputError, match=refused_link(link)):
            write()
    with pytest.raises(OutputError, match=refused_link(to_a_folder)):  # a folder between the given one and the file
        with io.atomic_path(to_a_folder / "chapter1.md", root=out) as tmp:
            tmp.write_bytes(b"overwritten")
    shutil.copy(SYNTHETIC, tmp_path / "p.csv")
    assert main(["build", str(tmp_path / "p.csv"), "--output", str(to_a_file), "--overwrite"]) == 2
    assert f"{to_a_file} is a symbolic link" in capsys.readouterr().err
    assert tree(thesis) == {Path("chapter1.md"): b"my thesis"} and sorted(p.name for p in out.iterdir()) == [
        "new.csv",
        "scores.csv",
        "sub",
    ]


def test_a_dangling_link_as_the_manifest_or_the_lock_creates_nothing(tmp_path, thesis):
    out = tmp_path / "out"
    out.mkdir()
    manifest = linked(out / outputs.MANIFEST, thesis / "manifest.json")
    with pytest.raises(OutputError, match=refused_link(manifest)):
        outputs.write_manifest(out)
    lock = linked(tmp_path / ".report.livecommerce-lock", thesis / "lock")
    with pytest.raises(OutputError, match=refused_link(lock)):
        with outputs.lock(tmp_path / "report"):
            pass
    with pytest.raises(OutputError, match=refused_link(lock)):
        report.run(report.Parameters(level="city", output_dir=str(tmp_path / "report")), only=["05"], progress=False)
    assert tree(thesis) == {Path("chapter1.md"): b"my thesis"} and not (tmp_path / "report").exists()


def test_a_report_folder_holding_a_link_or_an_unlisted_empty_folder_is_refused(tmp_path, thesis):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "table01.csv").write_text("written by livecommerce", encoding="utf-8")
    outputs.write_manifest(out)
    params = report.Parameters(level="city", output_dir=str(out))

    def refused(reason: str) -> None:
        before = listing(out, deep=True)
        with pytest.raises(OutputError, match=reason):
            report.run(params, only=["05"], progress=False)
        assert listing(out, deep=True) == before

    refused(refused_link(linked(out / "thesis", thesis)))  # a link to a folder: never listed
    (out / "thesis").unlink()
    refused(refused_link(linked(out / "tables" / "table01.csv", thesis / "chapter1.md")))  # a listed file's place
    (out / "tables" / "table01.csv").unlink()
    (out / "drafts").mkdir()
    refused("holds drafts, which livecommerce did not write")  # an empty folder
    assert tree(thesis) == {Path("chapter1.md"): b"my thesis"}


def test_a_failed_notebook_is_never_kept_through_a_link(tmp_path, thesis):
    out, kept = tmp_path / "out", tmp_path / "out-failed"
    executed = tmp_path / "staging" / "05_trends.ipynb"
    executed.parent.mkdir()
    executed.write_text("{}", encoding="utf-8")
    kept.mkdir()
    (kept / "03_development_index.ipynb").write_text("kept before", encoding="utf-8")
    (kept / "05_trends.ipynb").write_text("kept before", encoding="utf-8")
    outputs.write_manifest(kept)
    refuses_a_listed_file_and_the_manifest_as_links(
        lambda: report._keep_failed(executed, out), kept, "05_trends.ipynb", thesis
    )
    assert tree(kept) == {Path("03_development_index.ipynb"): b"kept before"}
    shutil.rmtree(kept)
    linked(kept, thesis)  # <out>-failed itself a link
    with pytest.raises(OutputError, match=refused_link(kept)):
        report._keep_failed(executed, out)
    assert tree(thesis) == {Path("chapter1.md"): b"my thesis"}


def test_figures_are_never_copied_through_a_link(tmp_path, thesis):
    out, target = tmp_path / "out", tmp_path / "figs"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "figure1.png").write_bytes(b"the run's figure")
    target.mkdir()
    (target / "figure1.png").write_bytes(b"copied before")
    outputs.write_manifest(target)
    manifest = refuses_a_listed_file_and_the_manifest_as_links(
        lambda: report._copy_figures(out, target), target, "figure1.png", thesis
    )
    assert tree(thesis) == {Path("chapter1.md"): b"my thesis"} and list(target.iterdir()) == [manifest]


def test_report_refuses_a_figures_folder_whose_figure_is_a_link_before_it_runs(tmp_path, thesis):
    figures = tmp_path / "figs"
    figures.mkdir()
    (figures / "figure1_dual_centre.png").write_bytes(b"copied before")
    outputs.write_manifest(figures)
    link = linked(figures / "figure1_dual_centre.png", thesis / "chapter1.md")
    result = livecommerce("report", "--only", "05", "--output-dir", "out", "--figures-dir", "figs", cwd=tmp_path)
    assert result.returncode == 2 and f"{link} is a symbolic link" in result.stderr
    assert tree(thesis) == {Path("chapter1.md"): b"my thesis"} and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_make_example_as_typed_builds_the_synthetic_2024_edition(fresh_copy):
    """`make example` from a fresh copy: 表1–15 of the SYNTHETIC 2024 edition with growth and arrows computed
    against the published 2023 report by its definitions, the audit's edition checks passing, every page, table
    and figure caption marked SYNTHETIC, the PDF without a layout fault."""
    command = make_recipe(fresh_copy / "Makefile", "example")
    result = subprocess.run(command, shell=True, cwd=fresh_copy, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    out = fresh_copy / "example-2024"
    for number in range(1, 16):
        assert (out / "tables" / f"table{number:02d}.csv").is_file(), number
    for number, columns in CHANGE_COLUMNS.items():
        table = pd.read_csv(out / "tables" / f"table{number:02d}.csv", dtype={"region_id": str})
        previous = load_table(number).set_index("region_id")
        before = previous.loc[table["region_id"]]
        assert list(table.columns[-len(columns) :]) == list(columns)
        assert (table["rank_change"].to_numpy() == before["rank"].to_numpy() - table["rank"].to_numpy()).all()
        if "yoy_growth" in columns:
            expected = table["overall"].to_numpy() / before["overall"].to_numpy() - 1
            assert np.allclose(table["yoy_growth"], expected, atol=1e-12)
    top5 = pd.read_csv(out / "tables" / "table10.csv")
    assert top5["brand"].str.startswith("合成").all() and top5["rank"].tolist() == [1, 2, 3, 4, 5]
    audit = pd.read_csv(out / "tables" / "audit.csv")
    assert {"T1-arrows", "T2-arrows", "T3-arrows", "T1-growth"} <= set(audit["check_id"])
    assert (audit["verdict"] == "consistent").all()
    pages = sorted(out.glob("*.html"))
    assert pages and all("SYNTHETIC" in page.read_text(encoding="utf-8") for page in pages)
    edition = (out / "report.md").read_text(encoding="utf-8")
    captions = [line for line in edition.splitlines() if re.match(r"^\**(表|图)\d+", line)]
    assert len(captions) >= 15 + 10 and all("SYNTHETIC" in line for line in captions)
    assert "↑" in edition and "↓" in edition
    printed = pypdf.PdfReader(out / "report.pdf").pages  # every printed page, not only the headed ones
    assert all("SYNTHETIC" in page.extract_text() for page in printed)
    assert docx.Document(out / "report.docx").sections[0].header.paragraphs[0].text == "SYNTHETIC"
    assert "其他图" not in edition  # every figure in its section
    assert faults(layout(out / "report.pdf")) == []  # tests/pdf_layout.py, as for the 2023 rebuild
