"""The claims check: what an author's section text says of ranks, top-N lists and values, against the tables."""

import shutil

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError
from livecommerce.publish.claims import contradictions, zh_ordinal
from livecommerce.publish.text import text_files
from livecommerce.report.runs import Parameters, Run
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES

EDITION = data_dir() / "examples" / "synthetic_edition_2024"


@pytest.fixture(scope="module")
def frames():
    """The 2023 rebuild's index tables by number."""
    return {n: Study.build(level).table(n) for level, numbers in INDEX_TABLES.items() for n in numbers}


def said(frames, body: str, name: str = "3-9.md", lang: str = "zh") -> list[str]:
    return contradictions([(name, body)], frames, lang)


def test_the_2023_texts_pass_against_the_2023_rebuild(frames):
    """Every section of the 2023 edition (ranks, 前三, 98.36 and 93.18, 中西部, 前三季度, 青岛啤酒) holds."""
    files = [(p, p.read_text(encoding="utf-8")) for p in text_files("zh")]
    assert len(files) > 20 and contradictions(files, frames, "zh") == []


def test_a_rank_is_checked_against_the_sections_table(frames):
    body = (
        "### 3. 四川21个市（州）\n\n{{ table(3) }}\n\n"
        "成都排名第一；宜宾积极组织直播带货，\n在 21 个市（州）中排名第四。"
    )
    assert said(frames, body) == ["text file 3-9.md, line 6: “排名第四” of 宜宾, but 表3 ranks 宜宾 第二 (2)"]
    assert said(frames, body.replace("第四", "第二")) == []
    ordinal = "{{ table(3) }}\n\n宜宾位列第4名，绵阳为第三名。"  # the 第N名 forms, in digits and in numerals
    assert said(frames, ordinal) == ["text file 3-9.md, line 3: “位列第4名” of 宜宾, but 表3 ranks 宜宾 第二 (2)"]


def test_a_top_list_names_each_wrong_member(frames):
    body = "{{ table(1) }}\n\n2023年前三季度，广东、浙江和四川的直播电商发展指数居全国前三。"
    assert said(frames, body) == ["text file 3-9.md, line 3: “居全国前三” names 四川, but 表1 ranks 四川 第八 (8)"]
    assert said(frames, body.replace("四川", "上海")) == []  # 前三季度 is a period, not a list
    after = "{{ table(1) }}\n\n直播电商发展指数前五名为广东、浙江、上海、北京和山东。"
    assert said(frames, after) == ["text file 3-9.md, line 3: “前五名” names 山东, but 表1 ranks 山东 第六 (6)"]


def test_a_value_is_held_to_its_rounding(frames):
    body = "全国直播电商发展梯队变化：广东以 {} 的直播发展指数值跃居全国第一。"  # no table field: the measure says 表1
    assert said(frames, body.format("98.36")) == said(frames, body.format("98.4")) == []
    other = "{{ table(1) }}\n\n浙江的直播电商发展指数值97.73，上海（96.1）、北京（94.69）居后。"  # 值, brackets
    assert said(frames, other) == []
    assert said(frames, other.replace("96.1", "96.2")) == [
        "text file 3-9.md, line 3: “（96.2” of 上海’s 直播发展指数, but 表1 prints 96.08, beyond the rounding of 96.2"
    ]
    assert said(frames, body.format("98.3")) == [
        "text file 3-9.md, line 1: “以 98.3” of 广东’s 直播发展指数, but 表1 prints 98.36, beyond the rounding of 98.3"
    ]


@settings(max_examples=40, deadline=None)
@given(value=st.floats(60, 100), decimals=st.integers(1, 3))
def test_a_value_stated_at_any_rounding_passes_and_one_unit_off_does_not(frames, value, decimals):
    assume(abs((value * 10**decimals) % 1 - 0.5) > 1e-6)  # not halfway between two printed values
    table = frames[3].copy()
    table.loc[table["region"] == "宜宾", "overall"] = value
    tables = {**frames, 3: table}
    body = "{{{{ table(3) }}}}\n\n宜宾的直播电商发展指数为{}。"
    right, off = round(value, decimals), round(value, decimals) + 10**-decimals
    assert said(tables, body.format(f"{right:.{decimals}f}")) == []
    assert len(said(tables, body.format(f"{off:.{decimals}f}"))) == 1


