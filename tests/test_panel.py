"""Raw panel files: names resolve through the registry, faults are named, the template is current."""

import csv
import random
import re

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.data import panel
from livecommerce.data import published as data
from livecommerce.data.io import write_rows
from livecommerce.data.paths import data_dir
from livecommerce.data.regions import region_set
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.index import impute
from livecommerce.index.scheme import load_scheme
from livecommerce.vocab import LEVEL_SIZES, LEVELS

SCHEME = load_scheme()

RAW = data_dir() / "raw"
SYNTHETIC = RAW / "synthetic_panel_province_2023.csv"


def filled(path, missing: str) -> pd.DataFrame:
    """The panel at ``path`` read with its empty cells and handled by ``missing``."""
    return impute.fill_missing(panel.load_panel(path, SCHEME, empty=True), missing, path)


def rewrite(tmp_path, edit) -> str:
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "panel.csv"
    path.write_text("".join(edit(lines)), encoding="utf-8")
    return path


def test_loads_by_region_id_with_every_indicator():
    frame = panel.load_panel(SYNTHETIC, SCHEME)
    assert frame.shape == (31, 17) and frame.index.name == "region_id"
    assert frame.loc["510000"].notna().all()


def test_any_name_form_resolves(tmp_path):
    def official_names(lines):  # blank the ids, write 内蒙古 and 广西 by their official names
        out = []
        for line in lines:
            line = re.sub(r"^\d{6},", ",", line) if line[0].isdigit() else line
            out.append(
                line.replace(",内蒙古,", ",内蒙古自治区,").replace(",广西,", ",Guangxi Zhuang Autonomous Region,")
            )
        return out

    frame = panel.load_panel(rewrite(tmp_path, official_names), SCHEME)
    assert frame.equals(panel.load_panel(SYNTHETIC, SCHEME))


@pytest.mark.parametrize(
    "edit, error, message",
    [
        (
            lambda ls: [line.replace("510000,四川,", "510000,重庆,") for line in ls],
            DataError,
            "line 13 (row 8): region_id '510000' is not region '重庆' (500000)",
        ),
        (
            lambda ls: [line.replace(",四川,", ",四州,") for line in ls],
            RegionError,
            "unknown region '四州' at level 'province'; did you mean",
        ),
        (lambda ls: ls + [ls[-1]], DataError, "appears twice"),
        (
            lambda ls: [line.replace("region,anchor_count", "region,anchors") for line in ls],
            DataError,
            "missing column 'anchor_count'",
        ),
        (
            lambda ls: [
                line.replace("region_id,region,", "region_id,region,extra,")
                if line.startswith("region_id")
                else line.replace(",", ",1,", 2).replace(",1,", ",", 1)
                if line[0].isdigit()
                else line
                for line in ls
            ],
            DataError,
            "unexpected column 'extra'",
        ),
    ],
)
def test_faults_are_named(tmp_path, edit, error, message):
    with pytest.raises(error, match=re.escape(message)):
        panel.load_panel(rewrite(tmp_path, edit), SCHEME)


def test_a_panel_of_repeated_rows_fails_at_the_first_repeat_naming_both_lines(tmp_path):
    """Megabytes of the 31 provinces over and over, ending in bytes no encoding reads: the first repeat is named as
    it is read, under any of its names, not after the whole file is read, decoded and validated."""
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = lines[next(n for n, line in enumerate(lines) if line.startswith("region_id")) + 1 :]
    path = tmp_path / "panel.csv"
    path.write_bytes("".join(lines + rows * 600).encode() + b"\xff\x00 not text\n")
    assert path.stat().st_size > 2_000_000
    with pytest.raises(DataError, match=r"panel.csv: region 440000 \(广东\) appears twice: lines 6 and 37$"):
        panel.load_panel(path, SCHEME)
    sichuan = rows[7].replace("510000,四川,", ",四川省,")  # 四川 is on line 13
    path.write_bytes("".join([*lines, sichuan, *rows]).encode() + b"\xff\x00 not text\n")
    with pytest.raises(DataError, match=r"panel.csv: region 510000 \(四川\) appears twice: lines 13 and 37$"):
        panel.load_panel(path, SCHEME)


