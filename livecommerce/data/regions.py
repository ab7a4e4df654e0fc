"""The region registry (data/regions.csv) and name resolution.

Every region is identified by its GB/T 2260 six-digit administrative code. A name
resolves to that code in any of its forms: as printed in the report (凉山州), full
official name (凉山彝族自治州), English name, alias, or the code itself; full-width
characters, stray spaces and letter case do not matter.
"""

import difflib
import numbers
import unicodedata
from functools import cache, lru_cache

import pandas as pd

from livecommerce import arguments
from livecommerce.data import schemas
from livecommerce.data.paths import data_dir
from livecommerce.errors import RegionError
from livecommerce.vocab import LEVELS
from livecommerce.words import check_lang

__all__ = ["NAME_COLUMNS", "check_level", "display_names", "matches", "normalise_name", "regions", "resolve"]

NAME_COLUMNS = ("region_id", "name", "full_name_zh", "name_en", "full_name_en")


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    path = data_dir() / "regions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return schemas.validate(frame, schemas.regions_schema(), path)


def regions(level: str | None = None) -> pd.DataFrame:
    """The registry: indexed by ``region_id`` for one level, by (level, region_id) for all."""
    frame = _registry().copy()
    if level is None:
        return frame.set_index(["level", "region_id"])
    check_level(level)
    return frame[frame["level"] == level].set_index("region_id")


def display_names(ids, lang: str) -> list[str]:
    """The display names of region ids in ``lang``: the name as the report prints it (``zh``: 成都, 凉山州) or the
    English name (``en``: Chengdu, Liangshan); an id that is not in the registry is shown as it is."""
    column = "name" if check_lang(lang) == "zh" else "name_en"
    registry = _registry()
    table = dict(zip(registry["region_id"], registry[column]))
    return [table.get(str(i), str(i)) for i in arguments.names(ids, "ids")]


def check_level(level: str) -> str:
    """Return ``level`` if it is one of :data:`~livecommerce.vocab.LEVELS`, else raise."""
    return arguments.choice(level, "level", LEVELS)


def _name(value, name: str):
    """``value`` if it can name a region: a string, or a six-digit code as an integer."""
    return arguments.instance(value, name, (str, numbers.Integral), "a region name or code")


def normalise_name(text: str) -> str:
    """Fold full-width forms (NFKC), drop all whitespace, unify apostrophes, casefold."""
    folded = unicodedata.normalize("NFKC", str(_name(text, "text"))).replace("’", "'").replace("‘", "'")
    return "".join(folded.split()).casefold()


@cache
def _bundled_names(level: str | None) -> dict[str, set[str]]:
    registry = _registry()
    return _name_table(registry if level is None else registry[registry["level"] == level])


def _name_table(registry: pd.DataFrame) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for row in registry.itertuples(index=False):
        names = [getattr(row, c) for c in NAME_COLUMNS] + [a for a in row.aliases.split(";") if a]
        for name in names:
            table.setdefault(normalise_name(name), set()).add(row.region_id)
    return table


def matches(name, level: str | None = None) -> set[str]:
    """The ids of the bundled regions ``name`` denotes, optionally within one ``level``: one, none (unknown) or
    several (ambiguous); no error, no hint (:func:`resolve` explains)."""
    return _bundled_names(None if level is None else check_level(level)).get(normalise_name(name), set())


def resolve(name, level: str | None = None, registry: pd.DataFrame | None = None) -> str:
    """Return the six-digit region id that ``name`` denotes, optionally within one ``level``.

    Raises :class:`RegionError` if no region or more than one region has that name;
    for an unknown name the message lists the closest known names.
    """
    _name(name, "name")
    frame = _registry() if registry is None else arguments.frame(registry, "registry", (*NAME_COLUMNS, "aliases"))
    if level is not None:
        frame = frame[frame["level"] == check_level(level)]
    table = _bundled_names(level) if registry is None else _name_table(frame)
    key = normalise_name(name)
    ids = table.get(key, set())
    where = f" at level {level!r}" if level else ""
    if len(ids) == 1:
        return next(iter(ids))
    if len(ids) > 1:
        raise RegionError(f"region name {name!r} is ambiguous{where}: it matches ids {', '.join(sorted(ids))}")
    display = {normalise_name(n): n for c in ("name", "full_name_zh", "name_en") for n in frame[c]}
    close = difflib.get_close_matches(key, list(display), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(display[c] for c in close)}?" if close else ""
    raise RegionError(f"unknown region {name!r}{where}{hint}")
