"""Writing outputs safely: to a temporary file beside the target, moved into place when complete."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import DataError, OutputError, ParameterError
from .outputs import file_mode
from .paths import published_dir


@contextmanager
def atomic_path(path: Path | str):
    """Yield a temporary path in ``path``'s folder; on success move it onto ``path``.

    If the body raises, the temporary file is removed and any existing ``path`` is left as it was; an
    OSError (read-only folder, full disk) becomes an :class:`OutputError` naming ``path``. The file is
    readable by others as the umask allows. The package never writes under ``data/published``.
    """
    target = Path(path).resolve()
    if target.is_relative_to(published_dir().resolve()):
        raise ParameterError(f"output path {path}: data/published is read-only input")
    if target.is_dir():
        raise OutputError(f"output path {target} is a folder")
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        yield Path(tmp)
        os.chmod(tmp, file_mode())  # mkstemp makes 0600; outputs are readable by others, as the umask allows
        os.replace(tmp, target)
    except OSError as exc:  # a read-only folder, a full disk: named, and the previous file stays
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
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


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and labels cannot run as spreadsheet formulas: those starting
    with = + - @, a tab or a carriage return get a leading apostrophe. Numbers are left as they are."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_defuse)
    out.index = out.index.map(_defuse)
    out.columns = out.columns.map(_defuse)
    return out


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write ``frame`` as UTF-8 CSV with Unix line endings, neutralised, atomically."""
    with atomic_path(path) as tmp:
        neutralise(frame).to_csv(tmp, encoding="utf-8", lineterminator="\n")
    return Path(path)