def test_an_empty_or_text_cell_names_line_and_column(tmp_path):
    def blank(lines):
        header = next(i for i, line in enumerate(lines) if line.startswith("region_id"))
        cells = lines[header + 3].split(",")
        cells[4] = ""
        return lines[: header + 3] + [",".join(cells)] + lines[header + 4 :]

    with pytest.raises(DataError, match=r"panel.csv: line 8 \(row 3\), column 'mcn_count'"):
        panel.load_panel(rewrite(tmp_path, blank), SCHEME)


@pytest.mark.parametrize("level", LEVELS)
def test_the_committed_templates_are_current(tmp_path, level):
    panel.write_template(tmp_path / "t.csv", SCHEME, level=level)
    assert (tmp_path / "t.csv").read_bytes() == (RAW / f"template_{level}.csv").read_bytes()
    assert panel.template(SCHEME, level=level).shape == (LEVEL_SIZES[level], 2 + 17)


def test_the_template_labels_units_and_directions_stand_above_their_columns():
    rows = panel.template_rows(SCHEME, level="city")
    header = next(row for row in rows if row[0] == "region_id")
    notes = {row[0]: dict(zip(header, row)) for row in rows if str(row[0]).startswith("#")}
    scheme = load_scheme()
    for id, indicator in scheme.indicators.items():
        assert notes["# 指标 (label)"][id] == indicator.label["zh"]
        assert notes["# unit"][id] == indicator.unit and notes["# direction"][id] == indicator.direction
    assert [row[1] for row in rows[len(notes) + 1 :]] == list(data.regions("city")["name"])  # names as printed


def fill_csv(path, values: pd.DataFrame) -> None:
    """Fill a CSV template's empty cells with ``values`` (by region_id and column), as an author would."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(row for row in rows if row[0] == "region_id")
    for row in rows:
        if row[0] in values.index:
            row[2:] = [repr(float(values.at[row[0], column])) for column in header[2:]]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def fill_xlsx(path, values: pd.DataFrame, sheet: str) -> None:
    """Fill an XLSX template's empty cells with ``values`` as numbers."""
    book = openpyxl.load_workbook(path)
    cells = book[sheet]
    header = [c.value for c in next(r for r in cells.iter_rows() if r[0].value == "region_id")]
    for row in cells.iter_rows():
        if row[0].value in values.index:
            for cell, column in zip(row[2:], header[2:]):
                cell.value = float(values.at[row[0].value, column])
    book.save(path)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("level", LEVELS)
def test_a_filled_in_template_reads_back(tmp_path, level, suffix):
    values = panel.load_panel(RAW / f"synthetic_panel_{level}_2023.csv", SCHEME, level=level)
    path = panel.write_template(tmp_path / f"{level}.{suffix}", SCHEME, level=level)
    if suffix == "csv":
        fill_csv(path, values)
    else:
        assert openpyxl.load_workbook(path).sheetnames == [level]
        fill_xlsx(path, values, level)
    read = panel.load_panel(path, SCHEME, level=level)
    pd.testing.assert_frame_equal(read.sort_index(), values.sort_index(), check_like=False)
    assert read.attrs["source"]["format"] == suffix


