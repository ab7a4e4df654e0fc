"""What the report's numbers say about each other: derived values and consistency checks.

:func:`run` returns one row per check with its inputs, expected and found values and a
verdict: ``consistent``, ``inconsistent`` or ``note`` (a derived value with no yes/no test).
Whatever the report gets wrong is reported here, not corrected.
"""

from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data import published as data
from livecommerce.data.regions import check_level, regions
from livecommerce.data.schemas import ROUNDING
from livecommerce.errors import ParameterError
from livecommerce.index.ranking import previous_year, rank
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES, LEVELS, PEOPLE_COMPONENTS, PILLARS, RANKED_MEASURE, SCALE

__all__ = [
    "COLUMNS",
    "check_bounds",
    "check_claims",
    "check_edition",
    "check_facts",
    "check_rank_changes",
    "check_rank_order",
    "run",
    "summary",
]

COLUMNS = ["check_id", "group", "subject", "description", "inputs", "expected", "found", "verdict"]


def _row(check_id, group, subject, description, inputs, expected, found, ok) -> dict:
    verdict = "note" if ok is None else ("consistent" if ok else "inconsistent")
    return dict(zip(COLUMNS, [check_id, group, subject, description, inputs, str(expected), str(found), verdict]))


# --- chapter 3: the index tables -------------------------------------------------------------


def check_rank_order(printed: pd.DataFrame, number: int) -> dict:
    """Do the ranks of index table ``number`` (``printed``, as it prints them) follow its scores (the measure it is
    ranked by), ties sharing the best rank?"""
    measure = RANKED_MEASURE[number]
    scores = printed[measure].reset_index(drop=True)
    off = printed.index[(printed["rank"].reset_index(drop=True) != rank(scores)).to_numpy()]
    return _row(
        f"T{number}-rank-order",
        "index",
        f"表{number} 排名",
        "ranks follow the printed scores (ties share the best rank)",
        f"{len(printed)} scores",
        "0 disagreements",
        _disagreements(printed, off),
        len(off) == 0,
    )


def check_rank_changes(index: pd.DataFrame, level: str) -> list[dict]:
    """Do the printed arrows give a permutation of previous ranks, and agree with the growth rates?"""
    table = next(n for n, m in INDEX_TABLES[check_level(level)].items() if m[0] == "overall")
    prev = previous_year(index)
    size = len(index)
    missing = sorted(set(range(1, size + 1)) - set(prev["prev_rank"]))
    repeated = sorted(prev["prev_rank"][prev["prev_rank"].duplicated()].unique())
    rows = [
        _row(
            f"T{table}-arrows",
            "index",
            f"表{table} 位次变化",
            "previous ranks (rank + arrow) form a permutation of 1..N",
            f"{size} arrows",
            f"each of 1..{size} once",
            f"missing {missing}, repeated {repeated}",
            not missing and not repeated,
        )
    ]
    if "prev_overall" in prev:
        off = prev.index[prev["prev_rank"] != prev["prev_rank_from_value"]]
        rows.append(
            _row(
                f"T{table}-growth-vs-arrows",
                "index",
                f"表{table} 同比增长 vs 位次变化",
                "ranks of overall/(1+growth) equal the previous ranks given by the arrows",
                f"{size} values and growth rates",
                "0 disagreements",
                f"{len(off)} disagreements" + (f": {', '.join(index.loc[off, 'name_zh'])}" if len(off) else ""),
                len(off) == 0,
            )
        )
        lo, hi = prev["prev_overall"].min(), prev["prev_overall"].max()
        rows.append(
            _row(
                f"T{table}-previous-scale",
                "index",
                f"表{table} derived previous index",
                "the derived previous-year index lies on the report's 60–100 scale",
                "overall / (1 + yoy_growth)",
                f"within {SCALE}",
                f"range {lo:.2f}–{hi:.2f}",
                SCALE[0] <= lo and hi <= SCALE[1],
            )
        )
    return rows


