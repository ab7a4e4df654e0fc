"""Reading a records folder: each table's files found, its columns named (Chinese headers accepted), every row
checked against the bad-row rules, and the bad rows refused (the default) or dropped, counted per file and rule.

The checks are SQL the engine runs over the files in place; what passes is a view per table (``anchors``,
``sessions``, ``shops``, ``sales``) with typed columns, and a row of a dropped file is never dropped silently: the
counts are :attr:`Records.bad` and the log's."""

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError
from livecommerce.records.engine import literal, open_engine
from livecommerce.records.tables import RULES, TABLES, Column, Table

__all__ = ["BAD_ROWS", "Records", "check_period", "find_files", "read_records"]

BAD_ROWS = ("refuse", "drop")
"""What to do with bad rows: ``refuse`` (raise, naming file, row and column) or ``drop`` (leave them out, counted)."""

_KINDS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_NUMBER = {"count": "DOUBLE", "amount": "DOUBLE", "score": "DOUBLE"}
_EXAMPLES = 5
_CANDIDATES = 1000
"""How many bad rows' cells a refusal looks for in a CSV file to name the first :data:`_EXAMPLES` of them."""


@dataclass
class Records:
    """Validated record tables on an engine: the views ``anchors``, ``sessions``, ``shops``, ``sales`` (those
    present), the files read, row counts and the bad rows per file and rule (``bad``: file, table, rule, rows).
    Close it when done (``with read_records(...) as records:``): its engine's spill folder goes then."""

    engine: object
    period: tuple[dt.date, dt.date]
    tables: dict[str, list[Path]]
    rows: dict[str, int] = field(default_factory=dict)
    bad: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["table", "file", "rule", "rows"]))
    log: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> "Records":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def find_files(folder) -> dict[str, list[Path]]:
    """Each record table's files in ``folder``: ``NAME.csv``/``NAME.parquet``, parts ``NAME_*.csv`` (such as
    ``sessions_SYNTHETIC.csv``) or the parts in a folder ``NAME/``."""
    folder = Path(arguments.path(folder, "records"))
    if not folder.is_dir():
        raise DataError(f"{folder}: not a records folder (it should hold anchors, sessions, shops and sales files)")
    found = {}
    for name in TABLES:
        files = sorted(p for g in (f"{name}.*", f"{name}_*.*") for p in folder.glob(g) if p.suffix.lower() in _KINDS)
        if (folder / name).is_dir():
            files += sorted(p for p in (folder / name).iterdir() if p.suffix.lower() in _KINDS)
        kinds = {_KINDS[p.suffix.lower()] for p in files}
        if len(kinds) > 1:
            raise DataError(f"{folder / name}: mixes CSV and Parquet files; give one kind per table")
        if files:
            found[name] = files
    if not found:
        raise DataError(f"{folder}: no record files (expected {', '.join(TABLES)} as .csv, .parquet or a folder)")
    return found


def _header_map(table: Table, columns: list[str], files: list[Path]) -> dict[str, list[str]]:
    """Each column of ``table``: the headers of the files that carry it (its name or an alias)."""
    present = {c.strip(): c for c in columns}
    found, missing = {}, []
    for column in table.columns:
        headers = [present[h] for h in (column.name, *column.aliases) if h in present]
        if not headers and column.required:
            missing.append(f"{column.name} ({'/'.join(column.aliases[:3])})")
        found[column.name] = headers
    if missing:
        where = files[0] if len(files) == 1 else f"{files[0].parent} ({len(files)} files)"
        raise DataError(f"{where}: table {table.name!r} lacks column(s) {', '.join(missing)}")
    return found


def _typed(column: Column, text: str, kind: str) -> str:
    """The typed value of a raw column: a number, a time or date, or a text (an id). A CSV cell's text is trimmed
    of spaces; a Parquet string is taken as it is (trimming every id took as long as reading it)."""
    if column.kind in _NUMBER:
        return f"TRY_CAST({text} AS DOUBLE)"
    if column.kind == "time":
        return f"TRY_CAST({text} AS TIMESTAMP)"
    if column.kind == "date":
        return f"TRY_CAST({text} AS DATE)"
    text = f"CAST({text} AS STRING)"
    return f"NULLIF({f'TRIM({text})' if kind == 'csv' else text}, '')"


