"""The record tables a data firm exports: their columns, types, the Chinese names accepted for each, and the rules
a row must pass. Plain data, read by :mod:`livecommerce.records.engine`.

A records folder holds each table as ``NAME.csv``, ``NAME.parquet`` or a folder ``NAME/`` of parts (CSV or
Parquet); ``anchors`` and ``sessions`` for the 主播类 indicators, ``shops`` and ``sales`` for the 供货类 ones. A
session's ``room_id`` (its live room, 直播间) and a shop's ``warehouse`` (where it ships from, 发货地; its
``location`` is where it is registered) are optional: the venue indicator 直播间数量 and the shop variant by
warehouse need them."""

from dataclasses import dataclass

__all__ = ["RULES", "TABLES", "Column", "Table"]

RULES = {
    "missing": "a required value is empty",
    "not_numeric": "a number column holds text",
    "negative": "a count or amount is negative",
    "bad_date": "a date or time cannot be read",
    "outside_period": "a date or time lies outside the period",
    "duplicate": "the row's id (a sale's shop and date) is another row's too: every such row is bad",
    "unknown_reference": "the row names an anchor or shop the other table lacks",
}
"""Each bad-row rule, by name, with what it catches (counted per file and rule)."""


@dataclass(frozen=True)
class Column:
    """One column: its name, type (``id``, ``text``, ``count``, ``amount``, ``score``, ``time``, ``date``), the
    Chinese (and other) headers accepted for it, and whether a value is required."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Table:
    """One record table: its columns, the columns that identify a row, the column naming a row of another table
    (with that table), and the date or time column the period bounds."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    reference: tuple[str, str] | None = None  # (column, table)
    period_column: str | None = None


TABLES = {
    table.name: table
    for table in (
        Table(
            "anchors",
            (
                Column("anchor_id", "id", ("主播ID", "主播id", "达人ID", "账号ID")),
                Column("location", "text", ("所在地", "主播所在地", "地区", "IP属地", "地域"), required=False),
                Column("fans", "count", ("粉丝数", "粉丝量", "粉丝总数")),
                Column("mcn", "text", ("MCN", "MCN机构", "所属MCN", "机构名称"), required=False),
                Column("reputation", "score", ("带货口碑", "带货口碑分", "口碑分"), required=False),
            ),
            key=("anchor_id",),
        ),
        Table(
            "sessions",
            (
                Column("session_id", "id", ("直播ID", "场次ID", "直播间场次ID")),
                Column("anchor_id", "id", ("主播ID", "主播id", "达人ID", "账号ID")),
                Column("room_id", "id", ("直播间ID", "直播间id", "房间ID"), required=False),
                Column("start_time", "time", ("开播时间", "开始时间", "直播开始时间")),
                Column("gmv", "amount", ("GMV", "销售额", "成交额", "带货销售额")),
                Column("views", "count", ("观看人次", "累计观看人次", "观看次数")),
                Column("uv", "count", ("UV", "观看人数", "场观UV", "独立访客数")),
            ),
            key=("session_id",),
            reference=("anchor_id", "anchors"),
            period_column="start_time",
        ),
        Table(
            "shops",
            (
                Column("shop_id", "id", ("店铺ID", "店铺id", "商家ID")),
                Column("location", "text", ("所在地", "店铺所在地", "注册地", "地区"), required=False),
                Column("warehouse", "text", ("发货地", "仓库所在地", "仓库地址"), required=False),
                Column("products", "count", ("商品数", "产品数", "在售商品数")),
                Column("service_score", "score", ("服务评分", "店铺服务分", "服务分"), required=False),
            ),
            key=("shop_id",),
        ),
        Table(
            "sales",
            (
                Column("shop_id", "id", ("店铺ID", "店铺id", "商家ID")),
                Column("period", "date", ("日期", "统计日期", "统计周期", "周期")),
                Column("units", "count", ("销量", "商品销量", "销售件数")),
                Column("revenue", "amount", ("销售额", "成交额", "GMV")),
                Column("orders", "count", ("订单数", "订单量", "成交订单数")),
            ),
            key=("shop_id", "period"),
            reference=("shop_id", "shops"),
            period_column="period",
        ),
    )
}
"""The four record tables, by name."""
