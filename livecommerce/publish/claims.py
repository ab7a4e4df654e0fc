"""What an author's section text says in its own words about ranks and values, checked against the edition's tables
before anything is printed: a sentence such as 宜宾……在21个市（州）中排名第二 over a table where 宜宾 is fourth, 广东以
98.36的直播发展指数值…… where the table prints 97.10, or 广东、浙江和四川……居全国前三 where 四川 is fifth, is a
contradiction, named with its file, line and table.

Three kinds of statement are read, in Chinese:

- a rank: a rank word (排名, 位居, 位列, 居, 升至 …) with an ordinal (第二, 第12), optionally scoped (全国, 在……中),
  or an ordinal with 名 (第四名);
- a top-N list: 前三, 前5 (after a rank word, or with 名/位/强; 前三季度 is a period, not a list); its members are the
  regions named before it in the sentence (after it if none are and it says 为, 是, ：);
- a value: a decimal number after 以, 为, 达, 值 or an opening bracket, of the measure its clause names (else the
  last its sentence named before it: 发展指数, “人”指标, 主播活跃度 …), held to the table's value within the
  rounding it is stated with (98.4 for 98.36 is right, 98.30 is not).

A sentence is about one level's regions: the set it names (21个市（州）, 副省级城市), else its section's table's, else
that of the first region it names. A statement is about the last region of that level named before it in its
sentence (a name that scopes, as in 四川21个市（州）, is not one); ranked among the regions of a part of the table
(中西部, 川内 …) it is not checked. Its table is the one
its section places (the first ``{{ table(n) }}``, ``{{ headline(n) }}`` … after the section's heading, else the
file's first), unless the region is not in it or the sentence names another measure: then the one table of the
sentence's level holding the region and that measure, if there is one. Words filled in by the fields
come from the tables and are not checked; only the author's prose is.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from livecommerce.data.regions import display_names
from livecommerce.errors import DataError
from livecommerce.publish.sentences import zh_number
from livecommerce.vocab import PEOPLE_COMPONENTS, PILLARS, RANKED_MEASURE
from livecommerce.words import MEASURE_LABELS

__all__ = ["check", "contradictions", "zh_ordinal"]

_FIELD_TABLE = re.compile(r"\b(?:table|headline|focus|focus_rank|top_names)\(\s*(\d+)\s*\)")
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HEADING = re.compile(r"^#{1,4} ", re.M)
_SENTENCE = re.compile(r"[。；;！？!?]|\n\s*\n")
_CLAUSE = re.compile(r"[，,：:]")
_NUMERAL = r"(?:[零一二两三四五六七八九十]+|\d+)(?![零一二两三四五六七八九十百千万\d])"
_VERB = r"(?:排名|排行|排在|名列|位居|位列|位于|居|升至|升到|降至|降到)"
_SCOPE = r"(?:全国|全省|全川|在?[^，。；]{0,16}?中)?"
_RANK = re.compile(rf"{_VERB}{_SCOPE}第\s*({_NUMERAL})\s*(?:名|位)?|第\s*({_NUMERAL})\s*名")
_NOT_A_LIST = r"(?!\s*(?:季|个|月|年|天|周|批|次|届))"
_TOP = re.compile(
    rf"(?:{_VERB}|进入|跻身){_SCOPE}前\s*({_NUMERAL}){_NOT_A_LIST}(?:名|位|强)?|前\s*({_NUMERAL})\s*(?:名|位|强)"
)
_NAMED_AFTER = re.compile(r"\s*(?:为|是|分别是|分别为|依次为|依次是|：|:)")
"""What opens a list of the regions after its 前N (前三为广东、浙江和上海)."""
_VALUE = re.compile(r"(?:以|为|达到|达|是|值|（|\()\s*(\d+\.\d+)(?!\d|\s*[%％‰亿万千百元倍个人次家])")
_PART = re.compile(r"中西部|西部|东部|中部|西南|西北|东北|华东|华南|华北|华中|川内|省内|区域内|同类")
"""A part of the regions of a table: a rank among them is not the table's."""
_SETS = {"prefecture": re.compile(r"市（州）|市州"), "city": re.compile(r"副省级城市"), "province": re.compile(r"省、")}
"""Words naming a level's set in a sentence (21个市（州）, 15个副省级城市, 全国省、直辖市和自治区)."""
_MEASURES = {
    "发展指数": "overall",
    **{f"“{MEASURE_LABELS[m]['zh']}”": m for m in PILLARS},
    **{MEASURE_LABELS[m]["zh"]: m for m in PEOPLE_COMPONENTS},
}
"""The words by which a sentence names a measure (直播电商发展指数, “人”指标, 主播带货力 …)."""
_MEASURE = re.compile("|".join(map(re.escape, _MEASURES)))
_DIGITS = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ZH_NUMBER = re.compile(r"([一二三四五六七八九])?十([一二三四五六七八九])?|([零一二两三四五六七八九])")


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


