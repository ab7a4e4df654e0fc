"""Imputation and coverage screening (the OECD/JRC Handbook's step 3; COINr's ``Screen`` and ``Impute``): what is
done with the empty cells of a raw panel before its indicators are treated, denominated and normalised.

:func:`fill_missing` screens and imputes a panel (as :func:`livecommerce.data.panel.load_panel` reads it) and
records what it did in ``frame.attrs["missing"]``; :func:`gaps` and :func:`gaps_note` read that record back.
"""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments, words
from livecommerce.data.regions import RegionSet, divisions, region_set, regions
from livecommerce.errors import DataError, ParameterError

__all__ = [
    "GAPS",
    "MICE_ITERATIONS",
    "MISSING",
    "GROUPED",
    "OVER_TIME",
    "SCREENS",
    "check_missing",
    "check_screening",
    "fill_missing",
    "gaps",
    "gaps_note",
    "impute_years",
]

OVER_TIME = ("latest", "linear")
"""How :func:`impute_years` fills a region's empty cell from its other years: its latest earlier value (COINr's
``impute_panel``, ``imp_type = "latest"``), or linearly between its years with a value, the nearest value beyond
them (``"linear-constant"``)."""

MISSING = (
    "error",
    "drop",
    "median",
    "mean",
    "macro_mean",
    "parent_mean",
    "macro_median",
    "parent_median",
    "row_mean",
    "mice",
)
"""What to do with an empty cell: refuse the file (the default), drop the region, or impute it: the indicator's
median or mean over the other regions, the mean or median of the region's group (``macro_mean`` /
``macro_median``: the NBS macro region of the registry, 东部/中部/西部/东北; ``parent_mean`` / ``parent_median``: the
parent of a city, prefecture or county; and ``group_mean:<column>`` / ``group_median:<column>``, :data:`GROUPED`,
by any column of the registry), the region's own mean standard score over its other indicators (``row_mean``,
row-wise), or chained equations (``mice``). The choice and what it did are kept in ``frame.attrs["missing"]``;
see :func:`fill_missing`."""

GROUPED = {"group_mean": "mean", "group_median": "median"}
"""The policies that impute a statistic (mean, median) of a region's group by a column of its registry,
``group_mean:<column>`` and ``group_median:<column>`` (``group_mean:macro_region`` is ``macro_mean``,
``group_median:parent_id`` is ``parent_median``, a user registry's ``group_mean:continent`` its own)."""

_SHORTCUTS = {
    f"{key}_{statistic}": f"group_{statistic}:{column}"
    for key, column in (("macro", "macro_region"), ("parent", "parent_id"))
    for statistic in GROUPED.values()
}
"""The named group policies of :data:`MISSING` as the ``group_<statistic>:<column>`` they stand for."""


def check_missing(missing: str) -> str:
    """``missing`` if it is a policy of :data:`MISSING`, ``group_mean:<column>`` or ``group_median:<column>``, else
    a :class:`ParameterError`."""
    arguments.string(missing, "missing")
    policy, _, column = missing.partition(":")
    if policy in GROUPED and column.strip():
        return missing
    if missing not in MISSING:
        grouped = " or ".join(f"{g}:<column>" for g in GROUPED)
        raise ParameterError(f"missing={missing!r} is not one of {', '.join(MISSING)}, {grouped}")
    return missing


SCREENS = ("flag", "drop")
"""What coverage screening does with a region whose share of filled-in indicators is below the threshold."""

MICE_ITERATIONS = 10
"""Cycles of chained equations before the imputed values are taken (statsmodels' MICE burn-in default)."""


def check_screening(coverage: float, screen: str, seed: int) -> None:
    """Refuse a ``coverage`` outside 0–1, a ``screen`` not in :data:`SCREENS` or a ``seed`` outside 0 … 2**32 − 1
    (each one named)."""

    def share() -> None:
        if not 0 <= arguments.number(coverage, "coverage") <= 1:
            raise ParameterError(f"coverage={coverage!r} must be a share between 0 and 1")

    arguments.each(
        coverage=share,
        screen=lambda: arguments.choice(screen, "screen", SCREENS),
        seed=lambda: arguments.integer(seed, "seed", 0, 2**32 - 1),
    )


