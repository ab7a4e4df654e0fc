"""The loaders return the report's numbers with the documented shape and conventions."""

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from livecommerce.analysis import audit
from livecommerce.data import published as data
from livecommerce.data.facts import ENGLISH_NAMES, facts_in_language
from livecommerce.errors import DataError, ParameterError
from livecommerce.vocab import INDEX_TABLES, LEVEL_SIZES, LEVELS, MEASURES


@pytest.mark.parametrize("level", LEVELS)
def test_load_index_shape_and_columns(level):
    index = data.load_index(level)
    assert len(index) == LEVEL_SIZES[level]
    assert index.index.name == "region_id" and index.index.is_unique
    assert set(MEASURES) <= set(index.columns)
    for measure in ("overall", "people", "goods", "venue"):
        assert (
            index[f"{measure}_rank"].tolist() == index[measure].rank(ascending=False, method="min").astype(int).tolist()
        )
    assert index["overall_rank"].is_monotonic_increasing
    assert ("yoy_growth" in index) == (level == "province")
    assert index[list(MEASURES)].stack().between(60, 100).all()


def test_province_values_as_printed():
    index = data.load_index("province")
    guangdong = index.loc["440000"]
    assert (guangdong["name_zh"], guangdong["name_en"]) == ("广东", "Guangdong")
    assert guangdong["overall"] == 98.36 and guangdong["overall_rank"] == 1
    assert guangdong["yoy_growth"] == pytest.approx(0.3355)
    # ↑5, ↓2 and → in 表1
    assert index.loc[["440000", "310000", "230000"], "rank_change"].tolist() == [5, -2, 0]
    sichuan = index.loc["510000"]
    assert (sichuan["overall"], sichuan["people"], sichuan["goods"], sichuan["venue"]) == (91.10, 89.98, 92.92, 92.82)
    assert (sichuan["activity"], sichuan["sales"], sichuan["influence"]) == (95.19, 87.22, 95.04)


def test_chengdu_identical_at_city_and_prefecture_level():
    city, prefecture = data.load_index("city"), data.load_index("prefecture")
    assert city.loc["510100", list(MEASURES)].equals(prefecture.loc["510100", list(MEASURES)])
    assert city.loc["510100", "overall_rank"] == 4 and prefecture.loc["510100", "overall_rank"] == 1


@pytest.mark.parametrize("number", range(1, 16))
def test_every_table_loads_with_provenance(number):
    table = data.load_table(number)
    assert (table["table"] == number).all()
    if number in (10, 11, 12):
        assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    else:
        level = next(lv for lv, t in INDEX_TABLES.items() if number in t)
        assert len(table) == LEVEL_SIZES[level] and (table["level"] == level).all()


def test_top5_lists_are_tidy():
    liquor = data.load_table(11)
    assert liquor.loc[0, ["brand", "shop", "destination", "destination_id"]].tolist() == [
        "泸州老窖",
        "泸州老窖官方旗舰店",
        "广东",
        "440000",
    ]
    assert set(pd.concat([data.load_table(n) for n in (10, 11, 12)])["category"]) == {"川茶", "川酒", "川调"}


def test_facts_convert_to_base_units():
    facts = data.load_facts()
    assert len(facts) > 30 and facts.index.is_unique
    assert facts.loc["F08", "value_base"] == pytest.approx(5.26e8)  # 5.26亿人
    assert facts.loc["F02", "value_base"] == pytest.approx(0.131)  # 13.1%
    assert facts.loc["F22", "value_base"] == pytest.approx(12.3e12)  # 12.3万亿元
    assert facts.loc["F28", "decimals"] == 1 and facts.loc["F30", "decimals"] == 0
    assert {"CNNIC 第52次《中国互联网络发展状况统计报告》", "国家统计局", "艾媒咨询"} <= set(facts["source"])


def test_chapter_facts_split_the_facts_by_chapter():
    facts = data.load_facts()
    parts = {chapter: data.chapter_facts(facts, chapter) for chapter in "一二四"}
    assert sum(len(p) for p in parts.values()) == len(facts)
    assert parts["一"].loc["F08", "measure"] == facts.loc["F08", "measure"]
    assert all(p["section"].str[0].eq(chapter).all() for chapter, p in parts.items())
    with pytest.raises(ParameterError, match="chapter='三'.*一, 二, 四"):
        data.chapter_facts(facts, "三")


CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
"""A Chinese character or full-width punctuation mark."""


def english_numbering(section: str) -> str:
    """The report's numbering of a section in English: 一（二）1 is Ch. 1 (2) 1, 二（二）3（1） is Ch. 2 (2) 3 (1)."""
    numerals = {n: str(k) for k, n in enumerate("一二三四五六七八九", start=1)}
    chapter, sub, item, point = re.match(r"^([一二三四])(?:（([一二三四五六])）)?(\d)?(?:（(\d)）)?", section).groups()
    parts = [f"Ch. {numerals[chapter]}", sub and f"({numerals[sub]})", item, point and f"({point})"]
    return " ".join(p for p in parts if p)


