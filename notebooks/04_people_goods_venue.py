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
# # 三（二）人货场 · People, goods, venue
#
# 表4–表15 regenerated; 人 as the weighted contributions of its sub-indices (the scheme's weights; the
# report's scheme has those recovered from the tables: 0.17 activity, 0.65 sales power, 0.18 influence),
# every measure's profile by region, people against goods coloured by venue, and the three Sichuan top-5
# lists (表10–12).

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from livecommerce import plots
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()

# %%
for lv in run.levels:
    study = run.study(lv)
    index = study.frame()
    for measure in ("people", "goods", "venue"):
        number = run.number(lv, measure)
        run.table(study.table(number), f"table{number:02d}")
    ax = plots.contributions(index, study.node_weights("people"), lang=run.lang)
    weighting = run.settings("weights", weights=study.node_weights("people"))
    source = plots.sources_text([weighting, run.source(lv, "people")], lang=run.lang)  # the weights and the data
    run.figure(ax, f"{lv}_people_contributions", run.caption("contributions", level=lv), source)
    ax = plots.heatmap(index, lang=run.lang)
    run.figure(ax, f"{lv}_profile", run.caption("heatmap", level=lv), run.source(lv))
    ax = plots.scatter(index, lang=run.lang)
    run.figure(ax, f"{lv}_people_goods_venue", run.caption("scatter", level=lv), run.source(lv))

# %% [markdown]
# 川货电商节 top-5 lists: tea (川茶), liquor (川酒) and seasonings (川调).

# %%
top5 = run.top5()
for number, top in top5.items():
    run.table(top, f"table{number:02d}")
fig = plots.top5(top5, lang=run.lang)
run.figure(fig, "tables10_12_top5", run.caption("top5"), plots.table_source(list(top5), lang=run.lang))