def test_ranks_among_a_part_of_the_regions_and_names_of_another_level_are_not_checked(frames):
    body = (
        "#### （2）副省级城市\n\n{{ table(14) }}\n\n成都的MCN账号数量规模在中西部稳居第一。\n\n"
        "### 1. 省份\n\n{{ table(1) }}\n\n山东凭借青岛啤酒为代表的品牌，以 93.18 的直播发展指数值上升至全国第六。"
    )
    assert said(frames, body) == []


def test_an_editions_contradiction_stops_the_run_before_its_notebooks(tmp_path):
    """The SYNTHETIC 2024 edition puts 宜宾 fourth in 表3: a section of its own saying 第二 stops Run.build (which the
    runner calls before any notebook), naming file, line and table; the edition's own text passes, and what the 2023
    sections it prints with a marker say against its tables is listed."""
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    out = tmp_path / "out"
    run = Run.build(Parameters(edition=str(edition), output_dir=str(out)))
    assert run.unrewritten_claims() == [  # the 2023 sections printed with a marker: listed for the author, not refused
        "text file 3-2-2.md, line 29: “排名第三” of 德阳, but 表9 ranks 德阳 第四 (4)",
        "text file 3-2-3.md, line 39: “排名第二” of 南充, but 表15 ranks 南充 第四 (4)",
    ]
    with (edition / "metadata.csv").open("a", encoding="utf-8") as metadata:
        metadata.write("未改写章节,省略\n")
    assert Run.build(Parameters(edition=str(edition), output_dir=str(out))).unrewritten_claims() == []  # left out
    section = edition / "text" / "zh" / "3-1-3.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("排名前三。", "排名前三。宜宾在21个市（州）中排名第二。"), encoding="utf-8")
    line = 1 + text[: text.index("排名前三。")].count("\n")
    with pytest.raises(DataError) as raised:
        Run.build(Parameters(edition=str(edition), output_dir=str(out)))
    assert str(raised.value) == f"text file 3-1-3.md, line {line}: “排名第二” of 宜宾, but 表3 ranks 宜宾 第四 (4)"
    assert not out.exists()


def test_a_numeral_that_is_no_number_is_no_statement_and_full_width_digits_are_read(frames):
    body = "{{{{ table(3) }}}}\n\n宜宾排名第{}名。"
    assert [said(frames, body.format(n)) for n in ("一二", "十十", "两百", "二")] == [[], [], [], []]
    assert said(frames, body.format("４")) == [
        "text file 3-9.md, line 3: “排名第４名” of 宜宾, but 表3 ranks 宜宾 第二 (2)"
    ]
    many = frames[3].assign(rank=frames[3]["rank"] + 120)  # a set of more regions than Chinese numerals here say
    assert said({3: many}, body.format("121")) == [
        "text file 3-9.md, line 3: “排名第121名” of 宜宾, but 表3 ranks 宜宾 第122"
    ]
    with pytest.raises(ValueError, match="'一二' is not a number"):
        zh_ordinal("一二")


CLAIMISH = st.sampled_from(
    [*"第名前三二十一两零百位居排为以达是，。；\n#1234567890.４ ", *("宜宾", "成都", "广东", "四川", "青岛")]
    + ["{{ table(3) }}", "{{ table(1) }}", "发展指数", "“人”", "主播活跃度", "中西部", "市（州）", "副省级城市", "### "]
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(CLAIMISH, max_size=50))
def test_any_text_is_read_without_failing(frames, parts):
    """An author's text of any shape gives a list of contradictions, each naming a line of the file; never an
    exception."""
    text = "".join(parts)
    lines = text.count("\n") + 1
    for fault in said(frames, text):
        assert 1 <= int(fault.split("line ")[1].split(":")[0]) <= lines
