"""An edition's inputs (一期报告的输入): the raw panels of every level, the top-5 lists behind 表10–12 and,
optionally, the facts of chapters 1–2, from one folder or one XLSX workbook, validated once.

A folder holds ``province.csv`` (or ``.xlsx``), ``city.*``, ``prefecture.*``, ``top5.*`` and optionally
``facts.*`` and ``metadata.*`` (the edition's front matter: :class:`Metadata`); a workbook holds sheets of those
names. Every fault is a :class:`~livecommerce.errors.DataError`
naming the file (and sheet), line and region. A region at two levels (成都, a city and a prefecture) must have
the same raw values in both panels, as the published tables print the same scores for it: a difference is an
error naming both values. :func:`write_inputs_template` writes an empty edition to fill in.

The previous edition, for growth and rank change (:mod:`livecommerce.study.compare`), is a study (the published
2023 report: ``"published"``) or a previous run's output folder, whose ``tables/table0N.csv`` :func:`previous_tables`
reads back.
"""

import re
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments, words
from livecommerce.data import schemas
from livecommerce.data.io import read_csv, read_table, write_rows
from livecommerce.data.panel import check_scheme, load_panel, template_rows
from livecommerce.data.published import facts_frame
from livecommerce.data.regions import RegionSet, region_set, regions, resolve
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.vocab import LANGS, LEVELS, TOP5_TABLES

__all__ = [
    "EditionInputs",
    "Metadata",
    "PARTS",
    "RANKS",
    "SICHUAN",
    "SUFFIXES",
    "TOP5_COLUMNS",
    "check_levels_agree",
    "given_metadata",
    "load_inputs",
    "report_metadata",
    "previous_tables",
    "template_paths",
    "write_inputs_template",
]

PARTS = (*LEVELS, "top5", "facts", "metadata")
"""The parts of an edition, each a file (by its stem) of a folder or a sheet of a workbook; ``facts`` and
``metadata`` are optional."""

REQUIRED = PARTS[:4]
"""The parts every edition has."""

SUFFIXES = (".csv", ".xlsx")

TOP5_COLUMNS = ("category", "rank", "brand", "shop", "destination")
SICHUAN = "510000"
"""A top-5 list's destination is a province other than Sichuan (主要销往外地: the main market outside it)."""
"""The columns of a top-5 file; ``destination_id`` may follow and must then agree with ``destination``."""

RANKS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Metadata:
    """An edition's front matter, printed on the cover and title page, in the PDF's, DOCX's and HTML's properties,
    and in the 来源 lines that name the edition's data: ``title``, ``year``, the ``period`` its data cover, the
    ``client`` (委托单位), the ``authors``, the data ``provider`` and the ``date`` of the edition. Fields an edition
    leaves out default from its year (:meth:`completed`). ``unrewritten`` is the author's choice for a section text
    written for another edition: ``mark`` it (the default) or ``omit`` it (:data:`livecommerce.words.UNREWRITTEN`).
    ``given_data`` is set for a run of data given without an edition (records, a raw panel: :func:`given_metadata`):
    no author wrote its text, so the package's, written for the 2023 report's numbers, is another edition's in any
    year."""

    title: str = ""
    year: int | None = None
    period: str = ""
    client: str = ""
    authors: tuple[str, ...] = ()
    provider: str = ""
    date: str = ""
    unrewritten: str = "mark"
    given_data: bool = False

    def completed(self, lang: str = "zh") -> "Metadata":
        """The metadata with every field it leaves empty defaulted in ``lang`` from its year: the report's title
        with the year (without one if the year is unknown), the year as period and date."""
        defaults = {"title": words.text("report_title_plain", lang)}
        if self.year is not None:
            when = words.text("year", lang, year=self.year)
            defaults = {"title": words.text("report_title", lang, year=self.year), "period": when, "date": when}
        return replace(self, **{k: v for k, v in defaults.items() if not getattr(self, k)})

    def data_name(self, lang: str = "zh") -> str:
        """The edition's data by the name its metadata declare: its provider and period."""
        if self.provider:
            return words.text("edition_data", lang, provider=self.provider, period=self.period)
        return words.text("edition_data_plain", lang, period=self.period or self.title)


