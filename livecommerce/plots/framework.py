"""The index's framework as a sunburst (COINr's plot_framework) and each column's distribution across regions
(plot_dist)."""

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, Wedge
from matplotlib.textpath import TextPath

from livecommerce import arguments
from livecommerce.data.regions import display_names
from livecommerce.errors import ParameterError
from livecommerce.index.scheme import Scheme
from livecommerce.plots.theme import PALETTE, axes, rows_height, small, wrap
from livecommerce.vocab import MEASURES
from livecommerce.words import check_lang, measure, text

__all__ = ["DISTRIBUTION_KINDS", "distribution", "framework", "framework_weights"]

DISTRIBUTION_KINDS = ("box", "violin")
"""How :func:`distribution` draws each column's distribution (the regions' points are drawn over either)."""

_RING = 0.9  # radial depth of a ring, in data units (the centre disc has radius 1)
_FILL = 0.95  # the share of a wedge's room (on its arc, across its ring) a label inside it may take
_SIDE = 6.0  # inches: a new figure's height (and width)
_LABEL_PAD = 0.08  # gap between a leaf's wedge and its radial label, in data units
_CYCLE = ("#3b6ea8", "#d1813b", "#4f9a6b", "#8e6bb0", "#b5525a", "#6b8e23", "#5b8fa8", "#a88b3b")
"""Colours of the root's children where the palette has none for their id."""


def framework_weights(scheme: Scheme, weights: Mapping | None = None) -> pd.DataFrame:
    """Each node and indicator below the root in tree order: its ``parent``, its ``weight`` there and its
    ``effective`` weight in the index (the product of the weights on its path). A node's weights come from
    ``weights`` (``{node: {child: weight}}``, such as a study's ``node_weights``) where given, else from the
    scheme (equal weights for ``"equal"``); a node whose weights the data derive must be given."""
    arguments.instance(scheme, "scheme", Scheme, "a Scheme (livecommerce.index.scheme.load_scheme)")
    given = dict(arguments.mapping({} if weights is None else weights, "weights"))
    unknown = [node for node in given if node not in scheme.nodes]
    if unknown:
        raise ParameterError(f"weights: {', '.join(map(repr, unknown))} is not a node of scheme {scheme.name!r}")
    problems, rows = [], {}
    for id, node in scheme.nodes.items():
        if id in given:
            w = pd.Series(given[id], dtype=float) if isinstance(given[id], Mapping) else given[id]
            w = arguments.series(w, f"weights[{id!r}]").astype(float)
        elif node.weights is not None:
            w = node.weights
        elif node.method == "equal":
            w = pd.Series(1 / len(node.children), index=list(node.children))
        else:
            problems.append(f"node {id!r} takes its weights from the data ({node.method}): give them in weights")
            continue
        if set(w.index) != set(node.children) or not (np.isfinite(w) & (w >= 0)).all() or not w.sum() > 0:
            problems.append(
                f"weights[{id!r}] must give each of {', '.join(node.children)} a non-negative weight, got {dict(w)}"
            )
            continue
        rows[id] = w / w.sum()
    if problems:
        raise ParameterError("; ".join(problems))
    order = scheme.preorder()[1:]
    parent = {child: id for id in scheme.nodes for child in scheme.nodes[id].children}
    effective = {scheme.root: 1.0}
    for id in order:
        effective[id] = effective[parent[id]] * rows[parent[id]][id]
    return pd.DataFrame(
        {
            "parent": [parent[i] for i in order],
            "weight": [rows[parent[i]][i] for i in order],
            "effective": [effective[i] for i in order],
        },
        index=pd.Index(order, name="component"),
    )


