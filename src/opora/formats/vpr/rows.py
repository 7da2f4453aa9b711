"""One participant row of the ВПР collection form, checked cell by cell.

Every cell that cannot be taken as it is becomes a :class:`Problem` with its place and a Russian
message, and the whole row is left out: a participant with one unreadable score has no trustworthy
total. Conventions of the form, documented in ``docs/templates.md``:

- «отсутствовал» anywhere in the row (normally in «Вариант») marks an absent participant: the row is
  kept with ``absent=True`` and no scores.
- «Х» (Cyrillic or Latin, any case) in a task cell means the participant did not start the task and
  counts as 0 points — the ФИС ОКО form's convention (an empty cell is not allowed there); the tool
  that published the sample form (WebDevRun/vpr_analizer, ``REPLACE_VALUES``) reads it the same
  way. An empty task cell of a present participant is *not* taken as 0: the row is rejected.
- A row whose only contents are formulas or a value in «Итого баллов» (the form's spare lines
  with ``=SUM(...)``, or their «0» in a CSV export) is an unused line, skipped without a message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opora.catalog import normalize_label
from opora.formats.base import Problem, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.vpr.layout import FormLayout, Task
from opora.formats.workbook import Sheet

NOT_STARTED = {"x", "х"}  # Latin x, Cyrillic х (after lower-casing)
NO_TERM_MARK = {"н/а", "на", "н/a", "-", "—", "нет"}
SEXES = {"м": "м", "м.": "м", "муж": "м", "мужской": "м", "ж": "ж", "ж.": "ж", "жен": "ж",
         "женский": "ж"}
TERM_MARKS = (2, 3, 4, 5)


@dataclass(frozen=True)
class Participant:
    """A row that passed every check; ``row`` is 1-based as Excel shows it."""

    code: str
    row: int
    absent: bool
    variant: int | None
    class_label: str | None
    sex: str | None
    term_mark: int | None
    task_scores: tuple[float, ...] | None

    @property
    def payload(self) -> tuple[object, ...]:
        """Everything but the place: equal payloads on two sheets are the same participant."""
        return (self.absent, self.variant, self.class_label, self.sex, self.term_mark,
                self.task_scores)

    @property
    def primary_score(self) -> float | None:
        """Recomputed from the task scores; the form's «Итого баллов» formula is never trusted."""
        return None if self.task_scores is None else float(sum(self.task_scores))


class _Missing:
    """A task cell left empty (distinct from a checked 0)."""


MISSING = _Missing()


