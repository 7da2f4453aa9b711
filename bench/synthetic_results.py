"""A fast, shape-faithful synthetic ``results`` set for ``bench_aggregate.py``.

Not the demo generator (``opora.demo``): no injected effects, no ground truth — only the volume and
the column shapes of the normalised tables (``opora.schemas``), produced with vectorised NumPy in
chunks so country scale (~40,000 schools, ~30 million results a year) fits in a few GB of memory.
Each school writes, per year, ВПР grades 4–8 in three subjects, ОГЭ (grade 9) and ЕГЭ (grade 11)
in two subjects; about 4 % of rows are absent; ВПР/ОГЭ rows carry per-task scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from opora.schemas import RESULTS, SCALES, TASKS


@dataclass(frozen=True)
class Work:
    procedure: str
    grade: int
    subject: str
    task_max: tuple[int, ...]  # max score of each task; ЕГЭ: no per-task scores in the set

    @property
    def max_primary(self) -> int:
        return sum(self.task_max)


_VPR_TASKS = (1, 2, 2, 1, 2, 1, 2, 2, 1, 2, 1, 2, 2)  # 21 points, 13 tasks
_OGE_TASKS = (1,) * 19 + (2, 2, 2, 2, 2, 2, 2)  # 33 points, 26 tasks
WORKS: tuple[Work, ...] = (
    *(Work("VPR", g, s, _VPR_TASKS) for g in (4, 5, 6, 7, 8) for s in ("rus", "math", "history")),
    Work("OGE", 9, "rus", _OGE_TASKS),
    Work("OGE", 9, "math", _OGE_TASKS),
    Work("EGE", 11, "rus", ()),
    Work("EGE", 11, "math_profile", ()),
)


def scales_and_tasks(years: list[int]) -> tuple[pa.Table, pa.Table]:
    """The ``scales`` and ``tasks`` tables matching :data:`WORKS`."""
    scale_rows, task_rows = [], []
    for year in years:
        for w in WORKS:
            cell = {"procedure": w.procedure, "year": year, "grade": w.grade, "subject": w.subject}
            if w.procedure == "EGE":
                scale_rows.append({**cell, "max_primary_score": 50.0, "min_threshold": 36.0,
                                   "threshold_scale": "test"})
                continue
            m = w.max_primary
            scale_rows.append({**cell, "max_primary_score": float(m), "boundary_3": round(m * .3),
                               "boundary_4": round(m * .55), "boundary_5": round(m * .8),
                               "min_threshold": round(m * .3), "threshold_scale": "primary"})
            task_rows += [{**cell, "task_no": i + 1, "task_label": str(i + 1), "max_score": float(x)}
                          for i, x in enumerate(w.task_max)]
    return (pa.Table.from_pylist(scale_rows, SCALES.schema),
            pa.Table.from_pylist(task_rows, TASKS.schema))


def _mark(score: np.ndarray, m: int) -> np.ndarray:
    bounds = np.array([round(m * .3), round(m * .55), round(m * .8)])
    return (2 + np.searchsorted(bounds, score, side="right")).astype(np.int8)


def _work_chunk(rng: np.random.Generator, w: Work, keys: np.ndarray, sizes: np.ndarray,
                year: int) -> pa.Table:
    n = int(sizes.sum())
    school = np.repeat(keys, sizes)
    absent = rng.random(n) < 0.04
    ability = np.clip(rng.normal(0.6, 0.2, n), 0, 1)
    if w.task_max:
        tmax = np.array(w.task_max, dtype=np.float32)
        tasks = np.minimum(rng.binomial(tmax.astype(int), ability[:, None]), tmax).astype(np.float32)
        primary = tasks.sum(axis=1)
        mark = _mark(primary, w.max_primary)
        test = np.full(n, np.nan, np.float32)
        lists = pa.ListArray.from_arrays(
            pa.array(np.arange(n + 1, dtype=np.int32) * len(tmax)), pa.array(tasks.ravel()),
            mask=pa.array(absent))
    else:
        primary = np.round(ability * 50).astype(np.float32)  # ЕГЭ primary maximum ~50
        test = np.minimum(np.round(ability * 100 + rng.normal(0, 5, n)), 100).clip(0).astype(np.float32)
        mark = np.zeros(n, np.int8)
        lists = pa.nulls(n, pa.list_(pa.float32()))
    term = np.clip(mark + rng.integers(-1, 2, n), 2, 5).astype(np.int8)
    has_mark = w.procedure != "EGE"
    cols = {
        "school_key": pa.array(school), "procedure": pa.array(np.full(n, w.procedure)),
        "year": pa.array(np.full(n, year, np.int16)), "grade": pa.array(np.full(n, w.grade, np.int8)),
        "subject": pa.array(np.full(n, w.subject)),
        "participant_code": pa.array(np.arange(n).astype(str)),
        "absent": pa.array(absent),
        "primary_score": pa.array(primary, mask=absent),
        "mark": pa.array(mark, mask=absent | (not has_mark)),
        "test_score": pa.array(test, mask=absent | np.isnan(test)),
        "term_mark": pa.array(term, mask=~np.full(n, w.procedure == "VPR")),
        "task_scores": lists,
    }
    return pa.table(cols).cast(pa.schema([RESULTS.schema.field(c) for c in cols]))


def write_results(out: Path, *, schools: int, years: list[int], students_per_cell: int = 40,
                  seed: int = 1, schools_per_part: int = 2000) -> int:
    """Write ``results.parquet/part-*.parquet``, ``scales.parquet``, ``tasks.parquet``; rows written."""
    rng = np.random.default_rng(seed)
    (out / "results.parquet").mkdir(parents=True, exist_ok=True)
    scales, tasks = scales_and_tasks(years)
    pq.write_table(scales, out / "scales.parquet")
    pq.write_table(tasks, out / "tasks.parquet")
    keys_all = np.array([f"s{i:05d}" for i in range(schools)])
    rows = 0
    for part, start in enumerate(range(0, schools, schools_per_part)):
        keys = keys_all[start:start + schools_per_part]
        chunks = []
        for year in years:
            for w in WORKS:
                sizes = rng.poisson(students_per_cell, len(keys))
                chunks.append(_work_chunk(rng, w, keys, sizes, year))
        table = pa.concat_tables(chunks)
        pq.write_table(table, out / "results.parquet" / f"part-{part:04d}.parquet",
                       row_group_size=1_000_000)
        rows += table.num_rows
    return rows