def _checks(table: Table, period: tuple[dt.date, dt.date]) -> dict[str, list[tuple[str, str]]]:
    """Each row rule's conditions on the raw view ``r`` (columns ``_raw_NAME`` and ``NAME``): (column, SQL)."""
    checks: dict[str, list[tuple[str, str]]] = {rule: [] for rule in RULES}
    start, end = (f"DATE '{period[0].isoformat()}'", f"DATE '{(period[1] + dt.timedelta(days=1)).isoformat()}'")
    for column in table.columns:
        raw, value = f"_raw_{column.name}", column.name
        # Text only where the value did not read (a Parquet number is never cast to text).
        blank = (
            f"({value} IS NULL)"
            if column.kind in ("id", "text")
            else f"(CASE WHEN {raw} IS NULL THEN TRUE WHEN {value} IS NOT NULL THEN FALSE "
            f"ELSE TRIM(CAST({raw} AS STRING)) = '' END)"
        )
        if column.required:
            checks["missing"].append((column.name, blank))
        if column.kind in _NUMBER:
            checks["not_numeric"].append((column.name, f"(NOT {blank} AND {value} IS NULL)"))
            checks["negative"].append((column.name, f"({value} < 0)"))
        if column.kind in ("time", "date"):
            checks["bad_date"].append((column.name, f"(NOT {blank} AND {value} IS NULL)"))
            if column.name == table.period_column:
                checks["outside_period"].append((column.name, f"({value} < {start} OR {value} >= {end})"))
    return {rule: conditions for rule, conditions in checks.items() if conditions}


def _condition(conditions) -> str:
    """Any of ``conditions``, false where a value is empty (SQL's NULL)."""
    return " OR ".join(f"COALESCE({sql}, FALSE)" for _, sql in conditions) or "FALSE"


def read_records(folder, period, engine="duckdb", bad_rows: str = "refuse", memory_limit: str | None = None):
    """Read and check the records in ``folder`` for ``period`` (two dates, first and last day) on ``engine``.

    Every bad row is counted per file and rule; ``bad_rows="refuse"`` raises a :class:`DataError` listing them all
    (with a few rows named by file, row and column), ``"drop"`` leaves them out and logs the counts."""
    arguments.choice(bad_rows, "bad_rows", BAD_ROWS)
    period = check_period(period)
    files = find_files(folder)
    engine = open_engine(engine, memory_limit)
    records = Records(engine, period, files)
    problems = []
    try:
        for name in ("anchors", "shops", "sessions", "sales"):  # a referenced table before the table naming it
            if name in files:
                problems += _check_table(records, TABLES[name])
        if problems and bad_rows == "refuse":
            raise DataError(
                "bad rows in the records (bad_rows='drop' leaves them out, counted):\n" + "\n".join(problems)
            )
    except BaseException:  # a file that cannot be read, or bad rows refused: the engine and its spill folder go
        engine.close()
        raise
    return records


def check_period(period) -> tuple[dt.date, dt.date]:
    """The first and last day of ``period`` (two dates, as ISO text or dates), the first not after the last."""
    try:
        start, end = (pd.Timestamp(day).date() for day in period)
    except (TypeError, ValueError):
        raise ParameterError(f"period={period!r}: expected two dates, the first and last day") from None
    if end < start:
        raise ParameterError(f"period={period!r}: the last day is before the first")
    return start, end


