"""The run's figures as edition blocks: each PNG of the output's ``figures/`` with the caption and source its
notebook wrote beside it (``<name>.json``: ``{"caption": …, "source": …}``, see :func:`livecommerce.plots.save`)."""

import json
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
