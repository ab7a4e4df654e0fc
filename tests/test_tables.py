"""Regenerated tables: CSV, XLSX and Markdown with the same content, the same bytes every time."""

import copy
import csv
import os
import re
import time
import zipfile

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data.export import markdown, markdown_literal, write_table
from livecommerce.data.io import FORMULA_STARTS, file_mode, neutralise, umask, write_csv, write_office, write_rows
from livecommerce.data.published import load_table
from livecommerce.errors import OutputError, ParameterError


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


def office_saver(year: int, fail: bool = False):
    """A ``save`` writing a DOCX-like zip stamped with ``year`` (entry times and docProps/core.xml dates)."""

    def save(path):
        core = f'<cp:coreProperties><dcterms:created xsi:type="W3CDTF">{year}-05-06T07:08:09Z</dcterms:created>'
        with zipfile.ZipFile(path, "w") as book:
            book.writestr(zipfile.ZipInfo("docProps/core.xml", (year, 5, 6, 7, 8, 10)), core + "</cp:coreProperties>")
            book.writestr(zipfile.ZipInfo("word/document.xml", (year, 1, 1, 0, 0, 0)), "<w:document>本文</w:document>")
        if fail:
            raise RuntimeError("the document could not be saved")

    return save


def test_an_office_file_is_written_atomically_and_the_same_bytes_whenever_it_is_written(tmp_path):
    first = write_office(tmp_path / "a.docx", office_saver(2021))
    second = write_office(tmp_path / "b.docx", office_saver(2024))
    assert first == tmp_path / "a.docx" and first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as book:
        assert {info.date_time for info in book.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in book.read("docProps/core.xml").decode()
        assert book.read("word/document.xml").decode() == "<w:document>本文</w:document>"
    before = first.read_bytes()
    with pytest.raises(RuntimeError):
        write_office(first, office_saver(2025, fail=True))
    assert first.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx"]


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077, 0o002])
def test_a_table_is_written_with_the_umask_of_the_moment(tmp_path, mask):
    """Read when each file is written (not once a process: kept kernels write one run after another)."""
    before = os.umask(mask)
    try:
        assert umask() == mask and file_mode() == 0o666 & ~mask
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    finally:
        os.umask(before)
    assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_table_is_never_written_through_a_symbolic_link(tmp_path):
    mine = tmp_path / "mine.md"
    mine.write_bytes(b"my own notes")
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "table01.md").symlink_to(mine)
    with pytest.raises(OutputError, match=f"{tmp_path / 'tables' / 'table01.md'} is a symbolic link"):
        write_table(load_table(1).set_index("region_id"), "table01", tmp_path / "tables", formats=("md",))
    assert mine.read_bytes() == b"my own notes" and [p.name for p in (tmp_path / "tables").iterdir()] == ["table01.md"]


def test_refusals(tmp_path):
    with pytest.raises(ParameterError, match="DataFrame"):
        write_table([1, 2], "x", tmp_path)
    with pytest.raises(ParameterError, match="plain file name"):
        write_table(pd.DataFrame({"a": [1]}), "../x", tmp_path)
    with pytest.raises(ParameterError, match="'pdf' is not one of"):
        write_table(pd.DataFrame({"a": [1]}), "x", tmp_path, formats=("pdf",))


