"""The rules that suggest targeted recommendations, one function per rule, over plain facts.

Seed 004 («Адресные рекомендации по результатам анализа») names the seven addressees — students,
parents, teachers, the school (its leaders), the methodical centre, the centre of psychological
and pedagogical help, the education department — and asks for recommendations drawn from the
analysis of the monitoring. Each rule below reads :class:`SchoolFacts` (gathered from the
official list, the approved run's school statistics and objectivity signs, the staff, the
context passport and the support events by :mod:`opora.web.decisions.facts`) and returns
:class:`Suggestion` s that carry the numbers which triggered them, in words a coordinator can
read out. Nothing here touches the database: the tests build the facts by hand.

Thresholds, and where they come from:

- a subject is *weak* when the school is below the region with the whole 95 % interval of the
  difference below zero (``gap_high_pct < 0``) — the identification rule of seed 001 with the
  engine's interval (DOMAIN.md, «Identification»);
- a *weak task* of a weak subject (where students' task scores are loaded): the school's share
  of the task's maximum at least ``WEAK_TASK_GAP_PP`` = 15 percentage points below the region's —
  the «задания, выполненные хуже региона» a subject's teachers are asked to take apart;
- ``FAILING_SHARE_PCT`` = 30: «share of marks «2» ≥ X % … one region uses X = 30 %»
  (DOMAIN.md, «Identification»);
- ``QUIET_DAYS`` = 60: a school in the system with no support event for 60 days stands out on
  «Кто получил помощь» (:mod:`opora.web.support.coverage`, the same constant);
- ``UNCURATED_SHARE_PCT`` = 50: half of the schools in the system without a curator is a matter
  for the department (seed 001, «Решили»: curators are appointed by the department's order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from opora.catalog import PROCEDURES, SUBJECTS
from opora.numbers import number, percent_points
from opora.web.support.coverage import QUIET_DAYS

FAILING_SHARE_PCT = 30.0
WEAK_TASK_GAP_PP = 15.0
UNCURATED_SHARE_PCT = 50.0


@dataclass(frozen=True)
class Cell:
    """A school's mean in one procedure, subject, grade and year against the region."""

    procedure: str
    subject: str
    grade: int
    year: int
    participants: int | None
    mean_pct: float | None
    region_mean_pct: float | None
    gap_pct: float | None
    gap_high_pct: float | None
    fail_share_pct: float | None = None
    #: tasks done worse than the region by ``WEAK_TASK_GAP_PP`` or more: (label, school %, region %)
    weak_tasks: tuple[tuple[str, float, float], ...] = ()

    @property
    def label(self) -> str:
        procedure = PROCEDURES[self.procedure].name_ru if self.procedure in PROCEDURES \
            else self.procedure
        return f"{procedure}, {subject_name(self.subject)}, {self.grade} класс, {self.year}"


@dataclass(frozen=True)
class Sign:
    """A fired sign of non-objective results (engine/objectivity), with its own words."""

    procedure: str
    subject: str
    grade: int
    year: int
    sign: str
    text: str


@dataclass
class SchoolFacts:
    """What Опора holds about one school of the official list on the day of the suggestion."""

    school_id: int
    name: str
    category: str  # «ШНОР», «ШНСУ», «ШНОР и ШНСУ», «Зона риска»
    year: int  # the official list's year
    cells: list[Cell] = field(default_factory=list)
    signs: list[Sign] = field(default_factory=list)
    staff: int = 0  # people on the staff records today
    psychologists: int = 0  # of them, педагоги-психологи
    preventive_share: float | None = None  # passport: students on preventive registers, %
    ovz_share: float | None = None  # passport: students with ОВЗ, %
    low_income_share: float | None = None  # passport: students of low-income families, %
    last_event: dt.date | None = None  # the last support event held for the school
    curators: int = 0  # current curatorships


@dataclass
class MunicipalFacts:
    municipality_id: int
    name: str
    year: int
    as_of: dt.date
    schools: list[SchoolFacts] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    rule: str
    addressee: str
    year: int
    text: str
    basis: str
    numbers: dict[str, Any]
    school_id: int | None = None
    subject: str = ""

    @property
    def key(self) -> str:
        """Identifies the suggestion across runs of the rules (one per rule, school, subject)."""
        return f"{self.rule}:{self.school_id or 0}:{self.subject}:{self.year}"


def subject_name(code: str) -> str:
    return SUBJECTS[code].name_ru if code in SUBJECTS else code


def _pct(value: float | None) -> str:
    return f"{number(value)} %"


def _weak(cell: Cell) -> bool:
    return cell.gap_high_pct is not None and cell.gap_high_pct < 0