def report_metadata(lang: str = "zh") -> Metadata:
    """The 2023 report's own front matter (:data:`livecommerce.words.REPORT_METADATA`) in ``lang``."""
    given = {key: words.word(words.REPORT_METADATA, key, lang) for key in words.REPORT_METADATA}
    return Metadata(**{**given, "year": 2023, "authors": tuple(given["authors"].split("|"))})


def given_metadata(provider: str, lang: str = "zh", period=None, name: str = "") -> Metadata:
    """The front matter of a run of data given without an edition (records, a raw panel): the data ``provider``,
    the year and ``period`` (first and last day: 2023年前三季度 for 2023-01-01 to 2023-09-30; none given, the year a
    file ``name`` such as ``panel_2024.csv`` gives), never the 2023 report's 委托单位, authors or provider."""
    if period is None:
        return Metadata(year=_year_in(name), provider=provider, given_data=True)
    first, last = period
    return Metadata(year=int(last[:4]), period=words.days(first, last, lang), provider=provider, given_data=True)


@dataclass(frozen=True)
class EditionInputs:
    """An edition's validated inputs: ``panels`` by level (as :func:`livecommerce.data.panel.load_panel` reads them,
    not yet imputed: :func:`livecommerce.index.impute.fill_missing`), ``top5`` (category, rank, brand, shop,
    destination, destination_id: 表10–12's rows without ``table``), ``facts`` (as
    :func:`livecommerce.data.published.load_facts` gives them) or None, the ``scheme`` the panels were checked
    against (a :class:`~livecommerce.index.scheme.Scheme`, None without panels), ``source``: the path, its kind
    (folder or workbook) and each part's file and sheet, and its ``metadata`` (:class:`Metadata`)."""

    panels: dict
    top5: pd.DataFrame
    facts: pd.DataFrame | None
    scheme: object
    source: dict
    metadata: Metadata = field(default_factory=Metadata)

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


def _names(part: str) -> list[str]:
    """The names a part's file (by its stem) or sheet may have: English, then Chinese (:data:`words.PART_NAMES`);
    a region set's panel (``county-510000``) has the one name of its set's sheet."""
    if part not in words.PART_NAMES:
        return [part]
    return list(dict.fromkeys(words.PART_NAMES[part][lang] for lang in sorted(LANGS, key=lambda lang: lang != "en")))


def _locate(path: Path, names=PARTS, required=REQUIRED) -> dict[str, _Part]:
    """Each part of ``names`` present in the edition at ``path``, by its English or Chinese name; an error naming
    every one of ``required`` it lacks."""
    if path.is_dir():
        parts = {}
        for part in names:
            files = [path / f"{name}{suffix}" for name in _names(part) for suffix in SUFFIXES]
            files = [f for f in files if f.is_file()]
            if len(files) > 1:
                raise DataError(f"{path}: both {files[0].name} and {files[1].name}; keep one")
            if files:
                parts[part] = _Part(files[0], files[0].stem, False)
        where = "{0}.csv or {0}.xlsx"
    elif path.is_file():
        if not path.read_bytes()[:4] == b"PK\x03\x04":
            raise DataError(f"{path}: an edition is a folder or an XLSX workbook with one sheet per part")
        try:
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheets = book.sheet_names
        except Exception as exc:  # a damaged workbook fails in zipfile, XML parsing or openpyxl, each its own way
            raise DataError(f"{path}: not a readable XLSX workbook ({exc})") from None
        parts = {}
        for part in names:
            named = [name for name in _names(part) if name in sheets]
            if len(named) > 1:
                raise DataError(f"{path}: both sheets {named[0]!r} and {named[1]!r}; keep one")
            if named:
                parts[part] = _Part(path, named[0], True)
        where = "a sheet named {0!r}"
    else:
        raise DataError(f"{path}: no such folder or workbook")
    missing = [part for part in required if part not in parts]
    if missing:
        what = ["top-5 list (表10–12)" if part == "top5" else f"{part} panel" for part in missing]
        add = [" or ".join(where.format(name) for name in _names(part)) for part in missing]
        raise DataError(f"{path}: the edition has no " + "; no ".join(f"{w}: add {a}" for w, a in zip(what, add)))
    return parts


