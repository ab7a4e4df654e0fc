"""One house style for every figure, with a Chinese font that ships with the package (the words are
:mod:`livecommerce.words`'s, the 来源 lines :mod:`livecommerce.plots.sources`').

The Simplified Chinese glyphs come from Noto Sans CJK SC (SIL Open Font License 1.1), installed
from PyPI with the mplfonts package and registered with matplotlib here, by file: no system font,
no download at run time. mplfonts also ships SimHei, which is proprietary; it is never registered.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from livecommerce import arguments
from livecommerce.data.paths import installed_file
from livecommerce.errors import ParameterError

__all__ = [
    "CONTEXTS",
    "FONT_FILE",
    "FONT_SIZES",
    "PAD",
    "PALETTE",
    "SCORE_CMAP",
    "TEXT_WIDTH",
    "axes",
    "chinese_font",
    "font_file",
    "figure",
    "legend_above",
    "rank_ticks",
    "rows_height",
    "set_theme",
    "small",
    "upright",
    "wrap",
    "y_title",
]

CONTEXTS = ("paper", "notebook", "talk", "poster")
FONT_FILE = "mplfonts/fonts/NotoSansCJKsc-Regular.otf"

PALETTE = {
    "people": "#3b6ea8",
    "activity": "#7fa7d6",
    "sales": "#2f4f7f",
    "influence": "#a9c6e8",
    "goods": "#d1813b",
    "venue": "#4f9a6b",
    "overall": "#5b5b5b",
    "up": "#2e8b57",
    "down": "#c0392b",
    "muted": "#b8b8b8",
    "highlight": "#c0392b",
}
"""Colours of the measures (人 blues, 货 orange, 场 green) and of rank changes."""

SCORE_CMAP = "YlGnBu"
"""Sequential colour map of scores on the 60–100 scale (maps, heatmaps)."""

TEXT_WIDTH = 16 / 2.54
"""Width of an A4 page's text block (16 cm), in inches: no saved figure is wider, so none is shrunk to print."""
PAD = 0.03
"""Margin (inches) around a saved figure's content; a new figure is ``TEXT_WIDTH`` less both margins wide."""

FONT_SIZES = {"text": 9.0, "small": 8.0, "title": 10.0}
"""Font sizes in points at print size (before ``font_scale``); 8 pt is the smallest text on any figure."""


def font_file() -> Path | None:
    """The file of Noto Sans CJK SC (shipped by mplfonts) that every figure, page, PDF and DOCX is set in, or None if
    it is not installed."""
    return installed_file("mplfonts", FONT_FILE)


@lru_cache(maxsize=1)
def chinese_font() -> str:
    """Register Noto Sans CJK SC with matplotlib (once) and return its family name."""
    path = font_file()
    if path is None:
        raise ParameterError(
            "the Chinese font (Noto Sans CJK SC, from the mplfonts package) is not installed; "
            "reinstall livecommerce with its dependencies"
        )
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def set_theme(context: str = "paper", font_scale: float = 1.0) -> None:
    """Seaborn's theme, then the house style: CJK-capable font, print sizes (``FONT_SIZES`` × ``font_scale``),
    300 dpi output, vector text as paths, every text printed as written (no mathtext). It keeps no language: every
    chart takes ``lang``."""
    arguments.choice(context, "context", CONTEXTS)
    arguments.number(font_scale, "font_scale")
    import seaborn as sns  # here, not above: it loads scipy.stats (a second), which a process drawing nothing skips

    family = chinese_font()
    size = {key: value * font_scale for key, value in FONT_SIZES.items()}
    sns.set_theme(
        context=context,
        style="whitegrid",
        rc={
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "font.size": size["text"],
            "axes.labelsize": size["text"],
            "axes.titlesize": size["title"],
            "xtick.labelsize": size["small"],
            "ytick.labelsize": size["small"],
            "legend.fontsize": size["small"],
            "legend.title_fontsize": size["small"],
            "figure.titlesize": size["title"],
            "axes.unicode_minus": False,
            "text.parse_math": False,  # a user's label prints as written: no mathtext in cost $5 per $
            "axes.titleweight": "normal",
            "axes.titlelocation": "left",
            "figure.dpi": 100,
            "savefig.dpi": 300,
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
            "figure.constrained_layout.use": True,
            "axes.spines.right": False,
            "axes.spines.top": False,
        },
    )