def test_a_template_is_written_byte_for_byte_again(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        panel.write_template(tmp_path / name, SCHEME, level="prefecture")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_full_width_digits_thousands_separators_and_official_names(tmp_path):
    def messy(lines):
        out = []
        for line in lines:
            if line.startswith("150000,"):  # 内蒙古, as 内蒙古自治区, with full-width digits and grouped thousands
                cells = line.rstrip("\n").split(",")
                cells[1] = "内蒙古自治区"
                cells[2] = f"{int(cells[2]):,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
                line = ",".join(cells[:2]) + ',"' + cells[2] + '",' + ",".join(cells[3:]) + "\n"
            out.append(line)
        return out

    frame = panel.load_panel(rewrite(tmp_path, messy), SCHEME)
    assert frame.equals(panel.load_panel(SYNTHETIC, SCHEME))


@pytest.mark.parametrize("policy", ["drop", "median", "mean"])
def test_missing_value_policies_are_applied_and_recorded(tmp_path, policy):
    def blank(lines):
        return [re.sub(r"^(510000,四川,)[^,]*", r"\1", line) for line in lines]

    frame = filled(rewrite(tmp_path, blank), policy)
    full = panel.load_panel(SYNTHETIC, SCHEME)
    assert frame.attrs["missing"]["policy"] == policy
    assert frame.attrs["missing"]["cells"] == [("510000", "anchor_count")]
    if policy == "drop":
        assert "510000" not in frame.index and frame.attrs["missing"]["dropped"] == ["510000"] and len(frame) == 30
    else:
        others = full["anchor_count"].drop("510000")
        assert frame.loc["510000", "anchor_count"] == pytest.approx(getattr(others, policy)())
        assert frame.drop(index="510000").equals(full.drop(index="510000"))


def test_missing_policy_refusals(tmp_path):
    with pytest.raises(DataError, match=r"column 'anchor_count' \(主播数量\), region 四川: empty cell"):
        panel.load_panel(
            rewrite(tmp_path, lambda ls: [re.sub(r"^(510000,四川,)[^,]*", r"\1", line) for line in ls]), SCHEME
        )
    with pytest.raises(ParameterError, match="missing='zero'"):
        filled(SYNTHETIC, "zero")

    def empty_column(lines):
        return [re.sub(r"^(\d{6},[^,]+,)[^,]*", r"\1", line) for line in lines]

    with pytest.raises(DataError, match="column 'anchor_count' is empty"):
        filled(rewrite(tmp_path, empty_column), "median")
    with pytest.raises(DataError, match="no region is left"):
        filled(rewrite(tmp_path, empty_column), "drop")


@pytest.mark.parametrize(
    "content",
    [
        b'region,anchor_count\n"open quote,1\n',
        b"\xff\xfe\x00bad",
        SYNTHETIC.read_text(encoding="utf-8").encode("utf-16"),
        SYNTHETIC.read_text(encoding="utf-8").encode("utf-16-le"),
        random.Random(0).randbytes(4096),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),  # random bytes, an old .xls
        b"PK\x03\x04 a zip archive that is no workbook",
    ],
    ids=["open quote", "utf-16 start", "utf-16", "utf-16-le", "random", "xls", "zip"],
)
def test_a_file_that_is_not_csv_text_or_xlsx_is_named_with_the_hint(tmp_path, content):
    path = tmp_path / "garbled.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=r"garbled\.csv: .*; save it as UTF-8 CSV or XLSX$"):
        panel.load_panel(path, SCHEME)


@pytest.mark.parametrize("content", [b"", b"# only a comment\n\n", b"region_id,region\n"])
def test_a_file_without_data_rows_is_named(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=r"empty\.csv: no header row with data rows below it"):
        panel.load_panel(path, SCHEME)


def test_the_original_records_its_source():
    assert panel.load_panel(SYNTHETIC, SCHEME).attrs["source"] == {
        "path": str(SYNTHETIC),
        "format": "csv",
        "encoding": "utf-8",
        "sheet": None,
    }


def write_xlsx(path, sheets):
    """Write ``sheets`` (name: rows of cells) as a workbook, numbers as numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def synthetic_rows() -> list[list]:
    """The synthetic panel's header and rows, ids and values as numbers (as Excel holds them)."""
    frame = pd.read_csv(SYNTHETIC, comment="#")
    return [list(frame.columns), *frame.astype(object).to_numpy().tolist()]


@pytest.mark.parametrize("form", ["utf-8-sig", "gb18030", "xlsx"])
def test_bom_gb18030_and_xlsx_panels_load_as_the_utf8_original(tmp_path, form):
    if form == "xlsx":
        path = tmp_path / "panel.xlsx"
        frame = pd.read_csv(SYNTHETIC, comment="#")
        assert frame["region_id"].dtype == "int64"  # cells hold 510000, read back as "510000", not "510000.0"
        frame.to_excel(path, index=False)
        source = {"format": "xlsx", "encoding": None, "sheet": "Sheet1"}
    else:  # the synthetic panel starts with # comment lines: after a BOM they are still comments
        path = tmp_path / "panel.csv"
        path.write_bytes(SYNTHETIC.read_text(encoding="utf-8").encode(form))
        source = {"format": "csv", "encoding": form, "sheet": None}
    loaded = panel.load_panel(path, SCHEME)
    assert loaded.equals(panel.load_panel(SYNTHETIC, SCHEME))
    assert loaded.attrs["source"] == {"path": str(path), **source}


