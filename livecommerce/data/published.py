"""Loaders of the report's published data, each validated against its schema on read.

``folder`` defaults to the bundled ``data/published``; pass another folder holding files
of the same layout (for instance next year's tables) to load and validate those instead.
Each file is read and validated once per process, and again only when it changes (its size,
modification time or inode); every call returns a fresh copy the caller may modify.
"""

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data import schemas
from livecommerce.data.io import file_version, read_csv
from livecommerce.data.paths import published_dir
from livecommerce.data.regions import check_level, regions, resolve
from livecommerce.errors import DataError, ParameterError
from livecommerce.vocab import INDEX_TABLES, RANKED_MEASURE, TOP5_TABLES

__all__ = [
    "chapter_facts",
    "check_shared_regions",
    "facts_frame",
    "load_claims",
    "load_facts",
    "load_index",
    "load_table",
    "load_trends",
    "table_path",
]

_TEXT = {
    c: str
    for c in (
        "level",
        "region_id",
        "region",
        "category",
        "brand",
        "shop",
        "destination",
        "destination_id",
        "fact_id",
        "section",
        "section_en",
        "measure",
        "unit",
        "qualifier",
        "kind",
        "period",
        "geography",
        "source",
        "source_en",
        "quote",
        "note",
        "claim_id",
        "claim",
        "expected",
        "trend_id",
        "module",
        "module_zh",
        "role",
        "headline",
        "trend",
    )
}


def _folder(folder: Path | str | None) -> Path:
    """``folder``, or the bundled ``data/published`` if None or empty."""
    return Path(arguments.optional(arguments.path, folder, "folder") or published_dir())


def table_path(number: int, folder: Path | str | None = None) -> Path:
    """Path of published table ``number`` (1–15)."""
    if arguments.integer(number, "number") not in RANKED_MEASURE and number not in TOP5_TABLES:
        raise ParameterError(f"table={number!r}: the report has tables 1 to 15")
    return _folder(folder) / f"table{number:02d}.csv"


_FRAMES: dict[str, tuple[tuple, pd.DataFrame]] = {}
"""Validated frames by resolved file path, each with the version of the file it was read from."""

_CHECKED: dict[str, tuple] = {}
"""By resolved folder: the versions of the tables :func:`check_shared_regions` last found consistent."""


