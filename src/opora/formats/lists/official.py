"""Official lists of schools as a ministry or a region publishes them (format ``official-list``).

A list of schools with low results (ШНОР) or in adverse social conditions (ШНСУ) from the ministry
or the region, or the list of the 500+ project, is a table of schools: year, ФИС ОКО login or the
school's name, municipality. What the list *is* is said by its title, its sheet or its file name
(«Перечень ШНОР на 2024 год», лист «500+»): :func:`list_kind` reads it, and a list whose kind
cannot be told is not read at all — an official list is a fact with a source, never a guess.
The year comes from the «Год» column, else from the title («… на 2024 год»), else from the upload.

Each row becomes a row of ``official_lists`` (:data:`opora.schemas.OFFICIAL_LISTS`); the import
stores it as :class:`opora.web.lists.models.OfficialListEntry`, beside the engine's own flags.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa

from opora.catalog import normalize_label
from opora.formats.base import Problem, ReadResult, UnreadableFile, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.hints import ReadHints
from opora.formats.lists.header import ListHeader, find_header
from opora.formats.school_matching import school_match_key
from opora.formats.templates.cells import number_of
from opora.formats.workbook import Sheet

FORMAT = "official-list"
_KINDS = (  # the first pattern found in the title, sheet or file name says the kind
    ("project_500", re.compile(r"500\s*(?:\+|плюс)|проект\w*\s+500|500\s*[-–]\s*плюс")),
    ("adverse_context_official", re.compile(r"шнсу|неблагоприятн\w*\s+социальн")),
    ("low_results_official", re.compile(r"шнор|низк\w*\s+(?:образовательн\w*\s+)?результат")),
)
_YEAR = re.compile(r"(20\d\d)\s*(?:г\.|год|уч)")


def _header(sheet: Sheet) -> ListHeader | None:
    header = find_header(sheet)
    return header if header is not None and not header.markers else None


def recognises(sheets: list[Sheet]) -> bool:
    """A sheet whose header names schools (a login or a name), a municipality or a year, and
    no marker columns (those are the federal objectivity list)."""
    return any(_header(s) is not None for s in sheets)


def list_kind(*texts: str) -> str | None:
    """The list's kind from its title, sheet name or file name; None when none of them says."""
    text = " ".join(normalize_label(t) for t in texts)
    return next((kind for kind, pattern in _KINDS if pattern.search(text)), None)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    result = ReadResult()
    found = False
    for sheet in sheets:
        header = _header(sheet)
        if header is None:
            if any(v is not None for row in sheet.rows for v in row):
                result.skipped.append(Problem(path.name, f"лист «{sheet.name}» пропущен: на нём "
                                              "нет шапки списка школ", ReadErrorCode.SHEET_SKIPPED,
                                              sheet.name))
            continue
        title = header.title_text(sheet)
        kind = list_kind(title, sheet.name, path.stem)
        if kind is None:
            raise UnreadableFile(
                f"файл {path.name}, лист «{sheet.name}»: это список школ, но не видно, какой — "
                "ни заголовок, ни название листа или файла не говорят «ШНОР», «ШНСУ» или «500+»; "
                "назовите лист или файл, например, «ШНОР 2024» или «500+ 2024», и загрузите снова")
        found = True
        _ListSheet(path.name, sheet, header, kind, title, hints, result).read()
    if not found:
        raise UnreadableFile(f"файл {path.name}: не найдена шапка списка школ (Год, Логин ФИС ОКО "
                             "или ОО, Муниципалитет)")
    return result


class _ListSheet:
    def __init__(self, file: str, sheet: Sheet, header: ListHeader, kind: str, title: str,
                 hints: ReadHints, result: ReadResult) -> None:
        self.file, self.sheet, self.header, self.kind = file, sheet, header, kind
        self.hints, self.result = hints, result
        found = _YEAR.search(title)
        self.title_year = int(found.group(1)) if found else None
        self.title = next((" ".join(str(v).split()) for r in range(header.row)
                           for v in sheet.rows[r] if isinstance(v, str) and v.strip()), "")
        self.seen: dict[str, int] = {}

    def cell(self, row: int, field: str) -> str:
        col = self.header.columns.get(field)
        value = self.sheet.cell(row, col) if col is not None else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split()) if value is not None else ""

    def reject(self, row: int, field: str, message: str, code: ReadErrorCode) -> None:
        col = self.header.columns.get(field)
        self.result.problems.append(Problem(self.file, message, code, self.sheet.name, row + 1,
                                            column_letter(col) if col is not None else ""))
        self.result.rejected_rows += 1

    def read(self) -> None:
        rows = []
        for row in range(self.header.data_start, len(self.sheet.rows)):
            if all(v is None for v in self.sheet.rows[row]):
                continue
            entry = self._row(row)
            if entry is not None:
                rows.append(entry)
        self.result.add("official_lists", pa.Table.from_pylist(rows))

    def _year(self, row: int) -> int | None:
        given = number_of(self.cell(row, "year")) if "year" in self.header.columns else None
        year = given if given is not None else (self.title_year or self.hints.year)
        return int(year) if year is not None and float(year).is_integer() \
            and 2000 <= year <= 2100 else None

    def _row(self, row: int) -> dict[str, object] | None:
        login, name = self.cell(row, "login"), self.cell(row, "school")
        municipality = self.cell(row, "municipality") or self.hints.municipality or ""
        if not login and not name:
            self.reject(row, "school", "в строке нет ни логина ФИС ОКО, ни наименования школы; "
                        "строка не принята", ReadErrorCode.REQUIRED_MISSING)
            return None
        year = self._year(row)
        if year is None:
            self.reject(row, "year", "не указан или неверен год (его нет ни в столбце «Год», ни "
                        "в заголовке списка); строка не принята", ReadErrorCode.REQUIRED_MISSING)
            return None
        key = login.lower() if login else school_match_key(name, municipality)
        first = self.seen.setdefault(f"{key}:{year}", row)
        if first != row:
            self.reject(row, "login" if login else "school",
                        f"«{login or name}» за {year} год уже есть в строке {first + 1}; "
                        "строка не принята", ReadErrorCode.DUPLICATE_KEY)
            return None
        where = f"{self.file}:{self.sheet.name}:{row + 1}"
        return {"school_key": key, "school_name": name or None,
                "municipality": municipality or None, "fis_oko_login": login or None,
                "year": year, "list_kind": self.kind,
                "source": f"{self.title} ({where})" if self.title else where}
