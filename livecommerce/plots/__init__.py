"""Figures of the report and of the analyses, in one house style, in Chinese or English.

Call :func:`set_theme` first (it calls ``seaborn.set_theme``). Every function draws on ``ax`` if
given (or a new figure) and returns the axes, except :func:`top5`, which owns its layout and
returns the Figure; none shows or writes anything: :func:`save` writes, with the figure's caption and
来源 line (:func:`computed`, :func:`table_source`, :func:`report_source`, :func:`fact_sources` give the latter).
Every figure fits an A4 page's text width (16 cm) at full size, with no text below 8 pt.
"""

from livecommerce.plots.captions import caption, settings, study_source
from livecommerce.plots.coherence import coherence
from livecommerce.plots.maps import choropleth
from livecommerce.plots.market import fact_bars, fact_sources, share_of_online_retail
from livecommerce.plots.pillars import contributions, correlation, profile, scatter
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
from livecommerce.plots.tables import top5
from livecommerce.plots.theme import (
    computed,
    figure_source,
    region_name,
    report_source,
    set_theme,
    sources_text,
    table_source,
)
from livecommerce.plots.trends import dual_centre
from livecommerce.plots.unit import unit_profile
from livecommerce.plots.whatif import what_if, what_if_html

__all__ = [
    "caption",
    "choropleth",
    "coherence",
    "contributions",
    "computed",
    "correlation",
    "dual_centre",
    "fact_bars",
    "fact_sources",
    "figure_source",
    "growth",
    "importance",
    "outranking",
    "profile",
    "rank_intervals",
    "ranked",
    "recovered_weights",
    "region_name",
    "report_source",
    "save",
    "scatter",
    "set_theme",
    "settings",
    "share_of_online_retail",
    "slope",
    "sources_text",
    "study_source",
    "table_source",
    "sobol_bars",
    "top5",
    "tornado",
    "tornado_note",
    "unit_profile",
    "what_if",
    "what_if_html",
]
