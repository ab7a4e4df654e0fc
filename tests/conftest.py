import os
import re
import shutil
import subprocess
import sys
import warnings
from decimal import Decimal
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from packaging.requirements import Requirement

from livecommerce.data.paths import checkout_dir, data_dir, default_scheme_path, published_dir
from livecommerce.index import model
from livecommerce.index.scheme import Node
from livecommerce.report.process import Kernels, without_iri_checks

without_iri_checks()  # as the command line does: the tests load nbformat (the runner) but check no IRI

settings.register_profile("fixed", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile("fixed")
"""The property tests draw the same examples on every machine (``make test``: a red run is a red run anywhere, not
a draw); ``--hypothesis-profile=explore`` draws new ones each run (``make test-latest``), to look for more. No
deadline: how long an example takes is the benchmarks' business (``make bench``), and a busy machine (two workers,
each running reports) once took 279 ms over hypothesis's default 200."""

REPORT = Path(__file__).resolve().parents[2] / "shared" / "source-report" / "live-commerce-trends-report-2023.zh.md"
LOCK = Path(__file__).resolve().parents[1] / "requirements-lock.txt"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
TOOL_CACHES = (
    ".venv",
    ".venv-latest",
    ".venv-tools",
    ".git",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    "__pycache__",
)
"""Folders of the checkout that tools (not the package) write: the virtual environments (make test, test-latest
and lock), git, test caches."""


def checkout_files(root: Path) -> dict:
    """Every file of the checkout outside the tool caches, with its size and modification time."""
    files = {}
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [s for s in subfolders if s not in TOOL_CACHES and not s.endswith(".egg-info")]
        for name in names:
            stat = (Path(folder) / name).stat()
            files[Path(folder, name).relative_to(root)] = (stat.st_size, stat.st_mtime_ns)
    return files


RUNS = (
    "readme_report",
    "readme_examples",
    "raw_report",
    "trends_run",
    "small_run",
    "scheme_runs",
    "raw_run",
    "edition_run",
    "wheel",
    "printed",
)
"""The fixtures that run a report (or build the package, or draw every chart) once a session or a module. Under
pytest-xdist (``make test``), the tests using one run in one worker, so that it runs once, not once in each worker;
the runs themselves spread over the workers."""


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook, which names the items of the groups it saw
def pytest_collection_modifyitems(config, items):
    grouping = getattr(config.option, "loadgroup", False)  # a worker of ``--dist loadgroup``
    for item in items:
        run = next((name for name in RUNS if name in item.fixturenames), None)
        if run is not None:
            item.add_marker(pytest.mark.xdist_group(run))
        group = item.get_closest_marker("xdist_group")  # a run's, or a test's own (the Spark tests: one JVM)
        if grouping and group is not None and "@" not in item.nodeid:
            _group_in_node_id(item, group.args[0] if group.args else group.kwargs.get("name", "default"))


def _group_in_node_id(item, group: str) -> None:
    """Name ``item`` as pytest-xdist's loadgroup scheduler reads its group (``<node id>@<group>``). pytest-xdist
    (3.8) writes the legacy ``_nodeid``, which pytest 9.2 no longer reads (it keeps a structured ``_id``): without
    this, no group holds and a run fixture runs in every worker that gets one of its tests (pytest-xdist#1386)."""
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(f"{item.nodeid}@{group}")
    else:
        item._nodeid = f"{item.nodeid}@{group}"


@pytest.fixture(scope="session", autouse=True)
def the_checkout_is_left_as_it_was():
    """The test suite never writes into the checkout (it runs everything in temporary folders)."""
    root = checkout_dir()
    before = checkout_files(root) if root else None
    yield
    if root:
        after = checkout_files(root)
        changed = sorted(str(p) for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        assert not changed, f"the tests changed the checkout: {changed[:10]}"


@pytest.fixture
def zh():
    """A Chinese figure's test: the theme set, every warning an error while it draws, its figures closed after (the
    pyplot import waits until the test module has chosen its backend)."""
    import matplotlib.pyplot as plt

    from livecommerce import plots

    plots.set_theme()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield "zh"
    plt.close("all")


class _NoKernels:
    """Kernels for a run refused before it would use one: it only records that the run stopped them."""

    keep = False
    stopped = False

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def no_kernels() -> _NoKernels:
    """Kernels to give ``runner.run`` when the run is refused before a kernel would be used."""
    return _NoKernels()


@pytest.fixture(scope="session")
def kernels() -> Kernels:
    """Kernels kept for this worker's report runs (``Kernels(keep=True)``), as a user running one report after
    another keeps them: their libraries load once, not for every run (some four processor seconds a kernel and a
    run); a run that stops them (a failing notebook) has the next one start new ones."""
    with Kernels(keep=True) as kept:
        yield kept


@pytest.fixture
def published_copy(tmp_path) -> Path:
    """A writable copy of data/published to corrupt."""
    folder = tmp_path / "published"
    shutil.copytree(published_dir(), folder)
    return folder


@pytest.fixture(scope="session")
def report_text() -> str:
    if not REPORT.is_file():
        pytest.skip(f"source report not found at {REPORT}")
    return REPORT.read_text(encoding="utf-8")


def make_recipe(makefile: Path, target: str) -> str:
    """The command line of a Makefile target whose recipe is one line, with $(BIN) spelled out."""
    match = re.search(rf"^{target}:.*\n\t(.+)$", makefile.read_text(encoding="utf-8"), flags=re.M)
    return match.group(1).replace("$(BIN)", str(Path(sys.executable).parent))


@pytest.fixture(scope="session")
def fresh_copy(tmp_path_factory) -> Path:
    """A copy of the repository as a fresh clone has it: the files git tracks (no build/, no figures)."""
    root = checkout_dir()
    if root is None:
        pytest.skip("needs a source checkout")
    copy = tmp_path_factory.mktemp("clone") / "livecommerce"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=False)
    files = [f for f in listed.stdout.decode().split("\0") if f] if listed.returncode == 0 else None
    if files:
        for name in files:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, copy / name)
    else:  # a source tree without git: everything but the tool caches and outputs
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*TOOL_CACHES, "build", "*.egg-info"))
    return copy