def fill_missing(
    frame: pd.DataFrame,
    missing: str,
    path: Path | str,
    coverage: float = 0.0,
    screen: str = "flag",
    seed: int = 0,
    regions: RegionSet | str | None = None,
) -> pd.DataFrame:
    """``frame`` with its empty cells handled by the policy ``missing`` (:data:`MISSING`, or ``group_mean:<column>``);
    ``path`` names the data in messages; ``regions`` is the region set whose registry groups the regions (a
    :class:`~livecommerce.data.regions.RegionSet` or its name; by default the national registries).
    References: OECD/JRC Handbook (2008), Part 1 §3 (imputation of missing data: case deletion,
    unconditional mean and median, group means, regression and multiple imputation); COINr's ``Screen`` and
    ``Impute``.

    - Coverage screening first (COINr's ``Screen``): a region with less than ``coverage`` (0–1) of its indicators
      filled in is flagged (``screen="flag"``) or dropped (``screen="drop"``) before anything is imputed.
    - ``macro_mean`` / ``parent_mean`` / ``group_mean:<column>``: the mean of the indicator over the other regions
      of the same NBS macro region / parent / value of ``column`` in the registry (``data/regions.csv`` and
      ``data/divisions.csv``, or a user registry's group column); a group with no value for it is an error naming
      it. ``macro_median`` / ``parent_median`` / ``group_median:<column>``: the same groups' median (COINr's
      ``i_median_grp``).
    - ``row_mean``: row-wise (as COINr's ``impute_by = "row"``, on standard scores): the region's mean standard score
      over its indicators with a value, put back on the empty indicator's scale (its mean plus that many standard
      deviations), within the indicator's observed range (a skewed count is not given a negative value).
    - ``mice``: multivariate imputation by chained equations (van Buuren and Groothuis-Oudshoorn 2011, *mice*,
      JSS 45(3); statsmodels' ``MICEData``): each indicator in turn regressed on the others, gaps filled by
      predictive mean matching (an observed value of a region with a close prediction), on standard scores,
      :data:`MICE_ITERATIONS` cycles, one imputed data set; ``seed`` makes it reproducible.

    ``frame.attrs["missing"]`` records the policy, every empty cell (region, indicator), the regions dropped, each
    region's share of imputed indicators (``imputed_share``), the screening (``coverage``) and, for each region with
    an empty cell, its share of indicators filled in (``available``); :func:`gaps` tabulates it by region. The
    frame's other ``attrs`` (its ``source``) are kept.
    """
    arguments.frame(frame, "frame")
    check_missing(missing)
    arguments.path(path, "path")
    check_screening(coverage, screen, seed)
    attrs = {k: v for k, v in frame.attrs.items() if k != "missing"}  # what the frame carried (its source)
    available = frame.notna().mean(axis=1)
    partial = {r: float(v) for r, v in available.items() if v < 1}
    below = available[available < coverage]
    screened = {"threshold": coverage, "action": screen, "regions": {r: float(v) for r, v in below.items()}}
    dropped = list(below.index) if screen == "drop" else []
    frame = frame.drop(index=dropped)
    gaps = frame.isna()
    cells = [(region, column) for column in frame for region in frame.index[gaps[column]]]
    if missing == "error" and cells:
        raise DataError(_empty_cells(path, cells, regions))
    if missing == "drop":
        lost = list(frame.index[gaps.any(axis=1)])
        dropped += lost
        frame = frame.drop(index=lost)
    elif missing != "error" and gaps.any().any():
        empty = frame.columns[gaps.all()]
        if len(empty):
            raise DataError(f"{path}: column {empty[0]!r} is empty: nothing to impute its {missing} from")
        policy, _, column = _SHORTCUTS.get(missing, missing).partition(":")
        if policy in GROUPED:
            frame = _group(frame, path, column.strip(), GROUPED[policy], _groups(regions), missing)
        else:
            frame = _IMPUTERS[missing](frame, path, seed)
    if frame.empty:
        raise DataError(f"{path}: no region is left once those with an empty cell are dropped")
    share = gaps.loc[frame.index].mean(axis=1) if missing not in ("error", "drop") else pd.Series(dtype=float)
    frame.attrs = {
        **attrs,
        "missing": {
            "policy": missing,
            "cells": cells,
            "dropped": dropped,
            "imputed_share": {r: float(v) for r, v in share.items() if v > 0},
            "coverage": screened,
            "available": partial,
        },
    }
    return frame