def check_bounds(index: pd.DataFrame, level: str, target: str, components: tuple[str, ...]) -> dict:
    """Does ``target`` lie within the range of its components, as any weighted mean must?"""
    check_level(level)
    components = arguments.names(components, "components")
    arguments.columns_of(arguments.frame(index, "index", ["name_zh"]), [target], "target")
    arguments.columns_of(index, components, "components")
    low = index[list(components)].min(axis=1) - ROUNDING
    high = index[list(components)].max(axis=1) + ROUNDING
    outside = index.index[~index[target].between(low, high)]
    found = ", ".join(
        f"{index.at[r, 'name_zh']} {index.at[r, target]:.2f} vs [{low[r] + ROUNDING:.2f}, {high[r] - ROUNDING:.2f}]"
        for r in outside
    )
    return _row(
        f"{level}-{target}-within-components",
        "index",
        f"{level}: {target}",
        f"{target} lies between the smallest and largest of {'/'.join(components)} "
        "(true of every arithmetic, geometric or harmonic weighted mean)",
        f"{len(index)} regions, ±{ROUNDING} rounding",
        "0 regions outside",
        f"{len(outside)} outside" + (f": {found}" if found else ""),
        len(outside) == 0,
    )


# --- chapter 3: the prose against the tables --------------------------------------------------


def check_claims(claims: pd.DataFrame, tables: dict[int, pd.DataFrame], registry: pd.DataFrame) -> list[dict]:
    """Check each prose statement of chapter 3 (claims.csv) against the table it describes."""
    arguments.frame(claims, "claims", ["table", "claim", "region", "section", "quote", "expected"])
    missing = sorted(set(claims["table"]) - set(arguments.mapping(tables, "tables").keys()))
    if missing:
        raise ParameterError(f"tables: no table {missing[0]!r}, which a claim describes")
    arguments.frame(registry, "registry", ["macro_region"])
    rows = []
    for claim_id, c in claims.iterrows():
        table = tables[c["table"]]
        found, ok = _evaluate(c, table, tables, registry)
        rows.append(
            _row(
                claim_id,
                "prose",
                f"表{c['table']} {c['region']}".strip(),
                c["quote"],
                f"{c['claim']} ({c['section']})",
                c["expected"],
                found,
                ok,
            )
        )
    return rows


def _evaluate(c: pd.Series, table: pd.DataFrame, tables: dict, registry: pd.DataFrame):
    kind, expected = c["claim"], c["expected"]
    if kind.startswith("list:"):
        found = ";".join(table.sort_values("rank")[kind.split(":")[1]])
        return found, found == expected
    if kind == "previous_top":
        prev = table.assign(prev=table["rank"] + table["rank_change"]).sort_values("prev")
        found = ";".join(prev["region"].head(3))
        return found, set(found.split(";")) == set(expected.split(";"))
    if kind == "top":
        found = ";".join(table.sort_values("rank")["region"].head(len(expected.split(";"))))
        return found, found == expected
    row = table.loc[table["region"] == c["region"]].iloc[0]
    measure = RANKED_MEASURE[c["table"]]
    if kind == "rank":
        return int(row["rank"]), int(row["rank"]) == int(expected)
    if kind == "value":
        return f"{row[measure]:.2f}", abs(row[measure] - float(expected)) < ROUNDING
    if kind == "rank_up":
        return f"rank change {int(row['rank_change']):+d}", row["rank_change"] > 0
    if kind == "growth_above_median":
        median = table["yoy_growth"].median()
        found = (
            f"growth {row['yoy_growth']:.2%}, rank {int(rank(table['yoy_growth'])[row.name])}"
            f" of {len(table)} (median {median:.2%})"
        )
        return found, row["yoy_growth"] > median
    if kind == "first_in_group":
        groups = expected.split(";")
        macro = registry["macro_region"].reindex(table["region_id"]).to_numpy()
        members = table[pd.Series(macro, index=table.index).isin(groups)].sort_values("rank")
        return f"first of {'+'.join(groups)}: {members['region'].iloc[0]}", members["region"].iloc[0] == c["region"]
    if kind == "weakest_subindex":
        ranks = {m: int(rank(table[m])[row.name]) for m in PEOPLE_COMPONENTS}
        found = ", ".join(f"{m} rank {r}" for m, r in ranks.items())
        return found, ranks[expected] == max(ranks.values())
    raise ValueError(f"claim kind {kind!r}")  # unreachable: the claims schema admits only the kinds above


