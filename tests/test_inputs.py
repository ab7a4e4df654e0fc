"""An edition's inputs: a folder or a workbook, every part validated, every fault named."""

import csv
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from livecommerce import Study
from livecommerce.analysis import audit
from livecommerce.cli import main
from livecommerce.data import edition as inputs
from livecommerce.data import published as data
from livecommerce.data.export import write_table
from livecommerce.data.io import write_rows
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir
from livecommerce.errors import DataError, ParameterError, RegionError
from livecommerce.index.scheme import load_scheme
from livecommerce.publish.printed import index_table
from livecommerce.study import compare
from livecommerce.vocab import LEVELS

SCHEME = load_scheme()

EDITION = data_dir() / "examples" / "synthetic_edition_2024"
PARTS = ("province", "city", "prefecture", "top5")


@pytest.fixture
def edition(tmp_path):
    """A copy of the synthetic edition to break."""
    return shutil.copytree(EDITION, tmp_path / "edition")


def rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write(path, body) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(body)


def edit_top5(edition, change) -> None:
    body = rows(edition / "top5.csv")
    change(body)
    write(edition / "top5.csv", body)


def test_a_folder_gives_every_level_the_top5_lists_and_no_facts():
    loaded = inputs.load_inputs(EDITION, SCHEME)
    for level in LEVELS:
        pd.testing.assert_frame_equal(loaded.panels[level], load_panel(EDITION / f"{level}.csv", SCHEME, level=level))
    assert list(loaded.top5.columns) == ["category", "rank", "brand", "shop", "destination", "destination_id"]
    assert list(loaded.top5.columns) == [c for c in data.load_table(10).columns if c != "table"]
    assert loaded.top5.groupby("category")["rank"].apply(list).to_dict() == {
        c: [1, 2, 3, 4, 5] for c in "川茶 川酒 川调".split()
    }
    assert loaded.facts is None and loaded.source["kind"] == "folder"


def test_a_workbook_gives_the_same_inputs_as_the_folder(tmp_path):
    book = write_rows(tmp_path / "edition.xlsx", {part: rows(EDITION / f"{part}.csv") for part in PARTS})
    loaded, folder = inputs.load_inputs(book, SCHEME), inputs.load_inputs(EDITION, SCHEME)
    for level in LEVELS:
        pd.testing.assert_frame_equal(loaded.panels[level], folder.panels[level])
    pd.testing.assert_frame_equal(loaded.top5, folder.top5)
    assert loaded.source["kind"] == "workbook" and loaded.source["parts"]["city"]["sheet"] == "city"
    sheets = {part: rows(EDITION / f"{part}.csv") for part in PARTS}
    sheets["facts"] = rows(data_dir() / "published" / "facts.csv")
    with_facts = inputs.load_inputs(write_rows(tmp_path / "with_facts.xlsx", sheets), SCHEME)
    pd.testing.assert_frame_equal(with_facts.facts, data.load_facts())


def test_facts_go_through_the_published_facts_validation(edition):
    shutil.copy(data_dir() / "published" / "facts.csv", edition / "facts.csv")
    pd.testing.assert_frame_equal(inputs.load_inputs(edition, SCHEME).facts, data.load_facts())
    body = rows(edition / "facts.csv")
    body[3][body[0].index("unit")] = "furlongs"
    write(edition / "facts.csv", body)
    with pytest.raises(DataError, match=r"facts.csv: line 4 \(row 3\), column 'unit'.*'furlongs'"):
        inputs.load_inputs(edition, SCHEME)


def test_a_missing_level_or_list_is_named(edition, tmp_path):
    (edition / "city.csv").unlink()
    with pytest.raises(DataError, match=r"edition: the edition has no city panel: add city.csv or city.xlsx"):
        inputs.load_inputs(edition, SCHEME)
    book = write_rows(tmp_path / "e.xlsx", {part: rows(EDITION / f"{part}.csv") for part in PARTS if part != "top5"})
    with pytest.raises(DataError, match=r"e.xlsx: the edition has no top-5 list \(表10–12\): add a sheet named 'top5'"):
        inputs.load_inputs(book, SCHEME)


