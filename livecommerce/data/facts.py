"""The facts of chapters 1, 2 and 4 (:func:`livecommerce.data.published.load_facts`, an edition's) as an edition in
a language cites them: their sections and sources by their Chinese or English names."""

import pandas as pd

from livecommerce import arguments, words

__all__ = ["ENGLISH_NAMES", "facts_in_language"]

ENGLISH_NAMES = {"section": "section_en", "source": "source_en"}
"""The facts' columns a reader sees in ``lang`` and the columns of their English names."""


def facts_in_language(facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``facts`` as an edition in ``lang`` cites them: ``section`` and ``source`` in ``lang`` (in English each one's
    ``section_en`` and ``source_en``; the Chinese where an edition's fact gives none, as a region without an English
    name keeps its Chinese one) and the English columns dropped, so that a Chinese edition prints as before."""
    facts = arguments.frame(facts, "facts", list(ENGLISH_NAMES))
    given = [c for c in ENGLISH_NAMES.values() if c in facts]
    if words.check_lang(lang) == "en":
        facts = facts.assign(
            **{
                c: facts[en].where(facts[en].fillna("") != "", facts[c])
                for c, en in ENGLISH_NAMES.items()
                if en in facts
            }
        )
    return facts.drop(columns=given)
