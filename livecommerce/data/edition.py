"""An edition's inputs (一期报告的输入): the raw panels of every level, the top-5 lists behind 表10–12 and,
optionally, the facts of chapters 1–2, from one folder or one XLSX workbook, validated once.

A folder holds ``province.csv`` (or ``.xlsx``), ``city.*``, ``prefecture.*``, ``top5.*`` and optionally
``facts.*``; a workbook holds sheets of those names. Every fault is a :class:`~livecommerce.errors.DataError`
naming the file (and sheet), line and region. A region at two levels (成都, a city and a prefecture) must have
the same raw values in both panels, as the published tables print the same scores for it: a difference is an
error naming both values. :func:`write_inputs_template` writes an empty edition to fill in.

The previous edition, for growth and rank change (:mod:`livecommerce.study.compare`), is a study (the published
2023 report: ``"published"``) or a previous run's output folder, whose ``tables/table0N.csv`` :func:`previous_tables`
reads back.
"""

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data import schemas
from livecommerce.data.io import read_csv, read_table, write_rows
from livecommerce.data.panel import check_scheme, load_panel, template_rows
from livecommerce.data.published import facts_frame
from livecommerce.data.regions import RegionSet, check_level, region_set, regions, resolve
from livecommerce.errors import DataError, RegionError
from livecommerce.vocab import INDEX_TABLES, LEVELS, TOP5_TABLES

__all__ = [
    "EditionInputs",
    "PARTS",
    "RANKS",
    "SICHUAN",
    "SUFFIXES",
    "TOP5_COLUMNS",
    "check_levels_agree",
    "load_inputs",
    "previous_tables",
    "template_paths",
    "write_inputs_template",
]

PARTS = (*LEVELS, "top5", "facts")
"""The parts of an edition, each a file (by its stem) of a folder or a sheet of a workbook; ``facts`` is optional."""

SUFFIXES = (".csv", ".xlsx")

TOP5_COLUMNS = ("category", "rank", "brand", "shop", "destination")
SICHUAN = "510000"
"""A top-5 list's destination is a province other than Sichuan (主要销往外地: the main market outside it)."""
"""The columns of a top-5 file; ``destination_id`` may follow and must then agree with ``destination``."""

RANKS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class EditionInputs:
    """An edition's validated inputs: ``panels`` by level (as :func:`livecommerce.data.panel.load_panel` reads them,
    not yet imputed: :func:`livecommerce.index.impute.fill_missing`), ``top5`` (category, rank, brand, shop,
    destination, destination_id: 表10–12's rows without ``table``), ``facts`` (as
    :func:`livecommerce.data.published.load_facts` gives them) or None, the ``scheme`` the panels were checked
    against (a :class:`~livecommerce.index.scheme.Scheme`, None without panels) and ``source``: the path, its kind
    (folder or workbook) and each part's file and sheet."""

    panels: dict
    top5: pd.DataFrame
    facts: pd.DataFrame | None
    scheme: object
    source: dict

    def top5_tables(self) -> dict[int, pd.DataFrame]:
        """The top-5 lists by the number of the table that prints them (表10 川茶, 表11 川酒, 表12 川调), each in
        :func:`livecommerce.data.published.load_table`'s layout."""
        return {
            number: self.top5[self.top5["category"] == category]
            .assign(table=number)[["table", *self.top5.columns]]
            .reset_index(drop=True)
            for number, category in TOP5_TABLES.items()
        }

    @property
    def synthetic(self) -> bool:
        """Whether the edition is SYNTHETIC data, as its folder, workbook or a part's file name says."""
        names = [self.source["path"], *(part["path"] for part in self.source["parts"].values())]
        return any("synthetic" in Path(name).name.lower() for name in names)


@dataclass(frozen=True)
class _Part:
    """Where one part of an edition is: a file, and the sheet to read in a workbook."""

    path: Path
    sheet: str
    workbook: bool

    def __str__(self) -> str:
        return f"{self.path} (sheet {self.sheet!r})" if self.workbook else str(self.path)


