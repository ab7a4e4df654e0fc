"""An edition against the previous one: the previous edition's ranked measures (a study, the published 2023
report or a previous run's output folder) and the growth and rank change of every ranked measure."""

import pandas as pd

from livecommerce import arguments
from livecommerce.data.edition import previous_tables
from livecommerce.data.regions import region_set
from livecommerce.errors import ParameterError
from livecommerce.study.study import Study, ranked_measures
from livecommerce.vocab import PRINTED_DECIMALS, RANKED

__all__ = ["compare_editions", "load_previous"]


def load_previous(previous, level, registry=None) -> pd.DataFrame:
    """The previous edition's ranked measures of the region set ``level`` (overall, people, goods, venue; columns)
    by region: from a :class:`~livecommerce.study.study.Study`, ``"published"`` (the 2023 report as printed: its
    three sets only) or the output folder of a previous report run of the set
    (:func:`livecommerce.data.edition.previous_tables`). ``level`` is a
    :class:`~livecommerce.data.regions.RegionSet` or its name (with ``registry``, a user registry's)."""
    chosen = region_set(level, registry)
    if isinstance(previous, Study):
        return ranked_measures(previous, chosen.level)
    if isinstance(previous, str) and previous == "published":
        if not chosen.named:
            raise ParameterError(
                f"previous='published': the published report has the sets province, city and prefecture, not "
                f"{chosen.level!r}; give the output folder of a previous run of that set"
            )
        return Study.build(chosen.level).scores[list(RANKED)]
    return previous_tables(arguments.path(previous, "previous"), chosen)


def compare_editions(current: Study, previous, decimals: int | None = PRINTED_DECIMALS) -> dict[str, pd.DataFrame]:
    """Growth and rank change of every ranked measure of ``current`` against ``previous`` (see
    :func:`load_previous`), by measure: :meth:`Study.compare <livecommerce.study.study.Study.compare>` of each, the
    values rounded to ``decimals`` (as the report prints them, so that growth, ranks and arrows agree with the
    printed values; None: unrounded). Regions new in this edition are marked 新, those no longer in it —."""
    arguments.instance(current, "current", Study, "a Study")
    arguments.optional(arguments.integer, decimals, "decimals", 0)
    before = load_previous(previous, current.members)
    return {m: current.compare(before, m, decimals) for m in RANKED if m in current.scores and m in before}
