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
