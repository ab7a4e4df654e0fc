"""Reading hand-filled tables; writing outputs safely, to a temporary file beside the target moved into place when
complete."""

import codecs
import csv
import os
import re
import tempfile
import zipfile
from contextlib import contextmanager
from datetime import datetime
from io import StringIO
from itertools import chain, takewhile
from pathlib import Path

import pandas as pd

from livecommerce.data.paths import published_dir
from livecommerce.errors import DataError, OutputError, ParameterError

__all__ = [
    "CRLF",
    "FORMULA_STARTS",
    "HINT",
    "atomic_path",
    "available_memory",
    "csv_text",
    "defuse",
    "file_mode",
    "file_version",
    "folder_mode",
    "map_text",
    "neutralise",
    "read_csv",
    "read_table",
    "refuse_links",
    "reproducible_zip",
    "umask",
    "write_csv",
    "write_office",
    "write_rows",
]


def umask() -> int:
    """The process's umask now, read without changing it where Linux shows it (``os.umask`` sets one to read it,
    for every thread at once); elsewhere set and set back."""
    try:
        status = Path("/proc/self/status").read_bytes()  # bytes: the process's name in it may be any
    except OSError:
        status = b""
    for line in status.splitlines():
        if line.startswith(b"Umask:"):
            return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Permissions of a new file under the process's umask (0644 under the usual 022)."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """Permissions of a new folder under the process's umask (0755 under the usual 022)."""
    return 0o777 & ~umask()


def refuse_links(path: Path | str, root: Path | str | None = None) -> Path:
    """``path`` made absolute (no link resolved), if neither it nor a folder between ``root`` (by default
    its own folder) and it is a symbolic link; else an :class:`OutputError` naming the link. The package writes,
    replaces and deletes only files and folders: a link there could send a write or a deletion elsewhere."""
    path = Path(path).absolute()
    stop = path.parent if root is None else Path(root).absolute()
    between = takewhile(lambda p: p != stop and p.is_relative_to(stop), path.parents)
    link = next((p for p in (path, *between) if p.is_symlink()), None)
    if link is not None:
        raise OutputError(
            f"{link} is a symbolic link: livecommerce writes, replaces and deletes only files and folders, "
            "never through a link; remove it or choose another folder"
        )
    return path


@contextmanager
def atomic_path(path: Path | str, root: Path | str | None = None):
    """Yield a temporary path in ``path``'s folder; on success move it onto ``path``.

    If the body raises, the temporary file is removed and any existing ``path`` is left as it was; an
    OSError (read-only folder, full disk) becomes an :class:`OutputError` naming ``path``. A symbolic link at
    ``path``, or at a folder between ``root`` (the folder the writer was given) and it, is refused
    (:func:`refuse_links`). The file is readable by others as the umask allows. The package never writes under
    ``data/published``.
    """
    target = refuse_links(path, root)
    if (target.parent.resolve() / target.name).is_relative_to(published_dir().resolve()):
        raise ParameterError(f"output path {path}: data/published is read-only input")
    if target.is_dir():
        raise OutputError(f"output path {target} is a folder")
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)  # O_EXCL: a new file
        os.close(fd)
        yield Path(tmp)
        os.chmod(tmp, file_mode())  # mkstemp makes 0600; outputs are readable by others, as the umask allows
        os.replace(tmp, target)  # replaces the entry itself: never writes through a link put there meanwhile
    except OSError as exc:  # a read-only folder, a full disk: named, and the previous file stays
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)


def read_csv(path: Path, **options) -> pd.DataFrame:
    """``pandas.read_csv`` as UTF-8, with a file that is not CSV text turned into a :class:`DataError` naming it."""
    try:
        return pd.read_csv(path, encoding="utf-8", **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable UTF-8 CSV file ({str(exc).strip()})") from None


HINT = "save it as UTF-8 CSV or XLSX"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # control characters other than \t \r \n


def file_version(path: Path) -> tuple | None:
    """What tells one version of the file at ``path`` from another (size, modification time, inode), or None if
    there is no file: the key of the loaders that read a file once per version and process."""
    if not path.is_file():
        return None
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def read_table(path: Path, sheet: str | None = None, unique=None) -> tuple[pd.DataFrame, list[int]]:
    """A hand-filled table as text cells, and the file line (sheet row) on which each of its rows starts.

    An XLSX workbook (told by its content, not its name) is read from the sheet named ``sheet`` if it has one,
    else its first sheet; any other file must be CSV text in UTF-8 (with or without BOM) or GB18030, read a line
    at a time. Blank rows are skipped, and so are rows starting with ``#`` above the header. ``unique``: a function
    of a row (column → cell) naming what no two rows may share (None where it cannot tell); a row that repeats one
    above is an error naming both lines as soon as it is read, before the rest of the file.
    ``frame.attrs["source"]`` records the ``path``, ``format`` ("csv" or "xlsx"), ``encoding`` (None for XLSX)
    and ``sheet`` read.
    """
    with open(path, "rb") as handle:
        start = handle.read(4)
    if start.startswith(b"PK\x03\x04"):  # a zip archive, as XLSX is
        rows, source = _xlsx_rows(path, sheet)
        return _table(rows, path, source, unique)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            if encoding == "utf-8-sig" and not start.startswith(codecs.BOM_UTF8):
                encoding = "utf-8"
            return _table(
                _csv_rows(path, encoding), path, {"format": "csv", "encoding": encoding, "sheet": None}, unique
            )
        except UnicodeError:  # not this encoding (GB18030 decodes nearly any bytes: control characters tell)
            continue
    raise DataError(f"{path}: neither UTF-8 nor GB18030 text, nor an XLSX workbook; {HINT}")


def _table(rows, path: Path, source: dict, unique) -> tuple[pd.DataFrame, list[int]]:
    """:func:`read_table`'s frame and lines from ``rows`` (line, cells), checked as they come."""
    header, body, lines, seen = None, [], [], {}
    for line, cells in rows:
        if not any(cell.strip() for cell in cells) or (header is None and cells[0].startswith("#")):
            continue
        if header is None:
            header = cells
            repeated = [column for n, column in enumerate(header) if column in header[:n]]
            if repeated:
                raise DataError(f"{path}: column {repeated[0]!r} appears twice in the header")
            continue
        if len(cells) != len(header):
            raise DataError(
                f"{path}: line {line} (row {len(body) + 1}): {len(cells)} cells, but the header has {len(header)}"
            )
        key = unique(dict(zip(header, cells))) if unique else None
        if key is not None:
            if key in seen:
                raise DataError(f"{path}: {key} appears twice: lines {seen[key]} and {line}")
            seen[key] = line
        body.append(cells)
        lines.append(line)
    if not body:
        raise DataError(f"{path}: no header row with data rows below it")
    frame = pd.DataFrame(body, columns=header, dtype=str)
    frame.attrs["source"] = {"path": str(path), **source}
    return frame, lines


