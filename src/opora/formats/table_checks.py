"""Vectorised checks of a whole normalised table: the fast path for million-row files.

Row-by-row Python validation reads a million rows in tens of seconds; these checks run in
Arrow compute kernels and keep the same promise — every rejected row is reported with its
place (file, sheet, Excel row, column) and a Russian reason, and the good rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.catalog import PROCEDURES, SCALES, SUBJECTS
from opora.formats.base import Problem
from opora.formats.errors import ReadErrorCode
from opora.glossary import CONTEXT_COLUMNS
from opora.schemas import Table

MAX_PROBLEMS_PER_CHECK = 1000  # a broken million-row file must not produce a million-line report


@dataclass(frozen=True)
class Check:
    """One rule over a column: ``bad(column) -> boolean mask`` of rows that break it; with
    ``whole_row`` the rule reads the whole table (``bad(table)``: a part against its whole), and
    the problem is still reported at ``column``."""

    column: str
    code: ReadErrorCode
    bad: Callable[[Any], pa.ChunkedArray | pa.Array]
    message: Callable[[object], str]
    whole_row: bool = False
    needs: tuple[str, ...] = ()  # other columns a whole-row rule reads


def _not_in(values: set[str]) -> Callable[[pa.ChunkedArray], pa.Array]:
    """Rows whose value is given and not among ``values`` (an empty cell is the required
    check's business: pc.is_in says False for a null, which would read as «unknown»)."""
    allowed = pa.array(sorted(values))
    return lambda col: pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, value_set=allowed)))


def _outside(low: float, high: float) -> Callable[[pa.ChunkedArray], pa.Array]:
    return lambda col: pc.or_(pc.less(col, low), pc.greater(col, high))


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


_SHARE_CHECK = (_outside(0, 100), ReadErrorCode.SHARE_OUT_OF_RANGE,
                lambda v: f"доля {_fmt(v)} % вне диапазона 0–100 %")

#: the checks of a cell's identity (procedure, subject, year, grade), shared by the result tables
_CELL_CHECKS = (
    Check("procedure", ReadErrorCode.UNKNOWN_PROCEDURE, _not_in(set(PROCEDURES)),
          lambda v: f"неизвестная процедура «{v}»; допустимы: {', '.join(PROCEDURES)}"),
    Check("subject", ReadErrorCode.UNKNOWN_SUBJECT, _not_in(set(SUBJECTS)),
          lambda v: f"неизвестный предмет «{v}»"),
    Check("year", ReadErrorCode.YEAR_OUT_OF_RANGE, _outside(2000, 2100),
          lambda v: f"год {_fmt(v)} вне диапазона 2000–2100"),
    Check("grade", ReadErrorCode.GRADE_OUT_OF_RANGE, _outside(1, 11),
          lambda v: f"класс {_fmt(v)} вне диапазона 1–11"),
)

#: the counts of people in a published row (opora.schemas.AGGREGATES): never negative
_COUNTS = ("participants", "mark_2", "mark_3", "mark_4", "mark_5", "below_threshold",
           "high_scorers", "top_scorers")
#: the parts of «participants»: none of them may exceed it (issue 19)
_PARTS = _COUNTS[1:]


def _count_check(column: str) -> Check:
    return Check(column, ReadErrorCode.NEGATIVE_COUNT, lambda c: pc.less(c, 0),
                 lambda v: f"отрицательное число человек: {_fmt(v)}")


_PUBLISHED_CHECKS = (
    *_CELL_CHECKS,
    *(_count_check(c) for c in _COUNTS),
    Check("score_scale", ReadErrorCode.BAD_VALUE, _not_in(set(SCALES)),
          lambda v: f"неизвестная шкала среднего «{v}»; допустимы: {', '.join(SCALES)}"),
)

def _part_check(part: str) -> Check:
    return Check(part, ReadErrorCode.COUNT_EXCEEDS_PARTICIPANTS,
                 lambda t: pc.greater(t.column(part), t.column("participants")),
                 lambda v: f"{_fmt(v)} чел. — больше, чем приняло участие", whole_row=True,
                 needs=("participants",))


def _marks_exceed(table: pa.Table) -> pa.Array:
    marks = [pc.fill_null(table.column(f"mark_{m}"), 0) for m in (2, 3, 4, 5)
             if f"mark_{m}" in table.column_names]
    if len(marks) < 2:
        return pa.array([False] * table.num_rows)
    total = marks[0]
    for more in marks[1:]:
        total = pc.add(total, more)
    return pc.greater(total, table.column("participants"))


def _mean_outside_scale(table: pa.Table) -> pa.Array:
    """A mean outside its own scale (catalog.SCALES: test and percent 0–100, mark 2–5, …)."""
    scale, mean = table.column("score_scale"), table.column("mean_score")
    masks = []
    for code, known in SCALES.items():
        of_scale = pc.equal(scale, code)
        masks.append(pc.and_(of_scale, pc.or_(pc.less(mean, known.low),
                                               pc.greater(mean, known.high))))
    bad = masks[0]
    for more in masks[1:]:
        bad = pc.or_(bad, more)
    return bad