def _locate(path: Path, names=PARTS, required=PARTS[:-1]) -> dict[str, _Part]:
    """Each part of ``names`` present in the edition at ``path``; an error if it lacks one of ``required``."""
    if path.is_dir():
        parts = {}
        for part in names:
            files = [path / f"{part}{suffix}" for suffix in SUFFIXES if (path / f"{part}{suffix}").is_file()]
            if len(files) > 1:
                raise DataError(f"{path}: both {files[0].name} and {files[1].name}; keep one")
            if files:
                parts[part] = _Part(files[0], part, False)
        where = "{0}.csv or {0}.xlsx"
    elif path.is_file():
        if not path.read_bytes()[:4] == b"PK\x03\x04":
            raise DataError(f"{path}: an edition is a folder or an XLSX workbook with one sheet per part")
        try:
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheets = book.sheet_names
        except Exception as exc:  # a damaged workbook fails in zipfile, XML parsing or openpyxl, each its own way
            raise DataError(f"{path}: not a readable XLSX workbook ({exc})") from None
        parts = {part: _Part(path, part, True) for part in names if part in sheets}
        where = "a sheet named {0!r}"
    else:
        raise DataError(f"{path}: no such folder or workbook")
    for part in required:
        if part not in parts:
            what = "top-5 list (表10–12)" if part == "top5" else f"{part} panel"
            raise DataError(f"{path}: the edition has no {what}: add {where.format(part)}")
    return parts


def _level_of(part: _Part, level: str) -> str | None:
    """The other level whose regions every name of ``part``'s region column resolves to, if there is one."""
    frame, _ = read_table(part.path, sheet=part.sheet)
    names = [name for name in frame.get("region", []) if name.strip()]
    for other in (lv for lv in LEVELS if lv != level):
        try:
            for name in names:
                resolve(name, other)
        except RegionError:
            continue
        return other if names else None
    return None


def _panel(part: _Part, level, scheme, empty: bool) -> pd.DataFrame:
    try:
        return load_panel(part.path, scheme.for_regions(level), level, empty)
    except RegionError as exc:
        other = _level_of(part, level) if isinstance(level, str) and level in LEVELS else None
        if other:
            raise DataError(
                f"{part}: the {level} panel holds {other} regions (every name is a {other}): is it the {other} panel?"
            ) from None
        raise type(exc)(f"sheet {part.sheet!r}: {exc}" if part.workbook else str(exc)) from None
    except DataError as exc:
        raise type(exc)(f"sheet {part.sheet!r}: {exc}" if part.workbook else str(exc)) from None


def check_levels_agree(panels: dict, files: dict | None = None) -> None:
    """Raise :class:`DataError` if a region in two levels' panels (成都) has different raw values in them,
    naming the region, the column and both values (and the files, given ``files`` by level)."""
    files = arguments.optional(arguments.instance, files, "files", dict, "a dict of files by level") or {}
    where = {level: f" ({files[level]})" if level in files else "" for level in LEVELS}
    arguments.instance(panels, "panels", dict, "a dict of panels by level")
    for first, second in combinations([lv for lv in LEVELS if lv in panels], 2):
        a, b = panels[first], panels[second]
        for region in a.index.intersection(b.index):
            for column in a.columns.intersection(b.columns):
                x, y = a.at[region, column], b.at[region, column]
                if x != y and not (np.isnan(x) and np.isnan(y)):  # both empty agree
                    raise DataError(
                        f"region {region} ({regions(first).at[region, 'name']}), column {column!r}: {x:.15g} in the "
                        f"{first} panel{where[first]} but {y:.15g} in the {second} panel{where[second]}; a region at "
                        "two levels has one set of raw values"
                    )


