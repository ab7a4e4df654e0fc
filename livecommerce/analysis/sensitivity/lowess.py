"""LOWESS of one response against many inputs at once, bit for bit what statsmodels' ``lowess`` gives each.

statsmodels (``statsmodels.nonparametric.lowess``, Cleveland 1979) fits each point's local regression in a loop of
small array operations: about 2 ms for 31 regions, and the weight optimiser asks for five components' fits some
seven hundred times. :func:`lowess_columns` fits every point of every column in one pass of array operations, in
the same order of floating-point operations as statsmodels' compiled loop (its window sums sequential, its weight
sums as numpy sums a row), so that the fits, and the tables made from them, are the same numbers
(``tests/test_lowess.py`` checks it against statsmodels, equal to the last bit): six times faster for 31 points,
as fast at about 150; above that, statsmodels fits each column. Only what the library asks for is implemented:
every x value is fitted (no ``xvals``), no ``delta``, no missing values.
"""

import numpy as np

from livecommerce import arguments
from livecommerce.errors import ParameterError

__all__ = ["lowess_columns"]

_CELLS = 1 << 20
"""The most window cells (points × window size) held at once: larger inputs are fitted a block of points at a time."""
_LOOPED = 1 << 14
"""Above this many window cells a column (points × window size: about 150 points), statsmodels' compiled loop is the
faster (its time grows with the cells, ours with the cells and the array passes): each column is fitted by it."""


def lowess_columns(y, x, frac: float = 2 / 3, it: int = 3) -> np.ndarray:
    """The LOWESS fit of ``y`` (n values) against each column of ``x`` (n × m), in the order of ``y``: column ``c``
    equals ``statsmodels.nonparametric.lowess(y, x[:, c], frac=frac, it=it, return_sorted=False)``.

    ``frac`` is the share of the points in each local regression, ``it`` the number of robustness iterations."""
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    if y.ndim != 1 or x.ndim != 2 or len(x) != len(y) or not len(y):
        raise ParameterError(f"lowess_columns needs n values and an n × m array, got {y.shape} and {x.shape}")
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise ParameterError("lowess_columns needs finite values")
    if not 0 <= arguments.number(frac, "frac") <= 1:
        raise ParameterError(f"frac={frac!r} must be in [0, 1]")
    arguments.integer(it, "it", 0)
    n, m = x.shape
    k = min(max(int(frac * n + 1e-10), 2), n)
    if n * k > _LOOPED:
        from statsmodels.nonparametric.smoothers_lowess import lowess  # statsmodels loads in about a quarter second

        with np.errstate(invalid="ignore", divide="ignore"):  # as below: a window of ties keeps its point's y
            return np.column_stack([lowess(y, x[:, c], frac=frac, it=it, return_sorted=False) for c in range(m)])
    order = np.argsort(x, axis=0)  # as statsmodels sorts each column (the same sort: ties in the same order)
    xs, ys = np.take_along_axis(x, order, axis=0), y[order]
    fitted, column, leader, left, radius = _windows(xs, k)
    robust = np.ones((n, m))
    with np.errstate(invalid="ignore", divide="ignore"):  # a window of ties has no radius: its point keeps its y
        for iteration in range(it + 1):
            fit = np.empty(len(fitted))
            for rows in _blocks(len(fitted), k):
                window = left[rows, None] + np.arange(k)
                fit[rows] = _local_fits(xs, ys, fitted[rows], column[rows], window, radius[rows], robust)
            smooth = np.empty((n, m))
            smooth[fitted, column] = fit
            smooth = np.take_along_axis(smooth, leader, axis=0)  # a tied x takes the fit of the first of its ties
            if iteration < it:
                robust = _bisquare_weights(ys, smooth)
    out = np.empty((n, m))
    np.put_along_axis(out, order, smooth, axis=0)
    return out


