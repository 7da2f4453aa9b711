"""Contract on a generated municipality: both engines agree, and DuckDB agrees with plain pandas.

The pandas reference below is written independently of the engine code: a per-cell loop over
student rows following the definitions in ``opora.engine.tables.CELL_STATS`` and DOMAIN.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from aggregate_engines import SPARK_READY, engine_session

from opora.engine.aggregate import compute_cell_stats
from opora.engine.session import EngineSession, open_session

KEY = ["school_key", "procedure", "subject", "grade", "year"]
WORK = ["procedure", "year", "grade", "subject"]


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from opora.demo.generator import generate

    out = tmp_path_factory.mktemp("town_cells")
    generate(scale="municipality", years=2, seed=3, out=out)
    return out


@pytest.fixture(scope="module")
def duckdb_cells(town: Path) -> pa.Table:
    with open_session("duckdb") as es:
        return compute_cell_stats(es, town)


@pytest.fixture(scope="module")
def spark(town: Path) -> Iterator[EngineSession]:
    if not SPARK_READY:
        pytest.skip("нет pyspark или Java: Spark не запустить")
    yield from engine_session("spark")


def _cell_reference(g: pd.DataFrame, scale: pd.Series | None, maxima: list[float]) -> dict:
    """One student-level cell by the definitions, with plain Python/pandas."""
    proc = g["procedure"].iat[0]
    value = g["test_score"] if proc == "EGE" else g["primary_score"]
    took = g[~g["absent"] & value.notna()]
    v = (took["test_score"] if proc == "EGE" else took["primary_score"]).astype(float)
    top = 100.0 if proc == "EGE" else float(scale["max_primary_score"])
    pct = v / top * 100
    out = {"participants": len(took), "mean_pct": float(pct.mean()) if len(took) else None,
           "sumsq_pct": float((pct**2).sum()),
           **{f"mark_{k}": int((took["mark"] == k).sum()) for k in (2, 3, 4, 5)},
           "mark_above_term": int((took["mark"] > took["term_mark"]).sum()),
           "mark_below_term": int((took["mark"] < took["term_mark"]).sum()),
           "with_term_mark": int((took["mark"].notna() & took["term_mark"].notna()).sum())}
    if proc == "VPR":
        out["below_threshold"] = out["mark_2"]
    else:
        basis = took["test_score"] if scale["threshold_scale"] == "test" else took["primary_score"]
        out["below_threshold"] = int((basis < scale["min_threshold"]).sum())
    if proc != "EGE" and len(took):
        width = int(max(top, took["primary_score"].max())) + 1
        out["score_hist"] = np.bincount(np.floor(took["primary_score"]).astype(int),
                                        minlength=width).tolist()
    lists = [x for x in took["task_scores"] if x is not None]
    if maxima and lists:
        out["task_success"] = [float(sum(x[j] for x in lists)) / (len(lists) * m)
                               for j, m in enumerate(maxima)]
    return out


def _pandas_reference(town: Path) -> dict[tuple, dict]:
    results = pq.read_table(town / "results.parquet").to_pandas()
    scales = pq.read_table(town / "scales.parquet").to_pandas().set_index(WORK)
    tasks = pq.read_table(town / "tasks.parquet").to_pandas().sort_values("task_no")
    maxima = {k: list(g["max_score"]) for k, g in tasks.groupby(WORK)}
    out = {}
    for key, g in results.groupby(KEY):
        work = (key[1], key[4], key[3], key[2])
        scale = scales.loc[work] if work in scales.index else None
        out[key] = _cell_reference(g, scale, maxima.get(work, []))
    return out


def _close(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_duckdb_cells_equal_a_plain_pandas_computation(town: Path, duckdb_cells: pa.Table) -> None:
    reference = _pandas_reference(town)
    student = [r for r in duckdb_cells.to_pylist() if r["level"] == "student"]
    assert len(student) == len(reference) > 500
    mismatches = []
    for row in student:
        expected = reference[tuple(row[k] for k in KEY)]
        mismatches += [(tuple(row[k] for k in KEY), name, row[name], want)
                       for name, want in expected.items() if not _close(row[name], want)]
    assert mismatches == []


def test_student_level_wins_over_published_aggregates_for_the_same_cell(
    town: Path, duckdb_cells: pa.Table
) -> None:
    published = pq.read_table(town / "aggregates.parquet").to_pandas()
    results = pq.read_table(town / "results.parquet", columns=KEY).to_pandas().drop_duplicates()
    overlap = published.merge(results, on=KEY)
    levels = {tuple(r[k] for k in KEY): r["level"] for r in duckdb_cells.to_pylist()}
    assert len(overlap) > 0
    assert all(levels[tuple(r[k] for k in KEY)] == "student" for _, r in overlap.iterrows())
    only_published = len(published) - len(overlap)
    assert sum(1 for v in levels.values() if v == "aggregate") == only_published


def test_cells_are_sorted_by_the_key(duckdb_cells: pa.Table) -> None:
    keys = [tuple(r[k] for k in KEY) for r in duckdb_cells.select(KEY).to_pylist()]
    assert keys == sorted(keys)


@pytest.mark.spark
def test_spark_gives_the_same_cells_as_duckdb(
    town: Path, duckdb_cells: pa.Table, spark: EngineSession
) -> None:
    on_spark = compute_cell_stats(spark, town)
    assert on_spark.schema == duckdb_cells.schema
    assert on_spark.num_rows == duckdb_cells.num_rows
    differences = [(a, b) for a, b in zip(on_spark.to_pylist(), duckdb_cells.to_pylist(), strict=True)
                   if not all(_close(a[k], b[k]) for k in a)]
    assert differences == []
