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
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from IPython.display import display

from livecommerce import plots
from livecommerce.analysis import optimise, smaa, variants
from livecommerce.analysis.sensitivity import sobol, steps, sweeps, uncertainty
from livecommerce.data.regions import display_names
from livecommerce.index import model
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()
spec = run.uncertainty  # Dirichlet weights around the nominal ones, the weighting method drawn at random
n_draws, seed = run.parameters.n_draws, run.parameters.seed

# %%
for lv in run.levels:
    study, region = run.study(lv), run.focus(lv)
    m, labels = study.model(model.WEIGHTING_CHOICES), study.scheme.labels(run.lang)
    result = uncertainty.monte_carlo(m, spec, n_draws=n_draws, seed=seed)
    summary = result.summary()
    run.table(summary, f"{lv}_rank_uncertainty")
    run.table(result.outranking(), f"{lv}_outranking")
    run.table(result.ranking_summary(), f"{lv}_ranking_summary")
    display(summary.head(12))
    monte_carlo = run.settings(
        "monte_carlo", draws=n_draws, seed=seed, concentration=spec.concentration, methods=spec.methods
    )
    ax = plots.rank_intervals(summary, lang=run.lang)
    run.figure(ax, f"{lv}_rank_intervals", run.caption("rank_intervals", level=lv), monte_carlo)
    ax = plots.outranking(result.outranking(), lang=run.lang)
    run.figure(ax, f"{lv}_outranking", run.caption("outranking", level=lv), monte_carlo)
    n_sobol = sobol.sample_size(n_draws, len(sobol.inputs(m, spec)))
    indices = sobol.index_sobol(m, spec, n=n_sobol, seed=seed, n_resamples=run.sobol_resamples)
    run.table(indices, f"{lv}_sobol")
    ax = plots.sobol_bars(indices, labels=labels, lang=run.lang)
    source = run.settings("sobol", n=n_sobol, seed=seed, resamples=run.sobol_resamples)
    run.figure(ax, f"{lv}_sobol", run.caption("sobol", level=lv), source)
    tornado = sweeps.tornado(m)
    run.table(tornado, f"{lv}_tornado")
    note = plots.tornado_note(tornado, region, lang=run.lang, scope=run.scope(lv)) if region else ""
    if note:  # no weight moves the region's rank: a sentence, not an empty chart
        run.note(note, f"{lv}_tornado_{region}")
    elif region:
        ax = plots.tornado(tornado, region, labels=labels, lang=run.lang)
        caption = run.caption("tornado", region=display_names([region], run.lang)[0], level=lv)
        run.figure(ax, f"{lv}_tornado_{region}", caption, run.settings("sweep"))
    switches = sweeps.switching_points(m)
    run.table(switches, f"{lv}_switching_points")
    display(switches.head(10))
    importance = sweeps.importance(m)
    run.table(importance, f"{lv}_importance")
    ax = plots.importance(importance, labels=labels, lang=run.lang)
    run.figure(ax, f"{lv}_importance", run.caption("importance", level=lv), run.settings("sweep"))
    if study.published is not None:  # the report's numbers: the optimiser's weights beside the recovered ones
        optimised = optimise.optimise(m)
        weights = optimised.table()
        print(f"{lv}: largest importance gap {optimised.nominal_gap:.3f} nominal, {optimised.gap:.3f} optimised")
    else:
        weights = model.effective_weights(m)
    run.table(weights, f"{lv}_effective_weights")
    display(weights.round(3))
    if region in result.tracked:  # the focus region against its neighbours in rank
        rivals = result.rivals(region)
        display(rivals.set_axis(display_names(rivals.index, run.lang)).round(2).to_frame())

# %% [markdown]
# SMAA-2 (Lahdelma & Salminen 2001): what if nothing is known of the weights? Each node's weights drawn uniformly
# over all the weights that sum to 1 (the same draws and seed as above): the share of draws in which each region
# takes each rank (rank acceptability), the share in which it comes first, its holistic acceptability (ranks
# weighted 1 for the first down to 0 for the last), the mean weights that put it first (central weights) and the
# chance it stays first at those weights (confidence factor). From a raw panel, the build steps vary too: the
# outlier treatment (the scheme's own or winsorising) and each pillar left out of a draw, each step with its own
# Sobol' index. From records, the indicators' definitions vary too: the ranking under each variant the scheme
# declares (场均UV as a median, …), its Kendall's τ against the default, and the variant drawn at random.

# %%
for lv in run.levels:
    study = run.study(lv)
    result = uncertainty.monte_carlo(
        study.model(), uncertainty.Uncertainty(weights="simplex"), n_draws=n_draws, seed=seed
    )
    table = smaa.smaa_table(result)
    run.table(table, f"{lv}_smaa")
    run.table(smaa.acceptability(result), f"{lv}_rank_acceptability")
    display(table.head(8).round(3))
    if study.raw is not None:
        m = steps.step_model(study, {"treat": {"own": None, "winsorise": "winsorise"}})
        pillars = [child for child in study.scheme.nodes[study.scheme.root].children]
        spec = uncertainty.Uncertainty(
            steps={
                "treat": {"own": 0.5, "winsorise": 0.5},
                "drop": {"none": 0.5, **dict.fromkeys(pillars, 0.5 / len(pillars))},
            }
        )
        result = uncertainty.monte_carlo(m, spec, n_draws=n_draws, seed=seed)
        run.table(result.summary(), f"{lv}_steps_uncertainty")
        n_sobol = sobol.sample_size(n_draws, len(sobol.inputs(m, spec)))
        indices = sobol.index_sobol(m, spec, n=n_sobol, seed=seed, n_resamples=0)
        run.table(indices, f"{lv}_steps_sobol")
        display(indices.loc["mean_abs_shift"].loc[["treat", "drop"]])
    if study.records is not None:  # from records: the ranking under each definition variant, and drawn as a step
        ranks = variants.variant_ranks(study)
        taus = variants.variant_taus(ranks)
        run.table(ranks, f"{lv}_variant_ranks")
        run.table(taus.to_frame(), f"{lv}_variant_kendall")
        m = steps.step_model(study, {"variant": list(ranks)})
        drawn = uncertainty.Uncertainty(steps={"variant": dict.fromkeys(ranks, 1 / len(ranks.columns))})
        result = uncertainty.monte_carlo(m, drawn, n_draws=n_draws, seed=seed)
        run.table(result.summary(), f"{lv}_variant_uncertainty")
        display(taus)