def _level_of(part: _Part, level: str) -> str | None:
    """The other level whose regions every name of ``part``'s region column resolves to, if there is one."""
    frame, _ = read_table(part.path, sheet=part.sheet)
    frame = frame.rename(columns={n: c for c, by in words.INPUT_COLUMNS.items() for n in by.values()})
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
        return load_panel(part.path, scheme.for_regions(level), level, empty, sheet=part.sheet)
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
    naming, for every such value, the region, the column and both values (and the files, given ``files`` by
    level)."""
    files = arguments.optional(arguments.instance, files, "files", dict, "a dict of files by level") or {}
    where = {level: f" ({files[level]})" if level in files else "" for level in LEVELS}
    arguments.instance(panels, "panels", dict, "a dict of panels by level")
    faults = []
    for first, second in combinations([lv for lv in LEVELS if lv in panels], 2):
        a, b = panels[first], panels[second]
        for region in a.index.intersection(b.index):
            for column in a.columns.intersection(b.columns):
                x, y = a.at[region, column], b.at[region, column]
                if x != y and not (np.isnan(x) and np.isnan(y)):  # both empty agree
                    faults.append(
                        f"region {region} ({regions(first).at[region, 'name']}), column {column!r}: {x:.15g} in the "
                        f"{first} panel{where[first]} but {y:.15g} in the {second} panel{where[second]}"
                    )
    if faults:
        raise DataError("; ".join(faults) + "; a region at two levels has one set of raw values")


def _top5(part: _Part) -> pd.DataFrame:
    """The top-5 lists of ``part``, validated: known categories, ranks 1 to 5 once each per category, names
    filled in, destinations that are provinces."""
    frame, lines = read_table(part.path, sheet=part.sheet)
    frame = frame.apply(lambda column: column.str.strip())
    frame = frame.rename(columns={n: c for c, by in words.INPUT_COLUMNS.items() for n in by.values()})
    optional = ["destination_id"] if "destination_id" in frame else []
    expected = [*TOP5_COLUMNS, *optional]
    if list(frame.columns) != expected:
        zh = "、".join(words.INPUT_COLUMNS[c]["zh"] for c in TOP5_COLUMNS)
        raise DataError(
            f"{part}: the columns must be {zh} or {', '.join(TOP5_COLUMNS)} (and optionally destination_id)"
        )
    categories = list(TOP5_TABLES.values())
    faults = []  # every fault of the file, reported together
    for row, (line, category) in enumerate(zip(lines, frame["category"]), 1):
        if category not in categories:
            faults.append(f"line {line} (row {row}): category {category!r} is not one of {', '.join(categories)}")
    whole = frame["rank"].str.fullmatch(r"-?\d+")
    for row in (n for n, ok in enumerate(whole) if not ok):
        faults.append(f"line {lines[row]} (row {row + 1}): rank {frame['rank'].iat[row]!r} is not a whole number")
    frame["rank"] = [int(r) if ok else 0 for r, ok in zip(frame["rank"], whole)]
    for category in categories:
        ranks = frame.loc[(frame["category"] == category) & whole, "rank"]
        if ranks.empty:
            faults.append(f"no {category} list: each of {', '.join(categories)} needs ranks 1 to 5")
            continue
        tied = ranks[ranks.duplicated(keep=False)]
        if len(tied):
            at = ", ".join(str(lines[k]) for k in tied.index)
            faults.append(f"{category}: rank {tied.iat[0]} appears {len(tied)} times (lines {at})")
        elif sorted(ranks) != list(RANKS):
            gaps = [r for r in RANKS if r not in set(ranks)]
            extra = [r for r in ranks if r not in RANKS]
            fault = f"rank {extra[0]} is not 1 to 5" if extra else f"no rank {gaps[0]}"
            faults.append(f"{category}: {fault} (ranks must be 1 to 5, once each)")
    ids, kind = [], DataError
    for row, (line, name) in enumerate(zip(lines, frame["destination"]), 1):
        where = f"line {line} (row {row}), column 'destination'"
        try:
            ids.append(resolve(name, "province") if name else "")
        except RegionError as exc:
            faults.append(f"{where}: {exc}")
            kind = RegionError if len(faults) == 1 else DataError
            ids.append("")
            continue
        if ids[-1] == SICHUAN:
            faults.append(
                f"{where}: {name} is Sichuan itself; the column is the main market outside Sichuan (主要销往外地)"
            )
        given = frame["destination_id"].iat[row - 1] if optional else ""
        if given and given != ids[-1]:
            faults.append(f"line {line} (row {row}): destination_id {given!r} is not {name!r} ({ids[-1]})")
    if faults:
        raise (kind if len(faults) == 1 else DataError)(f"{part}: " + "; ".join(faults))
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
    set's :attr:`~livecommerce.data.regions.RegionSet.sheet`) and, optionally, top-5 lists, facts and metadata."""
    path = Path(arguments.path(path, "path"))
    if registry is not None or isinstance(levels, RegionSet) or (isinstance(levels, str) and levels not in LEVELS):
        try:
            chosen = region_set(levels, registry)
        except ParameterError as exc:  # named as this function's argument
            raise ParameterError(f"levels={levels!r}: {exc}") from None
        if not chosen.named:
            return _set_inputs(path, chosen, scheme, empty)
        levels = [chosen.level]
    levels = [arguments.choice(level, "levels", LEVELS) for level in arguments.names(levels, "levels")]
    if levels or scheme is not None:
        check_scheme(scheme)
    arguments.flag(empty, "empty")
    parts = _locate(path)
    return _inputs(path, parts, {level: (parts[level], level) for level in LEVELS if level in levels}, scheme, empty)


