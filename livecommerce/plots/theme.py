"""One house style for every figure, in Chinese or English, with a Chinese font that ships with the package.

The Simplified Chinese glyphs come from Noto Sans CJK SC (SIL Open Font License 1.1), installed
from PyPI with the mplfonts package and registered with matplotlib here, by file: no system font,
no download at run time. mplfonts also ships SimHei, which is proprietary; it is never registered.
"""

import textwrap
from functools import lru_cache

import matplotlib as mpl
import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes

from .. import arguments
from ..errors import ParameterError
from ..paths import installed_file
from ..regions import regions
from ..sensitivity.sampling import CHOICES
from ..vocab import MEASURE_LABELS

LANGS = ("zh", "en")
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

TEXT = {
    "score": {"zh": "指数值", "en": "Score"},
    "rank": {"zh": "排名", "en": "Rank"},
    "previous": {"zh": "上年", "en": "Previous year"},
    "current": {"zh": "2023年前三季度", "en": "2023 Q1–Q3"},
    "growth": {"zh": "同比增长", "en": "Year-on-year growth"},
    "median": {"zh": "中位数", "en": "Median"},
    "source": {"zh": "来源：", "en": "Source: "},
    "report": {
        "zh": "中国直播电商行业发展趋势报告（2023）",
        "en": "China Live-Streaming E-commerce Development Trends Report 2023",
    },
    "no_source": {"zh": "报告未注明原始出处", "en": "the report cites no original source"},
    "projection": {"zh": "预测", "en": "projection"},
    "not_covered": {"zh": "港澳台：不含（报告未覆盖）", "en": "Hong Kong, Macao, Taiwan: not covered by the report"},
    "south_china_sea": {"zh": "南海诸岛", "en": "South China Sea Islands"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "weight": {"zh": "权重", "en": "Weight"},
    "nominal": {"zh": "名义", "en": "Nominal"},
    "published": {"zh": "公布排名", "en": "Published rank"},
    "interval": {"zh": "5%–95% 区间", "en": "5–95% interval"},
    "first_order": {"zh": "一阶指数", "en": "First order"},
    "total_order": {"zh": "总效应指数", "en": "Total order"},
    "share": {"zh": "主效应份额", "en": "Share of main effects"},
    "probability": {"zh": "行地区排名高于列地区的概率", "en": "P(row region ranks above column region)"},
    "contribution": {"zh": "加权贡献（权重×得分）", "en": "Weighted contribution (weight × score)"},
    "methods": {"zh": "权重方法", "en": "Weighting method"},
    "aggregations": {"zh": "集成方式", "en": "Aggregation"},
    "normalisations": {"zh": "标准化方法", "en": "Normalisation"},
    "parent_pearson": {"zh": "与上级指标的 Pearson 相关系数", "en": "Pearson correlation with the parent"},
    "parent_spearman": {"zh": "与上级指标的 Spearman 相关系数", "en": "Spearman correlation with the parent"},
    "weak": {"zh": "弱相关阈值", "en": "Weak-correlation threshold"},
    "strength": {"zh": "强项", "en": "Strength"},
    "weakness": {"zh": "弱项", "en": "Weakness"},
    "peers": {"zh": "最相近的地区", "en": "Nearest peers"},
    "of_regions": {"zh": "共{n}个地区", "en": "of {n} regions"},
    "rank_change": {"zh": "排名变化", "en": "Rank change"},
    "new_rank": {"zh": "新排名", "en": "New rank"},
}


@lru_cache(maxsize=1)
def chinese_font() -> str:
    """Register Noto Sans CJK SC with matplotlib (once) and return its family name."""
    path = installed_file("mplfonts", FONT_FILE)
    if path is None:
        raise ParameterError(
            "the Chinese font (Noto Sans CJK SC, from the mplfonts package) is not installed; "
            "reinstall livecommerce with its dependencies"
        )
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


_STATE = {"lang": "zh"}


def set_theme(lang: str = "zh", context: str = "paper", font_scale: float = 1.0) -> None:
    """Seaborn's theme, then the house style: CJK-capable font, sizes, 300 dpi output, vector text as paths."""
    arguments.choice(context, "context", CONTEXTS)
    arguments.number(font_scale, "font_scale")
    _STATE["lang"] = check_lang(lang)
    family = chinese_font()
    sns.set_theme(
        context=context,
        style="whitegrid",
        font_scale=font_scale,
        rc={
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "axes.titleweight": "normal",
            "axes.titlesize": "large",
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


def axes(ax, size: tuple[float, float]) -> Axes:
    """``ax`` if given (matplotlib Axes), else the axes of a new figure of ``size`` (inches)."""
    if ax is None:
        return plt.figure(figsize=size).add_subplot()
    return arguments.instance(ax, "ax", Axes, "matplotlib Axes (or None: a new figure)")


def check_lang(lang: str | None) -> str:
    """``lang``, or the theme's language if None; an unknown language is an error."""
    return arguments.choice(_STATE["lang"] if lang is None else lang, "lang", LANGS)


def text(key: str, lang: str | None = None) -> str:
    return TEXT[arguments.choice(key, "key", TEXT)][check_lang(lang)]


def measure(name: str, lang: str | None = None) -> str:
    """A measure's label (主播活跃度 / Anchor activity …)."""
    return MEASURE_LABELS[arguments.choice(name, "name", MEASURE_LABELS)][check_lang(lang)]


def names(ids, lang: str | None = None) -> list[str]:
    """Display names of region ids, from the registry, in ``lang``."""
    ids = arguments.names(ids, "ids")
    column = "name" if check_lang(lang) == "zh" else "name_en"
    registry = regions()
    table = dict(zip(registry.index.get_level_values("region_id"), registry[column]))
    return [table.get(str(i), str(i)) for i in ids]


def weight_label(label: str, lang: str | None = None) -> str:
    """``node/child`` (as in the sensitivity tables) in words: 人/主播活跃度, Overall/Goods …; the
    switchable choices (:data:`livecommerce.sensitivity.sampling.CHOICES`) by name."""
    if arguments.string(label, "label") in CHOICES:
        return text(label, lang)
    parts = label.split("/")
    return "/".join(MEASURE_LABELS[p][check_lang(lang)] if p in MEASURE_LABELS else p for p in parts)


def source_line(ax, sources: list[str], lang: str | None = None):
    """Print the figure's sources under ``ax`` (the report and, where it names one, the original)."""
    lang = check_lang(lang)
    arguments.instance(ax, "ax", Axes, "matplotlib Axes")
    sources = [arguments.string(s, "sources") for s in arguments.names(sources, "sources")]
    sep = "；" if lang == "zh" else "; "
    line = textwrap.fill(text("source", lang) + sep.join(dict.fromkeys(sources)), 48 if lang == "zh" else 96)
    ax.annotate(
        line,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -32),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="x-small",
        color="#555555",
    )
    return ax


mpl.rcParams["svg.hashsalt"] = "livecommerce"  # stable SVG ids from the first figure on