# --- chapters 1–2: the statistics against each other ------------------------------------------


def _interval(facts: pd.DataFrame, fact_id: str) -> tuple[float, float]:
    """Bounds of a printed value given its printed decimals, in base units."""
    f = facts.loc[fact_id]
    half = 0.5 * 10.0 ** -f["decimals"] * f["value_base"] / f["value"]
    return f["value_base"] - half, f["value_base"] + half


def check_facts(facts: pd.DataFrame, period_tolerance: float = 0.25) -> list[dict]:
    """Cross-checks of chapters 1–2's statistics (shares, growth rates and totals).

    ``period_tolerance`` is the relative gap allowed where a check compares figures of
    different periods (a full year with ten months).
    """
    arguments.number(period_tolerance, "period_tolerance")
    v = arguments.frame(facts, "facts", ["value", "value_base", "decimals"])["value_base"]
    rows = []
    lo = _interval(facts, "F28")[0] / _interval(facts, "F22")[1]
    hi = _interval(facts, "F28")[1] / _interval(facts, "F22")[0]
    share = _interval(facts, "F30")
    rows.append(
        _row(
            "F-share-jan-oct",
            "facts",
            "2023年1-10月 直播电商占网络零售额",
            "live-commerce sales / online retail sales equals the stated share (within printed rounding)",
            "F28 2.2万亿元, F22 12.3万亿元, F30 18%",
            f"{share[0]:.1%}–{share[1]:.1%}",
            f"{lo:.1%}–{hi:.1%}",
            lo <= share[1] and hi >= share[0],
        )
    )
    implied = v["F13"] / v["F15"]
    rows.append(
        _row(
            "F-online-q1-q3",
            "facts",
            "2023年前三季度 网络零售额 (implied)",
            "online retail implied by Q1–Q3 live sales and their share lies between H1 and Jan–Oct",
            "F13/F15; F01; F22",
            f"{v['F01'] / 1e12:.2f}–{v['F22'] / 1e12:.2f} 万亿元",
            f"{implied / 1e12:.2f} 万亿元",
            v["F01"] < implied < v["F22"],
        )
    )
    expected_share = v["F33"] * (1 + v["F29"]) / (1 + v["F23"])
    rows.append(
        _row(
            "F-share-trend",
            "facts",
            "直播电商占网络零售额 2022→2023",
            "the 2022 share grown by live-commerce and online-retail growth gives the 2023 share "
            f"(±{period_tolerance:.0%}: full year 2022 vs Jan–Oct 2023)",
            "F33 25.4% (2022), F29 +58.9%, F23 +11.2%, F30 18% (2023 Jan–Oct)",
            f"{expected_share:.1%}",
            f"{v['F30']:.1%}",
            abs(v["F30"] / expected_share - 1) <= period_tolerance,
        )
    )
    jan_oct_2022 = v["F28"] / (1 + v["F29"])
    rows.append(
        _row(
            "F-volume-2022",
            "facts",
            "直播电商 2022 全年 vs 2022年1-10月 (implied)",
            "Jan–Oct 2022 live-commerce sales implied by 2023's figure and growth are at least half "
            "the stated 2022 full-year volume (Nov–Dec cannot outweigh ten months)",
            "F28 2.2万亿元, F29 +58.9%, F11 34879亿元",
            f"≥ {0.5 * v['F11'] / 1e12:.2f} 万亿元",
            f"{jan_oct_2022 / 1e12:.2f} 万亿元 ({jan_oct_2022 / v['F11']:.0%} of 2022)",
            jan_oct_2022 >= 0.5 * v["F11"],
        )
    )
    online_2022 = (v["F13"] - v["F13"] / (1 + v["F14"])) / v["F16"]
    growth = v["F13"] / v["F15"] / online_2022 - 1
    rows.append(
        _row(
            "F-pull",
            "facts",
            "直播电商拉动网零增速 7.7 个百分点",
            "the online-retail growth implied by the 7.7-point pull is within 2 points of Jan–Oct's",
            "F13, F14, F15, F16; F23 11.2%",
            f"{v['F23']:.1%} ± 2 points",
            f"{growth:.1%}",
            abs(growth - v["F23"]) <= 0.02,
        )
    )
    netizens = v["F08"] / v["F10"]
    rows.append(
        _row(
            "F-users-order",
            "facts",
            "网民 ≥ 网购用户 ≥ 电商直播用户 (2023-06)",
            "internet users implied by the live-commerce users' share exceed online shoppers, "
            "who exceed live-commerce users",
            "F08 5.26亿, F10 48.8%, F03 8.84亿",
            "netizens > 8.84亿 > 5.26亿",
            f"netizens {netizens / 1e8:.2f}亿",
            netizens > v["F03"] > v["F08"],
        )
    )
    half_year = v["F09"] / (v["F08"] - v["F09"])
    rows.append(
        _row(
            "F-users-growth",
            "facts",
            "电商直播用户 growth, H1 2023 vs year on year",
            "growth over 2022-12→2023-06 and year-on-year growth (F38) imply growth in H2 2022",
            "F08, F09, F38 12.5%",
            "",
            f"H1 2023 {half_year:.1%}; implied H2 2022 {(1 + v['F38']) / (1 + half_year) - 1:.1%}",
            None,
        )
    )
    rows.append(
        _row(
            "F-physical-le-online",
            "facts",
            "实物商品网上零售额 ≤ 网上零售额 (2023年1-10月)",
            "physical-goods online retail is part of online retail",
            "F24, F22",
            f"≤ {v['F22'] / 1e12:.1f} 万亿元",
            f"{v['F24'] / 1e12:.1f} 万亿元",
            v["F24"] <= v["F22"],
        )
    )
    retail_jan_oct = v["F24"] / v["F26"]
    rows.append(
        _row(
            "F-retail-pace",
            "facts",
            "社会消费品零售总额 Jan–Oct (implied) vs H1",
            "retail sales implied by physical online retail's share exceed H1 retail sales, "
            f"at a monthly pace within ±{period_tolerance:.0%} of H1's",
            "F24 10.3万亿元, F26 26.7%, F19 227588亿元",
            f"{v['F19'] / 6 * 10 / 1e12:.2f} 万亿元 (H1 pace × 10 months)",
            f"{retail_jan_oct / 1e12:.2f} 万亿元",
            abs(retail_jan_oct / (v["F19"] / 6 * 10) - 1) <= period_tolerance,
        )
    )
    return rows


