"""The header of an official list as ministries and regions publish it: year, login, municipality,
school — found by the words of the titles, not by position.

The federal list of schools with signs of non-objective ВПР results has «Год», «Логин ФИС ОКО»,
«Муниципалитет», «ОО», then one column per marker («4 РУ», «5 МА», «6 ИС») and «Количество
маркеров»; a region's list of low-results schools or the 500+ list has the same first columns and
nothing else. :func:`find_header` finds the row and the columns; :func:`marker_of` reads a marker
title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opora.catalog import normalize_label, subject_from_marker
from opora.formats.ege.layout import is_numbering_row
from opora.formats.workbook import Sheet

HEADER_SEARCH_ROWS = 15
_MARKER = re.compile(r"^(\d{1,2})\s*([А-ЯЁA-Z]{2,3})$")
_FIELDS = (  # field → a test on the folded title; the first field a title passes is its field
    ("login", lambda t: "логин" in t),
    ("total", lambda t: "количество маркеров" in t or "всего маркеров" in t
     or t in {"итого", "всего", "количество"}),
    ("year", lambda t: t in {"год", "год проведения", "учебный год"} or t.startswith("год ")),
    ("municipality", lambda t: "муниципал" in t or t in {"мо", "район", "ато", "мсу"}),
    ("school", lambda t: t in {"оо", "ооо", "школа", "наименование", "наименование оо"}
     or "организац" in t or t.startswith("наименование") or "школ" in t),
)


@dataclass
class ListHeader:
    """Where the list's header is (0-based) and its columns: field → column, marker columns."""

    row: int
    columns: dict[str, int]
    markers: dict[int, tuple[str, int, str]] = field(default_factory=dict)  # col → marker
    data_start: int = 0

    def title_text(self, sheet: Sheet) -> str:
        """Everything written above the header, folded (the list's title says what it is)."""
        return " ".join(normalize_label(v) for r in range(self.row) for v in sheet.rows[r]
                        if isinstance(v, str) and v.strip())


def marker_of(value: object) -> tuple[str, int, str] | None:
    """«4 РУ» → («4 РУ», 4, "rus"); None when the title is no marker of a known subject."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\u00a0", " ").split()).upper().replace("Ё", "Е")
    match = _MARKER.match(text.replace(" ", ""))
    if match is None:
        return None
    grade, short = int(match.group(1)), match.group(2)
    subject = subject_from_marker(short)
    if subject is None or not 1 <= grade <= 11:
        return None
    return f"{grade} {short}", grade, subject


def _field(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = normalize_label(value)
    return next((name for name, test in _FIELDS if test(text)), None)


def find_header(sheet: Sheet) -> ListHeader | None:
    """The first row naming a school (its login or its name) and at least one more field."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        markers: dict[int, tuple[str, int, str]] = {}
        for col, value in enumerate(row):
            marker = marker_of(value)
            if marker is not None:
                markers[col] = marker
                continue
            name = _field(value)
            if name is not None and name not in columns:
                columns[name] = col
        identifies = "login" in columns or "school" in columns
        if identifies and len(columns) + min(len(markers), 1) >= 2 and (
                "year" in columns or markers or "municipality" in columns):
            return ListHeader(index, columns, markers, _data_start(sheet, index))
    return None


def _data_start(sheet: Sheet, header: int) -> int:
    """The first data row: under the header, past a column-numbering row («1, 2, 3 …»)."""
    start = header + 1
    if start < len(sheet.rows) and is_numbering_row(sheet.rows[start]):
        start += 1
    return start
