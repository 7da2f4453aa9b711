"""The per-cell statistics as NumPy arrays, and grouping helpers the rules share.

``cell_stats`` (see :data:`opora.engine.tables.CELL_STATS`) can hold millions of rows at country
scale, so the rules work on whole columns with NumPy (``np.unique`` + ``np.bincount``) instead of
looping over rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.engine.tables import CELL_STATS
from opora.engine.threads import parallel_map
from opora.schemas import conform

_FLOATS = ("participants", "max_score", "mean_score", "mean_pct", "sum_pct", "sumsq_pct",
           "mark_2", "mark_3", "mark_4", "mark_5", "below_threshold", "high_scorers",
           "top_scorers", "with_term_mark", "mark_above_term", "mark_below_term")


@dataclass
class Cells:
    """Columns of ``cell_stats``: strings as object arrays, counts and means as float (NaN = null)."""

    table: pa.Table
    school: np.ndarray
    procedure: np.ndarray
    subject: np.ndarray
    grade: np.ndarray
    year: np.ndarray
    level: np.ndarray
    num: dict[str, np.ndarray]
    score_scale: np.ndarray
    family: np.ndarray  # subject family: math, math_profile, math_base → "math"
    codes: dict[str, np.ndarray]  # integer codes of school, procedure, subject, family, level

    def __len__(self) -> int:
        return len(self.school)

    def col(self, name: str) -> np.ndarray:
        return self.num[name]

    def take(self, mask: np.ndarray) -> Cells:
        idx = np.flatnonzero(mask)
        return Cells(
            self.table.take(pa.array(idx, pa.int64())), self.school[idx], self.procedure[idx],
            self.subject[idx], self.grade[idx], self.year[idx], self.level[idx],
            {k: v[idx] for k, v in self.num.items()}, self.score_scale[idx], self.family[idx],
            {k: v[idx] for k, v in self.codes.items()},
        )


def to_cells(table: pa.Table) -> Cells:
    """Conform ``table`` to CELL_STATS and expose its columns as arrays.

    ``sum_pct`` is filled from ``mean_pct × participants`` where it is missing (aggregates), so
    pooled means need one formula. The columns are converted on the worker threads, each string
    column dictionary-encoded once for both its strings and its codes (issue 18).
    """
    table = conform(table, CELL_STATS)
    subject = table.column("subject")
    family = pc.if_else(pc.starts_with(subject, "math"), pa.scalar("math"), subject)
    texts = {"school": table.column("school_key"), "procedure": table.column("procedure"),
             "subject": subject, "family": family, "level": table.column("level"),
             "score_scale": table.column("score_scale")}
    encoded = dict(zip(texts, parallel_map(_encoded, texts.values()), strict=True))
    num = dict(zip(_FLOATS, parallel_map(lambda name: _floats(table.column(name)), _FLOATS),
                   strict=True))
    missing = np.isnan(num["sum_pct"])
    num["sum_pct"][missing] = num["mean_pct"][missing] * num["participants"][missing]
    codes = {name: _codes(encoded[name])
             for name in ("school", "procedure", "subject", "family", "level")}
    return Cells(
        table,
        _strings(encoded["school"]), _strings(encoded["procedure"]),
        _strings(encoded["subject"]),
        table.column("grade").to_numpy(zero_copy_only=False).astype(np.int64),
        table.column("year").to_numpy(zero_copy_only=False).astype(np.int64),
        _strings(encoded["level"]), num, _strings(encoded["score_scale"]),
        _strings(encoded["family"]), codes,
    )


def _encoded(column: pa.ChunkedArray) -> pa.DictionaryArray:
    return pc.dictionary_encode(column.combine_chunks())


def _codes(encoded: pa.DictionaryArray) -> np.ndarray:
    """Integer codes of a string column (Arrow dictionary encoding, nulls → −1)."""
    return np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False),
                      dtype=np.int64)


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(column.cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False),
                      dtype=np.float64).copy()


def _strings(encoded: pa.DictionaryArray) -> np.ndarray:
    """The column as an object array of ``str`` (``None`` for nulls), one Python string per
    distinct value: built from the dictionary encoding, not row by row (issue 18 — 1.85 M
    cells of a country made millions of equal strings, seconds per column)."""
    values = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    with_null = np.empty(len(values) + 1, dtype=object)
    with_null[:-1] = values  # the last stays None: code −1 (null) takes it
    return with_null[codes]


def group_index(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row → group number for the combination of ``keys``, and the first row of each group.

    Take ``key[first]`` to get each group's key.
    """
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    combined = np.zeros(n, dtype=np.int64)
    for codes, size in _key_codes(keys):
        combined = combined * size + codes
    dense = _dense_unique(combined)
    if dense is not None:
        return dense
    _, first, inv = np.unique(combined, return_index=True, return_inverse=True)
    return inv.astype(np.int64), first.astype(np.int64)


