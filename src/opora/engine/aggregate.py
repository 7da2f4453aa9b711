"""The heavy per-student stage: ``results`` and ``aggregates`` → one row of sufficient statistics per cell.

A *cell* is school × procedure × subject × grade × year; its row (``opora.engine.tables.CELL_STATS``)
holds what every school-level rule needs — counts, sums, the score histogram, per-task success — so
the rules never touch the ~90 million student rows of a country-scale run again.

How the work is split, and why:

* The pass over ``results`` is written once in the PySpark DataFrame API
  (``opora.engine.cell_query``) and runs unchanged on DuckDB (SQLFrame) and on Spark. Only the
  needed columns are read; no Python UDFs; the result is one small row per cell.
* Everything else is per cell and small: means and percents, the histogram and per-task success
  lists are assembled here in Arrow/NumPy (``opora.engine.cell_arrays``), joined with ``scales``
  and ``tasks`` at cell level — batch by batch of the engine's result, on worker threads while
  the engine hands over the next batch (issue 18), and sorted by the cell key column by column.

When a cell has both student-level results and a published aggregate, the student level is kept and
the aggregate dropped: it is computed from the same students, and it carries more (distribution,
tasks, term marks). Cells only in ``aggregates`` become ``level = "aggregate"`` rows.

The data set comes from a directory of Parquet files (:func:`compute_cell_stats`, the command line
and Spark) or as Arrow tables in memory (:func:`cell_stats_of_tables`, the web run); both go
through :func:`cell_stats_of`, so the stage is the same whatever the source.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.catalog import PROCEDURES
from opora.engine.cell_arrays import (
    column_matrix,
    lookup,
    match_rows,
    score_histograms,
    task_success,
)
from opora.engine.cell_query import (
    KEY,
    MARK_SCALE,
    PACK,
    PACK_BITS,
    PACK_LIMIT,
    PRIMARY_SCALE,
    TEST_SCALE,
    WORK_KEY,
    CellPlan,
    bin_groups,
    primary_maximum,
    run_cell_batches,
)
from opora.engine.io import Where, aggregates_path, read_table, results_paths
from opora.engine.session import EngineSession, Source
from opora.engine.storage import as_location, storage_errors
from opora.engine.tables import CELL_STATS
from opora.engine.threads import parallel_map, submit
from opora.schemas import AGGREGATES, TABLES, conform

# Procedures graded with marks «2»…«5»: «not passing the minimum threshold» is the mark «2» when the
# scale gives no separate threshold (ВПР has none at all; for ОГЭ/ГВЭ the threshold is the «3» boundary).
_MARKED = ("VPR", "OGE", "GVE")


def compute_cell_stats(
    es: EngineSession, input_dir: Where, *, years: tuple[int, int] | None = None
) -> pa.Table:
    """Per-cell sufficient statistics of the data set in ``input_dir``, sorted by the cell key.

    ``input_dir``: a local directory, or a location on S3 / HDFS (:mod:`opora.engine.storage`).
    ``years`` is an inclusive range on ``year``; ``None`` keeps every year.
    """
    input_dir = as_location(input_dir)
    aggregates = (read_table(input_dir, "aggregates") if aggregates_path(input_dir)
                  else AGGREGATES.empty())
    with storage_errors(input_dir, "прочитать"):  # the storage failing in the middle of the scan
        return cell_stats_of(es, results_paths(input_dir), read_table(input_dir, "scales"),
                             read_table(input_dir, "tasks"), aggregates, years=years)


def cell_stats_of_tables(es: EngineSession, tables: Mapping[str, pa.Table], *,
                         years: tuple[int, int] | None = None) -> pa.Table:
    """The same statistics from tables in memory, conformed to :mod:`opora.schemas`.

    ``results`` is scanned by the engine where it lies (no file is written); a missing table is
    an empty one.
    """
    results = tables.get("results")
    source: Source = results if results is not None and results.num_rows else []
    return cell_stats_of(es, source, _or_empty(tables, "scales"), _or_empty(tables, "tasks"),
                         _or_empty(tables, "aggregates"), years=years)


def cell_stats_of(es: EngineSession, results: Source, scales: pa.Table, tasks: pa.Table,
                  aggregates: pa.Table, *, years: tuple[int, int] | None = None) -> pa.Table:
    """Per-cell statistics from the student rows (``results``: files or Arrow) and small tables."""
    scales = _in_years(scales, years)
    tasks = _in_years(tasks, years)
    # the published aggregates are assembled on a worker thread while the engine reads students
    published_done = submit(_aggregate_cells, _in_years(aggregates, years), scales)
    student = _student_cells(es, results, scales, tasks, years)
    published = published_done.result()
    if student.num_rows and published.num_rows:
        # only the student cells of the published procedures can be the same cells (ЕГЭ: a
        # quarter of a country's cells; the join's keys of all 1.85 M took 0.4 GB, issue 18)
        procedures = pc.unique(published.column("procedure"))
        same = student.select(list(KEY)).filter(
            pc.is_in(student.column("procedure"), value_set=procedures))
        published = published.filter(pa.array(match_rows(published, same, KEY) < 0))
        del same
    parts = [student, published] if published.num_rows else [student]
    del student, published  # the sort below frees the unsorted columns one by one
    return _sorted_by_key(parts)


def _sorted_by_key(parts: list[pa.Table]) -> pa.Table:
    """The rows of ``parts`` (emptied: the caller keeps no other reference) sorted by the cell
    key, each column in one chunk — as ``concat_tables(parts).sort_by(KEY).combine_chunks()``,
    but column by column, each unsorted column dropped as soon as its sorted copy is made: the
    whole table is never held twice (issue 18: 0.8 GB at country scale)."""
    table = pa.concat_tables(parts)
    parts.clear()
    order = _key_order(table)
    schema, columns = table.schema, table.columns
    del table

    def sort(i: int, in_halves: bool = False) -> None:
        """Column i in key order, in one chunk; ``in_halves``: each half of the rows taken on
        its own thread and the two joined — for a list column, which Arrow takes on one thread
        (issue 18: 1.35 s of one core for the country's task successes)."""
        whole = columns[i].combine_chunks()
        columns[i] = None  # its batches freed before the take
        if in_halves:
            half = len(order) // 2
            parts = parallel_map(whole.take, [order.slice(0, half), order.slice(half)])
            del whole
            taken = pa.concat_arrays(parts)
        else:
            taken = whole.take(order)
        columns[i] = pa.chunked_array([taken], schema[i].type)

    # the two largest columns (the lists) one after the other on this thread, so that never
    # two of them are copied at once; meanwhile the rest on the worker threads (Arrow's take
    # runs outside the interpreter) — before, they waited for the lists and one core idled for
    # a second at the end of a country's stage (issue 18)
    by_size = sorted(range(len(columns)), key=lambda i: -columns[i].nbytes)
    rest = [submit(sort, i) for i in by_size[2:]]
    for i in by_size[:2]:
        nested = pa.types.is_list(schema[i].type) or pa.types.is_large_list(schema[i].type)
        sort(i, in_halves=nested and len(order) > 1 << 16)
    for done in rest:
        done.result()
    return pa.Table.from_arrays(columns, schema=schema)


def _key_order(table: pa.Table) -> pa.Array:
    """The row order that sorts ``table`` by the cell key — what ``pc.sort_indices`` over the
    five key columns gives, found from integer ranks: each string column dictionary-encoded (on
    the worker threads), its few distinct values sorted (as Arrow sorts strings, by their bytes),
    and the ranks combined into one integer sorted by NumPy (issue 18: 0.4 s instead of 1.7 s
    of one core for a country's 1.85 M cells, at the end of the engine's stage). A key with
    nulls, or too many distinct values for one 64-bit number, is left to Arrow."""
    columns = [table.column(k) for k in KEY]
    ranked = ([] if table.num_rows == 0 or any(c.null_count for c in columns)
              else parallel_map(_ranks, columns))
    if not ranked or math.prod(size for _, size in ranked) >= 1 << 62:
        return pc.sort_indices(table.select(list(KEY)), sort_keys=[(k, "ascending") for k in KEY])
    combined = np.zeros(table.num_rows, dtype=np.int64)
    for rank, size in ranked:
        combined *= size
        combined += rank
    return pa.array(np.argsort(combined, kind="stable"))


def _ranks(column: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """Each value's rank among the column's distinct values (ascending) and how many ranks
    there can be; the column has no nulls."""
    whole = column.combine_chunks()
    if pa.types.is_integer(whole.type):
        values = whole.to_numpy().astype(np.int64)
        low = int(values.min())
        return values - low, int(values.max()) - low + 1
    encoded = whole.dictionary_encode()
    order = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[encoded.indices.to_numpy()], len(order)


def _in_years(table: pa.Table, years: tuple[int, int] | None) -> pa.Table:
    if years is None or table.num_rows == 0:
        return table
    year = table.column("year")
    return table.filter(pc.and_(pc.greater_equal(year, years[0]), pc.less_equal(year, years[1])))


def _or_empty(tables: Mapping[str, pa.Table], name: str) -> pa.Table:
    table = tables.get(name)
    return TABLES[name].empty() if table is None else table


# --- student level ------------------------------------------------------------------------------


def _student_cells(es: EngineSession, source: Source, scales: pa.Table, tasks: pa.Table,
                   years: tuple[int, int] | None) -> pa.Table:
    if isinstance(source, list) and not source:
        return CELL_STATS.empty()
    plan = _plan(es, source, scales, tasks, years)
    overflow_stops = True
    while True:
        parts, problem = _assembled(es, source, scales, tasks, plan, years, overflow_stops)
        if problem == _CROWDED:  # a cell too large for the packed histogram: a count per point
            plan = replace(plan, packed=False)
        elif problem == _OVERFLOW:
            # A primary score above every maximum in ``scales`` (or a work without a scales
            # row): widen the histogram to the data's own maximum and run again rather than
            # lose it.
            wider = int(primary_maximum(es, source, years)) + 1
            plan = replace(plan, n_bins=max(wider, plan.n_bins))
            overflow_stops = False
        else:
            return pa.concat_tables(parts) if parts else CELL_STATS.empty()


#: Batches of the engine's result assembled at once beside the one being read: enough to keep
#: both cores busy, few enough to keep the memory of the stage near the engine's own.
_AHEAD = 2
#: Why :func:`_assembled` stopped: a score beyond the histogram; a cell too large to pack.
_OVERFLOW, _CROWDED = "overflow", "crowded"


def _assembled(es: EngineSession, source: Source, scales: pa.Table, tasks: pa.Table,
               plan: CellPlan, years: tuple[int, int] | None,
               overflow_stops: bool) -> tuple[list[pa.Table], str | None]:
    """The engine's per-cell rows assembled batch by batch (:func:`_assemble_student`) on the
    worker threads while the engine hands over the next batch; stopped, with the reason, when
    the plan does not fit the data (:data:`_OVERFLOW` — only if ``overflow_stops`` —,
    :data:`_CROWDED`)."""
    pending: deque[Future[pa.Table]] = deque()
    parts: list[pa.Table] = []
    batches = run_cell_batches(es, source, plan, years)
    try:
        for raw in batches:
            problem = _misfit(raw, plan, overflow_stops)
            if problem:
                for waiting in pending:
                    waiting.result()
                return [], problem
            pending.append(submit(_assemble_student, raw, scales, tasks, plan))
            del raw
            while len(pending) > _AHEAD:
                parts.append(pending.popleft().result())
    finally:
        batches.close()
    parts += [waiting.result() for waiting in pending]
    return parts, None


def _misfit(raw: pa.Table, plan: CellPlan, overflow_stops: bool) -> str | None:
    if not raw.num_rows:
        return None
    if plan.packed and pc.max(raw.column("participants")).as_py() >= PACK_LIMIT:
        return _CROWDED
    if overflow_stops and pc.max(raw.column("bin_overflow")).as_py():
        return _OVERFLOW
    return None


def _plan(es: EngineSession, source: Source, scales: pa.Table, tasks: pa.Table,
          years: tuple[int, int] | None) -> CellPlan:
    """Task count, histogram width and thresholds, from the small tables (one scan if no scales)."""
    match_rows(scales, scales)  # raises DuplicateKeys: two scales for one work would double rows
    n_tasks = int(pc.max(tasks.column("task_no")).as_py() or 0) if tasks.num_rows else 0
    primary = scales.filter(pc.is_in(scales.column("procedure"), pa.array(PRIMARY_SCALE)))
    top = pc.max(primary.column("max_primary_score")).as_py() if primary.num_rows else None
    if top is None:
        top = primary_maximum(es, source, years)
    thresholds = []
    for row in scales.filter(pc.is_valid(scales.column("min_threshold"))).to_pylist():
        kind = row["threshold_scale"] or ("test" if row["procedure"] in TEST_SCALE else "primary")
        thresholds.append((row["procedure"], row["year"], row["grade"], row["subject"],
                           float(row["min_threshold"]), kind))
    return CellPlan(n_tasks=n_tasks, n_bins=int(top) + 1, thresholds=thresholds)


# --- student level: assembling the per-cell rows in Arrow / NumPy ------------------------------


def _assemble_student(raw: pa.Table, scales: pa.Table, tasks: pa.Table, plan: CellPlan) -> pa.Table:
    n = raw.num_rows
    scale = lookup(raw, scales, ["max_primary_score"])
    proc = raw.column("procedure")
    is_test, is_mark = _is_in(proc, TEST_SCALE), _is_in(proc, MARK_SCALE)
    max_score = np.where(is_test, 100.0, np.where(is_mark, np.nan, scale["max_primary_score"]))
    factor = 100.0 / max_score  # NaN where the maximum is unknown (mark scale, no scales row)
    participants = _ints(raw, "participants")
    sum_value = _floats(raw, "sum_value", fill=0.0)
    sumsq_value = _floats(raw, "sumsq_value", fill=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(participants > 0, sum_value / participants, np.nan)
    columns: dict[str, Any] = {k: raw.column(k) for k in KEY}
    columns |= {
        "level": pa.array(["student"]).take(np.zeros(n, dtype=np.int64)),
        "participants": participants,
        "score_scale": pc.if_else(is_test, "test", pc.if_else(is_mark, "mark", "primary")),
        "max_score": _nullable(np.where(is_mark, 5.0, max_score)),
        "mean_score": _nullable(mean),
        "mean_pct": _nullable(mean * factor),
        "sum_pct": _nullable(sum_value * factor),
        "sumsq_pct": _nullable(sumsq_value * factor * factor),
    }
    for name in ("mark_2", "mark_3", "mark_4", "mark_5", "with_term_mark",
                 "mark_above_term", "mark_below_term"):
        columns[name] = _ints(raw, name)
    columns["high_scorers"] = _nullable(np.where(is_test, _ints(raw, "high_scorers"), np.nan))
    columns["top_scorers"] = _nullable(np.where(is_test, _ints(raw, "top_scorers"), np.nan))
    columns["below_threshold"] = _below_threshold(raw, proc, columns["mark_2"])
    bins = _histogram_counts(raw, plan)
    columns["score_hist"] = score_histograms(bins, scale["max_primary_score"],
                                             _floats(raw, "max_primary", fill=np.nan),
                                             _is_in(proc, PRIMARY_SCALE))
    columns |= _task_columns(raw, tasks, plan.n_tasks)
    return conform(pa.table(columns), CELL_STATS)


def _histogram_counts(raw: pa.Table, plan: CellPlan) -> np.ndarray:
    """The (cells × points) counts of the histogram, unpacked from ``bins_g`` when packed."""
    if not plan.packed:
        return column_matrix(raw, [f"bin_{k}" for k in range(plan.n_bins)], np.int32, 0)
    out = np.empty((plan.n_bins, raw.num_rows), dtype=np.int32).T  # columns contiguous
    for g in range(bin_groups(plan)):
        packed = raw.column(f"bins_{g}").fill_null(0).to_numpy().astype(np.int64)
        for i in range(min(PACK, plan.n_bins - PACK * g)):
            out[:, PACK * g + i] = (packed >> (PACK_BITS * i)) & (PACK_LIMIT - 1)
    return out


def _below_threshold(raw: pa.Table, proc: pa.ChunkedArray, mark_2: np.ndarray) -> pa.Array:
    """Participants below the minimum threshold of the cell's scale (``scales.min_threshold``).

    ВПР has no threshold: «2» is the failing result. Other marked procedures fall back to «2» when
    ``scales`` gives no threshold; otherwise (ЕГЭ without a threshold) the count is unknown (null).
    A threshold without ``threshold_scale`` is taken on the procedure's own scale.
    """
    if "min_threshold" in raw.column_names:
        has_threshold = pc.is_valid(raw.column("min_threshold")).to_numpy(zero_copy_only=False)
        counted = _ints(raw, "below_threshold")
    else:
        has_threshold, counted = np.zeros(raw.num_rows, bool), np.zeros(raw.num_rows, np.int64)
    has_threshold = has_threshold & ~_is_in(proc, ("VPR",))
    use_mark = ~has_threshold & _is_in(proc, _MARKED)
    return _nullable(np.where(has_threshold, counted, np.where(use_mark, mark_2, np.nan)))


def _task_columns(raw: pa.Table, tasks: pa.Table, n_tasks: int) -> dict[str, Any]:
    n = raw.num_rows
    if not n_tasks:
        return {"task_success": pa.nulls(n, pa.list_(pa.float64())), "has_tasks": np.zeros(n, bool)}
    with_tasks = _ints(raw, "with_tasks")
    sums = column_matrix(raw, [f"task_{i}" for i in range(n_tasks)], np.float64, np.nan)
    success = task_success(raw.select(list(WORK_KEY)), tasks, sums, with_tasks)
    return {"task_success": success, "has_tasks": with_tasks > 0}


# --- aggregate level ---------------------------------------------------------------------------


def _aggregate_cells(agg: pa.Table, scales: pa.Table) -> pa.Table:
    """Published per-school aggregates as ``level = "aggregate"`` cells.

    ``mean_pct`` is the mean in percent of the maximum: primary means are divided by the scale's
    ``max_primary_score``; test scores (ЕГЭ) and percent means are already on 0–100; mark means
    have no percent. ``sum_pct`` = ``mean_pct`` × participants, so regional means pool exactly;
    ``sumsq_pct`` is unknown from a mean alone and left empty.
    """
    if agg.num_rows == 0:
        return CELL_STATS.empty()
    n = agg.num_rows
    proc = agg.column("procedure").to_numpy(zero_copy_only=False).astype(str)
    default = np.array([PROCEDURES[p].score_scale if p in PROCEDURES else "primary" for p in proc])
    given = agg.column("score_scale").to_numpy(zero_copy_only=False)
    score_scale = np.where(pc.is_null(agg.column("score_scale")).to_numpy(zero_copy_only=False),
                           default, given).astype(str)
    primary_max = lookup(agg, scales, ["max_primary_score"])["max_primary_score"]
    max_score = np.select([score_scale == "primary", score_scale == "mark"], [primary_max, 5.0],
                          default=100.0)
    mean = _floats(agg, "mean_score", fill=np.nan)
    mean_pct = np.where(score_scale == "mark", np.nan, mean * 100.0 / max_score)
    participants = _ints(agg, "participants")
    columns: dict[str, Any] = {k: agg.column(k) for k in KEY}
    columns |= {
        "level": pa.array(["aggregate"] * n), "participants": participants,
        "score_scale": pa.array(score_scale), "max_score": _nullable(max_score),
        "mean_score": _nullable(mean), "mean_pct": _nullable(mean_pct),
        "sum_pct": _nullable(mean_pct * participants),
        "has_tasks": np.zeros(n, bool),
    }
    for name in ("mark_2", "mark_3", "mark_4", "mark_5", "below_threshold", "high_scorers",
                 "top_scorers"):
        columns[name] = agg.column(name)
    return conform(pa.table(columns), CELL_STATS)


# --- small helpers -------------------------------------------------------------------------------


def _is_in(column: pa.ChunkedArray, values: tuple[str, ...]) -> np.ndarray:
    """Which rows hold one of ``values`` (Arrow's hash lookup; NumPy's ``isin`` sorts strings)."""
    return pc.is_in(column, value_set=pa.array(values, pa.string())).to_numpy(zero_copy_only=False)


def _ints(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).fill_null(0).to_numpy().astype(np.int64)


def _floats(table: pa.Table, name: str, *, fill: float) -> np.ndarray:
    column = table.column(name).cast(pa.float64()).fill_null(fill)
    return column.to_numpy().astype(np.float64)


def _nullable(values: np.ndarray) -> pa.Array:
    """NumPy floats → Arrow with NaN as null (a missing value, never a number)."""
    values = np.asarray(values, dtype=np.float64)
    return pa.array(values, mask=np.isnan(values))
