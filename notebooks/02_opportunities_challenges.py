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
# (2020–2023 and the 2025 projection, marked as such), cross-border live commerce and the talent gap.

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
from livecommerce.plots.market import share_facts
from livecommerce.publish.facts import fact_text
from livecommerce.report import chapters

out = chapters.output_folder(output_dir)
plots.set_theme()
facts = chapters.facts(edition)  # the report's, updated by an edition's
chapter = chapter_facts(facts, "二")
chapters.table(chapter, "chapter2_facts", out)
chapter.assign(value=fact_text(chapter, lang))[["measure", "value", "kind", "period", "source"]]  # 超过70% …

# %% [markdown]
# Live commerce's share of online retail sales. 2023 appears twice, for two periods the report gives
# (the first three quarters and January–October); the 2025 value is a projection ("at least 35%").

# %%
ax = plots.share_of_online_retail(facts, lang=lang)
chapters.figure(
    ax.figure,
    "chapter2_share_of_online_retail",
    out,
    plots.caption("share", lang=lang),
    plots.fact_sources(facts, share_facts(facts).index, lang=lang),
)

# %% [markdown]
# Cross-border live commerce (an estimate by 艾媒咨询) and the professional talent gap (a 2025 projection).

# %%
ax = plots.fact_bars(facts, ["F35"], lang=lang)
chapters.figure(
    ax.figure,
    "chapter2_cross_border",
    out,
    plots.caption("cross_border", lang=lang),
    plots.fact_sources(facts, ["F35"], lang=lang),
)
ax = plots.fact_bars(facts, ["F37"], unit=1e4, lang=lang)
chapters.figure(
    ax.figure,
    "chapter2_talent_gap",
    out,
    plots.caption("talent_gap", lang=lang),
    plots.fact_sources(facts, ["F37"], lang=lang),
)