def _top5(part: _Part) -> pd.DataFrame:
    """The top-5 lists of ``part``, validated: known categories, ranks 1 to 5 once each per category, names
    filled in, destinations that are provinces."""
    frame, lines = read_table(part.path, sheet=part.sheet)
    frame = frame.apply(lambda column: column.str.strip())
    optional = ["destination_id"] if "destination_id" in frame else []
    expected = [*TOP5_COLUMNS, *optional]
    if list(frame.columns) != expected:
        raise DataError(f"{part}: the columns must be {', '.join(TOP5_COLUMNS)} (and optionally destination_id)")
    categories = list(TOP5_TABLES.values())
    for row, (line, category) in enumerate(zip(lines, frame["category"]), 1):
        if category not in categories:
            raise DataError(
                f"{part}: line {line} (row {row}): category {category!r} is not one of {', '.join(categories)}"
            )
    try:
        frame["rank"] = [int(r) for r in frame["rank"]]
    except ValueError:
        row = next(n for n, r in enumerate(frame["rank"]) if not r.lstrip("-").isdigit())
        raise DataError(
            f"{part}: line {lines[row]} (row {row + 1}): rank {frame['rank'].iat[row]!r} is not a whole number"
        ) from None
    for category in categories:
        ranks = frame.loc[frame["category"] == category, "rank"]
        if ranks.empty:
            raise DataError(f"{part}: no {category} list: each of {', '.join(categories)} needs ranks 1 to 5")
        tied = ranks[ranks.duplicated(keep=False)]
        if len(tied):
            at = ", ".join(str(lines[k]) for k in tied.index)
            raise DataError(f"{part}: {category}: rank {tied.iat[0]} appears {len(tied)} times (lines {at})")
        if sorted(ranks) != list(RANKS):
            gaps = [r for r in RANKS if r not in set(ranks)]
            extra = [r for r in ranks if r not in RANKS]
            fault = f"rank {extra[0]} is not 1 to 5" if extra else f"no rank {gaps[0]}"
            raise DataError(f"{part}: {category}: {fault} (ranks must be 1 to 5, once each)")
    ids = []
    for row, (line, name) in enumerate(zip(lines, frame["destination"]), 1):
        try:
            ids.append(resolve(name, "province") if name else "")
        except RegionError as exc:
            raise RegionError(f"{part}: line {line} (row {row}), column 'destination': {exc}") from None
        if ids[-1] == SICHUAN:
            raise DataError(
                f"{part}: line {line} (row {row}), column 'destination': {name} is Sichuan itself; the column is the "
                "main market outside Sichuan (主要销往外地)"
            )
        given = frame["destination_id"].iat[row - 1] if optional else ""
        if given and given != ids[-1]:
            raise DataError(f"{part}: line {line} (row {row}): destination_id {given!r} is not {name!r} ({ids[-1]})")
    frame["destination_id"] = ids
    lists = []
    for number, category in TOP5_TABLES.items():
        rows = frame.index[frame["category"] == category]
        table = frame.loc[rows].sort_values("rank").assign(table=number)[["table", *TOP5_COLUMNS, "destination_id"]]
        valid = schemas.validate(
            table.reset_index(drop=True),
            schemas.top5_schema(number, regions("province").index),
            part,
            [lines[k] for k in table.index],
        )
        lists.append(valid.drop(columns="table"))
    return pd.concat(lists, ignore_index=True)


def load_inputs(path: Path | str, scheme=None, levels=LEVELS, empty: bool = False, registry=None) -> EditionInputs:
    """An edition's inputs from the folder or XLSX workbook at ``path``, each part validated: the panels of
    ``levels`` (all three by default; none, ``()``, for the top-5 lists and facts alone) against ``scheme`` (a
    :class:`~livecommerce.index.scheme.Scheme`, needed for panels), an empty cell an error unless ``empty`` (then
    NaN, for :func:`livecommerce.index.impute.fill_missing`).

    ``levels`` may instead be one other region set (:func:`livecommerce.data.regions.region_set`, with
    ``registry`` a user's): the edition then holds its panel (``county-510000.csv``, or a sheet of that name: the
    set's :attr:`~livecommerce.data.regions.RegionSet.sheet`) and, optionally, top-5 lists and facts."""
    path = Path(arguments.path(path, "path"))
    if registry is not None or isinstance(levels, RegionSet) or (isinstance(levels, str) and levels not in LEVELS):
        chosen = region_set(levels, registry)
        if not chosen.named:
            return _set_inputs(path, chosen, scheme, empty)
        levels = [chosen.level]
    levels = [arguments.choice(level, "levels", LEVELS) for level in arguments.names(levels, "levels")]
    if levels or scheme is not None:
        check_scheme(scheme)
    arguments.flag(empty, "empty")
    parts = _locate(path)
    panels = {level: _panel(parts[level], level, scheme, empty) for level in LEVELS if level in levels}
    check_levels_agree(panels, {level: str(parts[level]) for level in panels})
    return _inputs(path, parts, panels, scheme)


def _set_inputs(path: Path, chosen: RegionSet, scheme, empty: bool) -> EditionInputs:
    """:func:`load_inputs` of an edition of one region set other than the report's three."""
    check_scheme(scheme)
    arguments.flag(empty, "empty")
    parts = _locate(path, (chosen.sheet, "top5", "facts"), (chosen.sheet,))
    return _inputs(path, parts, {chosen.level: _panel(parts[chosen.sheet], chosen, scheme, empty)}, scheme)


