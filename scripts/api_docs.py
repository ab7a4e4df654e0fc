"""Build the API reference (HTML, from the docstrings) of every livecommerce module with pdoc.

Usage: python scripts/api_docs.py [OUTPUT_FOLDER]   (default: docs/api beside this script's checkout)
"""

import pkgutil
import sys
import warnings
from pathlib import Path

import pdoc

import livecommerce

DEFAULT = Path(__file__).resolve().parents[1] / "docs" / "api"


def modules() -> list[str]:
    """The package and every submodule but ``__main__`` (importing it would run the command line)."""
    found = pkgutil.walk_packages(livecommerce.__path__, "livecommerce.")
    return ["livecommerce", *sorted(m.name for m in found if not m.name.endswith("__main__"))]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    # plots/__init__ re-exports save() from plots/save.py, so pdoc meets that module twice; one page is right.
    warnings.filterwarnings("ignore", message="The module specification 'livecommerce.plots.save'")
    pdoc.render.configure(docformat="restructuredtext", show_source=False, footer_text="livecommerce")
    pdoc.pdoc(*modules(), output_directory=out)
    print(f"wrote the API reference of {len(modules())} modules to {out}/index.html")
