"""What an author's section text says in its own words about ranks and values, checked against the edition's tables
before anything is printed: a sentence such as 宜宾……在21个市（州）中排名第二 (Yibin ranks second among Sichuan's 21
prefectures) over a table where 宜宾 is fourth, 广东以98.36的直播发展指数值…… (Guangdong, with a development index of
98.36) where the table prints 97.10, or 广东、浙江和四川……居全国前三 (Guangdong, Zhejiang and Sichuan are in the top
three) where 四川 is fifth, is a contradiction, named with its file, line and table.

One mechanism reads both languages of an edition, each with its own patterns (:data:`_GRAMMARS`) and the regions'
display names in it (:func:`livecommerce.data.regions.display_names`). Three kinds of statement are read:

- a rank: in Chinese a rank word (排名, 位居, 位列, 居, 升至 …) with an ordinal (第二, 第12), optionally scoped (全国,
  在……中), or an ordinal with 名 (第四名); in English a rank verb (ranks, ranked, placed, is, rose to …) with an
  ordinal (second, 2nd, No. 2, twenty-first; not second-largest, not "first to"), followed by the end of its clause,
  a place (second place) or a scope (nationally, among the 21 prefectures), or "takes/holds (the) second place";
  not one of another year (上年排名第四, 2022年位列第四, 曾居第一, 由上年的第五名; had ranked, previously ranked,
  4th in 2022, 4th last year: the table's year is not known here, so a rank "in 2023" is not read either);
- a top-N list: 前三, 前5 (after a rank word, or with 名/位/强; 前三季度 is a period, not a list); top three, top 5,
  top-ten, followed by the end of its clause, a set (provinces …) or a preposition or verb (the top three
  quarters, the top five brands are not lists); its members are the regions named before it in the sentence
  (after it if none are and it says 为, 是, ：, are, include);
- a value: a decimal number after 以, 为, 达, 值, of, at, with, reached, scored, to … or an opening bracket, not
  followed by a unit (%, 亿, billion, yuan …), of the measure its clause names (else the last its sentence named
  before it: 发展指数, “人”指标, 主播活跃度, development index, people (人), anchor activity …; in English a score or
  an index is the measure its section's table ranks by), held to the table's value within the rounding it is
  stated with (98.4 for 98.36 is right, 98.30 is not).

A sentence is about one level's regions: the set it names (21个市（州）, 副省级城市, prefectures, sub-provincial
cities), else its section's table's, else that of the first region it names. A statement is about the last region
of that level named before it in its sentence (a name that scopes, as in 四川21个市（州）or Sichuan's 21 prefectures,
is not one); ranked among the regions of a part of the table (中西部, 川内, central and western China …) it is not
checked. Its table is the one its section places (the first ``{{ table(n) }}``, ``{{ headline(n) }}`` … after the
section's heading, else the file's first), unless the region is not in it or the sentence names another measure:
then the one table of the sentence's level holding the region and that measure, if there is one. Words filled in by
the fields come from the tables and are not checked; only the author's prose is.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from livecommerce.data.regions import display_names
from livecommerce.errors import DataError
from livecommerce.publish.sentences import en_ordinal, zh_number
from livecommerce.vocab import MEASURES, PEOPLE_COMPONENTS, PILLARS, RANKED_MEASURE
from livecommerce.words import MEASURE_LABELS, check_lang, text

__all__ = ["check", "contradictions", "en_numeral", "zh_ordinal"]

_FIELD_TABLE = re.compile(r"\b(?:table|headline|focus|focus_rank|top_names)\(\s*(\d+)\s*\)")
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HEADING = re.compile(r"^#{1,4} ", re.M)
_DIGITS = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ZH_NUMBER = re.compile(r"([一二三四五六七八九])?十([一二三四五六七八九])?|([零一二两三四五六七八九])")
_EN_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    *("thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_EN_FIRSTS = (
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh"),
    *("twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"),
)
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_TENTHS = ("twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth")
_EN_WORDS = (
    dict(zip(_EN_UNITS, range(20)))
    | dict(zip(_EN_FIRSTS, range(1, 20)))
    | dict(zip(_EN_TENS, range(20, 100, 10)))
    | dict(zip(_EN_TENTHS, range(20, 100, 10)))
)
"""English number words, cardinal and ordinal, by value (three 3, third 3, twentieth 20)."""


def zh_ordinal(text: str) -> int:
    """A rank written in Chinese numerals (二, 十二, 二十一) or digits (12, full-width １２), as a number; a ValueError
    for what is neither (一二, 十十)."""
    if text.isdecimal():
        return int(text)
    read = _ZH_NUMBER.fullmatch(text)
    if read is None:
        raise ValueError(f"{text!r} is not a number from 0 to 99 in Chinese numerals")
    tens, units, alone = read.groups()
    if alone:
        return _DIGITS[alone]
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def en_numeral(text: str) -> int:
    """A rank or count written in English (second, 2nd, No. 2, twenty-first, three, 21) as a number; a ValueError
    for what is none (2th, twenty-ten)."""
    said = " ".join(text.lower().split())
    numbered = re.fullmatch(r"(?:no\.|number) ?(\d+)|(\d+)(st|nd|rd|th)?", said)
    if numbered:
        n = int(numbered.group(1) or numbered.group(2))
        if numbered.group(3) is None or en_ordinal(n) == f"{n}{numbered.group(3)}":
            return n
    words = re.split(r"[ -]", said)
    tens = words[0] if len(words) == 2 and words[0] in _EN_TENS else None
    if len(words) == 1 and said in _EN_WORDS:
        return _EN_WORDS[said]
    if tens and 1 <= _EN_WORDS.get(words[1], 0) <= 9:
        return _EN_WORDS[tens] + _EN_WORDS[words[1]]
    raise ValueError(f"{text!r} is not a number in English words (0 to 99) or digits")


def _ranked_zh(rank: int) -> str:
    """A rank as a fault names it: 第四 (4), or 第123 beyond what Chinese numerals here say."""
    return f"第{zh_number(rank)} ({rank})" if rank < 100 else f"第{rank}"


def _alternatives(words, bounded: bool, flags: int = 0) -> re.Pattern:
    """Any of ``words``, longest first; whole words if ``bounded`` (English), where an apostrophe may be curly and a
    space any run of spaces (Xi’an, Inner  Mongolia)."""
    body = "|".join(
        re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)" if bounded else body, flags)


def _said(words: str) -> str:
    """Words as a name or a measure is looked up: straight apostrophes, single spaces (Xi’an → Xi'an)."""
    return " ".join(words.split()).replace("’", "'")


@dataclass(frozen=True)
class _Grammar:
    """How one language states what the check reads: where its sentences and clauses end; a rank, a top-N list, the
    words opening a list named after its top-N, a value; a part of a table's regions (a rank among them is not the
    table's), named in the statement's clause since the previous one, after it up to a word that ``joins`` another,
    or in a clause ``opening`` the sentence; the words naming a level's set in a sentence; the words naming a measure
    (lower case; "" for a word naming none in particular, which is the measure its section's table ranks by); what
    after a region's name makes it scope a set (四川21个市（州）, Sichuan's 21 prefectures); how its numbers are read
    and how a fault says a rank. Region names are runs of characters in Chinese, whole words in English
    (``bounded``)."""

    lang: str
    sentence: re.Pattern
    clause: re.Pattern
    rank: re.Pattern
    top: re.Pattern
    named_after: re.Pattern
    value: re.Pattern
    part: re.Pattern
    opening: re.Pattern
    joins: re.Pattern
    sets: dict[str, re.Pattern]
    measures: dict[str, str]
    scoping: re.Pattern
    number: Callable[[str], int]
    ranked: Callable[[int], str]
    bounded: bool

    @cached_property
    def measure(self) -> re.Pattern:
        """Any of the words naming a measure."""
        return _alternatives(self.measures, self.bounded, re.I)

    def names(self, names: set[str]) -> re.Pattern:
        """Any of the regions' ``names``."""
        return _alternatives(names, self.bounded)


_ZH_NUMERAL = r"(?:[零一二两三四五六七八九十]+|\d+)(?![零一二两三四五六七八九十百千万\d])"
_ZH_VERB = r"(?:排名|排行|排在|名列|位居|位列|位于|居|升至|升到|降至|降到)"
_ZH_SCOPE = r"(?:全国|全省|全川|在?[^，。；]{0,16}?中)?"
_ZH_PART = r"中西部|西部|东部|中部|西南|西北|东北|华东|华南|华北|华中|川内|省内|区域内|同类"
_ZH_NOT_A_LIST = r"(?!\s*(?:季|个|月|年|天|周|批|次|届))"
_ZH_EARLIER = r"(?<!上年)(?<!去年)(?<!上一年)(?<!前一年)(?<!此前)(?<!曾)(?<!\d{4}年)"
"""Words right before a rank that put it in another year than the table's (上年排名第四, 2022年位列第四, 曾居第一;
由上年的第五名升至第二名 states 第二): not checked."""
_ZH = _Grammar(
    lang="zh",
    sentence=re.compile(r"[。；;！？!?]|\n\s*\n"),
    clause=re.compile(r"[，,：:]"),
    rank=re.compile(
        rf"{_ZH_EARLIER}{_ZH_VERB}{_ZH_SCOPE}第\s*({_ZH_NUMERAL})\s*(?:名|位)?"
        rf"|{_ZH_EARLIER}(?<!由)(?<!从)(?<!较)(?<!上年的)(?<!去年的)第\s*({_ZH_NUMERAL})\s*名"
    ),
    top=re.compile(
        rf"(?:{_ZH_VERB}|进入|跻身){_ZH_SCOPE}前\s*({_ZH_NUMERAL}){_ZH_NOT_A_LIST}(?:名|位|强)?"
        rf"|前\s*({_ZH_NUMERAL})\s*(?:名|位|强)"
    ),
    named_after=re.compile(r"\s*(?:为|是|分别是|分别为|依次为|依次是|：|:)"),
    value=re.compile(r"(?:以|为|达到|达|是|值|（|\()\s*(\d+\.\d+)(?!\d|\s*[%％‰亿万千百元倍个人次家])"),
    part=re.compile(_ZH_PART),
    opening=re.compile(rf"\s*[在从](?:{_ZH_PART})[^，,]*[，,]"),
    joins=re.compile(r"[、和而但]"),
    sets={
        "prefecture": re.compile(r"市（州）|市州"),
        "city": re.compile(r"副省级城市"),
        "province": re.compile(r"省、"),
    },
    measures={
        "发展指数": "overall",
        **{f"“{MEASURE_LABELS[m]['zh']}”": m for m in PILLARS},
        **{MEASURE_LABELS[m]["zh"]: m for m in PEOPLE_COMPONENTS},
    },
    scoping=re.compile(r"\s*\d+\s*个"),
    number=zh_ordinal,
    ranked=_ranked_zh,
    bounded=False,
)
"""Chinese: 宜宾在21个市（州）中排名第二, 位列第4名; 居全国前三, 前五名为……; 以98.36的直播发展指数值, 上海（96.08）."""

_EN_NTH = (
    rf"(?:no\.|number)\s*\d+|\d+(?:st|nd|rd|th)|(?:{'|'.join(_EN_TENS)})[- ](?:{'|'.join(_EN_FIRSTS[:9])})"
    rf"|{'|'.join(_EN_FIRSTS + _EN_TENTHS)}"
)
"""An ordinal in English: No. 2, number 2, 2nd, twenty-first, second, twentieth."""
_EN_COUNT = rf"\d+|(?:{'|'.join(_EN_TENS)})(?:[- ](?:{'|'.join(_EN_UNITS[1:10])}))?|{'|'.join(_EN_UNITS)}"
"""A count in English: 5, twenty-one, three."""
_EN_END = r"\s*(?:[.,;:!?)）]|$)"
_EN_AFTER = r"nationally|overall|in|among|of|on|for|with|and|behind|after|ahead|across|by"
_EN_BEFORE = r"(?<!\bhad )(?<!\bonce )(?<!previously )(?<!formerly )"
"""Words before a rank verb that put the statement in the past (had ranked, previously placed)."""
_EN_EARLIER = (
    r"(?!\s+(?:in|of|for|during)\s+(?:19|20)\d\d\b|\s+(?:last|the previous|the prior)\s+(?:year|edition)\b"
    r"|\s+a year (?:earlier|ago|before)\b)"
)
"""Words after a rank that put it in another year than the table's (4th in 2022, 4th last year): not checked."""
_EN_VERB = (
    rf"{_EN_BEFORE}\b(?:rank(?:s|ed|ing)?|place[sd]?|placing|is|was|remain(?:s|ed)?|stay(?:s|ed)?|stands?|stood|comes?|came"
    r"|finish(?:es|ed)?|rises?|rose|risen|climb(?:s|ed)?|falls?|fell|fallen|drop(?:s|ped)?|move[sd]?|slip(?:s|ped)?"
    r"|jump(?:s|ed)?|sits?|sat)(?:\s+(?:ranked|placed|up|down|back|to|at|in|still|now|again|joint))*"
)
_EN_PART = (
    r"\b(?:central and western|central|western|eastern|northern|southern|north-?eastern|north-?western"
    r"|south-?western|south-?eastern)\s+(?:China|regions?|provinces|cities|prefectures)\b"
    r"|\bin the (?:west|east|centre|center|north|south|north-?east|north-?west|south-?west|south-?east)\b"
    r"|\bof (?:its|their) kind\b|\bamong (?:its|their) peers\b|\bsimilar\b"
)
_EN_CHANGE = "growth change increase decrease rise fall drop gap difference lead margin"
_EN = _Grammar(
    lang="en",
    sentence=re.compile(r"(?<!\bNo)(?<!\bno)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)[.!?;](?=\s|$)|\n\s*\n"),
    clause=re.compile(r"[,:]"),
    rank=re.compile(
        rf"{_EN_VERB}\s+({_EN_NTH})(?:\s+(?:place|position|spot))?(?![\w-]){_EN_EARLIER}"
        rf"(?={_EN_END}|\s+(?:{_EN_AFTER})\b)"
        rf"|{_EN_BEFORE}\b(?:takes?|took|taken|taking|holds?|held|holding|occup(?:y|ies|ied))\s+(?:the\s+)?"
        rf"({_EN_NTH})\s+(?:place|position|spot)\b{_EN_EARLIER}",
        re.I,
    ),
    top=re.compile(
        rf"\btop[\s-]+({_EN_COUNT})(?![\w-]){_EN_EARLIER}"
        rf"(?={_EN_END}|\s+(?:{_EN_AFTER}|provinces|cities|prefectures|regions|places|positions|spots|are|were)\b)",
        re.I,
    ),
    named_after=re.compile(r"\s*(?:(?:provinces|cities|prefectures|regions)\s+)?(?:are|were|include[sd]?\b|:)", re.I),
    value=re.compile(
        rf"(?:{''.join(f'(?<!{w} )' for w in _EN_CHANGE.split())}\bof|\b(?:at|with|is|was|to|reach(?:es|ed|ing)?"
        r"|hits?|scor(?:es|ed|ing))|[(（:])\s*(\d+\.\d+)"
        r"(?!\d|\s*(?:[%％‰]|percent|per\s*cent|percentage|pp\b|trillion|billion|million|thousand|hundred|bn\b|yuan"
        r"|rmb\b|cny\b|usd\b|dollars?\b|times\b|-?fold|hours?\b|minutes?\b|seconds?\b|days?\b|weeks?\b|months?\b"
        r"|years?\b))",
        re.I,
    ),
    part=re.compile(_EN_PART, re.I),
    opening=re.compile(rf"\s*(?:among|in|across|within)\s+(?:the\s+)?(?:{_EN_PART})[^,]*,", re.I),
    joins=re.compile(r"\b(?:and|but|while|whereas|although|though)\b", re.I),
    sets={
        "prefecture": re.compile(r"\bprefectures\b|\bprefecture-level\b", re.I),
        "city": re.compile(r"\bsub-provincial\s+cit(?:y|ies)\b", re.I),
        "province": re.compile(r"\bprovinces\b|\bprovincial-level\b", re.I),
    },
    measures={
        "development index": "overall",
        "overall index": "overall",
        "overall score": "overall",
        **{
            said: m
            for m in PILLARS
            for en, zh in [(MEASURE_LABELS[m]["en"].lower(), MEASURE_LABELS[m]["zh"])]
            for said in (
                f"{en} ({zh})",
                f"“{en}”",
                f'"{en}"',
                f"“{zh}”",
                *(f"{en} {noun}" for noun in ("index", "sub-index", "pillar", "score", "indicator")),
            )
        },
        **{MEASURE_LABELS[m]["en"].lower(): m for m in PEOPLE_COMPONENTS},
        "score": "",
        "index": "",
    },
    scoping=re.compile(r"\s*['’]s\s+(?:[\w-]+\s+){0,2}?(?:prefectures|cities|provinces|regions|divisions)\b", re.I),
    number=en_numeral,
    ranked=en_ordinal,
    bounded=True,
)
"""English: Yibin ranks second among Sichuan's 21 prefectures, is 2nd nationally, No. 2, takes second place;
Guangdong, Zhejiang and Shanghai are in the top three, the top five are ……; with a score of 98.36, a development
index of 98.4, Shanghai (96.08)."""

_GRAMMARS = (_ZH, _EN)
"""Each language's patterns (its ``lang`` says which)."""


def check(files: list[tuple[Path, str]], frames: dict[int, pd.DataFrame], lang: str) -> None:
    """A DataError listing every contradiction of :func:`contradictions`, if there is one."""
    faults = contradictions(files, frames, lang)
    if faults:
        raise DataError("\n".join(faults))


def contradictions(files: list[tuple[Path, str]], frames: dict[int, pd.DataFrame], lang: str) -> list[str]:
    """Every rank, top-N or value statement of ``files`` (path, source text, written in ``lang``) that its table
    (``frames``: ranked index tables by number, as :meth:`Study.table` gives them) contradicts, each as "text file
    NAME, line N: …"."""
    grammar = next(g for g in _GRAMMARS if g.lang == check_lang(lang))
    tables = {n: _Table(n, frame, lang) for n, frame in frames.items()}
    names = {name for t in tables.values() for name in t.rank}
    if not names:
        return []
    pattern = grammar.names(names)
    faults = []
    for path, source in files:
        plain = _TAGS.sub(lambda tag: re.sub(r"[^\n]", " ", tag.group(0)), source)  # same lines, same offsets
        sections = _sections(source, tables)
        start = 0
        for end in [*(m.start() for m in grammar.sentence.finditer(plain)), len(plain)]:
            section = next((number for at, number in reversed(sections) if at <= start), None)
            said = _Sentence(plain[start:end], start, pattern, section, tables, grammar)
            for offset, fault in said.faults():
                faults.append(f"text file {Path(path).name}, line {plain.count(chr(10), 0, offset) + 1}: {fault}")
            start = end + 1
    return faults


class _Table:
    """One index table as the check reads it: each region's rank and values by its display name in ``lang``, its
    level, and how a fault names it (表3, table 3)."""

    def __init__(self, number: int, frame: pd.DataFrame, lang: str):
        self.number = number
        self.name = text("table_ref", lang, number=number)
        names = display_names(frame["region_id"], lang)
        self.rank = dict(zip(names, map(int, frame["rank"])))
        self.values = {m: dict(zip(names, frame[m])) for m in MEASURES if m in frame.columns}
        self.level = str(frame["level"].iloc[0]) if len(frame) else ""
        self.ranked = RANKED_MEASURE.get(number)


def _sections(source: str, tables: dict[int, _Table]) -> list[tuple[int, int | None]]:
    """Where each section of a file starts, with the table it places (its first field naming one of ``tables``),
    the file's first table for a section that places none."""
    starts = [0, *(m.start() for m in _HEADING.finditer(source)), len(source)]
    placed = []
    for a, b in zip(starts, starts[1:]):
        numbers = [int(n) for n in _FIELD_TABLE.findall(source[a:b]) if int(n) in tables]
        placed.append((a, numbers[0] if numbers else None))
    first = next((n for _, n in placed if n is not None), None)
    return [(a, first if n is None else n) for a, n in placed]


def _found(said: list[tuple[int, int, str]], start: int, end: int, at: int | None) -> str | None:
    """Of the words ``said`` (start, end, measure; in order), the measure of the one from offset ``start`` to
    ``end`` nearest offset ``at`` (the earlier of two as near), else the last; None if none is there."""
    first, stop = bisect_left(said, (start,)), bisect_left(said, (end,))
    while stop > first and said[stop - 1][1] > end:
        stop -= 1
    if stop == first:
        return None
    if at is None:
        return said[stop - 1][2]
    k = bisect_left(said, (at,), first, stop)
    return min((said[x] for x in (k - 1, k) if first <= x < stop), key=lambda s: abs(s[0] - at))[2]


@dataclass(frozen=True)
class _Clause:
    """The clause of a sentence holding a statement (up to ，：, a comma), from ``start`` to ``end`` in the
    sentence."""

    start: int
    end: int


class _Sentence:
    """One sentence of an author's text (tags blanked out), at ``start`` in its file, read with ``grammar``."""

    def __init__(
        self,
        text: str,
        start: int,
        names: re.Pattern,
        section: int | None,
        tables: dict[int, _Table],
        grammar: _Grammar,
    ):
        self.text, self.start, self.section, self.tables, self.grammar = text, start, section, tables, grammar
        named = [
            (m.start(), _said(m.group(0))) for m in names.finditer(text) if not grammar.scoping.match(text, m.end())
        ]
        sets = [level for level, words in grammar.sets.items() if words.search(text)]
        first = {t.level for t in tables.values() if named and named[0][1] in t.rank}
        own = tables[section].level if section in tables else None
        self.level = sets[0] if len(sets) == 1 else own or (first.pop() if len(first) == 1 else None)
        level_names = self._level_names()
        self.names = [(at, name) for at, name in named if self.level is None or name in level_names]
        words = grammar.measures  # each found once: a sentence of thousands of statements is read in linear time
        said = [(m.start(), m.end(), words[_said(m.group(0)).lower()]) for m in grammar.measure.finditer(text)]
        self.measures, self.scores = [m for m in said if m[2]], [m for m in said if not m[2]]
        self.clauses = [(m.start(), m.end()) for m in grammar.clause.finditer(text)]
        self.joins = [m.start() for m in grammar.joins.finditer(text)]
        self.parts = [m.start() for m in grammar.part.finditer(text)]
        self.opened = grammar.opening.match(text) is not None

    def faults(self) -> list[tuple[int, str]]:
        """Each contradiction of the sentence, with its offset in the file."""
        found = []
        grammar = self.grammar
        claims = sorted(
            [(m.start(), m.end(), "rank", m) for m in grammar.rank.finditer(self.text)]
            + [(m.start(), m.end(), "top", m) for m in grammar.top.finditer(self.text)]
            + [(m.start(), m.end(), "value", m) for m in grammar.value.finditer(self.text)],
            key=lambda c: c[0],
        )
        after = 0  # where the previous claim ended: a list's members are named after it
        starts, ends = [a for a, _ in self.clauses], [b for _, b in self.clauses]
        for k, (at, end, kind, match) in enumerate(claims):
            before, behind = bisect_right(ends, at), bisect_left(starts, end)
            first = ends[before - 1] if before else 0
            last = starts[behind] if behind < len(starts) else len(self.text)
            clause = _Clause(first, last)
            joined = bisect_left(self.joins, end)
            following = claims[k + 1][0] if k + 1 < len(claims) else last
            reach = min(last, following, self.joins[joined] if joined < len(self.joins) else last)
            near = bisect_left(self.parts, max(after, first))
            part = near < len(self.parts) and self.parts[near] < reach
            if kind != "value" and (part or self.opened):  # 在中西部居第一, first in western China, among western …
                after = end
                continue
            read = {"rank": self._rank, "top": self._top, "value": self._value}[kind]
            fault = read(match, clause, after, claims[k + 1][0] if k + 1 < len(claims) else None)
            if fault:
                found.append((self.start + at, fault))
            after = end
        return found

    def _level_names(self) -> set[str]:
        """The regions of the sentence's level: a name of another (青岛 in 青岛啤酒, among provinces) is no subject."""
        return {name for t in self.tables.values() if t.level == self.level for name in t.rank}

    def _measure(self, start: int, end: int, at: int | None = None) -> str | None:
        """The measure the sentence names from offset ``start`` to ``end``: the one nearest offset ``at`` if given,
        else the last; a word naming none in particular (a score), if no other is said, names the one its section's
        table ranks by."""
        named = _found(self.measures, start, end, at)  # a measure named before a mere score
        if named is None and _found(self.scores, start, end, at) is None:
            return None
        own = self.tables.get(self.section)
        return named or (own.ranked if own is not None else None)

    def _table(self, region: str, measure: str | None) -> _Table | None:
        """The table a statement about ``region`` (and ``measure`` if named) is checked against, if one is."""
        own = self.tables.get(self.section)
        fits = [
            t
            for t in self.tables.values()
            if region in t.rank
            and (measure is None or measure in t.values)
            and (self.level is None or t.level == self.level)
        ]
        if own in fits:
            return own
        if own is not None and len(fits) > 1:
            fits = [t for t in fits if t.level == own.level]
        return fits[0] if len(fits) == 1 else None

    def _subject(self, at: int) -> str | None:
        """The last region named before offset ``at``."""
        before = bisect_left(self.names, (at,))
        return self.names[before - 1][1] if before else None

    def _named(self, start: int, end: int) -> list[str]:
        """The regions named from offset ``start`` to ``end``, in order."""
        return [name for _, name in self.names[bisect_left(self.names, (start,)) : bisect_left(self.names, (end,))]]

    def _ordinal(self, match: re.Match) -> int | None:
        """The number a rank or top-N statement states, None if it is not one (一二, 2th)."""
        try:
            return self.grammar.number(next(g for g in match.groups() if g))
        except ValueError:
            return None

    def _rank(self, match: re.Match, clause: _Clause, after: int, following: int | None) -> str | None:
        region = self._subject(match.start())
        measure = self._measure(clause.start, clause.end) or self._measure(0, match.start())
        table = None if region is None else self._table(region, measure)
        if table is None or (measure is not None and measure != table.ranked):
            return None
        stated, rank = self._ordinal(match), table.rank[region]
        if stated in (None, rank):
            return None
        return f"“{match.group(0)}” of {region}, but {table.name} ranks {region} {self.grammar.ranked(rank)}"

    def _top(self, match: re.Match, clause: _Clause, after: int, following: int | None) -> str | None:
        members = self._named(after, match.start())
        if not members and self.grammar.named_after.match(self.text, match.end()):  # 前三为……, the top three are …
            members = self._named(match.end(), following or len(self.text))
        measure = self._measure(after, following or len(self.text))
        table = None if not members else self._table(members[0], measure)
        if table is None or (measure is not None and measure != table.ranked):
            return None
        n = self._ordinal(match)
        wrong = [m for m in dict.fromkeys(members) if n is not None and m in table.rank and table.rank[m] > n]
        return "; ".join(
            f"“{match.group(0)}” names {m}, but {table.name} ranks {m} {self.grammar.ranked(table.rank[m])}"
            for m in wrong
        )

    def _value(self, match: re.Match, clause: _Clause, after: int, following: int | None) -> str | None:
        region = self._subject(match.start())
        measure = self._measure(clause.start, clause.end, match.start(1)) or self._measure(0, match.start())
        table = None if region is None or measure is None else self._table(region, measure)
        if table is None:
            return None
        stated, decimals = float(match.group(1)), len(match.group(1).split(".")[1])
        value = float(table.values[measure][region])
        if abs(stated - value) <= 0.5 * 10**-decimals + 1e-9:
            return None
        label = MEASURE_LABELS[measure][self.grammar.lang]
        return (
            f"“{match.group(0).strip()}” of {region}’s {label}, but {table.name} prints {value:.2f}, beyond the "
            f"rounding of {match.group(1)}"
        )