class RowReader:
    """Reads participant rows of one sheet laid out as ``layout``."""

    def __init__(self, file: str, sheet: Sheet, layout: FormLayout) -> None:
        self.file, self.sheet, self.layout = file, sheet, layout

    def problem(self, row: int, col: int | None, code: ReadErrorCode,
                message: str) -> Problem:
        letter = column_letter(col) if col is not None else ""
        return Problem(self.file, message, code, self.sheet.name, row + 1, letter)

    def is_unused(self, row: int) -> bool:
        """Nothing but formulas or a total (or nothing at all): a spare line of the form.

        «Итого баллов» is never read, so a value there alone does not make a participant; this is
        what spare lines look like in a CSV export, where formulas become their values («0»).
        """
        total = self.layout.total_col
        return all(
            value is None or col == total or self.sheet.is_formula(row, col)
            for col, value in enumerate(self.sheet.rows[row])
        )

    def read(self, row: int) -> tuple[Participant | None, list[Problem]]:
        """The participant in ``row`` (0-based), or None with the problems that reject it."""
        problems: list[Problem] = []
        values = self.sheet.rows[row]
        absent = any(isinstance(v, str) and normalize_label(v).startswith("отсутств")
                     for v in values)
        code = self._code(row, problems)
        variant = None if absent else self._variant(row, problems)
        class_label = _label(self._cell(row, self.layout.class_col))
        sex = self._sex(row, problems)
        term_mark = self._term_mark(row, problems)
        scores = None
        if absent:
            self._check_absent(row, problems)
        else:
            scores = self._scores(row, problems)
        if problems or code is None:
            return None, problems
        return Participant(code, row + 1, absent, variant, class_label, sex, term_mark,
                           scores), []

    def _cell(self, row: int, col: int | None) -> object:
        return None if col is None else self.sheet.cell(row, col)

    def _code(self, row: int, problems: list[Problem]) -> str | None:
        col = self.layout.code_col
        value = self._cell(row, col)
        if value is None:
            problems.append(self.problem(row, col, ReadErrorCode.CODE_MISSING,
                                         "нет кода участника в столбце «Код», а в строке есть данные"))
            return None
        code = _whole_number_text(value)
        if code is None:
            problems.append(self.problem(
                row, col, ReadErrorCode.CODE_INVALID,
                f"код участника «{value}» — не целое число; коды ФИС ОКО состоят из цифр"))
        return code

    def _variant(self, row: int, problems: list[Problem]) -> int | None:
        cols = self.layout.variant_cols
        value = self._cell(row, cols[0] if cols else None)
        if value is None:
            return None
        text = _whole_number_text(value)
        if text is None:
            problems.append(self.problem(
                row, cols[0], ReadErrorCode.VARIANT_INVALID,
                f"«{self.layout.header(cols[0])}»: «{value}» — не номер варианта "
                "(ожидается целое число или «отсутствовал»)"))
            return None
        return int(text)

    def _sex(self, row: int, problems: list[Problem]) -> str | None:
        value = self._cell(row, self.layout.sex_col)
        if value is None:
            return None
        sex = SEXES.get(normalize_label(value))
        if sex is None:
            problems.append(self.problem(row, self.layout.sex_col, ReadErrorCode.SEX_INVALID,
                                         f"«Пол»: «{value}» — ожидается «м» или «ж»"))
        return sex

    def _term_mark(self, row: int, problems: list[Problem]) -> int | None:
        col = self.layout.term_col
        value = self._cell(row, col)
        if value is None or normalize_label(value) in NO_TERM_MARK:
            return None
        number = _number(value)
        if number is None or number not in TERM_MARKS:
            problems.append(self.problem(
                row, col, ReadErrorCode.TERM_MARK_INVALID,
                f"«{self.layout.header(col or 0)}»: «{value}» — отметка должна быть 2, 3, 4 или 5 "
                "(или «н/а», если отметки нет)"))
            return None
        return int(number)

    def _check_absent(self, row: int, problems: list[Problem]) -> None:
        filled = [t for t in self.layout.tasks if self.sheet.cell(row, t.col) is not None]
        if filled:
            problems.append(self.problem(
                row, filled[0].col, ReadErrorCode.ABSENT_WITH_SCORES,
                f"участник отмечен «отсутствовал», но у него есть баллы (задание {filled[0].label} "
                "и др.): уберите баллы или отметку об отсутствии"))

    def _scores(self, row: int, problems: list[Problem]) -> tuple[float, ...] | None:
        scores: list[float] = []
        missing: list[Task] = []
        before = len(problems)
        for task in self.layout.tasks:
            score = self._score(row, task, problems)
            if isinstance(score, _Missing):
                missing.append(task)
            elif score is not None:
                scores.append(score)
        if len(missing) == len(self.layout.tasks):
            problems.append(self.problem(
                row, missing[0].col, ReadErrorCode.SCORES_MISSING,
                "у участника нет ни одного балла: заполните баллы за задания или напишите "
                "«отсутствовал» в столбце «Вариант»"))
        elif missing:
            labels = ", ".join(t.label for t in missing)
            problems.append(self.problem(
                row, missing[0].col, ReadErrorCode.SCORES_INCOMPLETE,
                f"не заполнены баллы за задания {labels}: поставьте балл (0 — задание выполнено "
                "неверно) или «Х», если участник не приступал к заданию"))
        return tuple(scores) if len(problems) == before else None

    def _score(self, row: int, task: Task, problems: list[Problem]) -> float | _Missing | None:
        value = self.sheet.cell(row, task.col)
        if value is None:
            return MISSING
        if isinstance(value, str) and normalize_label(value) in NOT_STARTED:
            return 0.0
        number = _number(value)
        complaint = None
        if number is None:
            complaint = (ReadErrorCode.SCORE_NOT_NUMBER, f"«{value}» — не число")
        elif number < 0:
            complaint = (ReadErrorCode.SCORE_NEGATIVE, f"балл {_fmt(number)} отрицательный")
        elif number != int(number):
            complaint = (ReadErrorCode.SCORE_FRACTIONAL,
                         f"балл {_fmt(number)} дробный, а баллы ВПР целые")
        elif number > task.max_score:
            complaint = (ReadErrorCode.SCORE_ABOVE_MAX, f"балл {_fmt(number)} больше максимума "
                         f"{_fmt(task.max_score)} за задание {task.label}")
        if complaint is None:
            return number
        problems.append(self.problem(row, task.col, complaint[0],
                                     f"задание «{self.layout.header(task.col)}»: {complaint[1]}"))
        return None


def _number(value: object) -> float | None:
    """A cell as a number: numbers as they are, text like «2» or «1,0»; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _whole_number_text(value: object) -> str | None:
    """Digits as text: «04001» keeps its zero; 40001.0 from Excel becomes «40001»."""
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    number = _number(value)
    if number is None or number != int(number) or number < 0:
        return None
    return str(int(number))


def _label(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) or None


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number).replace(".", ",")
