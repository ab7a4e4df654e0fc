"""The claims check: what an author's section text says of ranks, top-N lists and values, against the tables."""

import re
import shutil
import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from livecommerce.data.paths import data_dir
from livecommerce.data.regions import display_names
from livecommerce.errors import DataError
from livecommerce.publish.assemble import assemble
from livecommerce.publish.claims import contradictions, en_numeral, zh_ordinal
from livecommerce.publish.sentences import FOCUS, en_ordinal, headline
from livecommerce.publish.text import TEXT, text_files
from livecommerce.report.parameters import Parameters
from livecommerce.report.runs import Run
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES

EDITION = data_dir() / "examples" / "synthetic_edition_2024"


@pytest.fixture(scope="module")
def studies():
    """The 2023 rebuild's studies by level."""
    return {level: Study.build(level) for level in INDEX_TABLES}


@pytest.fixture(scope="module")
def frames(studies):
    """The 2023 rebuild's index tables by number."""
    return {n: studies[level].table(n) for level, numbers in INDEX_TABLES.items() for n in numbers}


def said(frames, body: str, name: str = "3-9.md", lang: str = "zh") -> list[str]:
    return contradictions([(name, body)], frames, lang)


@pytest.mark.parametrize("lang, at_least", [("zh", 20), ("en", 7)])
def test_the_2023_texts_pass_against_the_2023_rebuild(frames, lang, at_least):
    """Every section of the 2023 edition (ranks, 前三, 98.36 and 93.18, 中西部, 前三季度, 青岛啤酒; in English "the
    first three quarters", 284.58 billion yuan, a shortage of 19.415 million) holds."""
    files = [(p, p.read_text(encoding="utf-8")) for p in text_files(lang)]
    assert len(files) >= at_least and contradictions(files, frames, lang) == []


def test_a_rank_is_checked_against_the_sections_table(frames):
    body = (
        "### 3. 四川21个市（州）\n\n{{ table(3) }}\n\n"
        "成都排名第一；宜宾积极组织直播带货，\n在 21 个市（州）中排名第四。"
    )
    assert said(frames, body) == ["text file 3-9.md, line 6: “排名第四” of 宜宾, but 表3 ranks 宜宾 第二 (2)"]
    assert said(frames, body.replace("第四", "第二")) == []
    ordinal = "{{ table(3) }}\n\n宜宾位列第4名，绵阳为第三名。"  # the 第N名 forms, in digits and in numerals
    assert said(frames, ordinal) == ["text file 3-9.md, line 3: “位列第4名” of 宜宾, but 表3 ranks 宜宾 第二 (2)"]


def test_a_chinese_rank_of_another_year_is_not_read_as_this_years(frames):
    """An author comparing with last year is not refused: 上年排名第四, 2022年位列第四, 由上年的第五名升至 — but this
    year's rank in the same sentence is checked."""
    earlier = "{{ table(3) }}\n\n宜宾上年排名第四，2022年位列第四，曾居第五，由上年的第五名升至第二名。"
    assert said(frames, earlier) == []
    assert said(frames, earlier.replace("升至第二名", "升至第三名")) == [
        "text file 3-9.md, line 3: “升至第三名” of 宜宾, but 表3 ranks 宜宾 第二 (2)"
    ]


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
    opening = "{{ table(1) }}\n\n在中西部地区，四川排名第一。东部的山东，上升至全国第五。"  # 东部的山东: not a part
    assert said(frames, opening) == ["text file 3-9.md, line 3: “升至全国第五” of 山东, but 表1 ranks 山东 第六 (6)"]


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


