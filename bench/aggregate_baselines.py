"""Baselines for ``bench_aggregate.py``: the same main aggregation by hand in DuckDB SQL and in pandas.

Both compute what ``opora.engine.cell_query`` computes per cell — participants, sums and squares,
marks, ЕГЭ high/top scorers, term-mark comparisons, below-threshold (join with ``scales``), counts
per primary-score point, per-task sums — and return one Arrow/pandas row per cell, without the
Arrow assembly of lists that ``compute_cell_stats`` adds on top. The SQL is what a DuckDB user
would write by hand; the pandas version is the straightforward one (boolean columns + groupby,
task lists expanded with ``pd.DataFrame(list)``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from opora.engine.io import read_table, results_paths

KEY = ["school_key", "procedure", "subject", "grade", "year"]
WORK = ["procedure", "year", "grade", "subject"]
PRIMARY = ("VPR", "OGE", "NIKO", "DKR")


def plan(data: Path) -> tuple[int, int]:
    """Number of tasks and of histogram points, decided like the engine does."""
    scales, tasks = read_table(data, "scales"), read_table(data, "tasks")
    n_tasks = max(tasks.column("task_no").to_pylist() or [0])
    maxima = [r["max_primary_score"] for r in scales.to_pylist() if r["procedure"] in PRIMARY]
    return n_tasks, int(max(maxima or [0])) + 1


def duckdb_sql(data: Path, threads: int = 2) -> pa.Table:
    n_tasks, n_bins = plan(data)
    files = ", ".join(f"'{p}'" for p in results_paths(data))
    bins = ",\n".join(f"count(CASE WHEN b = {k} THEN 1 END) AS bin_{k}" for k in range(n_bins))
    tasks = ",\n".join(f"sum(CASE WHEN v IS NOT NULL THEN task_scores[{i + 1}] END) AS task_{i}"
                       for i in range(n_tasks))
    sql = f"""
    WITH r AS (
      SELECT *, CASE WHEN NOT absent THEN CAST(CASE procedure WHEN 'EGE' THEN test_score
                     WHEN 'GVE' THEN mark ELSE primary_score END AS DOUBLE) END AS v
      FROM read_parquet([{files}])
    ), rb AS (
      SELECT *, CASE WHEN v IS NOT NULL AND procedure IN {PRIMARY}
                     THEN CAST(floor(primary_score) AS INTEGER) END AS b FROM r
    )
    SELECT school_key, procedure, subject, grade, year,
      count(v) AS participants, sum(v) AS sum_value, sum(v * v) AS sumsq_value,
      max(CASE WHEN v IS NOT NULL THEN primary_score END) AS max_primary,
      count(CASE WHEN v IS NOT NULL AND mark = 2 THEN 1 END) AS mark_2,
      count(CASE WHEN v IS NOT NULL AND mark = 3 THEN 1 END) AS mark_3,
      count(CASE WHEN v IS NOT NULL AND mark = 4 THEN 1 END) AS mark_4,
      count(CASE WHEN v IS NOT NULL AND mark = 5 THEN 1 END) AS mark_5,
      count(CASE WHEN v IS NOT NULL AND test_score >= 80 AND test_score < 100 THEN 1 END) AS high,
      count(CASE WHEN v IS NOT NULL AND test_score >= 100 THEN 1 END) AS top,
      count(CASE WHEN v IS NOT NULL AND mark IS NOT NULL AND term_mark IS NOT NULL THEN 1 END) AS wt,
      count(CASE WHEN v IS NOT NULL AND mark > term_mark THEN 1 END) AS above,
      count(CASE WHEN v IS NOT NULL AND mark < term_mark THEN 1 END) AS below_term,
      count(CASE WHEN v IS NOT NULL AND ((s.threshold_scale = 'test' AND test_score < s.min_threshold)
            OR (s.threshold_scale <> 'test' AND primary_score < s.min_threshold)) THEN 1 END) AS below,
      {bins},
      count(CASE WHEN v IS NOT NULL THEN task_scores END) AS with_tasks{"," if tasks else ""}
      {tasks}
    FROM rb LEFT JOIN read_parquet('{data / "scales.parquet"}') s USING (procedure, year, grade, subject)
    GROUP BY ALL
    """
    with duckdb.connect(config={"threads": threads}) as con:
        return con.sql(sql).to_arrow_table()


def pandas_cells(data: Path) -> pd.DataFrame:
    n_tasks, n_bins = plan(data)
    cols = [*KEY, "absent", "primary_score", "test_score", "mark", "term_mark", "task_scores"]
    df = pd.concat([pq.read_table(p, columns=cols).to_pandas() for p in results_paths(data)])
    scales = pq.read_table(data / "scales.parquet").to_pandas()[[*WORK, "min_threshold",
                                                                  "threshold_scale"]]
    df = df.merge(scales, on=WORK, how="left")
    proc = df["procedure"]
    value = np.where(proc == "EGE", df["test_score"],
                     np.where(proc == "GVE", df["mark"], df["primary_score"])).astype(float)
    df["v"] = np.where(df["absent"], np.nan, value)
    took = df["v"].notna()
    df["v2"] = df["v"] ** 2
    for k in (2, 3, 4, 5):
        df[f"mark_{k}"] = took & (df["mark"] == k)
    df["high"] = took & (df["test_score"] >= 80) & (df["test_score"] < 100)
    df["top"] = took & (df["test_score"] >= 100)
    df["above"] = took & (df["mark"] > df["term_mark"])
    df["below_term"] = took & (df["mark"] < df["term_mark"])
    basis = np.where(df["threshold_scale"] == "test", df["test_score"], df["primary_score"])
    df["below"] = took & (basis < df["min_threshold"])
    sums = ["v", "v2", "mark_2", "mark_3", "mark_4", "mark_5", "high", "top", "above",
            "below_term", "below"]
    cells = df.groupby(KEY)[sums].sum().join(df.groupby(KEY)["v"].count().rename("participants"))
    scored = df[took & proc.isin(PRIMARY)]
    hist = scored.groupby([*KEY, np.floor(scored["primary_score"]).astype(int)]).size()
    cells = cells.join(hist.unstack(fill_value=0).reindex(columns=range(n_bins), fill_value=0))
    with_tasks = df[took & df["task_scores"].notna()]
    task_frame = pd.DataFrame(with_tasks["task_scores"].tolist(), index=with_tasks.index)
    task_frame = task_frame.reindex(columns=range(n_tasks))
    task_sums = pd.concat([with_tasks[KEY], task_frame], axis=1).groupby(KEY).sum()
    return cells.join(task_sums, rsuffix="_task")
