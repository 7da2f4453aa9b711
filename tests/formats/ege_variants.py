"""Write variants of the published per-school ЕГЭ/ОГЭ table with openpyxl, for the reader's tests.

The real sample (``tests/data/realdata/ege_by_school_region_sample.xlsx``) shows one layout;
regions publish variants of it (total at the bottom, no subtotals, no numbering row, a leading
empty column, municipalities renamed, ОГЭ marks). A test describes the rows it wants — every
number it later expects is written here by the test itself — and this module lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

EGE_MEASURES = ("приняло участие", "не преодолен min порог", "высокобалльники \n(80-99 баллов)",
                "получили 100 баллов", "средний балл")
OGE_MEASURES = ("приняли участие", "«2»", "«3»", "«4»", "«5»", "средний балл")

Cells = tuple[object, ...]  # one subject's cells in measure order; None is an empty cell


@dataclass
class School:
    name: str
    results: dict[str, Cells] = field(default_factory=dict)  # subject header → cells


@dataclass
class Municipality:
    name: str
    schools: list[School]
    subtotal_mean: dict[str, float] = field(default_factory=dict)  # subject header → typed mean


@dataclass
class Variant:
    """One sheet. Defaults reproduce the sample's 2023 layout on a small scale."""

    sheet: str = "2023"
    title: str | None = "Информация о результатах ЕГЭ выпускников школ в 2023 году"
    region: str | None = "Еврейская автономная область"
    subjects: tuple[str, ...] = ("Русский язык, чел.", "Математика (профиль), чел.")
    measures: tuple[str, ...] = EGE_MEASURES
    municipalities: list[Municipality] = field(default_factory=list)
    total: dict[str, Cells] | None = None  # subject header → the region row's cells
    total_at: str = "top"  # "top" or "bottom"
    total_label: str = "ВСЕГО по региону"
    subtotals: bool = True  # municipality rows with =SUM formulas; else municipality on each row
    numbering: bool = True
    leading_empty_column: bool = False
    municipality_column: bool = True  # False: municipalities only as subtotal rows of column A
    applications: bool = False  # the «2024» kind of sheet: counts of applications, no measures
    extra_rows: list[list[object]] = field(default_factory=list)  # written after the table


def write_workbook(path: Path, variants: list[Variant]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for variant in variants:
        _write_sheet(workbook.create_sheet(variant.sheet), variant)
    workbook.save(path)
    return path


def _write_sheet(ws: Worksheet, v: Variant) -> None:
    left = 2 if v.leading_empty_column else 1  # the first used column
    school_col = left + 1 if v.municipality_column else left
    first = school_col + 1  # the first subject column
    if v.title:
        ws.cell(2, left, v.title)
    if v.region:
        ws.cell(4, left, f"Субъект Российской Федерации\n_____{v.region}_____")
    if v.municipality_column:
        ws.cell(6, left, "Муниципальное образование")
    ws.cell(6, school_col, "Образовательная организация (школа)")
    if v.applications:
        ws.cell(6, first, "Всего выпускников, подавших заявление на участие в ЕГЭ, чел.")
        for i, subject in enumerate(v.subjects):
            ws.cell(7, first + 1 + i, subject)
        row = 8
    else:
        ws.cell(6, first, "из них")
        for i, subject in enumerate(v.subjects):
            ws.cell(7, first + i * len(v.measures), subject)
            for j, measure in enumerate(v.measures):
                ws.cell(8, first + i * len(v.measures) + j, measure)
        row = 9
    if v.numbering:
        width = first - left + len(v.subjects) * (1 if v.applications else len(v.measures))
        for number in range(1, width + 1):
            ws.cell(row, left + number - 1, number)
        row += 1
    _write_body(ws, v, row, left, school_col)


def _write_body(ws: Worksheet, v: Variant, row: int, left: int, school_col: int) -> None:
    first = school_col + 1
    width = 1 if v.applications else len(v.measures)
    if v.total is not None and v.total_at == "top":
        ws.cell(row, left, v.total_label)
        _write_cells(ws, row, first, width, v.subjects, v.total)
        row += 1
    for municipality in v.municipalities:
        if v.subtotals:
            ws.cell(row, left, municipality.name)
            n = len(municipality.schools)
            for col in range(first, first + len(v.subjects) * width):
                letter = get_column_letter(col)
                ws.cell(row, col, f"=SUM({letter}{row + 1}:{letter}{row + n})")
            for i, subject in enumerate(v.subjects):
                if subject in municipality.subtotal_mean:
                    ws.cell(row, first + i * width + width - 1, municipality.subtotal_mean[subject])
            row += 1
        for school in municipality.schools:
            if not v.subtotals and v.municipality_column:
                ws.cell(row, left, municipality.name)
            ws.cell(row, school_col, school.name)
            _write_cells(ws, row, first, width, v.subjects, school.results)
            row += 1
    if v.total is not None and v.total_at == "bottom":
        ws.cell(row, left, v.total_label)
        _write_cells(ws, row, first, width, v.subjects, v.total)
        row += 1
    for extra in v.extra_rows:
        for col, value in enumerate(extra, start=1):
            if value is not None:
                ws.cell(row, col, value)
        row += 1


def _write_cells(ws: Worksheet, row: int, first: int, width: int, subjects: tuple[str, ...],
                 results: dict[str, Cells]) -> None:
    for i, subject in enumerate(subjects):
        for j, value in enumerate(results.get(subject, ())):
            if value is not None:
                ws.cell(row, first + i * width + j, value)
