"""Raw panels: one row per region, one column per raw indicator of a scheme, in raw units.

A panel file is a CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it) or an XLSX
workbook (the sheet named for the level if there is one, else the first) with a ``region`` column (any
name the registry knows, or the six-digit code), an optional ``region_id`` column that, when filled,
must agree with it, and one column per indicator of the scheme. Lines (rows) starting with ``#`` above
the header are comments; blank lines are skipped.
``data/raw/README.md`` documents the columns; :func:`template` writes an empty panel.
"""

import os
import re
import unicodedata
from functools import cache, partial
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.imputation.mice import MICEData

from livecommerce import arguments, words
from livecommerce.data import schemas
from livecommerce.data.io import read_table, write_rows
from livecommerce.data.regions import check_level, matches, regions, resolve
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.index.scheme import Scheme, load_scheme


def _scheme(scheme) -> Scheme:
    if isinstance(scheme, Scheme):
        return scheme
    if scheme is None or isinstance(scheme, (str, os.PathLike)):
        return load_scheme(scheme)
    raise ParameterError(f"scheme={scheme!r} is neither a Scheme nor the path of a scheme file")


MISSING = ("error", "drop", "median", "mean", "macro_mean", "parent_mean", "mice")
"""What to do with an empty cell: refuse the file (the default), drop the region, or impute it: the indicator's
median or mean over the other regions, the mean of the region's group (``macro_mean``: the NBS macro region of
the registry, 东部/中部/西部/东北; ``parent_mean``: the parent province of a city or prefecture), or chained
equations (``mice``). The choice and what it did are kept in ``frame.attrs["missing"]``; see :func:`fill_missing`."""

SCREENS = ("flag", "drop")
"""What coverage screening does with a region whose share of filled-in indicators is below the threshold."""

MICE_ITERATIONS = 10
"""Cycles of chained equations before the imputed values are taken (statsmodels' MICE burn-in default)."""

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(cell: str) -> str:
    """Fold full-width digits and signs (NFKC), drop spaces and thousands separators (1,234,567)."""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return text.replace(",", "") if _GROUPED.match(text) else text


