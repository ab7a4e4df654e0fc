"""Weights of the index: the usual weighting methods (equal, entropy, CRITIC, coefficient of variation, factor
analysis, AHP).

Every weighting method returns non-negative weights summing to 1, as a Series indexed by
indicator; data-driven methods take a DataFrame of normalised indicators by region. The report's own
weights, recovered from its published tables, are :mod:`livecommerce.index.recover`'s.
"""

from functools import partial

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.index.normalise import minmax

__all__ = [
    "DERIVED",
    "ENTROPY_NORMALISATIONS",
    "FACTOR_METHODS",
    "RANDOM_INDEX",
    "RECIPROCAL_TOLERANCE",
    "ahp",
    "coefficient_of_variation",
    "consistency",
    "critic",
    "derive",
    "entropy",
    "equal",
    "factor_weights",
    "fixed",
]


def _normalised(weights: pd.Series, what: str) -> pd.Series:
    total = weights.sum()
    if not np.isfinite(weights).all() or (weights < 0).any() or total <= 0:
        raise ParameterError(f"{what}: weights must be finite, non-negative and not all zero, got {weights.to_dict()}")
    return (weights / total).rename("weight")


def equal(indicators) -> pd.Series:
    """Equal weights for the named indicators."""
    names = arguments.names(indicators, "indicators")
    if not names or len(set(names)) != len(names):
        raise ParameterError(f"indicators must be distinct names, got {names!r}")
    return pd.Series(1.0 / len(names), index=names, name="weight")


def fixed(weights) -> pd.Series:
    """Expert weights given as a mapping, rescaled to sum to 1."""
    return _normalised(pd.Series(dict(arguments.mapping(weights, "weights")), dtype=float), "fixed")


ENTROPY_NORMALISATIONS = ("minmax", "none")
"""How :func:`entropy` treats each column first: min–max rescaled (the textbook method) or taken as given."""


def entropy(frame: pd.DataFrame, normalise: str = "minmax") -> pd.Series:
    """Entropy weight method (熵权法): indicators whose shares across regions are less even weigh more.

    Shares ``p_ij = x_ij / Σ_i x_ij``, entropies ``e_j = −Σ_i p_ij ln p_ij / ln n`` (0·ln 0 = 0) and
    weights ∝ ``1 − e_j``. The textbook method (``normalise="minmax"``, the default) first rescales each
    column from its minimum to its maximum, so any scores will do; a constant column weighs 0.
    ``normalise="none"`` takes the shares of the values as given (they must be non-negative): on scores
    far from 0, such as 60–100, every share is nearly even and the weights follow the columns' relative
    spreads (on the published province 人/货/场: 0.308/0.242/0.450 against 0.401/0.260/0.339).
    """
    arguments.choice(normalise, "normalise", ENTROPY_NORMALISATIONS)
    values = arguments.numeric_frame(frame, "entropy", min_rows=2)
    if normalise == "minmax":
        values = minmax(values, constant="midpoint")
    elif (values < 0).any().any() or (values.sum() <= 0).any():
        raise ParameterError("entropy needs non-negative indicators, none all zero (or normalise='minmax')")
    shares = values / values.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, shares * np.log(shares), 0.0)
    divergence = 1 + terms.sum(axis=0) / np.log(len(values))
    return _normalised(pd.Series(np.clip(divergence, 0, None), index=values.columns), "entropy")


def critic(frame: pd.DataFrame) -> pd.Series:
    """CRITIC (Diakoulaki et al. 1995): contrast (standard deviation) times conflict (Σ 1 − r)."""
    values = arguments.numeric_frame(frame, "critic", min_rows=2)
    std = values.std(ddof=1)
    conflict = (1 - values.corr().fillna(0)).sum()
    return _normalised(std * conflict, "critic")


def coefficient_of_variation(frame: pd.DataFrame) -> pd.Series:
    """Weights proportional to each indicator's coefficient of variation (σ / |mean|)."""
    values = arguments.numeric_frame(frame, "coefficient_of_variation", min_rows=2)
    mean = values.mean().abs()
    if (mean == 0).any():
        raise ParameterError(f"coefficient_of_variation: indicator {mean.index[mean == 0][0]!r} has mean 0")
    return _normalised(values.std(ddof=1) / mean, "coefficient_of_variation")


FACTOR_METHODS = ("pca", "pa", "ml")
"""Factor extraction: principal components, principal-axis or maximum-likelihood factor analysis."""


def factor_weights(
    frame: pd.DataFrame, method: str = "pca", n_factors: int | None = None, rotate: bool = True
) -> pd.Series:
    """Weights from principal components or factor analysis (OECD/JRC Handbook 2008, §6.1).

    Factors are extracted from the indicators' correlation matrix: as many as have an
    eigenvalue above 1 (Kaiser's rule) unless ``n_factors`` is given, varimax-rotated when
    there are several. Each indicator is weighted by its largest squared loading, scaled to
    unit sum within its factor, times that factor's share of the explained variance.
    """
    arguments.choice(method, "method", FACTOR_METHODS)
    arguments.flag(rotate, "rotate")
    values = arguments.numeric_frame(frame, "factor_weights", min_rows=2)
    flat = values.columns[values.std(ddof=1) <= 0]
    if len(flat):
        raise ParameterError(f"factor_weights: indicator {flat[0]!r} is constant across regions")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        corr = np.corrcoef(values.to_numpy(), rowvar=False).reshape(values.shape[1], values.shape[1])
    if not np.isfinite(corr).all():
        raise ParameterError("factor_weights: the indicators' correlations are undefined (values too large to square)")
    eigenvalues = np.linalg.eigvalsh(corr)[::-1]
    k = n_factors if n_factors is not None else max(1, int((eigenvalues > 1).sum()))
    arguments.integer(k, "n_factors", 1, values.shape[1])
    try:
        loadings = _loadings(corr, k, method, len(values))
    except np.linalg.LinAlgError:
        raise ParameterError(
            f"factor_weights: the indicators' correlation matrix is singular; {method!r} "
            "cannot extract factors (try method='pca')"
        ) from None
    if rotate and k > 1:
        from statsmodels.multivariate.factor_rotation import rotate_factors  # statsmodels loads in about a second

        loadings, _ = rotate_factors(loadings, "varimax")
    squared = loadings**2
    explained = squared.sum(axis=0)
    scaled = squared / explained
    best = scaled.argmax(axis=1)
    rows = np.arange(len(scaled))
    raw = scaled[rows, best] * explained[best] / explained.sum()
    return _normalised(pd.Series(raw, index=values.columns), "factor_weights")