def _check_table(records: Records, table: Table) -> list[str]:
    """Register ``table``'s raw and checked views, count its bad rows; the problems as message lines."""
    engine, files = records.engine, records.tables[table.name]
    q = engine.quote
    kind = _KINDS[files[0].suffix.lower()]
    columns = engine.read_files(f"_raw_{table.name}", files, kind)
    headers = _header_map(table, columns, files)
    raw = ", ".join(
        f"{'COALESCE(' + ', '.join(q(h) for h in found) + ')' if len(found) > 1 else q(found[0]) if found else 'NULL'}"
        f" AS _raw_{c.name}"
        for c, found in ((c, headers[c.name]) for c in table.columns)
    )
    typed = ", ".join(f"{_typed(c, f'_raw_{c.name}', kind)} AS {c.name}" for c in table.columns)
    texts = ", ".join(f"_raw_{c.name}" for c in table.columns)
    engine.view(f"_text_{table.name}", f"SELECT _file, _row, {raw} FROM {q(f'_raw_{table.name}')}")
    engine.view(f"_typed_{table.name}", f"SELECT _file, _row, {texts}, {typed} FROM _text_{table.name}")
    checks = _checks(table, records.period)
    row_flags = ", ".join(f"CASE WHEN {_condition(c)} THEN 1 ELSE 0 END AS _bad_{rule}" for rule, c in checks.items())
    row_ok = f"CASE WHEN {' + '.join(f'_bad_{rule}' for rule in checks)} = 0 THEN 1 ELSE 0 END AS _ok"
    # A repeated id and an unknown anchor or shop are looked for among the rows that pass the row rules.
    extra = {"duplicate": "_ok = 1 AND _n IS NOT NULL"}
    join = ""
    if table.reference and table.reference[1] in records.rows:
        column, other = table.reference
        extra["unknown_reference"] = "_ok = 1 AND _known IS NULL"
        # every id the other table's files hold, its bad rows' too: an anchor with a negative fan count is bad, but
        # not unknown, and its sessions are not
        known = f"SELECT DISTINCT {column} AS _known FROM _typed_{other} WHERE {column} IS NOT NULL"
        join = f" LEFT JOIN ({known}) o ON t.{column} = o._known"
    flags = ", ".join(f"CASE WHEN {sql} THEN 1 ELSE 0 END AS _bad_{rule}" for rule, sql in extra.items())
    names = ", ".join(c.name for c in table.columns)
    rows = f"SELECT _file, _row, {texts}, {names}, {row_flags} FROM _typed_{table.name}"
    engine.view(f"_rows_{table.name}", f"SELECT *, {row_ok} FROM ({rows}) a")
    counts, shared = _count(engine, table, [*checks, *(r for r in extra if r != "duplicate")], join)
    count, repeated = _repeated(table, shared)
    engine.view(
        f"_flagged_{table.name}", f"SELECT t.*, {count} AS _n, {flags} FROM _rows_{table.name} t{repeated}{join}"
    )
    counts["duplicate"] = 0
    if shared:
        exact = engine.query(f"SELECT _file, SUM(_bad_duplicate) AS n FROM _flagged_{table.name} GROUP BY _file")
        counts["duplicate"] = exact.set_index("_file")["n"].reindex(counts.index, fill_value=0)
    rules = [*checks, *extra]
    engine.view(table.name, _clean(table, [rule for rule in rules if counts[rule].sum()], extra))
    records.rows[table.name] = int(counts["_rows"].sum())
    # each file as given, from the engine's name of it (Spark's is a URI)
    given = {os.path.abspath(f): f for f in files}
    named = {name: given.get(os.path.abspath(engine.path(name)), Path(name)) for name in counts.index}
    found = [(name, rule, int(row[rule])) for name, row in counts.iterrows() for rule in rules if int(row[rule])]
    bad = [{"table": table.name, "file": str(named[name]), "rule": rule, "rows": n} for name, rule, n in found]
    if bad:
        frame = pd.DataFrame(bad)
        records.bad = pd.concat([records.bad, frame], ignore_index=True) if len(records.bad) else frame
    lines = []
    for name, rule, n in found:
        line = f"{named[name]}: {n} row(s) {rule} ({RULES[rule]})"
        records.log.append(f"{table.name}: dropped {line}")
        lines.append(line + _examples(records, table, (name, named[name]), rule, checks, headers))
    return lines


