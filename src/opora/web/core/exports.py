"""XLSX export of a list of schools with their flags (issue 4, «Export of the list to XLSX»).

Input is the engine's ``flags.csv`` rows as they are (``school_key, school_name, municipality,
flag, year, evidence`` — issue 3), optionally with per-school measures from ``school_stats`` for
the cell the page shows. Output: a workbook a coordinator can open, filter and print —

* «Школы»: a header block (title, run, date), one row per school, one column per flag («да»), the
  evidence of all its flags in one cell; numbers carry their unit in the number format
  (``54,2 %``, ``61,0 б.``, ``−3,4 п. п.``, ``27 чел.``) so a copied cell is still a number;
* «Обоснования»: one row per school × flag × year with the evidence sentence.

Every text cell is written with ``write_string``: a school name or evidence starting with «=»
stays text and is never evaluated as a formula (formula injection from imported files).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import xlsxwriter
from django.utils import timezone
from xlsxwriter.worksheet import Worksheet

from opora.glossary import FLAG_ORDER, flag_label, flag_rank
from opora.web.core.ordering import natural_key

SCHOOLS_SHEET, EVIDENCE_SHEET = "Школы", "Обоснования"
HEADER_ROW = 4  # 0-based: title, run, date, a blank row, then the column header

#: Optional per-school measures: key, column header, Excel number format (unit in the format).
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("participants", "Участников", '0" чел."'),
    ("mean_pct", "Средний результат, % от максимума", '0.0" %"'),
    ("mean_score", "Средний балл", '0.0" б."'),
    ("gap_pct", "Разница с регионом, п. п.", '+0.0" п. п.";-0.0" п. п.";0.0" п. п."'),
)
_BASE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("№", 5), ("Школа", 42), ("Муниципалитет", 24), ("Код школы", 14))


@dataclass
class _School:
    key: str
    name: str
    municipality: str
    flags: dict[str, list[tuple[Any, str]]] = field(default_factory=lambda: defaultdict(list))


def _group(rows: Iterable[Mapping[str, Any]]) -> list[_School]:
    """``flags.csv`` rows → one entry per school, flags in the glossary's order."""
    schools: dict[str, _School] = {}
    for row in rows:
        key = str(row["school_key"])
        school = schools.setdefault(key, _School(
            key, str(row.get("school_name") or key), str(row.get("municipality") or "")))
        school.flags[str(row["flag"])].append((row.get("year"), str(row.get("evidence") or "")))
    return sorted(schools.values(), key=lambda s: (natural_key(s.municipality),
                                                    natural_key(s.name), s.key))


def _flag_columns(schools: list[_School]) -> list[str]:
    """All known flags in their order, then any code the engine added later (shown as is)."""
    seen = {code for s in schools for code in s.flags}
    return list(FLAG_ORDER) + sorted(seen - set(FLAG_ORDER))


class _Formats:
    """The workbook's cell formats, created once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.meta = book.add_format({"italic": True, "font_color": "#555555"})
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bg_color": "#DDE7F0", "border": 1})
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"valign": "top", "text_wrap": True})
        self.flag = book.add_format({"valign": "top", "align": "center"})
        self.measures = {key: book.add_format({"valign": "top", "num_format": fmt})
                         for key, _, fmt in MEASURES}


def _header_block(sheet: Worksheet, fmt: _Formats, title: str, run_label: str,
                  generated: date) -> None:
    sheet.write_string(0, 0, title, fmt.title)
    sheet.write_string(1, 0, f"Расчёт: {run_label}", fmt.meta)
    sheet.write_string(2, 0, f"Сформировано: {generated:%d.%m.%Y}", fmt.meta)


def _write_header(sheet: Worksheet, fmt: _Formats, columns: list[tuple[str, int]]) -> None:
    for col, (name, width) in enumerate(columns):
        sheet.write_string(HEADER_ROW, col, name, fmt.header)
        sheet.set_column(col, col, width)
    sheet.set_row(HEADER_ROW, 45)


def _evidence_text(school: _School) -> str:
    """All the school's evidence in one cell: «ШНОР (2024): …» per line."""
    lines = []
    for code in sorted(school.flags, key=flag_rank):
        for year, evidence in school.flags[code]:
            lines.append(f"{flag_label(code)} ({year}): {evidence}" if year else
                         f"{flag_label(code)}: {evidence}")
    return "\n".join(lines)


