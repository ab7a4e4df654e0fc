"""Provenance: every bundled number and quote is found in the report's own text."""

import re

import pytest

from livecommerce.data import published as data
from livecommerce.vocab import RANKED_MEASURE


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_rows(report_text: str, number: int) -> list[list[str]]:
    """The rows of table ``number`` as the report prints them (tab-separated, after its caption)."""
    lines = report_text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^表\s*{number}\s", line))
    rows = []
    for line in lines[start + 1 :]:
        if re.match(r"^\d+\t", line):
            rows.append(line.split("\t"))
        elif rows:
            return rows
    return rows


def arrow(text: str) -> int:
    text = text.strip()
    return 0 if text == "→" else int(text[1:]) * (1 if text[0] == "↑" else -1)


@pytest.mark.parametrize("number", range(1, 16))
def test_tables_equal_the_report_cell_for_cell(report_text, number):
    table = data.load_table(number)
    rows = printed_rows(report_text, number)
    assert len(rows) == len(table)
    for row, printed in zip(table.itertuples(index=False), rows):
        assert row.rank == int(printed[0])
        if number in (10, 11, 12):
            assert [row.brand, row.shop, row.destination] == printed[1:4]
            continue
        assert row.region == printed[1]
        measures = [m for m in ("people", "activity", "sales", "influence") if number in (4, 5, 6)] or [
            RANKED_MEASURE[number]
        ]
        assert [f"{getattr(row, m):.2f}" for m in measures] == [p.strip() for p in printed[2 : 2 + len(measures)]]
        if number == 1:
            assert f"{row.yoy_growth:.2%}" == printed[3]
        if number in (1, 2, 3):
            assert row.rank_change == arrow(printed[-1])


def test_every_fact_is_quoted_from_the_report(report_text):
    text = squeeze(report_text)
    for fact_id, fact in data.load_facts().iterrows():
        for part in fact["quote"].split("……"):
            assert squeeze(part) in text, fact_id
        printed = f"{fact['value']:.{fact['decimals']}f}"
        assert printed in squeeze(fact["quote"]) or fact_id in ("F04", "F18"), fact_id  # 千亿, 千万 in words


def test_every_claim_is_quoted_from_the_report(report_text):
    text = squeeze(report_text)
    for claim_id, claim in data.load_claims().iterrows():
        for part in claim["quote"].split("……"):
            assert squeeze(part) in text, claim_id


def test_every_trend_is_a_heading_of_chapter_4(report_text):
    chapter = report_text[report_text.index("## 四、未来趋势") :]
    headings = [line.replace("*", "") for line in chapter.splitlines() if line.startswith("#")]
    for row in data.load_trends().itertuples():
        assert any(f"{row.module_zh}—{row.headline}" in h for h in headings), row.Index
        assert any(h.endswith(row.trend) for h in headings), row.Index
    assert "以直播平台 and 中介机构为双中心，以用户、主播、内容和品牌为参与角色" in chapter