def test_formula_text_is_neutralised_and_numbers_are_not(tmp_path):
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "广东", "a=b"],
            "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, -8.0],
        },
        index=pd.Index(["=a", "b", "c", "d", "e", "f", "g", "h"], name="id"),
    )
    paths = write_table(frame, "attack", tmp_path)
    expected = ['\'=HYPERLINK("x")', "'+1", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx", "广东", "a=b"]
    xlsx = pd.read_excel(paths[1], index_col="id")
    assert [n.replace("\n", "\r") for n in xlsx["name"]] == expected and xlsx.index[0] == "'=a"  # XLSX stores \r as \n
    assert xlsx["value"].tolist() == frame["value"].tolist()  # numbers, negative ones included, untouched
    csv = pd.read_csv(paths[0], index_col="id", keep_default_na=False)  # the cell holding \r is quoted
    assert csv["name"].tolist() == expected and float(csv["value"].iloc[0]) == -1.5
    assert frame["name"].iloc[0].startswith("=")  # the caller's frame is not modified


def test_a_table_without_hazards_is_written_as_before():
    frame = load_table(1).set_index("region_id")
    pd.testing.assert_frame_equal(neutralise(frame), frame)
    assert markdown(frame) == frame.to_markdown() + "\n"
    multi = frame.head(3).set_index("region", append=True)
    multi.columns = pd.MultiIndex.from_tuples([("a", c) for c in multi.columns])
    pd.testing.assert_frame_equal(neutralise(multi), multi)
    assert markdown(multi) == multi.to_markdown() + "\n"


def test_markdown_escapes_pipes_and_html_and_keeps_numbers(tmp_path):
    frame = pd.DataFrame(
        {"a|b": ["x|y", "<script>&", "two\nlines", "back\\|slash"], "n": [-1.5, 2.0, 1e-7, 3.0]},
        index=pd.Index(["r|1", "<i>", "r3", "r4"], name="id|"),
    )
    lines = write_table(frame, "escaped", tmp_path, formats=("md",))[0].read_text(encoding="utf-8").splitlines()
    assert lines == [
        r"| id\|      | a\|b                |      n |",
        r"|:----------|:--------------------|-------:|",
        r"| r\|1      | x\|y                | -1.5   |",
        r"| &lt;i&gt; | &lt;script&gt;&amp; |  2     |",
        r"| r3        | two<br>lines        |  1e-07 |",
        r"| r4        | back\\\|slash       |  3     |",
    ]
    multi = pd.DataFrame({("p|q", "<b>"): [1.0]}, index=pd.MultiIndex.from_tuples([("=a|b", 1)]))
    assert markdown(multi).splitlines()[::2] == [
        r"|              |   ('p\|q', '&lt;b&gt;') |",
        r"| ('=a\|b', 1) |                       1 |",
    ]


def test_markdown_shows_links_images_emphasis_code_and_headings_literally():
    """Text from a user (a name, a label, a section text) cannot link, load an image, emphasise or open a heading."""
    assert markdown_literal("[x](javascript:alert(1)) ![t](http://evil/b.png)") == (
        r"\[x\](javascript:alert(1)) !\[t\](http://evil/b.png)"
    )
    assert markdown_literal("*a* _b_ `c` a#b region_id") == r"\*a\* \_b\_ \`c\` a#b region_id"
    assert markdown_literal("# 伪造\n# 又一章") == r"\# 伪造<br># 又一章"


def assert_no_formula_text(values):
    text = [v for v in values if isinstance(v, str)]
    assert text and not [v for v in text if v.startswith(("=", "+", "-", "@"))]


def test_multiindex_labels_are_neutralised_in_every_level(tmp_path):
    rows = pd.MultiIndex.from_tuples([("=SUM(A1)", "x"), ("+cmd", "-y"), ("ok", "@b")], names=["=n", "k"])
    columns = pd.MultiIndex.from_tuples([("=c", "@d"), ("ok", "-e")], names=["+a", "b"])
    frame = pd.DataFrame([["=1+1", -1.5], ["text", 2.0], ["-x", -3.0]], index=rows, columns=columns)
    csv_path, xlsx_path = write_table(frame, "multi", tmp_path, formats=("csv", "xlsx"))
    sheet = openpyxl.load_workbook(xlsx_path).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert_no_formula_text(cell.value for cell in cells)
    assert not [cell for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert {"'=SUM(A1)", "'-y", "'@b", "'=c", "'@d", "'-e", "'=1+1", -1.5, -3.0} <= values
    fields = [field for row in csv.reader(csv_path.open(encoding="utf-8")) for field in row]
    assert_no_formula_text(f for f in fields if not re.fullmatch(r"-?[0-9.]+", f))
    assert {"'=SUM(A1)", "'@b", "'=c", "'@d", "'=n", "'+a", "-1.5"} <= set(fields)
    assert frame.index[0] == ("=SUM(A1)", "x")  # the caller's frame is not modified


TEXT = st.text(max_size=6) | st.sampled_from(["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "'=a", "广东"])
NUMBER = st.floats() | st.integers(-10, 10)


@st.composite
def frames(draw, text=TEXT):
    """Small frames of text, numbers and both mixed, with flat or MultiIndex labels (names included)."""
    n = draw(st.integers(1, 4))

    def axis(size):
        levels = draw(st.integers(1, 3))
        values = [draw(st.lists(text | st.integers(-3, 3), min_size=size, max_size=size)) for _ in range(levels)]
        names = draw(st.lists(st.none() | text, min_size=levels, max_size=levels))
        return pd.MultiIndex.from_arrays(values, names=names) if levels > 1 else pd.Index(values[0], name=names[0])

    cells = {
        "text": st.lists(text, min_size=n, max_size=n),
        "number": st.lists(st.floats(), min_size=n, max_size=n),
        "mixed": st.lists(text | NUMBER, min_size=n, max_size=n),
    }
    frame = pd.DataFrame({k: draw(v) for k, v in cells.items()})
    return frame.set_axis(axis(n), axis=0).set_axis(axis(3), axis=1)


def defused(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def labels(index):
    return [list(index.get_level_values(k)) for k in range(index.nlevels)] + [list(index.names)]


@settings(max_examples=200, deadline=None)
@given(frame=frames())
def test_neutralise_property(frame):
    before = copy.deepcopy(frame)
    out = neutralise(frame)
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_series_equal(out.iloc[:, 1], frame.iloc[:, 1], check_names=False, check_index=False)
    for k in range(frame.shape[1]):  # the apostrophe on formula-like text, every other value as it was
        pd.testing.assert_series_equal(
            out.iloc[:, k], frame.iloc[:, k].map(defused), check_names=False, check_index=False
        )
    for index, source in ((out.index, frame.index), (out.columns, frame.columns)):
        assert labels(index) == [[defused(v) for v in level] for level in labels(source)]
    values = [*out.to_numpy().ravel(), *(v for level in labels(out.index) + labels(out.columns) for v in level)]
    assert not [v for v in values if isinstance(v, str) and v.startswith(FORMULA_STARTS)]


UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")
MARKUP = re.compile(r"(?<!\\)(?:\\\\)*(?:[\[\]*`]|(?<![^\W_])_|_(?![^\W_]))")
"""A bracket, star or backquote not escaped, or an underscore not escaped that is not inside a word."""


@settings(max_examples=200, deadline=None)
@given(frame=frames(text=st.text(st.sampled_from("|\\\n\r<>&a []*_`#"), max_size=8) | st.text(max_size=8)))
def test_markdown_property(frame):
    lines = markdown(frame).removesuffix("\n").split("\n")
    assert len(lines) == len(frame) + 2  # no text adds a row
    assert {len(UNESCAPED_PIPE.findall(line)) for line in lines} == {frame.shape[1] + 2}  # nor a column
    assert not re.search("[<>]", markdown(frame).replace("<br>", ""))  # nor markup
    assert not MARKUP.search(markdown(frame))  # nor a link, emphasis or code


CSV_TEXT = st.text(st.sampled_from('a茶,"=+\r\n\t '), max_size=6)


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(st.tuples(CSV_TEXT, CSV_TEXT), min_size=1, max_size=4))
def test_every_csv_the_package_writes_keeps_a_line_break_in_its_cell(tmp_path_factory, cells):
    """A CR or an LF in a cell (``茶\\r=1+1`` in a brand) is quoted, so it cannot start a row, and read back as it was
    written, after the apostrophe that keeps a formula from running: the tables, the CLI's CSV and the templates."""
    folder = tmp_path_factory.mktemp("csv")
    frame = pd.DataFrame(cells, columns=["brand", "shop"])
    written = [
        write_table(frame, "table10", folder, formats=("csv",))[0],
        write_csv(frame, folder / "scores.csv"),
        write_rows(folder / "template.csv", {"top5": [["brand", "shop"], *map(list, cells)]}),
    ]
    for path, first in zip(written, (1, 1, 0)):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) == len(cells) + 1, path.name
        assert [row[first:] for row in rows[1:]] == [[defused(a), defused(b)] for a, b in cells], path.name


def test_markdown_of_something_not_a_frame_names_the_argument():
    for wrong in (None, "text", [[1, 2]]):
        with pytest.raises(ParameterError, match="frame: expected a pandas DataFrame"):
            markdown(wrong)
