"""Templates of a school's staff and its teachers' development: ``opora template staff``,
``diagnostics``, ``courses`` — and their reader.

These records are facts of the support work, not inputs of the engine, so they are not tables of
:mod:`opora.schemas` and not formats of the import page: the staff app loads them
(``opora.web.staff.imports``) all or nothing, after this reader has read every row by its column's
kind and said, row by row, what it could not read. The columns are :class:`~.spec.Template`
columns, so the blank files and their «Пояснения» sheet come from the same code as the other
templates (:mod:`.files`); the table each template declares here documents the values read.

Personal data is minimal (issue 14): a name or a code, the position, subjects, category,
experience — the templates have no column for anything else.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from opora.formats.base import Problem, UnreadableFile, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.templates.cells import PARSERS, Parsed
from opora.formats.templates.reader import find_header
from opora.formats.templates.spec import Template, TemplateColumn
from opora.formats.workbook import Sheet, load_sheets
from opora.glossary import (
    DEFICIT_DOMAINS,
    DIAGNOSTIC_INSTRUMENTS,
    DIAGNOSTIC_LEVELS,
    POSITIONS,
    QUALIFICATION_CATEGORIES,
    StaffTerm,
)
from opora.schemas import Column, Table
from opora.teaching import TEACHING_SUBJECT_NAMES, subject_from_text, term_from_text

MAX_EXPERIENCE_YEARS = 70
_LIST = re.compile(r"\s*[,;]\s*")
_JOINED = re.compile(r"\s*/\s*|\s+и\s+")
_DATE_TEXT = (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"))


def _names(terms: tuple[StaffTerm, ...]) -> str:
    return "; ".join(t.name_ru for t in terms)


def _col(field: str, title: str, kind: str, explanation: str, allowed: str,
         required: bool = False) -> TemplateColumn:
    return TemplateColumn(field, title, kind, required, explanation, allowed)


_SCHOOL = _col("school_key", "Школа (код)", "text",
               "Логин ФИС ОКО школы (например, edu053001) или её код из реестра Опоры",
               "текст", True)
_TEACHER = _col("teacher", "ФИО или код педагога", "text",
                "Как педагог записан в Опоре (страница «Педагоги школы»): ФИО или код",
                "текст", True)
_DATE_ALLOWED = "дата: 01.09.2024 или ячейка Excel с датой"


def _table(name: str, title: str, key: tuple[str, ...],
           columns: tuple[tuple[str, pa.DataType, str, str], ...]) -> Table:
    return Table(name, title, key, tuple(Column(n, t, unit, meaning) for n, t, unit, meaning
                                         in columns))


STAFF_TEMPLATE = Template(
    "staff", "Педагоги школы", _table("staff", "педагоги школы", ("school_key", "name"), (
        ("school_key", pa.string(), "", "школа"), ("name", pa.string(), "", "ФИО или код"),
        ("name_is_code", pa.bool_(), "", "вместо имени — код"),
        ("position", pa.string(), "", "должность (код глоссария)"),
        ("subjects", pa.list_(pa.string()), "", "предметы (коды)"),
        ("category", pa.string(), "", "квалификационная категория (код глоссария)"),
        ("experience_years", pa.int16(), "лет", "педагогический стаж"),
        ("active_from", pa.date32(), "", "работает с"))),
    (
        _SCHOOL,
        _col("name", "ФИО или код педагога", "text",
             "ФИО («Иванова Мария Петровна») или код, если школа не указывает имён («П-017»)",
             "текст", True),
        _col("name_is_code", "Код вместо имени (да/нет)", "yes_no",
             "«да» — в предыдущем столбце код, а не имя; пусто — «нет»", "да, нет"),
        _col("position", "Должность", "position", "Должность педагога", _names(POSITIONS), True),
        _col("subjects", "Предметы", "subjects", "Предметы через запятую; пусто — не ведёт предметов",
             "; ".join(TEACHING_SUBJECT_NAMES.values())),
        _col("category", "Квалификационная категория", "category",
             "Пусто — без категории", _names(QUALIFICATION_CATEGORIES)),
        _col("experience_years", "Педагогический стаж, лет", "experience",
             "Полных лет педагогического стажа", f"целое 0–{MAX_EXPERIENCE_YEARS}"),
        _col("active_from", "Работает с (дата)", "date",
             "Дата начала работы в школе; пусто — неизвестна", _DATE_ALLOWED),
    ),
    ("position",),
)

DIAGNOSTICS_TEMPLATE = Template(
    "diagnostics", "Диагностики профессиональных дефицитов педагогов",
    _table("diagnostics", "результаты диагностик по областям",
           ("school_key", "teacher", "date", "instrument", "domain"), (
               ("school_key", pa.string(), "", "школа"), ("teacher", pa.string(), "", "педагог"),
               ("date", pa.date32(), "", "дата диагностики"),
               ("instrument", pa.string(), "", "инструмент (код глоссария)"),
               ("domain", pa.string(), "", "область (код глоссария)"),
               ("score", pa.float64(), "балл", "балл по области"),
               ("max_score", pa.float64(), "балл", "максимальный балл по области"),
               ("level", pa.string(), "", "уровень (код глоссария)"),
               ("note", pa.string(), "", "примечание"))),
    (
        _SCHOOL, _TEACHER,
        _col("date", "Дата диагностики", "past_date", "Когда проведена (не позже сегодняшнего дня)",
             _DATE_ALLOWED, True),
        _col("instrument", "Инструмент диагностики", "instrument",
             "Кто оценивал: динамику сравнивают только внутри одного инструмента",
             _names(DIAGNOSTIC_INSTRUMENTS), True),
        _col("domain", "Область компетенций", "domain", "Одна строка — одна область",
             _names(DEFICIT_DOMAINS), True),
        _col("score", "Балл", "number", "Балл по области (или пусто, если указан уровень)",
             "число ≥ 0, не больше максимального"),
        _col("max_score", "Максимальный балл", "number", "Максимум по области", "число > 0"),
        _col("level", "Уровень", "level", "Уровень вместо балла", _names(DIAGNOSTIC_LEVELS)),
        _col("note", "Примечание", "text", "Название диагностики, кто проводил", "текст"),
    ),
    ("instrument", "domain"),
)

COURSES_TEMPLATE = Template(
    "courses", "Курсы повышения квалификации педагогов (КПК)",
    _table("courses", "курсы повышения квалификации", ("school_key", "teacher", "title", "start"), (
        ("school_key", pa.string(), "", "школа"), ("teacher", pa.string(), "", "педагог"),
        ("title", pa.string(), "", "программа"), ("provider", pa.string(), "", "организация"),
        ("hours", pa.int16(), "ч", "объём"), ("start", pa.date32(), "", "начало"),
        ("end", pa.date32(), "", "окончание"), ("completed", pa.bool_(), "", "завершён"),
        ("certificate_number", pa.string(), "", "номер удостоверения"))),
    (
        _SCHOOL, _TEACHER,
        _col("title", "Программа КПК", "text", "Название дополнительной профессиональной программы",
             "текст", True),
        _col("provider", "Организация", "text", "Кто проводит: ИРО, ЦНППМ, Академия Минпросвещения…",
             "текст"),
        _col("hours", "Объём, часов", "hours", "Объём программы в часах", "целое > 0", True),
        _col("start", "Дата начала", "date", "Начало обучения", _DATE_ALLOWED, True),
        _col("end", "Дата окончания", "date", "Окончание обучения (не раньше начала)",
             _DATE_ALLOWED, True),
        _col("completed", "Завершён (да/нет)", "yes_no", "«да» — обучение пройдено; пусто — «нет»",
             "да, нет"),
        _col("certificate_number", "Номер удостоверения", "text",
             "Номер удостоверения о повышении квалификации (только у завершённого курса)", "текст"),
    ),
    ("hours",),
)

STAFF_TEMPLATES: dict[str, Template] = {
    t.name: t for t in (STAFF_TEMPLATE, DIAGNOSTICS_TEMPLATE, COURSES_TEMPLATE)}


# --- Reading ------------------------------------------------------------------------------------

def _term(terms: tuple[StaffTerm, ...], what: str) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        code = term_from_text(terms, value)
        return (code, None) if code else (None, f"«{value}» — неизвестное значение ({what}); "
                                                f"допустимо: {_names(terms)}")
    return parse


def _subjects(value: object) -> Parsed:
    """Subjects separated by «,» or «;»; a part that is no subject as written may be two
    joined by «и» or «/» («русский язык и литература»), but «Основы безопасности и защиты
    Родины» and «ОРКСЭ / ОДНКНР» stay one subject."""
    codes: list[str] = []
    unknown = []
    for part in _LIST.split(str(value).strip()):
        if not part:
            continue
        found = [subject_from_text(part)]
        if found[0] is None:
            found = [subject_from_text(p) for p in _JOINED.split(part) if p]
        if None in found:
            unknown.append(part)
        codes.extend(code for code in found if code and code not in codes)
    if unknown:
        return None, "неизвестные предметы: " + ", ".join(f"«{u}»" for u in unknown)
    return codes, None


def parse_date(value: object) -> Parsed:
    """A date cell: an Excel date, «01.09.2024» or «2024-09-01»."""
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    text = " ".join(str(value).split())
    for pattern in _DATE_TEXT:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            day, month, year = parts if pattern is _DATE_TEXT[0] else parts[::-1]
            try:
                return datetime.date(year, month, day), None
            except ValueError:
                break
    return None, f"«{value}» — не дата; пишите 01.09.2024"


def _bounded(low: int, high: int | None, what: str) -> Callable[[object], Parsed]:
    count = PARSERS["count"]

    def parse(value: object) -> Parsed:
        found, reason = count(value)
        if reason is not None or found is None:
            return None, reason
        assert isinstance(found, int)
        if found < low or (high is not None and found > high):
            limit = f"от {low} до {high}" if high is not None else f"больше {low - 1}"
            return None, f"{found} — вне допустимого: {what} {limit}"
        return found, None
    return parse


_PARSERS: dict[str, Callable[[object], Parsed]] = {
    "text": PARSERS["text"], "number": PARSERS["number"], "yes_no": PARSERS["yes_no"],
    "date": parse_date, "past_date": parse_date, "subjects": _subjects,
    "position": _term(POSITIONS, "должность"),
    "category": _term(QUALIFICATION_CATEGORIES, "категория"),
    "instrument": _term(DIAGNOSTIC_INSTRUMENTS, "инструмент"),
    "domain": _term(DEFICIT_DOMAINS, "область"), "level": _term(DIAGNOSTIC_LEVELS, "уровень"),
    "experience": _bounded(0, MAX_EXPERIENCE_YEARS, "стаж, лет"),
    "hours": _bounded(1, None, "часов"),
}


@dataclass
class StaffRow:
    """One row read: its place (sheet, 1-based row) and values by field."""

    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class StaffFileRead:
    template: Template
    rows: list[StaffRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0


def read_staff_file(path: Path, kind: str, *, original_name: str = "",
                    today: datetime.date | None = None) -> StaffFileRead:
    """Read a filled-in template of ``kind`` (staff, diagnostics, courses); raises
    :class:`UnreadableFile` when the file is not that template at all."""
    template = STAFF_TEMPLATES[kind]
    name = original_name or Path(path).name
    result = StaffFileRead(template)
    found = False
    for sheet in load_sheets(Path(path)):
        header = find_header(sheet, template)
        if header is None:
            continue
        found = True
        _SheetRows(name, sheet, template, header.row, header.columns,
                   today or datetime.date.today()).read_into(result)
    if not found:
        raise UnreadableFile(f"файл {name}: не найдена строка заголовков шаблона «{template.title}» "
                             f"(скачайте его: opora template {kind})")
    return result


class _SheetRows:
    def __init__(self, file: str, sheet: Sheet, template: Template, header_row: int,
                 columns: dict[str, int], today: datetime.date) -> None:
        self.file, self.sheet, self.template = file, sheet, template
        self.header_row, self.columns, self.today = header_row, columns, today

    def problem(self, row: int, field: str | None, message: str,
                code: ReadErrorCode = ReadErrorCode.BAD_VALUE) -> Problem:
        col = self.columns.get(field) if field else None
        if field:
            message = f"«{self.template.column(field).title}»: {message}"
        return Problem(self.file, message, code, self.sheet.name, row,
                       column_letter(col) if col is not None else "")

    def read_into(self, result: StaffFileRead) -> None:
        absent = [c.title for c in self.template.columns
                  if c.required and c.field not in self.columns]
        if absent:
            raise UnreadableFile(f"файл {self.file}, лист «{self.sheet.name}»: нет обязательных "
                                 "столбцов " + ", ".join(f"«{t}»" for t in absent))
        read: list[StaffRow] = []
        for index in range(self.header_row + 1, len(self.sheet.rows)):
            if all(v is None or (isinstance(v, str) and not v.strip())
                   for v in self.sheet.rows[index]):
                continue
            values, problems = self._row(index)
            if problems:
                result.problems.extend(problems)
                result.rejected_rows += 1
            else:
                read.append(StaffRow(self.sheet.name, index + 1, values))
        result.rows.extend(self._without_duplicates(read, result))

    def _row(self, index: int) -> tuple[dict[str, Any], list[Problem]]:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for column in self.template.columns:
            col = self.columns.get(column.field)
            value = self.sheet.cell(index, col) if col is not None else None
            if value is None or (isinstance(value, str) and not value.strip()):
                values[column.field] = False if column.kind == "yes_no" else None
                if column.required:
                    problems.append(self.problem(index + 1, column.field,
                                                 "обязательное поле не заполнено",
                                                 ReadErrorCode.REQUIRED_MISSING))
                continue
            parsed, reason = _PARSERS[column.kind](value)
            if reason is None and column.kind == "past_date" and isinstance(
                    parsed, datetime.date) and parsed > self.today:
                reason = f"{parsed:%d.%m.%Y} — дата в будущем; записывают проведённую диагностику"
            if reason is not None:
                problems.append(self.problem(index + 1, column.field, reason))
            values[column.field] = parsed
        if not problems:
            problems = [self.problem(index + 1, f, m) for f, m in row_complaints(
                self.template.name, values)]
        return values, problems

    def _without_duplicates(self, rows: list[StaffRow],
                            result: StaffFileRead) -> list[StaffRow]:
        """Rows with the same key are all refused: which of them is right is unknown."""
        key = self.template.table.key
        by_key: dict[tuple[object, ...], list[StaffRow]] = defaultdict(list)
        for row in rows:
            by_key[tuple(_key_part(row.values.get(k)) for k in key)].append(row)
        titles = ", ".join(self.template.column(k).title for k in key)
        kept = []
        for same in by_key.values():
            if len(same) == 1:
                kept.extend(same)
                continue
            lines = ", ".join(str(r.row) for r in same)
            for row in same:
                result.problems.append(self.problem(
                    row.row, None, f"повтор: строки {lines} описывают одно и то же ({titles}); "
                                   "какая верна, неизвестно — оставьте одну",
                    ReadErrorCode.DUPLICATE_KEY))
                result.rejected_rows += 1
        return kept


def _key_part(value: object) -> object:
    return " ".join(value.casefold().replace("ё", "е").split()) if isinstance(value, str) \
        else value


def row_complaints(kind: str, values: dict[str, object]) -> list[tuple[str | None, str]]:
    """What makes a row whose cells each read well still wrong, as (field, message)."""
    found: list[tuple[str | None, str]] = []
    if kind == "diagnostics":
        score, out_of, level = values.get("score"), values.get("max_score"), values.get("level")
        if level and (score is not None or out_of is not None):
            found.append(("level", "укажите либо балл с максимумом, либо уровень — не то и другое"))
        elif not level and (score is None or out_of is None):
            found.append(("score" if score is None else "max_score",
                          "укажите балл и максимальный балл (или уровень)"))
        elif isinstance(score, float) and isinstance(out_of, float):
            if out_of <= 0:
                found.append(("max_score", "максимальный балл должен быть больше нуля"))
            elif score > out_of:
                found.append(("score", f"балл {score:g} больше максимального {out_of:g}"))
    if kind == "courses":
        start, end = values.get("start"), values.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            found.append(("end", f"окончание {end:%d.%m.%Y} раньше начала {start:%d.%m.%Y}"))
        if values.get("certificate_number") and not values.get("completed"):
            found.append(("completed", "удостоверение выдают по завершении: напишите «да»"))
    return found
