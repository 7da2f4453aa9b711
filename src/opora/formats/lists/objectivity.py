"""The federal list of schools with signs of non-objective ВПР results, as published (format
``objectivity-list``).

One row per school and year: «Год», «Логин ФИС ОКО», «Муниципалитет», «ОО», then one column per
grade and subject named like «4 РУ», «5 МА», «6 ИС» holding 1 where the sign was set, and a total
«Количество маркеров». Each 1 becomes a row of the ``markers`` table (the same table the
``markers`` template fills, stored as :class:`~opora.web.assessment.models.ObjectivityMarker`);
the school is its ФИС ОКО login (the import matches it by ``School.fis_oko_login``), with the
name and municipality as the list gives them for matching by name.

Checks: a row without a login or a year is rejected; a marker cell holding anything but 1, 0 or
nothing is left out with a warning (the row's other markers are kept); the total is compared
with the number of 1s, and a difference is reported with both numbers (``marker_total_mismatch``)
— the marker columns are the detail the list is made of, so they are kept.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from opora.formats.base import Problem, ReadResult, UnreadableFile, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.hints import ReadHints
from opora.formats.lists.header import ListHeader, find_header
from opora.formats.templates.cells import number_of
from opora.formats.workbook import Sheet

FORMAT = "objectivity-list"


def _header(sheet: Sheet) -> ListHeader | None:
    header = find_header(sheet)
    return header if header is not None and header.markers and "login" in header.columns else None


def recognises(sheets: list[Sheet]) -> bool:
    """A sheet whose header has a ФИС ОКО login and marker columns («4 РУ»)."""
    return any(_header(s) is not None for s in sheets)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    result = ReadResult()
    found = False
    for sheet in sheets:
        header = _header(sheet)
        if header is None:
            if any(v is not None for row in sheet.rows for v in row):
                result.skipped.append(Problem(
                    path.name, f"лист «{sheet.name}» пропущен: на нём нет шапки списка «Год, "
                    "Логин ФИС ОКО, Муниципалитет, ОО, 4 РУ …»", ReadErrorCode.SHEET_SKIPPED,
                    sheet.name))
            continue
        found = True
        _Sheet(path.name, sheet, header, hints, result).read()
    if not found:
        raise UnreadableFile(f"файл {path.name}: не найдена шапка федерального списка школ с "
                             "признаками необъективности (Год, Логин ФИС ОКО, ОО, «4 РУ» …)")
    return result


class _Sheet:
    def __init__(self, file: str, sheet: Sheet, header: ListHeader, hints: ReadHints,
                 result: ReadResult) -> None:
        self.file, self.sheet, self.header, self.hints, self.result = (
            file, sheet, header, hints, result)
        self.rows: list[dict[str, object]] = []
        self.seen: dict[tuple[str, int], int] = {}  # (login, year) → the row it was first met

    def problem(self, row: int, col: int | None, code: ReadErrorCode, message: str) -> None:
        title = self.sheet.cell(self.header.row, col) if col is not None else None
        column = "" if col is None else (
            f"{column_letter(col)} ({' '.join(str(title).split())})" if title else
            column_letter(col))
        self.result.problems.append(Problem(self.file, message, code, self.sheet.name, row + 1,
                                            column))

    def cell(self, row: int, field: str) -> object:
        col = self.header.columns.get(field)
        return self.sheet.cell(row, col) if col is not None else None

    def read(self) -> None:
        for row in range(self.header.data_start, len(self.sheet.rows)):
            if all(v is None for v in self.sheet.rows[row]):
                continue
            self._row(row)
        self.result.add("markers", pa.Table.from_pylist(self.rows))

    def _row(self, row: int) -> None:
        login = " ".join(str(self.cell(row, "login") or "").split())
        year = number_of(self.cell(row, "year"))
        year = year if year is not None else self.hints.year
        if not login or year is None or not float(year).is_integer() or not 2000 <= year <= 2100:
            what = "логин ФИС ОКО" if not login else "год"
            self.problem(row, self.header.columns.get("login" if not login else "year"),
                         ReadErrorCode.REQUIRED_MISSING,
                         f"не указан или неверен {what}: строка списка не принята")
            self.result.rejected_rows += 1
            return
        first = self.seen.setdefault((login.lower(), int(year)), row)
        if first != row:
            self.problem(row, self.header.columns.get("login"), ReadErrorCode.DUPLICATE_KEY,
                         f"«{login}» за {int(year)} год уже есть в строке {first + 1}: какая "
                         "строка верна, неизвестно; эта строка не принята")
            self.result.rejected_rows += 1
            return
        name = " ".join(str(self.cell(row, "school") or "").split()) or None
        municipality = " ".join(str(self.cell(row, "municipality") or "").split()) or None
        count = 0
        for col, (marker, grade, subject) in self.header.markers.items():
            value = self.sheet.cell(row, col)
            number = number_of(value) if value not in (None, "") else 0.0
            if number not in (0.0, 1.0):
                self.problem(row, col, ReadErrorCode.BAD_VALUE,
                             f"«{login}»: в столбце маркера «{marker}» «{value}» — ожидается 1 "
                             "(признак есть) или пусто; маркер не взят, остальные приняты")
                continue
            if number == 1.0:
                count += 1
                self.rows.append({
                    "school_key": login.lower(), "school_name": name,
                    "municipality": municipality, "year": int(year), "grade": grade,
                    "subject": subject, "marker": marker,
                    "source": f"{self.file}:{self.sheet.name}:{row + 1}"})
        self._check_total(row, login, count)

    def _check_total(self, row: int, login: str, count: int) -> None:
        total = number_of(self.cell(row, "total"))
        if "total" not in self.header.columns or total is None or total == count:
            return
        self.problem(row, self.header.columns["total"], ReadErrorCode.MARKER_TOTAL_MISMATCH,
                     f"«{login}»: «Количество маркеров» {total:g} не равно числу отмеченных "
                     f"маркеров в строке ({count}); приняты отмеченные маркеры")