def _empty_cells(path, cells: list[tuple[str, str]], regions) -> str:
    """The message refusing ``cells`` (region, indicator) under ``missing="error"``: each cell named as a panel
    file's are (column, region), and the policies that would handle them."""
    names = _groups(regions)["name"]
    named = [f"column {c!r}, region {r} ({names.get(r, r)}): empty cell" for r, c in cells]
    return (
        f"{path}: {len(cells)} empty cell(s): " + "; ".join(named) + "; missing='error' (the default) refuses them: "
        "choose a policy that handles them (--missing median, mean, drop, mice …)"
    )


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
    policy, _, column = record["policy"].partition(":")
    out = text["gaps"].format(
        regions=len(record["available"]), policy=words.word(words.POLICY_LABELS, policy, lang).format(column=column)
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


def _groups(chosen) -> pd.DataFrame:
    """The registry rows that group regions: a region set's, or the report's and the national registry's."""
    if chosen is not None:
        return region_set(chosen).regions
    report = regions().reset_index().drop_duplicates("region_id").set_index("region_id")
    national = divisions()
    return pd.concat([report, national.loc[national.index.difference(report.index)]])


def _group(frame: pd.DataFrame, path, key: str, statistic: str, registry: pd.DataFrame, policy: str) -> pd.DataFrame:
    """``frame`` with each empty cell the ``statistic`` (mean, median) of its column over the region's group, the
    value of the ``registry``'s column ``key``; ``policy`` names the choice in messages."""
    if key not in registry:
        columns = [c for c in registry if c not in ("name", "full_name_zh", "name_en", "full_name_en", "aliases")]
        raise DataError(f"{path}: missing={policy!r}: the registry has no column {key!r} ({', '.join(columns)})")
    unknown = frame.index.difference(registry.index)
    if len(unknown):
        raise DataError(f"{path}: region {unknown[0]!r} is not in the registry: it has no group to impute from")
    groups = registry.loc[frame.index, key]
    if (groups == "").any():
        region = groups.index[groups == ""][0]
        what = f"parent province (a province): choose macro_{statistic}" if key == "parent_id" else f"{key}: no group"
        raise DataError(f"{path}: region {region!r} has no {what}")
    filled = frame.fillna(frame.groupby(groups).transform(statistic))
    left = filled.isna()
    if left.any().any():
        column = filled.columns[left.any()][0]
        region = filled.index[left[column]][0]
        raise DataError(
            f"{path}: column {column!r}, region {region!r}: no other region of its group "
            f"({key} {groups[region]!r}) has a value to impute from"
        )
    return filled


def _row_mean(frame: pd.DataFrame, path, seed: int) -> pd.DataFrame:
    blank = frame.index[frame.isna().all(axis=1)]
    if len(blank):
        raise DataError(f"{path}: region {blank[0]!r} has no value at all: screen it out (coverage=…, screen='drop')")
    centre, spread = frame.mean(), frame.std().replace(0.0, 1.0).fillna(1.0)
    row = ((frame - centre) / spread).mean(axis=1).to_numpy()  # each region's mean standard score
    estimate = np.clip(
        np.outer(row, spread.to_numpy()) + centre.to_numpy(), frame.min().to_numpy(), frame.max().to_numpy()
    )
    return frame.fillna(pd.DataFrame(estimate, index=frame.index, columns=frame.columns))


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
            "choose median, mean, macro_mean, parent_mean or row_mean"
        )
    # standard scores: raw indicators span 1 to 1e12, which leaves the regressions' covariances ill-conditioned
    centre, spread = frame.mean(), frame.std().replace(0.0, 1.0)
    names = [f"x{k}" for k in range(frame.shape[1])]  # MICE's formulas need plain names
    scores = ((frame - centre) / spread).set_axis(names, axis=1).reset_index(drop=True)
    data = _mice_data()(scores, rng=np.random.default_rng(seed))
    data.update_all(MICE_ITERATIONS)
    imputed = pd.DataFrame(data.data[names].to_numpy(), index=frame.index, columns=frame.columns) * spread + centre
    return frame.fillna(imputed)