def check(files: list[tuple[Path, str]], frames: dict[int, pd.DataFrame]) -> None:
    """A DataError listing every contradiction of :func:`contradictions`, if there is one."""
    faults = contradictions(files, frames)
    if faults:
        raise DataError("\n".join(faults))


def contradictions(files: list[tuple[Path, str]], frames: dict[int, pd.DataFrame]) -> list[str]:
    """Every rank, top-N or value statement of ``files`` (path, source text) that its table (``frames``: ranked
    index tables by number, as :meth:`Study.table` gives them) contradicts, each as "text file NAME, line N: …"."""
    tables = {n: _Table(n, frame) for n, frame in frames.items()}
    names = {name for t in tables.values() for name in t.rank}
    if not names:
        return []
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    faults = []
    for path, source in files:
        plain = _TAGS.sub(lambda tag: re.sub(r"[^\n]", " ", tag.group(0)), source)  # same lines, same offsets
        sections = _sections(source, tables)
        start = 0
        for end in [*(m.start() for m in _SENTENCE.finditer(plain)), len(plain)]:
            section = next((number for at, number in reversed(sections) if at <= start), None)
            said = _Sentence(plain[start:end], start, pattern, section, tables)
            for offset, fault in said.faults():
                faults.append(f"text file {Path(path).name}, line {plain.count(chr(10), 0, offset) + 1}: {fault}")
            start = end + 1
    return faults


class _Table:
    """One index table as the check reads it: each region's rank and values by its Chinese name, and its level."""

    def __init__(self, number: int, frame: pd.DataFrame):
        self.number = number
        named = frame.assign(name=display_names(frame["region_id"], "zh")).set_index("name")
        self.rank = named["rank"].astype(int).to_dict()
        self.values = named
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


def _ranked(rank: int) -> str:
    """A rank as a fault names it: 第四 (4), or 第123 beyond what Chinese numerals here say."""
    return f"第{zh_number(rank)} ({rank})" if rank < 100 else f"第{rank}"


def _ordinal(match: re.Match) -> int | None:
    """The number a rank or top-N statement states, None if it is not one (一二)."""
    try:
        return zh_ordinal(match.group(1) or match.group(2))
    except ValueError:
        return None


@dataclass(frozen=True)
class _Clause:
    """The clause of a sentence holding a statement (up to ，：), at ``start`` in the sentence."""

    text: str
    start: int


