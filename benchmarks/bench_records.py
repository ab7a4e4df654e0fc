"""Benchmark of indicators from records: DuckDB against pandas on the same Parquet files (make bench). Prints
figures; asserts nothing.

SYNTHETIC records (livecommerce.records.synthetic: one anchor per 25 sessions, one shop per 100, 50 sales rows per
shop; 155 M records at 100 M sessions) are written as Parquet into a temporary folder (or read from ``--folder``
if it holds them). Then, each in a child process:

- DuckDB, under its memory limit: the records read and checked (every bad-row rule) and the report scheme's 14
  record indicators computed at the county level;
- pandas (through pyarrow, the bench extra): the same 14 indicators on the same files, by row groups (a frame of
  every session would not fit), locations attributed once per distinct location as the package does; it checks
  no bad-row rule (the ratio compares DuckDB's checked route with pandas' unchecked one), and its column sums
  are compared with DuckDB's.

The closing line: ``records: N  seconds: S  rows/s: R  pandas ratio: X  peak MB: P`` (DuckDB's seconds and the
peak memory of its whole process; the ratio is pandas' seconds over DuckDB's). ``--queries`` lists each query
DuckDB ran, in order, with its seconds and seconds of CPU (all threads): where the time goes.

    python benchmarks/bench_records.py [--sessions N] [--memory-limit 2GB] [--folder DIR] [--no-pandas] [--queries]
    python benchmarks/bench_records.py --billion     # 1e9 sessions, 4GB, no pandas (about 33 GB of Parquet)
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from livecommerce.records.synthetic import shape, write_synthetic_records

SESSIONS = 100_000_000
MEMORY_LIMIT = "2GB"
LEVEL = "county"

DUCKDB = """
import json, resource, sys, time
from livecommerce.index.scheme import load_scheme
from livecommerce.records.engine import DuckDB
from livecommerce.records.indicators import indicators
from livecommerce.records.read import read_records
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
spent, run = [], DuckDB.query
def timed(self, sql):
    wall, processor = time.perf_counter(), cpu()
    result = run(self, sql)
    spent.append((time.perf_counter() - wall, cpu() - processor, " ".join(sql.split())[:110]))
    return result
DuckDB.query = timed
start = time.perf_counter()
records = read_records(sys.argv[1], ("2023-01-01", "2023-09-30"), memory_limit=sys.argv[2])
checked = time.perf_counter() - start
panel = indicators(records, load_scheme(), sys.argv[3])
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rows": sum(records.rows.values()), "seconds": seconds, "checked": checked,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "peak": usage.ru_maxrss / 1024, "columns": panel.shape[1], "sum": panel.sum().to_dict(),
                  "queries": spent}))
