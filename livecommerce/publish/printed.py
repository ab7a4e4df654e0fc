"""表1–15 in the report's layout, as data: printed headers, values typed by kind, caption and 来源 (source) line.

Index tables come from a :class:`~livecommerce.study.study.Study` (``Study.table(n)``: the published table where the
study's scores are the report's, its own scores otherwise); the top-5 lists (表10–12) from the published data.
"""

import math
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.paths import default_scheme_path
from livecommerce.data.published import load_table
from livecommerce.data.regions import display_names
from livecommerce.index.ranking import NEW
from livecommerce.publish.document import Table
from livecommerce.publish.sentences import comparison, words
from livecommerce.study.study import Study
from livecommerce.vocab import (
    CHANGE_COLUMNS,
    INDEX_TABLES,
    LANGS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    MEASURES,
    PEOPLE_COMPONENTS,
    PILLARS,
    TOP5_TABLES,
)

__all__ = ["HEADERS", "cell_text", "index_table", "rows_text", "top5_table"]


def _measure_header(measure: str) -> dict[str, str]:
    """A measure's column header as the report prints it, from its label (:data:`~livecommerce.vocab.MEASURE_LABELS`):
    a pillar as “人”指标 (People (人)), a sub-index of 人 as 主播活跃度指数 (Anchor activity), the index as it is."""
    label = MEASURE_LABELS[measure]
    if measure in PILLARS:
        return {"zh": f"“{label['zh']}”指标", "en": f"{label['en']} ({label['zh']})"}
    if measure in PEOPLE_COMPONENTS:
        return {"zh": f"{label['zh']}指数", "en": label["en"]}
    return label


HEADERS = {
    "rank": {"zh": "排名", "en": "Rank"},
    "yoy_growth": {"zh": "同比增长", "en": "Year-on-year growth"},
    "rank_change": {"zh": "位次变化", "en": "Rank change"},
    **{m: _measure_header(m) for m in MEASURES},
    "brand": {"zh": "优势品牌", "en": "Leading brand"},
    "shop": {"zh": "直播优势店铺", "en": "Leading live-streaming shop"},
    "destination": {"zh": "主要销往外地", "en": "Main market outside Sichuan"},
}
"""Column headers as the report prints them (and in English)."""

_KIND = {"rank": "rank", "yoy_growth": "percent", "rank_change": "arrow"}


def index_table(study: Study, number: int, lang: str = "zh") -> Table:
    """表``number`` (an index table of the study's level) as printed: rank, region name, scores, and where
    the study holds the report's own numbers, 表1's growth and 表1–3's rank change."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    arguments.choice(lang, "lang", LANGS)
    frame = study.table(number)  # refuses a number that is not an index table of the study's level
    measures = INDEX_TABLES[study.level][number]
    printed = frame.equals(load_table(number))
    columns = ["rank", "region", *measures, *(c for c in ("yoy_growth", "rank_change") if c in frame)]
    header = [HEADERS[c][lang] if c != "region" else LEVEL_LABELS[study.level][lang] for c in columns]
    kinds = [_KIND.get(c, "text" if c == "region" else "score") for c in columns]
    body = frame.assign(region=display_names(frame["region_id"], lang))[columns]
    source = words(lang).source_report(number) if printed else words(lang).source_computed(*_settings(study, lang))
    if not printed and study.previous is not None and number in CHANGE_COLUMNS:
        source = f"{source}{words(lang).label('colon')}{comparison(study, lang)}"
        gone = study.gone()
        if len(gone):
            source = f"{source}{words(lang).gone(display_names(gone, lang))}"
    return Table(
        caption=str(words(lang).caption(number, len(frame))),
        source=str(source),
        header=tuple(header),
        kinds=tuple(kinds),
        rows=tuple(tuple(_plain(v) for v in row) for row in body.itertuples(index=False)),
        report_number=number,
    )


def top5_table(number: int, lang: str = "zh", frame: pd.DataFrame | None = None) -> Table:
    """表10–12 (川茶, 川酒, 川调) as printed: rank, leading brand, shop and main destination; the report's own
    list, or ``frame``, an edition's list of that category (:attr:`livecommerce.data.edition.EditionInputs.top5`)."""
    arguments.choice(number, "number", TOP5_TABLES)
    arguments.choice(lang, "lang", LANGS)
    printed = frame is None
    frame = (load_table(number) if printed else frame).sort_values("rank", kind="stable")
    columns = ["rank", "brand", "shop", "destination"]
    body = frame.assign(destination=display_names(frame["destination_id"], lang))[columns]
    return Table(
        caption=str(words(lang).caption(number, len(frame))),
        source=str(words(lang).source_report(number) if printed else words(lang).computed()),
        header=tuple(HEADERS[c][lang] for c in columns),
        kinds=("rank", "text", "text", "text"),
        rows=tuple(tuple(_plain(v) for v in row) for row in body.itertuples(index=False)),
        report_number=number,
    )


_DATA_LABELS = {
    "published": {"zh": "报告公布的分项指数", "en": "the report's published sub-indices"},
    "DataFrame": {"zh": "调用方给出的数据表", "en": "a data frame given by the caller"},
}


def _settings(study: Study, lang: str) -> tuple[str, str]:
    """What a recomputed table was computed from: the data (a file by its name, no folders) and the scheme
    (the report's, or a file by its name)."""
    data = study.parameters["data"]
    data = _DATA_LABELS[data][lang] if data in _DATA_LABELS else Path(data).name
    source = Path(study.scheme.source)
    scheme = words(lang).default_scheme() if source == default_scheme_path().resolve() else source.name
    return data, str(scheme)


def _plain(value):
    """A cell as a plain Python value (int, float or str); a missing value as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def cell_text(value, kind: str) -> str:
    """A cell as printed: a score with two decimals, a fraction as a percentage with two decimals, a rank change
    as an arrow (↑5, ↓2, →; 新 where there is none), a rank as a whole number, text as it is; else empty as ""."""
    if value is None:
        return NEW if kind == "arrow" else ""  # no rank change: a region new in this edition
    if kind == "score":
        return f"{value:.2f}"
    if kind == "percent":
        return f"{value:.2%}"
    if kind == "arrow":
        return "→" if value == 0 else f"{'↑' if value > 0 else '↓'}{abs(int(value))}"
    if kind == "rank":
        return str(int(value))
    return str(value)


def rows_text(table: Table) -> list[list[str]]:
    """Every cell of ``table`` as printed (:func:`cell_text`)."""
    return [[cell_text(v, k) for v, k in zip(row, table.kinds)] for row in table.rows]
