"""What an author's section text says in its own words about ranks, checked against the edition's tables before
the document is built: a sentence such as 宜宾……在21个市（州）中排名第二 over a table where 宜宾 is fourth is a
contradiction, named with its file, line and table.

A rank statement is a rank word (排名, 位居, 居, 位列) with an ordinal (第二, 第12), optionally scoped (全国, 在……中);
the region it is about is the last region name of the table before it in the same sentence (up to 。；!?). The
table a file is about is the first its fields name (``{{ table(3) }}``, ``{{ headline(3) }}`` …). Words filled in
by the fields come from the tables and are not checked; only the author's prose is.
"""

import re
from pathlib import Path

import pandas as pd

from livecommerce.data.regions import display_names
from livecommerce.publish.sentences import zh_number

__all__ = ["contradictions", "zh_ordinal"]

_FIELD_TABLE = re.compile(r"\b(?:table|headline|focus|focus_rank|top_names)\(\s*(\d+)\s*\)")
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_RANK = re.compile(r"(?:排名|位居|位列|居)(?:全国|在?[^，。；]{0,16}?中)?第([零一二两三四五六七八九十]+|\d+)")
_SENTENCE = re.compile(r"[。；;！？!?]")
_DIGITS = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def zh_ordinal(text: str) -> int:
    """A rank written in Chinese numerals (二, 十二, 二十一) or digits, as a number."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _DIGITS[text]
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def contradictions(files: list[tuple[Path, str]], frames: dict[int, pd.DataFrame]) -> list[str]:
    """Every rank statement of ``files`` (path, source text) that its file's table (``frames``: ranked tables by
    number, with ``region_id`` and ``rank``) contradicts, each as "text file NAME, line N: …"."""
    faults = []
    for path, source in files:
        numbers = [int(n) for n in _FIELD_TABLE.findall(source) if int(n) in frames]
        if not numbers:
            continue
        number, frame = numbers[0], frames[numbers[0]]
        ranks = dict(zip(display_names(frame["region_id"], "zh"), frame["rank"].astype(int)))
        names = re.compile("|".join(sorted(map(re.escape, ranks), key=len, reverse=True)))
        plain = _TAGS.sub(lambda tag: re.sub(r"[^\n]", " ", tag.group(0)), source)  # same lines, same offsets
        start = 0
        for end in [*(m.start() for m in _SENTENCE.finditer(plain)), len(plain)]:
            sentence = plain[start:end]
            for claim in _RANK.finditer(sentence):
                said = names.findall(sentence[: claim.start()])
                region, stated = (said[-1], zh_ordinal(claim.group(1))) if said else (None, None)
                if region is not None and stated != ranks[region]:
                    line = plain.count("\n", 0, start + claim.start()) + 1
                    faults.append(
                        f"text file {Path(path).name}, line {line}: “{claim.group(0)}” of {region}, but "
                        f"表{number} ranks {region} 第{zh_number(ranks[region])} ({ranks[region]})"
                    )
            start = end + 1
    return faults
