"""Forms of a teacher's development: a diagnostic of professional deficits, a route (ИОМ) with
its steps, a course (КПК). ``Action.EDIT_DEVELOPMENT``: the school's administrator, the
municipality's coordinator and methodists. A rejected form saves nothing and says why beside
the boxes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from opora.web.accounts.scope import Action
from opora.web.schools.models import School
from opora.web.staff.forms import (
    CourseForm,
    DiagnosticForm,
    RouteForm,
    StepFormSet,
    put_errors,
    steps_initial,
)
from opora.web.staff.models import Course, DevelopmentRoute, Teacher, TeacherDiagnostic
from opora.web.staff.services import course_save, diagnostic_save, route_save
from opora.web.staff.views import school_teacher, staff_school

DEVELOPMENT_EDITORS = ("Диагностики, маршруты и курсы педагогов записывают руководитель школы, "
                       "муниципальный координатор и методисты муниципалитета.")


def _teacher(request: HttpRequest, pk: int, teacher_pk: int) -> tuple[School, Teacher]:
    viewer, school = staff_school(request, pk)
    viewer.require(Action.EDIT_DEVELOPMENT, school, DEVELOPMENT_EDITORS)
    return school, school_teacher(school, teacher_pk)


def _back(school: School, teacher: Teacher) -> HttpResponse:
    return redirect("staff-teacher", pk=school.pk, teacher_pk=teacher.pk)


def _own(model: type[models.Model], teacher: Teacher, record_pk: int | None) -> object | None:
    if record_pk is None:
        return None
    found = model._default_manager.filter(pk=record_pk, teacher=teacher).first()
    if found is None:
        raise Http404("Запись не найдена")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def diagnostic_form(request: HttpRequest, pk: int, teacher_pk: int,
                    diagnostic_pk: int | None = None) -> HttpResponse:
    school, teacher = _teacher(request, pk, teacher_pk)
    diagnostic = _own(TeacherDiagnostic, teacher, diagnostic_pk)
    assert diagnostic is None or isinstance(diagnostic, TeacherDiagnostic)
    form = DiagnosticForm(request.POST or None, diagnostic=diagnostic)
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic_save(diagnostic=diagnostic or TeacherDiagnostic(teacher=teacher),
                            user=request.user, results=form.results(), **form.values())
        except ValidationError as refused:
            put_errors(form, refused)
        else:
            messages.success(request, "Диагностика сохранена.")
            return _back(school, teacher)
    return render(request, "staff/diagnostic_form.html", {
        "school": school, "teacher": teacher, "form": form, "is_new": diagnostic is None})


@login_required
@require_http_methods(["GET", "POST"])
def route_form(request: HttpRequest, pk: int, teacher_pk: int,
               route_pk: int | None = None) -> HttpResponse:
    school, teacher = _teacher(request, pk, teacher_pk)
    route = _own(DevelopmentRoute, teacher, route_pk)
    assert route is None or isinstance(route, DevelopmentRoute)
    diagnostics = list(teacher.diagnostics.order_by("-date", "-pk"))
    initial = ({"title": route.title, "start": route.start, "end": route.end,
                "deficits": route.deficits, "diagnostic": route.diagnostic_id}
               if route else {})
    form = RouteForm(request.POST or None, diagnostics=diagnostics, initial=initial)
    steps = StepFormSet(request.POST or None, prefix="steps",
                        initial=steps_initial(route) if route else None)
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        kept = steps.initial_form_count()  # a step already there counts even unchanged
        used = [f for i, f in enumerate(steps.forms) if not f.cleaned_data.get("DELETE")
                and (i < kept or f.has_changed())]
        try:
            route_save(route=route or DevelopmentRoute(teacher=teacher), user=request.user,
                       steps=[f.value() for f in used], **form.values())
        except ValidationError as refused:
            put_errors(form, refused, used)
        else:
            messages.success(request, "Маршрут сохранён.")
            return _back(school, teacher)
    return render(request, "staff/route_form.html", {
        "school": school, "teacher": teacher, "form": form, "steps": steps,
        "is_new": route is None})


@login_required
@require_http_methods(["GET", "POST"])
def course_form(request: HttpRequest, pk: int, teacher_pk: int,
                course_pk: int | None = None) -> HttpResponse:
    school, teacher = _teacher(request, pk, teacher_pk)
    course = _own(Course, teacher, course_pk)
    assert course is None or isinstance(course, Course)
    form = CourseForm(request.POST or None, instance=course or Course(teacher=teacher))
    if request.method == "POST" and form.is_valid():
        try:
            course_save(course=form.instance, user=request.user)
        except ValidationError as refused:
            put_errors(form, refused)
        else:
            messages.success(request, "Курс сохранён.")
            return _back(school, teacher)
    return render(request, "staff/course_form.html", {
        "school": school, "teacher": teacher, "form": form, "is_new": course is None})