def _count(engine, table: Table, rules: list[str], join: str) -> tuple[pd.DataFrame, bool]:
    """The rows and the bad rows of each file by rule (all but ``duplicate``), and whether two rows share the hash
    of their id. Two streaming passes, nothing stored:

    - by file and the rules a row breaks (a bit per rule: a few groups a file);
    - by the hash of the id alone (eight bytes a row; only the id's column is read): where no hash repeats among
      all rows, no id repeats among the passing ones, and the repeated-id rule needs nothing more.

    (One aggregation by two grouping sets would read the files once, but DuckDB stores its input to do so. The hashes
    are grouped, not counted distinct: DuckDB spills a GROUP BY past its memory limit, but not an ungrouped
    COUNT(DISTINCT), which ran out of memory on 10 M ids under a 150 MB limit.)"""
    key = ", ".join(table.key)
    mask = " + ".join(f"_bad_{rule} * {2**bit}" for bit, rule in enumerate(rules))
    unknown = ", CASE WHEN _ok = 1 AND _known IS NULL THEN 1 ELSE 0 END AS _bad_unknown_reference" if join else ""
    flagged = f"SELECT t.*{unknown} FROM _rows_{table.name} t{join}"
    by_file = engine.query(
        f"SELECT _file, _mask, COUNT(*) AS _rows FROM (SELECT _file, {mask} AS _mask FROM ({flagged}) f) g "
        "GROUP BY _file, _mask"
    )
    present = " AND ".join(f"{k} IS NOT NULL" for k in table.key)
    shared = engine.query(
        f"SELECT COUNT(*) AS n FROM (SELECT hash({key}) AS _h FROM _typed_{table.name} WHERE {present} "
        f"GROUP BY hash({key}) HAVING COUNT(*) > 1) h"
    )
    masks = by_file["_mask"].astype("int64")
    counts = pd.DataFrame(
        {
            "_rows": by_file.groupby("_file")["_rows"].sum(),
            **{
                rule: by_file["_rows"].where(masks & 2**bit > 0, 0).groupby(by_file["_file"]).sum()
                for bit, rule in enumerate(rules)
            },
        }
    ).astype("int64")
    return counts, bool(int(shared["n"].iloc[0]))


def _repeated(table: Table, shared: bool) -> tuple[str, str]:
    """How many passing rows share each row's id, where more than one does (``_n``, else NULL): its SQL and the
    join it needs. Where no hash of an id repeats (``shared`` false), no id does, and there is nothing to join;
    otherwise the ids of the rows with a repeated hash are counted (two ids can share a hash)."""
    if not shared:
        return "CAST(NULL AS BIGINT)", ""
    key = ", ".join(table.key)
    rows = f"_rows_{table.name}"
    hashes = f"SELECT hash({key}) AS _h FROM {rows} WHERE _ok = 1 GROUP BY hash({key}) HAVING COUNT(*) > 1"
    repeated = (
        f"SELECT {key}, COUNT(*) AS _n FROM {rows} WHERE _ok = 1 AND hash({key}) IN (SELECT _h FROM ({hashes}) h) "
        f"GROUP BY {key} HAVING COUNT(*) > 1"
    )
    on = " AND ".join(f"t.{k} = d.{k}" for k in table.key)
    return "d._n", f" LEFT JOIN ({repeated}) d ON {on}"


def _clean(table: Table, fired: list[str], extra) -> str:
    """The rows of ``table`` that pass its rules, checking only the rules some row broke (``fired``): a rule no
    row broke leaves every row in, so clean files are read without the repeated-id and reference joins."""
    names = ", ".join(c.name for c in table.columns)
    if not fired:
        return f"SELECT {names} FROM _typed_{table.name}"
    if not set(fired) & set(extra):
        return f"SELECT {names} FROM _rows_{table.name} WHERE _ok = 1"
    clean = " AND ".join(["_ok = 1", *(f"_bad_{rule} = 0" for rule in extra if rule in fired)])
    return f"SELECT {names} FROM _flagged_{table.name} WHERE {clean}"


