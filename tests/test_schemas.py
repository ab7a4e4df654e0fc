"""Corrupted copies of the published data are rejected with a message that locates the fault."""

import pandas as pd
import pytest

from livecommerce.analysis import audit
from livecommerce.data import published as data
from livecommerce.data import schemas
from livecommerce.errors import DataError


def edit(folder, name, change):
    """Replace the file ``name`` by ``change`` of its frame (read as text)."""
    path = folder / name
    change(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)


def set_cell(frame, row, column, value):
    frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "overall",
            "101.5",
            r"table01.csv: line 4 \(row 3\), column 'overall': in_range\(60.0, 100.0\) \(found 101.5\)",
        ),
        (
            "overall",
            "九十",
            r"table01.csv: line 4 \(row 3\), column 'overall': coerce_dtype\('float64'\) \(found '九十'\)",
        ),
        ("overall", "", r"line 4 \(row 3\), column 'overall': empty cell"),
        ("region_id", "999999", r"line 4 \(row 3\), column 'region_id': isin"),
        ("region_id", "440000", r"column 'region_id': field_uniqueness"),
        ("rank_change", "40", r"column 'rank_change': in_range\(-30, 30\) \(found 40\)"),
        ("yoy_growth", "-1.2", r"column 'yoy_growth': greater_than\(-1.0\)"),
        ("level", "city", r"column 'level': equal_to\(province\)"),
    ],
)
def test_bad_cell_names_file_line_and_column(published_copy, column, value, message):
    edit(published_copy, "table01.csv", lambda f: set_cell(f, 2, column, value))
    with pytest.raises(DataError, match=message):
        data.load_table(1, published_copy)


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "load", "message"),
    [
        (
            "table03.csv",
            1,
            "region",
            "绵阳",
            lambda f: data.load_table(3, f),
            r"table03.csv: line 3, column 'region': '绵阳' is not region 511500",
        ),
        (
            "table06.csv",
            0,
            "sales",
            "89.30",
            lambda f: data.load_index("province", f),
            r"region 510100 \(成都\), column 'sales': 89.29 in table05.csv but 89.3 in table06.csv",
        ),
        (
            "table12.csv",
            4,
            "destination_id",
            "330100",
            lambda f: data.load_table(12, f),
            r"table12.csv: line 6 \(row 5\), column 'destination_id'",
        ),
        ("facts.csv", 0, "unit", "billion", data.load_facts, r"facts.csv: line 2 \(row 1\), column 'unit'"),
        (
            "facts.csv",
            3,
            "source_en",
            "",
            data.load_facts,
            r"facts.csv: line 5 \(row 4\), source_en must name the source in English",
        ),
    ],
    ids=["name-vs-id", "chengdu-across-levels", "top5-destination", "fact-unit", "fact-source-in-english"],
)
def test_inconsistent_cell_is_located(published_copy, name, row, column, value, load, message):
    edit(published_copy, name, lambda f: set_cell(f, row, column, value))
    with pytest.raises(DataError, match=message):
        load(published_copy)


def test_tied_values_share_the_best_rank(published_copy):
    def tie(frame):  # 2nd and 3rd equal: ranks 1, 2, 2, 4
        frame.loc[2, "venue"] = frame.loc[1, "venue"]
        frame.loc[2, "rank"] = "2"
        return frame

    edit(published_copy, "table13.csv", tie)
    assert data.load_table(13, published_copy)["rank"].tolist()[:4] == [1, 2, 2, 4]
    assert audit.run(published_copy).at["T13-rank-order", "verdict"] == "consistent"
    edit(published_copy, "table13.csv", lambda f: set_cell(f, 2, "rank", "3"))
    row = audit.run(published_copy).loc["T13-rank-order"]  # the audit's check, not the loader's
    assert row["verdict"] == "inconsistent" and row["found"].startswith("1 disagreements: ")


def test_a_rank_against_its_score_is_found_by_the_audit(published_copy):
    edit(published_copy, "table07.csv", lambda f: set_cell(f, 0, "goods", "90.00"))
    checks = audit.run(published_copy)
    assert checks.at["T7-rank-order", "verdict"] == "inconsistent"
    assert (checks.drop(index="T7-rank-order").filter(like="rank-order", axis=0)["verdict"] == "consistent").all()


def test_missing_row(published_copy):
    edit(published_copy, "table02.csv", lambda f: f.drop(index=14))
    with pytest.raises(DataError, match="table02.csv: .*expected 15 rows"):
        data.load_table(2, published_copy)


def test_unknown_and_missing_columns(published_copy):
    edit(published_copy, "table04.csv", lambda f: f.rename(columns={"sales": "sale"}))
    with pytest.raises(DataError, match="table04.csv: unexpected column 'sale'; missing column 'sales'"):
        data.load_table(4, published_copy)


def test_missing_file(published_copy):
    (published_copy / "table09.csv").unlink()
    with pytest.raises(DataError, match="table09.csv: file not found"):
        data.load_table(9, published_copy)


def test_registry_schema_rejects_a_duplicate_and_a_wrong_parent():
    registry = data.regions().reset_index()[list(schemas.regions_schema().columns)]
    doubled = pd.concat([registry, registry.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match="regions.csv: .*expected 31 regions at level 'province'"):
        schemas.validate(doubled, schemas.regions_schema(), "regions.csv")
    orphan = registry.copy()
    orphan.loc[orphan["region_id"] == "330100", "parent_id"] = "330200"
    with pytest.raises(DataError, match="parent_id must be the id of a province"):
        schemas.validate(orphan, schemas.regions_schema(), "regions.csv")


def test_facts_with_their_english_columns_out_of_place_are_told_the_order_once(published_copy):
    """An edition's facts with section_en and source_en appended at the end: one fault giving the columns' order
    (not one per column after the first out of place), with every other fault of the file."""

    def appended(frame):
        frame.loc[2, "unit"] = "furlongs"
        return frame[[c for c in frame if not c.endswith("_en")] + ["section_en", "source_en"]]

    edit(published_copy, "facts.csv", appended)
    order = "fact_id, section, section_en, measure, value, unit, qualifier, kind, period, geography, source, source_en"
    with pytest.raises(DataError, match=rf"facts.csv: columns out of order: give them as {order}, quote, note; line 4"):
        data.load_facts(published_copy)
