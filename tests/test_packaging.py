"""The package installs as documented: environment.yml matches pyproject, a wheel carries the data."""

import ast
import json
import re
import runpy
import subprocess
import sys
import tomllib
import warnings
import zipfile
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import in_locked_environment, locked_releases, same_at_printed_precision
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def requirement_names(specs) -> dict[str, str]:
    return {re.split(r"[<>=!~ ]", s, maxsplit=1)[0].lower(): s.replace(" ", "") for s in specs}


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = requirement_names(
        project["dependencies"] + extras["test"] + extras["lint"] + extras["docs"] + extras["bench"]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = requirement_names(
        [c for c in conda if not c.startswith(("python", "pip"))] + [p for p in pip if p != "-e ."]
    )
    assert listed == wanted
    assert "conda-forge" in env["channels"] and "-e ." in pip


def test_every_imported_package_is_declared():
    """What the package imports is in ``dependencies`` or the ``spark`` extra (the optional engine, imported only
    when asked for); what the tests import besides, in the ``test`` extra; what the benchmarks import besides, in
    the ``bench`` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {
        "package": set(requirement_names(project["dependencies"] + project["optional-dependencies"]["spark"])),
        "tests": set(requirement_names(project["dependencies"] + project["optional-dependencies"]["test"])),
        "benchmarks": set(requirement_names(project["dependencies"] + project["optional-dependencies"]["bench"])),
    }
    distributions = metadata.packages_distributions()
    for part, folder in (
        ("package", ROOT / "livecommerce"),
        ("tests", ROOT / "tests"),
        ("benchmarks", ROOT / "benchmarks"),
    ):
        modules = set()
        for node in (n for p in folder.rglob("*.py") for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                modules.add(node.module.split(".")[0])
        own = {"livecommerce"} | {p.stem for p in folder.glob("*.py")}  # the package, a folder's own helpers
        for module in sorted(modules - set(sys.stdlib_module_names) - own):
            names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [module])}  # PEP 503
            assert names & declared[part], f"{part} imports {module} (from {names}), which is not declared"


def test_datapackage_describes_every_file_and_column():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    files = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*.csv")}
    assert {r["path"] for r in package["resources"]} == files
    for resource in package["resources"]:
        comment = resource.get("dialect", {}).get("commentChar")
        columns = pd.read_csv(ROOT / "data" / resource["path"], nrows=0, comment=comment).columns
        assert list(columns) == [f["name"] for f in resource["schema"]["fields"]], resource["path"]
    for resource in package["resources"]:
        assert resource["sources"] and all(f.get("description") for f in resource["schema"]["fields"])


def test_readme_names_the_two_commands_and_ci_runs_lint_then_tests():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make report" in readme and "中国直播电商行业发展趋势报告（2023）" in readme
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-2:] == ["make lint", "make test"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("livecommerce-*.whl"))


@pytest.mark.slow
def test_wheel_ships_the_data_and_loads_it_from_anywhere(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "livecommerce/_data/regions.csv" in names
    assert "livecommerce/_data/published/table15.csv" in names and "livecommerce/_data/published/facts.csv" in names
    assert "livecommerce/_data/schemes/report2023.toml" in names
    assert {f"livecommerce/_notebooks/{n}.py" for n in ("01_overview", "07_sensitivity", "08_explore")} <= set(names)
    # JupyterLab's default viewer of Python files (jupytext's notebook), installed into its settings folder
    assert "livecommerce-0.1.0.data/data/share/jupyter/lab/settings/overrides.d/livecommerce.json" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import livecommerce.data.paths as p, livecommerce.data.published as d; "
        "print(p.data_dir()); print(len(d.load_index('prefecture'))); print(p.notebooks_dir().name)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    where, rows, notebooks = result.stdout.split()
    assert Path(where) == site / "livecommerce" / "_data" and rows == "21" and notebooks == "_notebooks"


def test_the_api_reference_documents_every_module(tmp_path, monkeypatch):
    """`make docs`' script: one page per module (a subpackage's modules included), built from the docstrings; run
    as a script in this process, whose interpreter has the modules loaded already."""
    out = tmp_path / "api"
    monkeypatch.setattr(sys, "argv", ["api_docs.py", str(out)])
    with warnings.catch_warnings():  # the filters stay the script's; pdoc's notes on modules met twice, on the console
        warnings.simplefilter("ignore", UserWarning)  # for `make docs`, are no test's warnings
        runpy.run_path(str(ROOT / "scripts" / "api_docs.py"), run_name="__main__")
    package = ROOT / "livecommerce"
    expected = {
        p.relative_to(ROOT).with_suffix(".html").as_posix()
        for p in package.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    }
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert expected <= pages and "livecommerce.html" in pages
    assert "built and validated once" in (out / "livecommerce" / "study.html").read_text(encoding="utf-8")


def test_the_glossary_names_what_the_code_accepts():
    """docs/glossary.md lists every normalisation, aggregation, weighting method, transform, treatment, missing-data
    policy and importance measure by its code name, and no other."""
    from livecommerce.analysis import optimise
    from livecommerce.index import aggregate, impute, normalise, scheme, treat
    from livecommerce.vocab import DIVISIONS, LEVELS, MEASURES

    rows = {}
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) > 3 and "**" in cells[1]:
            rows[cells[1].split("**")[1]] = set(re.findall(r"`([a-z_][a-z0-9_]*)`", cells[2]))
    assert rows["normalisation"] == set(normalise.NORMALISATIONS)
    assert rows["aggregation"] == set(aggregate.AGGREGATIONS)
    assert rows["weighting method"] == {"fixed", *scheme.WEIGHTING_METHODS}
    assert rows["measure"] == set(MEASURES) and rows["level"] == {*LEVELS, *DIVISIONS}
    assert rows["treatment"] == set(treat.TREATMENTS) and rows["missing"] == set(impute.MISSING)
    assert rows["transform"] == {"transform", *scheme.TRANSFORMS}  # the scheme key and its values
    assert rows["importance"] == {*optimise.IMPORTANCE_MEASURES, "measure"}


def test_the_lock_pins_every_requirement_within_its_range():
    """requirements-lock.txt (make lock) holds one release of every package pyproject.toml asks for, inside the
    range pyproject.toml gives, and is what the environment of make test and CI is built from."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    pins = locked_releases()
    for requirement in map(Requirement, wanted):
        name = requirement.name.lower()
        assert name in pins, f"{name} is not in the lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]}: {requirement}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := requirements-lock.txt" in makefile
    assert "pip install --quiet --requirement $(LOCK)" in makefile and "--no-deps --no-build-isolation" in makefile
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(LOCK\)$", makefile, flags=re.M)


def test_make_test_runs_in_the_locked_environment():
    assert in_locked_environment() or Path(sys.prefix).name == ".venv-latest", (
        "the installed releases are not the lock's: make test builds .venv from requirements-lock.txt"
    )


@pytest.mark.parametrize(
    ("written", "committed", "same"),
    [
        ("山东,582676447099.91\n", "山东,582676447099.92\n", True),
        ("a,1.5,-0.03\n", "a,1.4,-0.02\n", True),
        ("a,1.7\n", "a,1.5\n", False),  # two units of the last digit
        ("a,1.50\n", "a,1.5\n", False),  # printed to another precision
        ("a,12\n", "a,13\n", True),
        ("a,15\n", "a,13\n", False),
        ("b,1.5\n", "a,1.5\n", False),  # the words differ
        ("a,1.5\n", "a,1.5,2\n", False),
    ],
)
def test_committed_files_compare_at_their_printed_precision_outside_the_lock(written, committed, same):
    assert same_at_printed_precision(written, committed) is same
