"""The README's Python examples run as a user types them: from the clone's root, with its relative paths."""

import re
import subprocess
import sys
import textwrap

import pytest

from livecommerce.data.paths import checkout_dir

README = checkout_dir() / "README.md"
BLOCKS = [
    textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
]  # an example inside a list item is indented
WHOLE_REPORT = "report.run("
"""An example that runs the whole report: the report tests run it, as the command line does."""
EXAMPLES = [b for b in BLOCKS if WHOLE_REPORT not in b]
"""The examples run here."""
FORKS = """
import os, sys, traceback
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot, numpy, pandas, pandera.pandas, scipy.optimize, scipy.stats, seaborn

for folder in sys.argv[1:]:
    child = os.fork()
    if child == 0:
        os.chdir(folder)
        out = os.open("stderr.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        code = 0
        try:
            exec(compile(open("example.py", encoding="utf-8").read(), "example.py", "exec"), {"__name__": "__main__"})
        except SystemExit as exc:
            code = 0 if exc.code in (None, 0) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    status = os.waitpid(child, 0)[1]
    with open(os.path.join(folder, "returncode.txt"), "w") as returned:
        returned.write(str(os.waitstatus_to_exitcode(status)))
"""
"""One interpreter that loads the third-party libraries every example loads (numpy, pandas, matplotlib, scipy, …:
most of an interpreter's start), then runs each example given (a folder holding its ``example.py``) in a child
forked from it: the package itself loaded by each example as a fresh interpreter would, each example's state its own;
its exit code and standard error left in its folder."""


def test_the_readme_has_examples_for_both_kinds_of_user():
    assert len(BLOCKS) >= 8
    assert any("Study.build" in b and "monte_carlo" in b for b in BLOCKS)  # a researcher's study to a result
    assert sum(WHOLE_REPORT in b for b in BLOCKS) == 2  # a report author's run from Python, and runs keeping kernels


@pytest.fixture(scope="module")
def readme_examples(tmp_path_factory) -> list[tuple[int, str]]:
    """Each example run in a folder that holds the clone's data (linked, read only), so that whatever it writes
    (figures/) lands in a scratch folder and never in the checkout; its exit code and standard error, in order."""
    folders = []
    for number, block in enumerate(EXAMPLES):
        folder = tmp_path_factory.mktemp(f"example{number}")
        (folder / "data").symlink_to(checkout_dir() / "data", target_is_directory=True)
        (folder / "example.py").write_text(block, encoding="utf-8")
        folders.append(folder)
    done = subprocess.run(
        [sys.executable, "-c", FORKS, *map(str, folders)], capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == 0, done.stderr
    return [(int((f / "returncode.txt").read_text()), (f / "stderr.txt").read_text(encoding="utf-8")) for f in folders]


@pytest.mark.parametrize("number", range(len(EXAMPLES)), ids=[b.splitlines()[0][:40] for b in EXAMPLES])
def test_a_readme_example_runs_from_the_clones_root(number, readme_examples):
    """Each example in an interpreter of its own (:data:`FORKS`), from a folder that is not the checkout."""
    returncode, stderr = readme_examples[number]
    assert returncode == 0, f"{EXAMPLES[number]}\n{stderr[-3000:]}"
