"""Pandera schemas of every bundled data file, and validation with messages that locate the fault."""

import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from livecommerce.errors import DataError
from livecommerce.vocab import (
    DIVISIONS,
    INDEX_TABLES,
    LEVEL_SIZES,
    LEVELS,
    MACRO_REGIONS,
    MODULES,
    RANKED_MEASURE,
    SCALE,
    TOP5_TABLES,
)
from livecommerce.words import MODULE_LABELS


@contextmanager
def _quiet_pyspark():
    """Silence pyspark.pandas's warning that it does not yet fully support pandas 3: pandera tries to import
    pyspark.pandas (at its import and at its first validation) when pyspark is installed, the Spark extra; the
    package uses Spark SQL only (:mod:`livecommerce.records.engine`), never pyspark.pandas."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        yield


with _quiet_pyspark():
    import pandera.pandas as pa  # noqa: E402 (under the filter above)

__all__ = [
    "CLAIM_KINDS",
    "FACT_UNITS",
    "ROUNDING",
    "claims_schema",
    "divisions_schema",
    "facts_schema",
    "index_table_schema",
    "panel_schema",
    "regions_schema",
    "top5_schema",
    "trends_schema",
    "validate",
]

ROUNDING = 0.005
"""Half a unit of the tables' last printed digit (scores are printed to two decimals)."""

_CODE = r"^[1-9]\d{5}$"
FACT_UNITS = {
    "万亿元": 1e12,
    "亿元": 1e8,
    "万元": 1e4,
    "亿人": 1e8,
    "万人": 1e4,
    "万场": 1e4,
    "%": 0.01,
    "个百分点": 0.01,
}
"""Units the facts table uses, with the factor that turns a value into base units (yuan, persons, fractions)."""


def validate(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    path: Path | str,
    lines: Sequence[int] | None = None,
    rows: Sequence[str] | None = None,
    labels: dict | None = None,
) -> pd.DataFrame:
    """Validate ``frame`` read from ``path``; raise :class:`DataError` naming line, column and value of every fault.

    ``lines`` are the file lines the rows start on; by default 2, 3, … (one row a line below a header on line 1).
    ``rows`` name each row's region and ``labels`` each column's label, where the file has them (a raw panel).
    """
    try:
        with _quiet_pyspark():
            return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        lines = range(2, len(frame) + 2) if lines is None else lines
        cases = exc.failure_cases
        ordered = cases["check"] == "column_ordered"
        faults = [_describe(cases[~ordered], lines, rows, labels or {})] if not ordered.all() else []
        if ordered.any():  # one fault, not one per column after the first out of place
            faults.insert(0, f"columns out of order: give them as {', '.join(schema.columns)}")
        raise DataError(f"{path}: {'; '.join(faults)}") from None


_FRAME_FAULTS = {"column_in_schema": "unexpected column", "column_in_dataframe": "missing column"}


def _describe(cases: pd.DataFrame, lines: Sequence[int], rows=None, labels=None, limit: int = 50) -> str:
    coercion = cases[cases["check"].astype(str).str.startswith("coerce_dtype")]
    if not coercion.empty:  # later checks on an uncoercible column only repeat the fault
        cases = coercion
    cases = cases.sort_values("schema_context", key=lambda s: s != "Column", kind="stable")
    faults, seen = [], set()
    for case in cases.itertuples(index=False):
        frame_check = case.schema_context == "DataFrameSchema"
        key = (
            (case.check, case.index, case.failure_case if pd.isna(case.index) else None)
            if frame_check
            else (case.column, case.check, case.index)
        )
        if key in seen:
            continue
        seen.add(key)
        where = "" if pd.isna(case.index) else f"line {lines[int(case.index)]} (row {int(case.index) + 1}), "
        if case.check in _FRAME_FAULTS:
            faults.append(f"{_FRAME_FAULTS[case.check]} {case.failure_case!r}")
        elif frame_check:
            faults.append(f"{where}{case.check}")
        else:
            label = f" ({labels[case.column]})" if labels and case.column in labels else ""
            region = f", region {rows[int(case.index)]}" if rows is not None and not pd.isna(case.index) else ""
            found = "empty cell" if case.check == "not_nullable" else f"{case.check} (found {case.failure_case!r})"
            faults.append(f"{where}column {case.column!r}{label}{region}: {found}")
    more = f"; and {len(faults) - limit} more" if len(faults) > limit else ""
    return "; ".join(faults[:limit]) + more


def _rows(n: int) -> pa.Check:
    return pa.Check(lambda df: len(df) == n, element_wise=False, error=f"expected {n} rows")


