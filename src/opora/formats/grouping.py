"""Problems grouped for people: one line per kind of problem and column, with a count and rows.

A real published table gave 3,932 problem lines, most of them one kind in one column repeated row
after row; a coordinator must see the five real problems of a file, not four thousand lines
(issue 11). :func:`group_problems` folds the list into :class:`ProblemGroup` lines — the same
code in the same sheet and column — each with the number of rows, the first rows and the first
message as an example; the full list stays in ``problems.csv`` and the XLSX download. Works on
:class:`~opora.formats.base.Problem` objects and on their stored dictionaries
(``ImportBatch.problems``) alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opora.formats.base import Problem

FIRST_ROWS = 5


@dataclass
class ProblemGroup:
    """Problems of one code in one sheet and column."""

    code: str
    sheet: str
    column: str
    file: str
    example: str  # the first problem's message
    count: int = 0
    rows: list[int] = field(default_factory=list)  # all rows, in the order met

    @property
    def first_rows(self) -> list[int]:
        return self.rows[:FIRST_ROWS]

    def place(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"лист «{self.sheet}»")
        if self.column:
            parts.append(f"столбец {self.column}")
        return ", ".join(parts)

    def rows_text(self) -> str:
        """«строки 12, 15, 17, 20, 21 и ещё 113»."""
        if not self.rows:
            return ""
        shown = ", ".join(str(r) for r in self.first_rows)
        more = len(self.rows) - len(self.first_rows)
        word = "строка" if len(self.rows) == 1 else "строки"
        return f"{word} {shown}" + (f" и ещё {more}" if more else "")

    def line(self) -> str:
        """The group in one line, as the command line and the page show it."""
        head = ", ".join(p for p in (self.place(), self.rows_text()) if p)
        times = f" — {self.count} раз(а), например:" if self.count > 1 else ":"
        return f"{head}{times} {self.example}" if head else f"{self.example}"


def _row(problem: Problem | Mapping[str, Any]) -> Mapping[str, Any]:
    return problem.as_row() if isinstance(problem, Problem) else problem


def group_problems(problems: Iterable[Problem | Mapping[str, Any]]) -> list[ProblemGroup]:
    """Group by (code, sheet, column), in the order each group is first met."""
    groups: dict[tuple[str, str, str], ProblemGroup] = {}
    for problem in problems:
        row = _row(problem)
        key = (str(row.get("code") or ""), str(row.get("sheet") or ""),
               str(row.get("column") or ""))
        if not key[2] and row.get("row") is None:  # a whole sheet's or file's: a group of its own
            key = (*key[:2], f"\0{row.get('message')}")
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProblemGroup(key[0], key[1], str(row.get("column") or ""),
                                               str(row.get("file") or ""),
                                               str(row.get("message") or ""))
        group.count += 1
        if row.get("row") is not None:
            group.rows.append(int(row["row"]))
    return list(groups.values())
