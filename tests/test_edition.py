"""The print edition: 表1–15 as the report prints them, the regenerated sentences against the report's own, and
the edition written as HTML, DOCX, PDF, XLSX and Markdown."""

import csv
import functools
import io
import json
import os
import re
import shutil
import sys
import unicodedata
import zipfile
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import docx
import matplotlib.figure
import matplotlib.image
import numpy as np
import openpyxl
import pandas as pd
import pypdf
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_layout import faults, layout

from livecommerce import Study, plots
from livecommerce import publish as edition
from livecommerce.data.edition import Metadata, load_inputs
from livecommerce.data.export import write_table
from livecommerce.data.paths import data_dir, published_dir
from livecommerce.data.published import load_claims, load_facts, load_table
from livecommerce.errors import DataError, OutputError, ParameterError
from livecommerce.plots.market import MARKET_FACTS, USER_FACTS, share_facts
from livecommerce.plots.theme import font_file
from livecommerce.publish import sentences
from livecommerce.publish.child import in_child
from livecommerce.publish.claims import zh_ordinal
from livecommerce.publish.cut import cut
from livecommerce.publish.document import Chapter, Document, Figure, Paragraph, Section, Table, full_width
from livecommerce.publish.facts import fact_text
from livecommerce.publish.figures import FRAME_CM, fitted, natural_size, png_size
from livecommerce.publish.fonts import FONT
from livecommerce.publish.pages import write_pages
from livecommerce.publish.printed import cell_text, index_table, rows_text, top5_table
from livecommerce.publish.text import FIELDS, MAX_SIZE, marker, parse, read, render, text_files
from livecommerce.publish.workbook import write_markdown, write_xlsx
from livecommerce.vocab import INDEX_TABLES, TOP5_TABLES

LEVEL_OF = {n: level for level, tables in INDEX_TABLES.items() for n in tables}
ZH_ORDINALS = (
    "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十".split()
    + [f"二十{d}" for d in "一二三四五六七八九"]
    + ["三十", "三十一"]
)
"""1 … 31 in Chinese numerals, written out."""


@pytest.fixture(scope="module")
def studies():
    return {level: Study.build(level) for level in INDEX_TABLES}


def published_cells(number: int) -> list[list[str]]:
    """表``number`` as the report prints it, read straight from data/published."""
    frame = pd.read_csv(published_dir() / f"table{number:02d}.csv", dtype=str)
    if number in (10, 11, 12):
        return frame[["rank", "brand", "shop", "destination"]].values.tolist()
    rows = []
    for _, r in frame.iterrows():
        row = [r["rank"], r["region"]]
        row += [
            f"{float(r[c]):.2f}"
            for c in ("overall", "people", "activity", "sales", "influence", "goods", "venue")
            if c in r
        ]
        if "yoy_growth" in r:
            row.append(f"{100 * float(r['yoy_growth']):.2f}%")
        if "rank_change" in r:
            change = int(r["rank_change"])
            row.append("→" if change == 0 else ("↑" if change > 0 else "↓") + str(abs(change)))
        rows.append(row)
    return rows


def printed(studies, number: int, lang: str = "zh") -> Table:
    return top5_table(number, lang) if number in (10, 11, 12) else index_table(studies[LEVEL_OF[number]], number, lang)


# --- 表1–15 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 16))
def test_every_printed_table_equals_the_published_one(studies, number):
    table = printed(studies, number)
    assert rows_text(table) == published_cells(number)
    assert table.source == f"《中国直播电商行业发展趋势报告（2023）》表{number}"


def test_printed_headers_and_captions_are_the_reports():
    t1 = index_table(Study.build("province"), 1)
    assert t1.header == ("排名", "省/直辖市/自治区", "直播发展指数", "同比增长", "位次变化")
    assert t1.caption == "全国省、直辖市和自治区直播电商发展指数（不含港澳台）"
    t5 = index_table(Study.build("city"), 5)
    assert t5.header == ("排名", "副省级城市", "“人”指标", "主播活跃度指数", "主播带货力指数", "主播影响力指数")
    assert t5.caption == "全国15个副省级城市直播电商“人”指标"
    assert top5_table(10).header == ("排名", "优势品牌", "直播优势店铺", "主要销往外地")
    assert top5_table(11).caption == "川货电商节“川酒”指标TOP5"
    assert index_table(Study.build("prefecture"), 15).caption == "四川21个市（州）直播电商“场”指标"


def test_a_recomputed_table_says_it_was_computed_and_drops_the_printed_growth(studies):
    what_if = studies["province"].reweight({"people": {"activity": 1 / 3, "sales": 1 / 3, "influence": 1 / 3}})
    table = index_table(what_if, 4)
    assert table.source == "本报告计算（数据：报告公布的分项指数；指标体系：“直播电商发展指数（2023）”指标体系）"
    assert rows_text(table) != published_cells(4)
    t1 = index_table(what_if, 1)  # the overall index is recomputed: no printed growth or rank change
    assert t1.header == ("排名", "省/直辖市/自治区", "直播发展指数") and t1.source.startswith("本报告计算")


def test_english_tables_name_regions_in_english(studies):
    table = index_table(studies["city"], 2, "en")
    assert table.header[:2] == ("Rank", "Sub-provincial city") and table.rows[0][1] == "Hangzhou"
    assert top5_table(12, "en").rows[0][3] == "Chongqing"


def test_bad_table_arguments_are_named(studies):
    with pytest.raises(ParameterError, match="table=2 is not an index table of level 'province'"):
        index_table(studies["province"], 2)
    with pytest.raises(ParameterError, match="study"):
        index_table(load_table(1), 1)
    with pytest.raises(ParameterError, match="lang"):
        top5_table(10, "fr")


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_cells_print_two_decimals(value):
    assert abs(float(cell_text(value, "score")) - value) <= 0.005 + 1e-9 * abs(value)
    assert re.fullmatch(r"-?\d+\.\d\d", cell_text(value, "score"))
    assert re.fullmatch(r"-?\d+\.\d\d%", cell_text(value, "percent"))


@given(st.integers(min_value=-30, max_value=30))
def test_rank_changes_print_as_arrows(change):
    text = cell_text(change, "arrow")
    assert text == "→" if change == 0 else text == ("↑" if change > 0 else "↓") + str(abs(change))


# --- regenerated sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sentence_templates_are_compiled_once(lang):
    """Each sentence, label and caption reads its language's templates as compiled the first time: the same module
    (compiled again for each of the ~1,000 a report asks for, they took 25 s of its 55)."""
    assert sentences.phrases(lang) is sentences.phrases(lang)


def test_headlines_and_rank_statements_are_the_reports_own():
    """Every top-three, rank and group claim of chapter 3 (claims.csv) is said by the regenerated headline."""
    claims = load_claims()
    checked = claims[claims["claim"].isin(["top", "rank", "first_in_group"]) & (claims["section"] != "三（一）导语")]
    assert len(checked) == 26
    for claim_id, claim in checked.iterrows():
        number = int(claim["table"])
        headline = sentences.headline(load_table(number), LEVEL_OF[number])
        assert claim["quote"] in headline, (claim_id, claim["quote"], headline)


def test_the_headlines_are_the_reports_section_headlines():
    expected = {
        1: "广东、浙江和上海排名前三，四川排名全国第八，中西部第一",
        4: "浙江、广东和上海排名前三，四川排名西部第一",
        8: "深圳、杭州和广州排名前三，成都排名全国第五，西部第一",
        14: "深圳、杭州和成都排名前三，成都排名中西部第一",
        15: "成都、南充和宜宾排名前三",
    }
    for number, text in expected.items():
        assert sentences.headline(load_table(number), LEVEL_OF[number]) == text


def test_top5_sentences_list_the_tables_in_order():
    claims = load_claims()
    lists = claims[claims["claim"].str.startswith("list:")]
    assert len(lists) == 9
    for claim_id, claim in lists.iterrows():
        sentence = sentences.top5(load_table(int(claim["table"])))
        items = claim["expected"].split(";")
        joined = "、".join(items[:-1]) + "和" + items[-1]
        if claim_id == "C47":  # the report's prose says 好人家, its 表12 prints 好人家公司: the sentence follows 表12
            assert joined not in sentence and joined.replace("好人家", "好人家公司") in sentence
        else:
            assert joined in sentence, (claim_id, sentence)
    tea = sentences.top5(load_table(10))
    assert tea.endswith("浙江、重庆、广东、江苏和北京成为川茶的五大主要外销地。")