def small() -> float:
    """The size of the smallest text (annotations, ticks, legends, source lines), in points."""
    return font_manager.FontProperties(size=mpl.rcParams["legend.fontsize"]).get_size_in_points()


def figure(height: float, width: float = TEXT_WIDTH) -> Figure:
    """A new figure ``height`` inches high and, by default, as wide as an A4 page's text block once saved."""
    for value, name in ((height, "height"), (width, "width")):
        if not arguments.number(value, name) > 2 * PAD:
            raise ParameterError(f"{name}={value!r} must be a size in inches above {2 * PAD}")
    return plt.figure(figsize=(min(width, TEXT_WIDTH) - 2 * PAD, height))


def axes(ax, height: float, width: float = TEXT_WIDTH) -> Axes:
    """``ax`` if given (matplotlib Axes), else the axes of a new :func:`figure`: the one way a chart gets axes."""
    if ax is None:
        return figure(height, width).add_subplot()
    arguments.number(height, "height")
    arguments.number(width, "width")
    return arguments.instance(ax, "ax", Axes, "matplotlib Axes (or None: a new figure)")


def rows_height(n: int, per_row: float = 0.2, extra: float = 1.0) -> float:
    """Height (inches) of a chart with one row per region: room for an 8 pt label on every row."""
    arguments.integer(n, "n", 0)
    arguments.number(per_row, "per_row")
    arguments.number(extra, "extra")
    return per_row * n + extra


def legend_above(ax, ncol: int = 3):
    """The axes' legend above it, off the data, in ``ncol`` columns (constrained layout makes room for it)."""
    return ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol, frameon=False)


def y_title(ax, label: str) -> None:
    """``label`` as the title of ``ax``'s y axis (a chart's, or a colorbar's): along the axis, or across it if it
    is one character (人, 货, 场 read badly turned on their side)."""
    if len(arguments.string(label, "label").strip()) != 1:
        ax.set_ylabel(label)
        return
    right = ax.yaxis.get_label_position() == "right"
    ax.set_ylabel(label, rotation=0, ha="left" if right else "right", va="center")


def rank_ticks(n: int) -> list[int]:
    """Ticks of a rank axis of ``n`` regions: integers from 1 (every rank up to 10 regions, else 1, 5, 10 …)."""
    arguments.integer(n, "n", 1)
    return list(range(1, n + 1)) if n <= 10 else [1, *range(5, n + 1, 5)]


def upright(labels) -> list[str]:
    """Column labels to print horizontally: a Chinese name one character per line (黑/龙/江), other labels as they
    are (a caller rotates those)."""
    return [
        "\n".join(label) if all(_width(c) == 2 for c in label) else label for label in arguments.names(labels, "labels")
    ]


_NO_LINE_START = "，。；：、）》”’!?,.;:)"
"""Punctuation that never begins a line (it stays at the end of the line before)."""


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(label: str, width: int) -> str:
    """``label`` in lines at most ``width`` half-width characters wide (a Chinese character is two), broken
    between Chinese characters or between words (a Latin word longer than a line gets a line of its own)."""
    arguments.integer(width, "width", 1)
    lines, line = [], ""
    for word in re.findall(r"[A-Za-z0-9.,'%+\-–]+\s*|\S\s*|\s+", arguments.string(label, "label")):
        pieces = [word] if word.isascii() or sum(map(_width, word.rstrip())) <= width else list(word)
        for piece in pieces:
            if line and piece[0] not in _NO_LINE_START and sum(map(_width, (line + piece).rstrip())) > width:
                lines.append(line.rstrip())
                line = ""
            line += piece
    return "\n".join([*lines, line.rstrip()])


mpl.rcParams["svg.hashsalt"] = "livecommerce"  # stable SVG ids from the first figure on