def _csv_rows(path: Path, encoding: str):
    """The CSV rows of the file at ``path`` read as ``encoding``, one at a time, each with the line it starts on;
    ``#`` lines on top are skipped as text (a quote in a comment must not open a cell). Bytes the encoding cannot
    decode, or control characters, raise UnicodeError when they are reached."""
    with open(path, encoding=encoding, newline="") as handle:  # splits at \n, \r\n and \r only
        lines = _text_lines(handle)
        skip = 0
        for first in lines:
            if first.strip() and not first.startswith("#"):
                break
            skip += 1
        else:
            return
        reader = csv.reader(chain([first], lines), strict=True)
        start = skip + 1
        try:
            for cells in reader:
                yield start, cells
                start = skip + reader.line_num + 1
        except csv.Error as exc:
            raise DataError(f"{path}: line {start}: not readable as CSV ({exc}); {HINT}") from None


def _text_lines(handle):
    """The lines of a text file, a leading BOM dropped; a control character other than tab and line ends raises
    UnicodeError."""
    for n, line in enumerate(handle):
        if _CONTROL.search(line):
            raise UnicodeError("control character")
        yield line.removeprefix("\ufeff") if n == 0 else line


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], dict]:
    """The rows of an XLSX sheet as text, numbers without a spurious ".0" (510000, not 510000.0), each with its
    row number."""
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            name = sheet if sheet in book.sheet_names else book.sheet_names[0]
            cells = pd.read_excel(book, sheet_name=name, header=None, dtype=str, na_filter=False)
    except Exception as exc:  # a damaged workbook fails in zipfile, XML parsing or openpyxl, each its own way
        raise DataError(f"{path}: not a readable XLSX workbook ({exc}); {HINT}") from None
    rows = list(enumerate(cells.to_numpy().tolist(), 1))
    return rows, {"format": "xlsx", "encoding": None, "sheet": name}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Text a spreadsheet would run as a formula (OWASP, CSV injection)."""


def defuse(value):
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula; else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _map_labels(index: pd.Index, func) -> pd.Index:
    names = [func(name) for name in index.names]
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_arrays(
            [index.get_level_values(k).map(func) for k in range(index.nlevels)], names=names
        )
    return index.map(func).set_names(names)


def map_text(frame: pd.DataFrame, func) -> pd.DataFrame:
    """A copy of ``frame`` with ``func`` applied to every cell of its non-numeric columns and to every label:
    index and columns, each level of a MultiIndex, and their names. ``func`` must return non-text unchanged."""
    out = frame.copy()
    for k in range(out.shape[1]):
        if not pd.api.types.is_numeric_dtype(out.iloc[:, k]):
            out.isetitem(k, out.iloc[:, k].map(func))
    out.index = _map_labels(out.index, func)
    out.columns = _map_labels(out.columns, func)
    return out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and labels (every level of a MultiIndex, and the names) cannot run
    as spreadsheet formulas: those starting with = + - @, a tab or a carriage return get a leading apostrophe.
    Numbers are left as they are."""
    return map_text(frame, defuse)


