"""SYNTHETIC records: made-up anchors, live sessions, shops and shop sales, seeded, at any size, with locations in
the forms platforms give them (四川成都, 四川省成都市武侯区, IP属地：四川) and a few no region can be read from.
Nothing here is a statistic of the report.

They are not the SYNTHETIC panels' records (:mod:`livecommerce.data.synthetic`): those panels are calibrated to the
report's published scores in a whole platform's units (广东: 40 million sessions, 600,000 anchors), which records of
the default size cannot sum to, and counts scaled down would change their log-transformed scores. The two share the
scheme's tree and columns, not their numbers."""

from pathlib import Path

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.data.regions import regions

__all__ = ["PERIOD", "SEED", "synthetic_records", "write_synthetic_records"]

SEED = 20231
PERIOD = ("2023-01-01", "2023-09-30")
"""The period of the SYNTHETIC records: the report's, 2023年前三季度."""

LABEL = "# SYNTHETIC records made by livecommerce.records.synthetic (seed {seed}); not data of the report"
_UNKNOWN = ("海外", "未知", "")


def _locations(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` locations: a prefecture or city with its province (several written forms), a province alone, or one
    that names no region."""
    registry = regions(None).reset_index()
    provinces = registry[registry["level"] == "province"].set_index("region_id")
    finer = registry[registry["level"] != "province"].drop_duplicates("region_id")
    forms = []
    for row in finer.itertuples():
        province = provinces.loc[row.region_id[:2] + "0000"]
        forms += [f"{province['name']}{row.name}", f"{province['full_name_zh']}{row.full_name_zh}某区某路1号"]
    for _region_id, province in provinces.iterrows():
        forms += [f"IP属地：{province['name']}", province["full_name_zh"]]
    choice = rng.integers(0, len(forms), n)
    located = np.asarray(forms, dtype=object)[choice]
    unknown = rng.random(n) < 0.01
    located[unknown] = np.asarray(_UNKNOWN, dtype=object)[rng.integers(0, len(_UNKNOWN), unknown.sum())]
    return located


def synthetic_records(sessions: int = 3000, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """SYNTHETIC record tables (anchors, sessions, shops, sales) with about ``sessions`` live sessions, one anchor
    per 25 sessions, one shop per 20 and 12 sales rows per shop (each a different day), every row valid. An anchor
    streams from one live room, a tenth of them from two; a shop ships from where it is registered, three in ten
    from somewhere else (drawn from a stream of their own, so that the other columns are what they were before
    rooms and warehouses were added)."""
    sessions = arguments.integer(sessions, "sessions", low=100)
    rng = np.random.default_rng(seed)
    n_anchors, n_shops = max(sessions // 25, 4), max(sessions // 20, 4)
    anchor_ids = np.array([f"A{i:09d}" for i in range(n_anchors)], dtype=object)
    anchors = pd.DataFrame(
        {
            "anchor_id": anchor_ids,
            "location": _locations(rng, n_anchors),
            "fans": rng.lognormal(9, 2, n_anchors).round().astype("int64"),
            "mcn": np.where(
                rng.random(n_anchors) < 0.6,
                [f"MCN{i:05d}" for i in rng.integers(0, max(n_anchors // 20, 2), n_anchors)],
                "",
            ),
            "reputation": rng.uniform(3.0, 5.0, n_anchors).round(2),
        }
    )
    start = pd.Timestamp(PERIOD[0]).value // 10**9
    seconds = pd.Timestamp(PERIOD[1]).value // 10**9 + 86399 - start
    # Active anchors: a quarter of the anchors has no session in the period.
    owners = rng.integers(0, max(n_anchors * 3 // 4, 1), sessions)
    views = rng.lognormal(7, 1.5, sessions).round().astype("int64")
    table = pd.DataFrame(
        {
            "session_id": [f"S{i:010d}" for i in range(sessions)],
            "anchor_id": anchor_ids[owners],
            "start_time": pd.to_datetime(start + rng.integers(0, seconds, sessions), unit="s").strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "gmv": (views * rng.uniform(0.5, 20, sessions)).round(2),
            "views": views,
            "uv": (views * rng.uniform(0.3, 0.9, sessions)).round().astype("int64"),
        }
    )
    shop_ids = np.array([f"P{i:08d}" for i in range(n_shops)], dtype=object)
    shops = pd.DataFrame(
        {
            "shop_id": shop_ids,
            "location": _locations(rng, n_shops),
            "products": rng.integers(1, 500, n_shops),
            "service_score": rng.uniform(3.5, 5.0, n_shops).round(2),
        }
    )
    rows = n_shops * 12
    orders = rng.integers(1, 2000, rows)
    sales = pd.DataFrame({"shop_id": np.repeat(shop_ids, 12), "period": _days(rng, n_shops)})
    sales["units"] = orders + rng.integers(0, 500, rows)
    sales["revenue"] = (orders * rng.uniform(20, 300, rows)).round(2)
    sales["orders"] = orders
    extra = np.random.default_rng([seed, 1])
    rooms = np.where(extra.random(sessions) < 0.5, (extra.random(n_anchors) < 0.1)[owners].astype(int), 0)
    table.insert(2, "room_id", [f"R{o:09d}-{r}" for o, r in zip(owners, rooms)])
    elsewhere = extra.random(n_shops) < 0.3
    shops.insert(2, "warehouse", np.where(elsewhere, _locations(extra, n_shops), shops["location"]))
    return {"anchors": anchors, "sessions": table, "shops": shops, "sales": sales}


def _days(rng: np.random.Generator, shops: int) -> np.ndarray:
    """12 different days of the period per shop, in order (gaps of 1 to 21 days from a day of the first 20)."""
    offsets = rng.integers(0, 20, (shops, 1)) + np.cumsum(rng.integers(1, 22, (shops, 12)), axis=1)
    return (pd.Timestamp(PERIOD[0]) + pd.to_timedelta(offsets.ravel(), unit="D")).strftime("%Y-%m-%d").to_numpy()


def write_synthetic_records(folder, sessions: int = 3000, seed: int = SEED, kind: str = "csv") -> Path:
    """Write SYNTHETIC records into ``folder`` as ``NAME_SYNTHETIC.csv`` (a comment line says SYNTHETIC) or
    ``NAME_SYNTHETIC.parquet``; returns the folder."""
    folder = Path(arguments.path(folder, "folder"))
    arguments.choice(kind, "kind", ("csv", "parquet"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in synthetic_records(sessions, seed).items():
        path = folder / f"{name}_SYNTHETIC.{kind}"
        if kind == "csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(LABEL.format(seed=seed) + "\n")
                frame.to_csv(handle, index=False, lineterminator="\n")
        else:
            _write_parquet(frame, path)
    return folder


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as Parquet through DuckDB (pandas would need pyarrow)."""
    import duckdb

    with duckdb.connect() as connection:
        connection.register("frame", frame)
        connection.execute(f"COPY frame TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
