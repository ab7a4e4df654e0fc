"""Records: region attribution of free-text locations, the record tables' bad-row rules, each statistic on
hand-computed cases, and DuckDB and Spark giving the same panel from the SYNTHETIC records."""

import csv
import gc
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livecommerce.cli import main
from livecommerce.data.panel import load_panel
from livecommerce.data.paths import data_dir, default_scheme_path
from livecommerce.data.regions import region_set
from livecommerce.errors import DataError, ParameterError, SchemeError
from livecommerce.index.scheme import load_scheme
from livecommerce.records import attribution
from livecommerce.records.attribution import AMBIGUOUS, MATCHED, UNMATCHED, attribute, locate, roll_up
from livecommerce.records.engine import DuckDB, spark_available
from livecommerce.records.indicators import definition, indicators
from livecommerce.records.read import read_records
from livecommerce.records.synthetic import PERIOD, _write_parquet, shape, synthetic_records, write_synthetic_records
from livecommerce.records.tables import RULES

PERIOD_2023 = ("2023-01-01", "2023-09-30")
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""Java's options for a JVM that lives a minute: compiled by the quick compiler only, one garbage collector thread
(the Spark tests' time, 50 s alone, falls by a fifth)."""


@pytest.fixture(scope="module")
def quick_jvm():
    """The Spark tests' JVM (started by the first of them, kept by the worker) with :data:`QUICK_JVM`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JAVA_TOOL_OPTIONS", QUICK_JVM)
        yield


def on_spark(test):
    """A test of the Spark engine: slow (a Spark session starts its JVM), skipped without pyspark and Java, in one
    worker (one JVM for all of them), with :func:`quick_jvm`."""
    marks = (
        pytest.mark.slow,
        pytest.mark.skipif(
            not spark_available(), reason="Spark needs pyspark and a Java runtime (java not on the path)"
        ),
        pytest.mark.xdist_group("spark"),
        pytest.mark.usefixtures("quick_jvm"),
    )
    for mark in marks:
        test = mark(test)
    return test


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("四川成都", "510100"),
        ("四川省成都市武侯区", "510107"),  # a county of the national registry
        ("四川省成都市", "510100"),
        ("IP属地：四川", "510000"),
        ("ip属地:四川", "510000"),
        ("四川省", "510000"),
        ("广东省深圳市南山区科技园", "440305"),
        ("广东省深圳市科技园", "440300"),
        ("深圳", "440300"),
        ("浙江宁波", "330200"),
        ("四川省凉山彝族自治州西昌市", "513401"),
        ("四川省凉山彝族自治州", "513400"),
        ("四川阿坝州", "513200"),
        ("Sichuan Chengdu", "510100"),
    ],
)
def test_a_location_gives_the_finest_code_it_determines(location, code):
    assert locate(location) == (code, MATCHED)


@pytest.mark.parametrize("location", ["海外", "", "火星基地", None])
def test_a_location_without_a_region_name_is_unmatched(location):
    assert locate(location) == (None, UNMATCHED)


def test_names_that_do_not_nest_are_ambiguous():
    assert locate("四川深圳") == (None, AMBIGUOUS)
    assert locate("成都高新西区") == (None, AMBIGUOUS)  # 西区 is 攀枝花's, not 成都's: not guessed away


def test_a_shared_name_is_narrowed_by_the_others_or_ambiguous(monkeypatch):
    """A name two regions share (as county names will once the registry has counties) needs its province."""
    shared = {"朝阳": {"110105", "211300"}, "北京": {"110000"}, "辽宁": {"210000"}}
    monkeypatch.setattr(attribution, "_lookup", lambda name: shared.get(name, set()))
    assert locate("北京朝阳") == ("110105", MATCHED)
    assert locate("辽宁省朝阳市") == ("211300", MATCHED)
    assert locate("朝阳") == (None, AMBIGUOUS)


def test_attribution_counts_records_per_status_and_lists_the_unresolved():
    result = attribute(pd.Series(["四川成都", "四川成都", "海外", "四川深圳", "IP属地：四川"]))
    assert result.counts().to_dict() == {MATCHED: 3, UNMATCHED: 1, AMBIGUOUS: 1}
    assert list(result.unresolved().index) == ["海外", "四川深圳"]
    assert result.table.loc["四川成都", "region_id"] == "510100"


@pytest.mark.parametrize(
    ("code", "level", "up"),
    [
        ("510100", "province", "510000"),
        ("510107", "prefecture", "510100"),
        ("510107", "city", "510100"),
        ("510100", "prefecture", "510100"),
        ("510100", "city", "510100"),
        ("513400", "province", "510000"),
        ("513400", "city", None),
        ("440300", "prefecture", None),
        ("510000", "city", None),
    ],
)
def test_roll_up(code, level, up):
    assert roll_up(code, level) == up


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


ANCHORS = """主播ID,所在地,粉丝数,MCN机构,带货口碑
a1,四川成都,100,m1,4.0
a2,四川省成都市武侯区,300,m2,5.0
a3,IP属地：四川,50,m1,3.0
a4,广东深圳,1000,,4.5
a5,海外,7,m3,1.0
"""
SESSIONS = """直播ID,主播ID,开播时间,GMV,观看人次,UV
s1,a1,2023-01-05 20:00:00,100.5,10,4
s2,a1,2023-02-01 20:00:00,200,20,8
s3,a2,2023-03-01 10:00:00,50,30,9
s4,a4,2023-09-30 23:00:00,1000,100,40
s5,a5,2023-05-01 00:00:00,9,9,9
"""
SHOPS = """店铺ID,店铺所在地,商品数,服务评分
p1,四川成都,10,4.5
p2,四川省,20,
p3,广东深圳,5,3.0
"""
SALES = """店铺ID,日期,销量,销售额,订单数
p1,2023-01-01,3,300,2
p1,2023-01-02,1,100,1
p3,2023-02-01,10,500,5
"""


@pytest.fixture
def records_folder(tmp_path):
    folder = tmp_path / "records"
    for name, text in (
        ("anchors.csv", ANCHORS),
        ("sessions.csv", SESSIONS),
        ("shops.csv", SHOPS),
        ("sales.csv", SALES),
    ):
        _write(folder, name, text)
    return folder


def _panel(folder, definitions, level="province", **options):
    records = read_records(folder, PERIOD_2023, **options)
    try:
        return indicators(records, definitions, level), records
    finally:
        records.close()


SICHUAN, SHENZHEN, CHENGDU, GUANGDONG = "510000", "440300", "510100", "440000"


def test_each_statistic_on_hand_computed_records(records_folder):
    definitions = {
        "anchors": {"table": "anchors", "statistic": "count"},
        "active_anchors": {"table": "anchors", "statistic": "count", "active": True},
        "fans": {"table": "anchors", "statistic": "sum", "measure": "fans"},
        "mcns": {"table": "anchors", "statistic": "count_distinct", "measure": "mcn"},
        "reputation": {"table": "anchors", "statistic": "mean", "measure": "reputation"},
        "gmv": {"table": "sessions", "statistic": "sum", "measure": "gmv"},
        "sessions": {"table": "sessions", "statistic": "count"},
        "uv_mean": {"table": "sessions", "statistic": "mean", "measure": "uv"},
        "uv_median": {"table": "sessions", "statistic": "median", "measure": "uv"},
        "gmv_per_anchor": {"table": "sessions", "statistic": "mean", "measure": "gmv", "per": "anchor"},
        "products": {"table": "shops", "statistic": "sum", "measure": "products"},
        "service": {"table": "shops", "statistic": "mean", "measure": "service_score"},
        "order_value": {"table": "sales", "statistic": "ratio", "measure": "revenue", "denominator": "orders"},
        "units": {"table": "sales", "statistic": "sum", "measure": "units"},
    }
    panel, records = _panel(records_folder, definitions)
    sichuan, guangdong = panel.loc[SICHUAN], panel.loc[GUANGDONG]
    assert sichuan["anchors"] == 3 and sichuan["active_anchors"] == 2  # a3 has no session
    assert sichuan["fans"] == 450 and sichuan["mcns"] == 2
    assert sichuan["reputation"] == pytest.approx(4.0)
    assert sichuan["gmv"] == pytest.approx(350.5) and sichuan["sessions"] == 3
    assert sichuan["uv_mean"] == pytest.approx(7.0) and sichuan["uv_median"] == pytest.approx(8.0)
    assert sichuan["gmv_per_anchor"] == pytest.approx((300.5 + 50) / 2)
    assert sichuan["products"] == 30 and sichuan["service"] == pytest.approx(4.5)  # p2's empty score left out
    assert sichuan["order_value"] == pytest.approx(400 / 3) and sichuan["units"] == 4
    assert guangdong["mcns"] == 0 and guangdong["gmv"] == 1000 and guangdong["order_value"] == pytest.approx(100)
    # A region without records: 0 for counts and sums, empty for means and ratios.
    beijing = panel.loc["110000"]
    assert beijing["anchors"] == 0 and beijing["gmv"] == 0 and pd.isna(beijing["uv_mean"])
    assert len(panel) == 31 and panel.index.name == "region_id"
    assert any("1 unmatched" in line for line in records.log) and any("海外" in line for line in records.log)


def test_the_level_decides_the_region(records_folder):
    panel, _ = _panel(records_folder, {"gmv": {"table": "sessions", "statistic": "sum", "measure": "gmv"}}, "city")
    assert panel.loc[CHENGDU, "gmv"] == pytest.approx(350.5 - 50 + 50)  # a1 and a2 are in 成都; a3 (四川) is not
    assert panel.loc[SHENZHEN, "gmv"] == 1000 and len(panel) == 15


@pytest.mark.parametrize(
    ("level", "size", "expected"),
    [
        ("county:510000", 183, {"510107": 50, "510104": 0}),  # 武侯区 (a2); a1 (成都) names no county
        ("county", 2870, {"510107": 50, "440305": 0}),
        ("prefectural:四川", 21, {CHENGDU: 350.5, "513400": 0}),
        ("prefectural", 333, {CHENGDU: 350.5, SHENZHEN: 1000}),
        ("provincial", 34, {SICHUAN: 350.5, GUANGDONG: 1000, "810000": 0}),
    ],
)
def test_records_give_the_panel_of_any_region_set(records_folder, level, size, expected):
    panel, records = _panel(records_folder, {"gmv": {"table": "sessions", "statistic": "sum", "measure": "gmv"}}, level)
    assert len(panel) == size and panel.index.name == "region_id"
    assert panel.loc[list(expected), "gmv"].to_dict() == pytest.approx(expected)
    assert any(f"in a region of level {region_set(level).level!r}" in line for line in records.log)


def test_a_user_registry_s_regions_by_code_or_by_name(tmp_path):
    """A registry's region is a division by its id (a GB/T 2260 code) or by its name, located as a record's place is
    (a county's place counts for the city holding it); a region that is neither is refused, named."""
    by_code = tmp_path / "codes.csv"
    by_code.write_text("id,name\n510100,成都\n440300,深圳\n510107,武侯区\n", encoding="utf-8")
    by_name = tmp_path / "names.csv"
    by_name.write_text(
        "id,name,parent\nCITIES,两市,\nCD,四川省成都市,CITIES\nSZ,深圳,CITIES\nMARS,火星,\n", encoding="utf-8"
    )
    assert roll_up("510107", region_set("all", by_code)) == "510107"  # the finest region holding it
    assert roll_up("510104", region_set("all", by_code)) == CHENGDU
    assert roll_up("510000", region_set("all", by_code)) is None
    assert (
        roll_up("510107", region_set("CITIES", by_name)) == "CD"
        and roll_up("440305", region_set("CITIES", by_name)) == "SZ"
    )
    with pytest.raises(
        ParameterError, match=r"registry .*names.csv: .*: CITIES \(两市\) is none .*; MARS \(火星\) is none"
    ):
        roll_up("510107", region_set("all", by_name))
    by_code.write_text("id,name\n510100,成都\nCD,四川成都\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"CD \(四川成都\) is 510100, as 510100 is"):
        roll_up("510107", region_set("all", by_code))


BAD_SESSIONS = """直播ID,主播ID,开播时间,GMV,观看人次,UV
s1,a1,2023-01-05 20:00:00,abc,10,4
s2,a1,2022-12-31 20:00:00,200,20,8
s3,a2,2023-03-01 10:00:00,50,30,9
s3,a2,2023-03-02 10:00:00,50,30,9
s6,zz,2023-03-01 10:00:00,50,30,9
s7,a1,not a date,1,1,1
s8,a1,2023-04-01 10:00:00,1,-5,1
"""


def test_bad_rows_are_refused_naming_file_row_and_column(records_folder):
    _write(records_folder, "sessions.csv", BAD_SESSIONS)
    _write(records_folder, "anchors.csv", ANCHORS.replace("a5,海外,7", "a5,海外,-7"))
    with pytest.raises(DataError) as error:
        read_records(records_folder, PERIOD_2023)
    message = str(error.value)
    for expected in (
        "sessions.csv: 1 row(s) not_numeric",
        "line 2, column gmv",  # the file's line, as a panel's faults are named (the header is line 1)
        "sessions.csv: 1 row(s) outside_period",
        "line 3, column start_time",
        "sessions.csv: 2 row(s) duplicate",
        "line 4, column session_id = 's3'\n  line 5, column session_id = 's3'",
        "sessions.csv: 1 row(s) unknown_reference",
        "line 6, column anchor_id = 'zz'",
        "sessions.csv: 1 row(s) bad_date",
        "line 7, column start_time",
        "sessions.csv: 1 row(s) negative",
        "line 8, column views",
        "anchors.csv: 1 row(s) negative",
        "line 6, column fans",
    ):
        assert expected in message
    assert "data row" not in message


def test_a_bad_rows_line_counts_comments_blank_lines_and_quoted_line_breaks(records_folder):
    anchors = '# SYNTHETIC\n主播ID,所在地,粉丝数\na1,"四川\n成都",100\n\na2,四川省成都市武侯区,-300\n'
    _write(records_folder, "anchors.csv", anchors)
    with pytest.raises(DataError, match="anchors.csv: 1 row\\(s\\) negative .*\n  line 6, column fans"):
        read_records(records_folder, PERIOD_2023)
    (records_folder / "anchors.csv").unlink()  # a Parquet file has rows, not lines
    frame = pd.DataFrame({"主播ID": ["a1", "a2", "a3"], "所在地": ["四川成都"] * 3, "粉丝数": [1, -300, 2]})
    _write_parquet(frame, records_folder / "anchors.parquet")
    with pytest.raises(DataError, match="anchors.parquet: 1 row\\(s\\) negative .*\n  row 2, column fans"):
        read_records(records_folder, PERIOD_2023)


# Bad rows among what the readers skip or join: comment lines (one between rows), a blank line, quoted values over
# several lines (one holding a blank line), doubled quotes; a bad row's cells twice (both bad), an id twice.
PLACED_ANCHORS = (
    "# SYNTHETIC: constructed bad rows\n"  # line 1
    "主播ID,所在地,粉丝数,MCN机构,带货口碑\n"  # 2
    'a1,"四川\n成都",100,m1,4.0\n'  # 3-4
    "\n"  # 5
    "# a comment between rows\n"  # 6
    'a2,"四川省""成都""市",-300,m2,5.0\n'  # 7: negative
    'a3,"IP属地：\n\n四川",50,m1,3.0\n'  # 8-10
    "a4,广东深圳,1000,,4.5\n"  # 11
    "a1,四川成都,5,m1,1.0\n"  # 12: a1 again (and line 3)
    "a5,海外,x,m3,1.0\n"  # 13: not a number
    'a2,"四川省""成都""市",-300,m2,5.0\n'  # 14: line 7's cells, as bad (not a repeated id: neither passes)
)
PLACED_LINES = (
    "anchors.csv: 2 row(s) negative (a count or amount is negative)\n  line 7, column fans\n  line 14, column fans",
    "anchors.csv: 1 row(s) not_numeric (a number column holds text)\n  line 13, column fans",
    "anchors.csv: 2 row(s) duplicate",
    "\n  line 3, column anchor_id = 'a1'\n  line 12, column anchor_id = 'a1'",
    "part-1.parquet: 1 row(s) negative (a count or amount is negative)\n  row 45678, column views",
    "part-1.parquet: 2 row(s) duplicate",
    "\n  row 30001, column session_id = 'again'\n  row 50002, column session_id = 'again'",
    "part-1.parquet: 1 row(s) unknown_reference (the row names an anchor or shop the other table lacks)\n"
    "  row 59999, column anchor_id = 'zz'",
)


@pytest.fixture
def placed_folder(tmp_path):
    """Records whose bad rows the refusal names by place: the anchors' CSV above, and the sessions as two Parquet
    parts, the second of 60,000 rows in row groups of 2,048 (read by several threads) with bad rows deep inside."""
    folder = tmp_path / "placed"
    _write(folder, "anchors.csv", PLACED_ANCHORS)
    (folder / "sessions").mkdir()
    for part, size in ((0, 1000), (1, 60_000)):
        frame = pd.DataFrame(
            {
                "session_id": [f"s{part}_{i}" for i in range(1, size + 1)],
                "anchor_id": "a4",
                "start_time": "2023-05-01 20:00:00",
                "gmv": 1.5,
                "views": 10,
                "uv": 3,
            }
        )
        if part:  # rows counted from 1
            frame.loc[45678 - 1, "views"] = -10
            frame.loc[[30001 - 1, 50002 - 1], "session_id"] = "again"
            frame.loc[59999 - 1, "anchor_id"] = "zz"
        with duckdb.connect() as connection:
            connection.register("frame", frame)
            path = folder / "sessions" / f"part-{part}.parquet"
            connection.execute(f"COPY frame TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)")
    return folder


def _refusal(folder, engine="duckdb") -> str:
    with pytest.raises(DataError) as error:
        read_records(folder, PERIOD_2023, engine=engine)
    return str(error.value)


def test_a_bad_row_is_named_by_its_csv_line_or_parquet_row_wherever_it_is(placed_folder):
    message = _refusal(placed_folder)
    for expected in PLACED_LINES:
        assert expected in message
    assert message.count("\n  ") == 9 and "?" not in message
    # the same rows, as the folder's files are read a file at a time (parts numbered each from 1)
    (placed_folder / "sessions" / "part-1.parquet").rename(placed_folder / "sessions_1.parquet")
    assert "sessions_1.parquet: 1 row(s) negative (a count or amount is negative)\n  row 45678" in _refusal(
        placed_folder
    )


@on_spark
def test_spark_names_the_same_bad_rows_as_duckdb(placed_folder):
    """The files as given (not Spark's URIs of them), the same lines and rows, in a folder whose name needs quoting
    in a URI."""
    folder = placed_folder.rename(placed_folder.parent / "placed 100% 四川+")
    message = _refusal(folder, "spark")
    assert message == _refusal(folder) and str(folder / "anchors.csv") in message
    for expected in PLACED_LINES:
        assert expected in message


def test_a_csv_the_engine_cannot_read_is_refused_naming_the_file(records_folder, tmp_path, monkeypatch):
    """… and the engine opened for it is closed: its spill folder is gone."""
    _write(records_folder, "anchors.csv", '主播ID,所在地,粉丝数\na1,"成都3#楼",100\n')  # quoted: read
    records = read_records(records_folder, PERIOD_2023, bad_rows="drop")  # the other anchors' sessions dropped
    assert records.engine.query("SELECT location FROM anchors").iloc[0, 0] == "成都3#楼"
    records.close()
    _write(records_folder, "anchors.csv", "主播ID,所在地,粉丝数\na1,成都3#楼,100\n")
    spill = tmp_path / "temporary"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))  # where the engine makes its spill folder
    with pytest.raises(DataError, match=r"anchors.csv: not readable as csv \(.*\); a value holding '#' must be quoted"):
        read_records(records_folder, PERIOD_2023)
    assert not any(spill.iterdir())


def test_a_spill_folder_goes_with_its_records_closed_or_not(records_folder, tmp_path, monkeypatch):
    """Records closed by ``with``, or dropped unclosed, or left open when the process exits (the README's example
    once was): none leaves its engine's spill folder behind; a folder given is kept; bad options make none."""
    spill = tmp_path / "temporary"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))

    def spilled() -> int:
        return len(list(spill.glob("livecommerce-duckdb-*")))

    with read_records(records_folder, PERIOD_2023, bad_rows="drop") as records:
        assert spilled() == 1
    assert spilled() == 0
    with pytest.raises(duckdb.ConnectionException):  # closed: its connection too
        records.engine.query("SELECT 1")
    records = read_records(records_folder, PERIOD_2023, bad_rows="drop")
    assert spilled() == 1
    del records
    gc.collect()
    assert spilled() == 0
    own = tmp_path / "own"
    own.mkdir()
    DuckDB(temp_directory=own).close()
    DuckDB(temp_directory=str(own))
    gc.collect()
    assert own.is_dir() and spilled() == 0
    with monkeypatch.context() as patch:  # refused before a folder is made
        patch.setattr(tempfile, "mkdtemp", lambda **_: pytest.fail("a spill folder made for a refused engine"))
        for options, fault in (({"threads": 0}, "threads"), ({"temp_directory": ""}, "temp_directory is empty")):
            with pytest.raises(ParameterError, match=fault):
                DuckDB(**options)
    left_open = (
        "import sys\nfrom pathlib import Path\nfrom livecommerce.records.read import read_records\n"
        "records = read_records(sys.argv[1], ('2023-01-01', '2023-09-30'), bad_rows='drop')\n"
        "assert records.engine.query('SELECT count(*) FROM sessions').iloc[0, 0] > 0\n"
        "print(len(list(Path(sys.argv[2]).glob('livecommerce-duckdb-*'))))\n"
    )
    env = {**os.environ, "TMPDIR": str(spill)}
    done = subprocess.run(
        [sys.executable, "-c", left_open, str(records_folder), str(spill)], env=env, text=True, capture_output=True
    )
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr  # made while the records were open
    assert spilled() == 0


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "\n", "# a comment, with a comma\n", "\n# two\n\n"]),  # what the readers skip
            st.text(st.sampled_from('四川成都 ,"\n'), max_size=8),  # quoted by the writer where it must be
            st.integers(-2, 9),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_the_lines_named_are_the_lines_of_the_first_bad_rows_whatever_lies_between(rows):
    """Any anchors file of comment lines, blank lines and quoted values over several lines: the refusal names the
    lines on which the first five rows with negative fans start, counted as written."""
    text, lines = io.StringIO(), []
    writer = csv.writer(text, lineterminator="\n")
    text.write("# SYNTHETIC\n主播ID,所在地,粉丝数\n")
    for n, (skipped, place, fans) in enumerate(rows):
        text.write(skipped)
        if fans < 0:
            lines.append(text.getvalue().count("\n") + 1)
        writer.writerow([f"a{n}", place, fans])
    with tempfile.TemporaryDirectory() as folder:
        _write(Path(folder), "anchors.csv", text.getvalue())
        if not lines:
            records = read_records(folder, PERIOD_2023)
            assert records.rows == {"anchors": len(rows)}
            records.close()
            return
        with pytest.raises(DataError) as error:
            read_records(folder, PERIOD_2023)
    named = "".join(f"\n  line {line}, column fans" for line in lines[:5])
    assert str(error.value).endswith(f"anchors.csv: {len(lines)} row(s) negative ({RULES['negative']}){named}")


