"""Chapters 1–2: market statistics from the facts table, each value at the precision the report prints it."""

import re

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.facts import facts_in_language
from livecommerce.errors import ParameterError
from livecommerce.plots.sources import sources_text
from livecommerce.plots.theme import PALETTE, axes, small
from livecommerce.words import check_lang, period, text

__all__ = [
    "BASES",
    "MARKET_FACTS",
    "QUALIFIERS",
    "SHARE_MEASURE",
    "UNITS",
    "USER_FACTS",
    "fact_bars",
    "fact_label",
    "fact_sources",
    "share_facts",
    "share_of_online_retail",
]

SHARE_MEASURE = "live-commerce sales as share of online retail sales"
MARKET_FACTS = ("F11", "F13", "F28", "F35", "F12")
"""Live commerce's transaction volume and sales, cross-border market and MCN market (亿元)."""
USER_FACTS = ("F03", "F08")
"""Online shopping users and live-commerce users (亿人)."""
UNITS = {1e8: "hundred_million", 1e4: "ten_thousand"}
BASES = {"元": "unit_yuan", "人": "unit_people"}
QUALIFIERS = {"at_least": "≥", "at_most": "≤", "more_than": ">"}


def fact_label(measure: str, lang: str) -> str:
    """A fact's measure in ``lang``: the Chinese term in parentheses, or the English before it."""
    chinese = re.search(r"[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]", arguments.string(measure, "measure"))
    if check_lang(lang) == "zh" and chinese:
        return chinese.group(1)
    return re.sub(r"\s*[(（][^()（）]*[)）]", "", measure)


def fact_sources(facts: pd.DataFrame, ids=None, lang: str = "zh") -> str:
    """The 来源 text of chosen facts (all if ``ids`` is None): each one's cited source, or the report's section
    where it cites none, in ``lang`` (:func:`~livecommerce.data.facts.facts_in_language`)."""
    facts = facts_in_language(facts, lang)
    if ids is not None:
        ids = arguments.names(ids, "ids")
        missing = [i for i in ids if i not in facts.index]
        if missing:
            raise ParameterError(f"ids: no fact {missing[0]!r} in the facts table")
        facts = facts.loc[ids]
    cited = [source for source in facts["source"] if source]
    uncited = list(dict.fromkeys(section for source, section in zip(facts["source"], facts["section"]) if not source))
    if uncited:
        cited.append(text("report_uncited", lang, where=text("list_sep", lang).join(uncited)))
    return sources_text(cited, lang)


def _decimals(fact, unit: float) -> int:
    """Decimals of a value shown in ``unit`` at the precision the report printed it in its own unit."""
    shift = np.log10(fact.value_base / unit) - np.log10(fact.value) if fact.value else 0.0
    return max(0, int(fact.decimals) - int(round(shift)))


def fact_bars(facts: pd.DataFrame, ids, lang: str = "zh", ax=None, unit: float = 1e8):
    """Horizontal bars of two or more chosen facts sharing a base unit, in units of ``unit`` (亿 by default), each
    labelled at the precision the report prints (1.98 万亿元 is 19,800 亿元, not 19,800.00) with its qualifier (超过:
    >). One fact is no chart: a sentence states it."""
    lang = check_lang(lang)
    arguments.choice(unit, "unit", UNITS)
    ids = arguments.names(ids, "ids")
    if len(ids) < 2:
        raise ParameterError(f"ids={ids!r}: a chart of a single bar says less than a sentence; give two facts or more")
    facts = arguments.frame(
        facts, "facts", ["unit", "value", "value_base", "decimals", "qualifier", "kind", "measure", "period"]
    )
    missing = [i for i in ids if i not in facts.index]
    if missing:
        raise ParameterError(f"ids: no fact {missing[0]!r} in the facts table")
    chosen = facts.loc[ids]
    bases = {str(u)[-1] for u in chosen["unit"]}  # 元 or 人
    if len(bases) > 1 or not bases <= set(BASES):
        raise ParameterError(f"facts {ids} mix units {sorted(set(chosen['unit']))}: one chart, one unit")
    ax = axes(ax, 0.4 * len(chosen) + 1.0)
    y = np.arange(len(chosen))[::-1]
    values = chosen["value_base"] / unit
    ax.barh(
        y,
        values,
        color=[PALETTE["muted"] if k != "observed" else PALETTE["people"] for k in chosen["kind"]],
        height=0.6,
    )
    labels = [
        text("fact_period", lang, measure=fact_label(m, lang), period=period(p, lang))
        for m, p in zip(chosen["measure"], chosen["period"])
    ]
    ax.set_yticks(y, labels)
    for yy, v, fact in zip(y, values, chosen.itertuples()):
        label = f" {QUALIFIERS.get(fact.qualifier, '')}{v:,.{_decimals(fact, unit)}f}"
        ax.text(v, yy, label, va="center", fontsize=small())
    ax.set_xlim(0, values.max() * 1.2)
    ax.set_xlabel(text(BASES[bases.pop()], lang, unit=text(UNITS[unit], lang)))
    ax.grid(axis="y", visible=False)
    return ax


def share_of_online_retail(facts: pd.DataFrame, lang: str = "zh", ax=None):
    """Live commerce's share of online retail sales, 2020–2023, and the 2025 projection marked as such."""
    lang = check_lang(lang)
    facts = arguments.frame(facts, "facts", ["measure", "period", "kind", "value", "decimals", "qualifier"])
    chosen = share_facts(facts)
    ax = axes(ax, 3.2)
    x = np.arange(len(chosen))
    projected = (chosen["kind"] == "projection").to_numpy()
    bars = ax.bar(
        x, chosen["value"], color=np.where(projected, "white", PALETTE["people"]), edgecolor=PALETTE["people"]
    )
    for bar, is_projection in zip(bars, projected):
        if is_projection:
            bar.set_hatch("///")
    for xx, fact in zip(x, chosen.itertuples()):
        suffix = f"\n{text('projection', lang)}" if fact.kind == "projection" else ""
        value = f"{QUALIFIERS.get(fact.qualifier, '')}{fact.value:.{int(fact.decimals)}f}%{suffix}"
        ax.text(xx, fact.value, value, ha="center", va="bottom", fontsize=small())
    ax.set_xticks(x, [period(p, lang) for p in chosen["period"]])
    ax.set_ylabel(text("percent", lang))
    ax.set_ylim(0, chosen["value"].max() * 1.3)
    ax.grid(axis="x", visible=False)
    return ax


def share_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts of live commerce's share of online retail, by year (within a year, as listed)."""
    chosen = arguments.frame(facts, "facts", ["measure", "period"])
    chosen = chosen[chosen["measure"] == SHARE_MEASURE]
    if chosen.empty:
        raise ParameterError(f"the facts table has no {SHARE_MEASURE!r}")
    return chosen.sort_values("period", key=lambda p: p.str[:4], kind="stable")