def _set_inputs(path: Path, chosen: RegionSet, scheme, empty: bool) -> EditionInputs:
    """:func:`load_inputs` of an edition of one region set other than the report's three."""
    check_scheme(scheme)
    arguments.flag(empty, "empty")
    parts = _locate(path, (chosen.sheet, "top5", "facts", "metadata"), (chosen.sheet,))
    return _inputs(path, parts, {chosen.level: (parts[chosen.sheet], chosen)}, scheme, empty)


def _inputs(path: Path, parts: dict, panels: dict, scheme, empty: bool) -> EditionInputs:
    """The edition's inputs: its ``panels`` (each a part and its region set, by name) read, the top-5 lists (none
    if it has none), facts and metadata of ``parts``; every fault of every part told together."""
    faults = []

    def read(reader, *args):
        """What ``reader`` reads, or None with its fault kept, so that every part is read and every fault told."""
        try:
            return reader(*args)
        except DataError as exc:
            faults.append(exc)
            return None

    files = {name: str(part) for name, (part, _) in panels.items()}
    panels = {name: read(_panel, part, level, scheme, empty) for name, (part, level) in panels.items()}
    top5 = read(_top5, parts["top5"]) if "top5" in parts else pd.DataFrame(columns=[*TOP5_COLUMNS, "destination_id"])
    facts = read(_facts, parts["facts"]) if "facts" in parts else None
    metadata = read(_metadata, parts["metadata"]) if "metadata" in parts else Metadata()
    if not faults:
        read(check_levels_agree, panels, files)
    if len(faults) == 1:
        raise faults[0]
    if faults:
        raise DataError(f"{path}: {len(faults)} faults\n" + "\n".join(str(f) for f in faults))
    source = {
        "path": str(path),
        "kind": "workbook" if path.is_file() else "folder",
        "parts": {part: {"path": str(p.path), "sheet": p.sheet if p.workbook else None} for part, p in parts.items()},
    }
    metadata = metadata if metadata.year is not None else replace(metadata, year=_year_in(path.name))
    return EditionInputs(panels=panels, top5=top5, facts=facts, scheme=scheme, source=source, metadata=metadata)