def _examples(records: Records, table: Table, file: tuple[str, Path], rule: str, checks, headers) -> str:
    """A few rows of ``file`` (the engine's name of it, and the path) that break ``rule``, in file order: by the
    file's line (a CSV's, as a panel's faults are named; a Parquet file's row) and the column, or the value, at fault.

    A Parquet row is the reader's row index. A CSV's line is found here, the same whichever engine read the file (no
    engine numbers a CSV's rows, and neither keeps a file's order): the engine gives the cells of the bad rows, the
    first :data:`_CANDIDATES` in the order of their cells (all of them but in a large file), and the file is read up
    to the first :data:`_EXAMPLES` rows with such cells. Whether a row breaks a rule depends on its cells alone (a
    repeated id or an unknown anchor on its id and its own rules), so a row with a bad row's cells is a bad row."""
    name, path = file
    if rule in checks:  # the column at fault
        view, what = (
            f"_rows_{table.name}",
            f"CASE {' '.join(f'WHEN {sql} THEN {literal(c)}' for c, sql in checks[rule])} END",
        )
    else:  # the repeated or unknown id
        column = table.key[0] if rule == "duplicate" else table.reference[0]
        view, what = f"_flagged_{table.name}", column
    where = f"_file = {literal(name)} AND _bad_{rule} = 1"
    if path.suffix.lower() == ".csv":
        texts = [f"_raw_{c.name}" for c in table.columns]
        found = records.engine.query(
            f"SELECT DISTINCT {', '.join(texts)}, {what} AS _what FROM {view} WHERE {where} "
            f"ORDER BY {', '.join(f'{t} NULLS FIRST' for t in texts)} LIMIT {_CANDIDATES}"
        )
        cells = {_cells(row[:-1]): row[-1] for row in found.itertuples(index=False)}
        places = [(f"line {line}", cells[key]) for line, key in _csv_lines(path, table, headers, cells)]
    else:
        found = records.engine.query(
            f"SELECT _row, {what} AS _what FROM {view} WHERE {where} ORDER BY _row LIMIT {_EXAMPLES}"
        )
        places = [(f"row {int(row)}", what) for row, what in zip(found["_row"], found["_what"])]
    said = (f"column {what}" if rule in checks else f"column {column} = {what!r}" for _, what in places)
    return "".join(f"\n  {place}, {text}" for (place, _), text in zip(places, said))


def _cells(values) -> tuple[str, ...]:
    """A row's cells as compared: text, trimmed, empty for a missing one."""
    return tuple("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip() for v in values)


def _csv_lines(path: Path, table: Table, headers: dict[str, list[str]], cells: dict) -> list[tuple[int, tuple]]:
    """The first :data:`_EXAMPLES` rows of the CSV file ``path`` whose cells (``table``'s columns, each the first
    of its ``headers`` the file has and fills) are among ``cells``: each its line (the header's is the first line
    that is not a comment) and its cells. Lines the readers skip are counted: comment lines (``#``), blank lines,
    the further lines of a quoted value."""
    starts: list[int] = []

    def lines(handle):
        quoted = False
        for number, text in enumerate(handle, 1):
            if not quoted and (not text.strip() or text.startswith("#")):
                continue
            if not quoted:
                starts.append(number)
            quoted ^= text.count('"') % 2 == 1
            yield text

    found = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(lines(handle))
        header = [h.strip() for h in next(rows, [])]
        where = {
            c.name: [header.index(h.strip()) for h in headers[c.name] if h.strip() in header] for c in table.columns
        }
        for n, row in enumerate(rows, 1):
            key = tuple(
                next((row[i].strip() for i in where[c.name] if i < len(row) and row[i].strip()), "")
                for c in table.columns
            )
            if key in cells:
                found.append((starts[n], key))
                if len(found) == _EXAMPLES:
                    break
    return found
