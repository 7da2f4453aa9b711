"""From simulated cells to the normalised tables: ``results`` rows and per-school cell sums.

Strings are built by Arrow, not Python: school keys, class labels and constants are dictionary
arrays cast to ``string``; participant codes are integers cast to ``string``. That keeps 90 M
rows within minutes.

Participant codes follow the ФИС ОКО form (``shared/realdata/vpr_protocol_form.xlsx``: 40001,
40002, … in grade 4): grade digit × 10000 + the number in the school's list; for grades 10 and
11 the leading digit is 1 and 2 (five digits, unique within the school's cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.demo.simulate import Cell
from opora.schemas import RESULTS

_LETTERS = "АБВГ"
CLASS_LABELS = pa.array([f"{g}{letter}" for g in range(12) for letter in _LETTERS])
_SEX = pa.array(["м", "ж"])


def results_table(cell: Cell, keys: pa.Array, loaded: np.ndarray, source: str) -> pa.Table:
    """The ``results`` rows of one cell for the loaded schools (shadow schools are not written)."""
    keep = loaded[cell.school]
    if not keep.all():
        cell = _subset(cell, keep)
    ins = cell.instrument
    n = cell.n
    absent = cell.absent
    prefix = ins.grade if ins.grade <= 9 else ins.grade - 9
    codes = pc.cast(pa.array(prefix * 10000 + cell.position + 1, pa.int32()), pa.string())
    t = len(ins.maxima)
    present = ~absent
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(present * t, out=offsets[1:])
    values = pa.array(cell.scores[present].ravel().astype(np.float32))
    tasks = pa.ListArray.from_arrays(pa.array(offsets), values, mask=pa.array(absent))
    columns = {
        "school_key": _dict(cell.school, keys),
        "procedure": _repeat(ins.procedure, n),
        "year": pa.array(np.full(n, ins.year, dtype=np.int16)),
        "grade": pa.array(np.full(n, ins.grade, dtype=np.int8)),
        "subject": _repeat(ins.subject, n),
        "participant_code": codes,
        "class_label": _dict(ins.grade * 4 + cell.class_no.astype(np.int32), CLASS_LABELS),
        "sex": _dict(cell.sex.astype(np.int32), _SEX),
        "variant": pa.array((1 + cell.position % 2).astype(np.int16)),
        "absent": pa.array(absent),
        "primary_score": pa.array(cell.primary.astype(np.float32), mask=absent),
        "mark": _optional(cell.mark, absent, pa.int8()),
        "test_score": _optional(cell.test, absent, pa.float32()),
        "term_mark": _optional(cell.term, np.zeros(n, dtype=bool), pa.int8()),
        "task_scores": tasks,
        "source": _repeat(source, n),
    }
    return pa.Table.from_pydict(columns, schema=RESULTS.schema)


def _repeat(value: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _dict(indices: np.ndarray, dictionary: pa.Array) -> pa.Array:
    array = pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), dictionary)
    return array.cast(pa.string())


def _optional(values: np.ndarray | None, mask: np.ndarray, type_: pa.DataType) -> pa.Array:
    if values is None:
        return pa.nulls(len(mask), type_)
    return pa.array(values, type_, mask=mask)


def _subset(cell: Cell, keep: np.ndarray) -> Cell:
    def cut(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[keep]

    return Cell(cell.instrument, cell.school[keep], cell.position[keep], cell.class_no[keep],
                cell.sex[keep], cell.absent[keep], cell.scores[keep], cell.primary[keep],
                cut(cell.mark), cut(cell.test), cut(cell.term))


@dataclass
class CellSums:
    """Per-school sums of one cell (only schools with participants): the source of aggregates,
    reference values and the ``small`` property."""

    key: tuple[str, int, int, str]
    schools: np.ndarray
    participants: np.ndarray
    score_sum: np.ndarray  # primary (ВПР, ОГЭ) or test (ЕГЭ) score
    marks: np.ndarray | None  # (k, 4) counts of «2»…«5»
    below: np.ndarray | None
    high: np.ndarray | None
    top: np.ndarray | None


def cell_sums(cell: Cell) -> CellSums:
    ins = cell.instrument
    present = ~cell.absent
    school = cell.school[present]
    schools, local = np.unique(school, return_inverse=True)
    k = len(schools)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(local, weights=mask.astype(float), minlength=k).astype(np.int64)

    score = cell.test[present] if cell.test is not None else cell.primary[present]
    participants = np.bincount(local, minlength=k).astype(np.int64)
    score_sum = np.bincount(local, weights=score.astype(float), minlength=k)
    marks = below = high = top = None
    if cell.mark is not None:
        mark = cell.mark[present]
        marks = np.stack([count(mark == m) for m in (2, 3, 4, 5)], axis=1)
    if ins.procedure == "OGE" and marks is not None:
        below = marks[:, 0].copy()
    if cell.test is not None and ins.min_threshold is not None:
        below = count(score < ins.min_threshold)
        high = count((score >= 80) & (score < 100))
        top = count(score == 100)
    return CellSums(ins.key, schools, participants, score_sum, marks, below, high, top)