def _facts(part: _Part) -> pd.DataFrame:
    """The facts of chapters 1–2 an edition gives (:func:`livecommerce.data.published.facts_frame`)."""
    raw, lines = read_table(part.path, sheet=part.sheet)
    return facts_frame(raw, part, lines)


def _year_in(name: str) -> int | None:
    """The year an edition's folder or workbook name gives (``edition_2024``), if it gives one."""
    found = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", name)
    return int(found[-1]) if len(found) == 1 else None


_FIELD_OF = {name: key for key, names in words.METADATA_FIELDS.items() for name in names.values()}
"""Each metadata field by any of its names (报告名称 or title …)."""


_CHOICE = {name: key for key, names in words.UNREWRITTEN.items() for name in names.values()}
"""Each choice for the sections not rewritten, by any of its names (标注 or mark …)."""


def _metadata(part: _Part) -> Metadata:
    """An edition's metadata from ``part``: a field column and a value column (项目, 内容 or field, value), one
    row per field, an empty value left out; every fault named with its line, all at once. Fields left out default
    from the year (:meth:`Metadata.completed`), itself from the edition's name (``edition_2024``) if left out."""
    frame, lines = read_table(part.path, sheet=part.sheet)
    columns = [words.METADATA_COLUMNS[c] for c in ("field", "value")]
    header = list(frame.columns)
    if not any(header == [names[lang] for names in columns] for lang in LANGS):
        raise DataError(f"{part}: the columns must be 项目, 内容 (or field, value), not {', '.join(header)}")
    given, faults = {}, []
    for line, (name, value) in zip(lines, frame.itertuples(index=False)):
        key, value = _FIELD_OF.get(name.strip()), value.strip()
        where = f"line {line}, column {header[0]!r}"
        if key is None:
            faults.append(f"{where}: {name!r} is not a field ({', '.join(_FIELD_OF)})")
        elif key in given:
            faults.append(f"{where}: {name!r} is given twice")
        elif key == "year" and value and not re.fullmatch(r"(19|20)\d\d", value):
            faults.append(f"line {line}, column {header[1]!r}: year {value!r} is not a year such as 2024")
        elif key == "unrewritten" and value and value not in _CHOICE:
            faults.append(f"line {line}, column {header[1]!r}: {value!r} is not one of {', '.join(_CHOICE)}")
        else:
            given[key] = _CHOICE.get(value, value) if key == "unrewritten" else value
    if faults:
        raise DataError(f"{part}: " + "; ".join(faults))
    authors = tuple(a.strip() for a in re.split(r"[、;；\n]", given.pop("authors", "")) if a.strip())
    year = given.pop("year", "")
    return Metadata(year=int(year) if year else None, authors=authors, **{k: v for k, v in given.items() if v})


def _top5_template(lang: str) -> list[list]:
    """An empty top-5 file as rows of cells, headed in ``lang``: each category with ranks 1 to 5, names and
    destinations blank."""
    rows = [[category, rank, "", "", ""] for category in TOP5_TABLES.values() for rank in RANKS]
    note = words.word(words.TEMPLATE_NOTES, "top5", lang)
    return [[note, "", "", "", ""], [words.word(words.INPUT_COLUMNS, c, lang) for c in TOP5_COLUMNS], *rows]


def _metadata_template(lang: str) -> list[list]:
    """An empty metadata file as rows of cells, in ``lang``: each field by its name, its value blank."""
    note = words.word(words.TEMPLATE_NOTES, "metadata", lang)
    columns = [words.word(words.METADATA_COLUMNS, c, lang) for c in ("field", "value")]
    return [[note, ""], columns, *([names[lang], ""] for names in words.METADATA_FIELDS.values())]


def _template_sets(level, registry) -> list[RegionSet]:
    """The region sets an edition template holds: the report's three (``level`` None), or one region set."""
    if level is None and registry is None:
        return [region_set(lv) for lv in LEVELS]
    chosen = region_set(level, registry)
    return [region_set(lv) for lv in LEVELS] if chosen.named else [chosen]


