"""Typed indicators: unit checks for the form and the XLSX import, and the all-or-nothing save.

Seed 001's hand-typed tables show what to refuse (DOMAIN.md, «Indicators the seeds name»):

- a count where a share is due (a share is given by its numerator and denominator; «14» for a
  share without a denominator is refused);
- a share over 100 % («514» for a school of about thirty teachers), a part larger than its whole;
- mixed cells such as «14ч. 50%» or «4/27» where one number is due;
- a percent or a fraction where a number of people is due, a yes/no that is neither.

Every refusal is a Russian sentence saying where: file, sheet, row, column. An import writes
nothing unless every row is right (one transaction); the same values loaded again change nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction

from opora.web.monitoring.catalogue import CURRENT, PERCENT, YES_NO, IndicatorDef
from opora.web.monitoring.models import TypedImport, TypedValue
from opora.web.schools.models import Municipality, School

COLUMNS = ("Школа", "Показатель", "Год", "Числитель", "Знаменатель", "Значение")
_INTEGER = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^\d+([.,]\d+)?$")
_MIXED = re.compile(r"\d\s*[^\d\s.,%]+\.?\s*\d")  # «14ч. 50%», «4/27», «16 ШНОР 4»
YES = {"да", "1", "есть", "yes"}
NO = {"нет", "0", "no"}


class Refused(ValueError):
    """A cell or a row that cannot be accepted; the message is Russian and says why."""


def typed_indicators() -> list[IndicatorDef]:
    return [i for i in CURRENT.indicators if i.typed]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def whole(value: object, what: str) -> int | None:
    """A whole number of people or units ≥ 0 from a cell; None for an empty cell."""
    text = _text(value)
    if not text:
        return None
    if _MIXED.search(text):
        raise Refused(f"в ячейке «{text}» смешаны несколько чисел — укажите одно число "
                      f"({what})")
    if "%" in text:
        raise Refused(f"«{text}» — процент, а нужно количество ({what})")
    if _NUMBER.match(text) and not _INTEGER.match(text):
        raise Refused(f"«{text}» — дробное число, а нужно целое ({what})")
    if not _INTEGER.match(text):
        raise Refused(f"«{text}» — не число ({what})")
    return int(text)


def check(ind: IndicatorDef, numerator: object, denominator: object,
          value: object = None) -> tuple[int, int | None]:
    """(numerator, denominator) of a typed value after the unit checks, or :class:`Refused`."""
    shown = _text(value)
    if shown and _MIXED.search(shown):
        raise Refused(f"в ячейке «{shown}» смешаны количество и доля — для доли укажите "
                      "числитель и знаменатель отдельно")
    if ind.unit == YES_NO:
        answer = (_text(numerator) or shown).lower()
        if answer in YES:
            return 1, None
        if answer in NO:
            return 0, None
        raise Refused(f"«{answer}» — нужно «да» или «нет»")
    if ind.unit != PERCENT:
        count = whole(numerator if _text(numerator) else value, ind.unit_shown)
        if count is None:
            raise Refused("значение не указано")
        if _text(denominator):
            raise Refused("для количества знаменатель не указывают")
        return count, None
    return _share(numerator, denominator, shown)


def _share(numerator: object, denominator: object, shown: str) -> tuple[int, int | None]:
    part, total = whole(numerator, "числитель"), whole(denominator, "знаменатель")
    if shown:
        number = shown.replace("%", "").strip().replace(",", ".")
        if _NUMBER.match(number) and float(number) > 100:
            raise Refused(f"доля {shown} больше 100 %")
    if part is None and total is None and shown:
        if "%" in shown:
            raise Refused(f"указана только доля «{shown}» — укажите числитель и знаменатель")
        raise Refused(f"«{shown}» похоже на количество, а нужна доля — укажите числитель и "
                      "знаменатель")
    if part is None or total is None:
        raise Refused("для доли нужны числитель и знаменатель")
    if total == 0:
        raise Refused("знаменатель равен нулю")
    if part > total:
        raise Refused(f"часть ({part}) больше целого ({total})")
    if shown:
        number = shown.replace("%", "").strip().replace(",", ".")
        if _NUMBER.match(number) and abs(float(number) - 100 * part / total) > 0.5:
            raise Refused(f"значение {shown} не равно {part} из {total}")
    return part, total


@transaction.atomic
def save_value(*, by: Any, school: School, ind: IndicatorDef, year: int, numerator: int,
               denominator: int | None, imported: TypedImport | None = None) -> TypedValue:
    found = TypedValue.objects.filter(indicator=ind.code, school=school, year=year).first()
    value = found or TypedValue(indicator=ind.code, school=school, year=year)
    if found is not None and (found.numerator, found.denominator) == (numerator, denominator):
        return found  # unchanged: no new history row
    value.catalogue_version = CURRENT.version
    value.numerator, value.denominator = numerator, denominator
    value.entered_by, value.imported = by, imported
    value.full_clean()
    value.save()
    return value


@dataclass
class Parsed:
    rows: list[tuple[School, IndicatorDef, int, int, int | None]]
    problems: list[str]


def _indicator(text: str) -> IndicatorDef | None:
    wanted = text.casefold()
    return next((i for i in typed_indicators() if wanted in (i.code, i.name_ru.casefold())), None)


def parse(name: str, sheets: dict[str, list[list[Any]]], municipality: Municipality) -> Parsed:
    """Read every sheet's rows (a header row of :data:`COLUMNS` first)."""
    schools = {s.short_name.casefold(): s for s in municipality.schools.all()}
    rows, problems = [], []
    for sheet, table in sheets.items():
        if not table:
            continue
        header = [_text(c) for c in table[0]]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            problems.append(f"Файл «{name}», лист «{sheet}»: нет столбцов "
                            f"{', '.join('«' + c + '»' for c in missing)}.")
            continue
        at = {c: header.index(c) for c in COLUMNS}
        for n, raw in enumerate(table[1:], start=2):
            cells = {c: raw[at[c]] if at[c] < len(raw) else None for c in COLUMNS}
            if not any(_text(v) for v in cells.values()):
                continue
            where = f"Файл «{name}», лист «{sheet}», строка {n}"
            try:
                rows.append(_row(cells, schools, where))
            except Refused as refusal:
                problems.append(f"{where}: {refusal}.")
    return Parsed(rows, problems)