def framework(scheme: Scheme, weights: Mapping | None = None, lang: str = "zh", ax=None):
    """The scheme's tree as a sunburst: the index in the centre, one ring per step down the tree (pillars,
    sub-indices, indicators), each wedge's angle its effective weight (:func:`framework_weights`), clockwise from
    the top in the scheme's order. A node's label and effective weight sit in its wedge where they fit (else none);
    an indicator's run outward from its wedge, in the empty space beyond."""
    lang = check_lang(lang)
    table = framework_weights(scheme, weights)
    depth = {scheme.root: 0}
    for id, parent in table["parent"].items():
        depth[id] = depth[parent] + 1
    rings = max(depth.values())
    outer = 1 + rings * _RING
    whole = ax is None  # a new figure, all of it the sunburst's (constrained layout leaves no room for ticks)
    ax = axes(ax, _SIDE, _SIDE)
    fontsize = small()
    label_room = max(_extent(_leaf_label(scheme, id, table, lang), fontsize)[0] for id in scheme.indicators)
    points = _points_per_unit(ax, outer, label_room, whole)
    reach = outer + _LABEL_PAD + label_room / points
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(Circle((0, 0), 1, facecolor=PALETTE["overall"], edgecolor="white", linewidth=1))
    root = scheme.label(scheme.root, lang)
    _inside(ax, (root, wrap(root, 8)), 0, 0, 1.9 * points, 1.9 * points, 0, "white", fontsize)
    start = dict.fromkeys(scheme.nodes, 0.0)  # where each node's next child begins, as a share of the circle
    colour = {scheme.root: None}
    for id, row in table.iterrows():
        begin = start[row["parent"]]
        start[row["parent"]] = begin + row["effective"]
        start[id] = begin
        colour[id] = _colour(id, row["parent"], colour, scheme, depth[id])
        inner = 1 + (depth[id] - 1) * _RING
        theta1, theta2 = 90 - 360 * (begin + row["effective"]), 90 - 360 * begin
        ax.add_patch(Wedge((0, 0), inner + _RING, theta1, theta2, width=_RING, facecolor=colour[id], edgecolor="white"))
        mid = np.deg2rad((theta1 + theta2) / 2)
        if id in scheme.indicators:
            _radial(ax, _leaf_label(scheme, id, table, lang), inner + _RING + _LABEL_PAD, mid, fontsize)
            continue
        name, share = scheme.label(id, lang), f"{row['effective']:.1%}"
        labels = (f"{name}\n{share}", f"{name} {share}", f"{wrap(name, 10)}\n{share}")
        r = inner + _RING / 2
        arc = r * np.deg2rad(theta2 - theta1) * points
        _inside(
            ax,
            labels,
            r * np.cos(mid),
            r * np.sin(mid),
            arc,
            _RING * points,
            np.rad2deg(mid),
            _ink(colour[id]),
            fontsize,
        )
    return ax


def _leaf_label(scheme: Scheme, id: str, table: pd.DataFrame, lang: str) -> str:
    return wrap(f"{scheme.label(id, lang)} {table.at[id, 'effective']:.1%}", 24)


def _extent(label: str, fontsize: float) -> tuple[float, float]:
    """Width and height of ``label`` in points at ``fontsize`` (every line, as the theme's font draws it)."""
    lines = label.split("\n")
    widths = [TextPath((0, 0), line, size=fontsize, prop=FontProperties()).get_extents().width for line in lines]
    return max(widths), 1.25 * fontsize * len(lines)


def _points_per_unit(ax, outer: float, label_room: float, whole: bool) -> float:
    """Points per data unit once the sunburst and its leaf labels fill the shorter side of the axes (of the figure,
    if ``whole``: the axes will fill it once laid out)."""
    size = ax.figure.get_size_inches() * (1 if whole else ax.get_position().size)
    side = 72 * 0.97 * min(size)
    points = (side / 2 - label_room) / (outer + _LABEL_PAD)
    if points <= 0:
        raise ParameterError("ax is too small for the framework's labels: give it at least 5 inches a side")
    return points


def _inside(ax, labels, x: float, y: float, along: float, across: float, angle: float, ink, fontsize: float):
    """The first of ``labels`` that fits at (x, y) inside a wedge ``along`` points wide on its arc and ``across``
    points deep: level, else along the arc, else radially; none if none fits."""
    turns = ((min(along, across), min(along, across), 0.0), (along, across, angle - 90), (across, along, angle))
    for label in labels:
        width, height = _extent(label, fontsize)
        for room_x, room_y, degrees in turns:
            if width <= _FILL * room_x and height <= _FILL * room_y:
                rotation = _upright(degrees)
                return ax.text(x, y, label, ha="center", va="center", rotation=rotation, color=ink, fontsize=fontsize)
    return None


