"""The report's weights, recovered from its published tables.

The report never states its weights. :func:`recover` estimates them from the published
tables alone: the non-negative weights, summing to 1, that best map a node's components
onto the node's score (least squares), in the arithmetic form ``y = Σ wᵢ xᵢ`` or the
geometric form ``y = Π xᵢ^wᵢ`` (fitted in logs). Every support of the weight vector is
tried, so the constrained optimum is exact; standard errors and 95% intervals come from
statsmodels' OLS on the free weights of the optimal support (conditional on that support).
The harmonic form ``1/y = Σ wᵢ / xᵢ`` is fitted in reciprocals the same way.
"""

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.published import load_index
from livecommerce.data.regions import check_level
from livecommerce.data.schemas import ROUNDING
from livecommerce.errors import ParameterError
from livecommerce.index.aggregate import LINEAR, MEANS
from livecommerce.vocab import LEVELS, PEOPLE_COMPONENTS, PILLARS

__all__ = ["COMPONENTS", "Recovery", "compare_levels", "fit_weights", "recover"]

COMPONENTS = {"people": PEOPLE_COMPONENTS, "overall": PILLARS}
"""The components of each node whose weights can be recovered, as the report's tables print them."""


@dataclass(frozen=True)
class Recovery:
    """Weights recovered for one node at one level, with their fit."""

    target: str
    aggregation: str
    weights: pd.Series
    std_errors: pd.Series
    conf_int: pd.DataFrame
    r_squared: float
    residuals: pd.Series
    names: pd.Series

    @property
    def max_abs_residual(self) -> float:
        return float(self.residuals.abs().max())

    @property
    def rounding_bound(self) -> float:
        """Largest residual that rounding alone explains: the target's ±0.005 plus the weighted inputs'."""
        return ROUNDING * (1 + float(self.weights.sum()))

    @property
    def within_rounding(self) -> bool:
        """True if every residual is explained by the tables' two-decimal rounding."""
        return not self._beyond_rounding(self.residuals).any()

    def _beyond_rounding(self, residuals: pd.Series) -> pd.Series:
        return residuals.abs() > self.rounding_bound + 1e-9

    def misses(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` regions the fit misses most, with their residual (published − fitted)."""
        arguments.integer(n, "n", 1)
        order = self.residuals.abs().sort_values(ascending=False).index[:n]
        out = pd.DataFrame({"name": self.names[order], "residual": self.residuals[order]})
        out["beyond_rounding"] = self._beyond_rounding(out["residual"])
        return out

    def summary(self) -> str:
        terms = " + ".join(f"{w:.4f}·{c}" for c, w in self.weights.items())
        verdict = "within rounding" if self.within_rounding else "NOT explained by rounding"
        return (
            f"{self.target} ≈ {terms} ({self.aggregation}); R² = {self.r_squared:.6f}; "
            f"max |residual| = {self.max_abs_residual:.4f} vs rounding bound {self.rounding_bound:.4f}: {verdict}"
        )


def fit_weights(frame: pd.DataFrame, target: str, components, aggregation: str = "arithmetic") -> Recovery:
    """Constrained least-squares weights of ``components`` that best give ``target`` in ``frame``."""
    from scipy import stats  # when used: scipy.stats loads in about a second

    arguments.choice(aggregation, "aggregation", MEANS)
    components = arguments.names(components, "components")
    arguments.columns_of(arguments.frame(frame, "frame"), [target], "target")
    arguments.columns_of(frame, components, "components")
    if len(frame) <= len(components):
        raise ParameterError(f"need more regions than components to fit weights, got {len(frame)}")
    values = frame[[target, *components]].to_numpy(dtype=float)
    if aggregation != "arithmetic" and (values <= 0).any():
        raise ParameterError(f"the {aggregation} mean needs positive scores")
    forward, back = LINEAR[aggregation]
    values = forward(values)
    y, x = values[:, 0], values[:, 1:]
    support, free, fit = _best_support(y, x)
    weights = np.zeros(len(components))
    std = np.full(len(components), np.nan)
    lower, upper = weights.copy(), weights.copy()
    ref = support[-1]
    if fit is None:
        weights[ref] = 1.0
    else:
        weights[free] = fit.params
        weights[ref] = 1.0 - fit.params.sum()
        contrast = np.zeros((len(components), len(free)))
        contrast[free, np.arange(len(free))] = 1.0
        contrast[ref, :] = -1.0
        cov = contrast @ fit.cov_params() @ contrast.T
        half = stats.t.ppf(0.975, fit.df_resid) * np.sqrt(np.diag(cov))
        std[support] = np.sqrt(np.diag(cov))[support]
        lower[support], upper[support] = (weights - half)[support], (weights + half)[support]
    fitted = x @ weights
    published = frame[target].to_numpy(dtype=float)
    fitted_scores = back(fitted)
    residuals = pd.Series(published - fitted_scores, index=frame.index, name="residual")
    total = ((published - published.mean()) ** 2).sum()
    names = frame["name_zh"] if "name_zh" in frame else pd.Series(frame.index, index=frame.index)
    return Recovery(
        target=target,
        aggregation=aggregation,
        weights=pd.Series(weights, index=components, name="weight"),
        std_errors=pd.Series(std, index=components, name="std_error"),
        conf_int=pd.DataFrame({"lower": lower, "upper": upper}, index=components),
        r_squared=float(1 - (residuals**2).sum() / total) if total > 0 else float("nan"),
        residuals=residuals,
        names=names,
    )


def _best_support(y: np.ndarray, x: np.ndarray):
    """The support (components with weight > 0) of least squared error, its free columns and OLS fit.

    On a support S with reference component r, ``y − x_r = Σ_{i∈S∖r} wᵢ (xᵢ − x_r)``,
    an unconstrained OLS; supports whose solution has a negative weight are infeasible.
    """
    from statsmodels.regression.linear_model import OLS  # loaded when used: statsmodels takes about a second

    best = None
    k = x.shape[1]
    for size in range(1, k + 1):
        for support in itertools.combinations(range(k), size):
            support = list(support)
            free, ref = support[:-1], support[-1]
            if free:
                fit = OLS(y - x[:, ref], x[:, free] - x[:, [ref]]).fit()
                if (fit.params < 0).any() or fit.params.sum() > 1:
                    continue
                sse = float(fit.ssr)
            else:
                fit, sse = None, float(((y - x[:, ref]) ** 2).sum())
            if best is None or sse < best[0] * (1 - 1e-12):  # relative: reciprocals are small
                best = (sse, support, free, fit)
    return best[1], best[2], best[3]


def recover(level: str, target: str = "people", aggregation: str = "arithmetic") -> Recovery:
    """The weights the report used for ``target`` (``people`` or ``overall``) at ``level``."""
    check_level(level)
    arguments.choice(target, "target", COMPONENTS)
    return fit_weights(load_index(level), target, COMPONENTS[target], aggregation)


def compare_levels(target: str = "people", aggregation: str = "arithmetic") -> pd.DataFrame:
    """Recovered weights and fit at every level, one row per level: one scheme or several?"""
    rows = {}
    for level in LEVELS:
        fit = recover(level, target, aggregation)
        rows[level] = {
            **fit.weights,
            **{f"{c}_se": s for c, s in fit.std_errors.items()},
            "r_squared": fit.r_squared,
            "max_abs_residual": fit.max_abs_residual,
            "rounding_bound": fit.rounding_bound,
            "within_rounding": fit.within_rounding,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("level")