def swapped(table: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """``table`` with the ranks of regions ``a`` and ``b`` exchanged."""
    out = table.copy()
    ia, ib = out.index[out["region"] == a][0], out.index[out["region"] == b][0]
    out.loc[[ia, ib], "rank"] = out.loc[[ib, ia], "rank"].to_numpy()
    return out


def test_a_region_that_moves_changes_its_sentence():
    t1 = load_table(1)
    assert (
        sentences.headline(swapped(t1, "四川", "福建"), "province")
        == "广东、浙江和上海排名前三，四川排名全国第七，中西部第一"
    )
    assert sentences.headline(swapped(t1, "四川", "广东"), "province") == "四川、浙江和上海排名前三，四川排名中西部第一"
    # below 河南 (central): no longer first in 中西部, but still first in 西部
    assert sentences.focus(swapped(t1, "四川", "湖北"), "province") == "四川排名西部第一"
    # below 河南 and 重庆 is first in 西部: the national rank alone
    moved = swapped(swapped(t1, "四川", "云南"), "重庆", "河南")
    assert sentences.focus(moved, "province") == "四川排名全国第十九"
    t11 = load_table(11)
    t11.loc[t11["rank"] == 1, "destination_id"] = "510000"
    assert sentences.top5(t11).endswith("四川、浙江、江苏、重庆和山东成为川酒的五大主要外销地。")
    t12 = load_table(12)  # two shops selling mainly to 广东: each destination named once, and counted
    t12.loc[t12["rank"] == 3, "destination_id"] = "440000"
    assert sentences.top5(t12).endswith("重庆、广东、江苏和浙江成为川调的四大主要外销地。")
    assert sentences.top5(t12, "en").endswith("are the four main markets outside Sichuan.")


def test_new_data_gives_new_sentences_through_the_study():
    """人 from 主播活跃度 alone: 四川 ranks 9th, behind 安徽 and 湖北 (central), still first in the west."""
    what_if = Study.build("province").reweight({"people": {"activity": 1.0, "sales": 0.0, "influence": 0.0}})
    assert sentences.headline(what_if.table(4), "province") == "浙江、广东和上海排名前三，四川排名全国第九，西部第一"
    assert sentences.headline(load_table(4), "province") == "浙江、广东和上海排名前三，四川排名西部第一"


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(1, 32)))
def test_the_focus_rank_is_said_in_words(ranks):
    table = load_table(7).assign(rank=list(ranks))
    position = int(table.loc[table["region"] == "四川", "rank"].iloc[0])
    statement = sentences.focus(table, "province")
    first = sentences.first_in(table, "510000")
    if not first or 3 < position <= 10:
        assert f"四川排名全国第{ZH_ORDINALS[position - 1]}" in statement
    else:
        assert "全国" not in statement
    top = table.sort_values("rank")["region"].head(3).tolist()
    assert sentences.headline(table, "province").startswith(f"{top[0]}、{top[1]}和{top[2]}排名前三")


def test_numbers_in_words():
    assert [sentences.zh_number(n) for n in (1, 10, 12, 20, 21, 99)] == ["一", "十", "十二", "二十", "二十一", "九十九"]
    assert [sentences.en_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
    ]  # fmt: skip
    with pytest.raises(ParameterError, match="n"):
        sentences.zh_number(100)


def test_english_sentences():
    assert sentences.headline(load_table(2), "city", "en") == (
        "Hangzhou, Shenzhen and Guangzhou rank in the top three; Chengdu ranks 4th nationally and first in "
        "central and western China"
    )


# --- the edition -------------------------------------------------------------------------------------------


def fake_figures(folder, names, sidecars=True):
    """Small PNG figures named as the notebooks name them, each with its caption file."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(names):
        matplotlib.image.imsave(folder / f"{name}.png", np.full((40, 60, 3), (k % 5) / 5))
        if sidecars:
            meta = {"caption": f"示意图{k + 1}", "source": "本报告计算"}
            (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


FIGURES = ("table01_ranked", "table01_map", "chapter1_users", "figure1_dual_centre", "province_sobol", "extra_chart")
PLACED = FIGURES[:-1]
"""The figures the 2023 text places (none places extra_chart: it is left out)."""


@pytest.fixture(scope="module")
def zh_edition(studies, tmp_path_factory):
    out = tmp_path_factory.mktemp("edition")
    figures = fake_figures(out / "figures", FIGURES)
    built = edition.assemble(studies, figures, "zh", {"n_draws": 500, "seed": 7})
    edition.write(built, out, {"notebooks/03_development_index.html": "三（一）发展指数"})
    return built, out


def test_the_pages_ship_the_chinese_font_they_need(zh_edition, tmp_path):
    """A page reads the same without Chinese fonts on the machine: every character of every page is in the font
    written beside them, which each page's style sheet loads by a relative path; the same pages, the same bytes."""
    built, out = zh_edition
    font = TTFont(out / FONT)
    covered = set(font.getBestCmap())
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert f'src: url("{FONT}")' in text, page.name
        missing = {c for c in text if ord(c) not in covered and c not in "\n\r\t"}
        assert not missing, (page.name, sorted(missing)[:10])
    assert "表" in {chr(c) for c in covered} and (out / FONT).stat().st_size < 2_000_000  # a subset, not 16 MB
    again = tmp_path / "again"
    edition.write(built, again, {"notebooks/03_development_index.html": "三（一）发展指数"})
    assert (again / FONT).read_bytes() == (out / FONT).read_bytes()


def test_a_cut_font_holds_the_characters_asked_with_every_feature_and_no_date(monkeypatch):
    """The cut keeps the characters asked (and only those), every layout feature that reaches them, not only
    HarfBuzz's default ones (full widths, all alternates), and the font's names; the same characters give the same
    bytes whatever the clock."""
    source = font_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # fontTools dates a font it writes by this, if it dates it
    first = cut(str(source), "表一（发展指数）ab")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    assert cut(str(source), "表一（发展指数）ab") == first
    font = TTFont(io.BytesIO(first))
    assert font.flavor == "woff" and set(font.getBestCmap()) == set(map(ord, "表一（发展指数）ab"))
    features = {f.FeatureTag for f in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"vert", "fwid", "aalt"} <= features  # 'vert' is a default; 'fwid' and 'aalt' are kept because all are
    with TTFont(source) as whole:  # every name, the licence (13) and its address (14) among them, not the default 0-6
        assert {n.nameID for n in font["name"].names} == {n.nameID for n in whole["name"].names} >= {13, 14}
    assert cut(str(source), "表") != first


def test_a_font_harfbuzz_cannot_cut_is_named(tmp_path):
    garbage = tmp_path / "broken.otf"
    garbage.write_bytes(b"OTTO" + bytes(200))
    for source in (garbage, tmp_path / "missing.otf"):
        with pytest.raises(OutputError, match=rf"cannot cut the font {re.escape(str(source))}: "):
            cut(str(source), "表")


class _Text(HTMLParser):
    """The visible text of a page (no style, no tags)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


ALLOWED_LATIN = {
    # acronyms and names the report prints (AI, 5G, 4K, GB/T, MCN …), and the methods' names (CRITIC法, Sobol, KMO)
    "AI", "AIGC", "AR", "VR", "CNNIC", "ChatGPT", "G", "K", "GB", "T", "GMV", "IP", "KOL", "MCN", "PK", "UV",
    "CRITIC", "Sobol", "TOP", "KMO",
    "Word", "PDF", "Excel", "Markdown",  # the download formats' names
}  # fmt: skip


def test_the_chinese_pages_hold_every_table_and_figure_with_caption_and_source(zh_edition, studies):
    built, out = zh_edition
    pages = {p.name: page_text(p) for p in out.glob("*.html")}
    body = "\n".join(t for name, t in pages.items() if name != "index.html")
    tables, figures = built.blocks(Table), built.blocks(Figure)
    assert [t.number for t in tables] == list(range(1, 16)) and [t.report_number for t in tables] == list(range(1, 16))
    for t in tables:
        assert f"表{t.number} {t.caption}" in body and f"表{t.number} {t.caption}" in pages["index.html"]
    assert [f.number for f in figures] == list(range(1, len(PLACED) + 1))
    for f in figures:
        assert f"图{f.number} {f.caption}" in body
    assert body.count("来源：") == len(tables) + len(figures)
    assert "本报告计算（数据" not in body  # the published tables are the report's
    # reading order: 图1 is chapter 1's; the figure no text places is left out, listed, and makes no chapter
    assert figures[0].path.stem == "chapter1_users" and figures[-1].path.stem == "province_sobol"
    assert built.left_out == ("extra_chart",) and "extra_chart" not in body
    assert [c.title for c in built.chapters] == [c.title for c in edition.assemble(studies, None, "zh").chapters]


NO_FILE_NAMES = ("笔记本", "notebook", ".py", ".ipynb", ".csv", ".toml")
"""What printed text never names: a notebook, a code or data file (a reader of the document has none of them)."""


def printed_text(out) -> dict[str, str]:
    """The text a reader of a written document sees: report.md and each HTML page's visible text, by file name."""
    return {"report.md": (out / "report.md").read_text(encoding="utf-8")} | {
        p.name: page_text(p) for p in sorted(out.glob("*.html"))
    }


