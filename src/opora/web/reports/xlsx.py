"""XLSX of a report's tables: the same rows as in the DOCX, one sheet per table, the unit of every
number in its column header, the header frozen, widths set. Written with xlsxwriter's
``write_string`` for every text: a school name beginning with «=» stays text (formula injection,
as in ``core/exports.py``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

#: (sheet, context key of the rows, [(column header with unit, row key, width)]).
Table = tuple[str, str, Sequence[tuple[str, str, int]]]

NOTE_TABLES: tuple[Table, ...] = (
    ("Школы списка", "schools", (
        ("№", "n", 5), ("Школа", "name", 28), ("Полное наименование", "full_name", 50),
        ("Категория", "category", 14), ("В системе с, год", "since_year", 10),
        ("Повторно после выхода", "relapse", 10), ("Обоснование", "evidence", 80))),
    ("Результаты", "results", (
        ("Школа", "school", 28), ("Работа", "procedure", 10), ("Предмет", "subject", 24),
        ("Класс", "grade", 7), ("Участников, чел.", "participants", 12),
        ("Средний результат, % от максимума", "mean_pct", 14),
        ("Регион, % от максимума", "region_pct", 14), ("Разница с регионом, п. п.", "gap", 16))),
    ("Сопровождение", "support.rows", (
        ("Школа", "name", 28), ("Категория", "category", 14), ("Кураторы", "curators", 30),
        ("Сетевые партнёры", "partners", 30), ("Мероприятий, ед.", "events", 12),
        ("Педагогов охвачено, чел.", "teachers", 12), ("Последний визит, дата", "last_visit", 14))),
    ("Итоги сопровождения", "support.totals", (
        ("Показатель (единицы)", "name", 50), ("Значение, ед.", "value", 14))),
)
_INDICATOR_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Критерий", "criterion_name", 30), ("Показатель (индикатор)", "name", 60),
    ("Единица измерения", "unit", 12), ("{years[0]} год", "v1", 18),
    ("{years[1]} год", "v2", 18), ("{years[2]} год", "v3", 18))
NOTE_TABLES = (*NOTE_TABLES, ("Показатели", "indicators.rows", _INDICATOR_COLUMNS))
INDICATOR_TABLES: tuple[Table, ...] = (
    ("Муниципалитет", "municipal.rows", _INDICATOR_COLUMNS),
    ("Школы", "school_rows", (("Школа", "school", 24), *_INDICATOR_COLUMNS)),
)
SCHOOL_TABLES: tuple[Table, ...] = (
    ("Отметки", "flags", (("Отметка", "flag", 24), ("Год", "year", 8),
                          ("Обоснование", "evidence", 90))),
    ("Результаты", "results", (
        ("Год", "year", 8), ("Работа", "procedure", 10), ("Предмет", "subject", 24),
        ("Класс", "grade", 7), ("Участников, чел.", "participants", 12),
        ("Средний результат, % от максимума", "mean_pct", 14),
        ("Регион, % от максимума", "region_pct", 14), ("Разница с регионом, п. п.", "gap", 16))),
)
TABLES: dict[str, tuple[Table, ...]] = {"note": NOTE_TABLES, "protocol": NOTE_TABLES,
                                        "school": SCHOOL_TABLES, "indicators": INDICATOR_TABLES}


def _rows(context: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value: Any = context
    for part in key.split("."):
        value = value.get(part, []) if isinstance(value, dict) else []
    return list(value or [])


def render_xlsx(kind: str, context: dict[str, Any], title: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                              "bg_color": "#DDE7F0", "border": 1})
    wrap = book.add_format({"valign": "top", "text_wrap": True})
    for sheet_name, key, columns in TABLES[kind]:
        sheet = book.add_worksheet(sheet_name)
        sheet.write_string(0, 0, title, bold)
        for col, (name, _, width) in enumerate(columns):
            if "{years" in name:  # a year column: its year from the context
                name = name.format(years=context.get("years") or ["", "", ""])
            sheet.write_string(2, col, name, header)
            sheet.set_column(col, col, width, wrap)
        for row_no, row in enumerate(_rows(context, key), 3):
            for col, (_, field, _) in enumerate(columns):
                value = row.get(field)
                if isinstance(value, bool) or value is None:
                    sheet.write_string(row_no, col, "" if value is None else
                                       ("да" if value else "нет"))
                elif isinstance(value, int | float):
                    sheet.write_number(row_no, col, value)
                else:
                    sheet.write_string(row_no, col, str(value))
        sheet.freeze_panes(3, 0)
    book.close()
    return out.getvalue()