def test_xlsx_reads_the_level_sheet_skips_comment_and_blank_rows_and_names_sheet_rows(tmp_path):
    header, *rows = synthetic_rows()
    sheet = [["# filled in by hand"], [], header, *rows[:6], [], *rows[6:]]
    path = write_xlsx(tmp_path / "panel.xlsx", {"notes": [["not the panel"]], "province": sheet})
    loaded = panel.load_panel(path, SCHEME)
    assert loaded.equals(panel.load_panel(SYNTHETIC, SCHEME)) and loaded.attrs["source"]["sheet"] == "province"
    write_xlsx(path, {"Sheet": [header, *rows], "city": [["not the panel"]]})  # none named for the level: the first
    assert panel.load_panel(path, SCHEME).attrs["source"]["sheet"] == "Sheet"
    sheet[10] = [*sheet[10][:2], -5, *sheet[10][3:]]  # the 7th region, on sheet row 11 below the blank row 10
    write_xlsx(path, {"notes": [["not the panel"]], "province": sheet})
    with pytest.raises(
        DataError, match=r"panel\.xlsx: line 11 \(row 7\), column 'anchor_count' \(主播数量\), region 福建: in_range"
    ):
        panel.load_panel(path, SCHEME)


def data_lines() -> tuple[list[str], list[str]]:
    """The synthetic panel's lines above the first region, and the regions' lines (newlines dropped)."""
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("region_id"))
    return lines[: header + 1], lines[header + 1 :]


def with_cell(line: str, column: int, value: str) -> str:
    cells = line.split(",")
    cells[column] = value
    return ",".join(cells)


@pytest.mark.parametrize(
    "column, value, message",
    [
        (2, "-1", "line 12 (row 5), column 'anchor_count' (主播数量), region 江苏: in_range"),
        (0, "510000", "line 12 (row 5): region_id '510000' is not region '江苏' (320000)"),
        (1, "江州", "line 12 (row 5), column 'region': unknown region '江州'"),
    ],
)
def test_lines_are_counted_past_blank_lines_and_multi_line_cells(tmp_path, column, value, message):
    top, rows = data_lines()  # 4 comment lines and the header on line 5
    multi_line = with_cell(rows[2], 2, '"371\n100"')  # 上海's anchor_count over two lines, read as 371100
    text = [*top, rows[0], rows[1], "", multi_line, rows[3], with_cell(rows[4], column, value), *rows[5:]]
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        panel.load_panel(path, SCHEME)


@settings(max_examples=30, deadline=None)
@given(bad=st.integers(0, 30), data=st.data())
def test_a_bad_value_is_named_on_its_file_line(bad, data, tmp_path_factory):
    """Whatever blank lines, comment lines, line endings and multi-line cells come before a region's row, the
    message names the line its row starts on, counted from the file's text."""
    top, rows = data_lines()
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    blanks = st.lists(st.sampled_from(["", "   ", ",,,"]), max_size=3)
    comments = data.draw(st.lists(st.sampled_from(["# a comment", '# "quoted, with a comma', ""]), max_size=4))
    chunks = [*comments, *top]
    for k, row in enumerate(rows):
        chunks += data.draw(blanks)
        if k == bad:
            start = len(newline.join(chunks + [""]))
            row = with_cell(row, 2, "-1")
        elif data.draw(st.booleans()):  # the region's anchor_count split over lines: still the same number
            cell = row.split(",")[2]
            cut = data.draw(st.integers(1, len(cell) - 1))
            row = with_cell(row, 2, f'"{cell[:cut]}{newline * data.draw(st.integers(1, 2))}{cell[cut:]}"')
        chunks.append(row)
    text = newline.join(chunks) + newline
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    path.write_bytes(text.encode("utf-8"))
    line = text[:start].count("\n") + 1
    with pytest.raises(DataError, match=re.escape(f"line {line} (row {bad + 1}), column 'anchor_count'")):
        panel.load_panel(path, SCHEME)


