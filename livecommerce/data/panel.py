"""Raw panels: one row per region, one column per raw indicator of a scheme, in raw units.

A panel file is a CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it) or an XLSX
workbook (the sheet named for the level if there is one, else the first) with a ``region`` column (any
name the registry knows, or the six-digit code), an optional ``region_id`` column that, when filled,
must agree with it (and tells apart regions of one name: 市中区 of 内江 and of 乐山), and one column per indicator
of the scheme. Lines (rows) starting with ``#`` above
the header are comments; blank lines are skipped.
``data/raw/README.md`` documents the columns; :func:`template` writes an empty panel.
"""

import os
import re
import unicodedata
from functools import cache, partial
from pathlib import Path

import pandas as pd

from livecommerce import arguments, words
from livecommerce.data import schemas
from livecommerce.data.io import read_table, write_rows
from livecommerce.data.regions import RegionSet, normalise_name, region_set, resolve
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.vocab import LANGS

__all__ = [
    "SCHEME",
    "check_scheme",
    "column_ids",
    "indicator_headers",
    "load_panel",
    "template",
    "template_rows",
    "write_template",
]

SCHEME = "a Scheme (livecommerce.index.scheme.load_scheme)"
"""What a panel function's ``scheme`` is: the scheme object itself, read by the caller (a panel knows no files of
the index)."""


def check_scheme(scheme, name: str = "scheme"):
    """``scheme`` if it is a scheme object (it has indicators and nodes), else a :class:`ParameterError`."""
    return arguments.having(scheme, name, ("indicators", "nodes"), SCHEME)


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(cell: str) -> str:
    """Fold full-width digits and signs (NFKC), drop spaces and thousands separators (1,234,567)."""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return text.replace(",", "") if _GROUPED.match(text) else text


def indicator_headers(scheme, lang: str = "en") -> dict[str, str]:
    """Each indicator's column heading in ``lang``: its id in English; in Chinese its label, followed by its parent
    node's label where two indicators share one (主播数量（主播活跃度）, 主播数量（场）)."""
    check_scheme(scheme)
    if words.check_lang(lang) == "en":
        return {id: id for id in scheme.indicators}
    parent = {child: node for node in scheme.nodes for child in scheme.nodes[node].children}
    labels = {id: scheme.label(id, "zh") for id in scheme.indicators}
    shared = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    return {
        id: f"{label}（{scheme.label(parent[id], 'zh')}）" if label in shared else label for id, label in labels.items()
    }


def column_ids(scheme) -> dict[str, str]:
    """Every heading a panel or top-5 file may give a column, in either language, with the column's id."""
    names = {name: id for id, by in words.INPUT_COLUMNS.items() for name in by.values()}
    return names | {h: id for lang in LANGS for id, h in indicator_headers(scheme, lang).items()}


def _cell(row: dict, column: str) -> str | None:
    """A row's cell of ``column`` under either language's heading (None if the file has no such column)."""
    return next((row[name] for name in words.INPUT_COLUMNS[column].values() if name in row), None)


