"""SYNTHETIC records: made-up anchors, live sessions, shops and shop sales, seeded, at any size, with locations in
the forms platforms give them (四川成都, 四川省成都市武侯区, IP属地：四川) and a few no region can be read from.
Nothing here is a statistic of the report.

They are not the SYNTHETIC panels' records (:mod:`livecommerce.data.synthetic`), and no records could be: each
level's panel is calibrated on its own to that level's published scores, so 四川 in the province panel (413,815
anchors) is not the sum of Sichuan's prefectures in the prefecture panel (566,753), and the panels count in a whole
platform's units (广东: 40 million sessions). The two share the scheme's tree and columns, not their numbers.

The rows are made in DuckDB from ``range()``: each value is a function of the row's number, the seed and the column
(a hash turned into a uniform, a normal by Box–Muller), so a table of any size streams to its file in bounded memory
on every core, and the same seed writes the same files byte for byte."""

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.regions import divisions

__all__ = ["PERIOD", "SEED", "shape", "synthetic_records", "write_synthetic_records"]

SEED = 20231
PERIOD = ("2023-01-01", "2023-09-30")
"""The period of the SYNTHETIC records: the report's, 2023年前三季度."""

LABEL = "# SYNTHETIC records made by livecommerce.records.synthetic (seed {seed}); not data of the report"
_UNKNOWN = ("海外", "未知", "")
_SALES_PER_SHOP = 50
_DAYS = 273  # 2023-01-01 to 2023-09-30
_SECONDS = _DAYS * 86400