def test_an_anchors_sessions_are_known_although_the_anchor_is_bad(records_folder):
    # a5's negative fan count makes a5 a bad row, not an unknown anchor: its session s5 is no unknown reference
    _write(records_folder, "anchors.csv", ANCHORS.replace("a5,海外,7", "a5,海外,-7"))
    _, records = _panel(records_folder, {"n": {"table": "sessions", "statistic": "count"}}, bad_rows="drop")
    assert records.bad[["table", "rule", "rows"]].values.tolist() == [["anchors", "negative", 1]]


def test_bad_rows_dropped_are_counted_per_file_and_rule(records_folder):
    _write(records_folder, "sessions.csv", BAD_SESSIONS)
    panel, records = _panel(records_folder, {"sessions": {"table": "sessions", "statistic": "count"}}, bad_rows="drop")
    assert records.bad.groupby("rule")["rows"].sum().to_dict() == {
        "bad_date": 1,
        "duplicate": 2,
        "negative": 1,
        "not_numeric": 1,
        "outside_period": 1,
        "unknown_reference": 1,
    }
    assert panel["sessions"].sum() == 0  # every session was bad
    assert sum("dropped" in line for line in records.log) == 6


def test_a_folder_of_parquet_parts_and_a_missing_column(tmp_path, records_folder):
    parts = tmp_path / "parts"
    shutil.copytree(records_folder, parts)
    (parts / "sessions").mkdir()
    frame = pd.read_csv(records_folder / "sessions.csv")
    _write_parquet(frame.iloc[:2], parts / "sessions" / "part-0.parquet")
    _write_parquet(frame.iloc[2:], parts / "sessions" / "part-1.parquet")
    (parts / "sessions.csv").unlink()
    panel, _ = _panel(parts, {"gmv": {"table": "sessions", "statistic": "sum", "measure": "gmv"}})
    assert panel.loc[SICHUAN, "gmv"] == pytest.approx(350.5)
    _write(parts, "shops.csv", "店铺ID,所在地\np1,四川\n")
    with pytest.raises(DataError, match=r"shops.csv: table 'shops' lacks column\(s\) products"):
        read_records(parts, PERIOD_2023)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"table": "orders", "statistic": "sum", "measure": "x"}, "table 'orders'"),
        ({"table": "sessions", "statistic": "mode", "measure": "gmv"}, "statistic 'mode'"),
        ({"table": "sessions", "statistic": "sum"}, "needs a measure"),
        ({"table": "sessions", "statistic": "sum", "measure": "fans"}, "measure 'fans' is not a column"),
        ({"table": "sales", "statistic": "ratio", "measure": "revenue"}, "denominator"),
        ({"table": "sessions", "statistic": "sum", "measure": "gmv", "per": "anchor"}, "per 'anchor'"),
        ({"table": "sales", "statistic": "mean", "measure": "units", "per": "anchor"}, "does not fit"),
        ({"table": "sessions", "statistic": "count", "where": "x"}, "unknown key"),
    ],
)
def test_a_bad_definition_is_refused_naming_the_problem(value, problem):
    with pytest.raises(SchemeError, match=problem):
        definition(value, "indicator 'x'")