def _inputs(path: Path, parts: dict, panels: dict, scheme) -> EditionInputs:
    """The edition's inputs: ``panels`` as read, the top-5 lists (none if it has none) and facts of ``parts``."""
    facts = None
    if "facts" in parts:
        raw, lines = read_table(parts["facts"].path, sheet="facts")
        facts = facts_frame(raw, parts["facts"], lines)
    top5 = _top5(parts["top5"]) if "top5" in parts else pd.DataFrame(columns=[*TOP5_COLUMNS, "destination_id"])
    source = {
        "path": str(path),
        "kind": "workbook" if path.is_file() else "folder",
        "parts": {part: {"path": str(p.path), "sheet": p.sheet if p.workbook else None} for part, p in parts.items()},
    }
    return EditionInputs(panels=panels, top5=top5, facts=facts, scheme=scheme, source=source)


def _top5_template() -> list[list]:
    """An empty top-5 file as rows of cells: each category with ranks 1 to 5, names and destinations blank."""
    rows = [[category, rank, "", "", ""] for category in TOP5_TABLES.values() for rank in RANKS]
    return [
        [
            "# the top-5 lists behind 表10–12: brand, shop and destination province (as printed) per rank",
            "",
            "",
            "",
            "",
        ],
        list(TOP5_COLUMNS),
        *rows,
    ]


def template_paths(path: Path | str) -> list[Path]:
    """The files :func:`write_inputs_template` writes for ``path``: the workbook itself, or one CSV per part."""
    path = Path(arguments.path(path, "path"))
    return [path] if path.suffix.lower() == ".xlsx" else [path / f"{part}.csv" for part in PARTS[:-1]]


def write_inputs_template(path: Path | str, scheme) -> list[Path]:
    """Write an empty edition to fill in: an XLSX workbook with sheets province, city, prefecture and top5 if
    ``path`` ends in ``.xlsx``, else a folder of those CSV files (:func:`template_paths`). Facts (``facts.csv``
    or a sheet ``facts``, the columns of ``data/published/facts.csv``) are optional and left out; the panels have
    the indicators of ``scheme`` (a :class:`~livecommerce.index.scheme.Scheme`). Returns the files written."""
    targets = template_paths(path)
    check_scheme(scheme)
    sheets = {level: template_rows(scheme, level) for level in LEVELS} | {"top5": _top5_template()}
    if len(targets) == 1:
        return [write_rows(targets[0], sheets)]
    return [write_rows(target, {target.stem: sheets[target.stem]}) for target in targets]


def previous_tables(folder: Path | str, level: str) -> pd.DataFrame:
    """The ranked measures of ``level`` (overall, people, goods, venue; columns) by region, read back from the
    output folder of a previous report run: its ``tables/table0N.csv`` (表1–3, 4–9, 13–15 of the level)."""
    check_level(level)
    folder = Path(arguments.path(folder, "folder"))
    columns = {}
    for number, measures in INDEX_TABLES[level].items():
        path, measure = folder / "tables" / f"table{number:02d}.csv", measures[0]
        if not path.is_file():
            raise DataError(f"{folder}: no tables/{path.name}; is it the output folder of a {level} report run?")
        frame = read_csv(path, dtype=str, keep_default_na=False)
        for column in ("region_id", measure):
            if column not in frame:
                raise DataError(f"{path}: no column {column!r}")
        for line, region_id in enumerate(frame["region_id"], 2):
            if region_id not in regions(level).index:
                raise RegionError(f"{path}: line {line}, column 'region_id': {region_id!r} is not a {level} region")
        if frame["region_id"].duplicated().any():
            raise DataError(
                f"{path}: region {frame['region_id'][frame['region_id'].duplicated()].iat[0]} appears twice"
            )
        values = pd.to_numeric(frame[measure], errors="coerce")
        wrong = ~np.isfinite(values.to_numpy(float))  # text, or an infinity (inf, 1e999)
        if wrong.any():
            row = int(wrong.argmax())
            raise DataError(
                f"{path}: line {row + 2}, column {measure!r}, region {frame['region_id'].iat[row]}: "
                f"{frame[measure].iat[row]!r} is not a finite number"
            )
        columns[measure] = pd.Series(values.to_numpy(float), index=pd.Index(frame["region_id"], name="region_id"))
    return pd.DataFrame(columns)