def shape(sessions: int) -> dict[str, int]:
    """The rows of each table for ``sessions`` live sessions: one anchor per 25 sessions (at least 4), one shop
    per 100 (at least 100, so that a small set has shops in most provinces) and 50 sales rows per shop: 155 M
    records at 100 M sessions."""
    anchors, shops = max(sessions // 25, 4), max(sessions // 100, 100)
    return {"anchors": anchors, "sessions": sessions, "shops": shops, "sales": shops * _SALES_PER_SHOP}


def _locations() -> list[str]:
    """The location forms drawn from, one or two per division of the national registry: a county with its
    province and prefecture (四川省成都市武侯区), a prefecture with its province (四川成都) or as an address down to
    the prefecture (四川省成都市某区某路1号), a province (IP属地：四川, 四川省)."""
    registry = divisions()
    full = registry["full_name_zh"]
    forms = []
    for row in registry.itertuples():
        if row.division == "county":
            middle = full[row.prefecture_id] if row.prefecture_id not in ("", row.province_id) else ""
            forms.append(f"{full[row.province_id]}{middle}{row.full_name_zh}")
        elif row.division == "prefectural":
            province = registry.loc[row.province_id]
            forms += [f"{province['name']}{row.name}", f"{province['full_name_zh']}{row.full_name_zh}某区某路1号"]
        else:
            forms += [f"IP属地：{row.name}", row.full_name_zh]
    return forms


def _queries(sessions: int, seed: int) -> dict[str, str]:
    """Each table's SELECT over ``range()``: typed columns (a timestamp, a date, integers and doubles)."""
    n = shape(sessions)
    forms = _locations()
    places = "[" + ", ".join(_text(f) for f in forms) + "]"
    unknown = "[" + ", ".join(_text(f) for f in _UNKNOWN) + "]"

    def u(column: str) -> str:  # a uniform in (0, 1) of the row and column
        return f"(((hash(i, {seed}, '{column}') >> 11)::DOUBLE + 0.5) / 9007199254740992.0)"

    def normal(column: str) -> str:
        return f"(sqrt(-2 * ln({u(column + '1')})) * cos(2 * pi() * {u(column + '2')}))"

    def pick(column: str, k: int) -> str:  # an integer in [0, k)
        return f"(hash(i, {seed}, '{column}') % {k})::BIGINT"

    def location(table: str) -> str:
        return (
            f"CASE WHEN {u(table + 'unknown')} < 0.01 THEN {unknown}[{pick(table + 'which', len(_UNKNOWN))} + 1] "
            f"ELSE {places}[{pick(table + 'location', len(forms))} + 1] END"
        )

    owners = max(n["anchors"] * 3 // 4, 1)  # a quarter of the anchors has no session in the period
    views = f"round(exp(7 + 1.5 * {normal('views')}))"
    orders = f"(1 + {pick('orders', 1999)})"
    first = f"DATE '{PERIOD[0]}'"
    return {
        "anchors": (
            "SELECT 'A' || lpad(i::VARCHAR, 9, '0') AS anchor_id, "
            f"{location('anchor')} AS location, "
            f"round(exp(9 + 2 * {normal('fans')}))::BIGINT AS fans, "
            f"CASE WHEN {u('has_mcn')} < 0.6 THEN 'MCN' || lpad({pick('mcn', max(n['anchors'] // 20, 2))}::VARCHAR, "
            "5, '0') ELSE '' END AS mcn, "
            f"round(3 + 2 * {u('reputation')}, 2) AS reputation "
            f"FROM range({n['anchors']}) t(i)"
        ),
        # An anchor streams from one live room, a tenth of the anchors from two (each session either).
        "sessions": (
            "SELECT 'S' || lpad(i::VARCHAR, 10, '0') AS session_id, "
            "'A' || lpad(a::VARCHAR, 9, '0') AS anchor_id, "
            f"'R' || lpad(a::VARCHAR, 9, '0') || '-' || CASE WHEN hash(a, {seed}, 'rooms') % 10 = 0 "
            f"AND {u('room')} < 0.5 THEN '1' ELSE '0' END AS room_id, "
            f"{first}::TIMESTAMP + to_seconds({pick('start', _SECONDS)}) AS start_time, "
            f"round(v * (0.5 + 19.5 * {u('gmv')}), 2) AS gmv, v::BIGINT AS views, "
            f"round(v * (0.3 + 0.6 * {u('uv')}))::BIGINT AS uv "
            f"FROM (SELECT i, {pick('anchor', owners)} AS a, {views} AS v FROM range({n['sessions']}) t(i))"
        ),
        # A shop ships from where it is registered, three in ten from somewhere else.
        "shops": (
            "SELECT 'P' || lpad(i::VARCHAR, 8, '0') AS shop_id, place AS location, "
            f"CASE WHEN {u('elsewhere')} < 0.3 THEN {location('warehouse')} ELSE place END AS warehouse, "
            f"1 + {pick('products', 499)} AS products, "
            f"round(3.5 + 1.5 * {u('service')}, 2) AS service_score "
            f"FROM (SELECT i, {location('shop')} AS place FROM range({n['shops']}) t(i))"
        ),
        # 50 different days of the period per shop, in order: every fifth day from the shop's first (one of the
        # first 23), moved on by 0 to 4 days.
        "sales": (
            f"SELECT 'P' || lpad((i // {_SALES_PER_SHOP})::VARCHAR, 8, '0') AS shop_id, "
            f"{first} + ((i % {_SALES_PER_SHOP}) * 5 + {pick('day', 5)} "
            f"+ (hash(i // {_SALES_PER_SHOP}, {seed}, 'first') % 23)::BIGINT)::INTEGER AS period, "
            f"o + {pick('units', 500)} AS units, "
            f"round(o * (20 + 280 * {u('revenue')}), 2) AS revenue, o AS orders "
            f"FROM (SELECT i, {orders} AS o FROM range({n['sales']}) t(i))"
        ),
    }


def _connection(threads: int | None = None):
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    if threads is not None:
        connection.execute(f"SET threads = {threads}")
    return connection


def synthetic_records(sessions: int = 3000, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """SYNTHETIC record tables (anchors, sessions, shops, sales) as pandas frames, every row valid; rows per
    table by :func:`shape`. For a large set, :func:`write_synthetic_records` streams to files instead."""
    sessions = arguments.integer(sessions, "sessions", low=100)
    seed = arguments.integer(seed, "seed", low=0)
    with _connection() as connection:
        return {name: connection.execute(query).fetchdf() for name, query in _queries(sessions, seed).items()}


def write_synthetic_records(folder, sessions: int = 3000, seed: int = SEED, kind: str = "csv") -> Path:
    """Write SYNTHETIC records into ``folder`` as ``NAME_SYNTHETIC.csv`` (a comment line says SYNTHETIC) or
    ``NAME_SYNTHETIC.parquet`` (typed columns; the file's metadata says SYNTHETIC); returns the folder. Any size:
    the rows stream from DuckDB to the files."""
    folder = Path(arguments.path(folder, "folder"))
    arguments.choice(kind, "kind", ("csv", "parquet"))
    sessions = arguments.integer(sessions, "sessions", low=100)
    seed = arguments.integer(seed, "seed", low=0)
    folder.mkdir(parents=True, exist_ok=True)
    label = LABEL.format(seed=seed)
    with _connection() as connection:
        # A file's rows in the order of range(), whatever the threads: the same seed, the same bytes.
        connection.execute("SET preserve_insertion_order = true")
        for name, query in _queries(sessions, seed).items():
            path = folder / f"{name}_SYNTHETIC.{kind}"
            if kind == "parquet":
                connection.execute(
                    f"COPY ({query}) TO {_text(str(path))} (FORMAT parquet, "
                    f"KV_METADATA {{synthetic: {_text(label[2:])}}})"
                )
                continue
            with tempfile.TemporaryDirectory(dir=folder) as temporary:
                body = Path(temporary) / "body.csv"
                connection.execute(f"COPY ({query}) TO {_text(str(body))} (FORMAT csv, HEADER true, QUOTE '\"')")
                with path.open("wb") as handle, body.open("rb") as rows:
                    handle.write((label + "\n").encode("utf-8"))
                    shutil.copyfileobj(rows, handle, 2**20)
    return folder


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as Parquet through DuckDB (pandas would need pyarrow)."""
    with _connection() as connection:
        connection.register("frame", frame)
        connection.execute(f"COPY frame TO {_text(str(path))} (FORMAT parquet)")


def _text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
