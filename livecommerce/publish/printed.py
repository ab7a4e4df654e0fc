"""表1–15 in the report's layout, as data: printed headers, values typed by kind, caption and 来源 (source) line.

Index tables come from a :class:`~livecommerce.study.study.Study` (``Study.table(n)``: the published table where the
study's scores are the report's, its own scores otherwise); the top-5 lists (表10–12) from the published data.
"""

import math

import pandas as pd

from livecommerce import arguments, words
from livecommerce.data.published import load_table
from livecommerce.data.regions import display_names
from livecommerce.index.ranking import NEW
from livecommerce.plots.sources import named_inputs
from livecommerce.publish.document import Table
from livecommerce.publish.sentences import comparison, phrases
from livecommerce.study.study import Study
from livecommerce.vocab import (
    CHANGE_COLUMNS,
    TOP5_TABLES,
)

__all__ = ["cell_text", "index_table", "rows_text", "top5_table"]


_KIND = {"rank": "rank", "yoy_growth": "percent", "rank_change": "arrow"}


def index_table(study: Study, number: int, lang: str = "zh") -> Table:
    """表``number`` (an index table of the study's level) as printed: rank, region name, scores, and where
    the study holds the report's own numbers, 表1's growth and 表1–3's rank change."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    words.check_lang(lang)
    frame = study.table(number)  # refuses a number that is not an index table of the study's level
    measures = study.index_tables[number]
    printed = frame.equals(load_table(number))
    columns = ["rank", "region", *measures, *(c for c in ("yoy_growth", "rank_change") if c in frame)]
    chosen = study.members
    region = (
        words.word(words.LEVEL_LABELS, study.level, lang)
        if chosen.named
        else words.word(words.SET_LABELS, chosen.kind, lang)
    )
    header = [words.word(words.TABLE_HEADERS, c, lang) if c != "region" else region for c in columns]
    kinds = [_KIND.get(c, "text" if c == "region" else "score") for c in columns]
    body = frame.assign(region=display_names(frame["region_id"], lang))[columns]
    source = (
        phrases(lang).source_report(number) if printed else phrases(lang).source_computed(*named_inputs(study, lang))
    )
    notes = (
        [] if printed else [*_change_notes(study, number, lang, "yoy_growth" in frame), *_imputed(study, number, lang)]
    )
    return Table(
        caption=str(phrases(lang).caption(number, len(frame)))
        if chosen.named
        else words.caption(f"table_{measures[0]}", lang, scope=chosen.scope(lang)),
        source=str(source),
        header=tuple(header),
        kinds=tuple(kinds),
        rows=tuple(tuple(_plain(v) for v in row) for row in body.itertuples(index=False)),
        report_number=number,
        notes=tuple(str(n) for n in notes),
    )


def _change_notes(study: Study, number: int, lang: str, growth: bool) -> list[str]:
    """The notes under a table with growth or rank change against a previous edition: how they were computed and
    (under a table printing growth) what growth of a rescaled index means, one note; the regions the edition no
    longer has."""
    if study.previous is None or number not in CHANGE_COLUMNS:
        return []
    module, gone = phrases(lang), study.gone()
    notes = [comparison(study, lang, growth)]
    return notes + ([module.gone(display_names(gone, lang))] if len(gone) else [])


def _imputed(study: Study, number: int, lang: str) -> list[str]:
    """The note under a table whose scores took in imputed cells: how many, whose, and how they were filled."""
    entry = next((e for e in study.log if e["step"] == "missing"), None)
    node = study.index_tables[number][0]
    if entry is None or entry["policy"] in ("error", "drop") or node not in study.scheme.preorder():
        return []
    under, kept = set(study.scheme.preorder(node)), set(study.regions)
    cells = [(r, i) for r, i in entry["cells"] if i in under and r in kept]
    if not cells:
        return []
    names = dict(zip([r for r, _ in cells], display_names([r for r, _ in cells], lang)))
    said = [words.text("cell", lang, region=names[r], indicator=study.scheme.label(i, lang)) for r, i in cells]
    policy = words.word(words.POLICY_LABELS, entry["policy"], lang)
    return [phrases(lang).imputed(len(cells), said, policy)]


def top5_table(number: int, lang: str = "zh", frame: pd.DataFrame | None = None) -> Table:
    """表10–12 (川茶, 川酒, 川调) as printed: rank, leading brand, shop and main destination; the report's own
    list, or ``frame``, an edition's list of that category
    (:meth:`livecommerce.data.edition.EditionInputs.top5_tables`)."""
    arguments.choice(number, "number", TOP5_TABLES)
    words.check_lang(lang)
    printed = frame is None
    frame = (load_table(number) if printed else frame).sort_values("rank", kind="stable")
    columns = ["rank", "brand", "shop", "destination"]
    body = frame.assign(destination=display_names(frame["destination_id"], lang))[columns]
    return Table(
        caption=str(phrases(lang).caption(number, len(frame))),
        source=str(phrases(lang).source_report(number) if printed else phrases(lang).computed()),
        header=tuple(words.word(words.TABLE_HEADERS, c, lang) for c in columns),
        kinds=("rank", "text", "text", "text"),
        rows=tuple(tuple(_plain(v) for v in row) for row in body.itertuples(index=False)),
        report_number=number,
    )


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
