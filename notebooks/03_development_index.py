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
# # 三（一）发展指数 · The development index
#
# 表1–表3 regenerated (with a `scheme`, the published sub-indices weighted by it), ranked with the
# report's tie rule; rank changes, previous year against now
# (derived from the printed growth rates and arrows), growth, maps of the provinces and of Sichuan's
# prefectures, and what the audit finds in the report's own numbers.

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
from livecommerce.analysis import audit
from livecommerce.data.regions import display_names
from livecommerce.report import chapters

out = chapters.output_folder(output_dir)
mark = chapters.marked(edition)
plots.set_theme()

# %%
for lv in chapters.levels(level):
    study = chapters.study(lv, data, scheme, missing, edition, previous, coverage, screen, seed)
    index = study.frame()
    number = chapters.table_number(lv, "overall")
    chapters.table(study.table(number), f"table{number:02d}", out)
    source = plots.study_source(study, number, lang=lang)
    ax = plots.ranked(index, lang=lang)
    chapters.figure(
        ax.figure, f"table{number:02d}_ranked", out, plots.caption("ranked", level=lv, lang=lang), source, mark=mark
    )
    if "rank_change" in index:
        ax = plots.slope(index, editions=bool(previous), lang=lang)
        caption = plots.caption("slope_editions" if previous else "slope", level=lv, lang=lang)
        derived = source if previous else plots.settings("derived", number=number, lang=lang)
        chapters.figure(ax.figure, f"table{number:02d}_previous_year", out, caption, derived, mark=mark)
    if "yoy_growth" in index:
        ax = plots.growth(index, lang=lang)
        chapters.figure(
            ax.figure, f"table{number:02d}_growth", out, plots.caption("growth", level=lv, lang=lang), source, mark=mark
        )
    if lv in ("province", "prefecture"):
        ax = plots.choropleth(index["overall"], lv, lang=lang)
        chapters.figure(
            ax.figure, f"table{number:02d}_map", out, plots.caption("map", level=lv, lang=lang), source, mark=mark
        )

# %% [markdown]
# One region on one page (COINr's unit summary): 四川 among the provinces, 成都 among the cities and among
# Sichuan's prefectures — its score and rank at every node, what each component contributes to its parent
# (weight × score, and its share of the parent), its three strongest and weakest components by rank (green and
# red) and the three regions whose component scores lie nearest its own (Euclidean distance).

# %%
focus = {"province": "510000", "city": "510100", "prefecture": "510100"}  # 四川, 成都, 成都
for lv in chapters.levels(level):
    study = chapters.study(lv, data, scheme, missing, edition, previous, coverage, screen, seed)
    if focus[lv] not in study.regions:  # dropped from a raw panel for its empty cells
        continue
    profile = study.profile(focus[lv])
    chapters.table(profile.table(), f"{lv}_unit_profile_{profile.region}", out)
    display(profile.table().round(3))
    ax = plots.unit_profile(profile, lang=lang)
    caption = plots.caption("unit_profile", region=display_names([focus[lv]], lang)[0], lang=lang)
    source = plots.study_source(
        study, [chapters.table_number(lv, m) for m in ("overall", "people", "goods", "venue")], lang=lang
    )
    chapters.figure(ax.figure, f"{lv}_unit_profile_{profile.region}", out, caption, source, mark=mark)

# %% [markdown]
# The audit: every check of what the report's numbers say about each other (the published data), or the
# checks that apply to any edition (an edition's ranks, and its arrows and growth against the previous one).

# %%
if edition:
    checks = audit.check_edition(
        {
            lv: chapters.study(lv, data, scheme, missing, edition, previous, coverage, screen, seed)
            for lv in chapters.levels(level)
        }
    )
    chapters.table(checks, "audit", out)
    print(audit.summary(checks))
elif data == "published":
    checks = audit.run()
    chapters.table(checks, "audit", out)
    print(audit.summary(checks))
