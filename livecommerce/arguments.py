"""Checks of public functions' arguments: a wrong type or value is a ParameterError that names the parameter.

Each check returns the value it was given (unconverted, so that no result changes), so that a function checks and
binds at once: ``scores = arguments.frame(scores, "scores")``; :func:`numeric_frame`, the in-memory check of the
numbers a method computes on, returns them as floats. (The checks of files read from disk are
:mod:`livecommerce.data.schemas`'.)
"""

import numbers
import os
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from livecommerce.errors import DataError, LivecommerceError, ParameterError

__all__ = [
    "array",
    "choice",
    "columns_of",
    "each",
    "flag",
    "frame",
    "having",
    "instance",
    "integer",
    "mapping",
    "names",
    "number",
    "numeric_frame",
    "optional",
    "path",
    "series",
    "string",
]


def _got(value) -> str:
    return type(value).__name__


def _scalar(value) -> bool:
    """Whether ``value`` prints short enough to quote in a message (None, a string, a number)."""
    return value is None or isinstance(value, (str, numbers.Number))


def each(**checks) -> dict:
    """What each check gives (a function of no argument, named for what it checks), by name, every check run: the
    faults they raise (the package's errors) are named together, one as it is, several as one ParameterError
    (joined by ``;``), so that a caller hears of every wrong value at once."""
    results, faults = {}, []
    for name, check in checks.items():
        try:
            results[name] = check()
        except LivecommerceError as exc:
            faults.append(exc)
    if len(faults) == 1:
        raise faults[0]
    if faults:
        raise ParameterError("; ".join(map(str, faults)))
    return results


def instance(value, name: str, kind, what: str):
    """``value`` if it is an instance of ``kind`` (a type or a tuple of types), described as ``what``."""
    if not isinstance(value, kind):
        raise ParameterError(f"{name}: expected {what}, got {_got(value)}")
    return value


def having(value, name: str, attributes, what: str):
    """``value`` if it has every one of ``attributes``: an object of the kind ``what`` describes, known by what
    it has (for a check in a layer below the kind's own module)."""
    if not all(hasattr(value, attribute) for attribute in attributes):
        raise ParameterError(f"{name}: expected {what}, got {_got(value)}")
    return value


def optional(check, value, name: str, *args):
    """None, or ``value`` passed through ``check(value, name, *args)``."""
    return None if value is None else check(value, name, *args)


def _has(index: pd.Index, label) -> bool:
    try:
        return label in index
    except TypeError:  # an unhashable label is in no index
        return False


def frame(value, name: str, columns=(), min_rows: int = 0) -> pd.DataFrame:
    """``value`` if it is a DataFrame of at least ``min_rows`` rows with every one of ``columns``."""
    instance(value, name, pd.DataFrame, "a pandas DataFrame")
    if len(value) < min_rows:
        raise ParameterError(
            f"{name} needs a non-empty frame of at least {min_rows} region(s) (rows), got {len(value)}"
        )
    return columns_of(value, columns, name)


_frame = frame  # for numeric_frame, whose argument is named ``frame``


def numeric_frame(frame, what: str, min_rows: int = 1) -> pd.DataFrame:
    """``frame`` (an argument of ``what``) as floats, refused unless a DataFrame with ``min_rows`` rows, one column
    or more, each region (row) once and every cell a finite number; the error names the regions given twice, or the
    column, the region and the value at fault (a :class:`DataError`: the values, not the argument, are wrong).
    Unlike the other checks it returns the values converted, as the numeric methods compute on them."""
    _frame(frame, "frame", min_rows=integer(min_rows, "min_rows", 0))
    if frame.shape[1] < 1:
        raise ParameterError(f"{what}: frame needs one indicator (column) or more")
    _unique_regions(frame.index, what)
    if all(pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes):  # as floats already: no parsing
        values = frame.astype(float)
    else:
        values = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = values.columns[~np.isfinite(values).all()]
    if len(bad):
        column = bad[0]
        region = values.index[~np.isfinite(values[column])][0]
        value = frame.at[region, column]
        value = value.item() if isinstance(value, np.generic) else value
        raise DataError(f"{what}: column {column!r}, region {region!r}: {value!r} is not a finite number")
    return values


