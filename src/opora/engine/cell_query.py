"""The one pass over student rows, written once in the PySpark DataFrame API.

It runs unchanged on DuckDB (SQLFrame) and on Spark: ``es.F`` is the matching ``functions``
module. One ``groupBy(cell).agg(...)`` computes every per-cell sum and count, so the ~90 million
rows of a country-scale run are scanned once. Choices measured in hand-written DuckDB SQL on a
country-scale set (91 M rows from ``bench/synthetic_results.py``, 2 cores), in CPU-seconds:

* the score histogram as one ``count(when(bin == k))`` per point (~0.3 s per point, ~10 s for
  34 points) beats ``groupBy(cell, score).count()`` rolled into a list per cell (~29 s) and
  DuckDB's own ``histogram()`` (~35 s); four points summed into one 64-bit sum of 15-bit fields
  (:data:`PACK`) are cheaper still — 9 sums instead of 35 counts: about a fifth less CPU for the
  histogram (measured on one year of the generated country, issue 18) and a smaller hash table;
* per-task sums as ``sum(task_scores[i])`` per position, never exploding the lists into
  1.35 billion rows; just decoding the lists from Parquet is ~17 s of the pass;
* minimum thresholds by a left join with the few rows of ``scales`` (~3 s) — exact for any
  threshold, fractional ones included.

Two aggregations sharing one scan would be cheaper in theory, but DuckDB materialises a common
table expression used twice (90 M rows with their lists), so there is deliberately one query.
Its result is read in batches (:func:`run_cell_batches`): the assembly of one batch runs while
DuckDB hands over the next, and the 1.2 GB of per-cell sums of a country are never whole in
memory beside DuckDB's own copy.
Every later step stays in Arrow/NumPy: each further DataFrame operation on the wide aggregate
costs SQLFrame ~0.3 s of plan copying (measured: dividing task sums on the engine after a join
saved ~1 s at country scale but added ~0.8 s to every run, doubling a municipality's time).
"""

from __future__ import annotations

from collections.abc import Generator
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
    #: the histogram as :data:`PACK` points per 64-bit sum (``bins_g``) instead of one count
    #: per point (``bin_k``); off for a data set whose cells exceed :data:`PACK_LIMIT`
    packed: bool = True


#: Histogram points summed together: point ``PACK·g + i`` of a cell is the ``PACK_BITS`` bits
#: from ``PACK_BITS·i`` of the 64-bit sum ``bins_g``, each student adding ``2^(PACK_BITS·i)``.
#: Nine sums instead of 35 counts: a fifth less engine time and a smaller hash table at country
#: scale (issue 18). A point's count must stay below ``PACK_LIMIT``, so a cell may hold up to
#: 32 767 participants; a larger one has the query run again with a count per point.
PACK, PACK_BITS = 4, 15
PACK_LIMIT = 1 << PACK_BITS


def bin_groups(plan: CellPlan) -> int:
    """How many packed sums the histogram of ``plan`` takes."""
    return -(-plan.n_bins // PACK)


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
    # come in one ``withColumns``. It comes BEFORE the thresholds' join: after it SQLFrame may
    # resolve ``procedure`` to the thresholds' column, null where a work has no threshold row,
    # and a ГВЭ work without one was scored by its primary score instead of its mark.
    df = es.read(source).select(*columns, *(["task_scores"] if plan.n_tasks else []))
    if years is not None:
        df = df.where(F.col("year").between(years[0], years[1]))
    df = df.withColumns({
        "value": value,
        "bin": F.when(on_primary, F.floor(F.col("primary_score")).cast("int")),
    })
    if plan.thresholds:
        thresholds = es.spark.createDataFrame(plan.thresholds, schema=_THRESHOLD_SCHEMA)
        df = df.join(thresholds, on=list(WORK_KEY), how="left")
    if not plan.packed:
        return df
    point = F.col("bin")
    place = point % PACK
    weight = F.when(place == 0, F.lit(1))
    for i in range(1, PACK):
        weight = weight.when(place == i, F.lit(1 << (PACK_BITS * i)))
    return df.withColumns({"bin_group": F.floor(point / PACK).cast("int"),
                           "bin_weight": weight.cast("bigint")})


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
        *_histogram_aggregates(F, plan),
        F.count(F.when(F.col("bin") >= plan.n_bins, 1)).alias("bin_overflow"),
    ]
    if plan.n_tasks:
        tasks = F.when(took, F.col("task_scores"))
        aggs.append(F.count(tasks).alias("with_tasks"))
        aggs += [F.sum(tasks[i]).alias(f"task_{i}") for i in range(plan.n_tasks)]
    return aggs


def _histogram_aggregates(F: Any, plan: CellPlan) -> list[Any]:
    """Counts per primary-score point: ``bin_k``, or packed into ``bins_g`` (:data:`PACK`)."""
    point = F.col("bin")
    if not plan.packed:
        return [F.count(F.when(point == k, 1)).alias(f"bin_{k}") for k in range(plan.n_bins)]
    found = []
    for g in range(bin_groups(plan)):
        here = F.col("bin_group") == g
        if PACK * (g + 1) > plan.n_bins:  # the last group: no point beyond the histogram
            here = here & (point < plan.n_bins)
        found.append(F.sum(F.when(here, F.col("bin_weight"))).cast("bigint").alias(f"bins_{g}"))
    return found


def _threshold_aggregates(F: Any, plan: CellPlan, took: Any) -> list[Any]:
    if not plan.thresholds:
        return []  # no thresholds known: the assembly falls back to «2» or leaves the count empty
    threshold = F.col("min_threshold")
    on_test = F.col("threshold_scale") == "test"
    below = (on_test & (F.col("test_score") < threshold)) | (
        ~on_test & (F.col("primary_score") < threshold))
    return [F.max(threshold).alias("min_threshold"),
            F.count(F.when(took & below, 1)).alias("below_threshold")]


#: Cells per batch of the engine's result (:func:`run_cell_batches`).
BATCH_ROWS = 1 << 17


def run_cell_query(es: EngineSession, source: Source, plan: CellPlan,
                   years: tuple[int, int] | None) -> pa.Table:
    """The per-cell sums and counts as an Arrow table (one row per cell that has any row)."""
    return pa.concat_tables(run_cell_batches(es, source, plan, years))


def run_cell_batches(es: EngineSession, source: Source, plan: CellPlan,
                     years: tuple[int, int] | None) -> Generator[pa.Table, None, None]:
    """The same rows in batches of at most :data:`BATCH_ROWS` cells, as the engine hands them.

    DuckDB streams its result: a country's per-cell sums (1.85 M rows × ~90 columns, 1.2 GB)
    are never held whole beside the engine's own copy, and each batch can be assembled while
    the next is read (issue 18). Spark's result comes whole and is cut into slices.
    """
    if es.connection is not None:
        # DuckDB's allocator keeps what its hash tables freed (2 GB for a country) until it is
        # purged; its background threads purge it while the rules run (issue 18)
        es.connection.execute("SET allocator_background_threads = true")
    rows = student_rows(es, source, plan, years)
    df = rows.groupBy(*KEY).agg(*cell_aggregates(es.F, plan))
    if es.connection is None:
        es.query_started()
        table = to_arrow(df)
        for offset in range(0, table.num_rows, BATCH_ROWS):
            yield table.slice(offset, BATCH_ROWS)
        return
    reader = df.toArrow(BATCH_ROWS)
    es.query_started()
    try:
        for batch in reader:
            yield pa.Table.from_batches([batch])
    finally:
        reader.close()


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