def _schools_sheet(book: xlsxwriter.Workbook, fmt: _Formats, schools: list[_School],
                   measures: Mapping[str, Mapping[str, Any]], head: tuple[str, str, date]) -> None:
    sheet = book.add_worksheet(SCHOOLS_SHEET)
    flags = _flag_columns(schools)
    used = [m for m in MEASURES if any(m[0] in measures.get(s.key, {}) for s in schools)]
    columns = [*_BASE_COLUMNS, *((name, 14) for _, name, _ in used),
               *((flag_label(code), 12) for code in flags), ("Обоснование", 90)]
    _header_block(sheet, fmt, *head)
    _write_header(sheet, fmt, columns)
    for i, school in enumerate(schools):
        row = HEADER_ROW + 1 + i
        sheet.write_number(row, 0, i + 1, fmt.text)
        for col, text in enumerate((school.name, school.municipality, school.key), start=1):
            sheet.write_string(row, col, text, fmt.wrap if col == 1 else fmt.text)
        col = len(_BASE_COLUMNS)
        for key, _, _ in used:
            value = measures.get(school.key, {}).get(key)
            if value is not None:
                sheet.write_number(row, col, float(value), fmt.measures[key])
            col += 1
        for code in flags:
            if code in school.flags:
                sheet.write_string(row, col, "да", fmt.flag)
            col += 1
        sheet.write_string(row, col, _evidence_text(school), fmt.wrap)
    last = HEADER_ROW + len(schools)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, last, len(columns) - 1)


def _evidence_sheet(book: xlsxwriter.Workbook, fmt: _Formats, schools: list[_School],
                    head: tuple[str, str, date]) -> None:
    sheet = book.add_worksheet(EVIDENCE_SHEET)
    columns = [("Школа", 42), ("Муниципалитет", 24), ("Код школы", 14), ("Отметка", 24),
               ("Год", 8), ("Обоснование", 110)]
    _header_block(sheet, fmt, *head)
    _write_header(sheet, fmt, columns)
    row = HEADER_ROW
    for school in schools:
        for code in sorted(school.flags, key=flag_rank):
            for year, evidence in school.flags[code]:
                row += 1
                for col, text in enumerate((school.name, school.municipality, school.key,
                                            flag_label(code))):
                    sheet.write_string(row, col, text, fmt.wrap if col in (0, 3) else fmt.text)
                if year not in (None, ""):
                    sheet.write_number(row, 4, int(year), fmt.text)
                sheet.write_string(row, 5, evidence, fmt.wrap)
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    sheet.autofilter(HEADER_ROW, 0, row, len(columns) - 1)


def flags_to_xlsx(rows: Iterable[Mapping[str, Any]], *, title: str, run_label: str,
                  measures: Mapping[str, Mapping[str, Any]] | None = None,
                  generated: date | None = None) -> bytes:
    """The workbook (see the module docstring) as bytes, for a download response.

    ``rows``: ``flags.csv`` rows; ``measures``: school_key → {participants, mean_pct, mean_score,
    gap_pct} (a column appears only when some school has the value); ``generated``: the date in
    the header block (today by default).
    """
    schools = _group(rows)
    head = (title, run_label, generated or timezone.localdate())
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": title, "subject": run_label, "author": "Опора"})
    fmt = _Formats(book)
    _schools_sheet(book, fmt, schools, measures or {}, head)
    _evidence_sheet(book, fmt, schools, head)
    book.close()
    return buffer.getvalue()