_PUBLISHED_ROW_CHECKS = (
    *(_part_check(p) for p in _PARTS),
    Check("participants", ReadErrorCode.MARKS_EXCEED_PARTICIPANTS, _marks_exceed,
          lambda v: f"отметок «2»–«5» в сумме больше, чем приняло участие ({_fmt(v)} чел.)",
          whole_row=True, needs=("participants",)),
    Check("mean_score", ReadErrorCode.MEAN_OUT_OF_RANGE, _mean_outside_scale,
          lambda v: f"средний балл {_fmt(v)} вне диапазона своей шкалы (score_scale)",
          whole_row=True, needs=("score_scale",)),
)

CHECKS: dict[str, tuple[Check, ...]] = {
    "aggregates": _PUBLISHED_CHECKS + _PUBLISHED_ROW_CHECKS,
    "reference": _PUBLISHED_CHECKS + _PUBLISHED_ROW_CHECKS,
    "results": (
        *_CELL_CHECKS,
        Check("mark", ReadErrorCode.MARK_OUT_OF_RANGE, _outside(2, 5),
              lambda v: f"отметка {_fmt(v)} вне диапазона 2–5"),
        Check("term_mark", ReadErrorCode.MARK_OUT_OF_RANGE, _outside(2, 5),
              lambda v: f"отметка за четверть {_fmt(v)} вне диапазона 2–5"),
        Check("primary_score", ReadErrorCode.NEGATIVE_SCORE, lambda c: pc.less(c, 0),
              lambda v: f"отрицательный первичный балл {_fmt(v)}"),
        Check("test_score", ReadErrorCode.SCORE_OUT_OF_RANGE, _outside(0, 100),
              lambda v: f"тестовый балл {_fmt(v)} вне диапазона 0–100"),
    ),
    "context": tuple(
        Check(column.code, _SHARE_CHECK[1], _SHARE_CHECK[0], _SHARE_CHECK[2])
        for column in CONTEXT_COLUMNS if column.kind == "share"
    ),
}


def _required(name: str, title: str) -> Check:
    def is_null(col: pa.ChunkedArray) -> pa.ChunkedArray:
        return pc.is_null(col)

    return Check(name, ReadErrorCode.REQUIRED_MISSING, is_null,
                 lambda _value: f"не заполнено обязательное поле «{title}»")


def check_table(
    table: pa.Table, spec: Table, *, file: str, sheet: str = "", first_row: int = 2,
    column_titles: dict[str, str] | None = None,
) -> tuple[pa.Table, list[Problem], int]:
    """Return (good rows, problems, number of rejected rows) for a normalised ``table``.

    ``first_row`` is the Excel/CSV line of the table's first data row (2 under one header row),
    so the reported row is the line the user sees. Required columns that are empty and every
    rule of :data:`CHECKS` for the table reject the row.
    """
    titles = column_titles or {}
    bad_any = np.zeros(table.num_rows, dtype=bool)
    problems: list[Problem] = []
    rules = [
        _required(c.name, titles.get(c.name, c.name))
        for c in spec.columns if c.required and c.name in table.column_names
    ] + [r for r in CHECKS.get(spec.name, ()) if r.column in table.column_names]
    for rule in rules:
        column = table.column(rule.column)
        if any(n not in table.column_names for n in rule.needs):
            continue
        found = rule.bad(table if rule.whole_row else column)
        mask = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(mask)
        if not rows.size:
            continue
        bad_any |= mask
        values = column.take(pa.array(rows[:MAX_PROBLEMS_PER_CHECK])).to_pylist()
        title = titles.get(rule.column, rule.column)
        problems += [
            Problem(file=file, sheet=sheet, row=int(r) + first_row, column=title,
                    code=rule.code, message=rule.message(v))
            for r, v in zip(rows[:MAX_PROBLEMS_PER_CHECK], values, strict=True)
        ]
        if rows.size > MAX_PROBLEMS_PER_CHECK:
            problems.append(Problem(
                file=file, sheet=sheet, column=title, code=rule.code,
                message=f"и ещё {rows.size - MAX_PROBLEMS_PER_CHECK} строк с той же ошибкой",
            ))
    duplicate_mask = _duplicate_keys(table, spec)
    if duplicate_mask.any():
        rows = np.flatnonzero(duplicate_mask)
        bad_any |= duplicate_mask
        problems += [
            Problem(file=file, sheet=sheet, row=int(r) + first_row, column="",
                    code=ReadErrorCode.DUPLICATE_KEY,
                    message="повтор ключа (" + ", ".join(spec.key) + "): такая же запись есть "
                            "в другой строке; не ясно, какая верна — исправьте и загрузите снова")
            for r in rows[:MAX_PROBLEMS_PER_CHECK]
        ]
    good = table.filter(pa.array(~bad_any))
    return good, problems, int(bad_any.sum())


def _duplicate_keys(table: pa.Table, spec: Table) -> np.ndarray:
    """Mask of every row whose key occurs more than once.

    All copies are rejected, not just the later ones: which copy is right is not ours to guess
    (the fill-in templates follow the same rule).
    """
    key = [k for k in spec.key if k in table.column_names]
    if len(key) != len(spec.key) or table.num_rows == 0:
        return np.zeros(table.num_rows, dtype=bool)
    counts = table.select(key).group_by(key, use_threads=False).aggregate([([], "count_all")])
    repeated = counts.filter(pc.greater(counts.column("count_all"), 1))
    if repeated.num_rows == 0:
        return np.zeros(table.num_rows, dtype=bool)
    marked = table.select(key).append_column("__row", pa.array(np.arange(table.num_rows)))
    joined = marked.join(repeated.select(key), keys=key, join_type="inner")
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[joined.column("__row").to_numpy()] = True
    return mask
