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
# # 方法 · Methodology: the report's weights and other schemes
#
# The report never states its weights. Constrained least squares on the published tables recovers
# them for 人 at every level; the overall index is not a weighted mean of 人/货/场. Then: how the
# ranking changes under other weighting schemes, how the measures correlate, how coherent each node is,
# and the raw-data build on the synthetic example panel.

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
import pandas as pd
from IPython.display import display

from livecommerce import Study, plots
from livecommerce.analysis import coherence
from livecommerce.analysis.aggregations import aggregation_rankings, bod_weights
from livecommerce.analysis.sensitivity import uncertainty
from livecommerce.data.paths import data_dir
from livecommerce.index import model, recover, weights
from livecommerce.report.runs import Run
from livecommerce.vocab import SUB_INDICES

run = Run.open(run)
plots.set_theme()

# %% [markdown]
# Recovered weights, with standard errors and the largest residual against the tables' rounding (the
# report's own tables: shown for the published data only).

# %%
if run.inputs is None:  # the published data
    for target in ("people", "overall"):
        fits = recover.compare_levels(target)
        run.table(fits, f"recovered_weights_{target}")
        display(fits)
    fits = {lv: recover.recover(lv) for lv in ("province", "city", "prefecture")}
    ax = plots.recovered_weights(fits, lang=run.lang)
    run.figure(ax, "recovered_people_weights", run.caption("recovered_weights"), run.settings("least_squares"))
    for lv, fit in fits.items():
        print(lv, fit.summary())
    print(recover.recover("province", "overall").misses())

# %% [markdown]
# The index's framework (COINr's plot_framework): the scheme's tree from the index in the centre out to its
# indicators, each wedge's angle its effective weight (the product of the weights on its path) under the weights the
# first level's study uses. Then each level's distribution of every score across its regions (COINr's plot_dist): the
# indicators' normalised scores where the run has them, else the published measures; the focus region in red.

# %%
study = run.study(run.levels[0])
used = {node: study.node_weights(node) for node in study.weights["node"].unique()}
ax = plots.framework(study.scheme, used, lang=run.lang)
source = run.settings("scheme", scheme=study.scheme.title.get(run.lang, study.scheme.name))
run.figure(ax, "framework", run.caption("framework", level=run.levels[0]), source)
for lv in run.levels:
    study = run.study(lv)
    shown = [c for c in study.scheme.indicators if c in study.scores] or [
        c for c in study.scheme.preorder() if c in study.scores
    ]
    ax = plots.distribution(study.scores[shown], study.scheme.labels(run.lang), run.focus(lv), lang=run.lang)
    run.figure(ax, f"{lv}_distribution", run.caption("distribution", level=lv), run.source(lv))

# %% [markdown]
# Rankings of the run's data under its scheme and under other weighting schemes: equal, entropy (熵权法,
# min–max first; entropy_raw: of the scores as given), CRITIC, coefficient of variation, PCA, and AHP
# with an illustrative judgement matrix for 人/货/场 (人 twice as important as 货 and three times 场;
# 货 twice 场; consistency ratio shown). The AHP judgements are an example, not the report's.

# %%
ahp_matrix = pd.DataFrame(
    [[1, 2, 3], [1 / 2, 1, 2], [1 / 3, 1 / 2, 1]],
    index=["people", "goods", "venue"],
    columns=["people", "goods", "venue"],
)
display(weights.consistency(ahp_matrix).to_frame())
for lv in run.levels:
    study = run.study(lv)
    m = study.model(model.WEIGHTING_CHOICES)
    ranks = uncertainty.method_rankings(m, {"ahp": {"overall": weights.ahp(ahp_matrix)}})
    run.table(ranks, f"{lv}_rankings_by_method")
    display(ranks)
    ax = plots.correlation(study.frame(), lang=run.lang)
    run.figure(ax, f"{lv}_correlations", run.caption("correlation", level=lv), run.source(lv))

# %% [markdown]
# Rankings of the run's data under other aggregations, every node combining its children the same way with its
# nominal weights (README, "Methods, beside COINr and Compind"): the weighted arithmetic, geometric and harmonic
# means and the generalised mean (p = 2; COINr's a_genmean), the weighted median, the weighted Copeland rule
# (non-compensatory: wins minus losses in pairwise comparisons; Munda and Nardo 2009; COINr's a_copeland), the
# Mazziotta–Pareto penalised mean (De Muro, Mazziotta and Pareto 2011; Compind's ci_mpi) and the Benefit of the
# Doubt (each region at the weights most favourable to it, by linear programming; Cherchye et al. 2007; Compind's
# ci_bod), where several regions share rank 1. The regions the choice moves most come first.

# %%
for lv in run.levels:
    ranks = aggregation_rankings(run.study(lv).model(), lang=run.lang)
    run.table(ranks, f"{lv}_rankings_by_aggregation")
    display(ranks.sort_values("largest_move", ascending=False, kind="stable").head(10))

# %% [markdown]
# The weights the Benefit of the Doubt gives each region over the level's five sub-indices (活跃度, 带货力,
# 影响力, 货, 场), at their nominal scores: its score (1 on the frontier), its rank and each sub-index's share of
# the score at the weights most favourable to it (a row's shares sum to 1). A share of 1 means one sub-index alone
# carries the region: the classic model puts no floor under any weight. The focus region first, then the top ten.

