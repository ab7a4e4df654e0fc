"""The run's figures as edition blocks: each PNG of the output's ``figures/`` with the caption and source its
notebook wrote beside it (``<name>.json``: ``{"caption": …, "source": …}``, see :func:`livecommerce.plots.save`)."""

import json
import struct
from pathlib import Path

from ..errors import DataError
from .document import Figure

LEFT_OUT = {"tables10_12_top5": "表10–12 are printed as tables"}
"""Figures the edition does not print, and why."""


def collect(folder: Path | str) -> dict[str, Figure]:
    """Every figure of ``folder`` by name (its PNG file's stem), captioned from its sidecar; a figure without
    one is captioned by its name."""
    out = {}
    for png in sorted(Path(folder).glob("*.png")):
        if png.stem in LEFT_OUT:
            continue
        sidecar = png.with_suffix(".json")
        caption, source = png.stem, ""
        if sidecar.is_file():
            try:
                meta = json.loads(sidecar.read_text(encoding="utf-8"))
                caption, source = str(meta["caption"]), str(meta["source"])
            except (ValueError, KeyError, TypeError) as exc:
                raise DataError(f"figure caption file {sidecar.name}: needs 'caption' and 'source' ({exc})") from None
        out[png.stem] = Figure(caption=caption, source=source, path=png)
    return out


def png_size(path: Path | str) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    with open(path, "rb") as handle:
        head = handle.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise DataError(f"figure {Path(path).name}: not a PNG file")
    return struct.unpack(">II", head[16:24])


def fitted(path: Path | str, width: float, height: float) -> tuple[float, float]:
    """The size (same unit as ``width`` and ``height``) a figure takes in a ``width`` × ``height`` frame: the
    whole width, or less for a tall figure, so that a page holds it with its caption."""
    w, h = png_size(path)
    scale = min(width / w, height / h)
    return w * scale, h * scale