def test_a_part_given_twice_or_an_edition_that_is_neither_folder_nor_workbook_is_refused(edition):
    write_rows(edition / "city.xlsx", {"city": rows(edition / "city.csv")})
    with pytest.raises(DataError, match="both city.csv and city.xlsx; keep one"):
        inputs.load_inputs(edition, SCHEME)
    with pytest.raises(DataError, match="an edition is a folder or an XLSX workbook"):
        inputs.load_inputs(edition / "province.csv", SCHEME)
    with pytest.raises(DataError, match="no such folder or workbook"):
        inputs.load_inputs(edition / "nowhere", SCHEME)


def test_a_panel_of_the_wrong_level_is_named(edition):
    shutil.copy(edition / "prefecture.csv", edition / "city.csv")
    with pytest.raises(DataError, match=r"city.csv: the city panel holds prefecture regions .* is it the prefecture"):
        inputs.load_inputs(edition, SCHEME)


def test_a_fault_in_a_workbook_names_the_sheet(tmp_path):
    sheets = {part: rows(EDITION / f"{part}.csv") for part in PARTS}
    sheets["city"][5][3] = "many"
    book = write_rows(tmp_path / "e.xlsx", sheets)
    with pytest.raises(DataError, match=r"sheet 'city': .*e.xlsx: line 6 \(row 2\), column 'session_count'"):
        inputs.load_inputs(book, SCHEME)


def test_chengdu_must_have_the_same_raw_values_at_both_levels(edition):
    body = rows(edition / "prefecture.csv")
    row = next(r for r in body if r[0] == "510100")
    city = next(r for r in rows(edition / "city.csv") if r[0] == "510100")
    row[2] = str(int(row[2]) + 1)
    write(edition / "prefecture.csv", body)
    message = (
        f"region 510100 (成都), column 'anchor_count': {int(city[2])} in the city panel ({edition / 'city.csv'}) "
        f"but {int(city[2]) + 1} in the prefecture panel ({edition / 'prefecture.csv'})"
    )
    with pytest.raises(DataError, match=re.escape(message)):
        inputs.load_inputs(edition, SCHEME)


def test_panels_come_back_read_not_imputed_and_an_empty_cell_at_both_levels_agrees(edition):
    """The edition reads and validates; the study imputes. 成都's cell left empty in both panels is no conflict, and
    empty in one only is (NaN against a value)."""
    for level in ("city", "prefecture"):
        body = rows(edition / f"{level}.csv")
        next(r for r in body if r[0] == "510100")[2] = ""
        write(edition / f"{level}.csv", body)
    with pytest.raises(
        DataError,
        match=r"2 faults\n.*city.csv: line \d+ \(row \d+\), column 'anchor_count' \(主播数量\), "
        r"region 成都: empty cell\n.*prefecture.csv: .*region 成都: empty cell",
    ):
        inputs.load_inputs(edition, SCHEME)
    panels = inputs.load_inputs(edition, SCHEME, empty=True).panels
    assert all(pd.isna(panels[level].at["510100", "anchor_count"]) for level in ("city", "prefecture"))
    assert panels["province"].notna().all().all()
    body = rows(edition / "city.csv")
    next(r for r in body if r[0] == "510100")[2] = "5"
    write(edition / "city.csv", body)
    with pytest.raises(DataError, match=r"region 510100 \(成都\), column 'anchor_count': 5 in the city panel"):
        inputs.load_inputs(edition, SCHEME, empty=True)