"""


def _pandas(folder: str, level: str) -> None:
    """The 14 indicators of the report scheme in pandas, by Parquet row groups (run in a child process)."""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    from livecommerce.records.attribution import attribute, roll_up

    start = time.perf_counter()
    files = {name: next(Path(folder).glob(f"{name}_*.parquet")) for name in ("anchors", "sessions", "shops", "sales")}
    anchors = pd.read_parquet(files["anchors"])
    shops = pd.read_parquet(files["shops"])
    places = attribute(pd.concat([anchors["location"], shops["location"]])).table["region_id"]
    region = pd.Series([roll_up(c, level) if isinstance(c, str) else None for c in places], index=places.index)
    anchors["region"] = anchors["location"].map(region)
    shops["region"] = shops["location"].map(region)

    def totals(name, owners, key, columns, how):
        """A table's sums by region, by row groups, and which of ``owners`` (anchors, shops) have a row."""
        index, region = pd.Index(owners[key]), owners["region"].to_numpy()
        seen, parts = np.zeros(len(owners), bool), []
        for batch in pq.ParquetFile(files[name]).iter_batches(batch_size=4_000_000, columns=[key, *columns]):
            frame = batch.to_pandas()
            position = index.get_indexer(frame[key])
            seen[position[position >= 0]] = True
            frame["region"] = np.where(position >= 0, region[position], None)
            parts.append(frame.groupby("region").agg(**how))
        return pd.concat(parts).groupby(level=0).sum(), owners[seen]

    sessions, live = totals(
        "sessions",
        anchors,
        "anchor_id",
        ["gmv", "views", "uv"],
        {"n": ("uv", "size"), "gmv": ("gmv", "sum"), "views": ("views", "sum"), "uv": ("uv", "sum")},
    )
    sales, selling = totals(
        "sales",
        shops,
        "shop_id",
        ["units", "revenue", "orders"],
        {"units": ("units", "sum"), "revenue": ("revenue", "sum"), "orders": ("orders", "sum")},
    )
    panel = pd.DataFrame(
        {
            "anchor_count": live.groupby("region").size(),
            "session_count": sessions["n"],
            "mcn_count": live.groupby("region")["mcn"].agg(lambda m: m.replace("", None).nunique()),
            "anchor_gmv": sessions["gmv"],
            "anchor_reputation": anchors.groupby("region")["reputation"].mean(),
            "follower_count": anchors.groupby("region")["fans"].sum(),
            "view_count": sessions["views"],
            "uv_per_session": sessions["uv"] / sessions["n"],
            "shop_sales": sales["revenue"],
            "shop_count": selling.groupby("region").size(),
            "product_count": shops.groupby("region")["products"].sum(),
            "units_sold": sales["units"],
            "order_value": sales["revenue"] / sales["orders"],
            "service_score": shops.groupby("region")["service_score"].mean(),
        }
    )
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": usage.ru_utime + usage.ru_stime,
                "peak": usage.ru_maxrss / 1024,
                "regions": len(panel),
                "sum": panel.sum().to_dict(),
            }
        )
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(args: list[str]) -> dict:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"benchmark child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--memory-limit", default=MEMORY_LIMIT)
    parser.add_argument("--folder", type=Path, help="read (or write, and keep) the Parquet files here")
    parser.add_argument("--no-pandas", action="store_true", help="no pandas baseline (pandas ratio: n/a)")
    parser.add_argument("--billion", action="store_true", help="1e9 sessions within 4GB, no pandas baseline")
    parser.add_argument("--queries", action="store_true", help="each DuckDB query's seconds and seconds of CPU")
    args = parser.parse_args()
    if args.billion:
        args.sessions, args.memory_limit, args.no_pandas = 1_000_000_000, "4GB", True
    folder = args.folder or Path(tempfile.mkdtemp(prefix="livecommerce-bench-records-"))
    try:
        if not any(folder.glob("sessions_SYNTHETIC.parquet")):
            start, cpu = time.perf_counter(), _cpu()
            write_synthetic_records(folder, args.sessions, kind="parquet")
            size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            print(
                f"SYNTHETIC records written: {sum(shape(args.sessions).values()):,} ({args.sessions:,} sessions), "
                f"{size:,.0f} MB of Parquet in {time.perf_counter() - start:.1f} s ({_cpu() - cpu:.1f} s of CPU)"
            )
        print(f"load average before the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        duck = _child(["-c", DUCKDB, str(folder), args.memory_limit, LEVEL])
        print(
            f"DuckDB, memory limit {args.memory_limit}: {duck['columns']} indicators at the {LEVEL} level, every "
            f"bad-row rule checked: {duck['seconds']:.2f} s ({duck['checked']:.2f} s reading and checking, "
            f"{duck['seconds'] - duck['checked']:.2f} s the indicators; {duck['cpu']:.1f} s of CPU), "
            f"peak {duck['peak']:,.0f} MB"
        )
        for wall, cpu, sql in duck["queries"] if args.queries else ():
            print(f"  {wall:6.2f} s ({cpu:6.2f} s of CPU)  {sql}")
        ratio = "n/a"
        if not args.no_pandas:
            panda = _child([__file__, "--pandas-child", str(folder), LEVEL])
            ratio = f"{panda['seconds'] / duck['seconds']:.1f}"
            apart = max(abs(panda["sum"][k] / duck["sum"][k] - 1) for k in duck["sum"] if duck["sum"][k])
            print(
                f"pandas {panda['regions']} regions by row groups, no checks: {panda['seconds']:.2f} s "
                f"({panda['cpu']:.1f} s of CPU), peak {panda['peak']:,.0f} MB; its column sums within {apart:.1e} of "
                "DuckDB's"
            )
        rows, seconds = duck["rows"], duck["seconds"]
        print(
            f"records: {rows:,}  seconds: {seconds:.2f}  rows/s: {rows / seconds:,.0f}  pandas ratio: {ratio}  "
            f"peak MB: {duck['peak']:,.0f}"
        )
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pandas-child"]:
        _pandas(sys.argv[2], sys.argv[3])
    else:
        main()