def test_an_unfilled_template_is_named_as_such(tmp_path):
    empty = tmp_path / "city.csv"
    panel.template(SCHEME, level="city").to_csv(empty, index=False)
    with pytest.raises(DataError, match="no indicator value is filled in"):
        panel.load_panel(empty, SCHEME, level="city")


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: panel.load_panel(None, SCHEME), "path=None"),
        (lambda: panel.load_panel([SYNTHETIC], SCHEME), "path=["),
        (lambda: panel.load_panel(3, SCHEME), "path=3"),
        (lambda: panel.load_panel(SYNTHETIC, scheme=3), "scheme: expected a Scheme"),
        (lambda: panel.load_panel(SYNTHETIC, scheme="report2023.toml"), "scheme: expected a Scheme"),
        (lambda: panel.load_panel(SYNTHETIC, SCHEME, level=None), "level=None"),
        (lambda: panel.load_panel(SYNTHETIC, SCHEME, level=["province"]), "level: expected one of"),
        (lambda: panel.load_panel(SYNTHETIC, SCHEME, empty=None), "empty: expected True or False"),
        (lambda: panel.template(scheme=3.5), "scheme: expected a Scheme"),
        (lambda: panel.template(SCHEME, level=None), "level=None"),
        (lambda: panel.template(SCHEME, level=1), "level=1"),
    ],
)
def test_arguments_of_a_wrong_type_are_named(call, argument):
    with pytest.raises(ParameterError, match=re.escape(argument)):
        call()


def test_a_one_region_panel_names_the_file_and_says_one_region(tmp_path):
    path = rewrite(tmp_path, lambda ls: [line for line in ls if not line[0].isdigit() or line.startswith("510000")])
    with pytest.raises(DataError, match=re.escape(f"{path}: one region (510000): the index compares regions")):
        panel.load_panel(path, SCHEME)


EXAMPLES = data_dir() / "examples"
COUNTRIES = EXAMPLES / "synthetic_countries"


def _cells(path) -> list[list]:
    """Every row of a CSV file or of an XLSX workbook's one sheet, as cells."""
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))
    return [[c.value for c in row] for row in openpyxl.load_workbook(path).worksheets[0].iter_rows()]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("level", "registry", "filled", "suffix"),
    [
        ("county:510000", None, EXAMPLES / "synthetic_counties_sichuan" / "county-510000.csv", ".xlsx"),
        ("all", COUNTRIES / "registry.csv", COUNTRIES / "panel.csv", ".csv"),
    ],
)
def test_a_template_of_any_region_set_in_either_language_reads_back(tmp_path, level, registry, filled, suffix, lang):
    """The empty panel of a division level or a user registry's set, headed in Chinese or English, filled in with
    the SYNTHETIC example's values, reads back as them; faults planted in it are all told in one error."""
    chosen = region_set(level, registry)
    values = panel.load_panel(filled, SCHEME, chosen)
    path = panel.write_template(tmp_path / f"t{suffix}", SCHEME, level, registry, lang=lang)
    body = _cells(path)
    start = next(k for k, row in enumerate(body) if not str(row[0]).startswith("#"))
    header = body[start]
    assert (chosen.scope("zh") if lang == "zh" else f"level {chosen.level}") in body[0][0]
    if lang == "zh":
        assert header[:3] == ["地区代码", "地区", "主播数量（主播活跃度）"] and header[-1] == "主播数量（场）"
    else:
        assert header[:3] == ["region_id", "region", "anchor_count"]
    assert [row[0] for row in body[start + 1 :]] == list(chosen.ids)
    for row in body[start + 1 :]:
        row[2:] = [float(v) for v in values.loc[row[0], list(SCHEME.indicators)]]
    write_rows(path, {chosen.sheet: body})
    read = panel.load_panel(path, SCHEME, level, registry=registry)
    pd.testing.assert_frame_equal(read, values.loc[chosen.ids])
    first, second, third = body[start + 1], body[start + 2], body[start + 3]
    first[2], second[0], second[1], third[0], third[1] = "", "", "Nowhere", "", "Atlantis"
    write_rows(path, {chosen.sheet: body})
    with pytest.raises(DataError) as raised:
        panel.load_panel(path, SCHEME, level, registry=registry)
    message, region = str(raised.value), header[1]
    heading = "主播数量（主播活跃度）" if lang == "zh" else "主播数量"
    name = chosen.regions.at[first[0], "name"]
    line = start + 2  # the header is on line start + 1, the first region below it
    assert message.startswith(f"{path}: line {line} (row 1), column 'anchor_count' ({heading}), region {name}: ")
    assert f"line {line + 1} (row 2), column {region!r}: unknown region 'Nowhere'" in message
    assert f"line {line + 2} (row 3), column {region!r}: unknown region 'Atlantis'" in message