# --- everything -------------------------------------------------------------------------------


def run(folder: Path | str | None = None) -> pd.DataFrame:
    """Every check of the published data in ``folder`` (default: the bundled report)."""
    rows = []
    for level in LEVELS:
        index = data.load_index(level, folder)
        rows += check_rank_changes(index, level)
        rows.append(check_bounds(index, level, "overall", PILLARS))
        rows.append(check_bounds(index, level, "people", PEOPLE_COMPONENTS))
    tables = {n: data.load_table(n, folder) for n in range(1, 16)}
    rows += [check_rank_order(tables[n], n) for n in sorted(RANKED_MEASURE)]
    registry = data.regions().droplevel("level")
    rows += check_claims(data.load_claims(folder), tables, registry[~registry.index.duplicated()])
    rows += check_facts(data.load_facts(folder))
    return pd.DataFrame(rows, columns=COLUMNS).set_index("check_id")


def check_edition(studies: dict) -> pd.DataFrame:
    """The checks that apply to any edition, on each region set's :class:`~livecommerce.study.study.Study` (by its
    level): ranks follow the scores, and where the study has a previous edition
    (:meth:`~livecommerce.study.study.Study.since`),
    every region's printed rank change is its previous rank less its rank and its growth is value / previous − 1,
    both from the two editions' printed (two-decimal) values, as 表1–3 print them. A region new in this edition has
    neither; regions of the previous edition that this one lacks are named in a note."""
    rows = []
    for level, study in arguments.mapping(studies, "studies").items():
        arguments.instance(study, f"studies[{level!r}]", Study, "a livecommerce Study")
        if level != study.level:
            raise ParameterError(f"studies[{level!r}] is a study of level {study.level!r}")
        table = next(n for n, m in study.index_tables.items() if m[0] == "overall")
        printed = study.table(table).set_index("region_id")
        rows.append(check_rank_order(printed, table))
        if study.previous is not None and "rank_change" in printed:
            rows += _against_previous(study, printed, table)
    return pd.DataFrame(rows, columns=COLUMNS).set_index("check_id")