FIELDS = ["{{ table(3) }}", "{{ table(1) }}", "### ", "\n", " ", "1", "2", "12", "98.36", "."]
CLAIMISH = {
    "zh": st.sampled_from(
        [*"第名前三二十一两零百位居排为以达是，。；#4567890４", *("宜宾", "成都", "广东", "四川", "青岛"), *FIELDS]
        + ["发展指数", "“人”", "主播活跃度", "中西部", "市（州）", "副省级城市"]
    ),
    "en": st.sampled_from(
        [
            *(
                "ranks",
                "is",
                "placed",
                "takes",
                "place",
                "No.",
                "2nd",
                "3th",
                "second",
                "twenty-",
                "first",
                "top",
                "three",
            ),
            *FIELDS,
        ]
        + [
            *("with a score of", "of", "(", ",", ";", "-", "'s", "Yibin", "Chengdu", "Guangdong", "Sichuan", "Xi’an"),
            "are",
        ]
        + ["development index", "people (人)", "central and western China", "among", "prefectures", "billion", "and"]
    ),
}


@settings(max_examples=300, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_any_text_is_read_without_failing(frames, lang, data):
    """An author's text of any shape, in either language, gives a list of contradictions, each naming a line of the
    file; never an exception."""
    text = {"zh": "", "en": " "}[lang].join(data.draw(st.lists(CLAIMISH[lang], max_size=50)))
    lines = text.count("\n") + 1
    for fault in said(frames, text, lang=lang):
        assert 1 <= int(fault.split("line ")[1].split(":")[0]) <= lines


def test_an_english_rank_is_checked_against_the_sections_table(frames):
    body = (
        "### 3. Sichuan's prefectures\n\n{{ table(3) }}\n\n"
        "Chengdu ranks first; Yibin, which organised many sessions,\nranks fourth among Sichuan's 21 prefectures."
    )
    assert said(frames, body, lang="en") == [
        "text file 3-9.md, line 6: “ranks fourth” of Yibin, but table 3 ranks Yibin 2nd"
    ]
    assert said(frames, body.replace("fourth", "second"), lang="en") == []
    forms = "{{ table(3) }}\n\nYibin is 4th. Mianyang is No. 3. Leshan placed 2nd nationally. Yibin takes fourth place."
    assert said(frames, forms, lang="en") == [
        "text file 3-9.md, line 3: “is 4th” of Yibin, but table 3 ranks Yibin 2nd",
        "text file 3-9.md, line 3: “placed 2nd” of Leshan, but table 3 ranks Leshan 4th",
        "text file 3-9.md, line 3: “takes fourth place” of Yibin, but table 3 ranks Yibin 2nd",
    ]
    curly = "{{ table(2) }}\n\nXi’an ranks 6th among the 15 sub-provincial cities, Xi’an is ranked No. 5."
    assert said(frames, curly, lang="en") == [
        "text file 3-9.md, line 3: “is ranked No. 5” of Xi'an, but table 2 ranks Xi'an 6th"
    ]


def test_an_english_top_list_names_each_wrong_member(frames):
    body = (
        "{{ table(1) }}\n\nIn the first three quarters of 2023, Guangdong, Zhejiang and Sichuan rank in the top three "
        "of the development index."
    )
    assert said(frames, body, lang="en") == [
        "text file 3-9.md, line 3: “top three” names Sichuan, but table 1 ranks Sichuan 8th"
    ]
    assert said(frames, body.replace("Sichuan", "Shanghai"), lang="en") == []  # the first three quarters: a period
    after = "{{ table(1) }}\n\nThe top 5 provinces are Guangdong, Zhejiang, Shanghai, Beijing and Shandong."
    assert said(frames, after, lang="en") == [
        "text file 3-9.md, line 3: “top 5” names Shandong, but table 1 ranks Shandong 6th"
    ]
    others = "{{ table(1) }}\n\nSichuan's top five brands and Guangdong's top-three anchors sold well."
    assert said(frames, others, lang="en") == []  # a list of other things


def test_an_english_value_is_held_to_its_rounding(frames):
    body = "Guangdong leads the country with a development index of {}."  # no table field: the measure says table 1
    assert said(frames, body.format("98.36"), lang="en") == said(frames, body.format("98.4"), lang="en") == []
    assert said(frames, body.format("98.3"), lang="en") == [
        "text file 3-9.md, line 1: “of 98.3” of Guangdong’s Development index, but table 1 prints 98.36, beyond the "
        "rounding of 98.3"
    ]
    other = "{{ table(1) }}\n\nZhejiang, with a score of 97.73, Shanghai (96.1) and Beijing (94.69) follow."
    assert said(frames, other, lang="en") == []  # a score: the measure table 1 ranks by
    assert said(frames, other.replace("96.1", "96.2"), lang="en") == [
        "text file 3-9.md, line 3: “(96.2” of Shanghai’s Development index, but table 1 prints 96.08, beyond the "
        "rounding of 96.2"
    ]
    units = "{{ table(1) }}\n\nGuangdong's sales reached 284.58 billion yuan, a growth of 2.5 on its index of 98.36."
    assert said(frames, units, lang="en") == []


def test_english_ranks_among_a_part_of_the_regions_of_another_year_or_level_are_not_checked(frames):
    body = (
        "#### (2) Sub-provincial cities\n\n{{ table(14) }}\n\nChengdu's MCN accounts rank first in central and "
        "western China.\n\n### 1. Provinces\n\n{{ table(1) }}\n\nAmong central and western provinces, Sichuan "
        "ranks first. Shandong, home of the Qingdao beer brand, rose to sixth with an index of 93.18."
    )
    assert said(frames, body, lang="en") == []
    earlier = (
        "{{ table(3) }}\n\nYibin, which ranked 4th in 2022 and previously ranked 5th, ranks second. Yibin had ranked "
        "fourth. Yibin was 4th last year. Chengdu, Leshan and Yibin were the top three a year earlier."
    )
    assert said(frames, earlier, lang="en") == []  # another year's ranks
    both = "{{ table(1) }}\n\nSichuan ranks 8th nationally and first in central and western China."
    assert said(frames, both, lang="en") == []
    assert said(frames, both.replace("8th", "7th"), lang="en") == [
        "text file 3-9.md, line 3: “ranks 7th” of Sichuan, but table 1 ranks Sichuan 8th"
    ]


@settings(max_examples=60, deadline=None)
@given(number=st.sampled_from([1, 2, 3, 4, 7, 13]), lang=st.sampled_from(["zh", "en"]), order=st.randoms())
def test_what_a_headline_says_of_any_ranking_holds_for_it_and_is_named_against_another(frames, number, lang, order):
    """The package's own headline of a shuffled table (广东、浙江和上海排名前三，四川排名全国第八 / Guangdong, Zhejiang
    and Shanghai rank in the top three; Sichuan ranks 8th nationally), written as an author's prose under that
    table, passes; against the 2023 table, each member of its top three ranked below third and its focus region's
    national rank, if it says one and it differs, are named."""
    table = frames[number]
    shuffled = table.assign(rank=order.sample(list(table["rank"]), len(table)))
    level = table["level"].iloc[0]
    body = f"{{{{ table({number}) }}}}\n\n{headline(shuffled, level, lang)}{'.' if lang == 'en' else '。'}"
    assert said({**frames, number: shuffled}, body, lang=lang) == []
    named = display_names(shuffled.loc[shuffled["rank"] <= 3, "region_id"], lang)
    rank = dict(zip(display_names(table["region_id"], lang), table["rank"]))
    wrong = {name for name in named if rank[name] > 3}
    focus = display_names([FOCUS.get(level, "")], lang)[0]
    national = re.search(r"ranks (\d+)\w\w nationally" if lang == "en" else r"排名全国第", body)
    moved = shuffled.loc[shuffled["region_id"] == FOCUS.get(level), "rank"]
    if national and int(moved.iloc[0]) != rank[focus]:
        wrong.add(focus)
    faults = "; ".join(said(frames, body, lang=lang))
    assert set(re.findall(r"(?:names|of) ([^“”;]+?), but", faults)) == wrong


@given(n=st.integers(0, 999))
def test_an_english_rank_in_digits_is_read_and_a_wrong_suffix_is_no_number(n):
    assert en_numeral(en_ordinal(n)) == en_numeral(f"No. {n}") == en_numeral(f"number {n}") == en_numeral(str(n)) == n
    wrong = next(suffix for suffix in ("st", "nd", "rd", "th") if en_ordinal(n) != f"{n}{suffix}")
    with pytest.raises(ValueError, match="is not a number"):
        en_numeral(f"{n}{wrong}")


def test_english_number_words_are_read():
    words = {"first": 1, "Second": 2, "twelfth": 12, "twentieth": 20, "twenty-first": 21, "ninety ninth": 99}
    words |= {"three": 3, "ten": 10, "nineteen": 19, "twenty-one": 21, "forty": 40}
    assert {w: en_numeral(w) for w in words} == words
    for nonsense in ("twenty-ten", "first-second", "secondth", "No.", "one hundred"):
        with pytest.raises(ValueError, match="is not a number"):
            en_numeral(nonsense)


def test_an_english_editions_contradiction_stops_the_run_before_its_notebooks(tmp_path):
    """An English run of the SYNTHETIC 2024 edition (宜宾 fourth in 表3) whose author's section says Yibin ranks second
    stops in Run.build, before any notebook, naming file, line and table; saying fourth, it builds."""
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    (edition / "text" / "en").mkdir()
    section = edition / "text" / "en" / "3-0.md"
    text = (TEXT / "en" / "3-0.md").read_text(encoding="utf-8")
    said_of = "{{ table(3) }}\n\nYibin ranks {} among Sichuan's 21 prefectures."
    line = 3 + text[: text.index("{{ table(3) }}")].count("\n")
    out = tmp_path / "out"
    section.write_text(text.replace("{{ table(3) }}", said_of.format("fourth")), encoding="utf-8")
    assert Run.build(Parameters(edition=str(edition), output_dir=str(out), lang="en")).lang == "en"
    section.write_text(text.replace("{{ table(3) }}", said_of.format("second")), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        Run.build(Parameters(edition=str(edition), output_dir=str(out), lang="en"))
    assert str(raised.value) == f"text file 3-0.md, line {line}: “ranks second” of Yibin, but table 3 ranks Yibin 4th"
    assert not out.exists()


def test_an_english_document_from_an_authors_folder_is_refused_naming_file_and_line(studies, tmp_path):
    """publish.assemble in English checks an author's folder of sections as the run does; a right one is built."""
    section = tmp_path / "3-0.md"
    body = "# 3. The index\n\n{{ table(3) }}\n\nYibin ranks fourth among Sichuan's 21 prefectures.\n"
    section.write_text(body, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        assemble(studies, None, "en", text=tmp_path)
    assert str(raised.value) == "text file 3-0.md, line 5: “ranks fourth” of Yibin, but table 3 ranks Yibin 2nd"
    section.write_text(body.replace("fourth", "second"), encoding="utf-8")
    assert assemble(studies, None, "en", text=tmp_path).lang == "en"


@pytest.mark.parametrize(
    "lang, statement", [("zh", "宜宾的发展指数排名第四"), ("en", "Yibin's development index ranks 4th and ")]
)
def test_a_sentence_of_thousands_of_statements_is_read_in_seconds(frames, lang, statement):
    """Each statement of one long sentence is named, in time linear in its length (4,000 statements took about 25 s in
    Chinese, and far longer in English, when each statement looked back over its sentence)."""
    started = time.perf_counter()
    faults = said(frames, "{{ table(3) }}\n\n" + statement * 4000, lang=lang)
    assert len(faults) == 4000 and time.perf_counter() - started < 10
