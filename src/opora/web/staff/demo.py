"""The demo's staff and teacher development: every demo school gets its teachers and leaders,
a part of them two diagnostics a year with plausible dynamics, courses (КПК) and a few routes
(ИОМ), so each demo login has people to see (:func:`opora.web.demo.prepare_demo` calls
:func:`ensure_staff_demo`; idempotent: a municipality that has staff is left as it is).

Synthetic and deterministic (a seed per school key). Some schools record their teachers under
codes («П-017») to show the option. Dates are relative to today, so the diagnostics are never in
the future: the autumn (15 October) and spring (15 April) diagnostics of the last school years.
Written with their history rows (``bulk_create_with_history``), as if typed by the system.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from opora.web.schools.models import Municipality, School
from opora.web.staff.models import (
    Course,
    DevelopmentRoute,
    DiagnosticScore,
    RouteStep,
    Teacher,
    TeacherDiagnostic,
)

_SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
             "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
             "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
             "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов",
             "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Фролов", "Белов")
_FEMALE = ("Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Марина",
           "Юлия", "Екатерина", "Галина", "Людмила", "Надежда", "Валентина", "Мария", "Оксана")
_MALE = ("Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Владимир", "Игорь", "Олег")
_PATRONYMIC_STEMS = ("Александров", "Сергеев", "Викторов", "Николаев", "Петров", "Иванов",
                     "Владимиров", "Михайлов", "Юрьев", "Анатольев")
#: Subject teachers of a school, by what they teach, in a typical proportion.
_SUBJECT_SETS = ((["primary_school"], 8), (["rus", "literature"], 4), (["math"], 3),
                 (["math", "informatics"], 1), (["english"], 2), (["history", "social"], 2),
                 (["physics"], 1), (["chemistry", "biology"], 1), (["biology"], 1),
                 (["geography"], 1), (["physical_education"], 2), (["music"], 1),
                 (["fine_art", "technology"], 1), (["safety"], 1), (["informatics"], 1))
_LEADERS: tuple[tuple[str, list[str]], ...] = (("director", []), ("deputy_academic", []), ("deputy_academic", ["math"]),
            ("deputy_upbringing", []), ("psychologist", []), ("social_pedagogue", []),
            ("speech_therapist", []), ("advisor_upbringing", []),
            ("additional_education", []))
_COURSES = (
    ("Реализация требований обновлённых ФГОС ООО, ФГОС СОО в работе учителя", "ИРО", 36),
    ("Формирование функциональной грамотности обучающихся", "ЦНППМ", 36),
    ("Школа современного учителя: развитие читательской грамотности",
     "Академия Минпросвещения России", 56),
    ("Цифровая образовательная среда: инструменты учителя", "ЦНППМ", 24),
    ("Оценивание образовательных результатов: ВПР, ОГЭ, ЕГЭ", "ИРО", 24),
    ("Работа с обучающимися с трудностями в обучении", "ИРО", 72),
    ("Наставничество в образовательной организации", "ЦНППМ", 16),
)
#: Domains a regional diagnostic assesses, with their maximum scores.
_REGIONAL = (("subject_domain", 20), ("methodical", 15), ("psychological", 10),
             ("assessment_literacy", 10), ("functional_literacy", 10))
_SELF = ("communicative", "digital", "methodical")
_LEVELS = ("insufficient", "basic", "advanced", "high")


@dataclass
class _Plan:
    """What is generated for one teacher besides the record."""

    teacher: Teacher
    level: float  # share of the maximum, 0–1, in the first diagnostic
    growth: float  # its change by the next diagnostic
    diagnosed: bool
    courses: int


def demo_municipality() -> Municipality | None:
    """The demo's municipality: the one with the most schools (as the demo users take it)."""
    from django.db.models import Count

    return Municipality.objects.annotate(n=Count("schools")).order_by("-n", "name").first()