def _row(cells: dict[str, Any], schools: dict[str, School],
         where: str) -> tuple[School, IndicatorDef, int, int, int | None]:
    school = schools.get(_text(cells["Школа"]).casefold())
    if school is None:
        raise Refused(f"столбец «Школа»: школа «{_text(cells['Школа'])}» не найдена в "
                      "муниципалитете")
    ind = _indicator(_text(cells["Показатель"]))
    if ind is None:
        raise Refused(f"столбец «Показатель»: «{_text(cells['Показатель'])}» — не вводимый "
                      "вручную показатель каталога")
    year = whole(cells["Год"], "год")
    if year is None or not 2000 <= year <= 2100:
        raise Refused("столбец «Год»: укажите год, например 2025")
    try:
        part, total = check(ind, cells["Числитель"], cells["Знаменатель"], cells["Значение"])
    except Refused as refusal:
        column = "«Значение»" if _text(cells["Значение"]) and not _text(cells["Числитель"]) \
            else "«Числитель»/«Знаменатель»"
        raise Refused(f"столбец {column}: {refusal}") from None
    return school, ind, year, part, total


def load_workbook(stream: IO[bytes]) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(stream)
    return {sheet: book.get_sheet_by_name(sheet).to_python() for sheet in book.sheet_names}


def import_file(*, by: Any, municipality: Municipality, name: str,
                content: bytes) -> TypedImport:
    """All or nothing: the refused file keeps its problems and writes no value."""
    import io

    digest = hashlib.sha256(content).hexdigest()
    try:
        parsed = parse(name, load_workbook(io.BytesIO(content)), municipality)
    except Exception:
        parsed = Parsed([], [f"Файл «{name}»: не удалось прочитать как книгу XLSX."])
    if parsed.problems or not parsed.rows:
        problems = parsed.problems or [f"Файл «{name}»: нет строк со значениями."]
        return TypedImport.objects.create(municipality=municipality, imported_by=by,
                                          original_name=name, sha256=digest,
                                          status=TypedImport.FAILED, problems=problems)
    with transaction.atomic():
        batch = TypedImport.objects.create(municipality=municipality, imported_by=by,
                                           original_name=name, sha256=digest,
                                           status=TypedImport.SUCCEEDED,
                                           counts={"rows": len(parsed.rows)})
        for school, ind, year, part, total in parsed.rows:
            save_value(by=by, school=school, ind=ind, year=year, numerator=part,
                       denominator=total, imported=batch)
    return batch
