"""The report's data-driven sentences, regenerated from the tables by Jinja2 templates (``templates/<lang>.j2``):
headlines (广东、浙江和上海排名前三), rank statements (四川排名全国第八，中西部第一)
and the top-5 lists (川茶、川酒、川调).

New data gives new sentences: every name, rank and group comes from the table passed in.
"""

from functools import cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from livecommerce import arguments
from livecommerce.data.regions import display_names as names  # region names in zh or en, for the sentences and assemble
from livecommerce.data.regions import regions
from livecommerce.vocab import LEVELS, PUBLISHED_EDITION
from livecommerce.words import BAD_ROW_RULES, RECORD_TABLES, TOP5_CATEGORIES, check_lang, days, word

__all__ = [
    "FOCUS",
    "GROUPS",
    "TEMPLATES",
    "comparison",
    "en_ordinal",
    "first_in",
    "focus",
    "headline",
    "phrases",
    "records",
    "top",
    "top5",
    "top_names",
    "weights_used",
    "zh_number",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"

FOCUS = {"province": "510000", "city": "510100"}
"""The region each level's rank statement is about (四川 among provinces, 成都 among cities); Sichuan's
prefectures have none (the report names only the top three)."""

GROUPS = {"central_west": ("central", "west"), "west": ("west",)}
"""The groups a region can lead (中西部, 西部), widest first, by the NBS macro regions they take in."""

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """A whole number from 0 to 99 in Chinese numerals (12 → 十二, 21 → 二十一)."""
    n = arguments.integer(n, "n", 0, 99)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[units] if units else "")


def en_ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st."""
    n = arguments.integer(n, "n", 0)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_EN_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _en_number(n: int) -> str:
    """A count in words up to ten, in digits above."""
    n = arguments.integer(n, "n", 0)
    return _EN_NUMBERS[n] if n < len(_EN_NUMBERS) else str(n)


def _en_category(category: str) -> str:
    """A top-5 list's category in English (川茶: Sichuan tea)."""
    return word(TOP5_CATEGORIES, category, "en", "category")


@cache  # the templates are compiled once a process (each is compiled again in a new environment)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False)
    env.filters.update(zh_number=zh_number, en_ordinal=en_ordinal, en_number=_en_number, en_category=_en_category)
    return env


def phrases(lang: str):
    """The sentence templates of ``lang`` (``templates/{lang}.j2``): its macros (``top``, ``focus``, ``headline``,
    ``top5``, ``caption`` …)."""
    return _environment().get_template(f"{check_lang(lang)}.j2").module


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    return arguments.frame(table, "table", ["rank", "region_id"], min_rows=1).sort_values("rank", kind="stable")


def top(table: pd.DataFrame, lang: str = "zh", n: int = 3) -> str:
    """Who ranks in the top ``n`` (ties included): 广东、浙江和上海排名前三."""
    ranked = _ranked(table)
    return str(phrases(lang).top(names(ranked.loc[ranked["rank"] <= n, "region_id"], lang)))


def first_in(table: pd.DataFrame, region_id: str) -> str:
    """The widest group (:data:`GROUPS`) that ``region_id`` ranks first in, or "" if none."""
    ranked = _ranked(table)
    macro = regions().reset_index().drop_duplicates("region_id").set_index("region_id")["macro_region"]
    for kind, members in GROUPS.items():
        inside = ranked[macro.reindex(ranked["region_id"]).isin(members).to_numpy()]
        if not inside.empty and inside["rank"].iloc[0] == ranked.loc[ranked["region_id"] == region_id, "rank"].iloc[0]:
            return kind
    return ""


