"""Where things are on a sheet of the ВПР collection form: found by header text, never by position.

The form ФИС ОКО generates for each work (sample: ``tests/data/realdata/vpr_protocol_form.xlsx``)
has one header row: «Код», «Вариант (часть 1)», one column per task with the task's maximum in
brackets («1 (1б)», «5.1 (1б)», «11.3 k1 (2б)»), sometimes a second «Вариант (часть 2)» between the
tasks, «Класс № …», «Пол», «Отметка за предыдущий триместр/ четверть/полугодие» and «Итого баллов».
Schools add title rows above it and extra sheets beside it, and the set of columns differs between
works, so the header row is searched for and each column is recognised by its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from opora.catalog import normalize_label
from opora.formats.workbook import Sheet

# A title block above the header is a few rows; 30 is generous and keeps recognition cheap.
HEADER_SEARCH_ROWS = 30
# Two task headers in one row are already unlike any other table we read.
MIN_TASKS_TO_RECOGNISE = 2

_TASK = re.compile(r"^(\d[^()]*?)\s*\(\s*(\d+(?:[.,]\d+)?)\s*(?:б|балл)[^()]*\)$")


@dataclass(frozen=True)
class Task:
    """One task column: the label as on the form («11.3 k1»), its maximum, its column (0-based)."""

    label: str
    max_score: float
    col: int


@dataclass(frozen=True)
class FormLayout:
    """The recognised header of one sheet; ``header_row`` and columns are 0-based."""

    header_row: int
    headers: tuple[object, ...]
    tasks: tuple[Task, ...]
    code_col: int | None
    variant_cols: tuple[int, ...]
    class_col: int | None
    sex_col: int | None
    term_col: int | None
    total_col: int | None

    @property
    def signature(self) -> tuple[tuple[str, float], ...]:
        """What makes two sheets the same work: the task labels and maxima, in order."""
        return tuple((t.label, t.max_score) for t in self.tasks)

    def header(self, col: int) -> str:
        value = self.headers[col] if col < len(self.headers) else None
        return " ".join(str(value).split()) if value is not None else ""


def task_of(value: object, col: int) -> Task | None:
    """Parse a task header such as «3 (2б)» or «11.3 k1 (2б)»; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _TASK.match(" ".join(value.replace("\u00a0", " ").split()))
    if match is None:
        return None
    return Task(match.group(1).strip(), float(match.group(2).replace(",", ".")), col)


def find_layout(sheet: Sheet) -> FormLayout | None:
    """The first row of ``sheet`` that looks like the form's header, or None."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        layout = _layout_of(index, row)
        if layout is not None:
            return layout
    return None


def _layout_of(index: int, row: list[object]) -> FormLayout | None:
    labels = [normalize_label(v) if isinstance(v, str) else "" for v in row]
    tasks = tuple(t for col, v in enumerate(row) if (t := task_of(v, col)) is not None)
    code_col = _first(labels, lambda s: s == "код" or s.startswith("код участника"))
    variant_cols = tuple(c for c, s in enumerate(labels) if s.startswith("вариант"))
    total_col = _first(labels, lambda s: s.startswith("итого"))
    # Without task columns, «Код» + «Вариант» + «Итого баллов» still says "ВПР form" (and lets
    # the reader say which columns are missing); «Код участника» + «Вариант» alone is our template.
    looks_like_form = len(tasks) >= MIN_TASKS_TO_RECOGNISE or (
        code_col is not None and bool(variant_cols) and total_col is not None
    )
    if not looks_like_form:
        return None
    return FormLayout(
        header_row=index,
        headers=tuple(row),
        tasks=tasks,
        code_col=code_col,
        variant_cols=variant_cols,
        class_col=_first(labels, lambda s: s.startswith("класс")),
        sex_col=_first(labels, lambda s: s == "пол"),
        term_col=_first(labels, lambda s: s.startswith("отметка")),
        total_col=total_col,
    )


def _first(labels: list[str], test: Callable[[str], bool]) -> int | None:
    return next((c for c, s in enumerate(labels) if test(s)), None)
