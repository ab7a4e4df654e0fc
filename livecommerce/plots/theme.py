"""One house style for every figure, in Chinese or English, with a Chinese font that ships with the package.

The Simplified Chinese glyphs come from Noto Sans CJK SC (SIL Open Font License 1.1), installed
from PyPI with the mplfonts package and registered with matplotlib here, by file: no system font,
no download at run time. mplfonts also ships SimHei, which is proprietary; it is never registered.
"""

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import matplotlib as mpl
import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from livecommerce import arguments
from livecommerce.analysis.sensitivity.sampling import CHOICES
from livecommerce.data.paths import installed_file
from livecommerce.data.regions import display_names
from livecommerce.errors import ParameterError
from livecommerce.vocab import LANGS, MEASURE_LABELS

__all__ = [
    "CONTEXTS",
    "FONT_FILE",
    "FONT_SIZES",
    "HEADLINE",
    "MONTHS_EN",
    "PAD",
    "PALETTE",
    "SCORE_CMAP",
    "TEXT",
    "TEXT_WIDTH",
    "axes",
    "check_lang",
    "chinese_font",
    "computed",
    "figure",
    "figure_source",
    "legend_above",
    "measure",
    "names",
    "period",
    "rank_ticks",
    "region_name",
    "report_source",
    "rows_height",
    "set_theme",
    "small",
    "sources_text",
    "table_source",
    "text",
    "upright",
    "weight_label",
    "wrap",
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

TEXT = {
    "score": {"zh": "指数值", "en": "Score"},
    "rank": {"zh": "排名", "en": "Rank"},
    "previous": {"zh": "上年", "en": "Previous year"},
    "previous_edition": {"zh": "上一版", "en": "Previous edition"},
    "this_edition": {"zh": "本版", "en": "This edition"},
    "current": {"zh": "2023年前三季度", "en": "2023 Q1–Q3"},
    "growth": {"zh": "同比增长（%）", "en": "Year-on-year growth (%)"},
    "median_value": {"zh": "中位数 {value:.2f}%", "en": "Median {value:.2f}%"},
    "source_sep": {"zh": "；", "en": "; "},
    "list_sep": {"zh": "、", "en": ", "},
    "report_at": {
        "zh": "《中国直播电商行业发展趋势报告（2023）》{where}",
        "en": "China Live-Streaming E-commerce Development Trends Report 2023, {where}",
    },
    "report_uncited": {
        "zh": "《中国直播电商行业发展趋势报告（2023）》{where}（报告未注明原始出处）",
        "en": "China Live-Streaming E-commerce Development Trends Report 2023, {where} "
        "(the report cites no original source)",
    },
    "published_data": {"zh": "报告公布的分项指数", "en": "the report's published sub-indices"},
    "computed": {"zh": "本报告计算", "en": "Computed for this report"},
    "computed_from": {"zh": "本报告计算（{settings}）", "en": "Computed for this report ({settings})"},
    "table_ref": {"zh": "表{number}", "en": "table {number}"},
    "figure_ref": {"zh": "图{number}", "en": "figure {number}"},
    "projection": {"zh": "（预测）", "en": "(projection)"},
    "not_covered": {"zh": "港澳台：不含（报告未覆盖）", "en": "Hong Kong, Macao, Taiwan: not covered by the report"},
    "south_china_sea": {"zh": "南海诸岛", "en": "South China Sea Islands"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "weight": {"zh": "权重", "en": "Weight"},
    "weight_times": {"zh": "{measure} × {weight:.2f}", "en": "{measure} × {weight:.2f}"},
    "nominal": {"zh": "名义模型排名", "en": "Nominal rank"},
    "published": {"zh": "公布排名", "en": "Published rank"},
    "interval": {"zh": "5%–95% 区间", "en": "5–95% interval"},
    "median_rank": {"zh": "排名中位数", "en": "Median rank"},
    "first_order": {"zh": "一阶指数", "en": "First order"},
    "total_order": {"zh": "总效应指数", "en": "Total order"},
    "sobol": {"zh": "Sobol' 指数", "en": "Sobol' index"},
    "share": {"zh": "主效应份额", "en": "Share of main effects"},
    "probability": {"zh": "行地区排名高于列地区的概率", "en": "P(row region ranks above column region)"},
    "contribution": {"zh": "加权贡献（权重×得分）", "en": "Weighted contribution (weight × score)"},
    "methods": {"zh": "权重方法", "en": "Weighting method"},
    "aggregations": {"zh": "集成方式", "en": "Aggregation"},
    "normalisations": {"zh": "标准化方法", "en": "Normalisation"},
    "parent_pearson": {"zh": "与上级指标的皮尔逊相关系数", "en": "Pearson correlation with the parent"},
    "parent_spearman": {"zh": "与上级指标的 Spearman 相关系数", "en": "Spearman correlation with the parent"},
    "weak": {"zh": "弱相关阈值", "en": "Weak-correlation threshold"},
    "strength": {"zh": "强项", "en": "Strength"},
    "weakness": {"zh": "弱项", "en": "Weakness"},
    "peers_named": {"zh": "最相近的地区：{peers}", "en": "Nearest peers: {peers}"},
    "rank_of": {"zh": "{rank}（{regions}）", "en": "{rank} ({regions})"},
    "of_regions": {"zh": "共{n}个地区", "en": "of {n} regions"},
    "rank_change": {"zh": "位次变化", "en": "Rank change"},
    "new": {"zh": "新", "en": "new"},
    "new_region": {"zh": "{region}（新）", "en": "{region} (new)"},
    "region": {"zh": "地区", "en": "Region"},
    "new_rank": {"zh": "新排名", "en": "New rank"},
    "no_change": {
        "zh": "{region}：任一权重在其范围内变动，排名均保持第{rank}名不变",
        "en": "{region}: rank {rank} whichever weight moves, within its range",
    },
    "fact_period": {"zh": "{measure}（{period}）", "en": "{measure} ({period})"},
    "unit_yuan": {"zh": "{unit}元", "en": "{unit} yuan"},
    "unit_people": {"zh": "{unit}人", "en": "{unit} people"},
    "hundred_million": {"zh": "亿", "en": "100 million"},
    "ten_thousand": {"zh": "万", "en": "10 thousand"},
    "percent": {"zh": "占网上零售额比重（%）", "en": "Share of online retail sales (%)"},
    "top5_title": {"zh": "表{number} 川货电商节“{category}”指标 TOP5", "en": "Table {number}: {category} top 5"},
    "top5_headers": {
        "zh": "排名|优势品牌|直播优势店铺|主要销往外地",
        "en": "Rank|Leading brand|Leading live shop|Main destination",
    },
    "year": {"zh": "{year}年", "en": "{year}"},
    "month": {"zh": "{year}年{month}月", "en": "{month_en} {year}"},
    "months": {"zh": "{year}年{first}—{last}月", "en": "{first_en}–{last_en} {year}"},
    "span": {"zh": "{start}至{end}", "en": "{start} to {end}"},
    "h1": {"zh": "{year}年上半年", "en": "H1 {year}"},
    "q1_q3": {"zh": "{year}年前三季度", "en": "Q1–Q3 {year}"},
    "past_year": {"zh": "截至{year}年的一年", "en": "the year to {year}"},
    "unstated": {"zh": "时间未注明", "en": "period not stated"},
}
"""Every word a figure prints, in both languages; fields in braces are filled by :func:`text`."""

HEADLINE = {"zh": "headline", "en": "headline_en"}
"""The trends table's column of chapter 4's headlines in each language (the report prints them in Chinese only)."""

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    """Seaborn's theme, then the house style: CJK-capable font, print sizes (``FONT_SIZES`` × ``font_scale``),
    300 dpi output, vector text as paths."""
    arguments.choice(context, "context", CONTEXTS)
    arguments.number(font_scale, "font_scale")
    _STATE["lang"] = check_lang(lang)
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


def check_lang(lang: str | None) -> str:
    """``lang``, or the theme's language if None; an unknown language is an error."""
    return arguments.choice(_STATE["lang"] if lang is None else lang, "lang", LANGS)


def text(key: str, lang: str | None = None, **fields) -> str:
    """The catalogue's ``key`` in ``lang``, its fields filled in."""
    return TEXT[arguments.choice(key, "key", TEXT)][check_lang(lang)].format(**fields)


def measure(name: str, lang: str | None = None) -> str:
    """A measure's label (主播活跃度 / Anchor activity …)."""
    return MEASURE_LABELS[arguments.choice(name, "name", MEASURE_LABELS)][check_lang(lang)]


def names(ids, lang: str | None = None) -> list[str]:
    """Display names of region ids in ``lang``, the theme's if None
    (:func:`livecommerce.data.regions.display_names`)."""
    return display_names(ids, check_lang(lang))


def region_name(region: str, lang: str | None = None) -> str:
    """One region's display name (成都, Chengdu)."""
    return names([arguments.string(region, "region")], lang)[0]


def weight_label(label: str, lang: str | None = None, labels: Mapping | None = None) -> str:
    """``node/child`` (as in the sensitivity tables) in words: 人/主播活跃度, Overall/Goods …, each part
    from ``labels`` (a scheme's id → label in ``lang``, :meth:`livecommerce.index.scheme.Scheme.labels`) or else the
    measures' names; the switchable choices (:data:`livecommerce.analysis.sensitivity.sampling.CHOICES`) by name."""
    if arguments.string(label, "label") in CHOICES:
        return text(label, lang)
    given = {} if labels is None else arguments.mapping(labels, "labels")
    named = {**{k: v[check_lang(lang)] for k, v in MEASURE_LABELS.items()}, **given}
    return "/".join(named.get(p, p) for p in label.split("/"))


_PERIODS = (
    (re.compile(r"(\d{4})-(\d{2}) to (\d{4})-(\d{2})"), None),
    (re.compile(r"(\d{4})H1"), "h1"),
    (re.compile(r"(\d{4})Q1-Q3"), "q1_q3"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"past year \(to (\d{4})\)"), "past_year"),
    (re.compile(r"unstated"), "unstated"),
)


def period(value: str, lang: str | None = None) -> str:
    """A period as the facts table writes it (``2023-01 to 2023-10``, ``2023Q1-Q3``, ``2023H1``, ``2023-06``,
    ``2022``) in words: 2023年1—10月, 2023年前三季度 … / Jan–Oct 2023, Q1–Q3 2023 …"""
    value = arguments.string(value, "value").strip()
    for pattern, key in _PERIODS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        if key is not None:
            groups = match.groups()
            month = {"month": int(groups[1]), "month_en": MONTHS_EN[int(groups[1]) - 1]} if key == "month" else {}
            return text(key, lang, year=groups[0], **month)
        y0, m0, y1, m1 = match.groups()
        if y0 == y1:
            return text(
                "months",
                lang,
                year=y0,
                first=int(m0),
                last=int(m1),
                first_en=MONTHS_EN[int(m0) - 1],
                last_en=MONTHS_EN[int(m1) - 1],
            )
        return text("span", lang, start=period(f"{y0}-{m0}", lang), end=period(f"{y1}-{m1}", lang))
    raise ParameterError(f"period={value!r}: not a period the facts table uses (e.g. 2023-06, 2023Q1-Q3, 2022)")


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


def sources_text(sources, lang: str | None = None) -> str:
    """Distinct sources joined in ``lang`` (the 来源 line's text without its 来源： prefix)."""
    sources = [arguments.string(s, "sources") for s in arguments.names(sources, "sources")]
    if not sources:
        raise ParameterError("sources: name at least one source")
    return text("source_sep", lang).join(dict.fromkeys(sources))


def report_source(where: str, lang: str | None = None) -> str:
    """The report as a source, at ``where`` (a table or section): 《中国直播电商行业发展趋势报告（2023）》表1."""
    return text("report_at", lang, where=arguments.string(where, "where"))


def table_source(numbers, lang: str | None = None) -> str:
    """The report's 表``numbers`` (one number or several) as one source: 《…（2023）》表2、表5."""
    numbers = [numbers] if isinstance(numbers, int) else arguments.names(numbers, "numbers")
    if not numbers:
        raise ParameterError("numbers: name at least one table")
    tables = [text("table_ref", lang, number=arguments.integer(n, "numbers", 1)) for n in numbers]
    return report_source(text("list_sep", lang).join(tables), lang)


def figure_source(number: int, lang: str | None = None) -> str:
    """The report's 图``number`` as a source (the figures the report prints itself)."""
    return report_source(text("figure_ref", lang, number=arguments.integer(number, "number", 1)), lang)


def computed(settings: str = "", lang: str | None = None) -> str:
    """本报告计算 (Computed for this report), with the settings that produced the figure if given."""
    if arguments.string(settings, "settings"):
        return text("computed_from", lang, settings=settings)
    return text("computed", lang)


mpl.rcParams["svg.hashsalt"] = "livecommerce"  # stable SVG ids from the first figure on
