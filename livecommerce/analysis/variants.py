"""Indicator definitions as a sensitivity dimension: a study of records ranked under each definition variant of its
scheme (场均UV as a median, fans of the active anchors, a shop's region by its warehouse …), against the default.
The Monte Carlo draws the variant as a step (``steps.step_model(study, {"variant": …})``)."""

import pandas as pd

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.index.ranking import kendall, rank
from livecommerce.index.scheme import DEFAULT_VARIANT
from livecommerce.study.study import Study
from livecommerce.vocab import RANKED

__all__ = ["variant_ranks", "variant_taus"]


def variant_ranks(study: Study, measure: str = "overall") -> pd.DataFrame:
    """The rank of every region of ``study`` (a study of records) by ``measure`` under each definition variant of
    its scheme, one column per variant (the default first), the study's other choices kept."""
    arguments.instance(study, "study", Study, "a Study")
    if study.records is None:
        raise ParameterError("study: definition variants need a study of records (Study.build(…, data=records))")
    arguments.choice(measure, "measure", [m for m in RANKED if m in study.scores])
    return pd.DataFrame({name: rank(study.rebuild(variant=name).scores[measure]) for name in study.records.panels})


def variant_taus(ranks: pd.DataFrame) -> pd.Series:
    """Kendall's τ-b of each variant's ranking (a column of :func:`variant_ranks`) against the default's: 1 the
    same order."""
    arguments.frame(ranks, "ranks", columns=[DEFAULT_VARIANT], min_rows=2)
    return kendall(ranks)[DEFAULT_VARIANT].rename("kendall_tau")
