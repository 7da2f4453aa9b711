"""``opora analyze DIR --out OUT [--config RULES.toml] [--engine duckdb|spark] [--years 2022-2024]
[--spark-master spark://127.0.0.1:7077] [--spark-conf KEY=VALUE …]``.

``DIR`` and ``OUT`` are local directories or ``s3://bucket/prefix`` (S3-compatible storage: keys
and region from the AWS environment variables, the server from ``OPORA_S3_ENDPOINT``) or
``hdfs://host:port/path`` (:mod:`opora.engine.storage`). ``--spark-master`` (or
``OPORA_SPARK_MASTER``) runs ``--engine spark`` on a cluster instead of local mode
(scripts/spark-cluster.sh starts one on this machine); ``--spark-conf`` adds Spark settings to
``OPORA_SPARK_CONF`` for this run. Bad arguments, a cluster that does not answer and storage that
cannot be reached (a bad URL, a missing bucket, wrong keys) give one Russian line on stderr and exit
code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4}))?\s*$")


class UsageError(ValueError):
    """A wrong argument; ``str(exc)`` is the Russian line for the user."""


def parse_years(text: str | None) -> tuple[int, int] | None:
    """«2022-2024» → (2022, 2024); «2024» → (2024, 2024)."""
    if text is None:
        return None
    match = _YEARS.match(text)
    if not match:
        raise UsageError(f"--years: ожидается диапазон лет вида 2022-2024, а не «{text}»")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise UsageError(f"--years: первый год {first} позже последнего {last}")
    return first, last


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", help="каталог с нормализованными таблицами (opora read / generate) "
                                    "или адрес s3://корзина/префикс, hdfs://сервер:порт/путь")
    parser.add_argument("--out", default=None,
                        help="каталог для результатов анализа (или адрес s3://…, hdfs://…)")
    parser.add_argument("--config", default=None, help="свой файл правил (TOML)")
    parser.add_argument("--engine", default="duckdb", help="duckdb (по умолчанию) или spark")
    parser.add_argument("--years", default=None, help="годы анализа, например 2022-2024")
    parser.add_argument("--spark-master", default=None,
                        help="адрес кластера Spark для --engine spark, например "
                             "spark://127.0.0.1:7077 (по умолчанию OPORA_SPARK_MASTER; без него "
                             "Spark работает локально)")
    parser.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                        help="настройка Spark для --engine spark, например spark.hadoop.fs.s3a."
                             "endpoint=http://minio:9000 (можно несколько раз; добавляется к "
                             "OPORA_SPARK_CONF)")


def run(args: argparse.Namespace) -> int:
    """Check the arguments, run :func:`opora.engine.run.analyze`, print a one-line summary."""
    from opora.engine.config import ConfigError
    from opora.engine.run import analyze
    from opora.engine.session import EngineUnavailable, spark_conf
    from opora.engine.storage import StorageError, as_location, check_input, check_output

    try:
        years = parse_years(args.years)
        if args.engine not in ("duckdb", "spark"):
            raise UsageError(f"--engine: допустимо duckdb или spark, а не «{args.engine}»")
        if not args.out:
            raise UsageError("не указан каталог для результатов: --out КАТАЛОГ")
        master = (args.spark_master or os.environ.get("OPORA_SPARK_MASTER", "")).strip() or None
        if args.spark_master and args.engine != "spark":
            raise UsageError("--spark-master задаёт кластер движка spark: добавьте --engine spark")
        if args.spark_conf:
            if args.engine != "spark":
                raise UsageError("--spark-conf задаёт настройки движка spark: добавьте --engine spark")
            given = " ".join(args.spark_conf)
            try:
                spark_conf(given)  # checked now: a wrong pair is one line before anything starts
            except EngineUnavailable as exc:
                raise UsageError(str(exc).replace("OPORA_SPARK_CONF", "--spark-conf", 1)) from exc
            os.environ["OPORA_SPARK_CONF"] = f"{os.environ.get('OPORA_SPARK_CONF', '')} {given}"
        source, target = as_location(args.dir), as_location(args.out)
        check_input(source)
        check_output(target)
        summary = analyze(source, target, config_path=args.config, engine=args.engine,
                          years=years, spark_master=master if args.engine == "spark" else None,
                          process_ends=True)
    except (UsageError, ConfigError, EngineUnavailable, StorageError) as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a local file that cannot be read or written: no traceback
        print(f"ошибка: {local_file_error(exc)}", file=sys.stderr)
        return 2
    print(summary)
    for note in summary.not_computed:
        print(f"  — {note}")
    return 0


#: Russian reasons for the local file system's errors, by ``errno``.
_REASONS = {errno.EISDIR: "на месте файла — каталог", errno.EACCES: "нет прав на запись или чтение",
            errno.EPERM: "операция не разрешена", errno.ENOENT: "нет такого файла или каталога",
            errno.ENOSPC: "на диске нет места", errno.EROFS: "файловая система только для чтения",
            errno.ENOTDIR: "часть пути — файл, а не каталог"}


def local_file_error(exc: OSError) -> str:
    """«не удалось записать или прочитать /путь/flags.csv: на месте файла — каталог» — the file
    (Python's ``filename`` or the path in Arrow's message) and the reason in Russian."""
    path = exc.filename
    if path is None:
        found = re.search(r"local file '([^']+)'", str(exc))
        path = found.group(1) if found else None
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc))
    where = f" {path}" if path else ""
    return f"не удалось записать или прочитать файл{where}: {reason}"