CRLF = "\r\n"
"""The row end the package's CSV is written with: the csv module quotes a cell for the characters of its row end
only, so with CRLF every cell holding a CR or an LF is quoted (and cannot start a row); :func:`csv_text`
then ends the rows in LF."""
_ROW_END = re.compile(r'("[^"]*")|\r\n')


def _unix_row_ends(text: str) -> str:
    """CSV ``text`` written with :data:`CRLF` row ends, its rows ended in LF; line breaks in quoted cells stay."""
    return _ROW_END.sub(lambda found: found.group(1) or "\n", text)


def csv_text(frame: pd.DataFrame, **options) -> str:
    """``frame`` as CSV text (``DataFrame.to_csv`` ``options``), rows ended in LF, a cell holding a CR or an LF
    quoted."""
    return _unix_row_ends(frame.to_csv(lineterminator=CRLF, **options))


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write ``frame`` as UTF-8 CSV with Unix line endings, neutralised, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(csv_text(neutralise(frame)), encoding="utf-8", newline="")
    return Path(path)


_EPOCH = datetime(2000, 1, 1)
_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def reproducible_zip(path: Path | str) -> None:
    """Rewrite an Office file (XLSX, DOCX: a zip) in place without its volatile parts: fixed document dates
    and fixed zip entry times, so the same content gives the same bytes."""
    path = Path(path)
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    stamp = _EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [
        (info, _DATES.sub(rb"\g<1>" + stamp, content) if info.filename == "docProps/core.xml" else content)
        for info, content in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries:
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=_EPOCH.timetuple()[:6]),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def write_office(path: Path | str, save) -> Path:
    """Write a zip-based Office file (XLSX, DOCX) to ``path`` atomically and reproducibly: ``save(tmp)`` writes it
    (a workbook's or document's ``save``) to a temporary file beside ``path``, which :func:`reproducible_zip`
    rewrites (the same content, the same bytes) before it is moved onto ``path``."""
    with atomic_path(path) as tmp:
        save(tmp)
        reproducible_zip(tmp)
    return Path(path)


def write_rows(path: Path | str, sheets: dict[str, list[list]]) -> Path:
    """Write rows of cells, atomically and reproducibly: an XLSX workbook with one sheet per entry of ``sheets``
    if ``path`` ends in ``.xlsx``, else UTF-8 CSV of the single entry. Text that a spreadsheet would run as a
    formula is neutralised; numbers are written as numbers."""
    path = Path(path)
    rows = {name: [[defuse(cell) for cell in row] for row in body] for name, body in sheets.items()}
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # loaded when a workbook is written: it takes a third of a second

        book = Workbook()
        book.remove(book.active)
        for name, body in rows.items():
            sheet = book.create_sheet(name)
            for row in body:
                sheet.append(row)
        return write_office(path, book.save)
    if len(rows) != 1:
        raise ParameterError(f"{path}: a CSV file holds one table, not {len(rows)}; write an .xlsx workbook")
    text = StringIO()
    csv.writer(text, lineterminator=CRLF).writerows(next(iter(rows.values())))
    with atomic_path(path) as tmp:
        tmp.write_text(_unix_row_ends(text.getvalue()), encoding="utf-8", newline="")
    return path


def available_memory() -> int | None:
    """Bytes of memory available now (Linux's MemAvailable), else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
