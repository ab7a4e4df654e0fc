"""A kernel of a report run: a process that runs the run's notebooks one after another in one Jupyter kernel, and
ends with the runner.

The runner starts it as a script (``python -P process.py RUNNER_PID FOLDER KERNEL``, so that loading it loads
neither the package nor anything beside it) and writes the names of the notebooks to run on its standard input,
one a line; for each, papermill runs ``FOLDER/sources/<name>.ipynb`` into ``FOLDER/notebooks/<name>.ipynb`` with
the run file as its one parameter, in a namespace emptied first (the libraries a notebook imported stay imported:
the next notebook does not pay for them again), and the process answers ``ok`` or ``failed`` on its standard
output. Ctrl-C (SIGINT) stops it whatever it inherited (a shell's background job ignores SIGINT), and it exits as
soon as its runner is gone, even killed by SIGKILL; its kernel, which watches its own parent (ipykernel does),
follows within a second.
"""

import os
import signal
import sys
import threading
import time

__all__ = ["WATCH", "main"]

WATCH = 0.2
"""Seconds between two looks at the runner."""
RESET = "get_ipython().reset(new_session=True)"
"""What empties the kernel's namespace between two notebooks (and numbers the next one's cells from 1)."""


def _watch(runner: int) -> None:
    """Exit the process as soon as its parent is no longer ``runner`` (the runner died; the process was adopted)."""
    while os.getppid() == runner:
        time.sleep(WATCH)
    os._exit(1)


def main(argv: list[str]) -> None:
    """Run the notebooks named on standard input in the folder ``argv[1]`` with kernel ``argv[2]``, while the
    runner ``argv[0]`` (a process id) lives."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=_watch, args=(int(argv[0]),), daemon=True).start()
    folder, kernel = argv[1], argv[2]
    os.chdir(folder)
    import papermill
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name=kernel)
    manager.start_kernel(cwd=folder)
    try:
        for line in sys.stdin:
            name = line.strip()
            client = manager.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                client.execute_interactive(RESET, silent=True, store_history=False, timeout=60)
            finally:
                client.stop_channels()
            try:
                papermill.execute_notebook(
                    os.path.join("sources", f"{name}.ipynb"),
                    os.path.join("notebooks", f"{name}.ipynb"),
                    parameters={"run": "run.json"},
                    kernel_name=kernel,
                    km=manager,
                    progress_bar=False,
                    cwd=folder,
                )
            except papermill.PapermillExecutionError as exc:
                print(f"{name}: {exc}", file=sys.stderr, flush=True)
                print("failed", flush=True)
            else:
                print("ok", flush=True)
    finally:
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main(sys.argv[1:])
