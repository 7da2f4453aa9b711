"""Reads of a school's staff, scoped by the Viewer (``Action.SEE_STAFF``)."""

from __future__ import annotations

import ast
import datetime
from dataclasses import replace
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from opora.glossary import DEFICIT_DOMAINS, staff_name
from opora.teaching import subject_name
from opora.web.accounts.scope import Viewer
from opora.web.audit.history import FieldChange, HistoryEntry, history_entries
from opora.web.schools.models import School
from opora.web.staff.dynamics import result_pct, teacher_dynamics
from opora.web.staff.models import (
    Course,
    DevelopmentRoute,
    DiagnosticScore,
    RouteStep,
    Teacher,
    TeacherDiagnostic,
    TeacherQuerySet,
)


def teachers_visible_to(viewer: Viewer) -> TeacherQuerySet:
    """Every teacher (working or left) of the schools whose staff the viewer may read."""
    if viewer.superuser:
        return Teacher.objects.all()
    if not viewer.active:
        return Teacher.objects.none()
    return Teacher.objects.filter(school__in=viewer.staff_schools().values("pk"))


def school_teachers(school: School, *, include_left: bool = False,
                    on: datetime.date | None = None) -> QuerySet[Teacher]:
    """A school's teachers by name: those working ``on`` a day (today), or all with the left.

    The caller has checked ``Action.SEE_STAFF`` on ``school``."""
    found = Teacher.objects.filter(school=school)
    if not include_left:
        found = found.working_on(on or timezone.localdate())
    return found.order_by("name", "pk")


def course_counts(teacher_ids: list[int]) -> dict[int, int]:
    """Teacher → the number of courses (КПК) they completed; one query."""
    rows = (Course.objects.filter(teacher_id__in=teacher_ids, completed=True)
            .values("teacher_id").annotate(n=Count("pk")))
    return {row["teacher_id"]: row["n"] for row in rows}


def teacher_development(teacher: Teacher) -> dict[str, Any]:
    """A teacher's diagnostics (newest first, with their results), the dynamics, routes with
    their steps and courses — for the teacher's page; four queries."""
    diagnostics = list(teacher.diagnostics.prefetch_related("scores").order_by("date", "pk"))
    return {
        "diagnostics": [(d, result_pct(d.scores.all())) for d in reversed(diagnostics)],
        "dynamics": teacher_dynamics(diagnostics),
        "routes": list(teacher.routes.prefetch_related("steps").select_related("diagnostic")),
        "courses": list(teacher.courses.all()),
    }


def teacher_history(teacher: Teacher) -> list[HistoryEntry]:
    """Changes of the teacher's record, diagnostics, routes and courses, newest first."""
    entries = [
        *history_entries(Teacher.history.filter(id=teacher.pk).select_related("history_user"),
                         model=Teacher, excluded=("school",), describe=lambda r, s: "Педагог"),
        *history_entries(TeacherDiagnostic.history.filter(teacher_id=teacher.pk)
                         .select_related("history_user"), model=TeacherDiagnostic,
                         excluded=("teacher",), describe=lambda r, s: "Диагностика"),
        *history_entries(DiagnosticScore.history.filter(
            diagnostic__teacher_id=teacher.pk).select_related("history_user"),
            model=DiagnosticScore, excluded=("diagnostic",),
            describe=lambda r, s: "Результат диагностики по области"),
        *history_entries(DevelopmentRoute.history.filter(teacher_id=teacher.pk)
                         .select_related("history_user"), model=DevelopmentRoute,
                         excluded=("teacher",), describe=lambda r, s: "Маршрут (ИОМ)"),
        *history_entries(RouteStep.history.filter(route__teacher_id=teacher.pk)
                         .select_related("history_user"), model=RouteStep, excluded=("route",),
                         describe=lambda r, s: "Шаг маршрута (ИОМ)"),
        *history_entries(Course.history.filter(teacher_id=teacher.pk)
                         .select_related("history_user"), model=Course, excluded=("teacher",),
                         describe=lambda r, s: "Курс КПК"),
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return [_named_codes(entry) for entry in entries]


_CODE_LISTS = {"Предметы": subject_name,
               "Дефициты (области)": lambda code: staff_name(DEFICIT_DOMAINS, code)}


def _named_codes(entry: HistoryEntry) -> HistoryEntry:
    """Lists of codes (subjects, deficits) shown by their Russian names."""
    changes = []
    for change in entry.changes:
        name = _CODE_LISTS.get(change.label)
        if name is not None:
            change = FieldChange(change.label, _names(change.old, name), _names(change.new, name))
        changes.append(change)
    return replace(entry, changes=changes)


def _names(shown: str, name: Any) -> str:
    try:
        codes = ast.literal_eval(shown)
    except (ValueError, SyntaxError):
        return shown
    if not isinstance(codes, list):
        return shown
    return ", ".join(name(code) for code in codes) or "—"
