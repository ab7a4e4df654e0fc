"""Where the package may write, and how: it replaces only what it wrote itself.

An output folder the report runner writes is marked by a manifest (:data:`MANIFEST`) listing every
file in it. A folder may be replaced only if it is empty or holds exactly what its manifest lists;
the checkout, the bundled data, the home folder and any folder holding an input file are refused.
A run holds a lock beside the folder while it writes, and its files are readable by others.
"""

import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from .errors import OutputError
from .paths import PACKAGE, checkout_dir, data_dir, notebooks_dir

MANIFEST = "livecommerce-manifest.json"
"""The file at the root of an output folder listing what the package wrote there."""

STAGING = ".livecommerce-staging"
"""Suffix of a run's staging folder, written beside the output folder and moved into place whole."""


@cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Permissions of a new file under the process's umask (0644 under the usual 022)."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """Permissions of a new folder under the process's umask (0755 under the usual 022)."""
    return 0o777 & ~_umask()


def resolve(path: Path | str) -> Path:
    """``path`` made absolute against the caller's working directory (``~`` expanded)."""
    return Path(path).expanduser().resolve()


def _protected() -> list[tuple[str, Path]]:
    """Folders an output may neither be nor hold; the last four it may not be inside of either."""
    root = checkout_dir()
    places = [("the home folder", Path.home()), ("the livecommerce checkout", root),
              ("the checkout's git folder", root / ".git" if root else None), ("the livecommerce package", PACKAGE),
              ("the bundled data folder", data_dir()), ("the notebooks folder", notebooks_dir())]
    return [(what, place.resolve()) for what, place in places if place is not None]


def check_folder(out: Path | str, inputs=()) -> Path:
    """``out`` resolved, if the runner may replace it; else an :class:`OutputError` naming the reason.

    Refused: an existing file; the home folder, the checkout or a folder holding either; the package,
    its data, its notebooks, the checkout's ``.git`` or a folder inside or holding one of them; a folder
    inside another report folder; a folder holding an input file; a non-empty folder
    without the package's manifest, or with files its manifest does not list; a folder that cannot be
    written.
    """
    out = resolve(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {out} is an existing file")
    for k, (what, place) in enumerate(_protected()):
        if place.is_relative_to(out) or (k >= 2 and out.is_relative_to(place)):
            raise OutputError(f"output folder {out} is, holds or is inside {what} ({place}): "
                              "choose a folder of its own; nothing was changed")
    inside = next((p for p in out.parents if (p / MANIFEST).is_file()), None)
    if inside is not None:
        raise OutputError(f"output folder {out} is inside the report folder {inside}, which the next report run "
                          "there would replace: choose a folder outside it")
    for item in inputs:
        if resolve(item).is_relative_to(out):
            raise OutputError(f"output folder {out} holds the input file {resolve(item)}: choose another folder")
    if out.is_dir():
        _check_owned(out)
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputError(f"output folder {out} is read-only")
    parent = next(p for p in out.parents if p.exists())
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {parent} (read-only, or not a folder), where output folder {out} goes")
    return out


def _check_owned(out: Path) -> None:
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if not p.is_dir()}
    if not present:
        return
    manifest = out / MANIFEST
    if not manifest.is_file():
        raise OutputError(f"output folder {out} is not empty and was not written by livecommerce "
                          f"(it has no {MANIFEST}): choose a new or empty folder; nothing was changed")
    try:
        listed = set(json.loads(manifest.read_text(encoding="utf-8"))["files"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise OutputError(f"{manifest} is not a livecommerce manifest: choose another output folder") from None
    foreign = sorted(present - listed - {MANIFEST})
    if foreign:
        raise OutputError(f"output folder {out} holds {foreign[0]}, which livecommerce did not write: "
                          "move it away or choose another folder; nothing was changed")


def write_manifest(folder: Path) -> None:
    """List every file under ``folder`` in its manifest (sorted: same files, same bytes)."""
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())
    text = json.dumps({"written_by": "livecommerce", "files": files}, ensure_ascii=False, indent=1) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    (folder / MANIFEST).chmod(file_mode())


@contextmanager
def lock(out: Path):
    """Hold ``out``'s lock (a file beside it) while the body runs; refuse if another run holds it."""
    path = out.parent / f".{out.name}.livecommerce-lock"
    busy = OutputError(f"output folder {out} is being written by another livecommerce run (it holds {path}): "
                       "wait until it ends, or choose another folder")
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, file_mode())
    except OSError as exc:
        raise OutputError(f"cannot create the lock {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if not path.exists() or os.stat(path).st_ino != os.fstat(fd).st_ino:  # released and removed meanwhile
            raise BlockingIOError
    except BlockingIOError:
        os.close(fd)
        raise busy from None
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def staging_folder(out: Path) -> Path:
    """A new, empty staging folder beside ``out``; stale ones of killed runs (the lock is held) are removed."""
    for stale in out.parent.glob(f".{out.name}.*{STAGING}"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=STAGING, dir=out.parent))
    staging.chmod(folder_mode())
    return staging


def replace(staging: Path, out: Path) -> None:
    """Swap the complete ``staging`` folder in for ``out`` (checked again: it may have changed meanwhile)."""
    check_folder(out)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", suffix=STAGING, dir=out.parent))
        old.rmdir()
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check_file(path: Path | str, inputs=(), overwrite: bool = False) -> Path:
    """``path`` resolved, if a command may write a file there; else an :class:`OutputError`.

    Never an input file or a bundled data file; an existing file only with ``overwrite``.
    """
    target = resolve(path)
    if target.is_dir():
        raise OutputError(f"output {target} is a folder: give a file name")
    for item in inputs:
        if item is not None and resolve(item) == target:
            raise OutputError(f"output {target} is an input of this command: choose another file")
    if target.is_relative_to(data_dir().resolve()) and target.exists():
        raise OutputError(f"output {target} is a bundled data file: choose another file")
    if target.exists() and not overwrite:
        raise OutputError(f"output {target} exists: give --overwrite to replace it, or choose another file")
    return target
