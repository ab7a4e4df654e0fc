"""Benchmark of the whole report (make bench): ``livecommerce report`` on the bundled data, as a user runs it. Prints
figures; asserts nothing.

Issue 22's target: the report in 30 s or less on a quiet 2-core machine. Each run is a whole process (the command
line, its kernels and their children, the typesetting) writing into a fresh temporary folder; for each, the wall
time, the processor seconds of all its processes and the memory of the largest one. The machine's load before each
run is printed beside it: on a shared machine the same run can take half as long again, and a figure taken under
load says little. ``python benchmarks/bench_report.py N`` runs it N times (default 3).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3
TARGET = 30.0
"""Seconds (issue 22)."""


def command(folder: Path) -> list[str]:
    """The installed command line if there is one beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("livecommerce")
    start = [str(script)] if script.is_file() else [sys.executable, "-m", "livecommerce"]
    return [*start, "report", "--output-dir", str(folder)]


def run(folder: Path) -> tuple[float, float, float]:
    """Wall seconds, processor seconds (every process of the run: each waits for its own) and the largest process's
    MiB of one report into ``folder``."""
    start = time.perf_counter()
    process = subprocess.Popen(command(folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"the report failed:\n{error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def processor() -> str:
    """The processor's model name (Linux), else the platform's word for it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown"


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    print(f"livecommerce report on the bundled data: {runs} runs, {os.cpu_count()} processors, {processor()}")
    walls = []
    with tempfile.TemporaryDirectory() as scratch:
        for k in range(runs):
            load = os.getloadavg()[0]
            folder = Path(scratch) / f"run{k}"
            wall, cpu, peak = run(folder)
            shutil.rmtree(folder)
            walls.append(wall)
            print(f"  run {k + 1}: {wall:5.1f} s, {cpu:5.1f} processor s, largest process {peak:4.0f} MiB", end="")
            print(f" (load {load:.1f} before)")
    median = statistics.median(walls)
    verdict = "within" if median <= TARGET else "over"
    print(f"median {median:.1f} s ({min(walls):.1f}–{max(walls):.1f}): {verdict} the {TARGET:.0f} s target")