def ensure_staff_demo(*, today: datetime.date | None = None) -> int:
    """Staff and development records for every school of the demo municipality, unless it has
    staff already; the number of teachers created."""
    municipality = demo_municipality()
    if municipality is None or Teacher.objects.filter(school__municipality=municipality).exists():
        return 0
    today = today or timezone.localdate()
    with transaction.atomic():
        plans = [plan for school in municipality.schools.order_by("pk")
                 for plan in _school_plans(school, today)]
        bulk_create_with_history([p.teacher for p in plans], Teacher)
        regional = _diagnostics(plans, today)
        _courses_and_routes(plans, today, regional)
    return len(plans)


def _name(rng: random.Random) -> str:
    surname = rng.choice(_SURNAMES)
    if rng.random() < 0.85:
        return f"{surname}а {rng.choice(_FEMALE)} {rng.choice(_PATRONYMIC_STEMS)}на"
    return f"{surname} {rng.choice(_MALE)} {rng.choice(_PATRONYMIC_STEMS)}ич"


def _school_plans(school: School, today: datetime.date) -> list[_Plan]:
    rng = random.Random(f"staff-demo:{school.key}")
    coded = rng.random() < 0.3  # about a third of the schools record codes instead of names
    size = rng.randint(14, 34)
    roles = list(_LEADERS[:rng.randint(5, len(_LEADERS))])
    pool = [subjects for subjects, weight in _SUBJECT_SETS for _ in range(weight)]
    while len(roles) < size:
        roles.append(("teacher", rng.choice(pool)))
    plans, names = [], set()
    for number, (position, subjects) in enumerate(roles, start=1):
        name = f"П-{number:03d}" if coded else _name(rng)
        while name in names:
            name = _name(rng)
        names.add(name)
        years = max(0, min(45, int(rng.gauss(17, 11))))
        category = ("no_category" if years < 2 else rng.choices(
            ("conformity", "first", "highest", "pedagogue_methodist"), (25, 40, 33, 2))[0])
        since = today.year - min(years, rng.randint(0, 20)) - (0 if today.month >= 9 else 1)
        left = rng.random() < 0.04
        teacher = Teacher(school=school, name=name, name_is_code=coded, position=position,
                          subjects=subjects, category=category, experience_years=years,
                          active_from=datetime.date(since, 9, 1),
                          active_to=datetime.date(today.year - 1, 6, 30) if left
                          and since < today.year - 1 else None)
        diagnosed = position in ("teacher", "deputy_academic") and rng.random() < 0.6
        plans.append(_Plan(teacher, rng.uniform(0.35, 0.8), rng.gauss(0.04, 0.06), diagnosed,
                           rng.choices((0, 1, 2), (45, 40, 15))[0]))
    return plans


def _dates(today: datetime.date) -> list[datetime.date]:
    """The autumn and spring diagnostics of the last two school years, none in the future."""
    start = today.year if today.month >= 9 else today.year - 1
    found = [datetime.date(start - 1, 10, 15), datetime.date(start, 4, 15),
             datetime.date(start, 10, 15)]
    return [d for d in found if d <= today]


