"""Official lists as ministries and regions publish them, written with openpyxl for the tests.

* the federal list of schools with signs of non-objective ВПР results: «Год», «Логин ФИС ОКО»,
  «Муниципалитет», «ОО», one column per marker («4 РУ», «5 МА», «6 ИС» …) holding 1, and
  «Количество маркеров»; a title row above, sometimes a numbering row under the header;
* a region's list of low-results schools (ШНОР) or the 500+ list: a title that says which list,
  then year (or the year only in the title), login or name, municipality.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

MARKERS = ("4 РУ", "4 МА", "4 ОМ", "5 РУ", "5 МА", "6 ИС", "6 БИ", "7 АЯ", "8 ФИ")
OBJECTIVITY_TITLE = ("Перечень ОО с признаками необъективности результатов ВПР (по итогам "
                     "анализа ФИОКО)")


def write_rows(path: Path, rows: list[list[object]], sheet: str = "Лист1") -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def objectivity_list(path: Path, schools: list[tuple[object, ...]],
                     markers: tuple[str, ...] = MARKERS, numbering: bool = False) -> Path:
    """``schools``: (year, login, municipality, name, {marker: value}, total)."""
    header = ["Год", "Логин ФИС ОКО", "Муниципалитет", "ОО", *markers, "Количество маркеров"]
    rows: list[list[object]] = [[OBJECTIVITY_TITLE], [], header]
    if numbering:
        rows.append(list(range(1, len(header) + 1)))
    for year, login, municipality, name, set_, total in schools:
        assert isinstance(set_, dict)
        rows.append([year, login, municipality, name, *(set_.get(m) for m in markers), total])
    return write_rows(path, rows)


def official_list(path: Path, title: str, header: list[str], rows: list[list[object]],
                  sheet: str = "Лист1") -> Path:
    return write_rows(path, [[title], [], header, *rows], sheet)