def test_bad_arguments(records_folder):
    with pytest.raises(ParameterError, match="period"):
        read_records(records_folder, ("2023-09-30", "2023-01-01"))
    with pytest.raises(ParameterError, match="bad_rows"):
        read_records(records_folder, PERIOD_2023, bad_rows="ignore")
    with pytest.raises(ParameterError, match="memory_limit"):
        read_records(records_folder, PERIOD_2023, memory_limit="lots")


SYNTHETIC_DEFINITIONS = {
    "anchor_count": {"table": "anchors", "statistic": "count", "active": True},
    "follower_count": {"table": "anchors", "statistic": "sum", "measure": "fans"},
    "mcn_count": {"table": "anchors", "statistic": "count_distinct", "measure": "mcn"},
    "uv_per_session": {"table": "sessions", "statistic": "mean", "measure": "uv"},
    "uv_median": {"table": "sessions", "statistic": "median", "measure": "uv"},
    "gmv_per_anchor": {"table": "sessions", "statistic": "median", "measure": "gmv", "per": "anchor"},
    "order_value": {"table": "sales", "statistic": "ratio", "measure": "revenue", "denominator": "orders"},
}


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory):
    return write_synthetic_records(tmp_path_factory.mktemp("synthetic"), sessions=2000)


def test_the_synthetic_records_are_valid_and_mostly_attributed(synthetic_folder):
    panel, records = _panel(synthetic_folder, SYNTHETIC_DEFINITIONS)
    assert records.bad.empty and records.rows["sessions"] == 2000
    assert PERIOD == PERIOD_2023
    # The engine's count of active anchors per province against pandas on the same records.
    tables = synthetic_records(2000)
    anchors = tables["anchors"][tables["anchors"]["anchor_id"].isin(tables["sessions"]["anchor_id"])]
    located = [locate(str(place))[0] for place in anchors["location"].fillna("")]
    provinces = pd.Series([roll_up(c, "province") if c else None for c in located]).value_counts()
    expected = provinces.reindex(panel.index, fill_value=0).astype(float)
    pd.testing.assert_series_equal(panel["anchor_count"], expected, check_names=False)