def weak_subjects(school: SchoolFacts) -> list[Suggestion]:
    """→ **педагогам**: a subject where the school is reliably below the region in the list's
    year (seed 001's rule: the mean below the regional mean); the subject's teachers analyse the
    weak tasks and take a course. One suggestion per subject, with its worst cell."""
    by_subject: dict[str, list[Cell]] = {}
    for cell in school.cells:
        if cell.year == school.year and _weak(cell):
            by_subject.setdefault(cell.subject, []).append(cell)
    found = []
    for subject, cells in sorted(by_subject.items()):
        worst = min(cells, key=lambda c: c.gap_pct if c.gap_pct is not None else 0.0)
        found.append(Suggestion(
            rule="weak_subject", addressee="teachers", year=school.year, school_id=school.school_id,
            subject=subject,
            text=(f"Педагогам {school.name} по предмету «{subject_name(subject)}»: разобрать "
                  "на методическом объединении задания, выполненные хуже региона, включить их в "
                  "текущий контроль, пройти курсы повышения квалификации по предмету."),
            basis=(f"{worst.label}: средний результат школы {_pct(worst.mean_pct)}, региона "
                   f"{_pct(worst.region_mean_pct)}, разница {percent_points(worst.gap_pct)} "
                   f"(верхняя граница интервала {percent_points(worst.gap_high_pct)}), "
                   f"участников {worst.participants or '—'}; работ ниже региона по предмету: "
                   f"{len(cells)}." + _tasks_text(worst)),
            numbers={"mean_pct": worst.mean_pct, "region_mean_pct": worst.region_mean_pct,
                     "gap_pct": worst.gap_pct, "participants": worst.participants,
                     "weak_cells": len(cells),
                     "weak_tasks": [label for label, _, _ in worst.weak_tasks]}))
    return found


def _tasks_text(cell: Cell) -> str:
    if not cell.weak_tasks:
        return ""
    said = ", ".join(f"№ {label} ({_pct(own)} против {_pct(region)})"
                     for label, own, region in cell.weak_tasks[:6])
    more = f" и ещё {len(cell.weak_tasks) - 6}" if len(cell.weak_tasks) > 6 else ""
    return (f" Задания, выполненные хуже региона на {number(WEAK_TASK_GAP_PP, trim=True)} п. п. "
            f"и больше: {said}{more}.")


def failing_students(school: SchoolFacts) -> list[Suggestion]:
    """→ **обучающимся**: a work of the list's year where at least ``FAILING_SHARE_PCT`` % got
    «2» (below the minimum threshold): individual routes and consultations before the next
    procedure. One suggestion per school, naming the worst work."""
    cells = [c for c in school.cells if c.year == school.year and c.fail_share_pct is not None
             and c.fail_share_pct >= FAILING_SHARE_PCT]
    if not cells:
        return []
    worst = max(cells, key=lambda c: c.fail_share_pct or 0.0)
    return [Suggestion(
        rule="failing_share", addressee="students", year=school.year, school_id=school.school_id,
        text=(f"Обучающимся {school.name}, не справившимся с работой: пройти индивидуальные "
              "консультации и повторную диагностику по пробелам до следующей процедуры."),
        basis=(f"{worst.label}: доля «2» {_pct(worst.fail_share_pct)} при пороге "
               f"{_pct(FAILING_SHARE_PCT)}, участников {worst.participants or '—'}; работ с "
               f"такой долей: {len(cells)}."),
        numbers={"fail_share_pct": worst.fail_share_pct, "threshold_pct": FAILING_SHARE_PCT,
                 "cells": len(cells)})]


def adverse_context_parents(school: SchoolFacts) -> list[Suggestion]:
    """→ **родителям**: a school in adverse social conditions (ШНСУ on the list): parents are
    told the results and what they can do at home (seed 002, «отсутствие запросов на
    образование», «попустительская родительская ответственность»)."""
    if "ШНСУ" not in school.category:
        return []
    shares = [(name, value) for name, value in (
        ("из малоимущих семей", school.low_income_share),
        ("на профилактических учётах", school.preventive_share)) if value is not None]
    said = "; ".join(f"обучающихся {name} {_pct(value)}" for name, value in shares)
    return [Suggestion(
        rule="adverse_context", addressee="parents", year=school.year, school_id=school.school_id,
        text=(f"Родителям обучающихся {school.name}: участвовать в родительских собраниях о "
              "результатах оценочных процедур, в консультациях педагогов и специалистов школы."),
        basis=(f"Школа в списке {school.year} года как «{school.category}»"
               + (f"; по социальному паспорту {said}." if said else ".")),
        numbers={"low_income_share": school.low_income_share,
                 "preventive_share": school.preventive_share})]


