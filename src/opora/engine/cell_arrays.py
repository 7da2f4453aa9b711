"""Vectorised Arrow/NumPy assembly of per-cell arrays from what the engine hands back.

The engine returns, per cell, counts per primary-score point and sums per task. Turning those into
variable-length lists (a histogram as long as the cell's scale, per-task success as long as its
work) is a few whole-array NumPy operations — a mask over the (cells × points) matrix, no Python
loop per cell — so it stays around a second for the ~2 million cells of a country-scale run.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# The key of a work (one test paper): scales and tasks are defined per work, not per school.
WORK_KEY = ("procedure", "year", "grade", "subject")
_KEY_TYPES = {"school_key": pa.string(), "procedure": pa.string(), "year": pa.int16(), "grade": pa.int8(),
              "subject": pa.string()}


class DuplicateKeys(ValueError):
    """A table has two rows for one key (e.g. one work); ``str(exc)`` is a Russian message."""


def match_rows(left: pa.Table, right: pa.Table, keys: tuple[str, ...] = WORK_KEY) -> np.ndarray:
    """For each row of ``left``, the index of the ``right`` row with the same key, or -1."""
    out = np.full(left.num_rows, -1, dtype=np.int64)
    if left.num_rows == 0 or right.num_rows == 0:
        return out
    types = {k: _KEY_TYPES.get(k, left.schema.field(k).type) for k in keys}
    lt = pa.table({k: left.column(k).cast(types[k]) for k in keys}
                  | {"_l": pa.array(np.arange(left.num_rows))})
    rt = pa.table({k: right.column(k).cast(types[k]) for k in keys}
                  | {"_r": pa.array(np.arange(right.num_rows))})
    if rt.group_by(list(keys)).aggregate([]).num_rows < rt.num_rows:
        raise DuplicateKeys(
            f"в таблице дважды встречается один и тот же ключ ({', '.join(keys)}): "
            "оставьте одну строку на ключ"
        )
    joined = lt.join(rt, keys=list(keys), join_type="inner")
    out[joined.column("_l").to_numpy()] = joined.column("_r").to_numpy()
    return out


def lookup(left: pa.Table, right: pa.Table, columns: list[str]) -> dict[str, np.ndarray]:
    """``right``'s ``columns`` aligned with ``left``'s rows by work key (NaN / None if absent)."""
    index = match_rows(left, right)
    found = index >= 0
    out: dict[str, np.ndarray] = {}
    for name in columns:
        column = right.column(name)
        if pa.types.is_string(column.type):
            values = np.asarray(column.to_pylist(), dtype=object)
            picked = np.full(left.num_rows, None, dtype=object)
        else:
            values = column.cast(pa.float64()).fill_null(np.nan).to_numpy()
            picked = np.full(left.num_rows, np.nan)
        picked[found] = values[index[found]]
        out[name] = picked
    return out


def score_histograms(bins: np.ndarray, max_primary: np.ndarray, observed_max: np.ndarray,
                     has_histogram: np.ndarray) -> pa.Array:
    """Element k of a cell's list = participants whose primary score is in [k, k+1).

    ``bins[i, k]`` are the engine's counts (int32). A list is as long as max(scale maximum, highest score
    met) + 1, so no score is lost even where ``scales`` is missing. Cells of procedures judged on
    another scale (ЕГЭ), or where nobody has a primary score, get no histogram (null).
    """
    width = bins.shape[1]
    top = np.fmax(max_primary, observed_max)
    valid = has_histogram & ~np.isnan(observed_max)
    length = np.where(valid, np.minimum(np.floor(np.nan_to_num(top)) + 1, width), 0).astype(np.int64)
    inside = np.arange(width)[None, :] < length[:, None]
    offsets = np.concatenate([[0], np.cumsum(length)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(bins[inside]),
                                    mask=pa.array(~valid))


def column_matrix(table: pa.Table, names: list[str], dtype: type, fill: float) -> np.ndarray:
    """Columns ``names`` of ``table`` as one (rows × columns) matrix, nulls as ``fill``.

    Filled in place column by column into a column-major array: stacking per-column
    temporaries, or writing columns into a row-major one, costs seconds and gigabytes at country
    scale (~2 million cells × ~60 columns).
    """
    out = np.empty((len(names), table.num_rows), dtype=dtype).T  # columns contiguous
    for j, name in enumerate(names):
        column = table.column(name)
        if column.null_count:
            column = column.fill_null(pa.scalar(fill, column.type))
        out[:, j] = column.to_numpy()
    return out


def task_success(cells: pa.Table, tasks: pa.Table, sums: np.ndarray,
                 with_tasks: np.ndarray) -> pa.Array:
    """Per cell, the mean share of each task's maximum, in ``task_no`` order.

    ``sums[i, j]`` is the total score of cell i's participants on task j+1 and ``with_tasks[i]``
    how many of them have per-task scores: success = sum / (participants × task maximum). A task
    score missing inside a participant's list counts as 0 points. Cells whose work has no rows in
    ``tasks`` (maxima unknown) or nobody with per-task scores get null. ``sums`` is overwritten.
    """
    k = sums.shape[1]
    works = tasks.group_by(list(WORK_KEY)).aggregate([]) if tasks.num_rows else tasks
    work_of_cell = match_rows(cells, works)
    task_work = match_rows(tasks, works)
    task_no = tasks.column("task_no").to_numpy().astype(np.int64) if tasks.num_rows else np.zeros(0, int)
    keep = (task_no >= 1) & (task_no <= k)
    maxima = np.full((max(works.num_rows, 1), k), np.nan)
    maxima[task_work[keep], task_no[keep] - 1] = tasks.column("max_score").to_numpy()[keep]
    lengths = np.zeros(max(works.num_rows, 1), dtype=np.int64)
    np.maximum.at(lengths, task_work[keep], task_no[keep])
    missing = (work_of_cell < 0) | (with_tasks <= 0)
    work = np.where(missing, 0, work_of_cell)
    denominator = np.take(maxima, work, axis=0)
    np.multiply(denominator, with_tasks[:, None], out=denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(sums, denominator, out=sums)
    del denominator
    length = np.where(missing, 0, lengths[work])
    values = sums[np.arange(k)[None, :] < length[:, None]]
    return pa.ListArray.from_arrays(pa.array(np.concatenate([[0], np.cumsum(length)]).astype(np.int32)),
                                    pa.array(values, mask=np.isnan(values)),
                                    mask=pa.array(missing))
