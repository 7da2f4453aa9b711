"""The one pass over student rows, written once in the PySpark DataFrame API.

It runs unchanged on DuckDB (SQLFrame) and on Spark: ``es.F`` is the matching ``functions``
module. One ``groupBy(cell).agg(...)`` computes every per-cell sum and count, so the ~90 million
rows of a country-scale run are scanned once. Choices measured in hand-written DuckDB SQL on a
country-scale set (91 M rows from ``bench/synthetic_results.py``, 2 cores), in CPU-seconds:

* the score histogram as one ``count(when(bin == k))`` per point (~0.3 s per point, ~10 s for
  34 points) beats ``groupBy(cell, score).count()`` rolled into a list per cell (~29 s) and
  DuckDB's own ``histogram()`` (~35 s);
* per-task sums as ``sum(task_scores[i])`` per position, never exploding the lists into
  1.35 billion rows; just decoding the lists from Parquet is ~17 s of the pass;
* minimum thresholds by a left join with the few rows of ``scales`` (~3 s) — exact for any
  threshold, fractional ones included.

Two aggregations sharing one scan would be cheaper in theory, but DuckDB materialises a common
table expression used twice (90 M rows with their lists), so there is deliberately one query.
Every later step stays in Arrow/NumPy: each further DataFrame operation on the wide aggregate
costs SQLFrame ~0.3 s of plan copying (measured: dividing task sums on the engine after a join
saved ~1 s at country scale but added ~0.8 s to every run, doubling a municipality's time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from opora.catalog import PROCEDURES
from opora.engine.session import EngineSession, Source

KEY = ("school_key", "procedure", "subject", "grade", "year")
WORK_KEY = ("procedure", "year", "grade", "subject")

TEST_SCALE = tuple(c for c, p in PROCEDURES.items() if p.score_scale == "test")
MARK_SCALE = tuple(c for c, p in PROCEDURES.items() if p.score_scale == "mark")
# Procedures whose mean is a primary score: only these get a histogram of the primary score (the
# boundary-peak sign is about ВПР/ОГЭ primary scores; ЕГЭ is judged on test scores).
PRIMARY_SCALE = tuple(c for c, p in PROCEDURES.items() if p.score_scale == "primary")
# ЕГЭ high scorers are 80–99 test points, top scorers 100 (as the published tables count them).
HIGH_SCORE, TOP_SCORE = 80.0, 100.0

_THRESHOLD_SCHEMA = ("procedure string, year smallint, grade tinyint, subject string, "
                     "min_threshold double, threshold_scale string")


@dataclass(frozen=True)
class CellPlan:
    """What the pass must compute, decided from the small tables before touching the big one.

    ``n_tasks``: the longest work's number of tasks (``tasks.task_no``); ``n_bins``: histogram
    points 0 … n_bins − 1; ``thresholds``: ``(procedure, year, grade, subject, min_threshold,
    threshold_scale)`` rows, with the scale already resolved.
    """

    n_tasks: int
    n_bins: int
    thresholds: list[tuple[Any, ...]]


def scale_value(F: Any) -> Any:
    """The score in the procedure's own scale (``catalog.PROCEDURES[..].score_scale``), as double.

    A row counts as a participant when this is not null; absent students never count.
    """
    proc = F.col("procedure")
    value = (F.when(proc.isin(*TEST_SCALE), F.col("test_score"))
             .when(proc.isin(*MARK_SCALE), F.col("mark"))
             .otherwise(F.col("primary_score")))
    return F.when(~F.col("absent"), value.cast("double"))


def student_rows(es: EngineSession, source: Source, plan: CellPlan,
                 years: tuple[int, int] | None) -> Any:
    """Student rows with the derived columns the aggregates use: value, bin, threshold."""
    F = es.F
    columns = [*KEY, "absent", "primary_score", "test_score", "mark", "term_mark"]
    value = scale_value(F)
    on_primary = value.isNotNull() & F.col("procedure").isin(*PRIMARY_SCALE)
    # SQLFrame deep-copies the whole plan on every DataFrame operation, so the derived columns
    # come in one ``withColumns`` (after the join: SQLFrame 4.10 cannot resolve a ``select`` of
    # expressions placed after a join).
    df = es.read(source).select(*columns, *(["task_scores"] if plan.n_tasks else []))
    if years is not None:
        df = df.where(F.col("year").between(years[0], years[1]))
    if plan.thresholds:
        thresholds = es.spark.createDataFrame(plan.thresholds, schema=_THRESHOLD_SCHEMA)
        df = df.join(thresholds, on=list(WORK_KEY), how="left")
    return df.withColumns({
        "value": value,
        "bin": F.when(on_primary, F.floor(F.col("primary_score")).cast("int")),
    })


def cell_aggregates(F: Any, plan: CellPlan) -> list[Any]:
    """Every per-cell sum and count; ``bin_overflow`` counts scores beyond the histogram."""
    value = F.col("value")
    took = value.isNotNull()
    mark = F.when(took, F.col("mark"))
    term = F.col("term_mark")
    test = F.col("test_score")
    aggs = [
        F.count(value).alias("participants"),
        F.sum(value).alias("sum_value"),
        F.sum(value * value).alias("sumsq_value"),
        F.max(F.when(took, F.col("primary_score"))).alias("max_primary"),
        *(F.count(F.when(mark == k, 1)).alias(f"mark_{k}") for k in (2, 3, 4, 5)),
        F.count(F.when(took & (test >= HIGH_SCORE) & (test < TOP_SCORE), 1)).alias("high_scorers"),
        F.count(F.when(took & (test >= TOP_SCORE), 1)).alias("top_scorers"),
        F.count(F.when(mark.isNotNull() & term.isNotNull(), 1)).alias("with_term_mark"),
        F.count(F.when(mark > term, 1)).alias("mark_above_term"),
        F.count(F.when(mark < term, 1)).alias("mark_below_term"),
        *_threshold_aggregates(F, plan, took),
        *(F.count(F.when(F.col("bin") == k, 1)).alias(f"bin_{k}") for k in range(plan.n_bins)),
        F.count(F.when(F.col("bin") >= plan.n_bins, 1)).alias("bin_overflow"),
    ]
    if plan.n_tasks:
        tasks = F.when(took, F.col("task_scores"))
        aggs.append(F.count(tasks).alias("with_tasks"))
        aggs += [F.sum(tasks[i]).alias(f"task_{i}") for i in range(plan.n_tasks)]
    return aggs


def _threshold_aggregates(F: Any, plan: CellPlan, took: Any) -> list[Any]:
    if not plan.thresholds:
        return []  # no thresholds known: the assembly falls back to «2» or leaves the count empty
    threshold = F.col("min_threshold")
    on_test = F.col("threshold_scale") == "test"
    below = (on_test & (F.col("test_score") < threshold)) | (
        ~on_test & (F.col("primary_score") < threshold))
    return [F.max(threshold).alias("min_threshold"),
            F.count(F.when(took & below, 1)).alias("below_threshold")]


def run_cell_query(es: EngineSession, source: Source, plan: CellPlan,
                   years: tuple[int, int] | None) -> pa.Table:
    """The per-cell sums and counts as an Arrow table (one row per cell that has any row)."""
    rows = student_rows(es, source, plan, years)
    return to_arrow(rows.groupBy(*KEY).agg(*cell_aggregates(es.F, plan)))


def primary_maximum(es: EngineSession, source: Source, years: tuple[int, int] | None) -> float:
    """The highest primary score of a primary-scale procedure in the data (0 when none)."""
    F = es.F
    df = es.read(source).select("procedure", "year", "primary_score")
    if years is not None:
        df = df.where(F.col("year").between(years[0], years[1]))
    df = df.where(F.col("procedure").isin(*PRIMARY_SCALE))
    row = to_arrow(df.agg(F.max(F.col("primary_score")).alias("m"))).column("m")[0].as_py()
    return float(row or 0.0)


def to_arrow(df: Any) -> pa.Table:
    """A (small, per-cell) result as an Arrow table; both engines provide ``toArrow``."""
    table = df.toArrow()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    return table
