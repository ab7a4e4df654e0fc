"""Benchmark of the what-if callback of notebook 08 (make bench). Prints figures; asserts nothing.

Targets (issue 16): one change of the sliders or menus answered within 100 ms at the 31 provinces and within
1 s at 3,000 synthetic regions. Timed: :func:`livecommerce.analysis.whatif.what_if` (new choices → scores, ranks and the
table of changed ranks), the median of ``REPEATS`` changes with seeded random slider positions; and the whole
answer to one slider move in the explorer of notebook 08 (callback, ranked chart and changed-rank table redrawn).
"""

import time
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from livecommerce import plots  # noqa: E402
from livecommerce.analysis import whatif as explore  # noqa: E402
from livecommerce.plots.explorer import Explorer  # noqa: E402
from livecommerce.study.study import Study  # noqa: E402

REPEATS = 21


def changes(model, rng) -> list[dict]:
    """Seeded slider positions for every node, as the widgets hand them over."""
    return [
        {node.id: dict(zip(node.children, rng.uniform(0.05, 1, len(node.children)))) for node in model.nodes}
        for _ in range(REPEATS)
    ]


def callback_ms(model) -> float:
    baseline = explore.what_if(model).table["baseline_rank"]
    times = []
    for weights in changes(model, np.random.default_rng(1)):
        start = time.perf_counter()
        explore.what_if(model, weights, baseline=baseline)
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def slider_ms(study) -> float:
    """One slider moved in :class:`livecommerce.plots.explorer.Explorer`: the callback and both redraws."""
    explorer = Explorer(study, lang="zh")
    sliders = explorer._all_sliders()
    positions = np.random.default_rng(2).uniform(0.05, 1, REPEATS)
    times = []
    for k, value in enumerate(positions):
        start = time.perf_counter()
        sliders[k % len(sliders)].value = float(round(value, 2))
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def synthetic(model, n_regions: int, seed: int = 3):
    """The province model's tree over ``n_regions`` invented regions (leaf scores uniform on 60–100)."""
    regions = pd.Index([f"{k:06d}" for k in range(n_regions)], name="region_id")
    scores = np.random.default_rng(seed).uniform(60, 100, (n_regions, len(model.leaves)))
    return replace(
        model,
        regions=regions,
        scores={"published": scores},
        names=pd.Series(regions, index=regions),
        published_rank=None,
    )


if __name__ == "__main__":
    plots.set_theme()
    province = explore.explorer_model(Study.build("province"))
    large = synthetic(province, 3000)
    print(f"what-if callback, 31 provinces: {callback_ms(province):.2f} ms per change (target < 100 ms)")
    print(f"what-if callback, 3000 synthetic regions: {callback_ms(large):.2f} ms per change (target < 1000 ms)")
    print(f"explorer, one slider move, 31 provinces: {slider_ms(Study.build('province')):.2f} ms (target < 100 ms)")
