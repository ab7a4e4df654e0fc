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
# # 二、机遇与挑战 · Opportunities and challenges
#
# Chapter 2's statistics: consumption and online retail, live commerce's share of online retail
# (2020–2023 and the 2025 projection, marked as such), cross-border live commerce and the talent gap (one value
# each: the chapter's prose states them, no chart of a single bar).

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from livecommerce import plots
from livecommerce.plots.market import share_facts
from livecommerce.publish.facts import printed_facts
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()
facts = run.facts()  # the report's, updated by an edition's
chapter = run.facts("二")
run.table(chapter, "chapter2_facts")
printed_facts(chapter, run.lang)  # as printed: 超过70% …

# %% [markdown]
# Live commerce's share of online retail sales. 2023 appears twice, for two periods the report gives
# (the first three quarters and January–October); the 2025 value is a projection ("at least 35%").

# %%
ax = plots.share_of_online_retail(facts, lang=run.lang)
shares = plots.fact_sources(facts, share_facts(facts).index, lang=run.lang)
run.figure(ax, "chapter2_share_of_online_retail", run.caption("share"), shares)
