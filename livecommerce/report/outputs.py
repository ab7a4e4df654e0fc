"""Where the package may write, and how: it replaces only what it wrote itself.

An output folder the report runner writes is marked by a manifest (:data:`MANIFEST`) listing every
file in it. A folder may be replaced only if it is empty or holds exactly what its manifest lists (and the
folders holding them); the checkout, the bundled data, the home folder and any folder holding an input file
are refused, and so is a symbolic link anywhere in it: the package never writes, replaces or deletes through
a link. A run holds a lock beside the folder while it writes, and its files are readable by others.
"""

import fcntl
import json
import os
import re
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from livecommerce.data.io import atomic_path, file_mode, folder_mode, refuse_links
from livecommerce.data.paths import PACKAGE, checkout_dir, data_dir, notebooks_dir
from livecommerce.errors import OutputError

__all__ = [
    "MANIFEST",
    "STAGING",
    "TOKEN",
    "add_to_manifest",
    "check_copies",
    "check_file",
    "check_folder",
    "lock",
    "replace",
    "resolve",
    "staging_folder",
    "write_manifest",
]

MANIFEST = "livecommerce-manifest.json"
"""The file at the root of an output folder listing what the package wrote there."""

STAGING = ".livecommerce-staging"
"""Suffix of a run's staging folder, written beside the output folder and moved into place whole."""

TOKEN = 16
"""Hexadecimal digits of the random part of a staging folder's name (:func:`_hidden_folder`)."""


def resolve(path: Path | str) -> Path:
    """``path`` made absolute against the caller's working directory (``~`` expanded)."""
    return Path(path).expanduser().resolve()


def _protected() -> list[tuple[str, Path, bool]]:
    """Folders an output may neither be nor hold, each with whether it is sealed (nothing is written inside it
    either): the home folder and the checkout are not; ``.git``, the package, its data and notebooks are."""
    root = checkout_dir()
    places = [
        ("the home folder", Path.home(), False),
        ("the livecommerce checkout", root, False),
        ("the checkout's git folder", root / ".git" if root else None, True),
        ("the livecommerce package", PACKAGE, True),
        ("the bundled data folder", data_dir(), True),
        ("the notebooks folder", notebooks_dir(), True),
    ]
    return [(what, place.resolve(), sealed) for what, place, sealed in places if place is not None]


def check_folder(out: Path | str, inputs=()) -> Path:
    """``out`` resolved, if the runner may replace it; else an :class:`OutputError` naming the reason.

    Refused: an existing file; the home folder, the checkout or a folder holding either; the package,
    its data, its notebooks, the checkout's ``.git`` or a folder inside or holding one of them; a folder
    inside another report folder; a folder holding an input file; a folder holding a symbolic link; a
    non-empty folder without the package's manifest, or with files or empty folders its manifest does not list;
    a folder that cannot be written.
    """
    out = resolve(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {out} is an existing file")
    for what, place, sealed in _protected():
        if place.is_relative_to(out) or (sealed and out.is_relative_to(place)):
            raise OutputError(
                f"output folder {out} is, holds or is inside {what} ({place}): "
                "choose a folder of its own; nothing was changed"
            )
    inside = next((p for p in out.parents if (p / MANIFEST).is_file()), None)
    if inside is not None:
        raise OutputError(
            f"output folder {out} is inside the report folder {inside}, which the next report run "
            "there would replace: choose a folder outside it"
        )
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


def _entries(folder: Path) -> list[Path]:
    """Every file, folder and symbolic link under ``folder``, without following a link."""
    return [Path(parent, name) for parent, folders, files in os.walk(folder) for name in folders + files]


def _check_owned(out: Path) -> None:
    """Refuse ``out`` unless it is empty or holds only regular files its manifest lists, and the folders holding
    them: a link, an unlisted file or an unlisted folder (empty or not) would be deleted with it."""
    entries = _entries(out)
    for entry in entries:
        refuse_links(entry)
    if not entries:
        return
    if not (out / MANIFEST).is_file():
        raise OutputError(
            f"output folder {out} is not empty and was not written by livecommerce "
            f"(it has no {MANIFEST}): choose a new or empty folder; nothing was changed"
        )
    files = _listed(out) | {MANIFEST}
    folders = {parent.as_posix() for name in files for parent in PurePosixPath(name).parents}

    def written(entry: Path) -> bool:
        name = entry.relative_to(out).as_posix()
        return name in folders if entry.is_dir() else entry.is_file() and name in files

    foreign = sorted(entry.relative_to(out).as_posix() for entry in entries if not written(entry))
    if foreign:
        raise OutputError(
            f"output folder {out} holds {foreign[0]}, which livecommerce did not write: "
            "move it away or choose another folder; nothing was changed"
        )


def write_manifest(folder: Path, files=None) -> None:
    """List ``files`` (by default every file under ``folder``) in its manifest, sorted: same files, same bytes."""
    if files is None:
        files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir() and p.name != MANIFEST]
    text = json.dumps({"written_by": "livecommerce", "files": sorted(files)}, ensure_ascii=False, indent=1) + "\n"
    with atomic_path(folder / MANIFEST) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextmanager
