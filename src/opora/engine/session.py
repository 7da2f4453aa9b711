"""One engine session for the heavy per-student stage: DuckDB through SQLFrame, or Apache Spark.

The heavy work (``opora.engine.aggregate``) is written once in the PySpark DataFrame API and runs
unchanged on both: SQLFrame's ``DuckDBSession`` in-process (the default, fast on a laptop) or a
``pyspark`` ``SparkSession`` in local mode (``--engine spark``) or on a cluster (``--spark-master
spark://host:7077``, ``yarn``, ``k8s://…``; issue 18, docs/operations.md «Кластер Spark»).
:func:`open_session` hides the differences in starting and stopping them; everything else uses
``es.spark`` and ``es.F`` the same way.

The student rows reach the engine either as Parquet files (``opora analyze``, Spark at national
scale) or as an Arrow table already in memory (the web run, exported from the database):
:meth:`EngineSession.read` takes either, so the query is written once.
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeAlias

import pyarrow as pa

from opora.engine.storage import ParquetFiles, hadoop_version

#: Where the big table comes from: its Parquet files (one scan over all of them) — local paths, or
#: files on S3 / HDFS (:class:`~opora.engine.storage.ParquetFiles`) — or Arrow in memory.
Source: TypeAlias = list[Path] | ParquetFiles | pa.Table

ENGINES = ("duckdb", "spark")

# Spark in local mode on a 2-core machine: the default 200 shuffle partitions would schedule 200
# tiny tasks per aggregation; 8 keeps both cores busy with far less overhead.
SPARK_SHUFFLE_PARTITIONS = 8

_DUCKDB_LOCK = threading.Lock()
_VIEW_NUMBERS = itertools.count()
_OPEN = threading.local()  # a nested session in the same thread would wait on the lock forever


class EngineUnavailable(RuntimeError):
    """The requested engine cannot start here; ``str(exc)`` is a Russian reason for the user."""


@dataclass
class EngineSession:
    """A running engine: ``spark`` (a SparkSession-like object), ``F`` (its functions), ``name``."""

    spark: Any
    F: ModuleType
    name: str
    connection: Any = None  # DuckDB's connection (Arrow tables are registered on it)
    _views: dict[int, tuple[pa.Table | ParquetFiles, str]] = field(default_factory=dict)
    #: called once when the per-cell query starts running in the engine (then cleared): work
    #: that can share the machine with the engine but should not delay building the query
    on_query_start: list[Callable[[], None]] = field(default_factory=list)

    def query_started(self) -> None:
        """Call and forget :attr:`on_query_start`."""
        waiting, self.on_query_start = self.on_query_start, []
        for call in waiting:
            call()

    def read(self, source: Source) -> Any:
        """A DataFrame over ``source``: Parquet files or an Arrow table (:data:`Source`)."""
        if isinstance(source, pa.Table):
            return self.read_arrow(source)
        if isinstance(source, ParquetFiles):
            return self.read_remote(source)
        return self.read_parquet(source)

    def read_remote(self, files: ParquetFiles) -> Any:
        """One DataFrame over Parquet files on S3 or HDFS.

        DuckDB scans them as a ``pyarrow`` dataset over the location's file system (its own
        httpfs extension is not installed and cannot be downloaded in a closed network): only the
        needed columns are fetched. Spark's executors read them themselves, as ``s3a://`` or
        ``hdfs://`` URLs, with the location's s3a settings (endpoint, region, keys) unless the
        Spark configuration already sets them (``OPORA_SPARK_CONF``, ``--spark-conf``,
        spark-defaults.conf).
        """
        if self.connection is not None:
            found = self._views.get(id(files))
            if found is None:
                found = self._views[id(files)] = (files, self._register(_dataset(files)))
            return self.spark.read.table(found[1])
        self._set_hadoop_conf(files.location.hadoop_conf)
        try:
            return self.spark.read.load(files.spark_urls(), format="parquet")
        except Exception as exc:  # a Py4J error: the Hadoop connector is missing or refuses
            raise EngineUnavailable(_remote_reason(exc, files)) from exc

    def _set_hadoop_conf(self, conf: dict[str, str]) -> None:
        context = self.spark.sparkContext
        hadoop = context._jsc.hadoopConfiguration()
        given = context.getConf()
        for key, value in conf.items():
            if not given.contains(f"spark.hadoop.{key}"):
                hadoop.set(key, value)

    def read_parquet(self, paths: list[Path]) -> Any:
        """One DataFrame over several Parquet files, read in a single scan on both engines.

        ``spark.read.parquet(*paths)`` would make SQLFrame union one scan per file; ``load`` with a
        list is a single ``read_parquet([...])`` on DuckDB and a single file source on Spark.
        """
        return self.spark.read.load([str(p) for p in paths], format="parquet")

    def read_arrow(self, table: pa.Table) -> Any:
        """A DataFrame over an Arrow table in memory, without copying it or writing a file.

        DuckDB scans a registered Arrow table in place; SQLFrame cannot look a registered view up
        in the catalog, so its columns are declared from DuckDB's own ``DESCRIBE``. Spark converts
        the table with Arrow (``createDataFrame``). A table is registered once per session.
        """
        if self.connection is None:
            return self.spark.createDataFrame(table)
        found = self._views.get(id(table))
        if found is None:
            # the table is kept with its view: its id stays unique
            found = self._views[id(table)] = (table, self._register(table))
        return self.spark.read.table(found[1])

    def _register(self, data: Any) -> str:
        """Register an Arrow table or dataset on DuckDB and declare its columns to SQLFrame."""
        name = f"opora_arrow_{next(_VIEW_NUMBERS)}"  # never reused: SQLFrame caches schemas
        self.connection.register(name, data)
        columns = {row[0]: row[1] for row in
                   self.connection.execute(f"DESCRIBE {name}").fetchall()}
        self.spark.catalog.add_table(name, column_mapping=columns)
        return name


@contextmanager
def open_session(
    engine: str = "duckdb", *, memory_limit: str | None = None, threads: int | None = None,
    spark_master: str | None = None,
) -> Iterator[EngineSession]:
    """Start ``engine`` ("duckdb" or "spark"), yield it, and always close it on exit.

    ``memory_limit`` is DuckDB's ``memory_limit`` (e.g. "6GB") or Spark's driver memory;
    ``threads`` defaults to the machine's cores. ``spark_master`` (Spark only) is a cluster's
    master URL; ``None`` runs Spark in local mode. Closing explicitly matters: DuckDB 2.0 prints
    nanobind "leaked instance" noise at interpreter exit when a connection is left open.
    """
    if engine == "duckdb":
        with _duckdb_session(memory_limit, threads) as es:
            yield es
    elif engine == "spark":
        with _spark_session(memory_limit, threads, spark_master or None) as es:
            yield es
    else:
        raise EngineUnavailable(
            f"неизвестный движок «{engine}»: допустимы {', '.join(ENGINES)}"
        )


@contextmanager
def _duckdb_session(memory_limit: str | None, threads: int | None) -> Iterator[EngineSession]:
    import duckdb
    import sqlframe.duckdb.functions as functions
    from sqlframe.duckdb import DuckDBSession

    config: dict[str, Any] = {"threads": threads or os.cpu_count() or 1}
    if memory_limit:
        config["memory_limit"] = memory_limit
    # SQLFrame keeps one DuckDBSession per process (a singleton): a second session opened while
    # one is running would take over its connection. Runs in threads of one process (the web
    # worker) therefore take turns.
    if getattr(_OPEN, "duckdb", False):
        raise RuntimeError("a DuckDB engine session is already open in this thread")
    with _DUCKDB_LOCK:
        _OPEN.duckdb = True
        conn = duckdb.connect(config=config)
        session = DuckDBSession(conn=conn)
        try:
            yield EngineSession(session, functions, "duckdb", conn)
        finally:
            session.stop()  # closes the connection and forgets SQLFrame's singleton
            conn.close()
            _OPEN.duckdb = False


@contextmanager
def _spark_session(memory_limit: str | None, threads: int | None,
                   master: str | None) -> Iterator[EngineSession]:
    """The process-wide Spark session (started on first use, stopped at interpreter exit).

    Starting the JVM takes 10–20 s, so the session is kept for the life of the process and shared
    by every run (and by the tests); ``memory_limit`` and ``threads`` only apply to the first start.
    A session on another master (local mode, then a cluster, or the reverse) is stopped and a new
    one started.
    """
    # pyspark 4.x warns that it "does not yet fully support pandas >= 3" when converting; the
    # engine hands it no pandas objects, so the warning says nothing to a user.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                            category=FutureWarning)
    try:
        import pyspark.sql.functions as functions
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineUnavailable(
            "движок spark недоступен: не установлен пакет pyspark (pip install 'opora[spark]')"
        ) from exc
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise EngineUnavailable("движок spark недоступен: не найдена Java (нужна версия 17 или новее)")
    spark = SparkSession.getActiveSession()
    if spark is not None and not _same_master(spark.sparkContext.master or "", master):
        spark.stop()
        spark = None
    if spark is None:
        if master:
            _check_master_reachable(master)
        try:
            spark = _spark_builder(SparkSession, memory_limit, threads, master).getOrCreate()
        except EngineUnavailable:
            raise
        except Exception as exc:  # a Py4J/JVM error: one Russian line, not a Java stack trace
            raise EngineUnavailable(
                f"движок spark не запустился{f' на кластере {master}' if master else ''}: "
                f"{_first_line(exc)}") from exc
        spark.sparkContext.setLogLevel("ERROR")
        atexit.register(spark.stop)
        if master:
            _wait_for_executors(spark, master)
    yield EngineSession(spark, functions, "spark")


#: Seconds to wait for a cluster's master to answer and for its first executor
#: (``OPORA_SPARK_CONNECT_TIMEOUT``).
SPARK_CONNECT_TIMEOUT = 30.0


def _connect_timeout() -> float:
    try:
        return float(os.environ.get("OPORA_SPARK_CONNECT_TIMEOUT", SPARK_CONNECT_TIMEOUT))
    except ValueError:
        return SPARK_CONNECT_TIMEOUT


def _same_master(running: str, wanted: str | None) -> bool:
    return running.startswith("local") if wanted is None else running == wanted


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _check_master_reachable(master: str) -> None:
    """A standalone master (``spark://host:port``) must accept a connection within the timeout.

    Without this check Spark retries for a minute and then leaves a session without executors,
    whose first job waits forever. YARN and Kubernetes URLs are left to Spark itself.
    """
    if not master.startswith("spark://"):
        return
    timeout = _connect_timeout()
    for address in master[len("spark://"):].split(","):  # «spark://a:7077,b:7077»: any master
        host, _, port = address.strip().rstrip("/").rpartition(":")
        if not host or not port.isdigit():
            raise EngineUnavailable(
                f"адрес кластера Spark «{master}» не понят: ожидается spark://хост:порт")
        try:
            with socket.create_connection((host, int(port)), timeout=timeout):
                return
        except OSError:
            continue
    raise EngineUnavailable(
        f"кластер Spark {master} недоступен: мастер не ответил за {timeout:g} с. Запущен ли он "
        "(bash scripts/spark-cluster.sh status) и верен ли адрес --spark-master / "
        "OPORA_SPARK_MASTER?")


def _wait_for_executors(spark: Any, master: str) -> None:
    """Wait until the cluster gives the application an executor; stop it with a reason if not.

    A master whose workers are all busy, or too small for ``spark.executor.memory``, accepts the
    application and never runs a task; the run would wait forever on its first job. With dynamic
    allocation (YARN, Kubernetes) executors are only asked for when a job waits: nothing to check.
    """
    if spark.sparkContext.getConf().get("spark.dynamicAllocation.enabled", "false") == "true":
        return
    timeout = _connect_timeout()
    tracker = spark.sparkContext._jsc.sc().statusTracker()
    deadline = time.monotonic() + timeout
    while len(tracker.getExecutorInfos()) < 2:  # the driver is listed too
        if time.monotonic() > deadline:
            spark.stop()
            raise EngineUnavailable(
                f"кластер Spark {master} не выделил ни одного исполнителя за {timeout:g} с: "
                "нет свободных рабочих или им не хватает памяти и ядер (spark.executor.memory, "
                "spark.executor.cores — OPORA_SPARK_CONF)")
        time.sleep(0.5)


def _spark_builder(session_cls: Any, memory_limit: str | None, threads: int | None,
                   master: str | None = None) -> Any:
    """Settings: quiet, no UI, few shuffle partitions, Spark-3 null semantics; local mode when
    ``master`` is ``None``.

    ANSI mode (on by default in Spark 4) is switched off so that an out-of-range list index gives
    null, as it does on DuckDB — the per-task sums rely on it for works of different lengths.
    ``OPORA_SPARK_CONF`` («spark.executor.memory=4g,spark.sql.shuffle.partitions=64») comes
    last and overrides any of them.
    """
    builder = (
        session_cls.builder.master(master or f"local[{threads or os.cpu_count() or 1}]")
        .appName("opora-engine")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(SPARK_SHUFFLE_PARTITIONS))
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions",
                f"-Dlog4j2.configurationFile={_quiet_log4j_config()}")
    )
    if memory_limit:
        builder = builder.config("spark.driver.memory", memory_limit.replace("GB", "g"))
    if master and _loopback(master):
        # the executors of a cluster on this machine (scripts/spark-cluster.sh, bound to
        # 127.0.0.1) must reach the driver there too, not at the host name's address
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    for key, value in spark_conf(os.environ.get("OPORA_SPARK_CONF", "")).items():
        builder = builder.config(key, value)
    return builder


def _dataset(files: ParquetFiles) -> Any:
    """The files as one ``pyarrow`` dataset whose text columns are read dictionary-encoded.

    Keys (school, procedure, subject) repeat over millions of rows: read as dictionaries, DuckDB
    groups them without converting every string (the region's cell query: ≈ 2× faster than
    plain strings). DuckDB still sees VARCHAR columns.
    """
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    fs = files.location.fs
    schema = pq.read_schema(files.paths[0], filesystem=fs)
    texts = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    parquet = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=texts))
    return ds.dataset(list(files.paths), filesystem=fs, format=parquet)


def _remote_reason(exc: BaseException, files: ParquetFiles) -> str:
    """Why Spark could not open remote files, in Russian: usually the s3a connector's jars."""
    text = str(exc)
    where = files.location.url
    if "S3AFileSystem" in text or 'scheme "s3a"' in text or "scheme \"s3a\"" in text:
        version = hadoop_version() or "X.Y.Z"
        return (f"Spark не может читать {where}: нет коннектора s3a — нужны hadoop-aws-{version}.jar "
                "(версия как у Hadoop в pyspark) и AWS SDK v2 (bundle) в spark.jars или "
                "spark.jars.packages=org.apache.hadoop:hadoop-aws:" + version +
                " (docs/operations.md, «Данные на HDFS и S3»)")
    return f"Spark не смог прочитать {where}: {_first_line(exc)}"


def _loopback(master: str) -> bool:
    return any(host in master for host in ("//127.0.0.1:", "//localhost:", ",127.0.0.1:"))


def spark_conf(text: str) -> dict[str, str]:
    """``OPORA_SPARK_CONF``: «key=value» pairs separated by commas or spaces.

    A comma inside a value stays when what follows it is not a new «spark.…=» pair:
    ``spark.jars=/opt/a.jar,/opt/b.jar,spark.executor.memory=4g`` is two settings.
    """
    conf: dict[str, str] = {}
    for item in filter(None, re.split(r"\s+|,(?=\s*spark\.[\w.\-]+=)|,\s*$", text.strip())):
        key, sep, value = item.partition("=")
        if not sep or not key.startswith("spark."):
            raise EngineUnavailable(
                f"OPORA_SPARK_CONF: ожидается spark.параметр=значение, а не «{item}»")
        conf[key] = value
    return conf


_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def _quiet_log4j_config() -> str:
    """A log4j2 file that shows errors only (Spark's default prints WARN lines at start).

    Two lines still reach stderr when the JVM starts (the JVM's «Using incubator modules» and
    Spark's «Setting default log level»): they are printed before any logger is consulted.
    """
    path = Path(tempfile.gettempdir()) / "opora-spark-log4j2.properties"
    if not path.exists() or path.read_text() != _LOG4J2:
        path.write_text(_LOG4J2)
    return str(path)
