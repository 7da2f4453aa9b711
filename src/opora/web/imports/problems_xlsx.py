"""The problems of one imported file as an XLSX workbook (xlsxwriter), for the coordinator to
fix the file in Excel: one row per problem with its place (file, sheet, row, column)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter

HEADERS = ("Файл", "Лист", "Строка", "Столбец", "Проблема", "Код")
_WIDTHS = (30, 16, 8, 10, 90, 20)


def problems_to_xlsx(problems: Iterable[dict[str, Any]]) -> bytes:
    """``problems`` are :meth:`opora.formats.base.Problem.as_row` dictionaries."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Проблемы")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, (header, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True)):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, width)
    for row, problem in enumerate(problems, start=1):
        sheet.write_string(row, 0, str(problem.get("file") or ""))
        sheet.write_string(row, 1, str(problem.get("sheet") or ""))
        if problem.get("row") is not None:
            sheet.write_number(row, 2, int(problem["row"]))
        sheet.write_string(row, 3, str(problem.get("column") or ""))
        sheet.write_string(row, 4, str(problem.get("message") or ""), wrap)
        sheet.write_string(row, 5, str(problem.get("code") or ""))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
