"""Benchmark of indicators from records on DuckDB (make bench). Prints figures; asserts nothing.

SYNTHETIC records (livecommerce.records.synthetic: one anchor per 25 sessions, one shop per 20, 12 sales rows per
shop) written as Parquet into a temporary folder, then, in a child process under DuckDB's memory limit, read and
checked (every bad-row rule) and the report scheme's 14 record indicators computed at the prefecture level: the
seconds of that route, records per second and the child's peak memory. No pandas baseline: pandas reads Parquet
only through pyarrow or fastparquet, which the locked environment does not have.

    python benchmarks/bench_records.py [SESSIONS] [MEMORY_LIMIT]      # default 10,000,000 and 2GB
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from livecommerce.records.synthetic import write_synthetic_records

SESSIONS = 10_000_000
MEMORY_LIMIT = "2GB"

CHILD = """
import resource, sys, time
from livecommerce.index.scheme import load_scheme
from livecommerce.records.indicators import indicators
from livecommerce.records.read import read_records
start = time.perf_counter()
records = read_records(sys.argv[1], ("2023-01-01", "2023-09-30"), memory_limit=sys.argv[2])
panel = indicators(records, load_scheme(), "prefecture")
seconds = time.perf_counter() - start
print(sum(records.rows.values()), seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, panel.shape[1])
"""


def main(sessions: int = SESSIONS, memory_limit: str = MEMORY_LIMIT) -> None:
    with tempfile.TemporaryDirectory(prefix="livecommerce-bench-records-") as folder:
        start = time.perf_counter()
        write_synthetic_records(Path(folder), sessions, kind="parquet")
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
        took = time.perf_counter() - start
        print(f"SYNTHETIC records written: {sessions:,} sessions, {size:,.0f} MB of Parquet in {took:.1f} s")
        result = subprocess.run(
            [sys.executable, "-c", CHILD, folder, memory_limit], capture_output=True, text=True, check=True
        )
        rows, seconds, peak, columns = result.stdout.splitlines()[-1].split()
        rows, seconds, peak = int(rows), float(seconds), float(peak)
        print(f"DuckDB, memory limit {memory_limit}: {columns} indicators at the prefecture level")
        rate = rows / seconds
        print(
            f"records: {rows:,}  seconds: {seconds:.2f}  rows/s: {rate:,.0f}  pandas ratio: n/a  peak MB: {peak:,.0f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else SESSIONS, sys.argv[2] if len(sys.argv) > 2 else MEMORY_LIMIT)
