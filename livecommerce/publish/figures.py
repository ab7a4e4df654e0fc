"""The run's figures as document blocks: each PNG of the output's ``figures/`` with the caption and source its
notebook wrote beside it (``<name>.json``: ``{"caption": …, "source": …}``, see :func:`livecommerce.plots.save`)."""

import json
import struct
from pathlib import Path

from livecommerce.errors import DataError
from livecommerce.publish.document import Figure, Paragraph

__all__ = ["FRAME_CM", "LEFT_OUT", "collect", "fitted", "natural_size", "png_size"]

LEFT_OUT = {"tables10_12_top5": "表10–12 are printed as tables"}
"""Figures the document does not print, and why."""


def collect(folder: Path | str) -> dict[str, Figure | Paragraph]:
    """Every figure of ``folder`` by name (its PNG file's stem), captioned from its sidecar (a figure without one
    is captioned by its name); a sidecar without a PNG that holds ``{"text": …}``
    (:func:`livecommerce.report.runs.Run.note`) is the sentence that stands in that figure's place."""
    out = {}
    for sidecar in sorted(Path(folder).glob("*.json")):
        if not sidecar.with_suffix(".png").is_file() and sidecar.stem not in LEFT_OUT:
            out[sidecar.stem] = Paragraph(str(_read(sidecar, ("text",))["text"]))
    for png in sorted(Path(folder).glob("*.png")):
        if png.stem in LEFT_OUT:
            continue
        sidecar = png.with_suffix(".json")
        meta = _read(sidecar, ("caption", "source")) if sidecar.is_file() else {"caption": png.stem, "source": ""}
        out[png.stem] = Figure(caption=str(meta["caption"]), source=str(meta["source"]), path=png)
    return dict(sorted(out.items()))


def _read(sidecar: Path, keys: tuple[str, ...]) -> dict:
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or any(k not in meta for k in keys):
            raise ValueError(f"missing {', '.join(k for k in keys if not isinstance(meta, dict) or k not in meta)}")
    except ValueError as exc:
        raise DataError(f"figure caption file {sidecar.name}: needs {' and '.join(map(repr, keys))} ({exc})") from None
    return meta


FRAME_CM = (16.0, 22.0)
"""The largest figure on an A4 page (cm): the text width at 2.5 cm margins, and the text height less room for
the caption and 来源 lines. The figures are drawn at this width with 8 pt text (:mod:`livecommerce.plots.theme`),
so they print at their own size, never shrunk below it unless taller than the frame."""


def png_size(path: Path | str) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    return _header(path)[:2]


def natural_size(path: Path | str) -> tuple[float, float] | None:
    """A PNG's size in cm at the resolution it was saved with (its pHYs chunk); None if it states none."""
    w, h, per_metre = _header(path)
    return None if per_metre is None else (w / per_metre * 100, h / per_metre * 100)


def fitted(path: Path | str, width: float = FRAME_CM[0], height: float = FRAME_CM[1]) -> tuple[float, float]:
    """The size (cm) a figure takes in a ``width`` × ``height`` frame: its natural size (:func:`natural_size`;
    a PNG that states no resolution fills the width), made smaller only as far as the frame requires."""
    w, h = png_size(path)
    natural = natural_size(path) or (width, width * h / w)
    scale = min(1.0, width / natural[0], height / natural[1])
    return natural[0] * scale, natural[1] * scale


def _header(path: Path | str) -> tuple[int, int, float | None]:
    """Width and height in pixels and pixels per metre (None if not stated) from a PNG's chunks before its data."""
    with open(path, "rb") as handle:
        if handle.read(8) != b"\x89PNG\r\n\x1a\n":
            raise DataError(f"figure {Path(path).name}: not a PNG file")
        size, per_metre = None, None
        while True:
            head = handle.read(8)
            if len(head) < 8:
                break
            length, kind = struct.unpack(">I4s", head)
            body = handle.read(length)
            handle.read(4)  # CRC
            if kind == b"IHDR":
                size = struct.unpack(">II", body[:8])
            elif kind == b"pHYs":
                x, y, unit = struct.unpack(">IIB", body[:9])
                per_metre = x if unit == 1 and x == y and x > 0 else None
            elif kind in (b"IDAT", b"IEND"):
                break
    if size is None:
        raise DataError(f"figure {Path(path).name}: not a PNG file")
    return (*size, per_metre)