def focus(table: pd.DataFrame, level: str, lang: str = "zh", named: bool = True) -> str:
    """The rank statement of the level's focus region (:data:`FOCUS`): 四川排名全国第八，中西部第一 (without the
    name if not ``named``: 排名全国第八，中西部第一).

    The national rank is stated unless the region leads a group while in the top three (it is named there
    already) or below tenth (the report then names the group alone: 四川排名西部第一). "" for a level
    without a focus region or a table without it."""
    arguments.choice(level, "level", LEVELS)
    ranked = _ranked(table)
    region_id = FOCUS.get(level)
    if region_id is None or region_id not in set(ranked["region_id"]):
        return ""
    position = int(ranked.loc[ranked["region_id"] == region_id, "rank"].iloc[0])
    group = first_in(ranked, region_id)
    national = not group or 3 < position <= 10
    if not named:
        return str(phrases(lang).rank_phrase(position, group, national))
    return str(phrases(lang).focus(names([region_id], lang)[0], position, group, national))


def top_names(table: pd.DataFrame, lang: str = "zh", n: int = 3) -> str:
    """The regions ranked in the top ``n`` (ties included), as a list: 广东、浙江和上海."""
    ranked = _ranked(table)
    return str(phrases(lang).names(names(ranked.loc[ranked["rank"] <= n, "region_id"], lang)))


def headline(table: pd.DataFrame, level: str, lang: str = "zh") -> str:
    """A section's headline: the top three and the focus region's rank statement."""
    ranked = _ranked(table)
    return str(
        phrases(lang).headline(names(ranked.loc[ranked["rank"] <= 3, "region_id"], lang), focus(ranked, level, lang))
    )


def top5(table: pd.DataFrame, lang: str = "zh") -> str:
    """The sentence of a top-5 list (表10–12): its brands, shops and main destinations (each named once), in rank
    order."""
    t = arguments.frame(table, "table", ["category", "rank", "brand", "shop", "destination_id"], min_rows=1)
    t = t.sort_values("rank", kind="stable")
    category = t["category"].iloc[0]
    destinations = names(list(dict.fromkeys(t["destination_id"])), lang)  # each once, in rank order
    return str(phrases(lang).top5(category, list(t["brand"]), list(t["shop"]), destinations))


def weights_used(study, lang: str = "zh") -> str:
    """The weights each node of ``study`` gives its children, with the scheme's labels, top node first:
    “直播发展指数”＝0.53×人＋0.26×货＋0.20×场；“人”＝0.17×主播活跃度＋…"""
    scheme = study.scheme
    order = [n for n in scheme.preorder() if n in set(study.weights["node"])]
    nodes = [
        (scheme.label(n, lang), [(scheme.label(c, lang), float(w)) for c, w in study.node_weights(n).items()])
        for n in order
    ]
    return str(phrases(check_lang(lang)).weights(nodes))


def records(study, lang: str = "zh") -> str:
    """What ``study``'s records were (its log's provenance): each table's rows read and number of files (never their
    names: the print names no file), the period and the rows dropped by rule; "" for a study of other data."""
    source = study.source
    if source.get("kind") != "records":
        return ""
    tables = [
        (word(RECORD_TABLES, name, lang), f"{source['rows'][name]:,}", len(files))
        for name, files in source["files"].items()
    ]
    dropped = {}
    for item in source["bad_rows"]:
        dropped[item["rule"]] = dropped.get(item["rule"], 0) + int(item["rows"])
    rules = [(word(BAD_ROW_RULES, rule, lang), f"{n:,}") for rule, n in dropped.items()]
    return str(phrases(check_lang(lang)).records(tables, days(*source["period"], lang), rules))


def comparison(study, lang: str = "zh", growth: bool = False) -> str:
    """How ``study``'s growth and rank change were computed against its previous edition: the series-break note
    against the 2023 report (whose overall index is not a weighted mean), else how they were computed; with
    ``growth`` (under a table printing it) in the same note what a negative growth of a rescaled index means; "" if
    the study has no previous edition or holds the report's own numbers."""
    if study.previous is None or study.published is not None:
        return ""
    module = phrases(check_lang(lang))
    return str(module.series_break(growth) if study.previous_edition == PUBLISHED_EDITION else module.compared(growth))
