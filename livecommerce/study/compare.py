"""An edition against the previous one: the previous edition's ranked measures (a study, the published 2023
report or a previous run's output folder) and the growth and rank change of every ranked measure."""

import pandas as pd

from livecommerce import arguments
from livecommerce.data.edition import previous_tables
from livecommerce.data.regions import check_level
from livecommerce.study.study import Study, ranked_measures
from livecommerce.vocab import PRINTED_DECIMALS, RANKED

__all__ = ["compare_editions", "load_previous"]


def load_previous(previous, level: str) -> pd.DataFrame:
    """The previous edition's ranked measures of ``level`` (overall, people, goods, venue; columns) by region:
    from a :class:`~livecommerce.study.study.Study`, ``"published"`` (the 2023 report as printed) or the output folder
    of a previous report run (:func:`livecommerce.data.edition.previous_tables`)."""
    check_level(level)
    if isinstance(previous, Study):
        return ranked_measures(previous, level)
    if isinstance(previous, str) and previous == "published":
        return Study.build(level).scores[list(RANKED)]
    return previous_tables(arguments.path(previous, "previous"), level)


def compare_editions(current: Study, previous, decimals: int | None = PRINTED_DECIMALS) -> dict[str, pd.DataFrame]:
    """Growth and rank change of every ranked measure of ``current`` against ``previous`` (see
    :func:`load_previous`), by measure: :meth:`Study.compare <livecommerce.study.study.Study.compare>` of each, the
    values rounded to ``decimals`` (as the report prints them, so that growth, ranks and arrows agree with the
    printed values; None: unrounded). Regions new in this edition are marked 新, those no longer in it —."""
    arguments.instance(current, "current", Study, "a Study")
    arguments.optional(arguments.integer, decimals, "decimals", 0)
    before = load_previous(previous, current.level)
    return {m: current.compare(before, m, decimals) for m in RANKED if m in current.scores and m in before}
