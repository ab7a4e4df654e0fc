"""Sensitivity and uncertainty analysis of an index (the Handbook's step 7; Saisana, Saltelli & Tarantola 2005).

``model`` (the index as arrays), ``sampling`` (what varies, and the one sampler of the Monte Carlo draws and
the Sobol' design), ``uncertainty`` (Monte Carlo), ``sobol`` (variance-based indices), ``sweeps`` (one
weight at a time: tornado, switching points, importance), ``lowess`` (the smoother of importance) and ``steps``
(the build steps as inputs: a model of a study rebuilt under other imputation, treatment and denominators;
imported from its module, as it needs studies).
"""

from livecommerce.analysis.sensitivity import sampling, sobol, sweeps, uncertainty
from livecommerce.analysis.sensitivity.sampling import Sampler, Uncertainty
from livecommerce.analysis.sensitivity.sobol import index_sobol
from livecommerce.analysis.sensitivity.sweeps import importance, switching_points, tornado
from livecommerce.analysis.sensitivity.uncertainty import method_rankings, monte_carlo
from livecommerce.index import model
from livecommerce.index.model import Model, evaluate, evaluate_draws, from_panel, from_published

__all__ = [
    "Model",
    "Sampler",
    "Uncertainty",
    "evaluate",
    "evaluate_draws",
    "from_panel",
    "from_published",
    "importance",
    "index_sobol",
    "method_rankings",
    "model",
    "monte_carlo",
    "sampling",
    "sobol",
    "sweeps",
    "switching_points",
    "tornado",
    "uncertainty",
]
