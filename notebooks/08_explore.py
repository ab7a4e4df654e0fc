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
# # 假设分析 · What if? (interactive)
#
# Open this notebook in JupyterLab and move the sliders: each node's weights (relative: a node's sliders are
# rescaled to sum to 1), the weighting method (nominal, equal, entropy 熵权法, CRITIC, coefficient of variation,
# PCA — choosing one moves the sliders to its weights), the normalisation (a raw panel only: the published data
# are already scores) and the aggregation (each node's own, or an arithmetic, geometric or harmonic mean
# everywhere). The level is re-ranked on every change (Saisana, Saltelli & Tarantola 2005 treat these same
# choices as the uncertain inputs of notebook 07; COINr's `rew8r` is the same idea as an app). The chart shows
# the new ranking, green for regions that rose and red for those that fell; the table lists every region whose
# rank moved, against the scheme's own weights (for the published data: the report's 人 weights and the
# least-squares overall weights, whose ranking is close to, but not the same as, the published 表1–表3).
#
# `livecommerce report` does not run this notebook: it needs a person at the sliders. Everything it shows is
# computed by `livecommerce.analysis.whatif.what_if`, which a script can call with the same choices.

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from IPython.display import display

from livecommerce import plots
from livecommerce.analysis.whatif import what_if
from livecommerce.plots.explorer import Explorer
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()
explorer = Explorer(run.study(run.levels[0]), lang=run.lang)  # the first level of the run
display(explorer.widget)

# %% [markdown]
# The same calculation without widgets: every 人 sub-index weighted equally, the rest as the scheme says.

# %%
display(what_if(explorer.model, {"people": {"activity": 1, "sales": 1, "influence": 1}}).changed)
