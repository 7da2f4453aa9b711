"""What every reader returns: normalised tables plus the problems it met.

A reader never guesses silently. A row it cannot read becomes a :class:`Problem` with the place
(file, sheet, row, column) and a Russian message; the rows it could read are still returned.
A file it cannot read at all raises :class:`UnreadableFile` with a one-line Russian reason.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from opora.csv_safety import safe_dict
from opora.schemas import PROBLEM_COLUMNS, TABLES, conform


class UnreadableFile(Exception):
    """The file as a whole cannot be read (wrong format, not a spreadsheet, empty).

    ``str(exc)`` is a one-line Russian reason meant for the user.
    """


@dataclass(frozen=True)
class Problem:
    """One thing a reader could not read. ``row`` is 1-based as Excel shows it."""

    file: str
    message: str
    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def as_row(self) -> dict[str, object]:
        return {
            "file": self.file, "sheet": self.sheet, "row": self.row,
            "column": self.column, "code": self.code, "message": self.message,
        }

    def text(self) -> str:
        """The place and the message, the file named once: a reader's message that starts with
        «файл X: …» is not prefixed with «файл X» again (issue 11: «файл X: файл X: …»)."""
        message = self.message
        prefix = f"файл {self.file}"
        if self.file and message.startswith(prefix):
            message = message[len(prefix):].lstrip(":, ")
        return f"{self.place()}: {message}" if message else self.place()

    def place(self) -> str:
        """The place in words: «файл f.xlsx, лист «2023», строка 12, столбец E»."""
        parts = [f"файл {self.file}"]
        if self.sheet:
            parts.append(f"лист «{self.sheet}»")
        if self.row is not None:
            parts.append(f"строка {self.row}")
        if self.column:
            parts.append(f"столбец {self.column}")
        return ", ".join(parts)


@dataclass
class ReadResult:
    """Normalised tables keyed by table name (see :mod:`opora.schemas`) and the problems.

    ``rejected_rows`` counts data rows left out because of a problem; ``skipped`` lists sheets or
    blocks recognised as something other than results (reported, not read); ``notes`` are what
    a reader says for the user's information, not a problem (how many schools of two years were
    matched, a municipality recognised under its new name). All three go to ``problems.csv``.
    """

    tables: dict[str, pa.Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0
    skipped: list[Problem] = field(default_factory=list)
    format: str = ""
    notes: list[Problem] = field(default_factory=list)

    def add(self, name: str, table: pa.Table) -> None:
        """Append rows to a table, conforming them to the normalised schema."""
        table = conform(table, TABLES[name])
        if name in self.tables:
            self.tables[name] = pa.concat_tables([self.tables[name], table])
        else:
            self.tables[name] = table

    def merge(self, other: ReadResult) -> None:
        for name, table in other.tables.items():
            self.add(name, table)
        self.problems.extend(other.problems)
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)
        self.rejected_rows += other.rejected_rows

    @property
    def exit_code(self) -> int:
        """0 when everything was read, 1 when some rows were rejected."""
        return 1 if self.rejected_rows or self.problems else 0


def write_problems(path: Path, problems: Iterable[Problem]) -> None:
    """Write ``problems.csv`` (UTF-8 with BOM so that Excel opens Cyrillic correctly); a file
    name or sheet title that Excel would run as a formula is neutralised (:mod:`opora.csv_safety`)."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(PROBLEM_COLUMNS))
        writer.writeheader()
        for problem in problems:
            writer.writerow(safe_dict(problem.as_row()))


def write_result(result: ReadResult, out_dir: Path) -> list[Path]:
    """Write every non-empty table as Parquet plus ``problems.csv``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in result.tables.items():
        path = out_dir / f"{name}.parquet"
        pq.write_table(conform(table, TABLES[name]), path)
        written.append(path)
    problems_path = out_dir / "problems.csv"
    write_problems(problems_path, [*result.problems, *result.skipped, *result.notes])
    written.append(problems_path)
    return written


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
