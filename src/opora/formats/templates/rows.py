"""Reading the rows of a sheet by a template's titles, for the templates whose rows become
records of the web (staff-like: risk profiles, roadmaps) rather than an engine table.

Each column is read by its parser (a function ``value → (parsed, reason or None)``); an empty
required cell or a reason rejects the row with its place (sheet, row as Excel shows it, column
letter) and a Russian message. Nothing imports Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.templates.reader import find_header
from opora.formats.templates.spec import Template
from opora.formats.workbook import Sheet

Parser = Callable[[object], tuple[Any, str | None]]


@dataclass
class Row:
    """One read row: its place and its values; ``columns`` maps a field to its column letter."""

    sheet: str
    row: int  # as Excel shows it
    values: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)

    def problem(self, file: str, field_name: str, message: str, code: str) -> Problem:
        return Problem(file, message, code, self.sheet, self.row, self.columns.get(field_name, ""))


def names_of(terms: Any) -> dict[str, str]:
    """Every spelling of the terms (name, plural, synonyms, code) → its code."""
    found: dict[str, str] = {}
    for term in terms:
        for name in (*term.names, term.code):
            found.setdefault(normalize_label(name), term.code)
    return found


def require_columns(path: Path, sheet: Sheet, template: Template, columns: dict[str, int],
                    row: int) -> None:
    absent = [c.title for c in template.columns if c.required and c.field not in columns]
    if absent:
        raise UnreadableFile(
            f"файл {path.name}, лист «{sheet.name}», строка {row + 1}: нет обязательных "
            f"столбцов «{template.title}»: " + ", ".join(f"«{t}»" for t in absent))


def read_rows(path: Path, sheet: Sheet, template: Template, parsers: dict[str, Parser],
              problems: list[Problem]) -> list[Row] | None:
    """The sheet's rows read by ``template`` (None: the sheet does not carry its header).

    Rows with a problem are left out; their problems are appended to ``problems``.
    """
    header = find_header(sheet, template)
    if header is None:
        return None
    require_columns(path, sheet, template, header.columns, header.row)
    letters = {name: column_letter(col) for name, col in header.columns.items()}
    rows = []
    for index in range(header.row + 1, len(sheet.rows)):
        if all(v is None or str(v).strip() == "" for v in sheet.rows[index]):
            continue
        row = Row(sheet.name, index + 1, {}, letters)
        found = []
        for column in template.columns:
            col = header.columns.get(column.field)
            raw = sheet.cell(index, col) if col is not None else None
            if raw is None or str(raw).strip() == "":
                row.values[column.field] = None
                if column.required:
                    found.append(row.problem(path.name, column.field,
                                             f"«{column.title}»: обязательное поле не заполнено",
                                             ReadErrorCode.REQUIRED_MISSING))
                continue
            value, reason = parsers.get(column.field, text)(raw)
            row.values[column.field] = value
            if reason:
                found.append(row.problem(path.name, column.field, f"«{column.title}»: {reason}",
                                         ReadErrorCode.BAD_VALUE))
        problems.extend(found)
        if not found:
            rows.append(row)
    return rows


def text(value: object) -> tuple[Any, str | None]:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return " ".join(str(value).split()), None


def choice(mapping: dict[str, str], what: str, allowed: str) -> Parser:
    def parse(value: object) -> tuple[Any, str | None]:
        code = mapping.get(normalize_label(value))
        return (code, None) if code else (None, f"«{value}» — неизвестный {what}; допустимо: "
                                                f"{allowed}")
    return parse