def load_panel(
    path: Path | str, scheme, level="province", empty: bool = False, registry=None, sheet: str | None = None
) -> pd.DataFrame:
    """A raw panel file as a frame of indicators indexed by ``region_id``, checked against ``scheme`` (a Scheme).

    Its regions are those of the region set ``level`` (:func:`livecommerce.data.regions.region_set`: a named set,
    ``county:510000``, a :class:`~livecommerce.data.regions.RegionSet`; with ``registry``, a user registry's).
    A workbook is read from ``sheet`` (the set's :attr:`~livecommerce.data.regions.RegionSet.sheet` by default).
    Columns are headed by id or, as the Chinese template heads them, by name (地区代码, 地区, 主播数量（主播活跃度）…:
    :func:`indicator_headers`). Numbers may use full-width digits and thousands separators; region names any form
    the registry knows. An empty cell is an error unless ``empty`` (it is then NaN:
    :func:`livecommerce.index.impute.fill_missing` screens and imputes). Every fault of the file is reported at
    once, each naming its line, column and region. ``frame.attrs["source"]`` records what was read (path, format,
    encoding, sheet; see :func:`livecommerce.data.io.read_table`).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    check_scheme(scheme)
    chosen = region_set(level, registry)
    arguments.flag(empty, "empty")
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    region = cache(partial(_region, chosen=chosen))
    frame, lines = read_table(
        path, sheet=sheet or chosen.sheet, unique=lambda row: region(_cell(row, "region"), _cell(row, "region_id"))
    )
    source = frame.attrs["source"]
    ids_of = column_ids(scheme)
    heading = {ids_of.get(c, c): c for c in frame.columns}  # each column as the file heads it
    frame = frame.rename(columns=ids_of)
    numeric = [c for c in frame.columns if c not in ("region_id", "region")]
    frame[numeric] = frame[numeric].map(_number_text).replace("", float("nan"))
    if numeric and len(frame) and frame[numeric].isna().all().all():
        raise DataError(f"{path}: no indicator value is filled in (an empty template?): fill in the panel first")
    valid = {id: i.valid for id, i in scheme.indicators.items()}
    schema = schemas.panel_schema(valid, nullable=empty, codes=chosen.registry == "national")
    labels = {id: i.label.get("zh", id) for id, i in scheme.indicators.items()}
    labels |= {id: heading[id] for id in labels if heading.get(id, id) != id}  # as a Chinese heading names it
    names = list(frame["region"]) if "region" in frame else None
    try:
        frame, faults = schemas.validate(frame, schema, path, lines, names, labels), []
    except DataError as exc:  # told together with the rows' region faults
        if names is None:
            raise
        faults = [str(exc).removeprefix(f"{path}: ")]
    ids, wrong = _region_ids(frame, lines, chosen, heading["region"])
    if faults or wrong:  # a RegionError if every fault is a name the set does not know
        unknown = not faults and all(isinstance(f, RegionError) for f in wrong)
        raise (RegionError if unknown else DataError)(f"{path}: " + "; ".join([*faults, *map(str, wrong)]))
    frame.index = pd.Index(ids, name="region_id")  # each once: read_table checked
    frame = frame[list(scheme.indicators)].astype(float)
    if len(frame) == 1:
        raise DataError(f"{path}: one region ({frame.index[0]}): the index compares regions, give two or more")
    frame.attrs["source"] = source
    return frame


def _region_ids(frame: pd.DataFrame, lines, chosen: RegionSet, column: str) -> tuple[list[str], list[Exception]]:
    """Each row's region id in ``chosen``, and each row's fault (a name the set does not know, a ``region_id`` that
    is another region's), naming its line and ``column`` (the region column as the file heads it); a row without a
    name is left to the schema's fault."""
    ids, faults = [], []
    for row, (line, name) in enumerate(zip(lines, frame["region"])):
        where = f"line {line} (row {row + 1})"
        given = frame["region_id"].iat[row] if "region_id" in frame else ""
        if given in chosen.names.get(normalise_name(name), ()):  # its id tells regions of one name apart (市中区)
            ids.append(given)
            continue
        if not name.strip():
            continue
        try:
            region_id = resolve(name, chosen)
        except RegionError as exc:
            faults.append(RegionError(f"{where}, column {column!r}: {exc}"))
            continue
        if given and given != region_id:
            faults.append(DataError(f"{where}: region_id {given!r} is not region {name!r} ({region_id})"))
        ids.append(region_id)
    return ids, faults


def _region(name: str | None, given: str | None, chosen: RegionSet) -> str | None:
    """A panel row's region (``region 510000 (四川)``) whatever name it gives; None if the name is unknown or the
    row's ``region_id`` (``given``) is another region's (an error :func:`load_panel` names)."""
    ids = chosen.names.get(normalise_name(name), set()) if name is not None else set()
    if len(ids) != 1 or given not in (None, "", *ids):
        return None
    region_id = next(iter(ids))
    return f"region {region_id} ({chosen.regions.at[region_id, 'name']})"


def template(scheme, level="province", registry=None) -> pd.DataFrame:
    """An empty panel for the region set ``level`` (with ``registry``, a user registry's): every region of the set,
    one blank column per indicator of ``scheme``."""
    check_scheme(scheme)
    registry = region_set(level, registry).regions
    frame = pd.DataFrame({"region_id": registry.index, "region": registry["name"].to_numpy()})
    for id in scheme.indicators:
        frame[id] = ""
    return frame


def template_rows(scheme, level="province", registry=None, lang: str = "en") -> list[list]:
    """:func:`template` as rows of cells, headed in ``lang`` (:func:`indicator_headers`), below ``#`` rows aligned
    with its columns: each indicator's label (zh), unit and direction (1: higher is better, -1: lower is better),
    which :func:`load_panel` skips."""
    chosen = region_set(level, registry)
    frame = template(scheme, chosen)
    indicators = list(scheme.indicators.values())
    note = partial(words.word, words.TEMPLATE_NOTES, lang=lang)
    part = words.word(words.PART_NAMES, chosen.level, lang) if chosen.named else chosen.scope(lang)
    title = note("panel").format(part=part, level=chosen.level, scheme=scheme.name)
    units = [words.UNIT_NAMES.get(i.unit, {}).get(lang, i.unit) for i in indicators]
    notes = [
        [title, ""],
        [note("label"), "", *(i.label["zh"] for i in indicators)],
        [note("unit"), "", *units],
        [note("direction"), "", *(i.direction for i in indicators)],
    ]
    notes[0] += [""] * len(indicators)
    header = [words.word(words.INPUT_COLUMNS, c, lang) for c in ("region_id", "region")]
    header += list(indicator_headers(scheme, lang).values())
    return [*notes, header, *frame.to_numpy().tolist()]


def write_template(path: Path | str, scheme, level="province", registry=None, lang: str = "en") -> Path:
    """Write the empty panel of the region set ``level`` (:func:`template_rows`, headed in ``lang``) as XLSX, on a
    sheet named for the set, if ``path`` ends in ``.xlsx``, else as CSV."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    chosen = region_set(level, registry)
    return write_rows(path, {chosen.sheet: template_rows(scheme, chosen, lang=lang)})