def regions_schema() -> pa.DataFrameSchema:
    """Schema of ``data/regions.csv``."""
    counts = [
        pa.Check(lambda df, lv=lv, n=n: (df["level"] == lv).sum() == n, error=f"expected {n} regions at level {lv!r}")
        for lv, n in LEVEL_SIZES.items()
    ]
    provinces = pa.Check(
        lambda df: (df["level"] == "province") | df["parent_id"].isin(df.loc[df["level"] == "province", "region_id"]),
        error="parent_id must be the id of a province in the registry",
    )
    return pa.DataFrameSchema(
        {
            "region_id": pa.Column(str, pa.Check.str_matches(_CODE)),
            "level": pa.Column(str, pa.Check.isin(LEVELS)),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "full_name_zh": pa.Column(str, pa.Check.str_length(min_value=1)),
            "name_en": pa.Column(str, pa.Check.str_length(min_value=1)),
            "full_name_en": pa.Column(str, pa.Check.str_length(min_value=1)),
            "parent_id": pa.Column(str, pa.Check.str_matches(rf"{_CODE}|^$")),
            "macro_region": pa.Column(str, pa.Check.isin(MACRO_REGIONS)),
            "aliases": pa.Column(str),
        },
        checks=[*counts, provinces],
        unique=["level", "region_id"],
        strict=True,
        ordered=True,
    )


def divisions_schema() -> pa.DataFrameSchema:
    """Schema of ``data/divisions.csv`` (generated by ``scripts/make_divisions.py``)."""
    code = pa.Check.str_matches(rf"{_CODE}|^$")
    parents = pa.Check(
        lambda df: (df["parent_id"] == "") | df["parent_id"].isin(df["region_id"]),
        error="parent_id must be the id of a division in the registry",
    )
    return pa.DataFrameSchema(
        {
            "region_id": pa.Column(str, pa.Check.str_matches(_CODE), unique=True),
            "division": pa.Column(str, pa.Check.isin(DIVISIONS)),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "full_name_zh": pa.Column(str, pa.Check.str_length(min_value=1)),
            "name_en": pa.Column(str),
            "full_name_en": pa.Column(str),
            "parent_id": pa.Column(str, code),
            "province_id": pa.Column(str, code),
            "prefecture_id": pa.Column(str, code),
            "macro_region": pa.Column(str, pa.Check.isin(("", *MACRO_REGIONS))),
            "aliases": pa.Column(str),
        },
        checks=[parents],
        strict=True,
        ordered=True,
    )


def index_table_schema(number: int, known_ids) -> pa.DataFrameSchema:
    """Schema of published index table ``number`` (表1–9, 表13–15) at its level. Whether its ranks follow its
    scores is the audit's check (:func:`livecommerce.analysis.audit.run`), by the report's rule for ties."""
    level = next(lv for lv, tables in INDEX_TABLES.items() if number in tables)
    size = LEVEL_SIZES[level]
    columns = {
        "table": pa.Column(int, pa.Check.eq(number), coerce=True),
        "level": pa.Column(str, pa.Check.eq(level)),
        "rank": pa.Column(int, pa.Check.in_range(1, size), coerce=True),
        "region_id": pa.Column(str, [pa.Check.str_matches(_CODE), pa.Check.isin(list(known_ids))], unique=True),
        "region": pa.Column(str, pa.Check.str_length(min_value=1)),
    }
    for measure in INDEX_TABLES[level][number]:
        columns[measure] = pa.Column(float, pa.Check.in_range(*SCALE), coerce=True)
    if number == 1:
        columns["yoy_growth"] = pa.Column(float, pa.Check.gt(-1.0), coerce=True)
    if number in (1, 2, 3):
        columns["rank_change"] = pa.Column(int, pa.Check.in_range(1 - size, size - 1), coerce=True)
    return pa.DataFrameSchema(columns, checks=[_rows(size)], strict=True, ordered=True)


def top5_schema(number: int, province_ids) -> pa.DataFrameSchema:
    """Schema of a Sichuan top-5 list (表10–12)."""
    text = pa.Check.str_length(min_value=1)
    return pa.DataFrameSchema(
        {
            "table": pa.Column(int, pa.Check.eq(number), coerce=True),
            "category": pa.Column(str, pa.Check.eq(TOP5_TABLES[number])),
            "rank": pa.Column(int, pa.Check.in_range(1, 5), unique=True, coerce=True),
            "brand": pa.Column(str, text),
            "shop": pa.Column(str, text),
            "destination": pa.Column(str, text),
            "destination_id": pa.Column(str, pa.Check.isin(list(province_ids))),
        },
        checks=[_rows(5)],
        strict=True,
        ordered=True,
    )


