"""Figures of the report and of the analyses, in one house style, in Chinese or English.

Call :func:`set_theme` first (it calls ``seaborn.set_theme``; it keeps no language). Every function that prints
words takes ``lang`` (``"zh"``, the report's, by default; or ``"en"``), draws on ``ax`` if given (or a new figure)
and returns the axes, except :func:`top5`, which owns its layout and returns the Figure; none shows or writes
anything: :func:`save` writes, with the figure's caption (:func:`caption`, from :mod:`livecommerce.words`) and 来源
line (:mod:`livecommerce.plots.sources`: :func:`computed`, :func:`table_source`, :func:`report_source`,
:func:`study_source`; :func:`fact_sources`).
Every figure fits an A4 page's text width (16 cm) at full size, with no text below 8 pt.
"""

from livecommerce.plots.coherence import coherence
from livecommerce.plots.framework import DISTRIBUTION_KINDS, distribution, framework
from livecommerce.plots.maps import choropleth
from livecommerce.plots.market import fact_bars, fact_sources, share_of_online_retail
from livecommerce.plots.pillars import contributions, correlation, heatmap, scatter
from livecommerce.plots.ranking import growth, ranked, slope
from livecommerce.plots.save import save
from livecommerce.plots.sensitivity import (
    importance,
    outranking,
    rank_intervals,
    recovered_weights,
    sobol_bars,
    tornado,
    tornado_note,
)
from livecommerce.plots.sources import (
    computed,
    figure_source,
    report_source,
    settings,
    sources_text,
    study_source,
    table_source,
)
from livecommerce.plots.theme import set_theme
from livecommerce.plots.top5 import top5
from livecommerce.plots.trends import dual_centre
from livecommerce.plots.unit import unit_profile
from livecommerce.plots.whatif import what_if, what_if_html
from livecommerce.words import caption

__all__ = [
    "DISTRIBUTION_KINDS",
    "caption",
    "choropleth",
    "coherence",
    "computed",
    "contributions",
    "correlation",
    "distribution",
    "dual_centre",
    "fact_bars",
    "fact_sources",
    "figure_source",
    "framework",
    "growth",
    "heatmap",
    "importance",
    "outranking",
    "rank_intervals",
    "ranked",
    "recovered_weights",
    "report_source",
    "save",
    "scatter",
    "set_theme",
    "settings",
    "share_of_online_retail",
    "slope",
    "sobol_bars",
    "sources_text",
    "study_source",
    "table_source",
    "top5",
    "tornado",
    "tornado_note",
    "unit_profile",
    "what_if",
    "what_if_html",
]
