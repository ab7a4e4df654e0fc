"""The Sichuan top-5 lists (表10–12) as one figure of three small tables, one above the other."""

from livecommerce import arguments
from livecommerce.data.regions import display_names
from livecommerce.errors import ParameterError
from livecommerce.plots.theme import figure, small
from livecommerce.vocab import TOP5_TABLES
from livecommerce.words import TOP5_CATEGORIES, check_lang, text, word

__all__ = ["COLUMN_WIDTHS", "top5"]

COLUMN_WIDTHS = (0.1, 0.28, 0.4, 0.22)
"""Shares of the text width of 排名, 优势品牌, 直播优势店铺, 主要销往外地."""


def top5(tables: dict, lang: str = "zh"):
    """表10 川茶, 表11 川酒, 表12 川调 one above the other, with the report's headers, from
    ``{10: table, 11: table, 12: table}`` as :func:`livecommerce.data.published.load_table` gives them; returns the
    Figure, which owns the layout."""
    lang = check_lang(lang)
    arguments.mapping(tables, "tables")
    absent = [n for n in TOP5_TABLES if n not in tables]
    if absent:
        raise ParameterError(f"tables has no table {absent[0]} (it needs {', '.join(map(str, TOP5_TABLES))})")
    for number in TOP5_TABLES:
        arguments.frame(tables[number], f"tables[{number}]", ["rank", "brand", "shop", "destination"], min_rows=1)
    rows = sum(len(tables[n]) + 2 for n in TOP5_TABLES)
    fig = figure(0.24 * rows + 0.2)
    axes = fig.subplots(len(TOP5_TABLES), 1, height_ratios=[len(tables[n]) + 2 for n in TOP5_TABLES])
    headers = text("top5_headers", lang).split("|")
    for ax, (number, category) in zip(axes, TOP5_TABLES.items()):
        table = tables[number].sort_values("rank")
        if "destination_id" in table:  # by its display name in ``lang``
            table = table.assign(destination=display_names(table["destination_id"], lang))
        cells = table[["rank", "brand", "shop", "destination"]].astype(str).to_numpy().tolist()
        drawn = ax.table(cellText=cells, colLabels=headers, colWidths=COLUMN_WIDTHS, bbox=[0, 0, 1, 1], cellLoc="left")
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(small())
        for (row, _), cell in drawn.get_celld().items():
            cell.set_edgecolor("#bbbbbb")
            cell.set_linewidth(0.4)
            if row == 0:
                cell.set_facecolor("#eef2f7")
        ax.set_axis_off()
        title = text("top5_title", lang, number=number, category=word(TOP5_CATEGORIES, category, lang, "category"))
        ax.set_title(title, fontsize=small() + 1)
    return fig