def _template_parts(level, registry) -> list[str]:
    """The parts an edition template holds: each set's panel (by its sheet), the top-5 lists of the report's
    three, and the metadata (facts are optional and left out)."""
    sets = _template_sets(level, registry)
    return [s.sheet for s in sets] + (["top5"] if len(sets) > 1 else []) + ["metadata"]


def _part_name(part: str, lang: str) -> str:
    """A part's file stem or sheet name in ``lang`` (:data:`words.PART_NAMES`); a region set's panel its sheet."""
    return words.word(words.PART_NAMES, part, lang) if part in words.PART_NAMES else part


def template_paths(path: Path | str, level=None, registry=None, lang: str = "zh") -> list[Path]:
    """The files :func:`write_inputs_template` writes for ``path``: the workbook itself, or one CSV per part,
    named in ``lang``."""
    path = Path(arguments.path(path, "path"))
    names = [_part_name(part, lang) for part in _template_parts(level, registry)]
    return [path] if path.suffix.lower() == ".xlsx" else [path / f"{name}.csv" for name in names]


def write_inputs_template(path: Path | str, scheme, level=None, registry=None, lang: str = "zh") -> list[Path]:
    """Write an empty edition to fill in, named and headed in ``lang`` (Chinese by default: sheets 省级, 副省级城市,
    四川市州, TOP5 and 封面信息, units in Chinese): an XLSX workbook with a sheet per part if ``path`` ends in
    ``.xlsx``, else a folder of one CSV file per part (:func:`template_paths`). Facts (``facts.csv`` or a sheet
    ``facts``, the columns of ``data/published/facts.csv``) are optional and left out; the panels have the
    indicators of ``scheme`` (a :class:`~livecommerce.index.scheme.Scheme`). Returns the files written.

    ``level`` (with ``registry``, a user registry's: :func:`~livecommerce.data.regions.region_set`) names one
    region set other than the report's three: the edition then holds its panel (``county-510000.csv`` or a sheet
    of that name) and its metadata (top-5 lists and facts are optional there, as :func:`load_inputs` reads them)."""
    targets = template_paths(path, level, registry, lang)
    check_scheme(scheme)
    sets = _template_sets(level, registry)
    sheets = {s.sheet: template_rows(scheme, s, lang=lang) for s in sets}
    if len(sets) > 1:
        sheets["top5"] = _top5_template(lang)
    sheets["metadata"] = _metadata_template(lang)
    sheets = {_part_name(part, lang): rows for part, rows in sheets.items()}
    if len(targets) == 1:
        return [write_rows(targets[0], sheets)]
    return [write_rows(target, {target.stem: sheets[target.stem]}) for target in targets]


def previous_tables(folder: Path | str, level, registry=None) -> pd.DataFrame:
    """The ranked measures of the region set ``level`` (overall, people, goods, venue; columns) by region, read back
    from the output folder of a previous report run of that set: its ``tables/table0N.csv`` (the set's
    :attr:`~livecommerce.data.regions.RegionSet.index_tables`: 表1–3, 4–9, 13–15 of the report's three sets, 表1, 4,
    7 and 13 of any other). ``level`` is a :class:`~livecommerce.data.regions.RegionSet` or its name (with
    ``registry``, a user registry's, :func:`~livecommerce.data.regions.region_set`)."""
    chosen = region_set(level, registry)
    level = chosen.level
    folder = Path(arguments.path(folder, "folder"))
    columns = {}
    for number, measures in chosen.index_tables.items():
        path, measure = folder / "tables" / f"table{number:02d}.csv", measures[0]
        if not path.is_file():
            raise DataError(f"{folder}: no tables/{path.name}; is it the output folder of a {level} report run?")
        frame = read_csv(path, dtype=str, keep_default_na=False)
        for column in ("region_id", measure):
            if column not in frame:
                raise DataError(f"{path}: no column {column!r}")
        for line, region_id in enumerate(frame["region_id"], 2):
            if region_id not in chosen.ids:
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
