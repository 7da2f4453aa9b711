"""Finding and reading the normalised tables an analysis starts from.

``opora read`` and ``opora generate`` write each table as ``<table>.parquet`` in one directory
(``opora.schemas``). The big ones — ``results`` and possibly ``aggregates`` — may be a single file
or a directory of part files (``results.parquet/part-*.parquet``, as Spark and chunked writers
produce); both are accepted. The small tables are read whole into Arrow.

The directory may be local or remote — S3-compatible storage or HDFS (:mod:`opora.engine.storage`):
every function takes a :class:`~opora.engine.storage.Location` (or a path or URL) and lists and
reads through its file system, never by joining local path strings.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TypeAlias

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from opora.engine.storage import Location, ParquetFiles, as_location, storage_errors
from opora.schemas import TABLES, conform

#: A data set's directory: a local path, or a :class:`~opora.engine.storage.Location` (any file
#: system: local, S3, HDFS) or its URL (``s3://bucket/prefix``, ``hdfs://host:port/path``).
Where: TypeAlias = Location | Path | str

SMALL_TABLES = ("schools", "scales", "tasks", "reference", "context", "markers", "truth")

# Files above this size are fingerprinted, not fully hashed (see :func:`checksums`).
FULL_HASH_LIMIT = 64 * 1024 * 1024
_EDGE = 1024 * 1024


def table_files(where: Where, name: str) -> list[str]:
    """Paths (in the location's file system) of the Parquet files holding table ``name``:
    one file, the parts of a directory, or none."""
    location = as_location(where)
    path = location.child(f"{name}.parquet")
    with storage_errors(location, "прочитать"):
        info = location.fs.get_file_info(path)
        if info.type == pafs.FileType.File:
            return [path]
        if info.type == pafs.FileType.Directory:
            found = location.fs.get_file_info(pafs.FileSelector(path, recursive=True))
            return sorted((i.path for i in found if i.type == pafs.FileType.File
                           and i.base_name.endswith(".parquet")), key=lambda p: p.split("/"))
    return []


def table_paths(where: Where, name: str) -> list[Path] | ParquetFiles:
    """The files of table ``name`` as the engine scans them: local paths, or
    :class:`~opora.engine.storage.ParquetFiles` of a remote location; ``[]`` when there are none."""
    location = as_location(where)
    files = table_files(location, name)
    if not files:
        return []
    if location.remote:
        return ParquetFiles(location, tuple(files))
    return [Path(p) for p in files]


def results_paths(where: Where) -> list[Path] | ParquetFiles:
    """The Parquet files of ``results`` (empty list when the set has no student-level data)."""
    return table_paths(where, "results")


def aggregates_path(where: Where) -> list[Path] | ParquetFiles:
    """The Parquet files of ``aggregates`` (empty list when there are none)."""
    return table_paths(where, "aggregates")


def read_table(where: Where, name: str) -> pa.Table:
    """Table ``name`` conformed to its schema; an empty table of that schema when absent."""
    spec = TABLES[name]
    location = as_location(where)
    paths = table_files(location, name)
    if not paths:
        return spec.empty()
    with storage_errors(location, "прочитать"):
        parts = [conform(pq.read_table(p, filesystem=location.fs), spec) for p in paths]
    return pa.concat_tables(parts) if len(parts) > 1 else parts[0]


def read_small_tables(where: Where) -> dict[str, pa.Table]:
    """Every small table of the set (``SMALL_TABLES``), missing ones as empty tables."""
    location = as_location(where)
    return {name: read_table(location, name) for name in SMALL_TABLES}


def checksums(where: Where, *, full_hash_limit: int = FULL_HASH_LIMIT) -> dict[str, str]:
    """A checksum of each input file, for ``run.json``: relative path → ``"sha256:<hex>"``.

    Files up to ``full_hash_limit`` (64 MB) are hashed in full. Bigger ones (country-scale results are gigabytes) get a
    fingerprint — sha256 of size, modification time and the first and last megabyte — marked
    ``"fingerprint:<hex>"`` so nobody mistakes it for a full hash. Parquet keeps its footer
    (schema, row counts, column statistics) in the last megabyte, so a rewrite of the data is
    very unlikely to keep the same fingerprint. The files are read through the location's file
    system (a local directory, S3, HDFS).
    """
    location = as_location(where)
    root = location.path.rstrip("/")
    out: dict[str, str] = {}
    with storage_errors(location, "прочитать"):
        found = location.fs.get_file_info(pafs.FileSelector(root, recursive=True))
        files = sorted((i for i in found if i.type == pafs.FileType.File),
                       key=lambda i: i.path[len(root) + 1:].split("/"))
        for info in files:
            out[info.path[len(root) + 1:]] = _file_checksum(location.fs, info, full_hash_limit)
    return out


def _file_checksum(fs: pafs.FileSystem, info: pafs.FileInfo, full_hash_limit: int) -> str:
    digest = hashlib.sha256()
    size = info.size or 0
    if size <= full_hash_limit:
        with fs.open_input_stream(info.path) as fh:
            for block in iter(lambda: fh.read(_EDGE), b""):
                digest.update(block)
        return f"sha256:{digest.hexdigest()}"
    digest.update(f"{size}:{info.mtime_ns}".encode())
    with fs.open_input_file(info.path) as fh:
        digest.update(fh.read(_EDGE))
        fh.seek(size - _EDGE, os.SEEK_SET)
        digest.update(fh.read(_EDGE))
    return f"fingerprint:{digest.hexdigest()}"
