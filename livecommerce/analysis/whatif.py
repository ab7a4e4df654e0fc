"""What-if in JupyterLab: move a level's weights, weighting method, normalisation or aggregation and see the
ranking change (COINr's re-weighting app ``rew8r``, as widgets).

:func:`what_if` is the whole calculation, a plain function of the choices (a test or a script calls it without a
browser); :class:`Explorer` holds the widgets (ipywidgets sliders and menus) and calls it on every change, then
redraws the ranked chart and the table of regions whose rank moved, both as HTML, so that a change shows within
milliseconds. Notebook 08 shows it; the report runner does not run that notebook.
"""

from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np
import pandas as pd

from livecommerce import arguments, plots
from livecommerce.errors import ParameterError
from livecommerce.index import model as models
from livecommerce.index.model import check_model
from livecommerce.index.normalise import NORMALISATIONS
from livecommerce.index.ranking import rank
from livecommerce.plots.captions import AGGREGATION_NAMES, METHOD_NAMES, NORMALISATION_NAMES, choice_name
from livecommerce.plots.theme import check_lang, text
from livecommerce.study.study import Study

__all__ = ["CHANGED_COLUMNS", "Explorer", "WhatIf", "explorer_model", "method_weights", "what_if"]


@dataclass(frozen=True)
class WhatIf:
    """One what-if: every region's score and rank under the choices, its rank under the study's own weights
    (``baseline_rank``) and the change (baseline − new, the report's ↑); ``changed`` keeps the regions that moved,
    by new rank."""

    table: pd.DataFrame
    choices: dict

    @property
    def changed(self) -> pd.DataFrame:
        moved = self.table[self.table["rank_change"] != 0]
        return moved.sort_values(["rank", "baseline_rank"], kind="stable")


def explorer_model(study: Study) -> models.Model:
    """The study's model with every weighting method as an alternative and, for raw data, every normalisation."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    if study.source["kind"] == "published":
        return study.model(models.WEIGHTING_CHOICES)
    own = study.scheme.normalisation["method"]
    others = tuple(m for m in NORMALISATIONS if m != own)
    built = models.from_panel(study.inputs, study.scheme, (own, *others), names=study.nominal.names)
    return models.with_methods(replace(built, weights=study.nominal.weights), models.WEIGHTING_CHOICES)


def method_weights(model: models.Model, method: str = "nominal") -> dict[str, dict[str, float]]:
    """The weights ``method`` gives each node, by name (where a what-if starts from)."""
    arguments.choice(method, "method", check_model(model).alternatives)
    return {
        node.id: dict(zip(node.children, map(float, weights)))
        for node, weights in zip(model.nodes, model.alternatives[method])
    }


def _flat(model: models.Model, weights: dict | None, method: str) -> np.ndarray:
    """The flat weight vector: ``method``'s weights, with any node of ``weights`` replaced by its relative
    weights (slider positions) rescaled to sum to 1."""
    start = method_weights(model, method)
    nodes = {node.id: node for node in model.nodes}
    for node, given in ({} if weights is None else arguments.mapping(weights, "weights")).items():
        if node not in nodes:
            raise ParameterError(f"weights: {node!r} is not a node of the model ({', '.join(nodes)})")
        arguments.mapping(given, f"weights[{node!r}]")
        if set(given) != set(nodes[node].children):
            raise ParameterError(
                f"weights: node {node!r} needs a weight for each of its children {', '.join(nodes[node].children)}"
            )
        values = np.array([arguments.number(given[c], f"weights[{node!r}][{c!r}]") for c in nodes[node].children])
        if not np.isfinite(values).all() or (values < 0).any() or values.sum() <= 0:
            raise ParameterError(f"weights: node {node!r} needs non-negative weights, not all zero; got {dict(given)}")
        start[node] = dict(zip(nodes[node].children, values / values.sum()))
    return np.array([start[node.id][child] for node in model.nodes for child in node.children])


def what_if(
    model: models.Model,
    weights: dict | None = None,
    method: str = "nominal",
    normalisation: str | None = None,
    aggregation: str = "nominal",
    baseline: pd.Series | None = None,
) -> WhatIf:
    """Every region's score and rank under ``method``'s weights (any node of ``weights``, ``{node: {child: w}}``,
    taking those relative weights instead), ``normalisation`` (a key of ``model.scores``; the first if None) and
    ``aggregation`` (:data:`livecommerce.index.model.AGGREGATION_CHOICES`: each node's own, or one mean for
    all), against the ``baseline`` ranks (the model's nominal ranking if None)."""
    check_model(model)
    normalisation = arguments.choice(normalisation, "normalisation", (*model.scores, None)) or next(iter(model.scores))
    arguments.choice(aggregation, "aggregation", models.AGGREGATION_CHOICES)
    flat = _flat(model, weights, method)
    used = {node.aggregation if aggregation == "nominal" else aggregation for node in model.nodes} - {"arithmetic"}
    if used and (model.scores[normalisation] <= 0).any():
        raise ParameterError(
            f"aggregation={aggregation!r} needs positive scores (the {'/'.join(sorted(used))} mean); "
            f"normalisation={normalisation!r} gives some that are not"
        )
    scores = models.evaluate_draws(model, flat[None], np.array([aggregation]), np.array([normalisation]))[0]
    scores = pd.Series(scores, index=model.regions, name="score")
    if baseline is None:
        baseline = rank(pd.Series(models.evaluate_draws(model, model.nominal[None])[0], index=model.regions))
    new = rank(scores)
    table = pd.DataFrame({"name": model.names, "score": scores, "rank": new, "baseline_rank": baseline})
    table["rank_change"] = (table["baseline_rank"] - table["rank"]).astype("Int64")
    choices = {"weights": weights or {}, "method": method, "normalisation": normalisation, "aggregation": aggregation}
    return WhatIf(table.sort_values(["rank", "baseline_rank"], kind="stable"), choices)


CHANGED_COLUMNS = {
    "name": "region",
    "score": "score",
    "rank": "new_rank",
    "baseline_rank": "nominal",
    "rank_change": "rank_change",
}
"""The changed-rank table's columns and the catalogue words (:data:`livecommerce.plots.theme.TEXT`) that head them."""


class Explorer:
    """Sliders for every node's weights and menus for the weighting method, normalisation and aggregation, wired to
    :func:`what_if`; ``widget`` is what the notebook displays, ``result`` the latest what-if. Choosing a method
    moves the sliders to its weights."""

    def __init__(self, study: Study, lang: str | None = None, top: int = 40):
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
        """The widgets' current choices, as :func:`what_if` takes them."""
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
        self.chart.value = plots.what_if_html(self.result.table, self.lang, top=self.top)
        changed = self.result.changed.rename(columns={k: text(w, self.lang) for k, w in CHANGED_COLUMNS.items()})
        self.changes.value = changed.to_html(index=False, float_format="{:.2f}".format, na_rep="")

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
