"""What the choice of aggregation does to a ranking: every region's rank when every node of a model combines its
children by each aggregation (:data:`livecommerce.index.aggregate.AGGREGATIONS`), with the nominal weights."""

import pandas as pd

from livecommerce import arguments
from livecommerce.index.model import AGGREGATION_CHOICES, Model, check_model, evaluate
from livecommerce.index.ranking import rank
from livecommerce.words import AGGREGATION_NAMES, check_lang, choice_name

__all__ = ["aggregation_rankings"]


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