@on_spark
def test_duckdb_and_spark_give_the_same_panel():
    """The report scheme's 17 record indicators, their variants and the other statistics, on the bundled SYNTHETIC
    records."""
    folder = data_dir() / "records" / "SYNTHETIC_2023"
    scheme = load_scheme()
    variants = {f"{i}|{n}": v for i, d in scheme.indicators.items() for n, v in d.variants.items()}
    definitions = {**{i: d.record for i, d in scheme.indicators.items()}, **variants, **SYNTHETIC_DEFINITIONS}
    duckdb, _ = _panel(folder, definitions, "prefecture")
    spark, _ = _panel(folder, definitions, "prefecture", engine="spark")
    assert duckdb.notna().all().all() or duckdb.notna().any().all()
    pd.testing.assert_frame_equal(duckdb, spark, rtol=1e-9)


@on_spark
def test_spark_matches_the_columns_of_each_file_by_name(records_folder):
    """Two CSV parts of the sessions with their columns in another order, one lacking an optional column, and the
    shops as Parquet parts, one lacking the optional service score: the same panel on both engines."""
    (records_folder / "sessions.csv").unlink()
    lines = SESSIONS.splitlines()
    _write(records_folder, "sessions_1.csv", "\n".join(lines[:3]) + "\n")
    reordered = pd.read_csv(io.StringIO("\n".join([lines[0], *lines[3:]])), dtype=str)
    reordered[["GMV", "UV", "直播ID", "主播ID", "开播时间", "观看人次"]].to_csv(
        records_folder / "sessions_2.csv", index=False
    )
    shops = pd.read_csv(io.StringIO(SHOPS), dtype=str)
    (records_folder / "shops.csv").unlink()
    (records_folder / "shops").mkdir()
    _write_parquet(shops.iloc[:2], records_folder / "shops" / "part-0.parquet")
    _write_parquet(shops.iloc[2:, [3, 2, 1, 0]].drop(columns="服务评分"), records_folder / "shops" / "part-1.parquet")
    definitions = {
        "gmv": {"table": "sessions", "statistic": "sum", "measure": "gmv"},
        "uv": {"table": "sessions", "statistic": "mean", "measure": "uv"},
        "products": {"table": "shops", "statistic": "sum", "measure": "products"},
        "service": {"table": "shops", "statistic": "mean", "measure": "service_score"},
    }
    duckdb_panel, _ = _panel(records_folder, definitions)
    spark_panel, _ = _panel(records_folder, definitions, engine="spark")
    pd.testing.assert_frame_equal(duckdb_panel, spark_panel)
    assert duckdb_panel.loc[SICHUAN, "gmv"] == pytest.approx(350.5) and duckdb_panel.loc[GUANGDONG, "products"] == 5


