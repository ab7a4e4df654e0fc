"""Chapters 1, 2 and 4's statistics as the report prints them: the value with its printed decimals, its unit and
its qualifier (超过70%, 35%以上, 不超过50%), never the bare number."""

import pandas as pd

from livecommerce import arguments
from livecommerce.data.facts import facts_in_language
from livecommerce.publish.sentences import phrases
from livecommerce.words import check_lang

__all__ = ["fact_text", "printed_facts"]


def fact_text(facts: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Each fact (:func:`livecommerce.data.published.load_facts`) as printed, by ``fact_id``: 超过70% (F17), 35%以上
    (F34)."""
    facts = arguments.frame(facts, "facts", ["value", "unit", "qualifier", "decimals"])
    check_lang(lang)
    template = phrases(lang)
    return pd.Series(
        [
            str(template.fact(f"{f.value:.{int(f.decimals)}f}", f.unit, f.qualifier))
            for f in facts[["value", "unit", "qualifier", "decimals"]].itertuples()
        ],
        index=facts.index,
        name="printed",
    )


def printed_facts(facts: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``facts`` as a reader sees them: measure, the value as printed (:func:`fact_text`), kind, period and source
    (in ``lang``: :func:`~livecommerce.data.facts.facts_in_language`)."""
    facts = facts_in_language(facts, lang)
    return facts.assign(value=fact_text(facts, lang))[["measure", "value", "kind", "period", "source"]]
