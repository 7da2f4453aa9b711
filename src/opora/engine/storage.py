"""Where a data set and the outputs of ``opora analyze`` live: a local directory, S3-compatible
storage (``s3://bucket/prefix``) or HDFS (``hdfs://host:port/path``).

A :class:`Location` is a file system (``pyarrow.fs``) and a path inside it, so the rest of the
engine lists, reads and writes files the same way wherever they are: :mod:`opora.engine.io` finds
and reads the tables through ``location.fs``, :func:`opora.engine.outputs.write_outputs` writes
through it, and the engine session scans the student rows of a remote set as a ``pyarrow`` dataset
(DuckDB: its httpfs extension is not installed here and needs the internet to install) or hands
Spark the same files as ``s3a://`` / ``hdfs://`` URLs, which its executors read themselves.

S3 settings come from the standard AWS environment — ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_REGION`` / ``AWS_DEFAULT_REGION`` — and the
endpoint of an S3-compatible server from ``OPORA_S3_ENDPOINT`` (or ``AWS_ENDPOINT_URL_S3``,
``AWS_ENDPOINT_URL``), e.g. ``http://minio.local:9000``. Every failure to reach the storage is a
:class:`StorageError` whose text is one Russian sentence for the user (docs/operations.md,
«Данные на HDFS и S3»).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.fs as pafs

#: URL schemes read through a remote file system (``s3a`` is Hadoop's name for the same S3).
REMOTE_SCHEMES = ("s3", "s3a", "hdfs")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")
#: Seconds to wait for an S3 server to accept a connection.
S3_CONNECT_TIMEOUT = 10.0


class StorageError(OSError):
    """The data or output location cannot be used; ``str(exc)`` is a Russian reason."""


@dataclass(frozen=True)
class Location:
    """A directory in a file system: ``fs`` and the ``path`` inside it, ``url`` as the user wrote it.

    ``kind`` is ``"local"``, ``"s3"`` or ``"hdfs"``. For S3 ``path`` is ``bucket/prefix``; for HDFS
    an absolute path on the name node; locally an absolute path.
    """

    url: str
    fs: pafs.FileSystem
    path: str
    kind: str
    authority: str = ""  # hdfs: «host:port» of the name node
    endpoint: str | None = None  # s3: the S3-compatible server, None for AWS itself
    #: s3a settings for Spark, keys included: never in ``repr`` (logs, tracebacks)
    hadoop_conf: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def remote(self) -> bool:
        return self.kind != "local"

    @property
    def local_path(self) -> Path | None:
        return Path(self.path) if self.kind == "local" else None

    def child(self, name: str) -> str:
        """The path of ``name`` inside this directory, in ``fs``."""
        return f"{self.path.rstrip('/')}/{name}" if self.path else name

    def url_of(self, path: str) -> str:
        """How the user writes ``path`` (a path in ``fs``): for messages and ``run.json``."""
        if self.kind == "s3":
            return f"s3://{path}"
        if self.kind == "hdfs":
            return f"hdfs://{self.authority}{path}"
        return path

    def spark_url(self, path: str) -> str:
        """``path`` as Spark's executors open it: ``s3a://`` for S3 (Hadoop's S3 connector)."""
        if self.kind == "s3":
            return f"s3a://{path}"
        return self.url_of(path)

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True)
class ParquetFiles:
    """Parquet files in a remote :class:`Location`: the student rows the engine scans."""

    location: Location
    paths: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.paths)

    def spark_urls(self) -> list[str]:
        return [self.location.spark_url(p) for p in self.paths]


def is_url(text: str | os.PathLike[str]) -> bool:
    """Whether ``text`` names a remote location (``s3://``, ``s3a://``, ``hdfs://``)."""
    return isinstance(text, str) and bool(re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", text))


def as_location(where: Location | str | os.PathLike[str]) -> Location:
    """A :class:`Location` for a local path or a URL; raises :class:`StorageError` for a bad URL."""
    if isinstance(where, Location):
        return where
    if not is_url(where):
        path = Path(where).absolute()
        return Location(str(where), pafs.LocalFileSystem(), path.as_posix(), "local")
    text = str(where)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in ("s3", "s3a"):
        return _s3_location(text, parts.netloc, parts.path)
    if scheme == "hdfs":
        return _hdfs_location(text, parts.hostname, parts.port, parts.path)
    raise StorageError(
        f"адрес «{text}» не понят: поддерживаются локальный каталог, s3://корзина/префикс и "
        "hdfs://сервер:порт/путь")


def s3_endpoint() -> str | None:
    """The S3-compatible server from the environment (``None``: Amazon S3 itself)."""
    for name in ("OPORA_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
        value = os.environ.get(name, "").strip()
        if value:
            return value if "://" in value else f"https://{value}"
    return None


def _s3_location(text: str, bucket: str, key: str) -> Location:
    if not bucket or not _BUCKET.match(bucket) or "@" in bucket or ":" in bucket:
        raise StorageError(
            f"адрес «{text}» не понят: ожидается s3://корзина/префикс (имя корзины — 3–63 "
            "строчные латинские буквы, цифры, точки и дефисы)")
    endpoint = s3_endpoint()
    region = (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
              or ("us-east-1" if endpoint else None))
    keys = {"access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "session_token": os.environ.get("AWS_SESSION_TOKEN")}
    options: dict[str, object] = {"connect_timeout": S3_CONNECT_TIMEOUT}
    if keys["access_key"] and keys["secret_key"]:
        options.update({k: v for k, v in keys.items() if v})
    if region:
        options["region"] = region
    if endpoint:
        options["endpoint_override"] = endpoint
    try:
        fs = pafs.S3FileSystem(**options)
    except (OSError, ValueError, TypeError) as exc:
        raise StorageError(f"хранилище S3 для «{text}» не настроено: {_first_line(exc)}") from exc
    path = f"{bucket}/{key.strip('/')}".rstrip("/")
    return Location(text, fs, path, "s3", endpoint=endpoint,
                    hadoop_conf=_s3a_conf(endpoint, region, keys))


def _s3a_conf(endpoint: str | None, region: str | None,
              keys: dict[str, str | None]) -> dict[str, str]:
    """Hadoop's s3a settings (``fs.s3a.*``) equal to what ``pyarrow`` was given.

    Spark's executors read the student rows themselves, through Hadoop's S3 connector: they get
    the same endpoint, region and keys. Spark hides values of keys named «secret», «token» or
    «access.key» in its logs and UI (``spark.redaction.regex``).
    """
    conf: dict[str, str] = {}
    if endpoint:
        conf["fs.s3a.endpoint"] = endpoint
        conf["fs.s3a.path.style.access"] = "true"  # MinIO, Ceph, moto: no bucket subdomains
        conf["fs.s3a.connection.ssl.enabled"] = str(endpoint.startswith("https://")).lower()
    if region:
        conf["fs.s3a.endpoint.region"] = region
    if keys["access_key"] and keys["secret_key"]:
        conf["fs.s3a.access.key"] = keys["access_key"]
        conf["fs.s3a.secret.key"] = keys["secret_key"]
        if keys["session_token"]:
            conf["fs.s3a.session.token"] = keys["session_token"]
            conf["fs.s3a.aws.credentials.provider"] = (
                "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider")
    return conf


def _hdfs_location(text: str, host: str | None, port: int | None, path: str) -> Location:
    if not host:
        raise StorageError(f"адрес «{text}» не понят: ожидается hdfs://сервер:порт/путь")
    authority = f"{host}:{port}" if port else host
    try:
        fs = pafs.HadoopFileSystem(host, port or 0, user=os.environ.get("HADOOP_USER_NAME"))
    except (OSError, RuntimeError) as exc:
        raise StorageError(
            f"HDFS недоступен для «{text}»: {_hdfs_reason(exc)}") from exc
    return Location(text, fs, "/" + path.strip("/"), "hdfs", authority=authority)


def _hdfs_reason(exc: BaseException) -> str:
    text = str(exc)
    if "libjvm" in text or "JAVA_HOME" in text:
        return ("не найдена Java для клиента HDFS (задайте JAVA_HOME; клиенту нужны также "
                "ARROW_LIBHDFS_DIR с libhdfs.so и CLASSPATH=$(hadoop classpath --glob))")
    if "libhdfs" in text:
        return ("не найдена библиотека libhdfs.so из дистрибутива Hadoop (ARROW_LIBHDFS_DIR или "
                "HADOOP_HOME; и CLASSPATH=$(hadoop classpath --glob))")
    return f"сервер имён не ответил или отказал: {_first_line(exc)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def describe(exc: BaseException, location: Location, doing: str) -> str:
    """A Russian sentence for an error of the storage behind ``location`` while ``doing``."""
    text = str(exc)
    where = location.url
    server = f"сервер S3 {location.endpoint}" if location.endpoint else "Amazon S3"
    bucket = location.path.split("/", 1)[0]
    if location.kind == "s3":
        if "NO_SUCH_BUCKET" in text or "NoSuchBucket" in text or (
                "Bucket" in text and "not found" in text):
            return (f"корзина «{bucket}» не найдена ({server}); проверьте адрес {where} и "
                    "OPORA_S3_ENDPOINT")
        if any(code in text for code in ("INVALID_ACCESS_KEY_ID", "InvalidAccessKeyId",
                                         "SIGNATURE_DOES_NOT_MATCH", "SignatureDoesNotMatch",
                                         "InvalidClientTokenId", "ACCESS_DENIED", "AccessDenied",
                                         "HTTP status 403")):
            return (f"{server} отказал в доступе к {where}: неверные ключи или нет прав "
                    "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
        if "NETWORK_CONNECTION" in text or "curlCode" in text:
            return (f"{server} недоступен, не удалось {doing} {where}: проверьте OPORA_S3_ENDPOINT "
                    "и сеть")
    return f"не удалось {doing} {where}: {_first_line(exc)}"


@contextmanager
def storage_errors(location: Location, doing: str) -> Iterator[None]:
    """Turn an error of a remote file system into a :class:`StorageError` with a Russian reason."""
    try:
        yield
    except StorageError:
        raise
    except OSError as exc:
        if not location.remote:
            raise
        raise StorageError(describe(exc, location, doing)) from exc
    except Exception as exc:
        # DuckDB scanning the files as an Arrow stream reports the file system's failure in the
        # middle of the scan (a dropped connection, a file removed meanwhile) as its own error
        # whose text carries Arrow's «IOError: …»
        if not location.remote or "IOError" not in str(exc):
            raise
        raise StorageError(describe(exc, location, doing)) from exc


def check_input(location: Location) -> None:
    """The data set's directory exists and holds ``*.parquet`` tables; else a :class:`StorageError`."""
    with storage_errors(location, "прочитать"):
        info = location.fs.get_file_info(location.path)
        if info.type != pafs.FileType.Directory:
            _check_bucket(location)
            raise StorageError(f"данные по адресу {location.url} не найдены" if location.remote
                               else f"каталог с данными {location.url} не найден")
        names = [i.base_name for i in location.fs.get_file_info(
            pafs.FileSelector(location.path, allow_not_found=True))]
    if not any(name.endswith(".parquet") for name in names):
        raise StorageError(f"в каталоге {location.url} нет таблиц *.parquet (сначала opora read "
                           "или opora generate)")


def check_output(location: Location) -> None:
    """The outputs can go to ``location``: for S3 its bucket exists and the keys are accepted."""
    with storage_errors(location, "записать результаты в"):
        _check_bucket(location)


def _check_bucket(location: Location) -> None:
    if location.kind != "s3":
        return
    bucket = location.path.split("/", 1)[0]
    if location.fs.get_file_info(bucket).type == pafs.FileType.NotFound:
        server = f"сервер S3 {location.endpoint}" if location.endpoint else "Amazon S3"
        raise StorageError(f"корзина «{bucket}» не найдена ({server}); проверьте адрес "
                           f"{location.url} и OPORA_S3_ENDPOINT")


def hadoop_version() -> str | None:
    """The Hadoop client version inside the installed ``pyspark`` (its ``jars`` directory)."""
    try:
        import pyspark
    except ImportError:
        return None
    jars = Path(pyspark.__file__).parent / "jars"
    for jar in sorted(glob.glob(str(jars / "hadoop-client-api-*.jar"))):
        match = re.search(r"hadoop-client-api-(\d+\.\d+\.\d+)\.jar$", jar)
        if match:
            return match.group(1)
    return None