def lock(out: Path):
    """Hold ``out``'s lock (a file beside it, never a symbolic link) while the body runs; refuse if another run
    holds it."""
    path = refuse_links(out.parent / f".{out.name}.livecommerce-lock")
    busy = OutputError(
        f"output folder {out} is being written by another livecommerce run (it holds {path}): "
        "wait until it ends, or choose another folder"
    )
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, file_mode())
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


def _hidden_folder(out: Path) -> Path:
    """A new name beside ``out`` for a folder of its run (staging, or the previous output being replaced):
    ``.<out's name>.<TOKEN hexadecimal digits>.livecommerce-staging``."""
    return out.parent / f".{out.name}.{secrets.token_hex(TOKEN // 2)}{STAGING}"


def _is_hidden_folder(entry: Path, out: Path) -> bool:
    """Whether ``entry`` is named as :func:`_hidden_folder` names ``out``'s, exactly: not a sibling's (the staging
    folder of ``report.v2`` also starts with ``.report.``)."""
    pattern = rf"\.{re.escape(out.name)}\.[0-9a-f]{{{TOKEN}}}{re.escape(STAGING)}"
    return re.fullmatch(pattern, entry.name) is not None


def staging_folder(out: Path) -> Path:
    """A new, empty staging folder beside ``out``; stale ones of killed runs into ``out`` (its lock is held) are
    removed, and only those."""
    for stale in out.parent.iterdir():
        if _is_hidden_folder(stale, out):
            shutil.rmtree(stale, ignore_errors=True)
    staging = _hidden_folder(out)
    staging.mkdir(mode=folder_mode())
    return staging


def replace(staging: Path, out: Path) -> None:
    """Swap the complete ``staging`` folder in for ``out`` (checked again: it may have changed meanwhile).

    Two renames: the caller holds SIGINT and SIGTERM around it (:func:`livecommerce.report.runner.run`), so that an
    interrupt never lands between them, when ``out`` is gone.
    """
    check_folder(out)
    old = None
    if out.exists():
        old = _hidden_folder(out)
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _inside_protected(target: Path) -> str | None:
    """What sealed folder ``target`` lies in (the package, its data or notebooks, ``.git``), if any."""
    return next(
        (f"{what} ({place})" for what, place, sealed in _protected() if sealed and target.is_relative_to(place)), None
    )


def check_file(path: Path | str, inputs=(), overwrite: bool = False) -> Path:
    """``path`` resolved, if a command may write a file there; else an :class:`OutputError`.

    Never an input file, nor anything inside the package, its data or notebooks or the checkout's
    ``.git``; an existing file only with ``overwrite``.
    """
    if str(path).endswith(("/", os.sep)):
        raise OutputError(f"output {path} names a folder: give a file name")
    refuse_links(Path(path).expanduser())
    target = resolve(path)
    if target.is_dir():
        raise OutputError(f"output {target} is a folder: give a file name")
    for item in inputs:
        if item is not None and resolve(item) == target:
            raise OutputError(f"output {target} is an input of this command: choose another file")
    protected = _inside_protected(target)
    if protected:
        raise OutputError(f"output {target} is inside {protected}: choose a file elsewhere")
    if target.exists() and not overwrite:
        raise OutputError(f"output {target} exists: give --overwrite to replace it, or choose another file")
    return target


def check_copies(folder: Path | str, out: Path) -> Path:
    """``folder`` resolved, if the runner may copy figures into it (adding files, and replacing only those it
    copied before, as the folder's manifest lists); else an :class:`OutputError`. Hidden files are ignored; a
    symbolic link is refused."""
    folder = resolve(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"figures folder {folder} is an existing file")
    protected = _inside_protected(folder)
    if protected or folder == Path.home().resolve():
        raise OutputError(f"figures folder {folder} is inside {protected or 'the home folder'}: choose another")
    if folder.is_relative_to(out) or any((p / MANIFEST).is_file() for p in folder.parents):
        raise OutputError(
            f"figures folder {folder} is inside a report folder, which a report run replaces: "
            "choose a folder outside it"
        )
    if folder.is_dir():
        shown = [p for p in folder.iterdir() if not p.name.startswith(".")]
        for entry in shown:
            refuse_links(entry)
        files = _listed(folder) | {MANIFEST}
        foreign = sorted(p.name for p in shown if not p.is_file() or p.name not in files)
        if foreign:
            raise OutputError(
                f"figures folder {folder} holds {foreign[0]}, which livecommerce did not write: "
                "choose a new folder or one it wrote; nothing was changed"
            )
    return folder


def add_to_manifest(folder: Path, files) -> None:
    """Add ``files`` to the list of what the package wrote in ``folder`` (its manifest)."""
    write_manifest(folder, _listed(folder) | set(files))


def _listed(folder: Path) -> set[str]:
    """The files ``folder``'s manifest lists (none if it has no manifest)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return set()
    try:
        return set(json.loads(manifest.read_text(encoding="utf-8"))["files"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise OutputError(f"{manifest} is not a livecommerce manifest: choose another folder") from None
