"""Where the bundled data lives, for an editable install and for a wheel alike."""

from importlib import metadata
from pathlib import Path

from livecommerce import arguments

__all__ = [
    "PACKAGE",
    "checkout_dir",
    "data_dir",
    "default_output_dir",
    "default_scheme_path",
    "installed_file",
    "notebooks_dir",
    "published_dir",
]

PACKAGE = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """The folder holding ``regions.csv`` and ``published/``.

    A wheel carries the data inside the package (``livecommerce/_data``); an editable
    install or a source checkout reads the repository's top-level ``data/``.
    """
    for candidate in (PACKAGE / "_data", PACKAGE.parent / "data"):
        if (candidate / "regions.csv").is_file():
            return candidate
    raise FileNotFoundError(
        f"livecommerce data not found in {PACKAGE / '_data'} or {PACKAGE.parent / 'data'}; "
        "reinstall the package from a complete checkout"
    )


def published_dir() -> Path:
    """The read-only folder of the report's published tables and facts."""
    return data_dir() / "published"


def default_scheme_path() -> Path:
    """The report's index tree, ``schemes/report2023.toml``."""
    return data_dir() / "schemes" / "report2023.toml"


def notebooks_dir() -> Path:
    """The chapter notebooks (jupytext py:percent sources): bundled in a wheel, ``notebooks/`` in a checkout."""
    for candidate in (PACKAGE / "_notebooks", PACKAGE.parent / "notebooks"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"livecommerce notebooks not found in {PACKAGE / '_notebooks'} or {PACKAGE.parent / 'notebooks'}"
    )


def checkout_dir() -> Path | None:
    """The repository root when running from a source checkout, else None."""
    root = PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir() else None


def default_output_dir() -> Path:
    """Where ``livecommerce report`` writes by default: ``build/`` of the checkout, else ``~/livecommerce-build``."""
    root = checkout_dir()
    return root / "build" if root else Path.home() / "livecommerce-build"


def installed_file(distribution: str, relative: str) -> Path | None:
    """A file shipped inside an installed distribution (a font, a boundary file), or None if absent."""
    arguments.string(distribution, "distribution")
    arguments.path(relative, "relative")
    try:
        path = Path(metadata.distribution(distribution).locate_file(relative))
    except metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None