def _disagreements(printed: pd.DataFrame, ids: pd.Index) -> str:
    return f"{len(ids)} disagreements" + (f": {', '.join(printed.loc[ids, 'region'])}" if len(ids) else "")


def _against_previous(study, printed: pd.DataFrame, table: int) -> list[dict]:
    """表``table``'s rank changes and growth against the previous edition, region by region."""
    previous = study.previous["overall"].round(2)
    both = printed.index.intersection(previous.index)
    expected = rank(previous)[both] - printed.loc[both, "rank"]
    off = both[printed.loc[both, "rank_change"] != expected]
    rows = [
        _row(
            f"T{table}-arrows",
            "index",
            f"表{table} 位次变化",
            "each region's rank change is its rank in the previous edition less its rank in this one",
            f"{len(both)} regions in both editions",
            "0 disagreements",
            _disagreements(printed, off),
            len(off) == 0,
        )
    ]
    if "yoy_growth" in printed:
        growth = printed.loc[both, "overall"] / previous[both] - 1
        off = both[(printed.loc[both, "yoy_growth"] - growth).abs() > 1e-12]
        rows.append(
            _row(
                f"T{table}-growth",
                "index",
                f"表{table} 同比增长",
                "each region's growth is its index over its previous index, less one",
                f"{len(both)} regions in both editions",
                "0 disagreements",
                _disagreements(printed, off),
                len(off) == 0,
            )
        )
    gone = study.gone()
    if len(gone):
        registry = regions(study.level)
        rows.append(
            _row(
                f"T{table}-gone",
                "index",
                f"表{table} 上一版地区",
                "regions of the previous edition that this edition does not have (no rank, growth or change)",
                f"{len(previous)} regions in the previous edition",
                "",
                ", ".join(registry.loc[gone, "name"]),
                None,
            )
        )
    return rows


def summary(checks: pd.DataFrame) -> str:
    """A plain-text account: counts by verdict, then every inconsistency and note."""
    arguments.frame(checks, "checks", ["verdict", "subject", "description", "expected", "found"])
    counts = checks["verdict"].value_counts()
    lines = [
        f"{len(checks)} checks: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in ("consistent", "inconsistent", "note"))
    ]
    for check_id, c in checks[checks["verdict"] != "consistent"].iterrows():
        lines.append(
            f"[{c['verdict']}] {check_id} {c['subject']}: {c['description']}\n"
            f"    expected {c['expected']}; found {c['found']}"
        )
    return "\n".join(lines)
