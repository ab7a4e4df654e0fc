"""The Sichuan top-5 lists (表10–12) as one small-multiples table figure."""

import matplotlib.pyplot as plt

from ..data import load_table
from ..vocab import TOP5_TABLES
from .theme import check_lang, source_line, text

HEADERS = {"zh": ("排名", "品牌", "店铺", "主要销往"), "en": ("Rank", "Brand", "Shop", "Main destination")}


def top5(lang: str | None = None, folder=None):
    """表10 川茶, 表11 川酒, 表12 川调 side by side; returns the Figure, which owns the layout."""
    lang = check_lang(lang)
    fig, axes = plt.subplots(1, len(TOP5_TABLES), figsize=(13, 2.6))
    for ax, (number, category) in zip(axes, TOP5_TABLES.items()):
        table = load_table(number, folder).sort_values("rank")
        cells = table[["rank", "brand", "shop", "destination"]].astype(str).to_numpy().tolist()
        drawn = ax.table(cellText=cells, colLabels=HEADERS[lang], loc="center", cellLoc="left")
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(7)
        drawn.auto_set_column_width(list(range(4)))
        ax.set_axis_off()
        ax.set_title(f"表{number} 川货电商节“{category}”指标 TOP5" if lang == "zh" else f"Table {number}: {category} top 5")
    source_line(axes[0], [f"{text('report', lang)}，表10–表12" if lang == "zh" else f"{text('report', lang)}, tables 10–12"], lang)
    return fig
