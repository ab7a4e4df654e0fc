"""Figures of the report and of the analyses, in one house style, in Chinese or English.

Call :func:`set_theme` first (it calls ``seaborn.set_theme``). Every function draws on ``ax`` if
given (or a new figure) and returns the axes, except :func:`top5`, which owns its layout and
returns the Figure; none shows or writes anything: :func:`save` writes.
"""

from .coherence import coherence
from .explore import what_if
from .maps import choropleth
from .market import fact_bars, share_of_online_retail
from .pillars import contributions, correlation, profile, scatter
from .ranking import growth, ranked, slope
from .save import save
from .sensitivity import importance, outranking, rank_intervals, recovered_weights, sobol_bars, tornado
from .tables import top5
from .theme import set_theme
from .trends import dual_centre
from .unit import unit_profile

__all__ = [
    "choropleth",
    "coherence",
    "contributions",
    "correlation",
    "dual_centre",
    "fact_bars",
    "growth",
    "importance",
    "outranking",
    "profile",
    "rank_intervals",
    "ranked",
    "recovered_weights",
    "save",
    "scatter",
    "set_theme",
    "share_of_online_retail",
    "slope",
    "sobol_bars",
    "top5",
    "tornado",
    "unit_profile",
    "what_if",
]
