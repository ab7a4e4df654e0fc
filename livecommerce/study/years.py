"""Indices over time (COINr's purse): one study of a level per year, from the panels or editions of several years,
with trends and compound growth per region and indicator or node, and a region's empty cell imputed from its other
years (:func:`livecommerce.index.impute.impute_years`).

>>> t = Timeline.build("province", {2023: "data/raw/synthetic_panel_province_2023.csv",
...                                 2024: "data/examples/synthetic_edition_2024/province.csv"})
>>> t.trends("inputs")          # compound growth of every raw indicator of every region
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.panel import load_panel
from livecommerce.data.regions import region_set
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.impute import OVER_TIME, impute_years
from livecommerce.index.scheme import Scheme, load_scheme
from livecommerce.study.study import Study

__all__ = ["STAGES", "Timeline", "cagr", "change", "trends"]

STAGES = ("inputs", "scores")
"""What a timeline's trends are of: the raw indicators each year's study used (``inputs``) or its scores."""


def cagr(values: pd.Series) -> float:
    """Compound annual growth of ``values`` (by year; empty years left out): (latest / first)^(1 / years between) − 1,
    0 if they are equal (COINr's ``CAGR``); NaN with fewer than two values."""
    known = arguments.series(values, "values").dropna().sort_index()
    if len(known) < 2:
        return np.nan
    first, latest = known.iloc[0], known.iloc[-1]
    if first == latest:
        return 0.0
    return float((latest / first) ** (1 / (known.index[-1] - known.index[0])) - 1)


def change(values: pd.Series) -> float:
    """Percentage change per year of ``values`` (by year; empty years left out), COINr's ``prc_change``: from the
    first and latest value with two, else from the least-squares line (slope over its value at the first year); 0 if
    they never change, NaN with fewer than two values."""
    known = arguments.series(values, "values").dropna().sort_index()
    if len(known) < 2:
        return np.nan
    if known.nunique() == 1:
        return 0.0
    x, y = known.index.to_numpy(float), known.to_numpy(float)
    if len(known) == 2:
        return float((y[1] - y[0]) * 100 / y[0] / (x[1] - x[0]))
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope / (intercept + slope * x[0]) * 100)


def trends(values: pd.DataFrame) -> pd.DataFrame:
    """Trends of every region and column of ``values`` (indexed by region and year, a column per indicator or
    node), indexed by (region, measure): the years with a value, the first and latest year and value,
    :func:`cagr` and :func:`change`."""
    frame = arguments.frame(values, "values")
    if frame.index.nlevels != 2:
        raise ParameterError("values must be indexed by (region, year)")
    rows = {}
    for region, block in frame.groupby(level=0, sort=False):
        block = block.droplevel(0).sort_index()
        for measure in block:
            known = block[measure].dropna()
            rows[region, measure] = {
                "years": len(known),
                "first_year": known.index[0] if len(known) else np.nan,
                "latest_year": known.index[-1] if len(known) else np.nan,
                "first": known.iloc[0] if len(known) else np.nan,
                "latest": known.iloc[-1] if len(known) else np.nan,
                "cagr": cagr(known),
                "change": change(known),
            }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(["region", "measure"])


@dataclass(frozen=True)
class Timeline:
    """One region set's studies by year, each built as :meth:`Study.build` builds one (COINr's purse)."""

    level: str
    studies: dict[int, Study]

    @classmethod
    def build(
        cls,
        level: str,
        data: dict,
        scheme: Scheme | str | Path | None = None,
        missing: str = "error",
        over_time: str | None = None,
        max_years: int | None = None,
        registry=None,
    ) -> "Timeline":
        """The studies of the region set ``level`` (with ``registry``, a user registry's, as :meth:`Study.build`
        takes them) for each year of ``data`` (``{year: data}``, each ``"published"``, a panel file
        or a frame as :meth:`Study.build` takes it) under one ``scheme``. With ``over_time`` (:data:`OVER_TIME`),
        a region's empty cell in a panel is first filled from its other years (within ``max_years`` for
        ``latest``); what is still empty goes to the ``missing`` policy."""
        arguments.mapping(data, "data")
        if not data or not all(isinstance(year, int) and not isinstance(year, bool) for year in data):
            raise ParameterError(f"data must map each year (a whole number) to its data, got {list(data)!r}")
        arguments.optional(arguments.choice, over_time, "over_time", OVER_TIME)
        chosen = region_set(level, registry)
        loaded = (scheme if isinstance(scheme, Scheme) else load_scheme(scheme)).for_regions(chosen)
        panels = {
            year: value if isinstance(value, pd.DataFrame) else load_panel(value, loaded, chosen, empty=True)
            for year, value in data.items()
            if not (isinstance(value, str) and value == "published")
        }
        if over_time is not None and len(panels) > 1:
            panels = impute_years(panels, over_time, max_years)
        for year, panel in panels.items():
            gaps = panel[list(loaded.indicators)].isna() if missing == "error" else pd.DataFrame()
            if gaps.any().any():
                column = gaps.columns[gaps.any()][0]
                raise DataError(
                    f"data[{year}]: column {column!r}, region {gaps.index[gaps[column]][0]!r} is empty and "
                    "missing='error': choose a missing-value policy (or over_time)"
                )
        studies = {
            # no scheme given: a published year keeps the report's own overall and 人 (Study.build)
            year: Study.build(chosen, panels.get(year, "published"), None if scheme is None else loaded, missing)
            for year in sorted(data)
        }
        return cls(level=chosen.level, studies=studies)

    @property
    def years(self) -> list[int]:
        return list(self.studies)

    def values(self, stage: str = "scores") -> pd.DataFrame:
        """Every year's ``stage`` (:data:`STAGES`) in one frame indexed by (region, year); a measure a year lacks is
        empty that year."""
        arguments.choice(stage, "stage", STAGES)
        frames = {year: getattr(study, stage) for year, study in self.studies.items()}
        long = pd.concat(frames, names=["year", "region"]).swaplevel().sort_index()
        return long.apply(pd.to_numeric, errors="coerce")

    def ranks(self) -> pd.DataFrame:
        """Every year's ranks of every node, indexed by (region, year)."""
        frames = {year: study.ranks() for year, study in self.studies.items()}
        return pd.concat(frames, names=["year", "region"]).swaplevel().sort_index()

    def trends(self, stage: str = "scores") -> pd.DataFrame:
        """:func:`trends` of :meth:`values` of ``stage``."""
        return trends(self.values(stage))
