"""Every region resolves to its GB/T 2260 id by any of its names; unknown and ambiguous names fail clearly."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from livecommerce.data import published as data
from livecommerce.data.regions import display_names, resolve
from livecommerce.errors import ParameterError, RegionError
from livecommerce.publish import sentences

REGISTRY = data.regions().reset_index()


def test_registry_counts_and_codes():
    assert REGISTRY.groupby("level").size().to_dict() == {"city": 15, "prefecture": 21, "province": 31}
    assert REGISTRY["region_id"].nunique() == 66  # 成都 is both a sub-provincial city and a prefecture
    provinces = data.regions("province")
    assert (provinces.index.str[2:] == "0000").all()
    prefectures = data.regions("prefecture")
    assert (prefectures["parent_id"] == "510000").all() and (prefectures.index.str[:2] == "51").all()
    cities = data.regions("city")
    assert (cities.index.str[:2] == cities["parent_id"].str[:2]).all()


@pytest.mark.parametrize("column", ["region_id", "name", "full_name_zh", "name_en", "full_name_en"])
def test_every_name_resolves_to_its_id(column):
    for row in REGISTRY.itertuples():
        assert resolve(getattr(row, column)) == row.region_id
        assert resolve(getattr(row, column), level=row.level) == row.region_id


def test_names_as_printed_and_full_names():
    assert resolve("凉山州") == resolve("凉山彝族自治州") == resolve("Liangshan") == resolve("凉山") == "513400"
    assert resolve("阿坝州") == resolve("阿坝藏族羌族自治州") == "513200"
    assert resolve("甘孜州") == resolve("甘孜藏族自治州") == "513300"
    assert resolve("内蒙古自治区") == resolve("Inner Mongolia") == "150000"
    assert resolve("Shaanxi") == "610000" and resolve("Shanxi") == "140000"


def test_display_names_in_both_languages_one_function_for_plots_and_sentences():
    ids = pd.Series(["510100", "513400", 510000])  # 成都 is at two levels: one name; a code may be a number
    assert display_names(ids, "zh") == ["成都", "凉山州", "四川"]
    assert display_names(ids, "en") == ["Chengdu", "Liangshan", "Sichuan"]
    assert display_names(["999999"], "zh") == ["999999"]  # not in the registry: shown as it is
    assert sentences.names is display_names
    with pytest.raises(ParameterError, match="lang='fr'"):
        display_names(ids, "fr")


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


@given(
    row=st.sampled_from(list(REGISTRY.itertuples())),
    column=st.sampled_from(["name", "name_en", "region_id"]),
    pad=st.sampled_from(["", " ", "\u3000", "\t"]),
    upper=st.booleans(),
    fullwidth=st.booleans(),
)
def test_spacing_width_and_case_do_not_matter(row, column, pad, upper, fullwidth):
    name = getattr(row, column)
    name = pad + (name.upper() if upper else name) + pad
    name = to_fullwidth(name) if fullwidth else name
    assert resolve(name) == row.region_id


def test_unknown_name_suggests_close_names():
    with pytest.raises(RegionError, match=r"unknown region '四州'; did you mean .*泸州"):
        resolve("四州")
    with pytest.raises(RegionError, match=r"did you mean .*Sichuan"):
        resolve("Sichaun")


def test_level_restricts_resolution():
    assert resolve("成都", "city") == resolve("成都", "prefecture") == "510100"
    with pytest.raises(RegionError, match="unknown region '成都' at level 'province'"):
        resolve("成都", "province")
    with pytest.raises(RegionError, match="unknown region '成都' at level 'county'"):
        resolve("成都", "county")  # a county-level set: 成都 is a prefecture
    with pytest.raises(ParameterError, match="level='township'"):
        resolve("成都", "township")


def test_ambiguous_name_is_an_error_not_a_guess():
    registry = REGISTRY.copy()
    extra = registry[registry["region_id"] == "220000"].assign(
        region_id="220200", level="city", name="吉林", full_name_zh="吉林市", parent_id="220000"
    )
    registry = pd.concat([registry, extra], ignore_index=True)
    with pytest.raises(RegionError, match="'吉林' is ambiguous: it matches ids 220000, 220200"):
        resolve("吉林", registry=registry)
    assert resolve("吉林", level="province", registry=registry) == "220000"
