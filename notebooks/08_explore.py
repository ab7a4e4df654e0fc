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

# %% tags=["parameters"]
run = ""  # the run: the file the report runner passes (run.json); empty: the report's defaults, written to build/

# %%
from IPython.display import Markdown, display

from livecommerce import plots, words
from livecommerce.analysis.whatif import what_if
from livecommerce.plots.explorer import Explorer, changed
from livecommerce.report.runs import Run

run = Run.open(run)
plots.set_theme()
display(Markdown(words.word(words.EXPLORER_TEXT, "intro", run.lang)))
explorer = Explorer(run.study(run.levels[0]), lang=run.lang)  # the first level of the run
display(explorer.widget)

# %%
display(Markdown(words.word(words.EXPLORER_TEXT, "equal_people", run.lang)))
display(changed(what_if(explorer.model, {"people": {"activity": 1, "sales": 1, "influence": 1}}), run.lang))
