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


def test_the_readme_has_examples_for_both_kinds_of_user():
    assert len(BLOCKS) >= 8
    assert any("Study.build" in b and "monte_carlo" in b for b in BLOCKS)  # a researcher's study to a result
    assert sum(WHOLE_REPORT in b for b in BLOCKS) == 1  # a report author's run from Python


@pytest.mark.parametrize("block", [b for b in BLOCKS if WHOLE_REPORT not in b], ids=lambda b: b.splitlines()[0][:40])
def test_a_readme_example_runs_from_the_clones_root(block, tmp_path):
    """Each example in a fresh interpreter, in a folder that holds the clone's data (linked, read only), so that
    whatever it writes (figures/) lands in a scratch folder and never in the checkout."""
    (tmp_path / "data").symlink_to(checkout_dir() / "data", target_is_directory=True)
    script = "import matplotlib\nmatplotlib.use('Agg')\n" + block
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{block}\n{result.stderr[-3000:]}"