def _unique_regions(index: pd.Index, what: str) -> pd.Index:
    """``index`` if no region appears in it twice, else a :class:`DataError` naming the repeated ones."""
    repeated = index[index.duplicated()].unique()
    if len(repeated):
        shown = _listed(repeated)
        raise DataError(f"{what}: region {shown} appears more than once; give each region one row")
    return index


def columns_of(frame: pd.DataFrame, labels, name: str):
    """``frame`` if every one of ``labels`` (the argument ``name``, or drawn from it) is one of its columns."""
    missing = [label for label in labels if not _has(frame.columns, label)]
    if missing:
        raise ParameterError(f"{name}: the frame has no column {missing[0]!r}")
    return frame


def series(value, name: str, labels=()) -> pd.Series:
    """``value`` if it is a Series with an entry for every one of ``labels``."""
    instance(value, name, pd.Series, "a pandas Series")
    missing = [label for label in labels if not _has(value.index, label)]
    if missing:
        raise ParameterError(f"{name}: the series has no entry {missing[0]!r}")
    return value


def _listed(allowed) -> str:
    shown = [str(a) for a in allowed]
    return ", ".join(shown[:12]) + (f" and {len(shown) - 12} more" if len(shown) > 12 else "")


def choice(value, name: str, allowed):
    """``value`` if it is one of ``allowed`` (names, numbers or None), else an error listing them."""
    if _scalar(value) and value in allowed:
        return value
    if _scalar(value):
        raise ParameterError(f"{name}={value!r} is not one of {_listed(allowed)}")
    raise ParameterError(f"{name}: expected one of {_listed(allowed)}, got {_got(value)}")


def number(value, name: str):
    """``value`` if it is a real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name}: expected a number, got {_got(value)}")
    return value


def integer(value, name: str, low: int | None = None, high: int | None = None):
    """``value`` if it is an integer (not a bool) from ``low`` to ``high`` (either may be None: unbounded)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        bounds = (
            f" from {low} to {high}"
            if low is not None and high is not None
            else f" of at least {low}"
            if low is not None
            else f" of at most {high}"
            if high is not None
            else ""
        )
        if _scalar(value):
            raise ParameterError(f"{name}={value!r} must be an integer{bounds}")
        raise ParameterError(f"{name}: expected an integer{bounds}, got {_got(value)}")
    return value


def flag(value, name: str) -> bool:
    """``value`` if it is True or False."""
    return instance(value, name, (bool, np.bool_), "True or False")


def string(value, name: str) -> str:
    """``value`` if it is a string."""
    return instance(value, name, str, "a string")


def path(value, name: str):
    """``value`` if it is a path (a string or a path-like object)."""
    return instance(value, name, (str, os.PathLike), "a path")


def mapping(value, name: str):
    """``value`` if it maps keys to values: a dict (any Mapping) or a Series."""
    return instance(value, name, (Mapping, pd.Series), "a mapping (dict)")


def names(value, name: str) -> list:
    """``value`` as a list if it is a collection of names (list, tuple, Index, array, Series); a single
    string, a mapping or a DataFrame is refused rather than split into characters, keys or columns."""
    if isinstance(value, (str, bytes, Mapping, pd.DataFrame)) or not isinstance(value, Iterable):
        raise ParameterError(f"{name}: expected a list of names, got {_got(value)}")
    return list(value)


def array(value, name: str, ndim=(1, 2)) -> np.ndarray:
    """``value`` as a numeric array (not copied) if it has one of the numbers of dimensions ``ndim``."""
    try:
        values = np.asarray(value)
    except ValueError:  # ragged nested lists
        values = np.asarray(None)
    if values.dtype.kind not in "iuf" or values.ndim not in ndim:
        shape = " or ".join(f"{n}-dimensional" for n in ndim)
        raise ParameterError(f"{name}: expected a {shape} array of numbers, got {_got(value)}")
    return values
