# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 一、发展概况 · Overview
#
# Chapter 1's statistics — users, market size, growth — each as the report prints it, with the
# source it cites (or a note where it cites none). Figures and tables go to the output folder.

# %% tags=["parameters"]
level = "all"  # province, city, prefecture or all
lang = "zh"  # zh or en
data = "published"  # published, or the path of a raw panel CSV (one level)
scheme = ""  # a scheme file; empty: the report's, data/schemes/report2023.toml
missing = "error"  # empty cells of a raw panel: error, drop (the region), median or mean (imputed)
coverage = 0.0  # coverage screening first: a region with less than this share of its indicators filled in
screen = "flag"  # what coverage screening does with such a region: flag or drop
edition = ""  # an edition (a folder or XLSX workbook of the three panels and the top-5 lists); empty: none
previous = ""  # the previous edition: 2023 (the report) or a previous run's output folder; empty: none
n_draws = 10000  # Monte Carlo draws per level
seed = 2023  # random seed
output_dir = ""  # empty: the package's default (build/ of a checkout)

# %%
from livecommerce import plots
from livecommerce.data.published import chapter_facts
from livecommerce.plots.market import MARKET_FACTS, USER_FACTS
from livecommerce.publish.facts import fact_text
from livecommerce.report import chapters

out = chapters.output_folder(output_dir)
plots.set_theme()
facts = chapters.facts(edition)  # the report's, updated by an edition's
chapter = chapter_facts(facts, "一")
chapters.table(chapter, "chapter1_facts", out)
chapter.assign(value=fact_text(chapter, lang))[["measure", "value", "kind", "period", "source"]]  # 超过70% …

# %% [markdown]
# Market size: live commerce's transaction volume and sales, the cross-border market and the MCN
# market, in 亿元. The periods differ (2022, the first three quarters of 2023, January–October 2023,
# all of 2023): the report mixes them, and so does this chart, with each bar labelled by its period.

# %%
ax = plots.fact_bars(facts, MARKET_FACTS, lang=lang)
chapters.figure(
    ax.figure,
    "chapter1_market",
    out,
    plots.caption("market", lang=lang),
    plots.fact_sources(facts, MARKET_FACTS, lang=lang),
)

# %% [markdown]
# Users in June 2023: online shoppers, and live-commerce users (for which the report cites CNNIC's
# 52nd statistical report; it cites no source for the online-shopper figure).

# %%
ax = plots.fact_bars(facts, USER_FACTS, lang=lang)
chapters.figure(
    ax.figure,
    "chapter1_users",
    out,
    plots.caption("users", lang=lang),
    plots.fact_sources(facts, USER_FACTS, lang=lang),
)
