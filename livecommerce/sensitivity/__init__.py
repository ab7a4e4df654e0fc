"""Sensitivity and uncertainty analysis of an index (the Handbook's step 7; Saisana, Saltelli & Tarantola 2005).

``model`` (the index as arrays), ``sampling`` (what varies, and the one sampler of the Monte Carlo draws and
the Sobol' design), ``uncertainty`` (Monte Carlo), ``sobol`` (variance-based indices) and ``sweeps`` (one
weight at a time: tornado, switching points, importance).
"""

from . import model, sampling, sobol, sweeps, uncertainty
from .model import Model, evaluate, from_panel, from_published
from .sampling import Sampler, Uncertainty
from .sobol import index_sobol
from .sweeps import importance, switching_points, tornado
from .uncertainty import method_rankings, monte_carlo

__all__ = [
    "Model",
    "Sampler",
    "Uncertainty",
    "evaluate",
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
