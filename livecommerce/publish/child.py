"""Work done in a child process while this one writes other files: a script that loads the standard library and
one library only, and prints the bytes of one file (the work is Python, or holds the interpreter while it runs, so
in this process it would wait for the other files and they for it)."""

import subprocess
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

from livecommerce.data.io import atomic_path
from livecommerce.errors import OutputError

__all__ = ["in_child"]


@contextmanager
def in_child(script: str, arguments: list[str], given: bytes, path: Path, what: str):
    """While in it, ``python -P script *arguments`` runs with ``given`` on its standard input (written whole before
    anything printed is read: a few bytes, never more than a pipe holds); as it ends, what it printed is written to
    ``path`` atomically. Gives ``path``. A failed script is an
    :class:`OutputError` naming ``what`` and the script's last line of error; what a script that did not fail
    printed on its standard error, a warning naming ``path``. The child is stopped if the block fails."""
    with tempfile.TemporaryFile() as said:
        child = subprocess.Popen(
            [sys.executable, "-P", script, *arguments], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=said
        )
        try:
            child.stdin.write(given)
            child.stdin.close()
            yield path
            printed = child.stdout.read()
            failed = child.wait() != 0
            said.seek(0)
            lines = said.read().decode("utf-8", errors="replace").strip().splitlines()
            if failed:
                raise OutputError(f"cannot write {path}: {what} failed ({' '.join(lines[-1:]) or child.returncode})")
            if lines:
                warnings.warn(f"{path}: {' '.join(lines)}", stacklevel=3)
            with atomic_path(path) as tmp:
                tmp.write_bytes(printed)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
