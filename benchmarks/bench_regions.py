"""Benchmark of the national registry and a county-level study (make bench). Prints figures; asserts nothing.

A SYNTHETIC panel of every county-level division (2,870) under the report's 17 indicators: seeded log-normal counts
and uniform 1–5 scores. The numbers are made up; the regions are the registry's.
1. loading the registry and the county set (first use, then cached);
2. Study.build of the county set (the issue's target: under 2 s), 表1 ranked within each province, a profile.
"""

import time

import numpy as np
import pandas as pd

from livecommerce.data.regions import region_set, resolve
from livecommerce.index.scheme import load_scheme
from livecommerce.study.study import Study


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = function(*args, **kwargs)
    return time.perf_counter() - start, out


def synthetic_panel(ids: pd.Index, seed: int = 0) -> pd.DataFrame:
    """Made-up raw indicators of ``ids`` (see the module's docstring)."""
    columns = list(load_scheme().indicators)
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.lognormal(3, 1, (len(ids), len(columns))), index=ids, columns=columns)
    frame[["anchor_reputation", "service_score"]] = rng.uniform(1, 5, (len(ids), 2))
    return frame


if __name__ == "__main__":
    took, counties = timed(region_set, "county")
    print(f"registry and county set ({len(counties)} regions), first use: {took:.3f} s")
    took, _ = timed(region_set, "county")
    print(f"county set again (cached): {took * 1e6:.0f} µs")
    took, _ = timed(resolve, "峨边县", "county")
    print(f"first name resolved in the set (its name table built): {took * 1e3:.1f} ms")
    took, _ = timed(resolve, "长春市朝阳区", "county")
    print(f"a name under several parents resolved by its parent's: {took * 1e3:.2f} ms")
    panel = synthetic_panel(counties.ids)
    took, study = timed(Study.build, "county", panel)
    print(f"Study.build, {len(counties)} counties × {panel.shape[1]} indicators: {took:.2f} s (target: under 2 s)")
    took, _ = timed(study.table, 1, within="province_id")
    print(f"表1 ranked within each province: {took:.2f} s")
    took, _ = timed(study.profile, "冕宁县")
    print(f"profile of one county: {took:.2f} s")
