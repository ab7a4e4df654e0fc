"""The Sichuan top-5 lists (表10–12) as one small-multiples table figure."""

import matplotlib.pyplot as plt

from .. import arguments
from ..errors import ParameterError
from ..vocab import TOP5_TABLES
from .theme import check_lang, source_line, text

HEADERS = {"zh": ("排名", "品牌", "店铺", "主要销往"), "en": ("Rank", "Brand", "Shop", "Main destination")}


def top5(tables: dict, lang: str | None = None):
    """表10 川茶, 表11 川酒, 表12 川调 side by side, from ``{10: table, 11: table, 12: table}`` as
    :func:`livecommerce.data.load_table` gives them; returns the Figure, which owns the layout."""
    lang = check_lang(lang)
    arguments.mapping(tables, "tables")
    absent = [n for n in TOP5_TABLES if n not in tables]
    if absent:
        raise ParameterError(f"tables has no table {absent[0]} (it needs {', '.join(map(str, TOP5_TABLES))})")
    for number in TOP5_TABLES:
        arguments.frame(tables[number], f"tables[{number}]", ["rank", "brand", "shop", "destination"], min_rows=1)
    fig, axes = plt.subplots(1, len(TOP5_TABLES), figsize=(13, 2.6))
    for ax, (number, category) in zip(axes, TOP5_TABLES.items()):
        table = tables[number].sort_values("rank")
        cells = table[["rank", "brand", "shop", "destination"]].astype(str).to_numpy().tolist()
        drawn = ax.table(cellText=cells, colLabels=HEADERS[lang], loc="center", cellLoc="left")
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(7)
        drawn.auto_set_column_width(list(range(4)))
        ax.set_axis_off()
        ax.set_title(
            f"表{number} 川货电商节“{category}”指标 TOP5" if lang == "zh" else f"Table {number}: {category} top 5"
        )
    source_line(
        axes[0],
        [f"{text('report', lang)}，表10–表12" if lang == "zh" else f"{text('report', lang)}, tables 10–12"],
        lang,
    )
    return fig
