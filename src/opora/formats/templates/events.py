"""Reading the event log (``opora template events``): one row — one support event.

The header row is found by the template's titles (:data:`EVENTS_TEMPLATE`, a template like every
other of Опора: the blank file and its «Пояснения» come from :mod:`.files`); every cell is read by its column: a date
(a date cell, «12.03.2025» or «2025-03-12»), a time (a time cell, «9:30», «09.30»), the kind,
status and organiser by their glossary names or synonyms (case and «ё» do not matter), the
format «очно» / «онлайн», lists separated by «;». A cell that cannot be read rejects its row
with the place and a Russian reason; two rows describing the same event (date, start, kind,
topic and schools) are both rejected — which one is right is unknown.

The rows become records of the web's support app, which checks what only the database knows
(the schools and teachers, who may record for which school): :mod:`opora.web.support.
event_import`. Nothing here imports Django.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.templates.reader import find_header
from opora.formats.templates.spec import Template, TemplateColumn
from opora.formats.workbook import Sheet, load_sheets
from opora.glossary import EVENT_KINDS, EVENT_STATUSES, ORGANISER_KINDS, Term
from opora.schemas import Column, Table


def _col(field: str, title: str, kind: str, explanation: str, allowed: str,
         required: bool = False) -> TemplateColumn:
    return TemplateColumn(field, title, kind, required, explanation, allowed)


def _list(terms: tuple[Term, ...]) -> str:
    return ", ".join(t.name_ru for t in terms)


#: The event log's values as read. Not a table of :mod:`opora.schemas`: its rows become records of
#: the web's support app, not an input of the engine; the table names the columns and the key that
#: makes two rows the same event.
EVENTS_LOG = Table("support_events", "Журнал мероприятий сопровождения",
                   ("date", "start", "kind", "topic", "schools"),
                   tuple(Column(name, pa.string(), "—", name) for name in (
                       "date", "start", "end", "kind", "kind_name", "topic", "status",
                       "status_reason", "format", "place", "organiser", "organiser_school",
                       "schools", "participants", "subjects", "outcome", "agreements")))

EVENTS_TEMPLATE = Template(
    "events", "Журнал мероприятий сопровождения", EVENTS_LOG,
    (
        _col("date", "Дата (ДД.ММ.ГГГГ)", "date", "День мероприятия (начала)", "дата",
             required=True),
        _col("start", "Начало (ЧЧ:ММ)", "time", "Время начала", "09:30", required=True),
        _col("end", "Окончание (ЧЧ:ММ)", "time",
             "Время окончания в тот же день (не раньше начала)", "11:00", required=True),
        _col("kind", "Вид мероприятия", "text", "Вид из глоссария", _list(EVENT_KINDS),
             required=True),
        _col("kind_name", "Название (для вида «Другое»)", "text",
             "Что это за мероприятие, если вид — «Другое»", "текст"),
        _col("topic", "Тема", "text", "Тема мероприятия", "текст", required=True),
        _col("status", "Состояние", "text",
             "Проведено ли: «проведено» только для прошедших дат", _list(EVENT_STATUSES),
             required=True),
        _col("status_reason", "Причина переноса или отмены", "text",
             "Обязательна для «перенесено» и «отменено»", "текст"),
        _col("format", "Формат (очно/онлайн)", "text", "Очно или онлайн; пусто — очно",
             "очно, онлайн"),
        _col("place", "Место", "text", "Где проводится (для очных обязательно)", "текст"),
        _col("organiser", "Организатор", "text", "Кто организует", _list(ORGANISER_KINDS),
             required=True),
        _col("organiser_school", "Школа-лидер (код)", "text",
             "Код школы-лидера, если организатор — школа-лидер", "код школы"),
        _col("schools", "Школы (коды через «;»)", "text",
             "Коды школ, для которых проводится мероприятие: логин ФИС ОКО или код реестра",
             "edu053001; edu053004", required=True),
        _col("participants", "Участники (ФИО или коды педагогов через «;»)", "text",
             "Педагоги школ мероприятия, как они записаны в списке педагогов школы",
             "Иванова Мария Петровна; П-017"),
        _col("subjects", "Предметы (через «;»)", "text", "Предметы, которых касается",
             "математика; русский язык"),
        _col("outcome", "Итоги", "text", "Что сделано, что увидели", "текст"),
        _col("agreements", "Договорённости", "text", "О чём договорились", "текст"),
    ),
    ("topic", "schools"),
)
#: The support app's templates (``opora template events``), merged into ``files.ALL_TEMPLATES``.
SUPPORT_TEMPLATES: dict[str, Template] = {EVENTS_TEMPLATE.name: EVENTS_TEMPLATE}

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DATE_RU = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
FORMATS = {"очно": False, "очный": False, "онлайн": True, "дистанционно": True,
           "онлайн (дистанционно)": True, "дистанционный": True}


def _names(terms: tuple[Term, ...]) -> dict[str, str]:
    return {normalize_label(name): t.code for t in terms for name in t.names}


_KINDS, _STATUSES, _ORGANISERS = _names(EVENT_KINDS), _names(EVENT_STATUSES), \
    _names(ORGANISER_KINDS)


@dataclass
class EventRow:
    """One read row: its place and its values (codes where the glossary names them)."""

    sheet: str
    row: int  # as Excel shows it
    values: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)  # field → column letter


@dataclass
class EventLog:
    rows: list[EventRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 100000:
        return (EXCEL_EPOCH + dt.timedelta(days=float(value))).date()
    text = str(value).strip()
    found = _DATE_RU.match(text)
    try:
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_time(value: object) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        return dt.time(minutes // 60, minutes % 60) if 0 <= minutes < 24 * 60 else None
    if isinstance(value, float) and 0 <= value < 1:  # a fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60) if minutes < 24 * 60 else None
    found = _TIME.match(str(value).strip())
    if found and int(found[1]) < 24 and int(found[2]) < 60:
        return dt.time(int(found[1]), int(found[2]))
    return None


def split_list(value: object) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", str(value)) if part.strip()]


_CHOICES = {"kind": (_KINDS, "вид мероприятия"), "status": (_STATUSES, "состояние"),
            "organiser": (_ORGANISERS, "организатор")}
_LISTS = ("schools", "participants", "subjects")


def _read_cell(name: str, value: object) -> tuple[Any, str | None]:
    """The cell's value and, when it cannot be read, why (Russian)."""
    if name == "date":
        day = parse_date(value)
        return day, None if day else f"«{value}» — не дата; нужна ДД.ММ.ГГГГ"
    if name in ("start", "end"):
        moment = parse_time(value)
        return moment, None if moment else f"«{value}» — не время; нужно ЧЧ:ММ"
    if name in _CHOICES:
        names, what = _CHOICES[name]
        code = names.get(normalize_label(value))
        return code, None if code else f"«{value}» — неизвестный {what}"
    if name == "format":
        online = FORMATS.get(normalize_label(value))
        return online, None if online is not None else f"«{value}» — нужно «очно» или «онлайн»"
    if name in _LISTS:
        return split_list(value), None
    return " ".join(str(value).split()), None


