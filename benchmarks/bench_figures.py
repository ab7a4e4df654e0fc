"""Benchmark of saving the report's figures (make bench). Prints figures; asserts nothing.

Saving is most of a chapter notebook's processor time (issue 22: the report in 30 s). For four of the report's
figures, each drawn afresh for each measure: the processor seconds ``plots.save`` takes for PNG (300 dpi) alone, SVG
alone and both (the figure laid out once, then drawn once for each format); then, for the PNG, what its encoding
takes by Pillow at zlib's default level and at the fastest, and by ``plots.save.png`` (the fastest level, rows
unfiltered: what ``plots.save`` writes), with the bytes each gives, and what a notebook's preview takes made from
the saved file (decoded again) and from the pixels the canvas holds (what ``Run.figure`` does).
"""

import io
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from livecommerce import plots  # noqa: E402
from livecommerce.analysis.sensitivity import uncertainty  # noqa: E402
from livecommerce.data import published as data  # noqa: E402
from livecommerce.index import model  # noqa: E402
from livecommerce.plots.save import png as png_bytes  # noqa: E402


def cpu(work) -> float:
    """Processor seconds ``work()`` takes."""
    start = time.process_time()
    work()
    return time.process_time() - start


def encoded(image: Image.Image, level: int) -> tuple[float, int]:
    """Processor seconds of encoding ``image`` as PNG by Pillow at zlib ``level``, and the bytes it gives."""
    buffer = io.BytesIO()
    return cpu(lambda: image.save(buffer, format="PNG", compress_level=level)), len(buffer.getvalue())


if __name__ == "__main__":
    plots.set_theme()
    province = data.load_index("province")
    drawn = uncertainty.monte_carlo(model.from_published("province"), n_draws=2_000, seed=1)
    figures = {
        "ranked provinces": lambda: plots.ranked(province).figure,
        "heatmap of the provinces": lambda: plots.heatmap(province).figure,
        "map of the provinces": lambda: plots.choropleth(province["overall"], "province").figure,
        "outranking of the provinces": lambda: plots.outranking(drawn.outranking()).figure,
    }
    with tempfile.TemporaryDirectory() as folder:
        for name, draw in figures.items():
            seconds = {}
            for formats in (("png",), ("svg",), ("png", "svg")):
                fig = draw()
                seconds[formats] = cpu(lambda fig=fig, formats=formats: plots.save(fig, "f", folder, formats))
                plt.close(fig)
            png, svg, both = seconds.values()
            print(f"{name}: saved {both:.2f} s (PNG alone {png:.2f} s, SVG alone {svg:.2f} s)")
            fig = draw()
            path = plots.save(fig, "f", folder, ("png",))[0]
            held = np.asarray(fig.canvas.renderer.buffer_rgba())
            with Image.open(path) as saved:
                from_file = cpu(lambda saved=saved: saved.convert("RGBA").reduce(3))  # as runs._preview does
                (default, default_size), (fastest, fastest_size) = encoded(saved, 6), encoded(saved, 1)
            ours = cpu(lambda held=held: png_bytes(held))
            from_canvas = cpu(lambda held=held: Image.fromarray(held).reduce(3))
            plt.close(fig)
            print(
                f"  PNG encoding by Pillow {default:.3f} s at the default level ({default_size:,} bytes), "
                f"{fastest:.3f} s at the fastest ({fastest_size:,} bytes); by plots.save.png {ours:.3f} s "
                f"({Path(path).stat().st_size:,} bytes); preview from the file {from_file:.3f} s, from the canvas "
                f"{from_canvas:.3f} s"
            )
