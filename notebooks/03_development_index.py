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
# prefectures (of another region set, its map or a sentence saying it has none), and what the audit finds in the
# report's own numbers.

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from IPython.display import display

from livecommerce import plots
from livecommerce.analysis import audit
from livecommerce.data.regions import display_names
from livecommerce.plots.maps import no_map
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()

# %%
previous = bool(run.parameters.previous)
for lv in run.levels:
    study = run.study(lv)
    index = study.frame()
    number = run.number(lv, "overall")
    run.table(study.table(number), f"table{number:02d}")
    if not run.region_set(lv).named:  # 人, 货 and 场 too (notebook 04 prints the report's sets'): a previous edition
        for other in (n for n in study.index_tables if n != number):
            run.table(study.table(other), f"table{other:02d}")
    source = run.source(lv, "overall")
    ax = plots.ranked(index, lang=run.lang)
    run.figure(ax, f"table{number:02d}_ranked", run.caption("ranked", level=lv), source)
    if "rank_change" in index:
        ax = plots.slope(index, editions=previous, lang=run.lang)
        caption = run.caption("slope_editions" if previous else "slope", level=lv)
        derived = source if previous else run.settings("derived", number=number)
        run.figure(ax, f"table{number:02d}_previous_year", caption, derived)
    if "yoy_growth" in index:
        ax = plots.growth(index, lang=run.lang)
        run.figure(ax, f"table{number:02d}_growth", run.caption("growth", level=lv), source)
    if lv in ("province", "prefecture"):
        ax = plots.choropleth(index["overall"], lv, lang=run.lang)
        run.figure(ax, f"table{number:02d}_map", run.caption("map", level=lv), source)
    elif not run.region_set(lv).named:  # another region set: its map, or the sentence saying it has none
        unmapped = no_map(index.index, run.lang)
        if unmapped:
            run.note(unmapped, f"table{number:02d}_map")
        else:
            ax = plots.choropleth(index["overall"], lang=run.lang)
            run.figure(ax, f"table{number:02d}_map", run.caption("map", level=lv), source)

# %% [markdown]
# One region on one page (COINr's unit summary): 四川 among the provinces, 成都 among the cities and among
# Sichuan's prefectures — its score and rank at every node, what each component contributes to its parent
# (weight × score, and its share of the parent), its three strongest and weakest components by rank (green and
# red) and the three regions whose component scores lie nearest its own (Euclidean distance).

# %%
for lv in run.levels:
    region = run.focus(lv)
    if region is None:  # dropped from a raw panel for its empty cells
        continue
    profile = run.study(lv).profile(region)
    run.table(profile.table(), f"{lv}_unit_profile_{region}")
    display(profile.table().round(3))
    ax = plots.unit_profile(profile, lang=run.lang)
    caption = run.caption("unit_profile", region=display_names([region], run.lang)[0], level=lv)
    run.figure(ax, f"{lv}_unit_profile_{region}", caption, run.source(lv))

# %% [markdown]
# The audit: every check of what the report's numbers say about each other (the published data), or the
# checks that apply to any edition (an edition's ranks, and its arrows and growth against the previous one).

# %%
if run.edition is not None:
    checks = audit.check_edition({lv: run.study(lv) for lv in run.levels})
    run.table(checks, "audit")
    print(audit.summary(checks))
elif run.inputs is None:  # the published data
    checks = audit.run()
    run.table(checks, "audit")
    print(audit.summary(checks))
