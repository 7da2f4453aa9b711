"""Finding and reading the normalised tables an analysis starts from.

``opora read`` and ``opora generate`` write each table as ``<table>.parquet`` in one directory
(``opora.schemas``). The big ones — ``results`` and possibly ``aggregates`` — may be a single file
or a directory of part files (``results.parquet/part-*.parquet``, as Spark and chunked writers
produce); both are accepted. The small tables are read whole into Arrow.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from opora.schemas import TABLES, conform

SMALL_TABLES = ("schools", "scales", "tasks", "reference", "context", "markers", "truth")

# Files above this size are fingerprinted, not fully hashed (see :func:`checksums`).
FULL_HASH_LIMIT = 64 * 1024 * 1024
_EDGE = 1024 * 1024


def table_paths(input_dir: Path, name: str) -> list[Path]:
    """The Parquet files holding table ``name``: one file, the parts of a directory, or none."""
    path = Path(input_dir) / f"{name}.parquet"
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.parquet") if p.is_file())
    return []


def results_paths(input_dir: Path) -> list[Path]:
    """The Parquet files of ``results`` (empty list when the set has no student-level data)."""
    return table_paths(input_dir, "results")


def aggregates_path(input_dir: Path) -> list[Path]:
    """The Parquet files of ``aggregates`` (empty list when there are none)."""
    return table_paths(input_dir, "aggregates")


def read_table(input_dir: Path, name: str) -> pa.Table:
    """Table ``name`` conformed to its schema; an empty table of that schema when absent."""
    spec = TABLES[name]
    paths = table_paths(input_dir, name)
    if not paths:
        return spec.empty()
    parts = [conform(pq.read_table(p), spec) for p in paths]
    return pa.concat_tables(parts) if len(parts) > 1 else parts[0]


def read_small_tables(input_dir: Path) -> dict[str, pa.Table]:
    """Every small table of the set (``SMALL_TABLES``), missing ones as empty tables."""
    return {name: read_table(input_dir, name) for name in SMALL_TABLES}


def checksums(input_dir: Path, *, full_hash_limit: int = FULL_HASH_LIMIT) -> dict[str, str]:
    """A checksum of each input file, for ``run.json``: relative path → ``"sha256:<hex>"``.

    Files up to ``full_hash_limit`` (64 MB) are hashed in full. Bigger ones (country-scale results are gigabytes) get a
    fingerprint — sha256 of size, modification time and the first and last megabyte — marked
    ``"fingerprint:<hex>"`` so nobody mistakes it for a full hash. Parquet keeps its footer
    (schema, row counts, column statistics) in the last megabyte, so a rewrite of the data is
    very unlikely to keep the same fingerprint.
    """
    root = Path(input_dir)
    out: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        out[path.relative_to(root).as_posix()] = _file_checksum(path, full_hash_limit)
    return out


def _file_checksum(path: Path, full_hash_limit: int) -> str:
    digest = hashlib.sha256()
    stat = path.stat()
    if stat.st_size <= full_hash_limit:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(_EDGE), b""):
                digest.update(block)
        return f"sha256:{digest.hexdigest()}"
    digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    with path.open("rb") as fh:
        digest.update(fh.read(_EDGE))
        fh.seek(-_EDGE, 2)
        digest.update(fh.read(_EDGE))
    return f"fingerprint:{digest.hexdigest()}"
