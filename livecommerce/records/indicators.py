"""Indicators from records: each indicator a definition (plain data, as the scheme states it) compiled to one SQL
text that DuckDB and Spark both run, grouped by the region its anchor's or shop's location is attributed to.

A definition names its source ``table`` (anchors, sessions, shops, sales), its ``statistic`` (:data:`STATISTICS`)
of a ``measure`` column (a ``ratio`` of sums divides by ``denominator``), optionally ``per`` (``anchor`` or ``shop``:
the measure summed per anchor or shop first, then the mean or median of those) and ``active`` (only the anchors or
shops with a session or sale in the period) and ``location``, the column of the anchor's or shop's table whose
place gives the region (:data:`LOCATIONS`: ``location`` by default; a shop's ``warehouse`` instead of where it is
registered). The period itself is the records' (rows outside it are bad rows)."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.io import write_rows
from livecommerce.data.panel import template_rows
from livecommerce.data.regions import region_set
from livecommerce.errors import ParameterError, SchemeError
from livecommerce.records.attribution import attribute, roll_up
from livecommerce.records.read import Records
from livecommerce.records.tables import TABLES

__all__ = [
    "ADDITIVE",
    "LOCATIONS",
    "STATISTICS",
    "Definition",
    "definition",
    "indicators",
    "provenance",
    "sql",
    "write_panel",
]

STATISTICS = ("sum", "count", "count_distinct", "mean", "median", "ratio")
ADDITIVE = ("sum", "count", "count_distinct")
"""Statistics whose value for a region without records is 0 (the others leave it empty, for the study to impute)."""

LOCATIONS = {"anchors": ("location",), "shops": ("location", "warehouse")}
"""The columns of the anchors' and shops' tables a definition may take a region from (its ``location``)."""

_OWNER = {"anchors": "anchors", "sessions": "anchors", "shops": "shops", "sales": "shops"}
_UNIT = {"anchor": ("anchor_id", "anchors"), "shop": ("shop_id", "shops")}
_CHILD = {"anchors": ("sessions", "anchor_id"), "shops": ("sales", "shop_id")}


@dataclass(frozen=True)
class Definition:
    """One indicator's definition on the records (see the module's docstring)."""

    table: str
    statistic: str
    measure: str | None = None
    denominator: str | None = None
    per: str | None = None
    active: bool = False
    location: str = "location"


def definition(value, name: str = "definition") -> Definition:
    """A :class:`Definition` from a mapping (a scheme's ``record`` table) or as it is; a :class:`SchemeError`
    naming ``name`` and the key for anything it cannot be."""
    if isinstance(value, Definition):
        value = value.__dict__
    value = dict(arguments.mapping(value, name))
    unknown = set(value) - set(Definition.__dataclass_fields__)
    problems = [f"unknown key(s) {', '.join(sorted(unknown))}"] if unknown else []
    table, statistic = value.get("table"), value.get("statistic")
    if table not in TABLES:
        problems.append(f"table {table!r} is not one of {', '.join(TABLES)}")
    if statistic not in STATISTICS:
        problems.append(f"statistic {statistic!r} is not one of {', '.join(STATISTICS)}")
    columns = {c.name for c in TABLES[table].columns} if table in TABLES else set()
    for key in ("measure", "denominator"):
        if value.get(key) is not None and columns and value[key] not in columns:
            problems.append(f"{key} {value[key]!r} is not a column of {table} ({', '.join(sorted(columns))})")
    if statistic not in ("count", None) and value.get("measure") is None:
        problems.append(f"statistic {statistic!r} needs a measure")
    if (statistic == "ratio") != (value.get("denominator") is not None):
        problems.append("a denominator goes with statistic 'ratio', and only with it")
    per = value.get("per")
    if per is not None and (per not in _UNIT or statistic not in ("mean", "median")):
        problems.append(f"per {per!r}: 'anchor' or 'shop', with statistic mean or median")
    elif per is not None and table in TABLES and _OWNER[table] != _UNIT[per][1]:
        problems.append(f"per {per!r} does not fit table {table!r}")
    if not isinstance(value.get("active", False), bool):
        problems.append("active is true or false")
    places = LOCATIONS[_OWNER[table]] if table in TABLES else ("location",)
    if value.get("location", "location") not in places:
        problems.append(f"location {value.get('location')!r} is not one of {', '.join(places)}")
    if problems:
        raise SchemeError(f"{name}: " + "; ".join(problems))
    return Definition(**value)


def _base(d: Definition) -> str:
    """The rows of the definition's table, each with the ``_region`` of its anchor or shop."""
    owner = _OWNER[d.table]
    key = _UNIT["anchor" if owner == "anchors" else "shop"][0]
    if d.table == owner:
        rows = f"SELECT t.*, p.region AS _region FROM {owner} t JOIN _places p ON t.{d.location} = p.location"
    else:
        rows = (
            f"SELECT t.*, p.region AS _region FROM {d.table} t JOIN {owner} o ON t.{key} = o.{key} "
            f"JOIN _places p ON o.{d.location} = p.location"
        )
    if d.active and d.table == owner:
        child, column = _CHILD[owner]
        rows += f" WHERE t.{column} IN (SELECT {column} FROM {child})"
    return rows


def _exact(column: str) -> str:
    """``column`` as a decimal of 6 places: sums of it are exact, the same whatever order the engine's threads add
    the rows in (sums of doubles are not, and moved the last digit between runs)."""
    return f"CAST({column} AS DECIMAL(38, 6))"


def _total(column: str) -> str:
    return f"CAST(SUM({_exact(column)}) AS DOUBLE)"


def _value(d: Definition) -> str:
    m = d.measure
    return {
        "sum": _total(m),
        "count": "COUNT(*)",
        "count_distinct": f"COUNT(DISTINCT {m})",
        "mean": f"{_total(m)} / NULLIF(COUNT({m}), 0)",
        "median": f"MEDIAN(CAST({m} AS DOUBLE))",
        "ratio": f"{_total(m)} / NULLIF({_total(d.denominator)}, 0)",
    }[d.statistic]


def sql(definitions) -> str:
    """The one SQL text (DuckDB's and Spark's) of definitions that share their table, ``active``, ``per`` and
    ``location`` (a list, or one definition): a row per region, ``region`` and ``v0``, ``v1``, … in their order; one
    scan."""
    group = [definition(d) for d in (definitions if isinstance(definitions, list) else [definitions])]
    first = group[0]
    if len({_group(d) for d in group}) > 1:
        raise ParameterError("definitions: one query takes definitions of one table, active, per and location")
    if first.per:
        unit = _UNIT[first.per][0]
        inner = ", ".join(
            f"SUM({_exact(d.measure)}) AS _v{i}" if d.measure else f"COUNT(*) AS _v{i}" for i, d in enumerate(group)
        )
        outer = ", ".join(
            f"{_total(f'_v{i}')} / NULLIF(COUNT(_v{i}), 0) AS v{i}"
            if d.statistic == "mean"
            else f"MEDIAN(CAST(_v{i} AS DOUBLE)) AS v{i}"
            for i, d in enumerate(group)
        )
        return (
            f"SELECT _region AS region, {outer} FROM (SELECT _region, {unit}, {inner} "
            f"FROM ({_base(first)}) b GROUP BY _region, {unit}) u GROUP BY _region"
        )
    values = ", ".join(f"{_value(d)} AS v{i}" for i, d in enumerate(group))
    return f"SELECT _region AS region, {values} FROM ({_base(first)}) b GROUP BY _region"


def _group(d: Definition) -> tuple:
    """What definitions share to be computed in one query."""
    return d.table, d.active, d.per, d.location


def _places(records: Records, chosen, columns=(("anchors", "location"), ("shops", "location"))) -> pd.DataFrame:
    """Each distinct place in ``columns`` (table, column) of the records read, with its region of the region set
    ``chosen`` (where it has one); the attribution's counts and the places left out go to the records' log."""
    union = " UNION ALL ".join(f"SELECT {c} AS location FROM {t}" for t, c in columns if t in records.rows)
    counts = records.engine.query(f"SELECT location, COUNT(*) AS records FROM ({union}) u GROUP BY location")
    attribution = attribute(counts)
    table = attribution.table
    table["region"] = [roll_up(c, chosen) if isinstance(c, str) else None for c in table["region_id"]]
    status = attribution.counts()
    coarse = int(table.loc[table["region_id"].notna() & table["region"].isna(), "records"].sum())
    records.log.append(
        f"locations: {status['matched']} record(s) attributed, {status['unmatched']} unmatched, "
        f"{status['ambiguous']} ambiguous, {coarse} not in a region of level {chosen.level!r}"
    )
    for location, row in attribution.unresolved().head(20).iterrows():
        shown = repr(location) if isinstance(location, str) else "(empty)"
        records.log.append(f"location {shown}: {row['status']} ({row['records']} record(s))")
    return table.loc[table["region"].notna(), ["region"]].reset_index()


def indicators(records: Records, definitions, level="province") -> pd.DataFrame:
    """A panel from records: one column per definition, one row per region of the region set ``level`` (a name, or
    a :class:`~livecommerce.data.regions.RegionSet`, a user registry's too: :func:`roll_up`), indexed by
    ``region_id``; a region without records has 0 for a count or sum, empty otherwise. ``definitions`` is a scheme
    (its indicators that have a ``record`` definition, in its order) or a mapping of name to definition."""
    chosen = region_set(level)
    ids = chosen.ids
    if hasattr(definitions, "indicators") and hasattr(definitions, "nodes"):
        definitions = {i: item.record for i, item in definitions.indicators.items() if item.record is not None}
    definitions = {
        n: definition(d, f"indicator {n!r}") for n, d in arguments.mapping(definitions, "definitions").items()
    }
    needed = {t for d in definitions.values() for t in (d.table, _OWNER[d.table])}
    missing = sorted(needed - set(records.rows))
    if missing:
        raise SchemeError(f"the definitions need record table(s) {', '.join(missing)}, which the records lack")
    used = {(_OWNER[d.table], d.location) for d in definitions.values()}
    places = sorted({(t, "location") for t in ("anchors", "shops")} | used)
    records.engine.frame("_places", _places(records, chosen, places))
    columns = {}
    groups: dict[tuple, list[str]] = {}
    for name, d in definitions.items():
        groups.setdefault(_group(d), []).append(name)
    for names in groups.values():
        result = records.engine.query(sql([definitions[n] for n in names])).set_index("region")
        for i, name in enumerate(names):
            column = result[f"v{i}"].astype(float).reindex(ids)
            columns[name] = column.fillna(0.0) if definitions[name].statistic in ADDITIVE else column
    return pd.DataFrame({name: columns[name] for name in definitions}, index=pd.Index(ids, name="region_id"))


def provenance(records: Records) -> list[str]:
    """What a panel from ``records`` rests on: the engine, the period, each table's files and rows, the bad rows
    per file and rule, and the attribution of locations (the log's lines)."""
    lines = [f"engine: {records.engine.name}", f"period: {records.period[0]} to {records.period[1]}"]
    for name, files in records.tables.items():
        lines.append(f"{name}: {records.rows.get(name, 0)} row(s) in {', '.join(str(f) for f in files)}")
    bad = records.bad
    lines += [f"bad rows: {r.table} {r.file}: {r.rows} {r.rule} (dropped)" for r in bad.itertuples()] or [
        "bad rows: none"
    ]
    return lines + [line for line in records.log if not line.startswith(tuple(f"{t}: dropped" for t in records.rows))]


def write_panel(path, panel: pd.DataFrame, scheme, records: Records, level="province", variant=None) -> Path:
    """Write ``panel`` as a raw panel of ``scheme`` (:func:`livecommerce.data.panel.load_panel` reads it), its
    provenance in ``#`` rows above the header (with the definition ``variant`` it was computed under, if named); an
    indicator the records do not give is left empty."""
    chosen = region_set(level)
    rows = template_rows(scheme, chosen)
    header = rows.index(next(r for r in rows if r and r[0] == "region_id"))
    columns = rows[header]
    for row in rows[header + 1 :]:
        for position, column in enumerate(columns):
            if column in panel.columns and row[0] in panel.index:
                value = panel.at[row[0], column]
                row[position] = "" if pd.isna(value) else float(value)
    width = len(columns)
    said = ["SOURCE: records", *([f"variant: {variant}"] if variant else []), *provenance(records)]
    notes = [[f"# {line}", *[""] * (width - 1)] for line in said]
    return write_rows(path, {chosen.sheet: [*notes, *rows]})
