"""Benchmark of the whole report (make bench): ``livecommerce report`` on the bundled data, as a user runs it. Prints
figures; asserts nothing.

Issue 22's target: the report in 30 s or less on a quiet 2-core machine. Each run is a whole process (the command
line, its kernels and their children, the typesetting) writing into a fresh temporary folder; for each, the wall
time, the processor seconds of all its processes, the memory of the largest one, and the processor seconds the
machine spent on other work meanwhile (Linux's ``/proc/stat``): on a shared machine the same run can take half as
long again, and a figure taken while others work says little. ``python benchmarks/bench_report.py N`` runs it N
times (default 3).
"""

import os
import platform
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


def busy() -> float | None:
    """Processor seconds the machine has been busy since it started, or None off Linux: every process's, and what a
    virtual machine's host took for others (steal)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = sum(fields[3:5])  # idle, waiting for input or output
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # user to steal; guests are counted in user


def run(folder: Path) -> tuple[float, float, float, float | None]:
    """Wall seconds, processor seconds (every process of the run: each waits for its own), the largest process's
    MiB, and other work's processor seconds meanwhile (None off Linux), of one report into ``folder``."""
    before = busy()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as said:  # a file, not a pipe: a pipe left unread would stop a run that says much
        process = subprocess.Popen(command(folder), stdout=subprocess.DEVNULL, stderr=said)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        if process.returncode != 0:
            said.seek(0)
            sys.exit(f"the report failed:\n{said.read().decode(errors='replace')}")
    cpu = usage.ru_utime + usage.ru_stime
    after = busy()
    others = None if before is None or after is None else max(0.0, after - before - cpu)
    return wall, cpu, usage.ru_maxrss / 1024, others  # ru_maxrss: KiB on Linux


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    if runs < 1:
        sys.exit(f"runs={runs}: give 1 or more")
    model = platform.processor() or platform.machine()
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        model = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"livecommerce report on the bundled data: {runs} runs, {os.cpu_count()} processors, {model}", flush=True)
    walls = []
    with tempfile.TemporaryDirectory() as scratch:
        for k in range(runs):
            folder = Path(scratch) / f"run{k}"
            wall, cpu, peak, others = run(folder)
            shutil.rmtree(folder)
            walls.append(wall)
            elsewhere = "" if others is None else f"; other work meanwhile {others:.1f} processor s"
            print(f"  run {k + 1}: {wall:5.1f} s, {cpu:5.1f} processor s, largest process {peak:4.0f} MiB{elsewhere}")
    median = statistics.median(walls)
    verdict = "within" if median <= TARGET else "over"
    print(f"median {median:.1f} s ({min(walls):.1f}–{max(walls):.1f}): {verdict} the {TARGET:.0f} s target", flush=True)