def load_panel(
    path: Path | str,
    scheme: Scheme | str | None = None,
    level: str = "province",
    missing: str = "error",
    **screening,
) -> pd.DataFrame:
    """A raw panel file as a frame of indicators indexed by ``region_id``, checked against the scheme.

    Numbers may use full-width digits and thousands separators; region names any form the registry
    knows. ``missing`` is one of :data:`MISSING`; ``screening`` (``coverage``, ``screen``, ``seed``) goes to
    :func:`fill_missing`. ``frame.attrs["source"]`` records what was read (path,
    format, encoding, sheet; see :func:`livecommerce.data.io.read_table`), ``frame.attrs["missing"]`` the gaps.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    check_level(level)
    if not isinstance(missing, str) or missing not in MISSING:
        raise ParameterError(f"missing={missing!r} is not one of {', '.join(MISSING)}")
    scheme, path = _scheme(scheme), Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    region = cache(partial(_region, level=level))
    frame, lines = read_table(path, sheet=level, unique=lambda row: region(row.get("region"), row.get("region_id")))
    source = frame.attrs["source"]
    numeric = [c for c in frame.columns if c not in ("region_id", "region")]
    frame[numeric] = frame[numeric].map(_number_text).replace("", float("nan"))
    if numeric and len(frame) and frame[numeric].isna().all().all():
        raise DataError(f"{path}: no indicator value is filled in (an empty template?): fill in the panel first")
    schema = schemas.panel_schema({id: i.valid for id, i in scheme.indicators.items()}, nullable=missing != "error")
    frame = schemas.validate(frame, schema, path, lines)
    ids = []
    for row, (line, name) in enumerate(zip(lines, frame["region"])):
        where = f"{path}: line {line} (row {row + 1})"
        try:
            region_id = resolve(name, level)
        except RegionError as exc:
            raise RegionError(f"{where}: {exc}") from None
        given = frame["region_id"].iat[row] if "region_id" in frame else ""
        if given and given != region_id:
            raise DataError(f"{where}: region_id {given!r} is not region {name!r} ({region_id})")
        ids.append(region_id)
    frame.index = pd.Index(ids, name="region_id")  # each once: read_table checked
    frame = fill_missing(frame[list(scheme.indicators)].astype(float), missing, path, **screening)
    if len(frame) == 1:
        raise DataError(f"{path}: one region ({frame.index[0]}): the index compares regions, give two or more")
    frame.attrs["source"] = source
    return frame


def _region(name: str | None, given: str | None, level: str) -> str | None:
    """A panel row's region (``region 510000 (四川)``) whatever name it gives; None if the name is unknown or the
    row's ``region_id`` (``given``) is another region's (an error :func:`load_panel` names)."""
    ids = matches(name, level) if name is not None else set()
    if len(ids) != 1 or given not in (None, "", *ids):
        return None
    region_id = next(iter(ids))
    return f"region {region_id} ({regions(level).at[region_id, 'name']})"


def check_screening(coverage: float, screen: str, seed: int) -> None:
    """Refuse a ``coverage`` outside 0–1, a ``screen`` not in :data:`SCREENS` or a ``seed`` outside 0 … 2**32 − 1."""
    if not 0 <= arguments.number(coverage, "coverage") <= 1:
        raise ParameterError(f"coverage={coverage!r} must be a share between 0 and 1")
    arguments.choice(screen, "screen", SCREENS)
    arguments.integer(seed, "seed", 0, 2**32 - 1)


def fill_missing(
    frame: pd.DataFrame,
    missing: str,
    path: Path | str,
    coverage: float = 0.0,
    screen: str = "flag",
    seed: int = 0,
) -> pd.DataFrame:
    """``frame`` with its empty cells handled by the policy ``missing`` (:data:`MISSING`); ``path`` names the data
    in messages. References: OECD/JRC Handbook (2008), Part 1 §3 (imputation of missing data: case deletion,
    unconditional mean and median, group means, regression and multiple imputation); COINr's ``Screen`` and
    ``Impute``.

    - Coverage screening first (COINr's ``Screen``): a region with less than ``coverage`` (0–1) of its indicators
      filled in is flagged (``screen="flag"``) or dropped (``screen="drop"``) before anything is imputed.
    - ``macro_mean`` / ``parent_mean``: the mean of the indicator over the other regions of the same NBS macro
      region / parent province (from ``data/regions.csv``); a group with no value for it is an error naming it.
    - ``mice``: multivariate imputation by chained equations (van Buuren and Groothuis-Oudshoorn 2011, *mice*,
      JSS 45(3); statsmodels' ``MICEData``): each indicator in turn regressed on the others, gaps filled by
      predictive mean matching (an observed value of a region with a close prediction), on standard scores,
      :data:`MICE_ITERATIONS` cycles, one imputed data set; ``seed`` makes it reproducible.

    ``frame.attrs["missing"]`` records the policy, every empty cell (region, indicator), the regions dropped, each
    region's share of imputed indicators (``imputed_share``), the screening (``coverage``) and, for each region with
    an empty cell, its share of indicators filled in (``available``); :func:`gaps` tabulates it by region.
    """
    arguments.frame(frame, "frame")
    arguments.choice(missing, "missing", MISSING)
    arguments.path(path, "path")
    check_screening(coverage, screen, seed)
    available = frame.notna().mean(axis=1)
    partial = {r: float(v) for r, v in available.items() if v < 1}
    below = available[available < coverage]
    screened = {"threshold": coverage, "action": screen, "regions": {r: float(v) for r, v in below.items()}}
    dropped = list(below.index) if screen == "drop" else []
    frame = frame.drop(index=dropped)
    gaps = frame.isna()
    cells = [(region, column) for column in frame for region in frame.index[gaps[column]]]
    if missing == "drop":
        lost = list(frame.index[gaps.any(axis=1)])
        dropped += lost
        frame = frame.drop(index=lost)
    elif missing != "error" and gaps.any().any():
        empty = frame.columns[gaps.all()]
        if len(empty):
            raise DataError(f"{path}: column {empty[0]!r} is empty: nothing to impute its {missing} from")
        frame = _IMPUTERS[missing](frame, path, seed)
    if frame.empty:
        raise DataError(f"{path}: no region is left once those with an empty cell are dropped")
    share = gaps.loc[frame.index].mean(axis=1) if missing not in ("error", "drop") else pd.Series(dtype=float)
    frame.attrs["missing"] = {
        "policy": missing,
        "cells": cells,
        "dropped": dropped,
        "imputed_share": {r: float(v) for r, v in share.items() if v > 0},
        "coverage": screened,
        "available": partial,
    }
    return frame


GAPS = ("available", "imputed_share", "below_coverage", "dropped")
"""The columns of :func:`gaps`."""


def _record(record) -> dict:
    arguments.mapping(record, "record")
    missing = [k for k in ("policy", "cells", "dropped", "imputed_share", "coverage", "available") if k not in record]
    if missing:
        raise ParameterError(f"record: not a record of fill_missing (no {missing[0]!r})")
    return record


def gaps(record: dict) -> pd.DataFrame:
    """The record of :func:`fill_missing` (``frame.attrs["missing"]``, the study log's ``missing`` step) by region:
    every region that had an empty cell, with its share of indicators filled in (``available``), its share of
    imputed indicators (``imputed_share``, 0 if none was imputed), whether it fell below the coverage threshold
    (``below_coverage``) and whether it was dropped (``dropped``: by the screening or ``missing="drop"``)."""
    record = _record(record)
    gapped = list(record["available"])
    below = record["coverage"]["regions"]
    return pd.DataFrame(
        {
            "available": [record["available"][r] for r in gapped],
            "imputed_share": [record["imputed_share"].get(r, 0.0) for r in gapped],
            "below_coverage": [r in below for r in gapped],
            "dropped": [r in record["dropped"] for r in gapped],
        },
        index=pd.Index(gapped, name="region_id", dtype=object),
        columns=list(GAPS),
    ).astype({"available": float, "imputed_share": float, "below_coverage": bool, "dropped": bool})


def gaps_note(record: dict, lang: str = "zh", names=None) -> str:
    """One sentence in ``lang`` (zh or en) on what :func:`fill_missing` did (its ``record``): how many regions had
    empty cells and how they were handled, the largest imputed share, and the regions below the coverage threshold
    and whether they were flagged or dropped; ``names`` (region id → display name) names the regions."""
    record = _record(record)
    lang = words.check_lang(lang)
    names = {} if names is None else dict(arguments.mapping(names, "names"))
    text = {key: value[lang] for key, value in words.GAP_NOTES.items()}
    threshold = record["coverage"]["threshold"]
    if not record["available"]:
        return text["none"]
    out = text["gaps"].format(
        regions=len(record["available"]), policy=words.word(words.POLICY_LABELS, record["policy"], lang)
    )
    if record["imputed_share"]:
        region = max(record["imputed_share"], key=record["imputed_share"].get)  # the first of a tie
        out += text["largest"].format(region=names.get(region, region), share=record["imputed_share"][region])
    out += text["end"]
    below = list(record["coverage"]["regions"])
    if below:
        listed = text["sep"].join(str(names.get(r, r)) for r in below)
        action = text[record["coverage"]["action"]]
        out += text["below"].format(count=len(below), threshold=threshold, names=listed, action=action)
    elif threshold > 0:
        out += text["none_below"].format(threshold=threshold)
    return out


def _group_mean(frame: pd.DataFrame, path, key: str) -> pd.DataFrame:
    registry = regions().reset_index().drop_duplicates("region_id").set_index("region_id")
    unknown = frame.index.difference(registry.index)
    if len(unknown):
        raise DataError(f"{path}: region {unknown[0]!r} is not in the registry: it has no group to impute from")
    groups = registry.loc[frame.index, key]
    if key == "parent_id" and (groups == "").any():
        region = groups.index[groups == ""][0]
        raise DataError(f"{path}: region {region!r} has no parent province (a province): choose macro_mean")
    filled = frame.fillna(frame.groupby(groups).transform("mean"))
    left = filled.isna()
    if left.any().any():
        column = filled.columns[left.any()][0]
        region = filled.index[left[column]][0]
        raise DataError(
            f"{path}: column {column!r}, region {region!r}: no other region of its group "
            f"({key} {groups[region]!r}) has a value to impute from"
        )
    return filled


def _mice(frame: pd.DataFrame, path, seed: int) -> pd.DataFrame:
    blank = frame.index[frame.isna().all(axis=1)]
    if len(blank):
        raise DataError(f"{path}: region {blank[0]!r} has no value at all: screen it out (coverage=…, screen='drop')")
    observed = frame.notna().sum()
    short = observed[frame.isna().any() & (observed <= frame.shape[1])]
    if len(short):  # fewer regions than parameters: the regression's residual variance, and MICE's draw, fail
        raise DataError(
            f"{path}: column {short.index[0]!r}: mice regresses it on the other {frame.shape[1] - 1} indicators, "
            f"which needs more than {frame.shape[1]} regions with a value, and it has {short.iloc[0]}: "
            "choose median, mean, macro_mean or parent_mean"
        )
    # standard scores: raw indicators span 1 to 1e12, which leaves the regressions' covariances ill-conditioned
    centre, spread = frame.mean(), frame.std().replace(0.0, 1.0)
    names = [f"x{k}" for k in range(frame.shape[1])]  # MICE's formulas need plain names
    scores = ((frame - centre) / spread).set_axis(names, axis=1).reset_index(drop=True)
    data = MICEData(scores, rng=np.random.default_rng(seed))
    data.update_all(MICE_ITERATIONS)
    imputed = pd.DataFrame(data.data[names].to_numpy(), index=frame.index, columns=frame.columns) * spread + centre
    return frame.fillna(imputed)


_IMPUTERS = {
    "median": lambda frame, path, seed: frame.fillna(frame.median()),
    "mean": lambda frame, path, seed: frame.fillna(frame.mean()),
    "macro_mean": lambda frame, path, seed: _group_mean(frame, path, "macro_region"),
    "parent_mean": lambda frame, path, seed: _group_mean(frame, path, "parent_id"),
    "mice": _mice,
}


def template(scheme: Scheme | str | None = None, level: str = "province") -> pd.DataFrame:
    """An empty panel for ``level``: every region of the registry, one blank column per indicator."""
    check_level(level)
    scheme = _scheme(scheme)
    registry = regions(level)
    frame = pd.DataFrame({"region_id": registry.index, "region": registry["name"].to_numpy()})
    for id in scheme.indicators:
        frame[id] = ""
    return frame


def template_rows(scheme: Scheme | str | None = None, level: str = "province") -> list[list]:
    """:func:`template` as rows of cells, below ``#`` rows aligned with its columns: each indicator's label (zh),
    unit and direction (1: higher is better, -1: lower is better), which :func:`load_panel` skips."""
    scheme = _scheme(scheme)
    frame = template(scheme, level)
    indicators = list(scheme.indicators.values())
    notes = [
        [f"# livecommerce raw panel of level {level} (scheme {scheme.name}): one row per region in raw units", ""],
        ["# 指标 (label)", "", *(i.label["zh"] for i in indicators)],
        ["# unit", "", *(i.unit for i in indicators)],
        ["# direction", "", *(i.direction for i in indicators)],
    ]
    notes[0] += [""] * len(indicators)
    return [*notes, list(frame.columns), *frame.to_numpy().tolist()]


def write_template(path: Path | str, scheme: Scheme | str | None = None, level: str = "province") -> Path:
    """Write the empty panel of ``level`` (:func:`template_rows`) as XLSX, on a sheet named for the level, if
    ``path`` ends in ``.xlsx``, else as CSV."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"path={path!r} is not a file path (a str or a Path)")
    return write_rows(path, {level: template_rows(scheme, level)})