class _Sentence:
    """One sentence of an author's text (tags blanked out), at ``start`` in its file."""

    def __init__(self, text: str, start: int, names: re.Pattern, section: int | None, tables: dict[int, _Table]):
        self.text, self.start, self.section, self.tables = text, start, section, tables
        named = [(m.start(), m.group(0)) for m in names.finditer(text) if not re.match(r"\s*\d+\s*个", text[m.end() :])]
        sets = [level for level, words in _SETS.items() if words.search(text)]
        first = {t.level for t in tables.values() if named and named[0][1] in t.rank}
        own = tables[section].level if section in tables else None
        self.level = sets[0] if len(sets) == 1 else own or (first.pop() if len(first) == 1 else None)
        self.names = [(at, name) for at, name in named if self.level is None or name in self._level_names()]

    def faults(self) -> list[tuple[int, str]]:
        """Each contradiction of the sentence, with its offset in the file."""
        found = []
        claims = sorted(
            [(m.start(), m.end(), "rank", m) for m in _RANK.finditer(self.text)]
            + [(m.start(), m.end(), "top", m) for m in _TOP.finditer(self.text)]
            + [(m.start(), m.end(), "value", m) for m in _VALUE.finditer(self.text)],
            key=lambda c: c[0],
        )
        after = 0  # where the previous claim ended: a list's members are named after it
        for k, (at, end, kind, match) in enumerate(claims):
            first = max((m.end() for m in _CLAUSE.finditer(self.text, 0, at)), default=0)
            last = next((m.start() for m in _CLAUSE.finditer(self.text, end)), len(self.text))
            clause = _Clause(self.text[first:last], first)
            if kind != "value" and _PART.search(self.text[first:end]):
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

    @staticmethod
    def _measure(text: str, start: int = 0, at: int | None = None) -> str | None:
        """The measure ``text`` (at ``start`` in the sentence) names: the one nearest offset ``at`` if given, else
        the last."""
        said = [(start + m.start(), _MEASURES[m.group(0)]) for m in _MEASURE.finditer(text)]
        if not said:
            return None
        return min(said, key=lambda s: abs(s[0] - at))[1] if at is not None else said[-1][1]

    def _table(self, region: str, measure: str | None) -> _Table | None:
        """The table a statement about ``region`` (and ``measure`` if named) is checked against, if one is."""
        own = self.tables.get(self.section)
        fits = [
            t
            for t in self.tables.values()
            if region in t.rank
            and (measure is None or measure in t.values.columns)
            and (self.level is None or t.level == self.level)
        ]
        if own in fits:
            return own
        if own is not None and len(fits) > 1:
            fits = [t for t in fits if t.level == own.level]
        return fits[0] if len(fits) == 1 else None

    def _subject(self, at: int) -> str | None:
        """The last region named before offset ``at``."""
        before = [name for where, name in self.names if where < at]
        return before[-1] if before else None

    def _rank(self, match: re.Match, clause: "_Clause", after: int, following: int | None) -> str | None:
        region = self._subject(match.start())
        measure = self._measure(clause.text) or self._measure(self.text[: match.start()])
        table = None if region is None else self._table(region, measure)
        if table is None or (measure is not None and measure != table.ranked):
            return None
        stated, rank = _ordinal(match), table.rank[region]
        if stated in (None, rank):
            return None
        return f"“{match.group(0)}” of {region}, but 表{table.number} ranks {region} {_ranked(rank)}"

    def _top(self, match: re.Match, clause: "_Clause", after: int, following: int | None) -> str | None:
        members = [name for where, name in self.names if after <= where < match.start()]
        if not members and _NAMED_AFTER.match(self.text, match.end()):  # 前三为……
            members = [name for where, name in self.names if match.end() <= where < (following or len(self.text))]
        measure = self._measure(self.text[after : following or len(self.text)])
        table = None if not members else self._table(members[0], measure)
        if table is None or (measure is not None and measure != table.ranked):
            return None
        n = _ordinal(match)
        wrong = [m for m in dict.fromkeys(members) if n is not None and m in table.rank and table.rank[m] > n]
        return "; ".join(
            f"“{match.group(0)}” names {m}, but 表{table.number} ranks {m} {_ranked(table.rank[m])}" for m in wrong
        )

    def _value(self, match: re.Match, clause: "_Clause", after: int, following: int | None) -> str | None:
        region = self._subject(match.start())
        measure = self._measure(clause.text, clause.start, match.start(1)) or self._measure(self.text[: match.start()])
        table = None if region is None or measure is None else self._table(region, measure)
        if table is None:
            return None
        stated, decimals = float(match.group(1)), len(match.group(1).split(".")[1])
        value = float(table.values.loc[region, measure])
        if abs(stated - value) <= 0.5 * 10**-decimals + 1e-9:
            return None
        label = MEASURE_LABELS[measure]["zh"]
        return (
            f"“{match.group(0).strip()}” of {region}’s {label}, but 表{table.number} prints {value:.2f}, beyond the "
            f"rounding of {match.group(1)}"
        )
