"""A normalised data set on disk: ``<table>.parquet`` files, as ``opora read``/``generate`` write.

Importing one lets an analyst read a file with ``opora read``, look at the Parquet, and load it;
it is also how the demo and the tests load data without any spreadsheet reader.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from opora.formats.base import Problem, ReadResult, UnreadableFile
from opora.schemas import TABLES, conform
from opora.web.imports.errors import ImportErrorCode

DATASET_FORMAT = "tables"
NOT_LOADED = {"truth": "истина генератора в базу не загружается (она нужна только для проверок)"}


def checksum(path: Path) -> str:
    """SHA-256 of a file, or of a directory's Parquet files (names and bytes, sorted by name)."""
    digest = hashlib.sha256()
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode() + b"\0")
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def read_dataset(path: Path) -> ReadResult:
    """Read ``path`` (a directory or one ``<table>.parquet``) into a :class:`ReadResult`."""
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not files:
        raise UnreadableFile(f"в каталоге {path.name} нет файлов <таблица>.parquet")
    result = ReadResult(format=DATASET_FORMAT)
    for file in files:
        name = file.stem
        if name in NOT_LOADED:
            result.skipped.append(Problem(file.name, NOT_LOADED[name], ImportErrorCode.NOT_LOADED))
            continue
        if name not in TABLES:
            raise UnreadableFile(
                f"файл {file.name}: «{name}» — не имя нормализованной таблицы "
                f"(допустимы: {', '.join(t for t in TABLES if t not in NOT_LOADED)})")
        result.tables[name] = _read_table(file)
    return result


def _read_table(file: Path) -> pa.Table:
    try:
        table = pq.read_table(file)
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFile(f"файл {file.name} не читается как Parquet: {exc}") from exc
    spec = TABLES[file.stem]
    missing = [c.name for c in spec.columns if c.required and c.name not in table.column_names]
    if missing:
        raise UnreadableFile(f"файл {file.name}: нет обязательных столбцов {', '.join(missing)}")
    try:
        return conform(table, spec)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise UnreadableFile(
            f"файл {file.name}: типы столбцов не совпадают с описанием в docs/formats.md ({exc})"
        ) from exc
