"""Canonical names of the index's measures and levels, with the report's Chinese terms."""

__all__ = [
    "CHANGE_COLUMNS",
    "DIVISIONS",
    "INDEX_TABLES",
    "LANGS",
    "LEVELS",
    "RECORD_PERIOD",
    "LEVEL_SIZES",
    "MACRO_REGIONS",
    "MEASURES",
    "MODULES",
    "PEOPLE_COMPONENTS",
    "PILLARS",
    "PRINTED_DECIMALS",
    "PUBLISHED_EDITION",
    "RANKED",
    "RANKED_MEASURE",
    "SCALE",
    "SUB_INDICES",
    "TOP5_TABLES",
]

LEVELS = ("province", "city", "prefecture")
"""Province-level regions (31), sub-provincial cities (15, 副省级城市), Sichuan's prefectures (21, 市州)."""

DIVISIONS = ("provincial", "prefectural", "county")
"""The national registry's division levels (GB/T 2260): 省级 (34), 地级 (333), 县级 (about 2,850); a region set
names one, optionally under a parent (``county:510000``)."""

LANGS = ("zh", "en")
"""The languages of every label, caption and sentence the package prints: Chinese (the report's) and English
(their words: :mod:`livecommerce.words`)."""

LEVEL_SIZES = {"province": 31, "city": 15, "prefecture": 21}

MEASURES = ("overall", "people", "activity", "sales", "influence", "goods", "venue")

PEOPLE_COMPONENTS = ("activity", "sales", "influence")
PILLARS = ("people", "goods", "venue")
RANKED = ("overall", *PILLARS)
"""The measures the report ranks (表1–表9, 表13–表15)."""
PRINTED_DECIMALS = 2
"""The decimals the report prints scores with (and to which a study's own are rounded in its tables)."""
SUB_INDICES = (*PEOPLE_COMPONENTS, "goods", "venue")
"""The published sub-indices (表4–表9, 表13–表15) a study of the published data starts from."""

SCALE = (60.0, 100.0)
"""The report's score scale (efficacy normalisation, 功效系数法): every published score lies in it."""

MACRO_REGIONS = ("east", "central", "west", "northeast")
"""The National Bureau of Statistics' four economic regions (东部, 中部, 西部, 东北)."""

# Which published table holds which measures, per level (chapter 3 of the report).
INDEX_TABLES = {
    "province": {1: ("overall",), 4: ("people",) + PEOPLE_COMPONENTS, 7: ("goods",), 13: ("venue",)},
    "city": {2: ("overall",), 5: ("people",) + PEOPLE_COMPONENTS, 8: ("goods",), 14: ("venue",)},
    "prefecture": {3: ("overall",), 6: ("people",) + PEOPLE_COMPONENTS, 9: ("goods",), 15: ("venue",)},
}

CHANGE_COLUMNS = {1: ("yoy_growth", "rank_change"), 2: ("rank_change",), 3: ("rank_change",)}
"""The year-on-year columns each index table prints (表1: 同比增长 and 位次变化; 表2–3: 位次变化)."""

TOP5_TABLES = {10: "川茶", 11: "川酒", 12: "川调"}
"""Sichuan top-5 lists of the 川货电商节 (tea, liquor, seasonings)."""

RANKED_MEASURE = {n: measures[0] for tables in INDEX_TABLES.values() for n, measures in tables.items()}
"""The measure by which each index table is ranked (the first it prints)."""

MODULES = ("users", "anchors", "content", "brands", "platforms", "intermediaries")
"""The six modules of chapter 4's dual-centre model (图1 直播电商的双中心模型)."""

PUBLISHED_EDITION = "2023"
"""The name of the report's own edition (the published 2023 tables) wherever a previous edition is named."""
RECORD_PERIOD = ("2023-01-01", "2023-09-30")
"""The period of records by default (the first and last day): 2023年前三季度, the report's."""