def _windows(xs: np.ndarray, k: int):
    """For each column of sorted ``xs``: the points fitted (the first of each run of ties), their columns, each
    point's fitted point (``leader``, n × m), and where each fitted point's window of the ``k`` nearest begins (as
    statsmodels slides it) and its radius."""
    n, m = xs.shape
    fitted, column, window, radius = [], [], [], []
    leader = np.empty((n, m), dtype=np.intp)
    for c in range(m):
        values = xs[:, c].tolist()
        left = 0
        for i, value in enumerate(values):
            if i and value == values[leader[i - 1, c]]:
                leader[i, c] = leader[i - 1, c]
                continue
            leader[i, c] = i
            while left + k < n and value > (values[left] + values[left + k]) / 2.0:
                left += 1
            fitted.append(i)
            column.append(c)
            window.append(left)
            radius.append(max(value - values[left], values[left + k - 1] - value))
    return (
        np.asarray(fitted, dtype=np.intp),
        np.asarray(column, dtype=np.intp),
        leader,
        np.asarray(window, dtype=np.intp),
        np.asarray(radius),
    )


def _blocks(count: int, k: int):
    size = max(1, _CELLS // k)
    return (slice(start, start + size) for start in range(0, count, size))


def _local_fits(xs, ys, fitted, column, window, radius, robust) -> np.ndarray:
    """Each fitted point's weighted local linear regression at its own x (statsmodels' ``calculate_weights`` and
    ``calculate_y_fit``: tricube weights of the distance over the radius times the robustness weights, their total
    a numpy sum, the regression's sums sequential, left to right)."""
    xw, yw = xs[window, column[:, None]], ys[window, column[:, None]]
    xval = xs[fitted, column]
    w = np.abs(xw - xval[:, None]) / radius[:, None]
    w = 1.0 - w * w * w
    w = w * w * w * robust[window, column[:, None]]
    enough = (w > 1e-12).sum(axis=1) >= 2  # else the point keeps its own y
    w = w / _numpy_sums(w)[:, None]
    mean = _sequential_sums(w * xw)
    spread = np.fmax(_sequential_sums(w * (xw - mean[:, None]) ** 2), 1e-12)
    p = w * (1.0 + (xval - mean)[:, None] * (xw - mean[:, None]) / spread[:, None])
    return np.where(enough, _sequential_sums(p * yw), ys[fitted, column])


def _sequential_sums(a: np.ndarray) -> np.ndarray:
    """Each row's sum added left to right, as a loop adds it."""
    return np.cumsum(a, axis=1)[:, -1]


def _numpy_sums(a: np.ndarray) -> np.ndarray:
    """Each row's sum as ``np.sum`` adds a row on its own: pairwise, in eight running sums per block of 128."""
    n = a.shape[1]
    if n < 8:
        return _sequential_sums(a)
    if n > 128:
        half = n // 2 - (n // 2) % 8
        return _numpy_sums(a[:, :half]) + _numpy_sums(a[:, half:])
    body = n - n % 8
    r = a[:, :8].copy()
    for start in range(8, body, 8):
        r += a[:, start : start + 8]
    total = ((r[:, 0] + r[:, 1]) + (r[:, 2] + r[:, 3])) + ((r[:, 4] + r[:, 5]) + (r[:, 6] + r[:, 7]))
    for j in range(body, n):
        total = total + a[:, j]
    return total


def _bisquare_weights(ys: np.ndarray, smooth: np.ndarray) -> np.ndarray:
    """statsmodels' robustness weights of each column: the bisquare of the residuals over six median residuals (of
    residuals whose median is 0: 1 for each that is not 0), at most 1."""
    residual = np.abs(ys - smooth)
    median = np.median(residual, axis=0)  # each column's, as np.median gives it alone (the middle one, or two's mean)
    scaled = np.where(median == 0, residual > 0, residual / np.where(median == 0, 1.0, 6.0 * median))
    scaled = np.minimum(scaled, 1.0)
    return (1.0 - scaled * scaled) ** 2
