"""What the choice of aggregation does to a ranking: every region's rank when every node of a model combines its
children by each aggregation (:data:`livecommerce.index.aggregate.AGGREGATIONS`), with the nominal weights; and
the weights the Benefit of the Doubt gives each region."""

import pandas as pd

from livecommerce import arguments
from livecommerce.index.frontier import bod
from livecommerce.index.model import AGGREGATION_CHOICES, Model, check_model, evaluate
from livecommerce.index.ranking import rank
from livecommerce.words import AGGREGATION_NAMES, MEASURE_LABELS, check_lang, choice_name

__all__ = ["aggregation_rankings", "bod_weights"]


def aggregation_rankings(model: Model, aggregations=AGGREGATION_CHOICES, lang: str | None = None) -> pd.DataFrame:
    """The rank of every region (1 the best, ties share the best rank) under each of ``aggregations`` at every node
    (``nominal``: each node's own), beside the published rank where there is one, with the largest move from the
    nominal rank (``largest_move``); columns named in ``lang`` when given, else by code."""
    check_model(model)
    names = arguments.names(aggregations, "aggregations")
    for name in names:
        arguments.choice(name, "aggregations", AGGREGATION_CHOICES)
    out = pd.DataFrame({"name": model.names}, index=model.regions)
    if model.published_rank is not None:
        out["published"] = model.published_rank
    ranks = pd.DataFrame({a: rank(evaluate(model, aggregation=a)) for a in names}, index=model.regions)
    out = out.join(ranks)
    nominal = rank(evaluate(model))
    out["largest_move"] = ranks.sub(nominal, axis=0).abs().max(axis=1)
    if lang is not None:
        check_lang(lang)
        out = out.rename(columns={a: choice_name(AGGREGATION_NAMES, a, lang) for a in names})
    return out


def bod_weights(model: Model, components=None, lang: str | None = None) -> pd.DataFrame:
    """Each region's Benefit-of-the-Doubt score over ``components`` (node or leaf ids; the model's leaves by
    default) at its nominal scores, its rank (1 the best, the frontier sharing it) and each component's share of
    the score at the region's most favourable weights (the shares of a row sum to 1); columns named in ``lang``
    when given, else by code."""
    check_model(model)
    scores = model.node_scores()
    names = list(model.leaves) if components is None else arguments.names(components, "components")
    arguments.columns_of(scores, names, "components")
    score, weights = bod(scores[names])
    out = pd.DataFrame({"name": model.names, "bod": score, "rank": rank(score)}, index=model.regions)
    out = out.join(weights * scores[names] / score.to_numpy()[:, None])
    if lang is not None:
        check_lang(lang)
        labels = {"bod": choice_name(AGGREGATION_NAMES, "bod", lang)}
        out = out.rename(columns={**labels, **{c: choice_name(MEASURE_LABELS, c, lang) for c in names}})
    return out
