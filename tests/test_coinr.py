"""Normalisations and aggregations against COINr 1.1.14 on the same data: the report's province sub-indices and
COINr's ASEM example (tests/reference/coinr/, written by scripts/coinr_reference.R from the inputs that
scripts/export_coinr_inputs.py exports)."""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from livecommerce.index import normalise as nm
from livecommerce.index.aggregate import aggregate

FOLDER = Path(__file__).parent / "reference" / "coinr"
DATASETS = {"report": "report_inputs.csv", "asem": "asem_inputs.csv"}
TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


@cache
def references() -> pd.DataFrame:
    return pd.read_csv(FOLDER / "references.csv", comment="#", dtype={"region": str, "column": str})


@cache
def inputs(dataset: str) -> tuple[pd.DataFrame, pd.Series]:
    frame = pd.read_csv(FOLDER / DATASETS[dataset], comment="#", dtype={"region": str}).set_index("region")
    weights = frame.loc["weight"]
    return frame.drop(index="weight"), weights / weights.sum()


def reference(dataset: str, method: str) -> pd.DataFrame:
    """COINr's output for ``method``: regions × columns (a Series by region for an aggregation)."""
    rows = references()[(references()["dataset"] == dataset) & (references()["method"] == method)]
    assert len(rows), f"no reference for {dataset}/{method}"
    table = rows.pivot(index="region", columns="column", values="value")
    return table.iloc[:, 0] if table.shape[1] == 1 else table


def test_the_references_name_coinr_and_the_script():
    for name in ("references.csv", "asem_inputs.csv"):
        first = (FOLDER / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# COINr 1.1.14, scripts/coinr_reference.R")


@pytest.mark.parametrize("dataset", DATASETS)
def test_normalisations_agree_with_coinr(dataset):
    data, _ = inputs(dataset)
    posts, target = reference(dataset, "posts"), reference(dataset, "target")
    scaled = reference(dataset, "scaled_params")
    negative = dict.fromkeys(data.columns, -1)
    # where the reference region is the worst, COINr divides by zero and we refuse (tested in test_normalise)
    scalable = data.columns[data.iloc[1] > data.min()]
    assert not np.isfinite(reference(dataset, "dist2ref_2").loc[:, data.columns.difference(scalable)]).any().any()
    ours = {
        "minmax": nm.minmax(data),
        "zscore_10_2": nm.zscore(data, mean=10.0, spread=2.0),
        "goalposts": nm.goalposts(data, {c: (posts.at["low", c], posts.at["high", c]) for c in data}),
        "goalposts_negative": nm.goalposts(
            data, {c: (posts.at["low", c], posts.at["high", c]) for c in data}, directions=negative
        ),
        "dist2ref_2": nm.distance_to_reference(data[scalable], data.index[1], scale=1.0),
        "dist2targ_capped": nm.distance_to_target(data, target.loc["target"].to_dict(), cap=True, scale=1.0),
        "scaled_50_150": nm.scaled(data, low=scaled.at["scaled", "low"], high=scaled.at["scaled", "high"]),
        "rank": nm.rank_score(data, ties="min"),
        "borda": nm.rank_score(data, ties="min") - 1,
    }
    for method, frame in ours.items():
        expected = reference(dataset, method).loc[data.index, frame.columns]
        np.testing.assert_allclose(frame, expected, **TOLERANCE, err_msg=method)


@pytest.mark.parametrize("dataset", DATASETS)
def test_aggregations_agree_with_coinr(dataset):
    data, weights = inputs(dataset)
    scores = reference(dataset, "minmax_1_100").loc[data.index, data.columns]
    for method, aggregation, options in (
        ("arithmetic", "arithmetic", {}),
        ("geometric", "geometric", {}),
        ("harmonic", "harmonic", {}),
        ("genmean_2", "generalised", {"p": 2.0}),
        ("genmean_0.5", "generalised", {"p": 0.5}),
        ("genmean_-2", "generalised", {"p": -2.0}),
        ("copeland", "copeland", {}),
    ):
        expected = reference(dataset, method).loc[data.index]
        ours = aggregate(scores, weights, aggregation, **options)
        np.testing.assert_allclose(ours, expected, **TOLERANCE, err_msg=method)
        assert (ours.rank(method="min") == expected.rank(method="min")).all(), method
