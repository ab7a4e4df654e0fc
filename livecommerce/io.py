"""Writing outputs safely: to a temporary file beside the target, moved into place when complete."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import DataError, ParameterError
from .paths import published_dir


@contextmanager
def atomic_path(path: Path | str):
    """Yield a temporary path in ``path``'s folder; on success move it onto ``path``.

    If the body raises, the temporary file is removed and any existing ``path`` is left as it was.
    The package never writes under ``data/published``.
    """
    target = Path(path).resolve()
    if target.is_relative_to(published_dir().resolve()):
        raise ParameterError(f"output path {path}: data/published is read-only input")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def read_csv(path: Path, **options) -> pd.DataFrame:
    """``pandas.read_csv`` as UTF-8, with a file that is not CSV text turned into a :class:`DataError` naming it."""
    try:
        return pd.read_csv(path, encoding="utf-8", **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable UTF-8 CSV file ({str(exc).strip()})") from None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Text a spreadsheet would run as a formula (OWASP, CSV injection)."""


def _defuse(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _map_labels(index: pd.Index, func) -> pd.Index:
    names = [func(name) for name in index.names]
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_arrays([index.get_level_values(k).map(func) for k in range(index.nlevels)],
                                         names=names)
    return index.map(func).set_names(names)


def map_text(frame: pd.DataFrame, func) -> pd.DataFrame:
    """A copy of ``frame`` with ``func`` applied to every cell of its non-numeric columns and to every label:
    index and columns, each level of a MultiIndex, and their names. ``func`` must return non-text unchanged."""
    out = frame.copy()
    for k in range(out.shape[1]):
        if not pd.api.types.is_numeric_dtype(out.iloc[:, k]):
            out.isetitem(k, out.iloc[:, k].map(func))
    out.index = _map_labels(out.index, func)
    out.columns = _map_labels(out.columns, func)
    return out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and labels (every level of a MultiIndex, and the names) cannot run
    as spreadsheet formulas: those starting with = + - @, a tab or a carriage return get a leading apostrophe.
    Numbers are left as they are."""
    return map_text(frame, _defuse)


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write ``frame`` as UTF-8 CSV with Unix line endings, neutralised, atomically."""
    with atomic_path(path) as tmp:
        neutralise(frame).to_csv(tmp, encoding="utf-8", lineterminator="\n")
    return Path(path)
