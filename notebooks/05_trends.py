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
# # 四、未来趋势 · Trends
#
# Figure 1, the dual-centre model — live platforms and intermediaries at the centres, users,
# anchors, content and brands around them — drawn from the trends table, and chapter 4's trends as
# the report heads them, module by module.

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from IPython.display import display

from livecommerce import plots
from livecommerce.data.published import load_trends
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()
trends = load_trends()
run.table(trends, "chapter4_trends")
display(trends)

# %%
ax = plots.dual_centre(trends, lang=run.lang)
run.figure(ax, "figure1_dual_centre", run.caption("dual_centre"), plots.figure_source(1, lang=run.lang))
