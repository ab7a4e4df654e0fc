"""Region attribution: a free-text location as a platform gives it (四川成都, 四川省成都市武侯区, IP属地：四川, an
address) to the finest registry code it determines (a county where it names one), through the registry's name API only.

A location is scanned left to right for the longest registry name at each place (characters no name starts with
are skipped: 省, 区, a street); the names found must nest (each one's code inside the coarser ones'), and the finest
is the answer. A name that matches several regions is narrowed by the others (朝阳 under 北京); one still ambiguous
or names that do not nest (both ambiguous), or none at all (unmatched), leave the location unattributed, counted and
listed, never guessed."""

from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from livecommerce import arguments
from livecommerce.data.regions import divisions, normalise_name, region_set
from livecommerce.errors import ParameterError
from livecommerce.vocab import DIVISIONS, LEVELS

__all__ = ["AMBIGUOUS", "MATCHED", "STATUSES", "UNMATCHED", "Attribution", "attribute", "locate", "roll_up"]

MATCHED, UNMATCHED, AMBIGUOUS = "matched", "unmatched", "ambiguous"
STATUSES = (MATCHED, UNMATCHED, AMBIGUOUS)
_PREFIXES = ("ip属地:", "ip属地", "属地:", "所在地:", "地区:")
_LONGEST = 24


def _depth(code: str) -> int:
    """How many leading digits of a GB/T 2260 code are significant: 2 (province), 4 (prefecture) or 6."""
    return 2 if code[2:] == "0000" else 4 if code[4:] == "00" else 6


def _inside(code: str, outer: str) -> bool:
    return code[: _depth(outer)] == outer[: _depth(outer)]


@cache
def _codes() -> dict[str, frozenset[str]]:
    """Every normalised name of the report's regions and of each division level of the national registry, with
    the codes it denotes: built once, so that a location costs a dictionary look-up per substring."""
    table: dict[str, set[str]] = {}
    for level in (*LEVELS, *DIVISIONS):
        for name, ids in region_set(level).names.items():
            table.setdefault(name, set()).update(ids)
    return {name: frozenset(ids) for name, ids in table.items()}


def _lookup(name: str) -> set[str]:
    """The codes ``name`` (normalised) denotes in the report's regions or any division level of the registry."""
    return set(_codes().get(name, ()))


def _names(text: str) -> list[set[str]]:
    """The candidate code sets of the registry names in ``text``, left to right, longest name first."""
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    found, start = [], 0
    while start < len(text):
        for end in range(min(len(text), start + _LONGEST), start, -1):
            ids = _lookup(text[start:end])
            if ids:
                found.append(ids)
                start = end
                break
        else:
            start += 1
    return found


def locate(location) -> tuple[str | None, str]:
    """The finest registry code ``location`` determines and its status (:data:`MATCHED`, :data:`UNMATCHED` or
    :data:`AMBIGUOUS`); the code is None unless matched."""
    if location is None or (isinstance(location, float) and pd.isna(location)):
        return None, UNMATCHED
    candidates = _names(normalise_name(arguments.instance(location, "location", str, "a location string")))
    if not candidates:
        return None, UNMATCHED
    # Narrow each name's codes to those nesting with some code of every other name (朝阳 under 北京).
    narrowed = [
        {
            c
            for c in ids
            if all(any(_inside(c, o) or _inside(o, c) for o in other) for other in candidates if other is not ids)
        }
        for ids in candidates
    ]
    if any(not ids for ids in narrowed):
        return None, AMBIGUOUS
    if any(len(ids) > 1 for ids in narrowed):
        return None, AMBIGUOUS
    codes = [next(iter(ids)) for ids in narrowed]
    return max(codes, key=_depth), MATCHED


@dataclass(frozen=True)
class Attribution:
    """Each distinct location's code and status (``table``, indexed by location), with the counts of records."""

    table: pd.DataFrame

    def unresolved(self) -> pd.DataFrame:
        """The unmatched and ambiguous locations, with their record counts, most frequent first."""
        rows = self.table[self.table["status"] != MATCHED]
        return rows.sort_values("records", ascending=False, kind="stable")

    def counts(self) -> pd.Series:
        """Records per status (matched, unmatched, ambiguous)."""
        return self.table.groupby("status")["records"].sum().reindex(list(STATUSES), fill_value=0)


def attribute(locations) -> Attribution:
    """Attribute locations (a Series of strings, one per record, or of distinct locations with ``records`` counts
    as a frame's ``location`` and ``records`` columns) to registry codes; each distinct location is scanned once."""
    if isinstance(locations, pd.DataFrame):
        counts = arguments.frame(locations, "locations", ("location", "records")).set_index("location")["records"]
    else:
        counts = arguments.series(locations, "locations").value_counts(dropna=False, sort=False)
    located = [locate(location) for location in counts.index]
    table = pd.DataFrame(
        {
            "region_id": [code for code, _ in located],
            "status": [status for _, status in located],
            "records": counts.to_numpy(),
        },
        index=pd.Index(counts.index, name="location"),
    )
    return Attribution(table)


def roll_up(code: str, level) -> str | None:
    """The region of the region set ``level`` (a name, such as ``city`` or ``county:510000``, or a
    :class:`~livecommerce.data.regions.RegionSet`, a user registry's too) that contains registry ``code`` (成都
    510100 → 四川 510000 at ``province``), or None when no region of the set does (an attribution coarser than its
    regions, or outside them)."""
    regions = _set_codes(region_set(level))
    return next((regions[c] for c in _ancestors(code) if c in regions), None)


def _ancestors(code: str) -> list[str]:
    """``code`` and the divisions above it, the finest first (by the national registry's parents where it has the
    code, else by its digits)."""
    known = _parents()
    return [code, *known[code]] if code in known else [code, code[:4] + "00", code[:2] + "0000"]


@cache
def _parents() -> dict[str, tuple[str, ...]]:
    """Each national division's code → the codes of its prefecture and province (where it has them)."""
    frame = divisions()
    columns = zip(frame["prefecture_id"], frame["province_id"], frame["parent_id"])
    return {code: tuple(dict.fromkeys(c for c in up if c and c != code)) for code, up in zip(frame.index, columns)}


@lru_cache(maxsize=16)
def _set_codes(chosen) -> dict[str, str]:
    """The registry code of each region of the set ``chosen`` → its id: the id itself in the national registry's
    sets; a user registry's region by its id where that is a division's code, else by its full name, located as a
    record's place is (a :class:`ParameterError` names the regions that are no division, or the same as another)."""
    if chosen.registry == "national":
        return {str(region): str(region) for region in chosen.ids}
    codes, problems = {}, []
    for region, row in chosen.regions.iterrows():
        located = (locate(str(name))[0] for name in (row["full_name_zh"], row["name"]))
        code = region if region in _parents() else next((c for c in located if c), None)
        if code is None:
            problems.append(f"{region} ({row['name']}) is none by id (a GB/T 2260 code) or name")
        elif code in codes:
            problems.append(f"{region} ({row['name']}) is {code}, as {codes[code]} is")
        else:
            codes[code] = region
    if problems:
        raise ParameterError(
            f"registry {chosen.registry}: records are attributed to the national registry's divisions, and each "
            f"region of level={chosen.level!r} must be a division of its own: {'; '.join(problems[:10])}"
            f"{' …' if len(problems) > 10 else ''}"
        )
    return codes
