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
from IPython.display import display

from livecommerce import plots
from livecommerce.data.published import load_trends
from livecommerce.report import chapters

out = chapters.output_folder(output_dir)
plots.set_theme()
trends = load_trends()
chapters.table(trends, "chapter4_trends", out)
display(trends)

# %%
ax = plots.dual_centre(trends, lang=lang)
chapters.figure(
    ax.figure, "figure1_dual_centre", out, plots.caption("dual_centre", lang=lang), plots.figure_source(1, lang=lang)
)
