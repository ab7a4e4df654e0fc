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
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from livecommerce import plots
from livecommerce.plots.market import MARKET_FACTS, USER_FACTS
from livecommerce.publish.facts import printed_facts
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()
facts = run.facts()  # the report's, updated by an edition's
chapter = run.facts("一")
run.table(chapter, "chapter1_facts")
printed_facts(chapter, run.lang)  # as printed: 超过70% …

# %% [markdown]
# Market size: live commerce's transaction volume and sales, the cross-border market and the MCN
# market, in 亿元. The periods differ (2022, the first three quarters of 2023, January–October 2023,
# all of 2023): the report mixes them, and so does this chart, with each bar labelled by its period.

# %%
ax = plots.fact_bars(facts, MARKET_FACTS, lang=run.lang)
run.figure(ax, "chapter1_market", run.caption("market"), plots.fact_sources(facts, MARKET_FACTS, lang=run.lang))

# %% [markdown]
# Users in June 2023: online shoppers, and live-commerce users (for which the report cites CNNIC's
# 52nd statistical report; it cites no source for the online-shopper figure).

# %%
ax = plots.fact_bars(facts, USER_FACTS, lang=run.lang)
run.figure(ax, "chapter1_users", run.caption("users"), plots.fact_sources(facts, USER_FACTS, lang=run.lang))
