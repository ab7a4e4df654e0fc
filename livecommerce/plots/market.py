"""Chapters 1–2: market statistics from the facts table, every chart with its source line."""

import re

import numpy as np
import pandas as pd

from .. import arguments
from ..errors import ParameterError
from .theme import PALETTE, axes, check_lang, source_line, text

SHARE_MEASURE = "live-commerce sales as share of online retail sales"
MARKET_FACTS = ("F11", "F13", "F28", "F35", "F12")
"""Live commerce's transaction volume and sales, cross-border market and MCN market (亿元)."""
USER_FACTS = ("F03", "F08")
"""Online shopping users and live-commerce users (亿人)."""
UNITS = {1e8: ("亿", "100 million"), 1e4: ("万", "10 thousand")}


def fact_label(measure: str, lang: str) -> str:
    """A fact's measure in ``lang``: the Chinese term in parentheses, or the English before it."""
    chinese = re.search(r"[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]", arguments.string(measure, "measure"))
    if check_lang(lang) == "zh" and chinese:
        return chinese.group(1)
    return re.sub(r"\s*[(（][^()（）]*[)）]", "", measure)


def sources(facts: pd.DataFrame, lang: str) -> list[str]:
    """Each fact's cited source, or the report's section where it cites none."""
    lang = check_lang(lang)
    out = []
    for fact in arguments.frame(facts, "facts", ["source", "section"]).itertuples():
        cited = fact.source or (
            f"{text('report', lang)}，{fact.section}（{text('no_source', lang)}）"
            if lang == "zh"
            else f"{text('report', lang)}, {fact.section} ({text('no_source', lang)})"
        )
        out.append(cited)
    return out


def fact_bars(facts: pd.DataFrame, ids, lang: str | None = None, ax=None, unit: float = 1e8):
    """Horizontal bars of chosen facts sharing a base unit, in units of ``unit`` (亿 by default)."""
    lang = check_lang(lang)
    arguments.choice(unit, "unit", UNITS)
    ids = arguments.names(ids, "ids")
    facts = arguments.frame(facts, "facts", ["unit", "value_base", "kind", "measure", "period", "source", "section"])
    missing = [i for i in ids if i not in facts.index]
    if missing:
        raise ParameterError(f"ids: no fact {missing[0]!r} in the facts table")
    chosen = facts.loc[ids]
    bases = {str(u)[-1] for u in chosen["unit"]}  # 元 or 人
    if len(bases) > 1:
        raise ParameterError(f"facts {ids} mix units {sorted(set(chosen['unit']))}: one chart, one unit")
    ax = axes(ax, (6.5, 0.5 * len(chosen) + 1.5))
    y = np.arange(len(chosen))[::-1]
    values = chosen["value_base"] / unit
    ax.barh(
        y,
        values,
        color=[PALETTE["muted"] if k != "observed" else PALETTE["people"] for k in chosen["kind"]],
        height=0.6,
    )
    labels = [
        f"{fact_label(m, lang)}（{p}）" if lang == "zh" else f"{fact_label(m, lang)} ({p})"
        for m, p in zip(chosen["measure"], chosen["period"])
    ]
    ax.set_yticks(y, labels)
    for yy, v in zip(y, values):
        ax.text(v, yy, f" {v:,.2f}", va="center", fontsize="x-small")
    base = bases.pop()
    ax.set_xlabel(UNITS[unit][0] + base if lang == "zh" else f"{UNITS[unit][1]} {'yuan' if base == '元' else 'people'}")
    ax.grid(axis="y", visible=False)
    return source_line(ax, sources(chosen, lang), lang)


def share_of_online_retail(facts: pd.DataFrame, lang: str | None = None, ax=None):
    """Live commerce's share of online retail sales, 2020–2023, and the 2025 projection marked as such."""
    lang = check_lang(lang)
    facts = arguments.frame(facts, "facts", ["measure", "period", "kind", "value", "qualifier", "source", "section"])
    chosen = facts[facts["measure"] == SHARE_MEASURE]
    if chosen.empty:
        raise ParameterError(f"the facts table has no {SHARE_MEASURE!r}")
    chosen = chosen.sort_values("period", key=lambda p: p.str[:4], kind="stable")  # by year; within one, as listed
    ax = axes(ax, (6.5, 4))
    x = np.arange(len(chosen))
    projected = (chosen["kind"] == "projection").to_numpy()
    bars = ax.bar(
        x,
        chosen["value"],
        color=np.where(projected, "white", PALETTE["people"]),
        edgecolor=PALETTE["people"],
        hatch=None,
    )
    for bar, is_projection in zip(bars, projected):
        if is_projection:
            bar.set_hatch("///")
    for xx, fact in zip(x, chosen.itertuples()):
        prefix = "≥" if fact.qualifier == "at_least" else ""
        suffix = f"\n({text('projection', lang)})" if fact.kind == "projection" else ""
        ax.text(xx, fact.value, f"{prefix}{fact.value:g}%{suffix}", ha="center", va="bottom", fontsize="x-small")
    ax.set_xticks(x, chosen["period"], rotation=0, fontsize="x-small")
    ax.set_ylabel("%")
    ax.set_ylim(0, chosen["value"].max() * 1.25)
    ax.grid(axis="x", visible=False)
    return source_line(ax, sources(chosen, lang), lang)
