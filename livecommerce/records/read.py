"""Reading a records folder: each table's files found, its columns named (Chinese headers accepted), every row
checked against the bad-row rules, and the bad rows refused (the default) or dropped, counted per file and rule.

The checks are SQL the engine runs over the files in place; what passes is a view per table (``anchors``,
``sessions``, ``shops``, ``sales``) with typed columns, and a row of a dropped file is never dropped silently: the
counts are :attr:`Records.bad` and the log's."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError
from livecommerce.records.engine import open_engine
from livecommerce.records.tables import RULES, TABLES, Column, Table

__all__ = ["BAD_ROWS", "Records", "find_files", "read_records"]

BAD_ROWS = ("refuse", "drop")
"""What to do with bad rows: ``refuse`` (raise, naming file, row and column) or ``drop`` (leave them out, counted)."""

_KINDS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_NUMBER = {"count": "DOUBLE", "amount": "DOUBLE", "score": "DOUBLE"}
_EXAMPLES = 5


@dataclass
class Records:
    """Validated record tables on an engine: the views ``anchors``, ``sessions``, ``shops``, ``sales`` (those
    present), the files read, row counts and the bad rows per file and rule (``bad``: file, table, rule, rows)."""

    engine: object
    period: tuple[dt.date, dt.date]
    tables: dict[str, list[Path]]
    rows: dict[str, int] = field(default_factory=dict)
    bad: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["table", "file", "rule", "rows"]))
    log: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.engine.close()


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
    period = _period(period)
    files = find_files(folder)
    engine = open_engine(engine, memory_limit)
    records = Records(engine, period, files)
    problems = []
    for name in ("anchors", "shops", "sessions", "sales"):  # a referenced table before the table naming it
        if name in files:
            problems += _check_table(records, TABLES[name])
    if problems and bad_rows == "refuse":
        engine.close()
        raise DataError("bad rows in the records (bad_rows='drop' leaves them out, counted):\n" + "\n".join(problems))
    return records


def _period(period) -> tuple[dt.date, dt.date]:
    try:
        start, end = (pd.Timestamp(day).date() for day in period)
    except (TypeError, ValueError):
        raise ParameterError(f"period: expected two dates (first and last day), got {period!r}") from None
    if end < start:
        raise ParameterError(f"period: the last day {end} is before the first {start}")
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
    engine.view(f"_text_{table.name}", f"SELECT _file, {raw} FROM {q(f'_raw_{table.name}')}")
    engine.view(
        f"_typed_{table.name}",
        f"SELECT _file, _raw_{', _raw_'.join(c.name for c in table.columns)}, {typed} FROM _text_{table.name}",
    )
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
    rows = f"SELECT _file, {names}, {row_flags} FROM _typed_{table.name}"
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
    lines = []
    bad = []
    for file, row in counts.iterrows():
        for rule in rules:
            if int(row[rule]):
                bad.append({"table": table.name, "file": file, "rule": rule, "rows": int(row[rule])})
    if bad:
        frame = pd.DataFrame(bad)
        records.bad = pd.concat([records.bad, frame], ignore_index=True) if len(records.bad) else frame
        for item in bad:
            line = f"{item['file']}: {item['rows']} row(s) {item['rule']} ({RULES[item['rule']]})"
            records.log.append(f"{table.name}: dropped {line}")
            lines.append(line + _examples(records, table, item["file"], item["rule"], checks, extra))
    return lines


def _count(engine, table: Table, rules: list[str], join: str) -> tuple[pd.DataFrame, bool]:
    """The rows and the bad rows of each file by rule (all but ``duplicate``), and whether two rows share the hash
    of their id. Two streaming passes, nothing stored:

    - by file and the rules a row breaks (a bit per rule: a few groups a file);
    - by the hash of the id alone (eight bytes a row; only the id's column is read): where no hash repeats among
      all rows, no id repeats among the passing ones, and the repeated-id rule needs nothing more.

    (One aggregation by two grouping sets would read the files once, but DuckDB stores its input to do so.)"""
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


def _examples(records: Records, table: Table, file: str, rule: str, checks, extra) -> str:
    """A few rows of ``file`` that break ``rule``, in file order: by the file's line (a CSV's, as a panel's faults
    are named; a Parquet file's row) and the column, or the value, at fault."""
    engine, where = records.engine, f"_file = '{file.replace(chr(39), chr(39) * 2)}'"
    # A scan of one file keeps its order (DuckDB preserves insertion order unless told not to); its rows are numbered
    # as they come, since read_csv has no file_row_number, and lines are counted from the file below.
    if rule in checks:
        cases = " ".join(f"WHEN {sql} THEN '{column}'" for column, sql in checks[rule])
        numbered = (
            f"SELECT ROW_NUMBER() OVER () AS _row, CASE {cases} END AS _what FROM _typed_{table.name} WHERE {where}"
        )
        found = engine.query(
            f"SELECT _row, _what FROM ({numbered}) n WHERE _what IS NOT NULL ORDER BY _row LIMIT {_EXAMPLES}"
        )
        said = [f"column {what}" for what in found["_what"]]
    else:
        keys = table.key if rule == "duplicate" else (table.reference[0],)
        column = keys[0]
        numbered = f"SELECT ROW_NUMBER() OVER () AS _row, _ok, {', '.join(keys)} FROM _rows_{table.name} WHERE {where}"
        bad = f"SELECT DISTINCT {', '.join(keys)} FROM _flagged_{table.name} WHERE _bad_{rule} = 1 AND {where}"
        on = " AND ".join(f"n.{k} = b.{k}" for k in keys)
        found = engine.query(
            f"SELECT n._row, n.{column} AS _what FROM ({numbered}) n JOIN ({bad}) b ON {on} WHERE n._ok = 1 "
            f"ORDER BY n._row LIMIT {_EXAMPLES}"
        )
        said = [f"column {column} = {what!r}" for what in found["_what"]]
    rows = [int(r) for r in found["_row"]]
    if Path(file).suffix.lower() == ".csv":
        lines = _csv_lines(Path(file), rows)
        at = [f"line {lines.get(r, '?')}" for r in rows]
    else:
        at = [f"row {r}" for r in rows]
    return "".join(f"\n  {place}, {what}" for place, what in zip(at, said))


def _csv_lines(path: Path, rows: list[int]) -> dict[int, int]:
    """The line of the CSV file ``path`` each data row of ``rows`` starts on (the first row below the header is 1),
    counting what the reader skips: comment lines (``#``), blank lines and the further lines of a quoted value."""
    wanted, found, row, quoted = set(rows), {}, -1, False
    with path.open("rb") as handle:
        for line, text in enumerate(handle, 1):
            text = text.removeprefix(b"\xef\xbb\xbf") if line == 1 else text
            if not quoted and (not text.strip() or text.startswith(b"#")):
                continue
            if not quoted:
                row += 1  # the header is row 0
                if row in wanted:
                    found[row] = line
                    if len(found) == len(wanted):
                        break
            quoted ^= text.count(b'"') % 2 == 1
    return found
