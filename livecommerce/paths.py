"""Where the bundled data lives, for an editable install and for a wheel alike."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder holding ``regions.csv`` and ``published/``.

    A wheel carries the data inside the package (``livecommerce/_data``); an editable
    install or a source checkout reads the repository's top-level ``data/``.
    """
    for candidate in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if (candidate / "regions.csv").is_file():
            return candidate
    raise FileNotFoundError(
        f"livecommerce data not found in {_PACKAGE / '_data'} or {_PACKAGE.parent / 'data'}; "
        "reinstall the package from a complete checkout"
    )


def published_dir() -> Path:
    """The read-only folder of the report's published tables and facts."""
    return data_dir() / "published"


def default_scheme_path() -> Path:
    """The report's index tree, ``schemes/report2023.toml``."""
    return data_dir() / "schemes" / "report2023.toml"