def _radial(ax, label: str, r: float, angle: float, fontsize: float):
    """``label`` running outward from radius ``r`` at ``angle`` (radians), never upside down."""
    degrees = np.rad2deg(angle) % 360
    left = 90 < degrees < 270
    ax.text(
        r * np.cos(angle),
        r * np.sin(angle),
        label,
        ha="right" if left else "left",
        va="center",
        rotation=degrees - 180 if left else degrees,
        rotation_mode="anchor",
        fontsize=fontsize,
    )


def _upright(degrees: float) -> float:
    """A text rotation between −90° and 90° along ``degrees`` (text never upside down)."""
    return (degrees + 90) % 180 - 90


def _colour(id: str, parent: str, colour: dict, scheme: Scheme, depth: int):
    """A root child's own colour (the palette's, else the cycle's); deeper wedges their parent's, lighter."""
    if colour[parent] is None:
        return PALETTE.get(id, _CYCLE[scheme.nodes[scheme.root].children.index(id) % len(_CYCLE)])
    if id in PALETTE and depth == 2:
        return PALETTE[id]
    rgb = np.array(to_rgb(colour[parent]))
    return tuple(rgb + (1 - rgb) * 0.35)


def _ink(face) -> str:
    """Black or white, whichever reads on ``face``."""
    r, g, b = to_rgb(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "white"


def distribution(
    frame: pd.DataFrame,
    labels: Mapping | None = None,
    focus: str | None = None,
    kind: str = "box",
    lang: str = "zh",
    ax=None,
):
    """Each column's distribution across regions (COINr's plot_dist), one row per column in the frame's order: a box
    (or violin) and every region's point, the ``focus`` region's point highlighted and named. The columns share one
    axis, so give them one scale (normalised scores, the 60–100 measures). A column is labelled by ``labels``
    (``{column: label}``, such as a scheme's ``labels(lang)``), else as a measure."""
    lang = check_lang(lang)
    arguments.choice(kind, "kind", DISTRIBUTION_KINDS)
    values = arguments.numeric_frame(frame, "distribution", min_rows=2)
    names = _column_labels(values.columns, labels, lang)
    if focus is not None and (not isinstance(focus, Hashable) or focus not in values.index):
        raise ParameterError(f"focus={focus!r} is not a region (row) of the frame")
    ax = axes(ax, rows_height(values.shape[1], 0.42, 1.1))
    y = np.arange(values.shape[1])[::-1].astype(float)
    columns = [values[c].to_numpy() for c in values.columns]
    if kind == "box":
        ax.boxplot(
            columns,
            positions=y,
            orientation="horizontal",
            widths=0.6,
            showfliers=False,
            patch_artist=True,
            boxprops={"facecolor": PALETTE["muted"], "alpha": 0.6},
            medianprops={"color": "black"},
        )
    else:
        parts = ax.violinplot(columns, positions=y, orientation="horizontal", widths=0.8, showextrema=False)
        for body in parts["bodies"]:
            body.set(facecolor=PALETTE["muted"], edgecolor=PALETTE["overall"], alpha=0.6)
    jitter = np.random.default_rng(0).uniform(-0.18, 0.18, size=len(values))
    others = values.index != focus
    for yy, column in zip(y, values.columns):
        ax.scatter(values[column][others], yy + jitter[others], s=9, color=PALETTE["people"], alpha=0.7, zorder=3)
    if focus is not None:
        ax.scatter(values.loc[focus], y, s=30, color=PALETTE["highlight"], edgecolor="black", zorder=4)
        ax.scatter([], [], s=30, color=PALETTE["highlight"], edgecolor="black", label=display_names([focus], lang)[0])
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.set_yticks(y, [wrap(name, 20) for name in names])
    ax.set_ylim(-0.6, len(y) - 0.4)
    ax.set_xlabel(text("score", lang))
    ax.grid(axis="y", visible=False)
    return ax


def _column_labels(columns: pd.Index, labels: Mapping | None, lang: str) -> list[str]:
    """Each column's label from ``labels``, else its measure name; every unlabelled column named at once."""
    if labels is not None:
        arguments.mapping(labels, "labels")
    known = {} if labels is None else labels
    missing = [c for c in columns if c not in known and c not in MEASURES]
    if missing:
        raise ParameterError(
            f"labels: no label for column(s) {', '.join(map(repr, missing))} (give labels, such as scheme.labels(lang))"
        )
    return [str(known[c]) if c in known else measure(c, lang) for c in columns]