def non_objective(school: SchoolFacts) -> list[Suggestion]:
    """→ **образовательной организации**: signs of non-objective results (DOMAIN.md,
    «Objectivity» — a sign, not a verdict): the school's administration ensures objective
    marking (independent observers, cross-checking, comparing marks with the results)."""
    if not school.signs:
        return []
    said = "; ".join(f"{s.procedure} {subject_name(s.subject)} {s.grade} кл. {s.year}: {s.text}"
                     for s in school.signs[:3])
    return [Suggestion(
        rule="non_objective", addressee="school", year=school.year, school_id=school.school_id,
        text=(f"Администрации {school.name}: обеспечить объективность проведения и проверки "
              "работ — независимые наблюдатели, перекрёстная проверка, сопоставление отметок "
              "за работу с текущими отметками."),
        basis=f"Признаков необъективности: {len(school.signs)}. {said}.",
        numbers={"signs": len(school.signs)})]


def no_psychologist(school: SchoolFacts) -> list[Suggestion]:
    """→ **центру психолого-педагогической помощи**: a school of the list with its staff
    recorded and no педагог-психолог among them (seed 002: «отсутствие в штате психолога,
    дефектолога, социального педагога»). Not suggested while the staff is not recorded."""
    if school.staff == 0 or school.psychologists > 0:
        return []
    extra = "; ".join(f"{name} {_pct(v)}" for name, v in (
        ("обучающихся на профилактических учётах", school.preventive_share),
        ("обучающихся с ОВЗ", school.ovz_share)) if v is not None)
    return [Suggestion(
        rule="no_psychologist", addressee="psychological_centre", year=school.year,
        school_id=school.school_id,
        text=(f"Центру психолого-педагогической помощи: организовать консультации "
              f"педагога-психолога для обучающихся, родителей и педагогов {school.name}."),
        basis=(f"В штате школы записано {school.staff} чел., педагогов-психологов нет"
               + (f"; {extra}." if extra else ".")),
        numbers={"staff": school.staff, "psychologists": 0,
                 "preventive_share": school.preventive_share, "ovz_share": school.ovz_share})]


def quiet_school(school: SchoolFacts, as_of: dt.date) -> list[Suggestion]:
    """→ **методическому центру**: a school of the list with no support event held for
    ``QUIET_DAYS`` days (or none at all) — «без помощи» on «Кто получил помощь»."""
    days = None if school.last_event is None else (as_of - school.last_event).days
    if days is not None and days < QUIET_DAYS:
        return []
    since = "мероприятий сопровождения не было" if days is None else \
        f"последнее мероприятие {school.last_event:%d.%m.%Y}, {days} дн. назад"
    return [Suggestion(
        rule="no_support", addressee="methodical_centre", year=school.year,
        school_id=school.school_id,
        text=(f"Методическому центру: провести выезд или консультацию в {school.name} и "
              "согласовать со школой график методического сопровождения."),
        basis=f"{since.capitalize()} (порог — {QUIET_DAYS} дн.).",
        numbers={"days_since_event": days, "threshold_days": QUIET_DAYS})]


def uncurated(facts: MunicipalFacts) -> list[Suggestion]:
    """→ **управлению образования**: at least ``UNCURATED_SHARE_PCT`` % of the schools in the
    system have no curator — the department appoints curators by order (seed 001, «Решили»)."""
    total = len(facts.schools)
    missing = [s for s in facts.schools if s.curators == 0]
    if total == 0 or 100.0 * len(missing) / total < UNCURATED_SHARE_PCT:
        return []
    share = 100.0 * len(missing) / total
    names = ", ".join(s.name for s in missing[:5]) + ("…" if len(missing) > 5 else "")
    return [Suggestion(
        rule="uncurated", addressee="department", year=facts.year,
        text=("Управлению образования: закрепить кураторов за школами списка приказом и "
              "утвердить график их выездов."),
        basis=(f"Без куратора {len(missing)} из {total} школ списка ({_pct(share)}; порог "
               f"{_pct(UNCURATED_SHARE_PCT)}): {names}."),
        numbers={"without_curator": len(missing), "schools": total, "share_pct": share})]


SchoolRule = Callable[[SchoolFacts], list[Suggestion]]
SCHOOL_RULES: tuple[SchoolRule, ...] = (
    weak_subjects, failing_students, adverse_context_parents, non_objective, no_psychologist)


def suggest(facts: MunicipalFacts) -> list[Suggestion]:
    """Every rule over every school of the list, then the municipal rules."""
    found: list[Suggestion] = []
    for school in facts.schools:
        for rule in SCHOOL_RULES:
            found.extend(rule(school))
        found.extend(quiet_school(school, facts.as_of))
    found.extend(uncurated(facts))
    return found


def keys(suggestions: Iterable[Suggestion]) -> list[str]:
    return [s.key for s in suggestions]
