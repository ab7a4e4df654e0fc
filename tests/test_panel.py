"""Raw panel files: names resolve through the registry, faults are named, the template is current."""

import re

import pytest

from livecommerce import panel
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.paths import data_dir

RAW = data_dir() / "raw"
SYNTHETIC = RAW / "synthetic_panel_province_2023.csv"


def rewrite(tmp_path, edit) -> str:
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "panel.csv"
    path.write_text("".join(edit(lines)), encoding="utf-8")
    return path


def test_loads_by_region_id_with_every_indicator():
    frame = panel.load_panel(SYNTHETIC)
    assert frame.shape == (31, 17) and frame.index.name == "region_id"
    assert frame.loc["510000"].notna().all()


def test_any_name_form_resolves(tmp_path):
    def official_names(lines):  # blank the ids, write 内蒙古 and 广西 by their official names
        out = []
        for line in lines:
            line = re.sub(r"^\d{6},", ",", line) if line[0].isdigit() else line
            out.append(line.replace(",内蒙古,", ",内蒙古自治区,").replace(",广西,", ",Guangxi Zhuang Autonomous Region,"))
        return out
    frame = panel.load_panel(rewrite(tmp_path, official_names))
    assert frame.equals(panel.load_panel(SYNTHETIC))


@pytest.mark.parametrize("edit, error, message", [
    (lambda ls: [l.replace("510000,四川,", "510000,重庆,") for l in ls], DataError,
     "line 13 (row 8): region_id '510000' is not region '重庆' (500000)"),
    (lambda ls: [l.replace(",四川,", ",四州,") for l in ls], RegionError, "unknown region '四州' at level 'province'; did you mean"),
    (lambda ls: ls + [ls[-1]], DataError, "appears twice"),
    (lambda ls: [l.replace("region,anchor_count", "region,anchors") for l in ls], DataError, "missing column 'anchor_count'"),
    (lambda ls: [l.replace("region_id,region,", "region_id,region,extra,") if l.startswith("region_id") else
                 l.replace(",", ",1,", 2).replace(",1,", ",", 1) if l[0].isdigit() else l for l in ls],
     DataError, "unexpected column 'extra'"),
])
def test_faults_are_named(tmp_path, edit, error, message):
    with pytest.raises(error, match=re.escape(message)):
        panel.load_panel(rewrite(tmp_path, edit))


def test_an_empty_or_text_cell_names_line_and_column(tmp_path):
    def blank(lines):
        header = next(i for i, l in enumerate(lines) if l.startswith("region_id"))
        cells = lines[header + 3].split(",")
        cells[4] = ""
        return lines[:header + 3] + [",".join(cells)] + lines[header + 4:]
    with pytest.raises(DataError, match=r"panel.csv: line 8 \(row 3\), column 'mcn_count'"):
        panel.load_panel(rewrite(tmp_path, blank))


def test_the_committed_template_is_current():
    committed = (RAW / "template_province.csv").read_text(encoding="utf-8")
    assert committed == panel.template().to_csv(index=False, lineterminator="\n")
    assert panel.template(level="prefecture").shape == (21, 2 + 17)


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
    frame = panel.load_panel(rewrite(tmp_path, messy))
    assert frame.equals(panel.load_panel(SYNTHETIC))


@pytest.mark.parametrize("policy", ["drop", "median", "mean"])
def test_missing_value_policies_are_applied_and_recorded(tmp_path, policy):
    def blank(lines):
        return [re.sub(r"^(510000,四川,)[^,]*", r"\1", line) for line in lines]
    frame = panel.load_panel(rewrite(tmp_path, blank), missing=policy)
    full = panel.load_panel(SYNTHETIC)
    assert frame.attrs["missing"]["policy"] == policy
    assert frame.attrs["missing"]["cells"] == [("510000", "anchor_count")]
    if policy == "drop":
        assert "510000" not in frame.index and frame.attrs["missing"]["dropped"] == ["510000"] and len(frame) == 30
    else:
        others = full["anchor_count"].drop("510000")
        assert frame.loc["510000", "anchor_count"] == pytest.approx(getattr(others, policy)())
        assert frame.drop(index="510000").equals(full.drop(index="510000"))


def test_missing_policy_refusals(tmp_path):
    with pytest.raises(DataError, match="not_nullable"):
        panel.load_panel(rewrite(tmp_path, lambda ls: [re.sub(r"^(510000,四川,)[^,]*", r"\1", l) for l in ls]))
    with pytest.raises(ParameterError, match="missing='zero'"):
        panel.load_panel(SYNTHETIC, missing="zero")

    def empty_column(lines):
        return [re.sub(r"^(\d{6},[^,]+,)[^,]*", r"\1", line) for line in lines]
    with pytest.raises(DataError, match="column 'anchor_count' is empty"):
        panel.load_panel(rewrite(tmp_path, empty_column), missing="median")
    with pytest.raises(DataError, match="no region is left"):
        panel.load_panel(rewrite(tmp_path, empty_column), missing="drop")


@pytest.mark.parametrize("content", [b'region,anchor_count\n"open quote,1\n', b"\xff\xfe\x00bad", b""])
def test_a_file_that_is_not_csv_text_is_named(tmp_path, content):
    path = tmp_path / "garbled.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match="garbled.csv: not a readable UTF-8 CSV file"):
        panel.load_panel(path)