def test_the_report_scheme_defines_its_17_record_indicators_and_computes_them(records_folder):
    scheme = load_scheme()
    defined = [i for i, item in scheme.indicators.items() if item.record is not None]
    assert [scheme.label(i) for i in defined] == [
        "主播数量",
        "主播直播总场次",
        "MCN机构数",
        "主播GMV",
        "主播平均带货口碑",
        "主播粉丝总数",
        "主播累计观看人次",
        "主播场均UV",
        "店铺产品总销售额",
        "直播供货店铺总数",
        "直播店铺总产品数",
        "店铺产品销量",
        "店铺平均客单价",
        "店铺平均服务评分",
        "MCN数量",
        "直播间数量",
        "主播数量",
    ]
    panel, _ = _panel(records_folder, scheme)
    assert list(panel.columns) == defined
    sichuan = panel.loc[SICHUAN]
    assert sichuan["anchor_count"] == 2 and sichuan["shop_count"] == 1  # active ones: p2 has no sale
    assert sichuan["follower_count"] == 450 and sichuan["order_value"] == pytest.approx(400 / 3)


def test_a_bad_record_definition_in_a_scheme_names_the_file(tmp_path):
    text = (
        default_scheme_path()
        .read_text(encoding="utf-8")
        .replace(
            'record = { table = "sessions", statistic = "count" }',
            'record = { table = "sessions", statistic = "avg" }',
        )
    )
    path = tmp_path / "scheme.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError, match=r"scheme.toml: indicator 'session_count': record: statistic 'avg'"):
        load_scheme(path)


