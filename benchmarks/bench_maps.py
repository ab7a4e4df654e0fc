"""Benchmark of the maps (make bench). Prints figures; asserts nothing.

Targets (issue 23): the national county map (2,848 polygons, with the South China Sea inset) drawn and saved in
under 10 s; the report's two maps (the provinces, Sichuan's prefectures) no slower than before. Each map is drawn
and saved as PNG twice: first in a process that has read none of its boundary files (they are read, projected and
thinned), then again (kept for the process).
"""

import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from livecommerce import plots  # noqa: E402
from livecommerce.data import published as data  # noqa: E402
from livecommerce.data.boundaries import NOT_COVERED  # noqa: E402
from livecommerce.data.regions import divisions  # noqa: E402


def seconds(draw, folder: Path, name: str) -> float:
    """Draw a map and save it as PNG, in seconds."""
    start = time.perf_counter()
    plots.save(draw().figure, name, folder, formats=("png",))
    elapsed = time.perf_counter() - start
    plt.close("all")
    return elapsed


def counties(province: str | None = None) -> pd.Series:
    """Made-up scores of every county-level division of the mainland, or of one province."""
    table = divisions("county")
    table = table[~table["province_id"].isin(NOT_COVERED)]
    if province:
        table = table[table["province_id"] == province]
    return pd.Series(np.random.default_rng(1).uniform(60, 100, len(table)), index=table.index.to_numpy())


if __name__ == "__main__":
    plots.set_theme()
    maps = {
        "provinces (report)": lambda: plots.choropleth(data.load_index("province")["overall"], "province"),
        "Sichuan's prefectures (report)": lambda: plots.choropleth(data.load_index("prefecture")["overall"]),
        "Sichuan's 183 counties": lambda: plots.choropleth(counties("510000")),
        f"every county, {len(counties())} polygons (target < 10 s)": lambda: plots.choropleth(counties()),
    }
    with tempfile.TemporaryDirectory() as folder:
        for k, (name, draw) in enumerate(maps.items()):
            first, again = (seconds(draw, Path(folder), f"map{k}") for _ in range(2))
            print(f"map of {name}: {first:.2f} s drawn and saved first, {again:.2f} s again")