def _require_columns(path: Path, sheet: Sheet, header_row: int, columns: dict[str, int]) -> None:
    absent = [c.title for c in EVENTS_TEMPLATE.columns if c.required and c.field not in columns]
    if absent:
        raise UnreadableFile(
            f"файл {path.name}, лист «{sheet.name}», строка {header_row + 1}: нет обязательных "
            f"столбцов журнала мероприятий: " + ", ".join(f"«{t}»" for t in absent))


def _read_sheet(path: Path, sheet: Sheet, log: EventLog) -> None:
    header = find_header(sheet, EVENTS_TEMPLATE)
    if header is None:
        return
    _require_columns(path, sheet, header.row, header.columns)
    letters = {name: column_letter(col) for name, col in header.columns.items()}
    titles = {c.field: c.title for c in EVENTS_TEMPLATE.columns}
    for index in range(header.row + 1, len(sheet.rows)):
        if all(v is None or str(v).strip() == "" for v in sheet.rows[index]):
            continue
        values: dict[str, Any] = {}
        problems = []
        for column in EVENTS_TEMPLATE.columns:
            col = header.columns.get(column.field)
            raw = sheet.cell(index, col) if col is not None else None
            if raw is None or str(raw).strip() == "":
                values[column.field] = [] if column.field in _LISTS else None
                if column.required:
                    problems.append(Problem(path.name, f"«{titles[column.field]}»: обязательное "
                                            "поле не заполнено", ReadErrorCode.REQUIRED_MISSING,
                                            sheet.name, index + 1, letters.get(column.field, "")))
                continue
            value, reason = _read_cell(column.field, raw)
            values[column.field] = value
            if reason:
                problems.append(Problem(path.name, f"«{titles[column.field]}»: {reason}",
                                        ReadErrorCode.BAD_VALUE, sheet.name, index + 1,
                                        letters.get(column.field, "")))
        if problems:
            log.problems.extend(problems)
            log.rejected_rows += 1
        else:
            log.rows.append(EventRow(sheet.name, index + 1, values, letters))


def _key(row: EventRow) -> tuple[Any, ...]:
    v = row.values
    return (v["date"], v["start"], v["kind"], normalize_label(v["topic"]),
            tuple(sorted(normalize_label(s) for s in v["schools"])))


def _without_duplicates(path: Path, log: EventLog) -> None:
    by_key: dict[tuple[Any, ...], list[EventRow]] = defaultdict(list)
    for row in log.rows:
        by_key[_key(row)].append(row)
    repeated = {k for k, rows in by_key.items() if len(rows) > 1}
    for key in repeated:
        rows = by_key[key]
        lines = ", ".join(str(r.row) for r in rows)
        for row in rows:
            log.problems.append(Problem(
                path.name, f"повтор: строки {lines} описывают одно и то же мероприятие (дата, "
                "начало, вид, тема и школы); какая верна, неизвестно — оставьте одну",
                ReadErrorCode.DUPLICATE_KEY, row.sheet, row.row))
            log.rejected_rows += 1
    log.rows = [r for r in log.rows if _key(r) not in repeated]


def read_event_log(path: Path) -> EventLog:
    """Every sheet carrying the template's header; UnreadableFile when none does."""
    sheets = load_sheets(path)
    log = EventLog()
    for sheet in sheets:
        _read_sheet(path, sheet, log)
    if not log.rows and not log.problems and not any(
            find_header(s, EVENTS_TEMPLATE) for s in sheets):
        raise UnreadableFile(f"файл {path.name}: не найдена строка заголовков журнала "
                             "мероприятий (скачайте шаблон: opora template events)")
    _without_duplicates(path, log)
    return log