def test_chengdu_dropped_from_one_level_is_not_a_conflict(edition):
    write(edition / "prefecture.csv", [r for r in rows(edition / "prefecture.csv") if r[0] != "510100"])
    assert "510100" not in inputs.load_inputs(edition, SCHEME).panels["prefecture"].index


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda b: b[5].__setitem__(1, "1"), r"top5.csv: 川茶: rank 1 appears 2 times \(lines 5, 6\)"),
        (lambda b: b[5].__setitem__(1, "6"), r"top5.csv: 川茶: rank 6 is not 1 to 5"),
        (lambda b: b.pop(5), r"top5.csv: 川茶: no rank 2 \(ranks must be 1 to 5, once each\)"),
        (lambda b: b[5].__setitem__(1, "二"), r"top5.csv: line 6 \(row 2\): rank '二' is not a whole number"),
        (lambda b: b[5].__setitem__(0, "川菜"), r"top5.csv: line 6 \(row 2\): category '川菜' is not one of 川茶"),
        (lambda b: b.__delitem__(slice(14, 19)), r"top5.csv: no 川调 list"),
        (lambda b: b[7].__setitem__(2, " "), r"top5.csv: line 8 \(row 4\), column 'brand'"),
        (lambda b: b[7].__setitem__(4, "火星"), r"top5.csv: line 8 \(row 4\), column 'destination': .*火星"),
        (lambda b: b[4].append("x"), r"top5.csv: line 5 \(row 1\): 6 cells, but the header has 5"),
        (lambda b: b[4].__setitem__(3, ""), r"top5.csv: line 5 \(row 1\), column 'shop'"),
        (lambda b: b[7].__setitem__(4, "四川"), r"line 8 \(row 4\), column 'destination': 四川 is Sichuan itself"),
    ],
    ids=[
        "tie",
        "rank-6",
        "gap",
        "text-rank",
        "category",
        "no-list",
        "empty-brand",
        "destination",
        "cells",
        "empty-shop",
        "sichuan",
    ],
)
def test_a_faulty_top5_list_is_named(edition, change, message):
    edit_top5(edition, change)
    with pytest.raises(DataError, match=message):
        inputs.load_inputs(edition, SCHEME)


def test_a_destination_id_must_agree_with_the_destination(edition):
    def add_ids(body):
        body[3].append("destination_id")
        for row in body[4:]:
            row.append(data.resolve(row[4], "province"))
        body[4][5] = "110000"

    edit_top5(edition, add_ids)
    with pytest.raises(DataError, match=r"line 5 \(row 1\): destination_id '110000' is not '山西' \(140000\)"):
        inputs.load_inputs(edition, SCHEME)


def test_an_unknown_destination_is_a_region_error(edition):
    edit_top5(edition, lambda b: b[7].__setitem__(4, "火星"))
    with pytest.raises(RegionError):
        inputs.load_inputs(edition, SCHEME)


