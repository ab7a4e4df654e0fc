"""The what-if explorer in JupyterLab: sliders and menus for a level's weights, weighting method, normalisation and
aggregation, wired to :func:`livecommerce.analysis.whatif.what_if`; on every change it redraws the ranked chart and
the table of regions whose rank moved, both as HTML, so that a change shows within milliseconds. Notebook 08 shows
it; the report runner does not run that notebook. Not imported by :mod:`livecommerce.plots` (ipywidgets is only
needed here).
"""

import ipywidgets as widgets
import pandas as pd

from livecommerce import arguments
from livecommerce.analysis.whatif import WhatIf, explorer_model, method_weights, what_if
from livecommerce.errors import ParameterError
from livecommerce.index import model as models
from livecommerce.index.ranking import rank
from livecommerce.plots.whatif import what_if_html
from livecommerce.study.study import Study
from livecommerce.words import AGGREGATION_NAMES, METHOD_NAMES, NORMALISATION_NAMES, check_lang, choice_name, text

CHANGED_COLUMNS = {
    "name": "region",
    "score": "score",
    "rank": "new_rank",
    "baseline_rank": "nominal",
    "rank_change": "rank_change",
}
"""The changed-rank table's columns and the catalogue words (:data:`livecommerce.words.TEXT`) that head them."""


class Explorer:
    """Sliders for every node's weights and menus for the weighting method, normalisation and aggregation, wired to
    :func:`~livecommerce.analysis.whatif.what_if`; ``widget`` is what the notebook displays, ``result`` the latest
    what-if. Choosing a method moves the sliders to its weights."""

    def __init__(self, study: Study, lang: str = "zh", top: int = 40):
        self.model = explorer_model(study)
        self.lang = lang = check_lang(lang)
        self.top = arguments.integer(top, "top", 1)
        self._quiet = False
        self.baseline = rank(self.model.node_scores()[self.model.root])
        nominal = method_weights(self.model)
        label = {i: study.scheme.label(i, lang) for i in study.scheme.preorder()}
        self.sliders = {
            node: {
                child: widgets.FloatSlider(
                    value=w, min=0.0, max=1.0, step=0.01, description=label.get(child, child), continuous_update=False
                )
                for child, w in children.items()
            }
            for node, children in nominal.items()
        }

        def menu(keys, names, word, value=None):
            options = [(choice_name(names, k, lang), k) for k in keys]
            return widgets.Dropdown(options=options, value=value or keys[0], description=text(word, lang))

        self.method = menu(list(self.model.alternatives), METHOD_NAMES, "methods", "nominal")
        self.normalisation = menu(list(self.model.scores), NORMALISATION_NAMES, "normalisations")
        self.aggregation = menu(list(models.AGGREGATION_CHOICES), AGGREGATION_NAMES, "aggregations", "nominal")
        self.chart = widgets.HTML()
        self.changes = widgets.HTML()
        self.message = widgets.HTML()
        for control in (self.normalisation, self.aggregation, *self._all_sliders()):
            control.observe(self._changed, names="value")
        self.method.observe(self._method_changed, names="value")
        groups = [
            widgets.VBox([widgets.HTML(f"<b>{label.get(node, node)}</b>"), *children.values()])
            for node, children in self.sliders.items()
        ]
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.method, self.normalisation, self.aggregation]),
                widgets.HBox(groups),
                self.message,
                widgets.HBox([self.chart, self.changes]),
            ]
        )
        self.result = None
        self.update()

    def _all_sliders(self):
        return [s for children in self.sliders.values() for s in children.values()]

    def choices(self) -> dict:
        """The widgets' current choices, as :func:`~livecommerce.analysis.whatif.what_if` takes them."""
        return {
            "weights": {node: {c: s.value for c, s in children.items()} for node, children in self.sliders.items()},
            "method": self.method.value,
            "normalisation": self.normalisation.value,
            "aggregation": self.aggregation.value,
        }

    def update(self) -> WhatIf | None:
        """Recompute from the widgets and redraw; a choice that cannot be computed is shown, not raised."""
        try:
            self.result = what_if(self.model, **self.choices(), baseline=self.baseline)
        except ParameterError as error:
            self.message.value = f"<span style='color:#c0392b'>{error}</span>"
            return None
        self.message.value = ""
        self._draw()
        return self.result

    def _draw(self) -> None:
        """The chart and the table of changed ranks, both as HTML (milliseconds: no image is rendered)."""
        self.chart.value = what_if_html(self.result.table, self.lang, top=self.top)
        self.changes.value = changed(self.result, self.lang).to_html(na_rep="")

    def _changed(self, _change) -> None:
        if not self._quiet:
            self.update()

    def _method_changed(self, change) -> None:
        self._quiet = True  # move every slider, then recompute once
        for node, children in method_weights(self.model, change["new"]).items():
            for child, w in children.items():
                self.sliders[node][child].value = w
        self._quiet = False
        self.update()


def changed(result: WhatIf, lang: str = "zh") -> pd.DataFrame:
    """The regions whose rank ``result`` moved, by new rank, indexed by their names, headed in ``lang``
    (:data:`CHANGED_COLUMNS`), their scores at the two decimals the tables print."""
    headings = {k: text(w, check_lang(lang)) for k, w in CHANGED_COLUMNS.items()}
    table = result.changed[list(CHANGED_COLUMNS)].round({"score": 2}).set_index("name")
    return table.rename(columns=headings).rename_axis(headings["name"])


__all__ = ["CHANGED_COLUMNS", "Explorer", "changed"]
