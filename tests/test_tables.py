"""Regenerated tables: CSV, XLSX and Markdown with the same content, the same bytes every time."""

import time

import pandas as pd
import pytest

from livecommerce.data import load_table
from livecommerce.errors import ParameterError
from livecommerce.tables import write_table


def test_three_formats_same_content_same_bytes(tmp_path):
    frame = load_table(1).set_index("region_id")
    first = write_table(frame, "table01", tmp_path / "a")
    time.sleep(1.1)  # a second later: no timestamp may leak into the files
    second = write_table(frame, "table01", tmp_path / "b")
    assert [p.name for p in first] == ["table01.csv", "table01.xlsx", "table01.md"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    back = pd.read_excel(first[1], dtype={"region_id": str}).set_index("region_id")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    markdown = first[2].read_text(encoding="utf-8")
    assert markdown.count("\n") == len(frame) + 2 and "| 广东 " in markdown


def test_refusals(tmp_path):
    with pytest.raises(ParameterError, match="DataFrame"):
        write_table([1, 2], "x", tmp_path)
    with pytest.raises(ParameterError, match="plain file name"):
        write_table(pd.DataFrame({"a": [1]}), "../x", tmp_path)
    with pytest.raises(ParameterError, match="'pdf' is not one of"):
        write_table(pd.DataFrame({"a": [1]}), "x", tmp_path, formats=("pdf",))


def test_formula_text_is_neutralised_and_numbers_are_not(tmp_path):
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "广东", "a=b"],
                          "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, -8.0]},
                         index=pd.Index(["=a", "b", "c", "d", "e", "f", "g", "h"], name="id"))
    paths = write_table(frame, "attack", tmp_path)
    expected = ["'=HYPERLINK(\"x\")", "'+1", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx", "广东", "a=b"]
    xlsx = pd.read_excel(paths[1], index_col="id")
    assert [n.replace("\n", "\r") for n in xlsx["name"]] == expected and xlsx.index[0] == "'=a"  # XLSX stores \r as \n
    assert xlsx["value"].tolist() == frame["value"].tolist()  # numbers, negative ones included, untouched
    csv = pd.read_csv(paths[0], index_col="id", keep_default_na=False).drop(index="f")  # \r splits a CSV line
    assert csv["name"].tolist()[:5] == expected[:5] and float(csv["value"].iloc[0]) == -1.5
    assert frame["name"].iloc[0].startswith("=")  # the caller's frame is not modified