def test_printed_text_names_no_notebook_and_no_file(zh_edition):
    _, out = zh_edition
    found = [(name, w) for name, text in printed_text(out).items() for w in NO_FILE_NAMES if w in text.lower()]
    assert found == []


def test_no_code_warning_path_or_english_on_a_chinese_page(zh_edition):
    _, out = zh_edition
    found = set()
    for page in out.glob("*.html"):
        text = page_text(page)
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"Warning|Traceback|dtype|NaN|None", text), page.name
        assert str(out) not in html and "/tmp/" not in html and "/home/" not in html, page.name
        found.update((w, page.name) for w in re.findall(r"[A-Za-z]+", text) if w not in ALLOWED_LATIN)
    assert not found


def test_index_is_the_table_of_contents(zh_edition):
    built, out = zh_edition
    index = (out / "index.html").read_text(encoding="utf-8")
    for chapter in built.chapters:
        assert f'href="{chapter.key}.html"' in index
    for name in ("report.docx", "report.pdf", "report.xlsx", "report.md", "notebooks/03_development_index.html"):
        assert f'href="{name}"' in index
    assert 'href="chapter03.html#table-1"' in index
    second = (out / "chapter02.html").read_text(encoding="utf-8")
    assert 'href="chapter01.html"' in second and 'href="chapter03.html"' in second
    for path in re.findall(r'(?:href|src)="([^"#]+)', second):
        assert (out / path).is_file(), path


def test_the_docx_holds_the_fifteen_tables_as_printed(zh_edition):
    _, out = zh_edition
    document = docx.Document(out / "report.docx")
    assert len(document.tables) == 15
    for number, table in enumerate(document.tables, start=1):
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[1:] == published_cells(number), number
    texts = [p.text for p in document.paragraphs]
    assert "表1 全国省、直辖市和自治区直播电商发展指数（不含港澳台）" in texts
    assert sum(t.startswith("来源：") for t in texts) == 15 + len(PLACED)
    assert len(document.inline_shapes) == len(PLACED)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_each_docx_table_spans_the_text_and_prints_its_header_on_one_line(zh_edition):
    """Each of the DOCX's tables is as wide as the text (16 cm), and each of its columns wide enough for its header on
    one line: the header's width in the font's own glyphs at the body's 10.5 pt, within Word's cell margins of
    0.19 cm a side (columns of equal widths broke 表4's 主播活跃度指数 and 表1's 省/直辖市/自治区 in two)."""
    _, out = zh_edition
    for number, table in enumerate(docx.Document(out / "report.docx").tables, start=1):
        for cell, width in docx_header_cells(table, number):
            assert printed_cm(cell.text) + 2 * 0.19 <= width, (number, cell.text, width)


def docx_header_cells(table, number: int) -> list:
    """The header cells of a DOCX ``table`` (表``number``) with their widths in cm, once the table is checked to be
    as wide as the text (16 cm, give or take a twip a column), each cell of every row as wide as its column (Word
    reads the cells' widths, LibreOffice the grid's)."""
    widths = [column.width.cm for column in table.columns]
    assert abs(sum(widths) - 16) < 0.002 * len(widths), (number, widths)
    for row in table.rows:
        assert all(abs(cell.width.cm - width) < 0.002 for cell, width in zip(row.cells, widths)), number
    return list(zip(table.rows[0].cells, widths))


def printed_cm(text: str) -> float:
    """The width of ``text`` in the DOCX's font (Noto Sans CJK SC, for Latin letters too) at the body's 10.5 pt, in
    cm, from the font's own advances."""
    advances = font_advances()
    return sum(advances[ord(c)] for c in text) * 10.5 / 72 * 2.54