def test_the_bundled_synthetic_records_are_the_generators(tmp_path):
    folder = write_synthetic_records(tmp_path)
    bundled = data_dir() / "records" / "SYNTHETIC_2023"
    names = sorted(p.name for p in bundled.iterdir())
    assert names == sorted(p.name for p in folder.iterdir()) and all("SYNTHETIC" in name for name in names)
    for name in names:
        assert (bundled / name).read_bytes() == (folder / name).read_bytes(), name
        assert (bundled / name).read_text(encoding="utf-8").startswith("# SYNTHETIC")


def test_the_indicators_command_writes_a_panel_the_package_reads(tmp_path, records_folder):
    out = tmp_path / "panel.csv"
    assert main(["indicators", str(records_folder), "--level", "city", "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "# engine: duckdb" in text and "sessions: 5 row(s)" in text and "location '海外': unmatched" in text
    scheme = load_scheme()
    panel = load_panel(out, scheme, "city", empty=True)
    assert panel.loc[CHENGDU, "anchor_gmv"] == pytest.approx(350.5) and panel.loc[SHENZHEN, "shop_count"] == 1
    assert panel.loc[CHENGDU, "venue_anchor_count"] == 2 and panel.loc[CHENGDU, "live_room_count"] == 0  # no room ids
    assert main(["indicators", str(records_folder), "--output", str(out)]) == 2  # exists: --overwrite
    counties = tmp_path / "counties.csv"
    assert main(["indicators", str(records_folder), "--level", "county:四川", "--output", str(counties)]) == 0
    panel = load_panel(counties, scheme, "county:510000", empty=True)
    assert len(panel) == 183 and panel.loc["510107", "anchor_gmv"] == 50  # 武侯区 (a2)


@settings(max_examples=10, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a1", "a2", "a4"]),
            st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 2)),
            st.integers(0, 10**6),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_each_statistic_matches_pandas_on_any_sessions(sessions):
    """Sum, count, mean, median and the per-anchor mean of any sessions, against pandas on the same rows."""
    frame = pd.DataFrame(sessions, columns=["anchor_id", "gmv", "uv"])
    frame.insert(0, "session_id", [f"s{i}" for i in range(len(frame))])
    frame.insert(2, "start_time", "2023-05-01 12:00:00")
    frame["views"] = frame["uv"]
    with tempfile.TemporaryDirectory() as folder:
        _write(Path(folder), "anchors.csv", ANCHORS)
        frame.to_csv(Path(folder) / "sessions.csv", index=False)
        definitions = {
            "sum": {"table": "sessions", "statistic": "sum", "measure": "gmv"},
            "count": {"table": "sessions", "statistic": "count"},
            "mean": {"table": "sessions", "statistic": "mean", "measure": "uv"},
            "median": {"table": "sessions", "statistic": "median", "measure": "gmv"},
            "per_anchor": {"table": "sessions", "statistic": "mean", "measure": "gmv", "per": "anchor"},
            "ratio": {"table": "sessions", "statistic": "ratio", "measure": "gmv", "denominator": "uv"},
        }
        panel, _ = _panel(Path(folder), definitions)
    province = frame["anchor_id"].map({"a1": SICHUAN, "a2": SICHUAN, "a4": GUANGDONG})
    grouped = frame.groupby(province)
    expected = pd.DataFrame(
        {
            "sum": grouped["gmv"].sum(),
            "count": grouped.size().astype(float),
            "mean": grouped["uv"].mean(),
            "median": grouped["gmv"].median(),
            "per_anchor": frame.groupby([province, frame["anchor_id"]])["gmv"].sum().groupby(level=0).mean(),
            "ratio": grouped["gmv"].sum() / grouped["uv"].sum().replace(0, float("nan")),
        }
    )
    pd.testing.assert_frame_equal(panel.loc[expected.index], expected, check_names=False, rtol=1e-9)


VENUE_ANCHORS = ANCHORS.replace(
    "a3,IP属地：四川,50,m1,3.0", "a3,IP属地：四川,50,m4,3.0"
)  # an inactive agency of its own
VENUE_SESSIONS = """直播ID,主播ID,直播间ID,开播时间,GMV,观看人次,UV
s1,a1,r1,2023-01-05 20:00:00,100.5,10,4
s2,a1,r1b,2023-02-01 20:00:00,200,20,8
s3,a2,r2,2023-03-01 10:00:00,50,30,9
s6,a2,r2,2023-03-02 10:00:00,50,30,9
s4,a4,r4,2023-09-30 23:00:00,1000,100,40
s5,a5,r5,2023-05-01 00:00:00,9,9,9
"""


def test_the_venue_indicators_count_what_is_based_in_the_region(records_folder):
    """场: every anchor located in the region, the agencies of those anchors, the rooms their sessions used; 人's
    主播数量 and MCN机构数 count the active anchors only."""
    _write(records_folder, "anchors.csv", VENUE_ANCHORS)
    _write(records_folder, "sessions.csv", VENUE_SESSIONS)
    scheme = load_scheme()
    names = ["venue_anchor_count", "venue_mcn_count", "live_room_count", "anchor_count", "mcn_count"]
    panel, _ = _panel(records_folder, {n: scheme.indicators[n].record for n in names})
    # 四川: a1 (m1; rooms r1, r1b), a2 (m2; room r2, twice), a3 (m4; no session)
    assert panel.loc[SICHUAN].to_dict() == {
        "venue_anchor_count": 3,
        "venue_mcn_count": 3,
        "live_room_count": 3,
        "anchor_count": 2,
        "mcn_count": 2,
    }
    assert panel.loc[GUANGDONG].to_dict() == dict.fromkeys(names, 1) | {"venue_mcn_count": 0, "mcn_count": 0}


SHOPS_WAREHOUSE = """店铺ID,注册地,发货地,商品数,服务评分
p1,四川成都,广东深圳,10,4.5
p2,四川省,,20,
p3,广东深圳,广东深圳,5,3.0
"""


def test_a_shop_located_by_its_warehouse(records_folder):
    _write(records_folder, "shops.csv", SHOPS_WAREHOUSE)
    sales = {"table": "sales", "statistic": "sum", "measure": "revenue"}
    definitions = {"registered": sales, "warehouse": {**sales, "location": "warehouse"}}
    panel, records = _panel(records_folder, definitions)
    assert panel.loc[SICHUAN].to_dict() == {"registered": 400, "warehouse": 0}  # p1 ships from 深圳
    assert panel.loc[GUANGDONG].to_dict() == {"registered": 500, "warehouse": 900}
    assert "location (empty): unmatched (1 record(s))" in records.log  # p2's warehouse; and a5's 海外
    assert any("2 unmatched" in line for line in records.log)
    with pytest.raises(SchemeError, match="location 'warehouse' is not one of location"):
        definition({"table": "sessions", "statistic": "count", "location": "warehouse"})


def test_the_generator_is_seeded_and_writes_the_same_records_as_csv_and_parquet(tmp_path):
    """The same seed writes the same Parquet bytes; another seed other records; CSV and Parquet hold the same rows
    (the panel from each is the same) in the numbers :func:`shape` gives, labelled SYNTHETIC."""
    parquet = write_synthetic_records(tmp_path / "a", 400, kind="parquet")
    again = write_synthetic_records(tmp_path / "b", 400, kind="parquet")
    other = write_synthetic_records(tmp_path / "c", 400, seed=7, kind="parquet")
    csv = write_synthetic_records(tmp_path / "d", 400)
    for path in sorted(parquet.iterdir()):
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name
        assert path.read_bytes() != (other / path.name).read_bytes(), path.name
        assert b"SYNTHETIC" in path.read_bytes()
    from_parquet, records = _panel(parquet, SYNTHETIC_DEFINITIONS, "county")
    from_csv, _ = _panel(csv, SYNTHETIC_DEFINITIONS, "county")
    assert records.rows == shape(400) == {"anchors": 16, "sessions": 400, "shops": 100, "sales": 5000}
    assert records.bad.empty and len(from_parquet) > 2800 and from_parquet["anchor_count"].sum() > 0
    pd.testing.assert_frame_equal(from_parquet, from_csv, rtol=1e-12)


def test_the_checks_count_a_row_under_each_rule_it_breaks_and_repeats_across_files(records_folder):
    """The checks count rules as bits and ids by their hash: a row breaking two rules counts under both, an id in
    two files is a repeat in each, and the rows left are the rows that pass."""
    (records_folder / "sessions.csv").unlink()
    _write(records_folder, "sessions_1.csv", SESSIONS.replace("s2,a1,2023-02-01 20:00:00,200,20", "s2,a1,x,y,-20"))
    _write(
        records_folder, "sessions_2.csv", "直播ID,主播ID,开播时间,GMV,观看人次,UV\ns1,a2,2023-01-06 20:00:00,1,1,1\n"
    )
    panel, records = _panel(
        records_folder, {"gmv": {"table": "sessions", "statistic": "sum", "measure": "gmv"}}, bad_rows="drop"
    )
    bad = records.bad.set_index(["file", "rule"])["rows"]
    bad.index = [(Path(file).name, rule) for file, rule in bad.index]
    assert bad.to_dict() == {
        ("sessions_1.csv", "not_numeric"): 1,
        ("sessions_1.csv", "negative"): 1,
        ("sessions_1.csv", "bad_date"): 1,
        ("sessions_1.csv", "duplicate"): 1,
        ("sessions_2.csv", "duplicate"): 1,
    }
    assert records.rows["sessions"] == 6
    assert panel.loc[SICHUAN, "gmv"] == pytest.approx(50) and panel.loc[GUANGDONG, "gmv"] == 1000  # s3, s4 left


@pytest.mark.parametrize(("limit", "gib"), [("2GB", "1.1 GiB"), ("4GiB", "2.3 GiB"), ("1500 MB", "858.3 MiB")])
def test_the_memory_limit_is_the_process_s_and_duckdb_gets_a_share(limit, gib):
    """DuckDB's buffers get 60% of the limit: the rest is for the process around it (Python, pandas, readers)."""
    engine = DuckDB(memory_limit=limit)
    try:
        assert engine.connection.execute("SELECT current_setting('memory_limit')").fetchone()[0] == gib
    finally:
        engine.close()
    with pytest.raises(ParameterError, match="memory_limit: '0GB'"):
        DuckDB(memory_limit="0GB")


def test_a_parquet_string_is_read_as_it_is_and_a_csv_cell_trimmed(records_folder):
    """An id with a space names no anchor in Parquet (counted as an unknown reference); in CSV it is trimmed."""
    frame = pd.read_csv(records_folder / "sessions.csv")
    frame.loc[0, "主播ID"] = " a1"
    (records_folder / "sessions.csv").unlink()
    _write_parquet(frame, records_folder / "sessions.parquet")
    _, records = _panel(records_folder, {"n": {"table": "sessions", "statistic": "count"}}, bad_rows="drop")
    assert records.bad[["rule", "rows"]].values.tolist() == [["unknown_reference", 1]]
    (records_folder / "sessions.parquet").unlink()
    frame.to_csv(records_folder / "sessions.csv", index=False)
    _, records = _panel(records_folder, {"n": {"table": "sessions", "statistic": "count"}}, bad_rows="drop")
    assert records.bad.empty


def test_the_panel_is_the_same_to_the_last_bit_whatever_the_threads(tmp_path):
    """Sums are exact (decimals), so the order in which DuckDB's threads add the rows cannot move a last digit."""
    folder = write_synthetic_records(tmp_path / "records", 200_000, kind="parquet")
    scheme = load_scheme()
    definitions = {**{i: d.record for i, d in scheme.indicators.items()}, **SYNTHETIC_DEFINITIONS}
    panels = [_panel(folder, definitions, "county", engine=DuckDB(threads=threads))[0] for threads in (1, 2, 2)]
    for other in panels[1:]:
        pd.testing.assert_frame_equal(panels[0], other, check_exact=True)