# %%
for lv in run.levels:
    study = run.study(lv)
    table = bod_weights(study.model(), lang=run.lang).assign(name=study.frame()[f"name_{run.lang}"])
    run.table(table, f"{lv}_bod_weights")
    region = run.focus(lv)
    if region is not None:
        display(table.loc[[region]].round(3))
    display(table.sort_values("rank", kind="stable").head(10).round(3))


# %% [markdown]
# Statistical coherence (the OECD/JRC Handbook's multivariate step, 2008, Part 1 §4): does each node's
# components measure one thing, and does each move with its parent? Per node: Cronbach's alpha (Cronbach
# 1951; 1 when the components are identical), the Kaiser–Meyer–Olkin measure of sampling
# adequacy (Kaiser 1974; 0.5 means no shared structure), Bartlett's test of sphericity (Bartlett 1950;
# a small p: the correlation matrix is not the identity) and the first principal component's share of the
# variance; the chart shows each component's correlation with its parent, a component below the dashed
# weak-correlation line (0.3, our choice) or negative drawn in red. The principal components of each node's
# components follow (Handbook Part 1 §4.1: loadings, eigenvector × √eigenvalue, and the share of the variance
# each component explains), then the same statistics for the five sub-indices of the level taken together
# (活跃度, 带货力, 影响力, 货, 场).

# %%
for lv in run.levels:
    study = run.study(lv)
    result = coherence.coherence(study)
    run.table(result.table(run.lang), f"{lv}_coherence")
    run.table(result.labelled("correlations", run.lang), f"{lv}_coherence_correlations")
    run.table(result.labelled("loadings", run.lang), f"{lv}_pca_loadings")
    run.table(result.labelled("variance", run.lang), f"{lv}_pca_variance")
    display(result.table(run.lang))
    display(result.labelled("flags", run.lang))
    display(result.labelled("loadings", run.lang).round(3))
    display(result.labelled("variance", run.lang).round(3))
    ax = plots.coherence(result, lang=run.lang)
    run.figure(ax, f"{lv}_coherence", run.caption("coherence", level=lv), run.source(lv))
    display(coherence.summary(study.scores[list(SUB_INDICES)]).to_frame(lv))

# %% [markdown]
# Building from a raw panel, the scheme and the `missing` parameter add the Handbook's data steps
# (docs/methodology.md), none of them used by the report's scheme:
#
# - **Missing data** (Handbook 2008, Part 1 §3; COINr `Screen`/`Impute`): a region below a coverage
#   threshold is flagged or dropped first; then the gaps are dropped or imputed by the median, the mean,
#   the mean of the region's NBS macro region or of its parent province, or chained equations (MICE with
#   predictive mean matching, van Buuren and Groothuis-Oudshoorn 2011; seeded by the run's `seed`). The
#   threshold and the choice are the run's `coverage` and `screen` (`livecommerce report --coverage 0.7
#   --screen drop`); the tables below give, for each level of a raw panel or an edition, every region that had
#   an empty cell: its share of indicators filled in, its share imputed, whether it fell below the threshold
#   and whether it was dropped (also in the study's log and, by id, `tables/imputed_share.csv`).
# - **Denominators** (Handbook Part 1 §2; COINr `Denominate`): an indicator divided region by region by a
#   population, GDP or other quantity from a file the user supplies with its source.
# - **Outlier treatment** (Handbook Part 1 §5; COINr `Treat`): a column with |skewness| > 2 and kurtosis
#   > 3.5 is winsorised one extreme point at a time up to a maximum, re-checking each time, else logged or
#   Box–Cox transformed (Box and Cox 1964); every treated point is in the study's log.

# %%
if run.inputs is not None:
    for lv in run.levels:
        study = run.study(lv)
        run.table(study.gaps(run.lang), f"{lv}_imputation")
        print(study.gaps_note(run.lang))
        display(study.gaps(run.lang).round(3))

# %% [markdown]
# Elsewhere in the report, with their references: optimised and effective weights in notebook 07, the weights
# whose importance (correlation ratios, Paruolo, Saisana and Saltelli 2013) comes closest to a target, equal by
# default, beside the product of the weights on each path (Becker, Saisana, Paruolo and Vandecasteele 2017,
# *Ecological Indicators* 80, 12–22; COINr's `get_opt_weights` and `get_eff_wts`); unit profiles in notebook 03,
# a region's rank and contribution at every node and its strengths and weaknesses among the indicators (COINr's
# unit summary and `get_str_weak`: Becker et al. 2022, *Journal of Open Source Software* 7(78), 4567); and the
# what-if, sliders that re-rank a level as its weights, weighting method, normalisation or aggregation change,
# in notebook 08 (`notebooks/08_explore.py`, opened in JupyterLab; the report does not run it).

# %% [markdown]
# The raw-data path on the bundled SYNTHETIC example panel (invented values, calibrated to 表4, 表7
# and 表13): the built sub-indices against the published ones.

# %%
built = Study.build("province", data_dir() / "raw" / "synthetic_panel_province_2023.csv").frame()
published = Study.build("province").frame()
measures = ["activity", "sales", "influence", "people", "goods", "venue", "overall"]
gaps = built[measures] - published.loc[built.index, measures]
run.table(gaps, "synthetic_panel_gaps")
gaps.abs().max().to_frame("largest gap")