@functools.cache
def font_advances() -> dict[int, float]:
    """Each character's advance in the package's Chinese font, in em."""
    font = TTFont(font_file(), fontNumber=0)
    em, advances = font["head"].unitsPerEm, font["hmtx"]
    return {code: advances[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def test_the_pdf_is_a4_embeds_the_cjk_font_and_holds_every_caption(zh_edition):
    built, out = zh_edition
    reader = pypdf.PdfReader(out / "report.pdf")
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842) for p in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor").get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    assert any("NotoSansCJKsc" in f for f in fonts)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    for block in [*built.blocks(Table), *built.blocks(Figure)]:
        kind = "表" if isinstance(block, Table) else "图"
        assert f"{kind}{block.number}{block.caption}" in text, block.caption
    assert text.count("来源：") == 15 + len(PLACED)
    assert not re.search(r"Warning|Traceback|dtype", text)


def test_the_pdf_passes_the_layout_checks(zh_edition):
    """Every page of the PDF with 表1–15 and the figures (tests/pdf_layout.py), each table's rows under its number."""
    built, out = zh_edition
    pages = layout(out / "report.pdf")
    assert faults(pages) == []
    assert [sum(len(p.rows(t.number)) for p in pages) for t in built.blocks(Table)] == [
        len(t.rows) for t in built.blocks(Table)
    ]


def test_headings_and_captions_set_their_brackets_full_width():
    """（） around Chinese text and ordinals in Chinese headings and captions, whatever the author typed; body text
    and brackets around other text as they are."""
    chapter = Chapter(
        "chapter01",
        "(三) 内容",
        (Section("(1) 刺激消费(2023)", 4, (Paragraph("正文(1)"), Figure("图(UV)与(四川)", "", Path("f.png")))),),
    )
    document = full_width(Document("zh", "报告(2024)", (chapter,)))
    assert document.chapters[0].title == "（三）内容" and document.title == "报告(2024)"
    section = document.chapters[0].sections[0]
    assert section.title == "（1）刺激消费（2023）" and section.blocks[0].text == "正文(1)"
    assert section.blocks[1].caption == "图(UV)与（四川）"
    assert full_width(Document("zh", "t", (Chapter("c", "alert(1)与f(2)", ()),))).chapters[0].title == "alert(1)与f(2)"


def test_the_xlsx_keeps_number_formats_and_arrows(zh_edition):
    _, out = zh_edition
    book = openpyxl.load_workbook(out / "report.xlsx")
    assert book.sheetnames == [f"表{n}" for n in range(1, 16)]
    sheet = book["表1"]
    assert sheet["A1"].value == "表1 全国省、直辖市和自治区直播电商发展指数（不含港澳台）"
    assert [c.value for c in sheet[2]] == ["排名", "省/直辖市/自治区", "直播发展指数", "同比增长", "位次变化"]
    assert [c.value for c in sheet[3]] == [1, "广东", 98.36, 0.3355, "↑5"]
    assert (sheet["C3"].number_format, sheet["D3"].number_format) == ("0.00", "0.00%")
    assert sheet.cell(sheet.max_row, 1).value == "来源：《中国直播电商行业发展趋势报告（2023）》表1"
    assert book["表11"]["B3"].value == "泸州老窖"
    for sheet in book:  # on A4, upright, one page wide (表4–6's sixth column took a page of its own), header repeated
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == (sheet.PAPERSIZE_A4, "portrait"), sheet.title
        fitted = sheet.sheet_properties.pageSetUpPr.fitToPage, setup.fitToWidth, setup.fitToHeight
        assert fitted == (True, 1, 0), sheet.title
        assert sheet.print_title_rows == "$2:$2", sheet.title


def test_the_markdown_has_the_tables_for_authors(zh_edition):
    _, out = zh_edition
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "**表4 全国省、直辖市和自治区直播电商“人”指标（不含港澳台）**" in text
    assert re.search(r"\|\s*1\s*\|\s*广东\s*\|\s*98\.36\s*\|\s*33\.55%\s*\|\s*↑5\s*\|", text)
    assert "![示意图" in text


def test_same_inputs_same_bytes(studies, zh_edition, tmp_path):
    built, out = zh_edition
    edition.write(built, tmp_path, {"notebooks/03_development_index.html": "三（一）发展指数"})
    for name in ("report.docx", "report.pdf", "report.xlsx", "report.md", "index.html", "chapter03.html"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


HEADING_POINTS = {1: 17.0, 2: 13.5, 3: 12.0, 4: 10.5}
"""Each heading level's size in the PDF (the typst rules of :mod:`livecommerce.publish.pdf`)."""


def test_every_heading_of_the_text_fits_one_printed_line(studies):
    """A heading wider than the text block (16 cm) at its size breaks wherever the line ends, mid-word (p40 of the
    2023 rebuild: …电视电 / 商互动体系。): none is, in Chinese."""
    built = edition.assemble(studies, None, "zh")
    headings = [(c.title, 1) for c in built.chapters]
    headings += [(s.title, s.level) for c in built.chapters for s in c.sections if s.title]
    assert len(headings) > 80

    def points(title: str, level: int) -> float:  # a full-width character is 1 em, any other about half
        ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in title)
        return ems * HEADING_POINTS[min(level, 4)]

    assert [t for t, level in headings if points(t, level) > 16 / 2.54 * 72] == []


def test_a_one_level_edition_leaves_out_the_other_levels_sections(studies, tmp_path):
    built = edition.assemble({"city": studies["city"]}, lang="zh")
    # 表10–12 stand in the prefectures' 货 section, which a city edition leaves out
    assert [t.report_number for t in built.blocks(Table)] == [2, 5, 8, 14]
    assert [t.number for t in built.blocks(Table)] == [1, 2, 3, 4]  # numbered continuously
    text = "\n".join(p.text for p in built.blocks(Paragraph))
    assert "杭州、深圳和广州排名前三" in text and "广东、浙江和上海排名前三" not in text


def test_the_english_edition(studies, tmp_path):
    built = edition.assemble(studies, fake_figures(tmp_path / "figures", FIGURES[:2]), "en", {"n_draws": 9, "seed": 1})
    assert built.title == "China Live-Streaming E-commerce Development Trends Report 2023"
    texts = "\n".join(p.text for p in built.blocks(Paragraph))
    assert "Guangdong, Zhejiang and Shanghai rank in the top three" in texts
    assert not re.search(r"[\u4e00-\u9fff]", "".join(c.title for c in built.chapters))
    edition.write(built, tmp_path, {"notebooks/06_methodology.html": "Methodology: weights and schemes"})
    assert "Table 1. Live-commerce development index" in page_text(tmp_path / "chapter03.html")
    for number, table in enumerate(docx.Document(tmp_path / "report.docx").tables, start=1):  # no word broken
        for cell, width in docx_header_cells(table, number):  # (every column scaled down alike broke Rank: Ran-k)
            assert all(printed_cm(word) + 2 * 0.19 <= width for word in cell.text.split()), (number, cell.text)
    found = [(name, w) for name, text in printed_text(tmp_path).items() for w in NO_FILE_NAMES if w in text.lower()]
    assert found == []


GLOSSED = {*TOP5_TABLES.values(), "人", "货", "场"}
"""The report's terms an English edition prints after their English names, People (人), Goods (货), Venue (场) and
Sichuan tea (川茶) …: with 表10–12's brands and shops (proper names with no English one), the only Chinese it prints."""


def english_sidecars(folder, facts) -> None:
    """Captions and sources of the English edition's figures as its notebooks write them: the facts' English
    sources for chapters 1–2, the report's table for 图1's."""
    sources = {
        "chapter1_market": plots.fact_sources(facts, MARKET_FACTS, "en"),
        "chapter1_users": plots.fact_sources(facts, USER_FACTS, "en"),
        "chapter2_share_of_online_retail": plots.fact_sources(facts, share_facts(facts).index, "en"),
        "table01_ranked": plots.table_source(1, "en"),
    }
    fake_figures(folder, sources, sidecars=False)
    for name, source in sources.items():
        meta = {"caption": f"Sketch of {name}", "source": source}
        (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def docx_text(path) -> str:
    """The text of a DOCX file's paragraphs and table cells."""
    document = docx.Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_an_english_edition_prints_no_chinese_but_the_brands_shops_and_terms_it_glosses(studies, tmp_path):
    """Every format of an English edition (HTML pages, PDF, DOCX, Markdown) prints no Chinese character but those of
    表10–12's brands and shops and of the terms it glosses: its 来源 lines cite the facts' sources and the report's
    sections by their English names."""
    english_sidecars(tmp_path / "figures", load_facts())
    built = edition.assemble(studies, tmp_path / "figures", "en", {"n_draws": 9, "seed": 1})
    out = tmp_path / "out"
    edition.write(built, out)
    names = GLOSSED | {v for n in TOP5_TABLES for column in ("brand", "shop") for v in load_table(n)[column]}
    printed = printed_text(out) | {
        "report.pdf": "".join(page.extract_text() for page in pypdf.PdfReader(out / "report.pdf").pages),
        "report.docx": docx_text(out / "report.docx"),
    }
    assert "are the top five Sichuan tea brands" in printed["chapter03.html"]  # not 川茶 brands
    found = {}
    for name, text in printed.items():
        text = re.sub(r"\s+", "", text)  # a name the PDF breaks across lines, whole again
        if name in ("chapter01.html", "report.md", "report.pdf", "report.docx"):  # F35's and F11's 来源
            assert "iiMediaResearch" in text and "Ch.1(2)1Live-commerceusers" in text, name
        for known in sorted(names, key=len, reverse=True):
            text = text.replace(known, "")
        found[name] = re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", text)
    assert found == {name: [] for name in printed}


REPORT_TITLE = "中国直播电商行业发展趋势报告（2023）"
LATER = Metadata(
    title="直播电商发展报告（2031）",
    year=2031,
    period="2031年上半年",
    client="某委托单位",
    authors=("某撰稿单位甲", "某撰稿单位乙"),
    provider="某数据公司",
)
"""An edition's front matter, its date left out (it defaults from the year)."""


def docx_fields(path) -> list[str]:
    """The instructions of every field (PAGE, TOC …) in a DOCX file: its body, headers and footers."""
    with zipfile.ZipFile(path) as book:
        parts = [n for n in book.namelist() if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", n)]
        return [t.strip() for n in parts for t in re.findall(r"<w:instrText[^>]*>([^<]*)<", book.read(n).decode())]


@pytest.fixture(scope="module")
def later_edition(studies, tmp_path_factory):
    """The 2023 studies printed as an edition with :data:`LATER`'s front matter, every format written."""
    out = tmp_path_factory.mktemp("later")
    built = edition.assemble(studies, None, "zh", metadata=LATER)
    edition.write(built, out)
    return built, out


def test_an_editions_title_and_front_matter_are_printed_in_every_format(later_edition):
    """The metadata's title heads the HTML pages, the PDF's metadata and cover, the DOCX's properties and cover,
    the Markdown; the cover and title page carry 委托单位, authors and the date defaulted from the year."""
    built, out = later_edition
    title, date = LATER.title, "2031年"
    assert built.title == title and built.metadata.date == date
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in index and f"<h1>{title}</h1>" in index
    assert '<meta name="author" content="某撰稿单位甲、某撰稿单位乙">' in index and "委托单位：某委托单位" in index
    assert f"· {title}</title>" in (out / "chapter03.html").read_text(encoding="utf-8")
    reader = pypdf.PdfReader(out / "report.pdf")
    assert reader.metadata.title == title and reader.metadata.author == "某撰稿单位甲, 某撰稿单位乙"
    cover = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert cover == f"{title}2031年上半年委托单位：某委托单位某撰稿单位甲某撰稿单位乙{date}"
    assert "数据提供方：某数据公司" in re.sub(r"\s+", "", reader.pages[1].extract_text())
    document = docx.Document(out / "report.docx")
    assert document.core_properties.title == title and document.core_properties.author == "某撰稿单位甲、某撰稿单位乙"
    assert document.paragraphs[1].text == title and document.paragraphs[1].style.name == "Title"
    assert [p.text for p in document.paragraphs[2:7]] == ["2031年上半年", "委托单位：某委托单位", *LATER.authors, date]
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {title}\n\n委托单位：某委托单位\n\n撰稿单位：某撰稿单位甲、某撰稿单位乙\n\n")
    assert f"日期：{date}" in markdown and f"日期：{date}" in index
    texts = [index, markdown, str(reader.metadata), document.core_properties.title]
    assert not [t for t in texts if REPORT_TITLE in t.replace(f"《{REPORT_TITLE}》", "")]  # cited, never the title


def test_the_html_contents_list_each_chapter_and_its_sections_with_working_links(later_edition):
    built, out = later_edition
    index = (out / "index.html").read_text(encoding="utf-8")
    contents = index[index.index("<h2>目录</h2>") :]
    for chapter in built.chapters:
        assert f'<a href="{chapter.key}.html">{chapter.title}</a>' in contents
    links = re.findall(r'href="(chapter\d+\.html)#(section-\d+)">([^<]+)</a>', contents)
    assert len(links) >= 10
    for page, anchor, title in links:
        assert f'<h2 id="{anchor}">{title}</h2>' in (out / page).read_text(encoding="utf-8"), (page, title)


def test_the_pdf_numbers_its_pages_after_the_front_matter_and_prints_the_contents(later_edition):
    built, out = later_edition
    reader = pypdf.PdfReader(out / "report.pdf")
    pages = [p.extract_text().split("\n") for p in reader.pages]
    contents = next(k for k, lines in enumerate(pages) if lines[0].strip() == "目录")
    assert contents == 2  # the cover, the title page, then the 目录
    for chapter in built.chapters:  # each chapter listed with the number of the page it starts on
        entry = next(line for line in pages[contents] if line.startswith(chapter.title))
        start = int(entry.rstrip().split()[-1].strip(". "))
        assert pages[contents + start][0].strip() == chapter.title, chapter.title
    assert pages[contents + 1][-1].strip() == "1"  # the first chapter's page is page 1, numbered at its foot
    assert not any(lines[-1].strip().isdigit() for lines in pages[:contents])  # no number on the front matter


def test_the_docx_has_a_contents_field_page_numbers_styles_and_repeated_header_rows(later_edition):
    built, out = later_edition
    fields = docx_fields(out / "report.docx")
    assert fields.count("PAGE") == 1 and [f for f in fields if f.startswith("TOC")] == ['TOC \\o "1-2" \\h \\z \\u']
    document = docx.Document(out / "report.docx")
    front, body = document.sections
    assert "PAGE" not in front.footer._element.xml and "PAGE" in body.footer._element.xml
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    for table in document.tables:  # header row repeats on each page, body rows do not; no row splits
        flags = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert flags == [True] + [False] * (len(table.rows) - 1)
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        kept = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in table.rows]
        n = len(table.rows) - 1  # the header and the first three rows stay together, and the last three
        assert kept == [k < 3 or k >= n - 2 for k in range(n + 1)], kept
    pictures = [p for p in document.paragraphs if p._p.xpath(".//pic:pic")]
    assert all(p.paragraph_format.keep_with_next for p in pictures)  # a figure stays with its caption under it
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Caption"} <= styles
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == [f"表{t.number} {t.caption}" for t in built.blocks(Table)]
    assert all(p.paragraph_format.keep_with_next for p in captions)
    assert all(document.styles[f"Heading {n}"].paragraph_format.keep_with_next for n in range(1, 5))


def test_a_rank_the_authors_text_states_against_its_table_is_refused_naming_file_and_line(studies, tmp_path):
    """宜宾 is third in 表6 (the prefectures' 人): a sentence of the author's text putting it second, across a line
    break, is refused before anything is built, with its file and line; the fields' words are not checked, and a
    right statement passes."""
    text = tmp_path / "text"
    text.mkdir()
    body = (
        "### 3. 四川21个市（州）直播电商“人”指标\n\n{{ table(6) }}\n\n成都排名第一；宜宾积极组织网红达人直播带货，\n"
        "在 21 个市（州）中排名第二。乐山{{ focus(6) }}居第二。\n"
    )
    (text / "3-2-3.md").write_text(body, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        edition.assemble(studies, None, "zh", text=text)
    assert str(raised.value) == "text file 3-2-3.md, line 6: “排名第二” of 宜宾, but 表6 ranks 宜宾 第三 (3)"
    (text / "3-2-3.md").write_text(body.replace("排名第二", "排名第三"), encoding="utf-8")
    assert edition.assemble(studies, None, "zh", text=text).blocks(Table)


@given(st.integers(1, 99))
def test_a_rank_in_chinese_numerals_reads_back(n):
    assert zh_ordinal(sentences.zh_number(n)) == n == zh_ordinal(str(n))


def test_sections_written_for_another_edition_are_marked_or_left_out_as_the_author_chooses(studies):
    """A 2024 edition with the SYNTHETIC edition's text (chapter 3's index sections, declared 2024): the package's
    2023 sections are marked under their heading, or left out with their chapters; the appendices, written for any
    edition, are neither; the 2023 edition itself marks nothing."""
    text = data_dir() / "examples" / "synthetic_edition_2024" / "text" / "zh"
    marker = "【本节沿用2023年版的文字，未按本版数据改写：其中的数字与排名可能与本版表格不符】"
    marked = edition.assemble(studies, None, "zh", text=text, metadata=Metadata(year=2024))
    assert marked.unrewritten == (*(f"{c}.md" for c in ("1-0", "1-1", "1-2", "1-3", "2-0", "2-1", "2-2")),
                                  *(f"3-2-{k}.md" for k in range(4)), *(f"4-{k}.md" for k in range(7)))  # fmt: skip
    paragraphs = [p.text for p in marked.blocks(Paragraph)]
    assert paragraphs.count(marker) == len(marked.unrewritten)
    first = marked.chapters[0].sections[0].blocks[0]
    assert marked.chapters[0].title == "一、发展概况" and first.text == marker  # right under the chapter's heading
    omitted = edition.assemble(studies, None, "zh", text=text, metadata=Metadata(year=2024, unrewritten="omit"))
    assert [c.title for c in omitted.chapters] == [
        "三、发展指数",
        "附录一　方法：报告的权重与其他赋权方案",
        "附录二　不确定性与敏感性分析",
    ]
    assert [s.title for s in omitted.chapters[0].sections if s.title] == [
        "（一）直播电商发展指数",
        "1. 全国省、直辖市和自治区直播电商发展指数",
        "2. 全国 15 个副省级城市直播电商发展指数",
        "3. 四川 21 个市（州）直播电商发展指数",
    ]
    assert marker not in [p.text for p in omitted.blocks(Paragraph)]
    assert edition.assemble(studies, None, "zh").unrewritten == ()


def test_a_marked_section_prints_the_2023_rebuilds_words_and_an_own_section_this_editions(studies):
    """The SYNTHETIC 2024 edition (its own panels): a 2023 section it prints with the marker says, after it, what
    the 2023 rebuild says (its fields filled from the report's tables: 德阳 third in 表9, not 2024's names in 2023
    sentences); the sections it wrote itself name 2024's leaders."""
    folder = data_dir() / "examples" / "synthetic_edition_2024"
    later = {level: Study.build(level, folder / f"{level}.csv") for level in INDEX_TABLES}
    marked = edition.assemble(later, None, "zh", text=folder / "text" / "zh", metadata=Metadata(year=2024))
    marker = "【本节沿用2023年版的文字，未按本版数据改写：其中的数字与排名可能与本版表格不符】"

    def said(document: Document) -> dict:
        return {
            (c.title, s.title): [b.text for b in s.blocks if isinstance(b, Paragraph) and b.text != marker]
            for c in document.chapters
            for s in c.sections
        }

    now, then = said(marked), said(edition.assemble(studies, None, "zh"))
    own = {key for key in now if now[key] != then.get(key)}
    assert {title for _, title in own} == {  # the 2024 text's chapter-3 sections and the appendices it shares
        "",
        "（一）直播电商发展指数",
        "1. 全国省、直辖市和自治区直播电商发展指数",
        "2. 全国 15 个副省级城市直播电商发展指数",
        "3. 四川 21 个市（州）直播电商发展指数",
        "指数框架与得分分布",
    }
    goods = now[("三、发展指数", "（3）四川 21 个市（州）直播电商“货”指标")]
    assert goods[0].startswith("成都、绵阳和德阳排名前三") and "德阳" in goods[1] and "排名第三" in goods[1]
    first, second, third = later["prefecture"].table(3)["region"].iloc[:3]
    headline = now[("三、发展指数", "3. 四川 21 个市（州）直播电商发展指数")][0]
    assert headline == f"{first}、{second}和{third}排名前三" != "成都、宜宾和绵阳排名前三"  # 2024's top three


def test_an_author_replaces_a_section_and_adds_one(studies, tmp_path):
    """An author's text folder: a file replaces the 2023 section of the same name (edited prose, a field added, a
    figure moved), a new file adds a chapter; the other sections stay the 2023 edition's."""
    text = tmp_path / "text"
    text.mkdir()
    (text / "3-1-1.md").write_text(
        "### 1. 全国省级\n\n**{{ headline(1) }}**\n\n今年{{ top_names(1) }}领先。\n\n{{ table(1) }}\n\n"
        '{{ figure("table01_map") }}\n',
        encoding="utf-8",
    )
    (text / "9-0.md").write_text("# 后记\n\n作者的话。\n", encoding="utf-8")
    figures = fake_figures(tmp_path / "figures", ["table01_map"])
    built = edition.assemble(studies, figures, "zh", text=text)
    sections = {s.title: s for c in built.chapters for s in c.sections}
    blocks = sections["1. 全国省级"].blocks
    assert [type(b) for b in blocks] == [Paragraph, Paragraph, Table, Figure]
    assert blocks[1].text == "今年广东、浙江和上海领先。" and blocks[0].strong
    assert built.chapters[-1].title == "后记" and built.chapters[0].title == "一、发展概况"
    assert "2. 全国 15 个副省级城市直播电商发展指数" in sections  # the 2023 text where the author wrote none
    assert text_files("zh", text)[-1] == text / "9-0.md"


def test_a_figure_the_author_leaves_out_is_listed_not_printed_in_a_chapter_of_its_own(studies, tmp_path):
    """An author's section that no longer places a figure of the run: the figure is not printed, the document
    lists it, and the document's chapters are those of the text (no 其他图)."""
    text = tmp_path / "text"
    text.mkdir()
    (text / "3-1-1.md").write_text("### 1. 全国省级\n\n{{ table(1) }}\n\n" + '{{ figure("table01_map") }}\n', "utf-8")
    figures = fake_figures(tmp_path / "figures", ["table01_ranked", "table01_map"])
    built = edition.assemble(studies, figures, "zh", text=text)
    assert [f.path.stem for f in built.blocks(Figure)] == ["table01_map"] and built.left_out == ("table01_ranked",)
    assert [c.title for c in built.chapters] == [c.title for c in edition.assemble(studies, None, "zh").chapters]


def test_bad_text_sidecar_and_studies_are_named(studies, tmp_path):
    text = tmp_path / "text"
    text.mkdir()
    (text / "1.md").write_text("# 标题\n\n{{ headlin(1) }}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"text file 1\.md, line 3: 'headlin' is not a field"):
        edition.assemble(studies, text=text)
    (text / "1.md").unlink()
    (text / "0.md").write_text("没有标题\n", encoding="utf-8")  # read first: no chapter to belong to
    with pytest.raises(DataError, match="must open a chapter"):
        edition.assemble(studies, text=text)
    figures = fake_figures(tmp_path / "figures", ["table01_map"], sidecars=False)
    (figures / "table01_map.json").write_text('{"caption": "x"}', encoding="utf-8")
    with pytest.raises(DataError, match="table01_map.json: needs 'caption' and 'source'"):
        edition.assemble(studies, figures)
    with pytest.raises(ParameterError, match="studies"):
        edition.assemble({"town": studies["city"]})
    with pytest.raises(ParameterError, match=r"studies\['province'\] is a study of level 'city'"):
        edition.assemble({"province": studies["city"]})
    with pytest.raises(ParameterError, match="lang"):
        edition.assemble(studies, lang="fr")


def test_a_figure_without_a_caption_file_is_captioned_by_name(studies, tmp_path):
    figures = fake_figures(tmp_path / "figures", ["table01_map"], sidecars=False)
    built = edition.assemble(studies, figures)
    (figure,) = built.blocks(Figure)
    assert (figure.caption, figure.source) == ("table01_map", "本报告计算")


def test_the_nominal_model_is_said_to_differ_from_the_report(studies):
    built = edition.assemble(studies, settings={"n_draws": 500, "seed": 7})
    text = "\n".join(p.text for p in built.blocks(Paragraph))
    assert "共抽样 500 次，随机种子为 7" in text
    said = text.split("名义模型与报告公布排名不同的省、直辖市和自治区：")[1].split("。")[0]
    published = studies["province"].published["overall"].rank(ascending=False, method="min")
    nominal = studies["province"].nominal.node_scores()["overall"].rank(ascending=False, method="min")
    moved = [
        n for n, a, b in zip(studies["province"].published["name_zh"], published, nominal[published.index]) if a != b
    ]
    assert "四川" in moved and said == "、".join(moved[:-1]) + "和" + moved[-1]


def test_the_text_folder_ships_with_the_package():
    files = text_files("zh")
    assert files[0].name == "1-0.md" and all(f.parent.name == "zh" for f in files)
    texts = [re.sub(r"^\{# edition: any #\}\n", "", f.read_text(encoding="utf-8")) for f in files]
    assert np.all([t.lstrip().startswith("#") for t in texts])  # a heading first, below a declaration if any


def test_facts_keep_their_qualifiers():
    facts = load_facts()
    printed = fact_text(facts)
    assert printed[["F17", "F18", "F34", "F06", "F13"]].tolist() == [
        "超过70%",
        "超过1000万场",
        "35%以上",
        "不超过50%",
        "1.98万亿元",
    ]
    # as the report prints it, but where it writes the number in words (千亿, 千万场), leaves the qualifier apart
    # from the number (不超过该项目…的50%) or leaves the unit out (2845.8亿)
    apart = {"F04", "F06", "F18", "F35"}
    for fact_id, text in printed.items():
        quote = facts.at[fact_id, "quote"].replace(" ", "")
        assert (text in quote) != (fact_id in apart), (fact_id, text, quote)
    assert fact_text(facts, "en")["F17"] == "more than 70%"
    with pytest.raises(ParameterError, match="facts"):
        fact_text(facts.drop(columns="qualifier"))


def _png(path, w_cm: float, h_cm: float, dpi: int | None = 300):
    """A blank PNG of w_cm × h_cm at ``dpi`` (None: no resolution stated)."""
    fig = matplotlib.figure.Figure(figsize=(w_cm / 2.54, h_cm / 2.54))
    if dpi is None:  # the same PNG without its pHYs chunk (length, type, 9 bytes of data, CRC)
        fig.savefig(path, dpi=100)
        data = path.read_bytes()
        at = data.index(b"pHYs") - 4
        path.write_bytes(data[:at] + data[at + 4 + 4 + 9 + 4 :])
    else:
        fig.savefig(path, dpi=dpi)
    return path


@settings(max_examples=25, deadline=None)
@given(st.floats(1, 40), st.floats(1, 40), st.sampled_from([100, 300]))
def test_a_figure_prints_at_its_own_size_unless_the_frame_is_smaller(tmp_path_factory, w, h, dpi):
    path = _png(tmp_path_factory.mktemp("png") / "f.png", w, h, dpi)
    assert natural_size(path) == pytest.approx((w, h), abs=2.54 / dpi)
    width, height = fitted(path)
    frame_w, frame_h = FRAME_CM
    assert width <= frame_w + 1e-9 and height <= frame_h + 1e-9
    shrink = min(1.0, frame_w / natural_size(path)[0], frame_h / natural_size(path)[1])
    assert width == pytest.approx(natural_size(path)[0] * shrink)  # never enlarged, shrunk only to fit
    assert width / height == pytest.approx(natural_size(path)[0] / natural_size(path)[1])


def test_a_png_without_a_resolution_fills_the_width(tmp_path):
    path = _png(tmp_path / "f.png", 4, 2, dpi=None)
    assert natural_size(path) is None
    w, h = png_size(path)
    assert fitted(path, 16.0, 22.0) == pytest.approx((16.0, 16.0 * h / w))
    assert fitted(path, 16.0, 4.0) == pytest.approx((4.0 * w / h, 4.0))


def test_a_tall_figure_is_printed_smaller_than_the_text_width(studies, tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    _png(figures / "table01_ranked.png", 10.0, 30.0)
    built = edition.assemble(studies, figures)
    edition.write(built, tmp_path)
    (shape,) = docx.Document(tmp_path / "report.docx").inline_shapes
    assert shape.height.cm == pytest.approx(FRAME_CM[1], abs=0.01)
    assert shape.width.cm == pytest.approx(FRAME_CM[1] / 3, abs=0.01)
    with pytest.raises(DataError, match="not a PNG"):
        png_size(tmp_path / "report.md")


# --- an edition's files are data, never code ---------------------------------------------------------------------


HOSTILE = {
    "lipsum": "{{ lipsum.__globals__['os'].popen('touch RAN').read() }}",
    "self": "{{ self.__init__.__globals__['__builtins__']['open']('RAN', 'w') }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler": "{{ cycler.__init__.__globals__.os.system('touch RAN') }}",
    "settings": "{{ settings.__class__.__init__.__globals__ }}",
    "method": "{{ 'x'.ljust(10**10) }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import '/etc/passwd' as passwd %}{{ passwd }}",
    "extends": "{% extends '/etc/passwd' %}",
    "macro": "{% macro down() %}{{ down() }}{% endmacro %}{{ down() }}",
    "repeat": "{{ 'x' * 10**10 }}",
    "power": "{{ 10**10**10 }}",
    "format": "{{ '%0999999999d' % 1 }}",
    "range": "{{ range(10**9)|list }}",
    "loop": "{% for a in 'abcdefghij' %}{% for b in 'abcdefghij' %}{{ headline(1) }}{% endfor %}{% endfor %}",
    "set": "{% set x = headline %}{{ x(1) }}",
    **(
        UNCHECKABLE := {
            "divisible": "{% if 1 is divisibleby 0 %}x{% endif %}",
            "order": "{% if 1 < 'a' %}x{% endif %}",
            "order_settings": "{% if settings.seed < 'a' %}x{% endif %}",
            "deep": "{% if 1" + " and 1" * 900 + " %}x{% endif %}",
            "deeper": "{% if 1" + " and 1" * 50_000 + " %}x{% endif %}",
            "bare_field": "{{ headline }}",
        }
    ),
    "settings_method": "{{ settings.items }}",
    "arguments": "{{ headline() }}",
}


class Watch:
    """An audit hook (it cannot be removed: it records only while watching) noting every file opened and every
    process started."""

    EVENTS = ("open", "os.system", "os.exec", "os.posix_spawn", "os.fork", "subprocess.Popen", "os.startfile")

    def __init__(self):
        self.seen, self.on = [], False

    def __call__(self, event, args):
        if self.on and event in self.EVENTS:
            self.seen.append((event, str(args[0])))

    @contextmanager
    def watching(self):
        self.seen.clear()
        self.on = True
        try:
            yield self.seen
        finally:
            self.on = False


@pytest.fixture(scope="module")
def watch():
    import jinja2.debug  # noqa: F401  (imported by Jinja at its first error: a module, not a file of the edition)

    hook = Watch()
    sys.addaudithook(hook)
    return hook


def hostile_text(folder, body: str):
    text = folder / "text" / "zh"
    text.mkdir(parents=True, exist_ok=True)
    (text / "9-1.md").write_text(f"# 后记\n\n作者的话。\n\n{body}\n", encoding="utf-8")
    return text


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_section_text_runs_nothing_and_reads_nothing_outside_the_edition(
    studies, tmp_path, monkeypatch, watch, payload
):
    """Whatever a section text holds, nothing runs and nothing outside the edition (and the package's own files) is
    read: the author is told the file and line, before anything is rendered; a size or a loop is refused at once."""
    edition_folder = tmp_path / "edition"
    text = hostile_text(edition_folder, payload)
    monkeypatch.chdir(tmp_path)  # where a payload's touch RAN would create its file
    with watch.watching() as seen:
        with pytest.raises(DataError, match=r"^text file 9-1\.md, line 5: \S"):
            edition.assemble(studies, text=text)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["9-1.md", "edition", "text", "zh"]  # nothing created
    assert [e for e in seen if e[0] != "open"] == []  # no process started
    own = (str(edition_folder), str(Path(edition.__file__).parents[1]), str(published_dir()))  # and the package's
    assert [f for _, f in seen if not f.startswith(own)] == []


@pytest.mark.parametrize("payload", UNCHECKABLE.values(), ids=UNCHECKABLE.keys())
def test_a_section_text_that_would_fail_when_filled_in_is_refused_as_it_is_read(tmp_path, payload):
    """Read (before any notebook of a report run), not once filled in at the end of the run."""
    with pytest.raises(DataError, match=r"^text file 9-1\.md, line 5: \S"):
        read("zh", hostile_text(tmp_path, payload))


def test_the_shipped_texts_read():
    for lang, folder in (("zh", None), ("en", None), ("zh", data_dir() / "examples/synthetic_edition_2024/text/zh")):
        assert read(lang, folder)


def test_a_section_file_is_read_up_to_its_bound_whatever_its_size_said(tmp_path, monkeypatch):
    """A file that grows once its size was looked at (stat says 0 bytes) is still refused past the bound."""
    text = hostile_text(tmp_path, "字" * MAX_SIZE)
    stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda p, **k: os.stat_result((*stat(p, **k)[:6], 0, *stat(p, **k)[7:10])))
    with pytest.raises(DataError, match=r"text file 9-1\.md: larger than 1 MiB"):
        read("zh", text)


def test_what_a_field_says_from_the_data_cannot_add_a_chapter_a_paragraph_or_a_block(studies, tmp_path):
    """A brand (top5.csv) or a scheme's label with blank lines, a heading and a marker is said on one line, as text;
    the fields' own markers still place their tables."""
    lists = load_inputs(data_dir() / "examples" / "synthetic_edition_2024", levels=()).top5_tables()
    tea = lists[10].copy()
    tea.loc[tea.index[0], "brand"] = "甲\n\n# 伪造的一章\n\n\u27e6missing:1\u27e7"
    text = hostile_text(tmp_path, "{{ top5(10) }}\n\n{{ table(1) }}")
    built = edition.assemble(studies, text=text, top5={**lists, 10: tea})
    assert built.chapters[-1].title == "后记" and "伪造的一章" not in [c.title for c in built.chapters]
    said, placed = built.chapters[-1].sections[0].blocks[1:]
    assert "甲  # 伪造的一章  missing:1" in said.text and isinstance(placed, Table)
    fields = {name: (lambda *_: "") for name in FIELDS}
    label = "“人\r\n## 伪造\u2029\u27e6table:1\u27e7”＝0.5"
    files = render(
        "zh",
        {**fields, "weights_used": lambda _: label, "settings": {}},
        hostile_text(tmp_path, "{{ weights_used('province') }}"),
    )
    assert files[-1][1].endswith("\n\n“人  ## 伪造 table:1”＝0.5\n")
    assert parse(files[-1:], {("table", "1"): "表"})[0].sections[0].blocks[-1].text == "“人  ## 伪造 table:1”＝0.5"
    assert marker("table", 1) == "\u27e6table:1\u27e7"
    heading = render(
        "zh", {**fields, "top_names": lambda _: "# 伪造的一章"}, hostile_text(tmp_path, "{{ top_names(1) }}")
    )
    chapter = parse(heading[-1:], {})[0]
    assert chapter.title == "后记" and chapter.sections[0].blocks[-1].text == "＃ 伪造的一章"


def test_a_section_text_shows_braces_and_markup_literally_and_its_fields_filled(studies, tmp_path):
    """What a section text may hold is shown as written or filled in: braces in a raw block and markup literally,
    the settings, the fields; a file saved with a byte-order mark (Windows Notepad) reads as any other, and a field
    about a table that does not exist leaves its section out, as every field does."""
    text = hostile_text(
        tmp_path,
        "{% raw %}{{ lipsum.__globals__ }}{% endraw %} <script>alert(1)</script>\n\n"
        "{% if settings.seed is defined %}种子 {{ settings.seed }}{% endif %}，{{ top_names(1) }}",
    )
    (text / "9-2.md").write_text("# 附录\n\n记事本存的文件。\n\n## 表99\n\n{{ top5(99) }}\n", encoding="utf-8-sig")
    built = edition.assemble(studies, text=text, settings={"seed": 7})
    said = [p.text for p in built.chapters[-2].sections[0].blocks]
    assert said == ["作者的话。", "{{ lipsum.__globals__ }} <script>alert(1)</script>", "种子 7，广东、浙江和上海"]
    assert built.chapters[-1].title == "附录" and [s.title for s in built.chapters[-1].sections] == [""]


def test_every_problem_of_an_editions_text_is_named_with_its_file_and_line(studies, tmp_path):
    text = hostile_text(tmp_path, "{{ headlin(1) }}\n\n{% include 'x' %}")
    (text / "9-2.md").write_bytes("# 附录\n\n正文".encode() + "乱码".encode("gb18030"))
    (text / "9-3.md").symlink_to("/etc/passwd")
    (text / "9-4.md").write_text("# 长\n\n" + "字" * (MAX_SIZE // 3 + 1), encoding="utf-8")
    (text / "9-5.md").write_text("# 深\n\n{{ " + "(" * 5000 + " }}", "utf-8")
    (text / "9-6.md").write_text("# 长\n\n{{ headline(" + "9" * 5000 + ") }}", "utf-8")
    with pytest.raises(DataError) as refused:
        edition.assemble(studies, text=text)
    assert str(refused.value).splitlines()[:7] == [
        "text file 9-1.md, line 5: 'headlin' is not a field",
        "text file 9-1.md, line 7: {% include %} is not allowed",
        "text file 9-2.md, line 3: not UTF-8 text; save it as UTF-8",
        "text file 9-3.md: not a file (a link or a folder); a section text is a file of its own",
        "text file 9-4.md: larger than 1 MiB",
        "text file 9-5.md: nested too deeply",
        "text file 9-6.md: a number too long to read",
    ]


def test_a_section_text_is_refused_once_filled_in_beyond_its_bound(tmp_path):
    text = hostile_text(tmp_path, "{{ headline(1) }}" * 2000)
    fields = {name: (lambda *_: "") for name in FIELDS}
    with pytest.raises(DataError, match=r"text file 9-1\.md: longer than 1,048,576 characters once filled in"):
        render("zh", {**fields, "headline": lambda n: "字" * 1000, "settings": {}}, text)
    with pytest.raises(DataError, match=r"text file 9-1\.md, line 5: settings\.nope is not a setting of the run"):
        render("zh", {**fields, "settings": {}}, hostile_text(tmp_path, "{{ settings.nope }}"))


MARKDOWN_INJECTION = "[x](javascript:alert(1)) ![t](http://evil/b.png) *em* __strong__ `code`"
"""Markdown of a section text (or a name) that must show literally in report.md: no link, image, emphasis, code."""
HOSTILE_NAMES = {
    "合成川茶品牌甲": '"=HYPERLINK(""http://example.com"",""茶"")"',
    "合成川茶店铺甲": "<img src=x onerror=alert(1)>",
    "合成川茶品牌乙": "<script>alert(1)</script>",
    "合成川茶品牌丙": '"茶\r=1+1"',
}
"""Names in the SYNTHETIC edition's top5.csv, and what a hostile edition puts in their place (CSV cells)."""


@pytest.fixture(scope="module")
def hostile_edition(studies, tmp_path_factory):
    """The SYNTHETIC edition with a formula, markup and a carriage return in its top-5 tea list, markup in a
    section text of its own and in a figure's caption: its tables written as notebook 04 writes them, and its
    edition's pages, report.xlsx and report.md."""
    root = tmp_path_factory.mktemp("hostile")
    folder = shutil.copytree(data_dir() / "examples" / "synthetic_edition_2024", root / "edition")
    top5 = (folder / "top5.csv").read_text(encoding="utf-8")
    for name, hostile in HOSTILE_NAMES.items():
        top5 = top5.replace(name, hostile)
    (folder / "top5.csv").write_text(top5, encoding="utf-8")
    text = hostile_text(folder, f"<img src=x onerror=alert(1)> {{{{ top5(10) }}}} {MARKDOWN_INJECTION}")
    (text / "9-0.md").write_text("# <script>alert(1)</script>\n", encoding="utf-8")
    figures = fake_figures(root / "figures", ["table01_map"])
    (figures / "table01_map.json").write_text('{"caption": "<script>alert(1)</script>", "source": "x"}', "utf-8")
    out = root / "out"
    inputs = load_inputs(folder, levels=())
    lists = inputs.top5_tables()
    for number, top in lists.items():
        write_table(top, f"table{number:02d}", out / "tables")
    built = edition.assemble(studies, figures, "zh", text=text, top5=lists, label="SYNTHETIC" * inputs.synthetic)
    write_pages(built, out)
    write_xlsx(built, out / "report.xlsx")
    write_markdown(built, out / "report.md")
    return built, out


def test_a_formula_in_a_brand_is_text_in_report_xlsx(hostile_edition):
    built, out = hostile_edition
    book = openpyxl.load_workbook(out / "report.xlsx")
    number = next(t.number for t in built.blocks(Table) if t.report_number == 10)
    cell = book[f"表{number}"]["B3"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://example.com","茶")', "s")
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_line_break_in_a_brand_stays_in_its_cell_of_the_tables_csv(hostile_edition):
    _, out = hostile_edition
    with open(out / "tables" / "table10.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 6 and [r[rows[0].index("brand")] for r in rows[1:4]] == [
        '\'=HYPERLINK("http://example.com","茶")',
        "<script>alert(1)</script>",
        "茶\r=1+1",
    ]


def test_markup_in_names_texts_and_captions_is_inert_in_report_md_and_the_pages(hostile_edition):
    _, out = hostile_edition
    markdown_text = (out / "report.md").read_text(encoding="utf-8")
    assert not re.search(r"<(script|img)", markdown_text)
    script, img = "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;"
    for shown in (f"## {script}", f"![{script}]", f"图1 {script}**", f"| {script}", f"\n\n{img} "):
        assert shown in markdown_text  # a chapter's title, a figure's, a brand in a table, a text's paragraph
    literal = r"\[x\](javascript:alert(1)) !\[t\](http://evil/b.png) \*em\* \_\_strong\_\_ \`code\`"
    assert f" {literal}\n" in markdown_text and MARKDOWN_INJECTION not in markdown_text
    for page in out.glob("*.html"):
        assert not re.search(r"<script|<img src=x", page.read_text(encoding="utf-8")), page.name


def test_writing_something_not_an_edition_names_the_argument(tmp_path):
    with pytest.raises(ParameterError, match="document: expected a Document"):
        edition.write(None, tmp_path)
    with pytest.raises(ParameterError, match="document: expected a Document"):
        edition.write(tmp_path, tmp_path)
    assert not any(tmp_path.iterdir())


def test_a_childs_work_is_written_when_the_block_ends(tmp_path):
    script = tmp_path / "reverse.py"
    script.write_text("import sys; sys.stdout.buffer.write(sys.stdin.buffer.read()[::-1])", encoding="utf-8")
    with in_child(str(script), [], b"abc", tmp_path / "out.bin", "reversing") as path:
        written_inside = path.exists()
    assert not written_inside and path.read_bytes() == b"cba"


def test_a_child_that_fails_is_named_and_writes_nothing(tmp_path):
    script = tmp_path / "fail.py"
    script.write_text("import sys; sys.exit('nothing to reverse')", encoding="utf-8")
    with pytest.raises(OutputError, match=r"out\.bin: reversing failed \(nothing to reverse\)"):
        with in_child(str(script), [], b"", tmp_path / "out.bin", "reversing"):
            pass
    assert not (tmp_path / "out.bin").exists()