def facts_schema() -> pa.DataFrameSchema:
    """Schema of ``facts.csv``: chapters 1, 2 and 4's statistics with their cited sources; the English names of
    section and source (``section_en``, ``source_en``) may be left out of an edition's facts, and where given, an
    English name is given for every section and every cited source."""
    text = pa.Check.str_length(min_value=1)
    english_source = pa.Check(
        lambda df: (df["source"] == "") == (df["source_en"] == "") if "source_en" in df else True,
        element_wise=False,
        error="source_en must name the source in English where source names one, and be empty where it is",
    )
    return pa.DataFrameSchema(
        {
            "fact_id": pa.Column(str, pa.Check.str_matches(r"^F\d{2,}$"), unique=True),
            "section": pa.Column(str, text),
            "section_en": pa.Column(str, text, required=False),
            "measure": pa.Column(str, text),
            "value": pa.Column(float, pa.Check.ge(0), coerce=True),
            "unit": pa.Column(str, pa.Check.isin(list(FACT_UNITS))),
            "qualifier": pa.Column(str, pa.Check.isin(["exact", "at_most", "at_least", "more_than"])),
            "kind": pa.Column(str, pa.Check.isin(["observed", "estimate", "projection", "target"])),
            "period": pa.Column(str, text),
            "geography": pa.Column(str, text),
            "source": pa.Column(str),
            "source_en": pa.Column(str, required=False),
            "quote": pa.Column(str, text),
            "note": pa.Column(str),
        },
        checks=[english_source],
        strict=True,
        ordered=True,
    )


CLAIM_KINDS = (
    "rank",
    "value",
    "rank_up",
    "previous_top",
    "growth_above_median",
    "top",
    "first_in_group",
    "weakest_subindex",
    "list:brand",
    "list:shop",
    "list:destination",
)


def claims_schema() -> pa.DataFrameSchema:
    """Schema of ``claims.csv``: what chapter 3's prose says the tables show."""
    return pa.DataFrameSchema(
        {
            "claim_id": pa.Column(str, pa.Check.str_matches(r"^C\d{2,}$"), unique=True),
            "table": pa.Column(int, pa.Check.isin(list(RANKED_MEASURE) + list(TOP5_TABLES)), coerce=True),
            "section": pa.Column(str),
            "claim": pa.Column(str, pa.Check.isin(CLAIM_KINDS)),
            "region": pa.Column(str),
            "expected": pa.Column(str),
            "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        strict=True,
        ordered=True,
    )


def panel_schema(
    valid: dict[str, tuple[float, float]], nullable: bool = False, codes: bool = True
) -> pa.DataFrameSchema:
    """Schema of a raw panel: ``region_id`` (may be blank; a six-digit code unless not ``codes``, for a user
    registry's ids), ``region`` and each indicator in its valid range (empty cells allowed only if ``nullable``)."""
    ids = pa.Check.str_matches(rf"{_CODE}|^$") if codes else pa.Check.str_matches(r"^\S*$")
    columns = {
        "region_id": pa.Column(str, ids, required=False),
        "region": pa.Column(str, pa.Check.str_length(min_value=1)),
    }
    for column, (low, high) in valid.items():
        columns[column] = pa.Column(float, pa.Check.in_range(low, high), coerce=True, nullable=nullable)
    return pa.DataFrameSchema(columns, strict=True)


def trends_schema() -> pa.DataFrameSchema:
    """Schema of ``trends.csv``: chapter 4's modules, their headline and sub-trends, as printed."""
    text = pa.Check.str_length(min_value=1)
    return pa.DataFrameSchema(
        {
            "trend_id": pa.Column(str, pa.Check.str_matches(r"^T\d{2,}$"), unique=True),
            "section": pa.Column(str, pa.Check.str_startswith("四")),
            "module": pa.Column(str, pa.Check.isin(list(MODULES))),
            "module_zh": pa.Column(str, text),
            "role": pa.Column(str, pa.Check.isin(["centre", "participant"])),
            "headline": pa.Column(str, text),
            "trend": pa.Column(str, text),
        },
        checks=[
            pa.Check(
                lambda df: df["module_zh"] == df["module"].map(lambda m: MODULE_LABELS[m]["zh"]),
                error="module_zh must be the module's Chinese name",
            )
        ],
        strict=True,
        ordered=True,
    )
