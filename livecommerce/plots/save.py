"""Save a figure as PNG (300 dpi) and SVG, optionally PDF, with no volatile metadata: same figure, same bytes.

The PNG is Agg's drawing written here (:func:`png`): zlib's fastest level, each row as it is (no row filter). Pillow
tries each of PNG's five filters on every row, and that takes twice the time of the rest (a report saves some fifty
figures, each some four million pixels); the files are about as large (a sixth smaller to a third larger).

With ``caption`` and ``source``, the figure also gets a sidecar ``<name>.json`` = ``{"caption": ..., "source":
...}`` in the figure's language, which the edition reads to number the figure (图N) and print its caption and
来源 line under it as text (never inside the image, so that a page prints each once).
"""

import io
import json
import re
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image as PILImage

from livecommerce import arguments
from livecommerce.data.io import atomic_path
from livecommerce.errors import ParameterError
from livecommerce.plots.theme import PAD

__all__ = ["DPI", "FORMATS", "png", "save"]

FORMATS = ("png", "svg", "pdf")
DPI = 300
"""The resolution figures are saved at (the PNG's pixels; what a PDF or SVG holds as pixels)."""
_RC = {
    "svg.hashsalt": "livecommerce",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.constrained_layout.use": False,  # so that a figure left without a layout engine stays without one
    "figure.autolayout": False,
}
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}


def save(
    fig,
    name: str,
    folder: Path | str = "figures",
    formats=("png", "svg"),
    caption: str | None = None,
    source: str | None = None,
) -> list[Path]:
    """Write ``fig`` as ``folder/name.<format>`` for each format, each atomically; return the paths.

    ``caption`` (without a number) and ``source`` (the 来源 text without its 来源： prefix: the report's cited
    source, or 本报告计算 with the settings) are given together or not at all: they are the edition's caption and
    figure's 来源 line; both go to ``folder/name.json`` (also returned). The figure is laid out once and keeps that
    layout afterwards (no layout engine): save it when it is complete.
    """
    arguments.instance(fig, "fig", Figure, "a matplotlib Figure")
    formats = arguments.names(formats, "formats")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ParameterError(f"formats={formats!r}: choose from {', '.join(FORMATS)}")
    arguments.path(folder, "folder")
    if not arguments.string(name, "name") or Path(name).name != name:
        raise ParameterError(f"name={name!r} must be a plain file name without folders")
    if (caption is None) != (source is None):
        raise ParameterError("caption and source: give both (a published figure has both) or neither")
    if source is not None:
        for value, label in ((caption, "caption"), (source, "source")):
            if not arguments.string(value, label).strip():
                raise ParameterError(f"{label} is empty: every published figure has a {label}")
    paths = []
    with mpl.rc_context(_RC), _on_agg(fig):
        bbox = _laid_out(fig)
        for fmt in formats:
            path = Path(folder) / f"{name}.{fmt}"
            with atomic_path(path) as tmp:
                if fmt == "png":
                    tmp.write_bytes(png(_pixels(fig, bbox)))
                else:
                    fig.savefig(tmp, format=fmt, dpi=DPI, metadata=_METADATA[fmt], bbox_inches=bbox)
                if fmt == "svg":
                    tmp.write_text(_numbered_ids(tmp.read_text(encoding="utf-8")), encoding="utf-8")
            paths.append(path)
    if source is not None:
        path = Path(folder) / f"{name}.json"
        with atomic_path(path) as tmp:
            sidecar = {"caption": caption.strip(), "source": source.strip()}
            tmp.write_text(json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _laid_out(fig) -> Bbox:
    """Lay ``fig`` out once and hold it still; return the box of what it draws (padded by
    :data:`~livecommerce.plots.theme.PAD`, in 1/10,000 inch), so that every format is cut the same and drawn once,
    not laid out and measured again for each (savefig lays a constrained layout out on every draw, and measures
    before it draws). The figure keeps that layout: a figure saved again gives the same bytes. Called under
    ``_RC``, whose layout settings keep savefig from giving the figure its engine back."""
    engine = fig.get_layout_engine()
    if fig.axes and engine is not None:  # what a draw does first; the rest of a draw (a tenth of a save) is not needed
        engine.execute(fig)
    fig.set_layout_engine(None)  # none at all (under _RC): "none" keeps a placeholder, and savefig measures again
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(PAD)
    return Bbox(box.get_points().round(4))


def png(pixels: np.ndarray, dpi: float = DPI) -> bytes:
    """The PNG file of 8-bit RGBA ``pixels`` (height × width × 4, the top row first) at ``dpi``: zlib's fastest level,
    each row unfiltered, and no chunk but the image's size, resolution and data (the same bytes for the same
    pixels). Opaque pixels (every alpha 255, as a figure on its white face) are written as RGB: a quarter fewer
    bytes to compress, and none for a reader to keep as a transparency mask (the PDF, the DOCX)."""
    pixels = np.asarray(pixels)
    if pixels.ndim != 3 or pixels.shape[2] != 4 or pixels.dtype != np.uint8 or 0 in pixels.shape:
        raise ParameterError(f"png needs 8-bit RGBA pixels (height × width × 4), got {pixels.dtype} {pixels.shape}")
    height, width, _ = pixels.shape
    channels, colour = (3, 2) if (pixels[..., 3] == 255).all() else (4, 6)  # PNG's colour types: RGB, RGBA
    if channels == 3:  # Pillow drops the alpha in a third of the time numpy's strided copy takes
        pixels = np.asarray(PILImage.fromarray(np.ascontiguousarray(pixels)).convert("RGB"))
    rows = np.empty((height, 1 + channels * width), np.uint8)
    rows[:, 0] = 0  # each row opens with its filter, 0: none
    rows[:, 1:] = pixels.reshape(height, channels * width)
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)),  # 8 bits, not interlaced
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),  # pixels per metre
            _chunk(b"IDAT", zlib.compress(rows, 1)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@contextmanager
def _on_agg(fig):
    """While in it, ``fig`` is on an Agg canvas: its own, or one lent for the while (as savefig lends one for a
    format its canvas cannot write), so that a figure of any backend is laid out, measured and drawn alike."""
    own = fig.canvas
    if not isinstance(own, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # the figure's canvas until it is given its own back
    try:
        yield
    finally:
        fig.set_canvas(own)


def _pixels(fig, box: Bbox) -> np.ndarray:
    """``fig`` drawn on its Agg canvas at :data:`DPI`, cut to ``box`` as savefig cuts it: its RGBA pixels, the top
    row first. The canvas keeps them (a notebook's preview is made from them)."""
    fig.canvas.print_figure(io.BytesIO(), format="raw", dpi=DPI, bbox_inches=box)
    return np.asarray(fig.canvas.renderer.buffer_rgba())


_HASHED_ID = re.compile(r'(?<=[#"])([a-z]{1,2})([0-9a-f]{10})(?=[")])')
"""An id as it is defined (``id="…"``) or used (``#…"``, ``url(#…)``)."""


def _numbered_ids(svg: str) -> str:
    """Replace matplotlib's hashed SVG ids (clip paths, markers), which vary between saves, by numbers."""
    numbers = {}

    def number(match: re.Match) -> str:
        return f"{match.group(1)}{numbers.setdefault(match.group(0), len(numbers) + 1):010d}"

    return _HASHED_ID.sub(number, svg)
