"""The roadmap workbook (``opora template roadmap``): a school's roadmap on three sheets, read
into a plan and written back (the web's export uses the same writer, so a file exported and
loaded again is the same roadmap).

- «Проблемы и цели»: one row per task — the problem (with the risk factors and the school's flags
  it answers, «;» between them), the goal, the task. A problem or goal with several tasks repeats
  its text on each row.
- «Показатели»: the task (as written on the first sheet), the indicator, its unit, direction,
  baseline (and its year), the targets by year («2026: 60; 2027: 70») and the data source.
- «Мероприятия»: the task, the measure, its deadline, the responsible person (as in the school's
  staff list), the status and a comment.

Every row is checked here (:func:`indicator_complaints` is the same rule the web's completeness
check applies): a share outside 0–100 %, a target of an indicator «на рост» below its baseline, a
measure without a deadline or responsible person reject their row with the place. What only the
database knows (the staff, the programme period) is checked by
:mod:`opora.web.programmes.roadmap_import`. Nothing here imports Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import xlsxwriter

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile
from opora.formats.errors import ReadErrorCode
from opora.formats.templates.cells import number_of
from opora.formats.templates.events import parse_date, split_list
from opora.formats.templates.rows import Row, choice, names_of, read_rows
from opora.formats.templates.spec import Template, TemplateColumn
from opora.formats.workbook import load_sheets
from opora.glossary import (
    FLAGS,
    INDICATOR_DIRECTIONS,
    MEASURE_STATUSES,
    RETIRED_RISK_FACTORS,
    RISK_FACTORS,
    UNITS,
    programme_name,
    risk_factor_name,
)
from opora.schemas import Column, Table

SHARE_UNITS = frozenset(u.code for u in UNITS if u.share)
FACTORS = names_of((*RISK_FACTORS, *RETIRED_RISK_FACTORS))
FLAG_CODES = names_of(FLAGS)
UNIT_CODES = names_of(UNITS)
DIRECTION_CODES = names_of(INDICATOR_DIRECTIONS)
STATUS_CODES = names_of(t for t in MEASURE_STATUSES if t.code != "overdue")
_TARGET = re.compile(r"^\s*(\d{4})\s*(?:г\.?|год)?\s*[:—–=-]\s*(.+?)\s*$")


def _col(name: str, title: str, explanation: str, allowed: str = "текст",
         required: bool = False) -> TemplateColumn:
    return TemplateColumn(name, title, "text", required, explanation, allowed)


def _table(name: str, fields: tuple[str, ...]) -> Table:
    return Table(name, name, fields[:1], tuple(Column(f, pa.string(), "—", f) for f in fields))


PROBLEMS_SHEET = Template("roadmap_problems", "Проблемы и цели", _table(
    "roadmap_problems", ("problem", "factors", "flags", "goal", "task")), (
    _col("problem", "Проблема", "Ключевая проблема школы", required=True),
    _col("factors", "Факторы риска (через «;»)", "Факторы риска профиля, на которые отвечает "
         "проблема: коды или названия", "; ".join(t.name_ru for t in RISK_FACTORS)),
    _col("flags", "Отметки школы (через «;»)", "Отметки официального списка, на которые "
         "отвечает проблема", "ШНОР; ШНСУ; Стабильно низкие результаты; …"),
    _col("goal", "Цель", "Цель по решению проблемы", required=True),
    _col("task", "Задача", "Задача для достижения цели; в файле не повторяется под другой "
         "целью", required=True),
), ("problem", "goal"))
INDICATORS_SHEET = Template("roadmap_indicators", "Показатели", _table(
    "roadmap_indicators", ("task", "indicator", "unit", "direction", "baseline",
                           "baseline_year", "targets", "source")), (
    _col("task", "Задача", "Задача, как она записана на листе «Проблемы и цели»", required=True),
    _col("indicator", "Показатель", "Измеримый показатель продвижения к цели", required=True),
    _col("unit", "Единица измерения", "Единица из каталога", ", ".join(u.name_ru for u in UNITS),
         required=True),
    _col("direction", "Направление", "Каким должен стать показатель; пусто — рост",
         "рост, снижение, сохранение"),
    _col("baseline", "Базовое значение", "Значение в начале программы; доля — в процентах "
         "0–100", "число", required=True),
    _col("baseline_year", "Год базового значения", "Год, к которому относится базовое значение",
         "2015–2100"),
    _col("targets", "Целевые значения по годам", "Цель на каждый год программы: «год: значение» "
         "через «;»", "2026: 60; 2027: 70", required=True),
    _col("source", "Источник данных", "Откуда берутся значения: ФИС ОКО, РИС ГИА, школьная "
         "статистика, анкетирование …"),
), ("indicator", "targets"))
MEASURES_SHEET = Template("roadmap_measures", "Мероприятия", _table(
    "roadmap_measures", ("task", "measure", "deadline", "responsible", "status", "comment")), (
    _col("task", "Задача", "Задача, как она записана на листе «Проблемы и цели»", required=True),
    _col("measure", "Мероприятие", "Что будет сделано", required=True),
    _col("deadline", "Срок (ДД.ММ.ГГГГ)", "Срок выполнения внутри периода программы", "дата",
         required=True),
    _col("responsible", "Ответственный", "ФИО или код педагога, как в списке педагогов школы",
         "Иванова Мария Петровна; П-017", required=True),
    _col("status", "Состояние", "Пусто — запланировано",
         ", ".join(t.name_ru.lower() for t in MEASURE_STATUSES if t.code != "overdue")),
    _col("comment", "Комментарий", "Что важно знать о выполнении"),
), ("measure", "responsible"))
ROADMAP_SHEETS: tuple[Template, ...] = (PROBLEMS_SHEET, INDICATORS_SHEET, MEASURES_SHEET)


# --- the rules both the reader and the web's completeness check apply --------------------------

def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def indicator_complaints(*, unit: str, direction: str, baseline: float | None,
                         targets: dict[int, float]) -> list[tuple[str, str]]:
    """What is wrong or missing in an indicator: (field, Russian message), in reading order."""
    found = []
    if not unit:
        found.append(("unit", "не указана единица измерения"))
    if baseline is None:
        found.append(("baseline", "не указано базовое значение"))
    if not targets:
        found.append(("targets", "не указано целевое значение"))
    if unit in SHARE_UNITS:
        if baseline is not None and not 0 <= baseline <= 100:
            found.append(("baseline", f"доля {_num(baseline)} % — вне 0–100 %"))
        for year, value in sorted(targets.items()):
            if not 0 <= value <= 100:
                found.append(("targets", f"цель {year} года: доля {_num(value)} % — вне 0–100 %"))
    if baseline is not None and direction in ("increase", "decrease"):
        for year, value in sorted(targets.items()):
            if direction == "increase" and value < baseline:
                found.append(("targets", f"цель {year} года ({_num(value)}) ниже базового "
                                         f"значения ({_num(baseline)}), а показатель — на рост"))
            if direction == "decrease" and value > baseline:
                found.append(("targets", f"цель {year} года ({_num(value)}) выше базового "
                                         f"значения ({_num(baseline)}), а показатель — на "
                                         "снижение"))
    return found


def parse_targets(value: object) -> tuple[dict[int, float] | None, str | None]:
    """«2026: 60; 2027: 70,5» → {2026: 60.0, 2027: 70.5}."""
    found: dict[int, float] = {}
    for part in split_list(value):
        match = _TARGET.match(part)
        number = number_of(match[2]) if match else None
        if match is None or number is None:
            return None, f"«{part}» — нужно «год: значение», например «2026: 60»"
        if int(match[1]) in found:
            return None, f"{match[1]} год указан дважды"
        found[int(match[1])] = number
    return (found, None) if found else (None, "нет ни одного «год: значение»")


def format_targets(targets: dict[int, float]) -> str:
    return "; ".join(f"{year}: {_num(value)}" for year, value in sorted(targets.items()))


# --- the plan as read ----------------------------------------------------------------------------

@dataclass
class IndicatorPlan:
    name: str
    unit: str
    direction: str
    baseline: float
    baseline_year: int | None
    targets: dict[int, float]
    source: str
    row: Row


@dataclass
class MeasurePlan:
    title: str
    deadline: dt.date
    responsible: str
    status: str
    comment: str
    row: Row


@dataclass
class TaskPlan:
    title: str
    row: Row
    indicators: list[IndicatorPlan] = field(default_factory=list)
    measures: list[MeasurePlan] = field(default_factory=list)


@dataclass
class GoalPlan:
    title: str
    tasks: list[TaskPlan] = field(default_factory=list)


@dataclass
class ProblemPlan:
    title: str
    risk_factors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    goals: list[GoalPlan] = field(default_factory=list)


@dataclass
class RoadmapPlan:
    problems: list[ProblemPlan] = field(default_factory=list)
    complaints: list[Problem] = field(default_factory=list)

    def tasks(self) -> list[TaskPlan]:
        return [t for p in self.problems for g in p.goals for t in g.tasks]


def _list_of(mapping: dict[str, str], what: str) -> Any:
    def parse(value: object) -> tuple[Any, str | None]:
        codes = []
        for part in split_list(value):
            code = mapping.get(normalize_label(part))
            if code is None:
                return None, f"«{part}» — неизвестный {what}"
            codes.append(code)
        return list(dict.fromkeys(codes)), None
    return parse


def _number(value: object) -> tuple[Any, str | None]:
    number = number_of(value)
    return (number, None) if number is not None else (None, f"«{value}» — не число")


def _year(value: object) -> tuple[Any, str | None]:
    number = number_of(value)
    if number is None or number != int(number) or not 2015 <= number <= 2100:
        return None, f"«{value}» — год от 2015 до 2100"
    return int(number), None


def _date(value: object) -> tuple[Any, str | None]:
    day = parse_date(value)
    return (day, None) if day else (None, f"«{value}» — не дата; нужна ДД.ММ.ГГГГ")


_PARSERS = {
    "factors": _list_of(FACTORS, "фактор риска"), "flags": _list_of(FLAG_CODES, "вид отметки"),
    "unit": choice(UNIT_CODES, "вид единицы", ", ".join(u.name_ru for u in UNITS)),
    "direction": choice(DIRECTION_CODES, "вид направления", "рост, снижение, сохранение"),
    "baseline": _number, "baseline_year": _year, "targets": parse_targets, "deadline": _date,
    "status": choice(STATUS_CODES, "вид состояния",
                     ", ".join(t.name_ru.lower() for t in MEASURE_STATUSES if t.code != "overdue")),
}


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path, self.plan = path, RoadmapPlan()
        self.tasks: dict[str, TaskPlan] = {}

    def problem(self, row: Row, field_name: str, message: str,
                code: str = ReadErrorCode.BAD_VALUE) -> None:
        self.plan.complaints.append(row.problem(self.path.name, field_name, message, code))

    def structure(self, rows: list[Row]) -> None:
        problems: dict[str, ProblemPlan] = {}
        goals: dict[tuple[str, str], GoalPlan] = {}
        for row in rows:
            v = row.values
            key = normalize_label(v["task"])
            if key in self.tasks:
                self.problem(row, "task", f"задача «{v['task']}» уже записана в строке "
                             f"{self.tasks[key].row.row}: задачи в файле не повторяются",
                             ReadErrorCode.DUPLICATE_KEY)
                continue
            problem = problems.get(normalize_label(v["problem"]))
            if problem is None:
                problem = problems[normalize_label(v["problem"])] = ProblemPlan(v["problem"])
                self.plan.problems.append(problem)
            problem.risk_factors += [f for f in v["factors"] or [] if f not in problem.risk_factors]
            problem.flags += [f for f in v["flags"] or [] if f not in problem.flags]
            goal_key = (normalize_label(v["problem"]), normalize_label(v["goal"]))
            if goal_key not in goals:
                goals[goal_key] = GoalPlan(v["goal"])
                problem.goals.append(goals[goal_key])
            task = self.tasks[key] = TaskPlan(v["task"], row)
            goals[goal_key].tasks.append(task)

    def _task(self, row: Row) -> TaskPlan | None:
        task = self.tasks.get(normalize_label(row.values["task"]))
        if task is None:
            self.problem(row, "task", f"задачи «{row.values['task']}» нет на листе «Проблемы и "
                         "цели»")
        return task

    def indicators(self, rows: list[Row]) -> None:
        for row in rows:
            v, task = row.values, self._task(row)
            if task is None:
                continue
            direction = v["direction"] or "increase"
            complaints = indicator_complaints(unit=v["unit"], direction=direction,
                                              baseline=v["baseline"], targets=v["targets"])
            for name, message in complaints:
                self.problem(row, name, f"показатель «{v['indicator']}»: {message}")
            if any(normalize_label(i.name) == normalize_label(v["indicator"])
                   for i in task.indicators):
                self.problem(row, "indicator", f"показатель «{v['indicator']}» задачи уже "
                             "записан выше", ReadErrorCode.DUPLICATE_KEY)
            elif not complaints:
                task.indicators.append(IndicatorPlan(
                    v["indicator"], v["unit"], direction, v["baseline"], v["baseline_year"],
                    v["targets"], v["source"] or "", row))

    def measures(self, rows: list[Row]) -> None:
        for row in rows:
            v, task = row.values, self._task(row)
            if task is None:
                continue
            if any(normalize_label(m.title) == normalize_label(v["measure"])
                   for m in task.measures):
                self.problem(row, "measure", f"мероприятие «{v['measure']}» задачи уже записано "
                             "выше", ReadErrorCode.DUPLICATE_KEY)
                continue
            task.measures.append(MeasurePlan(v["measure"], v["deadline"], v["responsible"],
                                             v["status"] or "planned", v["comment"] or "", row))


def read_roadmap(path: Path) -> RoadmapPlan:
    """The plan of the workbook's three sheets; UnreadableFile without the first sheet's header."""
    sheets = load_sheets(path)
    reader = _Reader(path)
    found: dict[str, list[Row]] = {}
    for template in ROADMAP_SHEETS:
        for sheet in sheets:
            rows = read_rows(path, sheet, template, _PARSERS, reader.plan.complaints)
            if rows is not None:
                found[template.name] = rows
                break
    if PROBLEMS_SHEET.name not in found:
        raise UnreadableFile(f"файл {path.name}: не найден лист с заголовками «Проблема», "
                             "«Цель», «Задача» (скачайте шаблон: opora template roadmap)")
    reader.structure(found[PROBLEMS_SHEET.name])
    reader.indicators(found.get(INDICATORS_SHEET.name, []))
    reader.measures(found.get(MEASURES_SHEET.name, []))
    return reader.plan


# --- writing ---------------------------------------------------------------------------------------

@dataclass
class RoadmapRows:
    """The three sheets' rows as written (texts and numbers, in column order)."""

    problems: list[list[Any]] = field(default_factory=list)
    indicators: list[list[Any]] = field(default_factory=list)
    measures: list[list[Any]] = field(default_factory=list)
    title: str = ""