ZH_PARTS = {"province": "省级", "city": "副省级城市", "prefecture": "四川市州", "top5": "TOP5", "metadata": "封面信息"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["edition", "edition.xlsx"])
def test_the_edition_template_filled_in_reads_back(tmp_path, name, lang):
    """The template in Chinese (sheets, headings, units) or English, filled in with the SYNTHETIC edition's values,
    reads back as that edition."""
    path = tmp_path / name
    written = inputs.write_inputs_template(path, SCHEME, lang=lang)
    assert written == inputs.template_paths(path, lang=lang)
    with pytest.raises(DataError, match="no indicator value is filled in"):
        inputs.load_inputs(path, SCHEME)
    synthetic = inputs.load_inputs(EDITION, SCHEME)
    sheet = ZH_PARTS if lang == "zh" else {part: part for part in ZH_PARTS}
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == list(sheet.values())
        fill_sheets = {part: [[c.value for c in r] for r in book[sheet[part]].iter_rows()] for part in sheet}
    else:
        assert [p.name for p in written] == [f"{s}.csv" for s in sheet.values()]
        fill_sheets = {part: rows(path / f"{sheet[part]}.csv") for part in sheet}
    header = next(r for r in fill_sheets["province"] if not str(r[0]).startswith("#"))
    units = next(r for r in fill_sheets["province"] if str(r[0]).startswith("# 单位") or r[0] == "# unit")
    if lang == "zh":
        assert header[:4] == ["地区代码", "地区", "主播数量（主播活跃度）", "主播直播总场次"]
        assert header[-1] == "主播数量（场）" and units[2:5] == ["人", "场", "家"]
        assert next(r for r in fill_sheets["top5"] if r[0] == "类别") == [
            "类别",
            "排名",
            "优势品牌",
            "直播优势店铺",
            "主要销往外地",
        ]
    else:
        assert header[:3] == ["region_id", "region", "anchor_count"] and units[2] == "anchors"
    for level in LEVELS:
        values = synthetic.panels[level]
        for row in fill_sheets[level]:
            if row[0] in values.index:
                row[2:] = [float(v) for v in values.loc[row[0]]]
    top5 = synthetic.top5.set_index(["category", "rank"])
    for row in fill_sheets["top5"]:
        key = (row[0], int(row[1])) if str(row[1]).isdigit() else None
        if key in top5.index:
            row[2:5] = top5.loc[key, ["brand", "shop", "destination"]].tolist()
    if path.suffix == ".xlsx":
        write_rows(path, {sheet[part]: body for part, body in fill_sheets.items()})
    else:
        for part, body in fill_sheets.items():
            write_rows(path / f"{sheet[part]}.csv", {sheet[part]: body})
    loaded = inputs.load_inputs(path, SCHEME)
    for level in LEVELS:
        pd.testing.assert_frame_equal(loaded.panels[level], synthetic.panels[level].loc[loaded.panels[level].index])
    pd.testing.assert_frame_equal(loaded.top5, synthetic.top5)


