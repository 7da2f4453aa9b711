"""Checks on normalised tables before anything touches the database.

Readers already validate what they read; these checks are the database's own gate, run on every
load (a data set from ``opora read``/``opora generate``, a reader's result), vectorised with
pyarrow so that 100 000 result rows are checked in milliseconds. Each failed check becomes a
:class:`~opora.formats.base.Problem` naming the table, the row (1-based, as in the table) and the
column, with a Russian reason; the row's ``source`` (file, sheet, row of the original) is quoted
when the table carries one. Ranges come from the contract (:mod:`opora.schemas`): shares are
percent 0–100, marks 2–5, test scores 0–100, a part is never larger than its whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.catalog import PROCEDURES, SUBJECTS
from opora.formats.base import Problem
from opora.glossary import OFFICIAL_LIST_KINDS
from opora.schemas import CONTEXT, TABLES
from opora.web.imports.errors import ImportErrorCode

MAX_PROBLEMS_PER_CHECK = 50
_SHARES = [c.name for c in CONTEXT.columns if c.name.startswith("share_")]
# the lengths of the database columns these values go to (opora.web.*.models)
MAX_LENGTHS = {"school_key": 200, "participant_code": 64, "class_label": 16, "task_label": 32,
               "marker": 16, "school_name": 500, "municipality": 200, "region": 200,
               "short_name": 200, "full_name": 500, "microdistrict": 200, "address": 500,
               "fis_oko_login": 32}
_PARTS = ("mark_2", "mark_3", "mark_4", "mark_5", "below_threshold", "high_scorers", "top_scorers")


def validate_tables(tables: dict[str, pa.Table], file_label: str = "") -> list[Problem]:
    """Every problem found in ``tables``; an empty list means the data set may be saved."""
    problems: list[Problem] = []
    for name, table in tables.items():
        if name not in TABLES:
            problems.append(Problem(file_label or name, f"неизвестная таблица «{name}»",
                                    ImportErrorCode.UNKNOWN_TABLE))
            continue
        checker = _TableChecker(name, table, file_label or f"{name}.parquet")
        problems.extend(checker.run())
    return problems


class _TableChecker:
    def __init__(self, name: str, table: pa.Table, file_label: str) -> None:
        self.name, self.table, self.file = name, table, file_label
        self.spec = TABLES[name]

    def run(self) -> Iterator[Problem]:
        missing = [c.name for c in self.spec.columns if c.required
                   and c.name not in self.table.column_names]
        if missing:
            yield Problem(self.file, f"таблица «{self.name}»: нет обязательных столбцов "
                          f"{', '.join(missing)}", ImportErrorCode.MISSING_COLUMNS)
            return
        yield from self._required()
        yield from self._codes()
        yield from self._ranges()
        yield from self._parts()
        yield from self._lengths()
        yield from self._duplicates()

    def _has(self, column: str) -> bool:
        return column in self.table.column_names

    def _report(self, mask: pa.Array, column: str, code: str, why: str) -> Iterator[Problem]:
        """One problem per row where ``mask`` is true (capped, with a count of the rest)."""
        rows = np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))
        sources = self.table.column("source") if self._has("source") else None
        for index in rows[:MAX_PROBLEMS_PER_CHECK]:
            value = self.table.column(column)[int(index)].as_py() if self._has(column) else None
            origin = sources[int(index)].as_py() if sources is not None else None
            text = f"таблица «{self.spec.title}»: {why} (значение: {value!r}"
            text += f"; источник: {origin})" if origin else ")"
            yield Problem(self.file, text, code, row=int(index) + 1, column=column)
        if len(rows) > MAX_PROBLEMS_PER_CHECK:
            yield Problem(self.file, f"таблица «{self.spec.title}», столбец {column}: та же "
                          f"ошибка ещё в {len(rows) - MAX_PROBLEMS_PER_CHECK} строках", code)

    def _required(self) -> Iterator[Problem]:
        for column in self.spec.columns:
            if column.required:
                mask = pc.is_null(self.table.column(column.name))
                yield from self._report(mask, column.name, ImportErrorCode.REQUIRED_EMPTY,
                                        "пустое обязательное значение")

    def _codes(self) -> Iterator[Problem]:
        known = {"procedure": list(PROCEDURES), "subject": list(SUBJECTS),
                 "level": ["region", "municipality"],
                 "list_kind": [k.code for k in OFFICIAL_LIST_KINDS]}
        for column, values in known.items():
            if self._has(column) and (column != "level" or self.name == "reference"):
                mask = pc.invert(pc.is_in(self.table.column(column), pa.array(values)))
                mask = pc.and_(mask, pc.is_valid(self.table.column(column)))
                yield from self._report(mask, column, ImportErrorCode.UNKNOWN_CODE,
                                        f"неизвестный код; допустимы: {', '.join(values)}")

    def _ranges(self) -> Iterator[Problem]:
        limits: list[tuple[str, float, float, str]] = [
            ("grade", 1, 11, "класс должен быть от 1 до 11"),
            ("mark", 2, 5, "отметка должна быть от 2 до 5"),
            ("term_mark", 2, 5, "отметка за четверть должна быть от 2 до 5"),
            ("test_score", 0, 100, "тестовый балл должен быть от 0 до 100"),
            ("primary_score", 0, 1e9, "первичный балл не может быть отрицательным"),
            ("participants", 0, 1e9, "число участников не может быть отрицательным"),
        ]
        if self.name == "context":
            limits += [(s, 0, 100, "доля указывается в процентах от 0 до 100") for s in _SHARES]
        for column, low, high, why in limits:
            if self._has(column):
                values = self.table.column(column)
                mask = pc.or_(pc.less(values, low), pc.greater(values, high))
                yield from self._report(mask, column, ImportErrorCode.OUT_OF_RANGE, why)

    def _parts(self) -> Iterator[Problem]:
        if self.name not in ("aggregates", "reference"):
            return
        whole = self.table.column("participants")
        for part in _PARTS:
            if self._has(part):
                mask = pc.greater(self.table.column(part), whole)
                yield from self._report(mask, part, ImportErrorCode.PART_EXCEEDS_WHOLE,
                                        "часть больше целого: больше, чем участников")
        marks = [pc.fill_null(self.table.column(f"mark_{m}"), 0) for m in (2, 3, 4, 5)
                 if self._has(f"mark_{m}")]
        if len(marks) > 1:
            total = marks[0]
            for more in marks[1:]:
                total = pc.add(total, more)
            yield from self._report(pc.greater(total, whole), "participants",
                                    ImportErrorCode.PART_EXCEEDS_WHOLE,
                                    "часть больше целого: отметок «2»–«5» в сумме больше, "
                                    "чем участников")

    def _lengths(self) -> Iterator[Problem]:
        for column, limit in MAX_LENGTHS.items():
            if self._has(column) and pa.types.is_string(self.table.column(column).type):
                mask = pc.greater(pc.utf8_length(self.table.column(column)), limit)
                yield from self._report(mask, column, ImportErrorCode.TOO_LONG,
                                        f"текст длиннее {limit} знаков — вероятно, в столбец "
                                        "попало не то значение")

    def _duplicates(self) -> Iterator[Problem]:
        key = [k for k in self.spec.key if self._has(k)]
        if not key or self.table.num_rows == 0:
            return
        counts = self.table.select(key).group_by(key).aggregate([([], "count_all")])
        repeated = counts.filter(pc.greater(counts.column("count_all"), 1))
        for row in repeated.slice(0, MAX_PROBLEMS_PER_CHECK).to_pylist():
            where = ", ".join(f"{k}={row[k]}" for k in key)
            yield Problem(self.file, f"таблица «{self.spec.title}»: строка с ключом ({where}) "
                          f"повторяется (строк: {row['count_all']})", ImportErrorCode.DUPLICATE_KEY)