def factor_names(codes: list[str]) -> str:
    return "; ".join(risk_factor_name(c) for c in codes)


def measure_status_name(code: str) -> str:
    return programme_name(MEASURE_STATUSES, code).lower()


_FIXED_DATE = dt.datetime(2024, 1, 1)


def write_roadmap(target: Path | IO[bytes], rows: RoadmapRows) -> None:
    """The workbook: three sheets with the templates' titles and ``rows``, and «Пояснения»."""
    workbook = xlsxwriter.Workbook(target if isinstance(target, str) else
                                   str(target) if isinstance(target, Path) else target,
                                   {"in_memory": True})
    workbook.set_properties({"title": rows.title or "Дорожная карта школы",
                             "created": _FIXED_DATE})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                "bg_color": "#E8EEF7", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "dd.mm.yyyy", "valign": "top"})
    for template, data in zip(ROADMAP_SHEETS, (rows.problems, rows.indicators, rows.measures),
                              strict=True):
        sheet = workbook.add_worksheet(template.title)
        for col, column in enumerate(template.columns):
            sheet.write_string(0, col, column.title, bold)
            sheet.set_column(col, col, 16 if column.field in ("deadline", "status", "unit")
                             else 40)
            sheet.write_comment(0, col, f"{column.explanation}. Допустимо: {column.allowed}")
        for r, values in enumerate(data, start=1):
            for col, value in enumerate(values):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), day)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, col, value)
                elif value not in (None, ""):
                    sheet.write_string(r, col, str(value), wrap)
        sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet("Пояснения")
    notes.write_string(0, 0, "Дорожная карта: проблемы → цели → задачи → показатели и "
                             "мероприятия. Строку заголовков не меняйте.", bold)
    line = 2
    for template in ROADMAP_SHEETS:
        notes.write_string(line, 0, f"Лист «{template.title}»", bold)
        line += 1
        for column in template.columns:
            for col, text in enumerate((column.title, "да" if column.required else "",
                                        column.explanation, column.allowed)):
                notes.write_string(line, col, text, wrap)
            line += 1
        line += 1
    for col, width in enumerate((36, 14, 60, 50)):
        notes.set_column(col, col, width)
    workbook.close()