@cache
def _mice_data() -> type:
    """statsmodels' ``MICEData`` (loaded when used: statsmodels takes about a second) with each regression's
    matrices taken from the columns, not from its formula: the same numbers for the default formulas (an indicator on
    an intercept and every other indicator, in column order), without parsing a formula twice per indicator and
    cycle (most of the time MICE took)."""
    from statsmodels.imputation.mice import MICEData

    def design(data: pd.DataFrame, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        others = [c for c in data.columns if c != name]
        exog = np.column_stack([np.ones(len(data)), data[others].to_numpy(dtype=float)])
        return data[[name]].astype(float), pd.DataFrame(exog, index=data.index, columns=["Intercept", *others])

    class _MICEData(MICEData):
        def get_split_data(self, vname):
            endog, exog = design(self.data, vname)
            observed, missing = self.ix_obs[vname], self.ix_miss[vname]
            split = (endog.iloc[observed], exog.iloc[observed, :], exog.iloc[missing, :])
            return (*(np.require(m, requirements="W") for m in split), {}, {})

        def get_fitting_data(self, vname):
            endog, exog = design(self.data, vname)
            observed = self.ix_obs[vname]
            return (
                np.require(endog.iloc[observed, 0], requirements="W"),
                np.require(exog.iloc[observed, :], requirements="W"),
                self._process_kwds(self.init_kwds[vname], observed),
                self._process_kwds(self.fit_kwds[vname], observed),
            )

    return _MICEData


_IMPUTERS = {
    "median": lambda frame, path, seed: frame.fillna(frame.median()),
    "mean": lambda frame, path, seed: frame.fillna(frame.mean()),
    "row_mean": _row_mean,
    "mice": _mice,
}


def impute_years(panels: dict, method: str = "latest", max_years: int | None = None) -> dict:
    """``panels`` (``{year: frame}``, each regions × indicators) with each empty cell filled from the same region's
    other years (:data:`OVER_TIME`): ``latest`` takes its value of the nearest earlier year within ``max_years``
    (all by default); ``linear`` interpolates between its years with a value and takes the nearest beyond them.
    A cell with nothing to impute from stays empty; each frame's ``attrs["years_imputed"]`` lists the cells filled,
    (region, indicator, the year the value came from, or None for an interpolation)."""
    arguments.mapping(panels, "panels")
    arguments.choice(method, "method", OVER_TIME)
    arguments.optional(arguments.integer, max_years, "max_years", 1)
    years = sorted(panels)
    if len(years) < 2 or not all(isinstance(y, int) for y in years):
        raise ParameterError(f"panels must map two years (whole numbers) or more to frames, got {list(panels)!r}")
    for year in years:
        arguments.frame(panels[year], f"panels[{year}]")
    stacked = pd.concat({year: panels[year] for year in years}, names=["year", panels[years[0]].index.name])
    out = {}
    for year in years:
        frame = panels[year].copy()
        filled = []
        for column in frame:
            history = stacked[column].unstack("year").reindex(frame.index)  # regions × years
            for region in frame.index[frame[column].isna()]:
                value, source = _over_time(history.loc[region], year, method, max_years)
                if value is not None:
                    frame.loc[region, column] = value
                    filled.append((region, column, source))
        frame.attrs = {**panels[year].attrs, "years_imputed": filled}
        out[year] = frame
    return out


def _over_time(row: pd.Series, year: int, method: str, max_years: int | None) -> tuple:
    """A region's value of ``year`` from its values of the other years (``row``, by year), and the year it came
    from (None if interpolated); (None, None) if there is none."""
    known = row.dropna()
    if method == "latest":
        earlier = known[(known.index < year) & (known.index >= year - (max_years or year))]
        return (earlier.iloc[-1], int(earlier.index[-1])) if len(earlier) else (None, None)
    if known.empty:
        return None, None
    return float(np.interp(year, known.index.to_numpy(float), known.to_numpy(float))), None
