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
from livecommerce.report import chapters

out = chapters.output_folder(output_dir)
mark = chapters.marked(edition)
plots.set_theme()

# %%
for lv in chapters.levels(level):
    study = chapters.study(lv, data, scheme, missing, edition, previous, coverage, screen, seed)
    index = study.frame()
    for measure in ("people", "goods", "venue"):
        number = chapters.table_number(lv, measure)
        chapters.table(study.table(number), f"table{number:02d}", out)
    people = chapters.table_number(lv, "people")
    ax = plots.contributions(index, study.node_weights("people"), lang=lang)
    weighting = plots.settings("weights", weights=study.node_weights("people"), lang=lang)
    source = plots.sources_text(
        [weighting, plots.study_source(study, people, lang=lang)], lang=lang
    )  # the weights and the data
    chapters.figure(
        ax.figure,
        f"{lv}_people_contributions",
        out,
        plots.caption("contributions", level=lv, lang=lang),
        source,
        mark=mark,
    )
    tables = [chapters.table_number(lv, m) for m in ("overall", "people", "goods", "venue")]
    source = plots.study_source(study, tables, lang=lang)
    ax = plots.heatmap(index, lang=lang)
    chapters.figure(ax.figure, f"{lv}_profile", out, plots.caption("heatmap", level=lv, lang=lang), source, mark=mark)
    ax = plots.scatter(index, lang=lang)
    chapters.figure(
        ax.figure, f"{lv}_people_goods_venue", out, plots.caption("scatter", level=lv, lang=lang), source, mark=mark
    )

# %% [markdown]
# 川货电商节 top-5 lists: tea (川茶), liquor (川酒) and seasonings (川调).

# %%
top5 = chapters.top5(edition)
for number, top in top5.items():
    chapters.table(top, f"table{number:02d}", out)
fig = plots.top5(top5, lang=lang)
chapters.figure(
    fig, "tables10_12_top5", out, plots.caption("top5", lang=lang), plots.table_source(list(top5), lang=lang), mark=mark
)
