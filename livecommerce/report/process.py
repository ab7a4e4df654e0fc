"""One notebook of a report run: papermill's command line in a process that ends with the runner.

The runner starts it as a script (``python -P notebook_process.py RUNNER_PID PAPERMILL_ARGUMENTS…``, so that
loading it loads neither the package nor anything beside it). Ctrl-C (SIGINT) stops it whatever it inherited
(a shell's background job ignores SIGINT), and it exits as soon as its runner is gone, even killed by SIGKILL;
its kernel, which watches its own parent (ipykernel does), follows within a second.
"""

import os
import signal
import sys
import threading
import time

__all__ = ["WATCH", "main"]

WATCH = 0.2
"""Seconds between two looks at the runner."""


def _watch(runner: int) -> None:
    """Exit the process as soon as its parent is no longer ``runner`` (the runner died; the process was adopted)."""
    while os.getppid() == runner:
        time.sleep(WATCH)
    os._exit(1)


def main(argv: list[str]) -> None:
    """Run papermill's command line on ``argv[1:]`` while the runner ``argv[0]`` (a process id) lives."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=_watch, args=(int(argv[0]),), daemon=True).start()
    from papermill.cli import papermill

    papermill.main(args=argv[1:], prog_name="papermill")


if __name__ == "__main__":
    main(sys.argv[1:])