def _diagnostics(plans: list[_Plan],
                 today: datetime.date) -> dict[int, list[TeacherDiagnostic]]:
    """Write the diagnostics; each teacher's regional ones, by date (routes start from one)."""
    diagnostics: list[TeacherDiagnostic] = []
    scores: list[tuple[int, DiagnosticScore]] = []
    for plan in (p for p in plans if p.diagnosed):
        rng = random.Random(f"diagnostic:{plan.teacher.school.key}:{plan.teacher.name}")
        for step, day in enumerate(_dates(today)):
            if plan.teacher.active_to and day > plan.teacher.active_to:
                break
            if plan.teacher.active_from and day < plan.teacher.active_from:
                continue  # not yet at this school
            level = min(0.98, max(0.05, plan.level + step * plan.growth))
            diagnostics.append(TeacherDiagnostic(
                teacher=plan.teacher, date=day, instrument="regional",
                note="Диагностика профессиональных дефицитов ЦНППМ"))
            for domain, out_of in _REGIONAL:
                value = round(min(out_of, max(0, rng.gauss(level, 0.08) * out_of)))
                scores.append((len(diagnostics) - 1, DiagnosticScore(
                    domain=domain, score=value, max_score=out_of)))
            if step == 0 and rng.random() < 0.4:  # a self-assessment by levels, once
                diagnostics.append(TeacherDiagnostic(
                    teacher=plan.teacher, date=day + datetime.timedelta(days=3),
                    instrument="self", note="Самооценка по карте профессиональных дефицитов"))
                for domain in _SELF:
                    rank = min(3, max(0, round(rng.gauss(level * 3, 0.6))))
                    scores.append((len(diagnostics) - 1, DiagnosticScore(
                        domain=domain, level=_LEVELS[rank])))
    bulk_create_with_history(diagnostics, TeacherDiagnostic)
    for index, score in scores:
        score.diagnostic = diagnostics[index]
    bulk_create_with_history([s for _, s in scores], DiagnosticScore)
    regional: dict[int, list[TeacherDiagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.instrument == "regional":
            regional.setdefault(diagnostic.teacher.pk, []).append(diagnostic)
    return regional


def _courses_and_routes(plans: list[_Plan], today: datetime.date,
                        regional: dict[int, list[TeacherDiagnostic]]) -> None:
    courses: list[Course] = []
    routes: list[DevelopmentRoute] = []
    steps: list[tuple[int, RouteStep]] = []
    start_year = today.year if today.month >= 9 else today.year - 1
    for number, plan in enumerate(plans):
        if plan.teacher.active_to:
            continue
        rng = random.Random(f"course:{plan.teacher.school.key}:{plan.teacher.name}")
        for title, provider, hours in rng.sample(_COURSES, plan.courses):
            begin = today - datetime.timedelta(days=rng.randint(20, 700))
            end = begin + datetime.timedelta(days=max(7, hours // 2))
            done = end < today
            courses.append(Course(
                teacher=plan.teacher, title=title, provider=provider, hours=hours, start=begin,
                end=end, completed=done,
                certificate_number=f"УД-{end.year}-{number:05d}" if done else ""))
        route_start = datetime.date(start_year, 9, 15)
        before = [d for d in regional.get(plan.teacher.pk, []) if d.date <= route_start]
        if before and plan.level < 0.5 and rng.random() < 0.5:
            routes.append(DevelopmentRoute(diagnostic=before[-1],
                teacher=plan.teacher, title=f"ИОМ на {start_year}/{(start_year + 1) % 100:02d} "
                                            "учебный год",
                deficits=["methodical", "functional_literacy"],
                start=route_start, end=datetime.date(start_year + 1, 5, 31)))
            index = len(routes) - 1
            for kind, title, month, status in (
                    ("course", "КПК «Формирование функциональной грамотности обучающихся»", 10,
                     "done"),
                    ("mentoring", "Посещение уроков наставника, разбор двух своих уроков", 11,
                     "in_progress"),
                    ("event", "Открытый урок на заседании ШМО", 3, "planned")):
                year = start_year if month >= 9 else start_year + 1
                day = datetime.date(year, month, 10)
                steps.append((index, RouteStep(kind=kind, title=title, start=day,
                                               end=day + datetime.timedelta(days=20),
                                               status=status if day <= today else "planned")))
    bulk_create_with_history(courses, Course)
    bulk_create_with_history(routes, DevelopmentRoute)
    for index, step in steps:
        step.route = routes[index]
    bulk_create_with_history([s for _, s in steps], RouteStep)


def wipe_staff() -> None:
    """Delete every staff and development record (the demo's ``--reset``; history is kept)."""
    for model in (RouteStep, DevelopmentRoute, DiagnosticScore, TeacherDiagnostic, Course,
                  Teacher):
        model.objects.all().delete()
