"""Engines the aggregate tests run on: DuckDB always, Spark when pyspark and a JVM are present.

Spark is started once per test session (JVM start is slow) and shared: ``open_session("spark")``
keeps one process-wide session, so entering it again is cheap.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opora.engine.session import EngineSession, open_session
from opora.schemas import TABLES

SPARK_READY = importlib.util.find_spec("pyspark") is not None and bool(
    os.environ.get("JAVA_HOME") or shutil.which("java"))

ENGINES = [
    "duckdb",
    pytest.param("spark", marks=[
        pytest.mark.spark,
        pytest.mark.skipif(not SPARK_READY, reason="нет pyspark или Java: Spark не запустить"),
    ]),
]


def engine_session(name: str) -> Iterator[EngineSession]:
    with open_session(name, threads=2) as es:
        yield es


def write_tables(out: Path, tables: dict[str, list[dict[str, object]]]) -> Path:
    """Write rows as ``<table>.parquet`` conformed to the normalised schemas."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        spec = TABLES[name]
        table = pa.Table.from_pylist(rows, schema=spec.schema)
        pq.write_table(table, out / f"{name}.parquet")
    return out
