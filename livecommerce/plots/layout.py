"""Labels that never overprint: a one-dimensional spread (slope charts) and a greedy placement with leader lines
(maps). Both work in display units on a figure whose layout is settled, and both are deterministic."""

import numpy as np
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox, BboxBase

from livecommerce import arguments
from livecommerce.errors import ParameterError

__all__ = ["LEADER", "place", "spread"]

LEADER = {"color": "#555555", "linewidth": 0.5}
"""Leader lines from a moved label to its point."""


def spread(targets, gap: float) -> np.ndarray:
    """Positions as near ``targets`` as possible (least squares) with neighbours at least ``gap`` apart, order kept.

    Isotonic regression of ``targets[i] - i * gap`` (pool adjacent violators), then ``i * gap`` added back.
    """
    targets = arguments.array(targets, "targets", ndim=(1,)).astype(float)
    if not arguments.number(gap, "gap") >= 0:
        raise ParameterError(f"gap={gap!r} must be zero or more")
    order = np.argsort(targets, kind="stable")
    shifted = targets[order] - gap * np.arange(len(targets))
    blocks: list[list[float]] = []  # [mean, count] of pooled runs
    for value in shifted:
        blocks.append([value, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1] = [
                (blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count),
                blocks[-1][1] + count,
            ]
    fitted = np.concatenate([np.full(count, mean) for mean, count in blocks]) if blocks else shifted
    positions = np.empty_like(targets)
    positions[order] = fitted + gap * np.arange(len(targets))
    return positions


def _padded(box: Bbox, pad: float) -> Bbox:
    return Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)


def place(
    ax, points, labels, obstacles=(), fontsize=None, beside: float | None = None, pad: float = 1.5, steps: int = 40
) -> list:
    """Write ``labels`` at ``points`` (data coordinates), in the given order, each at its point (or, with
    ``beside``, that many points right of it, the points themselves kept clear) if it fits, else at the nearest
    free spot on rings around there (east first, then north and south, west last), joined to the point by a leader
    line; a label never overlaps another label nor an ``obstacles`` box (display units). Returns the texts."""
    arguments.instance(ax, "ax", Axes, "matplotlib Axes")
    points = arguments.array(points, "points", ndim=(2,))
    labels = [arguments.string(label, "labels") for label in arguments.names(labels, "labels")]
    if points.shape != (len(labels), 2):
        raise ParameterError(f"points: expected one (x, y) per label ({len(labels)}), got shape {points.shape}")
    obstacles = [
        arguments.instance(b, "obstacles", BboxBase, "a list of Bbox") for b in arguments.names(obstacles, "obstacles")
    ]
    arguments.optional(arguments.number, fontsize, "fontsize")
    arguments.optional(arguments.number, beside, "beside")
    arguments.number(pad, "pad")
    arguments.integer(steps, "steps", 1)
    fig = ax.figure
    ax.set_autoscale_on(False)  # leader lines must not move the limits
    fig.draw_without_rendering()  # settle the layout: positions are computed in display units
    to_display, to_data = ax.transData, ax.transData.inverted()
    pixels = fig.dpi / 72  # display units per point
    taken = [_padded(b, pad * pixels) for b in obstacles]
    if beside is not None:  # the markers: a box of ``beside`` points around each
        taken += [_padded(Bbox.from_bounds(*to_display.transform(p), 0, 0), beside * pixels) for p in points]
    frame = ax.get_window_extent()
    angles = np.deg2rad([0, 30, -30, 60, -60, 90, -90, 120, -120, 150, -150, 180])
    texts = []
    for (x, y), label in zip(points, labels, strict=True):
        anchor = to_display.transform((x, y))
        text = ax.text(x, y, label, ha="center", va="center", fontsize=fontsize, color="#222222", zorder=4)
        box = text.get_window_extent()
        width, height = box.width, box.height
        start = anchor if beside is None else anchor + np.array([width / 2 + beside * pixels + pad * pixels, 0])
        spot, moved = start, False
        for step in range(steps):
            radius = step * 0.6 * height
            candidates = [start] if step == 0 else [start + radius * np.array([np.cos(a), np.sin(a)]) for a in angles]
            fits = [c for c in candidates if _free(c, width, height, taken, frame, pad * pixels)]
            if fits:
                spot, moved = fits[0], step > 0
                break
        taken.append(_padded(Bbox.from_bounds(spot[0] - width / 2, spot[1] - height / 2, width, height), pad * pixels))
        text.set_position(to_data.transform(spot))
        if moved:
            _leader(ax, anchor, spot, width, height, to_data)
        texts.append(text)
    return texts


def _free(centre, width, height, taken, frame, pad) -> bool:
    box = Bbox.from_bounds(centre[0] - width / 2, centre[1] - height / 2, width, height)
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in taken)


def _leader(ax, anchor, spot, width, height, to_data):
    """A line from the point to the nearest edge of the moved label."""
    dx, dy = anchor - spot
    scale = max(abs(dx) / (width / 2) if dx else 0, abs(dy) / (height / 2) if dy else 0, 1)
    edge = spot + np.array([dx, dy]) / scale
    (x0, y0), (x1, y1) = to_data.transform(anchor), to_data.transform(edge)
    ax.plot([x0, x1], [y0, y1], zorder=3.5, **LEADER)
    ax.plot([x0], [y0], marker="o", markersize=1.5, zorder=3.5, color=LEADER["color"])
