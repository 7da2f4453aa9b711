"""A school's staff and its teachers' development — read, in the Viewer's scope of staff
(``Action.SEE_STAFF``: the school, its curator, its municipality's coordinator and methodists,
its region's staff; nobody else sees people).

Minimal fields, as the pages: a name or a code, position, subjects, qualification category,
experience — no birth dates, no contacts (Опора keeps none). A school or teacher outside the
caller's scope is «not found». The response schemas live here, beside the only router that
uses them.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from opora.glossary import DEFICIT_DOMAINS, staff_name
from opora.teaching import subject_name
from opora.web.accounts.scope import Action, Viewer
from opora.web.staff.dynamics import THRESHOLD_PP, dynamics_by_teacher, result_pct, school_dynamics
from opora.web.staff.models import (
    Course,
    DevelopmentRoute,
    Teacher,
    TeacherDiagnostic,
    TeacherQuerySet,
)
from opora.web.staff.selectors import school_teachers, teachers_visible_to

router = Router(tags=["Педагоги"])


class TeacherOut(Schema):
    id: int
    school_id: int = Field(description="id школы")
    name: str = Field(description="ФИО или код педагога (как записала школа)")
    name_is_code: bool = Field(description="true — вместо имени код")
    position: str = Field(description="Код должности (docs/glossary.md)")
    position_name: str = Field(description="Должность по-русски")
    subjects: list[str] = Field(description="Коды предметов")
    subject_names: list[str] = Field(description="Предметы по-русски")
    category: str = Field(description="Код квалификационной категории")
    category_name: str = Field(description="Квалификационная категория по-русски")
    experience_years: int | None = Field(description="Педагогический стаж, лет")
    active_from: datetime.date | None = Field(description="Работает с")
    active_to: datetime.date | None = Field(description="Работал(а) по (пусто — работает)")


class ScoreOut(Schema):
    domain: str = Field(description="Код области профессиональных дефицитов")
    domain_name: str = Field(description="Область по-русски")
    score: float | None = Field(description="Балл (пусто, если указан уровень)")
    max_score: float | None = Field(description="Максимальный балл")
    level: str = Field(description="Код уровня (пусто, если указан балл)")


class DiagnosticOut(Schema):
    id: int
    teacher_id: int
    school_id: int
    date: datetime.date = Field(description="Дата диагностики")
    instrument: str = Field(description="Код инструмента: regional, self, peer, administration")
    instrument_name: str = Field(description="Инструмент по-русски")
    result_pct: float | None = Field(description="Результат: % максимума по всем областям")
    scores: list[ScoreOut]


class StepOut(Schema):
    kind: str = Field(description="course, mentoring, event")
    kind_name: str
    title: str
    start: datetime.date | None
    end: datetime.date | None
    status: str = Field(description="planned, in_progress, done, cancelled")
    status_name: str


class RouteOut(Schema):
    id: int
    teacher_id: int
    school_id: int
    title: str
    start: datetime.date
    end: datetime.date
    deficits: list[str] = Field(description="Коды областей дефицитов")
    deficit_names: list[str]
    diagnostic_id: int | None = Field(description="Диагностика, по итогам которой составлен")
    steps: list[StepOut]


class CourseOut(Schema):
    id: int
    teacher_id: int
    school_id: int
    title: str = Field(description="Программа КПК")
    provider: str = Field(description="Организация")
    hours: int = Field(description="Объём, часов")
    start: datetime.date
    end: datetime.date
    completed: bool
    certificate_number: str = Field(description="Номер удостоверения")


class StaffDynamicsOut(Schema):
    school_id: int
    staff: int = Field(description="Педагогов работает сейчас, чел.")
    diagnosed: int = Field(description="Из них прошли диагностику хотя бы раз, чел.")
    diagnosed_pct: float | None = Field(description="Доля прошедших диагностику, %")
    compared: int = Field(description="Из них с парой диагностик одного инструмента, чел. "
                                      "(знаменатель доли с ростом)")
    positive: int = Field(description="Из них с ростом компетенций, чел. (числитель)")
    negative: int = Field(description="Из них со снижением компетенций, чел.")
    positive_pct: float | None = Field(description="Доля с ростом компетенций, %")
    threshold_pp: float = Field(description="Порог роста, п. п. (methodology.md)")


class StaffFilter(Schema):
    school: int | None = Field(None, description="id школы")
    include_left: bool = Field(False, description="true — и ушедшие педагоги")


class RecordFilter(Schema):
    school: int | None = Field(None, description="id школы")
    teacher: int | None = Field(None, description="id педагога")


def _teachers(request: HttpRequest, school: int | None) -> TeacherQuerySet:
    viewer = Viewer.of(request.user)
    found = teachers_visible_to(viewer)
    if school is not None:
        found = found.filter(school_id=school)
    return found


def teacher_out(t: Teacher) -> dict[str, Any]:
    return {"id": t.pk, "school_id": t.school_id, "name": t.name, "name_is_code": t.name_is_code,
            "position": t.position, "position_name": t.position_name, "subjects": t.subjects,
            "subject_names": [subject_name(s) for s in t.subjects], "category": t.category,
            "category_name": t.category_name, "experience_years": t.experience_years,
            "active_from": t.active_from, "active_to": t.active_to}


@router.get("/staff", response=list[TeacherOut], summary="Педагоги",
            description="Педагоги школ, чей состав пользователь видит; school — id школы, "
                        "include_left — и ушедшие.")
@paginate(LimitOffsetPagination)
def staff(request: HttpRequest, filters: Query[StaffFilter]) -> list[dict[str, Any]]:
    found = _teachers(request, filters.school)
    if not filters.include_left:
        found = found.working_on(timezone.localdate())
    return [teacher_out(t) for t in found.order_by("school_id", "name", "pk")]


@router.get("/staff/{teacher_id}", response=TeacherOut, summary="Педагог")
def teacher(request: HttpRequest, teacher_id: int) -> dict[str, Any]:
    found = _teachers(request, None).filter(pk=teacher_id).first()
    if found is None:
        raise Http404("Педагог не найден или недоступен")
    return teacher_out(found)


def _records(request: HttpRequest, filters: RecordFilter, model: Any) -> QuerySet[Any]:
    teachers = _teachers(request, filters.school)
    if filters.teacher is not None:
        teachers = teachers.filter(pk=filters.teacher)
    return model.objects.filter(teacher__in=teachers.values("pk")).select_related("teacher")


@router.get("/diagnostics", response=list[DiagnosticOut],
            summary="Диагностики профессиональных дефицитов",
            description="Диагностики педагогов с результатами по областям; school, teacher — id.")
@paginate(LimitOffsetPagination)
def diagnostics(request: HttpRequest, filters: Query[RecordFilter]) -> list[dict[str, Any]]:
    found = _records(request, filters, TeacherDiagnostic).prefetch_related("scores")
    return [{"id": d.pk, "teacher_id": d.teacher_id, "school_id": d.teacher.school_id,
             "date": d.date, "instrument": d.instrument,
             "instrument_name": d.get_instrument_display(), "result_pct": result_pct(
                 d.scores.all()),
             "scores": [{"domain": s.domain, "domain_name": s.get_domain_display(),
                         "score": s.score, "max_score": s.max_score, "level": s.level}
                        for s in d.scores.all()]}
            for d in found.order_by("teacher_id", "date", "pk")]


@router.get("/routes", response=list[RouteOut], summary="Индивидуальные маршруты (ИОМ)",
            description="Маршруты педагогов с шагами; school, teacher — id.")
@paginate(LimitOffsetPagination)
def routes(request: HttpRequest, filters: Query[RecordFilter]) -> list[dict[str, Any]]:
    found = _records(request, filters, DevelopmentRoute).prefetch_related("steps")
    return [{"id": r.pk, "teacher_id": r.teacher_id, "school_id": r.teacher.school_id,
             "title": r.title, "start": r.start, "end": r.end, "deficits": r.deficits,
             "deficit_names": [staff_name(DEFICIT_DOMAINS, c) for c in r.deficits],
             "diagnostic_id": r.diagnostic_id,
             "steps": [{"kind": s.kind, "kind_name": s.get_kind_display(), "title": s.title,
                        "start": s.start, "end": s.end, "status": s.status,
                        "status_name": s.get_status_display()} for s in r.steps.all()]}
            for r in found.order_by("teacher_id", "start", "pk")]


@router.get("/courses", response=list[CourseOut], summary="Курсы повышения квалификации",
            description="Курсы (КПК) педагогов; school, teacher — id.")
@paginate(LimitOffsetPagination)
def courses(request: HttpRequest, filters: Query[RecordFilter]) -> list[dict[str, Any]]:
    found = _records(request, filters, Course)
    return [{"id": c.pk, "teacher_id": c.teacher_id, "school_id": c.teacher.school_id,
             "title": c.title, "provider": c.provider, "hours": c.hours, "start": c.start,
             "end": c.end, "completed": c.completed, "certificate_number": c.certificate_number}
            for c in found.order_by("teacher_id", "start", "pk")]


@router.get("/schools/{school_id}/staff-dynamics", response=StaffDynamicsOut,
            summary="Диагностика и динамика компетенций педагогов школы",
            description="Два показателя школы с числителями и знаменателями, как на странице "
                        "«Педагоги школы» (правило: docs/methodology.md).")
def staff_dynamics(request: HttpRequest, school_id: int) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    school = viewer.school(school_id)
    viewer.require(Action.SEE_STAFF, school)
    working = list(school_teachers(school))
    summary = school_dynamics(working, dynamics_by_teacher(t.pk for t in working))
    return {"school_id": school.pk, "staff": summary.staff, "diagnosed": summary.diagnosed,
            "diagnosed_pct": summary.diagnosed_pct, "compared": summary.compared,
            "positive": summary.positive, "negative": summary.negative,
            "positive_pct": summary.positive_pct, "threshold_pp": THRESHOLD_PP}