def test_every_fact_names_its_section_and_cited_source_in_english():
    """An English edition cites each fact by the English names of its section (by the report's chapter and section
    numbering) and of its source: one English name for each Chinese one, none holding Chinese; a fact that cites
    no source has no English one."""
    facts = data.load_facts()
    assert (facts["section_en"] != "").all() and ((facts["source"] == "") == (facts["source_en"] == "")).all()
    for chinese, english in (("section", "section_en"), ("source", "source_en")):
        named = facts.loc[facts[chinese] != "", [chinese, english]].drop_duplicates()
        assert len(named) == 10 and named[chinese].is_unique and named[english].is_unique, chinese
        assert not named[english].str.contains(CJK).any(), chinese
    for section, english in zip(facts["section"], facts["section_en"]):
        assert english.startswith(english_numbering(section) + " "), (section, english)
    assert facts.loc["F35", "source_en"] == "iiMedia Research"  # 艾媒咨询's own English name
    assert facts.loc["F22", "source_en"] == "National Bureau of Statistics of China"


def test_facts_in_a_language_cite_their_sections_and_sources_in_it():
    """In Chinese the facts are as before (the English columns dropped); in English their sections and sources are
    the English names, and an edition's fact that gives none keeps its Chinese ones."""
    facts = data.load_facts()
    english = list(ENGLISH_NAMES.values())
    pd.testing.assert_frame_equal(facts_in_language(facts, "zh"), facts.drop(columns=english))
    en = facts_in_language(facts, "en")
    assert list(en.columns) == [c for c in facts.columns if c not in english]
    assert en.loc["F08", "section"] == facts.loc["F08", "section_en"] and en.loc["F13", "source"] == ""
    assert en.loc["F01", "source"] == facts.loc["F01", "source_en"] and not en["section"].str.contains(CJK).any()
    given = facts.loc[["F01"]].drop(columns=english).assign(source="某机构")  # an edition's fact, Chinese only
    mixed = facts_in_language(pd.concat([facts.drop(index="F01"), given]), "en")
    assert mixed.loc["F01", ["section", "source"]].tolist() == [facts.loc["F01", "section"], "某机构"]
    assert mixed.loc["F02", "source"] == facts.loc["F02", "source_en"]


def test_unknown_table_number_is_a_parameter_error():
    with pytest.raises(ParameterError, match="table=16"):
        data.load_table(16)
    with pytest.raises(ParameterError, match="level='county'"):
        data.load_index("county")


def load_everything(folder=None):
    """Every loader over ``folder``, as a session would call them: the three levels, the facts, claims and
    trends, the audit and each table."""
    for level in LEVELS:
        data.load_index(level, folder)
    for load in (data.load_facts, data.load_claims, data.load_trends, audit.run):
        load(folder)
    for number in range(1, 16):
        data.load_table(number, folder)


def test_each_file_is_read_once_per_process(published_copy, monkeypatch):
    reads = Counter()
    read_csv = pd.read_csv  # what livecommerce.data.io.read_csv and the region registry call to open a CSV

    def counting(path, *args, **kwargs):
        reads[Path(path).resolve()] += 1
        return read_csv(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", counting)
    for _ in range(2):
        load_everything(published_copy)
        load_everything()
    copied = {path.resolve() for path in published_copy.glob("*.csv")}
    assert len(copied) == 18 and {path: reads[path] for path in copied} == dict.fromkeys(copied, 1)
    assert max(reads.values()) == 1  # the bundled files too, if not loaded before this test


@pytest.mark.parametrize(
    "load",
    [
        lambda: data.load_table(1),
        lambda: data.load_table(11),
        lambda: data.load_index("city"),
        data.load_facts,
        data.load_claims,
        data.load_trends,
    ],
)
def test_changing_a_returned_frame_does_not_change_the_next(load):
    frame = load()
    expected = frame.copy()
    frame.iloc[0, 0] = frame.iloc[1, 0]
    frame.loc[frame.index[1], frame.columns[-1]] = frame.iloc[0, -1]
    frame.index = frame.index[::-1]
    del frame[frame.columns[1]]
    frame["added"] = 1
    pd.testing.assert_frame_equal(load(), expected)


def test_a_corrupted_file_raises_on_every_load_and_loads_again_when_fixed(published_copy):
    path = published_copy / "table02.csv"
    text = path.read_text(encoding="utf-8")
    assert data.load_index("city", published_copy).at["510100", "overall"] == 89.52
    path.write_text(text.replace(",510100,成都,89.52,", ",510100,成都,189.52,"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match="table02.csv: .*column 'overall': in_range"):
            data.load_table(2, published_copy)
        with pytest.raises(DataError, match="table02.csv"):
            data.load_index("city", published_copy)
    path.write_text(text, encoding="utf-8")
    assert data.load_index("city", published_copy).at["510100", "overall"] == 89.52


def test_a_file_edited_after_a_load_is_read_again(published_copy):
    facts, trends = published_copy / "facts.csv", published_copy / "trends.csv"
    assert data.load_facts(published_copy).at["F08", "value"] == 5.26
    facts.write_text(facts.read_text(encoding="utf-8").replace(",5.26,", ",5.27,"), encoding="utf-8")  # same size
    assert data.load_facts(published_copy).at["F08", "value_base"] == pytest.approx(5.27e8)
    first = data.load_trends(published_copy).iloc[0]
    trends.write_text(trends.read_text(encoding="utf-8").replace(first["trend"], "改写"), encoding="utf-8")
    assert data.load_trends(published_copy).iloc[0]["trend"] == "改写"


def test_the_shared_regions_are_checked_again_when_a_table_changes(published_copy):
    data.check_shared_regions(published_copy)
    path = published_copy / "table03.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",成都,89.52,", ",成都,89.53,"), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"region 510100 \(成都\), column 'overall': 89.52 in table02.csv "
        r"but 89.53 in table03.csv",
    ):
        data.load_index("prefecture", published_copy)
    with pytest.raises(DataError, match="510100"):
        data.check_shared_regions(published_copy)
