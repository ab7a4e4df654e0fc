"""Chapters 1, 2 and 4's statistics as the report prints them: the value with its printed decimals, its unit and
its qualifier (超过70%, 35%以上, 不超过50%), never the bare number."""

import pandas as pd

from livecommerce import arguments
from livecommerce.publish.sentences import words
from livecommerce.vocab import LANGS

__all__ = ["fact_text"]


def fact_text(facts: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Each fact (:func:`livecommerce.data.published.load_facts`) as printed, by ``fact_id``: 超过70% (F17), 35%以上
    (F34)."""
    facts = arguments.frame(facts, "facts", ["value", "unit", "qualifier", "decimals"])
    arguments.choice(lang, "lang", LANGS)
    template = words(lang)
    return pd.Series(
        [
            str(template.fact(f"{f.value:.{int(f.decimals)}f}", f.unit, f.qualifier))
            for f in facts[["value", "unit", "qualifier", "decimals"]].itertuples()
        ],
        index=facts.index,
        name="printed",
    )