def _loadings(corr: np.ndarray, k: int, method: str, nobs: int) -> np.ndarray:
    if method == "pca":
        eigenvalues, vectors = np.linalg.eigh(corr)
        order = np.argsort(eigenvalues)[::-1][:k]
        return vectors[:, order] * np.sqrt(np.clip(eigenvalues[order], 0, None))
    from statsmodels.multivariate.factor import Factor  # loaded when used: statsmodels takes about a second

    # rng: maximum likelihood starts from EM steps on random loadings, drawn from fresh entropy unless seeded
    return Factor(corr=corr, n_factor=k, method=method, nobs=nobs).fit(rng=0).loadings


RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
"""Saaty's (1980) random consistency index by matrix order."""

RECIPROCAL_TOLERANCE = 0.02
"""Relative slack for ``a_ji = 1 / a_ij``, so that 1/3 may be written 0.33 and 1/7 0.14."""


def _pairwise(matrix: pd.DataFrame) -> np.ndarray:
    if arguments.frame(matrix, "matrix").shape[0] != matrix.shape[1] or matrix.empty:
        raise ParameterError("a pairwise comparison matrix must be a square, non-empty DataFrame")
    if list(matrix.index) != list(matrix.columns):
        raise ParameterError(
            "a pairwise comparison matrix needs the same labels, in the same order, on rows and columns"
        )
    if len(matrix) > max(RANDOM_INDEX):
        raise ParameterError(f"AHP compares at most {max(RANDOM_INDEX)} items at once, got {len(matrix)}")
    a = matrix.to_numpy(dtype=float)
    if not np.isfinite(a).all() or (a <= 0).any():
        raise ParameterError("pairwise comparisons must be finite positive numbers")
    bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=RECIPROCAL_TOLERANCE, atol=0))
    if len(bad):
        i, j = bad[0]
        raise ParameterError(
            f"comparison {matrix.index[i]!r} vs {matrix.columns[j]!r} = {a[i, j]:g} is not the "
            f"reciprocal of {matrix.index[j]!r} vs {matrix.columns[i]!r} = {a[j, i]:g}"
        )
    return a


def consistency(matrix: pd.DataFrame) -> pd.Series:
    """Saaty's consistency of a pairwise comparison matrix: λmax, CI = (λmax − n)/(n − 1), RI and CR = CI/RI."""
    a = _pairwise(matrix)
    n = len(a)
    lam = float(np.max(np.linalg.eigvals(a).real))
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX[n]
    return pd.Series({"lambda_max": lam, "ci": ci, "ri": ri, "cr": ci / ri if ri > 0 else 0.0}, name="consistency")


def ahp(matrix: pd.DataFrame, max_cr: float = 0.1) -> pd.Series:
    """Analytic hierarchy process (层次分析法): the principal eigenvector of a pairwise comparison matrix.

    ``matrix.loc[i, j]`` says how many times more important ``i`` is than ``j`` (Saaty's 1–9 scale).
    A consistency ratio above ``max_cr`` (Saaty's 0.1) is refused; pass a larger ``max_cr`` to accept it.
    """
    report = consistency(matrix)
    if report["cr"] > arguments.number(max_cr, "max_cr"):
        raise ParameterError(
            f"consistency ratio CR = {report['cr']:.3f} exceeds max_cr={max_cr}; "
            "revise the judgements or pass a larger max_cr"
        )
    values, vectors = np.linalg.eig(_pairwise(matrix))
    principal = np.abs(vectors[:, np.argmax(values.real)].real)
    return _normalised(pd.Series(principal, index=matrix.index), "ahp")


DERIVED = {
    "equal": lambda frame: equal(frame.columns),
    "entropy": entropy,
    "entropy_raw": partial(entropy, normalise="none"),
    "critic": critic,
    "coefficient_of_variation": coefficient_of_variation,
    "pca": factor_weights,
}
"""Weighting methods that derive weights from the scores being weighted, by name: those a scheme node may
name in ``weights`` (besides ``"ahp"``, which takes judgements, not data) and a sensitivity analysis may
switch between (:data:`livecommerce.index.model.WEIGHTING_CHOICES`). ``entropy`` is the textbook 熵权法 (min–max
first), ``entropy_raw`` the entropy of the scores as given."""


def derive(method: str, frame: pd.DataFrame) -> pd.Series:
    """Weights of ``frame``'s columns by the named method (one of :data:`DERIVED`)."""
    return DERIVED[arguments.choice(method, "method", DERIVED)](arguments.frame(frame, "frame"))
