"""XLSX of the municipal plan of measures (seed 002's columns) and of the municipal system (the
nine parts, what Опора holds, the self-assessment)."""

from __future__ import annotations

import io
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

from opora.web.decisions.models import PlanMeasure
from opora.web.decisions.system import Part
from opora.web.decisions.terms import MEASURE_STATUSES, name
from opora.web.schools.models import Municipality

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _book() -> tuple[io.BytesIO, xlsxwriter.Workbook, dict[str, object]]:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = {"title": book.add_format({"bold": True, "font_size": 13}),
               "head": book.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1,
                                        "text_wrap": True, "valign": "top"}),
               "cell": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
               "section": book.add_format({"bold": True, "border": 1})}
    return out, book, formats


def plan_xlsx(municipality: Municipality, year: int, rows: list[PlanMeasure]) -> bytes:
    """«План мероприятий» in seed 002's form: № / Мероприятие / Сроки / Ответственный /
    Результат, grouped by section, plus the state of each row."""
    out, book, f = _book()
    sheet = book.add_worksheet("План мероприятий")
    sheet.write(0, 0, f"План мероприятий по работе со ШНОР на {year}/{year + 1} учебный год — "
                      f"{municipality.name}", f["title"])
    for col, (title, width) in enumerate((("№", 6), ("Мероприятие", 60), ("Сроки", 18),
                                          ("Ответственный", 30), ("Результат", 40),
                                          ("Состояние", 16))):
        sheet.write(2, col, title, f["head"])
        sheet.set_column(col, col, width)
    line, section = 3, None
    for row in rows:
        if row.section and row.section != section:
            section = row.section
            sheet.merge_range(line, 0, line, 5, section, f["section"])
            line += 1
        for col, value in enumerate((row.position, row.measure, row.timing, row.responsible,
                                     row.result, name(MEASURE_STATUSES, row.status))):
            sheet.write(line, col, value, f["cell"])
        line += 1
    book.close()
    return out.getvalue()


def system_xlsx(municipality: Municipality, year: int, parts: list[Part]) -> bytes:
    out, book, f = _book()
    sheet = book.add_worksheet("Муниципальная система")
    sheet.write(0, 0, f"Муниципальная система работы со ШНОР, {year}/{year + 1} учебный год — "
                      f"{municipality.name}", f["title"])
    heads = (("№", 5), ("Часть системы", 28), ("Что есть в Опоре", 60), ("Есть", 8),
             ("Используется", 13), ("Анализируется", 14), ("Комментарий", 40))
    for col, (title, width) in enumerate(heads):
        sheet.write(2, col, title, f["head"])
        sheet.set_column(col, col, width)
    for line, part in enumerate(parts, start=3):
        holds = "\n".join(f"{h.label}: {h.count}" for h in part.holdings)
        for col, value in enumerate((part.number, part.title, holds,
                                     "да" if part.exists else "нет",
                                     "да" if part.used else "нет",
                                     "да" if part.analysed else "нет", part.note)):
            sheet.write(line, col, value, f["cell"])
    book.close()
    return out.getvalue()