def _key_codes(keys: tuple[np.ndarray, ...]) -> list[tuple[np.ndarray, int]]:
    """Each key as codes ``0 … size − 1`` in the key's own order, for :func:`group_index`.

    Integer keys (the cells' codes, grades, years) whose ranges multiply to no more than
    :func:`_dense_unique` counts are only shifted to start at 0: the order of the combined key,
    and so the groups' numbers and first rows, is the same as with :func:`factorize`'s ranks,
    without counting their values (issue 18: factorizing every key of every grouping took a
    third of a second of the rules). Otherwise each key is factorized on its own thread.
    """
    n = len(keys[0])
    shifted: list[tuple[np.ndarray, int]] = []
    span = 1
    for key in keys:
        if key.dtype.kind not in "iu":
            break
        low, high = int(key.min()), int(key.max())
        span *= high - low + 1
        if span > 4 * n + 1_000_000:
            break
        shifted.append((key - low if low else key.astype(np.int64, copy=False), high - low + 1))
    else:
        return shifted
    return parallel_map(factorize, keys)


def _dense_unique(key: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``np.unique(key, return_inverse=True)``'s codes and each code's first row, by counting
    instead of sorting, when ``key`` is an integer of a modest range (issue 18: the
    rules group 1.85 M cells many times); ``None`` otherwise. Same codes, same first rows."""
    if len(key) == 0 or key.dtype.kind not in "iu":
        return None
    low, high = int(key.min()), int(key.max())
    if high - low > 4 * len(key) + 1_000_000:
        return None
    if low != 0:  # a shift keeps the order, so the same codes (null codes are −1, −2)
        key = key - low
        high -= low
    present = np.zeros(high + 1, dtype=bool)
    present[key] = True
    rank = np.cumsum(present) - 1
    codes = rank[key].astype(np.int64)
    first = np.zeros(int(rank[-1]) + 1, dtype=np.int64)
    rows = np.arange(len(key) - 1, -1, -1, dtype=np.int64)
    first[codes[::-1]] = rows  # written last to first: the first row of each code stays
    return codes, first


def group_sum(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sum of ``values`` per group, NaN treated as 0."""
    return np.bincount(index, weights=np.nan_to_num(values), minlength=size)


def match(keys_a: list[np.ndarray], keys_b: list[np.ndarray]) -> np.ndarray:
    """For each row of A, the row of B with the same key (−1 when none; B's keys are unique)."""
    n_a = len(keys_a[0])
    if n_a == 0 or len(keys_b[0]) == 0:
        return np.full(n_a, -1, dtype=np.int64)
    both = [np.concatenate([a.astype(object) if a.dtype == object or b.dtype == object else a,
                            b.astype(object) if a.dtype == object or b.dtype == object else b])
            for a, b in zip(keys_a, keys_b, strict=True)]
    group, _ = group_index(*both)
    where = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    where[group[n_a:]] = np.arange(len(keys_b[0]))
    return where[group[:n_a]]


def factorize(key: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes of ``key`` and the number of distinct values (strings via Arrow, in C++)."""
    if key.dtype == object:
        encoded = pa.array(key, pa.string()).dictionary_encode()
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        return codes + 1, len(encoded.dictionary) + 1
    dense = _dense_unique(key)
    if dense is not None:
        return dense[0], len(dense[1])
    uniques, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64), len(uniques)


def map_values(values: np.ndarray, codes: np.ndarray, lookup: Callable[[Any], Any],
               dtype: Any = float) -> np.ndarray:
    """``[lookup(v) for v in values]`` as an array, calling ``lookup`` once per distinct value:
    ``codes`` are the integer codes of ``values`` (:attr:`Cells.codes`, −1 for null), so a
    country's 1.85 M cells take a few dozen calls instead of one each (issue 18)."""
    if len(values) == 0:
        return np.zeros(0, dtype=dtype)
    size = int(codes.max()) + 1
    table = np.array([lookup(values[i] if i >= 0 else None) for i in first_rows(codes, size)]
                     + [lookup(None)], dtype=dtype)
    return table[np.where(codes >= 0, codes, size)]


def first_rows(codes: np.ndarray, size: int) -> np.ndarray:
    """The first row holding each code ``0 … size − 1``; −1 for a code no row holds (a taken
    subset). Negative codes (nulls) are not looked for."""
    first = np.full(max(size, 0), -1, dtype=np.int64)
    known = np.flatnonzero(codes >= 0)[::-1]
    first[codes[known]] = known  # written last to first: the first row of each code stays
    return first


def map_factorized(values: np.ndarray, codes: np.ndarray,
                   lookup: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`map_values` to strings, and the result's :func:`factorize` codes — found from one
    value per distinct input, not by encoding a million strings (issue 18: the regions of a
    country's cells took 0.1–0.5 s). The codes are the same: the mapped values numbered in the
    order they first appear among the rows, 0 for None."""
    mapped = map_values(values, codes, lookup, object)
    if len(values) == 0:
        return mapped, np.zeros(0, dtype=np.int64)
    size = int(codes.max()) + 1
    slot = np.where(codes >= 0, codes, size)  # the row's entry in map_values' table
    first = first_rows(slot, size + 1)  # each slot's first row (−1: a slot no row has)
    used = np.flatnonzero(first >= 0)
    used = used[np.argsort(first[used], kind="stable")]  # slots by their first row
    slot_values = mapped[first[used]]
    slot_codes, _ = factorize(slot_values)
    code_of_slot = np.zeros(size + 1, dtype=np.int64)
    code_of_slot[used] = slot_codes
    return mapped, code_of_slot[slot]


def codes_of(values: np.ndarray, codes: np.ndarray, other: Any) -> np.ndarray:
    """The codes ``other``'s values have in a coded column (``values`` with its ``codes``,
    :attr:`Cells.codes`): −1 for None (the column's null), −2 for a value the column does not
    hold. :func:`match` on these integers instead of the strings finds the same rows without
    turning a million strings into Arrow (issue 18: ~1 s of the objectivity signs at country
    scale)."""
    other_list = list(other)
    if len(values) == 0:
        return np.full(len(other_list), -2, dtype=np.int64)
    first = first_rows(codes, int(codes.max()) + 1)
    lookup: dict[Any, int] = {values[i]: code for code, i in enumerate(first.tolist())
                              if i >= 0}
    return np.array([-1 if v is None else lookup.get(v, -2) for v in other_list],
                    dtype=np.int64)


def isin_coded(values: np.ndarray, codes: np.ndarray, wanted: object) -> np.ndarray:
    """:func:`isin` for a column with integer codes (:attr:`Cells.codes`): one membership test
    per distinct value, not a conversion of every row (issue 18)."""
    wanted_set = set(wanted)  # type: ignore[call-overload]
    return map_values(values, codes, lambda v: v is not None and v in wanted_set, bool)


def isin(values: np.ndarray, wanted: object) -> np.ndarray:
    """``np.isin`` for object (string) arrays, fast: Arrow's ``is_in`` in C++."""
    wanted_list = list(wanted)  # type: ignore[call-overload]
    if values.dtype != object:
        return np.isin(values, wanted_list)
    if len(values) == 0 or not wanted_list:
        return np.zeros(len(values), dtype=bool)
    result = pc.is_in(pa.array(values, pa.string()), value_set=pa.array(wanted_list, pa.string()))
    return np.asarray(pc.fill_null(result, False).to_numpy(zero_copy_only=False), dtype=bool)