def test_the_cli_writes_an_edition_template_and_never_overwrites(tmp_path, capsys):
    out = tmp_path / "edition"
    assert main(["template", "--edition", "--output", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{part}.csv" for part in ZH_PARTS.values())
    assert main(["template", "--edition", "--output", str(out)]) == 2
    assert "exists: give --overwrite" in capsys.readouterr().err
    assert main(["template", "--edition", "--output", str(out), "--overwrite"]) == 0
    assert main(["template", "--edition", "--output", str(tmp_path / "e.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "e.xlsx").sheetnames == list(ZH_PARTS.values())
    assert main(["template", "--edition", "--lang", "en", "--output", str(tmp_path / "en.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "en.xlsx").sheetnames == list(ZH_PARTS)
    assert main(["template", "--edition", "--output", str(data_dir() / "examples" / "new")]) == 2
    assert "is inside the bundled data folder" in capsys.readouterr().err
    assert not (data_dir() / "examples" / "new").exists()
    (tmp_path / "file.csv").write_text("keep", encoding="utf-8")
    assert main(["template", "--edition", "--output", str(tmp_path / "file.csv")]) == 2
    assert "give a folder or an .xlsx workbook" in capsys.readouterr().err


def test_the_cli_writes_a_level_template_as_xlsx_by_its_suffix(tmp_path):
    assert main(["template", "--level", "prefecture", "--output", str(tmp_path / "p.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "p.xlsx").sheetnames == ["prefecture"]
    for lang, heads in (
        ("zh", ["地区代码", "地区", "主播数量（主播活跃度）"]),
        ("en", ["region_id", "region", "anchor_count"]),
    ):
        out = tmp_path / f"county-{lang}.csv"
        assert main(["template", "--level", "county:510000", "--lang", lang, "--output", str(out)]) == 0
        body = [row for row in rows(out) if not row[0].startswith("#")]
        assert body[0][:3] == heads and len(body) == 1 + 183


@pytest.fixture(scope="module")
def studies():
    edition = inputs.load_inputs(EDITION, SCHEME)
    return {level: Study.build(level, edition.panels[level]) for level in LEVELS}


@pytest.mark.parametrize("level", LEVELS)
def test_an_edition_against_itself_has_no_growth_and_arrows_everywhere(studies, level):
    for measure, table in compare.compare_editions(studies[level], studies[level]).items():
        assert (table["growth"] == 0).all() and (table["rank_change"] == 0).all(), measure
        assert (table["mark"] == "→").all() and len(table) == len(studies[level].regions)


def test_growth_and_arrows_against_the_published_2023_edition(studies):
    compared = compare.compare_editions(studies["province"], "published")
    assert set(compared) == {"overall", "people", "goods", "venue"}
    overall = compared["overall"]
    published = data.load_index("province").reindex(overall.index)
    now = studies["province"].scores["overall"].round(2).reindex(overall.index)
    assert (overall["previous"] == published["overall"]).all()
    assert (overall["growth"] == now / published["overall"] - 1).all()
    assert (overall["rank_change"] == published["overall_rank"] - overall["rank"]).all()
    table1 = studies["province"].table(1).set_index("region_id").reindex(overall.index)
    assert (overall["rank"] == table1["rank"]).all() and (overall["value"] == table1["overall"]).all()


def test_a_previous_run_is_read_back_from_its_tables(studies, tmp_path):
    city = studies["city"]
    for number in (2, 5, 8, 14):
        write_table(city.table(number), f"table{number:02d}", tmp_path / "run" / "tables", formats=("csv",))
    previous = compare.load_previous(tmp_path / "run", "city")
    pd.testing.assert_frame_equal(
        previous.sort_index(), city.scores[["overall", "people", "goods", "venue"]].round(2).sort_index()
    )
    dropped = tmp_path / "run" / "tables" / "table02.csv"
    table = pd.read_csv(dropped, dtype={"region_id": str}, index_col=0)
    table[table["region_id"] != "330100"].to_csv(dropped)  # 杭州 not in the previous edition
    compared = compare.compare_editions(Study.build("city", city.inputs.drop(index="220100")), tmp_path / "run")
    overall = compared["overall"]
    assert overall.at["330100", "mark"] == "新" and pd.isna(overall.at["330100", "growth"])
    assert overall.at["220100", "mark"] == "—" and pd.isna(overall.at["220100", "rank"])
    assert overall.index[-1] == "220100"


def test_an_infinity_in_a_previous_run_is_refused_naming_file_line_column_and_region(studies, tmp_path):
    for number in (2, 5, 8, 14):
        write_table(studies["city"].table(number), f"table{number:02d}", tmp_path / "run" / "tables", formats=("csv",))
    path = tmp_path / "run" / "tables" / "table05.csv"
    table = pd.read_csv(path, dtype={"region_id": str}, index_col=0)
    line = int(table.index[table["region_id"] == "510100"][0]) + 2  # 成都
    table.loc[table["region_id"] == "510100", "people"] = float("inf")
    table.to_csv(path)
    with pytest.raises(
        DataError, match=rf"table05.csv: line {line}, column 'people', region 510100: 'inf' is not a finite"
    ):
        compare.load_previous(tmp_path / "run", "city")


def test_the_printed_tables_say_how_they_compare_and_name_a_region_gone(studies):
    """Against the 2023 report: the series-break note, saying under a table printing growth what a negative one
    means, once; against another edition: how growth and rank change were computed, without it; a region of the
    previous edition missing from this one is named under 表1–3."""
    province = studies["province"]
    against_2023 = province.since(compare.load_previous("published", "province"), "2023")
    notes = index_table(against_2023, 1).notes
    assert "口径断点" in notes[0] and against_2023.gone().empty and len(notes) == 1
    assert notes[0].count("同比增长为负，表示该地区相对其他地区的位置后移，并不表示其直播电商市场萎缩") == 1
    city = index_table(studies["city"].since(compare.load_previous("published", "city"), "2023"), 2).notes
    assert len(city) == 1 and "口径断点" in city[0] and "萎缩" not in city[0]  # 表2 prints no growth
    tibet = Study.build("province", province.inputs.drop(index="540000"))
    against_run = tibet.since(province, "example-2024")
    printed = index_table(against_run, 1)
    assert (
        "口径断点" not in printed.notes[0] and "按两版印刷数值计算" in printed.notes[0] and "萎缩" in printed.notes[0]
    )
    assert printed.notes[-1] == "上一版中的西藏本版未列入，无排名、同比增长与位次变化"
    assert "西藏" not in [row[1] for row in printed.rows] and len(printed.rows) == 30
    assert index_table(against_run, 1, "en").notes[-1] == (
        "Tibet, in the previous edition, is not in this one (no rank, growth or change)"
    )
    assert printed.source == index_table(tibet, 1).source  # the 来源 line names the source alone
    assert index_table(province, 1).notes == ()  # no previous edition: nothing to say


def test_the_edition_audit_checks_each_region_against_the_previous_edition(studies, monkeypatch):
    province = studies["province"].since(compare.load_previous("published", "province"), "2023")
    checks = audit.check_edition({"province": province})
    assert set(checks.index) == {"T1-rank-order", "T1-arrows", "T1-growth"}
    assert (checks["verdict"] == "consistent").all()
    tibet = Study.build("province", studies["province"].inputs.drop(index="540000")).since(studies["province"])
    checks = audit.check_edition({"province": tibet})
    assert checks.at["T1-gone", "verdict"] == "note" and checks.at["T1-gone", "found"] == "西藏"
    assert checks.loc[["T1-arrows", "T1-growth"], "verdict"].eq("consistent").all()  # 30 regions, arrows exact
    table = Study.table

    def misprinted(self, number):  # 四川's arrow one place off, 广东's growth a point off
        out = table(self, number)
        out.loc[out["region"] == "四川", "rank_change"] += 1
        out.loc[out["region"] == "广东", "yoy_growth"] += 0.01
        return out

    monkeypatch.setattr(Study, "table", misprinted)
    checks = audit.check_edition({"province": province})
    assert checks.at["T1-arrows", "found"] == "1 disagreements: 四川"
    assert checks.at["T1-growth", "found"] == "1 disagreements: 广东"
    with pytest.raises(ParameterError, match=r"studies\['province'\]: expected a livecommerce Study"):
        audit.check_edition({"province": province.frame()})


def test_a_previous_edition_that_is_not_one_is_named(studies, tmp_path):
    with pytest.raises(DataError, match=r"no tables/table01.csv; is it the output folder of a province report run"):
        compare.load_previous(tmp_path, "province")
    with pytest.raises(ParameterError, match="previous is a study of level 'city', not 'province'"):
        compare.load_previous(studies["city"], "province")
    (tmp_path / "tables").mkdir()
    for number in (3, 6, 9, 15):
        write_table(studies["prefecture"].table(number), f"table{number:02d}", tmp_path / "tables", formats=("csv",))
    path = tmp_path / "tables" / "table09.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",510100,", ",110000,"), encoding="utf-8")
    with pytest.raises(RegionError, match=r"table09.csv: line 2, column 'region_id': '110000' is not a prefecture"):
        compare.load_previous(tmp_path, "prefecture")


def test_a_table_whose_scores_took_in_imputed_cells_says_which_under_it():
    """The note names each imputed cell the table's measure takes in (a 货 cell: 表1 and 表7, not 表4 or 表13), and
    how it was filled."""
    panel = inputs.load_inputs(EDITION, SCHEME, levels=["province"]).panels["province"].copy()
    panel.loc["510000", "shop_count"] = float("nan")
    panel.loc["540000", "order_value"] = float("nan")
    study = Study.build("province", panel, SCHEME, "median")
    note = "两个缺失的指标值（四川的直播供货店铺总数和西藏的店铺平均客单价）经中位数插补后计入本表"
    assert [index_table(study, n).notes for n in (1, 4, 7, 13)] == [(note,), (), (note,), ()]
    assert index_table(study, 7, "en").notes == (
        "two empty indicator values (Sichuan's Supplying shops and Tibet's Mean order value) filled by the median of "
        "the other regions before this table was computed",
    )


def test_every_fault_of_every_file_is_reported_in_one_pass(edition):
    """Faults planted in four files (an empty cell, an unknown region, two bad ranks, a bad year) are all named in
    one error, each with its file, line, column and region where it has them."""
    body = rows(edition / "province.csv")
    sichuan = next(k for k, r in enumerate(body) if r[0] == "510000")
    body[sichuan][2] = ""
    write(edition / "province.csv", body)
    body = rows(edition / "city.csv")
    hangzhou = next(k for k, r in enumerate(body) if r[0] == "330100")
    body[hangzhou][1], body[hangzhou][0] = "杭洲", ""
    write(edition / "city.csv", body)
    edit_top5(edition, lambda b: (b[4].__setitem__(1, "一"), b[10].__setitem__(1, "9")))
    body = rows(edition / "metadata.csv")
    next(r for r in body if r[0] == "年份")[1] = "二〇二四"
    write(edition / "metadata.csv", body)
    with pytest.raises(DataError) as raised:
        inputs.load_inputs(edition, SCHEME)
    message = str(raised.value)
    assert message.startswith(f"{edition}: 4 faults\n")
    lines = message.split("\n")[1:]
    assert lines[0] == (
        f"{edition / 'province.csv'}: line {sichuan + 1} (row {sichuan - 3}), column 'anchor_count' (主播数量), "
        "region 四川: empty cell"
    )
    assert lines[1].startswith(f"{edition / 'city.csv'}: line {hangzhou + 1} (row {hangzhou - 3}), column 'region': ")
    assert "unknown region '杭洲'" in lines[1]
    assert lines[2].startswith(f"{edition / 'top5.csv'}: line 5 (row 1): rank '一' is not a whole number; ")
    assert "川酒: rank 9 is not 1 to 5" in lines[2]
    assert lines[3] == f"{edition / 'metadata.csv'}: line 6, column '内容': year '二〇二四' is not a year such as 2024"


def test_the_metadata_fields_read_in_either_language_and_default_from_the_year(edition):
    loaded = inputs.load_inputs(edition, SCHEME, levels=()).metadata
    assert (loaded.title, loaded.year, loaded.authors) == (
        "中国直播电商行业发展趋势报告（2024）",
        2024,
        ("合成撰稿单位甲", "合成撰稿单位乙"),
    )
    write(edition / "metadata.csv", [["field", "value"], ["year", "2031"], ["unrewritten", "省略"], ["client", "某厅"]])
    loaded = inputs.load_inputs(edition, SCHEME, levels=()).metadata
    assert (loaded.year, loaded.unrewritten, loaded.client, loaded.title) == (2031, "omit", "某厅", "")
    assert loaded.completed("zh").title == "中国直播电商行业发展趋势报告（2031）" == loaded.completed().title
    assert (loaded.completed().period, loaded.completed("en").date) == ("2031年", "2031")
    (edition / "metadata.csv").unlink()
    assert inputs.load_inputs(edition, SCHEME, levels=()).metadata.year is None  # the folder's name has no year
    write(edition / "metadata.csv", [["项目", "内容"], ["年份", "2024"], ["未改写章节", "删掉"], ["作者", "某人"]])
    with pytest.raises(
        DataError, match=r"line 3, column '内容': '删掉' is not one of .*; line 4, column '项目': '作者"
    ):
        inputs.load_inputs(edition, SCHEME, levels=())