@pytest.fixture(scope="session")
def readme_report(fresh_copy) -> Path:
    """``make report``'s command line exactly as the Makefile has it (relative ``--output-dir build``), run
    from the root of a fresh copy of the repository; its output folder."""
    command = make_recipe(fresh_copy / "Makefile", "report")
    result = subprocess.run(command, shell=True, cwd=fresh_copy, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return fresh_copy / "build"


@pytest.fixture(scope="session")
def raw_report(tmp_path_factory) -> Path:
    """``livecommerce report`` on a raw province panel whose 四川 has no anchor_count (imputed by the median), in
    English, with ``--data`` and ``--scheme`` relative to a folder that is not the checkout, typed in that folder;
    the folder (panels/, schemes/ and the output in out/2024)."""
    folder = tmp_path_factory.mktemp("raw")
    (folder / "panels").mkdir()
    (folder / "schemes").mkdir()
    synthetic = (data_dir() / "raw" / "synthetic_panel_province_2023.csv").read_text(encoding="utf-8")
    raw = re.sub(r"(?m)^(510000,四川,)[^,]*", r"\1", synthetic)
    (folder / "panels" / "panel_2024.csv").write_text(raw, encoding="utf-8")
    shutil.copy(default_scheme_path(), folder / "schemes" / "mine.toml")
    options = ["--level", "province", "--lang", "en", "--data", "panels/panel_2024.csv", "--missing", "median"]
    options += ["--coverage", "0.9", "--scheme", "schemes/mine.toml", "--n-draws", "200", "--output-dir", "out/2024"]
    command = [sys.executable, "-m", "livecommerce", "report", *options]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return folder


def locked_releases(lock: Path = LOCK) -> dict[str, str]:
    """The release the lock pins for each package this interpreter and platform install."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", " ")):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                pins[requirement.name.lower()] = str(requirement.specifier).removeprefix("==")
    return pins


@cache
def in_locked_environment() -> bool:
    """Whether every package the lock pins is installed at that release (the environment `make test` builds)."""
    try:
        return all(metadata.version(name) == release for name, release in locked_releases().items())
    except metadata.PackageNotFoundError:
        return False


def same_at_printed_precision(written: str, committed: str) -> bool:
    """The same text, but that each number may differ from the committed one by one unit of its last printed digit
    (what a newer numpy or pandas may move)."""
    if NUMBER.sub("#", written) != NUMBER.sub("#", committed):
        return False
    for a, b in zip(NUMBER.findall(written), NUMBER.findall(committed)):
        digits = len(b.partition(".")[2])
        if len(a.partition(".")[2]) != digits or abs(Decimal(a) - Decimal(b)) > Decimal(1).scaleb(-digits):
            return False
    return True


def assert_regenerated(written: Path, committed: Path):
    """A regenerated file equals the committed one: byte for byte in the locked environment, at the printed
    precision of its numbers elsewhere."""
    if in_locked_environment():
        assert written.read_bytes() == committed.read_bytes(), committed.name
    else:
        assert same_at_printed_precision(written.read_text(encoding="utf-8"), committed.read_text(encoding="utf-8")), (
            committed.name
        )


def one_node_model(scores, weights, regions=None, methods=("nominal",)) -> model.Model:
    """One arithmetic node over leaves x, y, … with ``weights``: ``scores`` (regions × leaves) of regions a, b, …
    unless ``regions`` names them."""
    scores = np.asarray(scores, float)
    regions = pd.Index(regions if regions is not None else list("abcdefgh"[: len(scores)]))
    leaves = tuple("xyzw"[: scores.shape[1]])
    return model.with_methods(
        model.Model(
            regions=regions,
            leaves=leaves,
            scores={"published": scores},
            nodes=(Node("top", {}, leaves, None, None, "arithmetic"),),
            weights=(np.asarray(weights, float),),
            names=pd.Series(regions, index=regions),
        ),
        methods,
    )
