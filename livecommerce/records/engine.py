"""The engines the record SQL runs on: DuckDB, embedded (the default: reads the files in place, spills to disk
past its memory limit), and Spark (PySpark, for records that outgrow one machine). Both run the same SQL text
(:mod:`livecommerce.records.read`, :mod:`livecommerce.records.indicators`); an engine only reads files into named
views, takes a small frame as a view, and returns a query's result as a pandas frame.

Spark on a cluster: build the SparkSession as the cluster needs (``SparkSession.builder.master("spark://host:7077")
…getOrCreate()``, or ``spark.master`` in ``spark-defaults.conf``) and pass it: ``Spark(session)``; without one, a
local session is started (``local[2]``)."""

import importlib.util
import re
import shutil
import tempfile
import weakref
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from livecommerce import arguments
from livecommerce.errors import DataError, ParameterError

__all__ = ["ENGINES", "DuckDB", "Spark", "literal", "open_engine", "spark_available"]

ENGINES = ("duckdb", "spark")


_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS |= {"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_BUFFER_SHARE = 0.6
"""DuckDB's share of a memory limit: the rest is for the process around it (Python, pandas, the Parquet readers'
buffers and what DuckDB allocates outside its buffer manager), so that the whole process keeps to the limit."""


def _size(text: str) -> int | None:
    """Bytes of a memory size as DuckDB writes them (``2GB`` is 2·10⁹ bytes, ``2GiB`` 2·2³⁰), or None."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]*)", text.strip().lower())
    if match is None or match[2] not in _UNITS or float(match[1]) <= 0:
        return None
    return int(float(match[1]) * _UNITS[match[2]])


class DuckDB:
    """An in-process DuckDB database on every core; ``memory_limit`` (e.g. ``"2GB"``) caps the memory of the whole
    process (DuckDB's buffers get :data:`_BUFFER_SHARE` of it) and the rest spills to ``temp_directory`` (by default
    a spill folder of its own, removed when the engine is closed, collected or left open at exit; a folder given is
    kept); ``threads`` caps its threads."""

    name = "duckdb"

    def __init__(self, memory_limit: str | None = None, threads: int | None = None, temp_directory=None):
        import duckdb

        size = None if memory_limit is None else _size(arguments.string(memory_limit, "memory_limit"))
        if memory_limit is not None and size is None:
            raise ParameterError(f"memory_limit: {memory_limit!r} is not a memory size (e.g. '2GB', '1500MiB')")
        if threads is not None:
            threads = arguments.integer(threads, "threads", low=1)
        if temp_directory is not None and not str(arguments.path(temp_directory, "temp_directory")):
            raise ParameterError("temp_directory is empty: give a folder, or None for a spill folder of its own")
        spill = tempfile.mkdtemp(prefix="livecommerce-duckdb-") if temp_directory is None else temp_directory
        # the spill folder this engine made goes with it, closed or not (weakref.finalize runs at exit too)
        self._remove = (
            None if temp_directory is not None else weakref.finalize(self, shutil.rmtree, spill, ignore_errors=True)
        )
        self.connection = duckdb.connect()
        self.connection.execute("SET enable_progress_bar = false")
        # Results are per region or per file: the order rows arrive in does not matter, and not keeping it lets
        # every thread stream (and spill) without buffering.
        self.connection.execute("SET preserve_insertion_order = false")
        self.connection.execute(f"SET temp_directory = {literal(str(spill))}")
        if size is not None:
            self.connection.execute(f"SET memory_limit = '{int(size * _BUFFER_SHARE)}B'")
        if threads is not None:
            self.connection.execute(f"SET threads = {threads}")

    @staticmethod
    def quote(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def read_files(self, view: str, files: list[Path], kind: str) -> list[str]:
        """Make ``view`` the rows of ``files`` (all CSV or all Parquet; a CSV's cells as text, its lines starting
        with ``#`` comments), with each row's file in ``_file`` and, for Parquet, its row in the file in ``_row``
        (from 1; NULL for CSV, whose lines :mod:`livecommerce.records.read` finds itself); returns the files'
        columns."""
        paths = "[" + ", ".join(literal(str(f)) for f in files) + "]"
        if kind == "csv":
            reader = (
                f"read_csv({paths}, all_varchar = true, header = true, comment = '#', delim = ',', quote = '\"', "
                "escape = '\"', union_by_name = true, filename = '_file')"
            )
            rows = "*, CAST(NULL AS BIGINT) AS _row"
        else:
            reader = f"read_parquet({paths}, union_by_name = true, filename = '_file', file_row_number = true)"
            rows = "* EXCLUDE (file_row_number), file_row_number + 1 AS _row"
        import duckdb

        try:
            self.connection.execute(f"CREATE OR REPLACE VIEW {self.quote(view)} AS SELECT {rows} FROM {reader}")
            return [c for c in self.connection.execute(f"SELECT * FROM {self.quote(view)} LIMIT 0").fetchdf().columns]
        except duckdb.Error as exc:
            where = files[0] if len(files) == 1 else f"{files[0].parent} ({len(files)} files)"
            # DuckDB ends a CSV line at a '#' outside quotes (Spark only skips the lines that start with one)
            hint = "; a value holding '#' must be quoted" if kind == "csv" else ""
            raise DataError(f"{where}: not readable as {kind} ({str(exc).splitlines()[0]}){hint}") from None

    @staticmethod
    def path(name: str) -> str:
        """The file a row's ``_file`` names, as it was given."""
        return name

    def frame(self, view: str, frame: pd.DataFrame) -> None:
        """Make ``view`` the rows of a small pandas frame."""
        self.connection.register(f"_{view}_frame", frame)
        self.connection.execute(f"CREATE OR REPLACE TEMP TABLE {self.quote(view)} AS SELECT * FROM _{view}_frame")
        self.connection.unregister(f"_{view}_frame")

    def view(self, view: str, sql: str) -> None:
        """Make ``view`` a query's rows (a view: nothing is stored, each query reads the files)."""
        self.connection.execute(f"CREATE OR REPLACE VIEW {self.quote(view)} AS {sql}")

    def query(self, sql: str) -> pd.DataFrame:
        return self.connection.execute(sql).fetchdf()

    def close(self) -> None:
        self.connection.close()
        if self._remove is not None:
            self._remove()


class Spark:
    """A Spark session: the one given (a cluster's, configured by the caller) or a local one (``local[2]``)."""

    name = "spark"

    def __init__(self, session=None):
        if session is None:
            if not spark_available():
                raise ParameterError("engine: 'spark' needs pyspark (pip install 'livecommerce[spark]') and Java")
            from pyspark.sql import SparkSession

            session = (
                SparkSession.builder.master("local[2]")
                .appName("livecommerce")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        self.session = arguments.having(session, "session", ("read", "sql", "createDataFrame"), "a SparkSession")

    @staticmethod
    def quote(name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def read_files(self, view: str, files: list[Path], kind: str) -> list[str]:
        """As :meth:`DuckDB.read_files`: the files' columns matched by name (Spark's CSV reader takes the first
        file's header for all, by position: each CSV file is read on its own); a quoted CSV value may span lines
        (each CSV file is read whole, by one task), a doubled quote in it is a quote; a Parquet row's ``_row`` is
        Spark's ``_metadata.row_index``."""
        from functools import reduce

        from pyspark.sql.functions import col, lit

        if kind == "csv":
            reader = self.session.read.options(header=True, comment="#", multiLine=True, escape='"')
            parts = [reader.csv(str(f)).withColumn("_file", col("_metadata.file_path")) for f in files]
            frame = reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), parts)
            frame = frame.withColumn("_row", lit(None).cast("bigint"))
        else:
            frame = self.session.read.option("mergeSchema", True).parquet(*map(str, files))
            frame = frame.withColumns({"_row": col("_metadata.row_index") + 1, "_file": col("_metadata.file_path")})
        frame.createOrReplaceTempView(view)
        return list(frame.columns)

    @staticmethod
    def path(name: str) -> str:
        """The file a row's ``_file`` names (Spark's URI of it, ``file:/a%20b.csv``), as it was given."""
        uri = urlsplit(name)
        return unquote(uri.path) if uri.scheme in ("", "file") else name

    def frame(self, view: str, frame: pd.DataFrame) -> None:
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(c, StringType()) for c in frame.columns])
        rows = [tuple(None if pd.isna(v) else str(v) for v in row) for row in frame.itertuples(index=False)]
        self.session.createDataFrame(rows, schema).createOrReplaceTempView(view)

    def view(self, view: str, sql: str) -> None:
        """Make ``view`` a query's rows (not cached)."""
        self.session.sql(sql).createOrReplaceTempView(view)

    def query(self, sql: str) -> pd.DataFrame:
        """The result as a pandas frame, from its rows (results here are small: a row per region or file)."""
        result = self.session.sql(sql)
        return pd.DataFrame([tuple(row) for row in result.collect()], columns=result.columns)

    def close(self) -> None:
        """Leave the session running (the caller's, or reused by the next local one)."""


def spark_available() -> bool:
    """Whether the Spark engine can start here: pyspark installed and a Java runtime on the path."""
    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


def open_engine(engine="duckdb", memory_limit: str | None = None):
    """An engine by name (``duckdb`` or ``spark``), or an engine object as it is."""
    if isinstance(engine, (DuckDB, Spark)):
        return engine
    name = arguments.choice(engine, "engine", ENGINES)
    if name == "spark":
        if memory_limit is not None:
            raise ParameterError(
                "memory_limit: Spark's memory is the session's (spark.driver.memory, spark.executor.memory)"
            )
        return Spark()
    return DuckDB(memory_limit=memory_limit)


def literal(text: str) -> str:
    """``text`` as an SQL string literal (its quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"