def _load(path: Path, build: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """A copy of ``build(path)``, the file read and validated; built once per version of the file.

    A file that fails to load is not cached: it raises on every call until it is fixed.
    """
    version = file_version(path)
    if version is None:
        raise DataError(f"{path}: file not found")
    key = str(path.resolve())
    cached = _FRAMES.get(key)
    if cached is None or cached[0] != version:
        cached = _FRAMES[key] = version, build(path)
    return cached[1].copy()


def _read(path: Path, text: tuple[str, ...] = ()) -> pd.DataFrame:
    dtype = _TEXT | dict.fromkeys(text, str)
    frame = read_csv(path, dtype=dtype, keep_default_na=False)
    numeric = [c for c in frame.columns if c not in dtype]
    frame[numeric] = frame[numeric].replace("", float("nan"))  # an empty number is missing, not text
    return frame


def load_table(number: int, folder: Path | str | None = None) -> pd.DataFrame:
    """Published table ``number`` (表1–表15) as a tidy frame, one row per printed row.

    Index tables carry ``table``, ``level``, ``rank``, ``region_id``, ``region`` (as printed)
    and their measures; 表1 adds ``yoy_growth`` (a fraction) and 表1–3 ``rank_change``
    (signed: ↑5 → 5, ↓2 → −2, → → 0). 表10–12 are the Sichuan top-5 lists.
    """
    return _load(table_path(number, folder), partial(_build_table, number))


def _build_table(number: int, path: Path) -> pd.DataFrame:
    frame = _read(path)
    if number in TOP5_TABLES:
        return schemas.validate(frame, schemas.top5_schema(number, regions("province").index), path)
    level = next(lv for lv, tables in INDEX_TABLES.items() if number in tables)
    frame = schemas.validate(frame, schemas.index_table_schema(number, regions(level).index), path)
    for row, (name, region_id) in enumerate(zip(frame["region"], frame["region_id"])):
        if resolve(name, level) != region_id:
            raise DataError(f"{path}: line {row + 2}, column 'region': {name!r} is not region {region_id}")
    return frame


def load_index(level: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Every published measure of one level, indexed by ``region_id``, ordered by overall rank.

    Columns: ``name_zh``, ``name_en``, each measure with its published rank
    (``overall_rank``, ``people_rank``, ``goods_rank``, ``venue_rank``; the people
    sub-indices have no printed rank), ``rank_change`` and, for provinces, ``yoy_growth``.
    """
    check_level(level)
    check_shared_regions(folder)
    registry = regions(level)
    frame = registry[["name"]].rename(columns={"name": "name_zh"}).join(registry["name_en"])
    for number, measures in INDEX_TABLES[level].items():
        table = load_table(number, folder).set_index("region_id")
        ranked = RANKED_MEASURE[number]
        extra = [c for c in ("yoy_growth", "rank_change") if c in table]
        part = table[list(measures) + extra].join(table["rank"].rename(f"{ranked}_rank"))
        frame = frame.join(part[[ranked, f"{ranked}_rank", *extra, *measures[1:]]])
    return frame.sort_values("overall_rank")


def check_shared_regions(folder: Path | str | None = None) -> None:
    """Raise :class:`DataError` if a region printed at two levels (成都) differs between them.

    Done once per folder, and again when one of its city or prefecture tables changes.
    """
    pairs = list(zip(INDEX_TABLES["city"], INDEX_TABLES["prefecture"]))
    versions = tuple(file_version(table_path(n, folder)) for pair in pairs for n in pair)
    key = str(_folder(folder).resolve())
    if _CHECKED.get(key) == versions:
        return
    for city_table, prefecture_table in pairs:
        city = load_table(city_table, folder).set_index("region_id")
        prefecture = load_table(prefecture_table, folder).set_index("region_id")
        measures = INDEX_TABLES["city"][city_table]
        for region_id in city.index.intersection(prefecture.index):
            for measure in measures:
                a, b = city.at[region_id, measure], prefecture.at[region_id, measure]
                if a != b:
                    raise DataError(
                        f"region {region_id} ({city.at[region_id, 'region']}), column {measure!r}: "
                        f"{a} in {table_path(city_table, folder).name} "
                        f"but {b} in {table_path(prefecture_table, folder).name}"
                    )
    _CHECKED[key] = versions


def load_facts(folder: Path | str | None = None) -> pd.DataFrame:
    """Chapters 1, 2 and 4's statistics, indexed by ``fact_id``, each with its cited source.

    ``value`` and ``unit`` are as printed; ``value_base`` is the value in base units
    (yuan, persons, sessions; percentages and percentage points as fractions);
    ``decimals`` is how many decimals the report prints, so its rounding is known.
    """
    return _load(_folder(folder) / "facts.csv", _build_facts)


def _build_facts(path: Path) -> pd.DataFrame:
    return facts_frame(_read(path, text=("value",)), path)


def facts_frame(raw: pd.DataFrame, path: Path | str, lines=None) -> pd.DataFrame:
    """Facts read as text (``facts.csv``'s columns, or an edition's facts) validated as :func:`load_facts` gives
    them; ``path`` and the file ``lines`` the rows start on name a fault."""
    decimals = raw["value"].str.partition(".")[2].str.len() if "value" in raw else None
    frame = schemas.validate(raw, schemas.facts_schema(), path, lines)
    frame["decimals"] = decimals
    frame["value_base"] = frame["value"] * frame["unit"].map(schemas.FACT_UNITS)
    return frame.set_index("fact_id")


def chapter_facts(facts: pd.DataFrame, chapter: str) -> pd.DataFrame:
    """The facts of one chapter (``"一"``, ``"二"`` or ``"四"``), by the numeral their section starts with."""
    numerals = sorted({section[0] for section in arguments.frame(facts, "facts", ["section"])["section"]})
    arguments.choice(chapter, "chapter", numerals)
    return facts[facts["section"].str.startswith(chapter)]


def load_claims(folder: Path | str | None = None) -> pd.DataFrame:
    """Chapter 3's prose statements about the tables (ranks, top threes, lists), by ``claim_id``."""
    return _load(
        _folder(folder) / "claims.csv",
        lambda path: schemas.validate(_read(path), schemas.claims_schema(), path).set_index("claim_id"),
    )


def load_trends(folder: Path | str | None = None) -> pd.DataFrame:
    """Chapter 4's trends (四、未来趋势): one row per sub-trend of each module of the dual-centre model."""
    return _load(
        _folder(folder) / "trends.csv",
        lambda path: schemas.validate(_read(path), schemas.trends_schema(), path).set_index("trend_id"),
    )
