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
# # 不确定性与敏感性 · Uncertainty and sensitivity
#
# How much of the published ranking survives a different but defensible weighting? Dirichlet
# weights around the nominal scheme, with the weighting method switched at random (Saisana,
# Saltelli & Tarantola 2005); Sobol' indices per region; one-at-a-time tornados; the exact weights at
# which neighbours swap; and each component's effective importance beside its nominal weight.
#
# Weights and importance. A component's effective weight (有效权重) is the product of the weights on its path to
# the index (COINr's `get_eff_wts`); its importance is its share of the correlation ratios
# S = Var(E[y | x]) / Var(y), estimated by LOWESS (Paruolo, Saisana & Saltelli 2013). The two need not agree:
# at the province level 带货力 carries 0.346 of the weight but 0.218 of the importance, 活跃度 0.091 against
# 0.183. The optimised weights are those whose importance shares come closest to equal ones (Becker, Saisana,
# Paruolo & Vandecasteele 2017, "Weights and importance in composite indicators: Closing the gap", Ecological
# Indicators 80; COINr's `get_opt_weights`). Where the sub-indices correlate strongly (at the province level
# any two at 0.84 or more), importance moves little with the weights: equal importance is out of reach, and
# quite different weights come about equally close, so read the gap that remains beside the weights. (For a
# raw panel the effective weights only: with seventeen indicators the search is slow and as flat.)

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
from livecommerce.analysis import optimise
from livecommerce.analysis.sensitivity import sobol, sweeps, uncertainty
from livecommerce.index import model
from livecommerce.report import chapters

out = chapters.output_folder(output_dir)
mark = chapters.marked(edition)
plots.set_theme(lang)
spec = chapters.UNCERTAINTY  # Dirichlet weights around the nominal ones, the weighting method drawn at random
focus = {"province": "510000", "city": "510100", "prefecture": "510100"}  # 四川, 成都, 成都

# %%
for lv in chapters.levels(level):
    study = chapters.study(lv, data, scheme, missing, edition, previous, coverage, screen, seed)
    m, labels = study.model(model.WEIGHTING_CHOICES), study.scheme.labels(lang)
    result = uncertainty.monte_carlo(m, spec, n_draws=n_draws, seed=seed)
    summary = result.summary()
    chapters.table(summary, f"{lv}_rank_uncertainty", out)
    chapters.table(result.outranking(), f"{lv}_outranking", out)
    chapters.table(result.ranking_summary(), f"{lv}_ranking_summary", out)
    display(summary.head(12))
    monte_carlo = plots.settings(
        "monte_carlo", draws=n_draws, seed=seed, concentration=spec.concentration, methods=spec.methods
    )
    ax = plots.rank_intervals(summary)
    chapters.figure(
        ax.figure, f"{lv}_rank_intervals", out, plots.caption("rank_intervals", level=lv), monte_carlo, mark=mark
    )
    ax = plots.outranking(result.outranking())
    chapters.figure(ax.figure, f"{lv}_outranking", out, plots.caption("outranking", level=lv), monte_carlo, mark=mark)
    n_sobol = sobol.sample_size(n_draws, len(sobol.inputs(m, spec)))
    indices = sobol.index_sobol(m, spec, n=n_sobol, seed=seed, n_resamples=chapters.SOBOL_RESAMPLES)
    chapters.table(indices, f"{lv}_sobol", out)
    ax = plots.sobol_bars(indices, labels=labels)
    source = plots.settings("sobol", n=n_sobol, seed=seed, resamples=chapters.SOBOL_RESAMPLES)
    chapters.figure(ax.figure, f"{lv}_sobol", out, plots.caption("sobol", level=lv), source, mark=mark)
    tornado = sweeps.tornado(m)
    chapters.table(tornado, f"{lv}_tornado", out)
    note = plots.tornado_note(tornado, focus[lv]) if focus[lv] in m.regions else ""
    if note:  # no weight moves the region's rank: a sentence, not an empty chart
        chapters.note(note, f"{lv}_tornado_{focus[lv]}", out)
    elif focus[lv] in m.regions:
        ax = plots.tornado(tornado, focus[lv], labels=labels)
        caption = plots.caption("tornado", region=plots.region_name(focus[lv]))
        chapters.figure(ax.figure, f"{lv}_tornado_{focus[lv]}", out, caption, plots.settings("sweep"), mark=mark)
    switches = sweeps.switching_points(m)
    chapters.table(switches, f"{lv}_switching_points", out)
    display(switches.head(10))
    importance = sweeps.importance(m)
    chapters.table(importance, f"{lv}_importance", out)
    ax = plots.importance(importance, labels=labels)
    chapters.figure(
        ax.figure, f"{lv}_importance", out, plots.caption("importance", level=lv), plots.settings("sweep"), mark=mark
    )
    if study.published is not None:  # the report's numbers: the optimiser's weights beside the recovered ones
        optimised = optimise.optimise(m)
        weights = optimised.table()
        print(f"{lv}: largest importance gap {optimised.nominal_gap:.3f} nominal, {optimised.gap:.3f} optimised")
    else:
        weights = model.effective_weights(m)
    chapters.table(weights, f"{lv}_effective_weights", out)
    display(weights.round(3))
    if lv == "province":
        above = result.outranking().loc["510000", "410000"]
        print(f"P(四川 ranks above 河南) = {above:.2f}: {monte_carlo}")
